/* --resume trusts only whole records of the same experiment: a record edited, cut short or
 * missing its metrics is reported corrupt and run again (the statistics come out as if nothing
 * had happened), stale temporary files are cleaned, and records written with other output
 * options are not reused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <stdbool.h>
#include <sys/stat.h>

#define MMC COOPSIM_SOURCE_DIR "/scenarios/validation/mmc.yaml"
#define RUN(...) cli_run((const char *const[]){__VA_ARGS__, NULL})

static void expect(const cli_result *r, int status, const char *needle) {
    if (r->status != status || (needle && !strstr(r->err, needle))) {
        print_error("status %d (wanted %d)\nstderr: %s\nwanted: %s\n", r->status, status, r->err,
                    needle ? needle : "-");
        fail();
    }
}

static char rec[1 << 16];

static void edit(const char *d, int run, const char *from, const char *to) {
    char path[400];
    snprintf(path, sizeof path, "%s/runs/run-%06d.json", d, run);
    cli_slurp(path, rec, sizeof rec);
    char *at = strstr(rec, from);
    assert_non_null(at);
    char out[1 << 16];
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - rec), rec, to, at + strlen(from));
    FILE *f = fopen(path, "w");
    fputs(out, f);
    fclose(f);
}

static void test_damaged_records_run_again(void **state) {
    char *tmp = cli_tmpdir(), d[200], path[400];
    static char before[1 << 16], after[1 << 16];
    snprintf(d, sizeof d, "%s/exp", tmp);
    expect(RUN("run", MMC, "-o", d, "-q", "--no-plots", "--set", "simulation.replications=4"), 0,
           NULL);
    snprintf(path, sizeof path, "%s/runs.csv", d);
    cli_slurp(path, before, sizeof before);
    edit(d, 0, "\"seed\":", "\"seed\":\"x\",\"was\":");        /* seed: "x" */
    edit(d, 1, "\"served\":", "\"served\":1000");              /* a metric + 1000 (digits) */
    edit(d, 2, "\"metrics\":", "\"gone\":");                   /* no metrics */
    snprintf(path, sizeof path, "%s/runs/run-000003.json", d); /* cut short */
    cli_slurp(path, rec, sizeof rec);
    cli_write(d, "runs/run-000003.json", rec, strlen(rec) / 2);
    cli_write(d, "runs/run-000001.json.4242.tmp", "partial", 7);
    cli_result *r = RUN("run", MMC, "-o", d, "-q", "--no-plots", "--set",
                        "simulation.replications=4", "--resume");
    expect(r, 0, "record 0 is corrupt");
    expect(r, 0, "record 1 is corrupt");
    expect(r, 0, "record 2 is corrupt");
    expect(r, 0, "record 3 is corrupt");
    assert_null(strstr(r->err, "another experiment"));
    snprintf(path, sizeof path, "%s/runs.csv", d);
    cli_slurp(path, after, sizeof after);
    assert_string_equal(before, after);
    struct stat st;
    snprintf(path, sizeof path, "%s/runs/run-000001.json.4242.tmp", d);
    assert_int_not_equal(stat(path, &st), 0);
    /* the records are whole again: a second resume reuses every one */
    r = RUN("run", MMC, "-o", d, "-q", "--no-plots", "--set", "simulation.replications=4",
            "--resume");
    expect(r, 0, NULL);
    assert_null(strstr(r->err, "corrupt"));
    /* other output options: not reused */
    expect(RUN("run", MMC, "-o", d, "-q", "--no-plots", "--set", "simulation.replications=4",
               "--resume", "--trips"),
           2, "output options");
    cli_rmdir(tmp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damaged_records_run_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
