/* Grid-bucket spatial index: each cell holds an intrusive doubly linked list of item ids, so
 * insert and remove are O(1) and a nearest search visits only the rings of cells it needs. */
#include "models/market/grid.h"
#include "sim/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mkt_grid {
    double width, height, cell;
    int nx, ny;
    uint32_t *head;        /* per cell: first item, MKT_GRID_NONE when empty */
    uint32_t *next, *prev; /* per item */
    uint32_t *cell_of;     /* per item: its cell, MKT_GRID_NONE when absent */
    double *x, *y;         /* per item */
    size_t capacity, count;
};

mkt_grid *mkt_grid_new(double width, double height, double cell, size_t capacity) {
    mkt_grid *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    if (!(cell > 0)) cell = 1;
    double nxd = ceil(width / cell), nyd = ceil(height / cell);
    /* Bound the cell count: a finer grid than ~4M cells costs memory and buys nothing. */
    while (nxd * nyd > 4e6) {
        cell *= 2;
        nxd = ceil(width / cell);
        nyd = ceil(height / cell);
    }
    g->width = width;
    g->height = height;
    g->cell = cell;
    g->nx = nxd < 1 ? 1 : (int)nxd;
    g->ny = nyd < 1 ? 1 : (int)nyd;
    g->head = malloc((size_t)g->nx * (size_t)g->ny * sizeof *g->head);
    if (!g->head) {
        free(g);
        return NULL;
    }
    memset(g->head, 0xff, (size_t)g->nx * (size_t)g->ny * sizeof *g->head);
    if (capacity < 16) capacity = 16;
    g->next = malloc(capacity * sizeof *g->next);
    g->prev = malloc(capacity * sizeof *g->prev);
    g->cell_of = malloc(capacity * sizeof *g->cell_of);
    g->x = malloc(capacity * sizeof *g->x);
    g->y = malloc(capacity * sizeof *g->y);
    if (!g->next || !g->prev || !g->cell_of || !g->x || !g->y) {
        mkt_grid_free(g);
        return NULL;
    }
    memset(g->cell_of, 0xff, capacity * sizeof *g->cell_of);
    g->capacity = capacity;
    return g;
}

void mkt_grid_free(mkt_grid *g) {
    if (!g) return;
    free(g->head);
    free(g->next);
    free(g->prev);
    free(g->cell_of);
    free(g->x);
    free(g->y);
    free(g);
}

static bool grow(mkt_grid *g, size_t need) {
    /* five arrays of one capacity: each grows from the old one to the same new one */
    size_t cap = g->capacity, c1 = cap, c2 = cap, c3 = cap, c4 = cap;
    if (SIM_GROW(&g->next, &cap, need + 1, 1) != SIM_OK ||
        SIM_GROW(&g->prev, &c1, need + 1, 1) != SIM_OK ||
        SIM_GROW(&g->cell_of, &c2, need + 1, 1) != SIM_OK ||
        SIM_GROW(&g->x, &c3, need + 1, 1) != SIM_OK || SIM_GROW(&g->y, &c4, need + 1, 1) != SIM_OK)
        return false;
    memset(g->cell_of + g->capacity, 0xff, (cap - g->capacity) * sizeof *g->cell_of);
    g->capacity = cap;
    return true;
}

static int clampi(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

bool mkt_grid_insert(mkt_grid *g, uint32_t id, double x, double y) {
    if (id == MKT_GRID_NONE) return false;
    if (id >= g->capacity && !grow(g, id)) return false;
    if (g->cell_of[id] != MKT_GRID_NONE) mkt_grid_remove(g, id);
    x = x < 0 ? 0 : x > g->width ? g->width : x;
    y = y < 0 ? 0 : y > g->height ? g->height : y;
    int cx = clampi((int)(x / g->cell), 0, g->nx - 1);
    int cy = clampi((int)(y / g->cell), 0, g->ny - 1);
    uint32_t c = (uint32_t)cy * (uint32_t)g->nx + (uint32_t)cx;
    g->x[id] = x;
    g->y[id] = y;
    g->cell_of[id] = c;
    g->prev[id] = MKT_GRID_NONE;
    g->next[id] = g->head[c];
    if (g->head[c] != MKT_GRID_NONE) g->prev[g->head[c]] = id;
    g->head[c] = id;
    g->count++;
    return true;
}

bool mkt_grid_remove(mkt_grid *g, uint32_t id) {
    if (id >= g->capacity || g->cell_of[id] == MKT_GRID_NONE) return false;
    uint32_t c = g->cell_of[id];
    if (g->prev[id] != MKT_GRID_NONE)
        g->next[g->prev[id]] = g->next[id];
    else
        g->head[c] = g->next[id];
    if (g->next[id] != MKT_GRID_NONE) g->prev[g->next[id]] = g->prev[id];
    g->cell_of[id] = MKT_GRID_NONE;
    g->count--;
    return true;
}

bool mkt_grid_contains(const mkt_grid *g, uint32_t id) {
    return id < g->capacity && g->cell_of[id] != MKT_GRID_NONE;
}

size_t mkt_grid_count(const mkt_grid *g) {
    return g->count;
}

static void scan_cell(const mkt_grid *g, int cx, int cy, double x, double y, double *best_d2,
                      uint32_t *best) {
    for (uint32_t i = g->head[(size_t)cy * (size_t)g->nx + (size_t)cx]; i != MKT_GRID_NONE;
         i = g->next[i]) {
        double dx = g->x[i] - x, dy = g->y[i] - y, d2 = dx * dx + dy * dy;
        if (d2 < *best_d2 || (d2 == *best_d2 && i < *best)) {
            *best_d2 = d2;
            *best = i;
        }
    }
}

uint32_t mkt_grid_nearest(const mkt_grid *g, double x, double y, double max_dist, double *dist) {
    if (g->count == 0 || !(max_dist >= 0)) return MKT_GRID_NONE;
    x = x < 0 ? 0 : x > g->width ? g->width : x;
    y = y < 0 ? 0 : y > g->height ? g->height : y;
    int cx = clampi((int)(x / g->cell), 0, g->nx - 1);
    int cy = clampi((int)(y / g->cell), 0, g->ny - 1);
    double lim2 = max_dist * max_dist, best_d2 = INFINITY;
    uint32_t best = MKT_GRID_NONE;
    int rmax = g->nx > g->ny ? g->nx : g->ny;
    for (int r = 0; r <= rmax; r++) {
        /* Items in ring r+1 and beyond lie at least r cells away from the query point. */
        double ring_min = (r - 1) * g->cell;
        if (r > 0 && ring_min > 0 && ring_min * ring_min > lim2) break;
        if (best != MKT_GRID_NONE && r > 0 && ring_min >= 0 && ring_min * ring_min > best_d2) break;
        int y0 = cy - r, y1 = cy + r, x0 = cx - r, x1 = cx + r;
        for (int yy = y0; yy <= y1; yy++) {
            if (yy < 0 || yy >= g->ny) continue;
            if (yy == y0 || yy == y1) {
                for (int xx = x0 < 0 ? 0 : x0; xx <= x1 && xx < g->nx; xx++)
                    scan_cell(g, xx, yy, x, y, &best_d2, &best);
            } else {
                if (x0 >= 0) scan_cell(g, x0, yy, x, y, &best_d2, &best);
                if (x1 < g->nx && x1 != x0) scan_cell(g, x1, yy, x, y, &best_d2, &best);
            }
        }
    }
    if (best == MKT_GRID_NONE || best_d2 > lim2) return MKT_GRID_NONE;
    if (dist) *dist = sqrt(best_d2);
    return best;
}
