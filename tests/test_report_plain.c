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
    assert_null(strstr(html, "Added to the co-op reserve from fares"));
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
    /* the corporate platform surges, but barely (a mean multiplier near 1): not "surge did not
     * shorten waits" */
    assert_null(strstr(html, "Surge did not"));
    cli_rmdir(dir);
}

/* The text between the "Why these numbers" heading and the end of its list ("" when absent). */
static const char *why(const char *html) {
    static char out[8192];
    const char *a = strstr(html, "<ul class=\"why\">"), *b = a ? strstr(a, "</ul>") : NULL;
    snprintf(out, sizeof out, "%.*s", a && b ? (int)(b - a) : 0, a ? a : "");
    return out;
}

/* Gross pay per hour equal at 30% and 10%: explained by the extra driver-hours, with the run's
 * numbers; with both platforms at 30% there is nothing to explain. */
static void test_why_commission(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    const char *w = why(run_report(dir, SRC "/scenarios/teaching/commission.yaml",
                                   "simulation.seed=3", "simulation.replications=1"));
    assert_non_null(strstr(w, "Gross earnings per online hour barely changed"));
    assert_non_null(strstr(w, "more driver-hours were worked"));
    assert_non_null(strstr(w, "keeps 30% of fares and the other 10%"));
    assert_non_null(strstr(w, "extracts")); /* extraction fell faster than revenue */
    assert_null(strstr(w, "Surge did not"));
    assert_null(strstr(w, "From day 1"));
    w = why(run_report(dir, SRC "/scenarios/teaching/commission.yaml",
                       "platforms[1].commission=30%", "simulation.replications=1"));
    assert_null(strstr(w, "Gross earnings per online hour"));
    assert_null(strstr(w, "extracts"));
    cli_rmdir(dir);
}

/* Surge that does not shorten waits, said with the waits and refusals; without surge on either
 * platform, no such sentence. */
static void test_why_surge(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    const char *w = why(run_report(dir, SRC "/scenarios/teaching/surge.yaml", "simulation.seed=4",
                                   "simulation.replications=1"));
    assert_non_null(strstr(w, "Surge did not shorten the average wait"));
    assert_non_null(strstr(w, "refused the quoted price"));
    w = why(run_report(dir, SRC "/scenarios/teaching/surge.yaml",
                       "platforms[1].surge.enabled=false", "simulation.replications=1"));
    assert_null(strstr(w, "Surge did not"));
    /* more drivers than the evening needs: waits fall with surge or without, nothing to say */
    w = why(run_report(dir, SRC "/scenarios/teaching/surge.yaml", "drivers.count=600",
                       "demand.rate=2000/day"));
    assert_null(strstr(w, "Surge did not"));
    cli_rmdir(dir);
}

/* A multi-day fixed pool: the per-day table, and drivers leaving explained day by day; a one-day
 * run has neither. */
static void test_days_and_idle(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    const char *html = run_report(dir, SRC "/scenarios/teaching/oversupply.yaml",
                                  "simulation.seed=5", "simulation.replications=1");
    const char *days = strstr(html, "<section id=\"days\">");
    assert_non_null(days);
    assert_non_null(strstr(days, "<td>Day 3</td>"));
    assert_null(strstr(days, "<td>Day 4</td>"));
    assert_non_null(strstr(days, "Mean wait (min)"));
    /* the pay per hour of each day: everything paid to drivers that day over its online hours */
    assert_non_null(strstr(days, "Gross pay per online hour"));
    const char *w = why(html);
    assert_non_null(strstr(w, "From day 1 to day 3"));
    assert_non_null(strstr(w, "had a rider only"));
    /* half the drivers, all pessimistic: they stay busy and nobody leaves */
    html = run_report(dir, SRC "/scenarios/teaching/oversupply.yaml", "drivers.count=150",
                      "demand.rate=6000/day");
    w = why(html);
    assert_null(strstr(w, "had a rider only"));
    html = run_report(dir, SRC "/scenarios/teaching/commission.yaml", "simulation.seed=3",
                      "simulation.replications=1");
    assert_null(strstr(html, "<section id=\"days\">"));
    assert_null(strstr(html, "Not drawn")); /* nothing a reader of this run would look for */
    cli_rmdir(dir);
}

int main(void) {
    /* The text is what is tested: no plots, which keeps each run to a fraction of a second. */
    setenv("COOPSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_why_commission),
        cmocka_unit_test(test_why_surge),
        cmocka_unit_test(test_days_and_idle),
        cmocka_unit_test(test_centralized_single_run),
        cmocka_unit_test(test_cooperative_keeps_its_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
