/* Generic statistics for replications and distributions: running moments, quantiles,
 * inequality (Gini, Lorenz), Student-t confidence intervals and Erlang C for M/M/c checks. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Running mean and variance (Welford): numerically stable, one pass, no storage. */
typedef struct stats_running {
    size_t n;
    double mean;
    double m2; /* sum of squared deviations from the running mean */
    double min, max;
} stats_running;

void stats_running_init(stats_running *r);
void stats_running_add(stats_running *r, double x);
/* Combine two accumulators (Chan et al.), e.g. from parallel workers. */
void stats_running_merge(stats_running *into, const stats_running *other);
double stats_running_mean(const stats_running *r);     /* NaN when n == 0 */
double stats_running_variance(const stats_running *r); /* sample (n-1) variance; NaN when n < 2 */
double stats_running_sd(const stats_running *r);       /* NaN when n < 2 */

/* Mean and sample variance of an array; NaN when n == 0 (mean) or n < 2 (variance). */
double stats_mean(const double *x, size_t n);
double stats_variance(const double *x, size_t n);

/* Quantile p in [0,1] of unsorted data, by GSL's linear interpolation between order
 * statistics (Hyndman-Fan type 7). The input is not modified. NaN when n == 0, p outside
 * [0,1] or on allocation failure. */
double stats_quantile(const double *x, size_t n, double p);
/* Several quantiles with one sort: out[i] = quantile ps[i]. True when computed; false when
 * n == 0 or allocation fails (out then holds NaN). */
bool stats_quantiles(const double *x, size_t n, const double *ps, size_t n_ps, double *out);

/* Quantiles of a stream of any length in fixed memory: a log-linear histogram of non-negative
 * integers (the layout of Tene's HdrHistogram), exact below 1024 and with bins 1/512 of their
 * value wide above, so a quantile is within 0.1% of the exact one. About 230 KB. */
typedef struct stats_hist {
    unsigned long long *count; /* 28,672 bins */
    unsigned long long n;
} stats_hist;

/* SIM_OK-style: 0, or -1 when memory runs out. */
int stats_hist_init(stats_hist *h);
void stats_hist_free(stats_hist *h);
void stats_hist_add(stats_hist *h, long long v); /* negatives count as 0 */
/* Quantile p in [0,1] by the interpolation of stats_quantiles (type 7) between the order
 * statistics, each taken at the middle of its bin. NaN when empty or p outside [0,1]. */
double stats_hist_quantile(const stats_hist *h, double p);

/* Gini coefficient, G = sum_i sum_j |x_i - x_j| / (2 n^2 mean) (population convention:
 * {0,0,0,1} -> 0.75; one holder of everything among n -> 1 - 1/n). Negative values are
 * clamped to 0 first (an income below zero owns nothing of the total). Returns 0 when all
 * values are equal or the (clamped) total is 0, NaN when n == 0 or allocation fails. */
double stats_gini(const double *x, size_t n);

/* Lorenz curve of the (clamped non-negative) values: n+1 points, pop[k] = k/n and
 * share[k] = share of the total held by the k poorest. Both arrays have n+1 entries.
 * With a zero total the curve is the diagonal. True when computed; false when n == 0 or
 * allocation fails. */
bool stats_lorenz(const double *x, size_t n, double *pop, double *share);

/* Half-width of the two-sided confidence interval of a mean from n observations with
 * sample standard deviation sd: t_{n-1, 1-(1-level)/2} * sd / sqrt(n). NaN when n < 2. */
double stats_ci_half_width(double sd, size_t n, double level);
/* The 95% interval half-width of the mean of x. NaN when n < 2. */
double stats_ci95(const double *x, size_t n);

/* A sample mean with its confidence interval. */
typedef struct stats_ci {
    size_t n;
    double mean;
    double half_width; /* NaN when n < 2 */
    double lo, hi;
} stats_ci;

stats_ci stats_mean_ci(const double *x, size_t n, double level);
/* Paired differences a[i] - b[i] (common random numbers make these far tighter than two
 * independent intervals). */
stats_ci stats_paired_diff_ci(const double *a, const double *b, size_t n, double level);
/* A proportion k/n with its Wilson score interval (Wilson 1927), which stays within [0, 1]
 * and is usable at k = 0 or k = n, unlike the normal approximation. mean NaN when n == 0;
 * half_width is (hi - lo) / 2. */
stats_ci stats_wilson_ci(size_t k, size_t n, double level);

/* Erlang C for an M/M/c queue with offered load a = lambda / mu (Erlangs) and c servers.
 * Probability that an arrival waits; 1 when a >= c (unstable), NaN for c == 0 or a < 0.
 * Computed through the Erlang B recursion, stable for thousands of servers. */
double stats_erlang_b(unsigned c, double a);
double stats_erlang_c(unsigned c, double a);
/* Mean wait in queue W_q = C(c,a) / (c mu - lambda), in the time unit of 1/mu; infinity
 * when a >= c. mu: service rate per server. */
double stats_erlang_c_mean_wait(unsigned c, double a, double mu);

#endif
