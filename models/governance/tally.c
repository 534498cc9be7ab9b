/* Counting votes and measuring voting power: tallies with quorum, thresholds and late votes,
 * ballots among several options (plurality, instant runoff, approval);
 * quadratic vote budgets; the Nakamoto coefficient and the Gini index of voting weight. */
#include "models/governance/governance.h"

#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Instant runoff over the counted ballots that chose: returns the winner, fills the last
 * round's counts and the number of rounds. */
static int runoff(const gov_ballot *b, const gov_rank *r, size_t n, size_t n_opt, sim_time close,
                  gov_mresult *m) {
    bool left[GOV_MAX_OPTIONS];
    size_t n_left = n_opt;
    for (size_t k = 0; k < n_opt; k++)
        left[k] = true;
    for (;;) {
        int64_t count[GOV_MAX_OPTIONS] = {0}, total = 0;
        for (size_t i = 0; i < n; i++) {
            if (b[i].final_at > close || b[i].choice != GOV_FOR) continue;
            for (size_t k = 0; k < n_opt; k++) {
                size_t o = r[i].order[k];
                if (o < n_opt && left[o]) {
                    int64_t w = b[i].weight > 0 ? b[i].weight : 0;
                    count[o] += w;
                    total += w;
                    break;
                }
            }
        }
        m->rounds++;
        int best = -1, worst = -1;
        for (size_t k = 0; k < n_opt; k++) {
            if (!left[k]) continue;
            if (best < 0 || count[k] > count[best]) best = (int)k;
            if (worst < 0 || count[k] <= count[worst]) worst = (int)k;
        }
        memcpy(m->last, count, sizeof count);
        if (total == 0) return -1;
        if ((gov_u128)count[best] * 2 > (gov_u128)total || n_left == 1) return best;
        left[worst] = false;
        n_left--;
    }
}

void gov_tally_options(const gov_ballot *b, const gov_rank *r, size_t n, size_t n_opt, int method,
                       sim_time close, int64_t eligible_weight, double quorum, gov_mresult *out) {
    gov_mresult m;
    memset(&m, 0, sizeof m);
    m.winner = -1;
    if (n_opt > GOV_MAX_OPTIONS) n_opt = GOV_MAX_OPTIONS;
    for (size_t i = 0; i < n; i++) {
        if (b[i].final_at > close) {
            m.n_late++;
            continue;
        }
        int64_t w = b[i].weight > 0 ? b[i].weight : 0;
        if (b[i].choice != GOV_FOR) {
            m.n_abstain++;
            m.w_abstain += w;
            continue;
        }
        m.n_voted++;
        m.w_voted += w;
        if (method == GOV_APPROVAL) {
            for (size_t k = 0; k < n_opt; k++)
                if (r[i].approve >> k & 1u) m.first[k] += w;
        } else if (r[i].order[0] < n_opt) {
            m.first[r[i].order[0]] += w;
        }
    }
    gov_u128 took = (gov_u128)(m.w_voted + m.w_abstain) * GOV_PPM;
    gov_u128 need = (gov_u128)(eligible_weight > 0 ? eligible_weight : 0) * ppm_of(quorum);
    m.quorum_met = took >= need && (m.n_voted + m.n_abstain) > 0;
    if (method == GOV_RANKED) {
        int w = runoff(b, r, n, n_opt, close, &m);
        if (m.quorum_met && m.n_voted > 0) m.winner = w;
    } else if (m.quorum_met && m.n_voted > 0) {
        int best = -1;
        for (size_t k = 0; k < n_opt; k++)
            if (best < 0 || m.first[k] > m.first[best]) best = (int)k;
        m.winner = best >= 0 && m.first[best] > 0 ? best : -1;
    }
    *out = m;
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
