/* coopsim's library API: load a scenario, run it into an output directory, read the results.
 * The one public header of libcoopsim (pkg-config: coopsim); everything else is internal.
 *
 * Conventions. Every name starts with coopsim_. Handles are opaque. A function that can fail
 * returns a coopsim_status (0 on success, negative otherwise) and writes one line into the
 * caller's buffer `err` of `errlen` bytes (always terminated; err may be NULL): where (a
 * scenario value: "file:line:column: "), what is wrong and what would be valid. Texts the
 * library returns are freed with coopsim_free. The API is stable within a soname; additions
 * keep old calls working (flags and new functions, never changed signatures).
 *
 * Runs. coopsim_run writes the same output directory as `coopsim run DIR` without plots
 * (summary.json, the CSV tables, and for an experiment runs/, runs.csv or sweep.csv and
 * sweep_summary.csv; docs/output-reference.md). One run at a time per process. */
#ifndef COOPSIM_H
#define COOPSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COOPSIM_API_VERSION 2

typedef enum coopsim_status {
    COOPSIM_OK = 0,
    COOPSIM_EINPUT = -1,    /* the input is wrong (scenario, override, name): the user can fix it */
    COOPSIM_EIO = -2,       /* reading or writing failed (missing file, permissions, disk full) */
    COOPSIM_ENOMEM = -3,    /* memory ran out, or a stated memory bound would be exceeded */
    COOPSIM_EINTERNAL = -4, /* an invariant broke: a bug in coopsim */
    COOPSIM_ECANCELLED = -5 /* the progress callback asked to stop */
} coopsim_status;

/* A loaded and checked scenario (with its overrides and its sweep, every point checked). */
typedef struct coopsim_scenario coopsim_scenario;
/* The output directory of a finished run. */
typedef struct coopsim_result coopsim_result;

/* The library's version ("0.1.0+g<commit>"), the same as `coopsim version` prints. */
const char *coopsim_version(void);
/* A short name of a status ("bad input", "cancelled", ...). */
const char *coopsim_status_name(int status);

/* Loads the scenario file at path with overrides sets[0..n_sets) ("path=value", as with
 * `coopsim run --set`, e.g. "platforms[1].commission=10%" or "simulation.seed=3") and checks
 * it as `coopsim validate` does, every sweep point included. On success *out is a new handle;
 * on failure *out is NULL and err says where. */
int coopsim_load_file(const char *path, const char *const *sets, size_t n_sets,
                      coopsim_scenario **out, char *err, size_t errlen);

/* The same for a scenario held in memory (UTF-8 YAML, len bytes); `name` stands for the file
 * in messages ("name:line:column: ..."). The text is copied; a run writes it to
 * DIR/scenario.yaml, whose hash identifies the experiment. */
int coopsim_load_string(const char *name, const char *text, size_t len, const char *const *sets,
                        size_t n_sets, coopsim_scenario **out, char *err, size_t errlen);

void coopsim_scenario_free(coopsim_scenario *sc);

/* The scenario's `name`, and how many runs it makes (sweep points times replications). */
const char *coopsim_scenario_name(const coopsim_scenario *sc);
size_t coopsim_scenario_runs(const coopsim_scenario *sc);

/* Called as a run goes: runs_done of runs_total are finished and `fraction` (0..1) of the whole
 * is done. Return 0 to go on, anything else to cancel: the run then stops within about 65536
 * events and coopsim_run returns COOPSIM_ECANCELLED without summary.json (the tables of a
 * cancelled single run are not written; an experiment keeps the runs it finished, which
 * COOPSIM_RUN_RESUME takes up). */
typedef int (*coopsim_progress_fn)(void *ctx, size_t runs_done, size_t runs_total, double fraction);

/* Flags of coopsim_run, or'ed. */
#define COOPSIM_RUN_TRIPS 1u  /* also write trips.csv, as --trips */
#define COOPSIM_RUN_LEDGER 2u /* export each chain's ledger, as --ledger */
#define COOPSIM_RUN_RESUME 4u /* keep the runs an interrupted experiment finished, as --resume */
#define COOPSIM_RUN_FORCE                                                                          \
    8u /* write into a non-empty directory coopsim did not write, as --force */

/* Runs the scenario (a single run, or the experiment its replications and sweep make) into
 * outdir (created if missing), which it holds as `coopsim run` does: locked while it writes,
 * the previous run's files removed first, a foreign non-empty directory refused without
 * COOPSIM_RUN_FORCE (docs/limits.md). Unlike the program it does not refuse a run by its
 * memory estimate. progress may be NULL. On success *out is a new result handle. */
int coopsim_run(const coopsim_scenario *sc, const char *outdir, unsigned flags,
                coopsim_progress_fn progress, void *ctx, coopsim_result **out, char *err,
                size_t errlen);

/* Opens the output directory of an earlier run (one holding summary.json). */
int coopsim_result_open(const char *dir, coopsim_result **out, char *err, size_t errlen);

void coopsim_result_free(coopsim_result *r);

/* The output directory, and how many runs it holds (1 for a single run). */
const char *coopsim_result_dir(const coopsim_result *r);
size_t coopsim_result_runs(const coopsim_result *r);

/* The text of summary.json, into *json (free with coopsim_free). */
int coopsim_result_summary(const coopsim_result *r, char **json, char *err, size_t errlen);

/* A table by name ("drivers", "hourly", "trips", "metrics", "run", "sweep", ...) as CSV text
 * into *csv (free with coopsim_free). Every table a run writes has a first column `run` (the
 * run's index: N of runs/run-N in an experiment, 0 for a single run); an experiment's come
 * stacked in run order with the header once. A table of the whole directory (metrics, run, and
 * an experiment's runs, sweep, sweep_summary) comes as written.
 * COOPSIM_EINPUT when the directory has no such table. */
int coopsim_result_table(const coopsim_result *r, const char *name, char **csv, char *err,
                         size_t errlen);

/* The same table column by column (added in soname 0, library 0.2: API version 2). */
typedef struct coopsim_table coopsim_table;

/* A column's type, from its values: whole numbers throughout are COOPSIM_COLUMN_INT; numbers
 * with some empty fields (missing: NaN), fractions or infinities ("inf", "-inf") are
 * COOPSIM_COLUMN_REAL; anything else is COOPSIM_COLUMN_TEXT (an empty field is ""). */
enum { COOPSIM_COLUMN_INT = 1, COOPSIM_COLUMN_REAL = 2, COOPSIM_COLUMN_TEXT = 3 };

/* Reads the table `name` (as coopsim_result_table) into *out (free with coopsim_table_free). */
int coopsim_result_columns(const coopsim_result *r, const char *name, coopsim_table **out,
                           char *err, size_t errlen);
void coopsim_table_free(coopsim_table *t);

size_t coopsim_table_rows(const coopsim_table *t);
size_t coopsim_table_columns(const coopsim_table *t);
/* Column j's name and type (NULL and 0 past the last column). */
const char *coopsim_table_name(const coopsim_table *t, size_t j);
int coopsim_table_type(const coopsim_table *t, size_t j);
/* Column j's values, coopsim_table_rows of them, owned by the table: the array of its type,
 * NULL for the other two. */
const int64_t *coopsim_table_ints(const coopsim_table *t, size_t j);
const double *coopsim_table_reals(const coopsim_table *t, size_t j);
const char *const *coopsim_table_texts(const coopsim_table *t, size_t j);

/* Frees a text the library returned. */
void coopsim_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
