/* What a run directory holds about the run itself and about an experiment over many runs:
 * summary.json's root keys, the statistics objects, run records and the leading columns of
 * runs.csv, sweep.csv and sweep_summary.csv (see docs/experiments.md). */
#include "sim/experiment.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

static const sch_field summary_fields[] = {
    [EXP_SUM_SCENARIO] = {"scenario", "text", "the scenario's `name`"},
    [EXP_SUM_TITLE] = {"title", "text", "the scenario's `title` (empty when it has none)"},
    [EXP_SUM_NOTES] = {"notes", "text",
                       "the scenario's `notes`, what to look for (empty when it has none)"},
    [EXP_SUM_SCENARIO_FILE] = {"scenario_file", "path", "the scenario file as given"},
    [EXP_SUM_SCENARIO_SHA256] = {"scenario_sha256", "64 hex digits",
                                 "SHA-256 of the scenario file's bytes"},
    [EXP_SUM_OVERRIDES] = {"overrides", "list of text",
                           "the `--set PATH=VALUE` overrides (and `--seed`), in order"},
    [EXP_SUM_COOPSIM_VERSION] = {"coopsim_version", "text",
                                 "the program's version (release, and the commit when built "
                                 "from git)"},
    [EXP_SUM_SEED] = {"seed", "integer", "the master seed (`simulation.seed`)"},
    [EXP_SUM_REPLICATION] = {"replication", "integer",
                             "single run only: the replication index (0)"},
    [EXP_SUM_CURRENCY] = {"currency", "ISO 4217 code",
                          "the currency every money amount is in (`currency`)"},
    [EXP_SUM_DURATION_S] = {"duration_s", "s", "simulated duration (`simulation.duration`)"},
    [EXP_SUM_WARMUP_S] = {"warmup_s", "s",
                          "experiments only: the warm-up left out of every metric "
                          "(`simulation.warmup`)"},
    [EXP_SUM_STATISTICS] = {"statistics", "text",
                            "experiments only: how the numbers below were summarised"},
    [EXP_SUM_REPLICATIONS] = {"replications", "count",
                              "experiments without a sweep: runs summarised"},
    [EXP_SUM_PAIRED_DIFFERENCES] = {"paired_differences", "list of objects",
                                    "experiments without a sweep: per pair of platforms, each "
                                    "metric's difference paired by replication"},
    [EXP_SUM_SWEEP] = {"sweep", "object", "sweeps only: the mode and the parameters' values"},
    [EXP_SUM_POINTS] = {"points", "list of objects",
                        "sweeps only: each point's parameters, replications and statistics"},
};
SAME_COUNT(summary_fields, EXP_SUM_N);
const sch_table exp_schema_summary =
    TABLE("summary.json", "",
          "The root of every run's summary.json. A single run has the run's identity, "
          "`replication`, `currency`, `duration_s` and the run's own keys (`platforms`, "
          "`comparison`); an experiment (replications above 1, or a sweep) replaces every "
          "number below the root by its statistics over the runs.",
          summary_fields);

static const sch_field stat_fields[] = {
    [EXP_STAT_MEAN] = {"mean", "the metric's unit", "mean over the runs where it is a number"},
    [EXP_STAT_SD] = {"sd", "the metric's unit", "sample standard deviation (null when n < 2)"},
    [EXP_STAT_CI95_LOW] = {"ci95_low", "the metric's unit",
                           "lower end of the two-sided 95% Student-t interval of the mean (a "
                           "yes/no metric: of the Wilson interval of the share of runs)"},
    [EXP_STAT_CI95_HIGH] = {"ci95_high", "the metric's unit",
                            "upper end of the two-sided 95% Student-t interval of the mean (a "
                            "yes/no metric: of the Wilson interval)"},
    [EXP_STAT_N_RUNS] = {"n", "count", "runs where the metric is a number"},
};
SAME_COUNT(stat_fields, EXP_STAT_N);
const sch_table exp_schema_statistics =
    TABLE("summary.json", "(any number of an experiment)",
          "In an experiment's summary.json every number of a run's tree becomes this object, and "
          "so does every yes/no value (as 1/0: its mean is the share of runs where it was "
          "true); texts are kept as they are and lists of named objects are matched by name.",
          stat_fields);

static const sch_field paired_fields[] = {
    [EXP_PAIR_A] = {"a", "text", "the later platform of the pair"},
    [EXP_PAIR_B] = {"b", "text", "the earlier platform of the pair"},
    [EXP_PAIR_DIFFERENCE] = {"difference", "text", "always \"a - b\""},
    [EXP_PAIR_METRICS] = {"metrics", "object",
                          "the platforms' metric tree, each number replaced by the statistics "
                          "of the per-run differences a - b (paired t)"},
};
SAME_COUNT(paired_fields, EXP_PAIR_N);
const sch_table exp_schema_paired =
    TABLE("summary.json", "paired_differences[]",
          "Experiments: one element per pair of platforms, under identical demand in each "
          "replication.",
          paired_fields);

static const sch_field sweep_fields[] = {
    [EXP_SWEEP_MODE] = {"mode", "grid or zip", "how the parameters' values are combined"},
    [EXP_SWEEP_PARAMETERS] = {"parameters", "list of objects", "the swept keys, in order"},
};
SAME_COUNT(sweep_fields, EXP_SWEEP_N);
const sch_table exp_schema_sweep =
    TABLE("summary.json", "sweep", "Sweeps: the scenario's `sweep` section as run.", sweep_fields);

static const sch_field param_fields[] = {
    [EXP_PARAM_PATH] = {"path", "scenario key path",
                        "the key varied, as written for `--set` (also the column name of the "
                        "parameter in sweep.csv and sweep_summary.csv)"},
    [EXP_PARAM_VALUES] = {"values", "list of text", "its values in the key's own units"},
};
SAME_COUNT(param_fields, EXP_PARAM_N);
const sch_table exp_schema_sweep_param =
    TABLE("summary.json", "sweep.parameters[]", "Sweeps: one swept key.", param_fields);

static const sch_field point_fields[] = {
    [EXP_POINT_POINT] = {"point", "index", "the point's index, from 0"},
    [EXP_POINT_PARAMETERS] = {"parameters", "object",
                              "each swept path and its value at this point"},
    [EXP_POINT_REPLICATIONS] = {"replications", "count", "runs at this point"},
};
SAME_COUNT(point_fields, EXP_POINT_N);
const sch_table exp_schema_point =
    TABLE("summary.json", "points[]",
          "Sweeps: one element per point, followed by the statistics of its runs (the "
          "summarised `platforms`, `comparison` and `paired_differences`).",
          point_fields);

static const sch_field record_fields[] = {
    [EXP_REC_RUN] = {"run", "index", "the run's index in the experiment, from 0"},
    [EXP_REC_POINT] = {"point", "index", "its sweep point (0 without a sweep)"},
    [EXP_REC_REPLICATION] = {"replication", "index", "its replication at that point"},
    [EXP_REC_SCENARIO_SHA256] = {"scenario_sha256", "64 hex digits",
                                 "SHA-256 of the scenario file (`--resume` reuses a record "
                                 "only when it matches)"},
    [EXP_REC_OVERRIDES] = {"overrides", "list of text",
                           "the overrides of the run: the command line's, then the sweep "
                           "point's"},
    [EXP_REC_VERSION] = {"coopsim_version", "text",
                         "the version that made the run (`--resume` reuses a record only of the "
                         "same version)"},
    [EXP_REC_OPTIONS] = {"options", "text",
                         "what the run wrote besides its metrics (`trips=0 ledger=0`; `--resume` "
                         "reuses a record only written with the same)"},
    [EXP_REC_SEED] = {"seed", "integer", "the master seed"},
    [EXP_REC_METRICS] = {"metrics", "object",
                         "the run's own summary: `platforms` and `comparison` as in a single "
                         "run's summary.json"},
    [EXP_REC_CHECKSUM] = {"checksum", "64 hex digits",
                          "always the last key: SHA-256 of the record's text before "
                          "`,\"checksum\"`, closed with `}` (`--resume` runs a record whose "
                          "checksum does not match again)"},
};
SAME_COUNT(record_fields, EXP_REC_N);
const sch_table exp_schema_record =
    TABLE("runs/run-NNNNNN.json", "",
          "Experiments: one record per run, written atomically as soon as the run finishes "
          "(its CSV tables are in runs/run-NNNNNN/).",
          record_fields);

static const sch_field runs_fields[] = {
    [EXP_RUNS_RUN] = {"run", "index", "the run's index"},
    [EXP_RUNS_REPLICATION] = {"replication", "index", "its replication"},
    [EXP_RUNS_SEED] = {"seed", "integer", "the master seed"},
};
SAME_COUNT(runs_fields, EXP_RUNS_N);
const sch_table exp_schema_runs_csv =
    TABLE("runs.csv", NULL,
          "Experiments without a sweep: one row per run. After these columns, one column per "
          "number of the run's summary, named by its dotted path (a platform by its name: "
          "`coop.drivers.net_per_hour`, `comparison[0].difference.riders.served`).",
          runs_fields);

static const sch_field sweep_csv_fields[] = {
    [EXP_SWCSV_RUN] = {"run", "index", "the run's index"},
    [EXP_SWCSV_POINT] = {"point", "index",
                         "its sweep point; one column per swept parameter follows, named by "
                         "its path, holding the point's value"},
    [EXP_SWCSV_REPLICATION] = {"replication", "index", "its replication at that point"},
    [EXP_SWCSV_SEED] = {"seed", "integer", "the master seed"},
};
SAME_COUNT(sweep_csv_fields, EXP_SWCSV_N);
const sch_table exp_schema_sweep_csv =
    TABLE("sweep.csv", NULL,
          "Sweeps: one row per run. After these columns, one column per number of the run's "
          "summary, named by its dotted path as in runs.csv.",
          sweep_csv_fields);

static const sch_field sweep_summary_fields[] = {
    [EXP_SWSUM_POINT] = {"point", "index",
                         "the point; one column per swept parameter follows, named by its "
                         "path, holding the point's value"},
    [EXP_SWSUM_REPLICATIONS] = {"replications", "count", "runs at the point"},
};
SAME_COUNT(sweep_summary_fields, EXP_SWSUM_N);
const sch_table exp_schema_sweep_summary_csv =
    TABLE("sweep_summary.csv", NULL,
          "Sweeps: one row per point. After these columns, for every number of the point's "
          "statistics (paired differences included), its path followed by `.mean`, `.sd`, "
          "`.ci95_low`, `.ci95_high` and `.n` (the statistics above).",
          sweep_summary_fields);
