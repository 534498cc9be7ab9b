/* A run of a scenario into its output directory (models/run_job.h): the one orchestration
 * behind `coopsim run` and coopsim_run, so the two cannot write different directories. */
#include "models/run_job.h"

#include "models/run.h"
#include "models/schema/schema.h"
#include "sim/output.h"
#include "sim/output_dir.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* What the scheduler's callbacks and the steps below share. */
typedef struct job_state {
    const coop_job *job;
    const exp_procs *procs;
    coop_job_result *res;
    const char *file; /* the scenario file the plan hashes */
    char *copy;       /* a text scenario's copy in the output directory */
    char options[64];
    exp_runner runner;
    exp_plan ex;
    coop_scenario sc;    /* the base scenario (rank 0, and workers of an experiment) */
    coop_estimate worst; /* the sweep point with the largest run */
    out_claim claim;
    char demand_sha256[65], zones_sha256[65]; /* a trip file's and its zones file's, or "" */
} job_state;

static sim_status load(const coop_job *j, const char *const *sets, size_t n_sets, coop_scenario *sc,
                       sc_where **w, char *err, size_t errlen) {
    memset(sc, 0, sizeof *sc);
    if (j->file) return sc_load_file_where(coop_keys, sc, j->file, sets, n_sets, w, err, errlen);
    return sc_load_buffer_where(coop_keys, sc, j->name ? j->name : "scenario", j->text, j->len,
                                sets, n_sets, w, err, errlen);
}

static bool cancelled(const coop_job *j) {
    return j->cancelled && j->cancelled(j->ctx);
}

static sim_status fail_cancelled(coop_job_result *res, char *err, size_t errlen) {
    res->cancelled = true;
    return sim_fail(SIM_EINTERNAL, err, errlen, "cancelled");
}

/* ---- the scheduler's callbacks: what a run is -------------------------------------------- */

/* A sweep point: its scenario loads and passes the models' checks (messages name the sweep
 * value through exp_sweep_locate), its replications, and its size for the memory estimate. */
static sim_status point_replications(void *ctx, const char *const *sets, size_t n_sets, size_t *n,
                                     char *err, size_t errlen) {
    job_state *js = ctx;
    coop_scenario sc;
    sc_where *w = NULL;
    sim_status rc = load(js->job, sets, n_sets, &sc, &w, err, errlen);
    if (rc == SIM_OK) rc = coop_check(&sc, w, err, errlen);
    if (rc == SIM_OK) {
        *n = (size_t)sc.simulation.replications;
        coop_estimate e;
        coop_estimate_run(&sc, 1, &e);
        if (e.run_bytes > js->worst.run_bytes) js->worst = e;
    }
    sc_where_free(w);
    sc_free(coop_keys, &sc);
    return rc;
}

/* One run of the experiment: the scenario with the point's overrides, one replication. */
static sim_status one_run(void *ctx, const exp_run_info *info, json_t *record, char *err,
                          size_t errlen) {
    job_state *js = ctx;
    const coop_job *j = js->job;
    if (cancelled(j)) return fail_cancelled(js->res, err, errlen);
    coop_scenario sc;
    json_t *metrics = json_object();
    sim_status rc = metrics ? load(j, info->sets, info->n_sets, &sc, NULL, err, errlen)
                            : sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    if (!metrics) memset(&sc, 0, sizeof sc);
    coop_run_opts opts = {.outdir = info->dir,
                          .replication = (uint64_t)info->replication,
                          .run = (uint64_t)info->run,
                          .trips_csv = j->trips,
                          .export_ledgers = j->ledger,
                          .on_engine = info->on_engine ? info->on_engine : j->engine,
                          .ctx = info->on_engine ? info->engine_ctx : j->ctx};
    if (rc == SIM_OK) rc = coop_run(&sc, &opts, metrics, err, errlen);
    if (cancelled(j)) rc = fail_cancelled(js->res, err, errlen);
    if (rc == SIM_OK) {
        json_object_set_new(record, sch_name(&exp_schema_record, EXP_REC_SEED),
                            json_integer(sc.simulation.seed));
        json_object_set(record, sch_name(&exp_schema_record, EXP_REC_METRICS), metrics);
    }
    json_decref(metrics);
    sc_free(coop_keys, &sc);
    return rc;
}

static void on_progress(void *ctx, size_t done, size_t total, size_t resumed) {
    const coop_job *j = ((job_state *)ctx)->job;
    if (j->runs) j->runs(j->ctx, done, total, resumed);
}

static void on_notice(void *ctx, const char *msg) {
    const coop_job *j = ((job_state *)ctx)->job;
    if (j->notice) j->notice(j->ctx, msg);
}

/* ---- before the runs ------------------------------------------------------------------- */

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

/* Refuses a run whose estimated memory exceeds the bound, saying how to raise it. */
static sim_status check_memory(const job_state *js, char *err, size_t errlen) {
    const coop_job *j = js->job;
    coop_estimate e;
    bool is_exp = exp_plan_is_experiment(&js->ex);
    coop_estimate_run(&js->sc, is_exp ? (double)js->ex.n_runs : 1, &e);
    if (js->worst.run_bytes > e.run_bytes) { /* a sweep point larger than the base scenario */
        e.bytes += js->worst.run_bytes - e.run_bytes;
        e.run_bytes = js->worst.run_bytes;
    }
    double bound = j->max_memory > 0 ? j->max_memory : machine_memory();
    if (bound <= 0 || e.bytes <= bound) return SIM_OK;
    const double gib = 1024.0 * 1024 * 1024;
    return sim_fail(SIM_EINPUT, err, errlen,
                    "%s: this %s would need about %.3g GiB of memory (an upper estimate: %.3g GiB "
                    "per run with %.3g requests, %.0f drivers and %.3g chain links; %.3g GiB for "
                    "%.0f run records) and about %.2g events, more than %s of %.3g GiB; "
                    "--max-memory SIZE sets the bound (e.g. --max-memory %.0fG), or make the "
                    "scenario smaller",
                    js->file, is_exp ? "experiment" : "run", e.bytes / gib, e.run_bytes / gib,
                    e.requests, (double)js->sc.drivers.count, e.links, e.records_bytes / gib,
                    e.runs, e.events,
                    j->max_memory > 0 ? "the bound --max-memory gives" : "this machine's memory",
                    bound / gib, e.bytes / gib + 1);
}

/* A text scenario is run from its copy in the output directory, which the plan hashes. */
static sim_status scenario_copy(job_state *js, char *err, size_t errlen) {
    const coop_job *j = js->job;
    const char *outdir = js->res->outdir;
    out_file o;
    sim_status rc = out_open(&o, outdir, "scenario.yaml", err, errlen);
    if (rc != SIM_OK) return rc;
    if (j->len && fwrite(j->text, 1, j->len, o.f) != j->len) {
        out_abort(&o);
        return sim_fail(SIM_EIO, err, errlen, "%s/scenario.yaml: cannot write", outdir);
    }
    if ((rc = out_commit(&o, err, errlen)) != SIM_OK) return rc;
    size_t n = strlen(outdir) + sizeof "/scenario.yaml";
    if (!(js->copy = malloc(n))) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    snprintf(js->copy, n, "%s/scenario.yaml", outdir);
    js->file = js->copy;
    return SIM_OK;
}

static sim_status claim(job_state *js, char *err, size_t errlen) {
    const coop_job *j = js->job;
    const char *inputs[] = {j->file};
    unsigned flags = (j->force ? OUT_DIR_FORCE : 0) | (j->resume ? OUT_DIR_KEEP : 0);
    return out_dir_claim(&js->claim, js->res->outdir, inputs, j->file ? 1 : 0, flags, err, errlen);
}

/* A trip file's data is part of what was run: its SHA-256 (and its zones file's) go in the
 * summary beside the scenario's. */
static sim_status hash_demand(job_state *js, char *err, size_t errlen) {
    const coop_demand *d = &js->sc.demand;
    if (coop_demand_kind(d) != COOP_DEMAND_FILE) return SIM_OK;
    sim_status rc = out_sha256_file(d->source, js->demand_sha256, err, errlen);
    if (rc == SIM_OK && d->zones && d->zones[0])
        rc = out_sha256_file(d->zones, js->zones_sha256, err, errlen);
    return rc;
}

/* Everything before the runs: the scenario (with the models' and the sweep's checks), the
 * plan (every sweep point loaded), the memory bound, the directory. `owner`: rank 0, which
 * also bounds the memory and holds the directory. */
static sim_status prepare(job_state *js, bool owner, char *err, size_t errlen) {
    const coop_job *j = js->job;
    coop_job_plan *p = &js->res->plan;
    exp_sweep sw = {.n_points = 1};
    sc_where *w = NULL;
    sim_status rc = load(j, j->sets, j->n_sets, &js->sc, &w, err, errlen);
    if (rc == SIM_OK) rc = coop_check(&js->sc, w, err, errlen);
    /* the sweep's own checks (zip lengths, ranges, size) come after the models' */
    if (rc == SIM_OK && exp_sweep_from_tree(sc_where_tree(w), &sw, err, errlen) != SIM_OK)
        rc = SIM_EINPUT;
    sc_where_free(w);
    if (rc != SIM_OK) {
        exp_sweep_free(&sw);
        return rc;
    }
    if (j->outdir)
        snprintf(js->res->outdir, sizeof js->res->outdir, "%s", j->outdir);
    else
        snprintf(js->res->outdir, sizeof js->res->outdir, "results/%s", js->sc.name);
    p->outdir = js->res->outdir;
    /* a text scenario's copy is what the plan hashes, so the directory is held first */
    if (!j->file && owner && (rc = claim(js, err, errlen)) == SIM_OK)
        rc = scenario_copy(js, err, errlen);
    if (!j->file && !owner) {
        size_t n = strlen(p->outdir) + sizeof "/scenario.yaml";
        if (!(js->copy = malloc(n))) rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        if (js->copy) snprintf(js->copy, n, "%s/scenario.yaml", p->outdir);
        js->file = js->copy;
    }
    if (rc == SIM_OK)
        rc = exp_plan_make(&js->ex, js->file, p->outdir, j->sets, j->n_sets, &sw, &js->runner,
                           js->procs, err, errlen);
    exp_sweep_free(&sw);
    if (rc != SIM_OK || !owner) return rc;
    rc = hash_demand(js, err, errlen);
    if (rc == SIM_OK && j->bound_memory) rc = check_memory(js, err, errlen);
    if (rc == SIM_OK && j->file) rc = claim(js, err, errlen);
    return rc;
}

/* ---- the runs -------------------------------------------------------------------------- */

/* The summary's head: what was run, from which file, by which version. */
static json_t *summary_head(const job_state *js) {
    const coop_job *j = js->job;
    const coop_scenario *sc = &js->sc;
    const sch_table *t = &exp_schema_summary;
    json_t *summary = json_object(), *overrides = json_array();
    if (!summary || !overrides) {
        json_decref(summary);
        json_decref(overrides);
        return NULL;
    }
    for (size_t i = 0; i < j->n_sets; i++)
        json_array_append_new(overrides, json_string(j->sets[i]));
    json_object_set_new(summary, sch_name(t, EXP_SUM_SCENARIO), json_string(sc->name));
    json_object_set_new(summary, sch_name(t, EXP_SUM_TITLE),
                        json_string(sc->title ? sc->title : ""));
    json_object_set_new(summary, sch_name(t, EXP_SUM_NOTES),
                        json_string(sc->notes ? sc->notes : ""));
    json_object_set_new(summary, sch_name(t, EXP_SUM_SCENARIO_FILE), json_string(js->file));
    json_object_set_new(summary, sch_name(t, EXP_SUM_SCENARIO_SHA256), json_string(js->ex.sha256));
    json_object_set_new(summary, sch_name(t, EXP_SUM_OVERRIDES), overrides);
    json_object_set_new(summary, sch_name(t, EXP_SUM_COOPSIM_VERSION),
                        json_string(COOPSIM_VERSION));
    json_object_set_new(summary, sch_name(t, EXP_SUM_SEED), json_integer(sc->simulation.seed));
    if (js->demand_sha256[0]) {
        json_t *f = json_pack("{s:s, s:s, s:s, s:s}", "source", sc->demand.source, "source_sha256",
                              js->demand_sha256, "zones", sc->demand.zones ? sc->demand.zones : "",
                              "zones_sha256", js->zones_sha256);
        if (f) json_object_set_new(summary, sch_name(&schema_run, SCH_RUN_DEMAND_FILE), f);
    }
    return summary;
}

static sim_status run_single(job_state *js, json_t *summary, char *err, size_t errlen) {
    const coop_job *j = js->job;
    const coop_scenario *sc = &js->sc;
    const sch_table *t = &exp_schema_summary;
    json_object_set_new(summary, sch_name(t, EXP_SUM_REPLICATION), json_integer(0));
    json_object_set_new(summary, sch_name(t, EXP_SUM_CURRENCY), json_string(sc->currency));
    json_object_set_new(summary, sch_name(t, EXP_SUM_DURATION_S),
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    coop_run_opts opts = {.outdir = js->res->outdir,
                          .replication = 0,
                          .trips_csv = j->trips,
                          .export_ledgers = j->ledger,
                          .on_engine = j->engine,
                          .ctx = j->ctx};
    on_progress(js, 0, 1, 0);
    if (cancelled(j)) return fail_cancelled(js->res, err, errlen);
    sim_status rc = coop_run(sc, &opts, summary, err, errlen);
    if (cancelled(j)) return fail_cancelled(js->res, err, errlen);
    if (rc == SIM_OK)
        rc = out_write_json(js->res->outdir, exp_schema_summary.file, summary, err, errlen);
    if (rc == SIM_OK) rc = coop_write_tidy(js->res->outdir, err, errlen);
    if (rc == SIM_OK) on_progress(js, 1, 1, 0);
    return rc;
}

static sim_status run_experiment(job_state *js, json_t *summary, char *err, size_t errlen) {
    const coop_scenario *sc = &js->sc;
    const sch_table *t = &exp_schema_summary;
    json_object_set_new(summary, sch_name(t, EXP_SUM_CURRENCY), json_string(sc->currency));
    json_object_set_new(summary, sch_name(t, EXP_SUM_DURATION_S),
                        json_real((double)sc->simulation.duration / (double)SIM_SEC));
    json_object_set_new(summary, sch_name(t, EXP_SUM_WARMUP_S),
                        json_real((double)sc->simulation.warmup / (double)SIM_SEC));
    sim_status rc = exp_execute(&js->ex, js->job->resume, summary, err, errlen);
    if (cancelled(js->job)) return fail_cancelled(js->res, err, errlen);
    js->res->plan.resumed = js->ex.done_before;
    if (rc == SIM_OK) rc = coop_write_tidy(js->res->outdir, err, errlen);
    if (rc == SIM_OK) rc = coop_write_competition_days(js->res->outdir, err, errlen);
    return rc;
}

/* Rank 0 once everything is checked: the runs, the outputs, the front end's files, the
 * manifest. */
static sim_status run_owner(job_state *js, char *err, size_t errlen) {
    const coop_job *j = js->job;
    coop_job_plan *p = &js->res->plan;
    p->file = js->file;
    p->experiment = exp_plan_is_experiment(&js->ex);
    p->n_runs = p->experiment ? js->ex.n_runs : 1;
    p->n_engines = coop_run_engines(&js->sc);
    p->procs = js->procs->size;
    json_t *summary = summary_head(js);
    if (!summary) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    if (j->start) j->start(j->ctx, p);
    sim_status rc = p->experiment ? run_experiment(js, summary, err, errlen)
                                  : run_single(js, summary, err, errlen);
    json_decref(summary);
    if (rc != SIM_OK) return rc;
    /* a front end's file that cannot be written fails the run: the manifest stays unwritten */
    if (j->finish && (js->res->finish_rc = j->finish(j->ctx, p)) != 0) return SIM_OK;
    return out_dir_finish(&js->claim, err, errlen);
}

sim_status coop_job_run(const coop_job *job, const exp_procs *procs, coop_job_result *res,
                        char *err, size_t errlen) {
    static const exp_procs alone = {.rank = 0, .size = 1, .mpi = false};
    memset(res, 0, sizeof *res);
    job_state *js = calloc(1, sizeof *js);
    if (!js) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    *js = (job_state){.job = job, .procs = procs ? procs : &alone, .res = res, .file = job->file};
    js->claim.lock_fd = -1;
    snprintf(js->options, sizeof js->options, "trips=%d ledger=%d", job->trips, job->ledger);
    js->runner = (exp_runner){.replications = point_replications,
                              .run = one_run,
                              .paired = sch_name(&schema_run, SCH_RUN_PLATFORMS),
                              .progress = on_progress,
                              .notice = on_notice,
                              .options = js->options,
                              .ctx = js};
    bool owner = js->procs->rank == 0;
    sim_status rc = owner ? prepare(js, true, err, errlen) : SIM_OK;
    /* rank 0 checks everything first; the others follow an experiment only when all is well */
    int verdict = exp_procs_share(js->procs, (int)rc);
    bool shared = exp_procs_share(js->procs, rc == SIM_OK && exp_plan_is_experiment(&js->ex));
    if (!owner) {
        rc = (sim_status)verdict;
        if (rc == SIM_OK && shared) {
            rc = prepare(js, false, err, errlen);
            if (rc == SIM_OK) rc = exp_execute(&js->ex, false, NULL, err, errlen);
        }
    } else if (rc == SIM_OK) {
        rc = run_owner(js, err, errlen);
    }
    out_dir_release(&js->claim);
    exp_plan_free(&js->ex);
    sc_free(coop_keys, &js->sc);
    free(js->copy);
    free(js);
    return rc;
}
