/* Free entry's outputs (drivers.supply: free_entry): days.csv and each platform's `long_run`
 * object in summary.json (docs/model.md, "Free entry"). Days ignore `simulation.warmup`. */
#include "models/schema/schema.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

#define MONEY "currency units"
#define MONEY_H "currency units per hour"

static const sch_field lr_fields[] = {
    [SCH_LR_CONVERGED] = {"converged", "bool",
                          "the weekly means settled within the tolerance and stayed so to the "
                          "last whole day"},
    [SCH_LR_CONVERGED_DAY] = {"converged_day", "day",
                              "the first day from which every later day passes (null: never)"},
    [SCH_LR_TOLERANCE] = {"tolerance", "share 0-1", "drivers.convergence_tolerance"},
    [SCH_LR_RULE] = {"rule", "text", "the convergence rule, in words"},
    [SCH_LR_WINDOW_FIRST_DAY] = {"window_first_day", "day",
                                 "first day of the long-run window: the week that first passed "
                                 "(without convergence: the last whole week)"},
    [SCH_LR_WINDOW_LAST_DAY] = {"window_last_day", "day", "last whole day of the run"},
    [SCH_LR_HOURS_RESPONSE] = {"hours_response", "object",
                               "the fleet's planned hours for 10% more pay, measured at the end"},
    [SCH_LR_SHORT_RUN] = {"short_run", "object",
                          "day one: the fleet of day one before any entry or exit (a fixed pool)"},
    [SCH_LR_LONG_RUN] = {"long_run", "object",
                         "means per day over the long-run window (rates: ratios of its totals)"},
};
SAME_COUNT(lr_fields, SCH_LR_N);
const sch_table schema_long_run =
    TABLE("summary.json", "platforms[].long_run",
          "Free entry only: the short-run and the long-run answer side by side.", lr_fields);

static const sch_field response_fields[] = {
    [SCH_RESP_PAY_RISE] = {"pay_rise", "share 0-1", "the rise applied to every belief (0.10)"},
    [SCH_RESP_HOURS] = {"planned_hours", "hours", "hours the fleet plans for one day"},
    [SCH_RESP_HOURS_AFTER] = {"planned_hours_after_rise", "hours",
                              "the same under the same draws with beliefs raised"},
    [SCH_RESP_ELASTICITY] = {"elasticity", "ratio",
                             "log(hours after / hours) / log(1 + rise); Angrist, Caldwell & "
                             "Hall (2021) estimate about 1.2"},
    [SCH_RESP_DRIVERS] = {"drivers", "count", "drivers of the fleet who plan to drive"},
    [SCH_RESP_DRIVERS_AFTER] = {"drivers_after_rise", "count", "the same with beliefs raised"},
};
SAME_COUNT(response_fields, SCH_RESP_N);
const sch_table schema_hours_response =
    TABLE("summary.json", "platforms[].long_run.hours_response",
          "Each driver in the fleet at the end plans a day with its own beliefs and with them "
          "raised, under the same draws (stream elasticity_probe).",
          response_fields);

static const sch_field fig_fields[] = {
    [SCH_FIG_ACTIVE] = {"active_drivers", "drivers", "in the fleet"},
    [SCH_FIG_ONLINE] = {"drivers_online", "drivers", "online at some time of the day"},
    [SCH_FIG_ENTRANTS] = {"entrants", "drivers", "entered at the day's start"},
    [SCH_FIG_EXITS] = {"exits", "drivers", "left at the day's end"},
    [SCH_FIG_HOURS] = {"online_hours", "hours", "driver-hours online in the day"},
    [SCH_FIG_UTILIZATION] = {"utilization", "share 0-1", "share of online time with a passenger"},
    [SCH_FIG_GROSS] = {"gross_per_hour", MONEY_H, "all the platform paid drivers per online hour"},
    [SCH_FIG_NET] = {"net_per_hour", MONEY_H, "the same less vehicle costs"},
    [SCH_FIG_SURPLUS] = {"surplus", MONEY,
                         "the fleet's pay above its outside options: net pay less the value of "
                         "the time planned, the day cost and a day's share of the entry cost"},
    [SCH_FIG_SURPLUS_ACTIVE] = {"surplus_per_active", MONEY, "surplus per driver in the fleet"},
    [SCH_FIG_SERVED] = {"served", "count", "trips completed, by request day"},
    [SCH_FIG_ABANDONED] = {"abandoned", "count", "riders who gave up waiting"},
    [SCH_FIG_REFUSED] = {"refused_quote", "count", "riders who refused the quote"},
    [SCH_FIG_WAIT] = {"wait_mean_s", "s", "mean wait for pickup"},
    [SCH_FIG_FARE] = {"fare_mean", MONEY, "mean price of a completed trip"},
};
SAME_COUNT(fig_fields, SCH_FIG_N);
const sch_table schema_short_run = TABLE("summary.json", "platforms[].long_run.short_run",
                                         "Day one's figures, per day.", fig_fields);
const sch_table schema_long_run_means =
    TABLE("summary.json", "platforms[].long_run.long_run",
          "Means per day over the long-run window.", fig_fields);

static const sch_field days_fields[] = {
    [SCH_DAYS_RUN] = SCH_RUN_COLUMN,
    [SCH_DAYS_PLATFORM] = {"platform", "text", "the platform's name"},
    [SCH_DAYS_DAY] = {"day", "index", "day of the run, from 0"},
    [SCH_DAYS_ACTIVE] = {"active_drivers", "drivers", "in the fleet during the day"},
    [SCH_DAYS_ENTRANTS] = {"entrants", "drivers", "entered at the day's start"},
    [SCH_DAYS_EXITS] = {"exits", "drivers", "left at the day's end"},
    [SCH_DAYS_ONLINE] = {"drivers_online", "drivers", "online at some time of the day"},
    [SCH_DAYS_HOURS] = {"online_hours", "hours", "driver-hours online"},
    [SCH_DAYS_UTILIZATION] = {"utilization", "share 0-1", "share of online time with a passenger"},
    [SCH_DAYS_GROSS] = {"gross_per_hour", MONEY_H,
                        "all the platform paid drivers (trip pay, dividends, top-ups, less entry "
                        "fees) per online hour"},
    [SCH_DAYS_GROSS_P10] = {"gross_per_hour_p10", MONEY_H,
                            "10th percentile of drivers' own gross per hour that day"},
    [SCH_DAYS_GROSS_P50] = {"gross_per_hour_p50", MONEY_H, "median of the same"},
    [SCH_DAYS_GROSS_P90] = {"gross_per_hour_p90", MONEY_H, "90th percentile of the same"},
    [SCH_DAYS_NET] = {"net_per_hour", MONEY_H, "gross less vehicle costs, per online hour"},
    [SCH_DAYS_NET_P10] = {"net_per_hour_p10", MONEY_H,
                          "10th percentile of drivers' own net per hour that day"},
    [SCH_DAYS_NET_P50] = {"net_per_hour_p50", MONEY_H, "median of the same"},
    [SCH_DAYS_NET_P90] = {"net_per_hour_p90", MONEY_H, "90th percentile of the same"},
    [SCH_DAYS_SURPLUS] = {"surplus", MONEY,
                          "the fleet's pay above its outside options (see long_run.short_run)"},
    [SCH_DAYS_SURPLUS_ACTIVE] = {"surplus_per_active", MONEY, "surplus per driver in the fleet"},
    [SCH_DAYS_REQUESTS] = {"requests", "count", "requests made in the day"},
    [SCH_DAYS_SERVED] = {"served", "count", "of those, trips completed"},
    [SCH_DAYS_ABANDONED] = {"abandoned", "count", "of those, riders who gave up waiting"},
    [SCH_DAYS_REFUSED] = {"refused_quote", "count", "of those, riders who refused the quote"},
    [SCH_DAYS_WAIT] = {"wait_mean_s", "s", "mean wait for pickup of those picked up"},
    [SCH_DAYS_FARE] = {"fare_mean", MONEY, "mean price of those completed"},
    [SCH_DAYS_CONSERVATION] = {"conservation_error", MONEY,
                               "the platform's books and the market's trip sums checked at the "
                               "day's end, cumulative: must be 0"},
};
SAME_COUNT(days_fields, SCH_DAYS_N);
const sch_table schema_days_csv =
    TABLE("days.csv", NULL,
          "Free entry only: one row per platform and day (money counts on the day it is paid).",
          days_fields);
