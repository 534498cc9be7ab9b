/* A run of a scenario into its output directory, the one way every front end does it (the
 * program's `coopsim run` and libcoopsim's coopsim_run): load and check, plan the experiment,
 * bound the memory, hold the directory, run (one run, or an experiment over the processes),
 * write summary.json and the tables, let the front end add its own files, write the manifest. */
#ifndef MODELS_RUN_JOB_H
#define MODELS_RUN_JOB_H

#include "models/scenario.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "sim/experiment.h"

#include <stdbool.h>
#include <stddef.h>

/* What a job is about to do, or did (the hooks below see it). */
typedef struct coop_job_plan {
    const char *file;   /* the scenario file the plan hashes (a text scenario: its copy) */
    const char *outdir; /* the directory written */
    bool experiment;    /* replications or a sweep: runs/ and the experiment's tables */
    size_t n_runs;      /* 1 for a single run */
    size_t resumed;     /* runs an earlier attempt finished (known once the runs are done) */
    int n_engines;      /* engines one run makes (one per platform; one for a shared city) */
    int procs;          /* processes the runs are spread over */
} coop_job_plan;

typedef struct coop_job {
    /* The scenario: a file, or (file NULL) a YAML text of len bytes which `name` stands for
     * in messages and which is run from its copy DIR/scenario.yaml. */
    const char *file;
    const char *name, *text;
    size_t len;
    const char *const *sets; /* base overrides "path=value" (--set), before a sweep point's */
    size_t n_sets;
    const char *outdir; /* NULL: results/<the scenario's name> */
    bool trips, ledger; /* trips.csv; each chain's ledger export */
    bool resume;        /* keep the runs an interrupted experiment finished */
    bool force;         /* write into a non-empty directory coopsim did not write */
    /* Refuse (SIM_EINPUT, with the estimate) a run whose estimated memory exceeds max_memory
     * bytes (0: the machine's memory). */
    bool bound_memory;
    double max_memory;
    /* The front end's hooks (each may be NULL), called with ctx. */
    void *ctx;
    /* The plan is made and the directory held; the runs start. */
    void (*start)(void *ctx, const coop_job_plan *p);
    /* A world of the current run starts, running until `end` (in an experiment under MPI the
     * scheduler's own hook takes its place on rank 0). */
    void (*engine)(sim *s, sim_time end, void *ctx);
    /* Runs done of total (resumed of them from an earlier attempt): when the runs start and
     * after each. */
    void (*runs)(void *ctx, size_t done, size_t total, size_t resumed);
    /* What --resume found (e.g. a corrupt record that runs again). */
    void (*notice)(void *ctx, const char *msg);
    /* true: stop; asked before each run and after each (a stopped run's tables are not
     * committed). The front end stops a running world itself (sim_request_stop). */
    bool (*cancelled)(void *ctx);
    /* Every output is written; the front end adds its own (plots, report). A non-zero value
     * leaves the manifest unwritten (the next run cleans up) and is handed back. */
    int (*finish)(void *ctx, const coop_job_plan *p);
} coop_job;

typedef struct coop_job_result {
    coop_job_plan plan;
    int finish_rc;     /* what `finish` returned */
    bool cancelled;    /* the run stopped because `cancelled` said so */
    char outdir[1024]; /* plan.outdir points here */
} coop_job_result;

/* Runs the job on the processes `procs` (NULL: this one alone). Rank 0 checks everything
 * first; the others follow an experiment only when all is well, and stay quiet. SIM_OK (see
 * res->finish_rc), or the status with a message in err (file:line:column for a scenario
 * value); a cancelled job fails with "cancelled" and res->cancelled set. */
sim_status coop_job_run(const coop_job *job, const exp_procs *procs, coop_job_result *res,
                        char *err, size_t errlen);

#endif
