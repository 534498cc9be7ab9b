/* Free entry run as an experiment: the same outputs to the byte whatever the number of MPI
 * processes (which share the runs out differently), and for replication 0 as for a single run,
 * trips.csv (streamed as requests end) and days.csv included; a run killed part way leaves no
 * trips.csv. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#define SRC COOPSIM_SOURCE_DIR

/* The commission teaching city with free entry for five days: a pool of 600, 200 in the fleet on
 * day one; drivers enter, change their hours and leave from the first days on. */
static const char *const base[] = {
    "--set", "simulation.duration=5d",   "--set", "drivers.supply=free_entry",
    "--set", "drivers.count=600",        "--set", "drivers.initial_active=200",
    "--set", "drivers.exit_after=3d",    "--set", "drivers.reentry_after=4d",
    "--set", "simulation.replications=3"};
#define N_BASE (sizeof base / sizeof *base)

static char *slurp(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) abort();
    b[n] = '\0';
    fclose(f);
    return b;
}

static void assert_same(const char *d1, const char *n1, const char *d2, const char *n2) {
    char *a = slurp(d1, n1), *b = slurp(d2, n2);
    if (!a || !b) fail_msg("%s/%s or %s/%s is missing", d1, n1, d2, n2);
    if (strcmp(a, b) != 0) fail_msg("%s/%s differs from %s/%s", d1, n1, d2, n2);
    free(a);
    free(b);
}

/* Starts coopsim run (prefixed by `pre`, e.g. mpirun) of the teaching city into out, with
 * `extra` arguments after the base ones. */
static pid_t start(const char *const *pre, const char *out, const char *const *extra) {
    const char *argv[64];
    size_t n = 0;
    for (; pre && pre[n]; n++)
        argv[n] = pre[n];
    const char *head[] = {COOPSIM_BINARY, "run",    SRC "/scenarios/teaching/commission.yaml",
                          "-o",           out,      "-q",
                          "--no-plots",   "--trips"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        argv[n++] = head[i];
    for (size_t i = 0; i < N_BASE; i++)
        argv[n++] = base[i];
    for (size_t i = 0; extra && extra[i]; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) abort();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static int wait_status(pid_t pid) {
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The same, run to the end: its exit status. */
static int run(const char *const *pre, const char *out, const char *const *extra) {
    return wait_status(start(pre, out, extra));
}

static const char *const per_run[] = {"drivers.csv", "hourly.csv", "books.csv", "trips.csv",
                                      "days.csv"};
#define N_PER_RUN (sizeof per_run / sizeof *per_run)

/* Run r's record and tables in d1 and d2. */
static void assert_same_run(const char *d1, const char *d2, int r) {
    char a[64];
    snprintf(a, sizeof a, "runs/run-%06d.json", r);
    assert_same(d1, a, d2, a);
    for (size_t k = 0; k < N_PER_RUN; k++) {
        snprintf(a, sizeof a, "runs/run-%06d/%s", r, per_run[k]);
        assert_same(d1, a, d2, a);
    }
}

static bool has_mpi(void) {
    if (system("command -v mpirun >/dev/null 2>&1") != 0) return false;
    return system("ldd '" COOPSIM_BINARY "' 2>/dev/null | grep -q libmpi") == 0;
}

static char *dir;
static char serial[256];

static int setup(void **state) {
    (void)state;
    dir = cli_tmpdir();
    snprintf(serial, sizeof serial, "%s/serial", dir);
    return run(NULL, serial, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    cli_rmdir(dir);
    return 0;
}

/* The experiment's files are there, and each run's days add up (money conserved every day). */
static void test_serial_outputs(void **state) {
    (void)state;
    for (int r = 0; r < 3; r++) {
        char name[64];
        snprintf(name, sizeof name, "runs/run-%06d/days.csv", r);
        char *days = slurp(serial, name);
        if (!days) fail_msg("%s/%s is missing", serial, name);
        size_t rows = 0;
        for (const char *l = strchr(days, '\n'); l && l[1]; l = strchr(l + 1, '\n'))
            rows++;
        assert_int_equal(rows, 2 * 5); /* two platforms, five days */
        free(days);
    }
    /* The streamed trips.csv is whole: one row per request in the summary, both platforms. */
    char *s = slurp(serial, "runs/run-000001.json"),
         *t = slurp(serial, "runs/run-000001/trips.csv");
    assert_non_null(s);
    assert_non_null(t);
    size_t rows = 0;
    for (const char *l = strchr(t, '\n'); l && l[1]; l = strchr(l + 1, '\n'))
        rows++;
    long requests = 0;
    for (const char *p = s; (p = strstr(p, "\"requests\":")) != NULL; p++)
        requests += strtol(p + 11, NULL, 10);
    assert_true(requests > 0);
    assert_int_equal((long)rows, requests);
    free(s);
    free(t);
}

/* Two MPI processes give the serial experiment's outputs to the byte. */
static void test_mpi_matches_serial(void **state) {
    (void)state;
    if (!has_mpi()) {
        print_message("skipped: coopsim was built without MPI (or mpirun is missing)\n");
        skip();
    }
    char par[256];
    snprintf(par, sizeof par, "%s/mpi", dir);
    /* Open MPI allocates for the process' lifetime; leak reports would only be its own */
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    const char *const mpi[] = {"mpirun", "-n", "2", "--oversubscribe", "-x", "ASAN_OPTIONS", NULL};
    assert_int_equal(run(mpi, par, NULL), 0);
    assert_same(serial, "summary.json", par, "summary.json");
    for (int r = 0; r < 3; r++)
        assert_same_run(serial, par, r);
}

/* Replication 0 of the experiment is the single run, to the byte. */
static void test_replication_0_is_the_run(void **state) {
    (void)state;
    char one[256];
    snprintf(one, sizeof one, "%s/one", dir);
    const char *const reps1[] = {"--set", "simulation.replications=1", NULL};
    assert_int_equal(run(NULL, one, reps1), 0);
    for (size_t k = 0; k < N_PER_RUN; k++) {
        char a[64];
        snprintf(a, sizeof a, "runs/run-000000/%s", per_run[k]);
        assert_same(serial, a, one, per_run[k]);
    }
}

/* Bytes of the file in directory `in` whose name starts with `prefix` (-1: none). */
static long size_of(const char *in, const char *prefix) {
    DIR *d = opendir(in);
    if (!d) return -1;
    long n = -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0) continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", in, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0) n = (long)st.st_size;
    }
    closedir(d);
    return n;
}

/* trips.csv streams while the run goes, into a temporary file renamed only at the end: a run
 * killed part way leaves rows in the temporary file and no trips.csv that looks complete. */
static void test_killed_run_leaves_no_trips(void **state) {
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "%s/killed", dir);
    const char *const longer[] = {"--set", "simulation.duration=200d", "--set",
                                  "simulation.replications=1", NULL};
    pid_t pid = start(NULL, out, longer);
    for (int i = 0; i < 1200 && size_of(out, "trips.csv.") <= 0; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    assert_int_equal(wait_status(pid), 128 + SIGKILL);
    assert_true(size_of(out, "trips.csv.") > 0);
    char path[512];
    snprintf(path, sizeof path, "%s/trips.csv", out);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serial_outputs),
        cmocka_unit_test(test_mpi_matches_serial),
        cmocka_unit_test(test_replication_0_is_the_run),
        cmocka_unit_test(test_killed_run_leaves_no_trips),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
