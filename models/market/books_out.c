/* The platform's books as outputs: the `finance` object of a platform's summary entry (costs by
 * item, cash, debt, runway, failure, the floor's funding, extraction by component) and
 * books.csv, named by the output schema (models/schema). */
#include "models/market/world.h"
#include "models/schema/schema.h"
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
static json_t *runway(const plat *p, const plat_totals *all) {
    size_t n = plat_n_days(p);
    if (n == 0) return json_null();
    const plat_day *last = plat_get_day(p, n - 1);
    if (last->cash <= 0) return json_real(0.0);
    size_t k = n < 7 ? n : 7;
    /* before the first close: what was paid in at the start */
    int64_t before = n > k ? plat_get_day(p, n - 1 - k)->cash : all->capital_in + all->loans_drawn;
    sim_time from = n > k ? plat_get_day(p, n - 1 - k)->end : 0;
    double days = (double)(last->end - from) / (double)SIM_DAY;
    double burn = (double)(before - last->cash) / days;
    if (!(days > 0) || !(burn > 0)) return json_null();
    return json_real((double)last->cash / burn);
}

/* Cash at every seventh day close and at the last: the cash path, short enough for a summary
 * (experiments give each element its mean and interval). */
static json_t *cash_by_week(const plat *p) {
    json_t *a = json_array();
    size_t n = plat_n_days(p);
    for (size_t k = 0; a && k < n; k++)
        if ((k + 1) % 7 == 0 || k + 1 == n)
            json_array_append_new(a, jmoney(plat_get_day(p, k)->cash));
    return a;
}

/* Schema field of each cost item (plat_cost_item order). */
static const int COST_FIELD[PLAT_COST_N] = {
    SCH_COST_PAYMENT,     SCH_COST_INSURANCE,  SCH_COST_SUPPORT,   SCH_COST_APP,
    SCH_COST_ACQUISITION, SCH_COST_VALIDATORS, SCH_COST_CHAIN_FEES};

json_t *mkt_finance_json(const mkt_world *w, const plat_totals *win) {
    const plat *p = w->p;
    plat_totals all;
    plat_get_totals(p, &all);
    json_t *o = json_object(), *costs = json_object(), *ext = json_object();
    int64_t spent = win->interest;
    for (int i = 0; i < PLAT_COST_N; i++) {
        json_object_set_new(costs, sch_name(&schema_finance_costs, COST_FIELD[i]),
                            jmoney(win->costs[i]));
        spent += win->costs[i];
    }
    json_object_set_new(costs, sch_name(&schema_finance_costs, SCH_COST_INTEREST),
                        jmoney(win->interest));
#define SET(field, value) json_object_set_new(o, sch_name(&schema_finance, field), value)
    SET(SCH_FIN_COSTS, costs);
    SET(SCH_FIN_COST_SHARE, jratio((double)spent, (double)win->gross_bookings));
    SET(SCH_FIN_NET_RESULT, jmoney(win->profit));
    SET(SCH_FIN_FLOOR_OWED, jmoney(win->pay_floor_owed));
    SET(SCH_FIN_FLOOR_PAID, jmoney(win->pay_floor_topups));
    SET(SCH_FIN_FLOOR_FUNDING, jratio((double)win->pay_floor_topups, (double)win->pay_floor_owed));
    SET(SCH_FIN_CAPITAL_IN, jmoney(win->capital_in));
    SET(SCH_FIN_LOANS_DRAWN, jmoney(win->loans_drawn));
    SET(SCH_FIN_PRINCIPAL_REPAID, jmoney(win->principal_repaid));
    SET(SCH_FIN_REQUIRED_RETURN, jmoney(win->required_return));
    SET(SCH_FIN_CASH_END, jmoney(all.cash));
    SET(SCH_FIN_DEBT_END, jmoney(all.debt));
    SET(SCH_FIN_CREDIT_LIMIT, jmoney(plat_get_config(p)->credit_limit));
    SET(SCH_FIN_RUNWAY_DAYS, runway(p, &all));
    SET(SCH_FIN_CASH_BY_WEEK, cash_by_week(p));
    SET(SCH_FIN_FAILED, all.failed_day > 0 ? json_true() : json_false());
    SET(SCH_FIN_FAILED_DAY, all.failed_day > 0 ? json_integer(all.failed_day) : json_null());
    json_object_set_new(ext, sch_name(&schema_finance_extraction, SCH_EXT_OUTSIDE_FEES),
                        jmoney(win->outside_fees));
    json_object_set_new(ext, sch_name(&schema_finance_extraction, SCH_EXT_OWNERS_EXCESS),
                        jmoney(win->owners_excess));
    json_object_set_new(ext, sch_name(&schema_finance_extraction, SCH_EXT_TOTAL),
                        jmoney(win->extraction));
    SET(SCH_FIN_EXTRACTION, ext);
#undef SET
    return o;
}

/* One row per day close, in the columns of schema_books_csv. */
int mkt_write_books_csv(const mkt_world *w, FILE *f, bool header) {
    if (header) sch_write_header(&schema_books_csv, f);
    const plat *p = w->p;
    plat_totals all;
    plat_get_totals(p, &all);
    for (size_t k = 0; k < plat_n_days(p); k++) {
        const plat_day *d = plat_get_day(p, k);
        int64_t net = d->revenue - d->subsidies - d->interest;
        fprintf(f, "%" PRIu64 ",", w->run);
        out_csv_field(f, w->pc->name);
        fprintf(f, ",%zu,%.0f", k + 1, (double)d->end / 1e6);
        out_csv_cents(f, d->gross_bookings);
        out_csv_cents(f, d->revenue);
        out_csv_cents(f, d->subsidies);
        for (int i = 0; i < PLAT_COST_N; i++) {
            out_csv_cents(f, d->costs[i]);
            net -= d->costs[i];
        }
        out_csv_cents(f, d->interest);
        out_csv_cents(f, net);
        out_csv_cents(f, d->floor_owed);
        out_csv_cents(f, d->floor_paid);
        out_csv_cents(f, d->dividends);
        out_csv_cents(f, d->entry_fees);
        out_csv_cents(f, d->deposits_forfeited);
        out_csv_cents(f, d->capital_in);
        out_csv_cents(f, d->loans_drawn);
        out_csv_cents(f, d->principal_repaid);
        out_csv_cents(f, d->required_return);
        out_csv_cents(f, d->reserve);
        out_csv_cents(f, d->cash);
        out_csv_cents(f, d->debt);
        fprintf(f, ",%d\n", all.failed_day == 0 || (int64_t)k + 1 < all.failed_day);
    }
    return ferror(f) ? -1 : 0;
}
