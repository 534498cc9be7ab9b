/* What the coopsim program's commands share: messages, help detection, strict loading. */
#ifndef APP_CLI_H
#define APP_CLI_H

#include "models/scenario.h"
#include "sim/error.h"
#include "sim/experiment.h"

#include <stdbool.h>
#include <stddef.h>

#define ERRLEN 2048

extern const char *const cli_prog;
extern const char cli_usage_run[];
extern const char cli_usage_plot[];

/* Prints "coopsim: <fmt with arg>" and the usage to stderr; returns 2. */
int cli_usage_error(const char *usage, const char *fmt, const char *arg);
bool cli_is_help(const char *arg);

/* The exit status of a library status: 0 success, 2 bad input (or a file that cannot be read or
 * written), 1 out of memory or an internal error. The one place the two meet. */
int cli_exit_status(sim_status s);

/* Loads and checks a scenario (zeroing sc first) and, from the same parse, its sweep section
 * (sw: NULL when not wanted; filled only on success); 0, or 2 with the message printed. */
int cli_load(const char *file, coop_scenario *sc, const char *const *sets, size_t n_sets,
             exp_sweep *sw);

int cli_cmd_run(int argc, char **argv);
int cli_cmd_plot(int argc, char **argv);
extern const char cli_usage_compare[];
int cli_cmd_compare(int argc, char **argv);
extern const char cli_usage_verify_ledger[];
int cli_cmd_verify_ledger(int argc, char **argv);
extern const char cli_usage_lab[];
int cli_cmd_lab(int argc, char **argv);

/* Writes the plots and report.html of a run directory (scripts NULL: found automatically);
 * prints what was skipped. Returns the exit status: 0, 1 when some plot failed (the report
 * is written), 2 on bad input. */
int cli_report(const char *rundir, const char *scripts, bool quiet);

#endif
