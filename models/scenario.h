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
} coop_simulation;

typedef struct coop_scenario {
    char *name;            /* name: also the default output directory results/<name>/ */
    char *title;           /* title: shown in reports */
    char *currency;        /* currency: ISO 4217 code, named once for every money value */
    coop_simulation simulation;
    /* models add their sections below */
} coop_scenario;

/* The table of every scenario key, ended by a NULL path. */
extern const sc_key coop_keys[];

#endif
