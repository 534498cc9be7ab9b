/* Tests of the BFT back end: with f = floor((n-1)/3) validators crashed it keeps finalising,
 * with f+1 it halts (no block is committed) and it resumes when they recover. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>

typedef struct finals {
    uint64_t n;
} finals;

static void on_final(void *ctx, uint64_t tag, sim_time sub, sim_time at) {
    ((finals *)ctx)->n++;
}

static void on_pay(sim *s, void *target, uint64_t n) {
    ledger *l = target;
    assert_int_equal(ledger_pay_ride(l, (uint32_t)(n % 13), (uint32_t)(n % 3), 900, 100, n),
                     LEDGER_OK);
    if (n + 1 < 200) sim_schedule_in(s, 2 * SIM_SEC, on_pay, l, n + 1);
}

static ledger *make(sim *s, int64_t n, ledger_fault *faults, size_t n_faults) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = LEDGER_BFT;
    c.nodes = n + 1;
    c.validators = n;
    c.profile = LEDGER_NET_2019;
    c.interval = SIM_SEC;
    c.bft_timeout = SIM_SEC;
    c.bft_timeout_delta = 500 * SIM_MSEC;
    c.tx_delay = 500 * SIM_MSEC;
    c.check_conservation = true;
    c.faults = (sc_list){faults, n_faults};
    char err[256];
    ledger *l = ledger_new(s, &c, "bft", 9, 0, 3, err, sizeof err);
    assert_non_null(l);
    return l;
}

static uint64_t height_at(sim *s, ledger *l, sim_time t) {
    sim_run(s, t);
    ledger_counts k;
    ledger_get_counts(l, &k);
    return k.height;
}

static void check_n(int64_t n) {
    int64_t f = (n - 1) / 3;
    ledger_fault faults[64];
    /* f validators down for the whole run, one more down from 100 s to 200 s */
    for (int64_t i = 0; i < f; i++)
        faults[i] = (ledger_fault){i, 0, 0};
    faults[f] = (ledger_fault){f, 100 * SIM_SEC, 200 * SIM_SEC};
    sim *s = sim_new(4096);
    ledger *l = make(s, n, faults, (size_t)f + 1);
    finals fin = {0};
    ledger_on_final(l, on_final, &fin);
    sim_schedule(s, 0, on_pay, l, 0);
    uint64_t h50 = height_at(s, l, 50 * SIM_SEC);
    uint64_t h99 = height_at(s, l, 99 * SIM_SEC);
    uint64_t h110 = height_at(s, l, 110 * SIM_SEC);
    uint64_t h199 = height_at(s, l, 199 * SIM_SEC);
    uint64_t h300 = height_at(s, l, 300 * SIM_SEC);
    uint64_t h500 = height_at(s, l, 500 * SIM_SEC);
    ledger_counts k;
    ledger_get_counts(l, &k);
    printf("# n=%lld f=%lld: heights %llu %llu %llu %llu %llu %llu, failed rounds %llu, "
           "final %llu\n",
           (long long)n, (long long)f, (unsigned long long)h50, (unsigned long long)h99,
           (unsigned long long)h110, (unsigned long long)h199, (unsigned long long)h300,
           (unsigned long long)h500, (unsigned long long)k.rounds_failed,
           (unsigned long long)fin.n);
    assert_true(h50 >= 10); /* f down: still finalising */
    assert_true(h99 > h50 + 10);
    assert_true(h199 <= h110 + 1); /* f+1 down: halted */
    assert_true(h300 > h199 + 10); /* recovered: resumed */
    assert_int_equal(k.stale_blocks <= k.rounds_failed, 1);
    assert_int_equal(fin.n, 200); /* every payment final in the end */
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    sim_free(s);
}

static void test_bft_4(void **state) {
    check_n(4);
}

static void test_bft_7(void **state) {
    check_n(7);
}

static void test_bft_10(void **state) {
    check_n(10);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bft_4),
        cmocka_unit_test(test_bft_7),
        cmocka_unit_test(test_bft_10),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
