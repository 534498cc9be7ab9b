/* The agenda: proposals from the scenario's schedule (once or recurring, yes/no or a ballot
 * among options) and those members raise themselves, under the agenda rules (who may
 * propose, the proposal threshold, at most max_open at once, a cool-off after a failed vote). */
#include "models/governance/gov_internal.h"
#include "models/platform/platform.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

gov_prop *gov_new_prop(gov *g, int rule, int64_t proposer, char *err, size_t errlen) {
    gov_prop *a = gov_grow(g->props, &g->cap_props, g->n_props + 1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->props = a;
    gov_prop *pr = &g->props[g->n_props];
    memset(pr, 0, sizeof *pr);
    sim_time now = g->s ? sim_now(g->s) : 0;
    pr->info.id = (uint32_t)g->n_props;
    pr->info.rule = rule;
    pr->info.from = gov_rule_value(plat_get_config(g->p), rule);
    pr->info.proposer = proposer;
    pr->info.raised = now;
    pr->info.opens = now + g->cfg.review;
    pr->info.closes = pr->info.opens + g->cfg.window;
    pr->info.applied_at = GOV_NOT_APPLIED;
    pr->info.due_at = -1;
    pr->info.epoch = g->epoch_no;
    pr->info.m.winner = -1;
    pr->info.flip_bribe = NAN;
    pr->info.flip_bribed = pr->info.flip_sybils = -1;
    pr->info.runway_from = pr->info.risk_from = NAN;
    for (int k = 0; k < GOV_MAX_OPTIONS; k++)
        pr->info.runway_to[k] = pr->info.risk_to[k] = NAN;
    pr->info.attack_spent = pr->info.attack_gain = NAN;
    pr->info.attack_bribed = pr->info.attack_sybils = -1;
    if (proposer >= 0) {
        g->dep.raised_by_members++;
        if (g->cfg.deposit > 0) { /* held until the vote closes */
            pr->info.deposit = g->cfg.deposit;
            pr->info.deposit_state = GOV_DEPOSIT_HELD;
            g->dep.paid += g->cfg.deposit;
            g->dep.held += g->cfg.deposit;
        }
    }
    g->n_props++;
    return pr;
}

int gov_propose(gov *g, int rule, const char *to, int64_t proposer, char *err, size_t errlen) {
    double v;
    if (gov_parse_value(rule, to, &v, err, errlen) != 0) return -1;
    gov_prop *pr = gov_new_prop(g, rule, proposer, err, errlen);
    if (!pr) return -1;
    pr->info.to = v;
    if (g->s) sim_schedule(g->s, pr->info.opens, gov_on_open, g, pr->info.id);
    return (int)pr->info.id;
}

int gov_propose_options(gov *g, int rule, const char *const *options, size_t n, int method,
                        int64_t proposer, char *err, size_t errlen) {
    double v[GOV_MAX_OPTIONS];
    if (n < 2 || n > GOV_MAX_OPTIONS) {
        snprintf(err, errlen, "a ballot needs 2 to %d options (it has %zu)", GOV_MAX_OPTIONS, n);
        return -1;
    }
    if (rule == GOV_R_PAYOUT) {
        snprintf(err, errlen, "payout: a one-off payout is voted yes or no, not among options");
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        if (gov_parse_value(rule, options[k], &v[k], err, errlen) != 0) return -1;
    gov_prop *pr = gov_new_prop(g, rule, proposer, err, errlen);
    if (!pr) return -1;
    pr->info.n_options = (int)n;
    pr->info.method = method;
    memcpy(pr->info.options, v, n * sizeof *v);
    pr->info.to = NAN; /* the winner, once counted */
    if (g->s) sim_schedule(g->s, pr->info.opens, gov_on_open, g, pr->info.id);
    return (int)pr->info.id;
}

/* Proposals under review, under vote, or passed and waiting for their epoch; *rule_open tells
 * whether one of them is on `rule`. */
static size_t open_count(const gov *g, int rule, bool *rule_open) {
    size_t n = 0;
    *rule_open = false;
    for (size_t i = 0; i < g->n_props; i++)
        if (!g->props[i].info.decided || g->props[i].info.applied_at == GOV_AWAITING_EPOCH) {
            n++;
            if (g->props[i].info.rule == rule) *rule_open = true;
        }
    return n;
}

/* A vote on `rule` failed less than `cooloff` ago. */
static bool cooling(const gov *g, int rule, sim_time now) {
    for (size_t i = 0; i < g->n_props; i++) {
        const gov_proposal_info *p = &g->props[i].info;
        if (p->rule == rule && p->decided && !p->r.passed && p->closes + g->cfg.cooloff > now)
            return true;
    }
    return false;
}

/* The change that would help member `who` most by its own perceived gain, among: the
 * commission cut by a step (not below the minimum), with raise.directions both the commission
 * raised by a step (not above the maximum), and each other dividend basis; rules cooling off
 * are left out. Returns the gain (0 and *rule = -1 when nothing gains). */
static double best_change(const gov *g, const gov_view *v, const plat_config *c, int *rule,
                          double *value) {
    sim_time now = g->s ? sim_now(g->s) : 0;
    double best = 0;
    *rule = -1;
    double step[2] = {-g->cfg.commission_step, g->cfg.commission_step};
    bool com_ok = !cooling(g, GOV_R_COMMISSION, now);
    for (int dir = 0; dir < (g->cfg.raise_directions ? 2 : 1) && com_ok; dir++) {
        double to = c->commission + step[dir];
        if (dir == 0 && to < g->cfg.commission_min) to = g->cfg.commission_min;
        if (dir == 1 && to > g->cfg.commission_max) to = g->cfg.commission_max;
        if (dir == 0 ? !(to < c->commission - 1e-9) : !(to > c->commission + 1e-9)) continue;
        plat_config x = *c;
        x.commission = to;
        double gain = gov_perceived(g, v, c, &x, 0, NULL);
        if (gain > best) best = gain, *rule = GOV_R_COMMISSION, *value = to;
    }
    for (int b = 0; b < 3 && !cooling(g, GOV_R_DIVIDEND_BASIS, now); b++) {
        if (b == c->dividend_basis) continue;
        plat_config x = *c;
        x.dividend_basis = b;
        double gain = gov_perceived(g, v, c, &x, 0, NULL);
        if (gain > best) best = gain, *rule = GOV_R_DIVIDEND_BASIS, *value = b;
    }
    return best;
}

/* Members who would raise a proposal now: member drivers whose trip pay per online hour over
 * the window fell below the aspiration, and (raise.proposers members) backers and rider members
 * who expect at least raise.min_gain from their best change; all holding the threshold. */
static size_t motivated(const gov *g, const gov_view *v, const int64_t *w, uint32_t *cand) {
    double total = 0;
    for (size_t m = 0; m < g->n_mem; m++)
        if (w[m] > 0) total += (double)w[m];
    const plat_config *c = plat_get_config(g->p);
    size_t n = 0;
    for (size_t d = 0; d < g->n_drv; d++) {
        if (!v[d].driver || w[d] <= 0 || v[d].hours < 1.0) continue;
        if ((double)w[d] < g->cfg.proposal_threshold * total) continue;
        double pay = (1.0 - c->commission) * v[d].fares;
        if (pay / v[d].hours < (double)g->cfg.aspiration) cand[n++] = (uint32_t)d;
    }
    for (size_t m = g->n_drv; g->cfg.raise_proposers && m < g->n_mem; m++) {
        if (w[m] <= 0 || (double)w[m] < g->cfg.proposal_threshold * total) continue;
        int rule;
        double value;
        if (best_change(g, &v[m], c, &rule, &value) >= g->cfg.raise_min_gain && rule >= 0)
            cand[n++] = (uint32_t)m;
    }
    return n;
}

/* Whether the deposit keeps the member from raising its change: it expects to lose the deposit
 * with probability q, the share of members' proposals whose deposit was forfeited so far by
 * Laplace's rule of succession, q = (forfeited + 1) / (decided + 2), and raises the change only
 * if the gain it perceives from it (over its horizon) is at least q times the deposit. */
static bool deterred(const gov *g, const gov_view *v, const plat_config *c, int rule,
                     double value) {
    double payout, gain;
    plat_config x = gov_changed(c, rule, value, &payout);
    gov_perceived(g, v, c, &x, payout, &gain);
    double q = (double)(g->member_forfeited + 1) / (double)(g->member_decided + 2);
    return gain < q * (double)g->cfg.deposit;
}

/* One of the motivated members, drawn at random, raises its best change if that rule has
 * nothing open. At most one new proposal per epoch, none while max_open are open. */
void gov_raise_proposals(gov *g) {
    bool any_open;
    if ((int64_t)open_count(g, -1, &any_open) >= g->cfg.max_open) return;
    gov_view *v = gov_build_views(g);
    int64_t *w = malloc((g->n_mem ? g->n_mem : 1) * sizeof *w);
    uint32_t *cand = malloc((g->n_mem ? g->n_mem : 1) * sizeof *cand);
    if (!v || !w || !cand) {
        g->error = 1;
        goto out;
    }
    gov_current_weights(g, w);
    size_t n = motivated(g, v, w, cand);
    if (n == 0) goto out;
    uint32_t who = cand[gsl_rng_uniform_int(g->r_raise, n)];
    const plat_config *c = plat_get_config(g->p);
    int best_rule;
    double best_v = 0;
    best_change(g, &v[who], c, &best_rule, &best_v);
    bool rule_open;
    if (best_rule < 0) goto out;
    open_count(g, best_rule, &rule_open);
    if (rule_open) goto out;
    if (g->cfg.deposit > 0 && deterred(g, &v[who], c, best_rule, best_v)) {
        g->dep.deterred++;
        goto out;
    }
    char to[64], msg[120];
    if (best_rule == GOV_R_COMMISSION)
        snprintf(to, sizeof to, "%.6f", best_v);
    else
        gov_format_value(best_rule, best_v, to, sizeof to);
    if (gov_propose(g, best_rule, to, (int64_t)who, msg, sizeof msg) < 0) g->error = 1;
out:
    free(v);
    free(w);
    free(cand);
}

/* A scheduled proposal is raised, and again `every` later while the run lasts. */
static void on_scheduled(sim *s, void *target, uint64_t data) {
    gov *g = target;
    const gov_scheduled *sch = (const gov_scheduled *)g->cfg.proposals.items + data;
    char msg[200];
    int rc = sch->options.n >= 2
                 ? gov_propose_options(g, sch->rule, (const char *const *)sch->options.v,
                                       sch->options.n, sch->method, -1, msg, sizeof msg)
                 : gov_propose(g, sch->rule, sch->to, -1, msg, sizeof msg);
    if (rc < 0) g->error = 1;
    sim_time next = sim_now(s) + sch->every;
    if (sch->every > 0 && next <= g->end) sim_schedule(s, next, on_scheduled, g, data);
}

void gov_schedule_proposals(gov *g) {
    const gov_scheduled *sch = g->cfg.proposals.items;
    for (size_t i = 0; i < g->cfg.proposals.n; i++)
        if (sch[i].at <= g->end) sim_schedule(g->s, sch[i].at, on_scheduled, g, i);
}
