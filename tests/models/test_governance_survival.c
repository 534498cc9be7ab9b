/* Members who look ahead weigh the co-op's survival as its books show it (cash, unused credit,
 * the net cash flow the rules would leave after interest and loan repayments), in a market
 * run of scenarios/governance-survival.yaml. Three identical co-ops under one member one vote are asked on day 7 to cut the
 * commission from 15% to 5% and the reserve share from 30% to 20%; at 5% the co-op runs a
 * deficit of about $400 a day once its $20,000 loan is being repaid. "thin" ($5,000 of cash,
 * a $2,000 credit line): members who look 90 days ahead see a runway of about 39 days and
 * refuse the cut 0-40. "funded" ($200,000 of cash): the runway is about 316 days, past the
 * horizon, and they pass it 40-0. "thin-myopic" (no horizon): they pass it, and the co-op
 * passes its credit limit on day 48, as the runway said (cut applied on day 8, + 39.4). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double num(const json_t *o, const char *k) {
    const json_t *v = json_object_get(o, k);
    if (!json_is_number(v)) fail_msg("%s is not a number", k);
    return json_number_value(v);
}

/* Field `col` (by the header's names) of data row `row` of a CSV text. */
static void field(const char *csv, size_t row, const char *col, char *out, size_t len) {
    const char *line = csv;
    size_t idx = 0, k = 0;
    const char *h = csv;
    for (;;) { /* the column's index in the header */
        const char *e = h + strcspn(h, ",\n");
        if ((size_t)(e - h) == strlen(col) && strncmp(h, col, (size_t)(e - h)) == 0) break;
        if (*e != ',') fail_msg("no column %s", col);
        h = e + 1;
        idx++;
    }
    for (size_t r = 0; r <= row; r++) {
        line = strchr(line, '\n');
        if (!line) fail_msg("no row %zu", row);
        line++;
    }
    for (k = 0; k < idx; k++)
        line += strcspn(line, ",\n") + 1;
    size_t n = strcspn(line, ",\n");
    if (n >= len) n = len - 1;
    memcpy(out, line, n);
    out[n] = '\0';
}

static double fnum(const char *csv, size_t row, const char *col) {
    char b[64];
    field(csv, row, col, b, sizeof b);
    if (strcmp(b, "inf") == 0) return 1e300;
    if (b[0] == '\0') return NAN;
    char *end;
    double v = strtod(b, &end);
    if (end == b) fail_msg("%s row %zu: '%s' is not a number", col, row, b);
    return v;
}

static void test_members_read_the_books_before_a_cut(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    if (sc_load_file(coop_keys, &sc, COOPSIM_SOURCE_DIR "/scenarios/governance-survival.yaml", NULL,
                     0, err, sizeof err) != SIM_OK)
        fail_msg("%s", err);
    for (size_t i = 0; i < 3; i++) {
        mkt_world *w = mkt_new(&sc, i, 0, err, sizeof err);
        assert_non_null(w);
        assert_int_equal(mkt_run(w, err, sizeof err), 0);
        char *csv = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&csv, &len);
        assert_non_null(f);
        assert_int_equal(mkt_write_governance_csv(w, f, true), 0);
        fclose(f);
        json_t *s = mkt_summary_json(w);
        const json_t *fin = json_object_get(s, "finance");
        assert_non_null(fin);
        bool failed = json_is_true(json_object_get(fin, "failed"));
        /* row 0: the commission cut; its runway under 15% is unbounded (a surplus) */
        if (i == 0) { /* thin, looking ahead: a runway of ~39 days < 90: refused */
            assert_true(fnum(csv, 0, "runway_from_days") > 1e299);
            double runway = fnum(csv, 0, "runway_to_days");
            assert_true(runway > 30 && runway < 50);
            assert_true(fnum(csv, 0, "insolvency_risk_to") > 0.99);
            assert_true(fnum(csv, 0, "votes_against") == 40);
            assert_true(fnum(csv, 0, "passed") == 0);
            assert_false(failed);
        } else if (i == 1) { /* funded: ~316 days > 90: accepted */
            double runway = fnum(csv, 0, "runway_to_days");
            assert_true(runway > 250 && runway < 400);
            assert_true(fnum(csv, 0, "insolvency_risk_to") < 0.01);
            assert_true(fnum(csv, 0, "votes_for") == 40);
            assert_true(fnum(csv, 0, "passed") == 1);
            assert_false(failed);
        } else { /* myopic: passed, and the co-op fails as the thin co-op's runway said */
            assert_true(fnum(csv, 0, "passed") == 1);
            assert_true(fabs(fnum(csv, 0, "runway_to_days") - 39.4) < 0.05);
            assert_true(isnan(fnum(csv, 0, "insolvency_risk_to"))); /* no horizon */
            assert_true(failed);
            double day = num(fin, "failed_day");
            assert_true(day >= 8 + 30 && day <= 8 + 50);
        }
        free(csv);
        json_decref(s);
        mkt_free(w);
    }
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members_read_the_books_before_a_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
