/* Offers drivers decline (drivers.offer_rule, drivers.decline_time): under best_net multi-homers
 * decline the app that pays drivers less more often and its share of trips falls; under
 * priority they keep to their preferred app; a rule that never declines changes nothing; timed
 * declines lengthen riders' waits by the declines' time per rider; money is conserved; and the
 * checks refuse a rule without several apps in one city. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/run.h"
#include "models/scenario.h"
#include "tests/models/market_runs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Two centralized apps every rider knows, at the same fares, drivers on both: one keeps 10% of
 * the fare, the other 50%. Riders see no difference but the pickup time each app shows. Busy
 * enough (utilization ~0.38) that an hour on the fair app is worth waiting for. */
static const char two[] = "name: offers-test\n"
                          "simulation: {seed: 11, duration: 2d}\n"
                          "market: {platforms: shared}\n"
                          "city: {width: 5km, height: 5km}\n"
                          "demand: {rate: 7200/day}\n"
                          "riders: {patience_mean: 10min, wait_estimate: eta}\n"
                          "drivers: {count: 120, shift_mean: 8h, decline_time: 15s}\n"
                          "platforms:\n"
                          "  - {name: fair, kind: centralized, commission: 10%}\n"
                          "  - {name: greedy, kind: centralized, commission: 50%}\n";

/* One app, plenty of idle drivers, riders who always book and never give up: each declined
 * offer delays its rider by the decline time and little else. */
static const char one[] = "name: offers-one\n"
                          "simulation: {seed: 3, duration: 1d}\n"
                          "city: {width: 5km, height: 5km}\n"
                          "demand: {rate: 2400/day}\n"
                          "riders: {patience: infinite, price_sensitive: false}\n"
                          "drivers: {count: 200, shift_mean: 12h, participation: false, "
                          "decline: 30%}\n"
                          "platforms:\n"
                          "  - {name: corp, kind: centralized, commission: 25%}\n";

/* Runs the scenario with the overrides into a fresh directory (kept in dir when not NULL). */
static json_t *run(const char *yaml, const char *const *over, size_t n_over, char *dir) {
    coop_scenario sc;
    mr_load(&sc, yaml, over, n_over);
    char tmp[64];
    char *d = dir ? dir : tmp;
    strcpy(d, "/tmp/coopsim-offers-XXXXXX");
    assert_non_null(mkdtemp(d));
    coop_run_opts opts = {.outdir = d, .trips_csv = true};
    json_t *summary = json_object();
    char err[1024];
    if (coop_run(&sc, &opts, summary, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    if (!dir) mr_remove_dir(d);
    sc_free(coop_keys, &sc);
    return summary;
}

/* Every platform's books balance, and in total what riders and subsidies paid is what drivers
 * and platforms got, to the cent. */
static void assert_money_conserved(const json_t *s) {
    double in = 0, out = 0;
    for (size_t i = 0; i < json_array_size(json_object_get(s, "platforms")); i++) {
        const json_t *p = mr_platform(s, i);
        assert_true(mr_num(p, "checks.money_conservation_error") == 0);
        in += mr_num(p, "platform.gross_bookings") + mr_num(p, "platform.subsidies");
        out += mr_num(p, "platform.driver_pay") + mr_num(p, "platform.revenue");
    }
    assert_true(fabs(in - out) < 0.005);
}

/* best_net: a multi-homer compares the greedy app's offer (half the fare) with what the fair
 * app pays over the same time, and declines far more of the greedy app's offers; the greedy
 * app's riders wait for drivers who take them, and its share of trips falls. */
static void test_best_net_declines_the_low_pay_app(void **state) {
    (void)state;
    const char *first[] = {"drivers.offer_rule=first"};
    const char *best[] = {"drivers.offer_rule=best_net"};
    json_t *a = run(two, first, 1, NULL), *b = run(two, best, 1, NULL);
    assert_true(mr_num(mr_competitor(a, 0), "declines") == 0 &&
                mr_num(mr_competitor(a, 1), "declines") == 0);
    double fair = mr_num(mr_competitor(b, 0), "decline_share");
    double greedy = mr_num(mr_competitor(b, 1), "decline_share");
    assert_true(greedy > fair + 0.2);
    double share_first = mr_num(mr_competitor(a, 0), "trip_share");
    double share_best = mr_num(mr_competitor(b, 0), "trip_share");
    /* each share is over ~6,000 trips (standard error ~0.007): 0.03 is four of them */
    assert_true(share_best > share_first + 0.03);
    /* each timed decline took decline_time (15 s) */
    double declines = mr_num(mr_platform(b, 1), "offers.declines");
    assert_true(mr_num(mr_platform(b, 1), "offers.decline_hours") <=
                declines * 15.0 / 3600.0 + 1e-9);
    assert_true(mr_num(mr_platform(b, 1), "offers.decline_hours") > 0);
    assert_money_conserved(a);
    assert_money_conserved(b);
    json_decref(a);
    json_decref(b);
}

/* priority: every multi-homer prefers the greedy app here (the fair one has weight 0), and
 * declines the fair app's offers while the greedy one is likely to call: the fair app's
 * decline count is positive, the greedy app's zero, and the drivers' trips move to the app
 * they prefer, against what pay alone would do. */
static void test_priority_keeps_trips_on_the_preferred_app(void **state) {
    (void)state;
    const char *first[] = {"drivers.offer_rule=first"};
    const char *prio[] = {"drivers.offer_rule=priority", "platforms[0].market.preference=0"};
    json_t *a = run(two, first, 1, NULL), *b = run(two, prio, 2, NULL);
    assert_true(mr_num(mr_competitor(b, 1), "declines") == 0);
    assert_true(mr_num(mr_competitor(b, 0), "declines") > 100);
    double share_first = mr_num(mr_competitor(a, 1), "trip_share");
    double share_prio = mr_num(mr_competitor(b, 1), "trip_share");
    assert_true(share_prio > share_first + 0.1);
    assert_money_conserved(b);
    json_decref(a);
    json_decref(b);
}

/* A rule that never declines (priority with a chance no offer reaches) runs exactly as the
 * first-offer rule: the same tables byte for byte. */
static void test_rule_that_never_declines_changes_nothing(void **state) {
    (void)state;
    const char *first[] = {"drivers.offer_rule=first"};
    const char *never[] = {"drivers.offer_rule=priority", "drivers.priority_chance=100%"};
    char da[64], db[64];
    json_t *a = run(two, first, 1, da), *b = run(two, never, 2, db);
    const char *tables[] = {"competition.csv", "trips.csv", "drivers.csv", "hourly.csv"};
    for (size_t i = 0; i < 4; i++) {
        char *x = mr_slurp(da, tables[i]), *y = mr_slurp(db, tables[i]);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y) != 0) fail_msg("%s differs", tables[i]);
        free(x);
        free(y);
    }
    assert_true(mr_num(mr_platform(b, 0), "offers.declines") == 0);
    assert_true(mr_num(mr_platform(b, 0), "riders.served") > 1000); /* the run did something */
    json_decref(a);
    json_decref(b);
    mr_remove_dir(da);
    mr_remove_dir(db);
}

/* Timed declines in a separate world: the rider is offered to the next driver only after
 * decline_time, so the mean wait of riders picked up rises by about the declines' time per
 * rider, declines x decline_time / riders picked up (every decline here delays a rider who is
 * then picked up). The tolerance: the two runs part ways after the first decline, and the
 * difference of their mean waits (each over ~2,350 riders, s.d. of a wait ~70 s) has a
 * standard error of ~2 s: 25% of the ~25 s expected is about three of them. */
static void test_decline_time_lengthens_waits(void **state) {
    (void)state;
    const char *seeds[] = {"simulation.seed=3", "simulation.seed=4"};
    for (size_t k = 0; k < 2; k++) {
        const char *untimed[] = {seeds[k]};
        const char *timed[] = {seeds[k], "drivers.decline_time=60s"};
        json_t *a = run(one, untimed, 1, NULL), *b = run(one, timed, 2, NULL);
        assert_null(json_object_get(mr_platform(a, 0), "offers"));
        const json_t *pb = mr_platform(b, 0);
        double picked = mr_num(pb, "riders.served");
        double arithmetic = mr_num(pb, "offers.declines") * 60.0 / picked;
        double rise =
            mr_num(pb, "riders.wait_mean_s") - mr_num(mr_platform(a, 0), "riders.wait_mean_s");
        assert_true(mr_num(pb, "offers.decline_share") > 0.2); /* drivers.decline: 30%, <= 3 each */
        if (!(fabs(rise - arithmetic) < 0.25 * arithmetic))
            fail_msg("waits rose %.2f s; declines x decline_time / riders = %.2f s", rise,
                     arithmetic);
        assert_money_conserved(b);
        json_decref(a);
        json_decref(b);
    }
}

static void test_rules_need_a_shared_city(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc_where *w = NULL;
    char err[1024];
    const char *over[] = {"drivers.offer_rule=best_net"};
    sim_status rc = sc_load_buffer_where(coop_keys, &sc, "test.yaml", one, strlen(one), over, 1, &w,
                                         err, sizeof err);
    if (rc == SIM_OK) rc = coop_check(&sc, w, err, sizeof err);
    assert_int_equal(rc, SIM_EINPUT);
    if (!strstr(err, "market.platforms: shared")) fail_msg("'%s'", err);
    sc_where_free(w);
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_best_net_declines_the_low_pay_app),
        cmocka_unit_test(test_priority_keeps_trips_on_the_preferred_app),
        cmocka_unit_test(test_rule_that_never_declines_changes_nothing),
        cmocka_unit_test(test_decline_time_lengthens_waits),
        cmocka_unit_test(test_rules_need_a_shared_city),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
