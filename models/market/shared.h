/* Internal state of a shared market (market.platforms: shared), shared by shared.c (the city's
 * riders, drivers and strategies) and shared_out.c (its outputs). Not part of the public
 * interface. */
#ifndef MODELS_MARKET_SHARED_H
#define MODELS_MARKET_SHARED_H

#include "models/market/world.h"

#define MKT_MAX_PLATFORMS 8

/* A platform's strategy in force (platforms[].market): its own rules, fighting (the growth
 * phase's take and rider subsidies), or the raised commission. */
enum { MKT_PHASE_NORMAL, MKT_PHASE_FIGHT, MKT_PHASE_RAISED };

/* One platform's day, recorded as it happens. */
typedef struct mkt_cday {
    double awareness;  /* at the day's start */
    double commission; /* in force at the day's start */
    double eta_sum;    /* shown pickup times (s) to riders who knew the app */
    int64_t eta_n;
    int64_t first_choices;          /* riders whose first choice it was */
    int64_t burn;                   /* spent fighting, cumulative to the day's end */
    int phase;                      /* in force during the day */
    int64_t declines, offers_taken; /* offers of its riders declined and taken (offers.c) */
    sim_time decline_lost;          /* what the timed declines took (drivers.decline_time) */
} mkt_cday;

struct mkt_market {
    const coop_scenario *sc;
    sim *s;
    sim_time end;
    size_t n;
    mkt_world *w[MKT_MAX_PLATFORMS];
    size_t n_drv;
    uint8_t *reg;  /* per driver: bit i set when registered with platform i */
    uint8_t *home; /* per driver: a single-homer's app today */
    uint8_t *busy; /* per driver: 1 + the platform it is serving or moving for; 0: none */
    gsl_rng *r_choice, *r_reg;
    double aware[MKT_MAX_PLATFORMS];
    int phase[MKT_MAX_PLATFORMS];
    bool fought[MKT_MAX_PLATFORMS];
    int64_t burn[MKT_MAX_PLATFORMS], fight_days[MKT_MAX_PLATFORMS];
    int64_t raised_day[MKT_MAX_PLATFORMS]; /* 0: never */
    int64_t marketing[MKT_MAX_PLATFORMS];
    int64_t prev_fares[MKT_MAX_PLATFORMS], prev_subsidies[MKT_MAX_PLATFORMS];
    size_t n_days;
    mkt_cday *days; /* n_days * n, day-major */
    int64_t arrivals, without_app, retries;
    int64_t overlaps; /* a driver sent or moved on one app while busy on another (a bug) */
    double multihoming_share;
    struct mkt_entry *entry; /* free entry in the city (shared_entry.c), NULL with a fixed pool */
    /* the riders as people (shared_riders.c) */
    size_t n_riders;
    gsl_rng *r_rider;
    uint64_t apps_key;   /* seed of the riders' thresholds of awareness */
    uint8_t *rider_last; /* per rider: 1 + the app it last rode with; 0: none yet */
    uint8_t *rider_used; /* per rider: bit i set once it has ridden with platform i */
    int64_t switches;    /* trips with another app than the rider's last one */
    /* with riders.disappointment_cost only: the app the rider last gave up waiting on (1 + its
     * index; 0: none) and until when (minutes from the start) it holds it against it */
    uint8_t *rider_bad;
    uint32_t *rider_bad_until;
    uint8_t *pref; /* per driver: its preferred app (offer_rule priority); MKT_NO_PREF: none */
};

#define MKT_NO_PREF 0xFF

/* offers.c: each driver's preferred app, drawn from its own stream; -1 out of memory. */
int mkt_offers_market_init(struct mkt_market *m);

/* Sums of platform p's hourly table over days [d0, d1): requests, trips, online hours. */
void mkt_shared_day_sums(const struct mkt_market *m, size_t p, size_t d0, size_t d1,
                         int64_t *requests, int64_t *trips, double *hours);

/* shared_entry.c: the city's free entry, built when drivers.supply is free_entry (0; 2 when
 * memory runs out) and freed with the market. */
int mkt_shared_entry_new(struct mkt_market *m);
void mkt_shared_entry_free(struct mkt_market *m);
/* One platform's riders' and drivers' surplus over the window (shared_surplus.c), in cents:
 * drivers' income less vehicle costs and outside option on their hours attributed to it (each
 * driver's hour counted once over all apps). */
typedef struct mkt_surplus {
    int64_t riders, drivers, income, vehicle, outside;
    double hours;
} mkt_surplus;
void mkt_shared_surplus(const mkt_market *m, mkt_surplus *out);

/* shared_riders.c: the population of riders. 0, or -1 when out of memory. */
int mkt_pop_init(mkt_market *m, uint64_t seed, uint64_t replication);
void mkt_pop_free(mkt_market *m);
/* The rider who makes the next request. */
uint32_t mkt_pop_draw(mkt_market *m);
/* Whether the rider knows app p (at the app's awareness today). */
bool mkt_pop_knows(const mkt_market *m, uint32_t rider, size_t p);
/* What the rider adds (cents) to app p's generalized price at time now: riders.switching_cost
 * unless p is the app it last rode with or it has not ridden yet, plus
 * riders.disappointment_cost while it holds a failed wait against p. */
double mkt_pop_habit_cost(const mkt_market *m, uint32_t rider, size_t p, sim_time now);
/* The rider gave up waiting on app p at time now. */
void mkt_pop_disappointed(mkt_market *m, uint32_t rider, size_t p, sim_time now);
/* Riders who rode at least once, and of them those who rode with several apps. */
void mkt_pop_counts(const mkt_market *m, int64_t *rode, int64_t *several);

#endif
