/* Tests of what chain pay is worth to a driver (mkt_pay_value): the cost of waiting for
 * finality, its floor at zero, and movement rewards at the day's token price. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"

#include <math.h>

static void test_delay_cost(void **state) {
    /* $100 final 2 hours after the trip, 1% an hour: $98 */
    assert_true(fabs(mkt_pay_value(10000, 2 * SIM_HOUR, 0.01, 0, 0, NULL) - 9800.0) < 1e-9);
    /* instant pay, or no cost: face value */
    assert_true(mkt_pay_value(10000, 0, 0.01, 0, 0, NULL) == 10000.0);
    assert_true(mkt_pay_value(10000, 5 * SIM_HOUR, 0, 0, 0, NULL) == 10000.0);
    /* a payday loan's 391% APR (0.045%/h) on the Bitcoin-like chain's hour: 0.045% */
    assert_true(fabs(mkt_pay_value(10000, SIM_HOUR, 0.00045, 0, 0, NULL) - 9995.5) < 1e-9);
    /* never below nothing */
    assert_true(mkt_pay_value(10000, 200 * SIM_HOUR, 0.01, 0, 0, NULL) == 0.0);
}

static void test_token_price_path(void **state) {
    double p[] = {2.0, 1.0, 0.25};
    sc_reals path = {p, 3};
    /* empty path: the peg, 1 cent a token */
    assert_true(mkt_pay_value(0, 0, 0, 40, 7, NULL) == 40.0);
    sc_reals none = {NULL, 0};
    assert_true(mkt_pay_value(0, 0, 0, 40, 7, &none) == 40.0);
    /* day by day, the last price holding after the path */
    assert_true(mkt_pay_value(0, 0, 0, 40, 0, &path) == 80.0);
    assert_true(mkt_pay_value(0, 0, 0, 40, 1, &path) == 40.0);
    assert_true(mkt_pay_value(0, 0, 0, 40, 2, &path) == 10.0);
    assert_true(mkt_pay_value(0, 0, 0, 40, 30, &path) == 10.0);
    /* pay and rewards add */
    assert_true(fabs(mkt_pay_value(10000, 2 * SIM_HOUR, 0.01, 40, 0, &path) - 9880.0) < 1e-9);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delay_cost),
        cmocka_unit_test(test_token_price_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
