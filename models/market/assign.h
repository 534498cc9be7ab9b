/* The assignment problem for batch dispatch: waiting riders to idle drivers at the least total
 * pickup distance, the most pairs first (the Hungarian method; no Debian-packaged C library
 * offers it). Pure, so it can be checked against brute force. */
#ifndef MODELS_MARKET_ASSIGN_H
#define MODELS_MARKET_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#define MKT_ASSIGN_NONE SIZE_MAX

/* cost: rows x cols, row-major; a pair that must not be matched costs INFINITY (or any value
 * that is not finite). Finds the matching of rows to columns with the most pairs and, among
 * those, the least total cost; out[i] gets the column of row i or MKT_ASSIGN_NONE. Costs must
 * be >= 0 and below 1e12. Returns 0, or -1 when memory runs out (out untouched). O(n^2 m) for
 * n = min(rows, cols), m = max(rows, cols). */
int mkt_assign(size_t rows, size_t cols, const double *cost, size_t *out);

#endif
