/* Tests of bft.empty_blocks = false (Tendermint's create_empty_blocks = false): heights start
 * only when a transaction waits, every payment is still final, and crashes behave as before. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>

static uint64_t finals;

static void on_final(void *ctx, uint64_t tag, sim_time sub, sim_time at) {
    finals++;
}

/* 100 payments, one every 5 s, then silence */
static void on_pay(sim *s, void *target, uint64_t n) {
    ledger *l = target;
    assert_int_equal(ledger_pay_ride(l, (uint32_t)(n % 13), (uint32_t)(n % 3), 900, 100, n),
                     LEDGER_OK);
    if (n + 1 < 100) sim_schedule_in(s, 5 * SIM_SEC, on_pay, l, n + 1);
}

static uint64_t run(bool empty_blocks, ledger_fault *faults, size_t n_faults, uint64_t *h_quiet) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = LEDGER_BFT;
    c.nodes = 8;
    c.validators = 7;
    c.profile = LEDGER_NET_2019;
    c.interval = SIM_SEC;
    c.bft_timeout = SIM_SEC;
    c.tx_delay = 500 * SIM_MSEC;
    c.bft_empty_blocks = empty_blocks;
    c.check_conservation = true;
    c.faults = (sc_list){faults, n_faults};
    char err[256];
    sim *s = sim_new(4096);
    ledger *l = ledger_new(s, &c, "bft", 5, 0, 3, err, sizeof err);
    assert_non_null(l);
    finals = 0;
    ledger_on_final(l, on_final, NULL);
    sim_schedule(s, 0, on_pay, l, 0);
    ledger_counts k;
    sim_run(s, 600 * SIM_SEC);
    ledger_get_counts(l, &k);
    uint64_t h600 = k.height;
    sim_run(s, 1200 * SIM_SEC);
    ledger_get_counts(l, &k);
    *h_quiet = k.height - h600;
    assert_int_equal(finals, 100);
    assert_int_equal(k.pending, 0);
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    sim_free(s);
    return k.height;
}

static void test_heights_follow_transactions(void **state) {
    uint64_t q_on, q_off;
    uint64_t h_on = run(true, NULL, 0, &q_on);
    uint64_t h_off = run(false, NULL, 0, &q_off);
    printf("# empty blocks: %llu heights (%llu while quiet); without: %llu (%llu)\n",
           (unsigned long long)h_on, (unsigned long long)q_on, (unsigned long long)h_off,
           (unsigned long long)q_off);
    assert_true(q_on > 300);       /* an idle chain still makes a block every second */
    assert_int_equal(q_off, 0);    /* without transactions no height starts */
    assert_true(h_off <= 2 * 100); /* at most one height per payment and per deposit */
    assert_true(h_off >= 10);
}

/* Two of seven validators down throughout, a third down from 100 s to 200 s: the chain halts
 * and resumes, and still makes no block once the payments stop. */
static void test_crashes_without_empty_blocks(void **state) {
    ledger_fault faults[] = {{0, 0, 0}, {1, 0, 0}, {2, 100 * SIM_SEC, 200 * SIM_SEC}};
    uint64_t quiet;
    uint64_t h = run(false, faults, 3, &quiet);
    printf("# crashes, no empty blocks: %llu heights\n", (unsigned long long)h);
    assert_int_equal(quiet, 0);
    assert_true(h >= 10);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heights_follow_transactions),
        cmocka_unit_test(test_crashes_without_empty_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
