/* Platform rules: one interface, two rule sets (centralized extraction, cooperative sharing).
 * The market asks for a quote and reports trips and online time; the platform keeps every
 * account in integer cents, pays dividends and pay-floor top-ups, and reports who got what.
 *
 * Money identity kept exactly for every trip and in total:
 *     rider_price + subsidy = driver_pay + revenue
 * so that rider payments = driver pay + platform revenue - subsidies. The books (books.c) keep
 * the platform's cash, debt and capital by day, itemised costs, and insolvency. */
#ifndef MODELS_PLATFORM_H
#define MODELS_PLATFORM_H

#include "sim/engine.h"
#include "sim/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { PLAT_CENTRALIZED = 0, PLAT_COOPERATIVE = 1 } plat_kind;
typedef enum { PLAT_BASIS_HOURS = 0, PLAT_BASIS_TRIPS = 1, PLAT_BASIS_REVENUE = 2 } plat_basis;
/* The pay floor per online hour, or indexed to utilization: floor x time with a passenger /
 * the reference utilization (New York's driver pay standard divides its per-minute rate by a
 * utilization rate the same way). */
typedef enum { PLAT_FLOOR_ONLINE = 0, PLAT_FLOOR_UTILIZATION = 1 } plat_floor_index;

/* A rule change at a fixed time, outside governance (platforms[].changes): a field left unset
 * in the scenario (SC_UNSET_INT, or NaN for the commission) keeps its value. */
typedef struct plat_change {
    sim_time at;
    int64_t base_fare, per_km, per_min, min_fare, pay_floor_per_hour;
    double commission;
} plat_change;

/* The rules of one entry of the scenario's `platforms:` list; filled by plat_keys. */
typedef struct plat_config {
    char *name;
    int kind; /* plat_kind */
    /* fare formula, rider side: max(minimum, base + per_km * km + per_min * minutes) */
    int64_t base_fare, per_km, per_min, min_fare;
    double commission; /* share of the fare the platform keeps */
    /* centralized */
    bool surge;
    double surge_step, surge_cap, surge_sensitivity;
    bool upfront;          /* driver paid the unsurged fare less commission; rider pays surge */
    sim_time growth_until; /* before this time: growth_commission and rider subsidies */
    double growth_commission, growth_subsidy;
    int64_t fixed_cost_per_day, cost_per_trip;
    /* itemised costs, both kinds (docs/platform-rules.md, "Costs") */
    double payment_share;           /* payment processing: share of the rider price */
    int64_t payment_per_trip;       /* payment processing: per transaction */
    int64_t insurance_per_km;       /* per km with a passenger */
    int64_t insurance_per_hour;     /* per driver online hour */
    int64_t acquisition_per_driver; /* per driver admitted */
    int64_t validators_per_day;     /* running the platform's own chain nodes */
    double outside_validators; /* share of chain fees paid to validators outside the community */
    /* capital and survival (docs/platform-rules.md, "Capital") */
    int64_t starting_cash, grant, investor_capital;
    double required_return; /* per year, on investor capital: its stated cost */
    int64_t loan_amount;
    double loan_rate;   /* per year, on the outstanding principal */
    sim_time loan_term; /* principal repaid evenly over this time from the start */
    int64_t credit_limit;
    double credit_rate; /* per year, on cash below zero */
    /* revenue-share note: received at the start, repaid as a share of each day's revenue until
     * note_cap times the amount has been paid */
    int64_t note_amount;
    double note_share, note_cap;
    /* cooperative */
    double reserve_share; /* share of the surplus kept as reserve, the rest is dividends */
    int dividend_basis;   /* plat_basis */
    sim_time dividend_period;
    int64_t pay_floor_per_hour;   /* 0: none; topped up from cash on hand at each period end */
    int pay_floor_index;          /* plat_floor_index */
    double pay_floor_utilization; /* reference utilization of an indexed floor */
    int64_t entry_fee;
    int64_t membership_cap; /* 0: no cap */
    /* pay standard, any kind (paystandard.c): a per-trip minimum of driver pay, New York TLC
     * style; both rates 0: none */
    double standard_per_km, standard_per_min; /* currency units per km and per minute of trip */
    double standard_utilization;              /* the utilization at which those rates hold */
    bool standard_adjust; /* rates x standard_utilization / the platform's own utilization */
    sc_list changes;      /* plat_change: rule changes at fixed times (platforms[].changes) */
} plat_config;

/* The keys of a platform's rules, relative to its `platforms:` entry (platform_keys.c). */
extern const sc_key plat_keys[];

/* Fills cfg with the defaults of plat_keys, name NULL. */
void plat_config_defaults(plat_config *cfg, plat_kind kind);

/* What plat_keys cannot say about one platform's rules: a rule of one kind set on a platform of
 * the other (upfront pricing or a growth phase on a co-op; the coop section's reserve,
 * dividends, pay floor, entry fee or cap on a centralized platform). `at` is the entry's path
 * ("platforms[1]"), w the scenario's positions (or NULL). SIM_OK, or SIM_EINPUT with
 * "file:line:column: path: message". */
sim_status plat_config_check(const plat_config *cfg, const sc_where *w, const char *at, char *err,
                             size_t errlen);

typedef struct plat plat;

typedef struct plat_quote {
    int64_t rider_price; /* what the rider is asked to pay */
    int64_t driver_pay;  /* what the driver is paid for the trip */
    int64_t subsidy;     /* what the platform adds from its own pocket */
    int64_t revenue;     /* what the platform keeps */
    double surge;        /* multiplier applied to the rider price (1.0 = none) */
    int64_t metres;      /* trip length (insurance per km with a passenger) */
    sim_time duration;   /* expected trip time (an indexed pay floor) */
} plat_quote;

/* Cost items, the same for both kinds. Chain fees are kept apart from operating costs. */
typedef enum {
    PLAT_COST_PAYMENT = 0, /* payment processing */
    PLAT_COST_INSURANCE,   /* per km with a passenger and per online hour */
    PLAT_COST_SUPPORT,     /* costs.per_trip */
    PLAT_COST_APP,         /* costs.fixed_per_day: app, development, staff */
    PLAT_COST_ACQUISITION, /* per driver admitted */
    PLAT_COST_VALIDATORS,  /* the platform's own chain nodes */
    PLAT_COST_CHAIN_FEES,  /* fees of the platform's own chain transactions (subsidy transfers) */
    PLAT_COST_N
} plat_cost_item;

typedef struct plat_totals {
    int64_t trips;
    int64_t gross_bookings; /* sum of rider prices */
    int64_t driver_pay;     /* trip pay, before dividends and top-ups */
    int64_t revenue;
    int64_t subsidies;
    int64_t operating_costs; /* every cost item but chain fees */
    int64_t costs[PLAT_COST_N];
    int64_t interest; /* on loans, on cash below zero, and notes' return above principal */
    /* revenue - subsidies - operating costs - chain fees - interest: a centralized platform's
     * profit, a co-op's surplus */
    int64_t profit;
    int64_t reserve;          /* co-op reserve at the end (after top-ups) */
    int64_t dividends;        /* paid to member drivers */
    int64_t pay_floor_owed;   /* what the floor promised, over all period ends */
    int64_t pay_floor_topups; /* what was paid of it (pay-standard top-ups included) */
    int64_t standard_topups;  /* of those, paid per trip to meet the pay standard */
    int64_t standard_trips;   /* trips topped up to the pay standard */
    int64_t entry_fees;
    int64_t deposits_forfeited; /* proposal deposits members forfeited to the co-op (its vote) */
    /* capital */
    int64_t capital_in;                    /* starting cash + grants + investor capital */
    int64_t loans_drawn, principal_repaid; /* loans and revenue-share notes */
    int64_t required_return; /* investors' stated cost of capital, accrued (not paid) */
    int64_t cash, debt;      /* balances: debt = loan principal outstanding */
    /* extraction, one definition for both kinds (docs/platform-rules.md) */
    int64_t rider_chain_fees; /* ride payments' chain fees, paid by riders on top of fares */
    int64_t outside_fees;     /* chain fees (the platform's and riders') to outside validators */
    int64_t owners_excess;    /* surplus owned by outside investors, above their stated cost */
    int64_t extraction;       /* outside_fees + owners_excess */
    int64_t undistributed;    /* co-op: revenue of the open period, not yet settled */
    int64_t members;          /* drivers admitted */
    int64_t refused;          /* admissions refused by the membership cap */
    int64_t periods;          /* period ends processed */
    int64_t days;             /* day closes processed */
    int64_t failed_day; /* 0: solvent; else the day (1 = the first) at whose close it failed */
} plat_totals;

/* One day of the books: flows over the day and balances at its close (cents). */
typedef struct plat_day {
    sim_time end;
    int64_t gross_bookings, revenue, subsidies;
    int64_t costs[PLAT_COST_N];
    int64_t interest, floor_owed, floor_paid, dividends, entry_fees, deposits_forfeited;
    int64_t capital_in, loans_drawn, principal_repaid, required_return;
    int64_t reserve, cash, debt;
} plat_day;

/* NULL on allocation failure. n_zones: surge zones (1 if the market has none). */
plat *plat_new(const plat_config *cfg, size_t n_drivers, size_t n_zones);
void plat_free(plat *p);

/* Whether the driver may work on this platform (a co-op's membership cap); a co-op charges
 * the entry fee at admission, once. */
bool plat_admit_driver(plat *p, uint32_t driver, sim_time now);

/* Surge from zone imbalance, recomputed by the market every so often. */
void plat_update_surge(plat *p, sim_time now, const uint32_t *open_requests,
                       const uint32_t *idle_drivers);
double plat_surge(const plat *p, size_t zone);

/* Price of a trip of the given length and expected duration starting in zone at now. */
plat_quote plat_quote_trip(const plat *p, sim_time now, size_t zone, double distance_m,
                           sim_time duration);

/* Money moves: the trip was completed by driver. Returns the pay-standard top-up paid to the
 * driver on top of q->driver_pay (0 without a standard or when the trip pay meets it). */
int64_t plat_record_trip(plat *p, uint32_t driver, const plat_quote *q);
/* The pay standard's minimum driver pay for a trip of q's length and duration now (cents; 0
 * without a standard): (per_km x km + per_min x minutes), times standard_utilization / the
 * platform's utilization so far when adjusted (docs/platform-rules.md, "Pay standard"). */
int64_t plat_pay_standard(const plat *p, const plat_quote *q);
/* Time the driver spent online (for dividends by hours, the pay floor, insurance per hour).
 * Ignored once the platform has failed. */
void plat_record_online(plat *p, uint32_t driver, sim_time online);
/* Marketing to riders (a shared market), paid by the platform under the acquisition item.
 * Ignored once the platform has failed. */
void plat_record_marketing(plat *p, int64_t cents);
/* The chain fee of one of the platform's own transactions (the transfer of a trip's subsidy
 * from its treasury), paid by the platform: a cost item. */
void plat_record_chain_fee(plat *p, int64_t fee);
/* A ride payment's chain fee, paid by the rider on top of the fare (not a platform cost). */
void plat_record_rider_chain_fee(plat *p, int64_t fee);

/* The books by day: schedules a close at the end of every whole day before `end` on s (the
 * caller closes the last day with plat_close_day(p, end) after the run). Returns nonzero when
 * out of memory. */
int plat_start_days(plat *p, sim *s, sim_time end);
/* Closes the day ending at now: daily costs, interest, loan repayment, the insolvency check,
 * and a row of the books. Nonzero when out of memory for the row. */
int plat_close_day(plat *p, sim_time now);
/* False once the platform has failed: it takes no more riders. */
bool plat_open(const plat *p);
size_t plat_n_days(const plat *p);
const plat_day *plat_get_day(const plat *p, size_t i);
/* Cents by which some day's closing cash or debt differs from the previous close plus that
 * day's flows (0 unless there is a bug); part of plat_conservation_error. */
int64_t plat_books_error(const plat *p);
/* Daily costs (app and development, own validators) accrued since their last charge up to
 * now, not yet charged, by item (the other items 0). */
void plat_daily_accrued(const plat *p, sim_time now, int64_t out[PLAT_COST_N]);

/* End of a dividend period (and of the run): operating costs, pay floor, dividends. */
void plat_end_period(plat *p, sim_time now);

void plat_get_totals(const plat *p, plat_totals *t);
/* Recomputes profit and the extraction components of t from its flows, by p's rules (for
 * totals over a window). */
void plat_derive(const plat *p, plat_totals *t);
/* Everything a driver received from the platform: trip pay + dividends + top-ups - entry fee. */
int64_t plat_driver_income(const plat *p, uint32_t driver);
int64_t plat_driver_dividends(const plat *p, uint32_t driver);
int64_t plat_driver_topups(const plat *p, uint32_t driver);
int64_t plat_driver_floor_owed(const plat *p, uint32_t driver);

/* Cents by which the accounts fail to add up (sum of absolute discrepancies over every
 * identity the platform keeps: per-trip split, totals vs per-driver accounts, money in vs
 * money out). 0 unless there is a bug. */
int64_t plat_conservation_error(const plat *p);

/* Rule changes (e.g. voted by members): takes the new values of every rule field of cfg
 * (not name or kind) from the next quote and the next period end on. Members already
 * admitted stay members when the cap is lowered. */
void plat_set_rules(plat *p, const plat_config *cfg);
const plat_config *plat_get_config(const plat *p);

/* Applies a scheduled change to the rules in force (including changes voted since the start):
 * the fields it sets, through plat_set_rules. */
void plat_apply_change(plat *p, const plat_change *c);

/* A treasury payout voted by members: `amount` from the reserve (as far as it and cash on hand
 * go) shared
 * equally among admitted members and counted as dividends; the cents the division leaves stay
 * in the reserve. Returns what was paid out. */
int64_t plat_pay_members(plat *p, int64_t amount, sim_time now);

/* A proposal deposit a member forfeited (governance's rule): it becomes the co-op's, into cash
 * and the reserve. `driver` is the member driver who paid it (its income falls by it), or -1
 * for a member who is not a driver (a backer or rider member). Ignored unless cents > 0. */
void plat_receive_forfeit(plat *p, int64_t driver, int64_t cents);

/* The commission a co-op needs so that revenue covers operating costs with a margin for
 * reserves: (1 + margin) * (fixed_per_day / trips_per_day + cost_per_trip) / mean_fare,
 * capped at 1. NaN when trips_per_day or mean_fare is not positive. */
double plat_sized_commission(const plat_config *cfg, double trips_per_day, int64_t mean_fare,
                             double margin);

#endif
