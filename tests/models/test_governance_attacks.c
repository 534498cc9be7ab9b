/* Proposal deposits and attacks run inside the vote, in market runs.
 * Deposits: members raise fewer proposals when the deposit outweighs what they expect to gain
 * (10 without a deposit, 7 at $20, none at $100,000), and every cent paid is refunded,
 * forfeited to the co-op's books or still held, exactly.
 * Attacks: on a co-op whose members refuse a commission cut 0-40 (it would leave them insolvent
 * within their 90-day horizon), an attacker who wants it passed buys it with bribes when rich
 * enough and not with a cent; under one member one vote 41 fake members at $100 each turn it
 * (41-40) and 40 do not (a tie fails); under token voting fakes carry no weight; under
 * quadratic voting each fake casts the 10 votes its credits buy, and the fewest that outvote
 * the members are admitted. */
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

/* Field `col` (named in the header) of data row `row` of a CSV text, as a number (inf: 1e300;
 * empty: NaN). */
static double fnum(const char *csv, size_t row, const char *col) {
    const char *h = csv;
    size_t idx = 0;
    for (;;) {
        size_t n = strcspn(h, ",\n");
        if (n == strlen(col) && strncmp(h, col, n) == 0) break;
        if (h[n] != ',') fail_msg("no column %s", col);
        h += n + 1;
        idx++;
    }
    const char *line = csv;
    for (size_t r = 0; r <= row; r++) {
        line = strchr(line, '\n');
        if (!line) fail_msg("no row %zu", row);
        line++;
    }
    for (size_t k = 0; k < idx; k++)
        line += strcspn(line, ",\n") + 1;
    if (*line == ',' || *line == '\n') return NAN;
    if (strncmp(line, "inf", 3) == 0) return 1e300;
    return strtod(line, NULL);
}

static char *csv_of(const mkt_world *w, int (*fn)(const mkt_world *, FILE *, bool)) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fn(w, f, true), 0);
    fclose(f);
    return buf;
}

static double num(const json_t *o, const char *k) {
    const json_t *v = json_object_get(o, k);
    if (!json_is_number(v)) fail_msg("%s is not a number", k);
    return json_number_value(v);
}

static int64_t cents(double units) {
    return (int64_t)llround(units * 100.0);
}

/* ---- deposits ---------------------------------------------------------------------------- */

#define DEP_COOP(name_, deposit_)                                                                  \
    "  - name: " name_ "\n"                                                                        \
    "    kind: cooperative\n"                                                                      \
    "    commission: 15%\n"                                                                        \
    "    costs: {fixed_per_day: 150.00, per_trip: 0.50}\n"                                         \
    "    coop: {reserve_share: 30%, dividend_basis: trips, dividend_period: 7d}\n"                 \
    "    governance:\n"                                                                            \
    "      enabled: true\n"                                                                        \
    "      quorum: 20%\n"                                                                          \
    "      review: 1d\n"                                                                           \
    "      window: 1d\n"                                                                           \
    "      delay: 0s\n"                                                                            \
    "      raise: {enabled: true, aspiration: 27.86, max_open: 20}\n"                              \
    "      look_ahead: {horizon: 90d}\n" deposit_

static const char dep_yaml[] =
    "name: deposits\n"
    "simulation: {seed: 11, duration: 30d}\n"
    "city: {width: 6km, height: 5km, speed: 20km/h}\n"
    "demand: {rate: 1500/day}\n"
    "riders: {patience_mean: 10min, wtp_base: 12.00, wtp_per_km: 3.50}\n"
    "drivers: {count: 120, shift_mean: 6h, expected_fares_per_hour: 40.00,\n"
    "          reservation_wage: 17.22}\n"
    "platforms:\n" DEP_COOP("free", "") DEP_COOP("deposit", "      deposit: {amount: 20.00}\n")
        DEP_COOP("prohibitive", "      deposit: {amount: 100000.00}\n");

static void test_deposits_deter_and_are_conserved(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, &sc, "deposits", dep_yaml, sizeof dep_yaml - 1, NULL, 0, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
    double raised[3];
    for (size_t i = 0; i < 3; i++) {
        mkt_world *w = mkt_new(&sc, i, 0, err, sizeof err);
        assert_non_null(w);
        assert_int_equal(mkt_run(w, err, sizeof err), 0);
        json_t *g = mkt_gov_json(w), *s = mkt_summary_json(w);
        raised[i] = num(g, "proposals_by_members");
        int64_t paid = cents(num(g, "deposits_paid")), back = cents(num(g, "deposits_refunded")),
                lost = cents(num(g, "deposits_forfeited")), held = cents(num(g, "deposits_held"));
        assert_int_equal(paid, back + lost + held);
        /* What was forfeited is in the co-op's books, day by day, and the money adds up. */
        char *books = csv_of(w, mkt_write_books_csv);
        int64_t in_books = 0;
        for (size_t d = 0; d < 30; d++)
            in_books += cents(fnum(books, d, "deposits_forfeited"));
        assert_int_equal(in_books, lost);
        free(books);
        assert_true(num(json_object_get(s, "checks"), "money_conservation_error") == 0);
        if (i == 0) assert_int_equal(paid, 0);
        if (i == 0) assert_int_equal(paid, 0);
        if (i == 1) assert_int_equal(paid, (int64_t)raised[1] * 2000); /* $20 each */
        if (i == 2) assert_true(num(g, "raises_deterred") > 0);
        json_decref(g);
        json_decref(s);
        mkt_free(w);
    }
    /* seed 11: 10 member proposals without a deposit, 7 at $20 (2 raises deterred), none at
     * $100,000 (nobody expects to gain that much from a change) */
    assert_true(raised[0] >= 5);
    assert_true(raised[1] < raised[0]);
    assert_true(raised[2] == 0);
    sc_free(coop_keys, &sc);
}

/* ---- attacks ----------------------------------------------------------------------------- */

#define ATT_COOP(name_, voting_, attack_)                                                          \
    "  - name: " name_ "\n"                                                                        \
    "    kind: cooperative\n"                                                                      \
    "    commission: 15%\n"                                                                        \
    "    costs: {fixed_per_day: 800.00, per_trip: 0.50}\n"                                         \
    "    coop: {reserve_share: 30%, dividend_period: 1d}\n"                                        \
    "    finance: {starting_cash: 5000.00, credit_limit: 2000.00,\n"                               \
    "              loan: {amount: 20000.00, rate: 6%, term: 365d}}\n"                              \
    "    governance:\n"                                                                            \
    "      enabled: true\n"                                                                        \
    "      voting: " voting_ "\n"                                                                  \
    "      turnout: 100%\n"                                                                        \
    "      noise: 0\n"                                                                             \
    "      quorum: 0%\n"                                                                           \
    "      review: 1h\n"                                                                           \
    "      window: 2h\n"                                                                           \
    "      delay: 0s\n"                                                                            \
    "      look_ahead: {horizon: 90d}\n"                                                           \
    "      attack: " attack_ "\n"                                                                  \
    "      proposals:\n"                                                                           \
    "        - {at: 7d, rule: commission, to: 5%}\n"

#define ATT_HEAD                                                                                   \
    "name: attacks\n"                                                                              \
    "simulation: {seed: 4, duration: 9d}\n"                                                        \
    "city: {width: 5km, height: 5km}\n"                                                            \
    "demand: {rate: 1500/day}\n"                                                                   \
    "drivers: {count: 40, participation: false, shift_mean: 10h}\n"                                \
    "platforms:\n"

/* Two scenarios (a string literal has a length limit): one member one vote, then the others. */
static const char att_one[] =
    /* clang-format off */
    ATT_HEAD
    ATT_COOP("bribe-rich", "one_member", "{kind: bribe, budget: 1000000.00}")
    ATT_COOP("bribe-poor", "one_member", "{kind: bribe, budget: 0.01}")
    ATT_COOP("sybil-41", "one_member", "{kind: sybil, budget: 4100.00, identity_cost: 100.00}")
    ATT_COOP("sybil-40", "one_member", "{kind: sybil, budget: 4099.99, identity_cost: 100.00}");
static const char att_other[] =
    ATT_HEAD
    ATT_COOP("sybil-token", "token", "{kind: sybil, budget: 1000000.00, identity_cost: 100.00}")
    ATT_COOP("sybil-quadratic", "quadratic",
             "{kind: sybil, budget: 4100.00, identity_cost: 100.00}")
    ATT_COOP("bribe-quadratic", "quadratic", "{kind: bribe, budget: 1000000.00}");
/* clang-format on */

static void test_attacks_run_in_the_vote(void **state) {
    (void)state;
    coop_scenario sc;
    char err[1024];
    for (size_t i = 0; i < 7; i++) {
        if (i == 0 || i == 4) {
            if (i == 4) sc_free(coop_keys, &sc);
            memset(&sc, 0, sizeof sc);
            const char *y = i == 0 ? att_one : att_other;
            size_t n = i == 0 ? sizeof att_one - 1 : sizeof att_other - 1;
            if (sc_load_buffer(coop_keys, &sc, "attacks", y, n, NULL, 0, err, sizeof err) != 0)
                fail_msg("%s", err);
        }
        mkt_world *w = mkt_new(&sc, i < 4 ? i : i - 4, 0, err, sizeof err);
        assert_non_null(w);
        assert_int_equal(mkt_run(w, err, sizeof err), 0);
        char *csv = csv_of(w, mkt_write_governance_csv);
        json_t *g = mkt_gov_json(w);
        double passed = fnum(csv, 0, "passed"), without = fnum(csv, 0, "passed_without_attack");
        double spent = fnum(csv, 0, "attack_spent");
        assert_true(without == 0); /* honestly, the members refuse the cut */
        /* every member loses from the cut: nobody on the attacker's side gains */
        assert_true(fnum(csv, 0, "attack_gain") == 0);
        switch (i) {
        case 0: /* bribes: bought, for less than the budget, from a majority */
            assert_true(passed == 1);
            assert_true(fnum(csv, 0, "attack_bribed") >= 21);
            assert_true(spent > 0 && spent < 1000000);
            assert_true(num(g, "attacks_flipped") == 1);
            break;
        case 1: /* a cent buys nobody */
            assert_true(passed == 0);
            assert_true(fnum(csv, 0, "attack_bribed") == 0);
            assert_true(num(g, "attacks_flipped") == 0);
            break;
        case 2: /* 41 fakes for, 40 members against: passes, $4,100 */
            assert_true(passed == 1);
            assert_true(fnum(csv, 0, "attack_sybils") == 41);
            assert_true(fabs(spent - 4100.0) < 1e-9);
            assert_true(fnum(csv, 0, "eligible") == 81);
            break;
        case 3: /* 40 fakes: a 40-40 tie fails (strictly more than half) */
            assert_true(passed == 0);
            assert_true(fnum(csv, 0, "attack_sybils") == 40);
            break;
        case 4: /* token voting: a fake holds no tokens, so none is admitted */
            assert_true(passed == 0);
            assert_true(fnum(csv, 0, "attack_sybils") == 0);
            assert_true(spent == 0);
            break;
        case 5: { /* quadratic: each fake casts the 10 votes 100 credits buy; the fewest that
                   * outvote the members' votes against */
            double k = fnum(csv, 0, "attack_sybils"), against = fnum(csv, 0, "weight_against");
            assert_true(passed == 1);
            assert_true(k >= 1 && k <= 41);
            assert_true(10 * k > against && 10 * (k - 1) <= against);
            assert_true(fabs(spent - 100.0 * k) < 1e-9);
            break;
        }
        default: /* quadratic bribes: bought members cast their 10 votes for */
            assert_true(passed == 1);
            assert_true(fnum(csv, 0, "attack_bribed") >= 1);
            assert_true(fnum(csv, 0, "weight_for") > fnum(csv, 0, "weight_against"));
            break;
        }
        free(csv);
        json_decref(g);
        mkt_free(w);
    }
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deposits_deter_and_are_conserved),
        cmocka_unit_test(test_attacks_run_in_the_vote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
