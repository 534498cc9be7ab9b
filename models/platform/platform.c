/* Platform rules, per trip: fare formula, surge by zone imbalance, commission, upfront pricing,
 * growth-phase subsidies; the accounts and the conservation check. */
#include "models/platform/platform_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int64_t plat_muldiv(int64_t a, int64_t b, int64_t c) {
    if (a <= 0 || b <= 0 || c <= 0) return 0;
    return (int64_t)((plat_u128)a * (plat_u128)b / (plat_u128)c);
}

int64_t plat_apply_ppm(int64_t amount, int64_t ppm) {
    if (amount <= 0 || ppm <= 0) return 0;
    return (int64_t)(((plat_u128)amount * (plat_u128)ppm + PLAT_PPM / 2) / PLAT_PPM);
}

static int64_t share_ppm(double share) {
    if (!(share > 0.0)) return 0;
    if (share >= 1.0) return PLAT_PPM;
    return (int64_t)llround(share * PLAT_PPM);
}

/* The defaults a scenario's platform entry gets, from the same key table (platform_keys.c):
 * code and scenarios cannot drift apart. The table's own test checks that every default loads. */
void plat_config_defaults(plat_config *cfg, plat_kind kind) {
    char err[256];
    memset(cfg, 0, sizeof *cfg);
    (void)sc_defaults(plat_keys, "", cfg, err, sizeof err);
    cfg->kind = (int)kind;
}

/* A rule of one kind set on a platform of the other would be ignored without a word: refuse it.
 * "Set" means changed from its default (a scenario cannot write the default on purpose to any
 * effect either). */
sim_status plat_config_check(const plat_config *cfg, const sc_where *w, const char *at, char *err,
                             size_t errlen) {
    plat_config def;
    plat_config_defaults(&def, (plat_kind)cfg->kind);
    if (cfg->kind == PLAT_COOPERATIVE) {
        if (cfg->upfront)
            return sc_fail_at(w, at, "upfront_pricing", err, errlen,
                              "applies to centralized platforms only (this one is cooperative; "
                              "remove the key)");
        if (cfg->growth_until > 0)
            return sc_fail_at(w, at, "growth.until", err, errlen,
                              "applies to centralized platforms only (this one is cooperative; "
                              "remove the growth section)");
        return SIM_OK;
    }
    const char *key = cfg->reserve_share != def.reserve_share             ? "coop.reserve_share"
                      : cfg->dividend_basis != def.dividend_basis         ? "coop.dividend_basis"
                      : cfg->pay_floor_per_hour != def.pay_floor_per_hour ? "coop.pay_floor"
                      : cfg->pay_floor_index != def.pay_floor_index       ? "coop.pay_floor_index"
                      : cfg->entry_fee != def.entry_fee                   ? "coop.entry_fee"
                      : cfg->membership_cap != def.membership_cap         ? "coop.membership_cap"
                                                                          : NULL;
    if (key)
        return sc_fail_at(w, at, key, err, errlen,
                          "applies to cooperatives only (this platform is centralized; remove "
                          "the key, or set kind: cooperative)");
    return SIM_OK;
}

void plat_set_rules(plat *p, const plat_config *cfg) {
    char *name = p->name;
    int kind = p->cfg.kind;
    p->cfg = *cfg;
    p->cfg.name = name;
    p->cfg.kind = kind;
    p->commission_ppm = share_ppm(cfg->commission);
    p->growth_commission_ppm = share_ppm(cfg->growth_commission);
    p->growth_subsidy_ppm = share_ppm(cfg->growth_subsidy);
    p->reserve_share_ppm = share_ppm(cfg->reserve_share);
    p->payment_ppm = share_ppm(cfg->payment_share);
    p->outside_ppm = share_ppm(cfg->outside_validators);
    p->required_ppm = share_ppm(cfg->required_return);
    p->loan_ppm = share_ppm(cfg->loan_rate);
    p->credit_ppm = share_ppm(cfg->credit_rate);
    p->note_ppm = share_ppm(cfg->note_share);
    double step = cfg->surge_step > 0.0 ? cfg->surge_step : 0.1;
    p->surge_step_milli = (int32_t)llround(fmin(step, 100.0) * 1000.0);
    if (p->surge_step_milli < 1) p->surge_step_milli = 1;
    double cap = cfg->surge_cap >= 1.0 ? fmin(cfg->surge_cap, 100.0) : 1.0;
    p->surge_cap_milli = (int32_t)llround(cap * 1000.0);
    if (!cfg->surge)
        for (size_t z = 0; z < p->n_zones; z++)
            p->surge_milli[z] = 1000;
}

void plat_apply_change(plat *p, const plat_change *c) {
    plat_config cfg = p->cfg;
    if (c->base_fare != SC_UNSET_INT) cfg.base_fare = c->base_fare;
    if (c->per_km != SC_UNSET_INT) cfg.per_km = c->per_km;
    if (c->per_min != SC_UNSET_INT) cfg.per_min = c->per_min;
    if (c->min_fare != SC_UNSET_INT) cfg.min_fare = c->min_fare;
    if (c->pay_floor_per_hour != SC_UNSET_INT) cfg.pay_floor_per_hour = c->pay_floor_per_hour;
    if (!isnan(c->commission)) cfg.commission = c->commission;
    plat_set_rules(p, &cfg);
}

const plat_config *plat_get_config(const plat *p) {
    return &p->cfg;
}

plat *plat_new(const plat_config *cfg, size_t n_drivers, size_t n_zones) {
    if (n_zones == 0) n_zones = 1;
    plat *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n_drivers = n_drivers;
    p->n_zones = n_zones;
    p->drivers = calloc(n_drivers ? n_drivers : 1, sizeof *p->drivers);
    p->surge_milli = malloc(n_zones * sizeof *p->surge_milli);
    if (cfg->name) {
        p->name = malloc(strlen(cfg->name) + 1);
        if (p->name) strcpy(p->name, cfg->name);
    }
    if (!p->drivers || !p->surge_milli || (cfg->name && !p->name)) {
        plat_free(p);
        return NULL;
    }
    for (size_t z = 0; z < n_zones; z++)
        p->surge_milli[z] = 1000;
    p->cfg.kind = cfg->kind;
    plat_set_rules(p, cfg);
    plat_open_books(p);
    return p;
}

void plat_free(plat *p) {
    if (!p) return;
    free(p->drivers);
    free(p->surge_milli);
    free(p->name);
    free(p->days);
    free(p);
}

/* Multiplier for one zone, in thousandths: 1 + sensitivity * (requests - idle) / max(idle, 1)
 * when requests exceed idle drivers, rounded down to whole steps (riders see 1.3x, never a
 * price the formula did not reach), then capped (a cap between steps is reachable). */
static int32_t surge_for(const plat *p, uint32_t requests, uint32_t idle) {
    if (requests <= idle) return 1000;
    double excess = ((double)requests - (double)idle) / (idle > 0 ? (double)idle : 1.0);
    double extra_milli = p->cfg.surge_sensitivity * excess * 1000.0;
    if (!(extra_milli < 1e9)) extra_milli = 1e9; /* far above any cap; also catches NaN */
    if (extra_milli < 0.0) extra_milli = 0.0;
    /* The small epsilon keeps 0.3/0.1 from flooring to 2 steps through binary rounding. */
    int64_t steps = (int64_t)floor(extra_milli / p->surge_step_milli + 1e-9);
    int64_t m = 1000 + steps * p->surge_step_milli;
    return (int32_t)(m < p->surge_cap_milli ? m : p->surge_cap_milli);
}

void plat_update_surge(plat *p, sim_time now, const uint32_t *open_requests,
                       const uint32_t *idle_drivers) {
    (void)now;
    for (size_t z = 0; z < p->n_zones; z++)
        p->surge_milli[z] = p->cfg.surge ? surge_for(p, open_requests[z], idle_drivers[z]) : 1000;
}

double plat_surge(const plat *p, size_t zone) {
    return zone < p->n_zones ? p->surge_milli[zone] / 1000.0 : 1.0;
}

/* max(minimum, base + round(per_km * km) + round(per_min * minutes)), each part rounded
 * half up to the cent. */
static int64_t fare_of(const plat_config *c, double distance_m, sim_time duration) {
    if (!(distance_m > 0.0)) distance_m = 0.0;
    if (duration < 0) duration = 0;
    int64_t dist_part = (int64_t)llround((double)c->per_km * distance_m / 1000.0);
    int64_t minutes = duration / SIM_MIN, rest = duration % SIM_MIN;
    int64_t time_part = c->per_min * minutes + (c->per_min * rest + SIM_MIN / 2) / SIM_MIN;
    int64_t fare = c->base_fare + dist_part + time_part;
    return fare > c->min_fare ? fare : c->min_fare;
}

static bool in_growth(const plat *p, sim_time now) {
    return p->cfg.kind == PLAT_CENTRALIZED && now < p->cfg.growth_until;
}

plat_quote plat_quote_trip(const plat *p, sim_time now, size_t zone, double distance_m,
                           sim_time duration) {
    int64_t fare = fare_of(&p->cfg, distance_m, duration);
    int32_t milli = zone < p->n_zones ? p->surge_milli[zone] : 1000;
    int64_t surged = (fare * milli + 500) / 1000;
    bool growth = in_growth(p, now);
    int64_t ppm = growth ? p->growth_commission_ppm : p->commission_ppm;
    /* Upfront pricing (centralized only): the driver's pay is figured on the unsurged fare,
     * the rider pays the surged one; the margin stays with the platform. */
    bool upfront = p->cfg.kind == PLAT_CENTRALIZED && p->cfg.upfront;
    int64_t pay_basis = upfront ? fare : surged;
    plat_quote q;
    q.surge = milli / 1000.0;
    q.driver_pay = pay_basis - plat_apply_ppm(pay_basis, ppm);
    q.subsidy = growth ? plat_apply_ppm(surged, p->growth_subsidy_ppm) : 0;
    q.rider_price = surged - q.subsidy;
    q.revenue = surged - q.driver_pay; /* so rider_price + subsidy = driver_pay + revenue */
    q.metres = distance_m > 0.0 && distance_m < 1e12 ? (int64_t)llround(distance_m) : 0;
    q.duration = duration > 0 ? duration : 0;
    return q;
}

int64_t plat_record_trip(plat *p, uint32_t driver, const plat_quote *q) {
    int64_t gap = q->rider_price + q->subsidy - q->driver_pay - q->revenue;
    p->split_mismatch += gap < 0 ? -gap : gap;
    p->t.trips++;
    p->t.gross_bookings += q->rider_price;
    p->t.driver_pay += q->driver_pay;
    p->t.revenue += q->revenue;
    p->t.subsidies += q->subsidy;
    p->cash += q->revenue - q->subsidy;
    if (p->cfg.kind == PLAT_COOPERATIVE) p->pending += q->revenue - q->subsidy;
    plat_pay_cost(p, PLAT_COST_SUPPORT, p->cfg.cost_per_trip);
    plat_pay_cost(p, PLAT_COST_PAYMENT,
                  plat_apply_ppm(q->rider_price, p->payment_ppm) + p->cfg.payment_per_trip);
    plat_pay_cost(p, PLAT_COST_INSURANCE,
                  (int64_t)((q->metres * p->cfg.insurance_per_km + 500) / 1000));
    if (driver < p->n_drivers) {
        plat_driver *d = &p->drivers[driver];
        d->trips++;
        d->trip_pay += q->driver_pay;
        d->period_trips++;
        d->period_pay += q->driver_pay;
        d->period_revenue += q->revenue;
        d->period_passenger += q->duration;
    }
    p->passenger_total += q->duration;
    return plat_pay_standard_topup(p, driver, q);
}

void plat_record_online(plat *p, uint32_t driver, sim_time online) {
    if (driver >= p->n_drivers || online <= 0 || p->failed) return;
    p->drivers[driver].period_online += online;
    p->online_total += online;
    /* per hour, to the cent, the sub-cent part carried to the next report */
    int64_t per_h = p->cfg.insurance_per_hour;
    if (per_h <= 0) return;
    plat_u128 f = (plat_u128)per_h * (plat_u128)(online % SIM_HOUR) + (plat_u128)p->insurance_frac;
    p->insurance_frac = (int64_t)(f % SIM_HOUR);
    plat_pay_cost(p, PLAT_COST_INSURANCE, per_h * (online / SIM_HOUR) + (int64_t)(f / SIM_HOUR));
}

void plat_record_chain_fee(plat *p, int64_t fee) {
    plat_pay_cost(p, PLAT_COST_CHAIN_FEES, fee);
}

void plat_record_marketing(plat *p, int64_t cents) {
    if (!p->failed) plat_pay_cost(p, PLAT_COST_ACQUISITION, cents);
}

void plat_record_rider_chain_fee(plat *p, int64_t fee) {
    if (fee > 0) p->t.rider_chain_fees += fee;
}

void plat_derive(const plat *p, plat_totals *t) {
    t->profit = t->revenue - t->subsidies - t->operating_costs - t->costs[PLAT_COST_CHAIN_FEES] -
                t->interest;
    /* One definition for both kinds: what leaves the community beyond the cost of the service.
     * A co-op's surplus is its members' (dividends, top-ups, their reserve); a centralized
     * platform's belongs to its investors, and what exceeds their stated return leaves. */
    t->outside_fees =
        plat_apply_ppm(t->costs[PLAT_COST_CHAIN_FEES] + t->rider_chain_fees, p->outside_ppm);
    t->owners_excess = p->cfg.kind == PLAT_COOPERATIVE ? 0 : t->profit - t->required_return;
    t->extraction = t->outside_fees + t->owners_excess;
}

void plat_get_totals(const plat *p, plat_totals *t) {
    *t = p->t;
    plat_derive(p, t);
    t->reserve = p->reserve;
    t->undistributed = p->pending;
    t->cash = p->cash;
    t->debt = p->loan_left + p->note_left;
}

int64_t plat_driver_income(const plat *p, uint32_t driver) {
    if (driver >= p->n_drivers) return 0;
    const plat_driver *d = &p->drivers[driver];
    return d->trip_pay + d->dividends + d->topups - d->entry_fee - d->forfeited;
}

int64_t plat_driver_dividends(const plat *p, uint32_t driver) {
    return driver < p->n_drivers ? p->drivers[driver].dividends : 0;
}

int64_t plat_driver_topups(const plat *p, uint32_t driver) {
    return driver < p->n_drivers ? p->drivers[driver].topups : 0;
}

int64_t plat_driver_floor_owed(const plat *p, uint32_t driver) {
    return driver < p->n_drivers ? p->drivers[driver].floor_owed : 0;
}

static int64_t absdiff(int64_t a, int64_t b) {
    return a > b ? a - b : b - a;
}

int64_t plat_conservation_error(const plat *p) {
    const plat_totals *t = &p->t;
    int64_t err = p->split_mismatch;
    err += absdiff(t->gross_bookings + t->subsidies, t->driver_pay + t->revenue);
    int64_t pay = 0, div = 0, top = 0, owed = 0, fees = 0, members = 0, items = 0, lost = 0;
    for (size_t i = 0; i < p->n_drivers; i++) {
        pay += p->drivers[i].trip_pay;
        div += p->drivers[i].dividends;
        top += p->drivers[i].topups;
        owed += p->drivers[i].floor_owed;
        fees += p->drivers[i].entry_fee;
        lost += p->drivers[i].forfeited;
        members += p->drivers[i].admitted;
    }
    err += absdiff(pay, t->driver_pay) + absdiff(div, t->dividends) +
           absdiff(top, t->pay_floor_topups) + absdiff(owed, t->pay_floor_owed) +
           absdiff(fees, t->entry_fees) + absdiff(members, t->members) +
           (lost > t->deposits_forfeited ? lost - t->deposits_forfeited : 0);
    for (int i = 0; i < PLAT_COST_N; i++)
        if (i != PLAT_COST_CHAIN_FEES) items += t->costs[i];
    err += absdiff(items, t->operating_costs);
    /* The bank balance: everything that came in (capital, loans, commissions, entry fees) less
     * everything that went out (costs, interest, principal, dividends, top-ups). */
    int64_t net = t->revenue - t->subsidies - t->operating_costs - t->costs[PLAT_COST_CHAIN_FEES] -
                  t->interest;
    int64_t members_in = t->entry_fees + t->deposits_forfeited;
    err += absdiff(p->cash, t->capital_in + t->loans_drawn - t->principal_repaid + net +
                                members_in - t->dividends - t->pay_floor_topups);
    err += absdiff(p->loan_left + p->note_left, t->loans_drawn - t->principal_repaid);
    if (p->cfg.kind == PLAT_COOPERATIVE) {
        /* Every cent of surplus (and entry fees) went to the reserve, to members, or is still
         * in the open period. */
        err +=
            absdiff(net + members_in, p->reserve + t->dividends + t->pay_floor_topups + p->pending);
    } else {
        /* A centralized platform tops up to a pay standard only. */
        err += absdiff(p->reserve, 0) + absdiff(p->pending, 0) + absdiff(t->dividends, 0) +
               absdiff(t->pay_floor_topups, t->standard_topups) + absdiff(t->entry_fees, 0) +
               absdiff(t->deposits_forfeited, 0);
    }
    return err + plat_books_error(p);
}

double plat_sized_commission(const plat_config *cfg, double trips_per_day, int64_t mean_fare,
                             double margin) {
    if (!(trips_per_day > 0.0) || mean_fare <= 0) return NAN;
    double per_trip = (double)cfg->fixed_cost_per_day / trips_per_day + (double)cfg->cost_per_trip;
    double c = (1.0 + margin) * per_trip / (double)mean_fare;
    return c < 1.0 ? (c > 0.0 ? c : 0.0) : 1.0;
}
