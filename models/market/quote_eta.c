/* The pickup time an app shows a rider who opens it (a shared market's riders compare apps on
 * it): the nearest of the app's idle drivers, the drivers' response time plus the drive at
 * today's speed; no idle driver within reach: the longest pickup the market allows. One small
 * estimate in one function, so that a better one (traffic, drivers about to be free) can take
 * its place. */
#include "models/market/world.h"

sim_time mkt_quote_eta(const mkt_world *w, const mkt_request *r) {
    sim_time now = sim_now(w->s);
    double radius = (double)w->sc->market.max_pickup / 1e6 * mkt_speed(w, now) / w->sc->city.detour;
    double dist;
    uint32_t d = mkt_grid_nearest(w->idle, r->ox, r->oy, radius, &dist);
    if (d == MKT_GRID_NONE) return w->sc->market.max_pickup;
    sim_time go = now + w->sc->drivers.response_time;
    return w->sc->drivers.response_time + mkt_travel_time(w, dist, go);
}
