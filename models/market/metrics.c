/* Metrics of one world: rider service, driver time and earnings, the platform's books and the
 * money check, gathered into the platform's entry of summary.json (money in currency units). */
#include "models/market/world.h"
#include "models/schema/schema.h"
#include "sim/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static json_t *jreal(double x) {
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *jmoney(int64_t cents) {
    return json_real((double)cents / 100.0);
}

void mkt_take_base(mkt_world *w) {
    mkt_base *b = &w->base;
    for (uint32_t d = 0; d < w->n_drv; d++) {
        mkt_driver *dv = &w->drv[d];
        /* Splits the state under way at this instant, so its time counts on both sides. */
        if (dv->state != D_OFF) mkt_driver_set_state(w, d, dv->state);
        mkt_driver_base *db = &b->drv[d];
        for (int st = 0; st < D_NSTATES; st++)
            db->t_state[st] = dv->t_state[st];
        db->metres = dv->metres;
        db->trips = dv->trips;
        db->trip_pay = dv->trip_pay;
        db->income = plat_driver_income(w->p, d);
        db->dividends = plat_driver_dividends(w->p, d);
        db->topups = plat_driver_topups(w->p, d);
        db->floor_owed = plat_driver_floor_owed(w->p, d);
    }
    plat_get_totals(w->p, &b->t);
    /* Daily costs are charged in arrears; the window bears those of its own time only. After
     * the run (a warm-up as long as the run) the last close has charged them all. */
    sim_time now = sim_now(w->s);
    plat_daily_accrued(w->p, now < w->end ? now : w->end, b->accrued);
    b->fixed_accrued = 0;
    for (int i = 0; i < PLAT_COST_N; i++)
        b->fixed_accrued += b->accrued[i];
    b->money = w->money;
    b->welfare = w->welfare;
    b->settle = w->settle;
    b->offers_taken = w->offers_taken;
    b->declines = w->declines;
    b->decline_lost = w->decline_lost;
}

void mkt_driver_window_of(const mkt_world *w, uint32_t d, mkt_driver_window *o) {
    const mkt_driver *dv = &w->drv[d];
    const mkt_driver_base *db = &w->base.drv[d];
    o->online = 0;
    for (int st = 0; st < D_NSTATES; st++) {
        o->t_state[st] = dv->t_state[st] - db->t_state[st];
        if (st != D_OFF) o->online += o->t_state[st];
    }
    o->metres = dv->metres - db->metres;
    o->trips = dv->trips - db->trips;
    o->trip_pay = dv->trip_pay - db->trip_pay;
    o->income = plat_driver_income(w->p, d) - db->income;
    o->dividends = plat_driver_dividends(w->p, d) - db->dividends;
    o->topups = plat_driver_topups(w->p, d) - db->topups;
    o->floor_owed = plat_driver_floor_owed(w->p, d) - db->floor_owed;
    const coop_drivers *dc = &w->sc->drivers;
    o->cost = (int64_t)llround((double)dc->cost_per_km * o->metres / 1000.0 +
                               (double)dc->cost_per_hour * (double)o->online / (double)SIM_HOUR);
}

/* The platform's books over the window: flows are end less snapshot (fixed costs by accrual,
 * so the window bears the fixed costs of its own time only); profit and extraction follow. */
static void window_totals(const mkt_world *w, plat_totals *t) {
    const plat_totals *b = &w->base.t;
    plat_get_totals(w->p, t);
    t->trips -= b->trips;
    t->gross_bookings -= b->gross_bookings;
    t->driver_pay -= b->driver_pay;
    t->revenue -= b->revenue;
    t->subsidies -= b->subsidies;
    t->rider_chain_fees -= b->rider_chain_fees;
    t->operating_costs -= b->operating_costs + w->base.fixed_accrued;
    for (int i = 0; i < PLAT_COST_N; i++)
        t->costs[i] -= b->costs[i] + w->base.accrued[i];
    t->interest -= b->interest;
    t->dividends -= b->dividends;
    t->pay_floor_owed -= b->pay_floor_owed;
    t->pay_floor_topups -= b->pay_floor_topups;
    t->standard_topups -= b->standard_topups;
    t->standard_trips -= b->standard_trips;
    t->entry_fees -= b->entry_fees;
    t->deposits_forfeited -= b->deposits_forfeited;
    t->capital_in -= b->capital_in;
    t->loans_drawn -= b->loans_drawn;
    t->principal_repaid -= b->principal_repaid;
    t->required_return -= b->required_return;
    t->periods -= b->periods;
    t->days -= b->days;
    plat_derive(w->p, t);
}

static json_t *riders_json(const mkt_world *w) {
    mkt_rider_stats r;
    mkt_rider_summary(w, &r);
    json_t *o = json_object();
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_REQUESTS), json_integer(r.requests));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_SERVED), json_integer(r.served));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_ABANDONED),
                        json_integer(r.abandoned));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_REFUSED_QUOTE),
                        json_integer(r.refused_quote));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_WAIT_MEAN_S), jreal(r.wait_mean_s));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_WAIT_P50_S), jreal(r.wait_p50_s));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_WAIT_P95_S), jreal(r.wait_p95_s));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_FARE_MEAN), jreal(r.fare_mean));
    json_object_set_new(o, sch_name(&schema_riders, SCH_RIDERS_WAITED_SHARE),
                        jreal(r.waited_share));
    return o;
}

/* Driver time spent between offers and setting off in the window: each assignment made in it
 * takes drivers.response_time, cut at the end of the run (queue mode: none). */
static sim_time response_time(const mkt_world *w) {
    return w->riders.response; /* summed as requests end (riders.c) */
}

static json_t *drivers_json(const mkt_world *w, const plat_totals *t) {
    size_t n = 0;
    double *nph = malloc((w->n_drv ? w->n_drv : 1) * sizeof *nph);
    double *net = malloc((w->n_drv ? w->n_drv : 1) * sizeof *net);
    sim_time online = 0, st[D_NSTATES] = {0};
    double income = 0, costs = 0;
    for (uint32_t d = 0; d < w->n_drv; d++) {
        mkt_driver_window dw;
        mkt_driver_window_of(w, d, &dw);
        if (dw.online <= 0) continue;
        online += dw.online;
        for (int s = 0; s < D_NSTATES; s++)
            st[s] += dw.t_state[s];
        double inc = (double)dw.income, c = (double)dw.cost;
        income += inc;
        costs += c;
        if (nph && net) {
            nph[n] = (inc - c) / 100.0 / ((double)dw.online / (double)SIM_HOUR);
            net[n] = (inc - c) / 100.0;
        }
        n++;
    }
    double hours = (double)online / (double)SIM_HOUR, on = (double)online;
    double q[3] = {NAN, NAN, NAN}, ps[3] = {0.1, 0.5, 0.9};
    if (n && nph) stats_quantiles(nph, n, ps, 3, q);
    json_t *o = json_object();
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_COUNT),
                        json_integer((json_int_t)n));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_ONLINE_HOURS), json_real(hours));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_UTILIZATION),
                        jreal((double)st[D_TRIP] / on));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_PICKUP_SHARE),
                        jreal((double)st[D_PICKUP] / on));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_RESPONSE_SHARE),
                        jreal((double)response_time(w) / on));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_IDLE_SHARE),
                        jreal((double)(st[D_IDLE] + st[D_REPOS]) / on));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_GROSS_PER_HOUR),
                        jreal(income / 100.0 / hours));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_NET_PER_HOUR),
                        jreal((income - costs) / 100.0 / hours));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_NET_PER_HOUR_P10), jreal(q[0]));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_NET_PER_HOUR_P50), jreal(q[1]));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_NET_PER_HOUR_P90), jreal(q[2]));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_INCOME_GINI),
                        jreal(n && net ? stats_gini(net, n) : NAN));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_DIVIDENDS), jmoney(t->dividends));
    /* Counted over the whole run (decisions, not flows of the window). */
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_SURGE_MOVES),
                        json_integer(w->surge_moves));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_SURGE_EARLY_STARTS),
                        json_integer(w->surge_early));
    json_object_set_new(o, sch_name(&schema_drivers, SCH_DRIVERS_SURGE_EXTENSIONS),
                        json_integer(w->surge_extended));
    free(nph);
    free(net);
    return o;
}

static json_t *platform_json(const plat_totals *t, int64_t reserve_change, bool coop) {
    json_t *o = json_object();
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_GROSS_BOOKINGS),
                        jmoney(t->gross_bookings));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_DRIVER_PAY), jmoney(t->driver_pay));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_REVENUE), jmoney(t->revenue));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_SUBSIDIES), jmoney(t->subsidies));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_OPERATING_COSTS),
                        jmoney(t->operating_costs));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_CHAIN_FEES),
                        jmoney(t->costs[PLAT_COST_CHAIN_FEES]));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_INTEREST), jmoney(t->interest));
    /* The same quantity, named for whom it belongs to: a co-op's members or investors. */
    json_object_set_new(o, sch_name(&schema_platform, coop ? SCH_PLAT_SURPLUS : SCH_PLAT_PROFIT),
                        jmoney(t->profit));
    /* The reserve's change is the window's flow (the report reads it as the share of bookings
     * kept); the balance at the end is reported beside it. */
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_RESERVE), jmoney(reserve_change));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_RESERVE_END), jmoney(t->reserve));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_EXTRACTION), jmoney(t->extraction));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_PAY_FLOOR_OWED),
                        jmoney(t->pay_floor_owed));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_PAY_FLOOR_TOPUPS),
                        jmoney(t->pay_floor_topups));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_ENTRY_FEES), jmoney(t->entry_fees));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_STANDARD_TOPUPS),
                        jmoney(t->standard_topups));
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_STANDARD_TRIPS),
                        json_integer(t->standard_trips));
    /* Everything drivers received from the platform counts as pay: trip pay, dividends and
     * pay-floor top-ups. */
    double paid = (double)(t->driver_pay + t->dividends + t->pay_floor_topups);
    json_object_set_new(o, sch_name(&schema_platform, SCH_PLAT_TAKE_RATE),
                        jreal(t->gross_bookings ? 1.0 - paid / (double)t->gross_bookings : NAN));
    return o;
}

static int64_t absdiff(int64_t a, int64_t b) {
    return a > b ? a - b : b - a;
}

/* What queueing theory says for this world, when it is an M/M/c queue: queue mode,
 * exponential service, a flat Poisson demand, riders who accept every quote and never leave,
 * every driver online all the time and none declining (docs/model.md, queue mode). NULL when
 * the world is anything else, or the queue is unstable. */
static json_t *theory_json(const mkt_world *w) {
    const coop_scenario *sc = w->sc;
    if (sc->market.mode != COOP_MODE_QUEUE || sc->market.service != COOP_DIST_EXPONENTIAL ||
        coop_demand_kind(&sc->demand) != COOP_DEMAND_GENERATED || sc->demand.profile.n > 0 ||
        sc->riders.patience != COOP_DIST_INFINITE || sc->riders.price_sensitive ||
        sc->drivers.participation || sc->drivers.decline > 0 || sc->drivers.count <= 0 ||
        sc->market.service_mean <= 0)
        return NULL;
    unsigned c = (unsigned)sc->drivers.count;
    double mu = (double)SIM_SEC / (double)sc->market.service_mean, lambda = sc->demand.rate;
    double a = lambda / mu;
    if (!(a < (double)c)) return NULL;
    json_t *o = json_object();
    json_object_set_new(o, sch_name(&schema_theory, SCH_THEORY_MODEL),
                        json_string("M/M/c (Erlang C)"));
    json_object_set_new(o, sch_name(&schema_theory, SCH_THEORY_SERVERS), json_integer(c));
    json_object_set_new(o, sch_name(&schema_theory, SCH_THEORY_OFFERED_LOAD_ERLANGS), jreal(a));
    json_object_set_new(o, sch_name(&schema_theory, SCH_THEORY_UTILIZATION), jreal(a / (double)c));
    json_object_set_new(o, sch_name(&schema_theory, SCH_THEORY_WAITED_SHARE),
                        jreal(stats_erlang_c(c, a)));
    json_object_set_new(o, sch_name(&schema_theory, SCH_THEORY_WAIT_MEAN_S),
                        jreal(stats_erlang_c_mean_wait(c, a, mu)));
    return o;
}

json_t *mkt_summary_json(const mkt_world *w) {
    plat_totals t;
    window_totals(w, &t);
    mkt_money m;
    mkt_money_sums(w, &m);
    /* The market's own trip-by-trip sums against the platform's books, in both identities,
     * both taken over the same window (a trip counts when it is paid, at drop-off). */
    int64_t err = absdiff(m.rider_payments, t.gross_bookings) +
                  absdiff(m.rider_payments, t.driver_pay + t.revenue - t.subsidies) +
                  absdiff(m.driver_pay, t.driver_pay) + absdiff(m.revenue, t.revenue) +
                  absdiff(m.subsidies, t.subsidies) +
                  absdiff(m.rider_chain_fees, t.rider_chain_fees);
    const plat_totals *b = &w->base.t;
    int64_t reserve_change = t.reserve - b->reserve;
    /* What came in over the window, net of the costs charged in it (daily costs in arrears). */
    int64_t charged = t.operating_costs + w->base.fixed_accrued;
    int64_t in = t.revenue - t.subsidies - charged - t.costs[PLAT_COST_CHAIN_FEES] - t.interest +
                 t.entry_fees + t.deposits_forfeited;
    if (w->pc->kind == PLAT_COOPERATIVE) {
        /* A co-op's: it went to the reserve, to members, or is still in the open period. */
        int64_t out = reserve_change + t.dividends + t.pay_floor_topups +
                      (t.undistributed - b->undistributed);
        err += absdiff(in, out);
    }
    /* Both kinds: the bank balance moved by that, capital, loans and payouts; the debt by the
     * loans less repayments; and the platform's own accounts add up, every day. */
    err += absdiff(t.cash - b->cash, in + t.capital_in + t.loans_drawn - t.principal_repaid -
                                         t.dividends - t.pay_floor_topups);
    err += absdiff(t.debt - b->debt, t.loans_drawn - t.principal_repaid);
    err += plat_conservation_error(w->p);
    json_t *o = json_object();
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_NAME),
                        json_string(w->pc->name ? w->pc->name : ""));
    json_object_set_new(
        o, sch_name(&schema_platform_entry, SCH_PF_KIND),
        json_string(w->pc->kind == PLAT_COOPERATIVE ? "cooperative" : "centralized"));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_RIDERS), riders_json(w));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_DRIVERS), drivers_json(w, &t));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_PLATFORM),
                        platform_json(&t, reserve_change, w->pc->kind == PLAT_COOPERATIVE));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_FINANCE),
                        mkt_finance_json(w, &t));
    json_t *c = json_object();
    json_object_set_new(c, sch_name(&schema_checks, SCH_CHECKS_MONEY_CONSERVATION_ERROR),
                        jmoney(err));
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)w->hash);
    json_object_set_new(c, sch_name(&schema_checks, SCH_CHECKS_REQUEST_STREAM_HASH),
                        json_string(hex));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_CHECKS), c);
    json_t *long_run = mkt_long_run_json(w);
    if (long_run)
        json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_LONG_RUN), long_run);
    json_t *theory = theory_json(w);
    if (theory) json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_THEORY), theory);
    json_t *settlement = mkt_settle_json(w);
    if (settlement) {
        /* The chain's own metrics sit beside the market's, as "chain" of the platform. */
        json_t *chain = json_incref(
            json_object_get(settlement, sch_name(&schema_platform_entry, SCH_PF_CHAIN)));
        json_object_del(settlement, sch_name(&schema_platform_entry, SCH_PF_CHAIN));
        json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_SETTLEMENT), settlement);
        if (chain) json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_CHAIN), chain);
    }
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_WELFARE),
                        mkt_welfare_json(w, &t));
    json_t *pv = mkt_pay_values_json(w);
    if (pv) json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_PAY_VALUE), pv);
    json_t *offers = mkt_offers_json(w);
    if (offers) json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_OFFERS), offers);
    return o;
}
