/* coopsim plot: (re)makes the plots and report.html of an existing run directory. */
#include "app/cli.h"

#include "sim/output_dir.h"

#include "models/report/report.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const char cli_usage_plot[] =
    "usage: coopsim plot DIR [--scripts DIR] [-q]\n"
    "\n"
    "Reads DIR/summary.json and the CSV tables of a run, and writes DIR/plots/*.png and\n"
    "*.svg (with gnuplot), the data behind each plot in DIR/plots/data/, and DIR/report.html.\n"
    "Without gnuplot the report is still written, without plots.\n"
    "\n"
    "  --scripts DIR   where the gnuplot scripts are (default: $COOPSIM_PLOTS_DIR, else\n"
    "                  ../share/coopsim/plots next to the program, else the source tree)\n"
    "  -q, --quiet     no message on success\n";

int cli_report(const char *rundir, const char *scripts, bool quiet) {
    char err[ERRLEN];
    report_info info;
    sim_status st = report_write(rundir, scripts, &info, err, sizeof err);
    if (st != SIM_OK) {
        fprintf(stderr, "%s: %s\n", cli_prog, err);
        return cli_exit_status(st);
    }
    if (info.gnuplot_missing) fprintf(stderr, "%s: %s\n", cli_prog, REPORT_GNUPLOT_HINT);
    /* a plot gnuplot could not draw fails the command (1), the report being written */
    int rc = info.plots_failed ? 1 : 0;
    if (rc != 0) fprintf(stderr, "%s: %s\n", cli_prog, info.plots_error);
    if (!quiet && rc == 0)
        fprintf(stderr, "%s: wrote %s/report.html (%d plot%s)\n", cli_prog, rundir, info.plots_made,
                info.plots_made == 1 ? "" : "s");
    return rc;
}

int cli_cmd_plot(int argc, char **argv) {
    const char *dir = NULL, *scripts = NULL;
    bool quiet = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(cli_usage_plot, stdout);
            return 0;
        } else if (strcmp(a, "--scripts") == 0) {
            if (i + 1 >= argc) return cli_usage_error(cli_usage_plot, "%s needs a value", a);
            scripts = argv[++i];
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error(cli_usage_plot, "unknown option '%s'", a);
        } else if (dir) {
            return cli_usage_error(cli_usage_plot, "one run directory at a time (extra '%s')", a);
        } else {
            dir = a;
        }
    }
    if (!dir) return cli_usage_error(cli_usage_plot, "%s", "no run directory given");
    char err[ERRLEN];
    out_claim lock = {.lock_fd = -1};
    struct stat st;
    /* never beside a run writing into the same directory (their temporary plot names) */
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
        out_dir_lock(&lock, dir, err, sizeof err) != SIM_OK) {
        fprintf(stderr, "%s: %s\n", cli_prog, err);
        return 2;
    }
    int rc = cli_report(dir, scripts, quiet);
    /* the plots and report now belong to the run: the next run into dir removes them too */
    if (out_dir_record(dir, err, sizeof err) != SIM_OK) {
        fprintf(stderr, "%s\n", err);
        if (rc == 0) rc = 2;
    }
    out_dir_release(&lock);
    return rc;
}
