/* Output helpers: CSV fields, whole-stream reads, atomic files, directories. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *field(const char *s) {
    static char buf[256];
    memset(buf, 0, sizeof buf);
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    assert_true(out_csv_field(f, s));
    fclose(f);
    return buf;
}

static void test_csv_fields(void **state) {
    (void)state;
    assert_string_equal(field("plain"), "plain");
    assert_string_equal(field(NULL), "");
    assert_string_equal(field("a,b"), "\"a,b\"");
    assert_string_equal(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_string_equal(field("two\nlines"), "\"two\nlines\"");
    assert_string_equal(field("cr\r"), "\"cr\r\"");
}

static void test_read_stream(void **state) {
    (void)state;
    char data[40000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + i % 26);
    FILE *f = fmemopen(data, sizeof data, "r");
    char *buf, err[256];
    size_t len;
    assert_int_equal(out_read_stream(f, sizeof data, "data", &buf, &len, err, sizeof err), SIM_OK);
    assert_int_equal(len, sizeof data);
    assert_memory_equal(buf, data, len);
    assert_int_equal(buf[len], '\0');
    free(buf);
    rewind(f);
    assert_int_equal(out_read_stream(f, sizeof data - 1, "data", &buf, &len, err, sizeof err),
                     SIM_EINPUT);
    assert_null(buf);
    assert_non_null(strstr(err, "data: too large"));
    fclose(f);
}

static void test_atomic_file(void **state) {
    (void)state;
    char dir[] = "/tmp/coopsim-output-XXXXXX", err[512], path[600];
    assert_non_null(mkdtemp(dir));
    char sub[300];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    assert_int_equal(out_mkdirs(sub, err, sizeof err), 0);
    out_file o;
    assert_int_equal(out_open(&o, sub, "x.csv", err, sizeof err), 0);
    fputs("1,2\n", o.f);
    snprintf(path, sizeof path, "%s/x.csv", sub);
    assert_int_not_equal(access(path, F_OK), 0); /* not there before the commit */
    assert_int_equal(out_commit(&o, err, sizeof err), 0);
    assert_int_equal(access(path, F_OK), 0);
    /* an aborted file leaves nothing behind */
    assert_int_equal(out_open(&o, sub, "y.csv", err, sizeof err), 0);
    out_abort(&o);
    snprintf(path, sizeof path, "%s/y.csv", sub);
    assert_int_not_equal(access(path, F_OK), 0);
    /* a directory under a regular file cannot be made */
    snprintf(path, sizeof path, "%s/x.csv/z", sub);
    assert_int_equal(out_mkdirs(path, err, sizeof err), SIM_EIO);
    assert_non_null(strstr(err, "x.csv"));
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_read_stream),
        cmocka_unit_test(test_atomic_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
