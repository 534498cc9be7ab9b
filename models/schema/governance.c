/* Governance's outputs: the `governance` object of a governed platform's summary entry,
 * governance.csv, votes.csv and rules.csv (docs/governance.md, "Outputs"). */
#include "models/schema/schema.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

static const sch_field gov_fields[] = {
    [SCH_GOV_VOTING] = {"voting", "text", "one_member, token or quadratic"},
    [SCH_GOV_MEMBERS] = {"members", "count", "members with a vote at the end"},
    [SCH_GOV_RIDER_MEMBERS] = {"rider_members", "count", "riders who are members"},
    [SCH_GOV_PROPOSALS] = {"proposals", "count", "proposals raised"},
    [SCH_GOV_DECIDED] = {"decided", "count", "proposals whose vote closed"},
    [SCH_GOV_PASSED] = {"passed", "count", "proposals that passed"},
    [SCH_GOV_APPLIED] = {"applied", "count", "passed proposals applied before the end"},
    [SCH_GOV_TURNOUT_MEAN] = {"turnout_mean", "share 0-1",
                              "mean over decided proposals of ballots counted / eligible"},
    [SCH_GOV_VOTES_CAST] = {"votes_cast", "count", "ballots cast"},
    [SCH_GOV_VOTES_LATE] = {"votes_late", "count", "ballots final after the vote closed"},
    [SCH_GOV_VOTE_TRANSACTIONS] = {"vote_transactions", "count",
                                   "vote transactions submitted to the ledger"},
    [SCH_GOV_VOTING_POWER_GINI] = {"voting_power_gini", "index 0-1",
                                   "Gini index of members' voting weight at the end under the "
                                   "voting rule (0 under one member one vote)"},
    [SCH_GOV_NAKAMOTO_COEFFICIENT] = {"nakamoto_coefficient", "count",
                                      "the fewest members whose weight is more than half"},
    [SCH_GOV_TOKEN_SUPPLY] = {"token_supply", "token base units", "members' tokens"},
    [SCH_GOV_TOKEN_GINI] = {"token_gini", "index 0-1", "Gini index of members' tokens"},
    [SCH_GOV_TOKEN_NAKAMOTO] = {"token_nakamoto", "count",
                                "the fewest members holding more than half the tokens"},
    [SCH_GOV_COMMISSION_FINAL] = {"commission_final", "share 0-1", "commission at the end"},
    [SCH_GOV_RESERVE_SHARE_FINAL] = {"reserve_share_final", "share 0-1",
                                     "reserve share at the end"},
    [SCH_GOV_DIVIDEND_BASIS_FINAL] = {"dividend_basis_final", "text",
                                      "dividend basis at the end: hours, trips or revenue"},
    [SCH_GOV_PAY_FLOOR_FINAL] = {"pay_floor_final", "currency units per hour",
                                 "pay floor at the end"},
    [SCH_GOV_ERRORS] = {"errors", "count", "0 unless memory ran out"},
    [SCH_GOV_PASSED_PENDING] = {"passed_pending", "count",
                                "proposals passed but not applied by the end (their epoch came "
                                "after it)"},
    [SCH_GOV_TURNOUT_WEIGHT_MEAN] = {"turnout_weight_mean", "share 0-1",
                                     "mean over decided proposals of the weight that voted / the "
                                     "eligible weight (null under quadratic voting)"},
    [SCH_GOV_DELEGATORS] = {"delegators", "count", "members who delegate their vote at the end"},
    [SCH_GOV_DELEGATED_POWER_GINI] = {"delegated_power_gini", "index 0-1",
                                      "Gini index of members' voting power with delegations "
                                      "resolved (delegators count 0)"},
    [SCH_GOV_DELEGATED_NAKAMOTO] = {"delegated_nakamoto", "count",
                                    "the fewest members holding more than half of the power, "
                                    "delegations resolved"},
    [SCH_GOV_POWER_1] = {"power_1", "voting weight", "power of the largest holder"},
    [SCH_GOV_POWER_2] = {"power_2", "voting weight", "power of the second largest holder"},
    [SCH_GOV_POWER_3] = {"power_3", "voting weight", "power of the third largest holder"},
    [SCH_GOV_BANZHAF_1] = {"banzhaf_1", "probability 0-1",
                           "raw Banzhaf index of the largest holder: the probability it is "
                           "decisive in a random coalition (majority of the power)"},
    [SCH_GOV_BANZHAF_2] = {"banzhaf_2", "probability 0-1",
                           "raw Banzhaf index of the second largest holder"},
    [SCH_GOV_BANZHAF_3] = {"banzhaf_3", "probability 0-1",
                           "raw Banzhaf index of the third largest holder"},
    [SCH_GOV_QUORUM_MINORITY] = {"quorum_minority", "count",
                                 "the fewest members (by power) who meet the quorum alone; -1: "
                                 "not even all together"},
    [SCH_GOV_PROPOSALS_BY_MEMBERS] = {"proposals_by_members", "count",
                                      "proposals members raised themselves"},
    [SCH_GOV_DEPOSITS_PAID] = {"deposits_paid", "currency units",
                               "proposal deposits paid (deposit.amount)"},
    [SCH_GOV_DEPOSITS_REFUNDED] = {"deposits_refunded", "currency units",
                                   "of those, refunded (quorum and support met)"},
    [SCH_GOV_DEPOSITS_FORFEITED] = {"deposits_forfeited", "currency units",
                                    "of those, forfeited to the co-op's reserve (in its books)"},
    [SCH_GOV_DEPOSITS_HELD] = {"deposits_held", "currency units",
                               "of those, held at the end (their vote still open)"},
    [SCH_GOV_RAISES_DETERRED] = {"raises_deterred", "count",
                                 "times a member who wanted a change did not raise it because "
                                 "the deposit it risked outweighed the gain it expected"},
    [SCH_GOV_ATTACKS_FLIPPED] = {"attacks_flipped", "count",
                                 "votes an attack (attack.kind) turned: passed with it and not "
                                 "without, or the reverse"},
};
SAME_COUNT(gov_fields, SCH_GOV_N);
const sch_table schema_governance =
    TABLE("summary.json", "platforms[].governance", "Platforms whose members vote.", gov_fields);

static const sch_field governance_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"proposal", "index", "the proposal's number"},
    {"epoch", "index", "the epoch in which it was raised"},
    {"time_s", "s", "the close of the vote"},
    {"raised_s", "s", "when it was raised"},
    {"opens_s", "s", "when the vote opens (after the review)"},
    {"closes_s", "s", "when the vote closes"},
    {"rule", "text", "the rule it would change"},
    {"from", "the rule's unit", "the rule's value when raised"},
    {"to", "the rule's unit", "the value proposed"},
    {"new_value", "number",
     "the value proposed as a plain number: shares as fractions, money in currency units, "
     "basis 0 hours / 1 trips / 2 revenue, surge 0/1"},
    {"proposer", "text", "schedule, driver i, backer i or rider i"},
    {"voting", "text", "one_member, token or quadratic"},
    {"eligible", "count", "members who could vote"},
    {"votes_for", "count", "ballots for"},
    {"votes_against", "count", "ballots against"},
    {"votes_abstain", "count", "abstentions"},
    {"votes_late", "count", "ballots final after the close"},
    {"weight_for", "voting weight", "weight for"},
    {"weight_against", "voting weight", "weight against"},
    {"weight_abstain", "voting weight", "weight abstaining"},
    {"eligible_weight", "voting weight", "weight of the eligible members"},
    {"turnout", "share 0-1",
     "ballots counted / eligible (empty while under review or vote at the end)"},
    {"quorum_met", "0 or 1", "1 when the quorum was met"},
    {"passed", "0 or 1", "1 when it passed"},
    {"applied_s", "s", "when it took effect (empty when not applied)"},
    {"status", "text",
     "under_review, voting (both at the end of the run), failed, applied, or passed_pending "
     "(passed, its epoch after the end)"},
    {"due_s", "s", "the epoch boundary a passed change applies at (may be after the end)"},
    {"options", "text", "a ballot among options: the values, | between them (empty: yes/no)"},
    {"method", "text", "a ballot among options: plurality, ranked or approval"},
    {"option_weights", "voting weight",
     "a ballot among options: each option's weight of first choices (approval: approvals)"},
    {"rounds", "count", "instant runoff: rounds counted"},
    {"bribe_to_flip", "currency units",
     "cheapest bribes found that would have reversed a yes/no outcome (inf: none could)"},
    {"bribed_to_flip", "count", "members bribed in it"},
    {"sybils_to_flip", "count",
     "fake members voting the attacker's way that would have reversed it (empty under token "
     "voting)"},
    {"sybil_cost", "currency units", "those fake members' entry fees"},
    {"runway_from_days", "days",
     "when the vote opened: days until cash plus unused credit runs out under the rules in "
     "force, from the books (inf: no deficit)"},
    {"runway_to_days", "days",
     "the same under the proposed value (a ballot among options: the winner's)"},
    {"insolvency_risk_from", "probability 0-1",
     "probability of passing the credit limit within the horizon under the rules in force "
     "(empty without look_ahead.horizon)"},
    {"insolvency_risk_to", "probability 0-1",
     "the same under the proposed value (a ballot among options: the winner's)"},
    {"deposit", "currency units", "the proposer's deposit (empty: none)"},
    {"deposit_outcome", "text", "held, refunded or forfeited (empty: no deposit)"},
    {"attack", "text", "bribe or sybil when an attack was run on this vote (empty: none)"},
    {"attack_spent", "currency units", "what the attack spent (outside money)"},
    {"attack_bribed", "count", "members bribed"},
    {"attack_sybils", "count", "fake members admitted"},
    {"passed_without_attack", "0 or 1", "the verdict the honest ballots alone gave"},
    {"attack_gain", "currency units",
     "what the members on the attacker's side perceived gaining from that side's verdict, "
     "summed over their horizons (the prize, to compare with attack_spent)"},
};
const sch_table schema_governance_csv = TABLE(
    "governance.csv", NULL, "When a co-op votes: one row per proposal.", governance_csv_fields);

static const sch_field votes_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"proposal", "index", "the proposal's number"},
    {"rule", "text", "the rule it would change"},
    {"member", "index", "the member: drivers first, then outside backers, then rider members"},
    {"member_class", "text",
     "founder, full_time_driver (30 hours a week or more), occasional_driver, backer or rider"},
    {"turned_out", "0 or 1", "1 when it voted"},
    {"choice", "text",
     "for, against or abstain; a ballot among options: its first choice or abstain; empty "
     "when it did not vote"},
    {"ranking", "text", "a ballot among options: the options in its order, > between them"},
    {"approved", "text", "a ballot among options: the options it approves, | between them"},
    {"payoff_change", "currency units",
     "the change in its payoff it perceives, over its window or horizon, before noise"},
    {"payoff_change_rel", "share", "the same relative to its payoff"},
    {"perceived", "share", "with noise: what it acted on"},
    {"weight", "voting weight", "its ballot's weight (delegations included)"},
    {"counted", "0 or 1", "1 when its ballot was final by the close (empty while open)"},
    {"p_vote", "probability 0-1", "its probability of turning out"},
    {"delegate", "index", "the member who voted for it, when it delegates"},
    {"bribed", "0 or 1", "1 when an attacker paid it to vote the attacker's way"},
};
const sch_table schema_votes_csv =
    TABLE("votes.csv", NULL,
          "When a co-op votes: one row per eligible member and proposal whose vote opened.",
          votes_csv_fields);

static const sch_field rules_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform's name"},
    {"epoch", "index", "the epoch that begins here (0 at the start)"},
    {"time_s", "s", "the epoch boundary"},
    {"day", "days", "the same in days"},
    {"commission", "share 0-1", "commission in force"},
    {"reserve_share", "share 0-1", "share of surplus kept in reserve"},
    {"dividend_basis", "text", "hours, trips or revenue"},
    {"pay_floor", "currency units per hour", "pay floor"},
    {"membership_cap", "count", "membership cap (0: none)"},
    {"entry_fee", "currency units", "entry fee"},
    {"surge", "0 or 1", "1 when surge pricing is on"},
};
const sch_table schema_rules_csv =
    TABLE("rules.csv", NULL,
          "When a co-op votes: one row per governed platform and epoch boundary (and the "
          "start): the rules in force from there on.",
          rules_csv_fields);
