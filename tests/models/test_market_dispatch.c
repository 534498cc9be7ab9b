/* Dispatch rules seen from outside: batching delays matches but loses no money, every wait
 * includes the driver's response time, and the pickup radius is respected. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SURGE COOPSIM_SOURCE_DIR "/scenarios/teaching/surge.yaml"

/* Runs the scenario; its trips.csv rows go to *trips when trips is not NULL. */
static mkt_world *run_trips(const char *const *over, size_t n, coop_scenario *sc, FILE **trips) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    if (sc_load_file(coop_keys, sc, SURGE, over, n, err, sizeof err) != 0) fail_msg("%s", err);
    mkt_world *w = mkt_new(sc, 0, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    if (trips) {
        *trips = tmpfile();
        assert_non_null(*trips);
        assert_int_equal(mkt_stream_trips_csv(w, *trips, false), 0);
    }
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    return w;
}

static mkt_world *run(const char *const *over, size_t n, coop_scenario *sc) {
    return run_trips(over, n, sc, NULL);
}

static void assert_books_balance(mkt_world *w) {
    json_t *s = mkt_summary_json(w);
    json_t *c = json_object_get(json_object_get(s, "checks"), "money_conservation_error");
    assert_true(json_is_number(c) && json_number_value(c) == 0.0);
    mkt_money m;
    mkt_money_sums(w, &m);
    assert_true(m.rider_payments > 0);
    assert_int_equal(m.rider_payments, m.driver_pay + m.revenue - m.subsidies);
    json_decref(s);
}

/* Smallest wait (s) of a picked-up rider in trips.csv (column 10). */
static double min_wait(FILE *f) {
    rewind(f);
    char line[1024];
    double lo = INFINITY;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        for (int k = 0; k < 11 && p; k++) { /* past the run column and ten more */
            p = strchr(p, ',');
            if (p) p++;
        }
        if (p && *p != ',') {
            double v = atof(p);
            if (v < lo) lo = v;
        }
    }
    fclose(f);
    return lo;
}

static void test_batching_delays_but_balances(void **state) {
    (void)state;
    coop_scenario a, b;
    const char *imm[] = {"market.batch_interval=0s", "drivers.response_time=20s"};
    const char *bat[] = {"market.batch_interval=2min", "drivers.response_time=20s"};
    FILE *ta, *tb;
    mkt_world *wa = run_trips(imm, 2, &a, &ta), *wb = run_trips(bat, 2, &b, &tb);
    mkt_rider_stats ra, rb;
    mkt_rider_summary(wa, &ra);
    mkt_rider_summary(wb, &rb);
    assert_true(ra.served > 0 && rb.served > 0);
    assert_true(rb.wait_mean_s > ra.wait_mean_s + 30.0); /* about half an interval more */
    assert_books_balance(wa);
    assert_books_balance(wb);
    assert_true(min_wait(ta) >= 20.0);
    assert_true(min_wait(tb) >= 20.0);
    mkt_free(wa);
    mkt_free(wb);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

static void test_pickup_radius_is_respected(void **state) {
    (void)state;
    coop_scenario sc;
    /* With a 1-second reach almost nobody can be picked up: riders abandon instead. */
    const char *over[] = {"market.max_pickup=1s", "riders.patience_mean=5min"};
    mkt_world *w = run(over, 2, &sc);
    mkt_rider_stats r;
    mkt_rider_summary(w, &r);
    assert_true(r.served < r.requests / 50);
    assert_true(r.abandoned > r.requests / 2);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

/* Mean wait of riders picked up (s) on the commission teaching scenario's 10% platform with
 * 3,200 drivers (far more than its demand needs), under the given repositioning overrides. */
static double plentiful_wait(const char *a, const char *b) {
    const char *over[] = {"drivers.count=3200", a, b};
    coop_scenario sc;
    char err[1024];
    memset(&sc, 0, sizeof sc);
    if (sc_load_file(coop_keys, &sc, COOPSIM_SOURCE_DIR "/scenarios/teaching/commission.yaml", over,
                     b   ? 3
                     : a ? 2
                         : 1,
                     err, sizeof err) != 0)
        fail_msg("%s", err);
    mkt_world *w = mkt_new(&sc, 1, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    mkt_rider_stats r;
    mkt_rider_summary(w, &r);
    mkt_free(w);
    sc_free(coop_keys, &sc);
    return r.wait_mean_s;
}

/* Idle drivers should not make pickups longer. Repositioning toward hotspots does (measured: a
 * 49.5 s drive to the rider against 26.2 s without repositioning, response time of 15 s
 * aside): it ignores the background share of requests and stops 3 km along the way to a far
 * point, drawing drivers toward the middle of the city. Toward points drawn like origins within
 * one move (drivers.reposition_to: demand) it is within a quarter of no repositioning. */
static void test_repositioning_when_drivers_are_plentiful(void **state) {
    (void)state;
    double none = plentiful_wait("drivers.reposition_after=0s", NULL) - 15;
    double hot = plentiful_wait(NULL, NULL) - 15;
    double demand = plentiful_wait("drivers.reposition_to=demand", NULL) - 15;
    assert_true(hot > 1.5 * none);
    assert_true(demand < 1.25 * none);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batching_delays_but_balances),
        cmocka_unit_test(test_pickup_radius_is_respected),
        cmocka_unit_test(test_repositioning_when_drivers_are_plentiful),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
