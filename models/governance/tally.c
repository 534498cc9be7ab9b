/* Counting votes and measuring voting power: tallies with quorum, thresholds and late votes;
 * quadratic vote budgets; the Nakamoto coefficient and the Gini index of voting weight. */
#include "models/governance/governance.h"

#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>

__extension__ typedef unsigned __int128 gov_u128;

#define GOV_PPM 1000000

static int64_t ppm_of(double share) {
    if (!(share > 0.0)) return 0;
    if (share >= 1.0) return GOV_PPM;
    return (int64_t)llround(share * GOV_PPM);
}

void gov_tally(const gov_ballot *b, size_t n, sim_time close, int64_t eligible_weight,
               double quorum, double threshold, gov_result *out) {
    gov_result r = {0};
    for (size_t i = 0; i < n; i++) {
        if (b[i].final_at > close) {
            r.n_late++;
            continue;
        }
        int64_t w = b[i].weight > 0 ? b[i].weight : 0;
        switch (b[i].choice) {
        case GOV_FOR:
            r.n_for++;
            r.w_for += w;
            break;
        case GOV_AGAINST:
            r.n_against++;
            r.w_against += w;
            break;
        default:
            r.n_abstain++;
            r.w_abstain += w;
            break;
        }
    }
    /* Integer comparisons in parts per million so that a tie sits exactly on the line. */
    gov_u128 took = (gov_u128)(r.w_for + r.w_against + r.w_abstain) * GOV_PPM;
    gov_u128 need = (gov_u128)(eligible_weight > 0 ? eligible_weight : 0) * ppm_of(quorum);
    r.quorum_met = took >= need && (r.n_for + r.n_against + r.n_abstain) > 0;
    gov_u128 yes = (gov_u128)r.w_for * GOV_PPM;
    gov_u128 bar = (gov_u128)(r.w_for + r.w_against) * ppm_of(threshold);
    r.passed = r.quorum_met && r.w_for > 0 && yes > bar;
    *out = r;
}

int64_t gov_quadratic_max_votes(int64_t credits) {
    if (credits <= 0) return 0;
    int64_t v = (int64_t)sqrt((double)credits);
    while (v > 0 && v > credits / v)
        v--;
    while ((v + 1) <= credits / (v + 1))
        v++;
    return v;
}

static int cmp_desc(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

int64_t gov_nakamoto(const int64_t *w, size_t n) {
    int64_t *s = malloc((n ? n : 1) * sizeof *s);
    if (!s) return -1;
    gov_u128 total = 0;
    for (size_t i = 0; i < n; i++) {
        s[i] = w[i] > 0 ? w[i] : 0;
        total += (gov_u128)s[i];
    }
    qsort(s, n, sizeof *s, cmp_desc);
    int64_t k = 0;
    gov_u128 held = 0;
    if (total > 0)
        for (size_t i = 0; i < n && held * 2 <= total; i++) {
            held += (gov_u128)s[i];
            k++;
        }
    free(s);
    return k;
}

double gov_power_gini(const int64_t *w, size_t n) {
    if (n == 0) return NAN;
    double *x = malloc(n * sizeof *x);
    if (!x) return NAN;
    for (size_t i = 0; i < n; i++)
        x[i] = (double)w[i];
    double g = stats_gini(x, n);
    free(x);
    return g;
}
