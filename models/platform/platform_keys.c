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
           "App, development and staff costs per day, accrued continuously and charged at each day "
           "close and period end (scenario-specific)"),
    PLAT_K("costs.per_trip", SC_MONEY, cost_per_trip, "0.50", "0", "10000",
           "Support and other costs per completed trip (modelling choice)"),
    PLAT_K("costs.payment_share", SC_SHARE, payment_share, "0%", "0", "1",
           "Payment processing: share of each rider price (2.9% card list price, "
           "docs/references.md#stripe-pricing); 0: not modelled"),
    PLAT_K("costs.payment_per_trip", SC_MONEY, payment_per_trip, "0.00", "0", "10000",
           "Payment processing: per transaction ($0.30 list price, "
           "docs/references.md#stripe-pricing); 0: not modelled"),
    PLAT_K("costs.insurance_per_km", SC_MONEY, insurance_per_km, "0.00", "0", "10000",
           "Insurance per km driven with a passenger (scenario-specific); 0: not modelled"),
    PLAT_K("costs.insurance_per_hour", SC_MONEY, insurance_per_hour, "0.00", "0", "10000",
           "Insurance per driver online hour (scenario-specific); 0: not modelled"),
    PLAT_K("costs.acquisition_per_driver", SC_MONEY, acquisition_per_driver, "0.00", "0", "1000000",
           "Customer acquisition: per driver admitted (sign-up, background check, onboarding); the "
           "market has no rider identities, so rider acquisition goes in fixed_per_day"),
    PLAT_K(
        "costs.validators_per_day", SC_MONEY, validators_per_day, "0.00", "0", "1000000",
        "Running the platform's own chain nodes, per day (scenario-specific); chain fees of ride "
        "payments are charged separately, as they are paid"),
    PLAT_K(
        "costs.outside_validators", SC_SHARE, outside_validators, "0%", "0", "1",
        "Share of chain fees paid to validators outside the community of drivers and riders: that "
        "share is extraction; 0: every validator is the platform's or its members'"),
    PLAT_K("finance.starting_cash", SC_MONEY, starting_cash, "0.00", "0", "1000000000",
           "Cash in the bank at the start (founders' own money)"),
    PLAT_K("finance.grant", SC_MONEY, grant, "0.00", "0", "1000000000",
           "Grants received at the start (never repaid)"),
    PLAT_K("finance.investor_capital", SC_MONEY, investor_capital, "0.00", "0", "1000000000",
           "Outside equity paid in at the start; its owners' stated cost is required_return"),
    PLAT_K("finance.required_return", SC_SHARE, required_return, "0%", "0", "1",
           "Investors' required return per year on investor_capital: the stated cost of outside "
           "equity; profit above it is extraction"),
    PLAT_K("finance.loan.amount", SC_MONEY, loan_amount, "0.00", "0", "1000000000",
           "Loan drawn at the start"),
    PLAT_K("finance.loan.rate", SC_SHARE, loan_rate, "0%", "0", "1",
           "Loan interest per year on the principal outstanding, charged at each day close"),
    PLAT_K("finance.loan.term", SC_DURATION, loan_term, "365d", "1d", "36500d",
           "Loan principal is repaid evenly over this time from the start, at each day close"),
    PLAT_K("finance.credit_limit", SC_MONEY, credit_limit, "0.00", "0", "1000000000",
           "How far below zero cash may go at a day close; beyond it the platform fails that day "
           "and takes no more riders"),
    PLAT_K("finance.credit_rate", SC_SHARE, credit_rate, "0%", "0", "1",
           "Interest per year on cash below zero (the credit line in use)"),
    PLAT_K("finance.note.amount", SC_MONEY, note_amount, "0.00", "0", "1000000000",
           "Revenue-share note received at the start (as The Drivers Cooperative raised): repaid "
           "as a share of each day's revenue"),
    PLAT_K("finance.note.share", SC_SHARE, note_share, "0%", "0", "1",
           "Share of each day's revenue paid on the revenue-share note"),
    PLAT_K("finance.note.cap", SC_REAL, note_cap, "1.5", "1", "10",
           "Payments on the note stop at this multiple of its amount; what exceeds the amount is "
           "its return, a financing cost (modelling choice)"),
    PLAT_K(
        "coop.reserve_share", SC_SHARE, reserve_share, "30%", "0", "1",
        "Cooperative: share of each period's surplus (revenue less every cost, not the fares) kept "
        "as reserve; the rest is paid as dividends (Mondragon: >=20% indivisible reserve + 10% "
        "education fund)"),
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
    PLAT_K("coop.pay_floor", SC_MONEY, pay_floor_per_hour, "0.00", "0", "10000",
           "Cooperative: hourly trip pay guaranteed per online hour, topped up at each period end "
           "from "
           "cash on hand (never from credit or the period's dividends; owed and paid are both "
           "reported); 0: none (NYC gross target $27.86/h, Parrott & Reich 2018)"),
    {.path = "coop.pay_floor_index",
     .type = SC_ENUM,
     .offset = offsetof(plat_config, pay_floor_index),
     .def = "online",
     .choices = "online|utilization",
     .doc = "Cooperative: the floor per online hour, or indexed to utilization: floor x hours with "
            "a passenger / pay_floor_utilization, as New York's driver pay standard divides its "
            "per-minute rate by a utilization rate"},
    PLAT_K("coop.pay_floor_utilization", SC_SHARE, pay_floor_utilization, "58%", "1%", "1",
           "Cooperative: reference utilization of an indexed floor (NYC app drivers 2017: 58%, "
           "Parrott & Reich 2018)"),
    PLAT_K("coop.entry_fee", SC_MONEY, entry_fee, "0.00", "0", "1000000",
           "Cooperative: charged once at admission, into the reserve (Mondragon: ~2 months' pay)"),
    PLAT_K("pay_standard.per_km", SC_REAL, standard_per_km, "0", "0", "1000",
           "Pay standard, any platform: minimum driver pay per km of trip, in currency units "
           "(New York TLC, March 2024: $1.360 per mile = 0.845 per km); 0 with per_min 0: none"),
    PLAT_K("pay_standard.per_min", SC_REAL, standard_per_min, "0", "0", "1000",
           "Pay standard: minimum driver pay per minute of trip, in currency units (New York TLC, "
           "March 2024: 0.583); each trip's shortfall is paid by the platform as a top-up"),
    PLAT_K("pay_standard.utilization", SC_SHARE, standard_utilization, "58%", "1%", "1",
           "Pay standard: the utilization at which the rates hold (New York app drivers 2017: "
           "58%, Parrott & Reich 2018, on which the TLC rule was set)"),
    PLAT_K("pay_standard.adjust", SC_BOOL, standard_adjust, "true", NULL, NULL,
           "Pay standard: scale the rates by utilization / the platform's own share of online "
           "time with a passenger so far (after 10 online hours), as the TLC rule divides them "
           "by each company's utilization rate; false: the rates as written"),
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
