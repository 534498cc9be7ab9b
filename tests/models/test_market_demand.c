/* Demand: request counts per hour follow the time-of-day profile (thinning is exact in
 * distribution), and the total matches the daily rate, over many simulated days. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char yaml[] = "name: demand-test\n"
                           "simulation: {seed: 11, duration: 30d}\n"
                           "demand:\n"
                           "  rate: 2400/day\n"
                           "  profile: [1, 0.5, 0.25, 0.25, 0.5, 1, 2, 3, 3, 2, 1, 1,\n"
                           "            1, 1, 1, 1.5, 2, 3, 3.5, 3, 2, 1.5, 1, 1]\n"
                           "riders: {price_sensitive: false}\n"
                           "drivers: {count: 20, participation: false}\n"
                           "platforms:\n"
                           "  - {name: p, kind: centralized}\n";

static void test_hourly_counts_follow_profile(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, &sc, "demand-test", yaml, sizeof yaml - 1, NULL, 0, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(mkt_write_hourly_csv(w, f, false), 0);
    rewind(f);
    double by_hour[24] = {0}, total = 0;
    char line[512];
    size_t rows = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned h;
        double req;
        assert_int_equal(sscanf(line, "p,%u,%lf,", &h, &req), 2);
        by_hour[h % 24] += req;
        total += req;
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 30 * 24);
    double sum = 0;
    for (int h = 0; h < 24; h++)
        sum += sc.demand.profile.v[h];
    double days = 30, chi2 = 0;
    for (int h = 0; h < 24; h++) {
        double expect = 2400.0 * days * sc.demand.profile.v[h] / sum;
        double z = (by_hour[h] - expect) / sqrt(expect);
        chi2 += z * z;
        assert_true(fabs(z) < 4.0);
    }
    /* 23 degrees of freedom: P(chi2 > 49.7) = 0.001. */
    assert_true(chi2 < 49.7);
    double expect_total = 2400.0 * days;
    assert_true(fabs(total - expect_total) < 4.0 * sqrt(expect_total));
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hourly_counts_follow_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
