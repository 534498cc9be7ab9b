/* The spatial index: its nearest item must equal a brute-force search on random cases, with
 * inserts, removals, radius limits and ties, and it must never lose or invent items. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/grid.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

static uint32_t brute(const double *x, const double *y, const bool *in, size_t n, double qx,
                      double qy, double maxd, double *dist) {
    uint32_t best = MKT_GRID_NONE;
    double bd2 = INFINITY;
    for (uint32_t i = 0; i < n; i++) {
        if (!in[i]) continue;
        double dx = x[i] - qx, dy = y[i] - qy, d2 = dx * dx + dy * dy;
        if (d2 < bd2) {
            bd2 = d2;
            best = i;
        }
    }
    if (best == MKT_GRID_NONE || bd2 > maxd * maxd) return MKT_GRID_NONE;
    *dist = sqrt(bd2);
    return best;
}

static void check_random(double w, double h, double cell, size_t n, int rounds,
                         unsigned long seed) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    mkt_grid *g = mkt_grid_new(w, h, cell, 4); /* tiny capacity: forces growth */
    assert_non_null(g);
    double *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y);
    bool *in = calloc(n, sizeof *in);
    size_t count = 0;
    for (int k = 0; k < rounds; k++) {
        uint32_t id = (uint32_t)gsl_rng_uniform_int(r, n);
        if (in[id] && gsl_rng_uniform(r) < 0.4) {
            assert_true(mkt_grid_remove(g, id));
            in[id] = false;
            count--;
        } else {
            /* Clustered points make many items share cells and some share positions. */
            x[id] = gsl_rng_uniform(r) < 0.2 ? 0.5 * w : gsl_rng_uniform(r) * w;
            y[id] = gsl_rng_uniform(r) < 0.2 ? 0.5 * h : gsl_rng_uniform(r) * h;
            if (in[id])
                assert_true(mkt_grid_remove(g, id));
            else
                count++;
            assert_true(mkt_grid_insert(g, id, x[id], y[id]));
            in[id] = true;
        }
        assert_int_equal(mkt_grid_count(g), count);
        double qx = gsl_rng_uniform(r) * w, qy = gsl_rng_uniform(r) * h;
        double maxd = gsl_rng_uniform(r) < 0.5 ? INFINITY : gsl_rng_uniform(r) * 0.3 * w;
        double d1 = -1, d2 = -1;
        uint32_t a = mkt_grid_nearest(g, qx, qy, maxd, &d1);
        uint32_t b = brute(x, y, in, n, qx, qy, maxd, &d2);
        if (a != b) {
            /* Equal distances may pick either only if the grid breaks the tie by id: the brute
             * force keeps the first (smallest) id as well, so any difference is a bug. */
            fail_msg("query (%.1f, %.1f) max %.1f: grid %u, brute force %u", qx, qy, maxd, a, b);
        }
        if (a != MKT_GRID_NONE) assert_true(fabs(d1 - d2) < 1e-9);
    }
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(mkt_grid_contains(g, i), in[i]);
    free(x);
    free(y);
    free(in);
    mkt_grid_free(g);
    gsl_rng_free(r);
}

static void test_nearest_equals_brute_force(void **state) {
    (void)state;
    check_random(10000, 8000, 500, 300, 20000, 1);
    check_random(10000, 8000, 137, 50, 5000, 2);     /* sparse: long ring searches */
    check_random(3000, 30000, 2000, 1000, 10000, 3); /* elongated city, coarse cells */
    check_random(100, 100, 1000, 20, 2000, 4);       /* a single cell */
}

static void test_edges_and_empty(void **state) {
    (void)state;
    mkt_grid *g = mkt_grid_new(1000, 1000, 100, 16);
    double d;
    assert_int_equal(mkt_grid_nearest(g, 10, 10, INFINITY, &d), MKT_GRID_NONE);
    assert_true(mkt_grid_insert(g, 7, -50, 2000)); /* clamped into the rectangle */
    assert_int_equal(mkt_grid_nearest(g, 0, 1000, 1.0, &d), 7);
    assert_true(d < 1e-9);
    assert_int_equal(mkt_grid_nearest(g, 500, 500, 100, &d), MKT_GRID_NONE);
    assert_true(mkt_grid_insert(g, 3, 0, 1000)); /* same place: the smaller id wins */
    assert_int_equal(mkt_grid_nearest(g, 10, 990, INFINITY, &d), 3);
    assert_true(mkt_grid_remove(g, 3));
    assert_false(mkt_grid_remove(g, 3));
    assert_int_equal(mkt_grid_nearest(g, 10, 990, INFINITY, &d), 7);
    mkt_grid_free(g);
}

/* Ids far apart in value but few at once, as riders numbered through a long run: the grid
 * holds them in slots by id modulo its size (a table sized by the largest id, 3 * 10^9 here,
 * could not be allocated), keeps them apart when they share a slot, and breaks ties by id. */
static void test_large_ids(void **state) {
    (void)state;
    mkt_grid *g = mkt_grid_new(1000, 1000, 100, 16);
    assert_non_null(g);
    const uint32_t base = 3000000000u;
    double d;
    /* A sliding window of 40 ids over 100,000: the oldest leaves as a new one comes. */
    for (uint32_t k = 0; k < 100000; k++) {
        uint32_t id = base + k * 1024; /* all share slot 0 of any table up to 1024 slots */
        assert_true(mkt_grid_insert(g, id, (double)(k % 1000), (double)(k % 997)));
        if (k >= 40) assert_true(mkt_grid_remove(g, id - 40 * 1024));
        assert_int_equal(mkt_grid_count(g), k < 40 ? k + 1 : 40);
        assert_true(mkt_grid_contains(g, id));
        assert_int_equal(mkt_grid_nearest(g, (double)(k % 1000), (double)(k % 997), 0.5, &d), id);
    }
    assert_false(mkt_grid_contains(g, base));
    /* Two at one place: the smaller id, whatever their slots. */
    uint32_t last = base + 99999u * 1024;
    assert_true(mkt_grid_insert(g, last - 3, 999, 999));
    assert_true(mkt_grid_insert(g, last + 5, 999, 999));
    assert_int_equal(mkt_grid_nearest(g, 999, 999, 1.0, &d), last - 3);
    mkt_grid_free(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nearest_equals_brute_force),
        cmocka_unit_test(test_edges_and_empty),
        cmocka_unit_test(test_large_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
