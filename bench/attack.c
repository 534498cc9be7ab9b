/* Benchmark of the double-spend attack: 10^4 trials at q = 0.3, z = 6 on a 1,000-node
 * proof-of-work network (SimBlock's 2019 Bitcoin regions, 8 outbound peers, 16 pools linked
 * directly, 10-minute blocks), as scenarios/attacks/double-spend.yaml. Prints the median
 * wall time of several runs and the measured success rate beside Rosenfeld's. */
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

typedef struct until {
    ledger *l;
    uint64_t trials;
} until;

static void check_trials(sim *s, void *ctx) {
    until *u = ctx;
    ledger_attack_counts a;
    ledger_get_attack_counts(u->l, &a);
    if (a.trials >= u->trials) sim_request_stop(s);
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) return 1;
    long trials = argc > 1 ? atol(argv[1]) : 10000;
    if (trials < 1) {
        fprintf(stderr, "usage: attack [TRIALS]\n");
        return 2;
    }
    double t[RUNS];
    ledger_attack_counts a = {0};
    ledger_counts k = {0};
    for (int run = 0; run < RUNS; run++) {
        ledger_config c;
        ledger_config_defaults(&c);
        c.kind = LEDGER_CHAIN;
        c.consensus = LEDGER_POW;
        c.nodes = 1000;
        c.validators = 16;
        c.peers = 8;
        c.profile = LEDGER_NET_2019;
        c.miner_links = true;
        c.interval = 10 * SIM_MIN;
        c.retarget = 0;
        c.confirmations = 6;
        c.adv_attack = LEDGER_ATTACK_DOUBLE_SPEND;
        c.adv_share = 0.3;
        c.adv_trials = trials;
        char err[256];
        double t0 = wall_seconds();
        sim *s = sim_new(4096);
        ledger *l = ledger_new(s, &c, "attack", (uint64_t)run + 1, 0, 1, err, sizeof err);
        if (!s || !l) {
            fprintf(stderr, "attack: %s\n", err);
            return 1;
        }
        until u = {l, (uint64_t)trials};
        sim_set_hook(s, check_trials, &u, 64);
        sim_run(s, SIM_TIME_MAX);
        ledger_stop(l);
        t[run] = wall_seconds() - t0;
        ledger_get_attack_counts(l, &a);
        ledger_get_counts(l, &k);
        ledger_free(l);
        sim_free(s);
    }
    qsort(t, RUNS, sizeof *t, cmp_double);
    printf("double spend q=0.3 z=6 on 1000 nodes: %llu trials, %llu successes (%.4f; Rosenfeld "
           "%.4f), %llu blocks (last run)\n",
           (unsigned long long)a.trials, (unsigned long long)a.successes,
           (double)a.successes / (double)a.trials, ledger_ds_rosenfeld(0.3, 6),
           (unsigned long long)k.blocks);
    printf("wall time: median %.3f s, min %.3f s, max %.3f s over %d runs\n", t[RUNS / 2], t[0],
           t[RUNS - 1], RUNS);
    printf("BENCH double_spend_1e4_trials_s %.4f\n", t[RUNS / 2]);
    return 0;
}
