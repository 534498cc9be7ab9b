/* An attack run in a vote (attack.kind): an attacker with a budget bribes members or admits
 * fake members until the vote's outcome turns its way or the budget runs out; the verdict the
 * honest ballots alone would have given is kept beside the real one. docs/governance.md. */
#include "models/governance/gov_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The most fake members one attack admits (a bound on memory; far past any vote here). */
#define GOV_MAX_FAKES 100000

/* A yes/no verdict on ballots b[0..n) counted at `close`: gov_tally's, and under quadratic
 * voting the quorum counted in members who took part (each ballot one) and the verdict on the
 * votes. */
bool gov_yes_no(const gov *g, const gov_ballot *b, size_t n, sim_time close,
                int64_t eligible_weight, gov_result *out) {
    gov_tally(b, n, close, eligible_weight, g->cfg.quorum, g->cfg.threshold, out);
    if (g->cfg.voting != GOV_QUADRATIC) return out->passed;
    gov_ballot *unit = malloc((n ? n : 1) * sizeof *unit);
    if (!unit) return out->passed;
    for (size_t k = 0; k < n; k++) {
        unit[k] = b[k];
        unit[k].weight = 1;
    }
    gov_result ur, wr;
    gov_tally(unit, n, close, eligible_weight, g->cfg.quorum, 0, &ur);
    gov_tally(b, n, close, 0, 0, g->cfg.threshold, &wr);
    free(unit);
    out->quorum_met = ur.quorum_met;
    out->passed = ur.quorum_met && wr.passed;
    return out->passed;
}

/* The outcome if every ballot cast so far counts (the attacker's forecast). */
static bool forecast(const gov *g, const gov_prop *pr) {
    gov_result r;
    return gov_yes_no(g, pr->ballots, pr->n_ballots, SIM_TIME_MAX, pr->info.eligible_weight, &r);
}

static int push_ballot(gov_prop *pr, int choice, int64_t weight, sim_time at, uint32_t who) {
    size_t need = pr->n_ballots + 1;
    if (need > pr->cap_ballots) {
        size_t cap = pr->cap_ballots * 2 > need ? pr->cap_ballots * 2 : need + 16;
        gov_ballot *b = realloc(pr->ballots, cap * sizeof *b);
        if (!b) return -1;
        pr->ballots = b;
        uint32_t *v = realloc(pr->voters, cap * sizeof *v);
        if (!v) return -1;
        pr->voters = v;
        pr->cap_ballots = cap;
    }
    pr->ballots[pr->n_ballots] = (gov_ballot){.choice = choice, .weight = weight, .final_at = at};
    pr->voters[pr->n_ballots++] = who;
    return 0;
}

typedef struct bribe {
    size_t rec;
    double price, per_margin;
} bribe;

static int by_price_per_margin(const void *a, const void *b) {
    const bribe *x = a, *y = b;
    return (x->per_margin > y->per_margin) - (x->per_margin < y->per_margin);
}

/* Members not voting the attacker's way are offered what they perceive losing by voting it
 * (0 when they would gain), plus the cost of voting to those who stayed home; the cheapest per
 * unit of margin first, each bought while the budget lasts, until the forecast turns. A bribed
 * member votes with its full power (quadratic: the most votes its credits buy). */
static int run_bribes(gov *g, gov_prop *pr, int want, double budget) {
    gov_proposal_info *in = &pr->info;
    bribe *o = malloc((pr->n_recs ? pr->n_recs : 1) * sizeof *o);
    if (!o) return -1;
    double t = g->cfg.threshold;
    int64_t qv = gov_quadratic_max_votes(g->cfg.credits);
    size_t k = 0;
    for (size_t i = 0; i < pr->n_recs; i++) {
        const gov_vrec *r = &pr->recs[i];
        if (r->delegate >= 0) continue; /* its delegate's ballot carries it */
        const gov_ballot *b = r->ballot >= 0 ? &pr->ballots[r->ballot] : NULL;
        if (b && b->choice == want) continue;
        double s = want == GOV_FOR ? r->delta : -r->delta;
        double w = (double)(g->cfg.voting == GOV_QUADRATIC ? qv : r->weight);
        bool opposite = b && b->choice != GOV_ABSTAIN;
        double dm = opposite ? w : (want == GOV_AGAINST ? w * t : w * (1 - t));
        if (!(dm > 0)) continue;
        o[k].rec = i;
        o[k].price = (s < 0 ? -s : 0) + (b ? 0 : (double)g->cfg.vote_cost);
        o[k].per_margin = o[k].price / dm;
        k++;
    }
    qsort(o, k, sizeof *o, by_price_per_margin);
    bool done = forecast(g, pr) == (want == GOV_FOR);
    for (size_t i = 0; i < k && !done; i++) {
        if (o[i].price > budget - in->attack_spent) continue;
        gov_vrec *r = &pr->recs[o[i].rec];
        int64_t w = g->cfg.voting == GOV_QUADRATIC ? qv : r->weight;
        if (r->ballot >= 0) {
            pr->ballots[r->ballot].choice = want;
            pr->ballots[r->ballot].weight = w;
        } else {
            if (push_ballot(pr, want, w, in->opens, r->member) != 0) {
                free(o);
                return -1;
            }
            r->ballot = (int)pr->n_ballots - 1;
            r->voted = true;
        }
        r->bribed = true;
        in->attack_spent += o[i].price;
        in->attack_bribed++;
        done = forecast(g, pr) == (want == GOV_FOR);
    }
    free(o);
    return 0;
}

/* Fake members, each at identity_cost (0: the entry fee, or a cent), one member's weight each
 * (quadratic: the most votes the credits buy; token voting: none, since splitting tokens
 * among identities adds no weight), admitted one at a time until the forecast turns. */
static int run_sybils(gov *g, gov_prop *pr, int want, double budget) {
    gov_proposal_info *in = &pr->info;
    double cost = (double)g->cfg.identity_cost;
    if (!(cost > 0)) cost = (double)plat_get_config(g->p)->entry_fee;
    if (!(cost > 0)) cost = 1;
    int64_t per = g->cfg.voting == GOV_TOKEN       ? 0
                  : g->cfg.voting == GOV_QUADRATIC ? gov_quadratic_max_votes(g->cfg.credits)
                  : g->n_rid > 0                   ? GOV_CLASS_SCALE
                                                   : 1;
    if (per <= 0) return 0;
    bool done = forecast(g, pr) == (want == GOV_FOR);
    while (!done && in->attack_spent + cost <= budget && in->attack_sybils < GOV_MAX_FAKES) {
        if (push_ballot(pr, want, per, in->opens, UINT32_MAX) != 0) return -1;
        in->eligible++;
        in->eligible_weight += g->cfg.voting == GOV_QUADRATIC ? 1 : per;
        in->attack_spent += cost;
        in->attack_sybils++;
        done = forecast(g, pr) == (want == GOV_FOR);
    }
    return 0;
}

void gov_run_attack(gov *g, gov_prop *pr) {
    gov_proposal_info *in = &pr->info;
    if (g->cfg.attack == GOV_ATTACK_NONE || in->n_options >= 2 ||
        (int64_t)in->id != g->cfg.attack_proposal)
        return;
    int want = g->cfg.attack_side == 0 ? GOV_FOR : GOV_AGAINST;
    in->attack = g->cfg.attack;
    in->attack_spent = 0;
    in->attack_bribed = in->attack_sybils = 0;
    /* The honest ballots, kept to count the verdict without the attack at the close. */
    pr->n_honest = pr->n_ballots;
    pr->honest_eligible_weight = in->eligible_weight;
    pr->honest = malloc((pr->n_ballots ? pr->n_ballots : 1) * sizeof *pr->honest);
    if (!pr->honest) {
        g->error = 1;
        return;
    }
    memcpy(pr->honest, pr->ballots, pr->n_ballots * sizeof *pr->honest);
    pr->cap_ballots = pr->cap_ballots > pr->n_ballots ? pr->cap_ballots : pr->n_ballots;
    double budget = (double)g->cfg.attack_budget;
    int rc = g->cfg.attack == GOV_ATTACK_BRIBE ? run_bribes(g, pr, want, budget)
                                               : run_sybils(g, pr, want, budget);
    if (rc != 0) g->error = 1;
    /* The prize: what the members on the attacker's side perceive gaining from its verdict. */
    in->attack_gain = 0;
    for (size_t i = 0; i < pr->n_recs; i++) {
        double s = want == GOV_FOR ? pr->recs[i].delta : -pr->recs[i].delta;
        if (s > 0) in->attack_gain += s;
    }
}

/* At the close: the verdict of the honest ballots (their choices and weights as cast, their
 * finality as it came), without the ballots the attack added. */
void gov_attack_close(const gov *g, gov_prop *pr) {
    gov_proposal_info *in = &pr->info;
    if (!in->attack || !pr->honest) return;
    gov_ballot *b = malloc((pr->n_honest ? pr->n_honest : 1) * sizeof *b);
    if (!b) return;
    for (size_t k = 0; k < pr->n_honest; k++) {
        b[k] = pr->honest[k];
        b[k].final_at = pr->ballots[k].final_at;
    }
    gov_result r;
    in->passed_without = gov_yes_no(g, b, pr->n_honest, in->closes, pr->honest_eligible_weight, &r);
    free(b);
}
