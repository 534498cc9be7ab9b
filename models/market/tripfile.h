/* Reading a researcher's own trip requests (demand.source: a CSV file, docs/own-demand.md):
 * a bounded streaming reader, so that a file of any length is checked whole at load and then
 * read one line at a time during the run, never held in memory. */
#ifndef MODELS_MARKET_TRIPFILE_H
#define MODELS_MARKET_TRIPFILE_H

#include "models/scenario.h"
#include "sim/engine.h"
#include "sim/error.h"

#include <stdbool.h>
#include <stdint.h>

/* Bounds (docs/limits.md): a longer line is refused before more of it is read (a file of one
 * 1 GB line costs 4 KiB), and a zones file may list at most this many zones. */
#define MKT_TRIP_LINE_MAX 4096
#define MKT_ZONES_MAX 100000
/* The largest party a trip may carry and its largest fare (currency units). */
#define MKT_PARTY_MAX 8
#define MKT_FARE_MAX_CENTS INT64_C(10000000)

typedef struct mkt_trip {
    sim_time t;            /* request time from the start of the run */
    double ox, oy, dx, dy; /* metres in the city's frame */
    int party;             /* 1 when the file has no party column or leaves it empty */
    int64_t fare;          /* cents; -1 when the file gives none */
    unsigned long line;    /* where the trip was read */
} mkt_trip;

typedef struct mkt_tripfile mkt_tripfile;

/* Opens demand.source (and demand.zones when the file names zones) for the scenario's city,
 * reading the header. SIM_OK; SIM_EINPUT with "file:line:column: what is wrong (what would be
 * valid)"; SIM_ENOMEM. */
sim_status mkt_tripfile_open(const coop_scenario *sc, mkt_tripfile **out, char *err, size_t errlen);
/* The next trip: SIM_OK with *got true, or false at the end of the file; SIM_EINPUT with the
 * position of a bad line. */
sim_status mkt_tripfile_next(mkt_tripfile *f, mkt_trip *t, bool *got, char *err, size_t errlen);
void mkt_tripfile_close(mkt_tripfile *f);

/* What a whole-file check found. */
typedef struct mkt_tripfile_stats {
    uint64_t trips;  /* data lines */
    uint64_t in_run; /* of them, requested before simulation.duration */
    sim_time first, last;
} mkt_tripfile_stats;

/* Reads the whole file once, checking every line (validate, and before any run). */
sim_status mkt_tripfile_check(const coop_scenario *sc, mkt_tripfile_stats *st, char *err,
                              size_t errlen);

/* Requests one run of the scenario will see at most, for the memory estimate: the generated
 * stream's mean, or a trip file's data lines (counted, not parsed; 0 when it cannot be read). */
double mkt_demand_requests(const coop_scenario *sc);

/* demand.source and demand.zones against the other keys (a trip file replaces demand.rate,
 * profile, days and min_trip; none needs every platform on a chain), then the whole trip
 * file (mkt_tripfile_check). SIM_OK, or SIM_EINPUT with a position: the scenario's for a key,
 * the trip file's for a line. */
sim_status mkt_demand_source_check(const coop_scenario *sc, const sc_where *w, char *err,
                                   size_t errlen);

#endif
