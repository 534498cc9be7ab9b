/* The assignment solver of batch dispatch (models/market/assign.h) against brute force: on
 * random small problems, with forbidden pairs, it finds as many pairs as any matching can and,
 * among those, the least total cost. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/assign.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* Best (pairs, cost) over every matching of rows to distinct columns or none, by recursion. */
static void brute(size_t r, size_t rows, size_t cols, const double *c, bool *taken, int pairs,
                  double sum, int *best_pairs, double *best_sum) {
    if (r == rows) {
        if (pairs > *best_pairs || (pairs == *best_pairs && sum < *best_sum - 1e-9)) {
            *best_pairs = pairs;
            *best_sum = sum;
        }
        return;
    }
    brute(r + 1, rows, cols, c, taken, pairs, sum, best_pairs, best_sum);
    for (size_t j = 0; j < cols; j++) {
        if (taken[j] || !isfinite(c[r * cols + j])) continue;
        taken[j] = true;
        brute(r + 1, rows, cols, c, taken, pairs + 1, sum + c[r * cols + j], best_pairs, best_sum);
        taken[j] = false;
    }
}

static void test_matches_brute_force(void **state) {
    (void)state;
    srand(12345);
    for (int trial = 0; trial < 3000; trial++) {
        size_t rows = 1 + (size_t)(rand() % 6), cols = 1 + (size_t)(rand() % 6);
        double c[36];
        int forbid = rand() % 4; /* 0: none forbidden; else about a third */
        for (size_t k = 0; k < rows * cols; k++) {
            c[k] = (double)(rand() % 1000) + (rand() % 2 ? 0.5 : 0.0);
            if (forbid && rand() % 3 == 0) c[k] = INFINITY;
        }
        size_t out[6];
        assert_int_equal(mkt_assign(rows, cols, c, out), 0);
        bool used[6] = {false};
        int pairs = 0;
        double sum = 0;
        for (size_t i = 0; i < rows; i++) {
            if (out[i] == MKT_ASSIGN_NONE) continue;
            assert_true(out[i] < cols);
            assert_false(used[out[i]]);
            assert_true(isfinite(c[i * cols + out[i]]));
            used[out[i]] = true;
            pairs++;
            sum += c[i * cols + out[i]];
        }
        bool taken[6] = {false};
        int best_pairs = -1;
        double best_sum = INFINITY;
        brute(0, rows, cols, c, taken, 0, 0.0, &best_pairs, &best_sum);
        assert_int_equal(pairs, best_pairs);
        assert_true(fabs(sum - best_sum) < 1e-6);
    }
}

/* Greedy nearest-first is not optimal: two riders, two drivers, where the first rider's nearest
 * driver is the only one the second can reach. */
static void test_beats_greedy(void **state) {
    (void)state;
    const double c[] = {1.0, 2.0, 1.5, INFINITY};
    size_t out[2];
    assert_int_equal(mkt_assign(2, 2, c, out), 0);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_brute_force),
        cmocka_unit_test(test_beats_greedy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
