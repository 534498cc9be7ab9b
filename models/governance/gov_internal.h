/* State shared by the governance module's source files (governance.c: members, proposals,
 * votes, epochs; output.c: CSV and summary). Not part of the public interface. */
#ifndef MODELS_GOV_INTERNAL_H
#define MODELS_GOV_INTERNAL_H

#include "models/governance/governance.h"

#include <gsl/gsl_rng.h>

typedef struct gov_prop {
    gov_proposal_info info;
    double payout;       /* GOV_R_PAYOUT: cents */
    gov_ballot *ballots; /* one per member who voted */
    uint32_t *voters;
    size_t n_ballots;
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
    gsl_rng *r_turnout, *r_noise, *r_time, *r_raise;
    sim *s;
    sim_time end;
    int64_t epoch_no;
    gov_prop *props;
    size_t n_props, cap_props;
    gov_rules_row *rules;
    size_t n_rules, cap_rules;
    int64_t votes_cast, vote_txs, submit_errors;
    int error; /* out of memory during the run */
};

#define GOV_CLASS_SCALE 1000 /* one vote, in thousandths, when riders are members */

int gov_parse_value(int rule, const char *to, double *out, char *err, size_t errlen);
/* The voting weights of every member now (1, tokens, or quadratic maximum votes); eligible
 * members get weight >= 0, others -1. */
void gov_current_weights(const gov *g, int64_t *w);

#endif
