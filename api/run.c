/* libcoopsim: running a loaded scenario into an output directory, a single run or the
 * experiment of its replications and sweep (through the scheduler of sim/experiment), with a
 * progress callback that can cancel. Writes what `coopsim run --no-plots` writes. */
#include "api/api.h"

#include "models/run.h"
#include "models/schema/schema.h"
#include "sim/output.h"
#include "sim/output_dir.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the runner and the engine hooks see. */
typedef struct api_run {
    const coopsim_scenario *h;
    const char *file; /* the scenario file the plan hashes */
    const char *outdir;
    unsigned flags;
    coopsim_progress_fn progress;
    void *ctx;
    bool cancelled;
    size_t runs_done, runs_total;
    int engine_index, n_engines; /* in the current run */
    sim_time end;
} api_run;

static void ask(api_run *r, double within_run) {
    if (!r->progress || r->cancelled) return;
    double total = r->runs_total ? (double)r->runs_total : 1.0;
    double f = ((double)r->runs_done + within_run) / total;
    if (f > 1) f = 1;
    if (r->progress(r->ctx, r->runs_done, r->runs_total, f) != 0) r->cancelled = true;
}

static void stop_hook(sim *s, void *ctx) {
    (void)ctx;
    sim_request_stop(s);
}

static void engine_hook(sim *s, void *ctx) {
    api_run *r = ctx;
    double t = r->end > 0 ? (double)sim_now(s) / (double)r->end : 1.0;
    if (t > 1) t = 1;
    int n = r->n_engines > 0 ? r->n_engines : 1;
    ask(r, ((double)(r->engine_index - 1) + t) / n);
    if (r->cancelled) sim_request_stop(s);
}

static void on_engine(sim *s, sim_time end, void *ctx) {
    api_run *r = ctx;
    r->engine_index++;
    r->end = end;
    /* a cancelled run stops at its next world's first event (a stop the run reports as a
     * failure, so no table of it is committed) */
    if (r->cancelled)
        sim_set_hook(s, stop_hook, r, 1);
    else if (r->progress)
        sim_set_hook(s, engine_hook, r, 1u << 16);
}

static sim_status cancelled(char *err, size_t errlen) {
    return sim_fail(SIM_EINTERNAL, err, errlen, "cancelled");
}

/* ---- the scheduler's callbacks ---------------------------------------------------------- */

static sim_status point_replications(void *ctx, const char *const *sets, size_t n_sets, size_t *n,
                                     char *err, size_t errlen) {
    const api_run *r = ctx;
    coop_scenario sc;
    sc_where *w = NULL;
    sim_status rc = api_load(r->h, sets, n_sets, &sc, &w, err, errlen);
    if (rc == SIM_OK) rc = coop_check(&sc, w, err, errlen);
    if (rc == SIM_OK) *n = (size_t)sc.simulation.replications;
    sc_where_free(w);
    sc_free(coop_keys, &sc);
    return rc;
}

/* One run of the experiment: the scenario with the point's overrides, one replication. */
static sim_status one_run(void *ctx, const exp_run_info *info, json_t *record, char *err,
                          size_t errlen) {
    api_run *r = ctx;
    if (r->cancelled) return cancelled(err, errlen);
    coop_scenario sc;
    json_t *metrics = json_object();
    sim_status rc = metrics ? api_load(r->h, info->sets, info->n_sets, &sc, NULL, err, errlen)
                            : sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    if (!metrics) memset(&sc, 0, sizeof sc);
    r->engine_index = 0;
    r->n_engines = coop_run_engines(&sc);
    coop_run_opts opts = {.outdir = info->dir,
                          .replication = (uint64_t)info->replication,
                          .trips_csv = r->flags & COOPSIM_RUN_TRIPS,
                          .export_ledgers = r->flags & COOPSIM_RUN_LEDGER,
                          .on_engine = on_engine,
                          .ctx = r};
    if (rc == SIM_OK) rc = coop_run(&sc, &opts, metrics, err, errlen);
    if (r->cancelled) rc = cancelled(err, errlen);
    if (rc == SIM_OK) {
        json_object_set_new(record, sch_name(&exp_schema_record, EXP_REC_SEED),
                            json_integer(sc.simulation.seed));
        json_object_set(record, sch_name(&exp_schema_record, EXP_REC_METRICS), metrics);
    }
    json_decref(metrics);
    sc_free(coop_keys, &sc);
    return rc;
}

static void sched_progress(void *ctx, size_t done, size_t total, size_t resumed) {
    api_run *r = ctx;
    (void)resumed;
    r->runs_done = done;
    r->runs_total = total;
    ask(r, 0.0);
}

/* ---- runs ------------------------------------------------------------------------------- */

/* The summary's head, as the program writes it: what was run, from which file, by which
 * version. */
static json_t *summary_head(const api_run *r, const coop_scenario *sc, const exp_plan *ex) {
    json_t *summary = json_object(), *overrides = json_array();
    if (!summary || !overrides) {
        json_decref(summary);
        json_decref(overrides);
        return NULL;
    }
    for (size_t i = 0; i < r->h->n_sets; i++)
        json_array_append_new(overrides, json_string(r->h->sets[i]));
    const sch_table *t = &exp_schema_summary;
    json_object_set_new(summary, sch_name(t, EXP_SUM_SCENARIO), json_string(sc->name));
    json_object_set_new(summary, sch_name(t, EXP_SUM_TITLE),
                        json_string(sc->title ? sc->title : ""));
    json_object_set_new(summary, sch_name(t, EXP_SUM_NOTES),
                        json_string(sc->notes ? sc->notes : ""));
    json_object_set_new(summary, sch_name(t, EXP_SUM_SCENARIO_FILE), json_string(r->file));
    json_object_set_new(summary, sch_name(t, EXP_SUM_SCENARIO_SHA256), json_string(ex->sha256));
    json_object_set_new(summary, sch_name(t, EXP_SUM_OVERRIDES), overrides);
    json_object_set_new(summary, sch_name(t, EXP_SUM_COOPSIM_VERSION),
                        json_string(COOPSIM_VERSION));
    json_object_set_new(summary, sch_name(t, EXP_SUM_SEED), json_integer(sc->simulation.seed));
    return summary;
}

static sim_status run_single(api_run *r, coop_scenario *sc, json_t *summary, char *err,
                             size_t errlen) {
    const sch_table *t = &exp_schema_summary;
    json_object_set_new(summary, sch_name(t, EXP_SUM_REPLICATION), json_integer(0));
    json_object_set_new(summary, sch_name(t, EXP_SUM_CURRENCY), json_string(sc->currency));
    json_object_set_new(summary, sch_name(t, EXP_SUM_DURATION_S),
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    r->runs_total = 1;
    r->n_engines = coop_run_engines(sc);
    coop_run_opts opts = {.outdir = r->outdir,
                          .replication = 0,
                          .trips_csv = r->flags & COOPSIM_RUN_TRIPS,
                          .export_ledgers = r->flags & COOPSIM_RUN_LEDGER,
                          .on_engine = on_engine,
                          .ctx = r};
    ask(r, 0.0);
    sim_status rc = coop_run(sc, &opts, summary, err, errlen);
    if (r->cancelled) return cancelled(err, errlen);
    if (rc == SIM_OK) rc = out_write_json(r->outdir, exp_schema_summary.file, summary, err, errlen);
    if (rc == SIM_OK) rc = coop_write_tidy(r->outdir, err, errlen);
    if (rc == SIM_OK) {
        r->runs_done = 1;
        ask(r, 0.0);
    }
    return rc;
}

static sim_status run_experiment(api_run *r, exp_plan *ex, const coop_scenario *sc, json_t *summary,
                                 char *err, size_t errlen) {
    const sch_table *t = &exp_schema_summary;
    json_object_set_new(summary, sch_name(t, EXP_SUM_CURRENCY), json_string(sc->currency));
    json_object_set_new(summary, sch_name(t, EXP_SUM_DURATION_S),
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    json_object_set_new(summary, sch_name(&exp_schema_summary, EXP_SUM_WARMUP_S),
                        json_real((double)sc->simulation.warmup / (double)SIM_SEC));
    sim_status rc = exp_execute(ex, r->flags & COOPSIM_RUN_RESUME, summary, err, errlen);
    if (r->cancelled) return cancelled(err, errlen);
    if (rc == SIM_OK) rc = coop_write_tidy(r->outdir, err, errlen);
    return rc;
}

/* A text scenario is run from its copy in the output directory, which the plan hashes. */
static sim_status scenario_copy(const coopsim_scenario *h, const char *outdir, char **file,
                                char *err, size_t errlen) {
    out_file o;
    sim_status rc = out_open(&o, outdir, "scenario.yaml", err, errlen);
    if (rc != SIM_OK) return rc;
    if (h->len && fwrite(h->text, 1, h->len, o.f) != h->len) {
        out_abort(&o);
        return sim_fail(SIM_EIO, err, errlen, "%s/scenario.yaml: cannot write", outdir);
    }
    if ((rc = out_commit(&o, err, errlen)) != SIM_OK) return rc;
    size_t n = strlen(outdir) + sizeof "/scenario.yaml";
    if (!(*file = malloc(n))) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    snprintf(*file, n, "%s/scenario.yaml", outdir);
    return SIM_OK;
}

static sim_status run_all(api_run *r, char **copy, coopsim_result **out, char *err, size_t errlen) {
    char options[64];
    snprintf(options, sizeof options, "trips=%d ledger=%d", (r->flags & COOPSIM_RUN_TRIPS) != 0,
             (r->flags & COOPSIM_RUN_LEDGER) != 0);
    exp_runner runner = {.replications = point_replications,
                         .run = one_run,
                         .paired = sch_name(&schema_run, SCH_RUN_PLATFORMS),
                         .progress = sched_progress,
                         .options = options,
                         .ctx = r};
    exp_procs procs = {.rank = 0, .size = 1, .mpi = false};
    exp_plan ex;
    exp_sweep sw = {.n_points = 1};
    coop_scenario sc;
    sc_where *w = NULL;
    memset(&ex, 0, sizeof ex);
    /* the directory is this run's alone while it writes, as the program's (sim/output_dir.h) */
    out_claim claim = {.lock_fd = -1};
    const char *inputs[] = {r->h->file};
    unsigned cf = (r->flags & COOPSIM_RUN_FORCE ? OUT_DIR_FORCE : 0) |
                  (r->flags & COOPSIM_RUN_RESUME ? OUT_DIR_KEEP : 0);
    sim_status rc = out_dir_claim(&claim, r->outdir, inputs, r->h->file ? 1 : 0, cf, err, errlen);
    if (rc == SIM_OK && !r->h->file) rc = scenario_copy(r->h, r->outdir, copy, err, errlen);
    r->file = r->h->file ? r->h->file : *copy;
    if (rc == SIM_OK) {
        rc = api_load(r->h, (const char *const *)r->h->sets, r->h->n_sets, &sc, &w, err, errlen);
        if (rc == SIM_OK) rc = exp_sweep_from_tree(sc_where_tree(w), &sw, err, errlen);
        sc_where_free(w);
    } else {
        memset(&sc, 0, sizeof sc);
    }
    if (rc == SIM_OK)
        rc = exp_plan_make(&ex, r->file, r->outdir, (const char *const *)r->h->sets, r->h->n_sets,
                           &sw, &runner, &procs, err, errlen);
    json_t *summary = rc == SIM_OK ? summary_head(r, &sc, &ex) : NULL;
    if (rc == SIM_OK && !summary) rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    bool experiment = rc == SIM_OK && exp_plan_is_experiment(&ex);
    if (rc == SIM_OK)
        rc = experiment ? run_experiment(r, &ex, &sc, summary, err, errlen)
                        : run_single(r, &sc, summary, err, errlen);
    if (rc == SIM_OK) rc = out_dir_finish(&claim, err, errlen);
    out_dir_release(&claim);
    if (rc == SIM_OK) {
        coopsim_result *res = calloc(1, sizeof *res);
        if (!res || !(res->dir = api_strdup(r->outdir))) {
            free(res);
            rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        } else {
            res->n_runs = experiment ? ex.n_runs : 1;
            res->experiment = experiment;
            *out = res;
        }
    }
    json_decref(summary);
    exp_sweep_free(&sw);
    exp_plan_free(&ex);
    sc_free(coop_keys, &sc);
    return rc;
}

int coopsim_run(const coopsim_scenario *h, const char *outdir, unsigned flags,
                coopsim_progress_fn progress, void *ctx, coopsim_result **out, char *err,
                size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!out) return sim_fail(SIM_EINPUT, err, errlen, "no place for the result handle");
    *out = NULL;
    if (!h) return sim_fail(SIM_EINPUT, err, errlen, "no scenario given");
    if (!outdir || !*outdir) return sim_fail(SIM_EINPUT, err, errlen, "no output directory given");
    if (flags & ~(COOPSIM_RUN_TRIPS | COOPSIM_RUN_LEDGER | COOPSIM_RUN_RESUME | COOPSIM_RUN_FORCE))
        return sim_fail(SIM_EINPUT, err, errlen, "unknown run flags 0x%x", flags);
    api_run r = {.h = h,
                 .outdir = outdir,
                 .flags = flags,
                 .progress = progress,
                 .ctx = ctx,
                 .runs_total = h->n_runs};
    char *copy = NULL;
    sim_status rc = run_all(&r, &copy, out, err, errlen);
    free(copy);
    if (r.cancelled) {
        coopsim_result_free(*out);
        *out = NULL;
        sim_fail(SIM_EINTERNAL, err, errlen, "cancelled");
        return COOPSIM_ECANCELLED;
    }
    return api_status(rc);
}
