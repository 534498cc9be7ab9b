/* Tests of the fast variates: moments, a Kolmogorov-Smirnov test and the far tail of the
 * ziggurat exponential, the 53-bit uniform, determinism and the fallback generator path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/rand.h"

#include <math.h>
#include <stdlib.h>

#define N_DRAWS 1000000

static gsl_rng *seeded(const gsl_rng_type *type, unsigned long seed) {
    gsl_rng *r = gsl_rng_alloc(type);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* Mean and variance of Exp(mean) over 10^6 draws, within 5 standard errors (for a unit
 * exponential the sample mean has s.e. 1/sqrt(n), the sample variance sqrt(8/n)). */
static void check_moments(const gsl_rng_type *type, double mean) {
    gsl_rng *r = seeded(type, 12345);
    double m = 0, m2 = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        double x = sim_rand_exponential(r, mean) / mean;
        assert_true(x >= 0 && isfinite(x));
        double d = x - m;
        m += d / (i + 1);
        m2 += d * (x - m);
    }
    double var = m2 / (N_DRAWS - 1);
    assert_true(fabs(m - 1.0) < 5.0 / sqrt(N_DRAWS));
    assert_true(fabs(var - 1.0) < 5.0 * sqrt(8.0 / N_DRAWS));
    gsl_rng_free(r);
}

static void test_exponential_moments(void **state) {
    check_moments(gsl_rng_mt19937, 1.0);
    check_moments(gsl_rng_mt19937, 3.6e9); /* an hour in microseconds */
}

/* Generators without full 32-bit outputs take the inversion path; it must be right too. */
static void test_exponential_fallback_generator(void **state) {
    gsl_rng *r = seeded(gsl_rng_ranlux, 1);
    assert_false(sim_rand_full32(r));
    gsl_rng_free(r);
    check_moments(gsl_rng_ranlux, 2.0);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One-sample Kolmogorov-Smirnov test against 1 - exp(-x) at a fixed seed: the statistic
 * must stay below the asymptotic critical value at alpha = 0.001, 1.9495 / sqrt(n). */
static void test_exponential_kolmogorov_smirnov(void **state) {
    gsl_rng *r = seeded(gsl_rng_mt19937, 2024);
    double *x = malloc(N_DRAWS * sizeof *x);
    assert_non_null(x);
    for (int i = 0; i < N_DRAWS; i++)
        x[i] = sim_rand_exponential(r, 1.0);
    qsort(x, N_DRAWS, sizeof *x, cmp_double);
    double d = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        double f = -expm1(-x[i]);
        double lo = f - (double)i / N_DRAWS, hi = (double)(i + 1) / N_DRAWS - f;
        if (lo > d) d = lo;
        if (hi > d) d = hi;
    }
    assert_true(d < 1.9495 / sqrt((double)N_DRAWS));
    /* A test with teeth: the same sample rescaled by 1% is rejected. */
    double d_off = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        double f = -expm1(-1.01 * x[i]);
        double lo = f - (double)i / N_DRAWS, hi = (double)(i + 1) / N_DRAWS - f;
        if (lo > d_off) d_off = lo;
        if (hi > d_off) d_off = hi;
    }
    assert_true(d_off > 1.9495 / sqrt((double)N_DRAWS));
    free(x);
    gsl_rng_free(r);
}

/* The tail beyond the ziggurat's last layer edge (r = 7.697) is drawn separately: check
 * P(X > 10) = e^-10 and P(X > 7.697) = e^-7.697 over 10^7 draws (5 binomial s.e.). */
static void test_exponential_tail(void **state) {
    gsl_rng *r = seeded(gsl_rng_mt19937, 99);
    const int n = 10000000;
    int beyond10 = 0, beyond_r = 0;
    double max = 0;
    for (int i = 0; i < n; i++) {
        double x = sim_rand_exponential(r, 1.0);
        beyond10 += x > 10.0;
        beyond_r += x > 7.69711747013104972;
        if (x > max) max = x;
    }
    double p10 = exp(-10.0), pr = exp(-7.69711747013104972);
    assert_true(fabs(beyond10 - n * p10) < 5 * sqrt(n * p10));
    assert_true(fabs(beyond_r - n * pr) < 5 * sqrt(n * pr));
    assert_true(max > 12.0); /* the expected maximum of 10^7 draws is about 16.1 */
    gsl_rng_free(r);
}

static void test_determinism(void **state) {
    gsl_rng *a = seeded(gsl_rng_mt19937, 5), *b = seeded(gsl_rng_mt19937, 5);
    gsl_rng *c = seeded(gsl_rng_mt19937, 6);
    int differ = 0;
    for (int i = 0; i < 10000; i++) {
        double x = sim_rand_exponential(a, 1.5);
        assert_true(x == sim_rand_exponential(b, 1.5));
        differ += x != sim_rand_exponential(c, 1.5);
        double u = sim_rand_uniform(a);
        assert_true(u == sim_rand_uniform(b));
        (void)sim_rand_uniform(c);
    }
    assert_true(differ > 9900);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}

/* Uniform on [0, 1) with 53 bits: range, mean, and low-order bits that are really used. */
static void test_uniform(void **state) {
    gsl_rng *r = seeded(gsl_rng_mt19937, 7);
    double sum = 0;
    int low_bits_set = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        double u = sim_rand_uniform(r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        /* A 32-bit uniform is a multiple of 2^-32; a 53-bit one almost never is. */
        low_bits_set += ldexp(u, 32) != floor(ldexp(u, 32));
    }
    assert_true(fabs(sum / N_DRAWS - 0.5) < 5 * sqrt(1.0 / 12 / N_DRAWS));
    assert_true(low_bits_set > N_DRAWS - 10);
    gsl_rng_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_moments),
        cmocka_unit_test(test_exponential_fallback_generator),
        cmocka_unit_test(test_exponential_kolmogorov_smirnov),
        cmocka_unit_test(test_exponential_tail),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
