/* What the market's keys cannot say alone: hourly profiles of 24 values (or none), weights in
 * [0, MKT_PROFILE_MAX] and not all zero, per-day demand multipliers in that range too, speed
 * multipliers that keep the speed within city.speed's own range, hotspot weights that are not all
 * zero, free entry in a city with a fleet drawn from the pool. Reported where the scenario wrote
 * them. */
#include "models/market/market.h"
#include "models/market/tripfile.h"

#include <stdio.h>

/* Multipliers of a rate (hourly weights, per-day demand): each in [0, MKT_PROFILE_MAX]. */
static sim_status multipliers(const sc_reals *r, const char *what, const sc_where *w,
                              const char *section, const char *key, char *err, size_t errlen) {
    for (size_t i = 0; i < r->n; i++) {
        char k[64];
        snprintf(k, sizeof k, "%s[%zu]", key, i);
        if (!(r->v[i] >= 0 && r->v[i] <= MKT_PROFILE_MAX))
            return sc_fail_at(w, section, k, err, errlen, "%g is not %s (0 to %g)", r->v[i], what,
                              MKT_PROFILE_MAX);
    }
    return SIM_OK;
}

/* An hourly profile: none (flat), or 24 values, of which at least one positive when `weights`. */
static sim_status hourly(const sc_reals *r, bool weights, const sc_where *w, const char *section,
                         const char *key, char *err, size_t errlen) {
    if (r->n != 0 && r->n != 24)
        return sc_fail_at(w, section, key, err, errlen,
                          "has %zu values; it needs 24 (one per hour) or none", r->n);
    sim_status rc;
    if (weights && (rc = multipliers(r, "an hourly weight", w, section, key, err, errlen)))
        return rc;
    double sum = 0;
    for (size_t h = 0; weights && h < r->n; h++)
        sum += r->v[h];
    if (weights && r->n == 24 && !(sum > 0))
        return sc_fail_at(w, section, key, err, errlen,
                          "all 24 values are 0; at least one hour needs a positive value");
    return SIM_OK;
}

/* speed x multiplier must stay within city.speed's 1-200 km/h (a little slack for rounding) */
static sim_status speed_profile(const coop_city *c, const sc_where *w, char *err, size_t errlen) {
    const double lo = (1.0 / 3.6) / c->speed, hi = (200.0 / 3.6) / c->speed;
    for (size_t h = 0; h < c->speed_profile.n; h++) {
        double m = c->speed_profile.v[h];
        char k[64];
        snprintf(k, sizeof k, "speed_profile[%zu]", h);
        if (!(m >= lo * (1 - 1e-9) && m <= hi * (1 + 1e-9)))
            return sc_fail_at(w, "city", k, err, errlen,
                              "multiplier %g takes the speed outside city.speed's range of 1-200 "
                              "km/h (with city.speed %g km/h: %.4g to %.4g)",
                              m, c->speed * 3.6, lo, hi);
    }
    return SIM_OK;
}

/* A shared market (market.platforms: shared): spatial, strategies only where they mean
 * something. */
static sim_status mkt_shared_check(const coop_scenario *sc, const sc_where *w, char *err,
                                   size_t errlen) {
    if (sc->market.platforms != COOP_PLATFORMS_SHARED) return SIM_OK;
    if (sc->market.mode != COOP_MODE_SPATIAL)
        return sc_fail_at(w, "market", "platforms", err, errlen,
                          "shared needs market.mode: spatial (riders compare the apps' pickup "
                          "times); use separate");
    for (size_t i = 0; i < sc->platforms.n; i++) {
        const coop_platform *pe = (const coop_platform *)sc->platforms.items + i;
        char at[64];
        snprintf(at, sizeof at, "platforms[%zu].market", i);
        bool strategy = pe->market.fight_above < 1.0 || pe->market.raise_below > 0;
        if (strategy && pe->rules.kind != PLAT_CENTRALIZED)
            return sc_fail_at(w, at, pe->market.fight_above < 1.0 ? "fight_above" : "raise_below",
                              err, errlen,
                              "a co-op has no growth phase to fight with or take to raise "
                              "(centralized only); leave it out");
        if (strategy && pe->rules.growth_until > 0)
            return sc_fail_at(w, at, pe->market.fight_above < 1.0 ? "fight_above" : "raise_below",
                              err, errlen,
                              "the strategy decides when the growth phase applies; leave out "
                              "growth.until (or the strategy)");
    }
    return SIM_OK;
}

/* The offer rules choose among a multi-homer's apps: they need several apps in one city. */
static sim_status offer_rule_check(const coop_scenario *sc, const sc_where *w, char *err,
                                   size_t errlen) {
    if (sc->drivers.offer_rule == COOP_OFFER_FIRST) return SIM_OK;
    if (sc->market.platforms != COOP_PLATFORMS_SHARED || !sc->drivers.multihoming)
        return sc_fail_at(w, "drivers", "offer_rule", err, errlen,
                          "best_net and priority choose among the apps a driver is online on at "
                          "once: they need market.platforms: shared and drivers.multihoming: "
                          "true; use first");
    return SIM_OK;
}

sim_status mkt_config_check(const coop_scenario *sc, const sc_where *w, char *err, size_t errlen) {
    sim_status rc;
    if ((rc = hourly(&sc->city.speed_profile, false, w, "city", "speed_profile", err, errlen)) ||
        (rc = speed_profile(&sc->city, w, err, errlen)))
        return rc;
    if ((rc = hourly(&sc->demand.profile, true, w, "demand", "profile", err, errlen)) ||
        (rc = hourly(&sc->drivers.shift_start_profile, true, w, "drivers", "shift_start_profile",
                     err, errlen)) ||
        (rc = multipliers(&sc->demand.days, "a multiplier of the day's demand", w, "demand", "days",
                          err, errlen)))
        return rc;
    const coop_hotspot *hs = sc->demand.hotspots.items;
    double tot = 0;
    for (size_t i = 0; i < sc->demand.hotspots.n; i++)
        tot += hs[i].weight;
    if (sc->demand.hotspots.n > 0 && !(tot > 0))
        return sc_fail_at(w, "demand", "hotspots", err, errlen,
                          "the weights add up to 0; give at least one hotspot a positive weight");
    /* A proof-of-work attack can undo blocks that are already final; riders' payments in them
     * would be gone from the chain while the market counts them paid (not modelled). */
    coop_demand_source src = coop_demand_kind(&sc->demand);
    bool riders = src == COOP_DEMAND_FILE || (src == COOP_DEMAND_GENERATED && sc->demand.rate > 0);
    for (size_t i = 0; i < sc->platforms.n && riders; i++) {
        const ledger_config *lc = &((const coop_platform *)sc->platforms.items)[i].ledger;
        if (lc->kind != LEDGER_CHAIN || (lc->adv_attack != LEDGER_ATTACK_DOUBLE_SPEND &&
                                         lc->adv_attack != LEDGER_ATTACK_SELFISH))
            continue;
        char at[64];
        snprintf(at, sizeof at, "platforms[%zu].ledger", i);
        return sc_fail_at(w, at, "adversary.attack", err, errlen,
                          "double-spend and selfish-mining run on a chain without riders "
                          "(demand.rate: 0/s) or with demand.source: none: undoing final "
                          "blocks would drop riders' final payments from the chain, which is not "
                          "modelled");
    }
    if ((rc = mkt_demand_source_check(sc, w, err, errlen)) != SIM_OK) return rc;
    if (sc->market.dispatch == COOP_DISPATCH_OPTIMAL &&
        (sc->market.batch_interval == 0 || sc->market.mode != COOP_MODE_SPATIAL))
        return sc_fail_at(w, "market", "dispatch", err, errlen,
                          "optimal solves each batch of the spatial market: set "
                          "market.batch_interval above 0s (e.g. 30s) and market.mode: spatial, or "
                          "use nearest or fifo");
    if (sc->market.dispatch == COOP_DISPATCH_FIFO && sc->market.mode != COOP_MODE_SPATIAL)
        return sc_fail_at(w, "market", "dispatch", err, errlen,
                          "fifo applies to the spatial market (the queue mode serves riders in "
                          "order already); use nearest");
    if (sc->riders.wait_estimate == COOP_WAIT_ETA && sc->market.mode != COOP_MODE_SPATIAL)
        return sc_fail_at(w, "riders", "wait_estimate", err, errlen,
                          "eta needs market.mode: spatial (a queue has no drivers near the rider "
                          "to estimate it from); use average");
    const coop_drivers *dc = &sc->drivers;
    if (dc->supply == COOP_SUPPLY_FREE_ENTRY && sc->market.mode != COOP_MODE_SPATIAL)
        return sc_fail_at(w, "drivers", "supply", err, errlen,
                          "free_entry needs market.mode: spatial (the queue mode's c servers are "
                          "always online); use fixed");
    if (dc->supply == COOP_SUPPLY_FREE_ENTRY && dc->initial_active > dc->count)
        return sc_fail_at(w, "drivers", "initial_active", err, errlen,
                          "%lld exceeds drivers.count (%lld): the fleet on day one comes from the "
                          "pool",
                          (long long)dc->initial_active, (long long)dc->count);
    if ((rc = offer_rule_check(sc, w, err, errlen)) != SIM_OK) return rc;
    return mkt_shared_check(sc, w, err, errlen);
}
