/* The domain's output schema: every column of the run's CSV tables and every key of the
 * platforms' entries in summary.json, with unit and meaning. Pure data below every model: the
 * market, ledger and governance writers take their names from here, and the report, which must
 * not link the models, reads a run directory through these tables only. The enums index the
 * JSON objects' keys for their writers; CSV writers write their header from the table and
 * their fields in its order. */
#ifndef MODELS_SCHEMA_H
#define MODELS_SCHEMA_H

#include "sim/schema.h"

#include <stdbool.h>

/* summary.json: the run's part of the root object (the program and sim/experiment.h declare
 * the rest). */
enum { SCH_RUN_PLATFORMS, SCH_RUN_COMPARISON, SCH_RUN_COMPETITION, SCH_RUN_DEMAND_FILE, SCH_RUN_N };
extern const sch_table schema_run;

/* summary.json → platforms[]: one entry per platform. */
enum {
    SCH_PF_NAME,
    SCH_PF_KIND,
    SCH_PF_RIDERS,
    SCH_PF_DRIVERS,
    SCH_PF_PLATFORM,
    SCH_PF_FINANCE,
    SCH_PF_CHECKS,
    SCH_PF_THEORY,
    SCH_PF_SETTLEMENT,
    SCH_PF_CHAIN,
    SCH_PF_GOVERNANCE,
    SCH_PF_PAY_VALUE,
    SCH_PF_LONG_RUN,
    SCH_PF_COMPETITION,
    SCH_PF_LOAD,
    SCH_PF_WELFARE,
    SCH_PF_OFFERS,
    SCH_PF_N
};
extern const sch_table schema_platform_entry;

enum {
    SCH_RIDERS_REQUESTS,
    SCH_RIDERS_SERVED,
    SCH_RIDERS_ABANDONED,
    SCH_RIDERS_REFUSED_QUOTE,
    SCH_RIDERS_WAIT_MEAN_S,
    SCH_RIDERS_WAIT_P50_S,
    SCH_RIDERS_WAIT_P95_S,
    SCH_RIDERS_FARE_MEAN,
    SCH_RIDERS_WAITED_SHARE,
    SCH_RIDERS_N
};
extern const sch_table schema_riders;

enum {
    SCH_DRIVERS_COUNT,
    SCH_DRIVERS_ONLINE_HOURS,
    SCH_DRIVERS_UTILIZATION,
    SCH_DRIVERS_PICKUP_SHARE,
    SCH_DRIVERS_RESPONSE_SHARE,
    SCH_DRIVERS_IDLE_SHARE,
    SCH_DRIVERS_GROSS_PER_HOUR,
    SCH_DRIVERS_NET_PER_HOUR,
    SCH_DRIVERS_NET_PER_HOUR_P10,
    SCH_DRIVERS_NET_PER_HOUR_P50,
    SCH_DRIVERS_NET_PER_HOUR_P90,
    SCH_DRIVERS_INCOME_GINI,
    SCH_DRIVERS_DIVIDENDS,
    SCH_DRIVERS_SURGE_MOVES,
    SCH_DRIVERS_SURGE_EARLY_STARTS,
    SCH_DRIVERS_SURGE_EXTENSIONS,
    SCH_DRIVERS_N
};
extern const sch_table schema_drivers;

enum {
    SCH_PLAT_GROSS_BOOKINGS,
    SCH_PLAT_DRIVER_PAY,
    SCH_PLAT_REVENUE,
    SCH_PLAT_SUBSIDIES,
    SCH_PLAT_OPERATING_COSTS,
    SCH_PLAT_CHAIN_FEES,
    SCH_PLAT_INTEREST,
    SCH_PLAT_PROFIT,
    SCH_PLAT_SURPLUS,
    SCH_PLAT_RESERVE,
    SCH_PLAT_RESERVE_END,
    SCH_PLAT_EXTRACTION,
    SCH_PLAT_PAY_FLOOR_OWED,
    SCH_PLAT_PAY_FLOOR_TOPUPS,
    SCH_PLAT_ENTRY_FEES,
    SCH_PLAT_TAKE_RATE,
    SCH_PLAT_STANDARD_TOPUPS,
    SCH_PLAT_STANDARD_TRIPS,
    SCH_PLAT_N
};
extern const sch_table schema_platform;

/* platforms[].finance: the platform's books (docs/platform-rules.md, sections 4-10). */
enum {
    SCH_FIN_COSTS,
    SCH_FIN_COST_SHARE,
    SCH_FIN_NET_RESULT,
    SCH_FIN_FLOOR_OWED,
    SCH_FIN_FLOOR_PAID,
    SCH_FIN_FLOOR_FUNDING,
    SCH_FIN_CAPITAL_IN,
    SCH_FIN_LOANS_DRAWN,
    SCH_FIN_PRINCIPAL_REPAID,
    SCH_FIN_REQUIRED_RETURN,
    SCH_FIN_CASH_END,
    SCH_FIN_DEBT_END,
    SCH_FIN_CREDIT_LIMIT,
    SCH_FIN_RUNWAY_DAYS,
    SCH_FIN_CASH_BY_WEEK,
    SCH_FIN_FAILED,
    SCH_FIN_FAILED_DAY,
    SCH_FIN_EXTRACTION,
    SCH_FIN_N
};
extern const sch_table schema_finance;

/* platforms[].finance.costs: the cost items, the same for both kinds. */
enum {
    SCH_COST_PAYMENT,
    SCH_COST_INSURANCE,
    SCH_COST_SUPPORT,
    SCH_COST_APP,
    SCH_COST_ACQUISITION,
    SCH_COST_VALIDATORS,
    SCH_COST_CHAIN_FEES,
    SCH_COST_INTEREST,
    SCH_COST_N
};
extern const sch_table schema_finance_costs;

/* platforms[].finance.extraction: what leaves the community, by component. */
enum { SCH_EXT_OUTSIDE_FEES, SCH_EXT_OWNERS_EXCESS, SCH_EXT_TOTAL, SCH_EXT_N };
extern const sch_table schema_finance_extraction;

/* platforms[].welfare: surplus of riders, drivers and the platform (docs/model.md, "Welfare"). */
enum {
    SCH_WEL_RIDER_SURPLUS,
    SCH_WEL_RIDER_SURPLUS_PER_REQUEST,
    SCH_WEL_RIDER_WTP,
    SCH_WEL_RIDER_PAID,
    SCH_WEL_RIDER_CHAIN_FEES,
    SCH_WEL_RIDER_WAIT_COST,
    SCH_WEL_RIDER_WAIT_COST_ABANDONED,
    SCH_WEL_DRIVER_SURPLUS,
    SCH_WEL_DRIVER_SURPLUS_PER_DRIVER,
    SCH_WEL_DRIVER_SURPLUS_PER_HOUR,
    SCH_WEL_DRIVER_INCOME,
    SCH_WEL_DRIVER_VEHICLE_COSTS,
    SCH_WEL_DRIVER_OUTSIDE_OPTION,
    SCH_WEL_PLATFORM_SURPLUS,
    SCH_WEL_PLATFORM_COSTS,
    SCH_WEL_TOTAL,
    SCH_WEL_TOTAL_PER_REQUEST,
    SCH_WEL_N
};
extern const sch_table schema_welfare;

enum { SCH_CHECKS_MONEY_CONSERVATION_ERROR, SCH_CHECKS_REQUEST_STREAM_HASH, SCH_CHECKS_N };
extern const sch_table schema_checks;

enum {
    SCH_THEORY_MODEL,
    SCH_THEORY_SERVERS,
    SCH_THEORY_OFFERED_LOAD_ERLANGS,
    SCH_THEORY_UTILIZATION,
    SCH_THEORY_WAITED_SHARE,
    SCH_THEORY_WAIT_MEAN_S,
    SCH_THEORY_N
};
extern const sch_table schema_theory;

enum {
    SCH_SETTLE_RIDE_PAYMENTS,
    SCH_SETTLE_RIDE_PAYMENTS_FINAL,
    SCH_SETTLE_RIDE_PAYMENTS_FAILED,
    SCH_SETTLE_DRIVER_PAY_FINAL,
    SCH_SETTLE_DRIVER_PAY_PENDING,
    SCH_SETTLE_RIDER_FEES,
    SCH_SETTLE_MOVEMENT_REWARDS,
    SCH_SETTLE_N
};
extern const sch_table schema_settlement;

enum {
    SCH_CHAIN_CONSENSUS,
    SCH_CHAIN_NODES,
    SCH_CHAIN_BLOCKS,
    SCH_CHAIN_STALE_BLOCKS,
    SCH_CHAIN_STALE_RATE,
    SCH_CHAIN_REORGANISATIONS,
    SCH_CHAIN_REORGANISATIONS_PAST_FINALITY,
    SCH_CHAIN_MISSED_SLOTS,
    SCH_CHAIN_FAILED_ROUNDS,
    SCH_CHAIN_TRANSACTIONS,
    SCH_CHAIN_TRANSACTIONS_PENDING,
    SCH_CHAIN_TPS_MEAN,
    SCH_CHAIN_CONFIRM_LATENCY_MEAN_S,
    SCH_CHAIN_CONFIRM_LATENCY_P95_S,
    SCH_CHAIN_BLOCK_PROPAGATION_P50_S,
    SCH_CHAIN_FEES_TOTAL,
    SCH_CHAIN_FEES_TOTAL_BASE_UNITS,
    SCH_CHAIN_TOKEN_MINTED,
    SCH_CHAIN_TOKEN_BURNED,
    SCH_CHAIN_TOKEN_SUPPLY,
    SCH_CHAIN_TOKEN_GINI,
    SCH_CHAIN_LEDGER_FINGERPRINT,
    SCH_CHAIN_CHECKS,
    SCH_CHAIN_ADVERSARY,
    SCH_CHAIN_N
};
extern const sch_table schema_chain;

/* platforms[].chain.adversary: only with ledger.adversary.attack set; the keys of each attack
 * (docs/chain.md, "Attacks"). */
enum {
    SCH_ADV_ATTACK,
    SCH_ADV_SHARE,
    SCH_ADV_CONFIRMATIONS,
    SCH_ADV_PREMINE,
    SCH_ADV_GIVE_UP,
    SCH_ADV_TRIALS,
    SCH_ADV_SUCCESSES,
    SCH_ADV_SUCCESS_RATE,
    SCH_ADV_SUCCESS_CI95,
    SCH_ADV_THEORY,
    SCH_ADV_PAYMENT,
    SCH_ADV_REVERSED_AMOUNT,
    SCH_ADV_REVERSED_AMOUNT_BASE_UNITS,
    SCH_ADV_TIES,
    SCH_ADV_GAMMA,
    SCH_ADV_GAMMA_MEASURED,
    SCH_ADV_TIE_BLOCKS,
    SCH_ADV_POOL_BLOCKS,
    SCH_ADV_MAIN_BLOCKS,
    SCH_ADV_REVENUE_SHARE,
    SCH_ADV_REVENUE_SHARE_CI95,
    SCH_ADV_VALIDATORS,
    SCH_ADV_CENSORED_DRIVERS,
    SCH_ADV_CENSORED_TRANSACTIONS,
    SCH_ADV_CENSORED_PAYMENTS_PENDING,
    SCH_ADV_CENSORED_PAYMENTS,
    SCH_ADV_OTHER_PAYMENTS,
    SCH_ADV_EXTRA_DELAY_MEAN_S,
    SCH_ADV_THEORY_EXTRA_DELAY_S,
    SCH_ADV_TOLERATED,
    SCH_ADV_EQUIVOCATIONS,
    SCH_ADV_SAFETY_VIOLATIONS,
    SCH_ADV_FIRST_VIOLATION_HEIGHT,
    SCH_ADV_N
};
extern const sch_table schema_chain_adversary;

enum {
    SCH_LOAD_RATE_PER_S,
    SCH_LOAD_ACCOUNTS,
    SCH_LOAD_AMOUNT,
    SCH_LOAD_TRANSFERS,
    SCH_LOAD_TRANSFERS_FINAL,
    SCH_LOAD_TRANSFERS_REFUSED,
    SCH_LOAD_N
};
extern const sch_table schema_load;

/* platforms[].pay_value: what chain pay is worth to the drivers (models/market/payvalue.c). */
enum {
    SCH_PV_DELAY_COST_PER_HOUR,
    SCH_PV_DRIVERS,
    SCH_PV_PAY_FINAL,
    SCH_PV_PAY_VALUE,
    SCH_PV_DELAY_COST,
    SCH_PV_REWARD_TOKENS,
    SCH_PV_REWARD_VALUE,
    SCH_PV_VALUE,
    SCH_PV_VALUE_PER_DRIVER_MEAN,
    SCH_PV_VALUE_PER_DRIVER_P10,
    SCH_PV_VALUE_PER_DRIVER_P50,
    SCH_PV_HOURS_LOST,
    SCH_PV_TOKEN_PRICE_BY_DAY,
    SCH_PV_DELAY_COST_BY_DAY,
    SCH_PV_REWARD_VALUE_BY_DAY,
    SCH_PV_HOURS_LOST_BY_DAY,
    SCH_PV_N
};
extern const sch_table schema_pay_value;

enum {
    SCH_CHAINCHK_TOKEN_CONSERVATION_ERROR,
    SCH_CHAINCHK_CONSERVATION_CHECKED_BLOCKS,
    SCH_CHAINCHK_INVALID_TRANSACTIONS,
    SCH_CHAINCHK_N
};
extern const sch_table schema_chain_checks;

enum {
    SCH_GOV_VOTING,
    SCH_GOV_MEMBERS,
    SCH_GOV_RIDER_MEMBERS,
    SCH_GOV_PROPOSALS,
    SCH_GOV_DECIDED,
    SCH_GOV_PASSED,
    SCH_GOV_APPLIED,
    SCH_GOV_TURNOUT_MEAN,
    SCH_GOV_VOTES_CAST,
    SCH_GOV_VOTES_LATE,
    SCH_GOV_VOTE_TRANSACTIONS,
    SCH_GOV_VOTING_POWER_GINI,
    SCH_GOV_NAKAMOTO_COEFFICIENT,
    SCH_GOV_TOKEN_SUPPLY,
    SCH_GOV_TOKEN_GINI,
    SCH_GOV_TOKEN_NAKAMOTO,
    SCH_GOV_COMMISSION_FINAL,
    SCH_GOV_RESERVE_SHARE_FINAL,
    SCH_GOV_DIVIDEND_BASIS_FINAL,
    SCH_GOV_PAY_FLOOR_FINAL,
    SCH_GOV_ERRORS,
    SCH_GOV_PASSED_PENDING,
    SCH_GOV_TURNOUT_WEIGHT_MEAN,
    SCH_GOV_DELEGATORS,
    SCH_GOV_DELEGATED_POWER_GINI,
    SCH_GOV_DELEGATED_NAKAMOTO,
    SCH_GOV_POWER_1,
    SCH_GOV_POWER_2,
    SCH_GOV_POWER_3,
    SCH_GOV_BANZHAF_1,
    SCH_GOV_BANZHAF_2,
    SCH_GOV_BANZHAF_3,
    SCH_GOV_QUORUM_MINORITY,
    SCH_GOV_PROPOSALS_BY_MEMBERS,
    SCH_GOV_DEPOSITS_PAID,
    SCH_GOV_DEPOSITS_REFUNDED,
    SCH_GOV_DEPOSITS_FORFEITED,
    SCH_GOV_DEPOSITS_HELD,
    SCH_GOV_RAISES_DETERRED,
    SCH_GOV_ATTACKS_FLIPPED,
    SCH_GOV_N
};
extern const sch_table schema_governance;
/* votes.csv: each eligible member's decision on each proposal. */
extern const sch_table schema_votes_csv;

/* summary.json → comparison[]: each platform after the first against the first. */
enum { SCH_CMP_PLATFORM, SCH_CMP_BASELINE, SCH_CMP_DIFFERENCE, SCH_CMP_SURGE_PAYERS, SCH_CMP_N };
extern const sch_table schema_comparison;

/* summary.json → comparison[].surge_payers[] (paired.c): the riders who paid a surge on one
 * platform of the pair, and the same requests on the other. */
enum {
    SCH_SP_NAME,
    SCH_SP_OTHER,
    SCH_SP_PAYERS,
    SCH_SP_WAIT_MEAN_S,
    SCH_SP_WAIT_P50_S,
    SCH_SP_OTHER_SERVED,
    SCH_SP_OTHER_ABANDONED,
    SCH_SP_OTHER_REFUSED_QUOTE,
    SCH_SP_OTHER_NOT_OVER,
    SCH_SP_OTHER_WAIT_MEAN_S,
    SCH_SP_OTHER_WAIT_P50_S,
    SCH_SP_PAIRED_WAIT_MEAN_S,
    SCH_SP_PAIRED_DIFFERENCE_S,
    SCH_SP_PAIRED_DIFFERENCE_SE_S,
    SCH_SP_N
};
extern const sch_table schema_surge_payers;

/* The metrics a comparison's `difference` holds, as "section.metric" keys: the section's table
 * (schema_riders, schema_drivers, schema_platform) and the field's index in it. */
typedef struct schema_metric_ref {
    const sch_table *table;
    int field;
} schema_metric_ref;
extern const schema_metric_ref schema_compared[];
extern const size_t schema_n_compared;

/* summary.json → platforms[].long_run (free entry): convergence, the fleet's response to pay,
 * and the short-run and long-run figures (models/schema/longrun.c). */
enum {
    SCH_LR_CONVERGED,
    SCH_LR_CONVERGED_DAY,
    SCH_LR_TOLERANCE,
    SCH_LR_RULE,
    SCH_LR_WINDOW_FIRST_DAY,
    SCH_LR_WINDOW_LAST_DAY,
    SCH_LR_HOURS_RESPONSE,
    SCH_LR_SHORT_RUN,
    SCH_LR_LONG_RUN,
    SCH_LR_N
};
extern const sch_table schema_long_run;
enum {
    SCH_RESP_PAY_RISE,
    SCH_RESP_HOURS,
    SCH_RESP_HOURS_AFTER,
    SCH_RESP_ELASTICITY,
    SCH_RESP_DRIVERS,
    SCH_RESP_DRIVERS_AFTER,
    SCH_RESP_N
};
extern const sch_table schema_hours_response;
/* The figures of short_run and long_run (the same keys). */
enum {
    SCH_FIG_ACTIVE,
    SCH_FIG_ONLINE,
    SCH_FIG_ENTRANTS,
    SCH_FIG_EXITS,
    SCH_FIG_HOURS,
    SCH_FIG_UTILIZATION,
    SCH_FIG_GROSS,
    SCH_FIG_NET,
    SCH_FIG_SURPLUS,
    SCH_FIG_SURPLUS_ACTIVE,
    SCH_FIG_SERVED,
    SCH_FIG_ABANDONED,
    SCH_FIG_REFUSED,
    SCH_FIG_WAIT,
    SCH_FIG_FARE,
    SCH_FIG_N
};
extern const sch_table schema_short_run;
extern const sch_table schema_long_run_means;

/* The first column of every table a run writes (drivers.csv, hourly.csv, trips.csv, books.csv,
 * days.csv, blocks.csv, governance.csv, votes.csv, rules.csv): the run the row belongs to, so
 * that the tables of an experiment's runs (runs/run-N/) stack without a join. */
#define SCH_RUN_COLUMN                                                                             \
    {                                                                                              \
        "run", "index",                                                                            \
            "the run: N of runs/run-N in an experiment, 0 for a single run (as metrics.csv's run)" \
    }

/* days.csv (free entry), columns in order. */
enum {
    SCH_DAYS_RUN,
    SCH_DAYS_PLATFORM,
    SCH_DAYS_DAY,
    SCH_DAYS_ACTIVE,
    SCH_DAYS_ENTRANTS,
    SCH_DAYS_EXITS,
    SCH_DAYS_ONLINE,
    SCH_DAYS_HOURS,
    SCH_DAYS_UTILIZATION,
    SCH_DAYS_GROSS,
    SCH_DAYS_GROSS_P10,
    SCH_DAYS_GROSS_P50,
    SCH_DAYS_GROSS_P90,
    SCH_DAYS_NET,
    SCH_DAYS_NET_P10,
    SCH_DAYS_NET_P50,
    SCH_DAYS_NET_P90,
    SCH_DAYS_SURPLUS,
    SCH_DAYS_SURPLUS_ACTIVE,
    SCH_DAYS_REQUESTS,
    SCH_DAYS_SERVED,
    SCH_DAYS_ABANDONED,
    SCH_DAYS_REFUSED,
    SCH_DAYS_WAIT,
    SCH_DAYS_FARE,
    SCH_DAYS_CONSERVATION,
    SCH_DAYS_N
};
extern const sch_table schema_days_csv;

/* CSV tables, written in the order of their columns. */
extern const sch_table schema_drivers_csv;
extern const sch_table schema_hourly_csv;
extern const sch_table schema_trips_csv;
extern const sch_table schema_books_csv;
extern const sch_table schema_blocks_csv;
extern const sch_table schema_accounts_csv; /* in ledger-<platform>/ (docs/ledger-format.md) */
extern const sch_table schema_governance_csv;
extern const sch_table schema_rules_csv;

/* Every table of a run directory, in the order of docs/output-reference.md: the run's, the
 * experiment's (sim/experiment.h), the platforms' entries and the CSV tables. */
/* metrics.csv and run.csv (models/schema/tidy.c). */
enum {
    SCH_METRICS_RUN,
    SCH_METRICS_POINT,
    SCH_METRICS_REPLICATION,
    SCH_METRICS_SEED,
    SCH_METRICS_PLATFORM,
    SCH_METRICS_METRIC,
    SCH_METRICS_VALUE,
    SCH_METRICS_UNIT,
    SCH_METRICS_N
};
extern const sch_table schema_metrics_csv;
enum {
    SCH_RUNCSV_SCENARIO,
    SCH_RUNCSV_SCENARIO_FILE,
    SCH_RUNCSV_SCENARIO_SHA256,
    SCH_RUNCSV_COOPSIM_VERSION,
    SCH_RUNCSV_SEED,
    SCH_RUNCSV_RUNS,
    SCH_RUNCSV_N
};
extern const sch_table schema_run_csv;
/* compare.csv (coopsim compare). */
enum {
    SCH_CMPCSV_PLATFORM,
    SCH_CMPCSV_METRIC,
    SCH_CMPCSV_UNIT,
    SCH_CMPCSV_RUN,
    SCH_CMPCSV_N,
    SCH_CMPCSV_MEAN,
    SCH_CMPCSV_CI95_LOW,
    SCH_CMPCSV_CI95_HIGH,
    SCH_CMPCSV_DIFFERENCE,
    SCH_CMPCSV_DIFF_LOW,
    SCH_CMPCSV_DIFF_HIGH,
    SCH_CMPCSV_N_FIELDS
};
extern const sch_table schema_compare_csv;

extern const sch_table *const schema_catalog[];
extern const size_t schema_n_catalog;

/* The table of the platform entry's object `section` ("drivers", "chain", "chain.checks"),
 * or NULL. */
const sch_table *schema_platform_section(const char *section);

/* Looks up a platform metric by its path inside a platform entry ("drivers.net_per_hour",
 * "chain.checks.token_conservation_error", "name"). NULL when nothing declares it. */
const sch_field *schema_platform_metric(const char *path);

/* True when `key` ("riders.served") is a metric of schema_compared. */
bool schema_is_compared(const char *key);

/* Writes docs/output-reference.md: an introduction and every table of the catalog. 0, or -1 on
 * a write error. */
int schema_write_reference(FILE *f);

/* summary.json → competition, platforms[].competition, and competition.csv: a shared market
 * (market.platforms: shared). */
enum {
    SCH_COMP_RIDERS,
    SCH_COMP_WITHOUT_APP,
    SCH_COMP_RETRIES,
    SCH_COMP_MULTIHOMING_SHARE,
    SCH_COMP_WINDOW_DAYS,
    SCH_COMP_TIPPING_DAY,
    SCH_COMP_TIPPING_SHARE,
    SCH_COMP_DRIVER_OVERLAPS,
    SCH_COMP_RIDERS_WHO_RODE,
    SCH_COMP_MULTI_APP_SHARE,
    SCH_COMP_SWITCHES,
    SCH_COMP_RIDER_SURPLUS,
    SCH_COMP_DRIVER_SURPLUS,
    SCH_COMP_PLATFORMS,
    SCH_COMP_N
};
extern const sch_table schema_competition;
enum {
    SCH_CPF_NAME,
    SCH_CPF_REQUEST_SHARE,
    SCH_CPF_TRIP_SHARE,
    SCH_CPF_HOURS_SHARE,
    SCH_CPF_FIRST_CHOICE_SHARE,
    SCH_CPF_AWARENESS,
    SCH_CPF_SHOWN_ETA_S,
    SCH_CPF_PEAK_REQUEST_SHARE,
    SCH_CPF_PEAK_DAY,
    SCH_CPF_BREAK_EVEN_DAY,
    SCH_CPF_BROKE_EVEN,
    SCH_CPF_SURVIVED,
    SCH_CPF_FIGHT_DAYS,
    SCH_CPF_BURN,
    SCH_CPF_RAISED_DAY,
    SCH_CPF_MARKETING,
    SCH_CPF_RIDER_SURPLUS,
    SCH_CPF_DRIVER_SURPLUS,
    SCH_CPF_DRIVER_HOURS,
    SCH_CPF_DRIVER_SURPLUS_PER_HOUR,
    SCH_CPF_DRIVER_OUTSIDE_OPTION,
    SCH_CPF_DECLINES,
    SCH_CPF_DECLINE_SHARE,
    SCH_CPF_DECLINE_HOURS,
    SCH_CPF_N
};
extern const sch_table schema_competition_platform;
extern const sch_table schema_competition_csv;

/* competition_days.csv (an experiment of a shared market): point, platform, day, runs, then for
 * each metric (named as its competition.csv column) _mean, _ci95_low, _ci95_high and _n. */
enum { SCH_CDAY_POINT, SCH_CDAY_PLATFORM, SCH_CDAY_DAY, SCH_CDAY_RUNS, SCH_CDAY_FIRST };
enum {
    SCH_CDAY_REQUEST_SHARE,
    SCH_CDAY_TRIP_SHARE,
    SCH_CDAY_HOURS_SHARE,
    SCH_CDAY_SHOWN_ETA_S,
    SCH_CDAY_PROFIT,
    SCH_CDAY_CASH,
    SCH_CDAY_BURN,
    SCH_CDAY_N
};
extern const char *const schema_competition_days_metric[SCH_CDAY_N];
extern const sch_table schema_competition_days_csv;
/* The columns hourly.csv gains at the end of each row in a shared market. */
extern const sch_table schema_hourly_shares_csv;
/* platforms[].offers: declined offers (models/market/offers.c), when they are timed
 * (drivers.decline_time > 0) or a multi-homer's offer rule is set. */
enum { SCH_OFF_OFFERS, SCH_OFF_DECLINES, SCH_OFF_DECLINE_SHARE, SCH_OFF_DECLINE_HOURS, SCH_OFF_N };
extern const sch_table schema_offers;

#endif
