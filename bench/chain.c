/* Benchmark of the chain model: a 1,000-node proof-of-work network (SimBlock's 2019 Bitcoin
 * regions, 8 outbound peers, every node mining) making 1,000 blocks of 535 KB, each gossiped
 * hop by hop to every node; then a day of 60,000 ride payments (the flagship's load) on a
 * 100-node chain under each consensus. Prints median wall times of several runs. */
#include "models/ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 5

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct stopper {
    ledger *l;
    uint64_t blocks;
} stopper;

/* Stops the engine once the network has made the requested number of blocks. */
static void check_blocks(sim *s, void *ctx) {
    stopper *st = ctx;
    ledger_counts k;
    ledger_get_counts(st->l, &k);
    if (k.blocks >= st->blocks) sim_request_stop(s);
}

static void on_payment(sim *s, void *target, uint64_t n) {
    ledger *l = target;
    if (ledger_pay_ride(l, (uint32_t)(n % 20000), (uint32_t)(n % 2000), 1800, 600, n) != 0) {
        fprintf(stderr, "chain: payment refused\n");
        exit(1);
    }
    sim_schedule_in(s, SIM_DAY / 60000, on_payment, l, n + 1);
}

/* One simulated day of payments; returns the wall time, fills the final count. */
static double payments_day(int consensus, uint64_t seed, uint64_t *final, double *latency) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = consensus;
    c.nodes = 100;
    c.validators = consensus == LEDGER_POW ? 16 : 7;
    c.interval = consensus == LEDGER_POW ? SIM_MIN : 5 * SIM_SEC;
    c.confirmations = 6;
    char err[256];
    double t0 = wall_seconds();
    sim *s = sim_new(4096);
    ledger *l = ledger_new(s, &c, "load", seed, 0, 2000, err, sizeof err);
    if (!s || !l) {
        fprintf(stderr, "chain: %s\n", err);
        exit(1);
    }
    sim_schedule(s, 0, on_payment, l, 0);
    sim_run(s, SIM_DAY);
    ledger_stop(l);
    double t = wall_seconds() - t0;
    ledger_counts k;
    ledger_get_counts(l, &k);
    *final = k.final_txs;
    json_t *j = json_object();
    ledger_metrics(l, j);
    *latency = json_real_value(json_object_get(j, "confirm_latency_mean_s"));
    json_decref(j);
    ledger_free(l);
    sim_free(s);
    return t;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) return 1;
    int nodes = argc > 1 ? atoi(argv[1]) : 1000;
    int blocks = argc > 2 ? atoi(argv[2]) : 1000;
    if (nodes < 2 || blocks < 1) {
        fprintf(stderr, "usage: chain [NODES [BLOCKS]]\n");
        return 2;
    }
    double t[RUNS];
    ledger_counts k = {0};
    double stale = 0, prop = 0;
    for (int run = 0; run < RUNS; run++) {
        ledger_config c;
        ledger_config_defaults(&c);
        c.kind = LEDGER_CHAIN;
        c.consensus = LEDGER_POW;
        c.nodes = nodes;
        c.validators = nodes - 1;
        c.peers = 8;
        c.profile = LEDGER_NET_2019;
        c.interval = 10 * SIM_MIN;
        c.extra_bytes = 535000;
        c.retarget = 2016;
        char err[256];
        double t0 = wall_seconds();
        sim *s = sim_new(4096);
        ledger *l = ledger_new(s, &c, "bench", (uint64_t)run + 1, 0, 0, err, sizeof err);
        if (!s || !l) {
            fprintf(stderr, "chain: %s\n", err);
            return 1;
        }
        stopper st = {l, (uint64_t)blocks};
        sim_set_hook(s, check_blocks, &st, 64);
        sim_run(s, SIM_TIME_MAX);
        ledger_stop(l);
        t[run] = wall_seconds() - t0;
        ledger_get_counts(l, &k);
        json_t *j = json_object();
        ledger_metrics(l, j);
        stale = json_real_value(json_object_get(j, "stale_rate"));
        prop = json_real_value(json_object_get(j, "block_propagation_p50_s"));
        json_decref(j);
        ledger_free(l);
        sim_free(s);
    }
    qsort(t, RUNS, sizeof *t, cmp_double);
    printf("chain pow: %d nodes, %llu blocks (%llu stale, rate %.4f), propagation p50 %.2f s\n",
           nodes, (unsigned long long)k.blocks, (unsigned long long)k.stale_blocks, stale, prop);
    printf("wall time: median %.3f s, min %.3f s, max %.3f s over %d runs\n", t[RUNS / 2], t[0],
           t[RUNS - 1], RUNS);
    printf("BENCH chain_pow_1000x1000_s %.4f\n", t[RUNS / 2]);
    static const char *const names[] = {"pow", "poa", "bft"};
    for (int cons = 0; cons < 3; cons++) {
        uint64_t final = 0;
        double lat = 0;
        for (int run = 0; run < RUNS; run++)
            t[run] = payments_day(cons, (uint64_t)run + 1, &final, &lat);
        qsort(t, RUNS, sizeof *t, cmp_double);
        printf("payments %s: 60000/day on 100 nodes, %llu final (mean confirmation %.1f s), "
               "median %.3f s\n",
               names[cons], (unsigned long long) final, lat, t[RUNS / 2]);
        printf("BENCH chain_payments_day_%s_s %.4f\n", names[cons], t[RUNS / 2]);
    }
    return 0;
}
