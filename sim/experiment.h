/* Experiments: many runs of one scenario (replications, sweep points), each run's result kept
 * in its own file, and the statistics over them. Generic: a run is anything that produces a
 * JSON object of metrics for (run index, overrides); nothing here knows what is measured. */
#ifndef SIM_EXPERIMENT_H
#define SIM_EXPERIMENT_H

#include "sim/schema.h"
#include "sim/engine.h"
#include "sim/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* ---- sweeps (sim/experiment_sweep.c) -------------------------------------------------- */

typedef enum { EXP_GRID = 0, EXP_ZIP = 1 } exp_sweep_mode;

/* One varied key: its path as written for --set and its values as text in user units (the
 * strict loader parses them, so they get its checks and messages). */
typedef struct exp_param {
    char *path;
    char *where;        /* "file:line:col" of the path in the sweep section */
    char **values;      /* n_values entries */
    char **value_where; /* "file:line:col" of each value (or of its list or range) */
    size_t n_values;
} exp_param;

typedef struct exp_sweep {
    exp_sweep_mode mode;
    exp_param *params;
    size_t n_params;
    size_t n_points; /* 1 when there is no sweep: the scenario itself */
} exp_sweep;

#define EXP_MAX_POINTS 100000
/* The most runs (points x replications) one experiment may have (docs/limits.md). */
#define EXP_MAX_RUNS 1000000
#define EXP_MAX_RANGE 10000

/* Reads the top-level `sweep` section of a scenario's tree (sc_where_tree of a loaded scenario,
 * which the key table has checked): `mode` (grid|zip) and `parameters`, each with `path` and
 * either `values` (a list) or `from`/`to`/`step` (numbers with one unit suffix, e.g. 5%, 30%,
 * 5%). No section: n_params 0. SIM_OK, or SIM_EINPUT (SIM_ENOMEM) with "file:line:col: what
 * is wrong" in err. */
struct scn;
sim_status exp_sweep_from_tree(const struct scn *root, exp_sweep *sw, char *err, size_t errlen);
void exp_sweep_free(exp_sweep *sw);

/* Index of parameter k's value at point p (grid: the last parameter varies fastest). */
size_t exp_sweep_index(const exp_sweep *sw, size_t p, size_t k);

/* The override "path=value" of parameter k at point p, in a new string (NULL: no memory). */
char *exp_sweep_override(const exp_sweep *sw, size_t p, size_t k);

/* Rewrites a loader message about point p's overrides ("--set path=value: what") to point at
 * the sweep section: the path's location when the path itself is wrong, else the value's.
 * Messages that name no override of the point are copied unchanged. */
void exp_sweep_locate(const exp_sweep *sw, size_t p, const char *msg, char *out, size_t outlen);

/* Expands a range "from, to, step" written with one unit suffix into values (texts with as
 * many decimals as the inputs). Returns the count, or 0 with a message in err. The caller
 * frees each value and the array. */
size_t exp_range(const char *from, const char *to, const char *step, char ***values, char *err,
                 size_t errlen);

/* ---- run records ----------------------------------------------------------------------- */

/* Path of run i's record under dir: "<dir>/runs/run-000123.json" (caller frees). */
char *exp_record_path(const char *dir, size_t index);

/* The text of a record (compact JSON, reals with 17 significant digits so that parsing it
 * back gives the same numbers). The caller frees it. NULL when out of memory. */
char *exp_record_text(const json_t *record);
/* Whether a record's text is whole: its last key, "checksum", is the SHA-256 of the text
 * before it (closed with '}'), as exp_record_text writes it. */
bool exp_record_intact(const char *text);

/* Writes the text atomically as run i's record (creating <dir>/runs). SIM_OK, or SIM_EIO (or
 * SIM_ENOMEM) with err. */
sim_status exp_record_write(const char *dir, size_t index, const char *text, char *err,
                            size_t errlen);

/* Reads run i's record text into *text (caller frees; NULL when there is no record). SIM_OK,
 * or SIM_EIO (or SIM_EINPUT for a file too large to be a record, SIM_ENOMEM) with err. */
sim_status exp_record_read(const char *dir, size_t index, char **text, char *err, size_t errlen);

/* True when every member of `identity` is in the record with an equal value. */
bool exp_record_matches(const json_t *record, const json_t *identity);

/* ---- statistics over runs -------------------------------------------------------------- */

/* The per-run metric trees (objects, some may be NULL for a missing run) summarised into one
 * tree of the same shape: objects by key (union over runs, first-seen order), arrays of
 * objects that all carry a string "name" matched by name, other arrays by position; each
 * number becomes {"mean","sd","ci95_low","ci95_high","n"} over the runs where it is a
 * number (Student t, 95%; null where undefined, e.g. sd and interval for n < 2); strings
 * and booleans are copied from the first run that has them. NULL when out of memory. */
json_t *exp_summarize(json_t *const *runs, size_t n);

/* Paired differences between the named elements of the array `key` in each run (e.g. the
 * platforms under identical demand): for every pair a = element j, b = element i (i < j in
 * first-seen order), {"a","b","difference":"a - b","metrics": tree} where each number
 * becomes the statistics object above computed from the per-run differences a - b (paired
 * t). An empty array when fewer than two named elements. NULL when out of memory. */
json_t *exp_paired(json_t *const *runs, size_t n, const char *key);

/* Flattens a metric tree into an object {"dotted.path": number}: object keys join with '.',
 * an array of named objects contributes each element's name instead of its own key (so
 * "platforms":[{"name":"coop","drivers":{"net":1}}] gives "coop.drivers.net"), other arrays
 * give "key[i]". Strings, booleans and nulls are left out. NULL when out of memory. */
json_t *exp_flatten(const json_t *tree);

/* Writes a CSV table atomically: leading columns (n_lead names, then n_rows * n_lead texts,
 * row by row) followed by one column per flattened path found in any row (first-seen order);
 * empty cells where a row lacks the path. Numbers print as integers or with 15 significant
 * digits. SIM_OK, or SIM_EIO (or SIM_ENOMEM) with err. */
sim_status exp_write_csv(const char *dir, const char *name, size_t n_rows, size_t n_lead,
                         const char *const *lead_names, const char *const *lead_values,
                         json_t *const *flat, char *err, size_t errlen);

/* ---- what experiments write (sim/experiment_outputs.c) ---------------------------------- */

/* summary.json, root: the run's identity (written by every run) and the experiment's keys. */
enum {
    EXP_SUM_SCENARIO,
    EXP_SUM_TITLE,
    EXP_SUM_NOTES,
    EXP_SUM_SCENARIO_FILE,
    EXP_SUM_SCENARIO_SHA256,
    EXP_SUM_OVERRIDES,
    EXP_SUM_COOPSIM_VERSION,
    EXP_SUM_SEED,
    EXP_SUM_REPLICATION,
    EXP_SUM_CURRENCY,
    EXP_SUM_DURATION_S,
    EXP_SUM_WARMUP_S,
    EXP_SUM_STATISTICS,
    EXP_SUM_REPLICATIONS,
    EXP_SUM_PAIRED_DIFFERENCES,
    EXP_SUM_SWEEP,
    EXP_SUM_POINTS,
    EXP_SUM_N
};
extern const sch_table exp_schema_summary;

/* What every number becomes over replications (exp_summarize). */
enum {
    EXP_STAT_MEAN,
    EXP_STAT_SD,
    EXP_STAT_CI95_LOW,
    EXP_STAT_CI95_HIGH,
    EXP_STAT_N_RUNS,
    EXP_STAT_N
};
extern const sch_table exp_schema_statistics;

/* One element of paired_differences (exp_paired). */
enum { EXP_PAIR_A, EXP_PAIR_B, EXP_PAIR_DIFFERENCE, EXP_PAIR_METRICS, EXP_PAIR_N };
extern const sch_table exp_schema_paired;

/* summary.json's sweep object, each of its parameters, and each element of points. */
enum { EXP_SWEEP_MODE, EXP_SWEEP_PARAMETERS, EXP_SWEEP_N };
extern const sch_table exp_schema_sweep;
enum { EXP_PARAM_PATH, EXP_PARAM_VALUES, EXP_PARAM_N };
extern const sch_table exp_schema_sweep_param;
enum { EXP_POINT_POINT, EXP_POINT_PARAMETERS, EXP_POINT_REPLICATIONS, EXP_POINT_N };
extern const sch_table exp_schema_point;

/* runs/run-NNNNNN.json: one run's record. */
enum {
    EXP_REC_RUN,
    EXP_REC_POINT,
    EXP_REC_REPLICATION,
    EXP_REC_SCENARIO_SHA256,
    EXP_REC_OVERRIDES,
    EXP_REC_VERSION,
    EXP_REC_OPTIONS,
    EXP_REC_SEED,
    EXP_REC_METRICS,
    EXP_REC_CHECKSUM,
    EXP_REC_N
};
extern const sch_table exp_schema_record;

/* The leading columns of runs.csv, sweep.csv and sweep_summary.csv; the metric columns after
 * them are the flattened paths of exp_flatten (and, in sweep_summary.csv, a statistic's name
 * after the path). In sweep.csv and sweep_summary.csv one column per swept parameter, named by
 * its path, follows `point`. */
enum { EXP_RUNS_RUN, EXP_RUNS_REPLICATION, EXP_RUNS_SEED, EXP_RUNS_N };
extern const sch_table exp_schema_runs_csv;
enum { EXP_SWCSV_RUN, EXP_SWCSV_POINT, EXP_SWCSV_REPLICATION, EXP_SWCSV_SEED, EXP_SWCSV_N };
extern const sch_table exp_schema_sweep_csv;
enum { EXP_SWSUM_POINT, EXP_SWSUM_REPLICATIONS, EXP_SWSUM_N };
extern const sch_table exp_schema_sweep_summary_csv;

/* ---- the scheduler (sim/experiment_sched.c) ---------------------------------------------- */

/* The processes an experiment runs on: under mpirun (when built with Open MPI) every process
 * of the launch, else this one. rank 0 plans, hands out runs, keeps the records and writes the
 * outputs; the others only run what it sends them. Outputs are the same whatever the count. */
typedef struct exp_procs {
    int rank, size;
    bool mpi; /* MPI was started (exp_procs_end finalises it) */
} exp_procs;

/* Starts MPI only under a launcher (a plain run never pays for MPI's start-up). Without MPI
 * built in, a copy started by mpirun learns its rank from the launcher, and size stays 1. */
void exp_procs_start(exp_procs *p);

/* rank 0's value, on every process (the value itself without MPI). */
int exp_procs_share(const exp_procs *p, int value);

void exp_procs_end(exp_procs *p);

/* What the scheduler tells a run. */
typedef struct exp_run_info {
    size_t run, point, replication;
    const char *const *sets; /* the base overrides, then the point's "path=value" */
    size_t n_sets;
    const char *dir; /* the run's own directory, already created: <outdir>/runs/run-NNNNNN */
    /* To be installed on every engine the run makes, before it runs (NULL: nothing to do): it
     * lets rank 0 serve the other processes while it simulates. */
    void (*on_engine)(sim *s, sim_time end, void *ctx);
    void *engine_ctx;
} exp_run_info;

/* What a front end gives the scheduler: how to size a point and how to do one run. The
 * scheduler never knows what a run measures. */
typedef struct exp_runner {
    /* Checks that the scenario loads with these overrides and says how many replications
     * it asks for. */
    sim_status (*replications)(void *ctx, const char *const *sets, size_t n_sets, size_t *n,
                               char *err, size_t errlen);
    /* Runs one run and adds to `record` what it measured: "seed" (an integer, shown in the
     * tables) and "metrics" (an object: summarised over replications, flattened into the
     * CSV tables). */
    sim_status (*run)(void *ctx, const exp_run_info *info, json_t *record, char *err,
                      size_t errlen);
    /* The key of the list of named elements whose pairs paired_differences compares (the
     * front end's name for it, e.g. its platforms); NULL: no paired differences. */
    const char *paired;
    /* Called (may be NULL) when the runs start and after each one finishes. */
    void (*progress)(void *ctx, size_t done, size_t total, size_t resumed);
    /* Told (may be NULL) what --resume found, e.g. "record 5 is corrupt (...): it runs again". */
    void (*notice)(void *ctx, const char *msg);
    /* What a run writes besides its metrics (e.g. "trips=1 ledger=0"): a record written with
     * other options is not reused. May be NULL. */
    const char *options;
    void *ctx;
} exp_runner;

/* A planned experiment. Read-only for the caller, except through the functions below. */
typedef struct exp_plan {
    const char *file, *outdir;
    const char *const *sets; /* base overrides (e.g. --set), before every point's */
    size_t n_sets;
    const exp_runner *runner;
    char sha256[65]; /* of the scenario file: a resumed run must come from the same one */
    exp_sweep sw;
    size_t n_points, n_runs;
    size_t *first_run; /* n_points + 1: runs of point p are first_run[p] .. first_run[p+1]-1 */
    char **texts;      /* rank 0: each finished run's record */
    size_t done, done_before, next;
    sim_status failed; /* the first failed run's status, SIM_OK if none */
    char failmsg[2048];
    const exp_procs *procs;
    int active; /* MPI: workers still working */
} exp_plan;

/* Plans the experiment of `file` with base overrides `sets` and the sweep read from the file
 * (exp_sweep_from_tree; the plan takes it over and leaves *sw empty): loads every sweep point
 * through the runner (so a wrong path or value stops everything before the first run, with
 * its place in the file). The plan keeps the other pointers it is given. */
sim_status exp_plan_make(exp_plan *ex, const char *file, const char *outdir,
                         const char *const *sets, size_t n_sets, exp_sweep *sw,
                         const exp_runner *runner, const exp_procs *procs, char *err,
                         size_t errlen);

/* More than one run, or a sweep: what exp_execute is for (a single run needs no scheduler). */
bool exp_plan_is_experiment(const exp_plan *ex);

/* Rank 0: takes the runs an earlier attempt finished when `resume` (refusing records of
 * another experiment), runs the rest here and on the other processes, and writes summary.json
 * (adding the statistics to `summary`), runs.csv or sweep.csv and sweep_summary.csv. Other
 * ranks: run what rank 0 sends until it says stop. */
sim_status exp_execute(exp_plan *ex, bool resume, json_t *summary, char *err, size_t errlen);

void exp_plan_free(exp_plan *ex);

#endif
