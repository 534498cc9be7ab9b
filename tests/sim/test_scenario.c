/* Tests of the strict scenario loader through its public interface: every unit form, defaults,
 * lists, overrides, and every class of bad input with its exact line and column. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t at;
    double weight;
} t_stop;

typedef struct {
    char *name;
    double commission;
    int64_t fee;
    int rule;
    sc_list stops;
} t_platform;

typedef struct {
    char *name;
    char *title;
    char *currency;
    struct {
        int64_t seed;
        int64_t duration;
        int64_t replications;
        double warmup;
        bool trace;
    } simulation;
    struct {
        double width;
        double speed;
        double demand;
        double detour;
        sc_reals profile;
    } city;
    int64_t fare;
    int64_t discount;
    int mode;
    sc_strings tags;
    sc_list platforms;
} t_cfg;

#define K(path, type, field, def, min, max, choices, doc)                                          \
    { path, type, offsetof(t_cfg, field), def, min, max, choices, 0, doc, NULL, false }
#define P(path, type, field, def, min, max, choices, doc)                                          \
    { path, type, offsetof(t_platform, field), def, min, max, choices, 0, doc, NULL, false }
#define S(path, type, field, def, min, max, doc)                                                   \
    { path, type, offsetof(t_stop, field), def, min, max, NULL, 0, doc, NULL, false }

static const sc_key keys[] = {
    K("name", SC_STRING, name, NULL, NULL, NULL, NULL, "Name of the scenario"),
    K("title", SC_STRING, title, "", NULL, NULL, NULL, "Title | shown in reports"),
    K("currency", SC_STRING, currency, "EUR", NULL, NULL, NULL, "Currency code"),
    K("simulation.seed", SC_INT, simulation.seed, "1", "0", NULL, NULL, "Master seed"),
    K("simulation.duration", SC_DURATION, simulation.duration, "1d", "1ms", "3650d", NULL,
      "Simulated time"),
    K("simulation.replications", SC_INT, simulation.replications, "1", "1", "1000", NULL,
      "Replications"),
    K("simulation.warmup", SC_SHARE, simulation.warmup, "10%", NULL, NULL, NULL,
      "Share of the run discarded as warm-up"),
    K("simulation.trace", SC_BOOL, simulation.trace, "false", NULL, NULL, NULL, "Trace events"),
    K("city.width", SC_DISTANCE, city.width, "10km", NULL, "1000km", NULL, "City width"),
    K("city.speed", SC_SPEED, city.speed, "30km/h", "1km/h", NULL, NULL, "Mean speed"),
    K("city.demand", SC_RATE, city.demand, "2500 per hour", NULL, NULL, NULL, "Ride requests"),
    K("city.detour", SC_REAL, city.detour, "1.3", "1", "3", NULL, "Detour factor"),
    K("city.profile", SC_REAL_LIST, city.profile, "[1, 1]", "1", "24", NULL, "Hourly profile"),
    K("fare", SC_MONEY, fare, "12.50", NULL, NULL, NULL, "Base fare"),
    K("discount", SC_MONEY, discount, "0", "-5.00", "5", NULL, "Discount (may be negative)"),
    K("tags", SC_STRING_LIST, tags, "[a, 5%]", NULL, "3", NULL, "Values in user units"),
    K("mode", SC_ENUM, mode, "cooperative", NULL, NULL, "centralized|cooperative", "Mode"),
    {"platforms", SC_LIST, offsetof(t_cfg, platforms), NULL, "1", "8", NULL, sizeof(t_platform),
     "Platforms in the market", NULL, false},
    P("platforms[].name", SC_STRING, name, NULL, NULL, NULL, NULL, "Platform name"),
    P("platforms[].commission", SC_SHARE, commission, "25%", "0%", "100%", NULL, "Take rate"),
    P("platforms[].fee", SC_MONEY, fee, "0.50", NULL, NULL, NULL, "Booking fee"),
    P("platforms[].rule", SC_ENUM, rule, "fixed", NULL, NULL, "fixed|surge", "Pricing rule"),
    {"platforms[].stops", SC_LIST, offsetof(t_platform, stops), "[]", NULL, "4", NULL,
     sizeof(t_stop), "Scheduled rule changes", NULL, false},
    S("platforms[].stops[].at", SC_DURATION, at, NULL, NULL, NULL, "When"),
    S("platforms[].stops[].weight", SC_REAL, weight, "1", NULL, NULL, "Weight"),
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, false},
};

#define BASE "name: t\nplatforms:\n  - name: a\n"

static char err[1024];

static int load(t_cfg *c, const char *yaml) {
    memset(c, 0, sizeof *c);
    err[0] = '\0';
    return sc_load_buffer(keys, c, "t.yaml", yaml, strlen(yaml), NULL, 0, err, sizeof err);
}

static int load_set(t_cfg *c, const char *yaml, const char *const *sets, size_t n) {
    memset(c, 0, sizeof *c);
    err[0] = '\0';
    return sc_load_buffer(keys, c, "t.yaml", yaml, strlen(yaml), sets, n, err, sizeof err);
}

/* The load fails with a message starting with `where` and containing `words`. */
static void expect_error(const char *yaml, const char *where, const char *words) {
    t_cfg c;
    int rc = load(&c, yaml);
    if (rc != 2 || strncmp(err, where, strlen(where)) != 0 || !strstr(err, words))
        print_error("input:\n%s\nexpected %s...%s\ngot rc=%d: %s\n", yaml, where, words, rc, err);
    assert_int_equal(rc, SIM_EINPUT);
    assert_memory_equal(err, where, strlen(where));
    assert_non_null(strstr(err, words));
    sc_free(keys, &c);
}

/* Loads BASE plus `extra` and expects success. */
static void load_ok(t_cfg *c, const char *extra) {
    char yaml[2048];
    snprintf(yaml, sizeof yaml, BASE "%s", extra);
    int rc = load(c, yaml);
    if (rc != 0) print_error("input:\n%s\ngot: %s\n", yaml, err);
    assert_int_equal(rc, 0);
}

static void test_defaults(void **state) {
    (void)state;
    t_cfg c;
    load_ok(&c, "");
    assert_string_equal(c.name, "t");
    assert_string_equal(c.title, "");
    assert_string_equal(c.currency, "EUR");
    assert_int_equal(c.simulation.seed, 1);
    assert_int_equal(c.simulation.duration, 86400LL * 1000000);
    assert_int_equal(c.simulation.replications, 1);
    assert_true(fabs(c.simulation.warmup - 0.10) < 1e-12);
    assert_false(c.simulation.trace);
    assert_true(c.city.width == 10000.0);
    assert_true(fabs(c.city.speed - 30.0 / 3.6) < 1e-12);
    assert_true(fabs(c.city.demand - 2500.0 / 3600) < 1e-12);
    assert_true(c.city.detour == 1.3);
    assert_int_equal(c.city.profile.n, 2);
    assert_true(c.city.profile.v[0] == 1 && c.city.profile.v[1] == 1);
    assert_int_equal(c.fare, 1250);
    assert_int_equal(c.discount, 0);
    assert_int_equal(c.mode, 1);
    assert_int_equal(c.platforms.n, 1);
    t_platform *p = c.platforms.items;
    assert_string_equal(p[0].name, "a");
    assert_true(p[0].commission == 0.25);
    assert_int_equal(p[0].fee, 50);
    assert_int_equal(p[0].rule, 0);
    assert_int_equal(p[0].stops.n, 0);
    assert_null(p[0].stops.items);
    sc_free(keys, &c);
    assert_null(c.name);
    assert_null(c.platforms.items);
    sc_free(keys, &c); /* twice is harmless */
}

static void test_full_file(void **state) {
    (void)state;
    t_cfg c;
    const char *yaml = "# comment\n"
                       "name: full\n"
                       "title: \"A | B\"\n"
                       "currency: USD\n"
                       "simulation:\n"
                       "  seed: 42\n"
                       "  duration: 1.5h\n"
                       "  replications: 30\n"
                       "  warmup: 0.05\n"
                       "  trace: true\n"
                       "city:\n"
                       "  width: 2.5 km\n"
                       "  speed: 8m/s\n"
                       "  demand: 40/min\n"
                       "  detour: 1.25\n"
                       "  profile: [0.5, 1, 2e0]\n"
                       "fare: 7.5 USD\n"
                       "discount: -2.25\n"
                       "mode: centralized\n"
                       "platforms:\n"
                       "  - name: uber\n"
                       "    commission: 30%\n"
                       "    rule: surge\n"
                       "    stops:\n"
                       "      - at: 90s\n"
                       "      - {at: 2h, weight: 0.5}\n"
                       "  - name: coop\n"
                       "    fee: 0\n";
    assert_int_equal(load(&c, yaml), 0);
    assert_string_equal(c.title, "A | B");
    assert_string_equal(c.currency, "USD");
    assert_int_equal(c.simulation.seed, 42);
    assert_int_equal(c.simulation.duration, 5400LL * 1000000);
    assert_int_equal(c.simulation.replications, 30);
    assert_true(c.simulation.warmup == 0.05);
    assert_true(c.simulation.trace);
    assert_true(c.city.width == 2500.0);
    assert_true(c.city.speed == 8.0);
    assert_true(fabs(c.city.demand - 40.0 / 60) < 1e-12);
    assert_int_equal(c.city.profile.n, 3);
    assert_true(c.city.profile.v[2] == 2.0);
    assert_int_equal(c.fare, 750);
    assert_int_equal(c.discount, -225);
    assert_int_equal(c.mode, 0);
    assert_int_equal(c.platforms.n, 2);
    t_platform *p = c.platforms.items;
    assert_string_equal(p[0].name, "uber");
    assert_true(p[0].commission == 0.30);
    assert_int_equal(p[0].rule, 1);
    assert_int_equal(p[0].stops.n, 2);
    t_stop *s = p[0].stops.items;
    assert_int_equal(s[0].at, 90LL * 1000000);
    assert_true(s[0].weight == 1.0);
    assert_int_equal(s[1].at, 7200LL * 1000000);
    assert_true(s[1].weight == 0.5);
    assert_string_equal(p[1].name, "coop");
    assert_int_equal(p[1].fee, 0);
    assert_true(p[1].commission == 0.25);
    sc_free(keys, &c);
}

/* Loads one value for `key` in section `sec` ("" for top level). */
static int load_value(t_cfg *c, const char *sec, const char *key, const char *value) {
    char yaml[1024];
    if (sec[0])
        snprintf(yaml, sizeof yaml, BASE "%s:\n  %s: %s\n", sec, key, value);
    else
        snprintf(yaml, sizeof yaml, BASE "%s: %s\n", key, value);
    return load(c, yaml);
}

static void test_durations(void **state) {
    (void)state;
    static const struct {
        const char *text;
        int64_t us;
    } ok[] = {{"250ms", 250000},    {"90s", 90000000},      {"5min", 300000000},
              {"2h", 7200000000LL}, {"7d", 604800000000LL}, {"1.5h", 5400000000LL},
              {"90 s", 90000000},   {"1s", 1000000},        {"3650d", 315360000000000LL}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        t_cfg c;
        assert_int_equal(load_value(&c, "simulation", "duration", ok[i].text), 0);
        assert_int_equal(c.simulation.duration, ok[i].us);
        sc_free(keys, &c);
    }
    t_cfg c;
    /* "0" alone is a duration (zero) but below this key's minimum */
    assert_int_equal(load_value(&c, "simulation", "duration", "0"), SIM_EINPUT);
    assert_non_null(
        strstr(err, "0 is out of range for simulation.duration (allowed: 1ms to 3650d)"));
    assert_int_equal(load(&c, BASE "platforms:\n  - name: a\n    stops:\n      - at: 0\n"),
                     SIM_EINPUT);
    assert_non_null(strstr(err, "duplicate key 'platforms'"));
    assert_int_equal(load(&c, "name: t\nplatforms:\n  - name: a\n    stops:\n      - at: 0\n"), 0);
    assert_int_equal(((t_stop *)((t_platform *)c.platforms.items)[0].stops.items)[0].at, 0);
    sc_free(keys, &c);
    expect_error(BASE "simulation:\n  duration: 90\n", "t.yaml:5:13: ",
                 "bad duration '90' for simulation.duration (write a number with a unit: 250ms, "
                 "90s, 5min, 2h, 7d)");
    expect_error(BASE "simulation:\n  duration: 5 fortnights\n",
                 "t.yaml:5:13: ", "bad duration '5 fortnights'");
    expect_error(BASE "simulation:\n  duration: 3651d\n", "t.yaml:5:13: ",
                 "3651d is out of range for simulation.duration (allowed: 1ms to 3650d)");
    expect_error(BASE "simulation:\n  duration: 1e300d\n", "t.yaml:5:13: ", "too long");
}

static void test_distances_speeds(void **state) {
    (void)state;
    t_cfg c;
    assert_int_equal(load_value(&c, "city", "width", "500m"), 0);
    assert_true(c.city.width == 500.0);
    sc_free(keys, &c);
    assert_int_equal(load_value(&c, "city", "width", "0"), 0);
    assert_true(c.city.width == 0.0);
    sc_free(keys, &c);
    assert_int_equal(load_value(&c, "city", "speed", "36 km/h"), 0);
    assert_true(fabs(c.city.speed - 10.0) < 1e-12);
    sc_free(keys, &c);
    expect_error(BASE "city:\n  width: 5\n", "t.yaml:5:10: ",
                 "bad distance '5' for city.width (write a number with a unit: 500m, 2.5km)");
    expect_error(BASE "city:\n  width: 5 miles\n", "t.yaml:5:10: ", "bad distance");
    expect_error(BASE "city:\n  width: -5m\n",
                 "t.yaml:5:10: ", "-5m is out of range for city.width (allowed: 0m to 1000km)");
    expect_error(BASE "city:\n  width: 1001km\n", "t.yaml:5:10: ", "out of range");
    expect_error(BASE "city:\n  speed: 30\n", "t.yaml:5:10: ",
                 "bad speed '30' for city.speed (write a number with a unit: 30km/h, 8m/s)");
    expect_error(BASE "city:\n  speed: 0.5km/h\n", "t.yaml:5:10: ",
                 "0.5km/h is out of range for city.speed (allowed: at least 1km/h)");
}

static void test_rates(void **state) {
    (void)state;
    static const struct {
        const char *text;
        double per_s;
    } ok[] = {{"2500 per hour", 2500.0 / 3600},
              {"2500/h", 2500.0 / 3600},
              {"40/min", 40.0 / 60},
              {"3/s", 3.0},
              {"10 per day", 10.0 / 86400},
              {"10/day", 10.0 / 86400},
              {"1.5 / minute", 1.5 / 60},
              {"0", 0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        t_cfg c;
        assert_int_equal(load_value(&c, "city", "demand", ok[i].text), 0);
        assert_true(fabs(c.city.demand - ok[i].per_s) < 1e-12);
        sc_free(keys, &c);
    }
    expect_error(BASE "city:\n  demand: 2500\n", "t.yaml:5:11: ",
                 "bad rate '2500' for city.demand (write events per unit of time: 2500 per hour");
    expect_error(BASE "city:\n  demand: 5 per fortnight\n", "t.yaml:5:11: ", "bad rate");
    expect_error(BASE "city:\n  demand: -1/h\n", "t.yaml:5:11: ", "out of range");
}

static void test_shares(void **state) {
    (void)state;
    t_cfg c;
    assert_int_equal(load_value(&c, "simulation", "warmup", "25%"), 0);
    assert_true(c.simulation.warmup == 0.25);
    sc_free(keys, &c);
    assert_int_equal(load_value(&c, "simulation", "warmup", "0.25"), 0);
    assert_true(c.simulation.warmup == 0.25);
    sc_free(keys, &c);
    assert_int_equal(load_value(&c, "simulation", "warmup", "12.5 %"), 0);
    assert_true(c.simulation.warmup == 0.125);
    sc_free(keys, &c);
    expect_error(BASE "simulation:\n  warmup: 1.5\n", "t.yaml:5:11: ",
                 "1.5 is out of range for simulation.warmup (allowed: 0% to 100%)");
    expect_error(BASE "simulation:\n  warmup: half\n", "t.yaml:5:11: ",
                 "bad share 'half' for simulation.warmup (write a percentage or a fraction: 25% "
                 "or 0.25)");
    expect_error("name: t\nplatforms:\n  - name: a\n    commission: 150%\n", "t.yaml:4:17: ",
                 "150% is out of range for platforms[0].commission (allowed: 0% to 100%)");
}

static void test_money(void **state) {
    (void)state;
    static const struct {
        const char *text;
        int64_t cents;
    } ok[] = {{"12.50", 1250},     {"12.5", 1250}, {"12", 1200}, {"0.05", 5},
              {"12.50 EUR", 1250}, {"3EUR", 300},  {"0", 0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        t_cfg c;
        assert_int_equal(load_value(&c, "", "fare", ok[i].text), 0);
        assert_int_equal(c.fare, ok[i].cents);
        sc_free(keys, &c);
    }
    t_cfg c;
    assert_int_equal(load_value(&c, "", "discount", "-5.00"), 0);
    assert_int_equal(c.discount, -500);
    sc_free(keys, &c);
    expect_error(BASE "discount: -5.01\n",
                 "t.yaml:4:11: ", "-5.01 is out of range for discount (allowed: -5.00 to 5)");
    expect_error(BASE "fare: -1\n",
                 "t.yaml:4:7: ", "-1 is out of range for fare (allowed: at least 0)");
    expect_error(BASE "fare: 12.505\n", "t.yaml:4:7: ", "more than two decimals");
    expect_error(BASE "fare: 12.50 USD\n", "t.yaml:4:7: ",
                 "currency 'USD' in '12.50 USD' for fare does not match the scenario's currency "
                 "'EUR'");
    expect_error("currency: USD\n" BASE "fare: 3 EUR\n", "t.yaml:5:7: ", "'USD'");
    expect_error(BASE "fare: twelve\n", "t.yaml:4:7: ",
                 "bad amount 'twelve' for fare (write an amount with at most two decimals");
    expect_error(BASE "fare: 99999999999999999999\n", "t.yaml:4:7: ", "too large");

    /* Without a top-level currency key no code is valid. */
    static const sc_key plain[] = {
        {"fare", SC_MONEY, 0, "1", NULL, NULL, NULL, 0, "Fare", NULL, false},
        {NULL, 0, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, false},
    };
    int64_t fare = 0;
    assert_int_equal(
        sc_load_buffer(plain, &fare, "m.yaml", "fare: 2.00 EUR", 14, NULL, 0, err, sizeof err),
        SIM_EINPUT);
    assert_string_equal(err, "m.yaml:1:7: currency code in '2.00 EUR' for fare, but this "
                             "scenario names no currency (write the amount alone, e.g. 12.50)");
    assert_int_equal(
        sc_load_buffer(plain, &fare, "m.yaml", "fare: 2.00", 10, NULL, 0, err, sizeof err), 0);
    assert_int_equal(fare, 200);
}

static void test_booleans_ints_reals_enums(void **state) {
    (void)state;
    t_cfg c;
    assert_int_equal(load_value(&c, "simulation", "trace", "true"), 0);
    assert_true(c.simulation.trace);
    sc_free(keys, &c);
    assert_int_equal(load_value(&c, "simulation", "trace", "false"), 0);
    assert_false(c.simulation.trace);
    sc_free(keys, &c);
    expect_error(BASE "simulation:\n  trace: yes\n",
                 "t.yaml:5:10: ", "bad boolean 'yes' for simulation.trace (write true or false)");
    expect_error(BASE "simulation:\n  trace: off\n", "t.yaml:5:10: ", "write true or false");
    assert_int_equal(load_value(&c, "simulation", "seed", "9223372036854775807"), 0);
    assert_int_equal(c.simulation.seed, INT64_MAX);
    sc_free(keys, &c);
    expect_error(BASE "simulation:\n  seed: 1.5\n",
                 "t.yaml:5:9: ", "bad integer '1.5' for simulation.seed (write a whole number");
    expect_error(BASE "simulation:\n  seed: 9223372036854775808\n",
                 "t.yaml:5:9: ", "integer '9223372036854775808' is too large for simulation.seed");
    expect_error(BASE "simulation:\n  seed: -1\n",
                 "t.yaml:5:9: ", "-1 is out of range for simulation.seed (allowed: at least 0)");
    expect_error(BASE "city:\n  detour: nan\n",
                 "t.yaml:5:11: ", "bad number 'nan' for city.detour (write a finite number");
    expect_error(BASE "city:\n  detour: .inf\n", "t.yaml:5:11: ", "bad number '.inf'");
    expect_error(BASE "city:\n  detour: 1e999\n", "t.yaml:5:11: ", "bad number '1e999'");
    expect_error(BASE "city:\n  detour: 0x10\n", "t.yaml:5:11: ", "bad number '0x10'");
    expect_error(BASE "city:\n  detour: 3.5\n",
                 "t.yaml:5:11: ", "3.5 is out of range for city.detour (allowed: 1 to 3)");
    expect_error(BASE "mode: cooperativ\n", "t.yaml:4:7: ",
                 "unknown choice 'cooperativ' for mode (did you mean 'cooperative'? choices: "
                 "centralized, cooperative)");
    expect_error(BASE "mode: mixed\n", "t.yaml:4:7: ",
                 "unknown choice 'mixed' for mode (choices: centralized, cooperative)");
}

static void test_lists(void **state) {
    (void)state;
    expect_error("name: t\nplatforms: []\n",
                 "t.yaml:2:12: ", "platforms has 0 elements (allowed: 1 to 8 elements)");
    expect_error("name: t\nplatforms: x\n", "t.yaml:2:12: ", "expected a list for platforms");
    expect_error("name: t\nplatforms:\n  - name: a\n  - 7\n", "t.yaml:4:5: ",
                 "expected a mapping of keys for platforms[1], found a single value");
    expect_error("name: t\nplatforms:\n  - name: a\n  - commission: 5%\n",
                 "t.yaml:4:5: ", "missing required key 'name' in platforms[1]");
    expect_error("name: t\nplatforms:\n  - name: a\n    comission: 5%\n", "t.yaml:4:5: ",
                 "unknown key 'comission' in platforms[0] (did you mean 'commission'?)");
    expect_error("name: t\nplatforms:\n  - name: a\n    stops:\n      - weight: 2\n",
                 "t.yaml:5:9: ", "missing required key 'at' in platforms[0].stops[0]");
    expect_error("name: t\nplatforms:\n  - name: a\n    stops:\n      - at: 1h\n      - at: 1\n",
                 "t.yaml:6:13: ", "bad duration '1' for platforms[0].stops[1].at");
    expect_error(
        "name: t\nplatforms:\n  - name: a\n    stops: [{at: 1s}, {at: 1s}, {at: 1s}, "
        "{at: 1s}, {at: 1s}]\n",
        "t.yaml:4:12: ", "platforms[0].stops has 5 elements (allowed: at most 4 elements)");
    expect_error(BASE "city:\n  profile: [1, x]\n",
                 "t.yaml:5:16: ", "bad number 'x' for city.profile[1]");
    expect_error(BASE "city:\n  profile: []\n",
                 "t.yaml:5:12: ", "city.profile has 0 elements (allowed: 1 to 24 elements)");
    expect_error(BASE "city:\n  profile: 3\n",
                 "t.yaml:5:12: ", "expected a list of numbers for city.profile");
    expect_error(BASE "city:\n  profile: [1, [2]]\n",
                 "t.yaml:5:16: ", "expected a number for city.profile[1], found list");
}

static void test_string_lists(void **state) {
    (void)state;
    t_cfg c;
    load_ok(&c, "");
    assert_int_equal(c.tags.n, 2);
    assert_string_equal(c.tags.v[0], "a");
    assert_string_equal(c.tags.v[1], "5%");
    sc_free(keys, &c);
    assert_null(c.tags.v);
    load_ok(&c, "tags: [10%, '15 %', x y]\n");
    assert_int_equal(c.tags.n, 3);
    assert_string_equal(c.tags.v[1], "15 %");
    assert_string_equal(c.tags.v[2], "x y");
    sc_free(keys, &c);
    const char *set[] = {"tags=[1, 2]"};
    assert_int_equal(load_set(&c, BASE, set, 1), 0);
    assert_int_equal(c.tags.n, 2);
    assert_string_equal(c.tags.v[1], "2");
    sc_free(keys, &c);
    expect_error(BASE "tags: 5%\n", "t.yaml:4:7: ", "expected a list for tags");
    expect_error(BASE "tags: [a, [b]]\n",
                 "t.yaml:4:11: ", "expected a value for tags[1], found list");
    expect_error(BASE "tags: [a, ~]\n",
                 "t.yaml:4:11: ", "expected a value for tags[1], found nothing");
    expect_error(BASE "tags: [a, b, c, d]\n", "t.yaml:4:7: ", "tags has 4 elements");
}

static void test_defaults_of_a_prefix(void **state) {
    (void)state;
    t_platform p;
    memset(&p, 0, sizeof p);
    p.name = (char *)"kept"; /* required: left as it is */
    assert_int_equal(sc_defaults(keys, "platforms[].", &p, err, sizeof err), 0);
    assert_string_equal(p.name, "kept");
    assert_true(fabs(p.commission - 0.25) < 1e-12);
    assert_int_equal(p.fee, 50);
    assert_int_equal(p.rule, 0);
    assert_int_equal(p.stops.n, 0);
    t_cfg c;
    memset(&c, 0, sizeof c);
    assert_int_equal(sc_defaults(keys, "city.", &c, err, sizeof err), 0);
    assert_true(fabs(c.city.speed - 30.0 / 3.6) < 1e-9);
    assert_int_equal(c.city.profile.n, 2);
    assert_null(c.name); /* outside the prefix */
    assert_int_equal(c.simulation.seed, 0);
    sc_free(keys, &c);
}

static void test_structure_errors(void **state) {
    (void)state;
    expect_error(BASE "simulation:\n  sede: 7\n",
                 "t.yaml:5:3: ", "unknown key 'sede' in simulation (did you mean 'seed'?)");
    expect_error(BASE "simulation:\n  zzzz: 7\n", "t.yaml:5:3: ",
                 "unknown key 'zzzz' in simulation (valid keys: seed, duration, replications, "
                 "warmup, trace)");
    expect_error(BASE "nmae: x\n", "t.yaml:4:1: ", "unknown key 'nmae' (did you mean 'name'?)");
    expect_error(BASE "simulation:\n  seed: 1\n  seed: 2\n",
                 "t.yaml:6:3: ", "duplicate key 'seed' in simulation (first given at line 5");
    expect_error(BASE "name: u\n", "t.yaml:4:1: ", "duplicate key 'name'");
    expect_error(BASE "simulation:\n  seed:\n    x: 1\n", "t.yaml:6:5: ",
                 "expected a single value for simulation.seed, found a mapping (type: integer)");
    expect_error(BASE "simulation: 5\n", "t.yaml:4:13: ",
                 "expected a mapping of keys for simulation, found a single value");
    expect_error(BASE "simulation:\n  - 5\n",
                 "t.yaml:5:3: ", "expected a mapping of keys for simulation, found a list");
    expect_error(BASE "simulation:\n  seed:\n", "t.yaml:5:8: ", "no value for simulation.seed");
    expect_error(BASE "name:\n  - a\n", "t.yaml:4:1: ", "duplicate key 'name'");
    expect_error("name: [a]\nplatforms:\n  - name: a\n",
                 "t.yaml:1:7: ", "expected text for name, found a list");
    expect_error("# heading\n\nplatforms:\n  - name: a\n",
                 "t.yaml:3:1: ", "missing required key 'name'");
    expect_error("name: t\n", "t.yaml:1:1: ", "missing required key 'platforms'");
    expect_error("name: t\n[a]: 1\n", "t.yaml:2:1: ", "a key must be a plain word, found a list");
    expect_error("- a\n- b\n",
                 "t.yaml:1:1: ", "the top level must be a mapping of keys, found a list");
    expect_error("just text\n", "t.yaml:1:1: ", "the top level must be a mapping");
    expect_error("", "t.yaml:1:1: ", "empty scenario");
    expect_error("# nothing\n  # at all\n", "t.yaml:1:1: ", "empty scenario");
    expect_error("---\n", "t.yaml:", "empty scenario");
    expect_error("name: \"a\\0b\"\nplatforms:\n  - name: a\n", "t.yaml:1:7: ", "NUL character");
    expect_error(BASE "mode: \"centralized\\0x\"\n",
                 "t.yaml:4:7: ", "value for mode holds a NUL character");
    /* An absent section gets every default; an empty one too. */
    t_cfg c;
    load_ok(&c, "simulation:\ncity: ~\n");
    assert_int_equal(c.simulation.seed, 1);
    assert_true(c.city.width == 10000.0);
    sc_free(keys, &c);
}

static void test_yaml_level_errors(void **state) {
    (void)state;
    expect_error("name: t\nsimulation: [1,\n", "t.yaml:3:1: ", "invalid YAML");
    expect_error("name: t\n  bad: indentation\n", "t.yaml:2:6: ", "invalid YAML");
    expect_error("name: 'unclosed\n", "t.yaml:", "invalid YAML");
    expect_error("name: t\nsimulation:\n\tseed: 1\n",
                 "t.yaml:3:1: ", "invalid YAML: a tab character (indent with spaces)");
    /* columns count characters, not bytes */
    expect_error("{name: \xc3\xa9, platforms: [{name: a}], mode: x}",
                 "t.yaml:1:41: ", "unknown choice 'x' for mode");
    {
        /* a UTF-8 byte order mark is allowed */
        t_cfg b;
        assert_int_equal(load(&b, "\xef\xbb\xbf" BASE), 0);
        assert_string_equal(b.name, "t");
        sc_free(keys, &b);
    }
    t_cfg c;
    memset(&c, 0, sizeof c);
    assert_int_equal(
        sc_load_buffer(keys, &c, "nul.yaml", "name: x\0y\n", 10, NULL, 0, err, sizeof err),
        SIM_EINPUT);
    assert_string_equal(err, "nul.yaml:1:8: not a text file (NUL byte; a scenario is UTF-8 text)");
    expect_error("name: caf\xc3\n", "t.yaml:1:10: ", "not a text file (invalid UTF-8");
    expect_error("name: \xed\xa0\x80\n", "t.yaml:1:7: ", "not a text file");
    expect_error("name: &a t\ntitle: *a\nplatforms:\n  - name: a\n",
                 "t.yaml:2:8: ", "alias '*a' is not supported");
    expect_error("name: t\n---\nname: u\n", "t.yaml:2:1: ", "a second YAML document");
    expect_error("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n", "t.yaml:2:8: ", "alias");

    char deep[400];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "name: ");
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    /* the 64th bracket is at depth 64 below the root mapping: the 65th level is refused */
    expect_error(deep, "t.yaml:1:70: ", "nested too deeply (at most 64 levels)");

    /* A scenario of more than 16 MiB is refused before parsing. */
    size_t big = ((size_t)16 << 20) + 1;
    char *buf = malloc(big);
    assert_non_null(buf);
    memset(buf, '#', big);
    assert_int_equal(sc_load_buffer(keys, &c, "big.yaml", buf, big, NULL, 0, err, sizeof err),
                     SIM_EINPUT);
    assert_non_null(strstr(err, "too large"));
    free(buf);
    /* buffer with no terminating newline and size short of the text */
    assert_int_equal(
        sc_load_buffer(keys, &c, "cut.yaml", "name: tXXX", 7, NULL, 0, err, sizeof err),
        SIM_EINPUT);
    assert_non_null(strstr(err, "missing required key 'platforms'"));
}

static void test_overrides(void **state) {
    (void)state;
    t_cfg c;
    const char *yaml = BASE "  - name: b\nsimulation:\n  seed: 3\n";
    const char *sets[] = {"simulation.seed=7", "platforms[1].commission=15%", "city.width=2km",
                          "title=Hello world", "simulation.trace=true",       "fare=3.10 EUR"};
    assert_int_equal(load_set(&c, yaml, sets, 6), 0);
    assert_int_equal(c.simulation.seed, 7);
    t_platform *p = c.platforms.items;
    assert_true(p[0].commission == 0.25);
    assert_true(p[1].commission == 0.15);
    assert_true(c.city.width == 2000.0);
    assert_string_equal(c.title, "Hello world");
    assert_true(c.simulation.trace);
    assert_int_equal(c.fare, 310);
    sc_free(keys, &c);

    /* the currency an override sets is the one money values must carry */
    const char *cur[] = {"currency=USD"};
    assert_int_equal(load_set(&c, BASE "fare: 1 USD\n", cur, 1), 0);
    sc_free(keys, &c);

    /* each failure says which override and what would be valid, without a file position */
    static const struct {
        const char *set, *msg;
    } bad[] = {
        {"simulation.seed", "--set simulation.seed: expected PATH=VALUE (e.g. simulation.seed=7)"},
        {"simulation.sede=7", "--set simulation.sede=7: unknown key 'simulation.sede' (did you "
                              "mean 'simulation.seed'?)"},
        {"nothing.here=1", "--set nothing.here=1: unknown key 'nothing.here'"},
        {"platforms[1].commission=15%",
         "--set platforms[1].commission=15%: platforms has no element [1] (it has 1: use [0] "
         "to [0])"},
        {"platforms[0].commission=150%",
         "--set platforms[0].commission=150%: 150% is out of range for platforms[0].commission "
         "(allowed: 0% to 100%)"},
        {"simulation.duration=90",
         "--set simulation.duration=90: bad duration '90' for simulation.duration"},
        {"platforms[x].name=a", "--set platforms[x].name=a: bad key path 'platforms[x].name'"},
        {"=3", "--set =3: bad key path ''"},
        {"simulation.seed=[1", "--set simulation.seed=[1: invalid YAML"},
        {"simulation.seed={a: 1}",
         "--set simulation.seed={a: 1}: expected a single value for simulation.seed, found a "
         "mapping"},
        {"simulation.seed=", "--set simulation.seed=: no value for simulation.seed"},
        {"platforms[0].stops[0].at=1h",
         "--set platforms[0].stops[0].at=1h: there is no list 'stops' to change"},
        {"platforms[0].name=*x", "--set platforms[0].name=*x: alias '*x' is not supported"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *one[] = {bad[i].set};
        int rc = load_set(&c, BASE, one, 1);
        if (rc != SIM_EINPUT || strncmp(err, bad[i].msg, strlen(bad[i].msg)) != 0)
            print_error("override %s: got %d: %s\n", bad[i].set, rc, err);
        assert_int_equal(rc, SIM_EINPUT);
        assert_memory_equal(err, bad[i].msg, strlen(bad[i].msg));
        sc_free(keys, &c);
    }
    /* a section the override creates is placed where its parent is in the file */
    static const sc_key req[] = {
        {"s.a", SC_INT, 0, "1", NULL, NULL, NULL, 0, "A", NULL, false},
        {"s.b", SC_INT, 8, NULL, NULL, NULL, NULL, 0, "B", NULL, false},
        {NULL, 0, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, false},
    };
    int64_t ab[2];
    const char *seta[] = {"s.a=2"};
    static const struct {
        const char *yaml, *msg;
    } cases[] = {
        {"# x\n{}\n", "r.yaml:2:1: missing required key 'b' in s (integer)"},
        {"# x\ns: {}\n", "r.yaml:2:4: missing required key 'b' in s (integer)"},
        {"# x\nu: 1\n", "r.yaml:2:1: unknown key 'u' (valid keys: s)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sc_load_buffer(req, ab, "r.yaml", cases[i].yaml, strlen(cases[i].yaml),
                                        seta, 1, err, sizeof err),
                         SIM_EINPUT);
        assert_string_equal(err, cases[i].msg);
    }
    const char *setb[] = {"s.b=5"};
    assert_int_equal(
        sc_load_buffer(req, ab, "r.yaml", "# x\ns: {}\n", 10, setb, 1, err, sizeof err), 0);
    assert_int_equal(ab[0], 1);
    assert_int_equal(ab[1], 5);

    /* a list can be replaced whole, and a section that is a value in the file is no mapping */
    const char *whole[] = {"platforms=[{name: x}, {name: y, commission: 1%}]"};
    assert_int_equal(load_set(&c, BASE, whole, 1), 0);
    assert_int_equal(c.platforms.n, 2);
    assert_string_equal(((t_platform *)c.platforms.items)[1].name, "y");
    sc_free(keys, &c);
    const char *into[] = {"simulation.seed=4"};
    assert_int_equal(load_set(&c, BASE "simulation: 3\n", into, 1), SIM_EINPUT);
    assert_string_equal(err, "--set simulation.seed=4: simulation is a single value in the file, "
                             "not a mapping of keys");
    assert_int_equal(load_set(&c, BASE "simulation:\n", into, 1), 0);
    assert_int_equal(c.simulation.seed, 4);
    sc_free(keys, &c);
}

static void test_free_after_failure(void **state) {
    (void)state;
    /* strings and lists allocated before the error must not leak (LSan checks) */
    t_cfg c;
    const char *yaml = "name: t\ntitle: x\ncity:\n  profile: [1, 2]\nplatforms:\n"
                       "  - name: a\n    stops: [{at: 1s}]\n  - name: b\n    stops: [{at: 1}]\n";
    assert_int_equal(load(&c, yaml), SIM_EINPUT);
    assert_null(c.name);
    assert_null(c.title);
    assert_null(c.platforms.items);
    assert_int_equal(c.platforms.n, 0);
    assert_null(c.city.profile.v);
    sc_free(keys, &c);
    t_cfg z;
    memset(&z, 0, sizeof z);
    sc_free(keys, &z);
}

static void test_check_table(void **state) {
    (void)state;
    assert_int_equal(sc_check_table(keys, err, sizeof err), 0);
    static const struct {
        sc_key k[3];
        const char *msg;
    } bad[] = {
        {{{"a", SC_INT, 0, "5", "0", "3", NULL, 0, "d", NULL, false}}, "5 is out of range for a"},
        {{{"a", SC_INT, 0, "1", "3", "0", NULL, 0, "d", NULL, false}}, "minimum 3 above maximum 0"},
        {{{"a", SC_ENUM, 0, "c", NULL, NULL, "a|b", 0, "d", NULL, false}}, "unknown choice 'c'"},
        {{{"a[].b", SC_INT, 0, "1", NULL, NULL, NULL, 0, "d", NULL, false}}, "no SC_LIST entry 'a'"},
        {{{"a", SC_INT, 0, "1", NULL, NULL, NULL, 0, "d", NULL, false},
          {"a", SC_INT, 8, "1", NULL, NULL, NULL, 0, "d", NULL, false}},
         "duplicate path"},
        {{{"a", SC_DURATION, 0, "90", NULL, NULL, NULL, 0, "d", NULL, false}}, "bad duration '90'"},
        {{{"a", SC_DURATION, 0, "1s", "1 parsec", NULL, NULL, 0, "d", NULL, false}}, "bad duration"},
        {{{"a..b", SC_INT, 0, "1", NULL, NULL, NULL, 0, "d", NULL, false}}, "malformed path"},
        {{{"a", SC_ENUM, 0, "x", NULL, NULL, NULL, 0, "d", NULL, false}}, "needs choices"},
        {{{"a", SC_LIST, 0, "[]", NULL, NULL, NULL, 8, "d", NULL, false},
          {"a[].b", SC_INT, 4, "1", NULL, NULL, NULL, 0, "d", NULL, false}},
         "outside the element"},
        {{{"a", SC_LIST, 0, "[{}]", NULL, NULL, NULL, 8, "d", NULL, false},
          {"a[].b", SC_INT, 0, NULL, NULL, NULL, NULL, 0, "d", NULL, false}},
         "missing required key 'b' in a[0]"},
        {{{"a", SC_INT, 0, "1", NULL, NULL, NULL, 0, "d", NULL, false},
          {"a.b", SC_INT, 8, "1", NULL, NULL, NULL, 0, "d", NULL, false}},
         "is a key and also a section"},
        {{{"a", SC_BOOL, 0, "yes", NULL, NULL, NULL, 0, "d", NULL, false}}, "bad boolean"},
        {{{"a", SC_REAL_LIST, 0, "[1]", "2", NULL, NULL, 0, "d", NULL, false}}, "a has 1 element"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = sc_check_table(bad[i].k, err, sizeof err);
        if (rc != SIM_EINTERNAL || !strstr(err, bad[i].msg))
            print_error("table %zu: got %d: %s\n", i, rc, err);
        assert_int_equal(rc, SIM_EINTERNAL);
        assert_non_null(strstr(err, bad[i].msg));
    }
}

static char *reference(const sc_key *t) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(sc_write_reference(t, f, err, sizeof err), SIM_OK);
    fclose(f);
    return text;
}

static void test_reference(void **state) {
    (void)state;
    char *a = reference(keys);
    char *b = reference(keys);
    assert_string_equal(a, b);
    for (const sc_key *k = keys; k->path; k++) {
        char cellbuf[128];
        snprintf(cellbuf, sizeof cellbuf, "| `%s` |", k->path);
        if (!strstr(a, cellbuf)) print_error("no row for %s in\n%s", k->path, a);
        assert_non_null(strstr(a, cellbuf));
    }
    assert_non_null(strstr(a, "## Top-level keys"));
    assert_non_null(strstr(a, "## `simulation`"));
    assert_non_null(strstr(a, "## `platforms`"));
    assert_non_null(
        strstr(a, "| `simulation.duration` | duration (ms, s, min, h, d) | `1d` | 1ms to 3650d | "
                  "Simulated time |"));
    assert_non_null(strstr(a, "| `name` | text | *required* |"));
    assert_non_null(strstr(a, "Title \\| shown in reports"));
    assert_non_null(strstr(a, "`centralized`, `cooperative`"));
    assert_non_null(strstr(a, "| 1 to 8 elements |"));
    assert_non_null(strstr(a, "| 0% to 100% |"));
    free(a);
    free(b);
}

static void test_files(void **state) {
    (void)state;
    t_cfg c;
    memset(&c, 0, sizeof c);
    assert_int_equal(sc_load_file(keys, &c, COOPSIM_SOURCE_DIR "/tests/data/scenario/good.yaml",
                                  NULL, 0, err, sizeof err),
                     0);
    assert_string_equal(c.name, "fixture");
    assert_int_equal(c.simulation.duration, 7200LL * 1000000);
    assert_int_equal(((t_platform *)c.platforms.items)[0].fee, 30);
    sc_free(keys, &c);

    const char *sets[] = {"simulation.seed=99"};
    assert_int_equal(sc_load_file(keys, &c, COOPSIM_SOURCE_DIR "/tests/data/scenario/good.yaml",
                                  sets, 1, err, sizeof err),
                     0);
    assert_int_equal(c.simulation.seed, 99);
    sc_free(keys, &c);

    assert_int_equal(sc_load_file(keys, &c, "/nonexistent/x.yaml", NULL, 0, err, sizeof err),
                     SIM_EINPUT);
    assert_string_equal(err, "/nonexistent/x.yaml: cannot open: No such file or directory");

    assert_int_equal(
        sc_load_file(keys, &c, COOPSIM_SOURCE_DIR "/tests/data/scenario", NULL, 0, err, sizeof err),
        SIM_EINPUT);
    assert_non_null(strstr(err, "scenario: cannot read: Is a directory"));

    assert_int_equal(sc_load_file(keys, &c, COOPSIM_SOURCE_DIR "/tests/data/scenario/binary.yaml",
                                  NULL, 0, err, sizeof err),
                     SIM_EINPUT);
    assert_non_null(strstr(err, "binary.yaml:2:1: not a text file (NUL byte"));

    assert_int_equal(sc_load_file(keys, &c, COOPSIM_SOURCE_DIR "/tests/data/scenario/empty.yaml",
                                  NULL, 0, err, sizeof err),
                     SIM_EINPUT);
    assert_non_null(strstr(err, "empty.yaml:1:1: empty scenario"));
}

/* Keys that may be left unset: an absent one holds a value no scenario can write. */
typedef struct {
    int64_t at, money;
    double share;
} t_change;

typedef struct {
    sc_list changes;
} t_unset;

static const sc_key unset_keys[] = {
    {"changes", SC_LIST, offsetof(t_unset, changes), "[]", "0", "10", NULL, sizeof(t_change),
     "Changes", NULL, false},
    {"changes[].at", SC_DURATION, offsetof(t_change, at), NULL, "0s", "10d", NULL, 0, "When", NULL, false},
    {"changes[].money", SC_MONEY, offsetof(t_change, money), sc_unset, "0", "100", NULL, 0,
     "Amount", NULL, false},
    {"changes[].share", SC_SHARE, offsetof(t_change, share), sc_unset, NULL, NULL, NULL, 0, "Share",
     NULL, false},
    {NULL},
};

static void test_unset_keys(void **state) {
    (void)state;
    char msg[512];
    assert_int_equal(sc_check_table(unset_keys, msg, sizeof msg), 0);
    t_unset u;
    memset(&u, 0, sizeof u);
    const char *y = "changes:\n  - {at: 1d, share: 5%}\n  - {at: 2d, money: 3.50}\n";
    assert_int_equal(
        sc_load_buffer(unset_keys, &u, "u.yaml", y, strlen(y), NULL, 0, msg, sizeof msg), 0);
    const t_change *c = u.changes.items;
    assert_int_equal(u.changes.n, 2);
    assert_true(c[0].share == 0.05 && c[0].money == SC_UNSET_INT);
    assert_true(isnan(c[1].share) && c[1].money == 350);
    sc_free(unset_keys, &u);
    /* A value given is checked like any other, with its place. */
    memset(&u, 0, sizeof u);
    const char *bad = "changes:\n  - {at: 1d, money: 300}\n";
    assert_int_equal(
        sc_load_buffer(unset_keys, &u, "u.yaml", bad, strlen(bad), NULL, 0, msg, sizeof msg),
        SIM_EINPUT);
    assert_non_null(strstr(msg, "u.yaml:2:"));
    assert_non_null(strstr(msg, "out of range"));
    sc_free(unset_keys, &u);
    /* The reference shows the default as unset. */
    FILE *f = tmpfile();
    assert_int_equal(sc_write_reference(unset_keys, f, msg, sizeof msg), SIM_OK);
    rewind(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "*unset*"));
    /* Only numbers can be unset. */
    static const sc_key wrong[] = {
        {"flag", SC_BOOL, 0, sc_unset, NULL, NULL, NULL, 0, "A flag", NULL, false},
        {NULL},
    };
    assert_int_not_equal(sc_check_table(wrong, msg, sizeof msg), SIM_OK);
}

/* A model's own table, relative to its section, mounted by the program's table: under a list
 * element and at a top-level section, with a list of its own inside. It loads, defaults,
 * frees and documents as if its entries were written in place. */
typedef struct {
    int64_t n;
    sc_list items; /* m_item */
} m_sub;
typedef struct {
    double w;
} m_item;
typedef struct {
    char *name;
    m_sub sub;
} m_elem;
typedef struct {
    m_sub top;
    sc_list list; /* m_elem */
} m_root;

static const sc_key m_sub_keys[] = {
    {.path = "n",
     .type = SC_INT,
     .offset = offsetof(m_sub, n),
     .def = "3",
     .min = "0",
     .max = "9",
     .doc = "N"},
    {.path = "items",
     .type = SC_LIST,
     .offset = offsetof(m_sub, items),
     .def = "[]",
     .elem_size = sizeof(m_item),
     .doc = "Items"},
    {.path = "items[].w", .type = SC_REAL, .offset = offsetof(m_item, w), .def = "1", .doc = "W"},
    {.path = NULL},
};

static const sc_key m_keys[] = {
    {.path = "top", .type = SC_MOUNT, .offset = offsetof(m_root, top), .mount = m_sub_keys},
    {.path = "list",
     .type = SC_LIST,
     .offset = offsetof(m_root, list),
     .def = "[]",
     .elem_size = sizeof(m_elem),
     .doc = "List"},
    {.path = "list[].name", .type = SC_STRING, .offset = offsetof(m_elem, name), .doc = "Name"},
    {.path = "list[].sub", .type = SC_MOUNT, .offset = offsetof(m_elem, sub), .mount = m_sub_keys},
    {.path = NULL},
};

static void test_mount(void **state) {
    (void)state;
    assert_int_equal(sc_check_table(m_keys, err, sizeof err), 0);
    const char *yaml = "top: {n: 5, items: [{w: 2}]}\n"
                       "list:\n  - name: a\n    sub:\n      items: [{w: 7}, {}]\n"
                       "  - name: b\n";
    m_root r;
    memset(&r, 0, sizeof r);
    int rc = sc_load_buffer(m_keys, &r, "m.yaml", yaml, strlen(yaml), NULL, 0, err, sizeof err);
    if (rc) fail_msg("%s", err);
    assert_int_equal(r.top.n, 5);
    assert_int_equal(r.top.items.n, 1);
    assert_true(((m_item *)r.top.items.items)[0].w == 2.0);
    assert_int_equal(r.list.n, 2);
    const m_elem *e = r.list.items;
    assert_string_equal(e[0].name, "a");
    assert_int_equal(e[0].sub.n, 3);
    assert_int_equal(e[0].sub.items.n, 2);
    assert_true(((m_item *)e[0].sub.items.items)[0].w == 7.0);
    assert_true(((m_item *)e[0].sub.items.items)[1].w == 1.0);
    assert_int_equal(e[1].sub.n, 3);
    assert_int_equal(e[1].sub.items.n, 0);
    sc_free(m_keys, &r);
    /* Messages and overrides name the full path. */
    const char *bad = "list:\n  - name: a\n    sub: {n: 12}\n";
    memset(&r, 0, sizeof r);
    assert_int_equal(
        sc_load_buffer(m_keys, &r, "m.yaml", bad, strlen(bad), NULL, 0, err, sizeof err),
        SIM_EINPUT);
    if (!strstr(err, "m.yaml:3:14: ")) fail_msg("%s", err);
    assert_non_null(strstr(err, "list[0].sub.n"));
    const char *set[] = {"list[0].sub.n=4"};
    memset(&r, 0, sizeof r);
    rc = sc_load_buffer(m_keys, &r, "m.yaml", yaml, strlen(yaml), set, 1, err, sizeof err);
    if (rc) fail_msg("%s", err);
    assert_int_equal(((m_elem *)r.list.items)[0].sub.n, 4);
    sc_free(m_keys, &r);
    /* The reference lists the mounted keys under their full paths. */
    char *ref = reference(m_keys);
    assert_non_null(strstr(ref, "`top.n`"));
    assert_non_null(strstr(ref, "`list[].sub.items[].w`"));
    free(ref);
    /* Defaults of the model's own table, as the model itself builds them. */
    m_sub d;
    memset(&d, 0, sizeof d);
    assert_int_equal(sc_defaults(m_sub_keys, "", &d, err, sizeof err), 0);
    assert_int_equal(d.n, 3);
    sc_free(m_sub_keys, &d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_distances_speeds),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_shares),
        cmocka_unit_test(test_money),
        cmocka_unit_test(test_booleans_ints_reals_enums),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_string_lists),
        cmocka_unit_test(test_defaults_of_a_prefix),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_yaml_level_errors),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_free_after_failure),
        cmocka_unit_test(test_check_table),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_unset_keys),
        cmocka_unit_test(test_mount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
