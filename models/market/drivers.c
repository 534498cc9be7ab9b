/* Drivers: attributes drawn once from their own streams (shift, home, reservation wage), the
 * daily decision to go online from expected earnings, shift ends, time accounting by state,
 * and the day-to-day learning of what an hour on this platform pays. */
#include "models/market/world.h"
#include "sim/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int mkt_drivers_init(mkt_world *w, char *err, size_t errlen) {
    const coop_drivers *dc = &w->sc->drivers;
    w->n_drv = (size_t)dc->count;
    w->drv = calloc(w->n_drv, sizeof *w->drv);
    gsl_rng *r_shift = sim_rng_stream(w->seed, w->replication, "driver_shifts");
    gsl_rng *r_home = sim_rng_stream(w->seed, w->replication, "driver_homes");
    gsl_rng *r_wage = sim_rng_stream(w->seed, w->replication, "driver_wages");
    w->r_decline = sim_rng_stream(w->seed, w->replication, "driver_declines");
    w->r_repos = sim_rng_stream(w->seed, w->replication, "driver_repositioning");
    int rc = 0;
    if (!w->drv || !r_shift || !r_home || !r_wage || !w->r_decline || !w->r_repos) {
        snprintf(err, errlen, "out of memory building %zu drivers", w->n_drv);
        rc = 2;
        goto out;
    }
    if (dc->shift_start_profile.n != 0 && dc->shift_start_profile.n != 24) {
        snprintf(err, errlen,
                 "drivers.shift_start_profile has %zu values; it needs 24 (one per hour) or none",
                 dc->shift_start_profile.n);
        rc = 2;
        goto out;
    }
    double cum[24], tot = 0;
    for (int h = 0; h < 24; h++) {
        tot += dc->shift_start_profile.n == 24 ? dc->shift_start_profile.v[h] : 1.0;
        cum[h] = tot;
    }
    if (!(tot > 0)) {
        snprintf(err, errlen, "drivers.shift_start_profile: all weights are 0");
        rc = 2;
        goto out;
    }
    sim_time lo = dc->shift_mean < SIM_HOUR ? dc->shift_mean : SIM_HOUR, hi = 14 * SIM_HOUR;
    for (size_t i = 0; i < w->n_drv; i++) {
        mkt_driver *d = &w->drv[i];
        double u = gsl_rng_uniform(r_shift) * tot;
        int h = 0;
        while (h < 23 && u >= cum[h])
            h++;
        d->shift_start = h * SIM_HOUR + (sim_time)(gsl_rng_uniform(r_shift) * (double)SIM_HOUR);
        double len =
            (double)dc->shift_mean + gsl_ran_gaussian_ziggurat(r_shift, 1.0) * (double)dc->shift_sd;
        d->shift_len = (sim_time)llround(len);
        if (d->shift_len < lo) d->shift_len = lo;
        if (d->shift_len > hi) d->shift_len = hi;
        if (w->sc->market.mode == COOP_MODE_SPATIAL) mkt_draw_point(w, r_home, &d->x, &d->y);
        d->reservation =
            (int64_t)llround((double)dc->reservation_wage *
                             exp(dc->reservation_sigma * gsl_ran_gaussian_ziggurat(r_wage, 1.0)));
        d->rider = MKT_GRID_NONE;
        d->state = D_OFF;
    }
    /* Day one's belief: the prior of fares per hour, less the commission then in force and
     * the vehicle costs of a typical hour. Later days learn from what the platform paid. */
    double commission = w->pc->growth_until > 0 ? w->pc->growth_commission : w->pc->commission;
    w->expected_net = (double)dc->expected_fares_per_hour * (1.0 - commission) -
                      (double)dc->cost_per_hour -
                      (double)dc->cost_per_km * dc->expected_km_per_hour / 1000.0;
    w->expected_face = w->expected_net;
out:
    if (r_shift) gsl_rng_free(r_shift);
    if (r_home) gsl_rng_free(r_home);
    if (r_wage) gsl_rng_free(r_wage);
    return rc;
}

void mkt_hours_add(mkt_world *w, int state, sim_time t0, sim_time t1) {
    while (t0 < t1) {
        size_t h = (size_t)(t0 / SIM_HOUR);
        if (h >= w->n_hours) return;
        sim_time edge = (sim_time)(h + 1) * SIM_HOUR;
        sim_time e = t1 < edge ? t1 : edge;
        w->hours[h].t_state[state] += e - t0;
        t0 = e;
    }
}

void mkt_driver_set_state(mkt_world *w, uint32_t d, int state) {
    mkt_driver *dv = &w->drv[d];
    sim_time now = sim_now(w->s);
    if (dv->state != D_OFF) {
        dv->t_state[dv->state] += now - dv->state_since;
        mkt_hours_add(w, dv->state, dv->state_since, now);
    }
    dv->state_since = now;
    dv->state = (uint8_t)state;
}

void mkt_driver_go_offline(mkt_world *w, uint32_t d) {
    mkt_driver *dv = &w->drv[d];
    if (dv->state == D_OFF) return;
    if (dv->state == D_IDLE && w->idle) {
        mkt_grid_remove(w->idle, d);
        w->idle_zone[mkt_zone(w, dv->x, dv->y)]--;
    }
    if (dv->ev) sim_cancel(w->s, dv->ev);
    dv->ev = 0;
    dv->held = false;
    mkt_driver_set_state(w, d, D_OFF);
    dv->ending = false;
    sim_time now = sim_now(w->s);
    plat_record_online(w->p, d, now - dv->online_flushed);
    dv->online_flushed = now;
    if (w->sh) mkt_shared_offline(w, d);
}

void mkt_drivers_flush_online(mkt_world *w) {
    sim_time now = sim_now(w->s);
    for (uint32_t d = 0; d < w->n_drv; d++) {
        mkt_driver *dv = &w->drv[d];
        if (dv->state == D_OFF) continue;
        mkt_driver_set_state(w, d, dv->state);
        if (now > dv->online_flushed) plat_record_online(w->p, d, now - dv->online_flushed);
        dv->online_flushed = now;
    }
}

sim_time mkt_driver_online(const mkt_driver *d) {
    sim_time t = 0;
    for (int s = D_IDLE; s < D_NSTATES; s++)
        t += d->t_state[s];
    return t;
}

int64_t mkt_driver_cost(const mkt_world *w, const mkt_driver *d) {
    const coop_drivers *dc = &w->sc->drivers;
    double c = (double)dc->cost_per_km * d->metres / 1000.0 +
               (double)dc->cost_per_hour * (double)mkt_driver_online(d) / (double)SIM_HOUR;
    return (int64_t)llround(c);
}

static void on_shift_end(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    mkt_driver *dv = &w->drv[data];
    if (dv->state == D_OFF || sim_now(s) < dv->shift_end_at) return;
    if (mkt_surge_extends(w, (uint32_t)data)) {
        dv->shift_end_at = sim_now(s) + SIM_HOUR;
        if (dv->shift_end_at < w->end) sim_schedule(s, dv->shift_end_at, on_shift_end, w, data);
        return;
    }
    if (dv->state == D_IDLE)
        mkt_driver_go_offline(w, (uint32_t)data);
    else
        dv->ending = true; /* finishes the trip or move under way first */
}

void mkt_driver_start_shift(mkt_world *w, uint32_t d, sim_time until, bool decided) {
    mkt_driver *dv = &w->drv[d];
    sim_time now = sim_now(w->s);
    dv->paused = false;
    /* shared market: not on this app today, or the app has failed (its riders are gone) */
    if (dv->away || (w->sh && !plat_open(w->p))) return;
    if (!dv->admitted && !dv->refused) {
        dv->admitted = plat_admit_driver(w->p, d, now);
        dv->refused = !dv->admitted;
    }
    if (!dv->admitted) return;
    double expected = w->sh ? mkt_shared_expected_net(w, d) : w->expected_net;
    if (!decided && w->sc->drivers.participation && expected < (double)dv->reservation) {
        /* Had chain pay counted at face value, would this driver have gone? (reported) */
        if (w->pv.on && w->expected_face >= (double)dv->reservation)
            mkt_pay_values_lost(w, now, until - now);
        return;
    }
    /* ... and would it have stayed home? (it goes only because chain pay is worth more) */
    if (!decided && w->pv.on && w->sc->drivers.participation &&
        w->expected_face < (double)dv->reservation)
        mkt_pay_values_lost(w, now, now - until);
    dv->online_flushed = now;
    dv->state_since = now;
    dv->ending = false;
    dv->shift_end_at = until;
    dv->shift_began = now;
    if (w->sh && mkt_shared_busy_elsewhere(w, d)) {
        /* on a trip for another app: joins this one when that trip is over */
        dv->paused = true;
        if (until < w->end) sim_schedule(w->s, until, on_shift_end, w, d);
        return;
    }
    if (w->sc->market.mode == COOP_MODE_SPATIAL) {
        mkt_driver_available(w, d);
        if (until < w->end) sim_schedule(w->s, until, on_shift_end, w, d);
    } else {
        mkt_driver_set_state(w, d, D_IDLE);
    }
}

static void on_shift_start(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    mkt_driver *dv = &w->drv[data];
    sim_time now = sim_now(s);
    if (now + SIM_DAY < w->end) sim_schedule(s, now + SIM_DAY, on_shift_start, w, data);
    if (dv->state != D_OFF) return; /* still finishing yesterday's last trip */
    mkt_driver_start_shift(w, (uint32_t)data, now + dv->shift_len, false);
}

/* A shift begun the evening before the run: online from time 0 for what remains of it. */
static void on_shift_start_carry(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    mkt_driver *dv = &w->drv[data];
    if (dv->state != D_OFF) return;
    mkt_driver_start_shift(w, (uint32_t)data, dv->shift_start - SIM_DAY + dv->shift_len, false);
}

/* Once a day drivers revise what an hour online is worth on this platform: the last day's
 * income from the platform (trip pay, dividends, top-ups) less vehicle costs, per hour, with
 * chain pay at its worth to them (payvalue.c: less the cost of the delays they waited, plus
 * movement rewards at the day's token price), not its face value. */
static void on_day(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    double income = 0, cost = 0;
    sim_time online = 0;
    for (uint32_t d = 0; d < w->n_drv; d++) {
        mkt_driver *dv = &w->drv[d];
        if (dv->state != D_OFF) mkt_driver_set_state(w, d, dv->state);
        income += (double)plat_driver_income(w->p, d);
        cost += (double)mkt_driver_cost(w, dv);
        online += mkt_driver_online(dv);
    }
    if (online > w->day_online0) {
        double hours = (double)(online - w->day_online0) / (double)SIM_HOUR;
        double paid = (income - w->day_income0 - (cost - w->day_cost0)) / hours;
        double rate = w->sc->drivers.learning_rate;
        if (w->pv.on) {
            w->expected_face += rate * (paid - w->expected_face);
            paid += (w->pv.adj_total - w->pv.adj_total0) / hours;
            w->pv.adj_total0 = w->pv.adj_total;
        }
        w->expected_net += rate * (paid - w->expected_net);
    }
    w->day_income0 = income;
    w->day_cost0 = cost;
    w->day_online0 = online;
    sim_time next = sim_now(s) + SIM_DAY;
    if (next < w->end) sim_schedule(s, next, on_day, w, 0);
}

static void on_period(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    mkt_drivers_flush_online(w);
    plat_end_period(w->p, sim_now(s));
    sim_time next = sim_now(s) + w->pc->dividend_period;
    if (next < w->end) sim_schedule(s, next, on_period, w, 0);
}

void mkt_drivers_start(mkt_world *w) {
    if (w->sc->market.mode == COOP_MODE_QUEUE) {
        /* The c servers of the queue: online for the whole run. */
        for (uint32_t d = 0; d < w->n_drv; d++) {
            mkt_driver *dv = &w->drv[d];
            dv->admitted = plat_admit_driver(w->p, d, 0);
            dv->state = D_IDLE;
            dv->state_since = 0;
            dv->online_flushed = 0;
            dv->shift_end_at = w->end;
        }
    } else if (w->ld) {
        mkt_supply_start(w); /* free entry: drivers choose their hours day by day */
    } else {
        for (uint32_t d = 0; d < w->n_drv; d++) {
            mkt_driver *dv = &w->drv[d];
            sim_time carry = dv->shift_start - SIM_DAY + dv->shift_len;
            if (carry > 0) sim_schedule(w->s, 0, on_shift_start_carry, w, d);
            sim_schedule(w->s, dv->shift_start, on_shift_start, w, d);
        }
    }
    if (SIM_DAY < w->end && !w->ld) sim_schedule(w->s, SIM_DAY, on_day, w, 0);
    if (w->pc->dividend_period > 0 && w->pc->dividend_period < w->end)
        sim_schedule(w->s, w->pc->dividend_period, on_period, w, 0);
}

void mkt_drivers_close(mkt_world *w) {
    mkt_drivers_flush_online(w);
}
