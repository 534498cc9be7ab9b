/* market.dispatch on the surge teaching scenario's platform without surge: batches solved as an
 * assignment problem give shorter pickups and more trips than greedy batches; first come, first
 * served sends freed drivers farther than nearest-first; money balances under every rule; and
 * optimal without batches is refused with the key's position. */
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

/* Riders who queue (the scenario's riders see the ETA and never wait unassigned, which leaves
 * a dispatch rule little to choose). */
static json_t *summary(const char *dispatch, const char *batch) {
    const char *over[] = {dispatch, batch, "riders.wait_estimate=average"};
    coop_scenario sc;
    char err[1024];
    memset(&sc, 0, sizeof sc);
    if (sc_load_file(coop_keys, &sc, SURGE, over, 3, err, sizeof err) != 0) fail_msg("%s", err);
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    json_t *e = mkt_summary_json(w);
    mkt_free(w);
    sc_free(coop_keys, &sc);
    return e;
}

static double num(json_t *entry, const char *section, const char *key) {
    json_t *v = json_object_get(json_object_get(entry, section), key);
    if (!json_is_number(v)) fail_msg("%s.%s is not a number", section, key);
    return json_number_value(v);
}

/* Measured: greedy 30 s batches 4,250 trips, pickups 15.5% of online time; optimal 4,644 and
 * 12.0%. The solver can only do better than greedy on the same batch; by this much because
 * the evening's riders compete for few idle drivers. */
static void test_optimal_batches_beat_greedy(void **state) {
    (void)state;
    json_t *g = summary("market.dispatch=nearest", "market.batch_interval=30s");
    json_t *o = summary("market.dispatch=optimal", "market.batch_interval=30s");
    assert_true(num(o, "riders", "served") > 1.05 * num(g, "riders", "served"));
    assert_true(num(o, "drivers", "pickup_share") < 0.9 * num(g, "drivers", "pickup_share"));
    assert_true(num(o, "checks", "money_conservation_error") == 0.0);
    assert_true(num(o, "riders", "requests") == num(g, "riders", "requests"));
    json_decref(g);
    json_decref(o);
}

/* Measured: nearest-first 4,752 trips, pickups 12.7%, mean wait 244 s; first come first served
 * 4,280, 16.8%, 360 s: the longest-waiting rider is seldom the nearest. */
static void test_fifo_drives_farther(void **state) {
    (void)state;
    json_t *n = summary("market.dispatch=nearest", "market.batch_interval=0s");
    json_t *f = summary("market.dispatch=fifo", "market.batch_interval=0s");
    assert_true(num(f, "drivers", "pickup_share") > 1.1 * num(n, "drivers", "pickup_share"));
    assert_true(num(f, "riders", "wait_mean_s") > num(n, "riders", "wait_mean_s"));
    assert_true(num(f, "checks", "money_conservation_error") == 0.0);
    json_decref(n);
    json_decref(f);
}

static void test_optimal_needs_batches(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    const char *over[] = {"market.dispatch=optimal", "market.batch_interval=0s"};
    assert_int_equal(sc_load_file(coop_keys, &sc, SURGE, over, 2, err, sizeof err), 0);
    assert_int_equal(coop_check(&sc, NULL, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, "batch_interval"));
    sc_free(coop_keys, &sc);
}

/* The response time is reported apart from the drive to the rider: 60 s for every assignment
 * (rows of trips.csv with a driver), a part of pickup_share. */
static void test_response_share(void **state) {
    (void)state;
    const char *over[] = {"drivers.response_time=60s", "riders.wait_estimate=average"};
    coop_scenario sc;
    char err[1024];
    memset(&sc, 0, sizeof sc);
    if (sc_load_file(coop_keys, &sc, SURGE, over, 2, err, sizeof err) != 0) fail_msg("%s", err);
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(mkt_stream_trips_csv(w, f, false), 0); /* rows as requests end */
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    rewind(f);
    char line[1024];
    long assigned = 0;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column */
        memmove(line, line + 2, strlen(line + 2) + 1);
        const char *p = line;
        for (int k = 0; k < 9; k++)
            p = strchr(p, ',') + 1;
        assigned += *p != ',';
    }
    fclose(f);
    json_t *e = mkt_summary_json(w);
    double online_s = num(e, "drivers", "online_hours") * 3600.0;
    double share = num(e, "drivers", "response_share");
    assert_true(assigned > 1000);
    /* riders assigned in the run's last minute count only up to its end (measured: 0.03849
     * against 0.03850 uncut) */
    double full = 60.0 * (double)assigned / online_s;
    assert_true(share <= full + 1e-12 && share > full - 60.0 * 10 / online_s);
    assert_true(share < num(e, "drivers", "pickup_share"));
    json_decref(e);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optimal_batches_beat_greedy),
        cmocka_unit_test(test_fifo_drives_farther),
        cmocka_unit_test(test_optimal_needs_batches),
        cmocka_unit_test(test_response_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
