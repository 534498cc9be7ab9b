/* Engine internals exposed only to the engine's own tests: lets a test reach the rare
 * sequence-number renumbering without scheduling 2^36 events, and the bucket ladder with
 * small queues. */
#ifndef SIM_ENGINE_INTERNAL_H
#define SIM_ENGINE_INTERNAL_H

#include "sim/engine.h"

/* Number of insertion-sequence values available before the engine renumbers pending events. */
uint64_t sim_engine_seq_limit(void);

/* Sets the next insertion-sequence number (tests only; must not be below the current one). */
void sim_engine_set_next_seq(sim *s, uint64_t seq);

/* Sets the number of pending events above which the ladder replaces the heap alone (tests
 * only: small values exercise the ladder with small queues; at least 4). */
void sim_engine_set_spill(sim *s, size_t pending);

/* Whether the bucket ladder is in use. */
bool sim_engine_ladder_active(const sim *s);

/* Entries stored in the heap and the ladder, cancelled ones not yet dropped included. */
size_t sim_engine_stored_entries(const sim *s);

#endif
