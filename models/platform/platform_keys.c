/* The scenario keys of one `platforms:` entry's rules, relative to the entry, with offsets into
 * plat_config; the program mounts them at platforms[]. Defaults and their sources:
 * docs/platform-rules.md. */
#include "models/platform/platform.h"

#include <stddef.h>

#define PLAT_K(path_, type_, field_, def_, min_, max_, doc_)                                       \
    {                                                                                              \
        .path = (path_), .type = (type_), .offset = offsetof(plat_config, field_), .def = (def_),  \
        .min = (min_), .max = (max_), .doc = (doc_)                                                \
    }

/* A key of a scheduled change: left out, it keeps the rule as it is (sc_unset). */
#define CHG_K(path_, type_, field_, min_, max_, doc_)                                              \
    {                                                                                              \
        .path = "changes[]." path_, .type = (type_), .offset = offsetof(plat_change, field_),      \
        .def = sc_unset, .min = (min_), .max = (max_), .doc = (doc_)                               \
    }

const sc_key plat_keys[] = {
    PLAT_K("name", SC_STRING, name, NULL, NULL, NULL, "Name of the platform in outputs"),
    {.path = "kind",
     .type = SC_ENUM,
     .offset = offsetof(plat_config, kind),
     .choices = "centralized|cooperative",
     .doc = "Rule set: centralized (commission kept as profit) or cooperative (surplus shared)"},
    PLAT_K("fare.base", SC_MONEY, base_fare, "3.00", "0", "10000",
           "Fixed part of the fare (calibrated: the NYC mean trip, 4.37 mi and 17.9 min, prices at "
           "about $23.80, the 2025 mean fare)"),
    PLAT_K("fare.per_km", SC_MONEY, per_km, "1.60", "0", "10000", "Fare per km of trip"),
    PLAT_K("fare.per_min", SC_MONEY, per_min, "0.53", "0", "10000",
           "Fare per minute of expected trip duration"),
    PLAT_K("fare.minimum", SC_MONEY, min_fare, "8.00", "0", "10000",
           "Minimum fare (modelling choice, below the 2019 NYC median of $12.22)"),
    PLAT_K("commission", SC_SHARE, commission, "25%", "0", "1",
           "Share of the fare the platform keeps (nominal service fee ~25%, Cook et al. 2018; The "
           "Drivers Cooperative charges 15%)"),
    PLAT_K("surge.enabled", SC_BOOL, surge, "false", NULL, NULL,
           "Multiply rider prices in zones where open requests exceed idle drivers"),
    PLAT_K("surge.step", SC_REAL, surge_step, "0.1", "0.01", "10",
           "Multipliers are rounded down to whole steps (0.1x steps, Cohen et al. NBER w22627)"),
    PLAT_K("surge.cap", SC_REAL, surge_cap, "3.0", "1", "100",
           "Highest multiplier (modelling choice)"),
    PLAT_K("surge.sensitivity", SC_REAL, surge_sensitivity, "1.0", "0", "100",
           "Multiplier = 1 + sensitivity * (requests - idle) / max(idle, 1) when requests > idle"),
    PLAT_K("upfront_pricing", SC_BOOL, upfront, "false", NULL, NULL,
           "Centralized only: pay drivers the unsurged fare less commission and keep the surge "
           "margin (Jalopnik 2019)"),
    PLAT_K(
        "growth.until", SC_DURATION, growth_until, "0s", "0s", "3650d",
        "Centralized only: growth phase (lower take, rider subsidies) before this time; 0s: none"),
    PLAT_K("growth.commission", SC_SHARE, growth_commission, "17.5%", "0", "1",
           "Centralized only: commission during the growth phase (modelling choice: 15-20%, "
           "below the 19-26% take rates reported in 2018-19, docs/references.md#takerates)"),
    PLAT_K("growth.subsidy", SC_SHARE, growth_subsidy, "20%", "0", "1",
           "Centralized only: share of the fare the platform pays for the rider during growth "
           "(modelling choice; riders paid ~41% of trip cost in 2015, Horan)"),
    PLAT_K("costs.fixed_per_day", SC_MONEY, fixed_cost_per_day, "0.00", "0", "1000000",
           "Operating costs per day (staff, servers, insurance), charged at each period end"),
    PLAT_K("costs.per_trip", SC_MONEY, cost_per_trip, "0.50", "0", "10000",
           "Operating costs per completed trip (payment processing, support; modelling choice)"),
    PLAT_K("coop.reserve_share", SC_SHARE, reserve_share, "30%", "0", "1",
           "Cooperative: share of each period's surplus kept as reserve (Mondragon: >=20% "
           "indivisible reserve + 10% education fund)"),
    {.path = "coop.dividend_basis",
     .type = SC_ENUM,
     .offset = offsetof(plat_config, dividend_basis),
     .def = "hours",
     .choices = "hours|trips|revenue",
     .doc = "Cooperative: patronage dividends in proportion to online hours, trips, or commission "
            "revenue brought in during the period"},
    PLAT_K("coop.dividend_period", SC_DURATION, dividend_period, "7d", "1min", "3650d",
           "Cooperative: surplus is settled and dividends paid this often (and at the end of the "
           "run)"),
    PLAT_K(
        "coop.pay_floor", SC_MONEY, pay_floor_per_hour, "0.00", "0", "10000",
        "Cooperative: hourly trip pay guaranteed from the reserve, per online hour; 0: none (NYC "
        "gross target $27.86/h, Parrott & Reich 2018)"),
    PLAT_K("coop.entry_fee", SC_MONEY, entry_fee, "0.00", "0", "1000000",
           "Cooperative: charged once at admission, into the reserve (Mondragon: ~2 months' pay)"),
    PLAT_K("coop.membership_cap", SC_INT, membership_cap, "0", "0", "100000000",
           "Cooperative: drivers beyond this many members are not admitted; 0: no cap"),
    {.path = "changes",
     .type = SC_LIST,
     .offset = offsetof(plat_config, changes),
     .def = "[]",
     .min = "0",
     .max = "1000",
     .elem_size = sizeof(plat_change),
     .doc = "Rule changes at fixed times, outside governance (e.g. a fare rise at 28d); each names "
            "only the rules it changes"},
    {.path = "changes[].at",
     .type = SC_DURATION,
     .offset = offsetof(plat_change, at),
     .min = "0s",
     .max = "3650d",
     .doc = "When the change applies (from the next quote on)"},
    CHG_K("fare.base", SC_MONEY, base_fare, "0", "10000", "New fixed part of the fare"),
    CHG_K("fare.per_km", SC_MONEY, per_km, "0", "10000", "New fare per km"),
    CHG_K("fare.per_min", SC_MONEY, per_min, "0", "10000", "New fare per minute"),
    CHG_K("fare.minimum", SC_MONEY, min_fare, "0", "10000", "New minimum fare"),
    CHG_K("commission", SC_SHARE, commission, "0", "1", "New commission"),
    CHG_K("coop.pay_floor", SC_MONEY, pay_floor_per_hour, "0", "10000",
          "Cooperative: new hourly pay floor"),
    {.path = NULL},
};
