/* competition_days.csv, an experiment's per-day shares of a shared market: every row is the
 * mean of the point's runs' competition.csv rows with the Student-t 95% interval (recomputed
 * here with GSL's t quantile), every (point, platform, day) of the runs has its row, and a single
 * run or a separate-mode experiment writes no such file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <gsl/gsl_cdf.h>
#include <jansson.h>
#include <math.h>

/* Two identical apps in a small city for two days: 3 replications at each of 2 points. */
static const char shared_yaml[] = "name: cdays\n"
                                  "simulation: {seed: 11, duration: 2d, replications: 3}\n"
                                  "market: {platforms: shared}\n"
                                  "city: {width: 5km, height: 5km}\n"
                                  "demand: {rate: 2000/day}\n"
                                  "riders: {patience_mean: 10min}\n"
                                  "drivers: {count: 100, shift_mean: 8h}\n"
                                  "platforms:\n"
                                  "  - {name: one, kind: centralized, commission: 25%}\n"
                                  "  - {name: two, kind: centralized, commission: 20%}\n"
                                  "sweep:\n"
                                  "  parameters:\n"
                                  "    - {path: drivers.count, values: [80, 100]}\n";

#define REPS 3
#define POINTS 2
#define MAXROWS 256
#define MAXCOLS 64

/* A CSV file without quoted fields (the platforms' names here have none). */
typedef struct table {
    char *text;
    char *cell[MAXROWS][MAXCOLS];
    size_t rows, cols;
} table;

static void table_read(const char *path, table *t) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("%s: missing", path);
    t->text = calloc(1 << 20, 1);
    assert_non_null(t->text);
    size_t n = fread(t->text, 1, (1 << 20) - 1, f);
    fclose(f);
    t->rows = t->cols = 0;
    size_t c = 0;
    char *p = t->text, *start = p;
    for (; p < t->text + n; p++) {
        if (*p != ',' && *p != '\n') continue;
        char sep = *p;
        *p = '\0';
        assert_true(t->rows < MAXROWS && c < MAXCOLS);
        t->cell[t->rows][c++] = start;
        start = p + 1;
        if (sep == '\n') {
            if (t->rows == 0) t->cols = c;
            assert_int_equal(c, t->cols);
            t->rows++;
            c = 0;
        }
    }
}

static int col(const table *t, const char *name) {
    for (size_t c = 0; c < t->cols; c++)
        if (strcmp(t->cell[0][c], name) == 0) return (int)c;
    fail_msg("no column %s", name);
    return -1;
}

static const char *const metrics[] = {"request_share", "trip_share", "hours_share", "shown_eta_s",
                                      "profit",        "cash",       "burn"};
#define NM (sizeof metrics / sizeof metrics[0])

/* The cell is want within tol (relative above 1); empty when want is undefined. */
static void near_impl(double want, const char *cell, const char *what, double tol) {
    if (!isfinite(want)) {
        if (*cell) fail_msg("%s: expected an empty cell, found %s", what, cell);
        return;
    }
    double got = strtod(cell, NULL);
    if (!*cell || fabs(got - want) > tol * fmax(1, fabs(want)))
        fail_msg("%s: expected %.12g, found '%s'", what, want, cell);
}

static void near(double want, const char *cell, const char *what) {
    near_impl(want, cell, what, 1e-9);
}

static void test_aggregate_is_the_mean_with_t_interval(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    char out[300];
    const char *yaml = cli_write(dir, "s.yaml", shared_yaml, sizeof shared_yaml - 1);
    char file[256];
    snprintf(file, sizeof file, "%s", yaml);
    snprintf(out, sizeof out, "%s/out", dir);
    cli_result *r =
        cli_run((const char *const[]){"run", file, "-o", out, "--no-plots", "-q", NULL});
    if (r->status != 0) fail_msg("%s", r->err);

    static table agg;
    char path[400];
    snprintf(path, sizeof path, "%s/competition_days.csv", out);
    table_read(path, &agg);
    /* the runs of point p are runs p*REPS .. p*REPS + REPS-1 (the scheduler's order) */
    static table runs[POINTS * REPS];
    size_t expected_rows = 0;
    for (size_t i = 0; i < POINTS * REPS; i++) {
        snprintf(path, sizeof path, "%s/runs/run-%06zu/competition.csv", out, i);
        table_read(path, &runs[i]);
        if (i % REPS == 0) expected_rows += runs[i].rows - 1; /* same days in every run */
    }
    assert_int_equal(agg.rows - 1, expected_rows);
    int a_point = col(&agg, "point"), a_pf = col(&agg, "platform"), a_day = col(&agg, "day"),
        a_runs = col(&agg, "runs");
    for (size_t row = 1; row < agg.rows; row++) {
        size_t point = (size_t)atoi(agg.cell[row][a_point]);
        assert_true(point < POINTS);
        assert_int_equal(atoi(agg.cell[row][a_runs]), REPS);
        for (size_t m = 0; m < NM; m++) {
            double x[REPS];
            size_t n = 0;
            for (size_t k = 0; k < REPS; k++) {
                const table *t = &runs[point * REPS + k];
                int pf = col(t, "platform"), day = col(t, "day"), c = col(t, metrics[m]);
                for (size_t i = 1; i < t->rows; i++)
                    if (strcmp(t->cell[i][pf], agg.cell[row][a_pf]) == 0 &&
                        strcmp(t->cell[i][day], agg.cell[row][a_day]) == 0 && *t->cell[i][c])
                        x[n++] = strtod(t->cell[i][c], NULL);
            }
            double mean = 0, ss = 0;
            for (size_t k = 0; k < n; k++)
                mean += x[k] / (double)n;
            for (size_t k = 0; k < n; k++)
                ss += (x[k] - mean) * (x[k] - mean);
            double half = n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) *
                                      sqrt(ss / (double)(n - 1)) / sqrt((double)n)
                                : NAN;
            char name[64], what[160];
            snprintf(what, sizeof what, "point %zu %s day %s %s", point, agg.cell[row][a_pf],
                     agg.cell[row][a_day], metrics[m]);
            snprintf(name, sizeof name, "%s_mean", metrics[m]);
            near(n > 0 ? mean : NAN, agg.cell[row][col(&agg, name)], what);
            snprintf(name, sizeof name, "%s_ci95_low", metrics[m]);
            near(mean - half, agg.cell[row][col(&agg, name)], what);
            snprintf(name, sizeof name, "%s_ci95_high", metrics[m]);
            near(mean + half, agg.cell[row][col(&agg, name)], what);
            snprintf(name, sizeof name, "%s_n", metrics[m]);
            assert_int_equal(atoi(agg.cell[row][col(&agg, name)]), n);
        }
    }
    /* the shares vary between runs, so the interval is not a point */
    int lo = col(&agg, "request_share_ci95_low"), hi = col(&agg, "request_share_ci95_high");
    assert_true(strtod(agg.cell[1][hi], NULL) > strtod(agg.cell[1][lo], NULL));
    free(agg.text);
    for (size_t i = 0; i < POINTS * REPS; i++)
        free(runs[i].text);
    cli_rmdir(dir);
}

/* hourly.csv of a shared city ends with each app's shares of the hour: its requests, trips and
 * online time over all apps' (so they sum to 1 over the apps); a separate run has no such
 * columns. */
static void hourly_shares(const char *path, bool shared) {
    static table t;
    table_read(path, &t);
    assert_int_equal(strcmp(t.cell[0][t.cols - 1], "hours_share") == 0, shared);
    if (!shared) {
        free(t.text);
        return;
    }
    int hour = col(&t, "hour"), req = col(&t, "requests"), rs = col(&t, "request_share"),
        ts = col(&t, "trip_share"), hs = col(&t, "hours_share"), served = col(&t, "served");
    size_t checked = 0;
    for (size_t i = 1; i < t.rows; i++) {
        double all = 0, all_served = 0, sum_rs = 0, sum_ts = 0, sum_hs = 0;
        for (size_t j = 1; j < t.rows; j++) {
            if (strcmp(t.cell[j][hour], t.cell[i][hour]) != 0) continue;
            all += strtod(t.cell[j][req], NULL);
            all_served += strtod(t.cell[j][served], NULL);
            sum_rs += strtod(t.cell[j][rs], NULL);
            sum_ts += strtod(t.cell[j][ts], NULL);
            sum_hs += strtod(t.cell[j][hs], NULL);
        }
        if (!(all > 0 && all_served > 0)) continue;
        /* six decimals in the file */
        near_impl(strtod(t.cell[i][req], NULL) / all, t.cell[i][rs], "hourly request_share", 1e-6);
        assert_true(fabs(sum_rs - 1) < 1e-5 && fabs(sum_ts - 1) < 1e-5 && fabs(sum_hs - 1) < 1e-5);
        checked++;
    }
    assert_true(checked > 0);
    free(t.text);
}

/* competition.peak_request_share and peak_day of a single run: the highest request_share of
 * its competition.csv and the first day with it. */
static void peaks(const char *out) {
    char path[400];
    snprintf(path, sizeof path, "%s/summary.json", out);
    json_t *s = json_load_file(path, 0, NULL);
    assert_non_null(s);
    static table t;
    snprintf(path, sizeof path, "%s/competition.csv", out);
    table_read(path, &t);
    int pf = col(&t, "platform"), day = col(&t, "day"), rs = col(&t, "request_share");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(json_object_get(s, "competition"), "platforms"), i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        double best = -1;
        int best_day = 0;
        for (size_t r = 1; r < t.rows; r++) {
            double v = strtod(t.cell[r][rs], NULL);
            if (strcmp(t.cell[r][pf], name) == 0 && *t.cell[r][rs] && v > best + 1e-6) {
                best = v;
                best_day = atoi(t.cell[r][day]);
            }
        }
        assert_true(fabs(json_real_value(json_object_get(e, "peak_request_share")) - best) < 1e-6);
        assert_int_equal(json_integer_value(json_object_get(e, "peak_day")), best_day);
    }
    free(t.text);
    json_decref(s);
}

/* A single run's competition.csv is the whole answer: no aggregate. Nor is there one without a
 * shared market. */
static void test_no_aggregate_for_single_run_or_separate_mode(void **state) {
    (void)state;
    for (size_t k = 0; k < 2; k++) {
        char *dir = cli_tmpdir();
        char file[256], out[300], path[400];
        /* k = 0, the single run: the scenario without its sweep, one replication; k = 1, the
         * experiment in separate mode */
        size_t len =
            k == 0 ? (size_t)(strstr(shared_yaml, "sweep:") - shared_yaml) : sizeof shared_yaml - 1;
        snprintf(file, sizeof file, "%s", cli_write(dir, "s.yaml", shared_yaml, len));
        snprintf(out, sizeof out, "%s/out", dir);
        const char *set = k == 0 ? "simulation.replications=1" : "market.platforms=separate";
        cli_result *r = cli_run(
            (const char *const[]){"run", file, "-o", out, "--no-plots", "-q", "--set", set, NULL});
        if (r->status != 0) fail_msg("%s", r->err);
        snprintf(path, sizeof path, "%s/summary.json", out);
        assert_int_equal(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/competition_days.csv", out);
        assert_int_not_equal(access(path, F_OK), 0);
        snprintf(path, sizeof path, k == 0 ? "%s/hourly.csv" : "%s/runs/run-000000/hourly.csv",
                 out);
        hourly_shares(path, k == 0);
        if (k == 0) peaks(out);
        cli_rmdir(dir);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregate_is_the_mean_with_t_interval),
        cmocka_unit_test(test_no_aggregate_for_single_run_or_separate_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
