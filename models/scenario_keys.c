/* The table of every scenario key: path, type and unit, default, range, one-line doc. It
 * drives validation, defaults and docs/scenario-reference.md. The platform's rules, ledger and
 * governance keys are their models' own tables, mounted where their sections sit. */
#include "models/scenario.h"

#include <stddef.h>

#define K(path_, type_, field_, def_, min_, max_, doc_)                                            \
    {                                                                                              \
        .path = (path_), .type = (type_), .offset = offsetof(coop_scenario, field_),               \
        .def = (def_), .min = (min_), .max = (max_), .doc = (doc_)                                 \
    }
#define E(path_, type_, field_, def_, min_, max_, choices_, doc_)                                  \
    {                                                                                              \
        .path = (path_), .type = (type_), .offset = offsetof(coop_scenario, field_),               \
        .def = (def_), .min = (min_), .max = (max_), .choices = (choices_), .doc = (doc_)          \
    }
#define H(path_, type_, field_, def_, min_, max_, doc_)                                            \
    {                                                                                              \
        .path = (path_), .type = (type_), .offset = offsetof(coop_hotspot, field_), .def = (def_), \
        .min = (min_), .max = (max_), .doc = (doc_)                                                \
    }

#define P(path_, type_, field_, def_, min_, max_, doc_)                                            \
    {                                                                                              \
        .path = (path_), .type = (type_), .offset = offsetof(coop_platform, field_),               \
        .def = (def_), .min = (min_), .max = (max_), .doc = (doc_)                                 \
    }

const sc_key coop_keys[] = {
    K("name", SC_STRING, name, NULL, NULL, NULL,
      "Short name of the scenario: letters, digits, '-', '_' and '.'; the default output "
      "directory is results/<name>/"),
    K("title", SC_STRING, title, "", NULL, NULL, "Title shown in reports"),
    K("notes", SC_STRING, notes, "", NULL, NULL,
      "What to look for, in plain words: shown at the top of the report and of the lab page"),
    K("currency", SC_STRING, currency, "USD", NULL, NULL,
      "ISO 4217 code of the currency every money value is written in"),
    K("simulation.seed", SC_INT, simulation.seed, "1", "0", "9223372036854775807",
      "Master seed; every random stream is derived from it, the replication and its name"),
    K("simulation.duration", SC_DURATION, simulation.duration, "1d", "1s", "3650d",
      "Simulated time of one run"),
    K("simulation.replications", SC_INT, simulation.replications, "1", "1", "100000",
      "Independent replications of the run"),
    {.path = "simulation.warmup",
     .type = SC_DURATION,
     .offset = offsetof(coop_scenario, simulation.warmup),
     .def = "0s",
     .min = "0s",
     .max = "3650d",
     .doc = "Initial period left out of every metric (the system fills up)"},
    {.path = "sweep.mode",
     .type = SC_ENUM,
     .offset = offsetof(coop_scenario, sweep.mode),
     .def = "grid",
     .choices = "grid|zip",
     .doc = "grid: every combination of the parameters' values; zip: the i-th values together"},
    {.path = "sweep.parameters",
     .type = SC_LIST,
     .offset = offsetof(coop_scenario, sweep.parameters),
     .def = "[]",
     .min = "0",
     .max = "16",
     .elem_size = sizeof(coop_sweep_param),
     .doc = "Scenario keys varied across runs; empty: no sweep"},
    {.path = "sweep.parameters[].path",
     .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, path),
     .doc = "Key path to vary, written as for --set, e.g. platforms[1].commission"},
    {.path = "sweep.parameters[].values",
     .type = SC_STRING_LIST,
     .offset = offsetof(coop_sweep_param, values),
     .def = "[]",
     .max = "1000",
     .doc = "Values in the key's units, e.g. [5%, 10%, 15%]"},
    {.path = "sweep.parameters[].from",
     .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, from),
     .def = "",
     .doc = "Range instead of values: first value, e.g. 5%"},
    {.path = "sweep.parameters[].to",
     .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, to),
     .def = "",
     .doc = "Range: last value (included when the steps reach it)"},
    {.path = "sweep.parameters[].step",
     .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, step),
     .def = "",
     .doc = "Range: increment, in the same unit as from and to"},

    /* market */
    E("market.mode", SC_ENUM, market.mode, "spatial", NULL, NULL, "spatial|queue",
      "spatial: drivers drive in a city; queue: no travel, service times from a distribution "
      "(an M/M/c or M/D/c queue)"),
    K("market.batch_interval", SC_DURATION, market.batch_interval, "0s", "0s", "1h",
      "Match waiting requests to drivers in batches this often; 0s matches each request at once"),
    E("market.dispatch", SC_ENUM, market.dispatch, "nearest", NULL, NULL, "nearest|fifo|optimal",
      "Who meets whom: nearest, a request takes the nearest idle driver and a freed driver the "
      "nearest waiting rider (in batches: riders in request order, each the nearest driver); "
      "fifo, a freed driver takes the longest-waiting rider in reach (first come, first served); "
      "optimal (needs market.batch_interval > 0), each batch pairs as many waiting riders with "
      "idle drivers as can be, at the least total pickup distance (the Hungarian method)"),
    K("market.max_pickup", SC_DURATION, market.max_pickup, "15min", "1s", "1d",
      "A driver further away than this travel time is never sent to a rider"),
    K("market.surge_interval", SC_DURATION, market.surge_interval, "5min", "1s", "1d",
      "How often the platforms recompute surge from zone imbalance"),
    E("market.service", SC_ENUM, market.service, "exponential", NULL, NULL, "exponential|fixed",
      "Queue mode: distribution of service times"),
    K("market.service_mean", SC_DURATION, market.service_mean, "10min", "1ms", "1d",
      "Queue mode: mean service time (1/mu)"),
    E("market.platforms", SC_ENUM, market.platforms, "separate", NULL, NULL, "separate|shared",
      "separate: each platform in its own copy of the city under identical demand (same people, "
      "other rules); shared: one city, one stream of riders who choose among the apps they know, "
      "drivers registered with one or several (docs/model.md, \"One city, several platforms\")"),

    /* city */
    K("city.width", SC_DISTANCE, city.width, "10km", "100m", "1000km",
      "East-west extent of the city rectangle"),
    K("city.height", SC_DISTANCE, city.height, "10km", "100m", "1000km",
      "North-south extent of the city rectangle"),
    K("city.zones_x", SC_INT, city.zones_x, "5", "1", "256",
      "Zone columns (zones are used for surge and statistics)"),
    K("city.zones_y", SC_INT, city.zones_y, "5", "1", "256", "Zone rows"),
    K("city.detour", SC_REAL, city.detour, "1.3", "1", "5",
      "Road distance divided by straight-line distance"),
    K("city.speed", SC_SPEED, city.speed, "21.2km/h", "1km/h", "200km/h",
      "Mean road speed (NYC app trips average 13.2 mph, TLC HVFHV data 2025)"),
    K("city.speed_profile", SC_REAL_LIST, city.speed_profile, "[]", "0", "24",
      "24 hourly multipliers of the speed (empty: constant)"),

    /* demand */
    {.path = "demand.source",
     .type = SC_STRING,
     .offset = offsetof(coop_scenario, demand.source),
     .def = "generated",
     .choices = "generated|none",
     .file = true,
     .doc = "Where requests come from: generated (the Poisson stream below), a trip file (CSV "
            "of request time, origin and destination, docs/own-demand.md; demand.rate, "
            "profile, days and min_trip are then refused) or none (no riders and no market: "
            "each chain ledger runs alone under its ledger.load)"},
    {.path = "demand.zones",
     .type = SC_STRING,
     .offset = offsetof(coop_scenario, demand.zones),
     .def = "",
     .file = true,
     .doc = "With a trip file that names zones: the CSV of zone ids and their centres "
            "(zone,x,y in metres, docs/own-demand.md); empty: trips give coordinates"},
    K("demand.rate", SC_RATE, demand.rate, "1000 per hour", "0/s", "1000/s",
      "Mean request rate over a day; the profile redistributes it by hour"),
    K("demand.profile", SC_REAL_LIST, demand.profile, "[]", "0", "24",
      "24 hourly multipliers of the request rate, normalised to mean 1 (empty: flat)"),
    K("demand.days", SC_REAL_LIST, demand.days, "[]", "0", "100",
      "Multiplier of the request rate on each day of the run, from day 1 (a bad week, a season, "
      "a strike); days past the list: 1 (empty: every day 1)"),
    {.path = "demand.hotspots",
     .type = SC_LIST,
     .offset = offsetof(coop_scenario, demand.hotspots),
     .def = "[]",
     .min = "0",
     .max = "64",
     .elem_size = sizeof(coop_hotspot),
     .doc = "Places where trips start and end: Gaussian around a centre, chosen by weight"},
    H("demand.hotspots[].x", SC_DISTANCE, x, NULL, "0m", "1000km",
      "Centre, metres east of the west edge"),
    H("demand.hotspots[].y", SC_DISTANCE, y, NULL, "0m", "1000km",
      "Centre, metres north of the south edge"),
    H("demand.hotspots[].radius", SC_DISTANCE, radius, "1km", "1m", "1000km",
      "Standard deviation of distance from the centre along each axis"),
    H("demand.hotspots[].weight", SC_REAL, weight, "1", "0", "1e9",
      "Relative weight among hotspots"),
    K("demand.background", SC_SHARE, demand.background, "20%", "0", "1",
      "Share of origins and destinations drawn uniformly over the whole city"),
    K("demand.min_trip", SC_DISTANCE, demand.min_trip, "500m", "0m", "100km",
      "Destinations closer than this to the origin are drawn again"),

    /* riders */
    E("riders.patience", SC_ENUM, riders.patience, "exponential", NULL, NULL,
      "exponential|fixed|infinite",
      "How long a rider waits for a driver to be assigned before abandoning"),
    K("riders.patience_mean", SC_DURATION, riders.patience_mean, "10min", "1s", "1d",
      "Mean patience (NYC app riders wait 4.67 min on average, p95 10.3 min)"),
    K("riders.price_sensitive", SC_BOOL, riders.price_sensitive, "true", NULL, NULL,
      "Riders refuse quotes above their willingness to pay; false: every quote is accepted"),
    K("riders.wtp_base", SC_MONEY, riders.wtp_base, "8.00", "0", "100000",
      "Willingness to pay, fixed part (median rider)"),
    K("riders.wtp_per_km", SC_MONEY, riders.wtp_per_km, "2.50", "0", "100000",
      "Willingness to pay per km of trip (median rider)"),
    K("riders.wtp_sigma", SC_REAL, riders.wtp_sigma, "0.5", "0", "5",
      "Spread of willingness to pay: sigma of the lognormal factor around the median"),
    K("riders.value_of_time", SC_MONEY, riders.value_of_time, "20.00", "0", "100000",
      "Cost to the rider of one hour of expected waiting, added to the price when deciding"),
    E("riders.wait_estimate", SC_ENUM, riders.wait_estimate, "average", NULL, NULL, "average|eta",
      "What riders expect to wait when deciding on a quote: average, a running mean of recent "
      "waits citywide; eta, the pickup ETA the quote shows, from the platform's nearest idle "
      "driver (spatial mode), and a rider shown an ETA longer than their patience does not book"),

    K("riders.choice_scale", SC_REAL, riders.choice_scale, "0.5", "0", "100",
      "Shared market: logit coefficient per currency unit of the generalized price (quote + "
      "value_of_time x shown ETA); an assumption (docs/model.md): 0.5 makes a 1.40 difference "
      "move two equal apps from 50/50 to 67/33"),
    K("riders.retry", SC_BOOL, riders.retry, "true", NULL, NULL,
      "Shared market: a rider who refuses an app's quote (or finds it closed), or gives up "
      "waiting on it, asks the next app they know and has not asked, by the logit"),
    K("riders.adoption_innovation", SC_REAL, riders.adoption_innovation, "0.03", "0", "365",
      "Shared market: Bass coefficient of innovation p per year (mean of 213 products: Sultan, "
      "Farley & Lehmann 1990)"),
    K("riders.adoption_imitation", SC_REAL, riders.adoption_imitation, "0.38", "0", "365",
      "Shared market: Bass coefficient of imitation q per year, scaled by the app's served share "
      "of requests (Sultan, Farley & Lehmann 1990)"),
    K("riders.population", SC_INT, riders.population, "100000", "1", "1000000000",
      "Shared market: riders in the city; each request is made by one of them, drawn evenly, "
      "and marketing reaches a share of them (an assumption; set it per city; two bytes each)"),
    K("riders.acquisition_cost", SC_MONEY, riders.acquisition_cost, "20.00", "0.01", "100000",
      "Shared market: marketing spent per rider who learns of an app (an assumption of the "
      "order of ride-hailing referral credits)"),
    K("riders.switching_cost", SC_MONEY, riders.switching_cost, "0.00", "0", "100000",
      "Shared market: added to the generalized price of every app but the one the rider last "
      "rode with, in its choice among apps (an assumption: no published estimate; 0, riders "
      "without habit; sweep it)"),
    K("riders.disappointment_cost", SC_MONEY, riders.disappointment_cost, "0.00", "0", "100000",
      "Shared market: added to the generalized price of the app a rider last gave up waiting on, "
      "for riders.disappointment_memory after (an assumption; 0, riders who do not hold a "
      "failed wait against an app)"),
    K("riders.disappointment_memory", SC_DURATION, riders.disappointment_memory, "7d", "0s",
      "3650d",
      "Shared market: how long a rider holds a failed wait against the app (an "
      "assumption)"),

    /* drivers */
    K("drivers.count", SC_INT, drivers.count, "1000", "1", "10000000",
      "Drivers in the pool (queue mode: the c servers, always online)"),
    K("drivers.shift_start_profile", SC_REAL_LIST, drivers.shift_start_profile, "[]", "0", "24",
      "24 hourly weights of when shifts start (empty: flat)"),
    K("drivers.shift_mean", SC_DURATION, drivers.shift_mean, "6h", "10min", "24h",
      "Mean shift length"),
    K("drivers.shift_sd", SC_DURATION, drivers.shift_sd, "2h", "0s", "24h",
      "Standard deviation of shift length (normal, kept within 1h..14h)"),
    K("drivers.cost_per_km", SC_MONEY, drivers.cost_per_km, "0.43", "0", "1000",
      "Vehicle cost per km driven (IRS 2025 standard mileage rate, $0.70/mile)"),
    K("drivers.cost_per_hour", SC_MONEY, drivers.cost_per_hour, "0.00", "0", "10000",
      "Vehicle cost per online hour (rental, insurance)"),
    K("drivers.reservation_wage", SC_MONEY, drivers.reservation_wage, "17.22", "0", "10000",
      "Drivers' outside option: the median of what an hour of their time is worth elsewhere, net "
      "(the earnings a driver needs to go online, and the value of an online hour in welfare). "
      "Default: $17.22, the independent-contractor equivalent of New York's $15 minimum wage "
      "(Parrott & Reich 2018), i.e. a minimum-wage hour, a floor under many drivers' "
      "alternatives; it is not the pay standard (platforms[].pay_standard)"),
    K("drivers.reservation_sigma", SC_REAL, drivers.reservation_sigma, "0.3", "0", "5",
      "Spread of reservation wages: sigma of the lognormal around the median"),
    K("drivers.participation", SC_BOOL, drivers.participation, "true", NULL, NULL,
      "Drivers go online only if expected net hourly earnings reach their reservation wage"),
    K("drivers.expected_fares_per_hour", SC_MONEY, drivers.expected_fares_per_hour, "35.00", "0",
      "100000", "Day one's belief of rider payments per online hour, before commission"),
    K("drivers.expected_km_per_hour", SC_DISTANCE, drivers.expected_km_per_hour, "20km", "0m",
      "200km", "Day one's belief of distance driven per online hour"),
    K("drivers.learning_rate", SC_SHARE, drivers.learning_rate, "50%", "0", "1",
      "Each day the belief of net earnings per hour moves this share of the way to what the "
      "last day paid (adaptive expectations; 100%: only the last day counts)"),
    K("drivers.decline", SC_SHARE, drivers.decline, "0%", "0", "1",
      "Probability that a driver declines an offered request"),
    K("drivers.decline_time", SC_DURATION, drivers.decline_time, "0s", "0s", "10min",
      "What a declined offer takes, from the rider's wait and from the driver who declined it, "
      "while the platform offers the rider to the next driver; 0s: declines cost no time (the "
      "model before declines were timed; Uber gives drivers 15 s to answer an offer, "
      "docs/model.md)"),
    K("drivers.response_time", SC_DURATION, drivers.response_time, "15s", "0s", "10min",
      "Time from an offer to the driver setting off toward the rider (reading the offer, "
      "accepting, pulling out; flagship and nyc also put the time at the curb here, since the "
      "TLC's wait ends with the rider seated): part of the rider's wait and of pickup_share, "
      "reported as drivers.response_share"),
    K("drivers.reposition_after", SC_DURATION, drivers.reposition_after, "10min", "0s", "1d",
      "An idle driver drives toward a hotspot after this long; 0s: never"),
    K("drivers.reposition_max", SC_DISTANCE, drivers.reposition_max, "3km", "0m", "1000km",
      "Longest single repositioning move"),
    K("drivers.pay_delay_cost", SC_SHARE, drivers.pay_delay_cost, "0", NULL, NULL,
      "Share of a chain payment a driver counts as lost per hour between the trip and the "
      "payment's finality (the cost of borrowing it meanwhile; 0.045% is a payday loan's "
      "~391% APR, docs/chain.md); drivers decide on pay's worth; 0 (so that runs without it "
      "are unchanged): pay is worth its face value however late"),
    E("drivers.reposition_to", SC_ENUM, drivers.reposition_to, "hotspots", NULL, NULL,
      "hotspots|demand",
      "Where a repositioning driver heads: a point of a hotspot chosen by weight, or a point "
      "drawn like a request's origin (hotspots and background); docs/model.md says why demand "
      "gives shorter pickups when drivers are plentiful"),

    K("drivers.surge_response", SC_BOOL, drivers.surge_response, "false", NULL, NULL,
      "Drivers respond to surge within the day (docs/model.md, \"Surge that moves drivers\"): "
      "an idle driver drives toward a surging zone when the extra pay of an hour there covers "
      "the drive, and (fixed pool) a driver starts up to an hour early or stays an hour longer "
      "when the surged pay of that hour beats the value of an extra hour of time; pay that does "
      "not follow surge (upfront pricing) moves no one"),
    E("drivers.supply", SC_ENUM, drivers.supply, "fixed", NULL, NULL, "fixed|free_entry",
      "fixed: drivers.count drivers with fixed shifts and one shared belief (the short run); "
      "free_entry: drivers.count potential drivers who enter, choose their hours each day from "
      "their own beliefs and exit (the long run)"),
    K("drivers.initial_active", SC_INT, drivers.initial_active, "0", "0", "10000000",
      "Free entry: drivers in the fleet on day one (the first of the pool), the rest potential "
      "entrants; 0: the whole pool"),
    K("drivers.entry_cost", SC_MONEY, drivers.entry_cost, "100.00", "0", "100000",
      "Free entry: cost per week of being in the fleet (licence, commercial insurance, a vehicle "
      "made ready; assumed)"),
    K("drivers.day_cost", SC_MONEY, drivers.day_cost, "10.00", "0", "10000",
      "Free entry: cost of a day on the road, whatever its length (getting ready, travel to the "
      "first rider; calibrated with drivers.hours_elasticity, docs/model.md)"),
    K("drivers.hours_elasticity", SC_REAL, drivers.hours_elasticity, "1.0", "0.05", "20",
      "Free entry: eta of the marginal value of time r*(k/reference_hours)^(1/eta) of the k-th "
      "hour; calibrated so that hours rise ~12% for 10% more pay (Angrist, Caldwell & Hall "
      "2021: 1.2)"),
    K("drivers.reference_hours", SC_DURATION, drivers.reference_hours, "6h", "1h", "24h",
      "Free entry: hours in a day after which an hour is worth the reservation wage"),
    K("drivers.max_hours", SC_DURATION, drivers.max_hours, "12h", "1h", "24h",
      "Free entry: longest block of hours a driver drives in one day"),
    K("drivers.day_sigma", SC_REAL, drivers.day_sigma, "0.35", "0", "5",
      "Free entry: day-to-day spread of a driver's value of time (lognormal sigma; time-varying "
      "reservation wages, Chen, Rossi, Chevalier & Oehlsen 2019; calibrated, docs/model.md)"),
    K("drivers.hour_sigma", SC_REAL, drivers.hour_sigma, "0.2", "0", "5",
      "Free entry: hour-to-hour spread of a driver's value of time within a day (lognormal "
      "sigma; assumed)"),
    K("drivers.off_window", SC_SHARE, drivers.off_window, "30%", "0", "10",
      "Free entry: a driver's value of time is this much higher outside its usual hours (the "
      "shift drawn from drivers.shift_start_profile, shift_mean and shift_sd; assumed)"),
    K("drivers.belief_gain", SC_SHARE, drivers.belief_gain, "20%", "0", "1",
      "Free entry: each day a driver's expected net pay per hour moves this share of the way to "
      "the day's news"),
    K("drivers.own_weight", SC_SHARE, drivers.own_weight, "50%", "0", "1",
      "Free entry: weight of the driver's own earnings of the day against what the platform "
      "publishes, in the hours the driver drove"),
    K("drivers.entry_review", SC_SHARE, drivers.entry_review, "10%", "0", "1",
      "Free entry: share of potential drivers who reconsider entering on a given day"),
    K("drivers.exit_after", SC_DURATION, drivers.exit_after, "7d", "1d", "3650d",
      "Free entry: a driver leaves after this many days in a row below the outside option"),
    K("drivers.reentry_after", SC_DURATION, drivers.reentry_after, "28d", "0s", "3650d",
      "Free entry: a driver who left does not consider entering again for this long"),
    K("drivers.convergence_tolerance", SC_SHARE, drivers.convergence_tolerance, "2%", "0", "1",
      "Free entry: converged once the weekly means of online hours and net pay per hour change "
      "by less than this from one week to the next, and stay so"),

    K("drivers.multihoming", SC_BOOL, drivers.multihoming, "true", NULL, NULL,
      "Shared market: a driver registered with several apps is online on all of them and takes "
      "the first offer (false: each day only on the one whose drivers earned most per hour)"),
    K("drivers.registration_cost", SC_MONEY, drivers.registration_cost, "50.00", "0", "100000",
      "Shared market, free entry: a driver's own cost of registering with one more app (sign-up, "
      "documents, an inspection; assumed: about three hours at the reservation wage), paid once; "
      "a co-op's entry fee comes on top"),
    E("drivers.offer_rule", SC_ENUM, drivers.offer_rule, "first", NULL, NULL,
      "first|best_net|priority",
      "Shared market: how a driver online on several apps takes offers: first (the first "
      "offer that comes), best_net (declines when the offer's net pay is less than its other "
      "apps' expected net pay over the time the offer would take) or priority (declines other "
      "apps' offers while an offer from its preferred app is likely; docs/model.md, \"Offers\")"),
    K("drivers.priority_chance", SC_SHARE, drivers.priority_chance, "50%", "0", "1",
      "Shared market, offer_rule priority: a driver declines another app's offer while the "
      "chance of an offer from its preferred app within that trip's time is above this "
      "(assumed: an even chance; 100%: never declines)"),

    /* platforms */
    {.path = "platforms",
     .type = SC_LIST,
     .offset = offsetof(coop_scenario, platforms),
     .min = "1",
     .max = "8",
     .elem_size = sizeof(coop_platform),
     .doc = "The platforms compared, each in its own copy of the city under identical demand"},
    /* each model's own keys, where its section sits */
    {.path = "platforms[]",
     .type = SC_MOUNT,
     .offset = offsetof(coop_platform, rules),
     .mount = plat_keys},
    {.path = "platforms[].ledger",
     .type = SC_MOUNT,
     .offset = offsetof(coop_platform, ledger),
     .mount = ledger_keys},
    {.path = "platforms[].governance",
     .type = SC_MOUNT,
     .offset = offsetof(coop_platform, governance),
     .mount = gov_keys},
    /* a platform's place in a shared market (market.platforms: shared) */
    P("platforms[].market.awareness", SC_SHARE, market.awareness, "100%", "0", "1",
      "Shared market: share of riders who know the app on day one"),
    P("platforms[].market.registered", SC_SHARE, market.registered, "100%", "0", "1",
      "Shared market: share of the driver pool registered with the app (drawn per driver)"),
    P("platforms[].market.marketing_per_day", SC_MONEY, market.marketing_per_day, "0", "0",
      "1000000000",
      "Shared market: spent each day (an acquisition cost in the books) to make riders aware "
      "of the app, riders.acquisition_cost per rider"),
    P("platforms[].market.fight_above", SC_SHARE, market.fight_above, "100%", "0", "1",
      "Shared market, centralized only: the growth phase's take and rider subsidies apply while "
      "some rival has at least this share of yesterday's requests (100%: never fights)"),
    P("platforms[].market.burn_budget", SC_MONEY, market.burn_budget, "0", "0", "100000000000",
      "Shared market: the most the platform spends fighting (rider subsidies and take given up); "
      "0: no limit"),
    P("platforms[].market.raise_below", SC_SHARE, market.raise_below, "0", "0", "1",
      "Shared market, centralized only: once it has fought and every rival's share of "
      "yesterday's requests is under this, the commission becomes raised_commission (0: never)"),
    P("platforms[].market.raised_commission", SC_SHARE, market.raised_commission, "30%", "0", "1",
      "Shared market: the commission after the rivals fell under raise_below (the 25-35% range "
      "of centralized take rates; docs/platform-rules.md)"),
    P("platforms[].market.preference", SC_REAL, market.preference, "1", "0", "1000000",
      "Shared market, drivers.offer_rule priority: weight of the app when a multi-homer draws "
      "its preferred app among those it is registered with (equal weights: an even draw; "
      "assumed)"),

    /* lab: the controls `coopsim lab` offers (app/cmd_lab.c) */
    {.path = "lab.controls",
     .type = SC_LIST,
     .offset = offsetof(coop_scenario, lab.controls),
     .def = "[]",
     .min = "0",
     .max = "16",
     .elem_size = sizeof(coop_lab_control),
     .doc = "Keys students may change in `coopsim lab`, one control each; empty: none"},
    {.path = "lab.controls[].key",
     .type = SC_STRING,
     .offset = offsetof(coop_lab_control, key),
     .doc = "Key path the control sets, written as for --set and written in the scenario, e.g. "
            "platforms[0].commission"},
    {.path = "lab.controls[].label",
     .type = SC_STRING,
     .offset = offsetof(coop_lab_control, label),
     .doc = "What the page calls the control, e.g. \"Commission of takes-30\""},
    {.path = "lab.controls[].kind",
     .type = SC_ENUM,
     .offset = offsetof(coop_lab_control, kind),
     .def = "range",
     .choices = "range|switch",
     .doc = "range: a slider from min to max by step; switch: on/off for a true/false key"},
    {.path = "lab.controls[].min",
     .type = SC_STRING,
     .offset = offsetof(coop_lab_control, min),
     .def = "",
     .doc = "Range: lowest value, in the key's units, e.g. 0%"},
    {.path = "lab.controls[].max",
     .type = SC_STRING,
     .offset = offsetof(coop_lab_control, max),
     .def = "",
     .doc = "Range: highest value, in the same unit as min"},
    {.path = "lab.controls[].step",
     .type = SC_STRING,
     .offset = offsetof(coop_lab_control, step),
     .def = "",
     .doc = "Range: increment, in the same unit as min"},
    {.path = NULL},
};
