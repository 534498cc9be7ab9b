/* One city, several platforms (market.platforms: shared): with one platform the outputs equal a
 * separate run's; money is conserved on every platform; a rider rides at most once and a driver
 * serves one app at a time; a run is a pure function of its seed; two identical apps split the
 * riders evenly over replications, and an app few riders know gets few of them; the
 * incumbent's strategy fights, spends and raises its take by its stated rule; and the checks of
 * the scenario say where a shared market's keys are wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/report/report.h"
#include "models/run.h"
#include "models/scenario.h"
#include "tests/models/market_runs.h"
#include "sim/output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A small city: two identical centralized apps, drivers on both. */
static const char two[] = "name: shared-test\n"
                          "simulation: {seed: 7, duration: 2d}\n"
                          "market: {platforms: shared}\n"
                          "city: {width: 5km, height: 5km}\n"
                          "demand: {rate: 2400/day}\n"
                          "riders: {patience_mean: 10min}\n"
                          "drivers: {count: 120, shift_mean: 8h}\n"
                          "platforms:\n"
                          "  - {name: one, kind: centralized, commission: 25%}\n"
                          "  - {name: two, kind: centralized, commission: 25%}\n";

/* One platform with a chain-free co-op's books, for the reduction to a separate run. */
static const char single[] = "name: shared-one\n"
                             "simulation: {seed: 3, duration: 2d}\n"
                             "city: {width: 5km, height: 5km}\n"
                             "demand: {rate: 2400/day}\n"
                             "drivers: {count: 100, shift_mean: 8h}\n"
                             "platforms:\n"
                             "  - name: coop\n"
                             "    kind: cooperative\n"
                             "    commission: 12%\n"
                             "    costs: {fixed_per_day: 300.00}\n"
                             "    coop: {dividend_period: 1d, pay_floor: 15.00}\n";

/* With one platform, shared and separate give the same tables and the same platform entry
 * (the shared one adds its `competition` part). */
static void test_one_platform_reduces_to_separate(void **state) {
    (void)state;
    coop_scenario a, b;
    const char *shared[] = {"market.platforms=shared"};
    mr_load(&a, single, NULL, 0);
    mr_load(&b, single, shared, 1);
    char da[64], db[64];
    json_t *sa = mr_run_into(&a, 0, da), *sb = mr_run_into(&b, 0, db);
    const char *tables[] = {"drivers.csv", "hourly.csv", "books.csv", "trips.csv"};
    for (size_t i = 0; i < 4; i++) {
        char *x = mr_slurp(da, tables[i]), *y = mr_slurp(db, tables[i]);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) != 0) fail_msg("%s differs between separate and shared", tables[i]);
        free(x);
        free(y);
    }
    json_t *pb = json_deep_copy(mr_platform(sb, 0));
    assert_non_null(json_object_get(pb, "competition"));
    json_object_del(pb, "competition");
    assert_true(json_equal(mr_platform(sa, 0), pb));
    assert_true(mr_num(mr_platform(sa, 0), "riders.served") > 500); /* the run did something */
    json_decref(pb);
    json_decref(sa);
    json_decref(sb);
    mr_remove_dir(da);
    mr_remove_dir(db);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

/* Money is conserved on each platform (and so in total); every rider who asked an app asked
 * at most one more after a refusal; a rider rides at most once; no driver ever served two
 * apps at once; and the same seed gives the same bytes. A co-op against an incumbent that
 * fights, with marketing, so that every money path of the shared market runs. */
static void test_conservation_and_determinism(void **state) {
    (void)state;
    const char *over[] = {"platforms[1].kind=cooperative",
                          "platforms[1].commission=15%",
                          "platforms[1].market.awareness=30%",
                          "platforms[1].market.marketing_per_day=200.00",
                          "platforms[1].market.registered=40%",
                          "platforms[1].coop.dividend_period=1d",
                          "platforms[1].finance.starting_cash=5000.00",
                          "riders.population=5000",
                          "platforms[0].market.fight_above=1%",
                          "platforms[0].market.burn_budget=500.00",
                          "simulation.duration=3d"};
    coop_scenario sc;
    mr_load(&sc, two, over, sizeof over / sizeof *over);
    char d1[64], d2[64];
    json_t *s1 = mr_run_into(&sc, 0, d1), *s2 = mr_run_into(&sc, 0, d2);
    const json_t *comp = json_object_get(s1, "competition");
    double served = 0, requests = 0, pay_in = 0, pay_out = 0;
    for (size_t i = 0; i < 2; i++) {
        const json_t *p = mr_platform(s1, i);
        assert_true(mr_num(p, "checks.money_conservation_error") == 0);
        served += mr_num(p, "riders.served");
        requests += mr_num(p, "riders.requests");
        pay_in += mr_num(p, "platform.gross_bookings") + mr_num(p, "platform.subsidies");
        pay_out += mr_num(p, "platform.driver_pay") + mr_num(p, "platform.revenue");
    }
    assert_true(fabs(pay_in - pay_out) < 0.005); /* in total too, to the cent */
    double riders = mr_num(comp, "riders"), without = mr_num(comp, "riders_without_app");
    assert_true(served > 0 && served <= riders);
    assert_true(requests == riders - without + mr_num(comp, "retries"));
    assert_true(mr_num(comp, "driver_overlaps") == 0);
    assert_true(mr_num(mr_competitor(s1, 0), "fight_days") >= 1);
    assert_true(mr_num(mr_competitor(s1, 0), "burn") > 0);
    assert_true(mr_num(mr_competitor(s1, 1), "marketing") == 600.00); /* 3 days of 200.00 */
    /* the co-op's awareness grew from 30% with marketing and word of mouth */
    assert_true(mr_num(mr_competitor(s1, 1), "awareness") > 0.30);
    char *c1 = json_dumps(s1, JSON_SORT_KEYS), *c2 = json_dumps(s2, JSON_SORT_KEYS);
    assert_string_equal(c1, c2);
    const char *tables[] = {"competition.csv", "trips.csv", "drivers.csv"};
    for (size_t i = 0; i < 3; i++) {
        char *x = mr_slurp(d1, tables[i]), *y = mr_slurp(d2, tables[i]);
        assert_non_null(x);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    free(c1);
    free(c2);
    json_decref(s1);
    json_decref(s2);
    mr_remove_dir(d1);
    mr_remove_dir(d2);
    sc_free(coop_keys, &sc);
}

/* The 95% interval (Student t, 7 degrees of freedom) of 8 values holds 1/2. */
static void interval_holds_half(const double *x, const char *what) {
    double mean = 0, var = 0;
    for (int r = 0; r < 8; r++)
        mean += x[r] / 8;
    for (int r = 0; r < 8; r++)
        var += (x[r] - mean) * (x[r] - mean) / 7;
    double half = 2.365 * sqrt(var / 8);
    assert_true(var > 0); /* the replications differ */
    if (fabs(mean - 0.5) > half) fail_msg("%s %.4f +- %.4f excludes 1/2", what, mean, half);
}

/* Two identical apps with identical starting states: platform one's shares of requests and of
 * driver hours over 8 replications have 95% intervals that hold 1/2 (the apps' order in the
 * scenario favours neither: same-instant events run in that order, so moves toward demand
 * rotate over the apps by driver). */
static void test_identical_platforms_split_evenly(void **state) {
    (void)state;
    const char *over[] = {"simulation.duration=1d"};
    coop_scenario sc;
    mr_load(&sc, two, over, 1);
    double req[8], hours[8];
    for (uint64_t r = 0; r < 8; r++) {
        char dir[64];
        json_t *s = mr_run_into(&sc, r, dir);
        req[r] = mr_num(mr_competitor(s, 0), "request_share");
        hours[r] = mr_num(mr_competitor(s, 0), "hours_share");
        assert_true(req[r] > 0.3 && req[r] < 0.7);
        json_decref(s);
        mr_remove_dir(dir);
    }
    interval_holds_half(req, "share of requests");
    interval_holds_half(hours, "share of driver hours");
    sc_free(coop_keys, &sc);
}

/* Riders choose only among the apps they know: an app known to 10% of riders gets far fewer
 * requests than its twin known to all. */
static void test_unknown_app_gets_few_riders(void **state) {
    (void)state;
    const char *over[] = {"simulation.duration=1d", "platforms[1].market.awareness=10%"};
    coop_scenario sc;
    mr_load(&sc, two, over, 2);
    char dir[64];
    json_t *s = mr_run_into(&sc, 0, dir);
    double share = mr_num(mr_competitor(s, 1), "first_choice_share");
    assert_true(share > 0.02 && share < 0.15);
    json_decref(s);
    mr_remove_dir(dir);
    sc_free(coop_keys, &sc);
}

/* The stated rule: fight while a rival has at least fight_above of yesterday's requests; once
 * it has fought and every rival is under raise_below, raise the commission. With fight_above
 * 0% the incumbent fights from day 2; with raise_below 100% it raises on day 3. */
static void test_strategy_fights_then_raises(void **state) {
    (void)state;
    const char *over[] = {"simulation.duration=4d", "platforms[0].market.fight_above=0%",
                          "platforms[0].market.raise_below=100%",
                          "platforms[0].market.raised_commission=35%"};
    coop_scenario sc;
    mr_load(&sc, two, over, 4);
    char dir[64];
    json_t *s = mr_run_into(&sc, 0, dir);
    assert_true(mr_num(mr_competitor(s, 0), "fight_days") == 1);
    assert_true(mr_num(mr_competitor(s, 0), "raised_day") == 3);
    assert_true(mr_num(mr_competitor(s, 0), "burn") > 0);
    assert_true(json_is_null(json_object_get(mr_competitor(s, 1), "raised_day")));
    char *csv = mr_slurp(dir, "competition.csv");
    assert_non_null(csv);
    assert_non_null(strstr(csv, "\n0,one,2,"));
    assert_non_null(strstr(strstr(csv, "\n0,one,2,"), ",fight,0.250000,"));
    assert_non_null(strstr(strstr(csv, "\n0,one,3,"), ",raised,0.350000,"));
    assert_non_null(strstr(strstr(csv, "\n0,one,1,"), ",normal,0.250000,"));
    free(csv);
    json_decref(s);
    mr_remove_dir(dir);
    sc_free(coop_keys, &sc);
}

/* Single-homing (drivers.multihoming: false): registered with both apps, a driver works each
 * day on one; over one day no driver has online time on both, and both apps have drivers. */
static void test_single_homers_work_one_app_a_day(void **state) {
    (void)state;
    const char *over[] = {"simulation.duration=1d", "drivers.multihoming=false"};
    coop_scenario sc;
    mr_load(&sc, two, over, 2);
    char dir[64];
    json_t *s = mr_run_into(&sc, 0, dir);
    assert_true(mr_num(json_object_get(s, "competition"), "multihoming_share") == 0);
    char *csv = mr_slurp(dir, "drivers.csv");
    assert_non_null(csv);
    static double online[2][120];
    int rows = 0, on[2] = {0, 0};
    for (char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        char name[16];
        int d;
        double h;
        if (sscanf(line + 1, "%*d,%15[^,],%d,%lf", name, &d, &h) != 3 || d < 0 || d >= 120)
            continue;
        int p = strcmp(name, "two") == 0;
        online[p][d] = h;
        on[p] += h > 0;
        rows++;
    }
    assert_int_equal(rows, 240);
    assert_true(on[0] > 10 && on[1] > 10);
    for (int d = 0; d < 120; d++)
        if (online[0][d] > 0 && online[1][d] > 0) fail_msg("driver %d drove for both apps", d);
    free(csv);
    json_decref(s);
    mr_remove_dir(dir);
    sc_free(coop_keys, &sc);
}

/* The report reads the shared market's outputs through the schema (no undeclared name) and
 * says who won: the app every rider knows against one few know. */
static void test_report_section(void **state) {
    (void)state;
    const char *over[] = {"simulation.duration=1d", "platforms[1].market.awareness=10%"};
    coop_scenario sc;
    mr_load(&sc, two, over, 2);
    char dir[64], err[1024];
    json_t *s = mr_run_into(&sc, 0, dir);
    assert_int_equal(out_write_json(dir, "summary.json", s, err, sizeof err), SIM_OK);
    setenv("COOPSIM_GNUPLOT", "/nonexistent/gnuplot", 1); /* the page only: plots are slow */
    report_info info;
    if (report_write(dir, NULL, &info, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    assert_int_equal(info.schema_misses, 0);
    char *html = mr_slurp(dir, "report.html");
    assert_non_null(html);
    assert_non_null(strstr(html, "One city, several platforms"));
    assert_non_null(strstr(html, "one ends with"));
    assert_non_null(strstr(html, "Riders gained most on "));
    assert_non_null(strstr(html, "Drivers&#39; surplus above their outside option"));
    free(html);
    mr_remove_dir(dir);
    json_decref(s);
    sc_free(coop_keys, &sc);
}

static void expect_error(const char *yaml, const char *const *over, size_t n, const char *want) {
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc_where *w = NULL;
    char err[1024];
    sim_status rc = sc_load_buffer_where(coop_keys, &sc, "test.yaml", yaml, strlen(yaml), over, n,
                                         &w, err, sizeof err);
    if (rc == SIM_OK) rc = coop_check(&sc, w, err, sizeof err);
    assert_int_equal(rc, SIM_EINPUT);
    if (!strstr(err, want)) fail_msg("'%s' does not say '%s'", err, want);
    sc_where_free(w);
    sc_free(coop_keys, &sc);
}

static void test_checks_say_where(void **state) {
    (void)state;
    const char *queue[] = {"market.mode=queue"};
    expect_error(two, queue, 1, "test.yaml:3:");
    expect_error(two, queue, 1, "shared needs market.mode: spatial");
    const char *coop[] = {"platforms[1].kind=cooperative", "platforms[1].market.fight_above=10%"};
    expect_error(two, coop, 2, "centralized only");
    const char *both[] = {"platforms[0].growth.until=2d", "platforms[0].market.raise_below=5%"};
    expect_error(two, both, 2, "leave out growth.until");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_platform_reduces_to_separate),
        cmocka_unit_test(test_conservation_and_determinism),
        cmocka_unit_test(test_identical_platforms_split_evenly),
        cmocka_unit_test(test_unknown_app_gets_few_riders),
        cmocka_unit_test(test_strategy_fights_then_raises),
        cmocka_unit_test(test_single_homers_work_one_app_a_day),
        cmocka_unit_test(test_report_section),
        cmocka_unit_test(test_checks_say_where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
