/* The typed configuration of a coopsim scenario and the table of keys that fills it
 * (models/scenario_keys.c). Every parameter a model reads comes from here. */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include "sim/engine.h"
#include "sim/scenario.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct coop_simulation {
    int64_t seed;          /* simulation.seed */
    sim_time duration;     /* simulation.duration */
    int64_t replications;  /* simulation.replications */
    sim_time warmup;       /* simulation.warmup: events before it are left out of all metrics */
} coop_simulation;

/* sweep: scenario keys varied across runs. sim/experiment reads the section from the file
 * itself (with positions for messages); these fields let the strict loader check it. */
typedef struct coop_sweep_param {
    char *path;   /* a key path as for --set, e.g. platforms[1].commission */
    char *values; /* values in user units separated by commas, e.g. "5%, 10%, 15%" */
    char *from, *to, *step; /* or a range, in user units */
} coop_sweep_param;

typedef struct coop_sweep {
    int mode;           /* 0 grid (every combination), 1 zip (the i-th values together) */
    sc_list parameters; /* coop_sweep_param */
} coop_sweep;

typedef struct coop_scenario {
    char *name;            /* name: also the default output directory results/<name>/ */
    char *title;           /* title: shown in reports */
    char *currency;        /* currency: ISO 4217 code, named once for every money value */
    coop_simulation simulation;
    coop_sweep sweep;
    /* models add their sections below */
} coop_scenario;

/* The table of every scenario key, ended by a NULL path. */
extern const sc_key coop_keys[];

#endif
