/* The scenario keys of a platform's `governance:` section, relative to that section, with
 * offsets into gov_config; the program mounts them at platforms[].governance. Defaults and
 * their sources: docs/governance.md. */
#include "models/governance/gov_config.h"

#include <stddef.h>

#define GOV_K(path_, type_, field_, def_, min_, max_, doc_)                                        \
    {                                                                                              \
        .path = (path_), .type = (type_), .offset = offsetof(gov_config, field_), .def = (def_),   \
        .min = (min_), .max = (max_), .doc = (doc_)                                                \
    }

const sc_key gov_keys[] = {
    GOV_K("enabled", SC_BOOL, enabled, "false", NULL, NULL,
          "Cooperative: members propose and vote on the co-op's rules during the run"),
    {.path = "voting",
     .type = SC_ENUM,
     .offset = offsetof(gov_config, voting),
     .def = "one_member",
     .choices = "one_member|token|quadratic",
     .doc = "Voting weight: one member one vote (The Drivers Cooperative), tokens held, or "
            "quadratic votes bought with credits (cost = votes^2)"},
    GOV_K(
        "quorum", SC_SHARE, quorum, "4%", "0", "1",
        "Share of the eligible weight (quadratic: of the members) that must take part, abstentions "
        "included (Compound: 4% of supply)"),
    GOV_K(
        "threshold", SC_SHARE, threshold, "50%", "0", "1",
        "A proposal passes with strictly more than this share of the weight for and against (50%: "
        "simple majority; 66.7%: two thirds)"),
    GOV_K("epoch", SC_DURATION, epoch, "1d", "1min", "3650d",
          "Passed changes apply at the first epoch boundary (a multiple of this) after the delay"),
    GOV_K("review", SC_DURATION, review, "2d", "0s", "3650d",
          "From a proposal being raised to voting opening (Compound: 2-day review)"),
    GOV_K("window", SC_DURATION, window, "3d", "1min", "3650d",
          "Voting stays open this long (Compound: 3 days)"),
    GOV_K("delay", SC_DURATION, delay, "2d", "0s", "3650d",
          "From the vote closing to the change being allowed to apply (Compound: 2-day timelock)"),
    GOV_K("turnout", SC_SHARE, turnout, "50%", "0", "1",
          "Probability that a member votes on a given proposal (modelling choice)"),
    GOV_K("noise", SC_REAL, noise, "0.01", "0", "10",
          "Standard deviation of the noise on a member's perceived relative payoff change"),
    GOV_K("indifference", SC_REAL, indifference, "0.005", "0", "10",
          "A member abstains when its perceived relative payoff change, noise included, is within "
          "this of zero"),
    GOV_K("credits", SC_INT, credits, "100", "1", "1000000000",
          "Quadratic voting: credits per member and proposal; v votes cost v^2 (100 credits: the "
          "usual example)"),
    GOV_K("vote_unit", SC_REAL, vote_unit, "0.01", "1e-9", "10",
          "Quadratic voting: a member buys one vote per this much relative payoff change at stake"),
    GOV_K("memory", SC_DURATION, memory, "7d", "1min", "3650d",
          "Members judge a change from their own activity over this recent window"),
    GOV_K("tokens_per_km", SC_INT, tokens_per_km, "1", "0", "1000000000",
          "Governance tokens a driver earns per km driven (La'Zooz: ~1 Zooz per 100 km, here in "
          "hundredths of a token)"),
    GOV_K("surge_gain", SC_SHARE, surge_gain, "3.5%", "0", "1",
          "Rise of fares members expect from switching surge on (Castillo 2019: +3.5% of gross "
          "revenue)"),
    GOV_K(
        "reserve_value", SC_SHARE, reserve_value, "50%", "0", "1",
        "What a cent added to the reserve is worth to a member, per cent of its token share of it "
        "(modelling choice: the reserve is partly indivisible and not cash in hand)"),
    GOV_K("riders.members", SC_INT, rider_members, "0", "0", "10000000",
          "Riders who are members: a second class, as in a solidarity co-op (Eva, Montreal); 0: "
          "drivers and backers only"),
    GOV_K("riders.tokens", SC_INT, rider_tokens, "0", "0", "1000000000000",
          "Tokens each rider member holds (token-weighted voting)"),
    GOV_K("riders.seat_cap", SC_SHARE, rider_seat_cap, "100%", "0", "1",
          "The riders' class holds at most this share of the voting weight (a seat cap of a "
          "multi-stakeholder co-op); 100%: no cap; not applied to quadratic votes"),
    {.path = "backers",
     .type = SC_LIST,
     .offset = offsetof(gov_config, backers),
     .def = "[]",
     .min = "0",
     .max = "64",
     .elem_size = sizeof(gov_backers),
     .doc = "Founders and early backers holding tokens from the start"},
    {.path = "backers[].count",
     .type = SC_INT,
     .offset = offsetof(gov_backers, count),
     .def = "1",
     .min = "0",
     .max = "10000000",
     .doc = "Members in this group"},
    {.path = "backers[].tokens",
     .type = SC_INT,
     .offset = offsetof(gov_backers, tokens),
     .min = "0",
     .max = "1000000000000000",
     .doc = "Tokens each holds at the start"},
    {.path = "backers[].drivers",
     .type = SC_BOOL,
     .offset = offsetof(gov_backers, drivers),
     .def = "false",
     .doc = "true: founders, the first drivers of the pool; false: outside backers (members who "
            "do not drive)"},
    {.path = "proposals",
     .type = SC_LIST,
     .offset = offsetof(gov_config, proposals),
     .def = "[]",
     .min = "0",
     .max = "1000",
     .elem_size = sizeof(gov_scheduled),
     .doc = "Proposals raised at fixed times"},
    {.path = "proposals[].at",
     .type = SC_DURATION,
     .offset = offsetof(gov_scheduled, at),
     .min = "0s",
     .max = "3650d",
     .doc = "When the proposal is raised"},
    {.path = "proposals[].rule",
     .type = SC_ENUM,
     .offset = offsetof(gov_scheduled, rule),
     .choices = GOV_RULE_WORDS,
     .doc = "The rule it changes (payout: a one-off payout from the reserve to members)"},
    {.path = "proposals[].to",
     .type = SC_STRING,
     .offset = offsetof(gov_scheduled, to),
     .doc = "The new value in the rule's unit: 12%, 25.00, 150, hours|trips|revenue, on|off"},
    GOV_K("raise.enabled", SC_BOOL, raise, "false", NULL, NULL,
          "Members whose trip pay per online hour falls below their aspiration raise proposals"),
    GOV_K("raise.aspiration", SC_MONEY, aspiration, "27.86", "0", "100000",
          "Trip pay per online hour a member expects (NYC gross pay target, Parrott & Reich 2018)"),
    GOV_K("raise.threshold", SC_SHARE, proposal_threshold, "0.25%", "0", "1",
          "Share of the total voting weight a member must hold to raise a proposal (Compound: "
          "0.25%)"),
    GOV_K("raise.commission_step", SC_SHARE, commission_step, "2.5%", "0", "1",
          "A raised commission proposal cuts the commission by this much"),
    GOV_K("raise.commission_min", SC_SHARE, commission_min, "5%", "0", "1",
          "Commission cuts are never proposed below this"),
    GOV_K("raise.max_open", SC_INT, max_open, "2", "1", "1000",
          "Members raise nothing while this many proposals are under review, under vote or waiting "
          "to apply"),
    {.path = NULL},
};
