/* On-chain governance of a co-op: members (drivers, founders, early backers) propose rule
 * changes and vote on them while the market runs; passed changes apply at the next epoch
 * through plat_set_rules. Voting rules, the voter model and every formula: docs/governance.md. */
#ifndef MODELS_GOVERNANCE_H
#define MODELS_GOVERNANCE_H

#include "models/governance/gov_config.h"
#include "models/platform/platform.h"
#include "sim/engine.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- tallies (pure functions, also used by the running module) ---------------------------- */

typedef enum { GOV_ABSTAIN = 0, GOV_FOR = 1, GOV_AGAINST = 2 } gov_choice;

typedef struct gov_ballot {
    int choice;        /* gov_choice */
    int64_t weight;    /* 1, the voter's tokens, or its quadratic votes */
    sim_time final_at; /* when the vote became final; SIM_TIME_MAX: never */
} gov_ballot;

typedef struct gov_result {
    int64_t n_for, n_against, n_abstain, n_late; /* ballots */
    int64_t w_for, w_against, w_abstain;         /* weight of the ballots counted */
    bool quorum_met, passed;
} gov_result;

/* Counts the ballots final at or before `close` (later ones are n_late and count nothing).
 * Quorum: w_for + w_against + w_abstain >= quorum * eligible_weight. Passed: quorum met and
 * w_for > threshold * (w_for + w_against). Shares are applied in parts per million. */
void gov_tally(const gov_ballot *b, size_t n, sim_time close, int64_t eligible_weight,
               double quorum, double threshold, gov_result *out);

/* A ballot among several options: the options in the member's order of preference (ranked;
 * plurality reads order[0]) and the set it approves (bit k: option k; approval). */
typedef struct gov_rank {
    uint8_t order[GOV_MAX_OPTIONS];
    uint32_t approve;
} gov_rank;

typedef struct gov_mresult {
    int64_t n_voted, n_abstain, n_late; /* ballots counted (choosing, abstaining), late */
    int64_t w_voted, w_abstain;
    int64_t first[GOV_MAX_OPTIONS]; /* weight of first choices (approval: of approvals) */
    int64_t last[GOV_MAX_OPTIONS];  /* ranked: each option's weight in the last round */
    int rounds;                     /* ranked: rounds of elimination counted */
    int winner;                     /* index of the winning option, -1: none */
    bool quorum_met;
} gov_mresult;

/* Counts a ballot among n_opt options by method (gov_method). b[i].choice is GOV_ABSTAIN or
 * GOV_FOR (it chose), r[i] its ranking or approvals; ballots final after `close` are late.
 * Quorum as gov_tally's (abstentions count). Plurality: most weight of first choices;
 * approval: most weight of approvals; ranked: instant runoff (the option with least first
 * choices among those left is dropped, the one listed last on a tie, until one holds more
 * than half the weight of the ballots still ranking one). Ties for the most go to the option
 * listed first. No winner without the quorum or without a ballot that chose. */
void gov_tally_options(const gov_ballot *b, const gov_rank *r, size_t n, size_t n_opt, int method,
                       sim_time close, int64_t eligible_weight, double quorum, gov_mresult *out);

/* ---- attacks on a vote ---------------------------------------------------------------------- */

/* A member at a vote: its choice (gov_choice, -1: it stayed home or delegated), its ballot's
 * weight (its weight had it voted) and its stake (cents it perceives gaining if it passes). */
typedef struct gov_stake {
    int choice;
    int64_t weight;
    double stake;
} gov_stake;

/* The cheapest bribes (by a greedy choice: an upper bound) that overturn the outcome of a
 * yes/no vote with this threshold: each member bribed is paid what it perceives losing by
 * voting the attacker's way, plus vote_cost if it stayed home. INFINITY (and *bribed -1) when
 * no set of bribes can do it. */
double gov_bribe_to_flip(const gov_stake *v, size_t n, bool passed, double threshold,
                         int64_t quorum_weight, double vote_cost, int64_t *bribed);
/* Fake members of weight per_identity each that, voting the attacker's way, overturn the
 * outcome (a failed one: also meeting the quorum); -1 when fakes carry no weight. */
int64_t gov_sybils_to_flip(int64_t w_for, int64_t w_against, int64_t took, bool passed,
                           double threshold, int64_t quorum_weight, int64_t per_identity);
/* The fewest members whose power reaches quorum_weight on their own (-1: not even all). */
int64_t gov_quorum_minority(const int64_t *power, size_t n, int64_t quorum_weight);

/* Quadratic voting: the most votes v with v * v <= credits. */
int64_t gov_quadratic_max_votes(int64_t credits);

/* Raw Banzhaf index of holder i in the game where a coalition wins with strictly more than
 * half of the total weight: the probability that i is decisive when every other holder joins
 * with probability 1/2. Exact when the total weight is at most 100000; above that, weights are
 * counted in units of total / 100000 (rounded). NaN when out of memory. */
double gov_banzhaf(const int64_t *w, size_t n, size_t i);

/* The fewest holders whose weights add up to strictly more than half the total (0 when the
 * total is 0). */
int64_t gov_nakamoto(const int64_t *w, size_t n);
/* Gini index of the weights (population convention, sim/stats.h). NaN when n == 0. */
double gov_power_gini(const int64_t *w, size_t n);

/* ---- perceived effect of a change on one member (the voter model) ------------------------- */

/* A member's recent activity and holdings, and the co-op's over the same window. */
typedef struct gov_view {
    double hours, trips; /* the member's online hours and trips */
    double fares;        /* its trips' fares before commission (cents) */
    double tokens;
    bool driver;                /* drivers get pay, dividends and top-ups; outside backers not */
    bool rider;                 /* rider members pay their share of the fares */
    double h_all, t_all, f_all; /* all member drivers: hours, trips, fares (cents) */
    double tok_all;             /* all tokens */
    double members;             /* member drivers */
    double riders;              /* rider members */
    double costs;   /* the co-op's costs over the window: every item of the books but
                     * acquisition (a one-off per member admitted), chain fees and interest
                     * (cents) */
    double days;    /* length of the window */
    double reserve; /* the co-op's reserve now (cents) */
    double horizon; /* days the member looks ahead; 0: it judges the window alone */
    /* The co-op's finances as the books show them (the survival term, gov_outlook). */
    double cash, credit_limit; /* cash now (may be negative, drawn on credit); the limit */
    double principal;          /* loan and note principal repaid over the window */
    /* Day-to-day variability over the window: variance of the day's fares (var_f), of its
     * outflows not scaled by the commission (costs + interest + principal, var_o), and their
     * covariance (cents^2). All 0: the member sees no variability. */
    double var_f, var_o, cov_fo;
    /* Every member's view (n_all of them, this one among them) so that the co-op's pay-floor
     * top-ups under other rules can be summed; NULL: none counted. */
    const struct gov_view *all;
    size_t n_all;
} gov_view;

/* The member's payoff over the window under the rules cfg (cents): trip pay + dividends +
 * top-ups + reserve_value times its token share of what the reserve gains, plus what surge
 * does to each side when cfg->surge is on (gc's surge shares); docs/governance.md gives the
 * formula. payout is a one-off treasury payout. */
double gov_payoff(const gov_view *v, const plat_config *cfg, const gov_config *gc, double payout);

/* The co-op's survival under the rules cfg as the member sees it from the books:
 *     liquid L = cash + credit_limit - paid   (cash on hand plus unused credit, after a payout
 *                                             of `paid` = min(payout, reserve, cash)),
 *     net flow per day mu = (G - principal - topups) / days, where G is what the
 *         rules keep of the window's surplus S = c F - costs (+ surge): rho S when S > 0
 *         (the rest is paid as dividends), all of S otherwise, and topups the pay-floor
 *         top-ups the rules would owe the members over the window,
 *     sd per day sigma = sqrt(c^2 var_f - 2 c cov_fo + var_o),
 *     runway = L / -mu days when mu < 0 (INFINITY otherwise; 0 when L <= 0),
 *     risk = P(insolvent within H): the probability that cash, a Brownian motion from L with
 *         drift mu and volatility sigma, crosses the credit limit before H (first passage:
 *         Phi((-L - mu H) / (sigma sqrt H)) + e^{-2 mu L / sigma^2} Phi((-L + mu H) /
 *         (sigma sqrt H))); with sigma 0 it is 1 when runway <= H, else 0. */
typedef struct gov_outlook {
    double liquid, mu, sigma, runway, risk; /* cents, cents a day, cents per sqrt(day), days */
} gov_outlook;
void gov_outlook_of(const gov_view *v, const plat_config *cfg, const gov_config *gc, double payout,
                    gov_outlook *out);

/* What the rules are worth to the member looking ahead (cents): with horizon H = v->horizon
 * days and discount rate k per day (gc->discount a year), the payoff per day of the window,
 * pi = gov_payoff(.., 0) / days, is earned while the co-op is solvent and the member's payoff
 * without the co-op, pi_fail, after that:
 *     value = pi_fail A(H) + (pi - pi_fail) int_0^H e^{-k t} P(solvent at t) dt + payout terms,
 *     A(x) = (1 - e^{-k x}) / k  (x when k = 0),
 * P(solvent at t) from gov_outlook_of (first passage of cash past the credit limit; with no
 * variability the co-op is solvent until its runway T and the integral is A(min(T, H))).
 * pi_fail = (1 - gc->outside_take) f / days for a driver, -F / riders / days for a rider member,
 * 0 for a backer. A payout X (paid as far as the reserve and cash go) adds X / members to a
 * driver and takes reserve_value times its token share of X from a token holder, and lowers
 * the co-op's cash. With v->horizon 0 it is gov_payoff (the window alone). docs/governance.md. */
double gov_value(const gov_view *v, const plat_config *cfg, const gov_config *gc, double payout);

/* ---- the running module ------------------------------------------------------------------- */

typedef struct gov gov;

/* A member driver's cumulative activity since the start, as the market knows it. */
typedef struct gov_activity {
    bool member;     /* admitted to the co-op */
    sim_time online; /* time online */
    int64_t trips;
    int64_t pay;   /* trip pay, cents */
    double metres; /* driven */
} gov_activity;
typedef void (*gov_activity_fn)(void *ctx, uint32_t driver, sim_time now, gov_activity *out);

/* Token balance of driver `driver` (e.g. the chain ledger's), replacing the stand-in. */
typedef int64_t (*gov_tokens_fn)(void *ctx, uint32_t driver);
/* A vote sent as a chain transaction: submit it, and call gov_vote_final(tag, ...) when it is
 * final. Without it, a vote counts the moment it is cast (the central ledger). */
typedef int (*gov_submit_fn)(void *ctx, uint32_t member, uint32_t proposal, int choice,
                             int64_t weight, uint64_t tag);

/* Checks what gov_keys cannot (when the section is enabled): each scheduled proposal's `to` in
 * its rule's unit, positive epoch and window. `at` is the section's path
 * ("platforms[1].governance"), w the scenario's positions (or NULL). SIM_OK, or SIM_EINPUT with
 * "file:line:column: path: message". */
sim_status gov_config_check(const gov_config *cfg, const sc_where *w, const char *at, char *err,
                            size_t errlen);

/* Builds the governance of platform p (which it changes by vote) for n_drivers drivers; the
 * scenario's seed and replication seed the streams "gov.<name>.*". NULL with a message on
 * a bad configuration (e.g. a proposal's `to` that does not parse) or out of memory. */
gov *gov_new(const gov_config *cfg, plat *p, const char *name, size_t n_drivers, uint64_t seed,
             uint64_t replication, gov_activity_fn activity, void *ctx, char *err, size_t errlen);
void gov_free(gov *g);
void gov_set_tokens(gov *g, gov_tokens_fn fn, void *ctx);
void gov_set_submit(gov *g, gov_submit_fn fn, void *ctx);

/* Schedules epochs and the scenario's proposals on s, up to `end`. */
void gov_start(gov *g, sim *s, sim_time end);
/* A vote transaction became final (tag as given to the submit hook). */
void gov_vote_final(gov *g, uint64_t tag, sim_time final_at);
/* Closes the books at the end of the run (proposals still open stay undecided). */
void gov_finish(gov *g, sim_time now);

/* Raises a proposal now, as member `proposer` (-1: the schedule). Returns its number, or -1
 * (nothing raised: `to` does not parse, or out of memory) with a message. */
int gov_propose(gov *g, int rule, const char *to, int64_t proposer, char *err, size_t errlen);
/* Raises a ballot among n options (2 to GOV_MAX_OPTIONS values in the rule's unit) counted by
 * method. The same returns as gov_propose. */
int gov_propose_options(gov *g, int rule, const char *const *options, size_t n, int method,
                        int64_t proposer, char *err, size_t errlen);

/* What applied_at holds before a proposal's change applies (afterwards: the time it did). */
typedef enum {
    GOV_NOT_APPLIED = -1,   /* rejected, undecided, or the run ended before its epoch */
    GOV_AWAITING_EPOCH = -2 /* passed, waiting for the epoch boundary at which it applies */
} gov_apply_state;

/* One proposal's record. */
typedef struct gov_proposal_info {
    uint32_t id;
    int rule;
    double from, to;  /* in the rule's unit: share, cents, count, basis index, 0/1 */
    int64_t proposer; /* member number, -1: the schedule */
    sim_time raised, opens, closes;
    sim_time applied_at; /* when it applied, or a gov_apply_state (negative) */
    sim_time due_at;     /* passed: the epoch boundary it applies at (maybe after the end); -1 */
    int64_t epoch;       /* epoch in which it was raised */
    int64_t eligible;    /* members eligible */
    int64_t eligible_weight;
    gov_result r;
    bool decided;
    /* A ballot among options (n_options >= 2; `to` is the winner once decided, NaN before). */
    int n_options;
    int method; /* gov_method */
    double options[GOV_MAX_OPTIONS];
    gov_mresult m;
    /* What overturning a decided yes/no vote would have taken: bribes (cents, INFINITY: no
     * bribes could; NaN: not computed) and members bribed; fake members (-1: fakes carry
     * no weight, as under token voting). */
    double flip_bribe;
    int64_t flip_bribed, flip_sybils;
    /* The co-op's survival as members saw it when the vote opened (gov_outlook_of over the
     * governance's look_ahead.horizon): under the rules then in force, and under each option
     * (a yes/no change: index 0); runway INFINITY when the rules leave no deficit. NaN
     * before the vote opens; the risks NaN without a horizon. */
    double runway_from, risk_from;
    double runway_to[GOV_MAX_OPTIONS], risk_to[GOV_MAX_OPTIONS];
    /* The proposer's deposit (cents; 0: none) and what became of it (gov_deposit_state). */
    int64_t deposit;
    int deposit_state;
    /* An attack run on this vote (attack.kind): what it spent (cents), members bribed, fake
     * members admitted, whether the vote would have passed without it, and the gain over the
     * members' horizons of the members on the attacker's side (cents, the sum of their
     * perceived payoff changes toward it). */
    int attack;
    double attack_spent, attack_gain;
    int64_t attack_bribed, attack_sybils;
    bool passed_without;
} gov_proposal_info;

typedef enum {
    GOV_DEPOSIT_NONE = 0,
    GOV_DEPOSIT_HELD = 1,     /* the vote has not closed */
    GOV_DEPOSIT_REFUNDED = 2, /* quorum met and support at least deposit.min_support */
    GOV_DEPOSIT_FORFEITED = 3 /* to the co-op's reserve (plat_receive_forfeit) */
} gov_deposit_state;
size_t gov_proposal_count(const gov *g);
/* A proposal's state in words: under_review, voting, failed, passed_pending (passed, its
 * epoch not reached by the end of the run) or applied. */
const char *gov_proposal_status(const gov_proposal_info *p, sim_time now);
const gov_proposal_info *gov_proposal(const gov *g, size_t i);

/* Members (drivers first, then outside backers, then rider members) and their current voting
 * weight. */
size_t gov_member_count(const gov *g);
/* Liquid democracy: member delegates its vote to member `to` (-1: revokes); weights are taken
 * when a vote opens, so a change counts from the next vote on. Chains are followed; a loop is
 * cut (its members vote for themselves). 0, or -1 for a bad member or a member delegating to
 * itself. */
int gov_delegate(gov *g, size_t member, int64_t to);
int64_t gov_delegate_of(const gov *g, size_t member);
/* Each member's voting power now, delegations resolved (-1: not eligible). 0 or -1. */
int gov_power(const gov *g, int64_t *power);
int64_t gov_weight(const gov *g, size_t member);
int64_t gov_tokens(const gov *g, size_t member);

/* Proposal deposits in cents: paid = refunded + forfeited + held, exactly; forfeited is what
 * the platform received (plat_totals.deposits_forfeited). deterred: times a motivated member
 * did not raise its proposal because the deposit it risked outweighed its expected gain. */
typedef struct gov_deposits {
    int64_t paid, refunded, forfeited, held, deterred, raised_by_members;
} gov_deposits;
void gov_deposit_totals(const gov *g, gov_deposits *out);

/* summary.json's `governance` object: proposals, passed, turnout_mean, voting_power_gini,
 * nakamoto_coefficient and more (docs/governance.md). */
json_t *gov_summary_json(const gov *g);
/* governance.csv rows (one per proposal), rules.csv rows (one per epoch); header when asked;
 * `run` is the first column (models/schema/schema.h, SCH_RUN_COLUMN). */
int gov_write_csv(const gov *g, uint64_t run, FILE *f, bool header);
int gov_write_rules_csv(const gov *g, uint64_t run, FILE *f, bool header);
/* votes.csv rows: one per eligible member and proposal whose vote opened: its class, whether
 * it turned out, its choice (ranking and approvals for a ballot among options), the payoff
 * change it perceived (in currency units over its window, relative, and with noise), its
 * ballot's weight and whether the ballot counted (final by the close). */
int gov_write_votes_csv(const gov *g, uint64_t run, FILE *f, bool header);

/* The name of a rule, and a value written in the rule's unit ("12%", "25.00", "hours"). */
const char *gov_rule_name(int rule);
void gov_format_value(int rule, double v, char *buf, size_t len);

#endif
