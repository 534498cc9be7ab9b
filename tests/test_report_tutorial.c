/* docs/tutorial.md cannot go stale: every ```sh block in it is run, in order, in a fresh
 * directory holding a copy of scenarios/, with the program being tested first on PATH. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <stdbool.h>
#include <sys/stat.h>

#define SRC COOPSIM_SOURCE_DIR

static void test_tutorial_commands(void **state) {
    (void)state;
    int blocks = 0;
    char *script = cli_sh_blocks(SRC "/docs/tutorial.md", &blocks);
    assert_non_null(script);
    assert_true(blocks >= 8);
    assert_non_null(strstr(script, "coopsim run"));
    char *dir = strdup(cli_tmpdir());
    cli_write(dir, "tutorial.sh", script, strlen(script));
    free(script);

    char bin[512], cmd[4096];
    snprintf(bin, sizeof bin, "%s", COOPSIM_BINARY);
    char *slash = strrchr(bin, '/');
    assert_non_null(slash);
    *slash = '\0';
    snprintf(cmd, sizeof cmd,
             "cd '%s' && cp -R '" SRC "/scenarios' scenarios && PATH='%s':\"$PATH\" "
             "sh -eu tutorial.sh >tutorial.log 2>&1",
             dir, bin);
    int st = system(cmd);
    char path[600];
    snprintf(path, sizeof path, "%s/tutorial.log", dir);
    static char log[1 << 16];
    cli_slurp(path, log, sizeof log);
    if (st != 0) {
        size_t n = strlen(log); /* the end of the log holds the failing command */
        print_error("a tutorial command failed (status %d); the end of its output:\n%s\n", st,
                    n > 3000 ? log + n - 3000 : log);
        fail();
    }
    /* What the tutorial tells the reader to open is there. */
    static const char *const files[] = {
        "results/flagship/report.html",     "results/flagship/plots/value_flows.png",
        "results/my-coop/report.html",      "results/my-coop-trips/report.html",
        "results/my-coop-reps/report.html", "results/my-coop-reps/plots/paired_differences.svg",
        "results/sweep/report.html",        "results/sweep/plots/sweep_1.png"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (stat(path, &sb) != 0 || sb.st_size == 0) {
            print_error("the tutorial promises %s; output:\n%s\n", files[i], log);
            fail();
        }
    }
    /* The misspelt key really is refused. */
    assert_non_null(strstr(log, "exit status 2"));
    cli_rmdir(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tutorial_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
