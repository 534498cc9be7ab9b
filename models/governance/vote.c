/* Voting on one proposal: each member's view of its recent window, its perceived payoff from
 * the change (or from each option of a ballot), its turnout and choice, ballots cast within
 * the window (as chain transactions when a submit hook is set), and the count at the close. */
#include "models/governance/gov_internal.h"
#include "models/platform/platform.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A full-time driver: online at least 30 hours a week (the US full-time threshold, 26 U.S.C.
 * 4980H(c)(4)), pro rata over the window. */
#define GOV_FULL_TIME_HOURS_PER_DAY (30.0 / 7.0)

typedef struct gov_books_window {
    double costs, principal, var_f, var_o, cov_fo;
} gov_books_window;

/* The co-op's books over the window (t0, now]: the day rows that closed in it give the costs
 * per day (every item but acquisition, chain fees, interest) and principal repaid, scaled to
 * the window's length, and the day-to-day variances of fares and of those outflows. Before the
 * first day closes, the costs are the rules' own (per trip and per day) and nothing varies. */
static void books_window(const gov *g, sim_time t0, double days, double trips,
                         gov_books_window *out) {
    memset(out, 0, sizeof *out);
    size_t n = 0, nd = plat_n_days(g->p);
    double sf = 0, so = 0, sff = 0, soo = 0, sfo = 0, sc = 0, sp = 0;
    for (size_t i = nd; i-- > 0;) {
        const plat_day *d = plat_get_day(g->p, i);
        if (d->end > g->cur_t) continue;
        if (d->end <= t0) break;
        /* Admissions are one-offs (entry fees in, acquisition out): already in the cash,
         * not a flow that recurs under the rules. */
        double cost = (double)d->interest;
        for (int k = 0; k < PLAT_COST_N; k++)
            if (k != PLAT_COST_ACQUISITION) cost += (double)d->costs[k];
        double f = (double)d->gross_bookings;
        double o = cost + (double)d->principal_repaid;
        sc += cost;
        sp += (double)d->principal_repaid;
        sf += f, so += o, sff += f * f, soo += o * o, sfo += f * o;
        n++;
    }
    if (n == 0) {
        const plat_config *c = plat_get_config(g->p);
        out->costs = (double)c->cost_per_trip * trips + (double)c->fixed_cost_per_day * days;
        return;
    }
    double dn = (double)n;
    out->costs = sc / dn * days;
    out->principal = sp / dn * days;
    if (n < 2) return;
    out->var_f = (sff - sf * sf / dn) / (dn - 1);
    out->var_o = (soo - so * so / dn) / (dn - 1);
    out->cov_fo = (sfo - sf * so / dn) / (dn - 1);
    if (out->var_f < 0) out->var_f = 0;
    if (out->var_o < 0) out->var_o = 0;
}

/* Each member's view of the window: its activity since the oldest boundary kept, and the
 * co-op's totals over the same window in every entry. */
gov_view *gov_build_views(const gov *g) {
    gov_view *v = calloc(g->n_mem ? g->n_mem : 1, sizeof *v);
    if (!v) return NULL;
    const plat_config *c = plat_get_config(g->p);
    double keep = 1.0 - c->commission;
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
        v[i].rider = gov_is_rider(g, i);
        if (gov_eligible(g, i)) tok_all += v[i].tokens;
    }
    double days = (double)(g->cur_t - t0) / (double)SIM_DAY;
    gov_books_window bw;
    books_window(g, t0, days, t_all, &bw);
    plat_totals tot;
    plat_get_totals(g->p, &tot);
    double h = (double)g->cfg.horizon / (double)SIM_DAY;
    double h_occ = g->cfg.occasional_horizon > 0 ? (double)g->cfg.occasional_horizon / SIM_DAY : h;
    for (size_t i = 0; i < g->n_mem; i++) {
        bool occasional = i < g->n_drv && g->tok0[i] == 0 && v[i].driver &&
                          !(days > 0 && v[i].hours >= GOV_FULL_TIME_HOURS_PER_DAY * days);
        v[i].days = days;
        v[i].reserve = (double)tot.reserve;
        v[i].cash = (double)tot.cash;
        v[i].credit_limit = (double)c->credit_limit;
        v[i].principal = bw.principal;
        v[i].var_f = bw.var_f;
        v[i].var_o = bw.var_o;
        v[i].cov_fo = bw.cov_fo;
        v[i].all = v;
        v[i].n_all = g->n_mem;
        v[i].horizon = occasional ? h_occ : h;
        v[i].h_all = h_all;
        v[i].t_all = t_all;
        v[i].f_all = f_all;
        v[i].tok_all = tok_all;
        v[i].members = members;
        v[i].riders = (double)g->n_rid;
        v[i].costs = bw.costs;
    }
    return v;
}

double gov_perceived(const gov *g, const gov_view *v, const plat_config *old,
                     const plat_config *neu, double payout, double *delta) {
    double a = gov_value(v, old, &g->cfg, 0), b = gov_value(v, neu, &g->cfg, payout);
    double base = fabs(a) > 100.0 ? fabs(a) : 100.0;
    if (delta) *delta = b - a;
    return (b - a) / base;
}

static int member_class(const gov *g, const gov_view *v, size_t m) {
    if (gov_is_rider(g, m)) return GOV_C_RIDER;
    if (m >= g->n_drv) return GOV_C_BACKER;
    if (g->tok0[m] > 0) return GOV_C_FOUNDER;
    sim_time t0 = g->hist_len ? g->hist_t[g->hist_head] : 0;
    double days = (double)(g->cur_t - t0) / (double)SIM_DAY;
    return v[m].hours >= GOV_FULL_TIME_HOURS_PER_DAY * days && days > 0 ? GOV_C_FULL_TIME
                                                                        : GOV_C_OCCASIONAL;
}

/* A member's ballot among options: options in its order of preference by perceived change
 * (noise included; ties in the order listed), approving those above its mean (sincere
 * approval); it abstains when all lie within `indifference` of each other. Returns the top
 * option. */
static int rank_options(const gov *g, const double *x, size_t n, gov_ballot *b, gov_rank *out) {
    gov_rank r;
    memset(&r, 0, sizeof r);
    double lo = x[0], hi = x[0], mean = 0;
    for (size_t k = 0; k < n && k < GOV_MAX_OPTIONS; k++) {
        lo = x[k] < lo ? x[k] : lo;
        hi = x[k] > hi ? x[k] : hi;
        mean += x[k] / (double)n;
        r.order[k] = (uint8_t)k;
    }
    for (size_t i = 1; i < n && i < GOV_MAX_OPTIONS; i++) /* insertion sort: stable */
        for (size_t j = i; j > 0 && x[r.order[j]] > x[r.order[j - 1]]; j--) {
            uint8_t t = r.order[j];
            r.order[j] = r.order[j - 1];
            r.order[j - 1] = t;
        }
    for (size_t k = 0; k < n && k < GOV_MAX_OPTIONS; k++)
        if (x[k] > mean) r.approve |= 1u << k;
    b->choice = hi - lo > g->cfg.indifference ? GOV_FOR : GOV_ABSTAIN;
    *out = r;
    return r.order[0];
}

/* Whether the member turns out, with its uniform draw u: with probability `turnout`
 * (turnout_model fixed), or informed * stake / (stake + cost of voting) (stake), where the
 * stake is what it perceives the vote can change for it in money. */
static bool turns_out(const gov *g, double stake, double u, gov_vrec *rec) {
    double p = g->cfg.turnout;
    if (g->cfg.turnout_model == GOV_TURNOUT_STAKE) {
        double cost = (double)g->cfg.vote_cost;
        p = stake > 0.0 ? g->cfg.informed * stake / (stake + cost) : 0.0;
    }
    rec->p_vote = p;
    return u < p;
}

/* The member's decision: fills its ballot (and ranking) and its record. u, eps: its turnout
 * and noise draws. */
static bool decide(gov *g, gov_prop *pr, const gov_view *v, size_t m, const plat_config *old,
                   double u, double eps, gov_ballot *b, gov_rank *rk, gov_vrec *rec) {
    const gov_proposal_info *in = &pr->info;
    if (in->n_options >= 2) {
        double x[GOV_MAX_OPTIONS], rel[GOV_MAX_OPTIONS], dl[GOV_MAX_OPTIONS];
        int top = 0;
        double lo = 0, hi = 0;
        for (int k = 0; k < in->n_options; k++) {
            double payout;
            plat_config neu = gov_changed(old, in->rule, in->options[k], &payout);
            rel[k] = gov_perceived(g, &v[m], old, &neu, payout, &dl[k]);
            double e = g->cfg.noise > 0 ? gsl_ran_gaussian(g->r_options, g->cfg.noise) : 0.0;
            x[k] = rel[k] + e;
            if (x[k] > x[top]) top = k;
            lo = k == 0 || dl[k] < lo ? dl[k] : lo;
            hi = k == 0 || dl[k] > hi ? dl[k] : hi;
        }
        rec->delta = dl[top];
        rec->rel = rel[top];
        rec->x = x[top];
        /* The stake of a ballot among options: how far apart its best and worst lie. */
        rec->voted = turns_out(g, hi - lo, u, rec);
        if (!rec->voted || !rk) return false;
        rank_options(g, x, (size_t)in->n_options, b, rk);
        b->weight = g->cfg.voting == GOV_QUADRATIC ? 1 : b->weight;
        return true;
    }
    double payout;
    plat_config neu = gov_changed(old, in->rule, in->to, &payout);
    rec->rel = gov_perceived(g, &v[m], old, &neu, payout, &rec->delta);
    rec->x = rec->rel + eps;
    rec->voted = turns_out(g, fabs(rec->delta), u, rec);
    if (!rec->voted) return false;
    double x = rec->x;
    b->choice = x > g->cfg.indifference    ? GOV_FOR
                : x < -g->cfg.indifference ? GOV_AGAINST
                                           : GOV_ABSTAIN;
    if (g->cfg.voting == GOV_QUADRATIC) {
        int64_t qv_max = gov_quadratic_max_votes(g->cfg.credits);
        int64_t k = b->choice == GOV_ABSTAIN ? 0 : (int64_t)ceil(fabs(x) / g->cfg.vote_unit);
        if (b->choice != GOV_ABSTAIN && k < 1) k = 1;
        b->weight = k < qv_max ? k : qv_max;
    }
    return true;
}

static void on_close(sim *s, void *target, uint64_t data);
static void on_cast(sim *s, void *target, uint64_t data);

/* The survival outlook every member shares (the co-op's books), over the scenario's horizon,
 * under the rules in force and under each option; without a horizon, the runway alone. */
static void record_outlook(const gov *g, gov_prop *pr, const gov_view *v, const plat_config *old) {
    if (g->n_mem == 0) return;
    bool ahead = g->cfg.horizon > 0;
    gov_view x = v[0];
    x.horizon = (double)g->cfg.horizon / (double)SIM_DAY;
    gov_proposal_info *in = &pr->info;
    gov_outlook o;
    gov_outlook_of(&x, old, &g->cfg, 0, &o);
    in->runway_from = o.runway;
    in->risk_from = ahead ? o.risk : NAN;
    int n = in->n_options >= 2 ? in->n_options : 1;
    for (int k = 0; k < n && k < GOV_MAX_OPTIONS; k++) {
        double payout;
        plat_config neu = gov_changed(old, in->rule, n > 1 ? in->options[k] : in->to, &payout);
        gov_outlook_of(&x, &neu, &g->cfg, payout, &o);
        in->runway_to[k] = o.runway;
        in->risk_to[k] = ahead ? o.risk : NAN;
    }
}

void gov_on_open(sim *s, void *target, uint64_t data) {
    gov *g = target;
    gov_prop *pr = &g->props[data];
    sim_time now = sim_now(s);
    gov_read_activity(g, now);
    gov_view *v = gov_build_views(g);
    size_t nm = g->n_mem ? g->n_mem : 1;
    int64_t *w = malloc(nm * sizeof *w), *root = malloc(nm * sizeof *root),
            *power = malloc(nm * sizeof *power);
    pr->ballots = malloc(nm * sizeof *pr->ballots);
    pr->voters = malloc(nm * sizeof *pr->voters);
    pr->recs = malloc(nm * sizeof *pr->recs);
    if (pr->info.n_options >= 2) pr->ranks = calloc(nm, sizeof *pr->ranks);
    bool ok = v && w && root && power && pr->ballots && pr->voters && pr->recs &&
              (pr->info.n_options < 2 || pr->ranks);
    if (ok) {
        gov_current_weights(g, w);
        /* Delegations as they stand now; quadratic votes are bought by each member alone. */
        if (g->cfg.voting == GOV_QUADRATIC) {
            for (size_t m = 0; m < g->n_mem; m++)
                root[m] = (int64_t)m, power[m] = w[m];
        } else {
            ok = gov_delegated_power(g, w, root, power) == 0;
        }
    }
    if (!ok) {
        g->error = 1;
        free(v);
        free(w);
        free(root);
        free(power);
        return;
    }
    const plat_config *old = plat_get_config(g->p);
    record_outlook(g, pr, v, old);
    for (size_t m = 0; m < g->n_mem; m++) {
        if (w[m] < 0) continue;
        pr->info.eligible++;
        pr->info.eligible_weight += g->cfg.voting == GOV_QUADRATIC ? 1 : w[m];
        /* Draws in member order from their own streams: a change in one member's choice
         * never shifts another's numbers. */
        double u = gsl_rng_uniform(g->r_turnout);
        double eps = g->cfg.noise > 0 ? gsl_ran_gaussian(g->r_noise, g->cfg.noise) : 0.0;
        double when = gsl_rng_uniform(g->r_time);
        gov_vrec *rec = &pr->recs[pr->n_recs++];
        memset(rec, 0, sizeof *rec);
        rec->member = (uint32_t)m;
        rec->cls = (uint8_t)member_class(g, v, m);
        rec->ballot = -1;
        rec->delegate = root[m] != (int64_t)m ? root[m] : -1;
        rec->weight = power[m];
        gov_ballot *b = &pr->ballots[pr->n_ballots];
        b->weight = power[m]; /* its own weight and what is delegated to it */
        gov_rank *rk = pr->ranks ? &pr->ranks[pr->n_ballots] : NULL;
        bool votes = decide(g, pr, v, m, old, u, eps, b, rk, rec);
        if (rec->delegate >= 0) {
            rec->voted = false; /* its delegate votes for it */
            continue;
        }
        if (!votes) continue;
        rec->ballot = (int)pr->n_ballots;
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
    pr->cap_ballots = nm;
    gov_run_attack(g, pr);
    free(v);
    free(w);
    free(root);
    free(power);
    sim_schedule(s, pr->info.closes, on_close, g, data);
}

static void on_cast(sim *s, void *target, uint64_t data) {
    (void)s;
    gov *g = target;
    gov_prop *pr = &g->props[data >> 32];
    size_t k = (size_t)(data & 0xffffffffu);
    const gov_ballot *b = &pr->ballots[k];
    /* A ballot among options carries its first choice (16 + option) in the memo. */
    int choice =
        pr->ranks ? (b->choice == GOV_FOR ? 16 + pr->ranks[k].order[0] : GOV_ABSTAIN) : b->choice;
    if (g->submit(g->submit_ctx, pr->voters[k], pr->info.id, choice, b->weight, data) == 0)
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

/* A ballot among options: the winner, if any, becomes the proposal's `to`; votes_for counts
 * the members who chose, votes_abstain those who did not. */
static void options_verdict(const gov *g, gov_prop *pr) {
    gov_proposal_info *in = &pr->info;
    gov_tally_options(pr->ballots, pr->ranks, pr->n_ballots, (size_t)in->n_options, in->method,
                      in->closes, in->eligible_weight, g->cfg.quorum, &in->m);
    memset(&in->r, 0, sizeof in->r);
    in->r.n_for = in->m.n_voted;
    in->r.w_for = in->m.w_voted;
    in->r.n_abstain = in->m.n_abstain;
    in->r.w_abstain = in->m.w_abstain;
    in->r.n_late = in->m.n_late;
    in->r.quorum_met = in->m.quorum_met;
    in->r.passed = in->m.winner >= 0;
    if (in->m.winner >= 0) in->to = in->options[in->m.winner];
}

/* What would have overturned a yes/no vote (gov_bribe_to_flip, gov_sybils_to_flip): members
 * are offered what they perceive losing; fakes carry one member's weight (quadratic: the most
 * votes a budget buys; token voting: none). The quorum is left out under quadratic voting. */
static void attack_measures(gov *g, gov_prop *pr) {
    gov_proposal_info *in = &pr->info;
    in->flip_bribe = NAN;
    in->flip_bribed = in->flip_sybils = -1;
    gov_stake *st = malloc((pr->n_recs ? pr->n_recs : 1) * sizeof *st);
    if (!st) {
        g->error = 1;
        return;
    }
    size_t n = 0;
    for (size_t k = 0; k < pr->n_recs; k++) {
        const gov_vrec *r = &pr->recs[k];
        if (r->delegate >= 0) continue; /* its delegate's ballot carries it */
        const gov_ballot *b = r->ballot >= 0 ? &pr->ballots[r->ballot] : NULL;
        bool counted = b && b->final_at <= in->closes;
        st[n].choice = counted ? b->choice : -1;
        st[n].weight = b ? b->weight : r->weight;
        st[n].stake = r->delta;
        n++;
    }
    bool quad = g->cfg.voting == GOV_QUADRATIC;
    double qw = quad ? 0 : ceil(g->cfg.quorum * (double)in->eligible_weight);
    int64_t bribed;
    in->flip_bribe = gov_bribe_to_flip(st, n, in->r.passed, g->cfg.threshold, (int64_t)qw,
                                       (double)g->cfg.vote_cost, &bribed);
    in->flip_bribed = bribed;
    free(st);
    int64_t one = g->n_rid > 0 ? GOV_CLASS_SCALE : 1;
    int64_t per = g->cfg.voting == GOV_TOKEN ? 0
                  : quad                     ? gov_quadratic_max_votes(g->cfg.credits)
                                             : one;
    int64_t took = in->r.w_for + in->r.w_against + in->r.w_abstain;
    in->flip_sybils = gov_sybils_to_flip(in->r.w_for, in->r.w_against, took, in->r.passed,
                                         g->cfg.threshold, (int64_t)qw, per);
}

/* The proposer's deposit, when the vote closes: refunded with the quorum met and at least
 * deposit.min_support of for + against for it (a ballot among options: a winner), forfeited to
 * the co-op otherwise. */
static void settle_deposit(gov *g, gov_proposal_info *in) {
    if (in->proposer >= 0) g->member_decided++;
    if (in->deposit_state != GOV_DEPOSIT_HELD) return;
    bool keep;
    if (in->n_options >= 2) {
        keep = in->m.winner >= 0;
    } else {
        int64_t cast = in->r.w_for + in->r.w_against;
        keep = in->r.quorum_met && cast > 0 &&
               (double)in->r.w_for >= g->cfg.deposit_support * (double)cast;
    }
    g->dep.held -= in->deposit;
    if (keep) {
        g->dep.refunded += in->deposit;
        in->deposit_state = GOV_DEPOSIT_REFUNDED;
        return;
    }
    g->dep.forfeited += in->deposit;
    g->member_forfeited++;
    in->deposit_state = GOV_DEPOSIT_FORFEITED;
    plat_receive_forfeit(g->p, in->proposer < (int64_t)g->n_drv ? in->proposer : -1, in->deposit);
}

static void on_close(sim *s, void *target, uint64_t data) {
    (void)s;
    gov *g = target;
    gov_prop *pr = &g->props[data];
    gov_proposal_info *in = &pr->info;
    if (in->n_options >= 2) {
        options_verdict(g, pr);
    } else {
        /* Quorum under quadratic voting counts members who took part (each has the same
         * budget), not votes bought; the verdict is on the votes. */
        gov_yes_no(g, pr->ballots, pr->n_ballots, in->closes, in->eligible_weight, &in->r);
        gov_attack_close(g, pr);
        attack_measures(g, pr);
    }
    in->decided = true;
    settle_deposit(g, in);
    if (in->r.passed) {
        sim_time at = gov_next_epoch(g, in->closes + g->cfg.delay);
        in->due_at = at;
        in->applied_at = at <= g->end ? GOV_AWAITING_EPOCH : GOV_NOT_APPLIED;
        if (in->rule == GOV_R_PAYOUT) pr->payout = in->to;
    }
}
