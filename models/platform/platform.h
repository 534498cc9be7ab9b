/* Platform rules: one interface, two rule sets (centralized extraction, cooperative sharing).
 * The market asks for a quote and reports trips and online time; the platform keeps every
 * account in integer cents, pays dividends and pay-floor top-ups, and reports who got what.
 *
 * Money identity kept exactly for every trip and in total:
 *     rider_price + subsidy = driver_pay + revenue
 * so that rider payments = driver pay + platform revenue - subsidies. */
#ifndef MODELS_PLATFORM_H
#define MODELS_PLATFORM_H

#include "sim/engine.h"
#include "sim/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PLAT_CENTRALIZED = 0, PLAT_COOPERATIVE = 1 } plat_kind;
typedef enum { PLAT_BASIS_HOURS = 0, PLAT_BASIS_TRIPS = 1, PLAT_BASIS_REVENUE = 2 } plat_basis;

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
    /* cooperative */
    double reserve_share; /* share of the surplus kept as reserve, the rest is dividends */
    int dividend_basis;   /* plat_basis */
    sim_time dividend_period;
    int64_t pay_floor_per_hour; /* 0: none; topped up from the reserve at each period end */
    int64_t entry_fee;
    int64_t membership_cap; /* 0: no cap */
    sc_list changes;        /* plat_change: rule changes at fixed times (platforms[].changes) */
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
} plat_quote;

typedef struct plat_totals {
    int64_t trips;
    int64_t gross_bookings; /* sum of rider prices */
    int64_t driver_pay;     /* trip pay, before dividends and top-ups */
    int64_t revenue;
    int64_t subsidies;
    int64_t operating_costs;
    int64_t profit;    /* revenue - subsidies - operating costs */
    int64_t reserve;   /* co-op reserve at the end (after top-ups) */
    int64_t dividends; /* paid to member drivers */
    int64_t pay_floor_topups;
    int64_t entry_fees;
    int64_t extraction;    /* money that leaves the community: a centralized platform's profit */
    int64_t undistributed; /* co-op: revenue of the open period, not yet settled */
    int64_t members;       /* drivers admitted */
    int64_t refused;       /* admissions refused by the membership cap */
    int64_t periods;       /* period ends processed */
} plat_totals;

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

/* Money moves: the trip was completed by driver. */
void plat_record_trip(plat *p, uint32_t driver, const plat_quote *q);
/* Time the driver spent online (for dividends by hours and the pay floor). */
void plat_record_online(plat *p, uint32_t driver, sim_time online);

/* End of a dividend period (and of the run): operating costs, pay floor, dividends. */
void plat_end_period(plat *p, sim_time now);

void plat_get_totals(const plat *p, plat_totals *t);
/* Everything a driver received from the platform: trip pay + dividends + top-ups - entry fee. */
int64_t plat_driver_income(const plat *p, uint32_t driver);
int64_t plat_driver_dividends(const plat *p, uint32_t driver);
int64_t plat_driver_topups(const plat *p, uint32_t driver);

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

/* A treasury payout voted by members: `amount` from the reserve (as far as it goes) shared
 * equally among admitted members and counted as dividends; the cents the division leaves stay
 * in the reserve. Returns what was paid out. */
int64_t plat_pay_members(plat *p, int64_t amount, sim_time now);

/* The commission a co-op needs so that revenue covers operating costs with a margin for
 * reserves: (1 + margin) * (fixed_per_day / trips_per_day + cost_per_trip) / mean_fare,
 * capped at 1. NaN when trips_per_day or mean_fare is not positive. */
double plat_sized_commission(const plat_config *cfg, double trips_per_day, int64_t mean_fare,
                             double margin);

#endif
