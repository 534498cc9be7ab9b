/* The library API of include/coopsim.h as a user of libcoopsim sees it: loading (file, text,
 * overrides) with file:line:column messages, single runs and experiments, tables read back,
 * cancellation from the progress callback. */
#include <coopsim.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#define SRC COOPSIM_SOURCE_DIR
#define OUT "api-test-out"

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static size_t count_lines(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static int setup(void **state) {
    (void)state;
    return system("rm -rf " OUT) == 0 ? 0 : -1;
}

static void test_load_file(void **state) {
    (void)state;
    char err[1024];
    coopsim_scenario *sc = NULL;
    assert_int_equal(
        coopsim_load_file(SRC "/scenarios/teaching/commission.yaml", NULL, 0, &sc, err, sizeof err),
        COOPSIM_OK);
    assert_string_equal(coopsim_scenario_name(sc), "teaching-commission");
    assert_int_equal(coopsim_scenario_runs(sc), 1);
    coopsim_scenario_free(sc);
    /* a sweep: every point times its replications */
    const char *sets[] = {"simulation.replications=3"};
    assert_int_equal(
        coopsim_load_file(SRC "/scenarios/sweep-commission.yaml", sets, 1, &sc, err, sizeof err),
        COOPSIM_OK);
    assert_int_equal(coopsim_scenario_runs(sc), 6 * 3);
    coopsim_scenario_free(sc);
}

static void test_bad_input(void **state) {
    (void)state;
    char err[1024];
    coopsim_scenario *sc = (coopsim_scenario *)1;
    const char text[] = "name: bad\n"
                        "simulation:\n"
                        "  duration: 3 parsecs\n";
    assert_int_equal(
        coopsim_load_string("mine.yaml", text, strlen(text), NULL, 0, &sc, err, sizeof err),
        COOPSIM_EINPUT);
    assert_null(sc);
    assert_non_null(strstr(err, "mine.yaml:3:13:"));
    /* an override names itself */
    const char *sets[] = {"platforms[1].commission=150%"};
    assert_int_equal(
        coopsim_load_file(SRC "/scenarios/teaching/commission.yaml", sets, 1, &sc, err, sizeof err),
        COOPSIM_EINPUT);
    assert_non_null(strstr(err, "--set platforms[1].commission=150%"));
    const char *nokey[] = {"simulation.seed"};
    assert_int_equal(coopsim_load_file(SRC "/scenarios/teaching/commission.yaml", nokey, 1, &sc,
                                       err, sizeof err),
                     COOPSIM_EINPUT);
    assert_non_null(strstr(err, "PATH=VALUE"));
    assert_int_equal(coopsim_load_file("no/such/file.yaml", NULL, 0, &sc, err, sizeof err),
                     COOPSIM_EINPUT);
    assert_non_null(strstr(err, "no/such/file.yaml"));
    assert_string_equal(coopsim_status_name(COOPSIM_ECANCELLED), "cancelled");
}

static int count_calls(void *ctx, size_t done, size_t total, double fraction) {
    int *calls = ctx;
    assert_true(done <= total);
    assert_true(fraction >= 0 && fraction <= 1);
    (*calls)++;
    return 0;
}

static void test_run_single(void **state) {
    (void)state;
    char err[1024], *csv = NULL, *json = NULL;
    coopsim_scenario *sc = NULL;
    coopsim_result *r = NULL;
    const char *sets[] = {"simulation.duration=6h"};
    assert_int_equal(
        coopsim_load_file(SRC "/scenarios/teaching/commission.yaml", sets, 1, &sc, err, sizeof err),
        COOPSIM_OK);
    int calls = 0;
    assert_int_equal(coopsim_run(sc, OUT "/single", 0, count_calls, &calls, &r, err, sizeof err),
                     COOPSIM_OK);
    assert_true(calls >= 2);
    assert_int_equal(coopsim_result_runs(r), 1);
    assert_int_equal(coopsim_result_summary(r, &json, err, sizeof err), COOPSIM_OK);
    assert_non_null(strstr(json, "\"takes-10\""));
    assert_non_null(strstr(json, "\"simulation.duration=6h\""));
    /* drivers.csv: one row per driver of each platform, with the run in front */
    assert_int_equal(coopsim_result_table(r, "drivers", &csv, err, sizeof err), COOPSIM_OK);
    assert_int_equal(strncmp(csv, "run,", 4), 0);
    assert_true(count_lines(csv) > 10);
    assert_non_null(strstr(csv, "\n0,"));
    coopsim_free(csv);
    assert_int_equal(coopsim_result_table(r, "no_such", &csv, err, sizeof err), COOPSIM_EINPUT);
    assert_null(csv);
    assert_int_equal(coopsim_result_table(r, "../summary", &csv, err, sizeof err), COOPSIM_EINPUT);
    /* the same table column by column: as many rows as the text has lines after its header,
     * each column of one type, its array of that type and no other */
    assert_int_equal(coopsim_result_table(r, "drivers", &csv, err, sizeof err), COOPSIM_OK);
    coopsim_table *t = NULL;
    assert_int_equal(coopsim_result_columns(r, "drivers", &t, err, sizeof err), COOPSIM_OK);
    assert_int_equal(coopsim_table_rows(t), count_lines(csv) - 1);
    coopsim_free(csv);
    assert_string_equal(coopsim_table_name(t, 0), "run");
    assert_int_equal(coopsim_table_type(t, 0), COOPSIM_COLUMN_INT);
    assert_int_equal(coopsim_table_ints(t, 0)[0], 0);
    assert_null(coopsim_table_reals(t, 0));
    assert_string_equal(coopsim_table_name(t, 1), "platform");
    assert_int_equal(coopsim_table_type(t, 1), COOPSIM_COLUMN_TEXT);
    assert_string_equal(coopsim_table_texts(t, 1)[0], "takes-30");
    assert_null(coopsim_table_ints(t, 1));
    size_t hours = 0;
    for (size_t j = 0; j < coopsim_table_columns(t); j++)
        if (strcmp(coopsim_table_name(t, j), "online_hours") == 0) hours = j;
    assert_int_equal(coopsim_table_type(t, hours), COOPSIM_COLUMN_REAL);
    assert_true(coopsim_table_reals(t, hours)[0] >= 0);
    assert_null(coopsim_table_name(t, coopsim_table_columns(t)));
    assert_int_equal(coopsim_table_type(t, coopsim_table_columns(t)), 0);
    coopsim_table_free(t);
    assert_int_equal(coopsim_result_columns(r, "no_such", &t, err, sizeof err), COOPSIM_EINPUT);
    assert_null(t);
    coopsim_free(json);
    coopsim_result_free(r);
    /* reopened from disk, the same */
    assert_int_equal(coopsim_result_open(OUT "/single", &r, err, sizeof err), COOPSIM_OK);
    assert_int_equal(coopsim_result_runs(r), 1);
    coopsim_result_free(r);
    coopsim_scenario_free(sc);
}

static void test_run_text_experiment(void **state) {
    (void)state;
    char err[1024], *csv = NULL;
    coopsim_scenario *sc = NULL;
    coopsim_result *r = NULL;
    const char text[] = "name: api-sweep\n"
                        "simulation: {seed: 5, duration: 3h, replications: 2}\n"
                        "drivers: {count: 40}\n"
                        "platforms:\n"
                        "  - {name: coop, kind: cooperative}\n"
                        "sweep:\n"
                        "  parameters:\n"
                        "    - {path: 'platforms[0].commission', values: [5%, 15%]}\n";
    assert_int_equal(
        coopsim_load_string("api-sweep.yaml", text, strlen(text), NULL, 0, &sc, err, sizeof err),
        COOPSIM_OK);
    assert_int_equal(coopsim_scenario_runs(sc), 4);
    assert_int_equal(coopsim_run(sc, OUT "/sweep", 0, NULL, NULL, &r, err, sizeof err), COOPSIM_OK);
    assert_true(exists(OUT "/sweep/scenario.yaml"));
    assert_int_equal(coopsim_result_runs(r), 4);
    assert_int_equal(coopsim_result_table(r, "drivers", &csv, err, sizeof err), COOPSIM_OK);
    for (int run = 0; run < 4; run++) {
        char want[16];
        snprintf(want, sizeof want, "\n%d,", run);
        assert_non_null(strstr(csv, want));
    }
    assert_null(strstr(csv, "\n4,"));
    /* column by column: every run's rows in run order, as many as the text has */
    coopsim_table *t = NULL;
    assert_int_equal(coopsim_result_columns(r, "drivers", &t, err, sizeof err), COOPSIM_OK);
    assert_int_equal(coopsim_table_rows(t), count_lines(csv) - 1);
    const int64_t *runs = coopsim_table_ints(t, 0);
    assert_non_null(runs);
    assert_int_equal(runs[0], 0);
    assert_int_equal(runs[coopsim_table_rows(t) - 1], 3);
    for (size_t i = 1; i < coopsim_table_rows(t); i++)
        assert_true(runs[i] == runs[i - 1] || runs[i] == runs[i - 1] + 1);
    coopsim_table_free(t);
    coopsim_free(csv);
    /* a row cut short in one run's file is refused with its place */
    FILE *f = fopen(OUT "/sweep/runs/run-000002/hourly.csv", "a");
    assert_non_null(f);
    fputs("2,coop\n", f);
    fclose(f);
    t = (coopsim_table *)1;
    assert_int_equal(coopsim_result_columns(r, "hourly", &t, err, sizeof err), COOPSIM_EINPUT);
    assert_null(t);
    assert_non_null(strstr(err, "run-000002/hourly.csv:"));
    assert_non_null(strstr(err, "2 fields, the header has"));
    assert_int_equal(coopsim_result_table(r, "sweep", &csv, err, sizeof err), COOPSIM_OK);
    assert_int_equal(count_lines(csv), 1 + 4);
    coopsim_free(csv);
    coopsim_result_free(r);
    coopsim_scenario_free(sc);
}

/* Cancels once `*left` calls have gone by. */
static int cancel_after(void *ctx, size_t done, size_t total, double fraction) {
    int *left = ctx;
    return (*left)-- <= 0;
}

static void test_cancel(void **state) {
    (void)state;
    char err[1024];
    coopsim_scenario *sc = NULL;
    coopsim_result *r = (coopsim_result *)1;
    assert_int_equal(
        coopsim_load_file(SRC "/scenarios/teaching/commission.yaml", NULL, 0, &sc, err, sizeof err),
        COOPSIM_OK);
    int left = 0;
    assert_int_equal(coopsim_run(sc, OUT "/cancel1", 0, cancel_after, &left, &r, err, sizeof err),
                     COOPSIM_ECANCELLED);
    assert_null(r);
    assert_false(exists(OUT "/cancel1/summary.json"));
    assert_false(exists(OUT "/cancel1/drivers.csv"));
    coopsim_scenario_free(sc);
    /* an experiment keeps the runs it finished */
    const char *sets[] = {"simulation.replications=2", "simulation.duration=2h"};
    assert_int_equal(
        coopsim_load_file(SRC "/scenarios/sweep-commission.yaml", sets, 2, &sc, err, sizeof err),
        COOPSIM_OK);
    left = 2;
    assert_int_equal(coopsim_run(sc, OUT "/cancel2", 0, cancel_after, &left, &r, err, sizeof err),
                     COOPSIM_ECANCELLED);
    assert_false(exists(OUT "/cancel2/summary.json"));
    assert_true(exists(OUT "/cancel2/runs/run-000000.json"));
    assert_false(exists(OUT "/cancel2/runs/run-000011.json"));
    /* and resuming finishes it */
    assert_int_equal(
        coopsim_run(sc, OUT "/cancel2", COOPSIM_RUN_RESUME, NULL, NULL, &r, err, sizeof err),
        COOPSIM_OK);
    assert_true(exists(OUT "/cancel2/summary.json"));
    assert_int_equal(coopsim_result_runs(r), 12);
    coopsim_result_free(r);
    coopsim_scenario_free(sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_file),  cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_run_single), cmocka_unit_test(test_run_text_experiment),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
