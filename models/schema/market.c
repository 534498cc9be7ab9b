/* The market's outputs: the riders, drivers, platform, checks, theory and settlement objects of
 * each platform's summary entry, and drivers.csv, hourly.csv and trips.csv (docs/model.md,
 * "Outputs and metric definitions"). Every figure covers the measured window after
 * `simulation.warmup`. */
#include "models/schema/schema.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

#define MONEY "currency units"
#define MONEY_H "currency units per hour"

static const sch_field riders_fields[] = {
    [SCH_RIDERS_REQUESTS] = {"requests", "count", "requests made in the window"},
    [SCH_RIDERS_SERVED] = {"served", "count", "trips completed"},
    [SCH_RIDERS_ABANDONED] = {"abandoned", "count",
                              "riders who gave up waiting for a driver (patience)"},
    [SCH_RIDERS_REFUSED_QUOTE] = {"refused_quote", "count",
                                  "riders who refused the quoted price (price sensitivity)"},
    [SCH_RIDERS_WAIT_MEAN_S] = {"wait_mean_s", "s",
                                "mean wait from request to pickup (queue mode: to service "
                                "start), over riders picked up"},
    [SCH_RIDERS_WAIT_P50_S] = {"wait_p50_s", "s",
                               "median of that wait: exact up to 2^20 riders picked up, then "
                               "within 0.1% (a log-linear histogram, docs/performance.md)"},
    [SCH_RIDERS_WAIT_P95_S] = {"wait_p95_s", "s",
                               "95th percentile of that wait, exact or within 0.1% likewise"},
    [SCH_RIDERS_FARE_MEAN] = {"fare_mean", MONEY, "rider price per completed trip"},
    [SCH_RIDERS_WAITED_SHARE] = {"waited_share", "share 0-1",
                                 "share of riders picked up who waited at all (P(wait > 0) in "
                                 "queue mode, to compare with Erlang C); 1 by construction in "
                                 "spatial mode, where every pickup takes driving time, so it "
                                 "says nothing there"},
};
SAME_COUNT(riders_fields, SCH_RIDERS_N);
const sch_table schema_riders =
    TABLE("summary.json", "platforms[].riders",
          "Riders' service, over requests made in the window.", riders_fields);

static const sch_field drivers_fields[] = {
    [SCH_DRIVERS_COUNT] = {"count", "count", "drivers who were online at all in the window"},
    [SCH_DRIVERS_ONLINE_HOURS] = {"online_hours", "h", "their online time, summed"},
    [SCH_DRIVERS_UTILIZATION] = {"utilization", "share 0-1",
                                 "share of online time with a passenger"},
    [SCH_DRIVERS_PICKUP_SHARE] = {"pickup_share", "share 0-1",
                                  "share of online time on the way to pickups, from the offer "
                                  "to the pickup (the response time included): the "
                                  "published period 2"},
    [SCH_DRIVERS_RESPONSE_SHARE] = {"response_share", "share 0-1",
                                    "the part of pickup_share between an offer and setting off "
                                    "(drivers.response_time): pickup_share - response_share is "
                                    "the drive to the rider"},
    [SCH_DRIVERS_IDLE_SHARE] = {"idle_share", "share 0-1",
                                "share of online time idle or repositioning"},
    [SCH_DRIVERS_GROSS_PER_HOUR] = {"gross_per_hour", MONEY_H,
                                    "everything the platform paid drivers (trip pay, dividends, "
                                    "top-ups, less entry fees) per online hour"},
    [SCH_DRIVERS_NET_PER_HOUR] = {"net_per_hour", MONEY_H,
                                  "the same less vehicle costs, per online hour"},
    [SCH_DRIVERS_NET_PER_HOUR_P10] = {"net_per_hour_p10", MONEY_H,
                                      "10th percentile of each driver's own net per hour"},
    [SCH_DRIVERS_NET_PER_HOUR_P50] = {"net_per_hour_p50", MONEY_H,
                                      "median of each driver's own net per hour"},
    [SCH_DRIVERS_NET_PER_HOUR_P90] = {"net_per_hour_p90", MONEY_H,
                                      "90th percentile of each driver's own net per hour"},
    [SCH_DRIVERS_INCOME_GINI] = {"income_gini", "index 0-1",
                                 "Gini index of drivers' net income over the window (negative "
                                 "incomes count as 0)"},
    [SCH_DRIVERS_DIVIDENDS] = {"dividends", MONEY, "patronage dividends paid to members"},
    [SCH_DRIVERS_SURGE_MOVES] = {"surge_moves", "count",
                                 "drivers.surge_response: idle drivers' moves toward surging "
                                 "zones over the whole run (0 without it)"},
    [SCH_DRIVERS_SURGE_EARLY_STARTS] = {"surge_early_starts", "count",
                                        "drivers.surge_response: shifts started up to an hour "
                                        "early for the surge"},
    [SCH_DRIVERS_SURGE_EXTENSIONS] = {"surge_extensions", "count",
                                      "drivers.surge_response: hours added at a shift's end for "
                                      "the surge"},
};
SAME_COUNT(drivers_fields, SCH_DRIVERS_N);
const sch_table schema_drivers = TABLE(
    "summary.json", "platforms[].drivers",
    "Drivers' time and earnings, over drivers who were online in the window.", drivers_fields);

static const sch_field platform_fields[] = {
    [SCH_PLAT_GROSS_BOOKINGS] = {"gross_bookings", MONEY, "what riders paid for trips"},
    [SCH_PLAT_DRIVER_PAY] = {"driver_pay", MONEY, "trip pay to drivers"},
    [SCH_PLAT_REVENUE] = {"revenue", MONEY, "the platform's or co-op's share of fares"},
    [SCH_PLAT_SUBSIDIES] = {"subsidies", MONEY, "what the platform paid on top of fares"},
    [SCH_PLAT_OPERATING_COSTS] = {"operating_costs", MONEY,
                                  "every cost item but chain fees and interest, charged in the "
                                  "window (daily costs by accrual)"},
    [SCH_PLAT_CHAIN_FEES] = {"chain_fees", MONEY,
                             "chain fees of the platform's own transactions (subsidy transfers); "
                             "riders pay their payments' fees (settlement.rider_fees)"},
    [SCH_PLAT_INTEREST] = {"interest", MONEY,
                           "interest on loans and on cash below zero, and revenue-share notes' "
                           "return"},
    [SCH_PLAT_PROFIT] = {"profit", MONEY,
                         "centralized platforms: revenue - subsidies - operating costs - chain "
                         "fees - interest"},
    [SCH_PLAT_SURPLUS] = {"surplus", MONEY,
                          "co-ops: the same quantity, the members' surplus (called profit "
                          "before the books were itemised)"},
    [SCH_PLAT_RESERVE] = {"reserve", MONEY,
                          "the co-op reserve's change over the window (the balance at the end "
                          "without a warm-up)"},
    [SCH_PLAT_RESERVE_END] = {"reserve_end", MONEY, "the reserve's balance at the end"},
    [SCH_PLAT_EXTRACTION] = {"extraction", MONEY,
                             "money that leaves the community beyond the cost of the service, "
                             "one definition for both kinds (finance.extraction by component)"},
    [SCH_PLAT_PAY_FLOOR_OWED] = {"pay_floor_owed", MONEY,
                                 "top-ups the pay floor promised at the period ends in the "
                                 "window"},
    [SCH_PLAT_PAY_FLOOR_TOPUPS] =
        {"pay_floor_topups", MONEY,
         "top-ups paid: a co-op's pay floor (from cash on hand, never from "
         "credit) and any platform's pay-standard top-ups (per trip, in "
         "full)"},
    [SCH_PLAT_ENTRY_FEES] = {"entry_fees", MONEY, "co-op entry fees (member shares) paid in"},
    [SCH_PLAT_TAKE_RATE] = {"take_rate", "share 0-1",
                            "1 - (driver pay + dividends + pay-floor top-ups) / gross bookings"},
    [SCH_PLAT_STANDARD_TOPUPS] = {"pay_standard_topups", MONEY,
                                  "paid on top of trip pay so that no trip pays below the pay "
                                  "standard (platforms[].pay_standard; part of pay_floor_topups)"},
    [SCH_PLAT_STANDARD_TRIPS] = {"pay_standard_trips", "count",
                                 "trips whose pay was topped up to the pay standard"},
};
SAME_COUNT(platform_fields, SCH_PLAT_N);
const sch_table schema_platform = TABLE("summary.json", "platforms[].platform",
                                        "The platform's books over the window.", platform_fields);

static const sch_field checks_fields[] = {
    [SCH_CHECKS_MONEY_CONSERVATION_ERROR] = {"money_conservation_error", MONEY,
                                             "trip-by-trip sums against the platform's books "
                                             "(and a co-op's cash): must be 0"},
    [SCH_CHECKS_REQUEST_STREAM_HASH] = {"request_stream_hash", "16 hex digits",
                                        "hash of the riders' requests: equal on every platform "
                                        "of a run (common random numbers)"},
};
SAME_COUNT(checks_fields, SCH_CHECKS_N);
static const sch_field welfare_fields[] = {
    [SCH_WEL_RIDER_SURPLUS] = {"rider_surplus", MONEY,
                               "riders' willingness to pay less price, chain fees and the cost "
                               "of waiting (served riders), less the cost of the wait of those "
                               "who gave up"},
    [SCH_WEL_RIDER_SURPLUS_PER_REQUEST] = {"rider_surplus_per_request", MONEY,
                                           "rider surplus per request made in the window"},
    [SCH_WEL_RIDER_WTP] = {"rider_wtp", MONEY, "willingness to pay of riders whose trip was paid"},
    [SCH_WEL_RIDER_PAID] = {"rider_paid", MONEY, "what they paid (= platform.gross_bookings)"},
    [SCH_WEL_RIDER_CHAIN_FEES] = {"rider_chain_fees", MONEY,
                                  "chain fees of their ride payments, paid by riders on top of "
                                  "the fare to the chain's validators (0 on a central ledger)"},
    [SCH_WEL_RIDER_WAIT_COST] = {"rider_wait_cost", MONEY,
                                 "cost of waiting at riders.value_of_time: served riders (request "
                                 "to pickup) and those who gave up (request to abandonment)"},
    [SCH_WEL_RIDER_WAIT_COST_ABANDONED] = {"rider_wait_cost_abandoned", MONEY,
                                           "the part of it borne by riders who gave up"},
    [SCH_WEL_DRIVER_SURPLUS] = {"driver_surplus", MONEY,
                                "drivers' income less vehicle costs less the value of their "
                                "online time at their reservation wage (the outside option)"},
    [SCH_WEL_DRIVER_SURPLUS_PER_DRIVER] = {"driver_surplus_per_driver", MONEY,
                                           "per driver online in the window"},
    [SCH_WEL_DRIVER_SURPLUS_PER_HOUR] = {"driver_surplus_per_hour", MONEY_H, "per online hour"},
    [SCH_WEL_DRIVER_INCOME] = {"driver_income", MONEY,
                               "everything the platform paid drivers: trip pay, dividends, "
                               "top-ups, less entry fees"},
    [SCH_WEL_DRIVER_VEHICLE_COSTS] = {"driver_vehicle_costs", MONEY,
                                      "drivers' costs per km and per online hour"},
    [SCH_WEL_DRIVER_OUTSIDE_OPTION] = {"driver_outside_option", MONEY,
                                       "online hours times each driver's reservation wage"},
    [SCH_WEL_PLATFORM_SURPLUS] = {"platform_surplus", MONEY,
                                  "revenue less subsidies, costs, interest, dividends and "
                                  "top-ups, plus entry fees: what the platform keeps"},
    [SCH_WEL_PLATFORM_COSTS] = {"platform_costs", MONEY,
                                "the platform's operating costs, chain fees and interest"},
    [SCH_WEL_TOTAL] = {"total", MONEY,
                       "rider + driver + platform surplus = rider_wtp - rider_chain_fees - "
                       "rider_wait_cost - driver_vehicle_costs - driver_outside_option - "
                       "platform_costs"},
    [SCH_WEL_TOTAL_PER_REQUEST] = {"total_per_request", MONEY, "per request made in the window"},
};
SAME_COUNT(welfare_fields, SCH_WEL_N);
const sch_table schema_welfare =
    TABLE("summary.json", "platforms[].welfare",
          "Welfare over the window: who gains what above their alternative, in cents summed "
          "rider by rider and driver by driver, so the parts add up to the total exactly.",
          welfare_fields);

const sch_table schema_checks = TABLE("summary.json", "platforms[].checks",
                                      "Invariants checked at the end of the run.", checks_fields);

static const sch_field theory_fields[] = {
    [SCH_THEORY_MODEL] = {"model", "text", "\"M/M/c (Erlang C)\""},
    [SCH_THEORY_SERVERS] = {"servers", "count", "c, the drivers"},
    [SCH_THEORY_OFFERED_LOAD_ERLANGS] = {"offered_load_erlangs", "Erlang",
                                         "a = arrival rate / service rate"},
    [SCH_THEORY_UTILIZATION] = {"utilization", "share 0-1", "a / c"},
    [SCH_THEORY_WAITED_SHARE] = {"waited_share", "share 0-1",
                                 "Erlang C: the probability that a rider waits"},
    [SCH_THEORY_WAIT_MEAN_S] = {"wait_mean_s", "s", "Erlang C: the mean wait in queue"},
};
SAME_COUNT(theory_fields, SCH_THEORY_N);
const sch_table schema_theory =
    TABLE("summary.json", "platforms[].theory",
          "Only when the world is an M/M/c queue (queue mode, exponential service, flat Poisson "
          "demand, riders who accept and never leave, every driver online and none declining): "
          "what queueing theory says, beside the simulated riders and drivers objects.",
          theory_fields);

static const sch_field settle_fields[] = {
    [SCH_SETTLE_RIDE_PAYMENTS] = {"ride_payments", "count",
                                  "ride payments submitted to the chain in the window"},
    [SCH_SETTLE_RIDE_PAYMENTS_FINAL] = {"ride_payments_final", "count", "those that became final"},
    [SCH_SETTLE_RIDE_PAYMENTS_FAILED] = {"ride_payments_failed", "count",
                                         "payments the ledger refused"},
    [SCH_SETTLE_DRIVER_PAY_FINAL] = {"driver_pay_final", MONEY,
                                     "driver pay in payments that became final"},
    [SCH_SETTLE_DRIVER_PAY_PENDING] = {"driver_pay_pending", MONEY,
                                       "driver pay submitted but not final at the end"},
    [SCH_SETTLE_RIDER_FEES] = {"rider_fees", MONEY,
                               "chain fees riders paid on top of the fare (in the price they "
                               "compared with their willingness to pay)"},
    [SCH_SETTLE_MOVEMENT_REWARDS] = {"movement_rewards", "tokens (currency units)",
                                     "La'Zooz-style movement rewards minted for driving"},
};
SAME_COUNT(settle_fields, SCH_SETTLE_N);
const sch_table schema_settlement =
    TABLE("summary.json", "platforms[].settlement",
          "Platforms on a chain ledger: how their ride payments settled.", settle_fields);

static const sch_field finance_fields[] = {
    [SCH_FIN_COSTS] = {"costs", "object", "cost items over the window (below)"},
    [SCH_FIN_COST_SHARE] = {"cost_share_of_bookings", "share",
                            "every cost item and interest over gross bookings"},
    [SCH_FIN_NET_RESULT] = {"net_result", MONEY,
                            "revenue - subsidies - costs - interest: a co-op's surplus, a "
                            "centralized platform's profit"},
    [SCH_FIN_FLOOR_OWED] = {"pay_floor_owed", MONEY, "top-ups the pay floor promised"},
    [SCH_FIN_FLOOR_PAID] = {"pay_floor_paid", MONEY, "top-ups paid"},
    [SCH_FIN_FLOOR_FUNDING] = {"floor_funding", "share 0-1",
                               "paid / owed (null when nothing was owed)"},
    [SCH_FIN_CAPITAL_IN] = {"capital_in", MONEY,
                            "starting cash, grants and investor capital paid in"},
    [SCH_FIN_LOANS_DRAWN] = {"loans_drawn", MONEY, "loans and revenue-share notes drawn"},
    [SCH_FIN_PRINCIPAL_REPAID] = {"principal_repaid", MONEY, "their principal repaid"},
    [SCH_FIN_REQUIRED_RETURN] = {"investors_required_return", MONEY,
                                 "investors' stated return on their capital, accrued (not "
                                 "paid)"},
    [SCH_FIN_CASH_END] = {"cash_end", MONEY, "cash at the end of the run"},
    [SCH_FIN_DEBT_END] = {"debt_end", MONEY, "loan and note principal outstanding at the end"},
    [SCH_FIN_CREDIT_LIMIT] = {"credit_limit", MONEY, "how far below zero cash may go"},
    [SCH_FIN_RUNWAY_DAYS] = {"runway_days", "days",
                             "cash at the end / its average daily fall over the last seven "
                             "day closes; null when it did not fall, 0 when none is left"},
    [SCH_FIN_CASH_BY_WEEK] = {"cash_by_week", "list of " MONEY,
                              "cash at every seventh day close and at the last"},
    [SCH_FIN_FAILED] = {"failed", "true/false",
                        "cash went past the credit limit (experiments: the share of runs, "
                        "with its Wilson interval)"},
    [SCH_FIN_FAILED_DAY] = {"failed_day", "day",
                            "the day (1 = the first) at whose close it failed; null if it did "
                            "not. From then on it takes no riders"},
    [SCH_FIN_EXTRACTION] = {"extraction", "object", "what left the community, by component"},
};
SAME_COUNT(finance_fields, SCH_FIN_N);
const sch_table schema_finance =
    TABLE("summary.json", "platforms[].finance",
          "The platform's books (docs/platform-rules.md, sections 4-10): flows over the window, "
          "balances at the end.",
          finance_fields);

static const sch_field cost_fields[] = {
    [SCH_COST_PAYMENT] = {"payment_processing", MONEY, "share of rider prices + per trip"},
    [SCH_COST_INSURANCE] = {"insurance", MONEY, "per km with a passenger and per online hour"},
    [SCH_COST_SUPPORT] = {"support", MONEY, "per trip (costs.per_trip)"},
    [SCH_COST_APP] = {"app_and_development", MONEY, "per day (costs.fixed_per_day)"},
    [SCH_COST_ACQUISITION] = {"acquisition", MONEY,
                              "per driver admitted, and marketing to riders in a shared market"},
    [SCH_COST_VALIDATORS] = {"own_validators", MONEY, "running the platform's own chain nodes"},
    [SCH_COST_CHAIN_FEES] = {"chain_fees", MONEY,
                             "fees of the platform's own chain transactions (subsidy transfers)"},
    [SCH_COST_INTEREST] = {"interest", MONEY, "on loans, on cash below zero, notes' return"},
};
SAME_COUNT(cost_fields, SCH_COST_N);
const sch_table schema_finance_costs = TABLE("summary.json", "platforms[].finance.costs",
                                             "Cost items, the same for both kinds.", cost_fields);

static const sch_field extraction_fields[] = {
    [SCH_EXT_OUTSIDE_FEES] = {"outside_validator_fees", MONEY,
                              "the share of chain fees (the platform's and the riders') paid to "
                              "validators outside the community (costs.outside_validators)"},
    [SCH_EXT_OWNERS_EXCESS] = {"owners_above_required_return", MONEY,
                               "profit owned by outside investors above their required return "
                               "(0 for a co-op: its surplus is its members')"},
    [SCH_EXT_TOTAL] = {"total", MONEY, "their sum (platform.extraction)"},
};
SAME_COUNT(extraction_fields, SCH_EXT_N);
const sch_table schema_finance_extraction =
    TABLE("summary.json", "platforms[].finance.extraction",
          "Money that leaves the community of drivers and riders beyond the cost of the "
          "service.",
          extraction_fields);

/* ---- CSV ---------------------------------------------------------------------------------- */

static const sch_field drivers_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"driver", "index", "the driver, from 0"},
    {"online_hours", "h", "online time in the window"},
    {"trips", "count", "trips completed"},
    {"km", "km", "distance driven (pickups, trips and repositioning)"},
    {"passenger_share", "share 0-1", "share of online time with a passenger"},
    {"pickup_share", "share 0-1",
     "share of online time on the way to pickups, from the offer (drivers.response_time "
     "included) to the pickup"},
    {"idle_share", "share 0-1", "share of online time idle or repositioning"},
    {"trip_pay", MONEY, "pay for trips"},
    {"dividends", MONEY, "patronage dividends received"},
    {"floor_owed", MONEY, "pay-floor top-ups owed to the driver"},
    {"topups", MONEY, "pay-floor top-ups paid to the driver"},
    {"income", MONEY,
     "everything received from the platform (trip pay, dividends, top-ups, "
     "less entry fees)"},
    {"vehicle_costs", MONEY, "cost per km times km plus cost per hour times online hours"},
    {"net", MONEY, "income - vehicle costs"},
    {"net_per_hour", MONEY_H, "net per online hour (empty when never online)"},
    {"reservation_wage", MONEY_H, "the driver's reservation wage"},
};
const sch_table schema_drivers_csv =
    TABLE("drivers.csv", NULL,
          "One row per driver and platform, including drivers who never went online; figures "
          "over the window after the warm-up. Money exact to the cent.",
          drivers_csv_fields);

static const sch_field hourly_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"hour", "index",
     "hour of the run, from 0; hours that begin inside the warm-up are left "
     "out"},
    {"requests", "count", "requests made in the hour"},
    {"served", "count", "of those, trips completed"},
    {"abandoned", "count", "of those, riders who gave up waiting"},
    {"wait_mean_s", "s", "mean wait for pickup of the hour's requests picked up"},
    {"wait_p50_s", "s", "median of that wait"},
    {"wait_p95_s", "s", "95th percentile of that wait"},
    {"utilization", "share 0-1", "share of the hour's online time with a passenger"},
    {"online_drivers", "drivers", "mean number of drivers online over the hour"},
    {"mean_surge", "multiplier", "mean surge multiplier over zones and updates (1: none)"},
    {"finality_mean_s", "s",
     "chain ledgers: mean time from a ride payment's submission to its finality, over payments "
     "submitted in the hour (empty on the central ledger, or when none became final)"},
    {"finality_p95_s", "s", "chain ledgers: 95th percentile of that time"},
};
const sch_table schema_hourly_csv =
    TABLE("hourly.csv", NULL, "One row per platform and hour of the run.", hourly_csv_fields);

static const sch_field trips_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"request", "index", "the request's number in the whole run"},
    {"request_s", "s", "time of the request"},
    {"status", "text",
     "served, abandoned, refused_quote, riding, assigned, waiting, or platform_closed (asked "
     "after the platform failed)"},
    {"origin_x_m", "m", "origin, x"},
    {"origin_y_m", "m", "origin, y"},
    {"dest_x_m", "m", "destination, x"},
    {"dest_y_m", "m", "destination, y"},
    {"distance_km", "km", "trip distance (straight line times the detour factor)"},
    {"driver", "index", "the driver assigned (empty when none)"},
    {"wait_s", "s", "request to pickup (empty when not picked up)"},
    {"trip_s", "s", "pickup to drop-off (empty when not completed)"},
    {"price", MONEY, "the rider's quoted price"},
    {"driver_pay", MONEY, "the driver's pay for the trip"},
    {"subsidy", MONEY, "what the platform paid on top"},
    {"revenue", MONEY, "the platform's or co-op's share"},
    {"surge", "multiplier", "surge multiplier of the quote"},
    {"standard_topup", MONEY, "paid on top of driver_pay to meet the pay standard (0 without one)"},
    {"eta_s", "s",
     "pickup ETA the quote showed: response time plus travel from the platform's nearest idle "
     "driver, or response time plus market.max_pickup with none near (empty in queue mode)"},
};
static const sch_field books_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"day", "index", "the day, from 1 (the last may be part of a day)"},
    {"end_s", "s", "time of the day's close"},
    {"gross_bookings", MONEY, "what riders paid for trips completed that day"},
    {"revenue", MONEY, "the platform's share of those fares"},
    {"subsidies", MONEY, "what the platform paid on top of fares"},
    {"payment_processing", MONEY, "cost item"},
    {"insurance", MONEY, "cost item"},
    {"support", MONEY, "cost item"},
    {"app_and_development", MONEY, "cost item"},
    {"acquisition", MONEY, "cost item"},
    {"own_validators", MONEY, "cost item"},
    {"chain_fees", MONEY, "cost item"},
    {"interest", MONEY, "interest, and notes' return"},
    {"surplus", MONEY, "revenue - subsidies - costs - interest"},
    {"floor_owed", MONEY, "pay-floor top-ups owed at a period end that day"},
    {"floor_paid", MONEY, "of those, paid"},
    {"dividends", MONEY, "dividends paid"},
    {"entry_fees", MONEY, "entry fees paid in"},
    {"deposits_forfeited", MONEY,
     "proposal deposits members forfeited to the co-op that day (governance.deposit)"},
    {"capital_in", MONEY, "starting cash, grants, investor capital paid in"},
    {"loans_drawn", MONEY, "loans and notes drawn"},
    {"principal_repaid", MONEY, "their principal repaid"},
    {"investors_required_return", MONEY, "investors' stated return accrued (not paid)"},
    {"reserve", MONEY, "the co-op reserve at the close"},
    {"cash", MONEY, "cash at the close"},
    {"debt", MONEY, "loan and note principal outstanding at the close"},
    {"open", "0/1", "1 while the platform takes riders; 0 from the day it failed"},
};
const sch_table schema_books_csv =
    TABLE("books.csv", NULL,
          "One row per platform and day close (every day of the run, the warm-up included): "
          "flows over the day, balances at the close; docs/platform-rules.md sections 9-10.",
          books_csv_fields);

const sch_table schema_trips_csv =
    TABLE("trips.csv", NULL,
          "With `--trips`: one row per request made at or after the warm-up, with its status.",
          trips_csv_fields);

static const sch_field pay_value_fields[] = {
    [SCH_PV_DELAY_COST_PER_HOUR] =
        {"delay_cost_per_hour", "share per hour",
         "drivers.pay_delay_cost: share of a payment lost per hour it waits for finality"},
    [SCH_PV_DRIVERS] = {"drivers", "count",
                        "drivers with chain pay or rewards in the measured window"},
    [SCH_PV_PAY_FINAL] = {"pay_final", "currency units",
                          "ride pay final in the window (trips dropped off after the warm-up)"},
    [SCH_PV_PAY_VALUE] =
        {"pay_value", "currency units",
         "that pay, each payment less delay_cost_per_hour x hours from drop-off to finality"},
    [SCH_PV_DELAY_COST] = {"delay_cost", "currency units",
                           "pay_final - pay_value: what waiting for finality costs the drivers"},
    [SCH_PV_REWARD_TOKENS] = {"reward_tokens", "token base units",
                              "movement rewards minted to drivers in the window"},
    [SCH_PV_REWARD_VALUE] = {"reward_value", "currency units",
                             "those tokens at the day's price (ledger.rewards.price)"},
    [SCH_PV_VALUE] = {"value", "currency units",
                      "pay_value + reward_value: what the drivers' chain income is worth to them"},
    [SCH_PV_VALUE_PER_DRIVER_MEAN] = {"value_per_driver_mean", "currency units",
                                      "mean of value over those drivers"},
    [SCH_PV_VALUE_PER_DRIVER_P10] = {"value_per_driver_p10", "currency units",
                                     "its 10th percentile"},
    [SCH_PV_VALUE_PER_DRIVER_P50] = {"value_per_driver_p50", "currency units", "its median"},
    [SCH_PV_HOURS_LOST] = {"hours_lost", "hours",
                           "plans made after the warm-up: hours drivers would have driven had "
                           "they counted chain pay at face value, less the hours they drove "
                           "counting its worth (free entry: each driver's plan under the same "
                           "draws; fixed pool with drivers.participation: shifts skipped); < 0: "
                           "rewards added hours"},
    [SCH_PV_TOKEN_PRICE_BY_DAY] = {"token_price_by_day", "cents per token, array",
                                   "the reward token's price on each day of the run"},
    [SCH_PV_DELAY_COST_BY_DAY] = {"delay_cost_by_day", "currency units, array",
                                  "what waiting for finality cost the drivers, by the day each "
                                  "payment became final"},
    [SCH_PV_REWARD_VALUE_BY_DAY] = {"reward_value_by_day", "currency units, array",
                                    "movement rewards minted each day, at that day's price"},
    [SCH_PV_HOURS_LOST_BY_DAY] = {"hours_lost_by_day", "hours, array",
                                  "hours_lost by day of the run, the warm-up included"},
};
SAME_COUNT(pay_value_fields, SCH_PV_N);
const sch_table schema_pay_value =
    TABLE("summary.json", "platforms[].pay_value",
          "Chain platforms whose scenario values chain pay: the drivers' pay after the cost of "
          "waiting for finality, and movement rewards at the token's price (docs/chain.md).",
          pay_value_fields);
