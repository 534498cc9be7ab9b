/* Dispatch rules beyond nearest-first (market.dispatch; docs/model.md, "Dispatch"): first come,
 * first served for a freed driver (fifo), and batches solved as an assignment problem for the
 * least total pickup distance (optimal, assign.h). */
#include "models/market/assign.h"
#include "models/market/world.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

/* Riders no longer waiting leave the queue; the order of the others is kept. */
static void compact_queue(mkt_world *w) {
    size_t keep = 0;
    for (size_t i = 0; i < w->q_len; i++)
        if (mkt_req_live(w, w->queue[i]) && mkt_req(w, w->queue[i])->status == R_WAITING)
            w->queue[keep++] = w->queue[i];
    w->q_len = keep;
}

uint32_t mkt_dispatch_longest_waiting(mkt_world *w, double x, double y) {
    compact_queue(w);
    double radius = mkt_pickup_radius(w);
    for (size_t i = 0; i < w->q_len; i++) {
        const mkt_request *r = mkt_req(w, w->queue[i]);
        if (!r->offering && mkt_dist(x, y, r->ox, r->oy) <= radius) return w->queue[i];
    }
    return MKT_GRID_NONE;
}

/* Idle drivers each rider may get: its few nearest within reach. Enough for the best matching in
 * practice (a rider's tenth-nearest driver is rarely worth it) and keeps the problem small. */
#define CANDIDATES 8

int mkt_dispatch_optimal(mkt_world *w) {
    compact_queue(w);
    size_t n = w->q_len;
    if (n == 0 || mkt_grid_count(w->idle) == 0) return 0;
    double radius = mkt_pickup_radius(w);
    uint32_t *cand = malloc(n * CANDIDATES * sizeof *cand);
    size_t m = 0;
    if (!cand) return -1;
    /* Each rider's nearest drivers, taken out of the grid while collecting so the next search
     * finds the next one; every driver goes back before any assignment. */
    for (size_t i = 0; i < n; i++) {
        const mkt_request *r = mkt_req(w, w->queue[i]);
        size_t got = 0;
        while (got < CANDIDATES) {
            uint32_t d = mkt_grid_nearest(w->idle, r->ox, r->oy, radius, NULL);
            if (d == MKT_GRID_NONE) break;
            mkt_grid_remove(w->idle, d);
            cand[m++] = d;
            got++;
        }
        for (size_t k = m - got; k < m; k++)
            mkt_grid_insert(w->idle, cand[k], w->drv[cand[k]].x, w->drv[cand[k]].y);
    }
    /* the same driver may be near several riders: one column each */
    size_t u = 0;
    for (size_t k = 0; k < m; k++) {
        size_t j = 0;
        while (j < u && cand[j] != cand[k])
            j++;
        if (j == u) cand[u++] = cand[k];
    }
    m = u;
    double *cost = malloc(n * (m ? m : 1) * sizeof *cost);
    size_t *out = malloc(n * sizeof *out);
    int rc = -1;
    if (cost && out) {
        for (size_t i = 0; i < n; i++) {
            const mkt_request *r = mkt_req(w, w->queue[i]);
            for (size_t j = 0; j < m; j++) {
                const mkt_driver *dv = &w->drv[cand[j]];
                double dist = mkt_dist(dv->x, dv->y, r->ox, r->oy);
                cost[i * m + j] = dist <= radius ? dist : INFINITY;
            }
        }
        rc = mkt_assign(n, m, cost, out);
    }
    if (rc == 0) {
        /* In request order, so that declines draw in a fixed order. */
        for (size_t i = 0; i < n; i++) {
            if (out[i] == MKT_ASSIGN_NONE) continue;
            uint32_t d = cand[out[i]], rid = w->queue[i];
            if (mkt_offer_declines(w, d, rid) ||
                (w->sc->drivers.decline > 0 &&
                 gsl_rng_uniform(w->r_decline) < w->sc->drivers.decline)) {
                mkt_offer_declined(w, d, rid); /* the rider waits for the next batch */
                if (w->sc->drivers.decline_time > 0) {
                    mkt_grid_remove(w->idle, d);
                    mkt_offer_hold(w, d);
                }
                continue;
            }
            mkt_assign_ride(w, d, rid);
        }
        compact_queue(w);
    }
    free(cand);
    free(cost);
    free(out);
    return rc;
}
