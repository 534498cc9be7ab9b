/* Named random streams: each source of randomness has its own GSL generator, seeded from
 * (master seed, replication, stream name), so adding a stream never shifts another's draws. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The seed a stream gets: the first 8 bytes, read as a little-endian integer, of
 * SHA-256("coopsim-stream\0" || le64(master) || le64(replication) || name). The MT19937
 * generator is then seeded with the two 32-bit halves of that value XORed together. */
uint64_t sim_rng_seed(uint64_t master_seed, uint64_t replication, const char *name);

/* A new MT19937 generator for the stream; NULL on allocation failure. Free with gsl_rng_free. */
gsl_rng *sim_rng_stream(uint64_t master_seed, uint64_t replication, const char *name);

#endif
