/* The Hungarian method by shortest augmenting paths with potentials (Kuhn-Munkres, in the
 * O(n^2 m) form for n <= m), for batch dispatch (assign.h). */
#include "models/market/assign.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* A forbidden pair costs this much: more than any set of allowed pairs can, so the solution
 * first uses as few forbidden pairs as it can (the most real matches), then the least cost. */
#define FORBIDDEN 1e15

/* Solves n rows x m columns (n <= m) where c(i, j) reads the cost; p[j] = row of column j
 * (1-based, 0 = none) on return. Arrays sized m + 1 (u: n + 1). */
static void solve(size_t n, size_t m, const double *cost, bool transposed, size_t cols, double *u,
                  double *v, double *minv, size_t *p, size_t *way, bool *used) {
    for (size_t j = 0; j <= m; j++)
        p[j] = 0, way[j] = 0, v[j] = 0;
    for (size_t i = 0; i <= n; i++)
        u[i] = 0;
    for (size_t i = 1; i <= n; i++) {
        p[0] = i;
        size_t j0 = 0;
        for (size_t j = 0; j <= m; j++)
            minv[j] = INFINITY, used[j] = false;
        do {
            used[j0] = true;
            size_t i0 = p[j0], j1 = 0;
            double delta = INFINITY;
            for (size_t j = 1; j <= m; j++) {
                if (used[j]) continue;
                double c =
                    transposed ? cost[(j - 1) * cols + (i0 - 1)] : cost[(i0 - 1) * cols + (j - 1)];
                if (!isfinite(c)) c = FORBIDDEN;
                double cur = c - u[i0] - v[j];
                if (cur < minv[j]) minv[j] = cur, way[j] = j0;
                if (minv[j] < delta) delta = minv[j], j1 = j;
            }
            for (size_t j = 0; j <= m; j++) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
}

int mkt_assign(size_t rows, size_t cols, const double *cost, size_t *out) {
    if (rows == 0) return 0;
    if (cols == 0) {
        for (size_t i = 0; i < rows; i++)
            out[i] = MKT_ASSIGN_NONE;
        return 0;
    }
    bool transposed = rows > cols; /* the method wants no more rows than columns */
    size_t n = transposed ? cols : rows, m = transposed ? rows : cols;
    double *u = malloc((n + 1) * sizeof *u), *v = malloc((m + 1) * sizeof *v);
    double *minv = malloc((m + 1) * sizeof *minv);
    size_t *p = malloc((m + 1) * sizeof *p), *way = malloc((m + 1) * sizeof *way);
    bool *used = malloc((m + 1) * sizeof *used);
    int rc = -1;
    if (u && v && minv && p && way && used) {
        solve(n, m, cost, transposed, cols, u, v, minv, p, way, used);
        for (size_t i = 0; i < rows; i++)
            out[i] = MKT_ASSIGN_NONE;
        for (size_t j = 1; j <= m; j++) {
            if (p[j] == 0) continue;
            size_t r = transposed ? j - 1 : p[j] - 1, c = transposed ? p[j] - 1 : j - 1;
            if (isfinite(cost[r * cols + c])) out[r] = c;
        }
        rc = 0;
    }
    free(u);
    free(v);
    free(minv);
    free(p);
    free(way);
    free(used);
    return rc;
}
