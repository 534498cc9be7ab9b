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
        free(g->props[i].ranks);
        free(g->props[i].recs);
        free(g->props[i].honest);
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
    if (g->r_options) gsl_rng_free(g->r_options);
    if (g->r_delegate) gsl_rng_free(g->r_delegate);
    free(g->deleg);
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
        size_t n_opt = sch[i].options.n;
        bool has_to = sch[i].to && sch[i].to[0];
        snprintf(key, sizeof key, "proposals[%zu]", i);
        if (has_to == (n_opt > 0))
            return sc_fail_at(w, at, key, err, errlen,
                              "give either `to` (a yes/no change) or `options` (a ballot among 2 "
                              "to %d values), not %s",
                              GOV_MAX_OPTIONS, has_to ? "both" : "neither");
        snprintf(key, sizeof key, "proposals[%zu].options", i);
        if (n_opt == 1)
            return sc_fail_at(w, at, key, err, errlen,
                              "a ballot needs at least 2 options (for one value, use `to`)");
        if (n_opt > 0 && sch[i].rule == GOV_R_PAYOUT)
            return sc_fail_at(w, at, key, err, errlen, "a payout is voted yes or no: use `to`");
        for (size_t k = 0; k < n_opt; k++)
            if (gov_parse_value(sch[i].rule, sch[i].options.v[k], &v, msg, sizeof msg) != 0) {
                snprintf(key, sizeof key, "proposals[%zu].options[%zu]", i, k);
                return sc_fail_at(w, at, key, err, errlen, "%s", msg);
            }
        if (has_to && gov_parse_value(sch[i].rule, sch[i].to, &v, msg, sizeof msg) != 0) {
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
    g->deleg = malloc(nm * sizeof *g->deleg);
    if (!g->tok0 || !g->tokens || !g->hist || !g->hist_t || !g->cur || !g->deleg) goto nomem;
    for (size_t m = 0; m < nm; m++)
        g->deleg[m] = -1;
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
    g->r_options = stream(g, seed, replication, "option_noise");
    g->r_delegate = stream(g, seed, replication, "delegate");
    if (!g->r_turnout || !g->r_noise || !g->r_time || !g->r_raise || !g->r_options ||
        !g->r_delegate)
        goto nomem;
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

bool gov_eligible(const gov *g, size_t m) {
    return m >= g->n_drv || g->cur[m].member;
}

bool gov_is_rider(const gov *g, size_t m) {
    return m >= g->n_drv + g->n_back;
}

void gov_current_weights(const gov *g, int64_t *w) {
    int64_t qv = gov_quadratic_max_votes(g->cfg.credits);
    /* With rider members, one member one vote counts in thousandths so that the riders'
     * seat cap can give each rider a fraction of a vote. */
    int64_t one = g->n_rid > 0 ? GOV_CLASS_SCALE : 1;
    for (size_t m = 0; m < g->n_mem; m++) {
        if (!gov_eligible(g, m))
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

const char *gov_proposal_status(const gov_proposal_info *p, sim_time now) {
    if (!p->decided) return now < p->opens ? "under_review" : "voting";
    if (!p->r.passed) return "failed";
    return p->applied_at >= 0 ? "applied" : "passed_pending";
}

/* ---- activity, tokens, rules -------------------------------------------------------------- */

/* Reads every driver's cumulative activity and refreshes token balances. */
void gov_read_activity(gov *g, sim_time now) {
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

void *gov_grow(void *a, size_t *cap, size_t need, size_t elem) {
    return sim_grow(&a, cap, need, elem, 16) == SIM_OK ? a : NULL;
}

static void record_rules(gov *g, sim_time now) {
    gov_rules_row *r = gov_grow(g->rules, &g->cap_rules, g->n_rules + 1, sizeof *r);
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

double gov_rule_value(const plat_config *c, int rule) {
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
plat_config gov_changed(const plat_config *cur, int rule, double v, double *payout) {
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
    plat_config c = gov_changed(plat_get_config(g->p), pr->info.rule, pr->info.to, &payout);
    if (pr->info.rule == GOV_R_PAYOUT)
        plat_pay_members(g->p, (int64_t)payout, now);
    else
        plat_set_rules(g->p, &c);
    pr->info.applied_at = now;
}

/* The first epoch boundary strictly after t. */
sim_time gov_next_epoch(const gov *g, sim_time t) {
    return (t / g->cfg.epoch + 1) * g->cfg.epoch;
}

/* ---- epochs ------------------------------------------------------------------------------- */

static void on_epoch(sim *s, void *target, uint64_t data) {
    gov *g = target;
    sim_time now = sim_now(s);
    g->epoch_no = (int64_t)data;
    /* Changes whose epoch has come apply first, in the order they were proposed. */
    for (size_t i = 0; i < g->n_props; i++) {
        gov_prop *pr = &g->props[i];
        if (pr->info.applied_at == GOV_AWAITING_EPOCH &&
            gov_next_epoch(g, pr->info.closes + g->cfg.delay) <= now)
            apply(g, pr, now);
    }
    gov_read_activity(g, now);
    push_history(g);
    record_rules(g, now);
    if (g->cfg.raise) gov_raise_proposals(g);
    gov_delegation_epoch(g);
    sim_time next = now + g->cfg.epoch;
    if (next <= g->end) sim_schedule(s, next, on_epoch, g, data + 1);
}

void gov_start(gov *g, sim *s, sim_time end) {
    g->s = s;
    g->end = end;
    gov_read_activity(g, sim_now(s));
    push_history(g);
    record_rules(g, sim_now(s));
    gov_schedule_proposals(g);
    gov_delegation_start(g);
    sim_time first = gov_next_epoch(g, sim_now(s));
    if (first <= end) sim_schedule(s, first, on_epoch, g, 1);
}

void gov_deposit_totals(const gov *g, gov_deposits *out) {
    *out = g->dep;
}

void gov_finish(gov *g, sim_time now) {
    gov_read_activity(g, now);
    for (size_t i = 0; i < g->n_props; i++)
        if (g->props[i].info.applied_at == GOV_AWAITING_EPOCH)
            g->props[i].info.applied_at = GOV_NOT_APPLIED;
}
