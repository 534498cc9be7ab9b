/* One run owns its output directory: a second run replaces the first's files (the manifest),
 * a directory coopsim did not write is refused unless --force, the scenario file is never
 * overwritten, a second run at the same time is refused (the lock), and a dangling symbolic
 * link as output is named as such. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <stdbool.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define SRC COOPSIM_SOURCE_DIR
#define RUN(...) cli_run((const char *const[]){__VA_ARGS__, NULL})

static char *dir;
static char out[256];

static int setup(void **state) {
    dir = cli_tmpdir();
    snprintf(out, sizeof out, "%s/out", dir);
    return 0;
}

static int teardown(void **state) {
    cli_rmdir(dir);
    return 0;
}

static void expect(const cli_result *r, int status, const char *needle) {
    if (r->status != status || (needle && !strstr(r->err, needle))) {
        print_error("status %d (wanted %d)\nstderr: %s\nwanted: %s\n", r->status, status, r->err,
                    needle ? needle : "-");
        fail();
    }
}

static bool exists(const char *d, const char *name) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", d, name);
    struct stat st;
    return stat(p, &st) == 0;
}

/* An experiment, then a single run of another scenario: nothing of the experiment is left. */
static void test_second_run_replaces_first(void **state) {
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", out, "-q", "--no-plots", "--set",
               "simulation.replications=2"),
           0, NULL);
    assert_true(exists(out, "runs/run-000001.json"));
    assert_true(exists(out, "runs.csv"));
    expect(RUN("run", SRC "/scenarios/teaching/commission.yaml", "-o", out, "-q", "--no-plots",
               "--set", "simulation.duration=2h"),
           0, NULL);
    assert_false(exists(out, "runs"));
    assert_false(exists(out, "runs.csv"));
    assert_true(exists(out, "summary.json"));
    assert_true(exists(out, "drivers.csv"));
    char m[4096], p[512];
    snprintf(p, sizeof p, "%s/.coopsim-manifest", out);
    cli_slurp(p, m, sizeof m);
    assert_non_null(strstr(m, "\"complete\": true"));
    assert_non_null(strstr(m, "\"summary.json\""));
    assert_null(strstr(m, "runs.csv"));
}

/* A run killed before it finished left files its manifest does not list: they go too. */
static void test_interrupted_run_cleaned(void **state) {
    char d[300];
    snprintf(d, sizeof d, "%s/killed", dir);
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots"), 0, NULL);
    const char *m = "{\"format\": \"coopsim-manifest-1\", \"complete\": false, \"files\": [], "
                    "\"foreign\": []}";
    cli_write(d, ".coopsim-manifest", m, strlen(m));
    cli_write(d, "governance.csv", "stale\n", 6);
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots"), 0, NULL);
    assert_false(exists(d, "governance.csv"));
    assert_true(exists(d, "summary.json"));
}

static void test_foreign_directory(void **state) {
    char d[300];
    snprintf(d, sizeof d, "%s/mine", dir);
    mkdir(d, 0700);
    cli_write(d, "notes.txt", "keep me\n", 8);
    cli_result *r = RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots");
    expect(r, 2, "not empty and holds no coopsim manifest");
    expect(r, 2, "--force");
    assert_false(exists(d, "summary.json"));
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots", "--force"),
           0, NULL);
    assert_true(exists(d, "summary.json"));
    /* later runs keep what was there before coopsim */
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots"), 0, NULL);
    assert_true(exists(d, "notes.txt"));
}

/* The scenario file inside the output directory: refused, even forced; the file is intact. */
static void test_input_not_overwritten(void **state) {
    char d[300], text[8192], after[8192], p[512];
    snprintf(d, sizeof d, "%s/in", dir);
    mkdir(d, 0700);
    cli_slurp(SRC "/scenarios/validation/mmc.yaml", text, sizeof text);
    snprintf(p, sizeof p, "%s", cli_write(d, "summary.json", text, strlen(text)));
    expect(RUN("run", p, "-o", d, "-q", "--no-plots", "--force"), 2,
           "the scenario file is inside the output directory");
    cli_slurp(p, after, sizeof after);
    assert_string_equal(text, after);
}

/* While a run holds the directory, another is refused at once. */
static void test_concurrent_run_refused(void **state) {
    char d[300], lock[400];
    snprintf(d, sizeof d, "%s/busy", dir);
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots"), 0, NULL);
    snprintf(lock, sizeof lock, "%s/.coopsim.lock", d);
    int fd = open(lock, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots"), 2,
           "another coopsim run");
    close(fd);
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", d, "-q", "--no-plots"), 0, NULL);
}

static void test_dangling_symlink(void **state) {
    char link[300];
    snprintf(link, sizeof link, "%s/link", dir);
    assert_int_equal(symlink("/nonexistent/coopsim-target", link), 0);
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", link, "-q"), 2,
           "a symbolic link to '/nonexistent/coopsim-target', which does not exist");
}

/* Runs coopsim with files limited to `limit` bytes (a full disk as each file sees it: writes
 * past it fail with EFBIG, gnuplot's included); returns the exit status. */
static int run_limited(const char *d, long limit) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {(rlim_t)limit, (rlim_t)limit};
        signal(SIGXFSZ, SIG_IGN); /* stays ignored in gnuplot too */
        setrlimit(RLIMIT_FSIZE, &rl);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(COOPSIM_BINARY, COOPSIM_BINARY, "run", SRC "/scenarios/validation/mmc.yaml", "-o", d,
              "-q", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Every file under its final name is whole: plots end as plots do, no temporary is left. */
static void check_whole(const char *d) {
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && ! find . -name '*tmp*' | grep -q . && "
             "for f in $(find . -name '*.svg'); do tail -c 16 \"$f\" | grep -q '</svg>' || exit 1; "
             "done && for f in $(find . -name '*.png'); do tail -c 8 \"$f\" | grep -q IEND || "
             "exit 1; done && python3 -c 'import json; json.load(open(\"summary.json\"))'",
             d);
    assert_int_equal(system(cmd), 0);
}

/* A disk that fills while plotting or writing the report fails the run, leaving no cut file. */
static void test_full_disk_fails_run(void **state) {
    if (system("command -v gnuplot >/dev/null 2>&1") != 0) skip();
    char d[300];
    snprintf(d, sizeof d, "%s/full20", dir);
    assert_int_equal(run_limited(d, 20 << 10), 1); /* plots do not fit */
    check_whole(d);
    snprintf(d, sizeof d, "%s/full8", dir);
    assert_int_equal(run_limited(d, 8 << 10), 2); /* nor does the report */
    check_whole(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_run_replaces_first),
        cmocka_unit_test(test_interrupted_run_cleaned),
        cmocka_unit_test(test_foreign_directory),
        cmocka_unit_test(test_input_not_overwritten),
        cmocka_unit_test(test_concurrent_run_refused),
        cmocka_unit_test(test_dangling_symlink),
        cmocka_unit_test(test_full_disk_fails_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
