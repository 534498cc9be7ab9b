/* A shared market's outputs (market.platforms: shared): the summary's `competition` object, each
 * platform's part of it in its entry, and competition.csv by day (docs/model.md, "One city,
 * several platforms"). Days ignore `simulation.warmup`. */
#include "models/schema/schema.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

#define MONEY "currency units"

static const sch_field comp_fields[] = {
    [SCH_COMP_RIDERS] = {"riders", "count",
                         "riders who wanted a trip (arrivals of the one stream)"},
    [SCH_COMP_WITHOUT_APP] = {"riders_without_app", "count",
                              "of those, riders who knew no open app and asked none"},
    [SCH_COMP_RETRIES] = {"retries", "count",
                          "requests made to a further app after a refused quote or a closed app"},
    [SCH_COMP_MULTIHOMING_SHARE] = {"multihoming_share", "share 0-1",
                                    "share of registered drivers online on several apps (free "
                                    "entry: of the fleet's driver-days on some app)"},
    [SCH_COMP_WINDOW_DAYS] = {"window_days", "days",
                              "the final shares cover the run's last this many days (at most 7)"},
    [SCH_COMP_TIPPING_DAY] = {"tipping_day", "day",
                              "first day a later-listed platform's mean shown pickup time was at "
                              "most the first platform's (null: never)"},
    [SCH_COMP_TIPPING_SHARE] = {"tipping_share", "share 0-1",
                                "that platform's share of the day's requests on that day"},
    [SCH_COMP_DRIVER_OVERLAPS] = {"driver_overlaps", "count",
                                  "times a driver was sent a rider or moved on one app while busy "
                                  "on another (0 unless there is a bug)"},
    [SCH_COMP_RIDERS_WHO_RODE] = {"riders_who_rode", "count",
                                  "riders of the population (riders.population) who rode at "
                                  "least once"},
    [SCH_COMP_MULTI_APP_SHARE] = {"multi_app_share", "share 0-1",
                                  "of those, the share who rode with more than one app"},
    [SCH_COMP_SWITCHES] = {"switches", "count",
                           "trips with another app than the one the rider last rode with"},
    [SCH_COMP_RIDER_SURPLUS] = {"rider_surplus", MONEY,
                                "riders' surplus, all apps (the sum of the platforms' below; a "
                                "rider who rode with none has 0)"},
    [SCH_COMP_DRIVER_SURPLUS] = {"driver_surplus", MONEY,
                                 "drivers' surplus above their outside option, all apps (each "
                                 "driver's hour counted once)"},
    [SCH_COMP_PLATFORMS] = {"platforms", "list of objects", "one per platform (below)"},
};
SAME_COUNT(comp_fields, SCH_COMP_N);
const sch_table schema_competition =
    TABLE("summary.json", "competition",
          "Shared market only (market.platforms: shared): who won the city's riders and drivers.",
          comp_fields);

static const sch_field comp_pf_fields[] = {
    [SCH_CPF_NAME] = {"name", "text", "the platform's `name`"},
    [SCH_CPF_REQUEST_SHARE] = {"request_share", "share 0-1",
                               "share of all requests made over the final window"},
    [SCH_CPF_TRIP_SHARE] = {"trip_share", "share 0-1", "share of trips over the final window"},
    [SCH_CPF_HOURS_SHARE] = {"hours_share", "share 0-1",
                             "share of driver online hours over the final window (a multi-homer's "
                             "idle hour counts on each app it is online on)"},
    [SCH_CPF_FIRST_CHOICE_SHARE] = {"first_choice_share", "share 0-1",
                                    "share of riders with an app whose first choice it was, over "
                                    "the final window"},
    [SCH_CPF_AWARENESS] = {"awareness", "share 0-1", "share of riders who know the app at the end"},
    [SCH_CPF_SHOWN_ETA_S] = {"shown_eta_s", "s",
                             "mean pickup time the app showed riders over the final window"},
    [SCH_CPF_PEAK_REQUEST_SHARE] = {"peak_request_share", "share 0-1",
                                    "its highest share of a day's requests over the run (what a "
                                    "platform that later closed had reached)"},
    [SCH_CPF_PEAK_DAY] = {"peak_day", "day", "the first day it had that share"},
    [SCH_CPF_BREAK_EVEN_DAY] = {"break_even_day", "day",
                                "first day (1 = the first) whose 7-day trailing profit was at "
                                "least 0 (null: never)"},
    [SCH_CPF_BROKE_EVEN] = {"broke_even", "bool",
                            "whether break_even_day was reached (in an experiment: the share of "
                            "runs, with its Wilson interval; break_even_day's statistics are over "
                            "those runs only)"},
    [SCH_CPF_SURVIVED] = {"survived", "bool", "still open at the end (not insolvent)"},
    [SCH_CPF_FIGHT_DAYS] = {"fight_days", "days", "days spent fighting (growth-phase prices)"},
    [SCH_CPF_BURN] = {"burn", MONEY,
                      "spent fighting: rider subsidies plus the take given up against its own "
                      "commission"},
    [SCH_CPF_RAISED_DAY] = {"raised_day", "day",
                            "first day at the raised commission (null: never)"},
    [SCH_CPF_MARKETING] = {"marketing", MONEY, "spent on marketing to riders"},
    [SCH_CPF_RIDER_SURPLUS] = {"rider_surplus", MONEY,
                               "riders' surplus on the app over the window after the warm-up: "
                               "willingness to pay less price, chain fees and the cost of "
                               "waiting, the waits of riders who gave up on it included "
                               "(welfare.rider_surplus)"},
    [SCH_CPF_DRIVER_SURPLUS] = {"driver_surplus", MONEY,
                                "drivers' income from the app less vehicle costs and outside "
                                "option on the hours attributed to it (below)"},
    [SCH_CPF_DRIVER_HOURS] = {"driver_hours", "hours",
                              "driver online hours attributed to the app, each driver's hour "
                              "counted once: a multi-homer's idle hour is shared between the "
                              "apps it was idle on"},
    [SCH_CPF_DRIVER_SURPLUS_PER_HOUR] = {"driver_surplus_per_hour", "currency units per hour",
                                         "driver_surplus / driver_hours"},
    [SCH_CPF_DRIVER_OUTSIDE_OPTION] = {"driver_outside_option", MONEY,
                                       "drivers' reservation wages times those hours (welfare's "
                                       "counts a multi-homer's idle hour on each app)"},
    [SCH_CPF_DECLINES] = {"declines", "count",
                          "offers of the app's riders that drivers declined over the final window "
                          "(drivers.decline and drivers.offer_rule)"},
    [SCH_CPF_DECLINE_SHARE] = {"decline_share", "share 0-1",
                               "declines over offers (declined plus taken) in the final window"},
    [SCH_CPF_DECLINE_HOURS] = {"decline_hours", "hours",
                               "drivers.decline_time of each timed decline over the final window: "
                               "what declined offers took from riders' waits and from drivers"},
};
SAME_COUNT(comp_pf_fields, SCH_CPF_N);
const sch_table schema_competition_platform =
    TABLE("summary.json", "platforms[].competition",
          "Shared market only: the platform's part of `competition` (also in "
          "`competition.platforms[]`).",
          comp_pf_fields);

static const sch_field comp_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"day", "day", "day of the run, from 1"},
    {"requests", "count", "requests made to the app during the day"},
    {"trips", "count", "of those, trips completed"},
    {"driver_hours", "hours", "driver online hours on the app"},
    {"request_share", "share 0-1", "its share of the day's requests over all apps"},
    {"trip_share", "share 0-1", "its share of the day's trips"},
    {"hours_share", "share 0-1", "its share of the day's driver online hours"},
    {"first_choices", "count", "riders whose first choice it was"},
    {"awareness", "share 0-1", "share of riders who knew the app at the day's start"},
    {"shown_eta_s", "s", "mean pickup time shown to riders who knew the app (empty: none)"},
    {"phase", "text", "normal, fight or raised: the strategy in force during the day"},
    {"commission", "share 0-1", "commission in force at the day's start"},
    {"burn", MONEY, "spent fighting up to the day's end"},
    {"profit", MONEY, "revenue less subsidies, costs and interest of the day (the books)"},
    {"cash", MONEY, "cash at the day's close"},
    {"declines", "count", "offers of the app's riders that drivers declined during the day"},
    {"decline_hours", "hours", "drivers.decline_time of each timed decline of the day"},
};
const sch_table schema_competition_csv =
    TABLE("competition.csv", NULL,
          "Shared market only: one row per platform and day (the last day may be partial).",
          comp_csv_fields);

static const sch_field offers_fields[] = {
    [SCH_OFF_OFFERS] = {"offers", "count", "offers made to drivers (taken or declined)"},
    [SCH_OFF_DECLINES] = {"declines", "count",
                          "offers declined (drivers.decline draws and drivers.offer_rule)"},
    [SCH_OFF_DECLINE_SHARE] = {"decline_share", "share 0-1", "declines over offers"},
    [SCH_OFF_DECLINE_HOURS] = {"decline_hours", "hours",
                               "drivers.decline_time of each timed decline (those of a driver "
                               "freed near a rider it declines take none): what they took from "
                               "riders' waits and from the drivers who declined them"},
};
SAME_COUNT(offers_fields, SCH_OFF_N);
const sch_table schema_offers =
    TABLE("summary.json", "platforms[].offers",
          "When drivers.decline_time is above 0 or drivers.offer_rule is not first: offers "
          "drivers declined over the measured window (docs/model.md, \"Offers\").",
          offers_fields);
