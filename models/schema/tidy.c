/* The tidy tables every run writes beside summary.json: metrics.csv (long form, one row per
 * run, platform and metric) and run.csv (what was run, by which version); and compare.csv,
 * what `coopsim compare` writes from several run directories. */
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
                            "drivers.net_per_hour (numbers only: texts, lists, yes/no values and "
                            "values undefined in the run (null) are left out)"},
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

static const sch_field compare_fields[] = {
    [SCH_CMPCSV_PLATFORM] = {"platform", "text",
                             "the platform's name (matched by name across runs)"},
    [SCH_CMPCSV_METRIC] = {"metric", "text", "a headline metric's path in the platform's entry"},
    [SCH_CMPCSV_UNIT] = {"unit", "text", "its unit"},
    [SCH_CMPCSV_RUN] = {"run", "text", "the run directory as given"},
    [SCH_CMPCSV_N] = {"n", "count", "replications behind the value (1 for a single run)"},
    [SCH_CMPCSV_MEAN] = {"mean", "metric's unit", "the value, or its mean over replications"},
    [SCH_CMPCSV_CI95_LOW] = {"ci95_low", "metric's unit",
                             "Student-t 95% confidence interval of the mean, low end (empty for "
                             "a single run)"},
    [SCH_CMPCSV_CI95_HIGH] = {"ci95_high", "metric's unit", "the interval's high end"},
    [SCH_CMPCSV_DIFFERENCE] = {"difference", "metric's unit",
                               "this run's mean less the first run's (empty for the first run)"},
    [SCH_CMPCSV_DIFF_LOW] = {"difference_ci95_low", "metric's unit",
                             "Welch's 95% interval of the difference, low end (empty unless both "
                             "runs have 2 or more replications)"},
    [SCH_CMPCSV_DIFF_HIGH] = {"difference_ci95_high", "metric's unit", "its high end"},
};
SAME_COUNT(compare_fields, SCH_CMPCSV_N_FIELDS);
const sch_table schema_compare_csv =
    TABLE("compare.csv", NULL,
          "Written by `coopsim compare DIR... -o OUT` into OUT (with compare.html): one row per "
          "(platform, headline metric, run directory).",
          compare_fields);
