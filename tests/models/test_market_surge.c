/* Surge that moves drivers (drivers.surge_response) and the wild goose chase. On the surge
 * teaching scenario: the response adds online hours only where pay follows surge; riders who
 * see the ETA and will not wait long make pickups longer as demand rises (no surge); and riders
 * who pay surge wait less than the same riders do without it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"
#include "tests/models/market_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SURGE COOPSIM_SOURCE_DIR "/scenarios/teaching/surge.yaml"

/* summary entry of one run of the given platform under the overrides; the caller decrefs */
static json_t *summary(const char *const *over, size_t n, size_t platform) {
    coop_scenario sc;
    mkt_world *w = mw_run(SURGE, over, n, &sc, platform, NULL);
    json_t *e = mkt_summary_json(w);
    mkt_free(w);
    sc_free(coop_keys, &sc);
    return e;
}

/* With surge, drivers start early and stay longer: more online hours (measured +4%: 65 early
 * starts, 35 extra hours), money conserved. (Riders who queue keep idle drivers scarce wherever
 * surge is on, so nobody drives toward it here; see the test with the ETA below.) Where pay does
 * not follow surge (upfront pricing) or there is no surge, the response changes nothing at all. */
static void test_response_only_where_pay_follows_surge(void **state) {
    (void)state;
    const char *off[] = {"drivers.surge_response=false", "riders.wait_estimate=average"};
    const char *on[] = {"drivers.surge_response=true", "riders.wait_estimate=average"};
    json_t *a = summary(off, 2, 1), *b = summary(on, 2, 1);
    assert_true(mw_num(b, "drivers", "online_hours") > 1.02 * mw_num(a, "drivers", "online_hours"));
    assert_true(mw_num(b, "drivers", "surge_early_starts") > 0);
    assert_true(mw_num(b, "drivers", "surge_extensions") > 0);
    assert_true(mw_num(a, "drivers", "surge_moves") == 0);
    assert_true(mw_num(b, "checks", "money_conservation_error") == 0.0);
    json_decref(a);
    json_decref(b);
    const char *up_off[] = {"drivers.surge_response=false", "platforms[1].upfront_pricing=true"};
    const char *up_on[] = {"drivers.surge_response=true", "platforms[1].upfront_pricing=true"};
    a = summary(up_off, 2, 1);
    b = summary(up_on, 2, 1);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    a = summary(off, 2, 0);
    b = summary(on, 2, 0);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
}

/* The wild goose chase without surge: riders who see the ETA and wait at most 5 minutes book
 * only when an idle driver is near; as demand rises from the scenario's 7,000 a day (its evening
 * peak already past what the fleet serves: 2,700 riders do not book) to 1.5x and 2.5x, idle
 * drivers thin out, each booking draws a farther one, and the share of online time driving to
 * pickups and the wait rise at every step (measured: 8.3%, 11.9%, 15.9%; 141, 156, 170 s). */
static void test_wild_goose_chase_without_surge(void **state) {
    (void)state;
    const char *rates[] = {"demand.rate=7000/day", "demand.rate=10500/day",
                           "demand.rate=17500/day"};
    double pickup[3], wait[3];
    for (int i = 0; i < 3; i++) {
        const char *over[] = {"riders.wait_estimate=eta", "riders.patience=fixed",
                              "riders.patience_mean=5min", rates[i]};
        json_t *e = summary(over, 4, 0);
        pickup[i] = mw_num(e, "drivers", "pickup_share");
        wait[i] = mw_num(e, "riders", "wait_mean_s");
        json_decref(e);
    }
    assert_true(pickup[1] > pickup[0] && pickup[2] > pickup[1]);
    assert_true(pickup[2] > 1.5 * pickup[0]);
    assert_true(wait[1] > wait[0] && wait[2] > wait[1]);
    assert_true(wait[2] > 1.1 * wait[0]);
}

/* Riders who paid surge (multiplier > 1) and were served in both worlds wait less with surge
 * than the same riders (common random numbers) without it: surge sends drivers their way and
 * rations the others (measured 154 s against 164 s). */
static void test_surge_shortens_the_wait_of_those_who_pay_it(void **state) {
    (void)state;
    const char *over[] = {"riders.wait_estimate=eta", "riders.patience=fixed",
                          "riders.patience_mean=5min", "drivers.surge_response=true"};
    coop_scenario a, b;
    FILE *f0, *f1;
    mkt_world *w0 = mw_run(SURGE, over, 4, &a, 0, &f0), *w1 = mw_run(SURGE, over, 4, &b, 1, &f1);
    char l0[1024], l1[1024];
    double s0 = 0, s1 = 0;
    long n = 0;
    while (fgets(l0, sizeof l0, f0) && fgets(l1, sizeof l1, f1)) {
        assert_int_equal(strncmp(l0, "0,", 2), 0); /* the run column */
        memmove(l0, l0 + 2, strlen(l0 + 2) + 1);
        assert_int_equal(strncmp(l1, "0,", 2), 0); /* the run column */
        memmove(l1, l1 + 2, strlen(l1 + 2) + 1);
        if (!strstr(l0, ",served,") || !strstr(l1, ",served,")) continue;
        /* fields: ... wait_s is the 11th, surge the 17th */
        const char *p0 = l0, *p1 = l1;
        double f[2][17];
        for (int k = 0; k < 17; k++) {
            p0 = strchr(p0, ',') + 1;
            p1 = strchr(p1, ',') + 1;
            f[0][k] = atof(p0);
            f[1][k] = atof(p1);
        }
        if (!(f[1][15] > 1.0)) continue;
        s0 += f[0][9];
        s1 += f[1][9];
        n++;
    }
    fclose(f0);
    fclose(f1);
    assert_true(n > 100);
    assert_true(s1 / (double)n < 0.97 * (s0 / (double)n));
    json_t *e = mkt_summary_json(w1);
    assert_true(mw_num(e, "drivers", "surge_moves") > 1000); /* measured 2,961 */
    json_decref(e);
    mkt_free(w0);
    mkt_free(w1);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_response_only_where_pay_follows_surge),
        cmocka_unit_test(test_wild_goose_chase_without_surge),
        cmocka_unit_test(test_surge_shortens_the_wait_of_those_who_pay_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
