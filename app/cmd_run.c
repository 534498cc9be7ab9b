/* coopsim run: the command's arguments, progress lines, plots and report around the one run
 * orchestration every front end shares (models/run_job.h: scenario, plan, directory, runs over
 * the MPI processes under mpirun, outputs). */
#include "app/cli.h"

#include "models/run_job.h"
#include "sim/experiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char cli_usage_run[] =
    "usage: coopsim run FILE [-o DIR] [--seed N] [--set PATH=VALUE]... [--trips] [--ledger]\n"
    "                    [--resume] [--no-plots] [--quiet] [--max-memory SIZE] [--force]\n"
    "\n"
    "Runs the scenario in FILE and writes DIR/summary.json, the CSV tables, plots/ and\n"
    "report.html (a page with who gets what and the plots; needs gnuplot). With\n"
    "simulation.replications above 1 or a sweep section it runs an experiment: each run's\n"
    "results go to DIR/runs/ as it finishes, and summary.json gives means with 95%\n"
    "confidence intervals (see docs/experiments.md). Under mpirun the runs are spread\n"
    "over the processes, with outputs identical to a serial run.\n"
    "\n"
    "  -o, --output DIR     output directory (default: results/<scenario name>)\n"
    "  --seed N             master seed; same as --set simulation.seed=N\n"
    "  --set PATH=VALUE     override one scenario key, e.g. --set simulation.duration=2h\n"
    "                       or --set 'platforms[1].commission=15%' (repeatable)\n"
    "  --trips              also write trips.csv (one row per trip)\n"
    "  --ledger             export each chain's ledger to DIR/ledger-<platform>/ (check it\n"
    "                       with 'coopsim verify-ledger DIR/ledger-<platform>')\n"
    "  --resume             keep the runs an interrupted experiment finished in DIR\n"
    "  --force              write into DIR even though it is not empty and was not written\n"
    "                       by coopsim (its files are kept; a run's own files are replaced)\n"
    "  --no-plots           no plots/ or report.html ('coopsim plot DIR' makes them later)\n"
    "  -q, --quiet          no progress line\n"
    "  --max-memory SIZE    refuse a run whose estimated memory exceeds SIZE (e.g. 500M,\n"
    "                       64G; default: the machine's memory; see docs/limits.md)\n";

/* ---- progress line ---------------------------------------------------------------------- */

typedef struct progress {
    bool enabled;
    struct timespec start;   /* wall time the run started */
    struct timespec engine0; /* wall time the current engine started */
    double last_print;
    sim_time end;
    int engine_index;
    int n_engines; /* worlds the run will make (one per platform) */
    bool printed;
} progress;

static double since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void progress_hook(sim *s, void *ctx) {
    progress *p = ctx;
    double wall = since(&p->start);
    if (wall < 1.0 || wall - p->last_print < 0.25) return;
    p->last_print = wall;
    double t = (double)sim_now(s), end = (double)p->end;
    double frac = end > 0 ? t / end : 1.0;
    if (frac > 1) frac = 1;
    double ew = since(&p->engine0);
    double eps = ew > 0 ? (double)sim_events_executed(s) / ew : 0;
    /* Each world simulates the same span, so the ones still to come should take about as
     * long as this one will in all. */
    double left = frac > 0 ? ew * (1 - frac) / frac : 0;
    int later = p->n_engines > p->engine_index ? p->n_engines - p->engine_index : 0;
    if (frac > 0) left += later * ew / frac;
    long secs = (long)(t / 1e6);
    fprintf(stderr,
            "\r  world %d/%d: simulated %ldd %02ld:%02ld:%02ld  %5.1f%%  %.2g events/s  ~%.0fs "
            "left   ",
            p->engine_index, p->n_engines > 0 ? p->n_engines : p->engine_index, secs / 86400,
            secs / 3600 % 24, secs / 60 % 60, secs % 60, 100 * frac, eps, left);
    p->printed = true;
}

static void on_engine(sim *s, sim_time end, void *ctx) {
    progress *p = ctx;
    p->engine_index++;
    p->end = end;
    clock_gettime(CLOCK_MONOTONIC, &p->engine0);
    if (p->enabled) sim_set_hook(s, progress_hook, p, 1u << 16);
}

/* ---- experiments: the runs-done line -------------------------------------------------- */

/* The experiment's progress line: runs done, and a guess of the time left. */
typedef struct exp_progress {
    bool show, printed;
    struct timespec start;
    double last_print;
} exp_progress;

typedef struct run_args {
    const char *file, *outdir;
    const char **sets; /* base overrides (--set, --seed) */
    size_t n_sets;
    bool trips, quiet, resume, no_plots, ledger, force;
    double max_memory; /* bytes; 0: the machine's memory */
} run_args;

/* What the run's hooks (models/run_job.h) see. */
typedef struct run_ctx {
    const run_args *a;
    progress pg;     /* a single run: simulated time of each world */
    exp_progress ep; /* an experiment: runs done */
} run_ctx;

static void notice(void *ctx, const char *msg) {
    (void)ctx;
    fprintf(stderr, "%s: %s\n", cli_prog, msg);
}

static void show_progress(void *ctx, size_t done, size_t total, size_t resumed) {
    exp_progress *pg = &((run_ctx *)ctx)->ep;
    if (!pg->show) return;
    double wall = since(&pg->start);
    if (pg->printed && wall - pg->last_print < 0.25) return;
    pg->last_print = wall;
    pg->printed = true;
    size_t now = done - resumed, left = total - done;
    fprintf(stderr, "\r  runs %zu/%zu done", done, total);
    if (now > 0 && left > 0) fprintf(stderr, "  ~%.0fs left", wall / (double)now * (double)left);
    fputs("   ", stderr);
}

/* ---- the run's hooks: progress lines, then plots, the report and the last line ---------- */

static void on_start(void *ctx, const coop_job_plan *p) {
    run_ctx *c = ctx;
    bool tty = !c->a->quiet && isatty(STDERR_FILENO);
    c->pg.enabled = tty && !p->experiment;
    c->pg.n_engines = p->n_engines;
    c->ep.show = tty && p->experiment;
    clock_gettime(CLOCK_MONOTONIC, &c->pg.start);
    c->ep.start = c->pg.start;
}

static void on_engine_job(sim *s, sim_time end, void *ctx) {
    on_engine(s, end, &((run_ctx *)ctx)->pg);
}

static void clear_line(run_ctx *c) {
    if (c->pg.printed || c->ep.printed) fputs("\r\033[K", stderr);
    c->pg.printed = c->ep.printed = false;
}

/* A plot or report that cannot be written fails the run (the data is all written; a plot not
 * made is removed, never left cut short). */
static int on_finish(void *ctx, const coop_job_plan *p) {
    run_ctx *c = ctx;
    const run_args *a = c->a;
    clear_line(c);
    int report_rc = !a->no_plots ? cli_report(p->outdir, NULL, a->quiet) : 0;
    if (report_rc != 0 || a->quiet) return report_rc;
    if (!p->experiment)
        fprintf(stderr, "%s: wrote %s/ in %.2fs\n", cli_prog, p->outdir, since(&c->pg.start));
    else
        fprintf(stderr, "%s: %zu runs (%zu resumed) over %d process%s; wrote %s/ in %.2fs\n",
                cli_prog, p->n_runs, p->resumed, p->procs, p->procs == 1 ? "" : "es", p->outdir,
                since(&c->ep.start));
    return 0;
}

/* "500M", "64G", "2T", "1048576": bytes (binary multiples). */
static bool parse_size(const char *s, double *out) {
    char *end;
    double v = strtod(s, &end);
    const char *units = "KMGT";
    double m = 1;
    if (*end) {
        const char *u = strchr(units, *end >= 'a' ? *end - 32 : *end);
        if (!u || end[1] != '\0') return false;
        for (const char *k = units; k <= u; k++)
            m *= 1024;
    }
    if (!(v > 0) || end == s || v * m > 1e18) return false;
    *out = v * m;
    return true;
}

/* A usage error: printed by the process that speaks (rank 0). */
static int usage(bool speak, const char *fmt, const char *arg) {
    return speak ? cli_usage_error(cli_usage_run, fmt, arg) : 2;
}

/* Parses the arguments into a (sets has room for argc + 1 entries). 0, or the exit status. */
static int parse_args(int argc, char **argv, run_args *a, char **seed_set, bool speak) {
    const char *seed = NULL;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (cli_is_help(s)) {
            if (speak) fputs(cli_usage_run, stdout);
            return -1;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0 || strcmp(s, "--seed") == 0 ||
                   strcmp(s, "--set") == 0) {
            if (i + 1 >= argc) return usage(speak, "%s needs a value", s);
            const char *v = argv[++i];
            if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0)
                a->outdir = v;
            else if (strcmp(s, "--seed") == 0)
                seed = v;
            else if (!strchr(v, '='))
                return usage(speak, "--set %s: expected PATH=VALUE", v);
            else
                a->sets[a->n_sets++] = v;
        } else if (strcmp(s, "--max-memory") == 0) {
            if (i + 1 >= argc) return usage(speak, "%s needs a value", s);
            if (!parse_size(argv[++i], &a->max_memory))
                return usage(speak, "--max-memory %s: expected a size such as 500M, 64G or 2T",
                             argv[i]);
        } else if (strcmp(s, "--force") == 0) {
            a->force = true;
        } else if (strcmp(s, "--trips") == 0) {
            a->trips = true;
        } else if (strcmp(s, "--resume") == 0) {
            a->resume = true;
        } else if (strcmp(s, "--ledger") == 0) {
            a->ledger = true;
        } else if (strcmp(s, "--no-plots") == 0) {
            a->no_plots = true;
        } else if (strcmp(s, "-q") == 0 || strcmp(s, "--quiet") == 0) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1] != '\0') {
            return usage(speak, "unknown option '%s'", s);
        } else if (a->file) {
            return usage(speak, "one scenario file at a time (extra '%s')", s);
        } else {
            a->file = s;
        }
    }
    if (!a->file) return usage(speak, "%s", "no scenario file given");
    for (size_t i = 0; i < a->n_sets; i++)
        if (strncmp(a->sets[i], "sweep.", 6) == 0)
            return usage(speak, "--set %s: the sweep section is read from the file only",
                         a->sets[i]);
    if (seed) {
        size_t n = strlen(seed) + 32;
        if (!(*seed_set = malloc(n))) return 1;
        snprintf(*seed_set, n, "simulation.seed=%s", seed);
        a->sets[a->n_sets++] = *seed_set;
    }
    return 0;
}

int cli_cmd_run(int argc, char **argv) {
    run_args a = {.sets = calloc((size_t)argc + 1, sizeof(char *))};
    run_ctx ctx = {.a = &a};
    char *seed_set = NULL, err[ERRLEN];
    exp_procs procs;
    int rc = 1;
    if (!a.sets) return 1;
    exp_procs_start(&procs);
    bool speak = procs.rank == 0;        /* the workers of an MPI run stay quiet: rank 0 says it */
    if (!procs.mpi && procs.rank != 0) { /* a copy mpirun started without MPI built in */
        rc = 0;
        goto done;
    }
    /* every process reads the same arguments, so all of them stop here alike */
    if ((rc = parse_args(argc, argv, &a, &seed_set, speak)) != 0) goto done;
    coop_job job = {.file = a.file,
                    .sets = a.sets,
                    .n_sets = a.n_sets,
                    .outdir = a.outdir,
                    .trips = a.trips,
                    .ledger = a.ledger,
                    .resume = a.resume,
                    .force = a.force,
                    .bound_memory = true,
                    .max_memory = a.max_memory,
                    .ctx = &ctx,
                    .start = on_start,
                    .engine = on_engine_job,
                    .runs = show_progress,
                    .notice = notice,
                    .finish = on_finish};
    coop_job_result res;
    sim_status st = coop_job_run(&job, &procs, &res, err, sizeof err);
    if (speak) clear_line(&ctx);
    if (st != SIM_OK && speak) fprintf(stderr, "%s\n", err);
    rc = st != SIM_OK ? cli_exit_status(st) : res.finish_rc;
done:
    free(seed_set);
    free(a.sets);
    exp_procs_end(&procs);
    return rc < 0 ? 0 : rc;
}
