/* The pay standard (platforms[].pay_standard): no trip pays its driver below the standard; the
 * shortfall is the platform's, carried in its books as top-ups; money is conserved on both
 * kinds of platform; the utilization adjustment raises the minimum when drivers sit idle. */
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

static double field(const char *line, int k) {
    const char *p = line;
    for (int i = 0; i < k && p; i++) {
        p = strchr(p, ',');
        if (p) p++;
    }
    return p ? atof(p) : NAN;
}

/* TLC's March 2024 rates ($1.360 a mile, $0.583 a minute) as written, against a centralized
 * platform keeping 40%: every trip served pays at least per_km x km + per_min x minutes (to the
 * cent), trips below it get exactly the difference, and the books carry the sum. */
static void test_no_trip_pays_below_the_standard(void **state) {
    (void)state;
    coop_scenario sc;
    const char *over[] = {"platforms[0].commission=40%", "platforms[0].pay_standard.per_km=0.845",
                          "platforms[0].pay_standard.per_min=0.583",
                          "platforms[0].pay_standard.adjust=false"};
    FILE *f;
    mkt_world *w = mw_run(SURGE, over, 4, &sc, 0, &f);
    char line[1024];
    long served = 0, topped = 0;
    double sum = 0;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column */
        memmove(line, line + 2, strlen(line + 2) + 1);
        if (!strstr(line, ",served,")) continue;
        served++;
        double km = field(line, 8), minutes = field(line, 11) / 60.0;
        double pay = field(line, 13), top = field(line, 17);
        double standard = 0.845 * km + 0.583 * minutes;
        /* the standard on the trip's km (to the metre) and minutes, each cent rounded */
        assert_true(pay + top >= standard - 0.011);
        if (top > 0) {
            topped++;
            assert_true(fabs(pay + top - standard) <= 0.011);
        }
        sum += top;
    }
    fclose(f);
    assert_true(served > 1000);
    assert_true(topped > served / 20 && topped < served); /* the standard binds on some trips */
    json_t *e = mkt_summary_json(w);
    assert_true(fabs(mw_num(e, "platform", "pay_standard_topups") - sum) < 0.005);
    assert_int_equal((long)mw_num(e, "platform", "pay_standard_trips"), topped);
    assert_true(fabs(mw_num(e, "platform", "pay_floor_topups") - sum) < 0.005);
    assert_true(mw_num(e, "checks", "money_conservation_error") == 0.0);
    /* drivers got it: income is trip pay plus the top-ups */
    assert_true(fabs(mw_num(e, "welfare", "driver_income") - mw_num(e, "platform", "driver_pay") -
                     sum) < 0.005);
    json_decref(e);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

/* Twice the drivers the evening needs: utilization falls below the 58% the rates assume, the
 * adjusted minimum rises by 58% / utilization, and so do the top-ups. */
static void test_utilization_adjustment(void **state) {
    (void)state;
    coop_scenario a, b;
    const char *fixed[] = {"drivers.count=500", "platforms[0].pay_standard.per_km=0.845",
                           "platforms[0].pay_standard.per_min=0.583",
                           "platforms[0].pay_standard.adjust=false"};
    const char *adj[] = {"drivers.count=500", "platforms[0].pay_standard.per_km=0.845",
                         "platforms[0].pay_standard.per_min=0.583",
                         "platforms[0].pay_standard.adjust=true"};
    mkt_world *wf = mw_run(SURGE, fixed, 4, &a, 0, NULL), *wa = mw_run(SURGE, adj, 4, &b, 0, NULL);
    json_t *ef = mkt_summary_json(wf), *ea = mkt_summary_json(wa);
    assert_true(mw_num(ea, "drivers", "utilization") < 0.5);
    assert_true(mw_num(ea, "platform", "pay_standard_topups") >
                1.5 * mw_num(ef, "platform", "pay_standard_topups"));
    assert_true(mw_num(ea, "checks", "money_conservation_error") == 0.0);
    json_decref(ef);
    json_decref(ea);
    mkt_free(wf);
    mkt_free(wa);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

/* On a co-op the top-ups come out of the period's surplus: conservation holds, and what the
 * standard paid is what the members' dividends and reserve no longer get. */
static void test_coop_pays_it_from_the_surplus(void **state) {
    (void)state;
    coop_scenario a, b;
    const char *base[] = {"platforms[0].kind=cooperative", "platforms[0].commission=40%",
                          "platforms[0].coop.dividend_period=1d"};
    const char *std[] = {"platforms[0].kind=cooperative", "platforms[0].commission=40%",
                         "platforms[0].coop.dividend_period=1d",
                         "platforms[0].pay_standard.per_km=0.845",
                         "platforms[0].pay_standard.per_min=0.583"};
    mkt_world *w0 = mw_run(SURGE, base, 3, &a, 0, NULL), *w1 = mw_run(SURGE, std, 5, &b, 0, NULL);
    json_t *e0 = mkt_summary_json(w0), *e1 = mkt_summary_json(w1);
    double topups = mw_num(e1, "platform", "pay_standard_topups");
    assert_true(topups > 0);
    assert_true(mw_num(e1, "checks", "money_conservation_error") == 0.0);
    /* same trips (the standard changes no quote), so the surplus shrinks by exactly the top-ups */
    assert_true(mw_num(e0, "riders", "served") == mw_num(e1, "riders", "served"));
    double kept0 = mw_num(e0, "drivers", "dividends") + mw_num(e0, "platform", "reserve");
    double kept1 = mw_num(e1, "drivers", "dividends") + mw_num(e1, "platform", "reserve");
    assert_true(fabs(kept0 - kept1 - topups) < 0.005);
    json_decref(e0);
    json_decref(e1);
    mkt_free(w0);
    mkt_free(w1);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_trip_pays_below_the_standard),
        cmocka_unit_test(test_utilization_adjustment),
        cmocka_unit_test(test_coop_pays_it_from_the_surplus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
