/* The platform's books in a running market: a platform that runs out of cash fails on the day
 * its books say and serves no rider who asks after that; a pay floor the co-op cannot fund is
 * reported as partly paid and never takes cash below zero; money is conserved every day. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMISSION COOPSIM_SOURCE_DIR "/scenarios/teaching/commission.yaml"

/* Platform 0 centralized with fixed costs its commissions cannot cover and a little starting
 * cash; platform 1 a co-op promising a pay floor far above what trips pay. */
static const char *const over[] = {
    "simulation.duration=3d",
    "demand.rate=2000/day",
    "drivers.count=100",
    "platforms[0].costs.fixed_per_day=12000.00",
    "platforms[0].finance.starting_cash=8000.00",
    "platforms[0].finance.credit_limit=500.00",
    "platforms[1].kind=cooperative",
    "platforms[1].coop.dividend_period=1d",
    "platforms[1].coop.pay_floor=60.00",
    "platforms[1].costs.fixed_per_day=100.00",
};

typedef struct run_out {
    coop_scenario sc;
    mkt_world *w[2];
    json_t *s[2];
    FILE *trips[2]; /* trips.csv rows, streamed during the run */
} run_out;

static void load_run(run_out *o) {
    char err[1024];
    memset(o, 0, sizeof *o);
    if (sc_load_file(coop_keys, &o->sc, COMMISSION, over, sizeof over / sizeof *over, err,
                     sizeof err) != 0)
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

static json_t *get(json_t *o, const char *a, const char *b) {
    return json_object_get(json_object_get(o, a), b);
}

static char *table(run_out *o, size_t p, bool books) {
    FILE *f = books ? tmpfile() : o->trips[p];
    assert_non_null(f);
    if (books) assert_int_equal(mkt_write_books_csv(o->w[p], f, false), 0);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    char *buf = calloc((size_t)n + 1, 1);
    assert_non_null(buf);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    if (books) fclose(f);
    return buf;
}

/* Field `col` (0-based, after the leading run column) of a CSV line, as text up to the next
 * comma. */
static const char *field(const char *line, int col) {
    for (int k = 0; k <= col; k++) {
        line = strchr(line, ',');
        assert_non_null(line);
        line++;
    }
    return line;
}

/* Column of cash in books.csv (0-based): platform, day, end_s, 3 flows, 7 cost items,
 * interest, surplus, floor owed, floor paid, dividends, entry fees, deposits forfeited,
 * capital, loans, principal, required return, reserve, then cash. */
#define BOOKS_CASH 25

static void test_insolvent_platform_stops(void **state) {
    (void)state;
    run_out o;
    load_run(&o);
    json_t *fin = json_object_get(o.s[0], "finance");
    assert_true(json_is_true(json_object_get(fin, "failed")));
    int failed = (int)json_integer_value(json_object_get(fin, "failed_day"));
    /* 8000 in; 12000 of fixed costs a day against ~6300 of commissions less ~650 of per-trip
     * costs: cash about 1.6k after day 1, about -4k after day 2, beyond the 500 of credit. */
    assert_int_equal(failed, 2);
    char *books = table(&o, 0, true);
    int day = 0, first_below = 0;
    for (char *line = books; *line; line = strchr(line, '\n') + 1) {
        day++;
        double cash = atof(field(line, BOOKS_CASH));
        if (!first_below && cash < -500.0) first_below = day;
    }
    assert_int_equal(day, 3);
    assert_int_equal(first_below, failed);
    free(books);
    /* No rider who asked after the failing day's close was served; all of them were turned
     * away as platform_closed, and nobody before it was. */
    char *trips = table(&o, 0, false);
    int closed = 0, served_after = 0, closed_before = 0;
    for (char *line = trips; *line; line = strchr(line, '\n') + 1) {
        double t = atof(field(line, 2));
        const char *st = field(line, 3);
        bool is_closed = strncmp(st, "platform_closed,", 16) == 0;
        if (t >= failed * 86400.0) {
            closed += is_closed;
            served_after += strncmp(st, "served,", 7) == 0;
        } else {
            closed_before += is_closed;
        }
    }
    assert_true(closed > 1000);
    assert_int_equal(served_after, 0);
    assert_int_equal(closed_before, 0);
    free(trips);
    for (int p = 0; p < 2; p++)
        assert_true(json_real_value(get(o.s[p], "checks", "money_conservation_error")) == 0.0);
    free_run(&o);
}

static void test_unfunded_floor(void **state) {
    (void)state;
    run_out o;
    load_run(&o);
    json_t *fin = json_object_get(o.s[1], "finance");
    double owed = json_real_value(json_object_get(fin, "pay_floor_owed"));
    double paid = json_real_value(json_object_get(fin, "pay_floor_paid"));
    double funding = json_real_value(json_object_get(fin, "floor_funding"));
    assert_true(owed > 1000.0);
    assert_true(paid > 0.0 && paid < owed);
    assert_true(funding > 0.0 && funding < 1.0);
    assert_true(json_real_value(get(o.s[1], "platform", "pay_floor_owed")) == owed);
    /* The floor is paid from cash on hand: no close ever ends below zero and it never fails. */
    char *books = table(&o, 1, true);
    for (char *line = books; *line; line = strchr(line, '\n') + 1)
        assert_true(atof(field(line, BOOKS_CASH)) >= 0.0);
    free(books);
    assert_true(json_is_false(json_object_get(fin, "failed")));
    assert_true(json_real_value(get(o.s[1], "checks", "money_conservation_error")) == 0.0);
    free_run(&o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insolvent_platform_stops),
        cmocka_unit_test(test_unfunded_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
