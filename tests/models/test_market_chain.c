/* Settlement on a chain ledger: every completed trip's payment goes on-chain and becomes
 * final, the driver pay settled matches the platform's books, tokens are conserved, and
 * a chain without fees leaves demand and the market's own books untouched (riders pay a
 * chain's fee and see it in their quote: tests/models/test_market_chainpay.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <math.h>
#include <string.h>

static const char yaml[] = "name: chain-test\n"
                           "simulation: {seed: 2, duration: 6h}\n"
                           "city: {width: 6km, height: 6km}\n"
                           "demand: {rate: 1200/day}\n"
                           "drivers: {count: 60, participation: false, shift_mean: 8h}\n"
                           "platforms:\n"
                           "  - {name: central, kind: cooperative}\n"
                           "  - name: on-chain\n"
                           "    kind: cooperative\n"
                           "    ledger:\n"
                           "      kind: chain\n"
                           "      consensus: poa\n"
                           "      nodes: 12\n"
                           "      validators: 4\n"
                           "      interval: 30s\n"
                           "      fee_per_byte: 0\n"
                           "      rewards: {enabled: true, per_km: 10}\n";

static double num(json_t *o, const char *a, const char *b) {
    json_t *v = json_object_get(json_object_get(o, a), b);
    if (!json_is_number(v)) fail_msg("%s.%s is not a number", a, b);
    return json_number_value(v);
}

static void test_rides_settle_on_chain(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, &sc, "chain-test", yaml, sizeof yaml - 1, NULL, 0, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
    mkt_world *c = mkt_new(&sc, 0, 0, err, sizeof err), *k = mkt_new(&sc, 1, 0, err, sizeof err);
    assert_non_null(c);
    assert_non_null(k);
    assert_int_equal(mkt_run(c, err, sizeof err), 0);
    assert_int_equal(mkt_run(k, err, sizeof err), 0);
    assert_null(mkt_ledger(c));
    assert_non_null(mkt_ledger(k));
    assert_true(mkt_request_hash(c) == mkt_request_hash(k));

    json_t *sk = mkt_summary_json(k), *sc0 = mkt_summary_json(c);
    assert_null(json_object_get(sc0, "settlement"));
    json_t *st = json_object_get(sk, "settlement");
    assert_non_null(st);
    double served = num(sk, "riders", "served");
    assert_true(served > 50);
    assert_true(num(sk, "settlement", "ride_payments") == served);
    assert_true(num(sk, "settlement", "ride_payments_failed") == 0);
    /* 30 s blocks: all but the last few minutes' payments are final by the end. */
    assert_true(num(sk, "settlement", "ride_payments_final") >= served - 10);
    double settled =
        num(sk, "settlement", "driver_pay_final") + num(sk, "settlement", "driver_pay_pending");
    assert_true(fabs(settled - num(sk, "platform", "driver_pay")) < 0.005);
    assert_true(num(sk, "settlement", "movement_rewards") > 0);
    json_t *chain = json_object_get(sk, "chain");
    assert_non_null(chain);
    assert_null(json_object_get(st, "chain"));
    assert_true(num(chain, "checks", "token_conservation_error") == 0);
    assert_true(num(sk, "checks", "money_conservation_error") == 0);
    /* Settling on a chain without fees changes when drivers are paid, not what the market did. */
    assert_true(num(sk, "riders", "served") == num(sc0, "riders", "served"));
    json_decref(sk);
    json_decref(sc0);
    mkt_free(c);
    mkt_free(k);
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rides_settle_on_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
