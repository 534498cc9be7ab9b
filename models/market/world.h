/* Internal state of one market world, shared by the market's source files (city, demand,
 * drivers, dispatch, queue mode, metrics). Not part of the public interface. */
#ifndef MODELS_MARKET_WORLD_H
#define MODELS_MARKET_WORLD_H

#include "models/market/grid.h"
#include "models/market/market.h"
#include "models/market/plan.h"
#include "models/market/tripfile.h"
#include "models/platform/platform.h"
#include "sim/stats.h"

#include <gsl/gsl_rng.h>

enum { D_OFF, D_IDLE, D_REPOS, D_PICKUP, D_TRIP, D_NSTATES };
/* R_CLOSED: asked after the platform failed (plat_open false). */
enum { R_WAITING, R_ASSIGNED, R_SERVED, R_ABANDONED, R_REFUSED, R_RIDING, R_CLOSED };

typedef struct mkt_driver {
    double x, y;          /* where the driver is (or will be when the current move ends) */
    sim_time shift_start; /* offset within the day */
    sim_time shift_len;
    sim_time shift_end_at; /* when the current shift ends */
    sim_time shift_began;  /* when the current shift began */
    int64_t reservation;   /* net cents per hour needed to go online */
    sim_time state_since;
    sim_time online_flushed; /* online time up to here has been reported to the platform */
    sim_event_id ev;         /* pending reposition timer or move */
    sim_time t_state[D_NSTATES];
    double metres;
    int64_t trips, trip_pay;
    uint32_t rider;
    uint8_t state;
    bool ending;            /* shift over: go offline when the current trip ends */
    bool admitted, refused; /* platform admission (co-op membership) */
    /* shared market: not on this app today (not registered, or a single-homer working on
     * another); online here but taken off it while busy on another app (multi-homing) */
    bool away, paused;
    bool held; /* idle, but out of reach for drivers.decline_time after declining (offers.c) */
} mkt_driver;

/* Timed declines: the drivers who declined a rider are not asked again; after this many the
 * platform stops re-offering and the rider waits for a driver newly free (offers.c). */
#define MKT_OFFER_MEMORY 4

typedef struct mkt_request {
    sim_time t_req, t_assign, t_pickup, t_drop;
    sim_time patience;      /* SIM_TIME_MAX: infinite */
    sim_time eta;           /* pickup ETA shown in the quote (spatial mode; eta.h) */
    int64_t standard_topup; /* paid on top of q.driver_pay to meet the pay standard (cents) */
    sim_time service;       /* queue mode: service time */
    double ox, oy, dx, dy;
    double dist;     /* road metres */
    double pickup_m; /* road metres driven to the pickup */
    int64_t wtp;     /* cents */
    plat_quote q;
    sim_event_id timeout;
    uint32_t driver;
    uint32_t zone;
    uint32_t rider; /* shared market: who asks, in the population of riders */
    uint8_t status;
    uint8_t apps_known, apps_tried; /* shared market: bit i for platform i */
    uint8_t random_declines;        /* drivers.decline draws that said no (timed declines) */
    uint32_t declined_by[MKT_OFFER_MEMORY]; /* 1 + the drivers who declined it; 0: none */
    bool offering; /* waiting for its re-offer: out of the waiting grid, no one else takes it */
} mkt_request;

/* Ride payments on a chain ledger (cents, counts). */
typedef struct mkt_settlement {
    int64_t submitted, final, failed;
    int64_t pay_submitted, pay_final, fees, rewards;
} mkt_settlement;

/* A ride payment on its way to finality: what the finality callback needs once the request
 * itself is gone (settle.c keeps them in an open-addressing table keyed by request number). */
typedef struct mkt_pending_pay {
    uint32_t rid; /* UINT32_MAX: empty slot */
    uint32_t driver;
    int64_t pay;
} mkt_pending_pay;

/* What chain pay is worth to each driver (payvalue.c), kept only when the scenario values it
 * (drivers.pay_delay_cost > 0 or a reward price path on a chain platform). */
typedef struct mkt_pay_values {
    bool on;
    int64_t *pay;        /* per driver: final ride pay counted, cents */
    double *pay_value;   /* per driver: the same after the cost of its delay */
    int64_t *tokens;     /* per driver: movement-reward tokens minted */
    double *token_value; /* per driver: their worth at the day's price, cents */
    /* What drivers decide on (the whole run, warm-up included): per driver, the worth of its
     * chain income less its face value, cents (delay costs < 0, rewards > 0), and its sum. */
    double *adj, adj_total, adj_total0; /* adj_total0: at the last day close (fixed pool) */
    size_t n_days;
    double *day_delay, *day_reward; /* per day of the run: the fleet's delay cost, rewards */
    double *day_hours_lost;         /* per day: hours planned at face value less hours at worth */
    double hours_lost;              /* the same, plans made at or after the warm-up */
} mkt_pay_values;

/* Riders' side of welfare, accumulated as outcomes happen (welfare.c), in cents: willingness to
 * pay, price and cost of waiting (at riders.value_of_time, rounded to the cent rider by rider)
 * of trips paid, counted at drop-off with the money; and the cost of the wait of riders who gave
 * up, counted when they gave up. */
typedef struct mkt_welfare_acc {
    int64_t wtp, paid, wait_cost_served, wait_cost_abandoned;
} mkt_welfare_acc;

/* A driver's accumulators at the warm-up instant (all zero without a warm-up). */
typedef struct mkt_driver_base {
    sim_time t_state[D_NSTATES];
    double metres;
    int64_t trips, trip_pay, income, dividends, topups, floor_owed;
} mkt_driver_base;

/* Every accumulator at the warm-up instant: metrics report the end value less this one. */
typedef struct mkt_base {
    mkt_driver_base *drv; /* per driver */
    plat_totals t;
    int64_t fixed_accrued; /* daily costs accrued by the warm-up that a later close charges */
    int64_t accrued[PLAT_COST_N]; /* the same by item */
    mkt_money money;
    mkt_settlement settle;
    mkt_welfare_acc welfare;
    int64_t offers_taken, declines;
    sim_time decline_lost;
} mkt_base;

/* One driver's figures over the measured window (after the warm-up). */
typedef struct mkt_driver_window {
    sim_time t_state[D_NSTATES];
    sim_time online;
    double metres;
    int64_t trips, trip_pay, income, dividends, topups, floor_owed, cost;
} mkt_driver_window;

typedef struct mkt_hour {
    int64_t requests, served, abandoned;
    /* waits of the hour's requests, filled in once all of them are over (riders.c) */
    int64_t picked;
    double wait_sum, wait_p50, wait_p95;
    int64_t pay;                 /* trip pay of trips ended in the hour (cents) */
    sim_time t_state[D_NSTATES]; /* driver time per state within the hour */
    double surge_sum;
    int64_t surge_n;
} mkt_hour;

/* Riders by the day of their request (days.csv, long_run). */
typedef struct mkt_day_riders {
    int64_t requests, served, abandoned, refused;
    double wait_sum, fare_sum;
    int64_t picked;
} mkt_day_riders;

/* Requests whose waits the summary's exact quantiles keep; past it, a histogram gives them
 * within 0.1% (docs/performance.md, "Memory"). */
#define MKT_EXACT_WAITS ((size_t)1 << 20)

/* What is kept of requests once they are over (riders.c): rider statistics accumulated in
 * request order, so that sums come out as they would from the whole list. */
typedef struct mkt_riders {
    int64_t requests, served, abandoned, refused, picked, waited; /* after the warm-up */
    double wait_sum, fare_sum, wait_max;
    double *waits; /* the first MKT_EXACT_WAITS waits after the warm-up (s) */
    size_t n_waits, cap_waits;
    stats_hist hist;      /* every wait after the warm-up (us) */
    mkt_day_riders *days; /* per day of request, whole run */
    size_t n_days;
    double *hour_waits; /* waits of the hour being gathered (s) */
    size_t n_hour, cap_hour;
    size_t hour;       /* the hour being gathered */
    sim_time response; /* driver time between offers and setting off, in the window */
    FILE *trips;       /* trips.csv rows as requests end, NULL without */
    bool trips_failed; /* a row could not be written */
    FILE *pairs;       /* paired records as requests end (pairs.c), NULL without */
    bool pairs_failed; /* a record could not be written */
} mkt_riders;

struct mkt_world {
    const coop_scenario *sc;
    struct mkt_market *sh;   /* the shared market this world is one platform of; NULL: separate */
    uint32_t index;          /* the platform's place in the scenario's list */
    bool own_engine;         /* s is this world's own (not a shared market's) */
    const plat_config *pc;   /* the platform's rules */
    const ledger_config *lc; /* its ledger section */
    const gov_config *gc;    /* its governance section */
    uint64_t seed, replication;
    uint64_t run; /* the run's index, the first column of its tables (0 for a single run) */
    sim *s;
    plat *p;
    sim_time end;

    /* city */
    double speed_mult[24];
    double cell;
    size_t n_zones;

    /* demand */
    double rate_mult[24], rate_max; /* rate per second in each hour, and the maximum */
    double *hot_cum;                /* cumulative hotspot weights */
    sim_time next_arrival;
    gsl_rng *r_arrival, *r_origin, *r_dest, *r_patience, *r_wtp, *r_service;
    uint64_t hash;
    mkt_tripfile *trips; /* demand.source: a trip file, read one line ahead as the run goes */
    mkt_trip trip_next;  /* the trip scheduled next */
    char *trip_err;      /* a line the run could not read (the file changed since checked) */

    /* riders: requests still under way, in a ring indexed by request number (mkt_req); those
     * before req_head are over and folded into `riders` */
    mkt_request *req;
    size_t n_req, cap_req, req_head;
    mkt_riders riders;
    mkt_grid *waiting; /* unassigned riders by origin */
    uint32_t *queue;   /* waiting riders in request order (queue mode, batches) */
    size_t q_head, q_len, q_cap;
    uint32_t *open_zone; /* unassigned riders per zone */
    /* riders who did not book for the ETA per zone since the last surge update, and the
     * demand surge sees (open + balked); NULL unless riders.wait_estimate is eta */
    uint32_t *balked_zone, *surge_demand;
    double est_wait_s; /* riders' running estimate of the wait */

    /* drivers */
    mkt_driver *drv;
    size_t n_drv;
    mkt_grid *idle;
    uint32_t *idle_zone;    /* idle drivers per zone */
    uint32_t *free_servers; /* queue mode: stack of idle servers */
    size_t n_free;
    gsl_rng *r_decline, *r_repos;
    gsl_rng *r_surge_moves;                           /* drivers.surge_response: where in a zone */
    int64_t surge_moves, surge_early, surge_extended; /* drivers.surge_response's decisions */
    double expected_net;  /* drivers' belief of net cents per online hour */
    double expected_face; /* the same with chain pay at face value (only to report the gap) */
    double day_income0, day_cost0; /* cumulative driver income and cost at the day's start */
    sim_time day_online0;

    /* free entry (supply.c): NULL and 0 with a fixed pool */
    struct mkt_ldriver *ld; /* per driver: in the fleet or not, beliefs, the day's start */
    struct mkt_day *days;   /* one row per day of the run */
    size_t n_days;
    gsl_rng *r_days, *r_entry;
    double *scale;      /* marginal weights of the k-th hour (plan.h) */
    double *scratch;    /* per-driver values for quantiles */
    double publish[24]; /* what the platform publishes: net cents per online hour, by hour */
    bool published[24]; /* publish[h] has data */
    double publish_mean;
    double publish_extra; /* dividends and top-ups less entry fees per online hour, published */
    double publish_vadj;  /* chain pay's worth less face value per online hour, the fleet's */
    double probe_rise, probe_hours[2], probe_drivers[2]; /* supply response at the end */

    /* settlement (chain ledgers only) */
    ledger *ledger;
    mkt_settlement settle;
    mkt_pending_pay *pending; /* payments not yet final */
    size_t n_pending, cap_pending;
    mkt_pay_values pv;

    /* offers (offers.c): counts over the whole run, and drivers set aside by one search */
    int64_t offers_taken, declines;
    sim_time decline_lost; /* drivers.decline_time of each timed decline */
    uint32_t *set_aside;
    size_t set_aside_cap;

    /* governance of a co-op (models/governance), NULL without it */
    struct gov *gov;

    /* metrics */
    mkt_hour *hours;
    size_t n_hours;
    mkt_money money;
    mkt_welfare_acc welfare;
    mkt_base base;
};

/* city.c */
void mkt_city_init(mkt_world *w);
double mkt_speed(const mkt_world *w, sim_time t);
/* Travel time over a straight-line distance, leaving at t. */
sim_time mkt_travel_time(const mkt_world *w, double straight_m, sim_time t);
uint32_t mkt_zone(const mkt_world *w, double x, double y);
double mkt_dist(double x0, double y0, double x1, double y1);

/* demand.c */
int mkt_demand_init(mkt_world *w, char *err, size_t errlen);
void mkt_demand_free(mkt_world *w);
void mkt_demand_start(mkt_world *w);
/* A point from the hotspot mixture plus uniform background, drawn from r. */
void mkt_draw_point(const mkt_world *w, gsl_rng *r, double *x, double *y);

/* dispatch.c (spatial mode) */
void mkt_on_request(mkt_world *w, uint32_t rid);
void mkt_driver_available(mkt_world *w, uint32_t d);
void mkt_batch_start(mkt_world *w);
/* A rider's patience ran out (data: the request). */
void mkt_rider_timeout(sim *s, void *target, uint64_t data);

/* The straight-line radius a driver may be from a rider: market.max_pickup of travel now. */
double mkt_pickup_radius(const mkt_world *w);
/* Sends idle driver d to waiting rider rid. */
void mkt_assign_ride(mkt_world *w, uint32_t d, uint32_t rid);
/* Appends a waiting rider to the queue in request order (batches, fifo); -1 out of memory. */
int mkt_queue_push(mkt_world *w, uint32_t rid);

/* dispatch_rules.c: market.dispatch fifo and optimal */
/* The longest-waiting rider within reach of (x, y), MKT_GRID_NONE if none; drops riders no
 * longer waiting from the queue on the way. */
uint32_t mkt_dispatch_longest_waiting(mkt_world *w, double x, double y);
/* One optimal batch: waiting riders to idle drivers, the most pairs at the least total pickup
 * distance; riders left wait for the next batch. 0, or -1 when memory runs out. */
int mkt_dispatch_optimal(mkt_world *w);

/* Drives idle driver d toward (tx, ty), at most drivers.reposition_max; on arrival it waits
 * there for a request. */
void mkt_driver_move_toward(mkt_world *w, uint32_t d, double tx, double ty);

/* surge_move.c: drivers' response to surge within the day (drivers.surge_response) */
int mkt_surge_response_init(mkt_world *w, char *err, size_t errlen);
/* After each surge update: idle drivers move toward surging zones worth the drive, and drivers
 * due on shift within the hour start early when the surge pays for the extra hour. */
void mkt_surge_respond(mkt_world *w);
/* At a shift's end: whether the driver stays one more hour for the surge where it is. */
bool mkt_surge_extends(mkt_world *w, uint32_t d);

/* queue.c (queue mode) */
int mkt_queue_init(mkt_world *w, char *err, size_t errlen);
void mkt_queue_on_request(mkt_world *w, uint32_t rid);

/* drivers.c */
int mkt_drivers_init(mkt_world *w, char *err, size_t errlen);
/* Puts a driver online until `until`. `decided`: the daily choice was made already (free
 * entry); otherwise the fixed pool's rule applies (expected earnings vs reservation wage). */
void mkt_driver_start_shift(mkt_world *w, uint32_t d, sim_time until, bool decided);
sim_time mkt_driver_online(const mkt_driver *d);
void mkt_drivers_start(mkt_world *w);
/* Changes a driver's state, accounting the time spent in the previous one. */
void mkt_driver_set_state(mkt_world *w, uint32_t d, int state);
void mkt_driver_go_offline(mkt_world *w, uint32_t d);
void mkt_drivers_flush_online(mkt_world *w);
void mkt_drivers_close(mkt_world *w);
int64_t mkt_driver_cost(const mkt_world *w, const mkt_driver *d);

/* supply.c: free entry, daily hours and beliefs per driver (no-ops with a fixed pool) */
typedef struct mkt_ldriver {
    double belief[24];                 /* expected net cents per online hour, by hour of the day */
    int64_t income0, cost0, trip_pay0; /* cumulative at the day's start */
    sim_time online0;
    double plan_cost;    /* value of the time planned today plus the day cost (cents) */
    double own_rate;     /* the day's own trip pay less vehicle costs per online hour */
    double vadj;         /* belief: chain pay's worth less its face value, cents per hour */
    double adj0;         /* pv.adj[d] when the driver last learned from a day it drove */
    double own_adj;      /* the day's own vadj: that worth less face value per online hour */
    uint32_t plan_mask;  /* hours of the day in today's plan */
    sim_time plan_end;   /* when today's block ends */
    int32_t below;       /* days in a row below the outside option */
    int32_t reentry_day; /* first day the driver may consider entering again */
    bool in;             /* in the fleet (shared city: and on this app) */
    /* the day just closed, on this app: income less vehicle costs (cents), chain pay's worth
     * beyond face value (cents), online time */
    int64_t day_net;
    double day_adj;
    sim_time day_on;
} mkt_ldriver;

typedef struct mkt_day {
    int64_t active;                 /* in the fleet during the day */
    int64_t entrants, exits;        /* entered at the day's start, left at its end */
    int64_t drove;                  /* drivers online at some time of the day */
    sim_time online, trip;          /* driver time online, and with a passenger */
    int64_t income, trip_pay, cost; /* cents: all the platform paid, trip pay, vehicle costs */
    double gph[3], nph[3]; /* p10, p50, p90 of drivers' own gross and net per hour (units) */
    double surplus;        /* cents above outside options, entry costs included */
    int64_t conservation_error;
    bool closed; /* the day's figures are in */
} mkt_day;

sim_status mkt_supply_init(mkt_world *w, char *err, size_t errlen);
void mkt_supply_start(mkt_world *w);
void mkt_supply_close(mkt_world *w);
void mkt_supply_free(mkt_world *w);
/* Pieces of the day's cycle, also used by a shared city's free entry (shared_entry.c). */
/* What an hour at h is expected to pay, net of vehicle costs: belief plus chain pay's worth. */
double mkt_supply_expected_pay(const mkt_world *w, const double *belief, double vadj, int h);
/* Driver d's usual value of an hour at h (reservation wage, raised outside its usual hours). */
double mkt_supply_base_value(const mkt_world *w, uint32_t d, int h);
/* A day's share of drivers.entry_cost (cents). */
double mkt_supply_entry_share(const mkt_world *w);
/* A driver's beliefs become what the platform publishes (on entry). */
void mkt_supply_take_published(mkt_world *w, mkt_ldriver *ld);
/* Today's value of driver d's time by hour and the instant within the first hour, from r. */
void mkt_supply_draw_values(const mkt_world *w, gsl_rng *r, uint32_t d, double *value,
                            double *offset);
/* The best block of hours against expected pay by hour (plan.h) under the scenario's keys. */
mkt_plan mkt_supply_plan(const mkt_world *w, const double *pay, const double *value);
/* Driver d's block of day `day` on w: its plan recorded and its start scheduled. */
void mkt_supply_block(mkt_world *w, uint32_t d, int day, const mkt_plan *pl, double offset);
/* The hours a plan at face value (`face` instead of the worth of chain pay) would change. */
void mkt_supply_face_value_plan(mkt_world *w, const double *face, const double *value, int day,
                                int hours);
/* Day `day` on w: each driver's figures (day_net, day_adj, day_on, own rate), the row, what
 * the platform publishes. */
void mkt_supply_account_day(mkt_world *w, int day);
/* Driver d's beliefs about w after the day (docs/model.md, "Beliefs, per driver"). */
void mkt_supply_learn(mkt_world *w, uint32_t d);
/* The fleet's response to +10% pay at the end of the run (long_run.hours_response). */
void mkt_supply_probe(mkt_world *w);

/* Adds time [t0, t1) in driver state `state` to the hourly table. */
void mkt_hours_add(mkt_world *w, int state, sim_time t0, sim_time t1);

/* settle.c: ride payments and movement rewards on a chain ledger (no-ops otherwise) */
int mkt_settle_init(mkt_world *w, char *err, size_t errlen);
void mkt_settle_trip(mkt_world *w, uint32_t d, uint32_t rid, double metres, sim_time driven);
void mkt_settle_close(mkt_world *w);
void mkt_settle_free(mkt_world *w);
/* The platform entry's "settlement" object, NULL without a chain ledger. */
json_t *mkt_settle_json(const mkt_world *w);
/* payvalue.c: the per-driver worth of chain pay */
int mkt_pay_values_init(mkt_world *w);
void mkt_pay_values_payment(mkt_world *w, uint32_t d, int64_t pay, sim_time delay, bool in_window);
void mkt_pay_values_reward(mkt_world *w, uint32_t d, int64_t tokens, bool in_window);
void mkt_pay_values_free(mkt_world *w);
/* A shift of `len` (< 0: taken, not lost) that the worth of chain pay changed at `now`. */
void mkt_pay_values_lost(mkt_world *w, sim_time now, sim_time len);
/* The token price (cents per base unit) on day `day` of the run (payvalue.c). */
double mkt_token_price(const mkt_world *w, int64_t day);
/* The platform entry's "pay_value" object, NULL when the scenario does not value chain pay. */
json_t *mkt_pay_values_json(const mkt_world *w);

/* govern.c: a co-op's governance (no-ops when the platform has none) */
int mkt_gov_init(mkt_world *w, char *err, size_t errlen);
void mkt_gov_start(mkt_world *w);
void mkt_gov_finish(mkt_world *w);
void mkt_gov_free(mkt_world *w);
/* Ledger tags of governance votes carry this bit (settle.c's finality callback routes them). */
#define MKT_TAG_VOTE (UINT64_C(1) << 62)
void mkt_gov_vote_final(mkt_world *w, uint64_t tag, sim_time final_at);

/* books_out.c: the summary's `finance` object (flows from the window's totals, balances at the
 * end) */
json_t *mkt_finance_json(const mkt_world *w, const plat_totals *window);

/* metrics.c: the snapshot taken at the warm-up instant, and one driver's window figures */
void mkt_take_base(mkt_world *w);
void mkt_driver_window_of(const mkt_world *w, uint32_t d, mkt_driver_window *out);

/* demand.c: records a drawn rider as a request on w and puts it to w's platform; the request's
 * number, or -1 when out of memory (the run stops). */
int64_t mkt_deliver(mkt_world *w, const mkt_request *r);

/* dispatch.c: an online driver becomes available for requests (rearm: start the idle timer). */
void mkt_driver_become_idle(mkt_world *w, uint32_t d, bool rearm);

/* shared.c: one city, several platforms (no-ops unless w->sh) */
void mkt_shared_arrival(struct mkt_market *m, const mkt_request *r);
/* The rider of w's request rid gave up waiting: with riders.retry, they ask the next app they
 * know and have not asked. */
void mkt_shared_abandoned(mkt_world *w, uint32_t rid);
/* The rider of w's request rid rode with w (shared_riders.c): its last app is w's. */
void mkt_shared_rode(mkt_world *w, uint32_t rid);
/* Driver d leaves idle on w (offer taken, or a move): off the other apps it was idle on. */
void mkt_shared_claim(mkt_world *w, uint32_t d);
/* Driver d is idle on w with no rider of w's near: back on the other apps it was taken off. */
void mkt_shared_release(mkt_world *w, uint32_t d);
/* The app on which idle driver d's next move toward demand is timed: among the apps it is idle
 * on, the first from app (d mod the number of apps) on; the others' timers are cancelled. */
mkt_world *mkt_shared_reposition_app(mkt_world *w, uint32_t d);
/* Driver d is busy on another app than w's (a shift starting on w waits until it is free). */
bool mkt_shared_busy_elsewhere(const mkt_world *w, uint32_t d);
/* Driver d went offline on w: its place is the others' too. */
void mkt_shared_offline(mkt_world *w, uint32_t d);
/* What an online hour pays driver d as it expects, deciding whether to drive for w today: a
 * multi-homer's idle time is shared by its apps, so it counts on the sum of what an hour pays on
 * each app it is on; a single-homer on w's figure. */
double mkt_shared_expected_net(const mkt_world *w, uint32_t d);
/* shared_entry.c: free entry in a shared city (drivers.supply: free_entry) */
void mkt_shared_entry_start(struct mkt_market *m);
/* After w's books close: once the last app's have, the city's last day and each app's probe. */
void mkt_shared_entry_finish(mkt_world *w);

/* market.c: a world's events before the engine runs, and its close after */
sim_status mkt_begin(mkt_world *w, char *err, size_t errlen);
sim_status mkt_finish(mkt_world *w, char *err, size_t errlen);
/* Builds platform `platform`'s world on engine s (NULL: its own engine). */
mkt_world *mkt_new_on(const coop_scenario *sc, size_t platform, uint64_t replication, sim *s,
                      char *err, size_t errlen);

/* riders.c: requests in flight, and what is kept of them once over */
static inline mkt_request *mkt_req(const mkt_world *w, uint32_t rid) {
    return &w->req[rid & (w->cap_req - 1)];
}
/* Whether request rid is still kept (not yet folded into the statistics). */
static inline bool mkt_req_live(const mkt_world *w, uint32_t rid) {
    return rid >= w->req_head && rid < w->n_req;
}
int mkt_riders_init(mkt_world *w);
void mkt_riders_free(mkt_world *w);
/* A new request's number and record (zeroed); UINT32_MAX when memory runs out. */
uint32_t mkt_req_new(mkt_world *w);
/* Folds requests that are over into the statistics, oldest first, while the oldest kept one
 * is over; `all`: every request, whatever its state (the end of the run). 0, or -1 when
 * memory runs out. */
int mkt_riders_retire(mkt_world *w, bool all);
/* pairs.c: one paired record of a measured request to f; 0, or -1 on a write error. */
int mkt_pair_put(FILE *f, uint32_t rid, const mkt_request *r);

/* welfare.c: surplus of riders, drivers and the platform (docs/model.md, "Welfare") */
void mkt_welfare_trip(mkt_world *w, const mkt_request *r);
void mkt_welfare_abandoned(mkt_world *w, const mkt_request *r, sim_time now);
/* Riders' surplus over the window (cents): willingness to pay less price, chain fees and the
 * cost of waiting, the waits of riders who gave up included. */
int64_t mkt_welfare_riders(const mkt_world *w);
/* The summary's `welfare` object over the window, from the platform's window totals. */
json_t *mkt_welfare_json(const mkt_world *w, const plat_totals *t);

/* offers.c: declined offers (docs/model.md, "Offers") */
/* Whether idle driver d declines w's rider rid by drivers.offer_rule (a multi-homer in a shared
 * market; false otherwise). */
bool mkt_offer_declines(mkt_world *w, uint32_t d, uint32_t rid);
/* Counts a declined offer and an accepted one. */
void mkt_offer_declined(mkt_world *w, uint32_t d, uint32_t rid);
void mkt_offer_taken(mkt_world *w);
/* Whether driver d declined rider r (among the ones remembered). */
bool mkt_offer_declined_by(const mkt_request *r, uint32_t d);
/* drivers.decline_time > 0: idle driver d, taken out of w's grid, stays out of reach for that
 * long (counted as time lost); mkt_offer_reoffer asks again for rider rid then (before the
 * driver is back), unless MKT_OFFER_MEMORY drivers declined it already. */
void mkt_offer_hold(mkt_world *w, uint32_t d);
void mkt_offer_reoffer(mkt_world *w, uint32_t rid);
/* Keeps driver d aside (out of the grid) until mkt_offer_restore; false when out of memory. */
bool mkt_offer_set_aside(mkt_world *w, size_t *n, uint32_t d);
void mkt_offer_restore(mkt_world *w, size_t n);
/* The platform entry's "offers" object, NULL unless declines are timed or a rule is set. */
json_t *mkt_offers_json(const mkt_world *w);
/* dispatch.c: offers rider rid to the nearest idle drivers in turn; whether one took it. */
bool mkt_match_rider(mkt_world *w, uint32_t rid);

/* Shared helpers */
bool mkt_rider_accepts(mkt_world *w, uint32_t rid);
void mkt_record_trip(mkt_world *w, uint32_t d, uint32_t rid);

#endif
