/* Declined offers (docs/model.md, "Offers"): how a driver online on several apps of a shared
 * market takes offers (drivers.offer_rule: first, best_net, priority), and what a declined offer
 * costs (drivers.decline_time: the driver who declined is out of the app's reach that long, and
 * the rider is offered to the next driver only then). */
#include "models/market/shared.h"
#include "models/schema/schema.h"
#include "sim/error.h"
#include "sim/rng.h"

#include <math.h>
#include <stdlib.h>

/* Whether driver d is online on app x now: idle there, or taken off it while busy on another
 * app (it comes back when free). */
static bool online_on(const mkt_world *x, uint32_t d) {
    const mkt_driver *dv = &x->drv[d];
    return plat_open(x->p) && !dv->away && (dv->state == D_IDLE || dv->paused);
}

/* Seconds offer rid would keep idle driver d busy: response, drive to the pickup, the trip. */
static double offer_secs(const mkt_world *w, uint32_t d, const mkt_request *r) {
    const mkt_driver *dv = &w->drv[d];
    sim_time now = sim_now(w->s), go = now + w->sc->drivers.response_time;
    sim_time pick = mkt_travel_time(w, mkt_dist(dv->x, dv->y, r->ox, r->oy), go);
    sim_time trip = mkt_travel_time(w, mkt_dist(r->ox, r->oy, r->dx, r->dy), go + pick);
    return (double)(go - now + pick + trip) / 1e6;
}

/* best_net: the offer's net pay (the quoted driver pay less the distance cost of the pickup and
 * the trip) against what its other apps pay over the time the offer would take (each app's
 * learned net pay per online hour before the hourly vehicle cost, which runs either way). */
static bool best_net_declines(const mkt_market *m, const mkt_world *w, uint32_t d,
                              const mkt_request *r) {
    const coop_drivers *dc = &m->sc->drivers;
    double rate = 0; /* cents per hour */
    bool elsewhere = false;
    for (size_t p = 0; p < m->n; p++) {
        const mkt_world *x = m->w[p];
        if (x == w || !online_on(x, d)) continue;
        elsewhere = true;
        double g = x->expected_net + (double)dc->cost_per_hour;
        if (g > 0) rate += g;
    }
    if (!elsewhere) return false;
    const mkt_driver *dv = &w->drv[d];
    double km = (mkt_dist(dv->x, dv->y, r->ox, r->oy) * w->sc->city.detour + r->dist) / 1000.0;
    double net = (double)r->q.driver_pay - (double)dc->cost_per_km * km;
    return net < rate * offer_secs(w, d, r) / 3600.0;
}

/* Requests per second app x had lately: the last full hour's, or the first hour's so far. */
static double request_rate(const mkt_world *x) {
    sim_time now = sim_now(x->s);
    size_t h = (size_t)(now / SIM_HOUR);
    if (h >= 1 && h - 1 < x->n_hours) return (double)x->hours[h - 1].requests / 3600.0;
    if (h == 0 && x->n_hours > 0 && now >= SIM_MIN)
        return (double)x->hours[0].requests / ((double)now / 1e6);
    return 0;
}

/* priority: an offer from another app than the driver's preferred one is declined while the
 * driver is online on the preferred app and the chance of an offer from it within the time the
 * other app's trip would take is above drivers.priority_chance. Offers come to its idle
 * drivers as its requests do, split evenly among them: rate = requests per second / idle
 * drivers, chance = 1 - exp(-rate x time). */
static bool priority_declines(const mkt_market *m, const mkt_world *w, uint32_t d,
                              const mkt_request *r) {
    uint8_t f = m->pref[d];
    if (f == MKT_NO_PREF || f == w->index) return false;
    const mkt_world *x = m->w[f];
    if (!online_on(x, d)) return false;
    size_t idle = mkt_grid_count(x->idle) + (x->drv[d].state == D_IDLE ? 0 : 1);
    double rate = request_rate(x) / (double)(idle > 0 ? idle : 1);
    double chance = 1.0 - exp(-rate * offer_secs(w, d, r));
    return chance > m->sc->drivers.priority_chance;
}

bool mkt_offer_declines(mkt_world *w, uint32_t d, uint32_t rid) {
    const mkt_market *m = w->sh;
    if (!m || m->sc->drivers.offer_rule == COOP_OFFER_FIRST) return false;
    const mkt_request *r = mkt_req(w, rid);
    if (m->sc->drivers.offer_rule == COOP_OFFER_BEST_NET) return best_net_declines(m, w, d, r);
    return priority_declines(m, w, d, r);
}

static mkt_cday *today(mkt_world *w) {
    mkt_market *m = w->sh;
    size_t day = (size_t)(sim_now(w->s) / SIM_DAY);
    if (day >= m->n_days) day = m->n_days - 1;
    return &m->days[day * m->n + w->index];
}

void mkt_offer_declined(mkt_world *w, uint32_t d, uint32_t rid) {
    w->declines++;
    mkt_request *r = mkt_req(w, rid);
    for (int i = 0; i < MKT_OFFER_MEMORY; i++)
        if (r->declined_by[i] == 0) {
            r->declined_by[i] = d + 1;
            break;
        }
    if (w->sh) today(w)->declines++;
}

bool mkt_offer_declined_by(const mkt_request *r, uint32_t d) {
    for (int i = 0; i < MKT_OFFER_MEMORY; i++)
        if (r->declined_by[i] == d + 1) return true;
    return false;
}

void mkt_offer_taken(mkt_world *w) {
    w->offers_taken++;
    if (w->sh) today(w)->offers_taken++;
}

static void on_hold_end(sim *s, void *target, uint64_t data) {
    (void)s;
    mkt_world *w = target;
    mkt_driver *dv = &w->drv[data];
    dv->ev = 0;
    dv->held = false;
    if (dv->state != D_IDLE) return;
    /* still counted idle in its zone while held: becoming idle counts it again */
    w->idle_zone[mkt_zone(w, dv->x, dv->y)]--;
    mkt_driver_become_idle(w, (uint32_t)data, true);
}

void mkt_offer_hold(mkt_world *w, uint32_t d) {
    mkt_driver *dv = &w->drv[d];
    if (dv->ev) sim_cancel(w->s, dv->ev);
    dv->held = true;
    w->decline_lost += w->sc->drivers.decline_time;
    if (w->sh) today(w)->decline_lost += w->sc->drivers.decline_time;
    dv->ev = sim_schedule(w->s, sim_now(w->s) + w->sc->drivers.decline_time, on_hold_end, w, d);
}

static void on_reoffer(sim *s, void *target, uint64_t data) {
    (void)s;
    mkt_world *w = target;
    uint32_t rid = (uint32_t)data;
    if (!mkt_req_live(w, rid)) return;
    mkt_request *r = mkt_req(w, rid);
    r->offering = false;
    if (r->status != R_WAITING) return; /* gave up meanwhile */
    mkt_grid_insert(w->waiting, rid, r->ox, r->oy);
    mkt_match_rider(w, rid);
}

void mkt_offer_reoffer(mkt_world *w, uint32_t rid) {
    mkt_request *r = mkt_req(w, rid);
    if (r->declined_by[MKT_OFFER_MEMORY - 1] != 0) return; /* asked enough drivers */
    sim_time at = sim_now(w->s) + w->sc->drivers.decline_time;
    if (at >= w->end) return;
    /* The platform is busy offering this rider: no other driver takes it until then. */
    mkt_grid_remove(w->waiting, rid);
    r->offering = true;
    sim_schedule(w->s, at, on_reoffer, w, rid);
}

bool mkt_offer_set_aside(mkt_world *w, size_t *n, uint32_t d) {
    if (SIM_GROW(&w->set_aside, &w->set_aside_cap, *n + 1, 16) != SIM_OK) return false;
    mkt_grid_remove(w->idle, d);
    w->set_aside[(*n)++] = d;
    return true;
}

void mkt_offer_restore(mkt_world *w, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t d = w->set_aside[i];
        mkt_grid_insert(w->idle, d, w->drv[d].x, w->drv[d].y);
    }
}

int mkt_offers_market_init(mkt_market *m) {
    m->pref = malloc(m->n_drv ? m->n_drv : 1);
    gsl_rng *r =
        sim_rng_stream((uint64_t)m->sc->simulation.seed, m->w[0]->replication, "driver_preference");
    if (!m->pref || !r) {
        if (r) gsl_rng_free(r);
        return -1;
    }
    /* one draw per driver, whatever its apps, so that registration shifts no other draw */
    for (size_t d = 0; d < m->n_drv; d++) {
        double u = gsl_rng_uniform(r), tot = 0;
        for (size_t p = 0; p < m->n; p++)
            if (m->reg[d] & (1u << p))
                tot += ((const coop_platform *)m->sc->platforms.items)[p].market.preference;
        m->pref[d] = MKT_NO_PREF;
        u *= tot;
        for (size_t p = 0; p < m->n && tot > 0; p++) {
            if (!(m->reg[d] & (1u << p))) continue;
            double wgt = ((const coop_platform *)m->sc->platforms.items)[p].market.preference;
            if (wgt <= 0) continue;
            m->pref[d] = (uint8_t)p;
            if (u < wgt) break;
            u -= wgt;
        }
    }
    gsl_rng_free(r);
    return 0;
}

json_t *mkt_offers_json(const mkt_world *w) {
    const coop_drivers *dc = &w->sc->drivers;
    if (dc->decline_time <= 0 && dc->offer_rule == COOP_OFFER_FIRST) return NULL;
    const sch_table *t = &schema_offers;
    int64_t declines = w->declines - w->base.declines;
    int64_t offers = declines + w->offers_taken - w->base.offers_taken;
    json_t *o = json_object();
    json_object_set_new(o, sch_name(t, SCH_OFF_OFFERS), json_integer(offers));
    json_object_set_new(o, sch_name(t, SCH_OFF_DECLINES), json_integer(declines));
    json_object_set_new(o, sch_name(t, SCH_OFF_DECLINE_SHARE),
                        offers > 0 ? json_real((double)declines / (double)offers) : json_null());
    json_object_set_new(
        o, sch_name(t, SCH_OFF_DECLINE_HOURS),
        json_real((double)(w->decline_lost - w->base.decline_lost) / (double)SIM_HOUR));
    return o;
}
