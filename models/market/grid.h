/* Spatial index of points (idle drivers, waiting riders) in grid buckets, so that the
 * nearest point is found by searching rings of cells outward instead of scanning everyone. */
#ifndef MODELS_MARKET_GRID_H
#define MODELS_MARKET_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MKT_GRID_NONE UINT32_MAX

typedef struct mkt_grid mkt_grid;

/* A grid over [0,width] x [0,height] with square cells of side `cell` metres, with room for
 * `capacity` items at once to start with. Ids may be any value but MKT_GRID_NONE; memory
 * follows the span of the ids present at once (an id takes slot id mod a power of two, which
 * doubles when two present ids want one slot), not the largest id. NULL on allocation failure. */
mkt_grid *mkt_grid_new(double width, double height, double cell, size_t capacity);
void mkt_grid_free(mkt_grid *g);

/* Inserts item id at (x, y) (clamped into the rectangle). Returns false only when memory runs
 * out. An id already present must be removed first. */
bool mkt_grid_insert(mkt_grid *g, uint32_t id, double x, double y);
/* Removes id if present; returns whether it was. */
bool mkt_grid_remove(mkt_grid *g, uint32_t id);
bool mkt_grid_contains(const mkt_grid *g, uint32_t id);
size_t mkt_grid_count(const mkt_grid *g);

/* The item nearest to (x, y) in straight-line distance within max_dist (inclusive), ties
 * broken by the smaller id; MKT_GRID_NONE if there is none. *dist gets the distance. */
uint32_t mkt_grid_nearest(const mkt_grid *g, double x, double y, double max_dist, double *dist);

#endif
