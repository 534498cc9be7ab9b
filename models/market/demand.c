/* Demand: non-homogeneous Poisson requests by thinning, origins and destinations from weighted
 * hotspots plus a uniform background, and every rider attribute drawn from its own stream at
 * arrival, so that all worlds of a scenario see the same riders whatever happens next. */
#include "models/market/world.h"
#include "sim/error.h"
#include "sim/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gsl_rng *stream(mkt_world *w, const char *name) {
    return sim_rng_stream(w->seed, w->replication, name);
}

int mkt_demand_init(mkt_world *w, char *err, size_t errlen) {
    const coop_demand *d = &w->sc->demand;
    if (coop_demand_kind(d) == COOP_DEMAND_FILE &&
        mkt_tripfile_open(w->sc, &w->trips, err, errlen) != SIM_OK)
        return 2;
    double sum = 0;
    for (int h = 0; h < 24; h++)
        sum += d->profile.n == 24 ? d->profile.v[h] : 1.0;
    if (d->profile.n != 0 && d->profile.n != 24) {
        snprintf(err, errlen, "demand.profile has %zu values; it needs 24 (one per hour) or none",
                 d->profile.n);
        return 2;
    }
    if (!(sum > 0)) {
        snprintf(err, errlen, "demand.profile: at least one hour needs a positive multiplier");
        return 2;
    }
    w->rate_max = 0;
    for (int h = 0; h < 24; h++) {
        double m = d->profile.n == 24 ? d->profile.v[h] : 1.0;
        w->rate_mult[h] = d->rate * m * 24.0 / sum;
        if (w->rate_mult[h] > w->rate_max) w->rate_max = w->rate_mult[h];
    }
    /* A day busier than usual raises the thinning bound; quieter days keep it, so a run with
     * bad days draws the same candidate arrivals as one without and only accepts fewer. */
    double busiest = 1.0;
    for (size_t i = 0; i < d->days.n; i++)
        if (d->days.v[i] > busiest) busiest = d->days.v[i];
    w->rate_max *= busiest;
    size_t nh = d->hotspots.n;
    const coop_hotspot *hs = d->hotspots.items;
    double tot = 0;
    w->hot_cum = calloc(nh ? nh : 1, sizeof *w->hot_cum);
    if (!w->hot_cum) goto nomem;
    for (size_t i = 0; i < nh; i++) {
        tot += hs[i].weight;
        w->hot_cum[i] = tot;
    }
    if (nh > 0 && !(tot > 0)) {
        snprintf(err, errlen, "demand.hotspots: the weights add up to 0");
        return 2;
    }
    w->r_arrival = stream(w, "arrivals");
    w->r_origin = stream(w, "origins");
    w->r_dest = stream(w, "destinations");
    w->r_patience = stream(w, "patience");
    w->r_wtp = stream(w, "willingness_to_pay");
    w->r_service = stream(w, "service_times");
    if (!w->r_arrival || !w->r_origin || !w->r_dest || !w->r_patience || !w->r_wtp || !w->r_service)
        goto nomem;
    w->hash = 0xcbf29ce484222325ULL;
    return 0;
nomem:
    snprintf(err, errlen, "out of memory building the demand");
    return 2;
}

void mkt_demand_free(mkt_world *w) {
    gsl_rng *rs[] = {w->r_arrival, w->r_origin, w->r_dest, w->r_patience, w->r_wtp, w->r_service};
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
        if (rs[i]) gsl_rng_free(rs[i]);
    free(w->hot_cum);
    mkt_tripfile_close(w->trips);
    free(w->trip_err);
}

void mkt_draw_point(const mkt_world *w, gsl_rng *r, double *x, double *y) {
    const coop_demand *d = &w->sc->demand;
    const coop_city *c = &w->sc->city;
    size_t nh = d->hotspots.n;
    if (nh == 0 || gsl_rng_uniform(r) < d->background) {
        *x = gsl_rng_uniform(r) * c->width;
        *y = gsl_rng_uniform(r) * c->height;
        return;
    }
    double u = gsl_rng_uniform(r) * w->hot_cum[nh - 1];
    size_t k = 0;
    while (k + 1 < nh && u >= w->hot_cum[k])
        k++;
    const coop_hotspot *h = (const coop_hotspot *)d->hotspots.items + k;
    /* A point outside the city is drawn again (a truncated Gaussian); a hotspot lying mostly
     * outside would loop long, so after a few tries the point is clamped to the edge. */
    for (int tries = 0; tries < 20; tries++) {
        *x = h->x + gsl_ran_gaussian_ziggurat(r, h->radius);
        *y = h->y + gsl_ran_gaussian_ziggurat(r, h->radius);
        if (*x >= 0 && *x <= c->width && *y >= 0 && *y <= c->height) return;
    }
    *x = *x < 0 ? 0 : *x > c->width ? c->width : *x;
    *y = *y < 0 ? 0 : *y > c->height ? c->height : *y;
}

static void hash_bytes(uint64_t *h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= b[i];
        *h *= 0x100000001b3ULL;
    }
}

/* Next request time by thinning a Poisson process at the day's highest hourly rate. */
static sim_time next_arrival(mkt_world *w, sim_time from) {
    if (!(w->rate_max > 0)) return SIM_TIME_MAX;
    double t = (double)from / 1e6;
    for (;;) {
        t += gsl_ran_exponential(w->r_arrival, 1.0 / w->rate_max);
        if (t * 1e6 >= (double)w->end) return SIM_TIME_MAX;
        int64_t hours = (int64_t)(t / 3600.0);
        int h = (int)(hours % 24);
        size_t day = (size_t)(hours / 24);
        const sc_reals *days = &w->sc->demand.days;
        double rate = w->rate_mult[h] * (day < days->n ? days->v[day] : 1.0);
        if (gsl_rng_uniform(w->r_arrival) * w->rate_max < rate) return (sim_time)llround(t * 1e6);
    }
}

/* The next trip of the file, when it is requested before the end: read one line ahead so that
 * the file is never held in memory. A line that no longer reads (the file changed after it was
 * checked) stops the run with its position. */
static sim_time next_from_file(mkt_world *w) {
    char err[1024];
    bool got;
    if (mkt_tripfile_next(w->trips, &w->trip_next, &got, err, sizeof err) != SIM_OK) {
        w->trip_err = strdup(err);
        sim_request_stop(w->s);
        return SIM_TIME_MAX;
    }
    return got && w->trip_next.t < w->end ? w->trip_next.t : SIM_TIME_MAX;
}

int64_t mkt_deliver(mkt_world *w, const mkt_request *r) {
    /* Requests over by now leave the ring first, so it holds those under way. */
    uint32_t rid = mkt_riders_retire(w, false) == 0 ? mkt_req_new(w) : UINT32_MAX;
    if (rid == UINT32_MAX) {
        sim_request_stop(w->s); /* out of memory: mkt_run reports it */
        return -1;
    }
    *mkt_req(w, rid) = *r;
    size_t h = (size_t)(r->t_req / SIM_HOUR);
    if (h < w->n_hours) w->hours[h].requests++;
    if (w->sc->market.mode == COOP_MODE_SPATIAL)
        mkt_on_request(w, rid);
    else
        mkt_queue_on_request(w, rid);
    return rid;
}

static void on_arrival(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    sim_time now = sim_now(s);
    const coop_scenario *sc = w->sc;
    mkt_request rq, *r = &rq;
    memset(r, 0, sizeof *r);
    r->t_req = now;
    r->driver = MKT_GRID_NONE;
    r->status = R_WAITING;
    if (w->trips && sc->market.mode == COOP_MODE_SPATIAL) {
        r->ox = w->trip_next.ox;
        r->oy = w->trip_next.oy;
        r->dx = w->trip_next.dx;
        r->dy = w->trip_next.dy;
        r->dist = mkt_dist(r->ox, r->oy, r->dx, r->dy) * sc->city.detour;
        r->zone = mkt_zone(w, r->ox, r->oy);
    } else if (sc->market.mode == COOP_MODE_SPATIAL) {
        mkt_draw_point(w, w->r_origin, &r->ox, &r->oy);
        for (int tries = 0; tries < 50; tries++) {
            mkt_draw_point(w, w->r_dest, &r->dx, &r->dy);
            if (mkt_dist(r->ox, r->oy, r->dx, r->dy) >= sc->demand.min_trip) break;
        }
        r->dist = mkt_dist(r->ox, r->oy, r->dx, r->dy) * sc->city.detour;
        r->zone = mkt_zone(w, r->ox, r->oy);
    } else {
        r->service = sc->market.service == COOP_DIST_FIXED
                         ? sc->market.service_mean
                         : (sim_time)llround(
                               gsl_ran_exponential(w->r_service, (double)sc->market.service_mean));
    }
    switch (sc->riders.patience) {
    case COOP_DIST_EXPONENTIAL:
        r->patience =
            (sim_time)llround(gsl_ran_exponential(w->r_patience, (double)sc->riders.patience_mean));
        break;
    case COOP_DIST_FIXED:
        r->patience = sc->riders.patience_mean;
        break;
    default:
        r->patience = SIM_TIME_MAX;
        break;
    }
    /* A fare the file gives is what this rider paid: it stands for the median willingness to
     * pay (docs/own-demand.md); the spread is drawn as for any rider. */
    double base =
        w->trips && w->trip_next.fare >= 0
            ? (double)w->trip_next.fare
            : (double)sc->riders.wtp_base + (double)sc->riders.wtp_per_km * r->dist / 1000.0;
    r->wtp = (int64_t)llround(base *
                              exp(sc->riders.wtp_sigma * gsl_ran_gaussian_ziggurat(w->r_wtp, 1.0)));

    hash_bytes(&w->hash, &r->t_req, sizeof r->t_req);
    hash_bytes(&w->hash, &r->ox, 4 * sizeof r->ox);
    hash_bytes(&w->hash, &r->patience, sizeof r->patience);
    hash_bytes(&w->hash, &r->service, sizeof r->service);
    hash_bytes(&w->hash, &r->wtp, sizeof r->wtp);

    sim_time t = w->trips ? next_from_file(w) : next_arrival(w, now);
    if (t != SIM_TIME_MAX) sim_schedule(s, t, on_arrival, w, 0);

    /* A shared city's rider chooses among the apps they know; otherwise the one platform. */
    if (w->sh)
        mkt_shared_arrival(w->sh, r);
    else
        mkt_deliver(w, r);
}

void mkt_demand_start(mkt_world *w) {
    sim_time t = w->trips ? next_from_file(w) : next_arrival(w, 0);
    if (t != SIM_TIME_MAX) sim_schedule(w->s, t, on_arrival, w, 0);
}
