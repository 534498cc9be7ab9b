/* Named random streams seeded by hashing (master seed, replication, name) with SHA-256. */
#include "sim/rng.h"

#include <sodium.h>
#include <string.h>

static void put_le64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t sim_rng_seed(uint64_t master_seed, uint64_t replication, const char *name) {
    static const char tag[] = "coopsim-stream"; /* hashed with its terminating NUL */
    crypto_hash_sha256_state st;
    unsigned char num[16], digest[crypto_hash_sha256_BYTES];
    put_le64(num, master_seed);
    put_le64(num + 8, replication);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)tag, sizeof tag);
    crypto_hash_sha256_update(&st, num, sizeof num);
    crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name));
    crypto_hash_sha256_final(&st, digest);
    uint64_t seed = 0;
    for (int i = 7; i >= 0; i--)
        seed = (seed << 8) | digest[i];
    return seed;
}

gsl_rng *sim_rng_stream(uint64_t master_seed, uint64_t replication, const char *name) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) return NULL;
    /* MT19937 takes a 32-bit seed; fold the 64-bit hash so that both halves matter. Seed 0
     * would silently become GSL's default seed, so it is mapped to a fixed other value. */
    uint64_t h = sim_rng_seed(master_seed, replication, name);
    unsigned long s = (unsigned long)((h ^ (h >> 32)) & 0xffffffffu);
    gsl_rng_set(r, s ? s : 0x9e3779b9UL);
    return r;
}
