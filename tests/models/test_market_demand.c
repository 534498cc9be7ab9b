/* Demand: request counts per hour follow the time-of-day profile (thinning is exact in
 * distribution), and the total matches the daily rate, over many simulated days; per-day
 * multipliers thin the same candidate arrivals further. */
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
        assert_int_equal(sscanf(line, "0,p,%u,%lf,", &h, &req), 2);
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

/* Requests per day, from the hourly table, of a 6-day run with the given days list. */
static void daily_requests(const char *days, double out[6]) {
    char y[sizeof yaml + 128];
    snprintf(y, sizeof y, "%s", yaml);
    char *dur = strstr(y, "30d");
    memcpy(dur, " 6d", 3);
    char *demand = strstr(y, "demand:\n") + strlen("demand:\n");
    char tail[sizeof yaml];
    snprintf(tail, sizeof tail, "%s", demand);
    snprintf(demand, sizeof y - (size_t)(demand - y), "  days: %s\n%s", days, tail);
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, &sc, "demand-test", y, strlen(y), NULL, 0, err, sizeof err) != 0)
        fail_msg("%s", err);
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(mkt_write_hourly_csv(w, f, false), 0);
    rewind(f);
    char line[512];
    for (int d = 0; d < 6; d++)
        out[d] = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned h;
        double req;
        assert_int_equal(sscanf(line, "0,p,%u,%lf,", &h, &req), 2);
        out[h / 24] += req;
    }
    fclose(f);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

static void test_days_multiply_demand(void **state) {
    (void)state;
    double flat[6], bad[6], busy[6];
    daily_requests("[]", flat);
    daily_requests("[1, 1, 0.5, 0.5, 0]", bad);
    daily_requests("[2]", busy);
    /* Same candidate arrivals: days at 1 keep exactly the same requests, a day at 0.5 keeps
     * about half (binomial, 4 sd), a day at 0 none, days past the list are back at 1. */
    assert_true(bad[0] == flat[0] && bad[1] == flat[1] && bad[5] == flat[5]);
    for (int d = 2; d < 4; d++)
        assert_true(fabs(bad[d] - 0.5 * flat[d]) < 4.0 * sqrt(0.25 * flat[d]));
    assert_true(bad[4] == 0);
    /* A busier day: twice the rate (Poisson, 4 sd), and the rest at the usual rate. */
    assert_true(fabs(busy[0] - 4800.0) < 4.0 * sqrt(4800.0));
    for (int d = 1; d < 6; d++)
        assert_true(fabs(busy[d] - 2400.0) < 4.0 * sqrt(2400.0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hourly_counts_follow_profile),
        cmocka_unit_test(test_days_multiply_demand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
