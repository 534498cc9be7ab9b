/* Drivers' response to surge within the day (drivers.surge_response; docs/model.md, "Surge that
 * moves drivers"): idle drivers drive toward surging zones when the extra pay covers the drive,
 * and drivers of the fixed pool start early or stay longer when the surged pay of the extra hour
 * beats what an extra hour of their time is worth to them (the free-entry plan's marginal value
 * of time, at hourly scale). Pay that does not follow surge moves no one. */
#include "models/market/world.h"
#include "sim/rng.h"

#include <math.h>
#include <stdio.h>

int mkt_surge_response_init(mkt_world *w, char *err, size_t errlen) {
    if (!w->sc->drivers.surge_response || w->sc->market.mode != COOP_MODE_SPATIAL) return 0;
    /* Its own stream: turning the response on shifts no other draw. */
    w->r_surge_moves = sim_rng_stream(w->seed, w->replication, "driver_surge_moves");
    if (!w->r_surge_moves) {
        snprintf(err, errlen, "out of memory for the surge response");
        return 2;
    }
    return 0;
}

/* The multiplier of drivers' pay in zone z: the surge, unless upfront pricing pays drivers on
 * the unsurged fare. */
static double pay_surge(const mkt_world *w, size_t z) {
    bool upfront = w->pc->kind == PLAT_CENTRALIZED && w->pc->upfront;
    return upfront ? 1.0 : plat_surge(w->p, z);
}

/* Vehicle costs of a typical online hour (cents), as in the day-one belief (drivers.c). */
static double cost_per_hour(const mkt_world *w) {
    const coop_drivers *dc = &w->sc->drivers;
    return (double)dc->cost_per_hour + (double)dc->cost_per_km * dc->expected_km_per_hour / 1000.0;
}

/* Expected net pay of an hour (cents) at pay multiplier s: the drivers' belief of net pay per
 * online hour, its gross part scaled by s. */
static double net_hour(const mkt_world *w, double s) {
    double c = cost_per_hour(w);
    return s * (w->expected_net + c) - c;
}

/* What the k-th hour of a shift is worth to driver d (cents): its reservation wage, rising
 * beyond drivers.reference_hours as in the free-entry plan (plan.h). */
static double hour_value(const mkt_world *w, const mkt_driver *dv, double k) {
    const coop_drivers *dc = &w->sc->drivers;
    double ref = (double)dc->reference_hours / (double)SIM_HOUR;
    double x = pow(k / ref, 1.0 / dc->hours_elasticity);
    return (double)dv->reservation * (x > 1.0 ? x : 1.0);
}

static void zone_centre(const mkt_world *w, size_t z, double *x, double *y) {
    const coop_city *c = &w->sc->city;
    size_t zx = z % (size_t)c->zones_x, zy = z / (size_t)c->zones_x;
    *x = ((double)zx + 0.5) * c->width / (double)c->zones_x;
    *y = ((double)zy + 0.5) * c->height / (double)c->zones_y;
}

/* An idle driver moves when an hour in the best surging zone within one move pays more than an
 * hour where it is by more than the drive costs: vehicle costs of the road distance plus the
 * drive's time at the hour's expected net pay here. */
static void move_idle(mkt_world *w, uint32_t d, const size_t *hot, size_t n_hot) {
    mkt_driver *dv = &w->drv[d];
    size_t here = mkt_zone(w, dv->x, dv->y);
    double s_here = pay_surge(w, here), gross = w->expected_net + cost_per_hour(w);
    double best_gain = 0, bx = 0, by = 0;
    size_t best = SIZE_MAX;
    sim_time now = sim_now(w->s);
    for (size_t i = 0; i < n_hot; i++) {
        size_t z = hot[i];
        if (z == here) continue;
        double cx, cy;
        zone_centre(w, z, &cx, &cy);
        double dist = mkt_dist(dv->x, dv->y, cx, cy);
        if (dist > w->sc->drivers.reposition_max) continue;
        double hours = (double)mkt_travel_time(w, dist, now) / (double)SIM_HOUR;
        double drive = (double)w->sc->drivers.cost_per_km * dist * w->sc->city.detour / 1000.0 +
                       hours * net_hour(w, s_here);
        double gain = (pay_surge(w, z) - s_here) * gross - drive;
        if (gain > best_gain) {
            best_gain = gain;
            best = z;
            bx = cx;
            by = cy;
        }
    }
    if (best == SIZE_MAX) return;
    /* A point of the zone, not its centre: drivers spread over it. */
    const coop_city *c = &w->sc->city;
    double zw = c->width / (double)c->zones_x, zh = c->height / (double)c->zones_y;
    double tx = bx + (gsl_rng_uniform(w->r_surge_moves) - 0.5) * zw;
    double ty = by + (gsl_rng_uniform(w->r_surge_moves) - 0.5) * zh;
    mkt_driver_move_toward(w, d, tx, ty);
    w->surge_moves++;
}

/* A driver of the fixed pool due on shift within the hour starts now when the surge where it is
 * pays for the extra hour (its shift then ends when it would have). */
static void start_early(mkt_world *w, uint32_t d) {
    mkt_driver *dv = &w->drv[d];
    sim_time now = sim_now(w->s), in_day = now % SIM_DAY;
    sim_time to_start = (dv->shift_start - in_day + SIM_DAY) % SIM_DAY;
    if (to_start <= 0 || to_start > SIM_HOUR || now + to_start >= w->end) return;
    double s = pay_surge(w, mkt_zone(w, dv->x, dv->y));
    if (!(s > 1.0)) return;
    double k = (double)(dv->shift_len + to_start) / (double)SIM_HOUR;
    if (net_hour(w, s) < hour_value(w, dv, k)) return;
    mkt_driver_start_shift(w, d, now + to_start + dv->shift_len, true);
    if (dv->state != D_OFF) w->surge_early++;
}

void mkt_surge_respond(mkt_world *w) {
    if (!w->r_surge_moves) return;
    size_t hot[256], n_hot = 0;
    for (size_t z = 0; z < w->n_zones && n_hot < sizeof hot / sizeof hot[0]; z++)
        if (pay_surge(w, z) > 1.0) hot[n_hot++] = z;
    if (n_hot == 0) return;
    for (uint32_t d = 0; d < w->n_drv; d++) {
        const mkt_driver *dv = &w->drv[d];
        if (dv->state == D_IDLE)
            move_idle(w, d, hot, n_hot);
        else if (dv->state == D_OFF && !w->ld)
            start_early(w, d);
    }
}

bool mkt_surge_extends(mkt_world *w, uint32_t d) {
    if (!w->r_surge_moves || w->ld) return false;
    mkt_driver *dv = &w->drv[d];
    sim_time now = sim_now(w->s);
    double s = pay_surge(w, mkt_zone(w, dv->x, dv->y));
    if (!(s > 1.0) || now + SIM_HOUR > w->end) return false;
    double k = (double)(now - dv->shift_began) / (double)SIM_HOUR + 1.0;
    if (k > (double)w->sc->drivers.max_hours / (double)SIM_HOUR) return false;
    if (net_hour(w, s) < hour_value(w, dv, k)) return false;
    w->surge_extended++;
    return true;
}
