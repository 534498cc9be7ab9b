/* Inside the report: CSV tables read by column name, every name looked up in the output
 * schema (models/schema), the data files behind each plot, the gnuplot runner and the HTML
 * writer. */
#ifndef MODELS_REPORT_INTERNAL_H
#define MODELS_REPORT_INTERNAL_H

#include "models/report/report.h"
#include "models/schema/schema.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A CSV file with a header row; cells kept as text. */
typedef struct rp_table {
    size_t ncols, nrows;
    char **head;             /* ncols names */
    char **cells;            /* nrows * ncols, row-major */
    const sch_table *schema; /* what its writer declares */
} rp_table;

/* 0 read; 1 the file does not exist (t left empty); 2 with a message. */
int rp_table_read(const char *path, rp_table *t, char *err, size_t errlen);
void rp_table_free(rp_table *t);
const char *rp_cell(const rp_table *t, size_t row, int col);
/* The cell as a number; NAN when the column is missing or the cell is not a number. */
double rp_num(const rp_table *t, size_t row, int col);

/* Names the report asked for that no output declares (a bug in the report). */
typedef struct rp_misses {
    int n;
    char first[256];
} rp_misses;

/* One platform of summary.json. */
typedef struct rp_platform {
    const char *name, *kind;
    json_t *j;
} rp_platform;

typedef struct rp_ctx {
    const char *rundir;
    char plotdir[1200], datadir[1300];
    char workdir[1300]; /* plots/.work-PID: gnuplot's own directory, so runs never share names */
    json_t *summary;
    const json_t *points; /* a sweep's points (then pf are the platforms of the first point) */
    rp_platform *pf;
    size_t npf;
    rp_table drivers, hourly, blocks, governance, rules, votes, books, days, competition, sweep;
    rp_table compdays;        /* competition_days.csv: an experiment of a shared market */
    bool tables_of_first_run; /* an experiment: per-driver and hourly tables of run 0 */
    /* Line style of each block of the current plot's data file ("2 1": first block in the
     * second platform's colour), so a platform keeps its colour in every plot; "" for the
     * blocks' own order. Passed to the script as ARG9. */
    char styles[128];
    rp_misses misses;
    rp_misses *miss; /* &misses: lookups through a const context still record */
} rp_ctx;

/* ---- requests through the schema (lookup.c); each records a miss for an undeclared name --- */

/* True when table t declares name; otherwise records a miss. */
bool rp_declared(const rp_ctx *ctx, const sch_table *t, const char *name);
/* Index of the column `name` in t: -1 when the file lacks it or its schema does not declare it
 * (a miss). */
int rp_col(const rp_ctx *ctx, const rp_table *t, const char *name);
/* Index of a column whose name the run itself declares (a swept parameter's path), or -1. */
int rp_col_named(const rp_table *t, const char *name);
/* j's member `key`, declared by t; NULL when absent or undeclared. */
const json_t *rp_get(const rp_ctx *ctx, const json_t *j, const sch_table *t, const char *key);
/* A number, or an experiment's statistics object's mean; NAN otherwise. */
double rp_value(const json_t *v);
/* One statistic ("mean", "ci95_low", ...) of an experiment's statistics object; NAN when v is
 * not one. */
double rp_stat(const rp_ctx *ctx, const json_t *v, const char *stat);
/* summary.json's root keys. */
const json_t *rp_sget(const rp_ctx *ctx, const char *key);
double rp_snum(const rp_ctx *ctx, const char *key);
const char *rp_sstr(const rp_ctx *ctx, const char *key);
/* A platform entry's member by dotted path ("drivers.net_per_hour", "chain", "name"). */
const json_t *rp_pget(const rp_ctx *ctx, const json_t *pf, const char *path);
double rp_pnum(const rp_ctx *ctx, const json_t *pf, const char *path);
const char *rp_pstr(const rp_ctx *ctx, const json_t *pf, const char *path);
/* A comparison's difference for "section.metric", which must be one of schema_compared. */
const json_t *rp_difference(const rp_ctx *ctx, const json_t *diff, const char *metric);
/* A member of a sweep point (its parameters, replications, summarised platforms...). */
const json_t *rp_point_get(const rp_ctx *ctx, const json_t *pt, const char *key);
/* sweep_summary.csv: the first swept parameter's column (its path from summary.json's sweep
 * in *path), or -1. */
int rp_sweep_param_col(const rp_ctx *ctx, const char **path);
/* sweep_summary.csv: the column of platform's metric ("drivers.net_per_hour") and statistic
 * ("mean"), or -1. */
int rp_sweep_col(const rp_ctx *ctx, const char *platform, const char *metric, const char *stat);

/* flows.c: where riders' money went (value-flow bar and table), in summary units. */
#define RP_NFLOW 9
extern const char *const rp_flow_names[RP_NFLOW];
/* v: the RP_NFLOW categories of platform entry pf (never negative); drawn: what the platform
 * added from reserve or capital. -1 when the entry has no gross bookings. */
int rp_flows(const rp_ctx *ctx, const json_t *pf, double v[RP_NFLOW], double *drawn);

/* The swept parameter's path (sweep_summary.csv) with the unit of its values, as an axis
 * label. */
void rp_sweep_label(const rp_ctx *ctx, char *out, size_t n);

/* Writes s into out as the inside of a gnuplot double-quoted data-file string: quotes become
 * typographic quotes, backslashes doubled, control characters spaces; cut at `max` bytes on a
 * character boundary. Data files are read as data, never as commands. */
void rp_gp_label(const char *s, char *out, size_t outlen, size_t max);

struct rp_plot;

/* plotdata.c: a plot's data file, written under a temporary name and renamed into place. */
typedef struct rp_dfile {
    FILE *f;
    char path[1500], tmp[1540];
} rp_dfile;
/* Opens datadir/<name>.dat (under a temporary name). 0, or 2 with a message. */
int rp_dopen(rp_dfile *d, rp_ctx *ctx, const char *name, char *err, size_t errlen);
/* Closes and renames into place. 0, or 2 with a message (the temporary file removed). */
int rp_dclose(rp_dfile *d, char *err, size_t errlen);
/* Writes "a: b" (or "a"), escaped for a gnuplot data file, followed by end. */
void rp_dlabel(FILE *f, const char *a, const char *b, const char *end);
/* Records that the next block of the data file is platform i's (ctx->styles). */
void rp_note_block(rp_ctx *ctx, size_t i);
/* Which platform a CSV row belongs to: its platform cell (column col) names it; -1 when none. */
long rp_row_platform(const rp_ctx *ctx, const rp_table *t, size_t row, int col);
/* Column yc against column xc (divided by x_div), one block per platform: the value, or its
 * running count of non-zero values. 0 written, 1 no data, 2 with a message. */
int rp_series(rp_ctx *ctx, const struct rp_plot *p, const rp_table *t, const char *xc,
              const char *yc, bool cumulative, double x_div, char *err, size_t errlen);
/* compete_plots.c: one column of competition.csv by day; in an experiment, its mean over the
 * runs with the 95% interval as two more columns (competition_days.csv). */
int rp_compete_daily(rp_ctx *ctx, const struct rp_plot *p, const char *column, char *err,
                     size_t errlen);

/* One plot the report may hold. prep writes its data file(s) into ctx->datadir and returns 0,
 * 1 when the run has no data for it, 2 with a message. */
typedef struct rp_plot {
    const char *name;   /* output basename: plots/<name>.png, .svg */
    const char *script; /* plots/<script>.gp */
    const char *section;
    const char *caption;
    const char *how_to_read;
    const char *args[5]; /* extra fixed arguments to the script (ARG3...) */
    int (*prep)(rp_ctx *ctx, const struct rp_plot *p, char *err, size_t errlen);
} rp_plot;

extern const rp_plot rp_plots[];
extern const size_t rp_nplots;

/* Status of one plot after a report run. */
enum { RP_MADE, RP_SKIPPED, RP_FAILED, RP_NO_GNUPLOT };

/* Finds gnuplot (COOPSIM_GNUPLOT, else PATH). true with the path in out. */
bool rp_gnuplot_find(char *out, size_t outlen);
/* Runs gnuplot -c <scripts_dir>/<script>.gp <name> <scripts_dir> args... in plotdir with
 * stdin from /dev/null and its output in logpath; the script reads data/<name>.dat and writes
 * .tmp-<name>.png and .svg. 0, or 1 with a message. */
int rp_gnuplot_run(const char *gnuplot, const char *scripts_dir, const char *script,
                   const char *plotdir, const char *outbase, const char *const *args,
                   const char *logpath, char *err, size_t errlen);

/* The short run against the long run (free entry: summary's long_run, days.csv), with one
 * sentence on what changed; nothing when no platform has a long_run object. */
void rp_long_run_section(FILE *f, const rp_ctx *ctx, const char *cur);

/* One city, several platforms (a shared market: summary's competition, competition.csv): who won
 * the riders and drivers, what each spent, who survived; nothing without a shared market. */
void rp_competition_section(FILE *f, const rp_ctx *ctx, const char *cur);
/* One day of one platform (days.c): from days.csv with free entry, else summed from hourly.csv
 * (drivers: the most online in an hour; pay: gross, from books.csv). NAN where unknown. */
typedef struct rp_day {
    double day; /* from 0 */
    double drivers, online_hours, utilization, pay_per_hour, requests, served, abandoned, wait_s;
} rp_day;
/* Platform p's days into out (at most cap); *free_entry: the figures are days.csv's (net pay,
 * drivers in the fleet). */
size_t rp_days_of(const rp_ctx *ctx, size_t p, rp_day *out, size_t cap, bool *free_entry);
/* The "Day by day" table of a run of two days or more (weekly rows beyond 14 days). */
void rp_days_section(FILE *f, const rp_ctx *ctx, const char *cur);
/* "Why": one sentence per surprising headline, each only when the run's numbers show it
 * (explain.c). */
void rp_explain(FILE *f, const rp_ctx *ctx, const char *cur);
/* The "Why" sentence on surge and those who pay it (explain_surge.c), from each
 * comparison[].surge_payers element with enough riders: whether they waited less than the same
 * requests on the other platform, and what became of those the other did not serve. The number
 * of sentences written. */
int rp_explain_surge_payers(FILE *f, const rp_ctx *ctx);

/* The "Attacks on the chain" section (attack.c), when some platform's chain ran one. */
void rp_attack_section(FILE *f, const rp_ctx *ctx);
/* payvalue.c: what chain pay was worth to the drivers and the hours it changed */
void rp_pay_value_section(FILE *f, const rp_ctx *ctx);
/* Writes s HTML-escaped. */
void rp_html_esc(FILE *f, const char *s);
/* "Why they voted": per proposal, support by member class and the payoff change that drove
 * it, from votes.csv and governance.csv (nothing when the run has no votes.csv). */
void rp_votes_section(FILE *f, const rp_ctx *ctx);
/* Writes rundir/report.html; status[i] is the state of rp_plots[i]. 0 or 2 with a message. */
int rp_html_write(rp_ctx *ctx, const int *status, bool gnuplot_missing, char *err, size_t errlen);

#endif
