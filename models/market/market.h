/* The ride market: one copy of the city with its riders and drivers, run under one platform's
 * rules. Several worlds built from the same scenario see identical demand (common random
 * numbers), so their differences come from the platforms' rules alone. */
#ifndef MODELS_MARKET_H
#define MODELS_MARKET_H

#include "models/ledger/ledger.h"
#include "models/platform/platform.h"
#include "models/scenario.h"
#include "sim/engine.h"
#include "sim/error.h"
#include "sim/schema.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct mkt_world mkt_world;

/* The largest hourly weight of demand.profile and drivers.shift_start_profile (weights are
 * relative; docs/limits.md). */
#define MKT_PROFILE_MAX 1000.0

/* The market's own check of a scenario's city, demand and drivers sections (hourly profiles,
 * hotspot weights), with the positions in w (or NULL). SIM_OK, or SIM_EINPUT with
 * "file:line:column: path: message". mkt_new checks the same without positions. */
sim_status mkt_config_check(const coop_scenario *sc, const sc_where *w, char *err, size_t errlen);

/* Builds the world for platform number `platform` of the scenario. NULL with a message in err
 * on a problem (allocation, inconsistent parameters). */
mkt_world *mkt_new(const coop_scenario *sc, size_t platform, uint64_t replication, char *err,
                   size_t errlen);
void mkt_free(mkt_world *w);

/* The run this world belongs to (an experiment's run index; 0, the default, for a single run):
 * the first column of every table it writes. */
void mkt_set_run(mkt_world *w, uint64_t run);

/* The engine the world runs on (to install a progress hook) and the time it runs until. */
sim *mkt_engine(mkt_world *w);
sim_time mkt_end(const mkt_world *w);

/* Runs the whole simulated period and closes the books. SIM_OK, or SIM_ENOMEM with a message
 * (an allocation failed during the run, which stops it). Every metric
 * below covers the measured window from simulation.warmup to the end: accumulators are
 * snapshotted at the warm-up instant and reported as end value less snapshot. */
sim_status mkt_run(mkt_world *w, char *err, size_t errlen);

/* Rider statistics over requests made after the warm-up. */
typedef struct mkt_rider_stats {
    int64_t requests, served, abandoned, refused_quote;
    double wait_mean_s;  /* request to pickup (queue mode: to service start), served riders */
    double waited_share; /* share of served riders whose wait was > 0 */
    double wait_p50_s, wait_p95_s, wait_max_s;
    double fare_mean; /* currency units per served trip */
} mkt_rider_stats;
void mkt_rider_summary(const mkt_world *w, mkt_rider_stats *out);

/* FNV-1a hash of every request's time, places, patience, willingness to pay and service time,
 * in order: equal across worlds of one scenario when demand is identical. */
uint64_t mkt_request_hash(const mkt_world *w);

/* Money the market saw change hands, summed trip by trip (cents), over trips completed at or
 * after the warm-up. */
typedef struct mkt_money {
    int64_t rider_payments, driver_pay, revenue, subsidies;
    int64_t rider_chain_fees; /* ride payments' chain fees, paid by riders on top of fares */
} mkt_money;
void mkt_money_sums(const mkt_world *w, mkt_money *out);

/* The map recorder (map.c), for the classroom's animated map: from `from`, one frame every
 * `every` (at most `frames`, at most MKT_MAP_FRAMES_MAX), with the positions and states of the
 * first `drivers` drivers (by index) and of at most `riders` waiting riders per frame, and each
 * zone's surge multiplier when the platform surges. Off unless made: a world without one runs
 * exactly as before. Make it after mkt_new and before mkt_run; read it (mkt_map_json) before
 * mkt_free. Positions are in units of MKT_MAP_UNIT_M metres. */
#define MKT_MAP_FRAMES_MAX 240
#define MKT_MAP_UNIT_M 10
typedef struct mkt_map_opts {
    sim_time from, every;
    size_t frames, drivers, riders;
} mkt_map_opts;
typedef struct mkt_map mkt_map;
/* NULL with a message when the market has no places (queue mode), the window is empty or past
 * the end, or on allocation failure. */
mkt_map *mkt_map_new(mkt_world *w, const mkt_map_opts *o, char *err, size_t errlen);
/* {platform, from_s, every_s, unit_m, width, height, zones_x, zones_y, drivers, drivers_shown,
 * surge, frames: [{t, d: [id, x, y, state]..., r: [x, y, assigned]..., online, waiting, riding,
 * surge: [per zone]}]}; driver state 1 idle, 2 driving to a pickup, 3 carrying a rider. NULL
 * when a frame could not be recorded (out of memory). */
json_t *mkt_map_json(const mkt_map *m);
void mkt_map_free(mkt_map *m);

/* The summary entry of this platform: name, kind, riders, drivers, platform, checks. */
json_t *mkt_summary_json(const mkt_world *w);

/* A shared market (market.platforms: shared, models/market/shared.c): every platform of the
 * scenario in one city, on one engine, with one stream of riders who choose among the apps they
 * know and one pool of drivers registered with one or several. Each platform keeps its own
 * world (books, rules, ledger, drivers' accounts with it), reachable with mkt_market_world;
 * with one platform the outputs equal a separate run's. */
typedef struct mkt_market mkt_market;
mkt_market *mkt_market_new(const coop_scenario *sc, uint64_t replication, char *err, size_t errlen);
/* Frees the market and every world still in it. */
void mkt_market_free(mkt_market *m);
sim *mkt_market_engine(mkt_market *m);
sim_status mkt_market_run(mkt_market *m, char *err, size_t errlen);
size_t mkt_market_size(const mkt_market *m);
mkt_world *mkt_market_world(mkt_market *m, size_t i);
/* summary.json's `competition` object, and platform i's own part of it (for its entry). */
json_t *mkt_competition_json(const mkt_market *m);
json_t *mkt_competition_platform_json(const mkt_market *m, size_t i);
/* competition.csv: one row per day and platform (header written when `header`). */
int mkt_write_competition_csv(const mkt_market *m, FILE *f, bool header);
/* hourly.csv of platform i in a shared market: its rows with the platform's shares of the
 * hour's requests, trips and driver online hours (schema_hourly_shares_csv) at the end; with
 * one platform, its plain rows. */
int mkt_write_shared_hourly_csv(const mkt_market *m, size_t i, FILE *f, bool header);

/* The platform this world runs under. */
const plat_config *mkt_platform(const mkt_world *w);
/* The platform's ledger section. */
const ledger_config *mkt_ledger_config(const mkt_world *w);

/* The world's chain ledger, NULL when its platform settles on a central ledger. */
const ledger *mkt_ledger(const mkt_world *w);

/* Governance of a co-op (models/governance): whether this world has it, the `governance`
 * object of its summary entry (NULL without), and its governance.csv and rules.csv rows. */
bool mkt_has_governance(const mkt_world *w);
json_t *mkt_gov_json(const mkt_world *w);
int mkt_write_governance_csv(const mkt_world *w, FILE *f, bool header);
/* votes.csv rows: each member's decision on each proposal (models/governance). */
int mkt_write_votes_csv(const mkt_world *w, FILE *f, bool header);
int mkt_write_rules_csv(const mkt_world *w, FILE *f, bool header);

/* CSV rows (header written when `header`); fixed number formats, so output is byte-stable. */
int mkt_write_drivers_csv(const mkt_world *w, FILE *f, bool header);
int mkt_write_hourly_csv(const mkt_world *w, FILE *f, bool header);
/* hourly.csv with more fields at the end of each row, written by extra for hour h; ext declares
 * their names (the header). */
typedef void (*mkt_hour_extra)(FILE *f, size_t hour, const void *ctx);
int mkt_write_hourly_csv_ext(const mkt_world *w, FILE *f, bool header, const sch_table *ext,
                             mkt_hour_extra extra, const void *ctx);
/* The platform's books, one row per day (models/platform). */
int mkt_write_books_csv(const mkt_world *w, FILE *f, bool header);
/* trips.csv: one row per request after the warm-up, in request order, written to f as requests
 * end (those under way at the end as they stand then), so that no request is kept. Call before
 * mkt_run (header written now); f must stay open through it. 0, or -1 on a write error. */
int mkt_stream_trips_csv(mkt_world *w, FILE *f, bool header);

/* The paired record of one measured request (pairs.c): what the comparison of platforms in
 * separate worlds reads to pair the same request across them (request numbers are common to
 * every world of a run: the riders come from the same streams). */
enum { MKT_PAIR_SERVED, MKT_PAIR_ABANDONED, MKT_PAIR_REFUSED, MKT_PAIR_CLOSED, MKT_PAIR_UNDER_WAY };
typedef struct mkt_pair_rec {
    uint32_t request; /* the request's number, as in trips.csv */
    int outcome;      /* MKT_PAIR_* (under way: still waiting or riding at the end) */
    bool surged;      /* served at a surge multiplier above 1 */
    int64_t wait_us;  /* request to pickup; -1 when never picked up */
} mkt_pair_rec;
/* Streams one binary record per request after the warm-up, in request order, to f as requests
 * end (like mkt_stream_trips_csv). Call before mkt_run; f must stay open through it. 0, or -1
 * on a write error. */
int mkt_stream_pairs(mkt_world *w, FILE *f);
/* Reads the next record of such a stream: 1, 0 at its end, -1 on a read error. */
int mkt_pair_read(FILE *f, mkt_pair_rec *r);

/* Free entry (drivers.supply: free_entry): one row per day (days.csv; nothing but the header
 * with a fixed pool), and the summary's `long_run` object (NULL with a fixed pool): whether and
 * from which day the run converged, the first day's figures (the short run) and the means over
 * the converged window (the long run). */
int mkt_write_days_csv(const mkt_world *w, FILE *f, bool header);
json_t *mkt_long_run_json(const mkt_world *w);

/* What chain pay is worth to a driver (payvalue.c, docs/chain.md "What chain pay is worth to
 * a driver"): `pay` cents final `delay` after the trip, less `cost_per_hour` of it per hour
 * of waiting (simple interest, the cost of borrowing it meanwhile), never below 0; plus
 * `tokens` movement-reward base units minted on `day` (0 = the first day of the run) at the
 * scenario's price path `price` (cents per token by day, the last holding after; empty: 1).
 * Drivers decide on this worth, not the face value (docs/model.md "What chain pay is worth"). */
double mkt_pay_value(int64_t pay, sim_time delay, double cost_per_hour, int64_t tokens, int64_t day,
                     const sc_reals *price);

#endif
