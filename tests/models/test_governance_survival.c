/* Members who look ahead weigh the co-op's survival, in a market run: a commission cut to 2%
 * that leaves the co-op in deficit against a reserve of a few hundred dollars passes 40-0
 * among members who judge their last week, and the reserve goes below zero; members who look
 * 90 days ahead vote it down 0-40 and the reserve stays. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <string.h>

static const char yaml[] = "name: survival\n"
                           "simulation: {seed: 4, duration: 6d}\n"
                           "city: {width: 5km, height: 5km}\n"
                           "demand: {rate: 1500/day}\n"
                           "drivers: {count: 40, participation: false, shift_mean: 10h}\n"
                           "platforms:\n"
                           "  - name: myopic\n"
                           "    kind: cooperative\n"
                           "    commission: 20%\n"
                           "    costs: {fixed_per_day: 1500.00, per_trip: 0.50}\n"
                           "    coop: {reserve_share: 30%, dividend_period: 1d}\n"
                           "    governance:\n"
                           "      enabled: true\n"
                           "      turnout: 100%\n"
                           "      noise: 0\n"
                           "      quorum: 0%\n"
                           "      review: 1h\n"
                           "      window: 2h\n"
                           "      delay: 0s\n"
                           "      proposals:\n"
                           "        - {at: 3d, rule: commission, to: 2%}\n"
                           "  - name: ahead\n"
                           "    kind: cooperative\n"
                           "    commission: 20%\n"
                           "    costs: {fixed_per_day: 1500.00, per_trip: 0.50}\n"
                           "    coop: {reserve_share: 30%, dividend_period: 1d}\n"
                           "    governance:\n"
                           "      enabled: true\n"
                           "      turnout: 100%\n"
                           "      noise: 0\n"
                           "      quorum: 0%\n"
                           "      review: 1h\n"
                           "      window: 2h\n"
                           "      delay: 0s\n"
                           "      look_ahead: {horizon: 90d}\n"
                           "      proposals:\n"
                           "        - {at: 3d, rule: commission, to: 2%}\n";

static double num(const json_t *o, const char *k) {
    const json_t *v = json_object_get(o, k);
    if (!json_is_number(v)) fail_msg("%s is not a number", k);
    return json_number_value(v);
}

static void test_forward_looking_members_keep_the_coop_solvent(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, &sc, "survival", yaml, sizeof yaml - 1, NULL, 0, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
    for (size_t i = 0; i < 2; i++) {
        mkt_world *w = mkt_new(&sc, i, 0, err, sizeof err);
        assert_non_null(w);
        assert_int_equal(mkt_run(w, err, sizeof err), 0);
        json_t *g = mkt_gov_json(w), *s = mkt_summary_json(w);
        double reserve = num(json_object_get(s, "platform"), "reserve");
        assert_true(num(g, "proposals") == 1);
        if (i == 0) { /* myopic: the cut passes and the reserve runs out */
            assert_true(num(g, "passed") == 1);
            assert_true(num(g, "commission_final") < 0.021);
            assert_true(reserve < 0);
        } else { /* looking ahead: refused, the reserve stays positive */
            assert_true(num(g, "passed") == 0);
            assert_true(num(g, "commission_final") > 0.199);
            assert_true(reserve > 0);
        }
        json_decref(g);
        json_decref(s);
        mkt_free(w);
    }
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forward_looking_members_keep_the_coop_solvent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
