/* What it would take to overturn a vote: the cheapest set of bribes (greedy) that flips a
 * yes/no outcome, given each member's stake, and the fake members (sybils) an attacker would
 * have to admit; and the fewest members who can meet the quorum alone. */
#include "models/governance/gov_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct offer {
    double price; /* what the member asks, cents */
    double dm;    /* how much it moves the margin toward the attacker */
    double took;  /* weight it adds to the turnout */
} offer;

static int by_price_per_margin(const void *a, const void *b) {
    const offer *x = a, *y = b;
    double px = x->price / x->dm, py = y->price / y->dm;
    return (px > py) - (px < py);
}

/* margin M = w_for (1 - t) - w_against t: a proposal passes when M > 0 (and the quorum is
 * met). An attacker who wants it to pass buys: a vote against turned for (moves M by w, at
 * the member's stake against it), an abstention or a member who stayed home voting for
 * (w (1 - t), at its stake against, plus the cost of voting for one who stayed home). One who
 * wants it to fail buys the mirror image. Greedy by price per unit of margin: an upper bound
 * on the cheapest bribe, exact when every offer moves the margin by the same amount. */
double gov_bribe_to_flip(const gov_stake *v, size_t n, bool passed, double threshold,
                         int64_t quorum_weight, double vote_cost, int64_t *bribed) {
    offer *o = malloc((n ? n : 1) * sizeof *o);
    if (!o) return NAN;
    double t = threshold, m = 0, took = 0;
    int want = passed ? GOV_AGAINST : GOV_FOR;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double w = (double)v[i].weight, s = passed ? -v[i].stake : v[i].stake;
        double loss = s < 0 ? -s : 0; /* what voting the attacker's way costs the member */
        if (v[i].choice == GOV_FOR) m += w * (1 - t);
        if (v[i].choice == GOV_AGAINST) m -= w * t;
        if (v[i].choice >= 0) took += w;
        if (!(w > 0) || v[i].choice == want) continue;
        bool opposite = v[i].choice == (passed ? GOV_FOR : GOV_AGAINST);
        double dm = opposite ? w : (passed ? w * t : w * (1 - t));
        if (!(dm > 0)) continue; /* moves nothing (a threshold of 0 or 100%) */
        offer *x = &o[k++];
        x->price = loss + (v[i].choice < 0 ? vote_cost : 0);
        x->took = v[i].choice < 0 ? w : 0;
        x->dm = dm;
    }
    /* The attacker's side: M <= 0 to fail, M > 0 and the quorum to pass. */
    double need = passed ? m : -m;
#define GOV_DONE(need_, took_)                                                                     \
    (passed ? (need_) <= 0 : (need_) < 0 && (took_) >= (double)quorum_weight)
    /* To pass short of the quorum, first bring in the cheapest members who stayed home. */
    size_t first = 0;
    while (!passed && took < (double)quorum_weight) {
        size_t best = k;
        for (size_t i = first; i < k; i++)
            if (o[i].took > 0 && (best == k || o[i].price < o[best].price)) best = i;
        if (best == k) break;
        offer x = o[best];
        o[best] = o[first];
        o[first++] = x;
        need -= x.dm;
        took += x.took;
    }
    qsort(o + first, k - first, sizeof *o, by_price_per_margin);
    size_t bought = first;
    for (; bought < k && !GOV_DONE(need, took); bought++) {
        need -= o[bought].dm;
        took += o[bought].took;
    }
    bool done = GOV_DONE(need, took);
    /* Drop what turned out unneeded (a cheap small vote bought before a large one). */
    double cost = 0;
    int64_t count = 0;
    for (size_t i = 0; done && i < bought; i++) {
        if (GOV_DONE(need + o[i].dm, took - o[i].took)) {
            need += o[i].dm;
            took -= o[i].took;
            continue;
        }
        cost += o[i].price;
        count++;
    }
#undef GOV_DONE
    free(o);
    if (bribed) *bribed = done ? count : -1;
    return done ? cost : INFINITY;
}

int64_t gov_sybils_to_flip(int64_t w_for, int64_t w_against, int64_t took, bool passed,
                           double threshold, int64_t quorum_weight, int64_t per_identity) {
    if (per_identity <= 0) return -1;
    double t = threshold, m = (double)w_for * (1 - t) - (double)w_against * t;
    double w = (double)per_identity;
    /* Fakes vote the attacker's way: for (each moves M by w (1 - t)) or against (by w t). */
    double dm = passed ? w * t : w * (1 - t);
    if (!(dm > 0)) return -1;
    /* To fail: M <= 0 after k fakes; to pass: M > 0 strictly. */
    double k = passed ? ceil(m / dm) : floor(-m / dm) + 1;
    if (k < 0) k = 0;
    if (!passed && (double)took + k * w < (double)quorum_weight)
        k = ceil(((double)quorum_weight - (double)took) / w);
    return k > 9e15 ? -1 : (int64_t)k;
}

int64_t gov_quorum_minority(const int64_t *power, size_t n, int64_t quorum_weight) {
    int64_t *s = malloc((n ? n : 1) * sizeof *s);
    if (!s) return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (power[i] > 0) s[k++] = power[i];
    /* The largest first: selection of the next largest each time (n is the member count). */
    int64_t held = 0, count = 0;
    for (size_t i = 0; i < k && held < quorum_weight; i++) {
        size_t best = i;
        for (size_t j = i + 1; j < k; j++)
            if (s[j] > s[best]) best = j;
        int64_t x = s[i];
        s[i] = s[best];
        s[best] = x;
        held += s[i];
        count++;
    }
    free(s);
    return held >= quorum_weight ? count : -1;
}
