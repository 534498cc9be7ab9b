/* The typed configuration of a coopsim scenario and the table of keys that fills it
 * (models/scenario_keys.c: the market's and the scenario's own keys, with each platform
 * model's table mounted where its section sits). Part of the market layer, which reads it. */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include "models/governance/gov_config.h"
#include "models/ledger/ledger.h"
#include "models/platform/platform.h"
#include "sim/engine.h"
#include "sim/scenario.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct coop_simulation {
    int64_t seed;         /* simulation.seed */
    sim_time duration;    /* simulation.duration */
    int64_t replications; /* simulation.replications */
    sim_time warmup;      /* simulation.warmup: events before it are left out of all metrics */
} coop_simulation;

/* sweep: scenario keys varied across runs. The strict loader checks the section with these
 * keys; sim/experiment then reads it from the same parsed tree (with positions for messages). */
typedef struct coop_sweep_param {
    char *path;             /* a key path as for --set, e.g. platforms[1].commission */
    sc_strings values;      /* values in user units, e.g. [5%, 10%, 15%] */
    char *from, *to, *step; /* or a range, in user units */
} coop_sweep_param;

typedef struct coop_sweep {
    int mode;           /* exp_sweep_mode (sim/experiment.h): EXP_GRID or EXP_ZIP */
    sc_list parameters; /* coop_sweep_param */
} coop_sweep;

typedef enum { COOP_MODE_SPATIAL = 0, COOP_MODE_QUEUE = 1 } coop_market_mode;
/* market.platforms: each platform in its own copy of the city (the counterfactual), or all of
 * them in one city competing for the same riders and drivers (models/market/shared.c). */
typedef enum { COOP_PLATFORMS_SEPARATE = 0, COOP_PLATFORMS_SHARED = 1 } coop_platforms_mode;
typedef enum { COOP_DIST_EXPONENTIAL = 0, COOP_DIST_FIXED = 1, COOP_DIST_INFINITE = 2 } coop_dist;

/* nearest: a request takes the nearest idle driver, a freed driver the nearest waiting rider;
 * fifo: a freed driver takes the longest-waiting rider in reach instead; optimal: each batch
 * is an assignment problem solved for the least total pickup distance (assign.h). */
typedef enum {
    COOP_DISPATCH_NEAREST = 0,
    COOP_DISPATCH_FIFO = 1,
    COOP_DISPATCH_OPTIMAL = 2
} coop_dispatch;

/* market: how requests meet drivers. */
typedef struct coop_market {
    int mode;                /* coop_market_mode */
    sim_time batch_interval; /* 0: each request is matched at once */
    sim_time max_pickup;     /* a driver further away than this (in travel time) is not sent */
    sim_time surge_interval; /* how often the platform recomputes zone surge */
    int dispatch;            /* coop_dispatch: which waiting rider meets which idle driver */
    int service;             /* queue mode: coop_dist of service times (exponential|fixed) */
    sim_time service_mean;   /* queue mode: mean service time */
    int platforms;           /* coop_platforms_mode */
} coop_market;

/* city: a rectangle with a zone grid; travel time = distance * detour / speed(hour). */
typedef struct coop_city {
    double width, height; /* metres */
    int64_t zones_x, zones_y;
    double detour;          /* road distance / straight-line distance */
    double speed;           /* m/s, multiplied by speed_profile[hour] */
    sc_reals speed_profile; /* 24 multipliers, or empty for a constant speed */
} coop_city;

typedef struct coop_hotspot {
    double x, y;   /* metres from the south-west corner */
    double radius; /* standard deviation of the Gaussian around the centre, metres */
    double weight;
} coop_hotspot;

/* demand: non-homogeneous Poisson requests. */
typedef struct coop_demand {
    double rate;       /* mean requests per second over a day; profile shapes it by hour */
    sc_reals profile;  /* 24 hourly multipliers (normalised to mean 1), or empty: flat */
    sc_reals days;     /* per-day multipliers of the rate, from day 1; past the list 1 */
    sc_list hotspots;  /* coop_hotspot */
    double background; /* share of origins/destinations drawn uniformly over the city */
    double min_trip;   /* metres: destinations closer than this are drawn again */
    char *source;      /* "generated", "none" (no riders: the chains alone) or a trip file */
    char *zones;       /* "" or the zones file a trip file's zone ids refer to */
} coop_demand;

/* Where a scenario's requests come from (demand.source). */
typedef enum {
    COOP_DEMAND_GENERATED = 0, /* the Poisson stream of demand.rate, profile, days, hotspots */
    COOP_DEMAND_FILE = 1,      /* a trip file (models/market/tripfile.h, docs/own-demand.md) */
    COOP_DEMAND_NONE = 2,      /* no market at all: each chain runs under its ledger.load */
} coop_demand_source;
coop_demand_source coop_demand_kind(const coop_demand *d);

/* average: riders' running mean of recent waits; eta: the pickup ETA shown in the quote. */
typedef enum { COOP_WAIT_AVERAGE = 0, COOP_WAIT_ETA = 1 } coop_wait_estimate;

/* riders: patience and price sensitivity. */
typedef struct coop_riders {
    int patience; /* coop_dist */
    sim_time patience_mean;
    bool price_sensitive; /* false: every quote is accepted */
    int64_t wtp_base;     /* willingness to pay: (base + per_km * km) * lognormal(0, sigma) */
    int64_t wtp_per_km;
    double wtp_sigma;
    int64_t value_of_time; /* cents per hour of expected waiting, added to the price */
    int wait_estimate;     /* coop_wait_estimate: what riders expect to wait when deciding */
    /* shared market only (docs/model.md, "One city, several platforms") */
    double choice_scale;         /* logit coefficient on the generalized price, per currency unit */
    bool retry;                  /* a refused rider tries the next app they know */
    double adoption_innovation;  /* Bass p, per year: riders who learn of an app on their own */
    double adoption_imitation;   /* Bass q, per year: riders who learn of it from users */
    int64_t population;          /* riders in the city (marketing reaches a share of them) */
    int64_t acquisition_cost;    /* cents of marketing per rider who learns of an app */
    int64_t switching_cost;      /* cents added to every app but the one the rider last used */
    int64_t disappointment_cost; /* cents added to the app a rider last gave up waiting on, */
    sim_time disappointment_memory; /* for this long after */
} coop_riders;

typedef enum { COOP_SUPPLY_FIXED = 0, COOP_SUPPLY_FREE_ENTRY = 1 } coop_supply;
typedef enum { COOP_REPOSITION_HOTSPOTS = 0, COOP_REPOSITION_DEMAND = 1 } coop_reposition;
/* drivers.offer_rule: how a multi-homer online on several apps takes offers (offers.c) */
typedef enum {
    COOP_OFFER_FIRST = 0,
    COOP_OFFER_BEST_NET = 1,
    COOP_OFFER_PRIORITY = 2
} coop_offer_rule;

/* drivers: a pool with shifts, costs and an outside option. */
typedef struct coop_drivers {
    int64_t count;
    sc_reals shift_start_profile; /* 24 hourly weights of shift start, or empty: flat */
    sim_time shift_mean, shift_sd;
    int64_t cost_per_km;             /* cents per km driven */
    int64_t cost_per_hour;           /* cents per online hour */
    int64_t reservation_wage;        /* median net cents per hour a driver needs to go online */
    double reservation_sigma;        /* lognormal spread of reservation wages */
    bool participation;              /* false: every driver works every shift */
    int64_t expected_fares_per_hour; /* prior of rider payments per online hour (day one) */
    double expected_km_per_hour;     /* prior of metres driven per online hour (day one) */
    double decline;                  /* probability a driver declines an offered request */
    double learning_rate;            /* weight of the last day in the earnings belief */
    sim_time response_time;          /* from the offer to setting off toward the rider */
    sim_time reposition_after;       /* idle this long: drive toward demand; 0: never */
    double reposition_max;           /* metres of one repositioning move at most */
    double pay_delay_cost;           /* share of a payment lost per hour it waits for finality */
    int reposition_to;               /* coop_reposition: where an idle driver drives to */
    bool surge_response; /* within the day: move toward surge, start early, stay longer */
    /* free entry (drivers.supply: free_entry): the pool is potential drivers who enter, choose
     * their hours each day and exit (models/market/supply.c; docs/model.md) */
    int supply;                   /* coop_supply */
    int64_t initial_active;       /* in the fleet on day one (the first of the pool); 0: all */
    int64_t entry_cost;           /* cents per week while in the fleet */
    int64_t day_cost;             /* cents per day driven (getting on the road) */
    double hours_elasticity;      /* eta: marginal value of time r * (k / ref_hours)^(1/eta) */
    sim_time reference_hours;     /* hours at which the marginal value of time is r */
    sim_time max_hours;           /* longest block of hours in a day */
    double day_sigma;             /* lognormal spread of a driver's value of time day by day */
    double hour_sigma;            /* lognormal spread of a driver's value of time hour by hour */
    double off_window;            /* value of time raised by this share outside usual hours */
    double belief_gain;           /* weight of each day's news in a driver's beliefs */
    double own_weight;            /* weight of own earnings against the published figure */
    double entry_review;          /* share of potential drivers who reconsider entry each day */
    sim_time exit_after;          /* a run of days below the outside option this long: exit */
    sim_time reentry_after;       /* after exiting, no entry for this long */
    double convergence_tolerance; /* relative change of weekly means counted as converged */
    bool multihoming; /* shared market: online on every app registered with (else the best) */
    int64_t registration_cost; /* shared city, free entry: cents to register with one more app */
    int offer_rule;         /* coop_offer_rule */
    double priority_chance; /* priority rule: decline while an offer from the preferred app is
                             * at least this likely within the other app's trip */
    sim_time decline_time;  /* what a declined offer takes from the rider and the driver */
} coop_drivers;

/* lab: what `coopsim lab` lets students change, one control per key. */
typedef enum { COOP_LAB_RANGE = 0, COOP_LAB_SWITCH = 1 } coop_lab_kind;

typedef struct coop_lab_control {
    char *key;              /* a key path as for --set, e.g. platforms[0].commission */
    char *label;            /* what the page calls it */
    int kind;               /* coop_lab_kind */
    char *min, *max, *step; /* range: values in the key's units, e.g. 0%, 40%, 1% */
} coop_lab_control;

typedef struct coop_lab {
    sc_list controls; /* coop_lab_control */
} coop_lab;

typedef struct coop_scenario {
    char *name;     /* name: also the default output directory results/<name>/ */
    char *title;    /* title: shown in reports */
    char *notes;    /* notes: what to look for, shown to readers of the report and the lab */
    char *currency; /* currency: ISO 4217 code, named once for every money value */
    coop_simulation simulation;
    coop_sweep sweep;
    coop_market market;
    coop_city city;
    coop_demand demand;
    coop_riders riders;
    coop_drivers drivers;
    sc_list platforms; /* coop_platform */
    coop_lab lab;
} coop_scenario;

/* One entry of `platforms:`: each model's section, filled by that model's own keys (mounted in
 * scenario_keys.c). */
/* platforms[].market: a platform's place in a shared market (market.platforms: shared). */
typedef struct coop_compete {
    double awareness;          /* share of riders who know the app on day one */
    double registered;         /* share of the driver pool registered with it */
    int64_t marketing_per_day; /* cents a day spent making riders aware of the app */
    /* centralized: fight (growth-phase take and rider subsidies) while some rival's share of
     * requests is at least fight_above and the burn is under budget; once it has fought and
     * every rival is under raise_below, the commission rises to raised_commission */
    double fight_above, raise_below, raised_commission;
    int64_t burn_budget;
    double preference; /* weight of the app in multi-homers' draw of a preferred app */
} coop_compete;

typedef struct coop_platform {
    plat_config rules;     /* the entry's own keys (models/platform) */
    coop_compete market;   /* platforms[].market: its place in a shared market */
    ledger_config ledger;  /* platforms[].ledger: where payments settle (models/ledger) */
    gov_config governance; /* platforms[].governance: members' votes (models/governance) */
} coop_platform;

/* Bounds no key table can state (docs/limits.md): the length of a platform name (it names the
 * directory ledger-<name>/), and the most governance tokens a co-op may count in all (held at the
 * start plus the most its drivers could earn), so that every sum of balances and voting weights
 * fits in 64 bits. */
#define COOP_PLATFORM_NAME_MAX 200
#define COOP_TOKEN_SUPPLY_MAX 1e18

/* The checks no key table can make, one model at a time, each message with the file, line and
 * column of the offending value (w from sc_load_file_where; NULL: no positions): the scenario's
 * own (name, currency), the market's, then every platform's rules, ledger and governance. Run by
 * `validate` and before any run (coop_run). SIM_OK or SIM_EINPUT with a message. */
sim_status coop_check(const coop_scenario *sc, const sc_where *w, char *err, size_t errlen);

/* Reads a lab control's value "12.5%" as its number (12.5) and unit ("%", at most unit_len - 1
 * characters); false when it does not start with a number. */
bool coop_lab_number(const char *s, double *v, char *unit, size_t unit_len);

/* The table of every scenario key, ended by a NULL path. */
extern const sc_key coop_keys[];

#endif
