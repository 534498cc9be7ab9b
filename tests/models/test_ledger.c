/* Tests of the chain ledger under proof of work and proof of authority: fork rate against
 * theory, reorganisations that lose nothing, conservation, determinism, fee priority, missed
 * slots, and the central back end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

typedef struct finals {
    uint64_t n;
    uint64_t tags[4096];
    double latency_sum;
} finals;

static void on_final(void *ctx, uint64_t tag, sim_time sub, sim_time at) {
    finals *f = ctx;
    if (f->n < 4096) f->tags[f->n] = tag;
    f->n++;
    f->latency_sum += (double)(at - sub) / 1e6;
}

static ledger_config pow_config(int64_t nodes, sim_time d, sim_time T) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = LEDGER_POW;
    c.nodes = nodes;
    c.validators = nodes - 1;
    c.topology = LEDGER_TOPO_COMPLETE;
    c.profile = LEDGER_NET_FIXED;
    c.latency = d;
    c.bandwidth = 0;
    c.processing = 0;
    c.announce = false;
    c.interval = T;
    c.retarget = 0;
    c.confirmations = 6;
    c.tx_delay = 0;
    c.check_conservation = true;
    return c;
}

/* A synthetic load: one ride payment every `gap`, riders and drivers in turn. */
typedef struct load {
    ledger *l;
    sim_time gap;
    uint64_t n, max;
    uint32_t drivers;
} load;

static void on_load(sim *s, void *target, uint64_t data) {
    load *ld = target;
    if (ld->n >= ld->max) return;
    uint32_t rider = (uint32_t)(ld->n % 97), driver = (uint32_t)(ld->n % ld->drivers);
    assert_int_equal(
        ledger_pay_ride(ld->l, rider, driver, 1500 + (int64_t)(ld->n % 7) * 100, 500, ld->n),
        LEDGER_OK);
    ld->n++;
    sim_schedule_in(s, ld->gap, on_load, ld, 0);
}

/* With block interval T and every block reaching every miner after exactly d, a block is
 * orphaned with probability about 1 - exp(-(1 - 1/m) d / T) (m equal miners: a miner never
 * races itself). The tolerance is four binomial standard errors of the measured rate over
 * the number of blocks, plus the second-order term the formula leaves out. */
static void test_pow_fork_rate(void **state) {
    const int64_t nodes = 41;
    const sim_time T = 10 * SIM_SEC, d = 1 * SIM_SEC;
    ledger_config c = pow_config(nodes, d, T);
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "fork", 7, 0, 10, err, sizeof err);
    assert_non_null(l);
    sim_run(s, 4000 * T);
    ledger_stop(l);
    sim_run(s, sim_now(s) + 60 * SIM_SEC);
    ledger_counts k;
    ledger_get_counts(l, &k);
    double n = (double)(k.main_blocks + k.stale_blocks);
    double rate = (double)k.stale_blocks / n;
    double m = (double)(nodes - 1);
    double p = 1 - exp(-(1 - 1 / m) * (double)d / (double)T);
    double tol = 4 * sqrt(p * (1 - p) / n) + p * p;
    printf("# fork rate: %.4f over %.0f blocks, theory %.4f +- %.4f\n", rate, n, p, tol);
    assert_true(fabs(rate - p) <= tol);
    assert_true(k.reorgs > 0);
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    sim_free(s);
}

/* Frequent forks (d/T = 0.4) under a steady payment load: every payment is final in the
 * end, exactly once, and the token accounts add up at every block. */
static void test_pow_reorg_loses_nothing(void **state) {
    ledger_config c = pow_config(21, 2 * SIM_SEC, 5 * SIM_SEC);
    c.confirmations = 3;
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "reorg", 3, 0, 10, err, sizeof err);
    assert_non_null(l);
    finals f = {0};
    ledger_on_final(l, on_final, &f);
    load ld = {l, 700 * SIM_MSEC, 0, 1500, 10};
    sim_schedule(s, 0, on_load, &ld, 0);
    sim_run(s, 3000 * SIM_SEC);
    ledger_counts k;
    ledger_get_counts(l, &k);
    printf("# reorg test: %llu blocks, %llu stale, %llu reorgs\n", (unsigned long long)k.blocks,
           (unsigned long long)k.stale_blocks, (unsigned long long)k.reorgs);
    assert_true(k.reorgs >= 3);
    assert_true(k.stale_blocks > 50);
    assert_int_equal(f.n, 1500);
    assert_int_equal(k.pending, 0);
    uint8_t seen[1500] = {0};
    for (uint64_t i = 0; i < f.n; i++) {
        assert_true(f.tags[i] < 1500);
        assert_int_equal(seen[f.tags[i]], 0);
        seen[f.tags[i]] = 1;
    }
    json_t *j = json_object();
    assert_int_equal(ledger_metrics(l, j), 0);
    json_t *checks = json_object_get(j, "checks");
    assert_int_equal(json_integer_value(json_object_get(checks, "token_conservation_error")), 0);
    assert_int_equal(json_integer_value(json_object_get(checks, "invalid_transactions")), 0);
    assert_true(json_integer_value(json_object_get(checks, "conservation_checked_blocks")) > 100);
    int64_t total = 0;
    for (uint32_t d = 0; d < 10; d++)
        total += ledger_balance(l, ledger_driver_account(l, d));
    int64_t expect = 0;
    for (uint64_t i = 0; i < 1500; i++)
        expect += 1500 + (int64_t)(i % 7) * 100;
    assert_int_equal(total, expect);
    json_decref(j);
    ledger_free(l);
    sim_free(s);
}

static void run_fingerprint(uint64_t seed, char fp[65]) {
    ledger_config c = pow_config(16, 500 * SIM_MSEC, 5 * SIM_SEC);
    c.topology = LEDGER_TOPO_RANDOM;
    c.profile = LEDGER_NET_2019;
    c.tx_delay = SIM_SEC;
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "det", seed, 0, 5, err, sizeof err);
    assert_non_null(l);
    load ld = {l, SIM_SEC, 0, 300, 5};
    sim_schedule(s, 0, on_load, &ld, 0);
    sim_run(s, 600 * SIM_SEC);
    ledger_fingerprint(l, fp);
    ledger_free(l);
    sim_free(s);
}

static void test_determinism(void **state) {
    char a[65], b[65], c[65];
    run_fingerprint(11, a);
    run_fingerprint(11, b);
    run_fingerprint(12, c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

/* A block with room for five transactions takes the five best fees per byte. */
static void test_mempool_fee_priority(void **state) {
    ledger_config c = pow_config(3, 10 * SIM_MSEC, 60 * SIM_SEC);
    c.confirmations = 1;
    c.block_max_bytes = 5 * 110; /* a one-output deposit is 42 + 64 = 106 bytes */
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "fees", 1, 0, 2, err, sizeof err);
    assert_non_null(l);
    finals f = {0};
    ledger_on_final(l, on_final, &f);
    const int64_t fees[20] = {5,  90, 13, 77, 2,  64, 31, 99, 8,  45,
                              70, 1,  88, 23, 56, 17, 3,  81, 40, 9};
    for (int i = 0; i < 20; i++) {
        uint32_t a = ledger_rider_account(l, (uint32_t)i);
        ledger_tx_spec t = {.type = LEDGER_TX_DEPOSIT, .from = a, .fee = fees[i], .n_out = 1};
        t.out[0] = (ledger_out){a, 1000};
        assert_int_equal(ledger_submit(l, &t, 0, (uint64_t)i), LEDGER_OK);
    }
    ledger_counts k;
    while (f.n == 0 && sim_run(s, sim_now(s) + SIM_SEC) != SIM_STOP_EMPTY)
        ;
    ledger_get_counts(l, &k);
    assert_int_equal(f.n, 5);
    int64_t got[5];
    for (int i = 0; i < 5; i++)
        got[i] = fees[f.tags[i]];
    const int64_t best[5] = {99, 90, 88, 81, 77};
    for (int i = 0; i < 5; i++) {
        bool found = false;
        for (int j = 0; j < 5; j++)
            found |= got[j] == best[i];
        assert_true(found);
    }
    ledger_free(l);
    sim_free(s);
}

/* A payment offers more per byte than the rider's deposit before it (6 cents for 118 bytes
 * against 5 for 106): the block takes both together, deposit first, so the payment is final
 * after the first block rather than waiting for a second. */
static void test_mempool_ancestor_package(void **state) {
    ledger_config c = pow_config(3, 10 * SIM_MSEC, 60 * SIM_SEC);
    c.confirmations = 1;
    c.fee_per_byte = 0.05;
    char err[256];
    sim *s = sim_new(256);
    ledger *l = ledger_new(s, &c, "package", 2, 0, 1, err, sizeof err);
    assert_non_null(l);
    finals f = {0};
    ledger_on_final(l, on_final, &f);
    assert_int_equal(ledger_pay_ride(l, 0, 0, 1500, 500, 77), LEDGER_OK);
    ledger_counts k = {0};
    while (k.height == 0 && sim_run(s, sim_now(s) + SIM_SEC) != SIM_STOP_EMPTY)
        ledger_get_counts(l, &k);
    assert_int_equal(k.height, 1);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.tags[0], 77);
    assert_int_equal(ledger_balance(l, ledger_driver_account(l, 0)), 1500);
    ledger_free(l);
    sim_free(s);
}

/* Four authorities, one down for the first 40 slots: a quarter of those slots are missed,
 * the chain keeps growing and payments become final after three authorities built on them. */
static void test_poa_missed_slots(void **state) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = LEDGER_POA;
    c.nodes = 6;
    c.validators = 4;
    c.profile = LEDGER_NET_FIXED;
    c.latency = 50 * SIM_MSEC;
    c.interval = 5 * SIM_SEC;
    c.check_conservation = true;
    ledger_fault fault = {1, 0, 200 * SIM_SEC + 1};
    c.faults = (sc_list){&fault, 1};
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "poa", 1, 0, 4, err, sizeof err);
    assert_non_null(l);
    finals f = {0};
    ledger_on_final(l, on_final, &f);
    load ld = {l, 2 * SIM_SEC, 0, 100, 4};
    sim_schedule(s, 0, on_load, &ld, 0);
    sim_run(s, 400 * SIM_SEC);
    ledger_counts k;
    ledger_get_counts(l, &k);
    assert_int_equal(k.missed_slots, 10);
    assert_int_equal(k.blocks, 80 - 10);
    assert_int_equal(k.stale_blocks, 0);
    assert_int_equal(f.n, 100);
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    sim_free(s);
}

static void test_central_instant(void **state) {
    ledger_config c;
    ledger_config_defaults(&c);
    char err[256];
    sim *s = sim_new(64);
    ledger *l = ledger_new(s, &c, "central", 1, 0, 3, err, sizeof err);
    assert_non_null(l);
    finals f = {0};
    ledger_on_final(l, on_final, &f);
    sim_run(s, 100 * SIM_SEC);
    assert_int_equal(ledger_pay_ride(l, 0, 2, 1800, 600, 42), LEDGER_OK);
    sim_run(s, 100 * SIM_SEC);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.tags[0], 42);
    assert_true(f.latency_sum == 0);
    assert_int_equal(ledger_balance(l, ledger_driver_account(l, 2)), 1800);
    assert_int_equal(ledger_balance(l, LEDGER_ACCOUNT_TREASURY) >= 600, 1);
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    sim_free(s);
}

/* Half the hash power crashes: blocks come every 2T until the retarget (every 20 blocks)
 * halves the difficulty, then every T again. Without the retarget 2,000 s would bring ~100
 * blocks; with it ~200 (Poisson sd ~14). */
static void test_pow_retarget(void **state) {
    ledger_config c = pow_config(3, 10 * SIM_MSEC, 10 * SIM_SEC);
    c.retarget = 20;
    ledger_fault down = {0, 0, 0};
    c.faults = (sc_list){&down, 1};
    char err[256];
    sim *s = sim_new(256);
    ledger *l = ledger_new(s, &c, "retarget", 4, 0, 1, err, sizeof err);
    assert_non_null(l);
    sim_run(s, 1000 * SIM_SEC);
    ledger_counts a, b;
    ledger_get_counts(l, &a);
    sim_run(s, 3000 * SIM_SEC);
    ledger_get_counts(l, &b);
    uint64_t made = b.height - a.height;
    printf("# retarget: %llu blocks in 2000 s at half the hash power\n", (unsigned long long)made);
    assert_true(a.height >= 40);
    assert_true(made >= 150 && made <= 250);
    ledger_free(l);
    sim_free(s);
}

/* A subsidised trip: the rider pays less than the driver gets and the treasury pays the
 * difference; on a chain the rider also pays the fee, on the central ledger there is none. */
static void test_subsidised_payment(void **state) {
    for (int kind = LEDGER_CENTRAL; kind <= LEDGER_CHAIN; kind++) {
        ledger_config c;
        ledger_config_defaults(&c);
        c.kind = kind;
        c.consensus = LEDGER_POA;
        c.nodes = 5;
        c.validators = 3;
        c.interval = SIM_SEC;
        c.fee_per_byte = 1;
        c.check_conservation = true;
        char err[256];
        sim *s = sim_new(256);
        ledger *l = ledger_new(s, &c, "subsidy", 1, 0, 2, err, sizeof err);
        assert_non_null(l);
        finals f = {0};
        ledger_on_final(l, on_final, &f);
        assert_int_equal(ledger_pay_ride(l, 4, 1, 1000, -300, 9), LEDGER_OK);
        assert_int_equal(ledger_payment_fee(l), kind == LEDGER_CHAIN ? 118 : 0);
        sim_run(s, 60 * SIM_SEC);
        assert_int_equal(f.n, 1);
        assert_int_equal(ledger_balance(l, ledger_driver_account(l, 1)), 1000);
        assert_int_equal(ledger_balance(l, LEDGER_ACCOUNT_TREASURY), 0);
        assert_int_equal(ledger_balance(l, ledger_rider_account(l, 4)), 0);
        assert_int_equal(ledger_conservation_error(l), 0);
        ledger_free(l);
        sim_free(s);
    }
}

/* La'Zooz: 1 km at 36 km/h earns reward_per_km; walking pace and 250 km/h earn nothing. */
static void test_movement_rule(void **state) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.reward_per_km = 1000;
    assert_int_equal(ledger_reward_rule(&c, 1000, 100), 1000000000);
    assert_int_equal(ledger_reward_rule(&c, 1000, 1000), 0);         /* 3.6 km/h */
    assert_int_equal(ledger_reward_rule(&c, 10000, 144), 0);         /* 250 km/h */
    assert_int_equal(ledger_reward_rule(&c, 2500, 300), 2500000000); /* 30 km/h */
    c.reward_enabled = true;
    c.reward_halving = 3000;
    c.reward_cap = 5000;
    char err[256];
    sim *s = sim_new(64);
    ledger *l = ledger_new(s, &c, "zooz", 1, 0, 2, err, sizeof err);
    assert_non_null(l);
    assert_int_equal(ledger_reward_movement(l, 0, 2000, 200, 1), 2000);
    assert_int_equal(ledger_reward_movement(l, 1, 2000, 200, 2), 2000);
    assert_int_equal(ledger_reward_movement(l, 0, 2000, 200, 3), 1000); /* halved */
    assert_int_equal(ledger_reward_movement(l, 0, 2000, 200, 4), 0);    /* cap reached */
    sim_run(s, SIM_SEC);
    assert_int_equal(ledger_balance(l, ledger_driver_account(l, 0)), 3000);
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    /* La'Zooz default: half a base unit per km; the half is carried, never lost */
    ledger_config_defaults(&c);
    c.reward_enabled = true;
    l = ledger_new(s, &c, "zooz2", 1, 0, 1, err, sizeof err);
    assert_non_null(l);
    assert_int_equal(ledger_reward_movement(l, 0, 1000, 120, 1), 0);
    assert_int_equal(ledger_reward_movement(l, 0, 1000, 120, 2), 1);
    assert_int_equal(ledger_reward_movement(l, 0, 1000, 120, 3), 0);
    assert_int_equal(ledger_reward_movement(l, 0, 3000, 360, 4), 2);
    sim_run(s, 2 * SIM_SEC);
    assert_int_equal(ledger_balance(l, ledger_driver_account(l, 0)), 3);
    ledger_free(l);
    sim_free(s);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pow_fork_rate),    cmocka_unit_test(test_pow_reorg_loses_nothing),
        cmocka_unit_test(test_determinism),      cmocka_unit_test(test_mempool_fee_priority),
        cmocka_unit_test(test_poa_missed_slots), cmocka_unit_test(test_central_instant),
        cmocka_unit_test(test_movement_rule),    cmocka_unit_test(test_subsidised_payment),
        cmocka_unit_test(test_pow_retarget),     cmocka_unit_test(test_mempool_ancestor_package),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
