/* What a run may take, decided before it starts: memory estimated from the scenario and
 * refused past the machine's memory or --max-memory (exit 2, with the estimate), nothing
 * written when refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <stdbool.h>
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

static bool exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

/* Values inside their documented ranges whose product no machine holds. */
static void test_memory_estimate_refuses(void **state) {
    cli_result *r = RUN("run", SRC "/scenarios/flagship.yaml", "-o", out, "--set",
                        "demand.rate=1000/s", "--set", "simulation.duration=3650d");
    expect(r, 2, "GiB of memory (an upper estimate");
    expect(r, 2, "--max-memory");
    expect(r, 2, "6.31e+11 requests");
    assert_false(exists(out));
    r = RUN("run", SRC "/scenarios/flagship.yaml", "-o", out, "--set",
            "platforms[1].ledger.nodes=1000000", "--set", "platforms[1].ledger.network.peers=1000");
    expect(r, 2, "1e+09 chain links");
    assert_false(exists(out));
    /* an experiment's records count too */
    r = RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", out, "--max-memory", "2G", "--set",
            "simulation.replications=100000");
    expect(r, 2, "for 100000 run records");
}

static void test_max_memory_option(void **state) {
    cli_result *r =
        RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", out, "-q", "--max-memory", "1M");
    expect(r, 2, "more than the bound --max-memory gives of 0.000977 GiB");
    assert_false(exists(out));
    r = RUN("run", SRC "/scenarios/validation/mmc.yaml", "-o", out, "-q", "--no-plots",
            "--max-memory", "1G");
    expect(r, 0, NULL);
    expect(RUN("run", SRC "/scenarios/validation/mmc.yaml", "--max-memory", "lots"), 2,
           "--max-memory lots: expected a size");
}

/* Under mpirun, an output path that cannot be a directory is an error on rank 0 before the
 * experiment starts: it must exit 2 like a serial run (rank 0 crashed answering the workers). */
static void test_mpi_output_error(void **state) {
    if (system("command -v mpirun >/dev/null 2>&1") != 0) skip();
    char file[300], cmd[1200];
    snprintf(file, sizeof file, "%s/x", dir);
    cli_write(dir, "x", "", 0);
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 OMPI_ALLOW_RUN_AS_ROOT=1 "
             "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -n 2 '%s' run "
             "'%s/scenarios/sweep-commission.yaml' -o '%s' -q >'%s/mpi.log' 2>&1",
             COOPSIM_BINARY, SRC, file, dir);
    int st = system(cmd);
    char log[4096];
    snprintf(cmd, sizeof cmd, "%s/mpi.log", dir);
    cli_slurp(cmd, log, sizeof log);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 2 || !strstr(log, "exists and is not a directory")) {
        print_error("mpirun status %d\n%s\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1, log);
        fail();
    }
}

/* 100 x 1000 sweep points x 100,000 replications: counted and refused at once, with the count
 * (it exited 1 with no message after a failed allocation). */
static void test_run_count_refused(void **state) {
    char text[1024];
    snprintf(text, sizeof text,
             "name: t\nsimulation: {duration: 1h, replications: 100000}\n"
             "sweep:\n  parameters:\n"
             "    - path: platforms[0].commission\n      from: 1%%\n      to: 100%%\n"
             "      step: 1%%\n"
             "    - path: drivers.count\n      from: 1\n      to: 1000\n      step: 1\n"
             "platforms:\n  - {name: a, kind: centralized}\n");
    const char *path = cli_write(dir, "big.yaml", text, strlen(text));
    char p[256], o[300];
    snprintf(p, sizeof p, "%s", path);
    snprintf(o, sizeof o, "%s/count", dir);
    cli_result *r = RUN("run", p, "-o", o, "-q");
    expect(r, 2,
           "the experiment would make 10000000000 runs (100000 sweep points, 100000 "
           "replications at point 0), more than the 1000000");
    assert_false(exists(o));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_estimate_refuses),
        cmocka_unit_test(test_max_memory_option),
        cmocka_unit_test(test_mpi_output_error),
        cmocka_unit_test(test_run_count_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
