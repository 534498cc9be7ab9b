/* The trip-file reader and the market on a trip file: spreadsheet habits (byte order mark,
 * \r\n, quotes, blanks) read as plain values, zone ids become their centres, ties keep the
 * file's order, and a fare in the file sets the rider's willingness to pay. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/market/tripfile.h"
#include "models/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static const char *put(const char *name, const char *text) {
    static char path[2][256];
    static int k;
    k ^= 1;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    FILE *f = fopen(path[k], "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return path[k];
}

/* A scenario over the files in dir (absolute names: a buffer reads them from where they are). */
static void load(coop_scenario *sc, const char *extra) {
    char yaml[2048], err[1024];
    snprintf(yaml, sizeof yaml,
             "name: tripfile-test\n"
             "simulation: {seed: 5, duration: 4h}\n"
             "city: {width: 6km, height: 4km}\n"
             "demand:\n"
             "  source: %s/trips.csv\n"
             "%s"
             "drivers: {count: 40, participation: false}\n"
             "platforms:\n"
             "  - {name: p, kind: centralized}\n",
             dir, extra);
    memset(sc, 0, sizeof *sc);
    if (sc_load_buffer(coop_keys, sc, "tripfile-test", yaml, strlen(yaml), NULL, 0, err,
                       sizeof err) != SIM_OK)
        fail_msg("%s", err);
    if (coop_check(sc, NULL, err, sizeof err) != SIM_OK) fail_msg("%s", err);
}

static void test_spreadsheet_habits_and_zones(void **state) {
    (void)state;
    put("trips.csv", "\xEF\xBB\xBF"
                     "\"time\", origin_zone ,dest_zone,party,fare\r\n"
                     "0,\"7\",12,2,9.5\r\n"
                     "60.5,12,7,,\r\n"
                     "60.5, 7 ,7,8,0\r\n");
    put("zones.csv", "y,zone,x\n100,7,250.5\n3999,12,6000\n");
    coop_scenario sc;
    char extra[256];
    snprintf(extra, sizeof extra, "  zones: %s/zones.csv\n", dir);
    load(&sc, extra);
    mkt_tripfile *f;
    char err[512];
    assert_int_equal(mkt_tripfile_open(&sc, &f, err, sizeof err), SIM_OK);
    mkt_trip t;
    bool got;
    assert_int_equal(mkt_tripfile_next(f, &t, &got, err, sizeof err), SIM_OK);
    assert_true(got);
    assert_int_equal(t.t, 0);
    assert_true(t.ox == 250.5 && t.oy == 100 && t.dx == 6000 && t.dy == 3999);
    assert_int_equal(t.party, 2);
    assert_int_equal(t.fare, 950);
    assert_int_equal(t.line, 2);
    assert_int_equal(mkt_tripfile_next(f, &t, &got, err, sizeof err), SIM_OK);
    assert_true(got);
    assert_int_equal(t.t, 60500000);
    assert_int_equal(t.party, 1);
    assert_int_equal(t.fare, -1);
    /* a tie with the trip before it is in order */
    assert_int_equal(mkt_tripfile_next(f, &t, &got, err, sizeof err), SIM_OK);
    assert_true(got);
    assert_int_equal(t.t, 60500000);
    assert_int_equal(t.party, 8);
    assert_int_equal(t.fare, 0);
    assert_int_equal(mkt_tripfile_next(f, &t, &got, err, sizeof err), SIM_OK);
    assert_false(got);
    mkt_tripfile_close(f);
    sc_free(coop_keys, &sc);
}

/* Riders served out of n requests on a file whose every trip carries `fare` (NULL: none). */
static int64_t served(const char *fare, int64_t *requests) {
    char *text = malloc(200 * 64), *p = text;
    p += sprintf(p, "time,origin_x,origin_y,dest_x,dest_y%s\n", fare ? ",fare" : "");
    for (int i = 0; i < 200; i++)
        p += sprintf(p, "%d,%d,%d,%d,%d%s%s\n", i * 60, 500 + (i * 37) % 5000,
                     300 + (i * 53) % 3400, 5500 - (i * 41) % 5000, 3700 - (i * 29) % 3400,
                     fare ? "," : "", fare ? fare : "");
    put("trips.csv", text);
    free(text);
    coop_scenario sc;
    load(&sc, "");
    char err[512];
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), SIM_OK);
    mkt_rider_stats st;
    mkt_rider_summary(w, &st);
    *requests = st.requests;
    mkt_free(w);
    sc_free(coop_keys, &sc);
    return st.served;
}

static void test_fare_sets_willingness_to_pay(void **state) {
    (void)state;
    int64_t n0, n1, n2;
    int64_t none = served(NULL, &n0), cheap = served("0.50", &n1), rich = served("500.00", &n2);
    assert_int_equal(n0, 200);
    assert_int_equal(n1, 200);
    assert_int_equal(n2, 200);
    /* 40 drivers for a request a minute: without a fare most riders are served; riders who paid
     * 50 cents refuse every quote (the platform's minimum is above it); riders who paid $500
     * refuse none */
    assert_true(none > 100);
    assert_int_equal(cheap, 0);
    assert_true(rich >= none);
}

/* A file changed after it was checked: the run stops with the position of the line it could
 * not read, whether it is the first (read before the engine runs) or a later one. */
static void test_file_changed_after_check(void **state) {
    (void)state;
    const char *bad[] = {"time,origin_x,origin_y,dest_x,dest_y\nx,1,1,2,2\n",
                         "time,origin_x,origin_y,dest_x,dest_y\n1,1,1,2,2\n9,1,1,2,2\n5,1,1,2,2\n"};
    const char *want[] = {"trips.csv:2:1: column 'time'", "trips.csv:4:1: column 'time'"};
    for (int k = 0; k < 2; k++) {
        put("trips.csv", "time,origin_x,origin_y,dest_x,dest_y\n1,1,1,2,2\n");
        coop_scenario sc;
        load(&sc, "");
        put("trips.csv", bad[k]);
        char err[512];
        mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
        if (!w) fail_msg("%s", err);
        assert_int_equal(mkt_run(w, err, sizeof err), SIM_EINPUT);
        if (!strstr(err, want[k])) fail_msg("want '%s', got '%s'", want[k], err);
        mkt_free(w);
        sc_free(coop_keys, &sc);
    }
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/coopsim-tripfile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spreadsheet_habits_and_zones),
        cmocka_unit_test(test_fare_sets_willingness_to_pay),
        cmocka_unit_test(test_file_changed_after_check),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
