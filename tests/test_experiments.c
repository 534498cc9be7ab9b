/* Experiments through the program: replication statistics, sweep errors before any run,
 * resuming after SIGKILL, MPI runs byte-identical to serial ones, and the warm-up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

/* A small queue-mode market with two platforms: runs take a fraction of a second. */
static const char scenario[] = "name: exp-test\n"
                               "simulation:\n"
                               "  seed: 7\n"
                               "  duration: 12h\n"
                               "  replications: 3\n"
                               "market:\n"
                               "  mode: queue\n"
                               "  service_mean: 60s\n"
                               "demand:\n"
                               "  rate: 4/min\n"
                               "riders:\n"
                               "  patience: infinite\n"
                               "  price_sensitive: false\n"
                               "drivers:\n"
                               "  count: 5\n"
                               "  participation: false\n"
                               "platforms:\n"
                               "  - name: central\n"
                               "    kind: centralized\n"
                               "    commission: 25%\n"
                               "  - name: coop\n"
                               "    kind: cooperative\n"
                               "    commission: 15%\n";

static const char sweep[] = "sweep:\n"
                            "  parameters:\n"
                            "    - path: platforms[1].commission\n"
                            "      values: [5%, 10%]\n";

static char *write_scenario(const char *dir, const char *name, const char *extra) {
    static char path[256];
    char text[4096];
    snprintf(text, sizeof text, "%s%s", scenario, extra);
    snprintf(path, sizeof path, "%s", cli_write(dir, name, text, strlen(text)));
    return path;
}

static char *read_all(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) abort();
    b[n] = '\0';
    fclose(f);
    return b;
}

static void assert_same_file(const char *d1, const char *d2, const char *name) {
    char *a = read_all(d1, name), *b = read_all(d2, name);
    if (!a || !b) fail_msg("%s missing in %s or %s", name, d1, d2);
    if (strcmp(a, b) != 0) fail_msg("%s differs between %s and %s", name, d1, d2);
    free(a);
    free(b);
}

static const char *outputs[] = {"summary.json",
                                "sweep.csv",
                                "sweep_summary.csv",
                                "runs/run-000000.json",
                                "runs/run-000003.json",
                                "runs/run-000005.json",
                                "runs/run-000005/drivers.csv"};

static void test_replication_statistics(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), out[256];
    const char *file = write_scenario(dir, "s.yaml", "");
    snprintf(out, sizeof out, "%s/out", dir);
    cli_result *r = cli_run((const char *const[]){"run", file, "-o", out, "-q", NULL});
    assert_int_equal(r->status, 0);
    char *text = read_all(out, "summary.json");
    json_t *s = json_loads(text, 0, NULL);
    assert_non_null(s);
    assert_int_equal(json_integer_value(json_object_get(s, "replications")), 3);
    /* the mean and interval of requests, from the three runs' own records */
    double x[3];
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "runs/run-%06d.json", i);
        char *rt = read_all(out, name);
        json_t *rec = json_loads(rt, 0, NULL);
        json_t *p0 =
            json_array_get(json_object_get(json_object_get(rec, "metrics"), "platforms"), 0);
        x[i] =
            (double)json_integer_value(json_object_get(json_object_get(p0, "riders"), "requests"));
        assert_int_equal(json_integer_value(json_object_get(rec, "replication")), i);
        json_decref(rec);
        free(rt);
    }
    double mean = (x[0] + x[1] + x[2]) / 3, ss = 0;
    for (int i = 0; i < 3; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double sd = sqrt(ss / 2), half = 4.302652729911275 * sd / sqrt(3);
    json_t *p0 = json_array_get(json_object_get(s, "platforms"), 0);
    json_t *st = json_object_get(json_object_get(p0, "riders"), "requests");
    assert_true(fabs(json_real_value(json_object_get(st, "mean")) - mean) < 1e-9);
    assert_true(fabs(json_real_value(json_object_get(st, "sd")) - sd) < 1e-9 * sd);
    assert_true(fabs(json_real_value(json_object_get(st, "ci95_low")) - (mean - half)) < 1e-6);
    assert_true(fabs(json_real_value(json_object_get(st, "ci95_high")) - (mean + half)) < 1e-6);
    assert_int_equal(json_integer_value(json_object_get(st, "n")), 3);
    /* the replications differ (their own seeds), and runs.csv has one row each */
    assert_false(x[0] == x[1] && x[1] == x[2]);
    char *csv = read_all(out, "runs.csv");
    assert_non_null(strstr(csv, "run,replication,seed,central.riders.requests,"));
    int rows = 0;
    for (char *c = csv; *c; c++)
        rows += *c == '\n';
    assert_int_equal(rows, 4);
    /* paired differences coop - central */
    json_t *pd = json_array_get(json_object_get(s, "paired_differences"), 0);
    assert_string_equal(json_string_value(json_object_get(pd, "a")), "coop");
    assert_string_equal(json_string_value(json_object_get(pd, "b")), "central");
    free(csv);
    json_decref(s);
    free(text);
    cli_rmdir(dir);
}

static void test_misspelled_sweep_path_fails_first(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), out[256], want[512];
    const char *file = write_scenario(dir, "s.yaml",
                                      "sweep:\n"
                                      "  parameters:\n"
                                      "    - path: platforms[1].comission\n"
                                      "      values: [5%, 10%]\n");
    snprintf(out, sizeof out, "%s/out", dir);
    cli_result *r = cli_run((const char *const[]){"run", file, "-o", out, NULL});
    assert_int_equal(r->status, 2);
    /* line 26, column 13: the path in the sweep section */
    snprintf(want, sizeof want, "%s:26:13: sweep parameter platforms[1].comission: unknown key",
             file);
    if (!strstr(r->err, want)) fail_msg("expected '%s' in: %s", want, r->err);
    assert_non_null(strstr(r->err, "did you mean 'platforms[].commission'"));
    struct stat st;
    assert_int_equal(stat(out, &st), -1); /* no run started, nothing written */
    cli_rmdir(dir);
}

static pid_t spawn(const char *const *argv) {
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

static void test_resume_after_kill(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), out[256], clean[256], rec[300];
    const char *file = write_scenario(dir, "s.yaml", sweep);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(clean, sizeof clean, "%s/clean", dir);
    const char *args[] = {COOPSIM_BINARY,           "run", file, "-o", out, "-q", "--set",
                          "simulation.duration=6d", NULL};
    pid_t pid = spawn(args);
    snprintf(rec, sizeof rec, "%s/runs/run-000001.json", out);
    struct stat st;
    for (int i = 0; i < 6000 && stat(rec, &st) != 0; i++) {
        struct timespec ms = {0, 5000000};
        nanosleep(&ms, NULL);
    }
    kill(pid, SIGKILL);
    assert_int_equal(wait_status(pid), 128 + SIGKILL);
    /* the runs finished before the kill: their identity and time */
    struct stat before[6];
    bool had[6];
    int n_had = 0;
    for (int i = 0; i < 6; i++) {
        snprintf(rec, sizeof rec, "%s/runs/run-%06d.json", out, i);
        had[i] = stat(rec, &before[i]) == 0;
        n_had += had[i];
    }
    assert_true(n_had >= 2 && n_had < 6);
    char sum[300];
    snprintf(sum, sizeof sum, "%s/summary.json", out);
    assert_int_equal(stat(sum, &st), -1); /* killed before the end */

    /* a different experiment refuses to take them */
    cli_result *r = cli_run((const char *const[]){"run", file, "-o", out, "-q", "--resume", "--set",
                                                  "simulation.duration=5d", NULL});
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "another experiment"));

    r = cli_run((const char *const[]){"run", file, "-o", out, "-q", "--resume", "--set",
                                      "simulation.duration=6d", NULL});
    assert_int_equal(r->status, 0);
    for (int i = 0; i < 6; i++) {
        if (!had[i]) continue;
        snprintf(rec, sizeof rec, "%s/runs/run-%06d.json", out, i);
        assert_int_equal(stat(rec, &st), 0);
        assert_true(st.st_ino == before[i].st_ino);
        assert_true(st.st_mtim.tv_sec == before[i].st_mtim.tv_sec &&
                    st.st_mtim.tv_nsec == before[i].st_mtim.tv_nsec);
    }
    r = cli_run((const char *const[]){"run", file, "-o", clean, "-q", "--set",
                                      "simulation.duration=6d", NULL});
    assert_int_equal(r->status, 0);
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++)
        assert_same_file(out, clean, outputs[i]);
    cli_rmdir(dir);
}

/* Open MPI is built in when the program links libmpi. */
static bool has_mpi(void) {
    if (system("command -v mpirun >/dev/null 2>&1") != 0) return false;
    return system("ldd '" COOPSIM_BINARY "' 2>/dev/null | grep -q libmpi") == 0;
}

static void test_mpi_matches_serial(void **state) {
    (void)state;
    if (!has_mpi()) {
        print_message("skipped: coopsim was built without MPI (or mpirun is missing)\n");
        skip();
    }
    char *dir = cli_tmpdir(), serial[256], par[256];
    const char *file = write_scenario(dir, "s.yaml", sweep);
    snprintf(serial, sizeof serial, "%s/serial", dir);
    snprintf(par, sizeof par, "%s/mpi", dir);
    cli_result *r = cli_run((const char *const[]){"run", file, "-o", serial, "-q", NULL});
    assert_int_equal(r->status, 0);
    /* Open MPI allocates for the process' lifetime; leak reports would only be its own */
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    const char *args[] = {"mpirun",
                          "-n",
                          "2",
                          "--oversubscribe",
                          "-x",
                          "ASAN_OPTIONS",
                          COOPSIM_BINARY,
                          "run",
                          file,
                          "-o",
                          par,
                          "-q",
                          NULL};
    assert_int_equal(wait_status(spawn(args)), 0);
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++)
        assert_same_file(serial, par, outputs[i]);
    cli_rmdir(dir);
}

static long count_after(const char *csv, const char *platform, double t) {
    long n = 0;
    const char *line = strchr(csv, '\n');
    size_t pl = strlen(platform);
    while (line && line[1]) {
        line++;
        assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column: a single run's is 0 */
        line += 2;
        if (strncmp(line, platform, pl) == 0 && line[pl] == ',') {
            const char *f = strchr(line + pl + 1, ','); /* request,request_s */
            if (f && strtod(f + 1, NULL) >= t) n++;
        }
        line = strchr(line, '\n');
    }
    return n;
}

static void test_warmup_excludes(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), a[256], b[256];
    const char *file = write_scenario(dir, "s.yaml", "");
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    cli_result *r = cli_run((const char *const[]){"run", file, "-o", a, "-q", "--trips", "--set",
                                                  "simulation.replications=1", NULL});
    assert_int_equal(r->status, 0);
    r = cli_run((const char *const[]){"run", file, "-o", b, "-q", "--set",
                                      "simulation.replications=1", "--set", "simulation.warmup=4h",
                                      NULL});
    assert_int_equal(r->status, 0);
    char *trips = read_all(a, "trips.csv"), *sa = read_all(a, "summary.json"),
         *sb = read_all(b, "summary.json");
    assert_non_null(strstr(trips, "run,platform,request,request_s,"));
    json_t *ja = json_loads(sa, 0, NULL), *jb = json_loads(sb, 0, NULL);
    json_t *pa = json_array_get(json_object_get(ja, "platforms"), 0);
    json_t *pb = json_array_get(json_object_get(jb, "platforms"), 0);
    long all = (long)json_integer_value(json_object_get(json_object_get(pa, "riders"), "requests"));
    long kept =
        (long)json_integer_value(json_object_get(json_object_get(pb, "riders"), "requests"));
    /* the same world (the warm-up changes no draw), counted from 4h on */
    assert_int_equal(kept, count_after(trips, "central", 4 * 3600.0));
    assert_true(kept < all && kept > 0);
    json_decref(ja);
    json_decref(jb);
    free(trips);
    free(sa);
    free(sb);
    cli_rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replication_statistics),
        cmocka_unit_test(test_misspelled_sweep_path_fails_first),
        cmocka_unit_test(test_resume_after_kill),
        cmocka_unit_test(test_mpi_matches_serial),
        cmocka_unit_test(test_warmup_excludes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
