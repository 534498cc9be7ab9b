/* Tests of the platform's books on hand-checked cases: the pay floor owed and paid from cash on
 * hand, itemised costs, capital, interest, loan repayment, insolvency, extraction for both
 * kinds, and conservation of cash and debt at every day close over random days. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/platform/platform.h"

#include <gsl/gsl_rng.h>
#include <string.h>

static plat_config flat(plat_kind kind, int64_t cents) {
    plat_config c;
    plat_config_defaults(&c, kind);
    c.base_fare = cents;
    c.per_km = c.per_min = c.min_fare = 0;
    c.cost_per_trip = 0;
    return c;
}

/* Floor 20.00/h; d0 online 1h earned 9.00, d1 online 2h earned 18.00: owed 11.00 and 22.00;
 * 10% commission, whole surplus (300) to the reserve. */
static plat *floor_case(const plat_config *base) {
    plat_config c = *base;
    c.commission = 0.10;
    c.reserve_share = 1.0;
    c.pay_floor_per_hour = 2000;
    plat *p = plat_new(&c, 2, 1);
    assert_true(plat_admit_driver(p, 0, 0));
    assert_true(plat_admit_driver(p, 1, 0));
    plat_quote q = plat_quote_trip(p, 0, 0, 0, 0);
    plat_quote q2 = {.rider_price = 2000, .driver_pay = 1800, .revenue = 200, .surge = 1.0};
    plat_record_trip(p, 0, &q);
    plat_record_trip(p, 1, &q2);
    plat_record_online(p, 0, SIM_HOUR);
    plat_record_online(p, 1, 2 * SIM_HOUR);
    plat_end_period(p, SIM_DAY);
    assert_int_equal(plat_close_day(p, SIM_DAY), 0);
    return p;
}

static void test_floor_owed_and_paid(void **state) {
    (void)state;
    /* Cash on hand 300 of 3300 owed: 100 and 200 paid, funding 300/3300 < 1; cash never below 0. */
    plat_config c = flat(PLAT_COOPERATIVE, 1000);
    plat *p = floor_case(&c);
    plat_totals t;
    plat_get_totals(p, &t);
    assert_int_equal(t.pay_floor_owed, 3300);
    assert_int_equal(t.pay_floor_topups, 300);
    assert_int_equal(plat_driver_floor_owed(p, 0), 1100);
    assert_int_equal(plat_driver_floor_owed(p, 1), 2200);
    assert_int_equal(plat_driver_topups(p, 0), 100);
    assert_int_equal(plat_driver_topups(p, 1), 200);
    assert_int_equal(t.cash, 0);
    assert_true(plat_open(p));
    const plat_day *d = plat_get_day(p, 0);
    assert_non_null(d);
    assert_int_equal(d->floor_owed, 3300);
    assert_int_equal(d->floor_paid, 300);
    assert_int_equal(plat_conservation_error(p), 0);
    plat_free(p);

    /* Starting cash pays the floor in full although the reserve cannot: cash on hand is what
     * counts; the reserve (members' retained surplus) goes negative by what it could not fund. */
    c.starting_cash = 5000;
    p = floor_case(&c);
    plat_get_totals(p, &t);
    assert_int_equal(t.pay_floor_topups, 3300);
    assert_int_equal(t.cash, 5000 + 300 - 3300);
    assert_int_equal(t.reserve, 300 - 3300);
    assert_int_equal(plat_conservation_error(p), 0);
    plat_free(p);
}

static void test_cost_items(void **state) {
    (void)state;
    plat_config c = flat(PLAT_CENTRALIZED, 2000);
    c.payment_share = 0.029;
    c.payment_per_trip = 30;
    c.insurance_per_km = 25;
    c.insurance_per_hour = 10;
    c.cost_per_trip = 40;
    c.acquisition_per_driver = 5000;
    c.fixed_cost_per_day = 2400;
    c.validators_per_day = 1200;
    plat *p = plat_new(&c, 2, 1);
    assert_true(plat_admit_driver(p, 0, 0));
    assert_true(plat_admit_driver(p, 0, 0)); /* admitted once: one acquisition */
    plat_quote q = plat_quote_trip(p, 0, 0, 7030.0, 0);
    assert_int_equal(q.metres, 7030);
    plat_record_trip(p, 0, &q);
    plat_record_online(p, 0, 90 * SIM_MIN); /* 15.0 cents */
    plat_record_online(p, 0, 3 * SIM_MIN);  /* 0.5: carried */
    plat_record_online(p, 0, 3 * SIM_MIN);  /* 0.5 + 0.5: one cent */
    plat_record_chain_fee(p, 7);
    plat_close_day(p, SIM_DAY / 2);
    plat_totals t;
    plat_get_totals(p, &t);
    assert_int_equal(t.costs[PLAT_COST_PAYMENT], 58 + 30);    /* 2.9% of 20.00 = 58 */
    assert_int_equal(t.costs[PLAT_COST_INSURANCE], 176 + 16); /* 7.03 km x 25 = 175.75 */
    assert_int_equal(t.costs[PLAT_COST_SUPPORT], 40);
    assert_int_equal(t.costs[PLAT_COST_ACQUISITION], 5000);
    assert_int_equal(t.costs[PLAT_COST_APP], 1200);
    assert_int_equal(t.costs[PLAT_COST_VALIDATORS], 600);
    assert_int_equal(t.costs[PLAT_COST_CHAIN_FEES], 7);
    assert_int_equal(t.operating_costs, 88 + 192 + 40 + 5000 + 1200 + 600);
    assert_int_equal(t.profit, 500 - t.operating_costs - 7);
    assert_int_equal(t.cash, t.profit);
    assert_int_equal(plat_conservation_error(p), 0);
    plat_free(p);
}

static void test_loan_interest_and_repayment(void **state) {
    (void)state;
    /* 3650.00 at 10%/year over 10 days: principal 365.00 a day; interest on the outstanding
     * principal, 1.00 on day one (3650.00 x 10% / 365), 0.90 on day two. */
    plat_config c = flat(PLAT_COOPERATIVE, 1000);
    c.loan_amount = 365000;
    c.loan_rate = 0.10;
    c.loan_term = 10 * SIM_DAY;
    c.dividend_period = SIM_DAY;
    plat *p = plat_new(&c, 1, 1);
    plat_totals t;
    for (int day = 1; day <= 12; day++) {
        plat_end_period(p, day * SIM_DAY);
        assert_int_equal(plat_close_day(p, day * SIM_DAY), 0);
        plat_get_totals(p, &t);
        if (day == 1) {
            assert_int_equal(t.interest, 100);
            assert_int_equal(t.debt, 365000 - 36500);
        }
        if (day == 2) assert_int_equal(t.interest, 100 + 90);
        assert_int_equal(plat_conservation_error(p), 0);
    }
    /* 1.00 + 0.90 + ... + 0.10 = 5.50 of interest in all, the principal repaid in 10 days. */
    assert_int_equal(t.interest, 550);
    assert_int_equal(t.debt, 0);
    assert_int_equal(t.principal_repaid, 365000);
    assert_int_equal(t.cash, 365000 - 365000 - 550);
    /* interest is a cost of the co-op: a deficit of its members' reserve */
    assert_int_equal(t.reserve, -550);
    /* -5.50 with no credit: it failed on day 10, when the last instalment left cash below 0 */
    assert_false(plat_open(p));
    assert_int_equal(t.failed_day, 10);
    plat_free(p);
}

static void test_revenue_share_note(void **state) {
    (void)state;
    /* A 100.00 note at 10% of revenue, capped at 1.5x: revenue 50.00 a day pays 5.00 a day for
     * 30 days, each payment two thirds principal and one third return (counted as interest). */
    plat_config c = flat(PLAT_CENTRALIZED, 1000);
    c.commission = 0.5;
    c.note_amount = 10000;
    c.note_share = 0.10;
    c.note_cap = 1.5;
    plat *p = plat_new(&c, 1, 1);
    plat_admit_driver(p, 0, 0);
    plat_quote q = plat_quote_trip(p, 0, 0, 0, 0);
    plat_totals t;
    for (int day = 1; day <= 31; day++) {
        for (int k = 0; k < 10; k++)
            plat_record_trip(p, 0, &q);
        plat_close_day(p, day * SIM_DAY);
        plat_get_totals(p, &t);
        if (day == 1) {
            assert_int_equal(t.principal_repaid, 333); /* floor(500 x 2/3) */
            assert_int_equal(t.interest, 167);
            assert_int_equal(t.debt, 10000 - 333);
        }
        assert_int_equal(plat_conservation_error(p), 0);
    }
    assert_int_equal(t.loans_drawn, 10000);
    assert_int_equal(t.principal_repaid, 10000);
    assert_int_equal(t.interest, 5000);
    assert_int_equal(t.debt, 0);
    assert_int_equal(plat_get_day(p, 30)->principal_repaid, 0); /* day 31: nothing left */
    assert_int_equal(t.cash, 10000 + 31 * 5000 - 15000);
    plat_free(p);
}

static void test_floor_indexed_to_utilization(void **state) {
    (void)state;
    /* Floor 20.00/h indexed to a 50% reference: 2 h online with 30 min of trips is guaranteed
     * 20.00 x 0.5 h / 0.5 = 20.00 (the plain floor: 40.00); trip pay 9.00, owed 11.00. */
    plat_config c = flat(PLAT_COOPERATIVE, 1000);
    c.commission = 0.10;
    c.pay_floor_per_hour = 2000;
    c.pay_floor_index = PLAT_FLOOR_UTILIZATION;
    c.pay_floor_utilization = 0.5;
    c.starting_cash = 100000;
    plat *p = plat_new(&c, 1, 1);
    plat_admit_driver(p, 0, 0);
    plat_quote q = plat_quote_trip(p, 0, 0, 0, 30 * SIM_MIN);
    assert_int_equal(q.duration, 30 * SIM_MIN);
    plat_record_trip(p, 0, &q);
    plat_record_online(p, 0, 2 * SIM_HOUR);
    plat_end_period(p, SIM_DAY);
    assert_int_equal(plat_driver_floor_owed(p, 0), 1100);
    assert_int_equal(plat_driver_topups(p, 0), 1100);
    /* The same period under the plain floor owes 40.00 - 9.00. */
    c.pay_floor_index = PLAT_FLOOR_ONLINE;
    plat_set_rules(p, &c);
    plat_record_trip(p, 0, &q);
    plat_record_online(p, 0, 2 * SIM_HOUR);
    plat_end_period(p, 2 * SIM_DAY);
    assert_int_equal(plat_driver_floor_owed(p, 0), 1100 + 3100);
    assert_int_equal(plat_conservation_error(p), 0);
    plat_free(p);
}

static void test_insolvency_day(void **state) {
    (void)state;
    /* 100.00 a day of fixed costs, 250.00 starting cash, 120.00 credit: cash at the closes is
     * 150, 50, -50, -150 (beyond -120: failed on day 4). */
    plat_config c = flat(PLAT_CENTRALIZED, 1000);
    c.fixed_cost_per_day = 10000;
    c.starting_cash = 25000;
    c.credit_limit = 12000;
    plat *p = plat_new(&c, 1, 1);
    plat_totals t;
    for (int day = 1; day <= 5; day++) {
        assert_true(plat_open(p));
        plat_close_day(p, day * SIM_DAY);
        plat_get_totals(p, &t);
        if (day < 4) assert_int_equal(t.failed_day, 0);
        if (day == 4) break;
    }
    assert_false(plat_open(p));
    assert_int_equal(t.failed_day, 4);
    assert_int_equal(plat_get_day(p, 3)->cash, -15000);
    /* once failed, drivers' online time is no longer recorded (no floor, no insurance) */
    plat_record_online(p, 0, SIM_HOUR);
    assert_int_equal(plat_conservation_error(p), 0);
    plat_free(p);

    /* Interest on the credit line in use: 365% a year on 100.00 below zero is 1.00 a day. */
    c = flat(PLAT_CENTRALIZED, 1000);
    c.fixed_cost_per_day = 10000;
    c.credit_limit = 1000000;
    c.credit_rate = 1.0;
    p = plat_new(&c, 1, 1);
    plat_close_day(p, SIM_DAY);           /* cash -100.00 */
    plat_close_day(p, SIM_DAY + SIM_DAY); /* interest on -100.00 for one day at 100%/year */
    plat_get_totals(p, &t);
    assert_int_equal(t.interest, 27); /* 10000 / 365 = 27.40 cents */
    assert_true(plat_open(p));
    plat_free(p);
}

static void test_extraction_both_kinds(void **state) {
    (void)state;
    /* Centralized: profit 500.00 a day for 73 days, investors 10,000.00 wanting 10% a year
     * (2.7397 a day, rounded to 2.74 at each close): extraction is the profit above it. */
    plat_config c = flat(PLAT_CENTRALIZED, 1000);
    c.commission = 0.5;
    c.investor_capital = 1000000;
    c.required_return = 0.10;
    plat *p = plat_new(&c, 1, 1);
    plat_admit_driver(p, 0, 0);
    plat_quote q = plat_quote_trip(p, 0, 0, 0, 0);
    for (int i = 0; i < 73; i++) {
        for (int k = 0; k < 100; k++)
            plat_record_trip(p, 0, &q);
        plat_close_day(p, (i + 1) * SIM_DAY);
    }
    plat_totals t;
    plat_get_totals(p, &t);
    assert_int_equal(t.profit, 73 * 50000);
    assert_int_equal(t.required_return, 73 * 274); /* 273.97 a day, rounded each day */
    assert_int_equal(t.owners_excess, t.profit - t.required_return);
    assert_int_equal(t.extraction, t.owners_excess);
    assert_int_equal(t.capital_in, 1000000);
    assert_int_equal(t.cash, 1000000 + t.profit);
    assert_int_equal(plat_conservation_error(p), 0);
    plat_free(p);

    /* Co-op: its surplus is its members'; what leaves is the outside validators' share of the
     * chain fees. The same rule gives the centralized platform the same component. */
    for (int kind = 0; kind < 2; kind++) {
        c = flat(kind ? PLAT_COOPERATIVE : PLAT_CENTRALIZED, 1000);
        c.outside_validators = 0.25;
        p = plat_new(&c, 1, 1);
        plat_record_chain_fee(p, 1000);
        plat_record_chain_fee(p, 1);
        plat_get_totals(p, &t);
        assert_int_equal(t.outside_fees, 250); /* 25% of 10.01, rounded half up */
        assert_int_equal(t.extraction, kind ? 250 : 250 + t.profit);
        assert_int_equal(plat_conservation_error(p), 0);
        plat_free(p);
    }
}

/* Conservation of cash and debt at every day close over random days of trips, online time,
 * fees, payouts and period ends, with capital, a loan and a credit line. */
static void test_books_conserve_every_day(void **state) {
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 777);
    for (int round = 0; round < 30; round++) {
        plat_config c;
        plat_config_defaults(&c, round % 2 ? PLAT_COOPERATIVE : PLAT_CENTRALIZED);
        c.commission = gsl_rng_uniform(r) * 0.3;
        c.fixed_cost_per_day = (int64_t)gsl_rng_uniform_int(r, 300000);
        c.payment_share = gsl_rng_uniform(r) * 0.05;
        c.payment_per_trip = (int64_t)gsl_rng_uniform_int(r, 50);
        c.insurance_per_km = (int64_t)gsl_rng_uniform_int(r, 40);
        c.insurance_per_hour = (int64_t)gsl_rng_uniform_int(r, 300);
        c.acquisition_per_driver = (int64_t)gsl_rng_uniform_int(r, 10000);
        c.validators_per_day = (int64_t)gsl_rng_uniform_int(r, 50000);
        c.starting_cash = (int64_t)gsl_rng_uniform_int(r, 1000000);
        c.grant = (int64_t)gsl_rng_uniform_int(r, 100000);
        c.investor_capital = (int64_t)gsl_rng_uniform_int(r, 100000);
        c.required_return = gsl_rng_uniform(r) * 0.2;
        c.loan_amount = (int64_t)gsl_rng_uniform_int(r, 2000000);
        c.loan_rate = gsl_rng_uniform(r) * 0.15;
        c.loan_term = (sim_time)(1 + gsl_rng_uniform_int(r, 20)) * SIM_DAY;
        c.credit_limit = (int64_t)gsl_rng_uniform_int(r, 500000);
        c.credit_rate = gsl_rng_uniform(r) * 0.3;
        c.note_amount = (int64_t)gsl_rng_uniform_int(r, 500000);
        c.note_share = gsl_rng_uniform(r) * 0.2;
        c.note_cap = 1.0 + gsl_rng_uniform(r);
        c.pay_floor_index = (int)gsl_rng_uniform_int(r, 2);
        c.pay_floor_utilization = 0.2 + 0.7 * gsl_rng_uniform(r);
        c.pay_floor_per_hour = (int64_t)gsl_rng_uniform_int(r, 4000);
        c.entry_fee = (int64_t)gsl_rng_uniform_int(r, 5000);
        c.dividend_period = (sim_time)(1 + gsl_rng_uniform_int(r, 3)) * SIM_DAY;
        enum { ND = 20 };
        plat *p = plat_new(&c, ND, 1);
        sim_time now = 0, next_period = c.dividend_period;
        for (int day = 1; day <= 15; day++) {
            for (int step = 0; step < 200; step++) {
                now = (day - 1) * SIM_DAY + (sim_time)step * (SIM_DAY / 200);
                uint32_t d = (uint32_t)gsl_rng_uniform_int(r, ND);
                if (!plat_admit_driver(p, d, now)) continue;
                plat_quote q = plat_quote_trip(p, now, 0, gsl_rng_uniform(r) * 20000.0,
                                               (sim_time)gsl_rng_uniform_int(r, 1800) * SIM_SEC);
                if (plat_open(p)) plat_record_trip(p, d, &q);
                plat_record_online(p, d, (sim_time)gsl_rng_uniform_int(r, 3600) * SIM_SEC);
                if (step % 40 == 0) plat_record_chain_fee(p, (int64_t)gsl_rng_uniform_int(r, 9));
            }
            if (gsl_rng_uniform(r) < 0.2) plat_pay_members(p, 5000, now);
            now = day * SIM_DAY;
            if (now >= next_period) {
                plat_end_period(p, now);
                next_period += c.dividend_period;
            }
            assert_int_equal(plat_close_day(p, now), 0);
            plat_totals t;
            plat_get_totals(p, &t);
            assert_int_equal(plat_conservation_error(p), 0);
            assert_int_equal(plat_books_error(p), 0);
            /* the floor is never paid from credit: funding stays within what was owed */
            assert_true(t.pay_floor_topups <= t.pay_floor_owed);
            const plat_day *row = plat_get_day(p, (size_t)day - 1);
            assert_int_equal(row->cash, t.cash);
            assert_int_equal(row->debt, t.debt);
            if (t.failed_day == 0) assert_true(t.cash >= -c.credit_limit);
        }
        plat_free(p);
    }
    gsl_rng_free(r);
}

/* The books' own check notices a row that does not add up. */
static void test_books_error_detects(void **state) {
    (void)state;
    plat_config c = flat(PLAT_CENTRALIZED, 1000);
    c.starting_cash = 1000;
    plat *p = plat_new(&c, 1, 1);
    plat_close_day(p, SIM_DAY);
    plat_close_day(p, 2 * SIM_DAY);
    assert_int_equal(plat_books_error(p), 0);
    plat_day *d = (plat_day *)plat_get_day(p, 0);
    d->cash += 1;
    assert_int_equal(plat_books_error(p), 2); /* this close and the next one's start */
    plat_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floor_owed_and_paid),
        cmocka_unit_test(test_cost_items),
        cmocka_unit_test(test_loan_interest_and_repayment),
        cmocka_unit_test(test_revenue_share_note),
        cmocka_unit_test(test_floor_indexed_to_utilization),
        cmocka_unit_test(test_insolvency_day),
        cmocka_unit_test(test_extraction_both_kinds),
        cmocka_unit_test(test_books_conserve_every_day),
        cmocka_unit_test(test_books_error_detects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
