/* A market world's life: build it from the scenario for one platform, run the engine over
 * the simulated period, close the books, free it. */
#include "models/market/world.h"
#include "models/schema/schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void mkt_free(mkt_world *w) {
    if (!w) return;
    mkt_demand_free(w);
    mkt_supply_free(w);
    if (w->r_decline) gsl_rng_free(w->r_decline);
    if (w->r_repos) gsl_rng_free(w->r_repos);
    if (w->r_surge_moves) gsl_rng_free(w->r_surge_moves);
    mkt_grid_free(w->waiting);
    mkt_grid_free(w->idle);
    mkt_gov_free(w);
    if (w->ledger) ledger_free(w->ledger);
    mkt_pay_values_free(w);
    mkt_settle_free(w);
    plat_free(w->p);
    if (w->own_engine) sim_free(w->s); /* a shared market's engine is the market's */
    mkt_riders_free(w);
    free(w->queue);
    free(w->set_aside);
    free(w->open_zone);
    free(w->balked_zone);
    free(w->surge_demand);
    free(w->idle_zone);
    free(w->drv);
    free(w->free_servers);
    free(w->hours);
    free(w->base.drv);
    free(w);
}

mkt_world *mkt_new(const coop_scenario *sc, size_t platform, uint64_t replication, char *err,
                   size_t errlen) {
    return mkt_new_on(sc, platform, replication, NULL, err, errlen);
}

mkt_world *mkt_new_on(const coop_scenario *sc, size_t platform, uint64_t replication, sim *s,
                      char *err, size_t errlen) {
    if (platform >= sc->platforms.n) {
        snprintf(err, errlen, "platform %zu does not exist (the scenario lists %zu)", platform,
                 sc->platforms.n);
        return NULL;
    }
    mkt_world *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->sc = sc;
    w->index = (uint32_t)platform;
    const coop_platform *pe = (const coop_platform *)sc->platforms.items + platform;
    w->pc = &pe->rules;
    w->lc = &pe->ledger;
    w->gc = &pe->governance;
    w->seed = (uint64_t)sc->simulation.seed;
    w->replication = replication;
    w->end = sc->simulation.duration;
    bool spatial = sc->market.mode == COOP_MODE_SPATIAL;
    mkt_city_init(w);
    if (!spatial) w->n_zones = 1;
    if (sc->city.speed_profile.n != 0 && sc->city.speed_profile.n != 24) {
        snprintf(err, errlen,
                 "city.speed_profile has %zu values; it needs 24 (one per hour) or none",
                 sc->city.speed_profile.n);
        goto fail;
    }
    if (mkt_demand_init(w, err, errlen) != 0) goto fail;
    if (mkt_drivers_init(w, err, errlen) != 0) goto fail;
    if (mkt_supply_init(w, err, errlen) != 0) goto fail;
    if (mkt_surge_response_init(w, err, errlen) != 0) goto fail;
    w->n_hours = (size_t)((w->end + SIM_HOUR - 1) / SIM_HOUR);
    w->hours = calloc(w->n_hours, sizeof *w->hours);
    w->base.drv = calloc(w->n_drv ? w->n_drv : 1, sizeof *w->base.drv);
    w->open_zone = calloc(w->n_zones, sizeof *w->open_zone);
    w->idle_zone = calloc(w->n_zones, sizeof *w->idle_zone);
    w->s = s ? s : sim_new(w->n_drv * 2 + 1024);
    w->own_engine = s == NULL;
    w->p = plat_new(w->pc, w->n_drv, w->n_zones);
    if (!w->hours || !w->base.drv || !w->open_zone || !w->idle_zone || !w->s || !w->p) goto nomem;
    if (sc->riders.wait_estimate == COOP_WAIT_ETA) {
        w->balked_zone = calloc(w->n_zones, sizeof *w->balked_zone);
        w->surge_demand = calloc(w->n_zones, sizeof *w->surge_demand);
        if (!w->balked_zone || !w->surge_demand) goto nomem;
    }
    if (mkt_settle_init(w, err, errlen) != 0) goto fail;
    if (mkt_gov_init(w, err, errlen) != 0) goto fail;
    if (mkt_riders_init(w) != 0) goto nomem;
    if (spatial) {
        /* Cells sized so that a few drivers share each: rings stay small at any scale. */
        double area = sc->city.width * sc->city.height;
        double cell = sqrt(area * 2.0 / (double)(w->n_drv ? w->n_drv : 1));
        w->cell = cell < 100 ? 100 : cell;
        w->idle = mkt_grid_new(sc->city.width, sc->city.height, w->cell, w->n_drv);
        /* Waiting riders are few next to drivers: coarser cells keep a driver's search for
         * the nearest of them to a handful of cells within the pickup radius. */
        double wcell = 4 * w->cell < 1000 ? 1000 : 4 * w->cell;
        w->waiting = mkt_grid_new(sc->city.width, sc->city.height, wcell, 1024);
        if (!w->idle || !w->waiting) goto nomem;
    } else {
        w->idle_zone[0] = (uint32_t)w->n_drv;
        if (mkt_queue_init(w, err, errlen) != 0) goto fail;
    }
    return w;
nomem:
    snprintf(err, errlen, "out of memory building the market");
fail:
    mkt_free(w);
    return NULL;
}

void mkt_set_run(mkt_world *w, uint64_t run) {
    w->run = run;
}

sim *mkt_engine(mkt_world *w) {
    return w->s;
}

const plat_config *mkt_platform(const mkt_world *w) {
    return w->pc;
}

const ledger_config *mkt_ledger_config(const mkt_world *w) {
    return w->lc;
}

sim_time mkt_end(const mkt_world *w) {
    return w->end;
}

static void on_end(sim *s, void *target, uint64_t data) {}

/* A scheduled rule change (platforms[].changes) comes into force. */
static void on_change(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    (void)s;
    plat_apply_change(w->p, (const plat_change *)w->pc->changes.items + data);
}

static void on_warmup_end(sim *s, void *target, uint64_t data) {
    mkt_take_base(target);
}

sim_status mkt_begin(mkt_world *w, char *err, size_t errlen) {
    /* Keeps the clock running to the end even if every other event is over sooner. */
    sim_schedule(w->s, w->end, on_end, w, 0);
    /* Scheduled before anything else, so the snapshot precedes every other event at that
     * instant; an extra event shifts no draw and reorders no other event. */
    sim_time warmup = w->sc->simulation.warmup;
    if (warmup > 0 && warmup < w->end) sim_schedule(w->s, warmup, on_warmup_end, w, 0);
    /* Changes at the same instant apply in the order listed. None: no event, no reordering. */
    for (size_t k = 0; k < w->pc->changes.n; k++) {
        sim_time at = ((const plat_change *)w->pc->changes.items)[k].at;
        if (at < w->end) sim_schedule(w->s, at, on_change, w, k);
    }
    mkt_drivers_start(w);
    if (!w->sh || w->index == 0) mkt_demand_start(w); /* one stream of riders in a shared city */
    mkt_batch_start(w);
    mkt_gov_start(w);
    if (plat_start_days(w->p, w->s, w->end) != 0) {
        snprintf(err, errlen, "out of memory for the platform's books");
        return 2;
    }
    return SIM_OK;
}

sim_status mkt_run(mkt_world *w, char *err, size_t errlen) {
    sim_status rc = mkt_begin(w, err, errlen);
    if (rc != SIM_OK) return rc;
    sim_stop_reason why = sim_run(w->s, w->end);
    /* A trip file that no longer reads (even its first line, before the engine ran) */
    if (w->trip_err) return sim_fail(SIM_EINPUT, err, errlen, "%s", w->trip_err);
    if (why == SIM_STOP_REQUESTED)
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory during the run at %.0f s",
                        (double)sim_now(w->s) / 1e6);
    return mkt_finish(w, err, errlen);
}

sim_status mkt_finish(mkt_world *w, char *err, size_t errlen) {
    sim_time warmup = w->sc->simulation.warmup;
    /* The books close at the end: online time up to the end, then the last period. */
    mkt_drivers_close(w);
    plat_end_period(w->p, w->end);
    if (plat_close_day(w->p, w->end) != 0) {
        snprintf(err, errlen, "out of memory for the platform's books");
        return 2;
    }
    mkt_supply_close(w);
    mkt_settle_close(w);
    mkt_gov_finish(w);
    /* Requests still under way count as they stand at the end. */
    if (mkt_riders_retire(w, true) != 0)
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory for the rider statistics");
    if (w->riders.trips_failed)
        return sim_fail(SIM_EIO, err, errlen, "cannot write %s", schema_trips_csv.file);
    if (w->riders.pairs_failed)
        return sim_fail(SIM_EIO, err, errlen, "cannot write the paired requests' records");
    /* A warm-up as long as the run leaves nothing to measure. */
    if (warmup >= w->end) mkt_take_base(w);
    return SIM_OK;
}

uint64_t mkt_request_hash(const mkt_world *w) {
    return w->hash;
}

void mkt_money_sums(const mkt_world *w, mkt_money *out) {
    const mkt_money *b = &w->base.money;
    out->rider_payments = w->money.rider_payments - b->rider_payments;
    out->driver_pay = w->money.driver_pay - b->driver_pay;
    out->revenue = w->money.revenue - b->revenue;
    out->subsidies = w->money.subsidies - b->subsidies;
    out->rider_chain_fees = w->money.rider_chain_fees - b->rider_chain_fees;
}
