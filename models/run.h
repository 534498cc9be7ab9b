/* Running one replication of a scenario: builds the world from the typed configuration,
 * runs the engine, and reports metrics into summary.json and CSV files. */
#ifndef MODELS_RUN_H
#define MODELS_RUN_H

#include "models/market/market.h"
#include "models/scenario.h"
#include "sim/error.h"

#include <jansson.h>

typedef struct coop_run_opts {
    const char *outdir;   /* where CSV files go (already created) */
    uint64_t replication; /* 0 for a single run */
    uint64_t run;         /* the run's index in an experiment (0 for a single run): the first
                             column of every table the run writes */
    bool trips_csv;       /* write trips.csv too */
    bool export_ledgers;  /* export every chain platform's ledger, as ledger.export does */
    /* Called once per engine the run creates, before it runs, with the time it will run
     * until; lets the program install a progress hook (sim_set_hook). May be NULL. */
    void (*on_engine)(sim *s, sim_time end, void *ctx);
    void *ctx;
    /* The map recorder (mkt_map_new), off when NULL: each platform's map is appended to
     * map_out, a JSON array, after its run (a platform without one, e.g. a queue, adds null). */
    const mkt_map_opts *map;
    json_t *map_out;
} coop_run_opts;

/* What a run of the scenario will take, an upper estimate from the scenario alone
 * (models/run_estimate.c, docs/limits.md). */
typedef struct coop_estimate {
    double bytes;         /* peak memory of the process: one run plus the experiment's records */
    double run_bytes;     /* of one run */
    double records_bytes; /* the experiment's records, kept until the statistics are written */
    double events;        /* engine events over all runs */
    double requests;      /* rider requests of one run, all platforms */
    double links;         /* chain network links of one run */
    double runs;
} coop_estimate;

/* Estimates a run (n_runs > 1: an experiment of that many runs of this size). */
void coop_estimate_run(const coop_scenario *sc, double n_runs, coop_estimate *e);

/* Runs the scenario and adds its metrics to `summary` (a JSON object). SIM_OK; SIM_EINPUT with
 * a message in err for problems only visible once the world is built; SIM_EIO when an output
 * cannot be written; SIM_ENOMEM. */
sim_status coop_run(const coop_scenario *sc, const coop_run_opts *opts, json_t *summary, char *err,
                    size_t errlen);

/* How many engines a run of the scenario makes (each reported through on_engine): one per
 * platform, or one for a shared city (market.platforms: shared). */
int coop_run_engines(const coop_scenario *sc);
/* coop_run of a scenario without demand (demand.source: none): each platform's chain alone
 * under its ledger.load (models/run_chain.c); summary entries with name, kind, load and
 * chain; blocks.csv and the requested exports, no market table. */
sim_status coop_run_chains(const coop_scenario *sc, const coop_run_opts *opts, json_t *summary,
                           char *err, size_t errlen);

/* Writes metrics.csv (long form: one row per run, platform and metric, the sweep's parameters
 * as numbers) and run.csv into the run directory dir, from the summary.json and run records
 * already there; every front end calls it after a run. SIM_OK, or SIM_EIO (SIM_ENOMEM) with
 * a message. */
sim_status coop_write_tidy(const char *dir, char *err, size_t errlen);

/* Writes competition_days.csv into an experiment's directory dir: for each point, platform and
 * day, the mean and Student-t 95% interval over the point's runs of competition.csv's shares,
 * shown pickup time, profit, cash and burn (models/run_compdays.c). Nothing when run 0 wrote no
 * competition.csv (not a shared market). SIM_OK, or SIM_EIO (SIM_ENOMEM) with a message. */
sim_status coop_write_competition_days(const char *dir, char *err, size_t errlen);

#endif
