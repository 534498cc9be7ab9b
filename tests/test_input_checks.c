/* Values the key table alone cannot judge, refused at load time with file:line:column: a
 * warm-up as long as the run, hourly profiles out of range, a speed profile that leaves
 * city.speed's range, and platform names that are empty, repeated, too long or that collide
 * as output directory names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#define RUN(...) cli_run((const char *const[]){__VA_ARGS__, NULL})

static char *dir;

static int setup(void **state) {
    dir = cli_tmpdir();
    return 0;
}

static int teardown(void **state) {
    cli_rmdir(dir);
    return 0;
}

/* Writes a small scenario whose lines 2-3 are `extra` and validates it (with one override). */
static cli_result *validate(const char *extra, const char *set) {
    char text[4096];
    snprintf(text, sizeof text,
             "name: t\n%s\nplatforms:\n  - {name: corp, kind: centralized}\n"
             "  - {name: coop, kind: cooperative}\n",
             extra);
    const char *path = cli_write(dir, "t.yaml", text, strlen(text));
    static char p[256];
    snprintf(p, sizeof p, "%s", path);
    return set ? RUN("validate", p, "--set", set) : RUN("validate", p);
}

static void expect(const cli_result *r, int status, const char *needle) {
    if (r->status != status || (needle && !strstr(r->err, needle))) {
        print_error("status %d (wanted %d)\nstderr: %s\nwanted: %s\n", r->status, status, r->err,
                    needle ? needle : "-");
        fail();
    }
}

static void test_warmup_within_duration(void **state) {
    expect(validate("simulation: {duration: 1h, warmup: 2h}", NULL), 2,
           "t.yaml:2:36: simulation.warmup: 7200s is not shorter than simulation.duration");
    expect(validate("simulation: {duration: 1h, warmup: 1h}", NULL), 2, "simulation.warmup");
    expect(validate("simulation: {duration: 1h, warmup: 59min}", NULL), 0, NULL);
}

static void test_profiles_in_range(void **state) {
    const char *neg = "demand:\n  profile: [1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
                      "1, 1, 1, 1, 1, 1, 1]";
    expect(validate(neg, NULL), 2, "t.yaml:3:22: demand.profile[3]: -1 is not an hourly weight");
    const char *huge = "demand:\n  profile: [1e307, 1e307, 1e307, 1e307, 1e307, 1e307, 1e307, "
                       "1e307, 1e307, 1e307, 1e307, 1e307, 1e307, 1e307, 1e307, 1e307, 1e307, "
                       "1e307, 1e307, 1e307, 1e307, 1e307, 1e307, 1e307]";
    expect(validate(huge, NULL), 2,
           "demand.profile[0]: 1e+307 is not an hourly weight (0 to 1000)");
    const char *zero = "drivers:\n  shift_start_profile: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
                       "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]";
    expect(validate(zero, NULL), 2,
           "t.yaml:3:24: drivers.shift_start_profile: all 24 values are 0");
    /* per-day demand multipliers: a negative one would turn thinning upside down */
    expect(validate("demand:\n  days: [1, 0.6, -2]", NULL), 2,
           "t.yaml:3:18: demand.days[2]: -2 is not a multiplier of the day's demand");
    expect(validate("demand:\n  days: [1, 0.6, 0]", NULL), 0, NULL);
}

static void test_speed_profile_within_speed_range(void **state) {
    char p[512] = "city:\n  speed: 20km/h\n  speed_profile: [";
    for (int h = 0; h < 24; h++)
        strcat(p, h == 23 ? "1]" : h == 5 ? "-1, " : "1, ");
    expect(validate(p, NULL), 2,
           "t.yaml:4:34: city.speed_profile[5]: multiplier -1 takes the speed");
    expect(validate(p, "city.speed_profile=[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1e300]"),
           2, "--set city.speed_profile=");
    expect(validate(p, "city.speed_profile=[10,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]"), 0,
           NULL); /* 200 km/h exactly */
    expect(validate(p, "city.speed_profile=[11,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]"), 2,
           "city.speed_profile[0]");
}

static void test_platform_names(void **state) {
    expect(validate("title: x", "platforms[1].name=corp"), 2,
           "--set platforms[1].name=corp: platforms[1].name: 'corp' is also the name of "
           "platforms[0]");
    expect(validate("title: x", "platforms[1].name='co/rp'"), 0, NULL);
    expect(validate("title: x", "platforms[0].name='co rp'"), 0, NULL);
    char text[512];
    snprintf(text, sizeof text,
             "name: t\nplatforms:\n  - {name: 'co op', kind: centralized}\n"
             "  - {name: 'co/op', kind: cooperative}\n");
    const char *path = cli_write(dir, "n.yaml", text, strlen(text));
    expect(RUN("validate", path), 2,
           "n.yaml:4:12: platforms[1].name: 'co/op' and platforms[0]'s 'co op' would share the "
           "output directory ledger-co_op/");
    expect(validate("title: x", "platforms[0].name="), 2,
           "platforms[0].name: a platform needs a name");
    char set[400] = "platforms[0].name=";
    for (int i = 0; i < 300; i++)
        strcat(set, "x");
    expect(validate("title: x", set), 2, "300 bytes; a platform name may have at most 200");
}

/* Token sums a co-op's governance could not count are refused before the run: three backer
 * groups of 10^7 members with 10^15 tokens each (3 x 10^22; it wrapped to 5.6 x 10^18). */
static void test_token_supply_bounded(void **state) {
    const char *text =
        "name: t\nsimulation: {duration: 1h}\ndrivers: {count: 10}\nplatforms:\n"
        "  - name: coop\n    kind: cooperative\n    governance:\n      enabled: true\n"
        "      voting: token\n      backers:\n"
        "        - {count: 10000000, tokens: 1000000000000000}\n"
        "        - {count: 10000000, tokens: 1000000000000000}\n"
        "        - {count: 10000000, tokens: 1000000000000000}\n";
    const char *path = cli_write(dir, "g.yaml", text, strlen(text));
    expect(RUN("validate", path), 2,
           "g.yaml:11:37: platforms[0].governance.backers[0].tokens: the backers would hold 1e+22 "
           "tokens in all, more than the 1e+18");
    expect(RUN("validate", path, "--set", "platforms[0].governance.backers[0].count=1", "--set",
               "platforms[0].governance.backers[1].count=1", "--set",
               "platforms[0].governance.backers[2].count=1"),
           0, NULL);
    expect(
        RUN("validate", path, "--set", "platforms[0].governance.backers[0].count=1", "--set",
            "platforms[0].governance.backers[1].count=1", "--set",
            "platforms[0].governance.backers[2].count=1", "--set",
            "platforms[0].governance.tokens_per_km=1000000000", "--set", "drivers.count=10000000"),
        2, "platforms[0].governance.tokens_per_km: 1000000000 per km could bring the token supply");
}

/* A sweep point is checked like the file: the message names the sweep value. */
static void test_sweep_point_checked(void **state) {
    const char *sw = "simulation: {duration: 1h}\nsweep:\n  parameters:\n"
                     "    - {path: simulation.warmup, values: [0s, 2h]}";
    char text[1024];
    snprintf(text, sizeof text, "name: t\n%s\nplatforms:\n  - {name: corp, kind: centralized}\n",
             sw);
    const char *path = cli_write(dir, "s.yaml", text, strlen(text));
    char out[300];
    snprintf(out, sizeof out, "%s/out", dir);
    cli_result *r = RUN("run", path, "-o", out, "-q", "--no-plots");
    expect(r, 2, "sweep parameter simulation.warmup");
    expect(r, 2, "is not shorter than simulation.duration");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warmup_within_duration),
        cmocka_unit_test(test_profiles_in_range),
        cmocka_unit_test(test_speed_profile_within_speed_range),
        cmocka_unit_test(test_platform_names),
        cmocka_unit_test(test_token_supply_bounded),
        cmocka_unit_test(test_sweep_point_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
