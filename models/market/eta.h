/* The pickup ETA a platform shows in its quote, estimated from its own idle drivers near the
 * rider, and the rider's decision on price and ETA (docs/model.md, "The ETA in the quote").
 * Small on purpose: a market where riders compare several platforms asks each one for this. */
#ifndef MODELS_MARKET_ETA_H
#define MODELS_MARKET_ETA_H

#include "models/market/market.h"
#include "sim/engine.h"

#include <stdbool.h>
#include <stdint.h>

/* The ETA the platform of world w shows a rider standing at (x, y) now: the drivers' response
 * time plus the travel time, at the current speed, from its nearest idle driver within the
 * pickup radius (market.max_pickup of travel). With no idle driver in the radius the platform
 * cannot promise better than its farthest dispatch: response time + market.max_pickup, and
 * *near (when not NULL) is set false. Spatial mode only; it draws no random numbers and changes
 * nothing, so asking costs one nearest-neighbour search of the idle drivers' grid. */
sim_time mkt_eta_pickup(const mkt_world *w, double x, double y, bool *near);

/* What a rider expects to wait (seconds) when deciding on a quote for request rid: the ETA shown
 * (riders.wait_estimate: eta, spatial mode) or the riders' running mean of recent waits
 * (riders.wait_estimate: average, the default, and always in queue mode). */
double mkt_eta_expected_wait_s(const mkt_world *w, uint32_t rid);

/* Surge in a market where riders see the ETA: riders who do not book because no driver is near
 * never wait in the platform's queue, yet they are demand it did not meet. A refused request
 * (rid) that balked at the ETA is noted for its zone, and mkt_eta_surge_demand gives surge the
 * unassigned riders per zone plus those noted since the last update (then clears them). With
 * riders.wait_estimate: average nothing is noted and it returns the unassigned riders. */
void mkt_eta_note_refusal(mkt_world *w, uint32_t rid);
const uint32_t *mkt_eta_surge_demand(mkt_world *w);

/* Whether the rider of request rid, shown an ETA longer than their own patience, does not book
 * at all rather than book and abandon (riders.wait_estimate: eta only; false otherwise). A rider
 * who books waits by their own clock: they abandon when their patience has run since their own
 * request with no driver assigned. */
bool mkt_eta_balks(const mkt_world *w, uint32_t rid);

#endif
