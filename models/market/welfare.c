/* Welfare: riders' surplus (willingness to pay less price less the cost of waiting, and the
 * cost of the wait of riders who gave up), drivers' surplus above their outside option, and what
 * the platform keeps; in whole cents, so the parts add up to the total exactly
 * (docs/model.md, "Welfare"). */
#include "models/market/world.h"
#include "models/schema/schema.h"

#include <math.h>

/* The cost of waiting `waited` at the scenario's value of time, rounded to the cent. */
static int64_t wait_cost(const mkt_world *w, sim_time waited) {
    double h = (double)waited / (double)SIM_HOUR;
    return (int64_t)llround((double)w->sc->riders.value_of_time * h);
}

void mkt_welfare_trip(mkt_world *w, const mkt_request *r) {
    w->welfare.wtp += r->wtp;
    w->welfare.paid += r->q.rider_price;
    w->welfare.wait_cost_served += wait_cost(w, r->t_pickup - r->t_req);
}

void mkt_welfare_abandoned(mkt_world *w, const mkt_request *r, sim_time now) {
    w->welfare.wait_cost_abandoned += wait_cost(w, now - r->t_req);
}

static json_t *jmoney(int64_t cents) {
    return json_real((double)cents / 100.0);
}

static json_t *jper(int64_t cents, double n) {
    return n > 0 ? json_real((double)cents / 100.0 / n) : json_null();
}

static void set(json_t *o, int k, json_t *v) {
    json_object_set_new(o, sch_name(&schema_welfare, k), v);
}

int64_t mkt_welfare_riders(const mkt_world *w) {
    const mkt_welfare_acc *a = &w->welfare, *b = &w->base.welfare;
    /* On a chain riders also pay their payments' fees, to the validators (docs/chain.md). */
    mkt_money m;
    mkt_money_sums(w, &m);
    return a->wtp - b->wtp - (a->paid - b->paid) - m.rider_chain_fees -
           (a->wait_cost_served - b->wait_cost_served) -
           (a->wait_cost_abandoned - b->wait_cost_abandoned);
}

json_t *mkt_welfare_json(const mkt_world *w, const plat_totals *t) {
    const mkt_welfare_acc *a = &w->welfare, *b = &w->base.welfare;
    int64_t wtp = a->wtp - b->wtp, paid = a->paid - b->paid;
    int64_t wait_served = a->wait_cost_served - b->wait_cost_served;
    int64_t wait_abandoned = a->wait_cost_abandoned - b->wait_cost_abandoned;
    mkt_money m;
    mkt_money_sums(w, &m);
    int64_t fees = m.rider_chain_fees;
    int64_t riders = mkt_welfare_riders(w);
    /* Drivers one by one, offline ones too: a dividend can reach a driver who did not drive. */
    int64_t income = 0, vehicle = 0, outside = 0, online_drivers = 0;
    sim_time online = 0;
    for (uint32_t d = 0; d < w->n_drv; d++) {
        mkt_driver_window dw;
        mkt_driver_window_of(w, d, &dw);
        income += dw.income;
        vehicle += dw.cost;
        double h = (double)dw.online / (double)SIM_HOUR;
        outside += (int64_t)llround((double)w->drv[d].reservation * h);
        online += dw.online;
        online_drivers += dw.online > 0;
    }
    int64_t drivers = income - vehicle - outside;
    int64_t costs = t->operating_costs + t->costs[PLAT_COST_CHAIN_FEES] + t->interest;
    int64_t platform =
        t->revenue - t->subsidies - costs - t->dividends - t->pay_floor_topups + t->entry_fees;
    mkt_rider_stats rs;
    mkt_rider_summary(w, &rs);
    double requests = (double)rs.requests;
    json_t *o = json_object();
    set(o, SCH_WEL_RIDER_SURPLUS, jmoney(riders));
    set(o, SCH_WEL_RIDER_SURPLUS_PER_REQUEST, jper(riders, requests));
    set(o, SCH_WEL_RIDER_WTP, jmoney(wtp));
    set(o, SCH_WEL_RIDER_PAID, jmoney(paid));
    set(o, SCH_WEL_RIDER_CHAIN_FEES, jmoney(fees));
    set(o, SCH_WEL_RIDER_WAIT_COST, jmoney(wait_served + wait_abandoned));
    set(o, SCH_WEL_RIDER_WAIT_COST_ABANDONED, jmoney(wait_abandoned));
    set(o, SCH_WEL_DRIVER_SURPLUS, jmoney(drivers));
    set(o, SCH_WEL_DRIVER_SURPLUS_PER_DRIVER, jper(drivers, (double)online_drivers));
    set(o, SCH_WEL_DRIVER_SURPLUS_PER_HOUR, jper(drivers, (double)online / (double)SIM_HOUR));
    set(o, SCH_WEL_DRIVER_INCOME, jmoney(income));
    set(o, SCH_WEL_DRIVER_VEHICLE_COSTS, jmoney(vehicle));
    set(o, SCH_WEL_DRIVER_OUTSIDE_OPTION, jmoney(outside));
    set(o, SCH_WEL_PLATFORM_SURPLUS, jmoney(platform));
    set(o, SCH_WEL_PLATFORM_COSTS, jmoney(costs));
    set(o, SCH_WEL_TOTAL, jmoney(riders + drivers + platform));
    set(o, SCH_WEL_TOTAL_PER_REQUEST, jper(riders + drivers + platform, requests));
    return o;
}
