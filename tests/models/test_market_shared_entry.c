/* Free entry in a shared city (market.platforms: shared, drivers.supply: free_entry): with one
 * platform it is a separate free-entry run, byte for byte; money is conserved on every app and
 * no driver serves two at once; single-homers move to the app that pays more per hour; the pool
 * grows with pay; drivers register with a further app when it pays more than the registration
 * costs, and not when it costs more; a co-op's member cap keeps refused drivers off it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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

/* One co-op with a pay floor and daily dividends, free entry: for the reduction. */
static const char single[] = "name: entry-one\n"
                             "simulation: {seed: 3, duration: 10d}\n"
                             "city: {width: 5km, height: 5km}\n"
                             "demand: {rate: 2400/day}\n"
                             "drivers: {count: 200, supply: free_entry, initial_active: 80}\n"
                             "platforms:\n"
                             "  - name: coop\n"
                             "    kind: cooperative\n"
                             "    commission: 12%\n"
                             "    costs: {fixed_per_day: 300.00}\n"
                             "    coop: {dividend_period: 1d, pay_floor: 15.00}\n";

/* Two apps that differ only in their commission, single-homers registered with both. */
static const char two[] = "name: entry-two\n"
                          "simulation: {seed: 11, duration: 21d}\n"
                          "market: {platforms: shared}\n"
                          "city: {width: 5km, height: 5km}\n"
                          "demand: {rate: 3000/day}\n"
                          "riders: {patience_mean: 10min, wait_estimate: eta}\n"
                          "drivers: {count: 300, supply: free_entry, initial_active: 120,\n"
                          "          multihoming: false}\n"
                          "platforms:\n"
                          "  - {name: low, kind: centralized, commission: 10%}\n"
                          "  - {name: high, kind: centralized, commission: 35%}\n";

static const char *tables[] = {"drivers.csv", "hourly.csv", "books.csv", "trips.csv", "days.csv"};

/* Runs a scenario and keeps days.csv and the summary. */
typedef struct run {
    char dir[64];
    json_t *summary;
    char *days;
} run;

static void run_scenario(run *r, const char *yaml, const char *const *over, size_t n) {
    coop_scenario sc;
    mr_load(&sc, yaml, over, n);
    r->summary = mr_run_into(&sc, 0, r->dir);
    r->days = mr_slurp(r->dir, "days.csv");
    assert_non_null(r->days);
    sc_free(coop_keys, &sc);
}

static void run_free(run *r) {
    json_decref(r->summary);
    free(r->days);
    mr_remove_dir(r->dir);
}

/* The sum of column `col` of days.csv over platform `app`'s rows of days [d0, d1). */
static double days_sum(const char *csv, const char *app, const char *col, int d0, int d1) {
    const char *nl = strchr(csv, '\n');
    assert_non_null(nl);
    int k = 0, want = -1;
    for (const char *p = csv; p < nl; k++) {
        const char *e = strpbrk(p, ",\n");
        if ((size_t)(e - p) == strlen(col) && strncmp(p, col, (size_t)(e - p)) == 0) want = k;
        p = e + 1;
    }
    if (want < 0) fail_msg("days.csv has no column %s", col);
    double sum = 0;
    for (const char *line = nl + 1; *line; line = strchr(line, '\n') + 1) {
        char name[64];
        int day;
        if (sscanf(line, "%*[^,],%63[^,],%d,", name, &day) != 2) break;
        const char *p = line;
        for (int j = 0; j < want; j++)
            p = strchr(p, ',') + 1;
        if (strcmp(name, app) == 0 && day >= d0 && day < d1) sum += atof(p);
        if (!strchr(line, '\n')) break;
    }
    return sum;
}

/* With one platform, a shared city under free entry writes the tables of a separate run and
 * the same platform entry (the shared one adds its `competition` part). */
static void test_free_entry_reduces_to_separate(void **state) {
    (void)state;
    const char *shared[] = {"market.platforms=shared"};
    run a, b;
    run_scenario(&a, single, NULL, 0);
    run_scenario(&b, single, shared, 1);
    for (size_t i = 0; i < 5; i++) {
        char *x = mr_slurp(a.dir, tables[i]), *y = mr_slurp(b.dir, tables[i]);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) != 0) fail_msg("%s differs between separate and shared", tables[i]);
        free(x);
        free(y);
    }
    json_t *pa = json_array_get(json_object_get(a.summary, "platforms"), 0);
    json_t *pb = json_deep_copy(json_array_get(json_object_get(b.summary, "platforms"), 0));
    json_object_del(pb, "competition");
    assert_true(json_equal(pa, pb));
    /* the pool moved: drivers entered and left */
    assert_true(days_sum(a.days, "coop", "entrants", 0, 10) > 10);
    assert_true(days_sum(a.days, "coop", "exits", 0, 10) > 0);
    json_decref(pb);
    run_free(&a);
    run_free(&b);
}

/* Two apps, multi-homers: money adds up on each app every day, no driver is sent a rider on one
 * app while busy on another, the same seed gives the same bytes, and the report says that
 * drivers chose their apps and how many drove for both. */
static void test_conservation_one_app_at_a_time_determinism(void **state) {
    (void)state;
    const char *multi[] = {"drivers.multihoming=true", "simulation.duration=10d",
                           "platforms[1].market.registered=30%"};
    run a, b;
    run_scenario(&a, two, multi, 3);
    run_scenario(&b, two, multi, 3);
    const char *names[] = {"low", "high"};
    for (size_t p = 0; p < 2; p++) {
        assert_true(days_sum(a.days, names[p], "online_hours", 0, 10) > 100);
        assert_true(days_sum(a.days, names[p], "conservation_error", 0, 10) == 0);
    }
    json_t *c = json_object_get(a.summary, "competition");
    assert_int_equal(json_integer_value(json_object_get(c, "driver_overlaps")), 0);
    assert_true(json_number_value(json_object_get(c, "multihoming_share")) > 0.5);
    for (size_t i = 0; i < 5; i++) {
        char *x = mr_slurp(a.dir, tables[i]), *y = mr_slurp(b.dir, tables[i]);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) != 0) fail_msg("%s differs between two runs of one seed", tables[i]);
        free(x);
        free(y);
    }
    char err[1024], want[128];
    assert_int_equal(out_write_json(a.dir, "summary.json", a.summary, err, sizeof err), SIM_OK);
    setenv("COOPSIM_GNUPLOT", "/nonexistent/gnuplot", 1); /* the page only: plots are slow */
    report_info info;
    if (report_write(a.dir, NULL, &info, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    char *html = mr_slurp(a.dir, "report.html");
    assert_non_null(html);
    snprintf(want, sizeof want, "%.0f%% of the fleet's driver-days were on more than one app",
             100 * json_number_value(json_object_get(c, "multihoming_share")));
    if (!strstr(html, "Drivers were free to enter") || !strstr(html, want))
        fail_msg("the report does not say '%s'", want);
    free(html);
    run_free(&a);
    run_free(&b);
}

/* Single-homers registered with both apps start about evenly and move to the one that keeps
 * less of the fare: its share of the drivers rises from day one to the third week. The pool is
 * the fleet and nobody leaves, so only the daily choice of app can move them. */
static void test_single_homers_move_to_better_pay(void **state) {
    (void)state;
    const char *closed[] = {"drivers.count=120", "drivers.exit_after=3650d"};
    run r;
    run_scenario(&r, two, closed, 2);
    double low0 = days_sum(r.days, "low", "active_drivers", 0, 1);
    double high0 = days_sum(r.days, "high", "active_drivers", 0, 1);
    double low = days_sum(r.days, "low", "online_hours", 14, 21);
    double high = days_sum(r.days, "high", "online_hours", 14, 21);
    double first = low0 / (low0 + high0), last = low / (low + high);
    if (!(first < 0.7 && last > 0.8 && last > first + 0.15))
        fail_msg("share of the better-paying app: %.3f of drivers on day 0, %.3f of hours in "
                 "week 3",
                 first, last);
    run_free(&r);
}

/* The pool grows with pay: the same city with both apps at 10% keeps a larger fleet in its
 * third week than with both at 40%. */
static void test_pool_grows_with_pay(void **state) {
    (void)state;
    const char *cheap[] = {"platforms[1].commission=10%"};
    const char *dear[] = {"platforms[0].commission=40%", "platforms[1].commission=40%"};
    run a, b;
    run_scenario(&a, two, cheap, 1);
    run_scenario(&b, two, dear, 2);
    /* single-homers: each driver of the fleet is on one app */
    double fa = days_sum(a.days, "low", "active_drivers", 14, 21) +
                days_sum(a.days, "high", "active_drivers", 14, 21);
    double fb = days_sum(b.days, "low", "active_drivers", 14, 21) +
                days_sum(b.days, "high", "active_drivers", 14, 21);
    if (!(fa > 1.5 * fb)) fail_msg("fleet at 10%%: %.1f a day, at 40%%: %.1f", fa / 7, fb / 7);
    run_free(&a);
    run_free(&b);
}

/* Multi-homers with no registration on the second app register with it when it pays (its
 * commission is lower), and not when registering costs more than it could pay back. The pool
 * is the fleet (no entrants), so only the review of registrations can bring them. */
static void test_registration_follows_pay(void **state) {
    (void)state;
    const char *cheap[] = {"drivers.multihoming=true",    "platforms[1].market.registered=0%",
                           "platforms[0].commission=25%", "platforms[1].commission=10%",
                           "simulation.duration=14d",     "drivers.count=120"};
    const char *costly[] = {"drivers.multihoming=true",        "platforms[1].market.registered=0%",
                            "platforms[0].commission=25%",     "platforms[1].commission=10%",
                            "simulation.duration=14d",         "drivers.count=120",
                            "drivers.registration_cost=100000"};
    run a, b;
    run_scenario(&a, two, cheap, 6);
    run_scenario(&b, two, costly, 7);
    double on_a = days_sum(a.days, "high", "active_drivers", 7, 14);
    double all_a = days_sum(a.days, "low", "active_drivers", 7, 14);
    double on_b = days_sum(b.days, "high", "active_drivers", 0, 14);
    if (!(on_a > 0.5 * all_a && on_b == 0))
        fail_msg("drivers on the new app in week 2: %.1f of %.1f a day (registration $50); "
                 "%.0f driver-days at $100,000",
                 on_a / 7, all_a / 7, on_b);
    run_free(&a);
    run_free(&b);
}

/* A co-op with a member cap of 20 beside the incumbent: no more than 20 drivers ever go online
 * on it, and drivers it refused stop counting it among their apps (only the day's entrants, who
 * have not yet asked, still do; without the rule every driver of the fleet, ~180, would). */
static void test_member_cap_applies(void **state) {
    (void)state;
    const char *cap[] = {"drivers.multihoming=true", "platforms[1].kind=cooperative",
                         "platforms[1].coop.membership_cap=20", "simulation.duration=10d"};
    run r;
    run_scenario(&r, two, cap, 4);
    for (int d = 0; d < 10; d++)
        assert_true(days_sum(r.days, "high", "drivers_online", d, d + 1) <= 20);
    assert_true(days_sum(r.days, "high", "drivers_online", 0, 10) > 20);
    for (int d = 3; d < 10; d++) {
        double on = days_sum(r.days, "high", "active_drivers", d, d + 1) -
                    days_sum(r.days, "high", "entrants", d, d + 1);
        double fleet = days_sum(r.days, "low", "active_drivers", d, d + 1);
        if (!(on <= 25 && fleet > 100))
            fail_msg("day %d: %.0f drivers (not entering that day) count the full co-op among "
                     "their apps, of %.0f",
                     d, on, fleet);
    }
    run_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_entry_reduces_to_separate),
        cmocka_unit_test(test_conservation_one_app_at_a_time_determinism),
        cmocka_unit_test(test_single_homers_move_to_better_pay),
        cmocka_unit_test(test_pool_grows_with_pay),
        cmocka_unit_test(test_registration_follows_pay),
        cmocka_unit_test(test_member_cap_applies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
