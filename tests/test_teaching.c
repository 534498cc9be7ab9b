/* docs/teaching.md cannot go stale: every ```sh block in it is run, in order, in a fresh
 * directory holding a copy of scenarios/, with the program being tested first on PATH; the lab
 * it starts must have served and stopped cleanly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <sys/stat.h>

#define SRC COOPSIM_SOURCE_DIR

static void test_teaching_commands(void **state) {
    (void)state;
    int blocks = 0;
    char *script = cli_sh_blocks(SRC "/docs/teaching.md", &blocks);
    assert_non_null(script);
    assert_true(blocks >= 4);
    assert_non_null(strstr(script, "coopsim lab"));
    char *dir = strdup(cli_tmpdir());
    cli_write(dir, "teaching.sh", script, strlen(script));
    free(script);
    char bin[512], cmd[4096];
    snprintf(bin, sizeof bin, "%s", COOPSIM_BINARY);
    char *slash = strrchr(bin, '/');
    assert_non_null(slash);
    *slash = '\0';
    /* the lab's private directory goes under the test's, to check it is gone afterwards */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir tmp && cp -R '" SRC "/scenarios' scenarios && TMPDIR=\"$PWD/tmp\" "
             "PATH='%s':\"$PATH\" sh -eu teaching.sh >teaching.log 2>&1",
             dir, bin);
    int st = system(cmd);
    char path[600];
    snprintf(path, sizeof path, "%s/teaching.log", dir);
    static char log[1 << 16];
    cli_slurp(path, log, sizeof log);
    if (st != 0) {
        size_t n = strlen(log);
        print_error(
            "a command of docs/teaching.md failed (status %d); the end of its output:\n%s\n", st,
            n > 3000 ? log + n - 3000 : log);
        fail();
    }
    static const char *const files[] = {
        "results/commission/report.html", "results/surge/report.html",
        "results/oversupply/report.html", "results/oversupply-800/report.html"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (stat(path, &sb) != 0 || sb.st_size == 0)
            fail_msg("missing %s; log:\n%s", files[i], log);
    }
#ifdef COOPSIM_LAB
    /* the lab served, then stopped on kill and removed its private directory */
    assert_non_null(strstr(log, "serving teaching-commission on http://127.0.0.1:"));
    assert_non_null(strstr(log, "coopsim lab: stopped"));
    snprintf(cmd, sizeof cmd, "rmdir '%s/tmp'", dir);
    assert_int_equal(system(cmd), 0);
#endif
    cli_rmdir(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_teaching_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
