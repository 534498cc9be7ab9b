/* The tidy tables every run writes beside summary.json: metrics.csv (long form, one row per
 * run, platform and metric) and run.csv (what was run, by which version). */
#include "models/schema/schema.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

static const sch_field metrics_fields[] = {
    [SCH_METRICS_RUN] = {"run", "index", "the run's index (0 for a single run)"},
    [SCH_METRICS_POINT] = {"point", "index",
                           "its sweep point (0 without a sweep); one column per swept key "
                           "follows, named by its path, holding the point's value as a number "
                           "in SI or currency units (s, m, m/s, 1/s, share 0-1, currency units; "
                           "the value as written for a key that holds no number)"},
    [SCH_METRICS_REPLICATION] = {"replication", "index", "its replication"},
    [SCH_METRICS_SEED] = {"seed", "integer", "the master seed"},
    [SCH_METRICS_PLATFORM] = {"platform", "text", "the platform's name"},
    [SCH_METRICS_METRIC] = {"metric", "text",
                            "the metric's path in the platform's summary.json entry, e.g. "
                            "drivers.net_per_hour (numbers only; texts and lists are left out)"},
    [SCH_METRICS_VALUE] = {"value", "number", "its value in this run"},
    [SCH_METRICS_UNIT] = {"unit", "text",
                          "its unit, as docs/output-reference.md declares it for that key"},
};
SAME_COUNT(metrics_fields, SCH_METRICS_N);
const sch_table schema_metrics_csv =
    TABLE("metrics.csv", NULL,
          "Every run, single or experiment: the platforms' metrics in long form, one row per "
          "(run, platform, metric), for data-frame tools. The same numbers as summary.json (a "
          "single run) or the run records under runs/ (an experiment).",
          metrics_fields);

static const sch_field run_fields[] = {
    [SCH_RUNCSV_SCENARIO] = {"scenario", "text", "the scenario's name"},
    [SCH_RUNCSV_SCENARIO_FILE] = {"scenario_file", "text", "the scenario file as given"},
    [SCH_RUNCSV_SCENARIO_SHA256] = {"scenario_sha256", "hex", "SHA-256 of the file's bytes"},
    [SCH_RUNCSV_COOPSIM_VERSION] = {"coopsim_version", "text", "the version that ran it"},
    [SCH_RUNCSV_SEED] = {"seed", "integer", "the master seed"},
    [SCH_RUNCSV_RUNS] = {"runs", "count", "runs in the directory (1 for a single run)"},
};
SAME_COUNT(run_fields, SCH_RUNCSV_N);
const sch_table schema_run_csv =
    TABLE("run.csv", NULL,
          "Every run, single or experiment: one row saying what was run and by which version "
          "(the same as summary.json's head).",
          run_fields);
