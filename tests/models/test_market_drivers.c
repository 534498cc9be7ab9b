/* Drivers: time accounting adds up (per state, per hour, per driver), a lower commission
 * draws more drivers online, and drivers who earned too little stay home the next days. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEACH COOPSIM_SOURCE_DIR "/scenarios/teaching/"

static void load(coop_scenario *sc, const char *file) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    if (sc_load_file(coop_keys, sc, file, NULL, 0, err, sizeof err) != 0) fail_msg("%s", err);
}

static mkt_world *run(const coop_scenario *sc, size_t platform) {
    char err[1024];
    mkt_world *w = mkt_new(sc, platform, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    return w;
}

static double get(json_t *o, const char *section, const char *key) {
    json_t *v = json_object_get(json_object_get(o, section), key);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

/* Sums a column of a CSV written by the world (no header), for rows passing `day`. */
static void column_sums(mkt_world *w, int which, int col, double *by_day, size_t days) {
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(
        which == 0 ? mkt_write_hourly_csv(w, f, false) : mkt_write_drivers_csv(w, f, false), 0);
    rewind(f);
    char line[1024];
    memset(by_day, 0, days * sizeof *by_day);
    while (fgets(line, sizeof line, f)) {
        char *fields[32];
        int n = 0;
        /* Split at every comma: empty fields (no data) keep their place. */
        char *p = line;
        while (n < 32) {
            fields[n++] = p;
            char *c = strpbrk(p, ",\n");
            if (!c) break;
            bool last = *c == '\n';
            *c = '\0';
            if (last) break;
            p = c + 1;
        }
        assert_true(n > col);
        size_t day = which == 0 ? (size_t)atoi(fields[2]) / 24 : 0;
        if (day < days) by_day[day] += atof(fields[col]);
    }
    fclose(f);
}

static void test_time_adds_up(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc, TEACH "commission.yaml");
    mkt_world *w = run(&sc, 0);
    json_t *s = mkt_summary_json(w);
    double shares = get(s, "drivers", "utilization") + get(s, "drivers", "pickup_share") +
                    get(s, "drivers", "idle_share");
    assert_true(fabs(shares - 1.0) < 1e-9);
    double hours = get(s, "drivers", "online_hours");
    assert_true(hours > 0);
    /* hourly.csv column 10 (after run and platform, ...) is the mean number of drivers online in
     * the hour. */
    double hourly;
    column_sums(w, 0, 10, &hourly, 1);
    assert_true(fabs(hourly - hours) < 0.01 * hours);
    /* drivers.csv column 3: each driver's online hours. */
    double per_driver;
    column_sums(w, 1, 3, &per_driver, 1);
    assert_true(fabs(per_driver - hours) < 0.001 * hours);
    json_decref(s);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

static void test_lower_commission_draws_more_drivers(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc, TEACH "commission.yaml");
    mkt_world *a = run(&sc, 0), *b = run(&sc, 1); /* 30% and 10% */
    json_t *sa = mkt_summary_json(a), *sb = mkt_summary_json(b);
    assert_true(get(sb, "drivers", "count") > get(sa, "drivers", "count"));
    assert_true(get(sb, "platform", "take_rate") < get(sa, "platform", "take_rate"));
    /* More drivers on the road: riders wait less. */
    assert_true(get(sb, "riders", "wait_mean_s") < get(sa, "riders", "wait_mean_s"));
    json_decref(sa);
    json_decref(sb);
    mkt_free(a);
    mkt_free(b);
    sc_free(coop_keys, &sc);
}

static void test_low_earnings_drive_drivers_away(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc, TEACH "oversupply.yaml");
    mkt_world *w = run(&sc, 0);
    double online[3];
    column_sums(w, 0, 10, online, 3);
    assert_true(online[1] < 0.9 * online[0]);
    assert_true(online[2] < 0.9 * online[1]);
    mkt_free(w);

    /* Without the participation decision everyone keeps coming. */
    const char *over[] = {"drivers.participation=false"};
    coop_scenario sc2;
    char err[1024];
    memset(&sc2, 0, sizeof sc2);
    assert_int_equal(
        sc_load_file(coop_keys, &sc2, TEACH "oversupply.yaml", over, 1, err, sizeof err), 0);
    w = run(&sc2, 0);
    column_sums(w, 0, 10, online, 3);
    assert_true(fabs(online[2] - online[1]) < 0.05 * online[1]);
    mkt_free(w);
    sc_free(coop_keys, &sc2);
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_adds_up),
        cmocka_unit_test(test_lower_commission_draws_more_drivers),
        cmocka_unit_test(test_low_earnings_drive_drivers_away),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
