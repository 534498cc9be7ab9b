/* Engine internals exposed only to the engine's own tests: lets a test reach the rare
 * sequence-number renumbering without scheduling 2^36 events. */
#ifndef SIM_ENGINE_INTERNAL_H
#define SIM_ENGINE_INTERNAL_H

#include "sim/engine.h"

/* Number of insertion-sequence values available before the engine renumbers pending events. */
uint64_t sim_engine_seq_limit(void);

/* Sets the next insertion-sequence number (tests only; must not be below the current one). */
void sim_engine_set_next_seq(sim *s, uint64_t seq);

#endif
