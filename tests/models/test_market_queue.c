/* Queue mode against queueing theory: the M/M/c scenario's mean wait and probability of
 * waiting must agree with Erlang C within the confidence interval of independent
 * replications; patience bounds every wait and makes riders abandon under overload. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"
#include "sim/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MMC COOPSIM_SOURCE_DIR "/scenarios/validation/mmc.yaml"

static void load(coop_scenario *sc, const char *const *over, size_t n_over) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    int rc = sc_load_file(coop_keys, sc, MMC, over, n_over, err, sizeof err);
    if (rc != 0) fail_msg("%s", err);
}

/* Runs one replication; *util gets the drivers' busy share when util is not NULL. */
static void run_one(const coop_scenario *sc, uint64_t rep, mkt_rider_stats *st, double *util) {
    char err[1024];
    mkt_world *w = mkt_new(sc, 0, rep, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    mkt_rider_summary(w, st);
    if (util) {
        json_t *s = mkt_summary_json(w);
        *util = json_number_value(json_object_get(json_object_get(s, "drivers"), "utilization"));
        json_decref(s);
    }
    mkt_free(w);
}

static void test_mmc_matches_erlang_c(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc, NULL, 0);
    enum { R = 20 };
    double wq[R], pw[R], ut[R];
    for (uint64_t r = 0; r < R; r++) {
        mkt_rider_stats st;
        run_one(&sc, r, &st, &ut[r]);
        assert_int_equal(st.abandoned, 0);
        assert_int_equal(st.refused_quote, 0);
        wq[r] = st.wait_mean_s;
        pw[r] = st.waited_share;
    }
    unsigned c = (unsigned)sc.drivers.count;
    double mu = 1e6 / (double)sc.market.service_mean, a = sc.demand.rate / mu;
    double want_p = stats_erlang_c(c, a), want_w = stats_erlang_c_mean_wait(c, a, mu);
    stats_ci ci_w = stats_mean_ci(wq, R, 0.99), ci_p = stats_mean_ci(pw, R, 0.99);
    printf("# W_q: theory %.3f s, simulated %.3f +- %.3f s\n", want_w, ci_w.mean, ci_w.half_width);
    printf("# P(wait): theory %.4f, simulated %.4f +- %.4f\n", want_p, ci_p.mean, ci_p.half_width);
    assert_true(fabs(want_w - 33.2468) < 1e-3); /* the value stated in the scenario file */
    assert_true(want_w >= ci_w.lo && want_w <= ci_w.hi);
    assert_true(want_p >= ci_p.lo && want_p <= ci_p.hi);
    /* Utilization rho = a / c (measured over the whole run: the warm-up is short). */
    stats_ci ci_u = stats_mean_ci(ut, R, 0.99);
    printf("# utilization: theory %.4f, simulated %.4f +- %.4f\n", a / c, ci_u.mean,
           ci_u.half_width);
    assert_true(a / c >= ci_u.lo && a / c <= ci_u.hi);
    /* The interval must be tight enough to mean something. */
    assert_true(ci_w.half_width < 0.1 * want_w);
    sc_free(coop_keys, &sc);
}

static void test_patience_bounds_waits(void **state) {
    (void)state;
    /* Overloaded (rho = 1.25) with a fixed patience of 30 s: nobody served waits longer, and
     * some riders give up. */
    const char *over[] = {"riders.patience=fixed",  "riders.patience_mean=30s",
                          "demand.rate=5/min",      "drivers.count=4",
                          "simulation.duration=6h", "simulation.warmup=0s"};
    coop_scenario sc;
    load(&sc, over, 6);
    mkt_rider_stats st;
    run_one(&sc, 0, &st, NULL);
    assert_true(st.abandoned > 0);
    assert_true(st.served > 0);
    assert_true(st.wait_max_s <= 30.0);
    /* Capacity 4/min against 5/min: roughly a fifth of riders must leave. */
    double ab = (double)st.abandoned / (double)st.requests;
    assert_true(ab > 0.1 && ab < 0.35);
    sc_free(coop_keys, &sc);

    /* Infinite patience: nobody leaves, however long the queue. */
    const char *over2[] = {"demand.rate=5/min", "drivers.count=4", "simulation.duration=2h",
                           "simulation.warmup=0s"};
    load(&sc, over2, 4);
    run_one(&sc, 0, &st, NULL);
    assert_int_equal(st.abandoned, 0);
    assert_true(st.wait_max_s > 30.0);
    sc_free(coop_keys, &sc);
}

static json_t *theory_of(const char *const *over, size_t n_over) {
    coop_scenario sc;
    char err[1024];
    load(&sc, over, n_over);
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    json_t *s = mkt_summary_json(w);
    json_t *t = json_incref(json_object_get(s, "theory"));
    json_decref(s);
    mkt_free(w);
    sc_free(coop_keys, &sc);
    return t;
}

/* The summary states the Erlang C answer when the world is an M/M/c queue, and only then. */
static void test_summary_states_theory(void **state) {
    (void)state;
    const char *shorter[] = {"simulation.duration=3h", "simulation.warmup=0s"};
    json_t *t = theory_of(shorter, 2);
    assert_non_null(t);
    assert_int_equal(json_integer_value(json_object_get(t, "servers")), 5);
    assert_true(fabs(json_number_value(json_object_get(t, "waited_share")) -
                     stats_erlang_c(5, 4.0)) < 1e-12);
    assert_true(fabs(json_number_value(json_object_get(t, "wait_mean_s")) - 33.2467532) < 1e-6);
    assert_true(fabs(json_number_value(json_object_get(t, "utilization")) - 0.8) < 1e-12);
    json_decref(t);
    /* riders who may leave, fixed service times, or an unstable queue: no formula applies */
    const char *leave[] = {"simulation.duration=3h", "riders.patience=fixed",
                           "riders.patience_mean=5min"};
    assert_null(theory_of(leave, 3));
    const char *fixed[] = {"simulation.duration=3h", "market.service=fixed"};
    assert_null(theory_of(fixed, 2));
    const char *unstable[] = {"simulation.duration=1h", "simulation.warmup=0s",
                              "demand.rate=6/min"};
    assert_null(theory_of(unstable, 3));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmc_matches_erlang_c),
        cmocka_unit_test(test_patience_bounds_waits),
        cmocka_unit_test(test_summary_states_theory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
