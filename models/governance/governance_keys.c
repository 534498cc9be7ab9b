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
    {.path = "turnout_model",
     .type = SC_ENUM,
     .offset = offsetof(gov_config, turnout_model),
     .def = "fixed",
     .choices = "fixed|stake",
     .doc = "Who turns out: each member with probability turnout (fixed), or with probability "
            "informed * stake / (stake + vote_cost), stake = what the vote can change for it "
            "(stake)"},
    GOV_K("vote_cost", SC_MONEY, vote_cost, "4.30", "0", "100000",
          "Stake model: what casting a vote costs a member (a quarter hour at the NYC net pay "
          "target of $17.22 an hour, docs/references.md#parrott2018)"),
    GOV_K("informed", SC_SHARE, informed, "100%", "0", "1",
          "Stake model: probability that a member follows a given vote at all (information)"),
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
    GOV_K("surge.drivers", SC_SHARE, surge_drivers, "-0.98%", "-100%", "100%",
          "Change in a driver's surplus members expect from surge pricing, as a share of the "
          "driver's fares (drivers -0.98% of gross revenue, docs/references.md#castillo2025)"),
    GOV_K("surge.coop", SC_SHARE, surge_coop, "-0.50%", "-100%", "100%",
          "Change in the co-op's surplus members expect from surge pricing, as a share of all "
          "fares (the platform's current profit -0.50% of gross revenue, "
          "docs/references.md#castillo2025)"),
    GOV_K("surge.riders", SC_SHARE, surge_riders, "3.57%", "-100%", "100%",
          "Change in riders' surplus members expect from surge pricing, as a share of all fares "
          "(riders +3.57% of gross revenue, docs/references.md#castillo2025)"),
    GOV_K(
        "reserve_value", SC_SHARE, reserve_value, "50%", "0", "1",
        "What a cent added to the reserve is worth to a member, per cent of its token share of it "
        "(modelling choice: the reserve is partly indivisible and not cash in hand)"),
    GOV_K("look_ahead.horizon", SC_DURATION, horizon, "0s", "0s", "3650d",
          "Members value a change by its effect on their income over this horizon, the co-op's "
          "runway included; 0s: by their recent window alone (memory)"),
    GOV_K("look_ahead.occasional_horizon", SC_DURATION, occasional_horizon, "0s", "0s", "3650d",
          "The horizon of occasional drivers (under 30 hours a week), who may not stay; 0s: "
          "look_ahead.horizon"),
    GOV_K("look_ahead.discount", SC_SHARE, discount, "5%", "0", "1",
          "Discount rate a year on future income (modelling choice)"),
    GOV_K("look_ahead.outside_take", SC_SHARE, outside_take, "25%", "0", "1",
          "Share of its fares a driver expects to lose to another platform's commission if the "
          "co-op fails (modelling choice: about the centralized take rate in the flagship run)"),
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
     .doc = "Proposals raised at fixed times, once or recurring"},
    {.path = "proposals[].at",
     .type = SC_DURATION,
     .offset = offsetof(gov_scheduled, at),
     .def = "0s",
     .min = "0s",
     .max = "3650d",
     .doc = "When the proposal is raised (the first time, with every)"},
    {.path = "proposals[].every",
     .type = SC_DURATION,
     .offset = offsetof(gov_scheduled, every),
     .def = "0s",
     .min = "0s",
     .max = "3650d",
     .doc = "Raise it again this long after each time (a recurring vote, e.g. 30d); 0s: once"},
    {.path = "proposals[].rule",
     .type = SC_ENUM,
     .offset = offsetof(gov_scheduled, rule),
     .choices = GOV_RULE_WORDS,
     .doc = "The rule it changes (payout: a one-off payout from the reserve to members)"},
    {.path = "proposals[].to",
     .type = SC_STRING,
     .offset = offsetof(gov_scheduled, to),
     .def = "",
     .doc = "A yes/no change to this value in the rule's unit: 12%, 25.00, 150, "
            "hours|trips|revenue, on|off (give either to or options)"},
    {.path = "proposals[].options",
     .type = SC_STRING_LIST,
     .offset = offsetof(gov_scheduled, options),
     .def = "[]",
     .max = "16",
     .doc = "A ballot among these values instead (2 to 16), e.g. [5%, 8%, 10%, 12%]; one of "
            "them wins if the quorum is met"},
    {.path = "proposals[].method",
     .type = SC_ENUM,
     .offset = offsetof(gov_scheduled, method),
     .def = "plurality",
     .choices = "plurality|ranked|approval",
     .doc = "How a ballot with options is counted: plurality (most first choices), ranked "
            "(instant runoff) or approval (most approvals)"},
    GOV_K("delegation.share", SC_SHARE, delegate_share, "0%", "0", "1",
          "Share of member drivers who delegate their vote at the start (liquid democracy), each "
          "to one of the delegates drawn at random; 0%: nobody delegates"),
    GOV_K("delegation.delegates", SC_INT, delegates, "5", "1", "1000000",
          "The first this many member drivers (the founders, when there are founders) receive "
          "delegations; they may delegate among themselves too"),
    GOV_K("delegation.revoke", SC_SHARE, delegate_revoke, "0%", "0", "1",
          "At each epoch a delegating member revokes its delegation with this probability and "
          "votes for itself from the next vote on"),
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
    GOV_K("raise.commission_max", SC_SHARE, commission_max, "30%", "0", "1",
          "Commission rises are never proposed above this (modelling choice: about what "
          "centralized platforms keep)"),
    {.path = "raise.directions",
     .type = SC_ENUM,
     .offset = offsetof(gov_config, raise_directions),
     .def = "cuts",
     .choices = "cuts|both",
     .doc = "Commission proposals members may raise: cuts only, or cuts and rises by "
            "raise.commission_step"},
    {.path = "raise.proposers",
     .type = SC_ENUM,
     .offset = offsetof(gov_config, raise_proposers),
     .def = "drivers",
     .choices = "drivers|members",
     .doc = "Who may raise proposals: member drivers, or any member (outside backers and rider "
            "members too); all must hold raise.threshold"},
    GOV_K("raise.min_gain", SC_SHARE, raise_min_gain, "2%", "0", "1",
          "A member who does not drive raises a change only if it expects at least this relative "
          "gain from it (modelling choice)"),
    GOV_K("raise.cooloff", SC_DURATION, cooloff, "0s", "0s", "3650d",
          "After a vote on a rule fails, members may not raise that rule again for this long "
          "(0s: no wait)"),
    GOV_K("raise.max_open", SC_INT, max_open, "2", "1", "1000",
          "Members raise nothing while this many proposals are under review, under vote or waiting "
          "to apply"),
    GOV_K("deposit.amount", SC_MONEY, deposit, "0.00", "0", "1000000",
          "What a member pays to raise a proposal, held until the vote closes (Cosmos SDK x/gov "
          "proposal deposits); 0.00: none. Scheduled proposals pay none"),
    GOV_K("deposit.min_support", SC_SHARE, deposit_support, "33.4%", "0", "1",
          "The deposit is refunded when the vote meets the quorum and at least this share of the "
          "weight for and against is for; otherwise it is forfeited to the co-op's reserve (Cosmos "
          "SDK x/gov burns deposits short of quorum or vetoed by a third)"),
    {.path = "attack.kind",
     .type = SC_ENUM,
     .offset = offsetof(gov_config, attack),
     .def = "none",
     .choices = "none|bribe|sybil",
     .doc = "An attack run in the vote: bribe (members paid what they perceive losing, plus the "
            "cost of voting for those who stay home, cheapest per vote first, until the outcome "
            "turns or the budget runs out) or sybil (fake members at attack.identity_cost each, "
            "as many as the budget buys, all voting the attacker's way)"},
    GOV_K("attack.proposal", SC_INT, attack_proposal, "0", "0", "100000",
          "The proposal attacked: its number in the order raised (a yes/no one; 0: the first)"),
    {.path = "attack.side",
     .type = SC_ENUM,
     .offset = offsetof(gov_config, attack_side),
     .def = "pass",
     .choices = "pass|fail",
     .doc = "What the attacker wants: the proposal to pass, or to fail"},
    GOV_K("attack.budget", SC_MONEY, attack_budget, "0.00", "0", "1000000000",
          "What the attacker may spend (outside money: it does not pass through the co-op's "
          "books)"),
    GOV_K("attack.identity_cost", SC_MONEY, identity_cost, "0.00", "0", "1000000000",
          "What one fake member costs the attacker (sybil); 0.00: the co-op's entry fee, or 1 "
          "cent when there is none"),
    {.path = NULL},
};
