/* The running governance of one co-op: members and their tokens, proposals from the schedule
 * or raised by members, votes cast within the window (as chain transactions when a submit
 * hook is set), tallies at the close, and passed changes applied at the next epoch. */
#include "models/governance/gov_internal.h"
#include "models/platform/platform.h"

#include "sim/error.h"
#include "sim/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The defaults a scenario's `platforms[].governance` section gets (the key table is the one
 * source). */
void gov_config_defaults(gov_config *cfg) {
    char err[256];
    memset(cfg, 0, sizeof *cfg);
    (void)sc_defaults(gov_keys, "", cfg, err, sizeof err);
}

static gsl_rng *stream(const gov *g, uint64_t seed, uint64_t rep, const char *what) {
    char name[160];
    snprintf(name, sizeof name, "gov.%s.%s", g->name, what);
    return sim_rng_stream(seed, rep, name);
}

void gov_free(gov *g) {
    if (!g) return;
    for (size_t i = 0; i < g->n_props; i++) {
        free(g->props[i].ballots);
        free(g->props[i].voters);
    }
    free(g->props);
    free(g->rules);
    free(g->tok0);
    free(g->tokens);
    free(g->hist);
    free(g->hist_t);
    free(g->cur);
    free(g->name);
    if (g->r_turnout) gsl_rng_free(g->r_turnout);
    if (g->r_noise) gsl_rng_free(g->r_noise);
    if (g->r_time) gsl_rng_free(g->r_time);
    if (g->r_raise) gsl_rng_free(g->r_raise);
    free(g);
}

sim_status gov_config_check(const gov_config *cfg, const sc_where *w, const char *at, char *err,
                            size_t errlen) {
    if (!cfg->enabled) return SIM_OK;
    if (cfg->epoch <= 0) return sc_fail_at(w, at, "epoch", err, errlen, "must be positive");
    if (cfg->window <= 0) return sc_fail_at(w, at, "window", err, errlen, "must be positive");
    const gov_scheduled *sch = cfg->proposals.items;
    for (size_t i = 0; i < cfg->proposals.n; i++) {
        double v;
        char msg[200], key[64];
        if (gov_parse_value(sch[i].rule, sch[i].to, &v, msg, sizeof msg) != 0) {
            snprintf(key, sizeof key, "proposals[%zu].to", i);
            return sc_fail_at(w, at, key, err, errlen, "%s", msg);
        }
    }
    return SIM_OK;
}

gov *gov_new(const gov_config *cfg, plat *p, const char *name, size_t n_drivers, uint64_t seed,
             uint64_t replication, gov_activity_fn activity, void *ctx, char *err, size_t errlen) {
    /* A bad value is the scenario's error, reported before the run. */
    char at[160];
    snprintf(at, sizeof at, "platform %s: governance", name ? name : "?");
    gov_config c = *cfg;
    c.enabled = true; /* built only when enabled; check it as such */
    if (gov_config_check(&c, NULL, at, err, errlen) != SIM_OK) return NULL;
    gov *g = calloc(1, sizeof *g);
    if (!g) goto nomem;
    g->cfg = *cfg;
    g->p = p;
    g->name = malloc(strlen(name ? name : "coop") + 1);
    if (!g->name) goto nomem;
    strcpy(g->name, name ? name : "coop");
    g->n_drv = n_drivers;
    const gov_backers *b = cfg->backers.items;
    for (size_t i = 0; i < cfg->backers.n; i++) {
        if (b[i].count < 0 || b[i].count > 10000000) {
            snprintf(err, errlen, "governance.backers[%zu].count out of range", i);
            gov_free(g);
            return NULL;
        }
        if (!b[i].drivers) g->n_back += (size_t)b[i].count;
    }
    if (cfg->rider_members < 0 || cfg->rider_members > 10000000) {
        snprintf(err, errlen, "governance.riders.members out of range");
        gov_free(g);
        return NULL;
    }
    g->n_rid = (size_t)cfg->rider_members;
    g->n_mem = g->n_drv + g->n_back + g->n_rid;
    size_t nm = g->n_mem ? g->n_mem : 1, nd = g->n_drv ? g->n_drv : 1;
    g->n_hist = (size_t)((cfg->memory + cfg->epoch - 1) / cfg->epoch);
    g->n_hist += 1; /* the boundary at the start of the window too */
    g->tok0 = calloc(nm, sizeof *g->tok0);
    g->tokens = calloc(nm, sizeof *g->tokens);
    g->hist = calloc(nd * g->n_hist, sizeof *g->hist);
    g->hist_t = calloc(g->n_hist, sizeof *g->hist_t);
    g->cur = calloc(nd, sizeof *g->cur);
    if (!g->tok0 || !g->tokens || !g->hist || !g->hist_t || !g->cur) goto nomem;
    /* Founders are the first drivers of the pool, backer groups in the order listed. */
    size_t next_drv = 0, next_back = g->n_drv;
    for (size_t i = 0; i < cfg->backers.n; i++)
        for (int64_t k = 0; k < b[i].count; k++) {
            if (b[i].drivers) {
                if (next_drv < g->n_drv) g->tok0[next_drv++] += b[i].tokens;
            } else {
                g->tok0[next_back++] = b[i].tokens;
            }
        }
    for (size_t r = 0; r < g->n_rid; r++)
        g->tok0[g->n_drv + g->n_back + r] = cfg->rider_tokens;
    memcpy(g->tokens, g->tok0, nm * sizeof *g->tokens);
    g->activity = activity;
    g->activity_ctx = ctx;
    g->r_turnout = stream(g, seed, replication, "turnout");
    g->r_noise = stream(g, seed, replication, "noise");
    g->r_time = stream(g, seed, replication, "vote_time");
    g->r_raise = stream(g, seed, replication, "raise");
    if (!g->r_turnout || !g->r_noise || !g->r_time || !g->r_raise) goto nomem;
    return g;
nomem:
    snprintf(err, errlen, "out of memory building the governance");
    gov_free(g);
    return NULL;
}

void gov_set_tokens(gov *g, gov_tokens_fn fn, void *ctx) {
    g->tokens_fn = fn;
    g->tokens_ctx = ctx;
}

void gov_set_submit(gov *g, gov_submit_fn fn, void *ctx) {
    g->submit = fn;
    g->submit_ctx = ctx;
}

size_t gov_member_count(const gov *g) {
    return g->n_mem;
}

int64_t gov_tokens(const gov *g, size_t member) {
    return member < g->n_mem ? g->tokens[member] : 0;
}

static bool eligible(const gov *g, size_t m) {
    return m >= g->n_drv || g->cur[m].member;
}

static bool is_rider(const gov *g, size_t m) {
    return m >= g->n_drv + g->n_back;
}

void gov_current_weights(const gov *g, int64_t *w) {
    int64_t qv = gov_quadratic_max_votes(g->cfg.credits);
    /* With rider members, one member one vote counts in thousandths so that the riders'
     * seat cap can give each rider a fraction of a vote. */
    int64_t one = g->n_rid > 0 ? GOV_CLASS_SCALE : 1;
    for (size_t m = 0; m < g->n_mem; m++) {
        if (!eligible(g, m))
            w[m] = -1;
        else if (g->cfg.voting == GOV_TOKEN)
            w[m] = g->tokens[m];
        else if (g->cfg.voting == GOV_QUADRATIC)
            w[m] = qv;
        else
            w[m] = one;
    }
    /* Seat cap: riders together hold at most cap / (1 - cap) times the others' weight, i.e.
     * at most `cap` of the total, each rider's weight cut to an equal share of that. */
    double cap = g->cfg.rider_seat_cap;
    if (g->n_rid == 0 || g->cfg.voting == GOV_QUADRATIC || !(cap < 1.0)) return;
    double others = 0;
    for (size_t m = 0; m < g->n_drv + g->n_back; m++)
        if (w[m] > 0) others += (double)w[m];
    double each = cap * others / ((1.0 - cap) * (double)g->n_rid);
    int64_t most = each < 9e18 ? (int64_t)floor(each) : INT64_MAX;
    for (size_t m = g->n_drv + g->n_back; m < g->n_mem; m++)
        if (w[m] > most) w[m] = most;
}

int64_t gov_weight(const gov *g, size_t member) {
    if (member >= g->n_mem) return 0;
    int64_t *w = malloc(g->n_mem * sizeof *w);
    if (!w) return 0;
    gov_current_weights(g, w);
    int64_t x = w[member] > 0 ? w[member] : 0;
    free(w);
    return x;
}

size_t gov_proposal_count(const gov *g) {
    return g->n_props;
}

const gov_proposal_info *gov_proposal(const gov *g, size_t i) {
    return i < g->n_props ? &g->props[i].info : NULL;
}

/* ---- activity, tokens, rules -------------------------------------------------------------- */

/* Reads every driver's cumulative activity and refreshes token balances. */
static void read_activity(gov *g, sim_time now) {
    for (size_t d = 0; d < g->n_drv; d++) {
        gov_activity a = {0};
        if (g->activity) g->activity(g->activity_ctx, (uint32_t)d, now, &a);
        g->cur[d] = a;
        int64_t earned;
        if (g->tokens_fn)
            earned = g->tokens_fn(g->tokens_ctx, (uint32_t)d);
        else
            earned = (int64_t)floor(a.metres * (double)g->cfg.tokens_per_km / 1000.0);
        g->tokens[d] = g->tok0[d] + (earned > 0 ? earned : 0);
    }
    g->cur_t = now;
}

/* Keeps the activity at this epoch boundary; the oldest kept is the start of the window. */
static void push_history(gov *g) {
    size_t slot = (g->hist_head + g->hist_len) % g->n_hist;
    if (g->hist_len == g->n_hist) {
        slot = g->hist_head;
        g->hist_head = (g->hist_head + 1) % g->n_hist;
    } else {
        g->hist_len++;
    }
    memcpy(g->hist + slot * g->n_drv, g->cur, g->n_drv * sizeof *g->cur);
    g->hist_t[slot] = g->cur_t;
}

/* The array a with room for need elements (NULL when memory runs out; a is then unchanged). */
static void *grow(void *a, size_t *cap, size_t need, size_t elem) {
    return sim_grow(&a, cap, need, elem, 16) == SIM_OK ? a : NULL;
}

static void record_rules(gov *g, sim_time now) {
    gov_rules_row *r = grow(g->rules, &g->cap_rules, g->n_rules + 1, sizeof *r);
    if (!r) {
        g->error = 1;
        return;
    }
    g->rules = r;
    const plat_config *c = plat_get_config(g->p);
    gov_rules_row *row = &g->rules[g->n_rules++];
    row->t = now;
    row->epoch = g->epoch_no;
    row->commission = c->commission;
    row->reserve_share = c->reserve_share;
    row->dividend_basis = c->dividend_basis;
    row->pay_floor = c->pay_floor_per_hour;
    row->membership_cap = c->membership_cap;
    row->entry_fee = c->entry_fee;
    row->surge = c->surge;
}

static double rule_value(const plat_config *c, int rule) {
    switch (rule) {
    case GOV_R_COMMISSION:
        return c->commission;
    case GOV_R_RESERVE_SHARE:
        return c->reserve_share;
    case GOV_R_DIVIDEND_BASIS:
        return c->dividend_basis;
    case GOV_R_PAY_FLOOR:
        return (double)c->pay_floor_per_hour;
    case GOV_R_MEMBERSHIP_CAP:
        return (double)c->membership_cap;
    case GOV_R_ENTRY_FEE:
        return (double)c->entry_fee;
    case GOV_R_SURGE:
        return c->surge ? 1 : 0;
    default:
        return 0;
    }
}

/* The rules as they would be after the change (payout: unchanged, see *payout). */
static plat_config changed(const plat_config *cur, int rule, double v, double *payout) {
    plat_config c = *cur;
    *payout = 0;
    switch (rule) {
    case GOV_R_COMMISSION:
        c.commission = v;
        break;
    case GOV_R_RESERVE_SHARE:
        c.reserve_share = v;
        break;
    case GOV_R_DIVIDEND_BASIS:
        c.dividend_basis = (int)v;
        break;
    case GOV_R_PAY_FLOOR:
        c.pay_floor_per_hour = (int64_t)v;
        break;
    case GOV_R_MEMBERSHIP_CAP:
        c.membership_cap = (int64_t)v;
        break;
    case GOV_R_ENTRY_FEE:
        c.entry_fee = (int64_t)v;
        break;
    case GOV_R_SURGE:
        c.surge = v != 0;
        break;
    case GOV_R_PAYOUT:
        *payout = v;
        break;
    default:
        break;
    }
    return c;
}

static void apply(gov *g, gov_prop *pr, sim_time now) {
    double payout;
    plat_config c = changed(plat_get_config(g->p), pr->info.rule, pr->info.to, &payout);
    if (pr->info.rule == GOV_R_PAYOUT)
        plat_pay_members(g->p, (int64_t)payout, now);
    else
        plat_set_rules(g->p, &c);
    pr->info.applied_at = now;
}

/* ---- the voter model over the recent window ------------------------------------------------ */

/* Each member's view of the window: its activity since the oldest boundary kept, and the
 * co-op's totals over the same window in every entry. */
static gov_view *build_views(const gov *g) {
    gov_view *v = calloc(g->n_mem ? g->n_mem : 1, sizeof *v);
    if (!v) return NULL;
    const plat_config *c = plat_get_config(g->p);
    double m = c->surge ? 1.0 + g->cfg.surge_gain : 1.0;
    double keep = (1.0 - c->commission) * m;
    const gov_activity *base = g->hist_len ? g->hist + g->hist_head * g->n_drv : NULL;
    sim_time t0 = g->hist_len ? g->hist_t[g->hist_head] : 0;
    double h_all = 0, t_all = 0, f_all = 0, tok_all = 0, members = 0;
    for (size_t d = 0; d < g->n_drv; d++) {
        const gov_activity *a = &g->cur[d];
        if (!a->member) continue;
        gov_view *x = &v[d];
        x->driver = true;
        x->hours = (double)(a->online - (base ? base[d].online : 0)) / (double)SIM_HOUR;
        x->trips = (double)(a->trips - (base ? base[d].trips : 0));
        double pay = (double)(a->pay - (base ? base[d].pay : 0));
        x->fares = keep > 0 ? pay / keep : 0;
        h_all += x->hours;
        t_all += x->trips;
        f_all += x->fares;
        members += 1;
    }
    for (size_t i = 0; i < g->n_mem; i++) {
        v[i].tokens = (double)g->tokens[i];
        v[i].rider = is_rider(g, i);
        if (eligible(g, i)) tok_all += v[i].tokens;
    }
    double days = (double)(g->cur_t - t0) / (double)SIM_DAY;
    double costs = (double)c->cost_per_trip * t_all + (double)c->fixed_cost_per_day * days;
    for (size_t i = 0; i < g->n_mem; i++) {
        v[i].h_all = h_all;
        v[i].t_all = t_all;
        v[i].f_all = f_all;
        v[i].tok_all = tok_all;
        v[i].members = members;
        v[i].riders = (double)g->n_rid;
        v[i].costs = costs;
    }
    return v;
}

/* Relative payoff change the member perceives: (new - old) / max(|old|, 1.00). */
static double perceived(const gov *g, const gov_view *v, const plat_config *old,
                        const plat_config *neu, double payout) {
    double sg = g->cfg.surge_gain, rv = g->cfg.reserve_value;
    double a = gov_payoff(v, old, sg, rv, 0), b = gov_payoff(v, neu, sg, rv, payout);
    double base = fabs(a) > 100.0 ? fabs(a) : 100.0;
    return (b - a) / base;
}

/* ---- proposals and votes ------------------------------------------------------------------ */

static void on_open(sim *s, void *target, uint64_t data);
static void on_close(sim *s, void *target, uint64_t data);
static void on_cast(sim *s, void *target, uint64_t data);

int gov_propose(gov *g, int rule, const char *to, int64_t proposer, char *err, size_t errlen) {
    double v;
    if (gov_parse_value(rule, to, &v, err, errlen) != 0) return -1;
    gov_prop *a = grow(g->props, &g->cap_props, g->n_props + 1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->props = a;
    gov_prop *pr = &g->props[g->n_props];
    memset(pr, 0, sizeof *pr);
    sim_time now = g->s ? sim_now(g->s) : 0;
    pr->info.id = (uint32_t)g->n_props;
    pr->info.rule = rule;
    pr->info.from = rule_value(plat_get_config(g->p), rule);
    pr->info.to = v;
    pr->info.proposer = proposer;
    pr->info.raised = now;
    pr->info.opens = now + g->cfg.review;
    pr->info.closes = pr->info.opens + g->cfg.window;
    pr->info.applied_at = GOV_NOT_APPLIED;
    pr->info.epoch = g->epoch_no;
    g->n_props++;
    if (g->s) sim_schedule(g->s, pr->info.opens, on_open, g, pr->info.id);
    return (int)pr->info.id;
}

static void on_open(sim *s, void *target, uint64_t data) {
    gov *g = target;
    gov_prop *pr = &g->props[data];
    sim_time now = sim_now(s);
    read_activity(g, now);
    gov_view *v = build_views(g);
    int64_t *w = malloc((g->n_mem ? g->n_mem : 1) * sizeof *w);
    pr->ballots = malloc((g->n_mem ? g->n_mem : 1) * sizeof *pr->ballots);
    pr->voters = malloc((g->n_mem ? g->n_mem : 1) * sizeof *pr->voters);
    if (!v || !w || !pr->ballots || !pr->voters) {
        g->error = 1;
        free(v);
        free(w);
        return;
    }
    const plat_config *old = plat_get_config(g->p);
    double payout;
    plat_config neu = changed(old, pr->info.rule, pr->info.to, &payout);
    gov_current_weights(g, w);
    int64_t qv_max = gov_quadratic_max_votes(g->cfg.credits);
    for (size_t m = 0; m < g->n_mem; m++) {
        if (w[m] < 0) continue;
        pr->info.eligible++;
        pr->info.eligible_weight += g->cfg.voting == GOV_QUADRATIC ? 1 : w[m];
        /* Draws in member order from their own streams: a change in one member's choice
         * never shifts another's numbers. */
        double u = gsl_rng_uniform(g->r_turnout);
        double eps = g->cfg.noise > 0 ? gsl_ran_gaussian(g->r_noise, g->cfg.noise) : 0.0;
        double when = gsl_rng_uniform(g->r_time);
        if (u >= g->cfg.turnout) continue;
        double x = perceived(g, &v[m], old, &neu, payout) + eps;
        gov_ballot *b = &pr->ballots[pr->n_ballots];
        b->choice = x > g->cfg.indifference    ? GOV_FOR
                    : x < -g->cfg.indifference ? GOV_AGAINST
                                               : GOV_ABSTAIN;
        b->weight = w[m];
        if (g->cfg.voting == GOV_QUADRATIC) {
            int64_t k = b->choice == GOV_ABSTAIN ? 0 : (int64_t)ceil(fabs(x) / g->cfg.vote_unit);
            if (b->choice != GOV_ABSTAIN && k < 1) k = 1;
            b->weight = k < qv_max ? k : qv_max;
        }
        sim_time cast = now + (sim_time)(when * (double)g->cfg.window);
        pr->voters[pr->n_ballots] = (uint32_t)m;
        g->votes_cast++;
        if (g->submit) {
            b->final_at = SIM_TIME_MAX;
            sim_schedule(s, cast, on_cast, g, (data << 32) | pr->n_ballots);
        } else {
            b->final_at = cast;
        }
        pr->n_ballots++;
    }
    free(v);
    free(w);
    sim_schedule(s, pr->info.closes, on_close, g, data);
}

static void on_cast(sim *s, void *target, uint64_t data) {
    (void)s;
    gov *g = target;
    gov_prop *pr = &g->props[data >> 32];
    size_t k = (size_t)(data & 0xffffffffu);
    const gov_ballot *b = &pr->ballots[k];
    if (g->submit(g->submit_ctx, pr->voters[k], pr->info.id, b->choice, b->weight, data) == 0)
        g->vote_txs++;
    else
        g->submit_errors++;
}

void gov_vote_final(gov *g, uint64_t tag, sim_time final_at) {
    size_t p = (size_t)(tag >> 32), k = (size_t)(tag & 0xffffffffu);
    if (p >= g->n_props || k >= g->props[p].n_ballots) return;
    gov_ballot *b = &g->props[p].ballots[k];
    if (final_at < b->final_at) b->final_at = final_at;
}

/* The first epoch boundary strictly after t. */
static sim_time next_epoch(const gov *g, sim_time t) {
    return (t / g->cfg.epoch + 1) * g->cfg.epoch;
}

static void on_close(sim *s, void *target, uint64_t data) {
    (void)s;
    gov *g = target;
    gov_prop *pr = &g->props[data];
    gov_proposal_info *in = &pr->info;
    gov_tally(pr->ballots, pr->n_ballots, in->closes, in->eligible_weight, g->cfg.quorum,
              g->cfg.threshold, &in->r);
    if (g->cfg.voting == GOV_QUADRATIC) {
        /* Quorum counts members who took part (each has the same budget), not votes bought;
         * the verdict is on the votes. */
        gov_ballot *unit = malloc((pr->n_ballots ? pr->n_ballots : 1) * sizeof *unit);
        if (!unit) {
            g->error = 1;
            return;
        }
        for (size_t k = 0; k < pr->n_ballots; k++) {
            unit[k] = pr->ballots[k];
            unit[k].weight = 1;
        }
        gov_result ur, wr;
        gov_tally(unit, pr->n_ballots, in->closes, in->eligible_weight, g->cfg.quorum, 0, &ur);
        gov_tally(pr->ballots, pr->n_ballots, in->closes, 0, 0, g->cfg.threshold, &wr);
        free(unit);
        in->r.quorum_met = ur.quorum_met;
        in->r.passed = ur.quorum_met && wr.passed;
    }
    in->decided = true;
    if (in->r.passed) {
        sim_time at = next_epoch(g, in->closes + g->cfg.delay);
        in->applied_at = at <= g->end ? GOV_AWAITING_EPOCH : GOV_NOT_APPLIED;
    }
}

/* ---- epochs and members' own proposals ---------------------------------------------------- */

static size_t open_count(const gov *g, int rule, bool *rule_open) {
    size_t n = 0;
    *rule_open = false;
    /* A change passed but not yet applied still blocks another proposal on its rule. */
    for (size_t i = 0; i < g->n_props; i++)
        if (!g->props[i].info.decided || g->props[i].info.applied_at == GOV_AWAITING_EPOCH) {
            n++;
            if (g->props[i].info.rule == rule) *rule_open = true;
        }
    return n;
}

/* A member whose trip pay per online hour over the window fell below the aspiration raises
 * the change that would help it most (a commission cut, or a dividend basis), if it holds the
 * proposal threshold and that rule has nothing open. At most one new proposal per epoch. */
static void raise_proposals(gov *g) {
    bool any_open;
    if ((int64_t)open_count(g, -1, &any_open) >= g->cfg.max_open) return;
    gov_view *v = build_views(g);
    int64_t *w = malloc((g->n_mem ? g->n_mem : 1) * sizeof *w);
    uint32_t *cand = malloc((g->n_drv ? g->n_drv : 1) * sizeof *cand);
    if (!v || !w || !cand) {
        g->error = 1;
        goto out;
    }
    gov_current_weights(g, w);
    double total = 0;
    for (size_t m = 0; m < g->n_mem; m++)
        if (w[m] > 0) total += (double)w[m];
    size_t n = 0;
    const plat_config *c = plat_get_config(g->p);
    for (size_t d = 0; d < g->n_drv; d++) {
        if (!v[d].driver || w[d] <= 0 || v[d].hours < 1.0) continue;
        if ((double)w[d] < g->cfg.proposal_threshold * total) continue;
        double pay = (1.0 - c->commission) * v[d].fares * (c->surge ? 1 + g->cfg.surge_gain : 1);
        if (pay / v[d].hours < (double)g->cfg.aspiration) cand[n++] = (uint32_t)d;
    }
    if (n == 0) goto out;
    uint32_t who = cand[gsl_rng_uniform_int(g->r_raise, n)];
    /* Its best change among the candidates, by its own perceived gain. */
    int best_rule = -1;
    double best_v = 0, best_gain = 0;
    double cut = c->commission - g->cfg.commission_step;
    if (cut < g->cfg.commission_min) cut = g->cfg.commission_min;
    if (cut < c->commission - 1e-9) {
        plat_config x = *c;
        x.commission = cut;
        double gain = perceived(g, &v[who], c, &x, 0);
        if (gain > best_gain) best_gain = gain, best_rule = GOV_R_COMMISSION, best_v = cut;
    }
    for (int b = 0; b < 3; b++) {
        if (b == c->dividend_basis) continue;
        plat_config x = *c;
        x.dividend_basis = b;
        double gain = perceived(g, &v[who], c, &x, 0);
        if (gain > best_gain) best_gain = gain, best_rule = GOV_R_DIVIDEND_BASIS, best_v = b;
    }
    bool rule_open;
    if (best_rule < 0) goto out;
    open_count(g, best_rule, &rule_open);
    if (rule_open) goto out;
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

static void on_epoch(sim *s, void *target, uint64_t data) {
    gov *g = target;
    sim_time now = sim_now(s);
    g->epoch_no = (int64_t)data;
    /* Changes whose epoch has come apply first, in the order they were proposed. */
    for (size_t i = 0; i < g->n_props; i++) {
        gov_prop *pr = &g->props[i];
        if (pr->info.applied_at == GOV_AWAITING_EPOCH &&
            next_epoch(g, pr->info.closes + g->cfg.delay) <= now)
            apply(g, pr, now);
    }
    read_activity(g, now);
    push_history(g);
    record_rules(g, now);
    if (g->cfg.raise) raise_proposals(g);
    sim_time next = now + g->cfg.epoch;
    if (next <= g->end) sim_schedule(s, next, on_epoch, g, data + 1);
}

static void on_scheduled(sim *s, void *target, uint64_t data) {
    (void)s;
    gov *g = target;
    const gov_scheduled *sch = (const gov_scheduled *)g->cfg.proposals.items + data;
    char msg[200];
    if (gov_propose(g, sch->rule, sch->to, -1, msg, sizeof msg) < 0) g->error = 1;
}

void gov_start(gov *g, sim *s, sim_time end) {
    g->s = s;
    g->end = end;
    read_activity(g, sim_now(s));
    push_history(g);
    record_rules(g, sim_now(s));
    const gov_scheduled *sch = g->cfg.proposals.items;
    for (size_t i = 0; i < g->cfg.proposals.n; i++)
        if (sch[i].at <= end) sim_schedule(s, sch[i].at, on_scheduled, g, i);
    sim_time first = next_epoch(g, sim_now(s));
    if (first <= end) sim_schedule(s, first, on_epoch, g, 1);
}

void gov_finish(gov *g, sim_time now) {
    read_activity(g, now);
    for (size_t i = 0; i < g->n_props; i++)
        if (g->props[i].info.applied_at == GOV_AWAITING_EPOCH)
            g->props[i].info.applied_at = GOV_NOT_APPLIED;
}
