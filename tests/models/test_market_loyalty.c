/* Riders as people in a shared city (riders.population, riders.switching_cost,
 * riders.disappointment_cost): a rider knows an app or not for the whole run, not request by
 * request; a switching cost keeps riders with the app they last rode with, so an entrant grows
 * more slowly and fewer riders use two apps; an app that failed a rider is chosen less; with
 * one platform a shared run still equals a separate one; money is conserved and a run is a pure
 * function of its seed. */
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

#define DIR COOPSIM_SOURCE_DIR "/scenarios/"

static const char two[] = "name: loyalty-test\n"
                          "simulation: {seed: 11, duration: 6h}\n"
                          "market: {platforms: shared}\n"
                          "city: {width: 5km, height: 5km}\n"
                          "demand: {rate: 2400/day}\n"
                          "riders: {adoption_innovation: 0, adoption_imitation: 0}\n"
                          "drivers: {count: 120, shift_mean: 8h}\n"
                          "platforms:\n"
                          "  - {name: one, kind: centralized, market: {awareness: 50%}}\n"
                          "  - {name: two, kind: centralized, market: {awareness: 50%}}\n";

static void load(coop_scenario *sc, const char *yaml, const char *file, const char *const *over,
                 size_t n) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    sim_status rc = yaml ? sc_load_buffer(coop_keys, sc, "test.yaml", yaml, strlen(yaml), over, n,
                                          err, sizeof err)
                         : sc_load_file(coop_keys, sc, file, over, n, err, sizeof err);
    if (rc != SIM_OK) fail_msg("%s", err);
}

/* Runs a shared city; its `competition` object, and each world's summary entry in e[]. */
static json_t *run_shared(const coop_scenario *sc, uint64_t replication, json_t **e) {
    char err[1024];
    mkt_market *m = mkt_market_new(sc, replication, err, sizeof err);
    if (!m) fail_msg("%s", err);
    if (mkt_market_run(m, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    json_t *c = mkt_competition_json(m);
    for (size_t i = 0; i < mkt_market_size(m); i++) {
        e[i] = mkt_summary_json(mkt_market_world(m, i));
        json_t *v = json_object_get(e[i], "checks");
        assert_true(json_number_value(json_object_get(v, "money_conservation_error")) == 0);
    }
    mkt_market_free(m);
    return c;
}

static double num(const json_t *o, const char *key) {
    const json_t *v = json_object_get(o, key);
    if (!json_is_number(v)) fail_msg("%s is not a number", key);
    return json_number_value(v);
}

static const json_t *competitor(const json_t *c, size_t i) {
    return json_array_get(json_object_get(c, "platforms"), i);
}

/* One rider in the city: it knows an app or not for the whole run, so either every request
 * finds an app or none does (a draw per request would leave a quarter of them without one
 * whatever the population); with 100,000 riders a quarter know neither app. */
static void test_awareness_belongs_to_the_rider(void **state) {
    (void)state;
    for (int seed = 1; seed <= 6; seed++) {
        char s[32];
        snprintf(s, sizeof s, "simulation.seed=%d", seed);
        const char *over[] = {"riders.population=1", s};
        coop_scenario sc;
        load(&sc, two, NULL, over, 2);
        json_t *e[2];
        json_t *c = run_shared(&sc, 0, e);
        double riders = num(c, "riders"), without = num(c, "riders_without_app");
        assert_true(riders > 400);
        if (without != 0 && without != riders)
            fail_msg("seed %d: %.0f of %.0f", seed, without, riders);
        assert_true(num(c, "riders_who_rode") <= 1);
        json_decref(c);
        json_decref(e[0]);
        json_decref(e[1]);
        sc_free(coop_keys, &sc);
    }
    const char *over[] = {"riders.population=100000"};
    coop_scenario sc;
    load(&sc, two, NULL, over, 1);
    json_t *e[2];
    json_t *c = run_shared(&sc, 0, e);
    double share = num(c, "riders_without_app") / num(c, "riders");
    if (fabs(share - 0.25) > 0.04) fail_msg("%.4f of riders knew no app", share);
    json_decref(c);
    json_decref(e[0]);
    json_decref(e[1]);
    sc_free(coop_keys, &sc);
}

/* The network-effects city with an entrant nobody knows on day one that riders learn of fast
 * (Bass p of 30 a year, about 8% of the rest a day), 4,000 riders riding 1.5 times a day: by
 * the time most riders learn of the entrant they have ridden with the incumbent. A $10
 * switching cost (a choice scale of 0.5 makes it a factor e^-5 against switching) cuts the
 * entrant's share of the last week's requests and the share of riders who rode with both apps
 * (measured: 14.7% -> 9.5% and 32% -> 0.9%); the same seed gives the same outcome. */
static void test_switching_cost_slows_an_entrant(void **state) {
    (void)state;
    double share[2], multi[2], switches[2];
    for (int k = 0; k < 2; k++) {
        const char *over[] = {"riders.population=4000", "platforms[1].market.awareness=0%",
                              "riders.adoption_innovation=30",
                              k ? "riders.switching_cost=10.00" : "riders.switching_cost=0"};
        coop_scenario sc;
        load(&sc, NULL, DIR "teaching/network-effects.yaml", over, 4);
        json_t *e[2];
        json_t *c = run_shared(&sc, 0, e);
        share[k] = num(competitor(c, 1), "request_share");
        multi[k] = num(c, "multi_app_share");
        switches[k] = num(c, "switches");
        assert_true(num(c, "riders_who_rode") > 3500);
        if (k) {
            json_t *e2[2];
            json_t *c2 = run_shared(&sc, 0, e2);
            assert_true(json_equal(c, c2));
            assert_true(json_equal(e[1], e2[1]));
            json_decref(c2);
            json_decref(e2[0]);
            json_decref(e2[1]);
        }
        json_decref(c);
        json_decref(e[0]);
        json_decref(e[1]);
        sc_free(coop_keys, &sc);
    }
    if (!(share[1] < 0.8 * share[0]))
        fail_msg("entrant's share %.4f with a switching cost, %.4f without", share[1], share[0]);
    assert_true(share[0] > 0.05);
    if (!(multi[1] < 0.5 * multi[0]))
        fail_msg("multi-app riders %.4f with a switching cost, %.4f without", multi[1], multi[0]);
    assert_true(switches[1] < switches[0]);
}

/* An app with few drivers shows long pickup times, and riders shown one longer than their
 * patience go elsewhere; with riders.disappointment_cost they hold it against the app for a week
 * and choose it first less often (measured: 38.7% -> 22.5% of first choices); with no memory the
 * cost changes nothing. */
static void test_riders_remember_a_failed_wait(void **state) {
    (void)state;
    const char *yaml = "name: disappointment\n"
                       "simulation: {seed: 11, duration: 2d}\n"
                       "market: {platforms: shared}\n"
                       "city: {width: 5km, height: 5km}\n"
                       "demand: {rate: 2400/day}\n"
                       "riders: {patience_mean: 5min, population: 600, wait_estimate: eta}\n"
                       "drivers: {count: 120, shift_mean: 8h}\n"
                       "platforms:\n"
                       "  - {name: one, kind: centralized}\n"
                       "  - {name: two, kind: centralized, market: {registered: 15%}}\n";
    const char *costs[] = {"riders.disappointment_cost=0", "riders.disappointment_cost=20.00"};
    const char *memory[] = {"riders.disappointment_memory=7d", "riders.disappointment_memory=0s"};
    json_t *c[3];
    for (int k = 0; k < 3; k++) {
        const char *over[] = {costs[k > 0], memory[k == 2]};
        coop_scenario sc;
        load(&sc, yaml, NULL, over, 2);
        json_t *e[2];
        c[k] = run_shared(&sc, 0, e);
        json_decref(e[0]);
        json_decref(e[1]);
        sc_free(coop_keys, &sc);
    }
    double before = num(competitor(c[0], 1), "first_choice_share"),
           after = num(competitor(c[1], 1), "first_choice_share");
    if (!(after < 0.8 * before)) fail_msg("first choices %.4f -> %.4f", before, after);
    assert_true(json_equal(c[0], c[2]));
    for (int k = 0; k < 3; k++)
        json_decref(c[k]);
}

/* With one app nobody switches: a shared run with a few riders and a large switching cost
 * still writes what a separate run writes. */
static void test_one_platform_ignores_loyalty(void **state) {
    (void)state;
    const char *yaml = "name: one\n"
                       "simulation: {seed: 3, duration: 12h}\n"
                       "city: {width: 5km, height: 5km}\n"
                       "demand: {rate: 2400/day}\n"
                       "drivers: {count: 100, shift_mean: 8h}\n"
                       "platforms:\n"
                       "  - {name: solo, kind: centralized}\n";
    const char *shared[] = {"market.platforms=shared", "riders.population=50",
                            "riders.switching_cost=50.00", "riders.disappointment_cost=30.00"};
    coop_scenario a, b;
    load(&a, yaml, NULL, NULL, 0);
    load(&b, yaml, NULL, shared, 4);
    char err[1024];
    mkt_world *w = mkt_new(&a, 0, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), SIM_OK);
    json_t *sep = mkt_summary_json(w);
    mkt_free(w);
    json_t *e[1];
    json_t *c = run_shared(&b, 0, e);
    json_object_del(e[0], "competition");
    assert_true(num(json_object_get(sep, "riders"), "served") > 300);
    assert_true(json_equal(sep, e[0]));
    assert_true(num(c, "riders_who_rode") == 50 && num(c, "switches") == 0);
    json_decref(c);
    json_decref(e[0]);
    json_decref(sep);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_awareness_belongs_to_the_rider),
        cmocka_unit_test(test_switching_cost_slows_an_entrant),
        cmocka_unit_test(test_riders_remember_a_failed_wait),
        cmocka_unit_test(test_one_platform_ignores_loyalty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
