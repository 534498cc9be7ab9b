/* The warm-up (simulation.warmup): every metric covers the window after it. Checked against
 * independent runs: the first W of a run is the whole of a run of length W, so a window
 * figure must equal the whole run's less that shorter run's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMISSION COOPSIM_SOURCE_DIR "/scenarios/teaching/commission.yaml"

/* Platform 0 centralized with a growth phase (subsidies) across the warm-up and fixed costs;
 * platform 1 a co-op with 5 h periods (dividends, pay floor, entry fee, fixed costs), so that
 * money moves at period ends on both sides of a 7 h warm-up. */
static const char *const base_over[] = {
    "platforms[0].growth.until=9h",           "platforms[0].costs.fixed_per_day=700.00",
    "platforms[1].kind=cooperative",          "platforms[1].coop.dividend_period=5h",
    "platforms[1].coop.pay_floor=25.00",      "platforms[1].coop.entry_fee=5.00",
    "platforms[1].costs.fixed_per_day=500.00"};
#define N_BASE (sizeof base_over / sizeof *base_over)

typedef struct run_out {
    coop_scenario sc;
    mkt_world *w[2];
    json_t *s[2];
    FILE *trips[2]; /* trips.csv rows, streamed during the run */
} run_out;

static void load_run(run_out *o, const char *duration, const char *warmup) {
    const char *over[N_BASE + 2];
    char d[64], wu[64];
    memcpy(over, base_over, sizeof base_over);
    snprintf(d, sizeof d, "simulation.duration=%s", duration);
    snprintf(wu, sizeof wu, "simulation.warmup=%s", warmup);
    over[N_BASE] = d;
    over[N_BASE + 1] = wu;
    char err[1024];
    memset(o, 0, sizeof *o);
    if (sc_load_file(coop_keys, &o->sc, COMMISSION, over, N_BASE + 2, err, sizeof err) != 0)
        fail_msg("%s", err);
    for (size_t p = 0; p < 2; p++) {
        o->w[p] = mkt_new(&o->sc, p, 0, err, sizeof err);
        if (!o->w[p]) fail_msg("%s", err);
        o->trips[p] = tmpfile();
        assert_non_null(o->trips[p]);
        assert_int_equal(mkt_stream_trips_csv(o->w[p], o->trips[p], false), 0);
        assert_int_equal(mkt_run(o->w[p], err, sizeof err), 0);
        o->s[p] = mkt_summary_json(o->w[p]);
    }
}

static void free_run(run_out *o) {
    for (size_t p = 0; p < 2; p++) {
        json_decref(o->s[p]);
        mkt_free(o->w[p]);
        fclose(o->trips[p]);
    }
    sc_free(coop_keys, &o->sc);
}

static double num(json_t *o, const char *section, const char *key) {
    json_t *v = json_object_get(json_object_get(o, section), key);
    if (!json_is_number(v)) fail_msg("%s.%s is not a number", section, key);
    return json_number_value(v);
}

/* A table of platform p (0 drivers, 1 hourly, 2 trips as streamed), without header, as a string. */
static char *table(run_out *o, size_t p, int which) {
    FILE *f = which == 2 ? o->trips[p] : tmpfile();
    assert_non_null(f);
    int rc = which == 0   ? mkt_write_drivers_csv(o->w[p], f, false)
             : which == 1 ? mkt_write_hourly_csv(o->w[p], f, false)
                          : 0;
    assert_int_equal(rc, 0);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    assert_true(n >= 0);
    char *buf = calloc((size_t)n + 1, 1);
    assert_non_null(buf);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    if (which != 2) fclose(f);
    return buf;
}

/* Field `col` (0-based, after the leading run column) of a CSV line. */
static double field(const char *line, int col) {
    for (int k = 0; k <= col; k++) {
        line = strchr(line, ',');
        assert_non_null(line);
        line++;
    }
    return atof(line);
}

/* Sum of column `col` over the rows of a table. */
static double column_sum(const char *csv, int col) {
    double sum = 0;
    for (const char *l = csv; *l; l = strchr(l, '\n') + 1)
        sum += field(l, col);
    return sum;
}

static void test_books_balance_over_window(void **state) {
    (void)state;
    run_out b;
    load_run(&b, "1d", "7h");
    for (size_t p = 0; p < 2; p++) {
        json_t *c = json_object_get(json_object_get(b.s[p], "checks"), "money_conservation_error");
        assert_true(json_is_number(c) && json_number_value(c) == 0.0);
        mkt_money m;
        mkt_money_sums(b.w[p], &m);
        assert_true(m.rider_payments > 0);
        assert_int_equal(m.rider_payments, m.driver_pay + m.revenue - m.subsidies);
        assert_true(fabs(num(b.s[p], "platform", "gross_bookings") -
                         (double)m.rider_payments / 100.0) < 0.005);
    }
    /* Money did move on both sides of the warm-up: subsidies until 9 h, co-op period ends at
     * 5 h (inside the warm-up), 10, 15, 20 and 24 h. */
    assert_true(num(b.s[0], "platform", "subsidies") > 0);
    assert_true(num(b.s[1], "drivers", "dividends") > 0);
    /* drivers.csv holds the same window: its dividends and online hours add up to the summary. */
    char *drv = table(&b, 1, 0);
    assert_true(fabs(column_sum(drv, 9) - num(b.s[1], "drivers", "dividends")) < 0.01);
    assert_true(fabs(column_sum(drv, 2) - num(b.s[1], "drivers", "online_hours")) < 0.05);
    free(drv);
    free_run(&b);
}

static void test_window_is_whole_run_less_warmup(void **state) {
    (void)state;
    run_out a, b, c;
    load_run(&a, "1d", "0s"); /* whole run */
    load_run(&b, "1d", "7h"); /* measured from 7 h */
    load_run(&c, "7h", "0s"); /* the first 7 h alone */
    for (size_t p = 0; p < 2; p++) {
        /* The warm-up changes nothing in the world. */
        assert_true(mkt_request_hash(a.w[p]) == mkt_request_hash(b.w[p]));
        double hb = num(b.s[p], "drivers", "online_hours");
        assert_true(hb > 0 && hb < num(a.s[p], "drivers", "online_hours"));
        assert_true(fabs(num(a.s[p], "drivers", "online_hours") -
                         num(c.s[p], "drivers", "online_hours") - hb) < 1e-6);
        /* Trips per driver (drivers.csv column 3) and trip money, counted at drop-off. */
        char *da = table(&a, p, 0), *db = table(&b, p, 0), *dc = table(&c, p, 0);
        assert_true(fabs(column_sum(da, 3) - column_sum(dc, 3) - column_sum(db, 3)) < 0.5);
        free(da);
        free(db);
        free(dc);
        const char *keys[] = {"gross_bookings", "driver_pay", "revenue", "subsidies"};
        for (size_t k = 0; k < 4; k++)
            assert_true(fabs(num(a.s[p], "platform", keys[k]) - num(c.s[p], "platform", keys[k]) -
                             num(b.s[p], "platform", keys[k])) < 0.005);
    }
    /* Fixed costs by accrual: the window bears its own 17 h (the centralized platform has no
     * period end inside the day; the co-op's sub-cent carry may move one cent). */
    for (size_t p = 0; p < 2; p++)
        assert_true(fabs(num(a.s[p], "platform", "operating_costs") -
                         num(c.s[p], "platform", "operating_costs") -
                         num(b.s[p], "platform", "operating_costs")) < (p ? 0.015 : 0.005));
    /* The co-op reserve: its change over the window, and the same balance at the end. */
    assert_true(num(a.s[1], "platform", "reserve") == num(a.s[1], "platform", "reserve_end"));
    assert_true(num(b.s[1], "platform", "reserve_end") == num(a.s[1], "platform", "reserve_end"));
    assert_true(num(b.s[1], "platform", "reserve") != num(b.s[1], "platform", "reserve_end"));
    assert_true(fabs(num(a.s[0], "platform", "extraction") - num(c.s[0], "platform", "extraction") -
                     num(b.s[0], "platform", "extraction")) < 0.005);
    free_run(&a);
    free_run(&b);
    free_run(&c);
}

static void test_tables_leave_out_warmup(void **state) {
    (void)state;
    run_out a, b;
    load_run(&a, "1d", "0s");
    load_run(&b, "1d", "7h");
    for (size_t p = 0; p < 2; p++) {
        /* hourly.csv: hours 7 to 23 only. */
        char *hb = table(&b, p, 1), *ha = table(&a, p, 1);
        size_t rows = 0;
        for (const char *l = hb; *l; l = strchr(l, '\n') + 1, rows++)
            assert_true(field(l, 1) >= 7);
        assert_int_equal(rows, 17);
        /* ... and those rows are the whole run's rows for the same hours. */
        const char *from = ha;
        for (int h = 0; h < 7; h++)
            from = strchr(from, '\n') + 1;
        assert_string_equal(hb, from);
        free(hb);
        free(ha);
        /* trips.csv: exactly the whole run's rows for requests made from 7 h on. */
        char *ta = table(&a, p, 2), *tb = table(&b, p, 2);
        size_t la = strlen(ta), off = 0;
        char *kept = calloc(la + 1, 1);
        assert_non_null(kept);
        for (const char *l = ta; *l;) {
            const char *e = strchr(l, '\n') + 1;
            if (field(l, 2) >= 7 * 3600.0) {
                memcpy(kept + off, l, (size_t)(e - l));
                off += (size_t)(e - l);
            }
            l = e;
        }
        assert_true(off > 0 && off < la);
        assert_string_equal(tb, kept);
        size_t trips = 0;
        for (const char *l = tb; *l; l = strchr(l, '\n') + 1)
            trips++;
        assert_int_equal((long)trips, (long)num(b.s[p], "riders", "requests"));
        free(kept);
        free(ta);
        free(tb);
    }
    free_run(&a);
    free_run(&b);
}

static void test_deterministic(void **state) {
    (void)state;
    run_out x, y;
    load_run(&x, "1d", "7h");
    load_run(&y, "1d", "7h");
    for (size_t p = 0; p < 2; p++) {
        char *jx = json_dumps(x.s[p], JSON_SORT_KEYS), *jy = json_dumps(y.s[p], JSON_SORT_KEYS);
        assert_string_equal(jx, jy);
        free(jx);
        free(jy);
        for (int t = 0; t < 3; t++) {
            char *tx = table(&x, p, t), *ty = table(&y, p, t);
            assert_string_equal(tx, ty);
            free(tx);
            free(ty);
        }
    }
    free_run(&x);
    free_run(&y);
}

/* A warm-up as long as the run leaves nothing to measure, and nothing breaks. */
static void test_warmup_covers_run(void **state) {
    (void)state;
    run_out b;
    load_run(&b, "6h", "6h");
    for (size_t p = 0; p < 2; p++) {
        assert_true(num(b.s[p], "riders", "requests") == 0);
        assert_true(num(b.s[p], "drivers", "count") == 0);
        assert_true(num(b.s[p], "drivers", "online_hours") == 0);
        assert_true(num(b.s[p], "platform", "gross_bookings") == 0);
        assert_true(num(b.s[p], "platform", "operating_costs") == 0);
        assert_true(num(b.s[p], "checks", "money_conservation_error") == 0);
        char *h = table(&b, p, 1), *t = table(&b, p, 2);
        assert_string_equal(h, "");
        assert_string_equal(t, "");
        free(h);
        free(t);
    }
    free_run(&b);
}

/* Ride payments on a chain: submitted at drop-off, so the window's count is the whole run's
 * less the first hours'; the chain's own metrics stay whole-run. */
static const char chain_yaml[] = "name: chain-warmup\n"
                                 "simulation: {seed: 2, duration: 6h}\n"
                                 "city: {width: 6km, height: 6km}\n"
                                 "demand: {rate: 1200/day}\n"
                                 "drivers: {count: 60, participation: false, shift_mean: 8h}\n"
                                 "platforms:\n"
                                 "  - name: on-chain\n"
                                 "    kind: cooperative\n"
                                 "    ledger:\n"
                                 "      kind: chain\n"
                                 "      consensus: poa\n"
                                 "      nodes: 12\n"
                                 "      validators: 4\n"
                                 "      interval: 30s\n"
                                 "      rewards: {enabled: true, per_km: 10}\n";

static json_t *chain_run(const char *duration, const char *warmup) {
    char d[64], wu[64], err[1024];
    snprintf(d, sizeof d, "simulation.duration=%s", duration);
    snprintf(wu, sizeof wu, "simulation.warmup=%s", warmup);
    const char *over[] = {d, wu};
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    if (sc_load_buffer(coop_keys, &sc, "chain-warmup", chain_yaml, sizeof chain_yaml - 1, over, 2,
                       err, sizeof err) != 0)
        fail_msg("%s", err);
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    json_t *s = mkt_summary_json(w);
    mkt_free(w);
    sc_free(coop_keys, &sc);
    return s;
}

static void test_chain_settlement_window(void **state) {
    (void)state;
    json_t *a = chain_run("6h", "0s"), *b = chain_run("6h", "2h"), *c = chain_run("2h", "0s");
    const char *keys[] = {"ride_payments", "movement_rewards", "rider_fees"};
    for (size_t k = 0; k < 3; k++) {
        double va = num(a, "settlement", keys[k]), vb = num(b, "settlement", keys[k]),
               vc = num(c, "settlement", keys[k]);
        assert_true(vb > 0 && vb < va);
        assert_true(fabs(va - vc - vb) < 0.005);
    }
    assert_true(num(b, "checks", "money_conservation_error") == 0);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_books_balance_over_window),
        cmocka_unit_test(test_window_is_whole_run_less_warmup),
        cmocka_unit_test(test_tables_leave_out_warmup),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_warmup_covers_run),
        cmocka_unit_test(test_chain_settlement_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
