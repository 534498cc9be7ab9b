/* Dispatch in the spatial market: quotes, the rider's decision, nearest-idle-driver matching
 * through the grid index (at once or in batches), pickup, trip, drop-off, abandonment,
 * repositioning toward demand, and the periodic surge update. */
#include "models/market/eta.h"
#include "models/market/world.h"
#include "sim/error.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

/* Straight-line radius a driver may be from a rider: max_pickup of travel at today's speed. */
double mkt_pickup_radius(const mkt_world *w) {
    double secs = (double)w->sc->market.max_pickup / 1e6;
    return secs * mkt_speed(w, sim_now(w->s)) / w->sc->city.detour;
}

bool mkt_rider_accepts(mkt_world *w, uint32_t rid) {
    const mkt_request *r = mkt_req(w, rid);
    if (!plat_open(w->p)) return false; /* the platform failed: nobody to take the ride */
    if (mkt_eta_balks(w, rid)) return false;
    if (!w->sc->riders.price_sensitive) return true;
    /* On a chain the rider also pays its payment's fee: it is part of the price compared. */
    int64_t fee = w->ledger ? ledger_payment_fee(w->ledger) : 0;
    double cost = (double)(r->q.rider_price + fee) +
                  (double)w->sc->riders.value_of_time * mkt_eta_expected_wait_s(w, rid) / 3600.0;
    return cost <= (double)r->wtp;
}

void mkt_record_trip(mkt_world *w, uint32_t d, uint32_t rid) {
    mkt_request *r = mkt_req(w, rid);
    mkt_driver *dv = &w->drv[d];
    r->standard_topup = plat_record_trip(w->p, d, &r->q);
    w->money.rider_payments += r->q.rider_price;
    w->money.driver_pay += r->q.driver_pay;
    w->money.revenue += r->q.revenue;
    w->money.subsidies += r->q.subsidy;
    mkt_welfare_trip(w, r);
    if (w->sh) mkt_shared_rode(w, rid);
    dv->trips++;
    dv->trip_pay += r->q.driver_pay;
    r->status = R_SERVED;
    r->t_drop = sim_now(w->s);
    mkt_settle_trip(w, d, rid, r->pickup_m + r->dist, r->t_drop - r->t_assign);
    size_t h = (size_t)(r->t_req / SIM_HOUR);
    if (h < w->n_hours) w->hours[h].served++;
    size_t hd = (size_t)(r->t_drop / SIM_HOUR);
    if (hd < w->n_hours) w->hours[hd].pay += r->q.driver_pay;
}

void mkt_rider_timeout(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    if (!mkt_req_live(w, (uint32_t)data)) return;
    mkt_request *r = mkt_req(w, (uint32_t)data);
    r->timeout = 0;
    if (r->status != R_WAITING) return;
    if (w->waiting) mkt_grid_remove(w->waiting, (uint32_t)data);
    w->open_zone[r->zone]--;
    r->status = R_ABANDONED;
    mkt_welfare_abandoned(w, r, sim_now(s));
    size_t h = (size_t)(r->t_req / SIM_HOUR);
    if (h < w->n_hours) w->hours[h].abandoned++;
    if (w->sh) mkt_shared_abandoned(w, (uint32_t)data);
}

static void on_dropoff(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    uint32_t d = (uint32_t)data;
    mkt_driver *dv = &w->drv[d];
    dv->ev = 0;
    mkt_record_trip(w, d, dv->rider);
    dv->rider = MKT_GRID_NONE;
    mkt_driver_available(w, d);
}

static void on_pickup(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    uint32_t d = (uint32_t)data;
    mkt_driver *dv = &w->drv[d];
    mkt_request *r = mkt_req(w, dv->rider);
    sim_time now = sim_now(s);
    r->t_pickup = now;
    r->status = R_RIDING;
    /* Riders judge the service by recent waits: an exponentially weighted mean. */
    w->est_wait_s += 0.05 * ((double)(now - r->t_req) / 1e6 - w->est_wait_s);
    mkt_driver_set_state(w, d, D_TRIP);
    double straight = mkt_dist(r->ox, r->oy, r->dx, r->dy);
    dv->metres += r->dist;
    dv->x = r->dx;
    dv->y = r->dy;
    dv->ev = sim_schedule(s, now + mkt_travel_time(w, straight, now), on_dropoff, w, d);
}

void mkt_assign_ride(mkt_world *w, uint32_t d, uint32_t rid) {
    mkt_request *r = mkt_req(w, rid);
    mkt_driver *dv = &w->drv[d];
    sim_time now = sim_now(w->s);
    mkt_grid_remove(w->waiting, rid);
    w->open_zone[r->zone]--;
    if (r->timeout) sim_cancel(w->s, r->timeout);
    r->timeout = 0;
    mkt_grid_remove(w->idle, d);
    w->idle_zone[mkt_zone(w, dv->x, dv->y)]--;
    if (dv->ev) sim_cancel(w->s, dv->ev);
    r->status = R_ASSIGNED;
    r->t_assign = now;
    r->driver = d;
    dv->rider = rid;
    mkt_driver_set_state(w, d, D_PICKUP);
    double straight = mkt_dist(dv->x, dv->y, r->ox, r->oy);
    r->pickup_m = straight * w->sc->city.detour;
    dv->metres += r->pickup_m;
    dv->x = r->ox;
    dv->y = r->oy;
    sim_time go = now + w->sc->drivers.response_time;
    dv->ev = sim_schedule(w->s, go + mkt_travel_time(w, straight, go), on_pickup, w, d);
    mkt_offer_taken(w);
    if (w->sh) mkt_shared_claim(w, d);
}

/* Offers the request to the nearest idle drivers in turn; a driver who declines (by the offer
 * rule, or its drivers.decline draw: at most three of those) is skipped. With
 * drivers.decline_time the decline takes that long: the driver is held out of reach and the
 * rider offered again then (with batches, at the next batch). */
bool mkt_match_rider(mkt_world *w, uint32_t rid) {
    mkt_request *r = mkt_req(w, rid);
    double radius = mkt_pickup_radius(w);
    bool timed = w->sc->drivers.decline_time > 0;
    int n_random = timed ? r->random_declines : 0;
    size_t n_aside = 0;
    bool matched = false;
    /* drivers who declined this rider are not asked again */
    for (int i = 0; timed && i < MKT_OFFER_MEMORY && r->declined_by[i]; i++)
        if (mkt_grid_contains(w->idle, r->declined_by[i] - 1))
            (void)mkt_offer_set_aside(w, &n_aside, r->declined_by[i] - 1);
    for (;;) {
        double dist;
        uint32_t d = mkt_grid_nearest(w->idle, r->ox, r->oy, radius, &dist);
        if (d == MKT_GRID_NONE) break;
        bool no = mkt_offer_declines(w, d, rid);
        if (!no && n_random < 3 && w->sc->drivers.decline > 0 &&
            gsl_rng_uniform(w->r_decline) < w->sc->drivers.decline) {
            no = true;
            n_random++;
        }
        if (!no) {
            mkt_assign_ride(w, d, rid);
            matched = true;
            break;
        }
        mkt_offer_declined(w, d, rid);
        if (timed) {
            r->random_declines = (uint8_t)n_random;
            mkt_grid_remove(w->idle, d);
            if (w->sc->market.batch_interval == 0) mkt_offer_reoffer(w, rid);
            mkt_offer_hold(w, d); /* after the re-offer: back only once the rider was asked */
            break;
        }
        if (!mkt_offer_set_aside(w, &n_aside, d)) break; /* out of memory: the rider waits */
    }
    mkt_offer_restore(w, n_aside);
    return matched;
}

void mkt_on_request(mkt_world *w, uint32_t rid) {
    mkt_request *r = mkt_req(w, rid);
    sim_time now = sim_now(w->s);
    double straight = mkt_dist(r->ox, r->oy, r->dx, r->dy);
    r->q = plat_quote_trip(w->p, now, r->zone, r->dist, mkt_travel_time(w, straight, now));
    r->eta = mkt_eta_pickup(w, r->ox, r->oy, NULL);
    if (!mkt_rider_accepts(w, rid)) {
        r->status = plat_open(w->p) ? R_REFUSED : R_CLOSED;
        mkt_eta_note_refusal(w, rid);
        return;
    }
    mkt_grid_insert(w->waiting, rid, r->ox, r->oy);
    w->open_zone[r->zone]++;
    if (r->patience != SIM_TIME_MAX && r->patience < w->end - now)
        r->timeout = sim_schedule(w->s, now + r->patience, mkt_rider_timeout, w, rid);
    /* fifo keeps the waiting riders in request order even without batches */
    if (w->sc->market.batch_interval == 0) {
        if (!mkt_match_rider(w, rid) && w->sc->market.dispatch == COOP_DISPATCH_FIFO)
            mkt_queue_push(w, rid);
    } else {
        mkt_queue_push(w, rid);
    }
}

static void on_reposition_end(sim *s, void *target, uint64_t data);

static void on_reposition_timer(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    uint32_t d = (uint32_t)data;
    mkt_driver *dv = &w->drv[d];
    dv->ev = 0;
    const coop_demand *dm = &w->sc->demand;
    if (dv->state != D_IDLE) return;
    double tx, ty;
    if (w->sc->drivers.reposition_to == COOP_REPOSITION_DEMAND) {
        /* A place drawn like a request's origin (hotspots and background alike) within one move:
         * drivers spread as requests do. Stopping part way to a farther point would pull them
         * toward the middle of the city, away from where requests come from (docs/model.md). */
        int tries = 0;
        do {
            mkt_draw_point(w, w->r_repos, &tx, &ty);
        } while (mkt_dist(dv->x, dv->y, tx, ty) > w->sc->drivers.reposition_max && ++tries < 20);
        if (tries == 20) return;
    } else {
        if (dm->hotspots.n == 0) return;
        double u = gsl_rng_uniform(w->r_repos) * w->hot_cum[dm->hotspots.n - 1];
        size_t k = 0;
        while (k + 1 < dm->hotspots.n && u >= w->hot_cum[k])
            k++;
        const coop_hotspot *h = (const coop_hotspot *)dm->hotspots.items + k;
        /* A place within the hotspot, not its centre: drivers spread over the area of demand
         * instead of queueing on one point. */
        tx = h->x + gsl_ran_gaussian_ziggurat(w->r_repos, h->radius);
        ty = h->y + gsl_ran_gaussian_ziggurat(w->r_repos, h->radius);
        tx = tx < 0 ? 0 : tx > w->sc->city.width ? w->sc->city.width : tx;
        ty = ty < 0 ? 0 : ty > w->sc->city.height ? w->sc->city.height : ty;
    }
    mkt_driver_move_toward(w, d, tx, ty);
}

void mkt_driver_move_toward(mkt_world *w, uint32_t d, double tx, double ty) {
    mkt_driver *dv = &w->drv[d];
    double dist = mkt_dist(dv->x, dv->y, tx, ty);
    if (dist < 1.0) return;
    double move = dist < w->sc->drivers.reposition_max ? dist : w->sc->drivers.reposition_max;
    if (move < 1.0) return;
    if (dv->ev) sim_cancel(w->s, dv->ev);
    dv->ev = 0;
    mkt_grid_remove(w->idle, d);
    w->idle_zone[mkt_zone(w, dv->x, dv->y)]--;
    dv->held = false;
    mkt_driver_set_state(w, d, D_REPOS);
    dv->metres += move * w->sc->city.detour;
    dv->x += (tx - dv->x) * move / dist;
    dv->y += (ty - dv->y) * move / dist;
    sim_time now = sim_now(w->s);
    dv->ev = sim_schedule(w->s, now + mkt_travel_time(w, move, now), on_reposition_end, w, d);
    if (w->sh) mkt_shared_claim(w, d);
}

static void become_idle(mkt_world *w, uint32_t d, bool rearm) {
    mkt_driver *dv = &w->drv[d];
    if (dv->ending) {
        mkt_driver_go_offline(w, d);
        return;
    }
    mkt_driver_set_state(w, d, D_IDLE);
    mkt_grid_insert(w->idle, d, dv->x, dv->y);
    w->idle_zone[mkt_zone(w, dv->x, dv->y)]++;
    if (w->sc->market.batch_interval == 0 && mkt_grid_count(w->waiting) > 0) {
        uint32_t rid = w->sc->market.dispatch == COOP_DISPATCH_FIFO
                           ? mkt_dispatch_longest_waiting(w, dv->x, dv->y)
                           : mkt_grid_nearest(w->waiting, dv->x, dv->y, mkt_pickup_radius(w), NULL);
        /* (a rider it declined a moment ago is not offered to it again) */
        if (rid != MKT_GRID_NONE &&
            !(w->sc->drivers.decline_time > 0 && mkt_offer_declined_by(mkt_req(w, rid), d))) {
            if (!mkt_offer_declines(w, d, rid)) {
                mkt_assign_ride(w, d, rid);
                return;
            }
            /* it stays idle here, free for other riders: no time is lost waiting on it */
            mkt_offer_declined(w, d, rid);
        }
    }
    /* A multi-homing driver free again: back on its other apps, which may send it a rider. */
    if (w->sh) {
        mkt_shared_release(w, d);
        if (dv->state != D_IDLE) return;
    }
    if (!rearm || w->sc->drivers.reposition_after <= 0) return;
    /* A multi-homer idle on several apps moves toward demand on one of them only (the move
     * takes it off the others); which one rotates with the driver, not with the apps' order. */
    mkt_world *at = w->sh ? mkt_shared_reposition_app(w, d) : w;
    mkt_driver *ad = &at->drv[d];
    if (ad->ev) sim_cancel(at->s, ad->ev);
    ad->ev = sim_schedule(at->s, sim_now(at->s) + w->sc->drivers.reposition_after,
                          on_reposition_timer, at, d);
}

/* Having driven toward demand, the driver waits there for a request: no further move. */
static void on_reposition_end(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    w->drv[data].ev = 0;
    become_idle(w, (uint32_t)data, false);
}

void mkt_driver_available(mkt_world *w, uint32_t d) {
    become_idle(w, d, true);
}

void mkt_driver_become_idle(mkt_world *w, uint32_t d, bool rearm) {
    become_idle(w, d, rearm);
}

int mkt_queue_push(mkt_world *w, uint32_t rid) {
    if (SIM_GROW(&w->queue, &w->q_cap, w->q_len + 1, 1024) != SIM_OK) return -1;
    w->queue[w->q_len++] = rid;
    return 0;
}

static void on_batch(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    size_t keep = 0;
    if (w->sc->market.dispatch == COOP_DISPATCH_OPTIMAL) {
        if (mkt_dispatch_optimal(w) != 0) {
            sim_request_stop(s); /* out of memory: mkt_run reports it */
            return;
        }
        keep = w->q_len;
    }
    for (size_t i = 0; i < w->q_len && w->sc->market.dispatch != COOP_DISPATCH_OPTIMAL; i++) {
        uint32_t rid = w->queue[i];
        if (!mkt_req_live(w, rid) || mkt_req(w, rid)->status != R_WAITING) continue;
        if (mkt_grid_count(w->idle) > 0 && mkt_match_rider(w, rid)) continue;
        w->queue[keep++] = rid;
    }
    w->q_len = keep;
    sim_time next = sim_now(s) + w->sc->market.batch_interval;
    if (next < w->end) sim_schedule(s, next, on_batch, w, 0);
}

static void on_surge(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    sim_time now = sim_now(s);
    plat_update_surge(w->p, now, mkt_eta_surge_demand(w), w->idle_zone);
    mkt_surge_respond(w);
    double sum = 0;
    for (size_t z = 0; z < w->n_zones; z++)
        sum += plat_surge(w->p, z);
    size_t h = (size_t)(now / SIM_HOUR);
    if (h < w->n_hours) {
        w->hours[h].surge_sum += sum / (double)w->n_zones;
        w->hours[h].surge_n++;
    }
    sim_time next = now + w->sc->market.surge_interval;
    if (next < w->end) sim_schedule(s, next, on_surge, w, 0);
}

void mkt_batch_start(mkt_world *w) {
    if (w->sc->market.mode == COOP_MODE_SPATIAL && w->sc->market.batch_interval > 0)
        sim_schedule(w->s, w->sc->market.batch_interval, on_batch, w, 0);
    sim_schedule(w->s, 0, on_surge, w, 0);
}
