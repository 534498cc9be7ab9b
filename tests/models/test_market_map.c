/* The map recorder: it changes nothing in a run (summary and tables byte-identical with and
 * without it), keeps to its caps, and what it records is where the market has its agents: every
 * driver inside the city, each frame's counts equal to the drivers and riders it lists when
 * nothing is capped, carrying drivers moving at most as fast as the city allows between frames. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/run.h"
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char yaml[] =
    "name: map-test\n"
    "simulation: {seed: 9, duration: 1d}\n"
    "city: {width: 6km, height: 4km, zones_x: 3, zones_y: 2, speed: 20km/h}\n"
    "demand: {rate: 3000/day}\n"
    "drivers: {count: 120, participation: false, shift_mean: 10h}\n"
    "platforms:\n"
    "  - {name: plain, kind: centralized}\n"
    "  - {name: surging, kind: centralized, surge: {enabled: true}}\n";

static void load(coop_scenario *sc) {
    memset(sc, 0, sizeof *sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, sc, "map-test", yaml, sizeof yaml - 1, NULL, 0, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
}

/* Runs into a fresh directory; returns the summary as text and the named CSV's bytes. */
static char *run(const coop_scenario *sc, const mkt_map_opts *mo, json_t *maps, char *dir,
                 char **hourly) {
    snprintf(dir, 64, "/tmp/coopsim-map-XXXXXX");
    assert_non_null(mkdtemp(dir));
    coop_run_opts o = {.outdir = dir, .map = mo, .map_out = maps};
    json_t *sum = json_object();
    char err[1024];
    if (coop_run(sc, &o, sum, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    char *text = json_dumps(sum, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(sum);
    char path[128];
    snprintf(path, sizeof path, "%s/hourly.csv", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[2][1 << 18];
    static int k;
    size_t n = fread(buf[k], 1, sizeof buf[k] - 1, f);
    buf[k][n] = '\0';
    fclose(f);
    *hourly = buf[k];
    k ^= 1;
    static const char *const files[] = {"drivers.csv", "hourly.csv", "books.csv"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return text;
}

static void test_map_changes_nothing(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc);
    char d1[64], d2[64], *h1, *h2;
    char *plain = run(&sc, NULL, NULL, d1, &h1);
    mkt_map_opts mo = {.from = 18 * SIM_HOUR,
                       .every = 20 * SIM_SEC,
                       .frames = 90,
                       .drivers = 1000,
                       .riders = 1000};
    json_t *maps = json_array();
    char *mapped = run(&sc, &mo, maps, d2, &h2);
    assert_string_equal(plain, mapped);
    assert_string_equal(h1, h2);
    free(plain);
    free(mapped);
    assert_int_equal(json_array_size(maps), 2);
    for (size_t p = 0; p < 2; p++) {
        json_t *m = json_array_get(maps, p);
        assert_true(json_is_object(m));
        json_t *frames = json_object_get(m, "frames");
        assert_int_equal(json_array_size(frames), 90);
        assert_int_equal(json_is_true(json_object_get(m, "surge")), p == 1);
        double w = (double)json_integer_value(json_object_get(m, "width")),
               h = (double)json_integer_value(json_object_get(m, "height"));
        assert_true(fabs(w - 600) < 1e-9 && fabs(h - 400) < 1e-9);
        /* 20 km/h is 111 m (11.1 units) in 20 s; a trip leg is straight, so never faster */
        double last_x[200], last_y[200];
        int last_state[200];
        for (size_t i = 0; i < 200; i++)
            last_state[i] = -1;
        size_t i;
        json_t *fr;
        json_array_foreach(frames, i, fr) {
            assert_int_equal(json_integer_value(json_object_get(fr, "t")),
                             18 * 3600 + 20 * (json_int_t)i);
            json_t *d = json_object_get(fr, "d"), *r = json_object_get(fr, "r");
            assert_int_equal(json_array_size(d) / 4,
                             json_integer_value(json_object_get(fr, "online")));
            assert_int_equal(json_array_size(r) / 3,
                             json_integer_value(json_object_get(fr, "waiting")));
            json_int_t riding = 0;
            for (size_t k = 0; k + 3 < json_array_size(d); k += 4) {
                json_int_t id = json_integer_value(json_array_get(d, k));
                double x = (double)json_integer_value(json_array_get(d, k + 1)),
                       y = (double)json_integer_value(json_array_get(d, k + 2));
                int s = (int)json_integer_value(json_array_get(d, k + 3));
                assert_true(id >= 0 && id < 120);
                assert_true(x >= 0 && x <= w && y >= 0 && y <= h);
                assert_true(s >= 1 && s <= 3);
                riding += s == 3;
                if (s == 3 && last_state[id] == 3)
                    assert_true(hypot(x - last_x[id], y - last_y[id]) <= 11.2 + 1.5);
                last_x[id] = x;
                last_y[id] = y;
                last_state[id] = s;
            }
            assert_int_equal(riding, json_integer_value(json_object_get(fr, "riding")));
            json_t *z = json_object_get(fr, "surge");
            assert_true(p == 1 ? json_array_size(z) == 6 : z == NULL);
        }
    }
    json_decref(maps);
    /* the caps: 10 drivers, 3 riders, 5 frames */
    mo = (mkt_map_opts){
        .from = 18 * SIM_HOUR, .every = 30 * SIM_SEC, .frames = 5, .drivers = 10, .riders = 3};
    maps = json_array();
    free(run(&sc, &mo, maps, d2, &h2));
    json_t *m = json_array_get(maps, 0);
    assert_int_equal(json_integer_value(json_object_get(m, "drivers_shown")), 10);
    size_t i;
    json_t *fr;
    json_array_foreach(json_object_get(m, "frames"), i, fr) {
        assert_true(json_array_size(json_object_get(fr, "d")) <= 40);
        assert_true(json_array_size(json_object_get(fr, "r")) <= 9);
    }
    assert_int_equal(json_array_size(json_object_get(m, "frames")), 5);
    json_decref(maps);
    /* a window past the end records nothing, and says so with null */
    mo.from = 2 * SIM_DAY;
    maps = json_array();
    free(run(&sc, &mo, maps, d2, &h2));
    assert_true(json_is_null(json_array_get(maps, 0)));
    json_decref(maps);
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
