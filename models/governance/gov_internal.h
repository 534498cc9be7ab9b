/* State shared by the governance module's source files (governance.c: members, proposals,
 * votes, epochs; output.c: CSV and summary). Not part of the public interface. */
#ifndef MODELS_GOV_INTERNAL_H
#define MODELS_GOV_INTERNAL_H

#include "models/governance/governance.h"

#include <gsl/gsl_rng.h>

/* Member classes, as votes.csv and the report name them. */
typedef enum {
    GOV_C_FOUNDER = 0,    /* a driver holding founders' tokens */
    GOV_C_FULL_TIME = 1,  /* a driver online >= 30 h a week over the window */
    GOV_C_OCCASIONAL = 2, /* a driver online less */
    GOV_C_BACKER = 3,     /* an outside backer */
    GOV_C_RIDER = 4,      /* a rider member */
    GOV_C_COUNT
} gov_class;

/* One eligible member's decision on one proposal (votes.csv). */
typedef struct gov_vrec {
    uint32_t member;
    uint8_t cls;      /* gov_class */
    bool voted;       /* it turned out */
    int ballot;       /* its ballot's index, -1 */
    double delta;     /* perceived payoff change over the window, cents (options: its top one) */
    double rel;       /* the same relative to its payoff, before noise */
    double x;         /* with noise: what it acted on */
    double p_vote;    /* its probability of turning out */
    int64_t delegate; /* the member who votes for it (delegation), -1: itself */
    int64_t weight;   /* its voting power when voting opened */
    bool bribed;      /* an attacker paid it to vote the attacker's way */
} gov_vrec;

typedef struct gov_prop {
    gov_proposal_info info;
    double payout;       /* GOV_R_PAYOUT: cents */
    gov_ballot *ballots; /* one per member who voted */
    gov_rank *ranks;     /* ballots among options: one per ballot */
    uint32_t *voters;
    size_t n_ballots;
    gov_vrec *recs; /* one per eligible member */
    size_t n_recs;
    size_t cap_ballots; /* ballots and voters allocated (an attack may add some) */
    /* an attack: the ballots as members cast them, before it, and the eligible weight then */
    gov_ballot *honest;
    size_t n_honest;
    int64_t honest_eligible_weight;
} gov_prop;

/* The rules at one epoch boundary (rules.csv). */
typedef struct gov_rules_row {
    sim_time t;
    int64_t epoch;
    double commission, reserve_share;
    int dividend_basis;
    int64_t pay_floor, membership_cap, entry_fee;
    bool surge;
} gov_rules_row;

struct gov {
    gov_config cfg;
    plat *p;
    char *name;
    size_t n_drv, n_back, n_rid, n_mem; /* members: drivers, outside backers, riders */
    int64_t *tok0, *tokens;
    /* cumulative activity of each driver at the last n_hist epoch boundaries (a ring) */
    gov_activity *hist;
    sim_time *hist_t;
    size_t n_hist, hist_len, hist_head;
    gov_activity *cur;
    sim_time cur_t;
    gov_activity_fn activity;
    void *activity_ctx;
    gov_tokens_fn tokens_fn;
    void *tokens_ctx;
    gov_submit_fn submit;
    void *submit_ctx;
    gsl_rng *r_turnout, *r_noise, *r_time, *r_raise, *r_options, *r_delegate;
    int64_t *deleg; /* each member's delegate, -1: none */
    sim *s;
    sim_time end;
    int64_t epoch_no;
    gov_prop *props;
    size_t n_props, cap_props;
    gov_rules_row *rules;
    size_t n_rules, cap_rules;
    int64_t votes_cast, vote_txs, submit_errors;
    gov_deposits dep;
    int64_t member_decided, member_forfeited; /* member-raised proposals: decided, forfeited */
    int error;                                /* out of memory during the run */
};

#define GOV_CLASS_SCALE 1000 /* one vote, in thousandths, when riders are members */

int gov_parse_value(int rule, const char *to, double *out, char *err, size_t errlen);
const char *gov_class_name(int cls);

/* Shared between governance.c (members, epochs), vote.c (voting) and agenda.c (proposals). */
bool gov_eligible(const gov *g, size_t m);
bool gov_is_rider(const gov *g, size_t m);
void gov_read_activity(gov *g, sim_time now);
double gov_rule_value(const plat_config *c, int rule);
plat_config gov_changed(const plat_config *cur, int rule, double v, double *payout);
/* Each member's view of the recent window (docs/governance.md); NULL when out of memory. */
gov_view *gov_build_views(const gov *g);
/* Relative payoff change the member perceives: (new - old) / max(|old|, 1.00); *delta gets
 * new - old in cents when not NULL. */
double gov_perceived(const gov *g, const gov_view *v, const plat_config *old,
                     const plat_config *neu, double payout, double *delta);
/* The first epoch boundary strictly after t. */
sim_time gov_next_epoch(const gov *g, sim_time t);
void *gov_grow(void *a, size_t *cap, size_t need, size_t elem);
/* A new proposal record (opens scheduled by the caller); NULL when out of memory. */
gov_prop *gov_new_prop(gov *g, int rule, int64_t proposer, char *err, size_t errlen);
/* Voting opens on proposal `data` (an engine handler, vote.c). */
void gov_on_open(sim *s, void *target, uint64_t data);
/* Members raise their own proposals at an epoch boundary (agenda.c). */
void gov_raise_proposals(gov *g);
/* Liquid democracy (delegate.c): each member's root (who votes for it) and each root's power
 * (its own weight plus what is delegated to it; -1 for members not eligible). 0 or -1 (out of
 * memory). */
int gov_resolve(const gov *g, const int64_t *w, int64_t *root);
int gov_delegated_power(const gov *g, const int64_t *w, int64_t *root, int64_t *power);
void gov_delegation_start(gov *g);
void gov_delegation_epoch(gov *g);
/* Schedules the scenario's proposals (agenda.c). */
void gov_schedule_proposals(gov *g);
/* The voting weights of every member now (1, tokens, or quadratic maximum votes); eligible
 * members get weight >= 0, others -1. */
void gov_current_weights(const gov *g, int64_t *w);
/* A yes/no verdict (attack_run.c): gov_tally's, the quorum in members under quadratic voting. */
bool gov_yes_no(const gov *g, const gov_ballot *b, size_t n, sim_time close,
                int64_t eligible_weight, gov_result *out);
/* An attack on the vote just opened (attack.kind), and at its close the verdict without it. */
void gov_run_attack(gov *g, gov_prop *pr);
void gov_attack_close(const gov *g, gov_prop *pr);

#endif
