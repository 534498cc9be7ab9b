/* The ETA in the quote (models/market/eta.h): a rider who books while an idle driver is near is
 * picked up exactly when the quote said; a rider shown an ETA longer than their patience does
 * not book; a queue has no ETA. */
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

#define SURGE COOPSIM_SOURCE_DIR "/scenarios/teaching/surge.yaml"

/* Runs the scenario; trips.csv (with its header) streams to *trips unless trips is NULL. */
static mkt_world *run(const char *const *over, size_t n, coop_scenario *sc, size_t platform,
                      FILE **trips) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    if (sc_load_file(coop_keys, sc, SURGE, over, n, err, sizeof err) != 0) fail_msg("%s", err);
    mkt_world *w = mkt_new(sc, platform, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    if (trips) {
        *trips = tmpfile();
        assert_non_null(*trips);
        assert_int_equal(mkt_stream_trips_csv(w, *trips, true), 0);
    }
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    return w;
}

/* One trips.csv row: the fields this test reads. */
typedef struct row {
    char status[32];
    double wait_s, eta_s; /* NAN when empty */
} row;

static double field(const char *line, int k) {
    const char *p = line;
    for (int i = 0; i < k && p; i++) {
        p = strchr(p, ',');
        if (p) p++;
    }
    if (!p || *p == ',' || *p == '\n' || *p == '\0') return NAN;
    return atof(p);
}

/* Every row of the trips.csv streamed to f (n rows in *n), closing f; the caller frees. */
static row *trips(FILE *f, size_t *n) {
    rewind(f);
    char line[1024];
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(strstr(line, ",eta_s"));
    size_t cap = 1024;
    row *rows = malloc(cap * sizeof *rows);
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        if (*n == cap) rows = realloc(rows, (cap *= 2) * sizeof *rows);
        assert_non_null(rows);
        row *r = &rows[(*n)++];
        assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column */
        memmove(line, line + 2, strlen(line + 2) + 1);
        const char *s = strchr(strchr(strchr(line, ',') + 1, ',') + 1, ',') + 1;
        size_t len = strcspn(s, ",");
        assert_true(len < sizeof r->status);
        memcpy(r->status, s, len);
        r->status[len] = '\0';
        r->wait_s = field(line, 10);
        r->eta_s = field(line, 18);
    }
    fclose(f);
    return rows;
}

/* With no declines, a rider who books while an idle driver is within reach is matched at once to
 * that nearest driver, so the wait is the ETA to the millisecond; with none near, the quote shows
 * the farthest dispatch (response time + max_pickup: 15 s + 15 min). */
static void test_eta_is_the_wait_when_a_driver_is_near(void **state) {
    (void)state;
    coop_scenario sc;
    const char *over[] = {"riders.wait_estimate=eta", "drivers.decline=0"};
    FILE *tf;
    mkt_world *w = run(over, 2, &sc, 0, &tf);
    size_t n, near = 0, exact = 0, far = 0;
    row *rows = trips(tf, &n);
    double none = 15.0 + 900.0;
    for (size_t i = 0; i < n; i++) {
        assert_false(isnan(rows[i].eta_s));
        assert_true(rows[i].eta_s >= 15.0 && rows[i].eta_s <= none + 1e-3);
        if (strcmp(rows[i].status, "served") != 0) continue;
        if (rows[i].eta_s < none - 1e-3) {
            near++;
            exact += fabs(rows[i].wait_s - rows[i].eta_s) < 2e-3;
        } else {
            far++;
        }
    }
    assert_true(near > 1000);
    assert_int_equal(exact, near);
    assert_true(far > 0); /* the evening peak leaves riders with no driver near */
    free(rows);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

/* Riders who would wait at most 4 minutes, shown the ETA, never book a longer one: every rider
 * served was quoted at most 4 minutes; with the running average instead they book and some
 * abandon. */
static void test_impatient_riders_do_not_book_long_etas(void **state) {
    (void)state;
    coop_scenario a, b;
    const char *eta[] = {"riders.wait_estimate=eta", "riders.patience=fixed",
                         "riders.patience_mean=4min"};
    const char *avg[] = {"riders.wait_estimate=average", "riders.patience=fixed",
                         "riders.patience_mean=4min"};
    FILE *tf;
    mkt_world *we = run(eta, 3, &a, 0, &tf), *wa = run(avg, 3, &b, 0, NULL);
    size_t n;
    row *rows = trips(tf, &n);
    size_t served = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].status, "served") != 0) continue;
        served++;
        assert_true(rows[i].eta_s <= 240.0 + 1e-3);
    }
    assert_true(served > 1000);
    free(rows);
    mkt_rider_stats re, ra;
    mkt_rider_summary(we, &re);
    mkt_rider_summary(wa, &ra);
    assert_int_equal(re.requests, ra.requests); /* common random numbers */
    assert_true(re.refused_quote > ra.refused_quote);
    assert_true(re.abandoned < ra.abandoned);
    mkt_free(we);
    mkt_free(wa);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

/* A queue has no drivers near the rider: eta is refused there with the key's position. */
static void test_eta_needs_the_spatial_market(void **state) {
    (void)state;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    const char *over[] = {"riders.wait_estimate=eta", "market.mode=queue"};
    assert_int_equal(sc_load_file(coop_keys, &sc, SURGE, over, 2, err, sizeof err), 0);
    assert_int_equal(coop_check(&sc, NULL, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, "wait_estimate"));
    assert_non_null(strstr(err, "spatial"));
    sc_free(coop_keys, &sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eta_is_the_wait_when_a_driver_is_near),
        cmocka_unit_test(test_impatient_riders_do_not_book_long_etas),
        cmocka_unit_test(test_eta_needs_the_spatial_market),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
