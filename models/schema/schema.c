/* The run's part of summary.json, each platform's entry, the comparison, the catalog of every
 * table a run directory holds, lookups by path and docs/output-reference.md. */
#include "models/schema/schema.h"

#include "sim/experiment.h"

#include <string.h>

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

static const sch_field run_fields[] = {
    [SCH_RUN_PLATFORMS] = {"platforms", "list of objects",
                           "one entry per platform, in the scenario's order (below)"},
    [SCH_RUN_COMPARISON] = {"comparison", "list of objects",
                            "each platform after the first against the first (below)"},
    [SCH_RUN_COMPETITION] = {"competition", "object",
                             "shared market only (market.platforms: shared): shares, break-even, "
                             "burn (below)"},
    [SCH_RUN_DEMAND_FILE] = {"demand_file", "object",
                             "demand.source a trip file only: `source` and `zones` (the files "
                             "read) with `source_sha256` and `zones_sha256` (64 hex digits; "
                             "empty without a zones file), so a run names the data it used"},
};
SAME_COUNT(run_fields, SCH_RUN_N);
const sch_table schema_run =
    TABLE("summary.json", "",
          "The run's own keys at the root of summary.json (beside the identity above). With "
          "market.platforms: separate (the default) each platform ran in its own copy of the city "
          "under identical demand; with shared, all of them in one city.",
          run_fields);

static const sch_field entry_fields[] = {
    [SCH_PF_NAME] = {"name", "text", "the platform's `name`"},
    [SCH_PF_KIND] = {"kind", "text", "centralized or cooperative"},
    [SCH_PF_RIDERS] = {"riders", "object", "riders' service"},
    [SCH_PF_DRIVERS] = {"drivers", "object", "drivers' time and earnings"},
    [SCH_PF_PLATFORM] = {"platform", "object", "the platform's money over the window"},
    [SCH_PF_FINANCE] = {"finance", "object",
                        "the platform's books: costs by item, the pay floor, capital, cash, "
                        "debt, survival, extraction by component"},
    [SCH_PF_CHECKS] = {"checks", "object", "invariants"},
    [SCH_PF_THEORY] = {"theory", "object", "M/M/c worlds only: queueing theory's answer"},
    [SCH_PF_SETTLEMENT] = {"settlement", "object", "chain ledgers only: ride payments"},
    [SCH_PF_CHAIN] = {"chain", "object", "chain ledgers only: the chain's metrics"},
    [SCH_PF_GOVERNANCE] = {"governance", "object", "governed platforms only: the votes"},
    [SCH_PF_PAY_VALUE] = {"pay_value", "object",
                          "chain platforms whose scenario values chain pay (drivers.pay_delay_cost "
                          "or ledger.rewards.price): what it is worth to the drivers"},
    [SCH_PF_LONG_RUN] = {"long_run", "object",
                         "free entry only: the short run and the long run side by side"},
    [SCH_PF_COMPETITION] = {"competition", "object",
                            "shared market only: the platform's shares, break-even and burn"},
    [SCH_PF_LOAD] =
        {"load", "object",
         "chain-only runs (demand.source: none) only: the transfers the chain carried; "
         "such an entry has name, kind, load and chain (with its checks), and no market "
         "sections"},
    [SCH_PF_WELFARE] = {"welfare", "object",
                        "surplus of riders, drivers and the platform, summed and per capita"},
    [SCH_PF_OFFERS] = {"offers", "object",
                       "when drivers.decline_time is above 0 or drivers.offer_rule is not first: "
                       "offers drivers declined and the time they took"},
};
SAME_COUNT(entry_fields, SCH_PF_N);
const sch_table schema_platform_entry =
    TABLE("summary.json", "platforms[]",
          "One platform's results; every figure covers the measured window after "
          "`simulation.warmup` unless said otherwise, money in currency units.",
          entry_fields);

static const sch_field cmp_fields[] = {
    [SCH_CMP_PLATFORM] = {"platform", "text", "the platform compared"},
    [SCH_CMP_BASELINE] = {"baseline", "text", "the first platform"},
    [SCH_CMP_DIFFERENCE] = {"difference", "object",
                            "for each metric below, keyed `section.metric` (e.g. "
                            "`drivers.net_per_hour`): platform minus baseline, in the "
                            "metric's unit (null when either is undefined)"},
    [SCH_CMP_SURGE_PAYERS] = {"surge_payers", "list of objects",
                              "separate worlds where either platform of the pair has surge on: "
                              "its riders who paid a surge, paired with the same requests on the "
                              "other platform (below)"},
};
SAME_COUNT(cmp_fields, SCH_CMP_N);
const sch_table schema_comparison =
    TABLE("summary.json", "comparison[]",
          "A single run: each platform after the first against the first, on the metrics of "
          "`difference`: riders' served, abandoned, refused_quote, wait_mean_s, wait_p95_s, "
          "fare_mean; drivers' count, online_hours, utilization, gross_per_hour, net_per_hour, "
          "net_per_hour_p10, income_gini, dividends; the platform's gross_bookings, driver_pay, "
          "revenue, extraction, take_rate; and finance.net_result (a co-op's surplus or a "
          "centralized platform's profit).",
          cmp_fields);

const schema_metric_ref schema_compared[] = {
    {&schema_riders, SCH_RIDERS_SERVED},         {&schema_riders, SCH_RIDERS_ABANDONED},
    {&schema_riders, SCH_RIDERS_REFUSED_QUOTE},  {&schema_riders, SCH_RIDERS_WAIT_MEAN_S},
    {&schema_riders, SCH_RIDERS_WAIT_P95_S},     {&schema_riders, SCH_RIDERS_FARE_MEAN},
    {&schema_drivers, SCH_DRIVERS_COUNT},        {&schema_drivers, SCH_DRIVERS_ONLINE_HOURS},
    {&schema_drivers, SCH_DRIVERS_UTILIZATION},  {&schema_drivers, SCH_DRIVERS_GROSS_PER_HOUR},
    {&schema_drivers, SCH_DRIVERS_NET_PER_HOUR}, {&schema_drivers, SCH_DRIVERS_NET_PER_HOUR_P10},
    {&schema_drivers, SCH_DRIVERS_INCOME_GINI},  {&schema_drivers, SCH_DRIVERS_DIVIDENDS},
    {&schema_platform, SCH_PLAT_GROSS_BOOKINGS}, {&schema_platform, SCH_PLAT_DRIVER_PAY},
    {&schema_platform, SCH_PLAT_REVENUE},        {&schema_finance, SCH_FIN_NET_RESULT},
    {&schema_platform, SCH_PLAT_EXTRACTION},     {&schema_platform, SCH_PLAT_TAKE_RATE},
};
const size_t schema_n_compared = sizeof schema_compared / sizeof schema_compared[0];

const sch_table *const schema_catalog[] = {
    &exp_schema_summary,
    &schema_run,
    &schema_platform_entry,
    &schema_riders,
    &schema_drivers,
    &schema_platform,
    &schema_finance,
    &schema_finance_costs,
    &schema_finance_extraction,
    &schema_checks,
    &schema_welfare,
    &schema_theory,
    &schema_settlement,
    &schema_chain,
    &schema_chain_checks,
    &schema_chain_adversary,
    &schema_load,
    &schema_governance,
    &schema_long_run,
    &schema_hours_response,
    &schema_short_run,
    &schema_long_run_means,
    &schema_comparison,
    &schema_surge_payers,
    &exp_schema_statistics,
    &exp_schema_paired,
    &exp_schema_sweep,
    &exp_schema_sweep_param,
    &exp_schema_point,
    &exp_schema_record,
    &schema_drivers_csv,
    &schema_hourly_csv,
    &schema_books_csv,
    &schema_trips_csv,
    &schema_blocks_csv,
    &schema_governance_csv,
    &schema_rules_csv,
    &schema_votes_csv,
    &schema_days_csv,
    &schema_competition,
    &schema_competition_platform,
    &schema_competition_csv,
    &schema_competition_days_csv,
    &schema_hourly_shares_csv,
    &schema_offers,
    &exp_schema_runs_csv,
    &exp_schema_sweep_csv,
    &exp_schema_sweep_summary_csv,
    &schema_accounts_csv,
    &schema_metrics_csv,
    &schema_run_csv,
    &schema_compare_csv,
};
const size_t schema_n_catalog = sizeof schema_catalog / sizeof schema_catalog[0];

/* The objects inside a platform entry, by their path below it. */
static const struct {
    const char *section;
    const sch_table *table;
} sections[] = {
    {"riders", &schema_riders},
    {"drivers", &schema_drivers},
    {"platform", &schema_platform},
    {"checks", &schema_checks},
    {"welfare", &schema_welfare},
    {"finance", &schema_finance},
    {"finance.costs", &schema_finance_costs},
    {"finance.extraction", &schema_finance_extraction},
    {"theory", &schema_theory},
    {"settlement", &schema_settlement},
    {"chain", &schema_chain},
    {"chain.checks", &schema_chain_checks},
    {"chain.adversary", &schema_chain_adversary},
    {"load", &schema_load},
    {"pay_value", &schema_pay_value},
    {"governance", &schema_governance},
    {"long_run", &schema_long_run},
    {"long_run.hours_response", &schema_hours_response},
    {"long_run.short_run", &schema_short_run},
    {"long_run.long_run", &schema_long_run_means},
    {"competition", &schema_competition_platform},
    {"offers", &schema_offers},
};

const sch_table *schema_platform_section(const char *section) {
    for (size_t i = 0; section && i < sizeof sections / sizeof sections[0]; i++)
        if (strcmp(sections[i].section, section) == 0) return sections[i].table;
    return NULL;
}

const sch_field *schema_platform_metric(const char *path) {
    if (!path) return NULL;
    const char *dot = strrchr(path, '.');
    if (!dot) return sch_find(&schema_platform_entry, path);
    char section[64];
    size_t n = (size_t)(dot - path);
    if (n >= sizeof section) return NULL;
    memcpy(section, path, n);
    section[n] = '\0';
    return sch_find(schema_platform_section(section), dot + 1);
}

bool schema_is_compared(const char *key) {
    for (size_t i = 0; key && i < schema_n_compared; i++) {
        const sch_table *t = schema_compared[i].table;
        const char *s = sch_key(t), *name = sch_name(t, (size_t)schema_compared[i].field);
        size_t n = strlen(s);
        if (strncmp(key, s, n) == 0 && key[n] == '.' && strcmp(key + n + 1, name) == 0) return true;
    }
    return false;
}

int schema_write_reference(FILE *f) {
    fputs("# Output reference\n\n"
          "Every file a run writes into its output directory, every column of its CSV tables\n"
          "and every key of summary.json, with its unit and meaning. Generated by\n"
          "`coopsim reference --outputs` from the tables the writers take their names from\n"
          "(models/schema/ and sim/experiment_outputs.c); a test keeps this file in sync, and\n"
          "the report reads a run directory through the same tables. How each figure is\n"
          "computed is in docs/model.md, docs/chain.md, docs/governance.md and\n"
          "docs/experiments.md.\n\n"
          "Money in summary.json is in currency units (`currency`); in the CSV tables it is\n"
          "exact to the cent. Empty CSV cells and JSON nulls mean \"undefined\" (no data), never\n"
          "zero.\n\n",
          f);
    const char *last = NULL;
    for (size_t i = 0; i < schema_n_catalog; i++) {
        const sch_table *t = schema_catalog[i];
        bool json = t->path != NULL;
        const char *group = json ? "summary.json and run records" : "CSV tables";
        if (!last || strcmp(last, group) != 0) fprintf(f, "## %s\n\n", group);
        last = group;
        if (sch_write_markdown(t, f) != 0) return -1;
    }
    return ferror(f) ? -1 : 0;
}
