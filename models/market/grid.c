/* Grid-bucket spatial index: each cell holds an intrusive doubly linked list of item slots, so
 * insert and remove are O(1) and a nearest search visits only the rings of cells it needs. */
#include "models/market/grid.h"
#include "sim/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mkt_grid {
    double width, height, cell;
    int nx, ny;
    uint32_t *head; /* per cell: first item's slot, MKT_GRID_NONE when empty */
    /* Per slot: an item lives in slot id & (capacity - 1), so ids may grow without bound
     * (riders are numbered through the run) while memory follows the items present at once. */
    uint32_t *next, *prev; /* slots of the neighbours in the cell's list */
    uint32_t *cell_of;     /* the item's cell, MKT_GRID_NONE when the slot is free */
    uint32_t *id;          /* the item in the slot */
    double *x, *y;
    size_t capacity, count; /* capacity: a power of two */
};

/* The arrays of one capacity, every slot free. */
static bool alloc_slots(mkt_grid *g, size_t capacity) {
    g->next = malloc(capacity * sizeof *g->next);
    g->prev = malloc(capacity * sizeof *g->prev);
    g->cell_of = malloc(capacity * sizeof *g->cell_of);
    g->id = malloc(capacity * sizeof *g->id);
    g->x = malloc(capacity * sizeof *g->x);
    g->y = malloc(capacity * sizeof *g->y);
    if (!g->next || !g->prev || !g->cell_of || !g->id || !g->x || !g->y) return false;
    memset(g->cell_of, 0xff, capacity * sizeof *g->cell_of);
    g->capacity = capacity;
    return true;
}

static void free_slots(mkt_grid *g) {
    free(g->next);
    free(g->prev);
    free(g->cell_of);
    free(g->id);
    free(g->x);
    free(g->y);
}

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
    size_t cap = 16;
    while (cap < capacity)
        cap *= 2;
    if (!alloc_slots(g, cap)) {
        mkt_grid_free(g);
        return NULL;
    }
    return g;
}

void mkt_grid_free(mkt_grid *g) {
    if (!g) return;
    free(g->head);
    free_slots(g);
    free(g);
}

static size_t slot_of(const mkt_grid *g, uint32_t id) {
    return id & (g->capacity - 1);
}

static void link_item(mkt_grid *g, uint32_t id, double x, double y);

/* Two items present want one slot: twice the slots, every item placed again (the order within
 * a cell does not matter: the nearest search breaks ties by id). */
static bool grow(mkt_grid *g) {
    if (g->capacity > ((size_t)UINT32_MAX + 1) / 2) return false;
    mkt_grid old = *g;
    if (!alloc_slots(g, old.capacity * 2)) {
        free_slots(g);
        *g = old;
        return false;
    }
    memset(g->head, 0xff, (size_t)g->nx * (size_t)g->ny * sizeof *g->head);
    g->count = 0;
    for (size_t s = 0; s < old.capacity; s++)
        if (old.cell_of[s] != MKT_GRID_NONE) link_item(g, old.id[s], old.x[s], old.y[s]);
    free_slots(&old);
    return true;
}

static int clampi(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* Puts the item in its slot (free) and at the head of its cell's list; x, y clamped. */
static void link_item(mkt_grid *g, uint32_t id, double x, double y) {
    uint32_t s = (uint32_t)slot_of(g, id);
    int cx = clampi((int)(x / g->cell), 0, g->nx - 1);
    int cy = clampi((int)(y / g->cell), 0, g->ny - 1);
    uint32_t c = (uint32_t)cy * (uint32_t)g->nx + (uint32_t)cx;
    g->id[s] = id;
    g->x[s] = x;
    g->y[s] = y;
    g->cell_of[s] = c;
    g->prev[s] = MKT_GRID_NONE;
    g->next[s] = g->head[c];
    if (g->head[c] != MKT_GRID_NONE) g->prev[g->head[c]] = s;
    g->head[c] = s;
    g->count++;
}

bool mkt_grid_insert(mkt_grid *g, uint32_t id, double x, double y) {
    if (id == MKT_GRID_NONE) return false;
    mkt_grid_remove(g, id);
    while (g->cell_of[slot_of(g, id)] != MKT_GRID_NONE)
        if (!grow(g)) return false;
    x = x < 0 ? 0 : x > g->width ? g->width : x;
    y = y < 0 ? 0 : y > g->height ? g->height : y;
    link_item(g, id, x, y);
    return true;
}

bool mkt_grid_remove(mkt_grid *g, uint32_t id) {
    if (!mkt_grid_contains(g, id)) return false;
    uint32_t s = (uint32_t)slot_of(g, id), c = g->cell_of[s];
    if (g->prev[s] != MKT_GRID_NONE)
        g->next[g->prev[s]] = g->next[s];
    else
        g->head[c] = g->next[s];
    if (g->next[s] != MKT_GRID_NONE) g->prev[g->next[s]] = g->prev[s];
    g->cell_of[s] = MKT_GRID_NONE;
    g->count--;
    return true;
}

bool mkt_grid_contains(const mkt_grid *g, uint32_t id) {
    size_t s = slot_of(g, id);
    return g->cell_of[s] != MKT_GRID_NONE && g->id[s] == id;
}

size_t mkt_grid_count(const mkt_grid *g) {
    return g->count;
}

static void scan_cell(const mkt_grid *g, int cx, int cy, double x, double y, double *best_d2,
                      uint32_t *best) {
    for (uint32_t i = g->head[(size_t)cy * (size_t)g->nx + (size_t)cx]; i != MKT_GRID_NONE;
         i = g->next[i]) {
        double dx = g->x[i] - x, dy = g->y[i] - y, d2 = dx * dx + dy * dy;
        if (d2 < *best_d2 || (d2 == *best_d2 && g->id[i] < *best)) {
            *best_d2 = d2;
            *best = g->id[i];
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
