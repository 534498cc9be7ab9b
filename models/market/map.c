/* The map recorder: where drivers and riders are at fixed instants of a bounded window, for the
 * classroom's animated map. Off unless asked for (mkt_map_new); it only reads the world, from
 * events of its own, which shift no draw and reorder no other event. A driver's position between
 * events is where its current move has got to: the market moves a driver by setting the move's
 * end point, so the recorder keeps each shown driver's move (from, to, start, end) and
 * interpolates, recomputing the travel time exactly as the market does. */
#include "models/market/world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct leg {
    double fx, fy, tx, ty;
    sim_time t0, t1, since;
    uint8_t state;
} leg;

struct mkt_map {
    mkt_world *w;
    mkt_map_opts o;
    size_t shown; /* drivers 0..shown-1 */
    leg *legs;
    size_t low; /* requests below this one are no longer waiting */
    size_t done;
    json_t *frames;
    bool failed;
};

static void pos_at(const leg *l, sim_time t, double *x, double *y) {
    if (t <= l->t0 || l->t1 <= l->t0) {
        *x = t <= l->t0 ? l->fx : l->tx;
        *y = t <= l->t0 ? l->fy : l->ty;
        return;
    }
    double a = t >= l->t1 ? 1.0 : (double)(t - l->t0) / (double)(l->t1 - l->t0);
    *x = l->fx + a * (l->tx - l->fx);
    *y = l->fy + a * (l->ty - l->fy);
}

/* The driver's current move, when its state changed since the last frame. */
static void update_leg(mkt_map *m, uint32_t d) {
    mkt_world *w = m->w;
    const mkt_driver *dv = &w->drv[d];
    leg *l = &m->legs[d];
    if (dv->state == l->state && dv->state_since == l->since) return;
    leg n = {.tx = dv->x, .ty = dv->y, .state = dv->state, .since = dv->state_since};
    const mkt_request *r =
        dv->rider != MKT_GRID_NONE && mkt_req_live(w, dv->rider) ? mkt_req(w, dv->rider) : NULL;
    if (dv->state == D_TRIP && r) {
        n.fx = r->ox;
        n.fy = r->oy;
        n.t0 = r->t_pickup;
        n.t1 = n.t0 + mkt_travel_time(w, mkt_dist(r->ox, r->oy, r->dx, r->dy), n.t0);
    } else if (dv->state == D_PICKUP && r) {
        pos_at(l, r->t_assign, &n.fx, &n.fy);
        if (l->state == D_NSTATES) n.fx = n.tx, n.fy = n.ty; /* the first frame: start unknown */
        n.t0 = r->t_assign + w->sc->drivers.response_time;
        n.t1 = n.t0 + mkt_travel_time(w, mkt_dist(n.fx, n.fy, n.tx, n.ty), n.t0);
    } else if (dv->state == D_REPOS) {
        pos_at(l, dv->state_since, &n.fx, &n.fy);
        if (l->state == D_NSTATES) n.fx = n.tx, n.fy = n.ty;
        n.t0 = dv->state_since;
        n.t1 = n.t0 + mkt_travel_time(w, mkt_dist(n.fx, n.fy, n.tx, n.ty), n.t0);
    } else { /* idle or off: where it is */
        n.fx = dv->x;
        n.fy = dv->y;
        n.t0 = n.t1 = dv->state_since;
    }
    *l = n;
}

static json_int_t dm(double metres) {
    return (json_int_t)lround(metres / MKT_MAP_UNIT_M);
}

static void on_frame(sim *s, void *target, uint64_t data) {
    mkt_map *m = target;
    mkt_world *w = m->w;
    sim_time now = sim_now(s);
    json_t *fr = json_object(), *d = json_array(), *r = json_array();
    if (!fr || !d || !r) {
        json_decref(fr);
        json_decref(d);
        json_decref(r);
        m->failed = true;
        return;
    }
    static const int code[D_NSTATES] = {
        [D_OFF] = 0, [D_IDLE] = 1, [D_REPOS] = 1, [D_PICKUP] = 2, [D_TRIP] = 3};
    json_int_t riding = 0, online = 0;
    for (size_t i = 0; i < w->n_drv; i++) {
        uint8_t st = w->drv[i].state;
        riding += st == D_TRIP;
        online += st != D_OFF;
        if (i >= m->shown) continue;
        update_leg(m, (uint32_t)i);
        if (st == D_OFF) continue;
        double x, y;
        pos_at(&m->legs[i], now, &x, &y);
        json_array_append_new(d, json_integer((json_int_t)i));
        json_array_append_new(d, json_integer(dm(x)));
        json_array_append_new(d, json_integer(dm(y)));
        json_array_append_new(d, json_integer(code[st]));
    }
    /* Requests before the ring's head are over (models/market/riders.c). */
    if (m->low < w->req_head) m->low = w->req_head;
    while (m->low < w->n_req && mkt_req(w, (uint32_t)m->low)->status != R_WAITING &&
           mkt_req(w, (uint32_t)m->low)->status != R_ASSIGNED)
        m->low++;
    json_int_t waiting = 0, shown = 0;
    for (size_t k = m->low; k < w->n_req; k++) {
        const mkt_request *q = mkt_req(w, (uint32_t)k);
        if (q->status != R_WAITING && q->status != R_ASSIGNED) continue;
        waiting++;
        if ((size_t)shown >= m->o.riders) continue;
        shown++;
        json_array_append_new(r, json_integer(dm(q->ox)));
        json_array_append_new(r, json_integer(dm(q->oy)));
        json_array_append_new(r, json_integer(q->status == R_ASSIGNED));
    }
    json_object_set_new(fr, "t", json_integer((json_int_t)(now / SIM_SEC)));
    json_object_set_new(fr, "d", d);
    json_object_set_new(fr, "r", r);
    json_object_set_new(fr, "online", json_integer(online));
    json_object_set_new(fr, "waiting", json_integer(waiting));
    json_object_set_new(fr, "riding", json_integer(riding));
    if (w->pc->surge) {
        json_t *z = json_array();
        for (size_t k = 0; z && k < w->n_zones; k++)
            json_array_append_new(z, json_real(round(plat_surge(w->p, k) * 100) / 100));
        json_object_set_new(fr, "surge", z);
    }
    if (json_array_append_new(m->frames, fr) != 0) m->failed = true;
    m->done = (size_t)data + 1;
    sim_time next = now + m->o.every;
    if (m->done < m->o.frames && next < w->end) sim_schedule(s, next, on_frame, m, data + 1);
}

mkt_map *mkt_map_new(mkt_world *w, const mkt_map_opts *o, char *err, size_t errlen) {
    if (w->sc->market.mode != COOP_MODE_SPATIAL) {
        snprintf(err, errlen, "no map: the market is a queue without places (market.mode)");
        return NULL;
    }
    if (o->every <= 0 || o->frames == 0 || o->frames > MKT_MAP_FRAMES_MAX || o->from < 0 ||
        o->from >= w->end) {
        snprintf(err, errlen, "no map: the window is empty or past the end of the run");
        return NULL;
    }
    mkt_map *m = calloc(1, sizeof *m);
    size_t shown = w->n_drv < o->drivers ? w->n_drv : o->drivers;
    if (m) m->legs = calloc(shown ? shown : 1, sizeof *m->legs);
    if (m) m->frames = json_array();
    if (!m || !m->legs || !m->frames) {
        mkt_map_free(m);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->w = w;
    m->o = *o;
    m->shown = shown;
    for (size_t i = 0; i < shown; i++)
        m->legs[i].state = D_NSTATES; /* nothing known: the first frame reads the state */
    sim_schedule(w->s, o->from, on_frame, m, 0);
    return m;
}

json_t *mkt_map_json(const mkt_map *m) {
    const mkt_world *w = m->w;
    if (m->failed) return NULL;
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:O}", "platform",
                     w->pc->name, "from_s", (json_int_t)(m->o.from / SIM_SEC), "every_s",
                     (json_int_t)(m->o.every / SIM_SEC), "unit_m", (json_int_t)MKT_MAP_UNIT_M,
                     "width", dm(w->sc->city.width), "height", dm(w->sc->city.height), "zones_x",
                     (json_int_t)w->sc->city.zones_x, "zones_y", (json_int_t)w->sc->city.zones_y,
                     "drivers", (json_int_t)w->n_drv, "drivers_shown", (json_int_t)m->shown,
                     "surge", w->pc->surge, "frames", m->frames);
}

void mkt_map_free(mkt_map *m) {
    if (!m) return;
    json_decref(m->frames);
    free(m->legs);
    free(m);
}
