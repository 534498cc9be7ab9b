/* A shared market's shares over time: competition_days.csv, an experiment's per-day shares, each
 * the mean over the runs of a point with its Student-t 95% interval (models/run_compdays.c
 * writes it from the runs' competition.csv), and the share columns hourly.csv gains in a shared
 * market. */
#include "models/schema/schema.h"

#define MONEY "currency units"
#define STATS(m, unit, what)                                                                       \
    {m "_mean", unit, "mean over the point's runs of competition.csv's " m " (" what ")"},         \
        {m "_ci95_low", unit,                                                                      \
         "lower end of the 95% Student-t interval of that mean (empty when n < 2)"},               \
        {m "_ci95_high", unit, "upper end of the same interval (empty when n < 2)"}, {             \
        m "_n", "count", "runs whose row has a value for " m " (the mean is over these)"           \
    }

const char *const schema_competition_days_metric[SCH_CDAY_N] = {
    [SCH_CDAY_REQUEST_SHARE] = "request_share",
    [SCH_CDAY_TRIP_SHARE] = "trip_share",
    [SCH_CDAY_HOURS_SHARE] = "hours_share",
    [SCH_CDAY_SHOWN_ETA_S] = "shown_eta_s",
    [SCH_CDAY_PROFIT] = "profit",
    [SCH_CDAY_CASH] = "cash",
    [SCH_CDAY_BURN] = "burn",
};

static const sch_field fields[] = {
    {"point", "index", "the sweep point (0 without a sweep), as in sweep.csv"},
    {"platform", "text", "the platform's name"},
    {"day", "day", "day of the run, from 1"},
    {"runs", "count", "runs of the point that have a row for this platform and day"},
    STATS("request_share", "share 0-1", "its share of the day's requests"),
    STATS("trip_share", "share 0-1", "its share of the day's trips"),
    STATS("hours_share", "share 0-1", "its share of the day's driver online hours"),
    STATS("shown_eta_s", "s", "mean pickup time shown; runs where no rider knew the app left out"),
    STATS("profit", MONEY, "the day's profit in the books"),
    STATS("cash", MONEY, "cash at the day's close"),
    STATS("burn", MONEY, "spent fighting up to the day's end"),
};
_Static_assert(sizeof fields / sizeof fields[0] == SCH_CDAY_FIRST + 4 * SCH_CDAY_N,
               "four statistics per metric");

const sch_table schema_competition_days_csv = {
    "competition_days.csv", NULL,
    "Shared market, experiments only (replications above 1 or a sweep): one row per point, "
    "platform and day, from the runs' competition.csv (runs/run-N/). A single run writes none: "
    "its competition.csv is the whole answer.",
    fields, sizeof fields / sizeof fields[0]};

static const sch_field hourly_share_fields[] = {
    {"request_share", "share 0-1", "its share of the hour's requests over all the city's apps"},
    {"trip_share", "share 0-1", "its share of the hour's completed trips"},
    {"hours_share", "share 0-1",
     "its share of the hour's driver online time (a multi-homer's idle time counts on each app "
     "it is online on)"},
};
const sch_table schema_hourly_shares_csv = {
    "hourly.csv", NULL,
    "Shared market of two or more platforms only (market.platforms: shared): three more "
    "columns at the end of every hourly.csv row, after finality_p95_s (empty when no app had "
    "any in the hour).",
    hourly_share_fields, sizeof hourly_share_fields / sizeof hourly_share_fields[0]};
