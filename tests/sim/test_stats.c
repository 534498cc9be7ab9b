/* Tests of sim/stats against values computed by hand or from published tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/stats.h"

#include <math.h>

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static void test_running_matches_two_pass(void **state) {
    (void)state;
    double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    stats_running r;
    stats_running_init(&r);
    for (size_t i = 0; i < 8; i++)
        stats_running_add(&r, x[i]);
    NEAR(stats_running_mean(&r), 5.0, 1e-12);
    NEAR(stats_running_variance(&r), 32.0 / 7.0, 1e-12); /* sum of squares 32, n-1 = 7 */
    NEAR(stats_mean(x, 8), 5.0, 1e-12);
    NEAR(stats_variance(x, 8), 32.0 / 7.0, 1e-12);
    assert_true(r.min == 2.0 && r.max == 9.0);

    /* Merging two halves equals one pass over everything. */
    stats_running a, b;
    stats_running_init(&a);
    stats_running_init(&b);
    for (size_t i = 0; i < 3; i++)
        stats_running_add(&a, x[i]);
    for (size_t i = 3; i < 8; i++)
        stats_running_add(&b, x[i]);
    stats_running_merge(&a, &b);
    assert_int_equal(a.n, 8);
    NEAR(stats_running_mean(&a), 5.0, 1e-12);
    NEAR(stats_running_variance(&a), 32.0 / 7.0, 1e-12);
    assert_true(a.min == 2.0 && a.max == 9.0);
}

static void test_running_empty_is_nan(void **state) {
    (void)state;
    stats_running r;
    stats_running_init(&r);
    assert_true(isnan(stats_running_mean(&r)));
    stats_running_add(&r, 3.0);
    NEAR(stats_running_mean(&r), 3.0, 0);
    assert_true(isnan(stats_running_variance(&r)));
    assert_true(isnan(stats_mean(NULL, 0)));
}

static void test_quantiles(void **state) {
    (void)state;
    double x[] = {5, 1, 4, 2, 3}; /* unsorted on purpose */
    NEAR(stats_quantile(x, 5, 0.5), 3.0, 1e-12);
    NEAR(stats_quantile(x, 5, 0.25), 2.0, 1e-12);
    NEAR(stats_quantile(x, 5, 0.0), 1.0, 1e-12);
    NEAR(stats_quantile(x, 5, 1.0), 5.0, 1e-12);
    assert_true(x[0] == 5.0 && x[1] == 1.0); /* input untouched */
    double y[] = {4, 1, 3, 2};
    NEAR(stats_quantile(y, 4, 0.5), 2.5, 1e-12);
    NEAR(stats_quantile(y, 4, 0.9), 3.7, 1e-12); /* 1 + 0.9*3 = 3.7th order stat */
    double ps[] = {0.1, 2.0, 0.5};
    double out[3];
    assert_true(stats_quantiles(y, 4, ps, 3, out));
    NEAR(out[0], 1.3, 1e-12);
    assert_true(isnan(out[1]));
    NEAR(out[2], 2.5, 1e-12);
    assert_true(isnan(stats_quantile(y, 0, 0.5)));
}

static void test_gini(void **state) {
    (void)state;
    double a[] = {0, 0, 0, 1};
    NEAR(stats_gini(a, 4), 0.75, 1e-12);
    double eq[] = {3, 3, 3};
    NEAR(stats_gini(eq, 3), 0.0, 1e-12);
    /* {1,2,3}: sum |xi-xj| over ordered pairs = 8; 8 / (2 * 9 * 2) = 2/9. */
    double b[] = {3, 1, 2};
    NEAR(stats_gini(b, 3), 2.0 / 9.0, 1e-12);
    /* Negatives are clamped to 0: {-5, 0, 0, 1} behaves as {0,0,0,1}. */
    double c[] = {-5, 0, 0, 1};
    NEAR(stats_gini(c, 4), 0.75, 1e-12);
    double z[] = {0, 0};
    NEAR(stats_gini(z, 2), 0.0, 0);
    assert_true(isnan(stats_gini(NULL, 0)));
}

static void test_lorenz(void **state) {
    (void)state;
    double x[] = {2, 1, 1};
    double pop[4], share[4];
    assert_true(stats_lorenz(x, 3, pop, share));
    NEAR(pop[0], 0, 0);
    NEAR(share[0], 0, 0);
    NEAR(pop[1], 1.0 / 3.0, 1e-12);
    NEAR(share[1], 0.25, 1e-12);
    NEAR(share[2], 0.5, 1e-12);
    NEAR(pop[3], 1.0, 1e-12);
    NEAR(share[3], 1.0, 0);
    double z[] = {0, 0};
    double p2[3], s2[3];
    assert_true(stats_lorenz(z, 2, p2, s2));
    NEAR(s2[1], 0.5, 1e-12); /* zero total: the diagonal */
    assert_false(stats_lorenz(z, 0, p2, s2));
}

static void test_t_interval(void **state) {
    (void)state;
    /* t_{9, 0.975} = 2.262157 (standard tables). With sd = 1, n = 10: 2.262157 / sqrt(10). */
    NEAR(stats_ci_half_width(1.0, 10, 0.95), 2.2621571628 / sqrt(10.0), 1e-8);
    /* t_{1, 0.975} = 12.7062 */
    NEAR(stats_ci_half_width(1.0, 2, 0.95), 12.7062047362 / sqrt(2.0), 1e-7);
    assert_true(isnan(stats_ci_half_width(1.0, 1, 0.95)));

    double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; /* mean 5.5, variance 55/6 */
    double hw = 2.2621571628 * sqrt(55.0 / 6.0) / sqrt(10.0);
    NEAR(stats_ci95(x, 10), hw, 1e-8);
    stats_ci ci = stats_mean_ci(x, 10, 0.95);
    NEAR(ci.mean, 5.5, 1e-12);
    NEAR(ci.lo, 5.5 - hw, 1e-8);
    NEAR(ci.hi, 5.5 + hw, 1e-8);
}

static void test_paired_diff(void **state) {
    (void)state;
    /* Differences {1, 2, 3}: mean 2, sd 1, t_{2,0.975} = 4.302653. */
    double a[] = {11, 22, 33};
    double b[] = {10, 20, 30};
    stats_ci ci = stats_paired_diff_ci(a, b, 3, 0.95);
    NEAR(ci.mean, 2.0, 1e-12);
    NEAR(ci.half_width, 4.3026527297 / sqrt(3.0), 1e-8);
    /* Constant differences: a zero-width interval. */
    double c[] = {12, 22, 32};
    stats_ci k = stats_paired_diff_ci(c, b, 3, 0.95);
    NEAR(k.mean, 2.0, 1e-12);
    NEAR(k.half_width, 0.0, 1e-12);
}

/* Erlang C computed directly in log space, for comparison with the recursion. */
static double erlang_c_direct(unsigned c, double a) {
    double terms_max = -INFINITY;
    double logs[2048];
    for (unsigned k = 0; k < c; k++) {
        logs[k] = k * log(a) - lgamma(k + 1.0);
        if (logs[k] > terms_max) terms_max = logs[k];
    }
    double last = c * log(a) - lgamma(c + 1.0) + log((double)c / (c - a));
    if (last > terms_max) terms_max = last;
    double sum = 0.0;
    for (unsigned k = 0; k < c; k++)
        sum += exp(logs[k] - terms_max);
    double lt = exp(last - terms_max);
    return lt / (sum + lt);
}

static void test_erlang(void **state) {
    (void)state;
    /* c = 2, a = 1: B = 1/5, C = 1/3, W_q = C / (c mu - lambda) = 1/3 with mu = 1. */
    NEAR(stats_erlang_b(2, 1.0), 0.2, 1e-12);
    NEAR(stats_erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
    NEAR(stats_erlang_c_mean_wait(2, 1.0, 1.0), 1.0 / 3.0, 1e-12);
    /* M/M/1: P(wait) = rho, W_q = rho / (mu - lambda). */
    NEAR(stats_erlang_c(1, 0.6), 0.6, 1e-12);
    NEAR(stats_erlang_c_mean_wait(1, 0.6, 2.0), 0.6 / (2.0 - 1.2), 1e-12);
    /* Unstable and invalid. */
    NEAR(stats_erlang_c(3, 3.0), 1.0, 0);
    assert_true(isinf(stats_erlang_c_mean_wait(3, 4.0, 1.0)));
    assert_true(isnan(stats_erlang_c(0, 1.0)));
    assert_true(isnan(stats_erlang_c(2, -1.0)));
    /* Large systems, where factorials would overflow. */
    unsigned cs[] = {50, 300, 1000};
    double loads[] = {45.0, 290.0, 980.0};
    for (size_t i = 0; i < 3; i++) {
        double got = stats_erlang_c(cs[i], loads[i]);
        double want = erlang_c_direct(cs[i], loads[i]);
        assert_true(got > 0.0 && got < 1.0);
        NEAR(got, want, 1e-9);
    }
}

/* The histogram's quantiles against the exact ones: equal below 1024, within 0.1% above
 * (half a bin of 1/512 of the value), over values spread across twelve octaves. */
static void test_hist_quantiles(void **state) {
    (void)state;
    enum { N = 20001 };
    static double x[N];
    stats_hist h;
    assert_int_equal(stats_hist_init(&h), 0);
    assert_true(isnan(stats_hist_quantile(&h, 0.5)));
    uint64_t s = 88172645463325252ULL;
    for (size_t i = 0; i < N; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift64 */
        long long v = (long long)(s % 4000000ULL) >> (s % 12);
        x[i] = (double)v;
        stats_hist_add(&h, v);
    }
    const double ps[] = {0, 0.1, 0.5, 0.95, 0.999, 1};
    for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) {
        double want = stats_quantile(x, N, ps[k]), got = stats_hist_quantile(&h, ps[k]);
        NEAR(got, want, want < 1024 ? 1e-9 : 1e-3 * want);
    }
    stats_hist_free(&h);
    /* Small integers are exact: the median of 0..9 is 4.5. */
    assert_int_equal(stats_hist_init(&h), 0);
    for (long long v = 9; v >= 0; v--)
        stats_hist_add(&h, v);
    NEAR(stats_hist_quantile(&h, 0.5), 4.5, 1e-12);
    NEAR(stats_hist_quantile(&h, 1.0), 9.0, 1e-12);
    stats_hist_free(&h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_running_matches_two_pass),
        cmocka_unit_test(test_running_empty_is_nan),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_gini),
        cmocka_unit_test(test_lorenz),
        cmocka_unit_test(test_t_interval),
        cmocka_unit_test(test_paired_diff),
        cmocka_unit_test(test_erlang),
        cmocka_unit_test(test_hist_quantiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
