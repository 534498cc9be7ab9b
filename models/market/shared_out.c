/* A shared market's outputs: competition.csv by day and platform, and the summary's
 * `competition` object (final shares, break-even, burn, the tipping point), each platform's
 * part of it also in its own entry so that experiments give it confidence intervals. */
#include "models/market/shared.h"
#include "models/schema/schema.h"
#include "sim/output.h"

#include <inttypes.h>
#include <math.h>

static const char *const phase_names[] = {"normal", "fight", "raised"};

/* The books' profit of day k (0-based): revenue less subsidies, every cost item and interest. */
static int64_t day_profit(const plat *p, size_t k) {
    const plat_day *d = plat_get_day(p, k);
    if (!d) return 0;
    int64_t v = d->revenue - d->subsidies - d->interest;
    for (int i = 0; i < PLAT_COST_N; i++)
        v -= d->costs[i];
    return v;
}

/* First day (1-based) whose profit over the 7 days to it (fewer at the start) is at least 0;
 * 0 when none. */
static int64_t break_even_day(const plat *p) {
    size_t n = plat_n_days(p);
    for (size_t k = 0; k < n; k++) {
        int64_t sum = 0;
        for (size_t j = k >= 6 ? k - 6 : 0; j <= k; j++)
            sum += day_profit(p, j);
        if (sum >= 0) return (int64_t)k + 1;
    }
    return 0;
}

static void put_share(FILE *f, double a, double b) {
    if (b > 0)
        fprintf(f, ",%.6f", a / b);
    else
        fputs(",", f);
}

int mkt_write_competition_csv(const mkt_market *m, FILE *f, bool header) {
    if (header) sch_write_header(&schema_competition_csv, f);
    for (size_t p = 0; p < m->n; p++) {
        const mkt_world *w = m->w[p];
        for (size_t d = 0; d < m->n_days; d++) {
            int64_t req[MKT_MAX_PLATFORMS], trips[MKT_MAX_PLATFORMS], all_req = 0, all_trips = 0;
            double hours[MKT_MAX_PLATFORMS], all_hours = 0;
            for (size_t q = 0; q < m->n; q++) {
                mkt_shared_day_sums(m, q, d, d + 1, &req[q], &trips[q], &hours[q]);
                all_req += req[q];
                all_trips += trips[q];
                all_hours += hours[q];
            }
            const mkt_cday *cd = &m->days[d * m->n + p];
            const plat_day *bd = plat_get_day(w->p, d);
            fprintf(f, "%" PRIu64 ",", w->run);
            out_csv_field(f, w->pc->name);
            fprintf(f, ",%zu,%" PRId64 ",%" PRId64 ",%.4f", d + 1, req[p], trips[p], hours[p]);
            put_share(f, (double)req[p], (double)all_req);
            put_share(f, (double)trips[p], (double)all_trips);
            put_share(f, hours[p], all_hours);
            fprintf(f, ",%" PRId64 ",%.6f", cd->first_choices, cd->awareness);
            if (cd->eta_n > 0)
                fprintf(f, ",%.1f", cd->eta_sum / (double)cd->eta_n);
            else
                fputs(",", f);
            fprintf(f, ",%s,%.6f", phase_names[cd->phase], cd->commission);
            out_csv_cents(f, cd->burn);
            out_csv_cents(f, day_profit(w->p, d));
            if (bd)
                out_csv_cents(f, bd->cash);
            else
                fputs(",", f);
            fprintf(f, ",%" PRId64 ",%.4f", cd->declines,
                    (double)cd->decline_lost / (double)SIM_HOUR);
            fputc('\n', f);
        }
    }
    return ferror(f) ? -1 : 0;
}

static const char *cpf(size_t k) {
    return sch_name(&schema_competition_platform, k);
}

static json_t *share_or_null(double a, double b) {
    return b > 0 ? json_real(a / b) : json_null();
}

/* The final window: the run's last 7 days, or all of them when it is shorter. */
static size_t window_first(const mkt_market *m) {
    return m->n_days > 7 ? m->n_days - 7 : 0;
}

static json_t *jmoney(int64_t cents) {
    return json_real((double)cents / 100.0);
}

/* The platform's riders' and drivers' surplus (shared_surplus.c). */
static void put_surplus(json_t *o, const mkt_surplus *s) {
    json_object_set_new(o, cpf(SCH_CPF_RIDER_SURPLUS), jmoney(s->riders));
    json_object_set_new(o, cpf(SCH_CPF_DRIVER_SURPLUS), jmoney(s->drivers));
    json_object_set_new(o, cpf(SCH_CPF_DRIVER_HOURS), json_real(s->hours));
    json_object_set_new(o, cpf(SCH_CPF_DRIVER_SURPLUS_PER_HOUR),
                        s->hours > 0 ? json_real((double)s->drivers / 100.0 / s->hours)
                                     : json_null());
    json_object_set_new(o, cpf(SCH_CPF_DRIVER_OUTSIDE_OPTION), jmoney(s->outside));
}

/* Platform p's highest share of a day's requests and the first day (1-based) it had it; 0 and
 * day 0 when no day had a request. */
static void peak(const mkt_market *m, size_t p, double *share, int64_t *day) {
    *share = 0;
    *day = 0;
    for (size_t d = 0; d < m->n_days; d++) {
        int64_t req, trips, all = 0, own = 0;
        double hours;
        for (size_t q = 0; q < m->n; q++) {
            mkt_shared_day_sums(m, q, d, d + 1, &req, &trips, &hours);
            all += req;
            if (q == p) own = req;
        }
        if (all > 0 && (*day == 0 || (double)own / (double)all > *share)) {
            *share = (double)own / (double)all;
            *day = (int64_t)d + 1;
        }
    }
}

json_t *mkt_competition_platform_json(const mkt_market *m, size_t p) {
    if (p >= m->n) return NULL;
    mkt_surplus sur[MKT_MAX_PLATFORMS];
    mkt_shared_surplus(m, sur);
    const mkt_world *w = m->w[p];
    size_t d0 = window_first(m);
    int64_t req[MKT_MAX_PLATFORMS], trips[MKT_MAX_PLATFORMS], all_req = 0, all_trips = 0;
    int64_t firsts = 0, all_firsts = 0, eta_n = 0, declines = 0, taken = 0;
    sim_time lost = 0;
    double hours[MKT_MAX_PLATFORMS], all_hours = 0, eta = 0;
    for (size_t q = 0; q < m->n; q++) {
        mkt_shared_day_sums(m, q, d0, m->n_days, &req[q], &trips[q], &hours[q]);
        all_req += req[q];
        all_trips += trips[q];
        all_hours += hours[q];
        for (size_t d = d0; d < m->n_days; d++) {
            const mkt_cday *cd = &m->days[d * m->n + q];
            all_firsts += cd->first_choices;
            if (q == p) {
                declines += cd->declines;
                taken += cd->offers_taken;
                lost += cd->decline_lost;
                firsts += cd->first_choices;
                eta += cd->eta_sum;
                eta_n += cd->eta_n;
            }
        }
    }
    plat_totals t;
    plat_get_totals(w->p, &t);
    int64_t be = break_even_day(w->p);
    json_t *o = json_object();
    json_object_set_new(o, cpf(SCH_CPF_NAME), json_string(w->pc->name));
    json_object_set_new(o, cpf(SCH_CPF_REQUEST_SHARE),
                        share_or_null((double)req[p], (double)all_req));
    json_object_set_new(o, cpf(SCH_CPF_TRIP_SHARE),
                        share_or_null((double)trips[p], (double)all_trips));
    json_object_set_new(o, cpf(SCH_CPF_HOURS_SHARE), share_or_null(hours[p], all_hours));
    json_object_set_new(o, cpf(SCH_CPF_FIRST_CHOICE_SHARE),
                        share_or_null((double)firsts, (double)all_firsts));
    json_object_set_new(o, cpf(SCH_CPF_AWARENESS), json_real(m->aware[p]));
    json_object_set_new(o, cpf(SCH_CPF_SHOWN_ETA_S),
                        eta_n > 0 ? json_real(eta / (double)eta_n) : json_null());
    double pk;
    int64_t pk_day;
    peak(m, p, &pk, &pk_day);
    json_object_set_new(o, cpf(SCH_CPF_PEAK_REQUEST_SHARE),
                        pk_day > 0 ? json_real(pk) : json_null());
    json_object_set_new(o, cpf(SCH_CPF_PEAK_DAY), pk_day > 0 ? json_integer(pk_day) : json_null());
    json_object_set_new(o, cpf(SCH_CPF_BREAK_EVEN_DAY), be > 0 ? json_integer(be) : json_null());
    json_object_set_new(o, cpf(SCH_CPF_BROKE_EVEN), json_boolean(be > 0));
    json_object_set_new(o, cpf(SCH_CPF_SURVIVED), json_boolean(t.failed_day == 0));
    json_object_set_new(o, cpf(SCH_CPF_FIGHT_DAYS), json_integer(m->fight_days[p]));
    json_object_set_new(o, cpf(SCH_CPF_BURN), json_real((double)m->burn[p] / 100.0));
    json_object_set_new(o, cpf(SCH_CPF_RAISED_DAY),
                        m->raised_day[p] > 0 ? json_integer(m->raised_day[p]) : json_null());
    json_object_set_new(o, cpf(SCH_CPF_MARKETING), json_real((double)m->marketing[p] / 100.0));
    put_surplus(o, &sur[p]);
    json_object_set_new(o, cpf(SCH_CPF_DECLINES), json_integer(declines));
    json_object_set_new(o, cpf(SCH_CPF_DECLINE_SHARE),
                        share_or_null((double)declines, (double)(declines + taken)));
    json_object_set_new(o, cpf(SCH_CPF_DECLINE_HOURS), json_real((double)lost / (double)SIM_HOUR));
    return o;
}

/* The first day a later-listed platform showed riders a mean pickup time no longer than the
 * first platform's (the incumbent, in a launch), and its share of that day's requests. */
static void tipping(const mkt_market *m, int64_t *day, double *share) {
    *day = 0;
    *share = NAN;
    for (size_t d = 0; d < m->n_days; d++) {
        const mkt_cday *c0 = &m->days[d * m->n];
        if (c0->eta_n == 0) continue;
        for (size_t p = 1; p < m->n; p++) {
            const mkt_cday *c = &m->days[d * m->n + p];
            if (c->eta_n == 0 || c->eta_sum / (double)c->eta_n > c0->eta_sum / (double)c0->eta_n)
                continue;
            int64_t req, trips, all = 0;
            double hours;
            for (size_t q = 0; q < m->n; q++) {
                mkt_shared_day_sums(m, q, d, d + 1, &req, &trips, &hours);
                all += req;
            }
            mkt_shared_day_sums(m, p, d, d + 1, &req, &trips, &hours);
            *day = (int64_t)d + 1;
            *share = all > 0 ? (double)req / (double)all : NAN;
            return;
        }
    }
}

json_t *mkt_competition_json(const mkt_market *m) {
    const sch_table *t = &schema_competition;
    json_t *o = json_object(), *list = json_array();
    int64_t tday;
    double tshare;
    tipping(m, &tday, &tshare);
    json_object_set_new(o, sch_name(t, SCH_COMP_RIDERS), json_integer(m->arrivals));
    json_object_set_new(o, sch_name(t, SCH_COMP_WITHOUT_APP), json_integer(m->without_app));
    json_object_set_new(o, sch_name(t, SCH_COMP_RETRIES), json_integer(m->retries));
    json_object_set_new(o, sch_name(t, SCH_COMP_MULTIHOMING_SHARE),
                        json_real(m->multihoming_share));
    json_object_set_new(o, sch_name(t, SCH_COMP_DRIVER_OVERLAPS), json_integer(m->overlaps));
    json_object_set_new(o, sch_name(t, SCH_COMP_WINDOW_DAYS),
                        json_integer((json_int_t)(m->n_days - window_first(m))));
    json_object_set_new(o, sch_name(t, SCH_COMP_TIPPING_DAY),
                        tday > 0 ? json_integer(tday) : json_null());
    json_object_set_new(o, sch_name(t, SCH_COMP_TIPPING_SHARE),
                        isfinite(tshare) ? json_real(tshare) : json_null());
    int64_t rode, several, riders = 0, drivers = 0;
    mkt_pop_counts(m, &rode, &several);
    mkt_surplus sur[MKT_MAX_PLATFORMS];
    mkt_shared_surplus(m, sur);
    for (size_t p = 0; p < m->n; p++) {
        riders += sur[p].riders;
        drivers += sur[p].drivers;
    }
    json_object_set_new(o, sch_name(t, SCH_COMP_RIDERS_WHO_RODE), json_integer(rode));
    json_object_set_new(o, sch_name(t, SCH_COMP_MULTI_APP_SHARE),
                        share_or_null((double)several, (double)rode));
    json_object_set_new(o, sch_name(t, SCH_COMP_SWITCHES), json_integer(m->switches));
    json_object_set_new(o, sch_name(t, SCH_COMP_RIDER_SURPLUS), jmoney(riders));
    json_object_set_new(o, sch_name(t, SCH_COMP_DRIVER_SURPLUS), jmoney(drivers));
    for (size_t p = 0; p < m->n; p++)
        json_array_append_new(list, mkt_competition_platform_json(m, p));
    json_object_set_new(o, sch_name(t, SCH_COMP_PLATFORMS), list);
    return o;
}
