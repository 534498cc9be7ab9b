/* coopsim compare: two runs of the teaching scenario with 3 replications each, side by side;
 * the differences and their Welch intervals recomputed here from each run's summary.json,
 * and bad input (a missing directory, a sweep) refused with exit status 2. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <gsl/gsl_cdf.h>
#include <jansson.h>
#include <math.h>

#define SRC COOPSIM_SOURCE_DIR
#define RUN(...) cli_run((const char *const[]){__VA_ARGS__, NULL})

/* drivers.net_per_hour of platform `pf` in dir's summary: mean, sd, n. */
static void stats_of(const char *dir, const char *pf, double *mean, double *sd, double *n) {
    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_t *s = json_load_file(path, 0, NULL);
    assert_non_null(s);
    size_t i;
    json_t *p;
    bool found = false;
    json_array_foreach(json_object_get(s, "platforms"), i, p) {
        if (strcmp(json_string_value(json_object_get(p, "name")), pf) != 0) continue;
        json_t *v = json_object_get(json_object_get(p, "drivers"), "net_per_hour");
        *mean = json_number_value(json_object_get(v, "mean"));
        *sd = json_number_value(json_object_get(v, "sd"));
        *n = json_number_value(json_object_get(v, "n"));
        found = true;
    }
    json_decref(s);
    assert_true(found);
}

/* The compare.csv row of (platform, metric, run) as its fields. */
static int find_row(const char *csv, const char *pf, const char *metric, const char *run,
                    double f[7]) {
    char want[512];
    snprintf(want, sizeof want, "\n%s,%s,", pf, metric);
    for (const char *p = strstr(csv, want); p; p = strstr(p + 1, want)) {
        const char *q = p + strlen(want);
        q = strchr(q, ',') + 1; /* unit */
        if (strncmp(q, run, strlen(run)) != 0 || q[strlen(run)] != ',') continue;
        q += strlen(run) + 1;
        for (int k = 0; k < 7; k++) {
            char *end;
            f[k] = *q == ',' || *q == '\n' ? NAN : strtod(q, &end);
            q = strpbrk(q, ",\n");
            if (*q == ',') q++;
        }
        return 1;
    }
    return 0;
}

static void test_compare_two_runs(void **state) {
    (void)state;
    char *base = strdup(cli_tmpdir()), a[256], b[256], out[256];
    snprintf(a, sizeof a, "%s/a", base);
    snprintf(b, sizeof b, "%s/b", base);
    snprintf(out, sizeof out, "%s/cmp", base);
    const char *scen = SRC "/scenarios/teaching/commission.yaml";
    assert_int_equal(RUN("run", scen, "-o", a, "-q", "--no-plots", "--set",
                         "simulation.duration=4h", "--set", "simulation.replications=3")
                         ->status,
                     0);
    assert_int_equal(RUN("run", scen, "-o", b, "-q", "--no-plots", "--set",
                         "simulation.duration=4h", "--set", "simulation.replications=3", "--set",
                         "platforms[1].commission=20%")
                         ->status,
                     0);
    cli_result *r = RUN("compare", a, b, "-o", out);
    if (r->status != 0) print_error("%s\n", r->err);
    assert_int_equal(r->status, 0);
    char path[512];
    static char csv[1 << 20];
    snprintf(path, sizeof path, "%s/compare.csv", out);
    cli_slurp(path, csv, sizeof csv);
    assert_int_equal(strncmp(csv, "platform,metric,unit,run,n,mean,", 32), 0);
    double ma, sa, na, mb, sb, nb, f[7];
    stats_of(a, "takes-10", &ma, &sa, &na);
    stats_of(b, "takes-10", &mb, &sb, &nb);
    assert_true(find_row(csv, "takes-10", "drivers.net_per_hour", a, f));
    assert_true(isnan(f[4])); /* no difference for the first run */
    assert_true(find_row(csv, "takes-10", "drivers.net_per_hour", b, f));
    assert_int_equal((int)f[0], 3);
    assert_true(fabs(f[1] - mb) <= 1e-8 * fabs(mb));
    /* Welch: the difference and its interval from the two runs' statistics */
    double d = mb - ma, va = sa * sa / na, vb = sb * sb / nb;
    double df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
    double h = gsl_cdf_tdist_Pinv(0.975, df) * sqrt(va + vb);
    assert_true(fabs(d) > 0);
    assert_true(fabs(f[4] - d) <= 1e-8 * fabs(d) + 1e-9);
    assert_true(fabs(f[5] - (d - h)) <= 1e-6 * (fabs(d) + h));
    assert_true(fabs(f[6] - (d + h)) <= 1e-6 * (fabs(d) + h));
    static char html[1 << 20];
    snprintf(path, sizeof path, "%s/compare.html", out);
    cli_slurp(path, html, sizeof html);
    assert_non_null(strstr(html, "<h2>takes-10</h2>"));
    assert_non_null(strstr(html, "drivers.net_per_hour"));
    cli_rmdir(base);
    free(base);
}

static void test_compare_bad_input(void **state) {
    (void)state;
    char *base = strdup(cli_tmpdir()), sw[256];
    cli_result *r = RUN("compare", "/nonexistent/run", "-o", base);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "/nonexistent/run/summary.json"));
    r = RUN("compare");
    assert_int_equal(r->status, 2);
    snprintf(sw, sizeof sw, "%s/sweep", base);
    assert_int_equal(RUN("run", SRC "/scenarios/sweep-commission.yaml", "-o", sw, "-q",
                         "--no-plots", "--set", "simulation.duration=1h")
                         ->status,
                     0);
    r = RUN("compare", sw, "-o", base);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "a sweep"));
    cli_rmdir(base);
    free(base);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_two_runs),
        cmocka_unit_test(test_compare_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
