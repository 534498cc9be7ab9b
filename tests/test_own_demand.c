/* Own demand (demand.source: a trip file) and chain-only runs (demand.source: none), through the
 * program: a run reproduces its file's requests hour by hour and is deterministic, the shipped
 * example file is what its script writes, the converter turns TLC records into a file the
 * program runs, every kind of bad file is refused before anything is written, and a chain
 * alone carries its stated load with tokens conserved. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include "tests/cli_util.h"

#include <jansson.h>
#include <math.h>
#include <sys/stat.h>

#define SRC COOPSIM_SOURCE_DIR
#define EXAMPLE SRC "/scenarios/data/example-trips.csv"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[n] = '\0';
    if (len) *len = (size_t)n;
    return b;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* Requests by hour in a trip file (time in the first column). */
static int file_hours(const char *path, long *count, int n_hours) {
    FILE *f = fopen(path, "r");
    char line[4200];
    int total = 0;
    if (!f || !fgets(line, sizeof line, f)) return -1;
    memset(count, 0, (size_t)n_hours * sizeof *count);
    while (fgets(line, sizeof line, f)) {
        int h = (int)(atof(line) / 3600.0);
        if (h < n_hours) count[h]++;
        total++;
    }
    fclose(f);
    return total;
}

/* Requests by hour of one platform in a run's hourly.csv (columns platform, hour, requests). */
static void run_hours(const char *dir, const char *platform, long *count, int n_hours) {
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/hourly.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    memset(count, 0, (size_t)n_hours * sizeof *count);
    assert_non_null(fgets(line, sizeof line, f));
    /* the columns platform, hour, requests, after `skip` others (e.g. run) */
    const char *at = strstr(line, "platform,hour,requests");
    assert_non_null(at);
    int skip = 0;
    for (const char *c = line; c < at; c++)
        skip += *c == ',';
    size_t pl = strlen(platform);
    while (fgets(line, sizeof line, f)) {
        int h;
        long r;
        char *p = line;
        for (int k = 0; k < skip && p; k++)
            if ((p = strchr(p, ','))) p++;
        assert_non_null(p);
        if (strncmp(p, platform, pl) != 0 || p[pl] != ',') continue;
        assert_int_equal(sscanf(p + pl + 1, "%d,%ld", &h, &r), 2);
        if (h < n_hours) count[h] = r;
    }
    fclose(f);
}

static json_t *summary(const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    assert_non_null(j);
    return j;
}

static double pnum(json_t *s, size_t i, const char *section, const char *key) {
    json_t *p = json_array_get(json_object_get(s, "platforms"), i);
    json_t *v = json_object_get(json_object_get(p, section), key);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void test_run_reproduces_file_requests(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), out[256];
    snprintf(out, sizeof out, "%s/run", dir);
    const char *args[] = {"run", SRC "/scenarios/own-demand.yaml", "-o", out, "--no-plots", "-q",
                          NULL};
    cli_result *r = cli_run(args);
    assert_int_equal(r->status, 0);
    long want[24], got[24];
    int total = file_hours(EXAMPLE, want, 24);
    assert_true(total > 1000);
    const char *names[] = {"takes-30", "takes-10"};
    json_t *s = summary(out);
    for (int p = 0; p < 2; p++) {
        run_hours(out, names[p], got, 24);
        for (int h = 0; h < 24; h++)
            assert_int_equal(got[h], want[h]);
        assert_int_equal((long)pnum(s, (size_t)p, "riders", "requests"), total);
    }
    /* the summary names the data: the trip file's SHA-256 as sha256sum gives it */
    char want_sha[65] = "", cmd[512];
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", EXAMPLE);
    FILE *ps = popen(cmd, "r");
    assert_non_null(ps);
    assert_int_equal(fscanf(ps, "%64s", want_sha), 1);
    pclose(ps);
    json_t *df = json_object_get(s, "demand_file");
    assert_string_equal(json_string_value(json_object_get(df, "source_sha256")), want_sha);
    assert_string_equal(json_string_value(json_object_get(df, "zones_sha256")), "");
    /* the same riders on both platforms: the same request stream */
    json_t *pf = json_object_get(s, "platforms");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_array_get(pf, 0), "checks"),
                                          "request_stream_hash")),
        json_string_value(json_object_get(json_object_get(json_array_get(pf, 1), "checks"),
                                          "request_stream_hash")));
    json_decref(s);
    cli_rmdir(dir);
}

static void test_file_run_deterministic(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), a[256], b[256];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    const char *args_a[] = {
        "run", SRC "/scenarios/own-demand.yaml", "-o", a, "--no-plots", "-q", "--trips", NULL};
    const char *args_b[] = {
        "run", SRC "/scenarios/own-demand.yaml", "-o", b, "--no-plots", "-q", "--trips", NULL};
    assert_int_equal(cli_run(args_a)->status, 0);
    assert_int_equal(cli_run(args_b)->status, 0);
    const char *files[] = {"hourly.csv", "drivers.csv", "trips.csv", "books.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char pa[512], pb[512];
        size_t na, nb;
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        char *x = slurp(pa, &na), *y = slurp(pb, &nb);
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na);
        free(x);
        free(y);
    }
    /* another seed: the same requests, other riders' patience and willingness to pay */
    const char *args_c[] = {"run",        SRC "/scenarios/own-demand.yaml",
                            "-o",         b,
                            "--no-plots", "-q",
                            "--seed",     "4",
                            "--force",    NULL};
    assert_int_equal(cli_run(args_c)->status, 0);
    long ha[24], hb[24];
    run_hours(a, "takes-30", ha, 24);
    run_hours(b, "takes-30", hb, 24);
    assert_memory_equal(ha, hb, sizeof ha);
    json_t *sa = summary(a), *sb = summary(b);
    assert_true(pnum(sa, 0, "riders", "served") != pnum(sb, 0, "riders", "served") ||
                pnum(sa, 0, "riders", "wait_mean_s") != pnum(sb, 0, "riders", "wait_mean_s"));
    json_decref(sa);
    json_decref(sb);
    cli_rmdir(dir);
}

static void test_example_file_reproducible(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), cmd[1024], out[256];
    snprintf(out, sizeof out, "%s/example.csv", dir);
    snprintf(cmd, sizeof cmd, "python3 '%s/scripts/example-trips.py' '%s' '%s' 2>/dev/null", SRC,
             COOPSIM_BINARY, out);
    assert_int_equal(system(cmd), 0);
    size_t na, nb;
    char *x = slurp(out, &na), *y = slurp(EXAMPLE, &nb);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
    cli_rmdir(dir);
}

static const char scenario_xy[] = "name: bad-trips\n"
                                  "simulation: {duration: 2h}\n"
                                  "city: {width: 5km, height: 4km}\n"
                                  "demand:\n"
                                  "  source: trips.csv\n"
                                  "drivers: {count: 10, participation: false}\n"
                                  "platforms:\n"
                                  "  - {name: corp, kind: centralized}\n";
static const char scenario_zones[] = "name: bad-zones\n"
                                     "simulation: {duration: 2h}\n"
                                     "city: {width: 5km, height: 4km}\n"
                                     "demand:\n"
                                     "  source: trips.csv\n"
                                     "  zones: zones.csv\n"
                                     "drivers: {count: 10, participation: false}\n"
                                     "platforms:\n"
                                     "  - {name: corp, kind: centralized}\n";

/* Writes the scenario and its files in a new directory, then runs validate and run: both must
 * refuse with exit 2 and a message containing `want`, and run must leave no output behind. */
static void refused(const char *scenario, const char *trips, size_t trips_len, const char *zones,
                    const char *want) {
    char *dir = cli_tmpdir(), scn[256], out[256];
    snprintf(scn, sizeof scn, "%s", cli_write(dir, "s.yaml", scenario, strlen(scenario)));
    if (trips) cli_write(dir, "trips.csv", trips, trips_len);
    if (zones) cli_write(dir, "zones.csv", zones, strlen(zones));
    snprintf(out, sizeof out, "%s/out", dir);
    const char *v[] = {"validate", scn, NULL};
    cli_result *r = cli_run(v);
    if (r->status != 2 || !strstr(r->err, want))
        fail_msg("validate: want exit 2 and '%s', got %d: %s", want, r->status, r->err);
    const char *run[] = {"run", scn, "-o", out, "--no-plots", "-q", NULL};
    r = cli_run(run);
    if (r->status != 2 || !strstr(r->err, want))
        fail_msg("run: want exit 2 and '%s', got %d: %s", want, r->status, r->err);
    assert_false(exists(out));
    cli_rmdir(dir);
}

#define HDR "time,origin_x,origin_y,dest_x,dest_y\n"

static void test_bad_files_refused(void **state) {
    (void)state;
    static const struct {
        const char *trips, *want;
    } cases[] = {
        {HDR "10,1,1,2,2\n5,1,1,2,2\n", "trips.csv:3:1: column 'time': 5 s is earlier than the "
                                        "trip before it (line 2"},
        {HDR "10,1,1,2,2\n20,5001,1,2,2\n", "trips.csv:3:4: column 'origin_x': 5001 m lies "
                                            "outside the city"},
        {HDR "10,1,1,2,-3\n", "trips.csv:2:10: column 'dest_y': -3 m lies outside"},
        {"time,origin_x,origin_y,dest_x\n1,1,1,1\n", "trips.csv:1:1: missing column 'dest_y'"},
        {"time,origin_x,origin_y,dest_x,dest_y,speed\n", "trips.csv:1:38: unknown column 'speed'"},
        {HDR "1,2,3,4,5\n2,2,x3,4,5\n", "trips.csv:3:5: column 'origin_y': 'x3' is not a number"},
        {HDR "1,2,3,4,5\nnan,2,3,4,5\n", "trips.csv:3:1: column 'time': 'nan' is not a time"},
        {HDR "1,2,3,4\n", "trips.csv:2:1: 4 fields; the header has 5"},
        {HDR "1,2,3,4,5\n\n2,2,3,4,5\n", "trips.csv:3:1: an empty line"},
        {"time,origin_x,origin_y,dest_x,dest_y,party,fare\n1,2,3,4,5,0,\n",
         "trips.csv:2:11: column 'party': '0' is not a party size"},
        {"time,origin_x,origin_y,dest_x,dest_y,party,fare\n1,2,3,4,5,,1.234\n",
         "trips.csv:2:12: column 'fare': '1.234' is not a fare"},
        {"request_datetime,PULocationID,DOLocationID\n2024-01-02 00:03:10,161,79\n",
         "trips.csv:1:1: unknown column 'request_datetime' (valid columns: time, origin_x, "
         "origin_y, dest_x, dest_y, origin_zone, dest_zone, party, fare; the first line is the "
         "header); TLC trip records convert with scripts/tlc-to-trips.py"},
        {"", "trips.csv: the file is empty"},
        {HDR, "trips.csv: a header but no trips"},
        {"time,origin_zone,dest_zone\n1,1,2\n", "trips.csv:1:6: the trips name zones: "
                                                "demand.zones must name a zones file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refused(scenario_xy, cases[i].trips, strlen(cases[i].trips), NULL, cases[i].want);

    /* binary garbage after good lines: refused at its first byte */
    char bin[256] = HDR "1,2,3,4,5\n";
    size_t n = strlen(bin);
    const unsigned char junk[] = {0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x41};
    memcpy(bin + n, junk, sizeof junk);
    refused(scenario_xy, bin, n + sizeof junk, NULL, "trips.csv:3:1: byte 0x1f: not a text CSV");

    /* a line far longer than the bound (16 MiB here; 1 GB costs the same 4 KiB to refuse) */
    size_t big = (size_t)16 << 20;
    char *lng = malloc(big + 64);
    assert_non_null(lng);
    n = (size_t)sprintf(lng, HDR "1,2,3,4,5\n");
    memset(lng + n, '7', big);
    refused(scenario_xy, lng, n + big, NULL,
            "trips.csv:3:4097: the line is longer than 4096 bytes");
    free(lng);

    /* a file that is not there: the scenario's line and column that name it */
    refused(scenario_xy, NULL, 0, NULL, "s.yaml:5:11: demand.source: cannot open");

    /* zones */
    refused(scenario_zones, "time,origin_zone,dest_zone\n1,1,7\n", 34,
            "zone,x,y\n1,10,10\n2,20,20\n",
            "trips.csv:2:5: column 'dest_zone': zone 7 is not in demand.zones");
    refused(scenario_zones, "time,origin_zone,dest_zone\n1,1,2\n", 33,
            "zone,x,y\n1,10,10\n1,20,20\n", "zones.csv:3:1: zone 1 is also on line 2");
    refused(scenario_zones, "time,origin_zone,dest_zone\n1,1,2\n", 33,
            "zone,x,y\n1,10,10\n2,20,9000\n",
            "zones.csv:3:3: zone 2's centre (20, 9000) m lies "
            "outside the city");
}

static void test_keys_a_file_replaces_refused(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), scn[256];
    cli_write(dir, "trips.csv", HDR "1,2,3,4,5\n", strlen(HDR "1,2,3,4,5\n"));
    static const char with_rate[] = "name: with-rate\n"
                                    "city: {width: 5km, height: 4km}\n"
                                    "demand:\n"
                                    "  source: trips.csv\n"
                                    "  rate: 100/h\n"
                                    "platforms:\n"
                                    "  - {name: corp, kind: centralized}\n";
    snprintf(scn, sizeof scn, "%s", cli_write(dir, "s.yaml", with_rate, strlen(with_rate)));
    const char *v[] = {"validate", scn, NULL};
    cli_result *r = cli_run(v);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "s.yaml:5:9: demand.rate: a trip file replaces the generated "
                                   "stream: remove demand.rate"));
    /* a stated chain load needs a run without a market */
    const char *v2[] = {"validate", scn,
                        "--set",    "demand.source=generated",
                        "--set",    "platforms[0].ledger.load.rate=1/s",
                        NULL};
    r = cli_run(v2);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "load.rate: a stated transfer load is for chain-only runs"));
    /* no demand: the rate has nothing to shape, and a central ledger has nothing to run */
    const char *v3[] = {"validate", scn, "--set", "demand.source=none", NULL};
    r = cli_run(v3);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "demand.rate: with no demand there is no stream to shape"));
    static const char central[] = "name: central\n"
                                  "demand: {source: none}\n"
                                  "platforms:\n"
                                  "  - {name: corp, kind: centralized}\n";
    snprintf(scn, sizeof scn, "%s", cli_write(dir, "c.yaml", central, strlen(central)));
    const char *v4[] = {"validate", scn, NULL};
    r = cli_run(v4);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "platforms[0].ledger.kind: demand.source: none runs each "
                                   "platform's chain alone"));
    cli_rmdir(dir);
}

/* The converter on a hand-made file in the TLC High Volume FHV format: unsorted requests, one
 * in the unknown zone 264, one on the next day, one with only a pickup time. */
static void test_tlc_converter(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), cmd[2048], path[512];
    snprintf(cmd, sizeof cmd,
             "python3 '%s/scripts/tlc-to-trips.py' '%s/tests/data/tlc/fhvhv-sample.csv' "
             "'%s/tests/data/tlc/zones-lonlat.csv' '%s' --start 2024-01-02T00:00:00 --end "
             "2024-01-03T00:00:00 --fare > '%s/log'",
             SRC, SRC, SRC, dir, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/trips.csv", dir);
    char *t = slurp(path, NULL);
    assert_non_null(t);
    assert_string_equal(t, "time,origin_zone,dest_zone,party,fare\n"
                           "115,230,132,,55.10\n"
                           "190,161,79,,18.63\n"
                           "764,48,43,,11.87\n"
                           "3900,43,230,,17.35\n"
                           "4530,13,4,,21.50\n"
                           "6730,79,48,,14.22\n");
    free(t);
    snprintf(path, sizeof path, "%s/log", dir);
    char *log = slurp(path, NULL);
    assert_non_null(log);
    assert_non_null(strstr(log, "wrote 6 trips (left out: 0 without a time, 1 with an unknown "
                                "zone, 1 outside the window)"));
    /* the city it prints holds every zone: a scenario with it runs the six trips */
    int w = 0, h = 0;
    const char *cw = strstr(log, "width: "), *ch = strstr(log, "height: ");
    assert_true(cw && ch && sscanf(cw, "width: %dm", &w) == 1 &&
                sscanf(ch, "height: %dm", &h) == 1);
    free(log);
    char scn[1024], out[512];
    snprintf(scn, sizeof scn,
             "name: tlc\nsimulation: {duration: 3h}\ncity: {width: %dm, height: %dm}\n"
             "demand: {source: trips.csv, zones: zones.csv}\n"
             "drivers: {count: 20, participation: false}\n"
             "platforms:\n  - {name: corp, kind: centralized}\n",
             w, h);
    char spath[512];
    snprintf(spath, sizeof spath, "%s", cli_write(dir, "tlc.yaml", scn, strlen(scn)));
    snprintf(out, sizeof out, "%s/run", dir);
    const char *args[] = {"run", spath, "-o", out, "--no-plots", "-q", NULL};
    cli_result *r = cli_run(args);
    if (r->status != 0) fail_msg("%s", r->err);
    long got[3];
    run_hours(out, "corp", got, 3);
    assert_int_equal(got[0], 3);
    assert_int_equal(got[1], 3); /* 3900, 4530 and 6730 s */
    assert_int_equal(got[2], 0);
    cli_rmdir(dir);
}

/* A chain alone under its stated load: the transfers arrive at the stated rate, tokens are
 * conserved, no market table is written, and two runs give the same blocks. */
static void test_chain_only(void **state) {
    (void)state;
    char *dir = cli_tmpdir(), a[256], b[256];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    const char *args_a[] = {"run",   SRC "/scenarios/chain-only.yaml", "-o", a, "--no-plots", "-q",
                            "--set", "simulation.duration=10min",      NULL};
    const char *args_b[] = {"run",   SRC "/scenarios/chain-only.yaml", "-o", b, "--no-plots", "-q",
                            "--set", "simulation.duration=10min",      NULL};
    cli_result *r = cli_run(args_a);
    if (r->status != 0) fail_msg("%s", r->err);
    assert_int_equal(cli_run(args_b)->status, 0);
    json_t *s = summary(a);
    /* 20/s for 600 s: 12,000 expected; Poisson sd ~110, so 5 sd is 550 */
    double n = pnum(s, 0, "load", "transfers"), fin = pnum(s, 0, "load", "transfers_final");
    assert_true(fabs(n - 12000) < 550);
    assert_true(fin <= n && fin > 0.95 * n);
    assert_true(pnum(s, 0, "chain", "blocks") > 100);
    json_t *chk = json_object_get(
        json_object_get(json_array_get(json_object_get(s, "platforms"), 0), "chain"), "checks");
    assert_int_equal(json_integer_value(json_object_get(chk, "token_conservation_error")), 0);
    assert_true(json_integer_value(json_object_get(chk, "conservation_checked_blocks")) > 0);
    assert_true(pnum(s, 0, "chain", "token_supply") ==
                pnum(s, 0, "chain", "token_minted") - pnum(s, 0, "chain", "token_burned"));
    json_t *p0 = json_array_get(json_object_get(s, "platforms"), 0);
    assert_null(json_object_get(p0, "riders"));
    assert_null(json_object_get(p0, "drivers"));
    json_decref(s);
    const char *absent[] = {"drivers.csv", "hourly.csv", "books.csv", "trips.csv"};
    char path[512], pb[512];
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", a, absent[i]);
        assert_false(exists(path));
    }
    size_t na, nb;
    snprintf(path, sizeof path, "%s/blocks.csv", a);
    snprintf(pb, sizeof pb, "%s/blocks.csv", b);
    char *x = slurp(path, &na), *y = slurp(pb, &nb);
    assert_non_null(x);
    assert_non_null(y);
    assert_true(na > 1000);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
    cli_rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_reproduces_file_requests),
        cmocka_unit_test(test_file_run_deterministic),
        cmocka_unit_test(test_example_file_reproducible),
        cmocka_unit_test(test_bad_files_refused),
        cmocka_unit_test(test_keys_a_file_replaces_refused),
        cmocka_unit_test(test_tlc_converter),
        cmocka_unit_test(test_chain_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
