/* Outputs of free entry: the per-day table (days.csv) and the summary's `long_run` object, with
 * the convergence test that says from which day the long run is read. */
#include "models/market/world.h"
#include "models/schema/schema.h"
#include "sim/output.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

/* Riders by the day of their request, gathered as requests end (riders.c). */
typedef mkt_day_riders day_riders;

/* The figures of one day (or of a mean over days) that the summary and the table share. */
typedef struct day_fig {
    double active, entrants, exits, drove, online_hours, utilization, gross_per_hour, net_per_hour,
        surplus, surplus_per_active, served, abandoned, refused, wait_mean_s, fare_mean;
} day_fig;

static double ratio(double a, double b) {
    return b > 0 ? a / b : NAN;
}

static void fig_of(const mkt_day *r, const day_riders *q, day_fig *f) {
    double hours = (double)r->online / (double)SIM_HOUR;
    f->active = (double)r->active;
    f->entrants = (double)r->entrants;
    f->exits = (double)r->exits;
    f->drove = (double)r->drove;
    f->online_hours = hours;
    f->utilization = ratio((double)r->trip, (double)r->online);
    f->gross_per_hour = ratio((double)r->income / 100.0, hours);
    f->net_per_hour = ratio((double)(r->income - r->cost) / 100.0, hours);
    f->surplus = r->surplus / 100.0;
    f->surplus_per_active = ratio(r->surplus / 100.0, (double)r->active);
    f->served = (double)q->served;
    f->abandoned = (double)q->abandoned;
    f->refused = (double)q->refused;
    f->wait_mean_s = ratio(q->wait_sum, (double)q->picked);
    f->fare_mean = ratio(q->fare_sum / 100.0, (double)q->served);
}

int mkt_write_days_csv(const mkt_world *w, FILE *f, bool header) {
    if (header && sch_write_header(&schema_days_csv, f) != 0) return -1;
    if (!w->ld) return 0;
    const day_riders *q = w->riders.days;
    for (size_t d = 0; d < w->n_days; d++) {
        const mkt_day *r = &w->days[d];
        day_fig g;
        fig_of(r, &q[d], &g);
        fprintf(f, "%" PRIu64 ",", w->run);
        out_csv_field(f, w->pc->name);
        fprintf(f, ",%zu,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64, d, r->active, r->entrants,
                r->exits, r->drove);
        out_csv_real(f, "%.2f", g.online_hours);
        out_csv_real(f, "%.4f", g.utilization);
        out_csv_real(f, "%.2f", g.gross_per_hour);
        for (int k = 0; k < 3; k++)
            out_csv_real(f, "%.2f", r->gph[k]);
        out_csv_real(f, "%.2f", g.net_per_hour);
        for (int k = 0; k < 3; k++)
            out_csv_real(f, "%.2f", r->nph[k]);
        out_csv_real(f, "%.2f", g.surplus);
        out_csv_real(f, "%.2f", g.surplus_per_active);
        fprintf(f, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64, q[d].requests, q[d].served,
                q[d].abandoned, q[d].refused);
        out_csv_real(f, "%.2f", g.wait_mean_s);
        out_csv_real(f, "%.2f", g.fare_mean);
        fprintf(f, ",%.2f\n", (double)r->conservation_error / 100.0);
    }
    return ferror(f) ? -1 : 0;
}

/* Weekly means compared week on week: day d passes when the mean online hours and the net pay
 * per hour of days d-6..d are within the tolerance of those of days d-13..d-7. Converged from
 * the first day after which every day passes, to the last whole day. */
static int converged_day(const mkt_world *w, size_t whole, double tol) {
    int from = -1;
    for (size_t d = 13; d < whole; d++) {
        double h[2] = {0, 0}, net[2] = {0, 0};
        for (int k = 0; k < 14; k++) {
            const mkt_day *r = &w->days[d - (size_t)k];
            int wk = k < 7 ? 0 : 1;
            h[wk] += (double)r->online;
            net[wk] += (double)(r->income - r->cost);
        }
        double n0 = ratio(net[1], h[1]), n1 = ratio(net[0], h[0]);
        bool ok =
            h[1] > 0 && h[0] > 0 && fabs(h[0] / h[1] - 1) <= tol && fabs(n1 - n0) <= tol * fabs(n0);
        if (!ok)
            from = -1;
        else if (from < 0)
            from = (int)d;
    }
    return from;
}

/* The figures in the order schema_short_run declares them (the same keys for long_run). */
static json_t *fig_json(const day_fig *g) {
    const double v[SCH_FIG_N] = {
        [SCH_FIG_ACTIVE] = g->active,        [SCH_FIG_ONLINE] = g->drove,
        [SCH_FIG_ENTRANTS] = g->entrants,    [SCH_FIG_EXITS] = g->exits,
        [SCH_FIG_HOURS] = g->online_hours,   [SCH_FIG_UTILIZATION] = g->utilization,
        [SCH_FIG_GROSS] = g->gross_per_hour, [SCH_FIG_NET] = g->net_per_hour,
        [SCH_FIG_SURPLUS] = g->surplus,      [SCH_FIG_SURPLUS_ACTIVE] = g->surplus_per_active,
        [SCH_FIG_SERVED] = g->served,        [SCH_FIG_ABANDONED] = g->abandoned,
        [SCH_FIG_REFUSED] = g->refused,      [SCH_FIG_WAIT] = g->wait_mean_s,
        [SCH_FIG_FARE] = g->fare_mean};
    json_t *o = json_object();
    for (size_t i = 0; i < SCH_FIG_N; i++)
        json_object_set_new(o, sch_name(&schema_short_run, i),
                            isfinite(v[i]) ? json_real(v[i]) : json_null());
    return o;
}

json_t *mkt_long_run_json(const mkt_world *w) {
    if (!w->ld || w->n_days == 0) return NULL;
    const day_riders *q = w->riders.days;
    size_t whole = (size_t)(w->end / SIM_DAY);
    double tol = w->sc->drivers.convergence_tolerance;
    int from = converged_day(w, whole, tol);
    json_t *o = json_object();
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_CONVERGED), json_boolean(from >= 0));
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_CONVERGED_DAY),
                        from >= 0 ? json_integer(from) : json_null());
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_TOLERANCE), json_real(tol));
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_RULE),
                        json_string("weekly means of online hours and net pay per hour within "
                                    "the tolerance of the week before, on every later day"));
    /* The window: the week that first passed and every day after it; without convergence,
     * the last whole week, reported as not converged. */
    size_t first = from >= 0 ? (size_t)from - 6 : whole >= 7 ? whole - 7 : 0;
    size_t last = whole > 0 ? whole - 1 : 0;
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_WINDOW_FIRST_DAY),
                        json_integer((json_int_t)first));
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_WINDOW_LAST_DAY),
                        json_integer((json_int_t)last));
    day_fig sum = {0}, g;
    size_t n = 0;
    mkt_day agg = {0};
    day_riders qa = {0};
    for (size_t d = first; d <= last && d < w->n_days; d++, n++) {
        const mkt_day *r = &w->days[d];
        fig_of(r, &q[d], &g);
        sum.active += g.active;
        sum.drove += g.drove;
        sum.entrants += g.entrants;
        sum.exits += g.exits;
        sum.online_hours += g.online_hours;
        sum.surplus += g.surplus;
        sum.served += g.served;
        sum.abandoned += g.abandoned;
        sum.refused += g.refused;
        agg.online += r->online;
        agg.trip += r->trip;
        agg.income += r->income;
        agg.cost += r->cost;
        agg.active += r->active;
        agg.surplus += r->surplus;
        qa.wait_sum += q[d].wait_sum;
        qa.picked += q[d].picked;
        qa.fare_sum += q[d].fare_sum;
        qa.served += q[d].served;
    }
    day_fig mean = {0};
    if (n) {
        double k = (double)n;
        fig_of(&agg, &qa, &mean); /* ratios over the window's totals */
        mean.active = sum.active / k;
        mean.drove = sum.drove / k;
        mean.entrants = sum.entrants / k;
        mean.exits = sum.exits / k;
        mean.online_hours = sum.online_hours / k;
        mean.surplus = sum.surplus / k;
        mean.served = sum.served / k;
        mean.abandoned = sum.abandoned / k;
        mean.refused = sum.refused / k;
    }
    json_t *e = json_object();
    double h0 = w->probe_hours[0], h1 = w->probe_hours[1], r = w->probe_rise;
    json_object_set_new(e, sch_name(&schema_hours_response, SCH_RESP_PAY_RISE), json_real(r));
    json_object_set_new(e, sch_name(&schema_hours_response, SCH_RESP_HOURS), json_real(h0));
    json_object_set_new(e, sch_name(&schema_hours_response, SCH_RESP_HOURS_AFTER), json_real(h1));
    json_object_set_new(e, sch_name(&schema_hours_response, SCH_RESP_ELASTICITY),
                        h0 > 0 && h1 > 0 ? json_real(log(h1 / h0) / log1p(r)) : json_null());
    json_object_set_new(e, sch_name(&schema_hours_response, SCH_RESP_DRIVERS),
                        json_real(w->probe_drivers[0]));
    json_object_set_new(e, sch_name(&schema_hours_response, SCH_RESP_DRIVERS_AFTER),
                        json_real(w->probe_drivers[1]));
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_HOURS_RESPONSE), e);
    fig_of(&w->days[0], &q[0], &g);
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_SHORT_RUN), fig_json(&g));
    json_object_set_new(o, sch_name(&schema_long_run, SCH_LR_LONG_RUN), fig_json(&mean));
    return o;
}
