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

static void load(coop_scenario *sc, const char *yaml, const char *const *over, size_t n_over) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    if (sc_load_buffer(coop_keys, sc, "test.yaml", yaml, strlen(yaml), over, n_over, err,
                       sizeof err) != SIM_OK)
        fail_msg("%s", err);
}

/* Runs the scenario into a fresh directory; the summary, and the directory in dir. */
static json_t *run_into(const coop_scenario *sc, uint64_t replication, char *dir) {
    strcpy(dir, "/tmp/coopsim-shared-XXXXXX");
    assert_non_null(mkdtemp(dir));
    coop_run_opts opts = {.outdir = dir, .replication = replication, .trips_csv = true};
    json_t *summary = json_object();
    char err[1024];
    if (coop_run(sc, &opts, summary, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    return summary;
}

static char *slurp(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = calloc((size_t)n + 1, 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

static void remove_dir(const char *dir) {
    const char *files[] = {"drivers.csv", "hourly.csv",      "books.csv",
                           "trips.csv",   "competition.csv", "days.csv"};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static double num(const json_t *o, const char *path) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *v = o;
    for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, "."))
        v = json_object_get(v, tok);
    if (!json_is_number(v)) fail_msg("%s is not a number", path);
    return json_number_value(v);
}

static const json_t *platform(const json_t *summary, size_t i) {
    return json_array_get(json_object_get(summary, "platforms"), i);
}

static const json_t *competitor(const json_t *summary, size_t i) {
    return json_array_get(json_object_get(json_object_get(summary, "competition"), "platforms"), i);
}

/* With one platform, shared and separate give the same tables and the same platform entry
 * (the shared one adds its `competition` part). */
static void test_one_platform_reduces_to_separate(void **state) {
    (void)state;
    coop_scenario a, b;
    const char *shared[] = {"market.platforms=shared"};
    load(&a, single, NULL, 0);
    load(&b, single, shared, 1);
    char da[64], db[64];
    json_t *sa = run_into(&a, 0, da), *sb = run_into(&b, 0, db);
    const char *tables[] = {"drivers.csv", "hourly.csv", "books.csv", "trips.csv"};
    for (size_t i = 0; i < 4; i++) {
        char *x = slurp(da, tables[i]), *y = slurp(db, tables[i]);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) != 0) fail_msg("%s differs between separate and shared", tables[i]);
        free(x);
        free(y);
    }
    json_t *pb = json_deep_copy(platform(sb, 0));
    assert_non_null(json_object_get(pb, "competition"));
    json_object_del(pb, "competition");
    assert_true(json_equal(platform(sa, 0), pb));
    assert_true(num(platform(sa, 0), "riders.served") > 500); /* the run did something */
    json_decref(pb);
    json_decref(sa);
    json_decref(sb);
    remove_dir(da);
    remove_dir(db);
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
    load(&sc, two, over, sizeof over / sizeof *over);
    char d1[64], d2[64];
    json_t *s1 = run_into(&sc, 0, d1), *s2 = run_into(&sc, 0, d2);
    const json_t *comp = json_object_get(s1, "competition");
    double served = 0, requests = 0, pay_in = 0, pay_out = 0;
    for (size_t i = 0; i < 2; i++) {
        const json_t *p = platform(s1, i);
        assert_true(num(p, "checks.money_conservation_error") == 0);
        served += num(p, "riders.served");
        requests += num(p, "riders.requests");
        pay_in += num(p, "platform.gross_bookings") + num(p, "platform.subsidies");
        pay_out += num(p, "platform.driver_pay") + num(p, "platform.revenue");
    }
    assert_true(fabs(pay_in - pay_out) < 0.005); /* in total too, to the cent */
    double riders = num(comp, "riders"), without = num(comp, "riders_without_app");
    assert_true(served > 0 && served <= riders);
    assert_true(requests == riders - without + num(comp, "retries"));
    assert_true(num(comp, "driver_overlaps") == 0);
    assert_true(num(competitor(s1, 0), "fight_days") >= 1);
    assert_true(num(competitor(s1, 0), "burn") > 0);
    assert_true(num(competitor(s1, 1), "marketing") == 600.00); /* 3 days of 200.00 */
    /* the co-op's awareness grew from 30% with marketing and word of mouth */
    assert_true(num(competitor(s1, 1), "awareness") > 0.30);
    char *c1 = json_dumps(s1, JSON_SORT_KEYS), *c2 = json_dumps(s2, JSON_SORT_KEYS);
    assert_string_equal(c1, c2);
    const char *tables[] = {"competition.csv", "trips.csv", "drivers.csv"};
    for (size_t i = 0; i < 3; i++) {
        char *x = slurp(d1, tables[i]), *y = slurp(d2, tables[i]);
        assert_non_null(x);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    free(c1);
    free(c2);
    json_decref(s1);
    json_decref(s2);
    remove_dir(d1);
    remove_dir(d2);
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
    load(&sc, two, over, 1);
    double req[8], hours[8];
    for (uint64_t r = 0; r < 8; r++) {
        char dir[64];
        json_t *s = run_into(&sc, r, dir);
        req[r] = num(competitor(s, 0), "request_share");
        hours[r] = num(competitor(s, 0), "hours_share");
        assert_true(req[r] > 0.3 && req[r] < 0.7);
        json_decref(s);
        remove_dir(dir);
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
    load(&sc, two, over, 2);
    char dir[64];
    json_t *s = run_into(&sc, 0, dir);
    double share = num(competitor(s, 1), "first_choice_share");
    assert_true(share > 0.02 && share < 0.15);
    json_decref(s);
    remove_dir(dir);
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
    load(&sc, two, over, 4);
    char dir[64];
    json_t *s = run_into(&sc, 0, dir);
    assert_true(num(competitor(s, 0), "fight_days") == 1);
    assert_true(num(competitor(s, 0), "raised_day") == 3);
    assert_true(num(competitor(s, 0), "burn") > 0);
    assert_true(json_is_null(json_object_get(competitor(s, 1), "raised_day")));
    char *csv = slurp(dir, "competition.csv");
    assert_non_null(csv);
    assert_non_null(strstr(csv, "\n0,one,2,"));
    assert_non_null(strstr(strstr(csv, "\n0,one,2,"), ",fight,0.250000,"));
    assert_non_null(strstr(strstr(csv, "\n0,one,3,"), ",raised,0.350000,"));
    assert_non_null(strstr(strstr(csv, "\n0,one,1,"), ",normal,0.250000,"));
    free(csv);
    json_decref(s);
    remove_dir(dir);
    sc_free(coop_keys, &sc);
}

/* Single-homing (drivers.multihoming: false): registered with both apps, a driver works each
 * day on one; over one day no driver has online time on both, and both apps have drivers. */
static void test_single_homers_work_one_app_a_day(void **state) {
    (void)state;
    const char *over[] = {"simulation.duration=1d", "drivers.multihoming=false"};
    coop_scenario sc;
    load(&sc, two, over, 2);
    char dir[64];
    json_t *s = run_into(&sc, 0, dir);
    assert_true(num(json_object_get(s, "competition"), "multihoming_share") == 0);
    char *csv = slurp(dir, "drivers.csv");
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
    remove_dir(dir);
    sc_free(coop_keys, &sc);
}

/* The report reads the shared market's outputs through the schema (no undeclared name) and
 * says who won: the app every rider knows against one few know. */
static void test_report_section(void **state) {
    (void)state;
    const char *over[] = {"simulation.duration=1d", "platforms[1].market.awareness=10%"};
    coop_scenario sc;
    load(&sc, two, over, 2);
    char dir[64], err[1024];
    json_t *s = run_into(&sc, 0, dir);
    assert_int_equal(out_write_json(dir, "summary.json", s, err, sizeof err), SIM_OK);
    setenv("COOPSIM_GNUPLOT", "/nonexistent/gnuplot", 1); /* the page only: plots are slow */
    report_info info;
    if (report_write(dir, NULL, &info, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    assert_int_equal(info.schema_misses, 0);
    char *html = slurp(dir, "report.html");
    assert_non_null(html);
    assert_non_null(strstr(html, "One city, several platforms"));
    assert_non_null(strstr(html, "one ends with"));
    assert_non_null(strstr(html, "Riders gained most on "));
    assert_non_null(strstr(html, "Drivers&#39; surplus above their outside option"));
    free(html);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
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
