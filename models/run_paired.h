/* Pairing the same requests across the separate worlds of one run (run_paired.c): the riders
 * who paid a surge on one platform and what another platform did with the same requests. */
#ifndef MODELS_RUN_PAIRED_H
#define MODELS_RUN_PAIRED_H

#include "models/market/market.h"
#include "models/scenario.h"
#include "sim/error.h"

#include <jansson.h>
#include <stdio.h>

typedef struct coop_pairs {
    FILE *f[8]; /* each world's paired records (mkt_stream_pairs), NULL when not kept */
    size_t n;
} coop_pairs;

/* Keeps each world's records when the run's worlds are separate, more than one, and some
 * platform has surge on (nothing otherwise). SIM_OK, or SIM_EIO when no temporary file can be
 * made. */
sim_status coop_pairs_open(coop_pairs *p, const coop_scenario *sc, char *err, size_t errlen);
/* Streams world i's records (before mkt_run); 0, or -1 on a write error. */
int coop_pairs_attach(coop_pairs *p, mkt_world *w, size_t i);
/* Adds `surge_payers` to each element of `comparison` (platform i + 1 against the first) whose
 * pair has a surging platform. SIM_OK; SIM_EIO when a record cannot be read or the worlds'
 * requests differ; SIM_ENOMEM. */
sim_status coop_pairs_compare(coop_pairs *p, const coop_scenario *sc, json_t *comparison, char *err,
                              size_t errlen);
void coop_pairs_close(coop_pairs *p);

#endif
