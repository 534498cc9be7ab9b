/* coopsim run: one scenario, or an experiment (replications, a sweep), its output directory
 * and progress line; experiments spread over MPI processes when launched by mpirun. */
#include "sim/cli/cli.h"

#include "models/run.h"
#include "sim/experiment.h"
#include "sim/output.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifdef COOPSIM_MPI
#include <mpi.h>
#endif

const char cli_usage_run[] =
    "usage: coopsim run FILE [-o DIR] [--seed N] [--set PATH=VALUE]... [--trips] [--ledger]\n"
    "                    [--resume] [--no-plots] [--quiet] [--max-memory SIZE]\n"
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

/* ---- experiments ------------------------------------------------------------------------ */

typedef struct run_args {
    const char *file, *outdir;
    const char **sets; /* base overrides (--set, --seed) */
    size_t n_sets;
    bool trips, quiet, resume, no_plots, ledger;
    double max_memory; /* bytes; 0: the machine's memory */
} run_args;

typedef struct experiment {
    const run_args *a;
    const char *outdir;
    char hex[65];
    exp_sweep sw;
    size_t n_points, n_runs;
    coop_estimate worst; /* the sweep point with the largest run */
    size_t *first_run;   /* n_points + 1: runs of point p are first_run[p] .. first_run[p+1]-1 */
    char **texts;        /* rank 0: each finished run's record */
    size_t done, done_before, next;
    int failed; /* rc of the first failed run, 0 if none */
    char failmsg[ERRLEN];
    bool show;
    struct timespec start;
    double last_print;
    int rank, size, active; /* MPI: this process, all processes, workers still working */
} experiment;

static void exp_fail(experiment *ex, int rc, const char *fmt, ...) {
    if (ex->failed) return;
    ex->failed = rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ex->failmsg, sizeof ex->failmsg, fmt, ap);
    va_end(ap);
}

static size_t point_of(const experiment *ex, size_t run) {
    size_t lo = 0, hi = ex->n_points;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ex->first_run[mid] <= run)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The overrides of point p: the base ones, then the sweep's. Free with free_sets. */
static const char **point_sets(const experiment *ex, size_t p, size_t *n) {
    const char **s = calloc(ex->a->n_sets + ex->sw.n_params + 1, sizeof *s);
    if (!s) return NULL;
    for (size_t i = 0; i < ex->a->n_sets; i++)
        s[i] = ex->a->sets[i];
    for (size_t k = 0; k < ex->sw.n_params; k++) {
        if (!(s[ex->a->n_sets + k] = exp_sweep_override(&ex->sw, p, k))) {
            for (size_t j = 0; j < k; j++)
                free((char *)s[ex->a->n_sets + j]);
            free(s);
            return NULL;
        }
    }
    *n = ex->a->n_sets + ex->sw.n_params;
    return s;
}

static void free_sets(const experiment *ex, const char **s) {
    if (!s) return;
    for (size_t k = 0; k < ex->sw.n_params; k++)
        free((char *)s[ex->a->n_sets + k]);
    free(s);
}

/* What a run's record must carry to be reused by --resume. */
static json_t *identity(const experiment *ex, size_t run) {
    size_t p = point_of(ex, run), n = 0;
    const char **s = point_sets(ex, p, &n);
    json_t *ov = json_array();
    for (size_t i = 0; s && ov && i < n; i++)
        json_array_append_new(ov, json_string(s[i]));
    free_sets(ex, s);
    return json_pack("{s:I,s:I,s:I,s:s,s:o}", "run", (json_int_t)run, "point", (json_int_t)p,
                     "replication", (json_int_t)(run - ex->first_run[p]), "scenario_sha256",
                     ex->hex, "overrides", ov);
}

static void show_progress(experiment *ex, bool force) {
    if (!ex->show) return;
    double wall = since(&ex->start);
    if (!force && wall - ex->last_print < 0.25) return;
    ex->last_print = wall;
    size_t now = ex->done - ex->done_before, left = ex->n_runs - ex->done;
    fprintf(stderr, "\r  runs %zu/%zu done", ex->done, ex->n_runs);
    if (now > 0 && left > 0) fprintf(stderr, "  ~%.0fs left", wall / (double)now * (double)left);
    fputs("   ", stderr);
}

#ifdef COOPSIM_MPI
static void mpi_service(experiment *ex, bool block);
static void service_hook(sim *s, void *ctx) {
    (void)s;
    mpi_service(ctx, false);
}
static void on_engine_mpi(sim *s, sim_time end, void *ctx) {
    (void)end;
    sim_set_hook(s, service_hook, ctx, 1u << 14);
}
#endif

/* Runs one run of the experiment and returns its record's text (caller frees). */
static int do_run(experiment *ex, size_t run, char **text, char *err, size_t errlen) {
    size_t p = point_of(ex, run), n = 0;
    const char **s = point_sets(ex, p, &n);
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char *dir = malloc(strlen(ex->outdir) + 32);
    json_t *metrics = json_object(), *rec = NULL;
    int rc = 2;
    *text = NULL;
    if (!s || !dir || !metrics) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if ((rc = sc_load_file(coop_keys, &sc, ex->a->file, s, n, err, errlen)) != 0) goto done;
    sprintf(dir, "%s/runs/run-%06zu", ex->outdir, run);
    if ((rc = out_mkdirs(dir, err, errlen)) != 0) goto done;
    coop_run_opts opts = {.outdir = dir,
                          .replication = (uint64_t)(run - ex->first_run[p]),
                          .trips_csv = ex->a->trips,
                          .export_ledgers = ex->a->ledger};
#ifdef COOPSIM_MPI
    if (ex->size > 1 && ex->rank == 0) opts.on_engine = on_engine_mpi, opts.ctx = ex;
#endif
    if ((rc = coop_run(&sc, &opts, metrics, err, errlen)) != 0) goto done;
    rec = identity(ex, run);
    if (!rec) {
        rc = 1;
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    json_object_set_new(rec, "seed", json_integer(sc.simulation.seed));
    json_object_set(rec, "metrics", metrics);
    if (!(*text = exp_record_text(rec))) {
        rc = 1;
        snprintf(err, errlen, "out of memory");
    }
done:
    json_decref(rec);
    json_decref(metrics);
    sc_free(coop_keys, &sc);
    free(dir);
    free_sets(ex, s);
    return rc;
}

/* Rank 0 keeps a finished run: its file first, so that a kill never loses it. */
static void finished(experiment *ex, size_t run, char *text) {
    char err[ERRLEN];
    if (exp_record_write(ex->outdir, run, text, err, sizeof err) != 0) {
        exp_fail(ex, 2, "%s", err);
        free(text);
        return;
    }
    ex->texts[run] = text;
    ex->done++;
    show_progress(ex, false);
}

/* The next run nobody has started, or n_runs (always n_runs before the experiment has started
 * or after it failed: rank 0 may answer the workers from an error path). */
static size_t take_next(experiment *ex) {
    if (!ex->texts || ex->failed) return ex->n_runs;
    while (ex->next < ex->n_runs && ex->texts[ex->next])
        ex->next++;
    return ex->failed ? ex->n_runs : ex->next < ex->n_runs ? ex->next++ : ex->n_runs;
}

#ifdef COOPSIM_MPI
enum { TAG_RESULT = 1, TAG_WORK = 2 };

/* Answers the workers' messages: a result (or "ready") in, the next run index out. */
static void mpi_service(experiment *ex, bool block) {
    for (;;) {
        MPI_Status st;
        int flag = 1, len = 0;
        if (block)
            MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
        else
            MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
        if (!flag) return;
        MPI_Get_count(&st, MPI_CHAR, &len);
        char *msg = malloc((size_t)len + 1);
        if (!msg) {
            MPI_Abort(MPI_COMM_WORLD, 1);
            return;
        }
        MPI_Recv(msg, len, MPI_CHAR, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        msg[len] = '\0';
        /* "R" ready, "D<run>\n<record>" done, "E<run> <rc>\n<message>" failed */
        char *nl = strchr(msg, '\n');
        unsigned long long run = strtoull(msg + 1, NULL, 10);
        if (msg[0] == 'D' && nl && run < ex->n_runs) {
            size_t n = strlen(nl + 1);
            char *text = malloc(n + 1);
            if (text) {
                memcpy(text, nl + 1, n + 1);
                finished(ex, (size_t)run, text);
            } else {
                exp_fail(ex, 1, "out of memory");
            }
        } else if (msg[0] == 'E' && nl) {
            char *sp = strchr(msg, ' ');
            exp_fail(ex, sp ? atoi(sp + 1) : 1, "%s", nl + 1);
        }
        free(msg);
        long long next = (long long)take_next(ex);
        if (next == (long long)ex->n_runs) {
            next = -1;
            ex->active--;
        }
        MPI_Send(&next, 1, MPI_LONG_LONG, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
        if (block) return;
    }
}

static int mpi_worker(experiment *ex) {
    char *msg = strdup("R");
    int rc = 0;
    while (msg) {
        MPI_Send(msg, (int)strlen(msg), MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(msg);
        msg = NULL;
        long long run;
        MPI_Recv(&run, 1, MPI_LONG_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (run < 0) break;
        char err[ERRLEN], *text = NULL;
        int r = do_run(ex, (size_t)run, &text, err, sizeof err);
        size_t n = (text ? strlen(text) : strlen(err)) + 64;
        if (!(msg = malloc(n))) break;
        if (r == 0)
            snprintf(msg, n, "D%lld\n%s", run, text);
        else
            snprintf(msg, n, "E%lld %d\n%s", run, r, err), rc = r;
        free(text);
    }
    return rc;
}
#endif

/* Runs every unfinished run: here, or spread over the MPI processes (rank 0 works too). */
static void execute(experiment *ex) {
    size_t run;
    char err[ERRLEN];
#ifdef COOPSIM_MPI
    if (ex->size > 1) mpi_service(ex, false);
#endif
    while ((run = take_next(ex)) < ex->n_runs) {
        char *text = NULL;
        int rc = do_run(ex, run, &text, err, sizeof err);
        if (rc != 0)
            exp_fail(ex, rc, "%s", err);
        else
            finished(ex, run, text);
#ifdef COOPSIM_MPI
        if (ex->size > 1) mpi_service(ex, false);
#endif
    }
#ifdef COOPSIM_MPI
    while (ex->active > 0)
        mpi_service(ex, true);
#endif
}

/* The parameter columns of point p, in sweep order. */
static json_t *point_params(const experiment *ex, size_t p) {
    json_t *o = json_object();
    for (size_t k = 0; o && k < ex->sw.n_params; k++) {
        const exp_param *q = &ex->sw.params[k];
        json_object_set_new(o, q->path, json_string(q->values[exp_sweep_index(&ex->sw, p, k)]));
    }
    return o;
}

/* Adds the statistics of runs [from, to) to obj: the summarised tree and paired differences. */
static int add_statistics(json_t *obj, json_t *const *metrics, size_t n) {
    json_t *s = exp_summarize(metrics, n), *pd = exp_paired(metrics, n, "platforms");
    if (!s || !pd) {
        json_decref(s);
        json_decref(pd);
        return 1;
    }
    if (json_is_object(s)) json_object_update(obj, s);
    json_decref(s);
    json_object_set_new(obj, "paired_differences", pd);
    return 0;
}

static const char statistics_doc[] =
    "each number is {mean, sd, ci95_low, ci95_high, n} over the replications (Student t); "
    "paired_differences give a - b per replication under identical demand, with the same "
    "statistics";

/* Writes summary.json and the tables from the records, in run order. */
static int write_outputs(experiment *ex, json_t *summary, char *err, size_t errlen) {
    size_t nr = ex->n_runs, np = ex->sw.n_params;
    json_t **recs = calloc(nr, sizeof *recs), **metrics = calloc(nr, sizeof *metrics);
    json_t **flat = calloc(nr, sizeof *flat);
    size_t n_lead = 4 + np; /* run, point, parameters, replication, seed */
    const char **lead_names = calloc(n_lead, sizeof *lead_names);
    char **lead = calloc(nr * n_lead, sizeof *lead);
    int rc = 1;
    snprintf(err, errlen, "out of memory");
    if (!recs || !metrics || !flat || !lead_names || !lead) goto done;
    for (size_t i = 0; i < nr; i++) {
        json_error_t je;
        if (!(recs[i] = json_loads(ex->texts[i], 0, &je))) {
            snprintf(err, errlen, "run %zu: unreadable record: %s", i, je.text);
            goto done;
        }
        metrics[i] = json_object_get(recs[i], "metrics");
        if (!(flat[i] = exp_flatten(metrics[i]))) goto done;
    }
    /* run, [point, parameters...], replication, seed */
    size_t c = 0;
    lead_names[c++] = "run";
    if (np) lead_names[c++] = "point";
    for (size_t k = 0; k < np; k++)
        lead_names[c++] = ex->sw.params[k].path;
    lead_names[c++] = "replication";
    lead_names[c++] = "seed";
    n_lead = c;
    for (size_t i = 0; i < nr; i++) {
        size_t p = point_of(ex, i);
        char buf[64];
        char **row = lead + i * n_lead;
        c = 0;
        snprintf(buf, sizeof buf, "%zu", i);
        row[c++] = strdup(buf);
        if (np) {
            snprintf(buf, sizeof buf, "%zu", p);
            row[c++] = strdup(buf);
        }
        for (size_t k = 0; k < np; k++)
            row[c++] = strdup(ex->sw.params[k].values[exp_sweep_index(&ex->sw, p, k)]);
        snprintf(buf, sizeof buf, "%zu", i - ex->first_run[p]);
        row[c++] = strdup(buf);
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(recs[i], "seed")));
        row[c++] = strdup(buf);
        for (size_t j = 0; j < c; j++)
            if (!row[j]) goto done;
    }
    json_object_set_new(summary, "statistics", json_string(statistics_doc));
    if (np == 0) {
        json_object_set_new(summary, "replications", json_integer((json_int_t)nr));
        if (add_statistics(summary, metrics, nr)) goto done;
        rc = exp_write_csv(ex->outdir, "runs.csv", nr, n_lead, lead_names,
                           (const char *const *)lead, flat, err, errlen);
    } else {
        json_t *sw = json_object(), *params = json_array(), *points = json_array();
        json_object_set_new(sw, "mode", json_string(ex->sw.mode == EXP_ZIP ? "zip" : "grid"));
        for (size_t k = 0; k < np; k++) {
            json_t *vals = json_array();
            for (size_t v = 0; v < ex->sw.params[k].n_values; v++)
                json_array_append_new(vals, json_string(ex->sw.params[k].values[v]));
            json_array_append_new(
                params, json_pack("{s:s,s:o}", "path", ex->sw.params[k].path, "values", vals));
        }
        json_object_set_new(sw, "parameters", params);
        json_object_set_new(summary, "sweep", sw);
        json_object_set_new(summary, "points", points);
        size_t n_plead = 2 + np;
        const char **pnames = calloc(n_plead, sizeof *pnames);
        char **plead = calloc(ex->n_points * n_plead, sizeof *plead);
        json_t **pflat = calloc(ex->n_points, sizeof *pflat);
        bool ok = pnames && plead && pflat;
        if (ok) {
            pnames[0] = "point";
            for (size_t k = 0; k < np; k++)
                pnames[1 + k] = ex->sw.params[k].path;
            pnames[1 + np] = "replications";
        }
        for (size_t p = 0; ok && p < ex->n_points; p++) {
            size_t a = ex->first_run[p], b = ex->first_run[p + 1];
            json_t *pt = json_object(), *stats = json_object();
            json_object_set_new(pt, "point", json_integer((json_int_t)p));
            json_object_set_new(pt, "parameters", point_params(ex, p));
            json_object_set_new(pt, "replications", json_integer((json_int_t)(b - a)));
            ok = add_statistics(stats, metrics + a, b - a) == 0;
            pflat[p] = exp_flatten(stats);
            json_object_update(pt, stats);
            json_decref(stats);
            json_array_append_new(points, pt);
            char buf[64];
            snprintf(buf, sizeof buf, "%zu", p);
            plead[p * n_plead] = strdup(buf);
            for (size_t k = 0; k < np; k++)
                plead[p * n_plead + 1 + k] =
                    strdup(ex->sw.params[k].values[exp_sweep_index(&ex->sw, p, k)]);
            snprintf(buf, sizeof buf, "%zu", b - a);
            plead[p * n_plead + 1 + np] = strdup(buf);
            for (size_t j = 0; j < n_plead; j++)
                ok = ok && plead[p * n_plead + j];
            ok = ok && pflat[p];
        }
        rc = ok ? 0 : 1;
        if (rc == 0)
            rc = exp_write_csv(ex->outdir, "sweep.csv", nr, n_lead, lead_names,
                               (const char *const *)lead, flat, err, errlen);
        if (rc == 0)
            rc = exp_write_csv(ex->outdir, "sweep_summary.csv", ex->n_points, n_plead, pnames,
                               (const char *const *)plead, pflat, err, errlen);
        for (size_t p = 0; plead && p < ex->n_points * n_plead; p++)
            free(plead[p]);
        for (size_t p = 0; pflat && p < ex->n_points; p++)
            json_decref(pflat[p]);
        free(plead);
        free(pflat);
        free(pnames);
    }
    if (rc == 0) rc = out_write_json(ex->outdir, "summary.json", summary, err, errlen);
done:
    for (size_t i = 0; i < nr; i++) {
        if (recs) json_decref(recs[i]);
        if (flat) json_decref(flat[i]);
    }
    for (size_t i = 0; lead && i < nr * n_lead; i++)
        free(lead[i]);
    free(lead);
    free(lead_names);
    free(recs);
    free(metrics);
    free(flat);
    return rc;
}

/* Plans the experiment: every sweep point loads (so a wrong path or value stops everything
 * before the first run, with its place in the file) and says how many replications it has. */
static int plan(experiment *ex, bool speak) {
    char err[ERRLEN], msg[ERRLEN];
    int rc = exp_sweep_read(ex->a->file, &ex->sw, err, sizeof err);
    if (rc != 0) {
        if (speak) fprintf(stderr, "%s\n", err);
        return rc;
    }
    ex->n_points = ex->sw.n_points;
    if (!(ex->first_run = calloc(ex->n_points + 1, sizeof *ex->first_run))) return 1;
    for (size_t p = 0; p < ex->n_points; p++) {
        size_t n = 0;
        const char **s = point_sets(ex, p, &n);
        coop_scenario sc;
        memset(&sc, 0, sizeof sc);
        if (!s) return 1;
        rc = sc_load_file(coop_keys, &sc, ex->a->file, s, n, err, sizeof err);
        char path[128], what[1024];
        if (rc == 0 && (rc = coop_check_values(&sc, path, sizeof path, what, sizeof what)) != 0) {
            sc_locate(coop_keys, ex->a->file, s, n, path, msg, sizeof msg);
            snprintf(err, sizeof err, "%s%s", msg, what);
            sc_free(coop_keys, &sc);
        }
        free_sets(ex, s);
        if (rc != 0) {
            exp_sweep_locate(&ex->sw, p, err, msg, sizeof msg);
            if (speak) fprintf(stderr, "%s\n", msg);
            return rc;
        }
        ex->first_run[p + 1] = ex->first_run[p] + (size_t)sc.simulation.replications;
        coop_estimate e;
        coop_estimate_run(&sc, 1, &e);
        if (e.run_bytes > ex->worst.run_bytes) ex->worst = e;
        sc_free(coop_keys, &sc);
    }
    ex->n_runs = ex->first_run[ex->n_points];
    return out_sha256_file(ex->a->file, ex->hex, err, sizeof err) == 0 ? 0 : 2;
}

/* Rank 0 with --resume: takes the runs an earlier attempt finished, if they are this one's. */
static int load_finished(experiment *ex) {
    char err[ERRLEN];
    for (size_t i = 0; i < ex->n_runs; i++) {
        char *text = NULL;
        int r = exp_record_read(ex->outdir, i, &text, err, sizeof err);
        if (r == 1) continue;
        if (r != 0) {
            fprintf(stderr, "%s\n", err);
            return 2;
        }
        json_t *rec = json_loads(text, 0, NULL), *id = identity(ex, i);
        bool mine = rec && id && exp_record_matches(rec, id);
        json_decref(rec);
        json_decref(id);
        if (!mine) {
            char *path = exp_record_path(ex->outdir, i);
            fprintf(stderr,
                    "%s: %s was written by another experiment (a different scenario file or "
                    "overrides); resume with the same ones, or choose another output "
                    "directory\n",
                    cli_prog, path ? path : "a run record");
            free(path);
            free(text);
            return 2;
        }
        ex->texts[i] = text;
        ex->done++;
    }
    ex->done_before = ex->done;
    return 0;
}

static void experiment_free(experiment *ex) {
    for (size_t i = 0; ex->texts && i < ex->n_runs; i++)
        free(ex->texts[i]);
    free(ex->texts);
    free(ex->first_run);
    exp_sweep_free(&ex->sw);
}

/* ---- commands --------------------------------------------------------------------------- */

static int run_single(const run_args *a, coop_scenario *sc, json_t *summary) {
    char err[ERRLEN];
    progress pg = {.enabled = !a->quiet && isatty(STDERR_FILENO),
                   .n_engines = (int)sc->platforms.n};
    clock_gettime(CLOCK_MONOTONIC, &pg.start);
    json_object_set_new(summary, "replication", json_integer(0));
    json_object_set_new(summary, "currency", json_string(sc->currency));
    json_object_set_new(summary, "duration_s",
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    coop_run_opts opts = {.outdir = a->outdir,
                          .replication = 0,
                          .trips_csv = a->trips,
                          .export_ledgers = a->ledger,
                          .on_engine = on_engine,
                          .ctx = &pg};
    int rc = coop_run(sc, &opts, summary, err, sizeof err);
    if (pg.printed) fputs("\r\033[K", stderr);
    if (rc == 0) rc = out_write_json(a->outdir, "summary.json", summary, err, sizeof err);
    /* A plot that fails is reported but does not fail the run: the data is all written. */
    if (rc == 0 && !a->no_plots) (void)cli_report(a->outdir, NULL, a->quiet);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    else if (!a->quiet)
        fprintf(stderr, "%s: wrote %s/ in %.2fs\n", cli_prog, a->outdir, since(&pg.start));
    return rc;
}

static int run_experiment(experiment *ex, coop_scenario *sc, json_t *summary) {
    char err[ERRLEN];
    clock_gettime(CLOCK_MONOTONIC, &ex->start);
    ex->show = !ex->a->quiet && isatty(STDERR_FILENO);
    ex->active = ex->size - 1;
    if (!(ex->texts = calloc(ex->n_runs, sizeof *ex->texts))) return 1;
    json_object_set_new(summary, "currency", json_string(sc->currency));
    json_object_set_new(summary, "duration_s",
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    json_object_set_new(summary, "warmup_s",
                        json_real((double)sc->simulation.warmup / (double)SIM_SEC));
    int rc = ex->a->resume ? load_finished(ex) : 0;
    if (rc != 0) {
#ifdef COOPSIM_MPI
        while (ex->active > 0) { /* tell the workers there is nothing to do */
            exp_fail(ex, rc, "resume refused");
            mpi_service(ex, true);
        }
#endif
        return rc;
    }
    show_progress(ex, true);
    execute(ex);
    if (ex->show) fputs("\r\033[K", stderr);
    if (ex->failed) {
        fprintf(stderr, "%s\n", ex->failmsg);
        return ex->failed;
    }
    rc = write_outputs(ex, summary, err, sizeof err);
    if (rc == 0 && !ex->a->no_plots) (void)cli_report(ex->outdir, NULL, ex->a->quiet);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    else if (!ex->a->quiet)
        fprintf(stderr, "%s: %zu runs (%zu resumed) over %d process%s; wrote %s/ in %.2fs\n",
                cli_prog, ex->n_runs, ex->done_before, ex->size, ex->size == 1 ? "" : "es",
                ex->outdir, since(&ex->start));
    return rc;
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
static int check_memory(const run_args *a, const experiment *ex, const coop_scenario *sc) {
    coop_estimate e;
    bool is_exp = ex->sw.n_params > 0 || ex->n_runs > 1;
    coop_estimate_run(sc, is_exp ? (double)ex->n_runs : 1, &e);
    if (ex->worst.run_bytes > e.run_bytes) { /* a sweep point larger than the base scenario */
        e.bytes += ex->worst.run_bytes - e.run_bytes;
        e.run_bytes = ex->worst.run_bytes;
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
                   experiment *ex, char *defdir, size_t deflen, bool speak) {
    int rc = parse_args(argc, argv, a, seed_set);
    if (rc != 0) return rc;
    if (cli_load(a->file, sc, a->sets, a->n_sets) != 0) return 2;
    if (!a->outdir) {
        snprintf(defdir, deflen, "results/%s", sc->name);
        a->outdir = defdir;
    }
    ex->a = a;
    ex->outdir = a->outdir;
    return plan(ex, speak);
}

int cli_cmd_run(int argc, char **argv) {
    run_args a = {.sets = calloc((size_t)argc + 1, sizeof(char *))};
    char *seed_set = NULL, defdir[160], err[ERRLEN];
    coop_scenario sc;
    experiment ex = {.size = 1};
    int rc = 1;
    memset(&sc, 0, sizeof sc);
    if (!a.sets) return 1;
#ifdef COOPSIM_MPI
    /* Only under a launcher: a plain `coopsim run` never pays for MPI's start-up. */
    bool mpi = getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE");
    if (mpi) {
        MPI_Init(NULL, NULL);
        MPI_Comm_rank(MPI_COMM_WORLD, &ex.rank);
        MPI_Comm_size(MPI_COMM_WORLD, &ex.size);
    }
    /* rank 0 checks everything first; the others follow only when all is well */
    int verdict[2] = {0, 0}; /* exit status so far, 1 if there is an experiment to share */
    if (ex.rank == 0) {
        rc = prepare(argc, argv, &a, &seed_set, &sc, &ex, defdir, sizeof defdir, true);
        verdict[0] = rc;
        verdict[1] = rc == 0 && (ex.sw.n_params > 0 || ex.n_runs > 1);
    }
    if (mpi) MPI_Bcast(verdict, 2, MPI_INT, 0, MPI_COMM_WORLD);
    if (ex.rank != 0) {
        rc = verdict[0];
        if (rc == 0 && verdict[1]) {
            rc = prepare(argc, argv, &a, &seed_set, &sc, &ex, defdir, sizeof defdir, false);
            if (rc == 0) rc = mpi_worker(&ex);
        }
        goto done;
    }
#else
    /* Launched by mpirun without MPI built in: one copy does the work, serially. */
    const char *launched = getenv("OMPI_COMM_WORLD_RANK");
    if (launched && strcmp(launched, "0") != 0) {
        rc = 0;
        goto done;
    }
    rc = prepare(argc, argv, &a, &seed_set, &sc, &ex, defdir, sizeof defdir, true);
#endif
    if (rc != 0) goto done;
    rc = check_memory(&a, &ex, &sc);
#ifdef COOPSIM_MPI
    if (rc != 0 && (ex.sw.n_params > 0 || ex.n_runs > 1)) { /* release the workers */
        ex.active = ex.size - 1;
        exp_fail(&ex, rc, "memory bound");
        while (ex.active > 0)
            mpi_service(&ex, true);
    }
#endif
    if (rc != 0) goto done;
    rc = out_mkdirs(a.outdir, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
#ifdef COOPSIM_MPI
        if (ex.sw.n_params > 0 || ex.n_runs > 1) { /* release the workers */
            ex.active = ex.size - 1;
            exp_fail(&ex, rc, "%s", err);
            while (ex.active > 0)
                mpi_service(&ex, true);
        }
#endif
        goto done;
    }
    json_t *summary = json_object(), *overrides = json_array();
    for (size_t i = 0; summary && overrides && i < a.n_sets; i++)
        json_array_append_new(overrides, json_string(a.sets[i]));
    json_object_set_new(summary, "scenario", json_string(sc.name));
    json_object_set_new(summary, "title", json_string(sc.title ? sc.title : ""));
    json_object_set_new(summary, "scenario_file", json_string(a.file));
    json_object_set_new(summary, "scenario_sha256", json_string(ex.hex));
    json_object_set_new(summary, "overrides", overrides);
    json_object_set_new(summary, "coopsim_version", json_string(COOPSIM_VERSION));
    json_object_set_new(summary, "seed", json_integer(sc.simulation.seed));
    if (!summary)
        rc = 1;
    else if (ex.sw.n_params > 0 || ex.n_runs > 1)
        rc = run_experiment(&ex, &sc, summary);
    else
        rc = run_single(&a, &sc, summary);
    json_decref(summary);
done:
    experiment_free(&ex);
    sc_free(coop_keys, &sc);
    free(seed_set);
    free(a.sets);
#ifdef COOPSIM_MPI
    if (mpi) MPI_Finalize();
#endif
    return rc < 0 ? 0 : rc;
}
