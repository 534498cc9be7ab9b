/* The platform's books as outputs: the `finance` object of summary.json (costs by item, cash,
 * debt, runway, failure, the floor's funding, extraction by component) and books.csv. */
#include "models/platform/platform_internal.h"
#include "sim/output.h"

#include <inttypes.h>
#include <math.h>

static json_t *jmoney(int64_t cents) {
    return json_real((double)cents / 100.0);
}

static json_t *jratio(double num, double den) {
    return den > 0 && isfinite(num / den) ? json_real(num / den) : json_null();
}

/* Days the cash would last at the average burn of the last seven day closes (or as many as
 * there are): null when cash did not fall over them, 0 when there is none left. */
static json_t *runway(const plat *p) {
    if (p->n_days == 0) return json_null();
    const plat_day *last = &p->days[p->n_days - 1];
    if (last->cash <= 0) return json_real(0.0);
    size_t k = p->n_days < 7 ? p->n_days : 7;
    int64_t before = p->n_days > k ? p->days[p->n_days - 1 - k].cash
                                   : p->t.capital_in + p->t.loans_drawn; /* at the start */
    sim_time from = p->n_days > k ? p->days[p->n_days - 1 - k].end : 0;
    double days = (double)(last->end - from) / (double)SIM_DAY;
    double burn = (double)(before - last->cash) / days;
    if (!(days > 0) || !(burn > 0)) return json_null();
    return json_real((double)last->cash / burn);
}

/* Cash at every seventh day close and at the last: the cash path, short enough for a summary
 * (experiments give each element its mean and interval). */
static json_t *cash_by_week(const plat *p) {
    json_t *a = json_array();
    for (size_t k = 0; a && k < p->n_days; k++)
        if ((k + 1) % 7 == 0 || k + 1 == p->n_days)
            json_array_append_new(a, jmoney(p->days[k].cash));
    return a;
}

json_t *plat_finance_json(const plat *p, const plat_totals *w) {
    json_t *o = json_object(), *costs = json_object(), *ext = json_object();
    int64_t all = w->interest;
    for (int i = 0; i < PLAT_COST_N; i++) {
        json_object_set_new(costs, plat_cost_name(i), jmoney(w->costs[i]));
        all += w->costs[i];
    }
    json_object_set_new(costs, "interest", jmoney(w->interest));
    json_object_set_new(o, "costs", costs);
    json_object_set_new(o, "cost_share_of_bookings",
                        jratio((double)all, (double)w->gross_bookings));
    /* A co-op's surplus, a centralized platform's profit: the same quantity. */
    json_object_set_new(o, "net_result", jmoney(w->profit));
    json_object_set_new(o, "pay_floor_owed", jmoney(w->pay_floor_owed));
    json_object_set_new(o, "pay_floor_paid", jmoney(w->pay_floor_topups));
    json_object_set_new(o, "floor_funding",
                        jratio((double)w->pay_floor_topups, (double)w->pay_floor_owed));
    json_object_set_new(o, "capital_in", jmoney(w->capital_in));
    json_object_set_new(o, "loans_drawn", jmoney(w->loans_drawn));
    json_object_set_new(o, "principal_repaid", jmoney(w->principal_repaid));
    json_object_set_new(o, "investors_required_return", jmoney(w->required_return));
    json_object_set_new(o, "cash_end", jmoney(p->cash));
    json_object_set_new(o, "debt_end", jmoney(p->loan_left + p->note_left));
    json_object_set_new(o, "credit_limit", jmoney(p->cfg.credit_limit));
    json_object_set_new(o, "runway_days", runway(p));
    json_object_set_new(o, "cash_by_week", cash_by_week(p));
    json_object_set_new(o, "failed", p->t.failed_day > 0 ? json_true() : json_false());
    json_object_set_new(o, "failed_day",
                        p->t.failed_day > 0 ? json_integer(p->t.failed_day) : json_null());
    json_object_set_new(ext, "outside_validator_fees", jmoney(w->outside_fees));
    json_object_set_new(ext, "owners_above_required_return", jmoney(w->owners_excess));
    json_object_set_new(ext, "total", jmoney(w->extraction));
    json_object_set_new(o, "extraction", ext);
    return o;
}

static void put_money(FILE *f, int64_t cents) {
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    fprintf(f, ",%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", a / 100, a % 100);
}

int plat_write_books_csv(const plat *p, FILE *f, bool header) {
    if (header) {
        fputs("platform,day,end_s,gross_bookings,revenue,subsidies", f);
        for (int i = 0; i < PLAT_COST_N; i++)
            fprintf(f, ",%s", plat_cost_name(i));
        fputs(",interest,surplus,floor_owed,floor_paid,dividends,entry_fees,capital_in,"
              "loans_drawn,principal_repaid,investors_required_return,reserve,cash,debt,open\n",
              f);
    }
    for (size_t k = 0; k < p->n_days; k++) {
        const plat_day *d = &p->days[k];
        int64_t net = d->revenue - d->subsidies - d->interest;
        out_csv_field(f, p->name);
        fprintf(f, ",%zu,%.0f", k + 1, (double)d->end / 1e6);
        put_money(f, d->gross_bookings);
        put_money(f, d->revenue);
        put_money(f, d->subsidies);
        for (int i = 0; i < PLAT_COST_N; i++) {
            put_money(f, d->costs[i]);
            net -= d->costs[i];
        }
        put_money(f, d->interest);
        put_money(f, net);
        put_money(f, d->floor_owed);
        put_money(f, d->floor_paid);
        put_money(f, d->dividends);
        put_money(f, d->entry_fees);
        put_money(f, d->capital_in);
        put_money(f, d->loans_drawn);
        put_money(f, d->principal_repaid);
        put_money(f, d->required_return);
        put_money(f, d->reserve);
        put_money(f, d->cash);
        put_money(f, d->debt);
        fprintf(f, ",%d\n", p->t.failed_day == 0 || (int64_t)k + 1 < p->t.failed_day);
    }
    return ferror(f) ? -1 : 0;
}

/* Each day's cash moves by exactly that day's flows: the books' own check, in cents. */
int64_t plat_books_error(const plat *p) {
    int64_t err = 0, cash = 0, debt = 0; /* row 1 counts the capital paid in at the start */
    for (size_t k = 0; k < p->n_days; k++) {
        const plat_day *d = &p->days[k];
        int64_t flow = d->capital_in + d->loans_drawn - d->principal_repaid + d->revenue -
                       d->subsidies - d->interest + d->entry_fees - d->dividends - d->floor_paid;
        for (int i = 0; i < PLAT_COST_N; i++)
            flow -= d->costs[i];
        cash += flow;
        debt += d->loans_drawn - d->principal_repaid;
        err += (cash > d->cash ? cash - d->cash : d->cash - cash);
        err += (debt > d->debt ? debt - d->debt : d->debt - debt);
        cash = d->cash;
        debt = d->debt;
    }
    return err;
}
