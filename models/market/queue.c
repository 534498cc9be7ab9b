/* Queue mode: no city and no travel; c servers always online, service times drawn per rider,
 * a FIFO queue and optional patience. With exponential service and infinite patience this is
 * the M/M/c queue whose answer Erlang C gives, which checks the engine and the bookkeeping. */
#include "models/market/world.h"
#include "sim/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mkt_queue_init(mkt_world *w, char *err, size_t errlen) {
    w->free_servers = malloc(w->n_drv * sizeof *w->free_servers);
    if (!w->free_servers) {
        snprintf(err, errlen, "out of memory building the queue");
        return 2;
    }
    /* Pushed in reverse so that the lowest-numbered idle server is served first. */
    for (size_t i = 0; i < w->n_drv; i++)
        w->free_servers[i] = (uint32_t)(w->n_drv - 1 - i);
    w->n_free = w->n_drv;
    return 0;
}

static void on_complete(sim *s, void *target, uint64_t data);

static void start_service(mkt_world *w, uint32_t d, uint32_t rid) {
    mkt_request *r = mkt_req(w, rid);
    mkt_driver *dv = &w->drv[d];
    sim_time now = sim_now(w->s);
    r->status = R_RIDING;
    r->t_assign = r->t_pickup = now;
    r->driver = d;
    w->est_wait_s += 0.05 * ((double)(now - r->t_req) / 1e6 - w->est_wait_s);
    dv->rider = rid;
    w->idle_zone[0]--;
    mkt_driver_set_state(w, d, D_TRIP);
    dv->ev = sim_schedule(w->s, now + r->service, on_complete, w, d);
}

static int push(mkt_world *w, uint32_t rid) {
    if (w->q_len == w->q_cap) {
        if (w->q_head > 0) {
            memmove(w->queue, w->queue + w->q_head, (w->q_len - w->q_head) * sizeof *w->queue);
            w->q_len -= w->q_head;
            w->q_head = 0;
        } else {
            if (SIM_GROW(&w->queue, &w->q_cap, w->q_len + 1, 1024) != SIM_OK) return -1;
        }
    }
    w->queue[w->q_len++] = rid;
    return 0;
}

static void on_complete(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    uint32_t d = (uint32_t)data;
    w->drv[d].ev = 0;
    mkt_record_trip(w, d, w->drv[d].rider);
    w->drv[d].rider = MKT_GRID_NONE;
    w->idle_zone[0]++;
    while (w->q_head < w->q_len) {
        uint32_t rid = w->queue[w->q_head++];
        if (!mkt_req_live(w, rid)) continue; /* abandoned while queued, and over */
        mkt_request *r = mkt_req(w, rid);
        if (r->status != R_WAITING) continue; /* abandoned while queued */
        if (r->timeout) sim_cancel(s, r->timeout);
        r->timeout = 0;
        w->open_zone[0]--;
        start_service(w, d, rid);
        return;
    }
    w->q_head = w->q_len = 0;
    mkt_driver_set_state(w, d, D_IDLE);
    w->free_servers[w->n_free++] = d;
}

void mkt_queue_on_request(mkt_world *w, uint32_t rid) {
    mkt_request *r = mkt_req(w, rid);
    sim_time now = sim_now(w->s);
    r->q = plat_quote_trip(w->p, now, 0, 0.0, r->service);
    if (!mkt_rider_accepts(w, rid)) {
        r->status = plat_open(w->p) ? R_REFUSED : R_CLOSED;
        return;
    }
    if (w->n_free > 0) {
        start_service(w, w->free_servers[--w->n_free], rid);
        return;
    }
    if (push(w, rid) != 0) {
        sim_request_stop(w->s);
        return;
    }
    w->open_zone[0]++;
    if (r->patience != SIM_TIME_MAX && r->patience < w->end - now)
        r->timeout = sim_schedule(w->s, now + r->patience, mkt_rider_timeout, w, rid);
}
