/* The peer-to-peer network: nodes placed in regions, a random regular-ish graph of links with
 * latency and bandwidth, and the flood of a block through it hop by hop.
 *
 * Region tables are SimBlock's (Aoki et al., "SimBlock: A Blockchain Network Simulator",
 * 2019; its NetworkConfiguration): mean latency between six regions, per-region upload and
 * download bandwidth, and the share of Bitcoin nodes in each region, for 2015 and 2019. */
#include "models/ledger/ledger_internal.h"
#include "sim/error.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_REGIONS 6 /* North America, Europe, South America, Asia-Pacific, Japan, Australia */

static const double lat_ms[2][N_REGIONS][N_REGIONS] = {
    {{36, 119, 255, 310, 154, 208},
     {119, 12, 221, 242, 266, 350},
     {255, 221, 137, 347, 256, 269},
     {310, 242, 347, 99, 172, 278},
     {154, 266, 256, 172, 9, 163},
     {208, 350, 269, 278, 163, 22}},
    {{32, 124, 184, 198, 151, 189},
     {124, 11, 227, 237, 252, 294},
     {184, 227, 88, 325, 301, 322},
     {198, 237, 325, 85, 58, 198},
     {151, 252, 301, 58, 12, 126},
     {189, 294, 322, 198, 126, 16}},
};
static const double down_bps[2][N_REGIONS] = {
    {25e6, 24e6, 6.5e6, 10e6, 17.5e6, 14e6},
    {52e6, 40e6, 18e6, 22.8e6, 22.8e6, 29.9e6},
};
static const double up_bps[2][N_REGIONS] = {
    {4.7e6, 8.1e6, 1.8e6, 5.3e6, 3.4e6, 5.2e6},
    {19.2e6, 20.7e6, 5.8e6, 15.7e6, 10.2e6, 11.3e6},
};
static const double region_share[2][N_REGIONS] = {
    {0.3869, 0.5159, 0.0113, 0.0574, 0.0119, 0.0166},
    {0.3316, 0.4998, 0.0090, 0.1177, 0.0224, 0.0195},
};

typedef struct {
    uint32_t a, b;
} edge;

static int cmp_edge(const void *x, const void *y) {
    const edge *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static int push_edge(edge **e, size_t *n, size_t *cap, uint32_t a, uint32_t b) {
    if (a == b) return 0;
    if (SIM_GROW(e, cap, *n + 1, 1024) != SIM_OK) return -1;
    (*e)[(*n)++] = a < b ? (edge){a, b} : (edge){b, a};
    return 0;
}

/* Per-message latency in SimBlock is Pareto with shape 5 around the table mean; here each
 * link draws its latency once, so a block's path through the graph is reproducible. */
static uint32_t link_latency(const ledger_config *cfg, gsl_rng *r, int ra, int rb) {
    if (cfg->profile == LEDGER_NET_FIXED) return (uint32_t)cfg->latency;
    double mean_us = 1000.0 * lat_ms[cfg->profile][ra][rb];
    double scale = mean_us * 0.8;
    double u = gsl_rng_uniform_pos(r);
    double v = scale / pow(u, 1.0 / 5.0);
    if (v > 60e6) v = 60e6;
    return (uint32_t)(v + 0.5);
}

static double link_us_per_byte(const ledger_config *cfg, int ra, int rb) {
    double bw;
    if (cfg->profile == LEDGER_NET_FIXED)
        bw = cfg->bandwidth;
    else
        bw = fmin(up_bps[cfg->profile][ra], down_bps[cfg->profile][rb]);
    return bw > 0 ? 8e6 / bw : 0.0;
}

int lnet_build(lnet *net, const ledger_config *cfg, gsl_rng *r, uint32_t n_miners) {
    uint32_t n = (uint32_t)cfg->nodes;
    memset(net, 0, sizeof *net);
    net->n = n;
    net->lat_mult = cfg->announce ? 3 : 1;
    net->region = calloc(n, 1);
    net->want = calloc(n, 1);
    if (!net->want) return -1;
    net->dist = malloc(n * sizeof *net->dist);
    if (!net->region || !net->dist) return -1;
    if (cfg->profile != LEDGER_NET_FIXED) {
        const double *sh = region_share[cfg->profile];
        for (uint32_t i = 0; i < n; i++) {
            double u = gsl_rng_uniform(r), c = 0;
            int k = 0;
            for (; k < N_REGIONS - 1; k++) {
                c += sh[k];
                if (u < c) break;
            }
            net->region[i] = (uint8_t)k;
        }
    }
    edge *e = NULL;
    size_t ne = 0, cap = 0;
    if (cfg->topology == LEDGER_TOPO_COMPLETE) {
        for (uint32_t i = 0; i < n; i++)
            for (uint32_t j = i + 1; j < n; j++)
                if (push_edge(&e, &ne, &cap, i, j)) goto oom;
    } else {
        uint32_t k = (uint32_t)cfg->peers < n - 1 ? (uint32_t)cfg->peers : n - 1;
        for (uint32_t i = 0; i < n; i++)
            for (uint32_t c = 0; c < k; c++) {
                uint32_t j = (uint32_t)gsl_rng_uniform_int(r, n - 1);
                if (j >= i) j++;
                if (push_edge(&e, &ne, &cap, i, j)) goto oom;
            }
        /* a ring through every node keeps the graph connected whatever the draws */
        for (uint32_t i = 0; n > 1 && i < n; i++)
            if (push_edge(&e, &ne, &cap, i, (i + 1) % n)) goto oom;
        if (cfg->consensus == LEDGER_POW && cfg->miner_links)
            for (uint32_t i = 0; i < n_miners; i++)
                for (uint32_t j = i + 1; j < n_miners; j++)
                    if (push_edge(&e, &ne, &cap, i, j)) goto oom;
    }
    if (ne) qsort(e, ne, sizeof *e, cmp_edge);
    size_t m = 0;
    for (size_t i = 0; i < ne; i++)
        if (m == 0 || e[i].a != e[m - 1].a || e[i].b != e[m - 1].b) e[m++] = e[i];
    net->off = calloc((size_t)n + 1, sizeof *net->off);
    net->adj = malloc((2 * m + 1) * sizeof *net->adj);
    net->lat = malloc((2 * m + 1) * sizeof *net->lat);
    net->us_per_byte = malloc((2 * m + 1) * sizeof *net->us_per_byte);
    uint32_t *fill = calloc(n, sizeof *fill);
    if (!net->off || !net->adj || !net->lat || !net->us_per_byte || !fill) {
        free(fill);
        goto oom;
    }
    for (size_t i = 0; i < m; i++) {
        net->off[e[i].a + 1]++;
        net->off[e[i].b + 1]++;
    }
    for (uint32_t i = 0; i < n; i++)
        net->off[i + 1] += net->off[i];
    for (size_t i = 0; i < m; i++) {
        uint32_t a = e[i].a, b = e[i].b;
        uint32_t lat = link_latency(cfg, r, net->region[a], net->region[b]);
        size_t pa = net->off[a] + fill[a]++, pb = net->off[b] + fill[b]++;
        net->adj[pa] = b;
        net->lat[pa] = lat;
        net->us_per_byte[pa] = link_us_per_byte(cfg, net->region[a], net->region[b]);
        net->adj[pb] = a;
        net->lat[pb] = lat;
        net->us_per_byte[pb] = link_us_per_byte(cfg, net->region[b], net->region[a]);
    }
    free(fill);
    free(e);
    net->heap_cap = 2 * m + n + 16;
    net->heap = malloc(net->heap_cap * sizeof *net->heap);
    return net->heap ? 0 : -1;
oom:
    free(e);
    return -1;
}

void lnet_free(lnet *net) {
    free(net->off);
    free(net->adj);
    free(net->lat);
    free(net->us_per_byte);
    free(net->region);
    free(net->want);
    free(net->dist);
    free(net->heap);
    memset(net, 0, sizeof *net);
}

void lnet_direct_parts(const lnet *net, const ledger_config *cfg, uint32_t a, uint32_t b,
                       double *lat, double *us_per_byte) {
    int ra = net->region[a], rb = net->region[b];
    *lat = cfg->profile == LEDGER_NET_FIXED ? (double)cfg->latency
                                            : 1000.0 * lat_ms[cfg->profile][ra][rb];
    *us_per_byte = link_us_per_byte(cfg, ra, rb);
}

sim_time lnet_direct(const lnet *net, const ledger_config *cfg, uint32_t a, uint32_t b,
                     size_t bytes) {
    if (a == b) return 0;
    double lat, upb;
    lnet_direct_parts(net, cfg, a, b, &lat, &upb);
    return (sim_time)(lat + (double)bytes * upb + 0.5);
}

/* A binary heap of (time << 24 | node): one 64-bit compare per step. */
#define NODE_BITS 24
static void heap_push(uint64_t *h, size_t *n, uint64_t v) {
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p] <= v) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = v;
}

static uint64_t heap_pop(uint64_t *h, size_t *n) {
    uint64_t top = h[0], v = h[--*n];
    size_t i = 0, m = *n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && h[c + 1] < h[c]) c++;
        if (h[c] >= v) break;
        h[i] = h[c];
        i = c;
    }
    if (m) h[i] = v;
    return top;
}

/* Gossip is computed as the earliest arrival over every relay path (Dijkstra over per-hop
 * delays = latency + size / bandwidth + the receiver's checking time). This is what an
 * event per message would produce, since a node relays a block once, at first receipt. */
void lnet_flood(lnet *net, uint32_t src, size_t bytes, sim_time proc, const bool *up) {
    uint32_t n = net->n;
    sim_time *d = net->dist;
    for (uint32_t i = 0; i < n; i++)
        d[i] = LTIME_INF;
    size_t hn = 0, settled = 0, wanted = 0;
    net->half = LTIME_INF;
    d[src] = 0;
    heap_push(net->heap, &hn, (uint64_t)src);
    double fb = (double)bytes;
    while (hn) {
        uint64_t top = heap_pop(net->heap, &hn);
        uint32_t u = (uint32_t)(top & ((1u << NODE_BITS) - 1));
        sim_time t = (sim_time)(top >> NODE_BITS);
        if (t != d[u]) continue;
        if (++settled == ((size_t)n + 1) / 2) net->half = t;
        if (net->want[u]) wanted++;
        /* the rest of the flood changes nothing anyone reads */
        if (wanted == net->n_want && net->half != LTIME_INF) break;
        for (uint32_t k = net->off[u]; k < net->off[u + 1]; k++) {
            uint32_t v = net->adj[k];
            if (up && !up[v]) continue;
            sim_time nt = t + (sim_time)net->lat_mult * net->lat[k] +
                          (sim_time)(fb * net->us_per_byte[k]) + proc;
            if (nt < d[v]) {
                d[v] = nt;
                if (hn < net->heap_cap) heap_push(net->heap, &hn, ((uint64_t)nt << NODE_BITS) | v);
            }
        }
    }
}
