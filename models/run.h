/* Running one replication of a scenario: builds the world from the typed configuration,
 * runs the engine, and reports metrics into summary.json and CSV files. */
#ifndef MODELS_RUN_H
#define MODELS_RUN_H

#include "models/scenario.h"

#include <jansson.h>

typedef struct coop_run_opts {
    const char *outdir;   /* where CSV files go (already created) */
    uint64_t replication; /* 0 for a single run */
    bool trips_csv;       /* write trips.csv too */
    bool export_ledgers;  /* export every chain platform's ledger, as ledger.export does */
    /* Called once per engine the run creates, before it runs, with the time it will run
     * until; lets the program install a progress hook (sim_set_hook). May be NULL. */
    void (*on_engine)(sim *s, sim_time end, void *ctx);
    void *ctx;
} coop_run_opts;

/* Bounds the scenario loader's table cannot state (docs/limits.md): hourly weights of
 * demand.profile and drivers.shift_start_profile, and the length of a platform name (it names
 * the platform's output directory, ledger-<name>/). */
#define COOP_PROFILE_MAX 1000.0
#define COOP_PLATFORM_NAME_MAX 200
/* The most governance tokens a co-op may count in all (held at the start plus the most its
 * drivers could earn), so that every sum of balances and voting weights fits in 64 bits. */
#define COOP_TOKEN_SUPPLY_MAX 1e18

/* Checks one value against another or against a rule the key table cannot state (warm-up
 * shorter than the duration, every profile element, the speed profile within city.speed's
 * range, platform names present, at most COOP_PLATFORM_NAME_MAX characters, distinct and not
 * colliding as directory names). 0, or 2 with the offending value's path in path (as --set
 * writes it, for sc_locate) and what is wrong in err. */
int coop_check_values(const coop_scenario *sc, char *path, size_t pathlen, char *err,
                      size_t errlen);

/* What a run of the scenario will take, an upper estimate from the scenario alone
 * (models/estimate.c, docs/limits.md). */
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

/* Checks what the key table cannot express (e.g. a scheduled proposal's value against the
 * rule it changes). 0, or 2 with a message. coop_run calls it too. */
int coop_check(const coop_scenario *sc, char *err, size_t errlen);

/* Runs the scenario and adds its metrics to `summary` (a JSON object). Returns 0, or 2 with a
 * message in err (for problems only visible once the world is built). */
int coop_run(const coop_scenario *sc, const coop_run_opts *opts, json_t *summary, char *err,
             size_t errlen);

#endif
