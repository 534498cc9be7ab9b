/* The coopsim program as a user meets it: commands, help, exit statuses, error locations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <sys/stat.h>

#define SRC COOPSIM_SOURCE_DIR
#define MMC SRC "/scenarios/validation/mmc.yaml"

#define RUN(...) cli_run((const char *const[]){__VA_ARGS__, NULL})

static void expect(const cli_result *r, int status, const char *needle_err) {
    if (r->status != status || (needle_err && !strstr(r->err, needle_err))) {
        print_error("status %d (wanted %d)\nstdout: %s\nstderr: %s\nwanted in stderr: %s\n",
                    r->status, status, r->out, r->err, needle_err ? needle_err : "-");
        fail();
    }
}

static void test_help_and_version(void **state) {
    (void)state;
    cli_result *r = cli_run((const char *const[]){NULL});
    expect(r, 2, "usage: coopsim");
    r = RUN("help");
    expect(r, 0, NULL);
    assert_non_null(strstr(r->out, "usage: coopsim COMMAND"));
    r = RUN("--help");
    expect(r, 0, NULL);
    const char *cmds[] = {"run", "validate", "reference", "version"};
    for (size_t i = 0; i < 4; i++) {
        r = RUN(cmds[i], "--help");
        expect(r, 0, NULL);
        assert_non_null(strstr(r->out, "usage: coopsim"));
        assert_non_null(strstr(r->out, cmds[i]));
        r = RUN("help", cmds[i]);
        expect(r, 0, NULL);
        assert_non_null(strstr(r->out, cmds[i]));
    }
    r = RUN("version");
    expect(r, 0, NULL);
    assert_non_null(strstr(r->out, "coopsim " COOPSIM_VERSION));
}

static void test_usage_errors(void **state) {
    (void)state;
    expect(RUN("frobnicate"), 2, "no such command 'frobnicate'");
    expect(RUN("help", "frobnicate"), 2, "no such command");
    expect(RUN("run"), 2, "no scenario file given");
    expect(RUN("run", MMC, "--bogus"), 2, "unknown option '--bogus'");
    expect(RUN("run", MMC, "-o"), 2, "-o needs a value");
    expect(RUN("run", MMC, MMC), 2, "one scenario file at a time");
    expect(RUN("run", MMC, "--set", "simulation.seed"), 2, "expected PATH=VALUE");
    expect(RUN("validate"), 2, "no scenario file given");
    expect(RUN("version", "extra"), 2, "unexpected argument");
}

static void test_bad_input_files(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    cli_result *r = RUN("validate", "/nonexistent/dir/x.yaml");
    expect(r, 2, "/nonexistent/dir/x.yaml");
    expect(RUN("run", "/nonexistent/x.yaml"), 2, "/nonexistent/x.yaml");

    const char *p = cli_write(dir, "syntax.yaml", "name: a\nsimulation: [1, 2\n", 26);
    r = RUN("validate", p);
    expect(r, 2, "syntax.yaml:");

    p = cli_write(dir, "unknown.yaml", "name: a\nsimulation:\n  sede: 3\n", 30);
    r = RUN("validate", p);
    expect(r, 2, "unknown.yaml:3:3:");
    assert_non_null(strstr(r->err, "did you mean"));

    p = cli_write(dir, "empty.yaml", "", 0);
    expect(RUN("validate", p), 2, "empty.yaml");

    p = cli_write(dir, "binary.yaml",
                  "\x7f"
                  "ELF\x02\x01\x01\x00\x00\x00",
                  10);
    expect(RUN("validate", p), 2, "binary.yaml");

    expect(RUN("run", MMC, "--set", "name=../../etc"), 2, "cannot name an output directory");
    expect(RUN("run", MMC, "--set", "currency=euro"), 2, "ISO 4217");

    /* one bad file among good ones still fails the whole validate */
    r = RUN("validate", MMC, p);
    expect(r, 2, "binary.yaml");
    assert_non_null(strstr(r->out, "mmc.yaml: ok"));
    cli_rmdir(dir);
}

static void test_bad_overrides(void **state) {
    (void)state;
    expect(RUN("run", MMC, "--set", "simulation.sed=3"), 2, "simulation.sed");
    expect(RUN("run", MMC, "--seed", "abc"), 2, "abc");
    expect(RUN("run", MMC, "--set", "simulation.duration=90"), 2, "simulation.duration");
    /* a check beyond the key table, made before any world runs */
    expect(RUN("run", SRC "/scenarios/governance.yaml", "-o", "/nonexistent/never", "--set",
               "platforms[0].governance.proposals[0].to=abc"),
           2, "governance.proposals[0].to");
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 22);
    size_t n = fread(buf, 1, (1 << 22) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_run_writes_summary(void **state) {
    (void)state;
    char *dir = cli_tmpdir();
    char out1[128], out2[128], f1[160], f2[160];
    snprintf(out1, sizeof out1, "%s/a", dir);
    snprintf(out2, sizeof out2, "%s/b/c", dir);
    expect(RUN("run", MMC, "-o", out1, "--seed", "11", "-q"), 0, NULL);
    expect(RUN("run", MMC, "--output", out2, "--set", "simulation.seed=11", "-q"), 0, NULL);
    snprintf(f1, sizeof f1, "%s/summary.json", out1);
    snprintf(f2, sizeof f2, "%s/summary.json", out2);
    char *a = slurp(f1), *b = slurp(f2);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(strstr(a, "\"seed\": 11"));
    assert_non_null(strstr(a, "\"scenario_sha256\": \""));
    assert_non_null(strstr(a, "\"coopsim_version\": \"" COOPSIM_VERSION "\""));
    /* the same seed gives the same results whichever way it was set (overrides differ) */
    const char *pa = strstr(a, "\"platforms\""), *pb = strstr(b, "\"platforms\"");
    assert_non_null(pa);
    assert_non_null(pb);
    assert_string_equal(pa, pb);
    /* no temporary files left behind */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tmp", out1);
    assert_int_not_equal(system(cmd), 0);
    free(a);
    free(b);

    /* an output path that cannot be a directory */
    const char *file = cli_write(dir, "plain", "x", 1);
    char under[200];
    snprintf(under, sizeof under, "%s/sub", file);
    expect(RUN("run", MMC, "-o", under, "-q"), 2, "plain");
    cli_rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),   cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_bad_input_files),    cmocka_unit_test(test_bad_overrides),
        cmocka_unit_test(test_run_writes_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
