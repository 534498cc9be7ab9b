/* Liquid democracy: members delegate their vote to another member, revoke it, and delegations
 * chain; a chain that comes back on itself is cut (the members on the loop vote for
 * themselves). Also the Banzhaf index of a weighted majority game, to measure how much the
 * largest delegates decide. */
#include "models/governance/gov_internal.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gov_delegate(gov *g, size_t member, int64_t to) {
    if (member >= g->n_mem || to >= (int64_t)g->n_mem || to == (int64_t)member) return -1;
    g->deleg[member] = to < 0 ? -1 : to;
    return 0;
}

int64_t gov_delegate_of(const gov *g, size_t member) {
    return member < g->n_mem ? g->deleg[member] : -1;
}

/* Follows each member's chain of delegations to the member who votes for it (its root):
 * itself when it delegates to nobody or to a member not eligible now, or when it sits on a
 * loop; a member leading into a loop is represented by the loop member it reaches. root[m] =
 * -1 for members not eligible (w[m] < 0). Linear time: each member is walked once. 0, or -1
 * when out of memory. */
int gov_resolve(const gov *g, const int64_t *w, int64_t *root) {
    size_t n = g->n_mem;
    size_t *path = malloc((n ? n : 1) * sizeof *path), *pos = malloc((n ? n : 1) * sizeof *pos);
    unsigned char *state = calloc(n ? n : 1, 1); /* 0 new, 1 on the current path, 2 done */
    if (!path || !pos || !state) {
        free(path);
        free(pos);
        free(state);
        return -1;
    }
    for (size_t m = 0; m < n; m++) {
        root[m] = -1;
        if (w[m] < 0) state[m] = 2;
    }
    for (size_t m = 0; m < n; m++) {
        if (state[m] == 2) continue;
        size_t len = 0, cur = m;
        for (;;) {
            state[cur] = 1;
            pos[cur] = len;
            path[len++] = cur;
            int64_t nx = g->deleg[cur];
            if (nx < 0 || w[nx] < 0) {
                for (size_t k = 0; k < len; k++) /* the chain ends at cur */
                    root[path[k]] = (int64_t)cur;
                break;
            }
            if (state[nx] == 2) {
                for (size_t k = 0; k < len; k++) /* joins a chain already resolved */
                    root[path[k]] = root[nx];
                break;
            }
            if (state[nx] == 1) {
                for (size_t k = 0; k < len; k++) /* a loop from nx: cut */
                    root[path[k]] = k >= pos[nx] ? (int64_t)path[k] : nx;
                break;
            }
            cur = (size_t)nx;
        }
        for (size_t k = 0; k < len; k++)
            state[path[k]] = 2;
    }
    free(path);
    free(pos);
    free(state);
    return 0;
}

int gov_delegated_power(const gov *g, const int64_t *w, int64_t *root, int64_t *power) {
    if (gov_resolve(g, w, root) != 0) return -1;
    for (size_t m = 0; m < g->n_mem; m++)
        power[m] = w[m] < 0 ? -1 : 0;
    for (size_t m = 0; m < g->n_mem; m++)
        if (root[m] >= 0) power[root[m]] += w[m];
    return 0;
}

int gov_power(const gov *g, int64_t *power) {
    size_t n = g->n_mem ? g->n_mem : 1;
    int64_t *w = malloc(n * sizeof *w), *root = malloc(n * sizeof *root);
    int rc = -1;
    if (w && root) {
        gov_current_weights(g, w);
        if (g->cfg.voting == GOV_QUADRATIC) { /* each member buys its own votes */
            memcpy(power, w, g->n_mem * sizeof *power);
            rc = 0;
        } else {
            rc = gov_delegated_power(g, w, root, power);
        }
    }
    free(w);
    free(root);
    return rc;
}

/* At the start each member driver other than the delegates delegates with probability share
 * to one of the delegates drawn at random; delegates delegate to another delegate with the
 * same probability (chains and loops arise). Outside backers and rider members, whose
 * interests the driver delegates do not share, vote for themselves. One draw of each per
 * member driver, stream "delegate". */
void gov_delegation_start(gov *g) {
    size_t nd = (size_t)g->cfg.delegates < g->n_drv ? (size_t)g->cfg.delegates : g->n_drv;
    if (!(g->cfg.delegate_share > 0.0) || nd == 0 || g->cfg.voting == GOV_QUADRATIC) return;
    for (size_t m = 0; m < g->n_drv; m++) {
        double u = gsl_rng_uniform(g->r_delegate);
        size_t k = (size_t)gsl_rng_uniform_int(g->r_delegate, nd > 1 && m < nd ? nd - 1 : nd);
        if (u >= g->cfg.delegate_share) continue;
        if (m < nd && k >= m) k++; /* a delegate picks another delegate */
        if (k < nd && k != m) g->deleg[m] = (int64_t)k;
    }
}

/* At each epoch, each member who delegates revokes with probability `revoke` (one draw per
 * member who delegates, stream "delegate"); it votes for itself from the next vote on. */
void gov_delegation_epoch(gov *g) {
    if (!(g->cfg.delegate_revoke > 0.0)) return;
    for (size_t m = 0; m < g->n_mem; m++)
        if (g->deleg[m] >= 0 && gsl_rng_uniform(g->r_delegate) < g->cfg.delegate_revoke)
            g->deleg[m] = -1;
}

double gov_banzhaf(const int64_t *w, size_t n, size_t i) {
    if (i >= n) return NAN;
    double total = 0;
    for (size_t k = 0; k < n; k++)
        total += w[k] > 0 ? (double)w[k] : 0.0;
    if (!(total > 0) || w[i] <= 0) return 0.0;
    /* Weights in at most 100000 units (exact when the total is smaller; rounded otherwise). */
    double unit = total > 100000.0 ? total / 100000.0 : 1.0;
    size_t cap = (size_t)ceil(total / unit) + 2;
    double *f = calloc(cap, sizeof *f);
    if (!f) return NAN;
    f[0] = 1.0;
    size_t hi = 0;
    /* f[s]: the share of coalitions of the others weighing s units (each member in or out
     * with probability 1/2). */
    for (size_t k = 0; k < n; k++) {
        if (k == i || w[k] <= 0) continue;
        size_t wk = (size_t)llround((double)w[k] / unit);
        for (size_t s = hi + 1; s-- > 0;)
            if (s + wk < cap) f[s + wk] += f[s];
        for (size_t s = 0; s <= hi + wk && s < cap; s++)
            f[s] *= 0.5;
        hi = hi + wk < cap - 1 ? hi + wk : cap - 1;
    }
    /* Decisive: the others weigh at most half the total, and with i more than half. */
    double half = total / 2.0, wi = (double)w[i], p = 0;
    for (size_t s = 0; s <= hi; s++) {
        double ws = (double)s * unit;
        if (ws <= half && ws + wi > half) p += f[s];
    }
    free(f);
    return p;
}
