/* A shared city's riders as people (docs/model.md, "One city, several platforms"): a population
 * of riders.population riders, each request made by one of them; each rider knows an app or not
 * for good once it has learnt of it, remembers the app it last rode with (a switching cost on the
 * others in its choice) and which apps it has ridden with. Two bytes per rider, nothing per
 * request. */
#include "models/market/shared.h"
#include "sim/rng.h"

#include <stdlib.h>

/* SplitMix64's finalizer (docs/references.md#steele2014): a bijective mix of 64 bits. */
static uint64_t mix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

int mkt_pop_init(mkt_market *m, uint64_t seed, uint64_t replication) {
    const coop_riders *rc = &m->sc->riders;
    m->n_riders = (size_t)rc->population;
    /* its own stream, so that who makes a request shifts no other draw */
    m->r_rider = sim_rng_stream(seed, replication, "rider_identity");
    m->apps_key = sim_rng_seed(seed, replication, "rider_apps");
    m->rider_last = calloc(m->n_riders, 1);
    m->rider_used = calloc(m->n_riders, 1);
    if (rc->disappointment_cost > 0 && rc->disappointment_memory > 0) {
        m->rider_bad = calloc(m->n_riders, 1);
        m->rider_bad_until = calloc(m->n_riders, sizeof *m->rider_bad_until);
        if (!m->rider_bad || !m->rider_bad_until) return -1;
    }
    return m->r_rider && m->rider_last && m->rider_used ? 0 : -1;
}

void mkt_pop_free(mkt_market *m) {
    if (m->r_rider) gsl_rng_free(m->r_rider);
    free(m->rider_last);
    free(m->rider_used);
    free(m->rider_bad);
    free(m->rider_bad_until);
}

/* If each of N riders asks for trips as a Poisson process of rate λ/N, their requests together
 * are the one stream of rate λ, and each request is any one of them with probability 1/N: the
 * rider of a request is a uniform draw, independent of where and when it is made. */
uint32_t mkt_pop_draw(mkt_market *m) {
    return (uint32_t)gsl_rng_uniform_int(m->r_rider, (unsigned long)m->n_riders);
}

/* Rider i's threshold for app p, uniform in [0, 1) and fixed for the run: a counter-based draw
 * of the stream rider_apps (its seed mixed with the rider and the app), so that it needs no
 * memory. The rider knows the app while the app's awareness is above it; awareness only grows,
 * so a rider who knows an app keeps knowing it, and the riders who learn of it on a day are a
 * random share of those who did not know it: Bass diffusion rider by rider. */
bool mkt_pop_knows(const mkt_market *m, uint32_t rider, size_t p) {
    uint64_t h = mix64(m->apps_key ^ mix64(((uint64_t)rider << 3) | (uint64_t)p));
    double u = (double)(h >> 11) * 0x1p-53;
    return u < m->aware[p];
}

static uint32_t minutes(sim_time t) {
    int64_t mins = t / SIM_MIN;
    return mins < (int64_t)UINT32_MAX ? (uint32_t)mins : UINT32_MAX;
}

double mkt_pop_habit_cost(const mkt_market *m, uint32_t rider, size_t p, sim_time now) {
    const coop_riders *rc = &m->sc->riders;
    uint8_t last = m->rider_last[rider];
    double cost = last != 0 && last != p + 1 ? (double)rc->switching_cost : 0.0;
    if (m->rider_bad && m->rider_bad[rider] == p + 1 && minutes(now) < m->rider_bad_until[rider])
        cost += (double)rc->disappointment_cost;
    return cost;
}

/* A rider remembers one failed wait, the latest: an app it gave up on replaces the one before,
 * and memory runs from the last time, to the minute. */
void mkt_pop_disappointed(mkt_market *m, uint32_t rider, size_t p, sim_time now) {
    if (!m->rider_bad) return;
    m->rider_bad[rider] = (uint8_t)(p + 1);
    m->rider_bad_until[rider] = minutes(now + m->sc->riders.disappointment_memory);
}

void mkt_shared_rode(mkt_world *w, uint32_t rid) {
    mkt_market *m = w->sh;
    uint32_t i = mkt_req(w, rid)->rider;
    uint8_t last = m->rider_last[i];
    if (last != 0 && last != w->index + 1) m->switches++;
    m->rider_last[i] = (uint8_t)(w->index + 1);
    m->rider_used[i] |= (uint8_t)(1u << w->index);
}

void mkt_pop_counts(const mkt_market *m, int64_t *rode, int64_t *several) {
    *rode = *several = 0;
    for (size_t i = 0; i < m->n_riders; i++) {
        uint8_t u = m->rider_used[i];
        *rode += u != 0;
        *several += (u & (u - 1)) != 0; /* more than one bit */
    }
}
