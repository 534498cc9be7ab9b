/* Closed forms the attacks are measured against: double-spend success (Nakamoto 2008,
 * Rosenfeld 2014, and the exact race the simulated attacker runs), selfish-mining revenue
 * (Eyal & Sirer 2014), and the Wilson interval of a measured success rate. */
#include "models/ledger/ledger.h"

#include <math.h>

double ledger_ds_nakamoto(double q, int64_t z) {
    double p = 1 - q;
    if (q >= p) return 1;
    double lambda = (double)z * q / p, pois = exp(-lambda), sum = 1;
    for (int64_t k = 0; k <= z; k++) {
        if (k > 0) pois *= lambda / (double)k;
        sum -= pois * (1 - pow(q / p, (double)(z - k)));
    }
    return sum;
}

/* P(reach lead +1 before lead -d) from lead L <= 0 of a walk that steps up with
 * probability q (gambler's ruin); d = 0: never gives up. */
static double catch_up(double q, int64_t L, int64_t d) {
    double p = 1 - q;
    if (L >= 1) return 1;
    if (d == 0) return q >= p ? 1 : pow(q / p, (double)(1 - L));
    if (q == p) return (double)(L + d) / (double)(1 + d);
    double r = p / q;
    if (r > 1) { /* divided through by r^(1+d), so nothing overflows */
        double a = pow(r, -(double)(1 + d));
        return (a - pow(r, (double)(L - 1))) / (a - 1);
    }
    return (1 - pow(r, (double)(L + d))) / (1 - pow(r, (double)(1 + d)));
}

/* When the honest chain has its z-th block after the fork the attacker has m blocks, m
 * negative binomial (failures before z successes of probability p); its lead is then
 * m + premine - z, and it wins from there as catch_up says. */
static double race(double q, int64_t z, int premine, int64_t give_up) {
    double p = 1 - q, nb = pow(p, (double)z), below = 0, win = 0;
    for (int64_t m = 0; m + premine <= z; m++) {
        if (m > 0) nb *= (double)(m + z - 1) / (double)m * q;
        below += nb;
        win += nb * catch_up(q, m + premine - z, give_up);
    }
    return win + (1 - below); /* ahead at acceptance: publishes at once */
}

double ledger_ds_rosenfeld(double q, int64_t z) {
    return race(q, z, 1, 0);
}

double ledger_ds_exact(double q, int64_t z, int premine, int64_t give_up) {
    return race(q, z, premine, give_up);
}

double ledger_selfish_revenue(double a, double g) {
    double num = a * (1 - a) * (1 - a) * (4 * a + g * (1 - 2 * a)) - a * a * a;
    return num / (1 - a * (1 + (2 - a) * a));
}

double ledger_selfish_threshold(double g) {
    return (1 - g) / (3 - 2 * g);
}

void ledger_wilson95(uint64_t k, uint64_t n, double *lo, double *hi) {
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    const double z = 1.959963984540054;
    double nn = (double)n, ph = (double)k / nn, d = 1 + z * z / nn;
    double c = (ph + z * z / (2 * nn)) / d;
    double h = z * sqrt(ph * (1 - ph) / nn + z * z / (4 * nn * nn)) / d;
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}
