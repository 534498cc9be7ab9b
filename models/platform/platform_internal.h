/* State shared by the platform's source files (platform.c: quotes, surge, accounts;
 * settlement.c: period ends, co-op surplus sharing; books.c: costs by time, capital, the
 * books by day). Not part of the public interface. */
#ifndef MODELS_PLATFORM_INTERNAL_H
#define MODELS_PLATFORM_INTERNAL_H

#include "models/platform/platform.h"

/* Products of cents and microseconds overflow int64; GCC and clang both have this type. */
__extension__ typedef unsigned __int128 plat_u128;

#define PLAT_PPM 1000000 /* shares are applied as integer parts per million */

typedef struct plat_driver {
    bool admitted;
    int64_t trips, trip_pay, dividends, topups, floor_owed, entry_fee, forfeited;
    /* the open period */
    int64_t period_trips, period_pay, period_revenue;
    sim_time period_online, period_passenger;
} plat_driver;

struct plat {
    plat_config cfg;
    char *name; /* private copy of cfg.name */
    /* rules in integer form, derived from cfg by plat_set_rules */
    int64_t commission_ppm, growth_commission_ppm, growth_subsidy_ppm, reserve_share_ppm;
    int64_t payment_ppm, outside_ppm, required_ppm, loan_ppm, credit_ppm;
    int32_t surge_step_milli, surge_cap_milli;

    size_t n_drivers, n_zones;
    plat_driver *drivers;
    int32_t *surge_milli; /* per zone, 1000 = no surge */

    plat_totals t;   /* running totals; profit and extraction derived on read */
    int64_t cash;    /* the bank balance: every cent in or out passes through it */
    int64_t pending; /* co-op: the open period's revenue less its costs so far */
    int64_t reserve; /* co-op: may go negative when a period's costs exceed revenue */
    int64_t loan_amount, loan_left, loan_repaid; /* the loan drawn at the start */
    int64_t note_amount, note_left, note_paid;   /* the note; paid: principal and return */
    int64_t note_ppm;
    int64_t cash_open; /* cash at the last day close (the start before the first) */
    /* sub-cent parts carried to the next charge, in cent-microseconds per day (or hour) */
    int64_t fixed_frac, validators_frac, insurance_frac;
    int64_t split_mismatch; /* sum of |rider_price + subsidy - driver_pay - revenue| per trip */
    sim_time last_end;      /* last period end */
    sim_time last_charge;   /* daily costs charged up to here */
    sim_time last_close;    /* last day close */
    bool failed;
    plat_day *days; /* one row per day close */
    size_t n_days, cap_days;
    plat_totals at_close;                   /* totals at the last day close (for the day's flows) */
    sim_time online_total, passenger_total; /* the platform's utilization so far (pay standard) */
};

/* A cost paid now: cash, the item, and (co-op) the open period's balance. */
void plat_pay_cost(plat *p, int item, int64_t cents);
/* Capital paid in and the loan drawn, at the start. */
void plat_open_books(plat *p);
/* Daily costs (fixed, own validators) accrued over (last_charge, now], charged now. */
void plat_charge_daily(plat *p, sim_time now);

/* Pays the pay standard's shortfall on one trip through the top-up path; returns it. */
int64_t plat_pay_standard_topup(plat *p, uint32_t driver, const plat_quote *q);

/* floor(a * b / c) for a, b >= 0 and c > 0, without overflow in the product. */
int64_t plat_muldiv(int64_t a, int64_t b, int64_t c);
/* round-half-up of amount * ppm / 1e6 for amount >= 0. */
int64_t plat_apply_ppm(int64_t amount, int64_t ppm);

#endif
