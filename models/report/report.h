/* The report of a run: gnuplot plots (PNG and SVG) and a self-contained report.html, made from
 * a run directory's summary.json and CSV tables after the run has written them. */
#ifndef MODELS_REPORT_H
#define MODELS_REPORT_H

#include "sim/error.h"

#include <stdbool.h>
#include <stddef.h>

/* What report_write did, for the program to tell the user. */
typedef struct report_info {
    bool gnuplot_missing;   /* no gnuplot found: report.html written without plots */
    int plots_made;         /* plots written (each as PNG and SVG) */
    int plots_skipped;      /* plots whose data the run does not have */
    int plots_failed;       /* plots gnuplot could not draw (the report is still written) */
    char plots_error[1280]; /* when plots_failed: how many, and the first one's reason */
    int schema_misses;      /* names the report asked for that no output declares: a bug */
    char schema_miss[256];  /* the first of them, "table: name" */
    char scripts_dir[1024];
} report_info;

/* Hint printed when gnuplot is missing. */
#define REPORT_GNUPLOT_HINT                                                                        \
    "plots skipped: gnuplot not found (install it with: apt-get install gnuplot-nox); "            \
    "report.html has the tables without plots"

/* Finds the directory holding the gnuplot scripts (the .gp files in plots/), trying in order: the
 * environment variable COOPSIM_PLOTS_DIR; <dir of the running program>/../share/coopsim/plots
 * (installed); <dir of the running program>/plots; the source tree this was built from.
 * SIM_OK with the directory in out, or SIM_EINPUT (none found) with a message. */
sim_status report_find_scripts(char *out, size_t outlen, char *err, size_t errlen);

/* Writes rundir/plots/NAME.png and .svg for every plot whose data the run has, the data files
 * behind them in rundir/plots/data/, and rundir/report.html. scripts_dir: where the .gp files
 * are, or NULL to use report_find_scripts. gnuplot is run from PATH, or from the environment
 * variable COOPSIM_GNUPLOT when set. Without gnuplot, the report is written without plots and
 * info->gnuplot_missing is set: that is not an error. Nor is a plot gnuplot fails to draw: the
 * report is written without it, and info->plots_failed and info->plots_error say so. info may
 * be NULL. SIM_OK; SIM_EINPUT with a message when the run directory is not a readable run;
 * SIM_EIO when the report cannot be written; SIM_ENOMEM; SIM_EINTERNAL when the report asked
 * for a column or key that no output declares (a bug in the report; the page is written and
 * info->schema_misses counts them). */
sim_status report_write(const char *rundir, const char *scripts_dir, report_info *info, char *err,
                        size_t errlen);

#endif
