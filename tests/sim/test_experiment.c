/* Tests of sim/experiment: statistics and paired intervals against hand-computed values,
 * flattening, CSV tables, run records, ranges and sweep sections with their locations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/experiment.h"
#include "sim/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))
/* t quantile 0.975 with 2 degrees of freedom (tables: 4.303) */
#define T975_2 4.302652729911275

static json_t *parse(const char *text) {
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j) fail_msg("bad JSON in test: %s", e.text);
    return j;
}

static double num(const json_t *o, const char *path) {
    json_t *f = exp_flatten(o);
    json_t *v = json_object_get(f, path);
    if (!v) fail_msg("no %s", path);
    double d = json_number_value(v);
    json_decref(f);
    return d;
}

static void test_summary_mean_sd_ci(void **state) {
    (void)state;
    json_t *runs[3] = {
        parse("{\"platforms\":[{\"name\":\"central\",\"rule\":\"c\",\"trips\":2},"
              "{\"name\":\"coop\",\"trips\":10,\"pay\":{\"net\":1.5}}],\"only_first\":7}"),
        parse("{\"platforms\":[{\"name\":\"central\",\"rule\":\"c\",\"trips\":4},"
              "{\"name\":\"coop\",\"trips\":12,\"pay\":{\"net\":2.5}}]}"),
        parse("{\"platforms\":[{\"name\":\"coop\",\"trips\":14,\"pay\":{\"net\":null}},"
              "{\"name\":\"central\",\"rule\":\"c\",\"trips\":6}]}"),
    };
    json_t *s = exp_summarize(runs, 3);
    assert_non_null(s);
    /* central trips 2,4,6: mean 4, sd 2, half-width t(0.975,2) * 2 / sqrt(3) */
    NEAR(num(s, "central.trips.mean"), 4.0, 1e-12);
    NEAR(num(s, "central.trips.sd"), 2.0, 1e-12);
    NEAR(num(s, "central.trips.ci95_low"), 4.0 - T975_2 * 2 / sqrt(3), 1e-9);
    NEAR(num(s, "central.trips.ci95_high"), 4.0 + T975_2 * 2 / sqrt(3), 1e-9);
    NEAR(num(s, "central.trips.n"), 3, 0);
    /* matched by name although the third run lists coop first; null counts as missing */
    NEAR(num(s, "coop.trips.mean"), 12.0, 1e-12);
    NEAR(num(s, "coop.pay.net.mean"), 2.0, 1e-12);
    NEAR(num(s, "coop.pay.net.n"), 2, 0);
    /* present in one run only: a mean, no spread */
    json_t *o = json_object_get(s, "only_first");
    NEAR(json_number_value(json_object_get(o, "mean")), 7, 0);
    assert_true(json_is_null(json_object_get(o, "sd")));
    assert_true(json_is_null(json_object_get(o, "ci95_low")));
    /* texts are kept, so the tree reads like a run's */
    json_t *p0 = json_array_get(json_object_get(s, "platforms"), 0);
    assert_string_equal(json_string_value(json_object_get(p0, "name")), "central");
    assert_string_equal(json_string_value(json_object_get(p0, "rule")), "c");
    json_decref(s);
    for (int i = 0; i < 3; i++)
        json_decref(runs[i]);
}

/* Yes/no metrics become a proportion with its Wilson interval, never below 0. */
static void test_summary_proportions(void **state) {
    (void)state;
    json_t *runs[4];
    for (int i = 0; i < 4; i++)
        runs[i] = parse(i == 2 ? "{\"failed\":true,\"never\":false}"
                               : "{\"failed\":false,\"never\":false}");
    json_t *s = exp_summarize(runs, 4);
    assert_non_null(s);
    /* 1 of 4: Wilson 95% interval [0.0456, 0.6994] (Wilson 1927; z = 1.95996) */
    NEAR(num(s, "failed.mean"), 0.25, 1e-12);
    NEAR(num(s, "failed.ci95_low"), 0.045586, 1e-5);
    NEAR(num(s, "failed.ci95_high"), 0.699358, 1e-5);
    NEAR(num(s, "failed.sd"), 0.5, 1e-12); /* of 0, 0, 1, 0 */
    NEAR(num(s, "failed.n"), 4, 0);
    /* 0 of 4: the interval starts at 0 exactly (the normal approximation would give 0 +- 0) */
    NEAR(num(s, "never.mean"), 0.0, 0);
    NEAR(num(s, "never.ci95_low"), 0.0, 0);
    NEAR(num(s, "never.ci95_high"), 0.489891, 1e-5);
    json_decref(s);
    for (int i = 0; i < 4; i++)
        json_decref(runs[i]);
}

static void test_paired_differences(void **state) {
    (void)state;
    json_t *runs[3] = {
        parse("{\"platforms\":[{\"name\":\"central\",\"x\":9},{\"name\":\"coop\",\"x\":10}]}"),
        parse("{\"platforms\":[{\"name\":\"central\",\"x\":10},{\"name\":\"coop\",\"x\":12}]}"),
        parse("{\"platforms\":[{\"name\":\"central\",\"x\":14},{\"name\":\"coop\",\"x\":14}]}"),
    };
    json_t *p = exp_paired(runs, 3, "platforms");
    assert_non_null(p);
    assert_int_equal(json_array_size(p), 1);
    json_t *d = json_array_get(p, 0);
    assert_string_equal(json_string_value(json_object_get(d, "a")), "coop");
    assert_string_equal(json_string_value(json_object_get(d, "b")), "central");
    /* differences 1, 2, 0: mean 1, sd 1, half-width t(0.975,2) / sqrt(3) */
    json_t *m = json_object_get(d, "metrics");
    NEAR(num(m, "x.mean"), 1.0, 1e-12);
    NEAR(num(m, "x.sd"), 1.0, 1e-12);
    NEAR(num(m, "x.ci95_low"), 1.0 - T975_2 / sqrt(3), 1e-9);
    NEAR(num(m, "x.ci95_high"), 1.0 + T975_2 / sqrt(3), 1e-9);
    assert_null(json_object_get(m, "name"));
    json_decref(p);
    for (int i = 0; i < 3; i++)
        json_decref(runs[i]);
}

static void test_flatten_paths(void **state) {
    (void)state;
    json_t *t = parse("{\"platforms\":[{\"name\":\"coop\",\"drivers\":{\"net_per_hour\":21.5}}],"
                      "\"hourly\":[1,2],\"label\":\"x\",\"comparison\":{\"gap\":-3}}");
    json_t *f = exp_flatten(t);
    assert_int_equal(json_object_size(f), 4);
    NEAR(json_number_value(json_object_get(f, "coop.drivers.net_per_hour")), 21.5, 0);
    NEAR(json_number_value(json_object_get(f, "hourly[1]")), 2, 0);
    NEAR(json_number_value(json_object_get(f, "comparison.gap")), -3, 0);
    const char *first = json_object_iter_key(json_object_iter(f));
    assert_string_equal(first, "coop.drivers.net_per_hour");
    json_decref(f);
    json_decref(t);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_csv_union_of_columns(void **state) {
    (void)state;
    char dir[] = "/tmp/coopsim-exp-XXXXXX";
    assert_non_null(mkdtemp(dir));
    json_t *rows[2] = {parse("{\"a\":1,\"b\":0.1}"), parse("{\"c\":\"t\",\"b\":2.5,\"d\":3}")};
    json_t *flat[2] = {exp_flatten(rows[0]), exp_flatten(rows[1])};
    const char *names[] = {"run", "value"};
    const char *lead[] = {"0", "5%", "1", "a,b"};
    char err[256];
    assert_int_equal(exp_write_csv(dir, "t.csv", 2, 2, names, lead, flat, err, sizeof err), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    assert_string_equal(slurp(path), "run,value,a,b,d\n0,5%,1,0.1,\n1,\"a,b\",,2.5,3\n");
    unlink(path);
    rmdir(dir);
    for (int i = 0; i < 2; i++) {
        json_decref(rows[i]);
        json_decref(flat[i]);
    }
}

static void test_records_round_trip_exactly(void **state) {
    (void)state;
    char dir[] = "/tmp/coopsim-exp-XXXXXX", err[256];
    assert_non_null(mkdtemp(dir));
    char *text = NULL;
    assert_int_equal(exp_record_read(dir, 3, &text, err, sizeof err), SIM_OK);
    assert_null(text); /* no record yet */
    json_t *rec = json_pack("{s:i,s:s,s:{s:f}}", "run", 3, "scenario_sha256", "abc", "metrics", "x",
                            0.1 + 0.2);
    char *t = exp_record_text(rec);
    assert_int_equal(exp_record_write(dir, 3, t, err, sizeof err), SIM_OK);
    assert_int_equal(exp_record_read(dir, 3, &text, err, sizeof err), SIM_OK);
    assert_string_equal(text, t);
    json_t *back = parse(text);
    assert_true(json_real_value(json_object_get(json_object_get(back, "metrics"), "x")) ==
                0.1 + 0.2);
    json_t *id = json_pack("{s:s}", "scenario_sha256", "abc");
    assert_true(exp_record_matches(back, id));
    json_object_set_new(id, "scenario_sha256", json_string("abd"));
    assert_false(exp_record_matches(back, id));
    char *p = exp_record_path(dir, 3);
    assert_non_null(strstr(p, "/runs/run-000003.json"));
    unlink(p);
    free(p);
    char runs[64];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    rmdir(runs);
    rmdir(dir);
    free(p = text);
    free(t);
    json_decref(rec);
    json_decref(back);
    json_decref(id);
}

static void test_ranges(void **state) {
    (void)state;
    char **v, err[256];
    size_t n = exp_range("5%", "30%", "5%", &v, err, sizeof err);
    assert_int_equal(n, 6);
    assert_string_equal(v[0], "5%");
    assert_string_equal(v[5], "30%");
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    n = exp_range("0.1", "0.3", "0.1", &v, err, sizeof err);
    assert_int_equal(n, 3); /* no value lost to (0.3 - 0.1) / 0.1 < 2 */
    assert_string_equal(v[2], "0.3");
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    assert_int_equal(exp_range("5%", "30min", "5%", &v, err, sizeof err), 0);
    assert_non_null(strstr(err, "same unit"));
    assert_int_equal(exp_range("5", "1", "1", &v, err, sizeof err), 0);
}

static const char *write_file(const char *text) {
    static char path[] = "/tmp/coopsim-sweep-XXXXXX";
    strcpy(path, "/tmp/coopsim-sweep-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

/* A scenario with nothing but a name and a sweep, loaded as the program loads one: the strict
 * loader checks the section against its keys, and the sweep is read from the same tree. */
typedef struct {
    char *path;
    sc_strings values;
    char *from, *to, *step;
} t_param;
typedef struct {
    char *name;
    int mode;
    sc_list parameters;
} t_config;
static const sc_key t_keys[] = {
    {.path = "name", .type = SC_STRING, .offset = offsetof(t_config, name), .def = ""},
    {.path = "sweep.mode",
     .type = SC_ENUM,
     .offset = offsetof(t_config, mode),
     .def = "grid",
     .choices = "grid|zip"},
    {.path = "sweep.parameters",
     .type = SC_LIST,
     .offset = offsetof(t_config, parameters),
     .def = "[]",
     .elem_size = sizeof(t_param)},
    {.path = "sweep.parameters[].path", .type = SC_STRING, .offset = offsetof(t_param, path)},
    {.path = "sweep.parameters[].values",
     .type = SC_STRING_LIST,
     .offset = offsetof(t_param, values),
     .def = "[]"},
    {.path = "sweep.parameters[].from",
     .type = SC_STRING,
     .offset = offsetof(t_param, from),
     .def = ""},
    {.path = "sweep.parameters[].to",
     .type = SC_STRING,
     .offset = offsetof(t_param, to),
     .def = ""},
    {.path = "sweep.parameters[].step",
     .type = SC_STRING,
     .offset = offsetof(t_param, step),
     .def = ""},
    {.path = NULL},
};

static sim_status read_sweep(const char *file, exp_sweep *sw, char *err, size_t errlen) {
    t_config c;
    sc_where *w = NULL;
    memset(&c, 0, sizeof c);
    sim_status rc = sc_load_file_where(t_keys, &c, file, NULL, 0, &w, err, errlen);
    if (rc == SIM_OK) rc = exp_sweep_from_tree(sc_where_tree(w), sw, err, errlen);
    sc_where_free(w);
    sc_free(t_keys, &c);
    return rc;
}

static void test_sweep_table_checks_the_section(void **state) {
    (void)state;
    const char *f = write_file("sweep:\n  mode: diagonal\n");
    exp_sweep sw;
    char err[512];
    assert_int_equal(read_sweep(f, &sw, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, ":2:9:"));
    unlink(f);
}

static void test_sweep_grid_and_locations(void **state) {
    (void)state;
    const char *f = write_file("name: s\n"
                               "sweep:\n"
                               "  parameters:\n"
                               "    - path: platfroms[1].commission\n"
                               "      values: [5%, 10%, 15%]\n"
                               "    - path: simulation.seed\n"
                               "      from: 1\n"
                               "      to: 2\n"
                               "      step: 1\n");
    exp_sweep sw;
    char err[512], out[512];
    assert_int_equal(read_sweep(f, &sw, err, sizeof err), 0);
    assert_int_equal(sw.mode, EXP_GRID);
    assert_int_equal(sw.n_params, 2);
    assert_int_equal(sw.n_points, 6);
    char *o = exp_sweep_override(&sw, 3, 0);
    assert_string_equal(o, "platfroms[1].commission=10%");
    free(o);
    o = exp_sweep_override(&sw, 3, 1);
    assert_string_equal(o, "simulation.seed=2");
    free(o);
    /* a loader message about the path points at the path in the file */
    exp_sweep_locate(&sw, 3,
                     "--set platfroms[1].commission=10%: unknown key 'platfroms[].commission' "
                     "(did you mean 'platforms[].commission'?)",
                     out, sizeof out);
    char want[512];
    snprintf(want, sizeof want,
             "%s:4:13: sweep parameter platfroms[1].commission: unknown key "
             "'platfroms[].commission' (did you mean 'platforms[].commission'?)",
             f);
    assert_string_equal(out, want);
    /* ... and one about the value at the value */
    exp_sweep_locate(&sw, 1, "--set simulation.seed=2: 2 is out of range", out, sizeof out);
    snprintf(want, sizeof want, "%s:7:13: sweep parameter simulation.seed: 2 is out of range", f);
    assert_string_equal(out, want);
    exp_sweep_free(&sw);
    unlink(f);
}

static void test_sweep_zip_and_errors(void **state) {
    (void)state;
    const char *f = write_file("sweep:\n  mode: zip\n  parameters:\n"
                               "    - path: a.b\n      values: [1, 2]\n"
                               "    - path: c.d\n      values: [x, y]\n");
    exp_sweep sw;
    char err[512];
    assert_int_equal(read_sweep(f, &sw, err, sizeof err), 0);
    assert_int_equal(sw.n_points, 2);
    char *o = exp_sweep_override(&sw, 1, 1);
    assert_string_equal(o, "c.d=y");
    free(o);
    exp_sweep_free(&sw);
    unlink(f);

    f = write_file("sweep:\n  mode: zip\n  parameters:\n"
                   "    - path: a.b\n      values: [1, 2]\n"
                   "    - path: c.d\n      values: [x]\n");
    assert_int_equal(read_sweep(f, &sw, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, ":6:7: zip sweep"));
    unlink(f);

    f = write_file("name: plain\n");
    assert_int_equal(read_sweep(f, &sw, err, sizeof err), 0);
    assert_int_equal(sw.n_params, 0);
    assert_int_equal(sw.n_points, 1);
    exp_sweep_free(&sw);
    unlink(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_mean_sd_ci),
        cmocka_unit_test(test_summary_proportions),
        cmocka_unit_test(test_paired_differences),
        cmocka_unit_test(test_flatten_paths),
        cmocka_unit_test(test_sweep_table_checks_the_section),
        cmocka_unit_test(test_csv_union_of_columns),
        cmocka_unit_test(test_records_round_trip_exactly),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_sweep_grid_and_locations),
        cmocka_unit_test(test_sweep_zip_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
