/* Configuration of a co-op's on-chain governance (the `platforms[].governance` section of a
 * scenario). Keys and defaults: governance_keys.c, docs/governance.md.
 */
#ifndef MODELS_GOV_CONFIG_H
#define MODELS_GOV_CONFIG_H

#include "sim/engine.h"
#include "sim/scenario.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { GOV_ONE_MEMBER = 0, GOV_TOKEN = 1, GOV_QUADRATIC = 2 } gov_voting;
typedef enum { GOV_TURNOUT_FIXED = 0, GOV_TURNOUT_STAKE = 1 } gov_turnout_model;

/* The rules members can change; the number is also the `rule` word's index in the keys. */
typedef enum {
    GOV_R_COMMISSION = 0,
    GOV_R_RESERVE_SHARE = 1,
    GOV_R_DIVIDEND_BASIS = 2,
    GOV_R_PAY_FLOOR = 3,
    GOV_R_MEMBERSHIP_CAP = 4,
    GOV_R_ENTRY_FEE = 5,
    GOV_R_SURGE = 6,
    GOV_R_PAYOUT = 7,
    GOV_R_COUNT
} gov_rule;

#define GOV_RULE_WORDS                                                                             \
    "commission|reserve_share|dividend_basis|pay_floor|membership_cap|entry_fee|surge|payout"

/* How a ballot with several options is counted. */
typedef enum { GOV_PLURALITY = 0, GOV_RANKED = 1, GOV_APPROVAL = 2 } gov_method;
#define GOV_MAX_OPTIONS 16

/* A proposal from the scenario's schedule: raised at `at`, and again every `every` when that
 * is positive. Either a yes/no change to `to`, or a ballot among `options` (at least two)
 * counted by `method`. Values are written in the rule's unit: a share ("12%" or "0.12"),
 * money ("25.00"), a count ("150"), a basis word (hours|trips|revenue) or on|off for surge. */
typedef struct gov_scheduled {
    sim_time at;
    sim_time every; /* 0: once */
    int rule;       /* gov_rule */
    char *to;       /* "" when options are given */
    sc_strings options;
    int method; /* gov_method */
} gov_scheduled;

/* Early backers or founders holding tokens from the start. */
typedef struct gov_backers {
    int64_t count;
    int64_t tokens; /* each */
    bool drivers;   /* true: the first drivers of the pool (founders); false: outside backers */
} gov_backers;

typedef struct gov_config {
    bool enabled;
    int voting;            /* gov_voting */
    double quorum;         /* share of the eligible weight that must take part */
    double threshold;      /* a proposal passes with strictly more than this share of for+against */
    sim_time epoch;        /* passed changes apply at the next epoch boundary (k * epoch) */
    sim_time review;       /* raised -> voting opens */
    sim_time window;       /* voting open for this long */
    sim_time delay;        /* after the vote closes, before the change may apply */
    double turnout;        /* probability that a member votes on a proposal (fixed model) */
    int turnout_model;     /* gov_turnout_model */
    int64_t vote_cost;     /* stake model: what voting costs a member (cents) */
    double informed;       /* stake model: probability a member follows the vote at all */
    double noise;          /* sd of the perception noise on the relative payoff change */
    double indifference;   /* |relative change| at or below this: abstain */
    int64_t credits;       /* quadratic: credits per member and proposal (votes^2 <= credits) */
    double vote_unit;      /* quadratic: one more vote per this much relative payoff change */
    sim_time memory;       /* members judge from their activity over this recent window */
    int64_t tokens_per_km; /* token base units a driver earns per km driven (stand-in) */
    /* What members expect surge to do, as shares of gross revenue (fares): to a driver's
     * surplus (of its own fares), to the co-op's surplus, to riders' surplus. */
    double surge_drivers, surge_coop, surge_riders;
    double reserve_value; /* what a cent added to the reserve is worth to a token holder */
    /* members who look ahead: horizon (0: they judge their recent window alone), a shorter
     * or longer one for occasional drivers (0: the same), discount a year, and the share a
     * driver would lose to another platform if the co-op failed */
    sim_time horizon, occasional_horizon;
    double discount, outside_take;
    int64_t rider_members; /* riders who are members (a second class, e.g. a solidarity co-op) */
    int64_t rider_tokens;  /* tokens each rider member holds */
    double rider_seat_cap; /* the riders' class holds at most this share of the weight */
    sc_list backers;       /* gov_backers */
    sc_list proposals;     /* gov_scheduled */
    /* proposals raised by members */
    bool raise;                /* members raise proposals when their outcome disappoints */
    int64_t aspiration;        /* cents per online hour of trip pay a member expects */
    double proposal_threshold; /* share of the total weight a proposer must hold */
    double commission_step;    /* a raised commission proposal cuts this much */
    double commission_min;     /* never proposed below this */
    double commission_max;     /* never proposed above this (rises, with raise.directions) */
    int64_t max_open;          /* at most this many proposals under review or vote at once */
    int raise_directions;      /* 0: commission cuts only; 1: cuts and rises */
    int raise_proposers;       /* 0: member drivers; 1: any member (backers and riders too) */
    double raise_min_gain;     /* a non-driver proposes a change worth at least this to it */
    sim_time cooloff;          /* after a failed vote, members wait this long to raise its rule */
    /* liquid democracy */
    double delegate_share;  /* share of members who delegate at the start */
    int64_t delegates;      /* the first this many member drivers receive delegations */
    double delegate_revoke; /* each epoch, a delegating member revokes with this probability */
    /* proposal deposits: a member raising a proposal pays `deposit` (cents); it is refunded
     * when the vote meets the quorum with at least deposit_support of for+against for it, and
     * forfeited to the co-op otherwise */
    int64_t deposit;
    double deposit_support;
    /* an attack run in the simulation on one yes/no proposal (the attack_proposal-th raised) */
    int attack;              /* gov_attack_kind */
    int64_t attack_proposal; /* its index in the order raised */
    int attack_side;         /* 0: make it pass; 1: make it fail */
    int64_t attack_budget;   /* cents */
    int64_t identity_cost;   /* cents per fake member; 0: the co-op's entry fee */
} gov_config;

typedef enum { GOV_ATTACK_NONE = 0, GOV_ATTACK_BRIBE = 1, GOV_ATTACK_SYBIL = 2 } gov_attack_kind;

/* The keys of a `governance:` section, relative to it (governance_keys.c). */
extern const sc_key gov_keys[];

/* Fills cfg with the defaults of gov_keys; lists empty. */
void gov_config_defaults(gov_config *cfg);

#endif
