/* The error convention's helpers: messages are cut and terminated, growth doubles, zeroes the new
 * room, and refuses sizes that would overflow without touching the array. */
#include "sim/error.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void fail_writes_and_returns_the_code(void **state) {
    (void)state;
    char err[8];
    assert_int_equal(sim_fail(SIM_EINPUT, err, sizeof err, "x.yaml:%d:%d: bad", 3, 14), SIM_EINPUT);
    assert_string_equal(err, "x.yaml:");
    assert_int_equal(sim_fail(SIM_EIO, NULL, 0, "ignored"), SIM_EIO);
    assert_string_equal(sim_status_name(SIM_ENOMEM), "out of memory");
}

static void grow_doubles_and_zeroes(void **state) {
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(SIM_GROW(&v, &cap, 1, 4), SIM_OK);
    assert_int_equal(cap, 4);
    for (size_t i = 0; i < cap; i++)
        assert_int_equal(v[i], 0);
    v[3] = 7;
    assert_int_equal(SIM_GROW(&v, &cap, 5, 4), SIM_OK);
    assert_int_equal(cap, 8);
    assert_int_equal(v[3], 7);
    assert_int_equal(v[7], 0);
    assert_int_equal(SIM_GROW(&v, &cap, 100, 4), SIM_OK);
    assert_int_equal(cap, 128);
    assert_int_equal(SIM_GROW(&v, &cap, 3, 4), SIM_OK); /* enough room: nothing changes */
    assert_int_equal(cap, 128);
    free(v);
}

static void grow_refuses_overflow(void **state) {
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(SIM_GROW(&v, &cap, 2, 2), SIM_OK);
    int *before = v;
    assert_int_equal(SIM_GROW(&v, &cap, SIZE_MAX / 2, 2), SIM_ENOMEM);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 2);
    free(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fail_writes_and_returns_the_code),
        cmocka_unit_test(grow_doubles_and_zeroes),
        cmocka_unit_test(grow_refuses_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
