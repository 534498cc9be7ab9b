/* Fast variates over a GSL generator: the ziggurat exponential (Marsaglia & Tsang 2000) with
 * 256 layers, tables built once per process from the defining recurrence. */
#include "sim/rand.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define LAYERS 256
#define U53 9007199254740992.0 /* 2^53 */

/* The ziggurat's rightmost layer edge r and the common area v of its 256 layers (base layer
 * including the tail beyond r), for f(x) = exp(-x), as published by Marsaglia & Tsang. */
#define ZIG_R 7.69711747013104972
#define ZIG_V 3.949659822581572e-3

/* Layer i spans x in [0, edge[i]) and y between f(edge[i]) and f(edge[i+1]); edge[0] is the
 * base layer's virtual width v / f(r), edge[1] = r, edge[i+1] = -log(v / edge[i] + f(edge[i])),
 * edge[256] = 0. A draw x = u * edge[i] below edge[i+1] lies under the curve for sure:
 * accept_below[i] = floor(2^53 * edge[i+1] / edge[i]) turns that test into an integer one. */
static uint64_t accept_below[LAYERS];
static double scale[LAYERS];      /* edge[i] / 2^53 */
static double f_edge[LAYERS + 1]; /* exp(-edge[i]) */
static atomic_bool tables_ready;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void) {
    double edge[LAYERS + 1];
    edge[0] = ZIG_V / exp(-ZIG_R);
    edge[1] = ZIG_R;
    for (int i = 1; i < LAYERS - 1; i++)
        edge[i + 1] = -log(ZIG_V / edge[i] + exp(-edge[i]));
    edge[LAYERS] = 0.0;
    for (int i = 0; i < LAYERS; i++) {
        accept_below[i] = (uint64_t)(U53 * (edge[i + 1] / edge[i]));
        scale[i] = edge[i] / U53;
    }
    for (int i = 0; i <= LAYERS; i++)
        f_edge[i] = exp(-edge[i]);
    atomic_store_explicit(&tables_ready, true, memory_order_release);
}

bool sim_rand_full32(const gsl_rng *r) {
    return r->type->min == 0 && r->type->max == UINT32_MAX;
}

uint64_t sim_rand_bits64(gsl_rng *r) {
    /* The generator's own function, called directly: gsl_rng_get is an out-of-line call
     * unless the caller defines HAVE_INLINE. */
    uint64_t hi = r->type->get(r->state);
    return (hi << 32) | (uint64_t)r->type->get(r->state);
}

double sim_rand_uniform(gsl_rng *r) {
    if (!sim_rand_full32(r)) return gsl_rng_uniform(r);
    return (double)(sim_rand_bits64(r) >> 11) / U53;
}

/* A unit exponential; the low 8 bits choose the layer and the top 53 the position in it. */
static double zig_unit(gsl_rng *r) {
    for (;;) {
        uint64_t bits = sim_rand_bits64(r);
        unsigned i = (unsigned)(bits & (LAYERS - 1));
        uint64_t j = bits >> 11;
        double x = (double)j * scale[i];
        if (j < accept_below[i]) return x;
        if (i == 0) {
            /* The tail beyond r is r plus a fresh exponential (memorylessness). */
            double u = (double)((sim_rand_bits64(r) >> 11) + 1) / U53; /* (0, 1] */
            return ZIG_R - log(u);
        }
        /* In the wedge between the layer's rectangle and the curve: accept under f. */
        double u = (double)(sim_rand_bits64(r) >> 11) / U53;
        double y = f_edge[i] + u * (f_edge[i + 1] - f_edge[i]);
        if (y < exp(-x)) return x;
    }
}

double sim_rand_exponential(gsl_rng *r, double mean) {
    if (!atomic_load_explicit(&tables_ready, memory_order_acquire))
        pthread_once(&tables_once, build_tables);
    if (!sim_rand_full32(r)) return -mean * log1p(-gsl_rng_uniform(r));
    return mean * zig_unit(r);
}
