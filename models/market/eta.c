/* The pickup ETA in the quote, from the platform's own idle drivers near the rider, and what a
 * rider expects to wait when deciding (docs/model.md, "The ETA in the quote"). */
#include "models/market/eta.h"
#include "models/market/world.h"

#include <math.h>

sim_time mkt_eta_pickup(const mkt_world *w, double x, double y, bool *near) {
    sim_time now = sim_now(w->s);
    sim_time response = w->sc->drivers.response_time;
    /* The same radius dispatch searches: a driver the platform would not send promises nothing. */
    double radius = (double)w->sc->market.max_pickup / 1e6 * mkt_speed(w, now) / w->sc->city.detour;
    double dist = 0;
    uint32_t d = mkt_grid_nearest(w->idle, x, y, radius, &dist);
    if (near) *near = d != MKT_GRID_NONE;
    if (d == MKT_GRID_NONE) return response + w->sc->market.max_pickup;
    return response + mkt_travel_time(w, dist, now + response);
}

static bool shows_eta(const mkt_world *w) {
    return w->sc->riders.wait_estimate == COOP_WAIT_ETA && w->sc->market.mode == COOP_MODE_SPATIAL;
}

double mkt_eta_expected_wait_s(const mkt_world *w, uint32_t rid) {
    if (shows_eta(w)) return (double)mkt_req(w, rid)->eta / 1e6;
    return w->est_wait_s;
}

bool mkt_eta_balks(const mkt_world *w, uint32_t rid) {
    const mkt_request *r = mkt_req(w, rid);
    return shows_eta(w) && r->eta > r->patience;
}

void mkt_eta_note_refusal(mkt_world *w, uint32_t rid) {
    if (w->balked_zone && mkt_eta_balks(w, rid)) w->balked_zone[mkt_req(w, rid)->zone]++;
}

const uint32_t *mkt_eta_surge_demand(mkt_world *w) {
    if (!w->balked_zone) return w->open_zone;
    for (size_t z = 0; z < w->n_zones; z++) {
        w->surge_demand[z] = w->open_zone[z] + w->balked_zone[z];
        w->balked_zone[z] = 0;
    }
    return w->surge_demand;
}
