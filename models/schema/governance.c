/* Governance's outputs: the `governance` object of a governed platform's summary entry,
 * governance.csv and rules.csv (docs/governance.md, "Outputs"). */
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
};
SAME_COUNT(gov_fields, SCH_GOV_N);
const sch_table schema_governance =
    TABLE("summary.json", "platforms[].governance", "Platforms whose members vote.", gov_fields);

static const sch_field governance_csv_fields[] = {
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
};
const sch_table schema_governance_csv = TABLE(
    "governance.csv", NULL, "When a co-op votes: one row per proposal.", governance_csv_fields);

static const sch_field rules_csv_fields[] = {
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
