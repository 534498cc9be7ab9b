/* The city: a rectangle with a zone grid; travel time = straight-line distance x detour
 * factor / speed, the speed depending on the hour of the day. */
#include "models/market/world.h"

#include <math.h>

void mkt_city_init(mkt_world *w) {
    const coop_city *c = &w->sc->city;
    for (int h = 0; h < 24; h++) {
        /* coop_check_values keeps speed x multiplier within city.speed's 1-200 km/h */
        w->speed_mult[h] = c->speed_profile.n == 24 ? c->speed_profile.v[h] : 1.0;
    }
    w->n_zones = (size_t)(c->zones_x * c->zones_y);
}

double mkt_speed(const mkt_world *w, sim_time t) {
    int h = (int)((t / SIM_HOUR) % 24);
    return w->sc->city.speed * w->speed_mult[h];
}

sim_time mkt_travel_time(const mkt_world *w, double straight_m, sim_time t) {
    double secs = straight_m * w->sc->city.detour / mkt_speed(w, t);
    return (sim_time)llround(secs * 1e6);
}

uint32_t mkt_zone(const mkt_world *w, double x, double y) {
    const coop_city *c = &w->sc->city;
    int64_t zx = (int64_t)(x / c->width * (double)c->zones_x);
    int64_t zy = (int64_t)(y / c->height * (double)c->zones_y);
    zx = zx < 0 ? 0 : zx >= c->zones_x ? c->zones_x - 1 : zx;
    zy = zy < 0 ? 0 : zy >= c->zones_y ? c->zones_y - 1 : zy;
    return (uint32_t)(zy * c->zones_x + zx);
}

double mkt_dist(double x0, double y0, double x1, double y1) {
    return hypot(x1 - x0, y1 - y0);
}
