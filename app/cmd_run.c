/* coopsim run: one scenario, or an experiment (replications, a sweep), its output directory
 * and progress line. The scheduler (sim/experiment) spreads an experiment over MPI processes
 * when launched by mpirun; this file says what one run is. */
#include "app/cli.h"

#include "models/run.h"
#include "models/schema/schema.h"
#include "sim/experiment.h"
#include "sim/output.h"
#include "sim/output_dir.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
    int n_engines; /* engines the run will make (one per platform; one for a shared city) */
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

/* ---- experiments: what a run is, for the scheduler in sim/experiment ------------------- */

typedef struct run_args {
    const char *file, *outdir;
    const char **sets; /* base overrides (--set, --seed) */
    size_t n_sets;
    bool trips, quiet, resume, no_plots, ledger, force;
    double max_memory; /* bytes; 0: the machine's memory */
} run_args;

/* The experiment's progress line: runs done, and a guess of the time left. */
typedef struct exp_progress {
    bool show, printed;
    struct timespec start;
    double last_print;
} exp_progress;

/* What the scheduler's callbacks see. */
typedef struct run_ctx {
    const run_args *a;
    exp_progress pg;
    coop_estimate worst; /* the sweep point with the largest run */
} run_ctx;

/* A sweep point: its scenario loads and passes the models' checks (messages name the sweep
 * value through exp_sweep_locate), its replications, and its size for the memory estimate. */
static sim_status point_replications(void *ctx, const char *const *sets, size_t n_sets, size_t *n,
                                     char *err, size_t errlen) {
    run_ctx *rc_ = ctx;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc_where *w = NULL;
    sim_status rc = sc_load_file_where(coop_keys, &sc, rc_->a->file, sets, n_sets, &w, err, errlen);
    if (rc == SIM_OK) rc = coop_check(&sc, w, err, errlen);
    if (rc == SIM_OK) {
        *n = (size_t)sc.simulation.replications;
        coop_estimate e;
        coop_estimate_run(&sc, 1, &e);
        if (e.run_bytes > rc_->worst.run_bytes) rc_->worst = e;
    }
    sc_where_free(w);
    sc_free(coop_keys, &sc);
    return rc;
}

/* One run of the experiment: the scenario with the point's overrides, one replication. */
static sim_status one_run(void *ctx, const exp_run_info *info, json_t *record, char *err,
                          size_t errlen) {
    const run_args *a = ((const run_ctx *)ctx)->a;
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    json_t *metrics = json_object();
    sim_status rc =
        metrics ? sc_load_file(coop_keys, &sc, a->file, info->sets, info->n_sets, err, errlen)
                : sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    coop_run_opts opts = {.outdir = info->dir,
                          .replication = (uint64_t)info->replication,
                          .trips_csv = a->trips,
                          .export_ledgers = a->ledger,
                          .on_engine = info->on_engine,
                          .ctx = info->engine_ctx};
    if (rc == SIM_OK) rc = coop_run(&sc, &opts, metrics, err, errlen);
    if (rc == SIM_OK) {
        json_object_set_new(record, sch_name(&exp_schema_record, EXP_REC_SEED),
                            json_integer(sc.simulation.seed));
        json_object_set(record, sch_name(&exp_schema_record, EXP_REC_METRICS), metrics);
    }
    json_decref(metrics);
    sc_free(coop_keys, &sc);
    return rc;
}

static void notice(void *ctx, const char *msg) {
    (void)ctx;
    fprintf(stderr, "%s: %s\n", cli_prog, msg);
}

static void show_progress(void *ctx, size_t done, size_t total, size_t resumed) {
    exp_progress *pg = &((run_ctx *)ctx)->pg;
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

/* ---- commands --------------------------------------------------------------------------- */

static int run_single(const run_args *a, coop_scenario *sc, json_t *summary) {
    char err[ERRLEN];
    progress pg = {.enabled = !a->quiet && isatty(STDERR_FILENO),
                   .n_engines = coop_run_engines(sc)};
    clock_gettime(CLOCK_MONOTONIC, &pg.start);
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_REPLICATION),
                        json_integer(0));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_CURRENCY),
                        json_string(sc->currency));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_DURATION_S),
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    coop_run_opts opts = {.outdir = a->outdir,
                          .replication = 0,
                          .trips_csv = a->trips,
                          .export_ledgers = a->ledger,
                          .on_engine = on_engine,
                          .ctx = &pg};
    sim_status rc = coop_run(sc, &opts, summary, err, sizeof err);
    if (pg.printed) fputs("\r\033[K", stderr);
    if (rc == SIM_OK)
        rc = out_write_json(a->outdir, exp_schema_summary.file, summary, err, sizeof err);
    if (rc == SIM_OK) rc = coop_write_tidy(a->outdir, err, sizeof err);
    /* A plot or report that cannot be written fails the run (the data is all written; a plot
     * not made is removed, never left cut short) */
    int report_rc = rc == SIM_OK && !a->no_plots ? cli_report(a->outdir, NULL, a->quiet) : 0;
    if (rc != SIM_OK)
        fprintf(stderr, "%s\n", err);
    else if (!a->quiet && report_rc == 0)
        fprintf(stderr, "%s: wrote %s/ in %.2fs\n", cli_prog, a->outdir, since(&pg.start));
    return rc != SIM_OK ? cli_exit_status(rc) : report_rc;
}

static int run_experiment(const run_args *a, run_ctx *ctx, exp_plan *ex, coop_scenario *sc,
                          json_t *summary) {
    char err[ERRLEN];
    exp_progress *pg = &ctx->pg;
    pg->show = !a->quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &pg->start);
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_CURRENCY),
                        json_string(sc->currency));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_DURATION_S),
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_WARMUP_S),
                        json_real((double)sc->simulation.warmup / (double)SIM_SEC));
    sim_status st = exp_execute(ex, a->resume, summary, err, sizeof err);
    if (st == SIM_OK) st = coop_write_tidy(a->outdir, err, sizeof err);
    if (pg->printed) fputs("\r\033[K", stderr);
    int report_rc = st == SIM_OK && !a->no_plots ? cli_report(a->outdir, NULL, a->quiet) : 0;
    if (st != SIM_OK)
        fprintf(stderr, "%s\n", err);
    else if (report_rc != 0)
        return report_rc;
    else if (!a->quiet)
        fprintf(stderr, "%s: %zu runs (%zu resumed) over %d process%s; wrote %s/ in %.2fs\n",
                cli_prog, ex->n_runs, ex->done_before, ex->procs->size,
                ex->procs->size == 1 ? "" : "es", a->outdir, since(&pg->start));
    return cli_exit_status(st);
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

/* The machine's memory (or the process's address-space limit if lower), 0 if unknown. */
static double machine_memory(void) {
    double total = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemTotal: %lf kB", &total) == 1) {
            total *= 1024;
            break;
        }
    if (f) fclose(f);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (total == 0 || (double)rl.rlim_cur < total))
        total = (double)rl.rlim_cur;
    return total;
}

/* Refuses (2, with the estimate) a run whose estimated memory exceeds the bound. */
static int check_memory(const run_args *a, const run_ctx *ctx, const exp_plan *ex,
                        const coop_scenario *sc) {
    coop_estimate e;
    bool is_exp = exp_plan_is_experiment(ex);
    coop_estimate_run(sc, is_exp ? (double)ex->n_runs : 1, &e);
    if (ctx->worst.run_bytes > e.run_bytes) { /* a sweep point larger than the base scenario */
        e.bytes += ctx->worst.run_bytes - e.run_bytes;
        e.run_bytes = ctx->worst.run_bytes;
    }
    double bound = a->max_memory > 0 ? a->max_memory : machine_memory();
    if (bound <= 0 || e.bytes <= bound) return 0;
    const double gib = 1024.0 * 1024 * 1024;
    fprintf(stderr,
            "%s: this %s would need about %.3g GiB of memory (an upper estimate: %.3g GiB per "
            "run with %.3g requests, %.0f drivers and %.3g chain links; %.3g GiB for %.0f run "
            "records) and about %.2g events, more than %s of %.3g GiB; --max-memory SIZE "
            "sets the bound (e.g. --max-memory %.0fG), or make the scenario smaller\n",
            a->file, is_exp ? "experiment" : "run", e.bytes / gib, e.run_bytes / gib, e.requests,
            (double)sc->drivers.count, e.links, e.records_bytes / gib, e.runs, e.events,
            a->max_memory > 0 ? "the bound --max-memory gives" : "this machine's memory",
            bound / gib, e.bytes / gib + 1);
    return 2;
}

/* Parses the arguments into a (sets has room for argc + 1 entries). 0, or the exit status. */
static int parse_args(int argc, char **argv, run_args *a, char **seed_set) {
    const char *seed = NULL;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (cli_is_help(s)) {
            fputs(cli_usage_run, stdout);
            return -1;
        } else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0 || strcmp(s, "--seed") == 0 ||
                   strcmp(s, "--set") == 0) {
            if (i + 1 >= argc) return cli_usage_error(cli_usage_run, "%s needs a value", s);
            const char *v = argv[++i];
            if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0)
                a->outdir = v;
            else if (strcmp(s, "--seed") == 0)
                seed = v;
            else if (!strchr(v, '='))
                return cli_usage_error(cli_usage_run, "--set %s: expected PATH=VALUE", v);
            else
                a->sets[a->n_sets++] = v;
        } else if (strcmp(s, "--max-memory") == 0) {
            if (i + 1 >= argc) return cli_usage_error(cli_usage_run, "%s needs a value", s);
            if (!parse_size(argv[++i], &a->max_memory))
                return cli_usage_error(cli_usage_run,
                                       "--max-memory %s: expected a size such as 500M, 64G or 2T",
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
            return cli_usage_error(cli_usage_run, "unknown option '%s'", s);
        } else if (a->file) {
            return cli_usage_error(cli_usage_run, "one scenario file at a time (extra '%s')", s);
        } else {
            a->file = s;
        }
    }
    if (!a->file) return cli_usage_error(cli_usage_run, "%s", "no scenario file given");
    for (size_t i = 0; i < a->n_sets; i++)
        if (strncmp(a->sets[i], "sweep.", 6) == 0)
            return cli_usage_error(cli_usage_run,
                                   "--set %s: the sweep section is read from the file only",
                                   a->sets[i]);
    if (seed) {
        size_t n = strlen(seed) + 32;
        if (!(*seed_set = malloc(n))) return 1;
        snprintf(*seed_set, n, "simulation.seed=%s", seed);
        a->sets[a->n_sets++] = *seed_set;
    }
    return 0;
}

/* Everything before the runs: arguments, scenario, plan. speak: print what is wrong (the
 * workers of an MPI run stay quiet; rank 0 has already said it). */
static int prepare(int argc, char **argv, run_args *a, char **seed_set, coop_scenario *sc,
                   exp_plan *ex, const exp_runner *runner, const exp_procs *procs, char *defdir,
                   size_t deflen, bool speak) {
    char err[ERRLEN];
    exp_sweep sw = {.n_points = 1};
    int rc = parse_args(argc, argv, a, seed_set);
    if (rc != 0) return rc;
    if (cli_load(a->file, sc, a->sets, a->n_sets, &sw) != 0) return 2;
    if (!a->outdir) {
        snprintf(defdir, deflen, "results/%s", sc->name);
        a->outdir = defdir;
    }
    sim_status st = exp_plan_make(ex, a->file, a->outdir, a->sets, a->n_sets, &sw, runner, procs,
                                  err, sizeof err);
    if (st != SIM_OK && speak) fprintf(stderr, "%s\n", err);
    return cli_exit_status(st);
}

/* The summary's head: what was run, from which file, by which version. */
static json_t *summary_head(const run_args *a, const coop_scenario *sc, const exp_plan *ex) {
    json_t *summary = json_object(), *overrides = json_array();
    for (size_t i = 0; summary && overrides && i < a->n_sets; i++)
        json_array_append_new(overrides, json_string(a->sets[i]));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_SCENARIO),
                        json_string(sc->name));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_TITLE),
                        json_string(sc->title ? sc->title : ""));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_NOTES),
                        json_string(sc->notes ? sc->notes : ""));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_SCENARIO_FILE),
                        json_string(a->file));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_SCENARIO_SHA256),
                        json_string(ex->sha256));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_OVERRIDES), overrides);
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_COOPSIM_VERSION),
                        json_string(COOPSIM_VERSION));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_SEED),
                        json_integer(sc->simulation.seed));
    return summary;
}

int cli_cmd_run(int argc, char **argv) {
    run_args a = {.sets = calloc((size_t)argc + 1, sizeof(char *))};
    run_ctx ctx = {.a = &a};
    char options[64];
    exp_runner runner = {.replications = point_replications,
                         .run = one_run,
                         .paired = sch_name(&schema_run, SCH_RUN_PLATFORMS),
                         .progress = show_progress,
                         .notice = notice,
                         .options = options,
                         .ctx = &ctx};
    char *seed_set = NULL, defdir[160], err[ERRLEN];
    coop_scenario sc;
    exp_plan ex;
    exp_procs procs;
    out_claim claim = {.lock_fd = -1};
    int rc = 1;
    memset(&sc, 0, sizeof sc);
    memset(&ex, 0, sizeof ex);
    if (!a.sets) return 1;
    exp_procs_start(&procs);
    /* known once the arguments are parsed (prepare); records keep what was written */
    options[0] = '\0';
    /* rank 0 checks everything first; the others follow only when all is well */
    if (procs.rank == 0) {
        rc = prepare(argc, argv, &a, &seed_set, &sc, &ex, &runner, &procs, defdir, sizeof defdir,
                     true);
        snprintf(options, sizeof options, "trips=%d ledger=%d", a.trips, a.ledger);
        if (rc == 0) rc = check_memory(&a, &ctx, &ex, &sc);
        const char *inputs[] = {a.file};
        unsigned flags = (a.force ? OUT_DIR_FORCE : 0) | (a.resume ? OUT_DIR_KEEP : 0);
        sim_status st =
            rc == 0 ? out_dir_claim(&claim, a.outdir, inputs, 1, flags, err, sizeof err) : SIM_OK;
        if (st != SIM_OK) {
            fprintf(stderr, "%s\n", err);
            rc = cli_exit_status(st);
        }
    }
    if (!procs.mpi && procs.rank != 0) { /* a copy mpirun started without MPI built in */
        rc = 0;
        goto done;
    }
    int verdict = exp_procs_share(&procs, rc);
    bool shared = exp_procs_share(&procs, rc == 0 && exp_plan_is_experiment(&ex));
    if (procs.rank != 0) {
        rc = verdict;
        if (rc == 0 && shared) {
            rc = prepare(argc, argv, &a, &seed_set, &sc, &ex, &runner, &procs, defdir,
                         sizeof defdir, false);
            snprintf(options, sizeof options, "trips=%d ledger=%d", a.trips, a.ledger);
            if (rc == 0) rc = cli_exit_status(exp_execute(&ex, false, NULL, err, sizeof err));
        }
        goto done;
    }
    if (rc != 0) goto done;
    json_t *summary = summary_head(&a, &sc, &ex);
    if (!summary)
        rc = 1;
    else if (exp_plan_is_experiment(&ex))
        rc = run_experiment(&a, &ctx, &ex, &sc, summary);
    else
        rc = run_single(&a, &sc, summary);
    json_decref(summary);
    if (rc == 0 && out_dir_finish(&claim, err, sizeof err) != SIM_OK) {
        fprintf(stderr, "%s\n", err);
        rc = 2;
    }
done:
    out_dir_release(&claim);
    exp_plan_free(&ex);
    sc_free(coop_keys, &sc);
    free(seed_set);
    free(a.sets);
    exp_procs_end(&procs);
    return rc < 0 ? 0 : rc;
}
