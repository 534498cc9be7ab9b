/* Generic statistics on top of GSL: moments, quantiles, inequality, t intervals, Erlang C.
 * Nothing here knows what the numbers measure. */
#include "sim/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void stats_running_init(stats_running *r) {
    r->n = 0;
    r->mean = 0.0;
    r->m2 = 0.0;
    r->min = INFINITY;
    r->max = -INFINITY;
}

void stats_running_add(stats_running *r, double x) {
    r->n++;
    double d = x - r->mean;
    r->mean += d / (double)r->n;
    r->m2 += d * (x - r->mean);
    if (x < r->min) r->min = x;
    if (x > r->max) r->max = x;
}

void stats_running_merge(stats_running *into, const stats_running *other) {
    if (other->n == 0) return;
    if (into->n == 0) {
        *into = *other;
        return;
    }
    double na = (double)into->n, nb = (double)other->n, n = na + nb;
    double d = other->mean - into->mean;
    into->mean += d * nb / n;
    into->m2 += other->m2 + d * d * na * nb / n;
    into->n += other->n;
    if (other->min < into->min) into->min = other->min;
    if (other->max > into->max) into->max = other->max;
}

double stats_running_mean(const stats_running *r) {
    return r->n ? r->mean : NAN;
}

double stats_running_variance(const stats_running *r) {
    return r->n >= 2 ? r->m2 / (double)(r->n - 1) : NAN;
}

double stats_running_sd(const stats_running *r) {
    return r->n >= 2 ? sqrt(stats_running_variance(r)) : NAN;
}

double stats_mean(const double *x, size_t n) {
    return n ? gsl_stats_mean(x, 1, n) : NAN;
}

double stats_variance(const double *x, size_t n) {
    return n >= 2 ? gsl_stats_variance(x, 1, n) : NAN;
}

/* A sorted copy; the caller frees it. */
static double *sorted_copy(const double *x, size_t n) {
    double *s = malloc(n * sizeof *s);
    if (!s) return NULL;
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    return s;
}

/* The k-th smallest of x (0-based), by selection on a scratch copy: O(n) instead of a sort. */
static double kth(const double *x, size_t n, size_t k, double *scratch) {
    memcpy(scratch, x, n * sizeof *scratch);
    return gsl_stats_select(scratch, 1, n, k);
}

/* The same interpolation as gsl_stats_quantile_from_sorted_data, from order statistics found
 * by selection: a few quantiles of a large array cost a few linear passes, not a sort. */
bool stats_quantiles(const double *x, size_t n, const double *ps, size_t n_ps, double *out) {
    for (size_t i = 0; i < n_ps; i++)
        out[i] = NAN;
    if (n == 0) return false;
    if (n_ps > 4) { /* many quantiles: one sort is cheaper */
        double *s = sorted_copy(x, n);
        if (!s) return false;
        for (size_t i = 0; i < n_ps; i++)
            if (ps[i] >= 0.0 && ps[i] <= 1.0)
                out[i] = gsl_stats_quantile_from_sorted_data(s, 1, n, ps[i]);
        free(s);
        return true;
    }
    double *w = malloc(n * sizeof *w);
    if (!w) return false;
    for (size_t i = 0; i < n_ps; i++) {
        if (!(ps[i] >= 0.0 && ps[i] <= 1.0)) continue;
        double index = ps[i] * (double)(n - 1);
        size_t lhs = (size_t)index;
        double delta = index - (double)lhs;
        double lo = kth(x, n, lhs, w);
        out[i] = lhs == n - 1 ? lo : (1 - delta) * lo + delta * kth(x, n, lhs + 1, w);
    }
    free(w);
    return true;
}

double stats_quantile(const double *x, size_t n, double p) {
    double q;
    stats_quantiles(x, n, &p, 1, &q);
    return q;
}

enum { HIST_EXACT = 1024, HIST_SUB = 512, HIST_BINS = HIST_EXACT + 54 * HIST_SUB };

/* Bin of v: v itself below 1024; above, octave [2^e, 2^(e+1)) split in 512 equal bins. */
static size_t hist_bin(unsigned long long v) {
    if (v < HIST_EXACT) return (size_t)v;
    int e = 63 - __builtin_clzll(v);
    return HIST_EXACT + (size_t)(e - 10) * HIST_SUB + (size_t)((v >> (e - 9)) - HIST_SUB);
}

/* The middle of bin b. */
static double hist_mid(size_t b) {
    if (b < HIST_EXACT) return (double)b;
    size_t e = (b - HIST_EXACT) / HIST_SUB + 10, k = (b - HIST_EXACT) % HIST_SUB;
    double width = ldexp(1.0, (int)e - 9);
    return ldexp(1.0, (int)e) + (double)k * width + (width - 1.0) / 2.0;
}

int stats_hist_init(stats_hist *h) {
    h->n = 0;
    h->count = calloc(HIST_BINS, sizeof *h->count);
    return h->count ? 0 : -1;
}

void stats_hist_free(stats_hist *h) {
    free(h->count);
    h->count = NULL;
    h->n = 0;
}

void stats_hist_add(stats_hist *h, long long v) {
    if (!h->count) return;
    h->count[hist_bin(v < 0 ? 0ULL : (unsigned long long)v)]++;
    h->n++;
}

/* The value of the k-th smallest (0-based), from bin b onward; *b is left at its bin. */
static double hist_kth(const stats_hist *h, unsigned long long k, size_t *b,
                       unsigned long long *below) {
    while (*below + h->count[*b] <= k) {
        *below += h->count[*b];
        (*b)++;
    }
    return hist_mid(*b);
}

double stats_hist_quantile(const stats_hist *h, double p) {
    if (!h->count || h->n == 0 || !(p >= 0.0 && p <= 1.0)) return NAN;
    double index = p * (double)(h->n - 1);
    unsigned long long lhs = (unsigned long long)index, below = 0;
    double delta = index - (double)lhs;
    size_t b = 0;
    double lo = hist_kth(h, lhs, &b, &below);
    if (lhs == h->n - 1) return lo;
    return (1 - delta) * lo + delta * hist_kth(h, lhs + 1, &b, &below);
}

/* Sorted copy with negatives clamped to zero, and its total. */
static double *clamped_sorted(const double *x, size_t n, double *total) {
    double *s = malloc(n * sizeof *s);
    if (!s) return NULL;
    for (size_t i = 0; i < n; i++)
        s[i] = x[i] > 0.0 ? x[i] : 0.0;
    gsl_sort(s, 1, n);
    double t = 0.0;
    for (size_t i = 0; i < n; i++)
        t += s[i];
    *total = t;
    return s;
}

double stats_gini(const double *x, size_t n) {
    if (n == 0) return NAN;
    double total;
    double *s = clamped_sorted(x, n, &total);
    if (!s) return NAN;
    if (!(total > 0.0)) {
        free(s);
        return 0.0;
    }
    /* With ascending order, sum |xi - xj| / (2 n^2 mean) = 2 sum_i i x_(i) / (n T) - (n+1)/n. */
    double weighted = 0.0;
    for (size_t i = 0; i < n; i++)
        weighted += (double)(i + 1) * s[i];
    free(s);
    double g = 2.0 * weighted / ((double)n * total) - ((double)n + 1.0) / (double)n;
    if (g < 0.0) g = 0.0; /* rounding on equal values */
    return g;
}

bool stats_lorenz(const double *x, size_t n, double *pop, double *share) {
    if (n == 0) return false;
    double total;
    double *s = clamped_sorted(x, n, &total);
    if (!s) return false;
    double cum = 0.0;
    pop[0] = 0.0;
    share[0] = 0.0;
    for (size_t k = 1; k <= n; k++) {
        cum += s[k - 1];
        pop[k] = (double)k / (double)n;
        share[k] = total > 0.0 ? cum / total : pop[k];
    }
    share[n] = 1.0; /* exact end point whatever the summation error */
    free(s);
    return true;
}

double stats_ci_half_width(double sd, size_t n, double level) {
    if (n < 2 || !(level > 0.0 && level < 1.0)) return NAN;
    double t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, (double)(n - 1));
    return t * sd / sqrt((double)n);
}

double stats_ci95(const double *x, size_t n) {
    if (n < 2) return NAN;
    return stats_ci_half_width(sqrt(stats_variance(x, n)), n, 0.95);
}

stats_ci stats_mean_ci(const double *x, size_t n, double level) {
    stats_ci ci = {.n = n, .mean = stats_mean(x, n), .half_width = NAN};
    if (n >= 2) ci.half_width = stats_ci_half_width(sqrt(stats_variance(x, n)), n, level);
    ci.lo = ci.mean - ci.half_width;
    ci.hi = ci.mean + ci.half_width;
    return ci;
}

stats_ci stats_paired_diff_ci(const double *a, const double *b, size_t n, double level) {
    stats_running r;
    stats_running_init(&r);
    for (size_t i = 0; i < n; i++)
        stats_running_add(&r, a[i] - b[i]);
    stats_ci ci = {.n = n, .mean = stats_running_mean(&r), .half_width = NAN};
    if (n >= 2) ci.half_width = stats_ci_half_width(stats_running_sd(&r), n, level);
    ci.lo = ci.mean - ci.half_width;
    ci.hi = ci.mean + ci.half_width;
    return ci;
}

stats_ci stats_wilson_ci(size_t k, size_t n, double level) {
    stats_ci ci = {.n = n, .mean = NAN, .half_width = NAN, .lo = NAN, .hi = NAN};
    if (n == 0 || k > n) return ci;
    double z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - level) / 2.0), z2 = z * z;
    double nn = (double)n, p = (double)k / nn;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    ci.mean = p;
    /* exact at the ends: no rounding may push a bound past 0 or 1 */
    ci.lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
    ci.hi = k == n ? 1.0 : fmin(1.0, centre + half);
    ci.half_width = (ci.hi - ci.lo) / 2;
    return ci;
}

double stats_erlang_b(unsigned c, double a) {
    if (!(a >= 0.0) || isinf(a)) return NAN;
    /* B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)): every term stays in [0,1], no factorials. */
    double b = 1.0;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    return b;
}

double stats_erlang_c(unsigned c, double a) {
    if (c == 0 || !(a >= 0.0) || isinf(a)) return NAN;
    if (a >= (double)c) return 1.0;
    double b = stats_erlang_b(c, a);
    return (double)c * b / ((double)c - a * (1.0 - b));
}

double stats_erlang_c_mean_wait(unsigned c, double a, double mu) {
    if (c == 0 || !(a >= 0.0) || !(mu > 0.0)) return NAN;
    if (a >= (double)c) return INFINITY;
    return stats_erlang_c(c, a) / ((double)c * mu - a * mu);
}
