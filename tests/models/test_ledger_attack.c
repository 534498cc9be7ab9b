/* Tests of the attacks on a proof-of-work chain: the closed forms against published values,
 * the simulated double spend against Rosenfeld's formula (within its Wilson interval) with
 * the books still balanced, selfish mining against Eyal & Sirer's revenue, and the checks
 * of an adversary's configuration. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void test_closed_forms(void **state) {
    /* Nakamoto (2008), section 11, the table for q = 0.1 and q = 0.3 */
    assert_true(fabs(ledger_ds_nakamoto(0.1, 5) - 0.0009137) < 1e-7);
    assert_true(fabs(ledger_ds_nakamoto(0.3, 5) - 0.1773523) < 1e-7);
    assert_true(fabs(ledger_ds_nakamoto(0.3, 10) - 0.0416605) < 1e-7);
    assert_true(fabs(ledger_ds_nakamoto(0.1, 0) - 1.0) < 1e-12);
    /* Rosenfeld (2014): 1 - sum_{m<=z} C(m+z-1, m) (p^z q^m - q^z p^m), summed here directly */
    double qs[] = {0.1, 0.25, 0.3, 0.45};
    for (size_t i = 0; i < 4; i++)
        for (int64_t z = 1; z <= 12; z++) {
            double q = qs[i], p = 1 - q, sum = 0, c = 1; /* c = C(m+z-1, m) */
            for (int64_t m = 0; m <= z; m++) {
                if (m > 0) c = c * (double)(m + z - 1) / (double)m;
                sum += c * (pow(p, (double)z) * pow(q, (double)m) -
                            pow(q, (double)z) * pow(p, (double)m));
            }
            assert_true(fabs(ledger_ds_rosenfeld(q, z) - (1 - sum)) < 1e-12);
            /* an attacker that gives up very late runs Rosenfeld's race */
            assert_true(fabs(ledger_ds_exact(q, z, 1, 600) - (1 - sum)) < 1e-9);
            /* giving up earlier, or sending the payment before mining a block, only hurts */
            assert_true(ledger_ds_exact(q, z, 1, z + 1) <= ledger_ds_rosenfeld(q, z) + 1e-15);
            assert_true(ledger_ds_exact(q, z, 0, 600) < ledger_ds_exact(q, z, 1, 600));
        }
    assert_true(ledger_ds_rosenfeld(0.5, 6) == 1.0);
    /* Eyal & Sirer (2014): at the threshold selfish and honest mining pay the same; the
     * thresholds they give are 1/3 (gamma 0) and 1/4 (gamma 1/2) */
    assert_true(fabs(ledger_selfish_threshold(0) - 1.0 / 3) < 1e-12);
    assert_true(fabs(ledger_selfish_threshold(0.5) - 0.25) < 1e-12);
    double gs[] = {0, 0.25, 0.5, 0.9};
    for (size_t i = 0; i < 4; i++) {
        double t = ledger_selfish_threshold(gs[i]);
        assert_true(fabs(ledger_selfish_revenue(t, gs[i]) - t) < 1e-12);
        assert_true(ledger_selfish_revenue(t - 0.05, gs[i]) < t - 0.05);
        assert_true(ledger_selfish_revenue(t + 0.05, gs[i]) > t + 0.05);
    }
    /* Wilson interval of 0 and of n successes stays inside [0, 1] and holds the estimate */
    double lo, hi;
    ledger_wilson95(0, 100, &lo, &hi);
    assert_true(lo < 1e-12 && hi > 0.03 && hi < 0.04);
    ledger_wilson95(50, 100, &lo, &hi);
    assert_true(lo < 0.5 && hi > 0.5 && fabs((hi - 0.5) - (0.5 - lo)) < 1e-12);
}

static ledger_config attack_config(int attack, double share, int64_t z) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = LEDGER_POW;
    c.nodes = 60;
    c.validators = 10;
    c.profile = LEDGER_NET_FIXED;
    c.latency = 20 * SIM_MSEC;
    c.bandwidth = 0;
    c.interval = 10 * SIM_MIN;
    c.retarget = 0;
    c.confirmations = z;
    c.check_conservation = true;
    c.adv_attack = attack;
    c.adv_share = share;
    c.adv_trials = 4000;
    c.adv_give_up = 20;
    c.adv_amount = 10000;
    return c;
}

typedef struct until {
    ledger *l;
    uint64_t trials;
} until;

static void check_done(sim *s, void *ctx) {
    until *u = ctx;
    ledger_attack_counts a;
    ledger_get_attack_counts(u->l, &a);
    if (a.trials >= u->trials) sim_request_stop(s);
}

/* Runs until the trials are over (or for `blocks` block intervals); fills a. */
static ledger *run_attack(sim **sp, const ledger_config *c, uint64_t seed, uint64_t blocks,
                          ledger_attack_counts *a) {
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, c, "attack", seed, 0, 1, err, sizeof err);
    if (!l) fprintf(stderr, "%s\n", err);
    assert_non_null(l);
    if (blocks) { /* about that many blocks: walking the chain at every hook would be slow */
        sim_run(s, (sim_time)blocks * c->interval);
    } else {
        until u = {l, (uint64_t)c->adv_trials};
        sim_set_hook(s, check_done, &u, 16);
        sim_run(s, SIM_TIME_MAX);
    }
    ledger_stop(l);
    ledger_get_attack_counts(l, a);
    *sp = s;
    return l;
}

/* The measured success rate's 95% Wilson interval holds the exact probability of the race
 * (Rosenfeld's, but for giving up 20 blocks behind: the same to 1e-7 at these q). */
static void check_double_spend(double q, int64_t z, uint64_t seed) {
    ledger_config c = attack_config(LEDGER_ATTACK_DOUBLE_SPEND, q, z);
    sim *s;
    ledger_attack_counts a;
    ledger *l = run_attack(&s, &c, seed, 0, &a);
    double lo, hi, want = ledger_ds_exact(q, z, 1, c.adv_give_up);
    ledger_wilson95(a.successes, a.trials, &lo, &hi);
    printf("double spend q=%.2f z=%lld: %llu / %llu = %.4f [%.4f, %.4f], exact %.4f, "
           "Rosenfeld %.4f, Nakamoto %.4f\n",
           q, (long long)z, (unsigned long long)a.successes, (unsigned long long)a.trials,
           (double)a.successes / (double)a.trials, lo, hi, want, ledger_ds_rosenfeld(q, z),
           ledger_ds_nakamoto(q, z));
    assert_int_equal(a.trials, c.adv_trials);
    assert_true(lo <= want && want <= hi);
    /* giving up 20 behind costs at most the chance of catching up from there */
    assert_true(fabs(want - ledger_ds_rosenfeld(q, z)) <= pow(q / (1 - q), 20) + 1e-12);
    /* every reversed payment is counted, and the recipient's final balance lost it */
    assert_int_equal(a.reversed_amount, (int64_t)a.successes * c.adv_amount);
    assert_int_equal(ledger_balance(l, ledger_driver_account(l, 0)),
                     (int64_t)(a.trials - a.successes) * c.adv_amount);
    assert_int_equal(ledger_conservation_error(l), 0);
    json_t *j = json_object();
    assert_int_equal(ledger_metrics(l, j), 0);
    json_t *adv = json_object_get(j, "adversary");
    assert_string_equal(json_string_value(json_object_get(adv, "attack")), "double-spend");
    assert_int_equal(json_integer_value(json_object_get(adv, "successes")), a.successes);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "checks"), "invalid_transactions")),
        0);
    /* each success undid a final block (a published chain can also undo one and lose later) */
    assert_true((uint64_t)json_integer_value(json_object_get(j, "reorganisations_past_finality")) >=
                a.successes);
    json_decref(j);
    ledger_free(l);
    sim_free(s);
}

static void test_double_spend_q30_z6(void **state) {
    check_double_spend(0.3, 6, 1);
}

static void test_double_spend_q10_z2(void **state) {
    check_double_spend(0.1, 2, 2);
}

static void test_double_spend_q40_z4(void **state) {
    check_double_spend(0.4, 4, 3);
}

/* Same seed, same attack: the same outcome; another seed: another sample. */
static void test_double_spend_determinism(void **state) {
    ledger_config c = attack_config(LEDGER_ATTACK_DOUBLE_SPEND, 0.3, 3);
    c.adv_trials = 200;
    ledger_attack_counts a, b, d;
    sim *s;
    ledger *l = run_attack(&s, &c, 7, 0, &a);
    char fa[65], fb[65];
    ledger_fingerprint(l, fa);
    ledger_free(l);
    sim_free(s);
    l = run_attack(&s, &c, 7, 0, &b);
    ledger_fingerprint(l, fb);
    ledger_free(l);
    sim_free(s);
    assert_int_equal(a.successes, b.successes);
    assert_string_equal(fa, fb);
    l = run_attack(&s, &c, 8, 0, &d);
    ledger_fingerprint(l, fb);
    ledger_free(l);
    sim_free(s);
    assert_string_not_equal(fa, fb);
}

/* Selfish mining with ties decided by gamma: the pool's share of the best chain, over
 * batches of its blocks, against Eyal & Sirer's closed form. */
static void check_selfish(double alpha, double gamma, uint64_t blocks, uint64_t seed) {
    ledger_config c = attack_config(LEDGER_ATTACK_SELFISH, alpha, 6);
    c.adv_ties = LEDGER_TIES_GAMMA;
    c.adv_gamma = gamma;
    sim *s;
    ledger_attack_counts a;
    ledger *l = run_attack(&s, &c, seed, blocks, &a);
    json_t *j = json_object();
    assert_int_equal(ledger_metrics(l, j), 0);
    json_t *adv = json_object_get(j, "adversary");
    json_t *ci = json_object_get(adv, "revenue_share_ci95");
    double lo = json_real_value(json_array_get(ci, 0)), hi = json_real_value(json_array_get(ci, 1));
    double share = (double)a.pool_blocks / (double)a.main_blocks;
    double want = ledger_selfish_revenue(alpha, gamma);
    printf("selfish alpha=%.2f gamma=%.2f: revenue %.4f [%.4f, %.4f] over %llu blocks, Eyal-Sirer "
           "%.4f, measured gamma %.3f\n",
           alpha, gamma, share, lo, hi, (unsigned long long)a.main_blocks, want,
           (double)a.tie_honest_pool / (double)a.tie_honest);
    assert_true(lo <= want && want <= hi);
    if (alpha < ledger_selfish_threshold(gamma)) assert_true(hi < alpha); /* it does not pay */
    if (alpha > ledger_selfish_threshold(gamma) + 0.05) assert_true(lo > alpha);
    /* gamma is what the honest miners did in ties */
    assert_true(fabs((double)a.tie_honest_pool / (double)a.tie_honest - gamma) <
                4 * sqrt(gamma * (1 - gamma) / (double)a.tie_honest) + 1e-9);
    assert_int_equal(ledger_conservation_error(l), 0);
    json_decref(j);
    ledger_free(l);
    sim_free(s);
}

static void test_selfish_below_threshold(void **state) {
    check_selfish(0.2, 0.0, 30000, 11);
}

static void test_selfish_above_threshold(void **state) {
    check_selfish(0.4, 0.5, 30000, 12);
}

static void test_selfish_gamma_one(void **state) {
    check_selfish(0.3, 1.0, 30000, 13);
}

/* A payment every 1.37 s from a new rider to drivers 0..9 in turn. */
typedef struct load {
    ledger *l;
    uint64_t n, max;
} load;

static void on_load(sim *s, void *target, uint64_t data) {
    load *ld = target;
    assert_int_equal(
        ledger_pay_ride(ld->l, (uint32_t)ld->n, (uint32_t)(ld->n % 10), 1500, 300, ld->n),
        LEDGER_OK);
    if (++ld->n < ld->max) sim_schedule_in(s, 1370 * SIM_MSEC, on_load, ld, 0);
}

/* Censoring validators 0..k-1 leave payments to drivers 0..2 out; returns the adversary
 * object (the caller frees j). */
static json_t *run_censor(int consensus, int64_t v, int64_t k, json_t **j) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = consensus;
    c.nodes = 30;
    c.validators = v;
    c.profile = LEDGER_NET_FIXED;
    c.latency = 20 * SIM_MSEC;
    c.interval = 5 * SIM_SEC;
    c.check_conservation = true;
    c.adv_attack = LEDGER_ATTACK_CENSOR;
    c.adv_validators = k;
    c.adv_censored = 3;
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "censor", 5, 0, 10, err, sizeof err);
    if (!l) fprintf(stderr, "%s\n", err);
    assert_non_null(l);
    load ld = {l, 0, 6000};
    sim_schedule(s, 0, on_load, &ld, 0);
    sim_run(s, 6000 * 1370 * SIM_MSEC + 10 * SIM_MIN);
    ledger_stop(l);
    *j = json_object();
    assert_int_equal(ledger_metrics(l, *j), 0);
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    sim_free(s);
    return json_object_get(*j, "adversary");
}

static double mean_of(json_t *a, const char *group, double *half) {
    json_t *g = json_object_get(a, group), *ci = json_object_get(g, "ci95_s");
    *half = (json_real_value(json_array_get(ci, 1)) - json_real_value(json_array_get(ci, 0))) / 2;
    return json_real_value(json_object_get(g, "mean_s"));
}

/* Proof of authority, 2 of 5 authorities censoring: a censored payment waits for the first
 * honest slot, interval x k(k+1)/(2v) = 3 s more on average than any other payment. */
static void test_poa_censorship_delay(void **state) {
    json_t *j, *a = run_censor(LEDGER_POA, 5, 2, &j);
    double hc, ho, mc = mean_of(a, "censored_payments", &hc),
                   mo = mean_of(a, "other_payments", &ho);
    double want = ledger_poa_censor_delay(2, 5, 5 * SIM_SEC), extra = mc - mo;
    printf("poa censorship: censored %.3f s, others %.3f s, extra %.3f s (theory %.3f s, "
           "+-%.3f), %lld transactions left out\n",
           mc, mo, extra, want, sqrt(hc * hc + ho * ho),
           (long long)json_integer_value(json_object_get(a, "censored_transactions")));
    assert_true(fabs(want - 3.0) < 1e-12);
    assert_true(fabs(extra - want) <= sqrt(hc * hc + ho * ho));
    assert_true(json_integer_value(json_object_get(a, "censored_transactions")) > 0);
    assert_int_equal(json_integer_value(json_object_get(a, "censored_payments_pending")), 0);
    json_decref(j);
}

/* BFT, 1 of 4 validators censoring: censored payments wait for an honest proposer's height,
 * so they are final later than the others, and all of them are final. */
static void test_bft_censorship_delay(void **state) {
    json_t *j, *a = run_censor(LEDGER_BFT, 4, 1, &j);
    double hc, ho, mc = mean_of(a, "censored_payments", &hc),
                   mo = mean_of(a, "other_payments", &ho);
    printf("bft censorship: censored %.3f s, others %.3f s\n", mc, mo);
    assert_true(mc - hc > mo + ho);
    assert_int_equal(json_integer_value(json_object_get(a, "censored_payments_pending")), 0);
    json_decref(j);
}

/* BFT with k of n validators equivocating (two proposals, votes for both, each to its half
 * of the honest validators) for 10 minutes of 1-second heights: the safety violations. */
static uint64_t equivocation_run(int64_t n, int64_t k, uint64_t *heights) {
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = LEDGER_BFT;
    c.nodes = n + 5;
    c.validators = n;
    c.profile = LEDGER_NET_FIXED;
    c.latency = 20 * SIM_MSEC;
    c.interval = SIM_SEC;
    c.check_conservation = true;
    c.adv_attack = LEDGER_ATTACK_EQUIVOCATE;
    c.adv_validators = k;
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "bft", 3, 0, 4, err, sizeof err);
    if (!l) fprintf(stderr, "%s\n", err);
    assert_non_null(l);
    sim_run(s, 10 * SIM_MIN);
    ledger_stop(l);
    ledger_attack_counts a;
    ledger_counts k2;
    ledger_get_attack_counts(l, &a);
    ledger_get_counts(l, &k2);
    *heights = k2.height;
    printf("bft n=%lld, %lld equivocating: %llu double proposals, %llu safety violations, "
           "height %llu\n",
           (long long)n, (long long)k, (unsigned long long)a.equivocations,
           (unsigned long long)a.safety_violations, (unsigned long long)k2.height);
    assert_true(a.equivocations > 0);
    assert_int_equal(ledger_conservation_error(l), 0);
    ledger_free(l);
    sim_free(s);
    return a.safety_violations;
}

/* Safety holds with f = floor((n-1)/3) equivocating validators (and the chain still grows);
 * with f + 1 two blocks become final at one height, and the run says so. */
static void test_bft_equivocation(void **state) {
    int64_t ns[] = {4, 7, 10};
    for (size_t i = 0; i < 3; i++) {
        int64_t n = ns[i], f = (n - 1) / 3;
        uint64_t h;
        assert_int_equal(equivocation_run(n, f, &h), 0);
        assert_true(h > 100);
        assert_true(equivocation_run(n, f + 1, &h) > 0);
    }
}

static void expect_rejected(ledger_config c, const char *needle) {
    char err[256] = "";
    sim *s = sim_new(64);
    ledger *l = ledger_new(s, &c, "bad", 1, 0, 1, err, sizeof err);
    assert_null(l);
    if (!strstr(err, needle)) fprintf(stderr, "message: %s\n", err);
    assert_non_null(strstr(err, needle));
    sim_free(s);
}

static void test_adversary_checks(void **state) {
    ledger_config c = attack_config(LEDGER_ATTACK_DOUBLE_SPEND, 0.3, 6);
    c.adv_give_up = 6;
    expect_rejected(c, "adversary.give_up: must exceed pow.confirmations");
    c = attack_config(LEDGER_ATTACK_SELFISH, 0.3, 6);
    c.consensus = LEDGER_BFT;
    expect_rejected(c, "need consensus: pow");
    c = attack_config(LEDGER_ATTACK_SELFISH, 0.3, 6);
    c.validators = 1;
    expect_rejected(c, "validators >= 2");
    c = attack_config(LEDGER_ATTACK_CENSOR, 0.3, 6);
    c.adv_validators = c.validators;
    expect_rejected(c, "adversary.validators: must be less than validators");
    c = attack_config(LEDGER_ATTACK_EQUIVOCATE, 0.3, 6);
    expect_rejected(c, "equivocate needs consensus: bft");
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_forms),
        cmocka_unit_test(test_double_spend_q30_z6),
        cmocka_unit_test(test_double_spend_q10_z2),
        cmocka_unit_test(test_double_spend_q40_z4),
        cmocka_unit_test(test_double_spend_determinism),
        cmocka_unit_test(test_selfish_below_threshold),
        cmocka_unit_test(test_selfish_above_threshold),
        cmocka_unit_test(test_selfish_gamma_one),
        cmocka_unit_test(test_poa_censorship_delay),
        cmocka_unit_test(test_bft_censorship_delay),
        cmocka_unit_test(test_bft_equivocation),
        cmocka_unit_test(test_adversary_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
