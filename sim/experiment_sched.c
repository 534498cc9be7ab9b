/* The experiment scheduler: plans the runs of a scenario (replications, sweep points), hands
 * them out (here, or over MPI processes), keeps each finished run's record (--resume reuses
 * them) and writes the statistics over runs. What a run does is the front end's callback. */
#include "sim/experiment.h"

#include "sim/output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef COOPSIM_MPI
#include <mpi.h>
#endif

static void exp_fail(exp_plan *ex, sim_status rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void exp_fail(exp_plan *ex, sim_status rc, const char *fmt, ...) {
    if (ex->failed) return;
    ex->failed = rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ex->failmsg, sizeof ex->failmsg, fmt, ap);
    va_end(ap);
}

/* ---- processes -------------------------------------------------------------------------- */

void exp_procs_start(exp_procs *p) {
    memset(p, 0, sizeof *p);
    p->size = 1;
#ifdef COOPSIM_MPI
    if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE")) {
        MPI_Init(NULL, NULL);
        MPI_Comm_rank(MPI_COMM_WORLD, &p->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &p->size);
        p->mpi = true;
    }
#else
    /* Launched by mpirun without MPI built in: one copy (rank 0) does the work, serially. */
    const char *launched = getenv("OMPI_COMM_WORLD_RANK");
    if (launched && strcmp(launched, "0") != 0) p->rank = 1;
#endif
}

int exp_procs_share(const exp_procs *p, int value) {
#ifdef COOPSIM_MPI
    if (p->mpi) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
#else
    (void)p;
#endif
    return value;
}

void exp_procs_end(exp_procs *p) {
#ifdef COOPSIM_MPI
    if (p->mpi) MPI_Finalize();
#endif
    p->mpi = false;
}

/* ---- points and runs -------------------------------------------------------------------- */

static size_t point_of(const exp_plan *ex, size_t run) {
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
static const char **point_sets(const exp_plan *ex, size_t p, size_t *n) {
    const char **s = calloc(ex->n_sets + ex->sw.n_params + 1, sizeof *s);
    if (!s) return NULL;
    for (size_t i = 0; i < ex->n_sets; i++)
        s[i] = ex->sets[i];
    for (size_t k = 0; k < ex->sw.n_params; k++) {
        if (!(s[ex->n_sets + k] = exp_sweep_override(&ex->sw, p, k))) {
            for (size_t j = 0; j < k; j++)
                free((char *)s[ex->n_sets + j]);
            free(s);
            return NULL;
        }
    }
    *n = ex->n_sets + ex->sw.n_params;
    return s;
}

static void free_sets(const exp_plan *ex, const char **s) {
    if (!s) return;
    for (size_t k = 0; k < ex->sw.n_params; k++)
        free((char *)s[ex->n_sets + k]);
    free(s);
}

/* What a run's record must carry to be reused by --resume. */
static json_t *identity(const exp_plan *ex, size_t run) {
    size_t p = point_of(ex, run), n = 0;
    const char **s = point_sets(ex, p, &n);
    json_t *ov = json_array();
    for (size_t i = 0; s && ov && i < n; i++)
        json_array_append_new(ov, json_string(s[i]));
    free_sets(ex, s);
    const sch_table *t = &exp_schema_record;
    return json_pack("{s:I,s:I,s:I,s:s,s:o,s:s,s:s}", sch_name(t, EXP_REC_RUN), (json_int_t)run,
                     sch_name(t, EXP_REC_POINT), (json_int_t)p, sch_name(t, EXP_REC_REPLICATION),
                     (json_int_t)(run - ex->first_run[p]), sch_name(t, EXP_REC_SCENARIO_SHA256),
                     ex->sha256, sch_name(t, EXP_REC_OVERRIDES), ov, sch_name(t, EXP_REC_VERSION),
                     COOPSIM_VERSION, sch_name(t, EXP_REC_OPTIONS),
                     ex->runner->options ? ex->runner->options : "");
}

static void progress(const exp_plan *ex) {
    const exp_runner *r = ex->runner;
    if (r->progress) r->progress(r->ctx, ex->done, ex->n_runs, ex->done_before);
}

#ifdef COOPSIM_MPI
static void mpi_service(exp_plan *ex, bool block);
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
static sim_status do_run(exp_plan *ex, size_t run, char **text, char *err, size_t errlen) {
    size_t p = point_of(ex, run), n = 0;
    const char **s = point_sets(ex, p, &n);
    char *dir = malloc(strlen(ex->outdir) + 32);
    json_t *rec = identity(ex, run);
    sim_status rc = SIM_ENOMEM;
    *text = NULL;
    if (!s || !dir || !rec) {
        sim_fail(rc, err, errlen, "out of memory");
        goto done;
    }
    sprintf(dir, "%s/runs/run-%06zu", ex->outdir, run);
    if ((rc = out_mkdirs(dir, err, errlen)) != SIM_OK) goto done;
    exp_run_info info = {.run = run,
                         .point = p,
                         .replication = run - ex->first_run[p],
                         .sets = s,
                         .n_sets = n,
                         .dir = dir};
#ifdef COOPSIM_MPI
    if (ex->procs->size > 1 && ex->procs->rank == 0)
        info.on_engine = on_engine_mpi, info.engine_ctx = ex;
#endif
    if ((rc = ex->runner->run(ex->runner->ctx, &info, rec, err, errlen)) != SIM_OK) goto done;
    if (!(*text = exp_record_text(rec))) rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
done:
    json_decref(rec);
    free(dir);
    free_sets(ex, s);
    return rc;
}

/* Rank 0 keeps a finished run: its file first, so that a kill never loses it. */
static void finished(exp_plan *ex, size_t run, char *text) {
    char err[2048];
    sim_status rc = exp_record_write(ex->outdir, run, text, err, sizeof err);
    if (rc != SIM_OK) {
        exp_fail(ex, rc, "%s", err);
        free(text);
        return;
    }
    ex->texts[run] = text;
    ex->done++;
    progress(ex);
}

/* The next run nobody has started, or n_runs. */
static size_t take_next(exp_plan *ex) {
    /* nothing before the experiment has started (rank 0 may answer the workers from an error
     * path) or after it failed */
    if (!ex->texts || ex->failed) return ex->n_runs;
    while (ex->next < ex->n_runs && ex->texts[ex->next])
        ex->next++;
    return ex->failed ? ex->n_runs : ex->next < ex->n_runs ? ex->next++ : ex->n_runs;
}

/* ---- MPI work queue --------------------------------------------------------------------- */

#ifdef COOPSIM_MPI
enum { TAG_RESULT = 1, TAG_WORK = 2 };

/* Takes one worker message: "R" ready, "D<run>\n<record>" done, "E<run> <status>\n<message>"
 * failed. */
static void mpi_take(exp_plan *ex, char *msg) {
    char *nl = strchr(msg, '\n');
    unsigned long long run = strtoull(msg + 1, NULL, 10);
    if (msg[0] == 'D' && nl && run < ex->n_runs) {
        size_t n = strlen(nl + 1);
        char *text = malloc(n + 1);
        if (text) {
            memcpy(text, nl + 1, n + 1);
            finished(ex, (size_t)run, text);
        } else {
            exp_fail(ex, SIM_ENOMEM, "out of memory");
        }
    } else if (msg[0] == 'E' && nl) {
        char *sp = strchr(msg, ' ');
        exp_fail(ex, sp ? (sim_status)atoi(sp + 1) : SIM_EINTERNAL, "%s", nl + 1);
    }
}

/* Answers the workers' messages: a result (or "ready") in, the next run index out. */
static void mpi_service(exp_plan *ex, bool block) {
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
        mpi_take(ex, msg);
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

static sim_status mpi_worker(exp_plan *ex) {
    char *msg = strdup("R");
    sim_status rc = SIM_OK;
    while (msg) {
        MPI_Send(msg, (int)strlen(msg), MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(msg);
        msg = NULL;
        long long run;
        MPI_Recv(&run, 1, MPI_LONG_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (run < 0) break;
        char err[2048], *text = NULL;
        sim_status r = do_run(ex, (size_t)run, &text, err, sizeof err);
        size_t n = (text ? strlen(text) : strlen(err)) + 64;
        if (!(msg = malloc(n))) break;
        if (r == SIM_OK)
            snprintf(msg, n, "D%lld\n%s", run, text);
        else
            snprintf(msg, n, "E%lld %d\n%s", run, (int)r, err), rc = r;
        free(text);
    }
    return rc;
}
#endif

/* Tells the workers there is nothing (more) to do. */
static void release_workers(exp_plan *ex) {
#ifdef COOPSIM_MPI
    while (ex->active > 0)
        mpi_service(ex, true);
#else
    (void)ex;
#endif
}

/* Runs every unfinished run: here, or spread over the MPI processes (rank 0 works too). */
static void execute(exp_plan *ex) {
    size_t run;
    char err[2048];
#ifdef COOPSIM_MPI
    if (ex->procs->size > 1) mpi_service(ex, false);
#endif
    while ((run = take_next(ex)) < ex->n_runs) {
        char *text = NULL;
        sim_status rc = do_run(ex, run, &text, err, sizeof err);
        if (rc != SIM_OK)
            exp_fail(ex, rc, "%s", err);
        else
            finished(ex, run, text);
#ifdef COOPSIM_MPI
        if (ex->procs->size > 1) mpi_service(ex, false);
#endif
    }
    release_workers(ex);
}

/* ---- outputs ---------------------------------------------------------------------------- */

/* The parameter columns of point p, in sweep order. */
static json_t *point_params(const exp_plan *ex, size_t p) {
    json_t *o = json_object();
    for (size_t k = 0; o && k < ex->sw.n_params; k++) {
        const exp_param *q = &ex->sw.params[k];
        json_object_set_new(o, q->path, json_string(q->values[exp_sweep_index(&ex->sw, p, k)]));
    }
    return o;
}

/* Adds the statistics of n runs to obj: the summarised tree and paired differences. */
static bool add_statistics(const exp_plan *ex, json_t *obj, json_t *const *metrics, size_t n) {
    const char *key = ex->runner->paired;
    json_t *s = exp_summarize(metrics, n), *pd = key ? exp_paired(metrics, n, key) : json_array();
    if (!s || !pd) {
        json_decref(s);
        json_decref(pd);
        return false;
    }
    if (json_is_object(s)) json_object_update(obj, s);
    json_decref(s);
    json_object_set_new(obj, sch_name(&exp_schema_summary, EXP_SUM_PAIRED_DIFFERENCES), pd);
    return true;
}

static const char statistics_doc[] =
    "each number is {mean, sd, ci95_low, ci95_high, n} over the replications (Student t); "
    "paired_differences give a - b per replication under identical demand, with the same "
    "statistics";

/* A table's leading columns: names, then n_rows * n texts, row by row. */
typedef struct lead_cols {
    const char **names;
    char **cells;
    size_t n, n_rows;
} lead_cols;

static bool lead_alloc(lead_cols *l, size_t n, size_t n_rows) {
    l->n = n;
    l->n_rows = n_rows;
    l->names = calloc(n, sizeof *l->names);
    l->cells = calloc(n * n_rows + 1, sizeof *l->cells);
    return l->names && l->cells;
}

static void lead_free(lead_cols *l) {
    for (size_t i = 0; l->cells && i < l->n * l->n_rows; i++)
        free(l->cells[i]);
    free(l->cells);
    free(l->names);
}

static char *size_text(size_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", v);
    return strdup(buf);
}

/* The per-run table's leading columns: run, [point, parameters...], replication, seed. */
static bool run_lead(const exp_plan *ex, json_t *const *recs, lead_cols *l) {
    size_t np = ex->sw.n_params, c = 0;
    if (!lead_alloc(l, 3 + (np ? 1 + np : 0), ex->n_runs)) return false;
    const sch_table *t = np ? &exp_schema_sweep_csv : &exp_schema_runs_csv;
    l->names[c++] = sch_name(t, np ? EXP_SWCSV_RUN : EXP_RUNS_RUN);
    if (np) l->names[c++] = sch_name(t, EXP_SWCSV_POINT);
    for (size_t k = 0; k < np; k++)
        l->names[c++] = ex->sw.params[k].path;
    l->names[c++] = sch_name(t, np ? EXP_SWCSV_REPLICATION : EXP_RUNS_REPLICATION);
    l->names[c++] = sch_name(t, np ? EXP_SWCSV_SEED : EXP_RUNS_SEED);
    for (size_t i = 0; i < ex->n_runs; i++) {
        size_t p = point_of(ex, i);
        char buf[64], **row = l->cells + i * l->n;
        c = 0;
        row[c++] = size_text(i);
        if (np) row[c++] = size_text(p);
        for (size_t k = 0; k < np; k++)
            row[c++] = strdup(ex->sw.params[k].values[exp_sweep_index(&ex->sw, p, k)]);
        row[c++] = size_text(i - ex->first_run[p]);
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(
                     json_object_get(recs[i], sch_name(&exp_schema_record, EXP_REC_SEED))));
        row[c++] = strdup(buf);
        for (size_t j = 0; j < c; j++)
            if (!row[j]) return false;
    }
    return true;
}

/* summary.json's "sweep" section: the mode and every parameter's values. */
static json_t *sweep_json(const exp_plan *ex) {
    json_t *sw = json_object(), *params = json_array();
    json_object_set_new(sw, sch_name(&exp_schema_sweep, EXP_SWEEP_MODE),
                        json_string(ex->sw.mode == EXP_ZIP ? "zip" : "grid"));
    for (size_t k = 0; k < ex->sw.n_params; k++) {
        json_t *vals = json_array();
        for (size_t v = 0; v < ex->sw.params[k].n_values; v++)
            json_array_append_new(vals, json_string(ex->sw.params[k].values[v]));
        json_array_append_new(
            params, json_pack("{s:s,s:o}", sch_name(&exp_schema_sweep_param, EXP_PARAM_PATH),
                              ex->sw.params[k].path,
                              sch_name(&exp_schema_sweep_param, EXP_PARAM_VALUES), vals));
    }
    json_object_set_new(sw, sch_name(&exp_schema_sweep, EXP_SWEEP_PARAMETERS), params);
    return sw;
}

/* The sweep's points: statistics per point into summary.json and sweep_summary.csv. */
static sim_status write_points(const exp_plan *ex, json_t *summary, json_t *const *metrics,
                               char *err, size_t errlen) {
    size_t np = ex->sw.n_params;
    json_t *points = json_array(), **pflat = calloc(ex->n_points, sizeof *pflat);
    lead_cols l = {0};
    bool ok = points && pflat && lead_alloc(&l, 2 + np, ex->n_points);
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_SWEEP), sweep_json(ex));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_POINTS), points);
    if (ok) {
        l.names[0] = sch_name(&exp_schema_sweep_summary_csv, EXP_SWSUM_POINT);
        for (size_t k = 0; k < np; k++)
            l.names[1 + k] = ex->sw.params[k].path;
        l.names[1 + np] = sch_name(&exp_schema_sweep_summary_csv, EXP_SWSUM_REPLICATIONS);
    }
    for (size_t p = 0; ok && p < ex->n_points; p++) {
        size_t a = ex->first_run[p], b = ex->first_run[p + 1];
        json_t *pt = json_object(), *stats = json_object();
        char **row = l.cells + p * l.n;
        json_object_set_new(pt, sch_name(&exp_schema_point, EXP_POINT_POINT),
                            json_integer((json_int_t)p));
        json_object_set_new(pt, sch_name(&exp_schema_point, EXP_POINT_PARAMETERS),
                            point_params(ex, p));
        json_object_set_new(pt, sch_name(&exp_schema_point, EXP_POINT_REPLICATIONS),
                            json_integer((json_int_t)(b - a)));
        ok = add_statistics(ex, stats, metrics + a, b - a);
        pflat[p] = exp_flatten(stats);
        json_object_update(pt, stats);
        json_decref(stats);
        json_array_append_new(points, pt);
        row[0] = size_text(p);
        for (size_t k = 0; k < np; k++)
            row[1 + k] = strdup(ex->sw.params[k].values[exp_sweep_index(&ex->sw, p, k)]);
        row[1 + np] = size_text(b - a);
        for (size_t j = 0; j < l.n; j++)
            ok = ok && row[j];
        ok = ok && pflat[p];
    }
    sim_status rc = ok ? SIM_OK : sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    if (rc == SIM_OK)
        rc = exp_write_csv(ex->outdir, exp_schema_sweep_summary_csv.file, ex->n_points, l.n,
                           l.names, (const char *const *)l.cells, pflat, err, errlen);
    for (size_t p = 0; pflat && p < ex->n_points; p++)
        json_decref(pflat[p]);
    free(pflat);
    lead_free(&l);
    return rc;
}

/* Writes summary.json and the tables from the records, in run order. */
static sim_status write_outputs(const exp_plan *ex, json_t *summary, char *err, size_t errlen) {
    size_t nr = ex->n_runs;
    json_t **recs = calloc(nr + 1, sizeof *recs), **metrics = calloc(nr + 1, sizeof *metrics);
    json_t **flat = calloc(nr + 1, sizeof *flat);
    lead_cols l = {0};
    sim_status rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    if (!recs || !metrics || !flat) goto done;
    for (size_t i = 0; i < nr; i++) {
        json_error_t je;
        if (!(recs[i] = json_loads(ex->texts[i], 0, &je))) {
            rc = sim_fail(SIM_EINTERNAL, err, errlen, "run %zu: unreadable record: %s", i, je.text);
            goto done;
        }
        metrics[i] = json_object_get(recs[i], sch_name(&exp_schema_record, EXP_REC_METRICS));
        if (!(flat[i] = exp_flatten(metrics[i]))) goto done;
    }
    if (!run_lead(ex, recs, &l)) goto done;
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_STATISTICS),
                        json_string(statistics_doc));
    if (ex->sw.n_params == 0) {
        json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_REPLICATIONS),
                            json_integer((json_int_t)nr));
        if (!add_statistics(ex, summary, metrics, nr)) goto done;
        rc = exp_write_csv(ex->outdir, exp_schema_runs_csv.file, nr, l.n, l.names,
                           (const char *const *)l.cells, flat, err, errlen);
    } else {
        rc = write_points(ex, summary, metrics, err, errlen);
        if (rc == SIM_OK)
            rc = exp_write_csv(ex->outdir, exp_schema_sweep_csv.file, nr, l.n, l.names,
                               (const char *const *)l.cells, flat, err, errlen);
    }
    if (rc == SIM_OK)
        rc = out_write_json(ex->outdir, exp_schema_summary.file, summary, err, errlen);
done:
    for (size_t i = 0; i < nr; i++) {
        if (recs) json_decref(recs[i]);
        if (flat) json_decref(flat[i]);
    }
    lead_free(&l);
    free(recs);
    free(metrics);
    free(flat);
    return rc;
}

/* ---- plan, resume, execute -------------------------------------------------------------- */

sim_status exp_plan_make(exp_plan *ex, const char *file, const char *outdir,
                         const char *const *sets, size_t n_sets, exp_sweep *sw,
                         const exp_runner *runner, const exp_procs *procs, char *err,
                         size_t errlen) {
    char msg[2048];
    memset(ex, 0, sizeof *ex);
    ex->file = file, ex->outdir = outdir, ex->sets = sets, ex->n_sets = n_sets;
    ex->runner = runner, ex->procs = procs;
    ex->sw = *sw;
    memset(sw, 0, sizeof *sw);
    sw->n_points = 1;
    ex->n_points = ex->sw.n_points;
    if (!(ex->first_run = calloc(ex->n_points + 1, sizeof *ex->first_run)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t p = 0; p < ex->n_points; p++) {
        size_t n = 0, reps = 0;
        const char **s = point_sets(ex, p, &n);
        if (!s) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        sim_status rc = runner->replications(runner->ctx, s, n, &reps, msg, sizeof msg);
        free_sets(ex, s);
        if (rc != SIM_OK) {
            exp_sweep_locate(&ex->sw, p, msg, err, errlen);
            return rc;
        }
        /* counted before anything is allocated for the runs: when the replications are the
         * same at every point, point 0 already tells the total */
        bool reps_swept = false;
        for (size_t k = 0; k < ex->sw.n_params; k++)
            reps_swept |= strcmp(ex->sw.params[k].path, "simulation.replications") == 0;
        double total = p == 0 && !reps_swept ? (double)reps * (double)ex->n_points
                                             : (double)ex->first_run[p] + (double)reps;
        if (total > EXP_MAX_RUNS)
            return sim_fail(SIM_EINPUT, err, errlen,
                            "%s: the experiment would make %s%.0f runs (%zu sweep point%s, %zu "
                            "replications at point %zu), more than the %d one experiment may "
                            "have; split the sweep or lower simulation.replications",
                            file, reps_swept ? "at least " : "", total, ex->n_points,
                            ex->n_points == 1 ? "" : "s", reps, p, EXP_MAX_RUNS);
        ex->first_run[p + 1] = ex->first_run[p] + reps;
    }
    ex->n_runs = ex->first_run[ex->n_points];
    return out_sha256_file(file, ex->sha256, err, errlen);
}

bool exp_plan_is_experiment(const exp_plan *ex) {
    return ex->sw.n_params > 0 || ex->n_runs > 1;
}

/* With --resume: takes the runs an earlier attempt finished, if they are this one's. */
static sim_status load_finished(exp_plan *ex, char *err, size_t errlen) {
    for (size_t i = 0; i < ex->n_runs; i++) {
        char *text = NULL;
        sim_status r = exp_record_read(ex->outdir, i, &text, err, errlen);
        if (r != SIM_OK) return r;
        if (!text) continue;
        json_t *rec = exp_record_intact(text) ? json_loads(text, 0, NULL) : NULL;
        /* a damaged record (cut short, edited, or of a version without checksums) is run
         * again rather than trusted or taken for another experiment's */
        if (!rec || !json_is_object(json_object_get(rec, "metrics")) ||
            !json_is_integer(json_object_get(rec, "seed"))) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "record %zu is corrupt (its checksum or content is not what a run "
                     "writes): it runs again",
                     i);
            if (ex->runner->notice) ex->runner->notice(ex->runner->ctx, msg);
            json_decref(rec);
            free(text);
            continue;
        }
        json_t *id = identity(ex, i);
        bool mine = id && exp_record_matches(rec, id);
        json_decref(rec);
        json_decref(id);
        if (!mine) {
            char *path = exp_record_path(ex->outdir, i);
            sim_fail(SIM_EINPUT, err, errlen,
                     "%s was written by another experiment (a different scenario file, "
                     "overrides, output options or coopsim version); resume with the same ones, "
                     "or run without --resume",
                     path ? path : "a run record");
            free(path);
            free(text);
            return SIM_EINPUT;
        }
        ex->texts[i] = text;
        ex->done++;
    }
    ex->done_before = ex->done;
    return SIM_OK;
}

sim_status exp_execute(exp_plan *ex, bool resume, json_t *summary, char *err, size_t errlen) {
#ifdef COOPSIM_MPI
    if (ex->procs->rank != 0) return mpi_worker(ex);
#endif
    ex->active = ex->procs->size - 1;
    if (!(ex->texts = calloc(ex->n_runs + 1, sizeof *ex->texts))) {
        sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        exp_fail(ex, SIM_ENOMEM, "out of memory");
        release_workers(ex);
        return SIM_ENOMEM;
    }
    sim_status rc = resume ? load_finished(ex, err, errlen) : SIM_OK;
    if (rc != SIM_OK) {
        exp_fail(ex, rc, "resume refused");
        release_workers(ex);
        return rc;
    }
    progress(ex);
    execute(ex);
    if (ex->failed) {
        snprintf(err, errlen, "%s", ex->failmsg);
        return ex->failed;
    }
    return write_outputs(ex, summary, err, errlen);
}

void exp_plan_free(exp_plan *ex) {
    for (size_t i = 0; ex->texts && i < ex->n_runs; i++)
        free(ex->texts[i]);
    free(ex->texts);
    free(ex->first_run);
    exp_sweep_free(&ex->sw);
    ex->texts = NULL;
    ex->first_run = NULL;
}
