/* Welfare (platforms[].welfare): the surplus of riders, drivers and the platform adds up to
 * willingness to pay less the real costs (waiting, vehicles, drivers' outside option, the
 * platform's costs), because every price, pay and fee is a transfer; and the riders' cost of
 * waiting is the one their own waits imply. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"
#include "tests/models/market_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR COOPSIM_SOURCE_DIR "/scenarios/"

/* Money in summary.json is whole cents over 100: equal sums differ by float rounding only. */
static void assert_cents_equal(double a, double b) {
    if (fabs(a - b) > 1e-6 * (1.0 + fabs(a))) fail_msg("%.6f != %.6f", a, b);
}

static void assert_reconciles_entry(json_t *e, bool flagship) {
    double rider = mw_num(e, "welfare", "rider_surplus"),
           driver = mw_num(e, "welfare", "driver_surplus");
    double platform = mw_num(e, "welfare", "platform_surplus");
    assert_cents_equal(rider + driver + platform, mw_num(e, "welfare", "total"));
    /* The identity: prices, pay, dividends, top-ups and fees are transfers between the three. */
    double real = mw_num(e, "welfare", "rider_wtp") - mw_num(e, "welfare", "rider_chain_fees") -
                  mw_num(e, "welfare", "rider_wait_cost") -
                  mw_num(e, "welfare", "driver_vehicle_costs") -
                  mw_num(e, "welfare", "driver_outside_option") -
                  (mw_num(e, "platform", "operating_costs") + mw_num(e, "platform", "chain_fees") +
                   mw_num(e, "platform", "interest"));
    assert_cents_equal(rider + driver + platform, real);
    /* Each part against the books the market already checks. */
    assert_cents_equal(mw_num(e, "welfare", "rider_paid"), mw_num(e, "platform", "gross_bookings"));
    assert_cents_equal(mw_num(e, "welfare", "driver_income"),
                       mw_num(e, "platform", "driver_pay") + mw_num(e, "drivers", "dividends") +
                           mw_num(e, "platform", "pay_floor_topups") -
                           mw_num(e, "platform", "entry_fees"));
    assert_true(mw_num(e, "checks", "money_conservation_error") == 0.0);
    if (flagship && strcmp(json_string_value(json_object_get(e, "kind")), "cooperative") == 0) {
        assert_true(mw_num(e, "welfare", "rider_chain_fees") > 0); /* the flagship co-op's chain */
        assert_true(mw_num(e, "drivers", "dividends") > 0);
        assert_true(mw_num(e, "platform", "pay_floor_topups") > 0);
    }
    assert_true(mw_num(e, "welfare", "rider_wtp") > mw_num(e, "welfare", "rider_paid"));
}

static void assert_reconciles(mkt_world *w) {
    json_t *e = mkt_summary_json(w);
    assert_reconciles_entry(e, true);
    json_decref(e);
}

/* A centralized platform with surge, and the flagship's co-op (dividends, a pay floor, chain
 * fees) with a warm-up that cuts trips in two. */
static void test_welfare_reconciles_with_money(void **state) {
    (void)state;
    coop_scenario a, b;
    mkt_world *w = mw_run(DIR "teaching/surge.yaml", NULL, 0, &a, 1, NULL);
    assert_reconciles(w);
    mkt_free(w);
    /* Small costs and a pay floor above what the trips pay, so that dividends and top-ups are
     * both paid (measured: $8,059 and $2,628 over the window). */
    const char *over[] = {"simulation.warmup=150min",
                          "simulation.duration=3d",
                          "demand.rate=6000 per day",
                          "drivers.count=400",
                          "platforms[1].costs.fixed_per_day=200",
                          "platforms[1].coop.pay_floor=22"};
    w = mw_run(DIR "flagship.yaml", over, 6, &b, 1, NULL);
    assert_reconciles(w);
    mkt_free(w);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

/* Without a warm-up, the served riders' cost of waiting is value_of_time x their waits in
 * trips.csv, within half a cent per rider (each is rounded to the cent); at a value of time of
 * zero, waiting costs nothing and rider surplus is willingness to pay less price. */
static void test_waiting_cost_is_the_riders_own(void **state) {
    (void)state;
    coop_scenario a, b;
    const char *queue[] = {"riders.wait_estimate=average"}; /* some riders give up waiting */
    FILE *f;
    mkt_world *w = mw_run(DIR "teaching/surge.yaml", queue, 1, &a, 0, &f);
    char line[1024];
    double cost = 0;
    long served = 0;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column */
        memmove(line, line + 2, strlen(line + 2) + 1);
        if (!strstr(line, ",served,")) continue;
        const char *p = line;
        for (int k = 0; k < 10; k++)
            p = strchr(p, ',') + 1;
        cost += atof(p) / 3600.0 * (double)a.riders.value_of_time / 100.0;
        served++;
    }
    fclose(f);
    json_t *e = mkt_summary_json(w);
    double served_cost =
        mw_num(e, "welfare", "rider_wait_cost") - mw_num(e, "welfare", "rider_wait_cost_abandoned");
    assert_true(served > 1000);
    assert_true(fabs(served_cost - cost) <= 0.005 * (double)served + 1e-6);
    assert_true(mw_num(e, "welfare", "rider_wait_cost_abandoned") > 0);
    json_decref(e);
    mkt_free(w);
    const char *zero[] = {"riders.value_of_time=0"};
    w = mw_run(DIR "teaching/surge.yaml", zero, 1, &b, 0, NULL);
    e = mkt_summary_json(w);
    assert_true(mw_num(e, "welfare", "rider_wait_cost") == 0.0);
    assert_cents_equal(mw_num(e, "welfare", "rider_surplus"),
                       mw_num(e, "welfare", "rider_wtp") - mw_num(e, "welfare", "rider_paid"));
    json_decref(e);
    mkt_free(w);
    sc_free(coop_keys, &a);
    sc_free(coop_keys, &b);
}

static double field(const json_t *o, const char *key) {
    const json_t *v = json_object_get(o, key);
    if (!json_is_number(v)) fail_msg("%s is not a number", key);
    return json_number_value(v);
}

/* A shared city: launch.yaml's incumbent and co-op for 3 days with a smaller city, one wage for
 * every driver. Each platform's welfare still reconciles with its own money; the riders' surplus
 * of `competition` is the platforms' (a rider refused by one app and carried by another counts
 * once, on the second); drivers' surplus there is income less vehicle costs less the outside
 * option on hours counted once per driver: equal to welfare's for single-homers, larger for
 * multi-homers, whose idle hour welfare counts on each app. */
static void shared_city(bool multihoming) {
    coop_scenario sc;
    const char *over[] = {"simulation.duration=3d",
                          "simulation.replications=1",
                          "demand.rate=4000/day",
                          "drivers.count=300",
                          "drivers.reservation_sigma=0",
                          "riders.population=3000",
                          "riders.switching_cost=2.00",
                          "platforms[1].market.awareness=40%",
                          "platforms[1].market.registered=40%",
                          "platforms[1].coop.dividend_period=1d",
                          multihoming ? "drivers.multihoming=true" : "drivers.multihoming=false"};
    char err[1024];
    memset(&sc, 0, sizeof sc);
    if (sc_load_file(coop_keys, &sc, DIR "launch.yaml", over, sizeof over / sizeof *over, err,
                     sizeof err) != 0)
        fail_msg("%s", err);
    mkt_market *m = mkt_market_new(&sc, 0, err, sizeof err);
    if (!m) fail_msg("%s", err);
    assert_int_equal(mkt_market_run(m, err, sizeof err), 0);
    json_t *c = mkt_competition_json(m);
    double riders = 0, drivers = 0, outside = 0, comp_outside = 0, online = 0, hours = 0;
    double wage = (double)sc.drivers.reservation_wage / 100.0, largest = 0;
    for (size_t i = 0; i < 2; i++) {
        json_t *e = mkt_summary_json(mkt_market_world(m, i));
        const json_t *cp = json_array_get(json_object_get(c, "platforms"), i);
        assert_reconciles_entry(e, false);
        assert_cents_equal(field(cp, "rider_surplus"), mw_num(e, "welfare", "rider_surplus"));
        /* cost_per_hour is 0: vehicle costs are by the km, the same in both */
        double drv = field(cp, "driver_surplus"), out = field(cp, "driver_outside_option");
        double n_drv = (double)sc.drivers.count;
        double d = drv - (mw_num(e, "welfare", "driver_income") -
                          mw_num(e, "welfare", "driver_vehicle_costs") - out);
        assert_true(fabs(d) <= 0.01 * n_drv); /* each driver's cost rounded to the cent */
        assert_true(fabs(out - wage * field(cp, "driver_hours")) <= 0.01 * n_drv);
        if (!multihoming) {
            assert_true(fabs(drv - mw_num(e, "welfare", "driver_surplus")) <= 0.01 * n_drv);
            assert_true(fabs(out - mw_num(e, "welfare", "driver_outside_option")) <= 0.01 * n_drv);
        }
        riders += field(cp, "rider_surplus");
        drivers += drv;
        outside += mw_num(e, "welfare", "driver_outside_option");
        comp_outside += out;
        double h = mw_num(e, "drivers", "online_hours");
        online += h;
        largest = h > largest ? h : largest;
        hours += field(cp, "driver_hours");
        json_decref(e);
    }
    assert_cents_equal(field(c, "rider_surplus"), riders);
    assert_cents_equal(field(c, "driver_surplus"), drivers);
    assert_true(riders > 0);
    if (multihoming) {
        /* welfare counts a multi-homer's shared idle hour on each app */
        assert_true(comp_outside < outside - 100.0);
        assert_true(hours < online - 10.0 && hours >= largest);
    } else {
        assert_true(fabs(hours - online) < 1e-6 * online);
    }
    json_decref(c);
    mkt_market_free(m);
    sc_free(coop_keys, &sc);
}

static void test_surplus_in_a_shared_city(void **state) {
    (void)state;
    shared_city(true);
    shared_city(false);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_welfare_reconciles_with_money),
        cmocka_unit_test(test_waiting_cost_is_the_riders_own),
        cmocka_unit_test(test_surplus_in_a_shared_city),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
