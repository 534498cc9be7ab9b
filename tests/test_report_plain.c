/* The report as a non-programmer reads it, from real runs: the scenario's notes first, no rows
 * that cannot apply (dividends and reserve when no platform is a co-op), no all-dash paired
 * comparison for a single run, utilization called what it is. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#define SRC COOPSIM_SOURCE_DIR

static char *run_report(const char *dir, const char *scenario, const char *set, const char *set2) {
    const char *args[] = {"run", scenario, "-o", dir, "-q", "--set", set, "--set", set2, NULL};
    cli_result *r = cli_run(args);
    if (r->status != 0) fail_msg("coopsim run %s: %d %s", scenario, r->status, r->err);
    char path[512];
    snprintf(path, sizeof path, "%s/report.html", dir);
    static char html[1 << 22];
    cli_slurp(path, html, sizeof html);
    assert_true(strlen(html) > 1000);
    return html;
}

static void test_centralized_single_run(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    char *html = run_report(dir, SRC "/scenarios/teaching/commission.yaml", "simulation.seed=3",
                            "simulation.replications=1");
    const char *notes = strstr(html, "What to look for.");
    assert_non_null(notes);
    assert_true(notes < strstr(html, "Who gets what")); /* the notes come first */
    assert_non_null(strstr(html, "only the platform&#39;s cut differs"));
    assert_null(strstr(html, "Dividends to members"));
    assert_null(strstr(html, "Co-op reserve"));
    assert_null(strstr(html, "Paired comparison"));
    assert_non_null(strstr(html, "share of online time with a rider"));
    assert_null(strstr(html, "carrying a rider or driving to one"));
    cli_rmdir(dir);
}

static void test_cooperative_keeps_its_rows(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    char *html = run_report(dir, SRC "/scenarios/flagship.yaml", "simulation.duration=3h",
                            "simulation.replications=2");
    assert_non_null(strstr(html, "Dividends to members"));
    /* with replications, the paired comparison: in words and plain numbers, never 1.2e+04 */
    const char *cmp = strstr(html, "Paired comparison");
    assert_non_null(cmp);
    const char *end = strstr(cmp, "</section>");
    assert_non_null(end);
    for (const char *p = cmp; p < end; p++)
        if ((*p == 'e' || *p == 'E') && p > cmp && p[-1] >= '0' && p[-1] <= '9' &&
            (p[1] == '+' || p[1] == '-'))
            fail_msg("scientific notation in the paired comparison: %.40s", p - 10);
    assert_non_null(strstr(cmp, "title=\"platform.revenue\""));
    assert_null(strstr(cmp, ">platform.revenue<"));
    assert_non_null(strstr(html, "Added to the co-op reserve from fares"));
    assert_null(strstr(html, "What to look for.")); /* no notes: no box */
    cli_rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_centralized_single_run),
        cmocka_unit_test(test_cooperative_keeps_its_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
