/* libcoopsim: running a loaded scenario into an output directory through the run orchestration
 * the program uses too (models/run_job.h), with a progress callback that can cancel. Writes
 * what `coopsim run --no-plots` writes. */
#include "api/api.h"

#include "models/run_job.h"

#include <stdlib.h>
#include <string.h>

/* What the job's hooks and the engine hooks see. */
typedef struct api_run {
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

static void on_start(void *ctx, const coop_job_plan *p) {
    api_run *r = ctx;
    r->runs_total = p->n_runs;
    r->n_engines = p->n_engines;
}

/* Called when the runs start and after each: the next run's worlds count from 1 again. */
static void on_runs(void *ctx, size_t done, size_t total, size_t resumed) {
    api_run *r = ctx;
    (void)resumed;
    r->runs_done = done;
    r->runs_total = total;
    r->engine_index = 0;
    ask(r, 0.0);
}

static bool is_cancelled(void *ctx) {
    return ((api_run *)ctx)->cancelled;
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
    api_run r = {.progress = progress, .ctx = ctx, .runs_total = h->n_runs};
    coop_job job = {.file = h->file,
                    .name = h->name,
                    .text = h->text,
                    .len = h->len,
                    .sets = (const char *const *)h->sets,
                    .n_sets = h->n_sets,
                    .outdir = outdir,
                    .trips = flags & COOPSIM_RUN_TRIPS,
                    .ledger = flags & COOPSIM_RUN_LEDGER,
                    .resume = flags & COOPSIM_RUN_RESUME,
                    .force = flags & COOPSIM_RUN_FORCE,
                    .ctx = &r,
                    .start = on_start,
                    .engine = on_engine,
                    .runs = on_runs,
                    .cancelled = is_cancelled};
    coop_job_result *res = malloc(sizeof *res);
    if (!res) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    sim_status rc = coop_job_run(&job, NULL, res, err, errlen);
    if (rc == SIM_OK) {
        coopsim_result *cr = calloc(1, sizeof *cr);
        if (!cr || !(cr->dir = api_strdup(res->outdir))) {
            free(cr);
            rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        } else {
            cr->n_runs = res->plan.n_runs;
            cr->experiment = res->plan.experiment;
            *out = cr;
        }
    }
    free(res);
    if (r.cancelled) {
        coopsim_result_free(*out);
        *out = NULL;
        sim_fail(SIM_EINTERNAL, err, errlen, "cancelled");
        return COOPSIM_ECANCELLED;
    }
    return api_status(rc);
}
