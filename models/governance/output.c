/* What governance reports: governance.csv (one row per proposal), rules.csv (the rules at each
 * epoch boundary) and the `governance` object of a platform's summary. Fixed number formats
 * so that outputs are byte-stable. */
#include "models/governance/gov_internal.h"
#include "models/schema/schema.h"
#include "sim/output.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A key of the `governance` object, as the schema names it. */
#define GOV_KEY(k) sch_name(&schema_governance, (k))

__extension__ typedef unsigned __int128 wide_sum;

static const char *const voting_names[] = {"one_member", "token", "quadratic"};
static const char *const basis_names[] = {"hours", "trips", "revenue"};

static double secs(sim_time t) {
    return (double)t / (double)SIM_SEC;
}

static const char *const method_names[] = {"plurality", "ranked", "approval"};

/* options, method, option_weights (first choices; approval: approvals), rounds: empty for a
 * yes/no proposal. */
static void write_options(FILE *f, const gov_proposal_info *p) {
    if (p->n_options < 2) {
        fputs(",,,", f);
        fputc(',', f);
        return;
    }
    char buf[GOV_MAX_OPTIONS * 24] = "", one[32];
    size_t used = 0;
    for (int k = 0; k < p->n_options && k < GOV_MAX_OPTIONS; k++) {
        gov_format_value(p->rule, p->options[k], one, sizeof one);
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", k ? "|" : "", one);
        if (used >= sizeof buf) break;
    }
    fputc(',', f);
    out_csv_field(f, buf);
    fprintf(f, ",%s,", method_names[p->method % 3]);
    for (int k = 0; p->decided && k < p->n_options && k < GOV_MAX_OPTIONS; k++)
        fprintf(f, "%s%" PRId64, k ? "|" : "", p->m.first[k]);
    fputc(',', f);
    if (p->decided && p->method == GOV_RANKED) fprintf(f, "%d", p->m.rounds);
}

/* bribe_to_flip (currency units; "inf" when no bribes could), bribed_to_flip, sybils_to_flip
 * and sybil_cost (fakes admitted at the entry fee): empty when not computed. */
static void write_attack(FILE *f, const gov *g, const gov_proposal_info *p) {
    fputc(',', f);
    if (isinf(p->flip_bribe))
        fputs("inf", f);
    else if (!isnan(p->flip_bribe))
        fprintf(f, "%.2f", p->flip_bribe / 100.0);
    fputc(',', f);
    if (!isnan(p->flip_bribe) && p->flip_bribed >= 0) fprintf(f, "%" PRId64, p->flip_bribed);
    fputc(',', f);
    if (p->flip_sybils >= 0) fprintf(f, "%" PRId64, p->flip_sybils);
    fputc(',', f);
    if (p->flip_sybils >= 0) {
        int64_t fee = plat_get_config(g->p)->entry_fee, c = p->flip_sybils * fee;
        fprintf(f, "%" PRId64 ".%02" PRId64, c / 100, c % 100);
    }
}

static void write_days(FILE *f, double d) {
    fputc(',', f);
    if (isinf(d))
        fputs("inf", f);
    else if (!isnan(d))
        fprintf(f, "%.1f", d);
}

/* runway_from_days, runway_to_days, insolvency_risk_from, insolvency_risk_to. */
static void write_outlook(FILE *f, const gov_proposal_info *p) {
    int k = 0;
    if (p->n_options >= 2) k = p->decided && p->m.winner >= 0 ? p->m.winner : -1;
    write_days(f, p->runway_from);
    write_days(f, k >= 0 ? p->runway_to[k] : NAN);
    fputc(',', f);
    if (!isnan(p->risk_from)) fprintf(f, "%.4f", p->risk_from);
    fputc(',', f);
    if (k >= 0 && !isnan(p->risk_to[k])) fprintf(f, "%.4f", p->risk_to[k]);
}

static void put_cents(FILE *f, double c) {
    fputc(',', f);
    if (isfinite(c)) fprintf(f, "%.2f", c / 100.0);
}

static const char *const deposit_names[] = {"", "held", "refunded", "forfeited"};
static const char *const attack_names[] = {"", "bribe", "sybil"};

/* deposit, deposit_outcome, attack, attack_spent, attack_bribed, attack_sybils,
 * passed_without_attack, attack_gain. */
static void write_deposit_attack(FILE *f, const gov_proposal_info *p) {
    if (p->deposit > 0)
        put_cents(f, (double)p->deposit);
    else
        fputc(',', f);
    fprintf(f, ",%s,%s", deposit_names[p->deposit_state & 3], attack_names[p->attack % 3]);
    if (!p->attack) {
        fputs(",,,,,", f);
        return;
    }
    put_cents(f, p->attack_spent);
    fprintf(f, ",%" PRId64 ",%" PRId64 ",", p->attack_bribed, p->attack_sybils);
    if (p->decided) fprintf(f, "%d", p->passed_without);
    put_cents(f, p->attack_gain);
}

int gov_write_csv(const gov *g, uint64_t run, FILE *f, bool header) {
    if (header) sch_write_header(&schema_governance_csv, f);
    for (size_t i = 0; i < g->n_props; i++) {
        const gov_proposal_info *p = &g->props[i].info;
        char from[64], to[64], who[48];
        gov_format_value(p->rule, p->from, from, sizeof from);
        /* A ballot among options has no `to` until a winner is counted. */
        to[0] = '\0';
        if (!isnan(p->to)) gov_format_value(p->rule, p->to, to, sizeof to);
        if (p->proposer < 0)
            snprintf(who, sizeof who, "schedule");
        else if ((size_t)p->proposer < g->n_drv)
            snprintf(who, sizeof who, "driver %" PRId64, p->proposer);
        else if ((size_t)p->proposer < g->n_drv + g->n_back)
            snprintf(who, sizeof who, "backer %" PRId64, p->proposer - (int64_t)g->n_drv);
        else
            snprintf(who, sizeof who, "rider %" PRId64,
                     p->proposer - (int64_t)(g->n_drv + g->n_back));
        fprintf(f, "%" PRIu64 ",", run);
        out_csv_field(f, g->name);
        /* new_value in plain numbers for plots: shares as fractions, money in currency units. */
        double nv = p->to;
        if (p->rule == GOV_R_PAY_FLOOR || p->rule == GOV_R_ENTRY_FEE || p->rule == GOV_R_PAYOUT)
            nv /= 100.0;
        int64_t voters = p->r.n_for + p->r.n_against + p->r.n_abstain;
        fprintf(f, ",%u,%" PRId64 ",%.0f,%.0f,%.0f,%.0f,%s,", p->id, p->epoch, secs(p->closes),
                secs(p->raised), secs(p->opens), secs(p->closes), gov_rule_name(p->rule));
        out_csv_field(f, from);
        fputc(',', f);
        out_csv_field(f, to);
        fputc(',', f);
        if (!isnan(nv)) fprintf(f, "%.6g", nv);
        fprintf(f,
                ",%s,%s,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
                ",%" PRId64 ",%" PRId64 ",%" PRId64 ",",
                who, voting_names[g->cfg.voting % 3], p->eligible, p->r.n_for, p->r.n_against,
                p->r.n_abstain, p->r.n_late, p->r.w_for, p->r.w_against, p->r.w_abstain,
                p->eligible_weight);
        if (p->decided && p->eligible > 0) fprintf(f, "%.4f", (double)voters / (double)p->eligible);
        fprintf(f, ",%d,%d,", p->decided && p->r.quorum_met, p->decided && p->r.passed);
        if (p->applied_at >= 0) fprintf(f, "%.0f", secs(p->applied_at));
        /* A change passed late in the run has a due time after its end: shown, not applied. */
        fprintf(f, ",%s,", gov_proposal_status(p, g->cur_t));
        if (p->due_at >= 0) fprintf(f, "%.0f", secs(p->due_at));
        write_options(f, p);
        write_attack(f, g, p);
        write_outlook(f, p);
        write_deposit_attack(f, p);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

/* A ballot among options: the values in the member's order, and those it approves. */
static void write_ranking(FILE *f, const gov_proposal_info *p, const gov_rank *r) {
    char one[32];
    for (int k = 0; k < p->n_options && k < GOV_MAX_OPTIONS; k++) {
        gov_format_value(p->rule, p->options[r->order[k]], one, sizeof one);
        fprintf(f, "%s%s", k ? ">" : "", one);
    }
    fputc(',', f);
    for (int k = 0, n = 0; k < p->n_options && k < GOV_MAX_OPTIONS; k++)
        if (r->approve >> k & 1u) {
            gov_format_value(p->rule, p->options[k], one, sizeof one);
            fprintf(f, "%s%s", n++ ? "|" : "", one);
        }
}

static const char *const choice_names[] = {"abstain", "for", "against"};

int gov_write_votes_csv(const gov *g, uint64_t run, FILE *f, bool header) {
    if (header) sch_write_header(&schema_votes_csv, f);
    for (size_t i = 0; i < g->n_props; i++) {
        const gov_prop *pr = &g->props[i];
        const gov_proposal_info *p = &pr->info;
        for (size_t k = 0; k < pr->n_recs; k++) {
            const gov_vrec *v = &pr->recs[k];
            const gov_ballot *b = v->ballot >= 0 ? &pr->ballots[v->ballot] : NULL;
            fprintf(f, "%" PRIu64 ",", run);
            out_csv_field(f, g->name);
            fprintf(f, ",%u,%s,%u,%s,%d,", p->id, gov_rule_name(p->rule), v->member,
                    gov_class_name(v->cls), v->voted);
            if (b && pr->ranks) {
                char one[32];
                const gov_rank *r = &pr->ranks[v->ballot];
                if (b->choice == GOV_FOR)
                    gov_format_value(p->rule, p->options[r->order[0]], one, sizeof one);
                fprintf(f, "%s,", b->choice == GOV_FOR ? one : "abstain");
                write_ranking(f, p, r);
            } else {
                fprintf(f, "%s,,", b ? choice_names[b->choice % 3] : "");
            }
            /* The perceived change: cents over the window, written in currency units. */
            fprintf(f, ",%.2f,%.6f,%.6f,", v->delta / 100.0, v->rel, v->x);
            if (b) fprintf(f, "%" PRId64, b->weight);
            fputc(',', f);
            if (b && p->decided) fprintf(f, "%d", b->final_at <= p->closes);
            fprintf(f, ",%.4f,", v->p_vote);
            if (v->delegate >= 0) fprintf(f, "%" PRId64, v->delegate);
            fprintf(f, ",%d\n", v->bribed);
        }
    }
    return ferror(f) ? -1 : 0;
}

int gov_write_rules_csv(const gov *g, uint64_t run, FILE *f, bool header) {
    if (header) sch_write_header(&schema_rules_csv, f);
    for (size_t i = 0; i < g->n_rules; i++) {
        const gov_rules_row *r = &g->rules[i];
        fprintf(f, "%" PRIu64 ",", run);
        out_csv_field(f, g->name);
        fprintf(f,
                ",%" PRId64 ",%.0f,%.4f,%.6g,%.6g,%s,%" PRId64 ".%02" PRId64 ",%" PRId64 ",%" PRId64
                ".%02" PRId64 ",%d\n",
                r->epoch, secs(r->t), (double)r->t / (double)SIM_DAY, r->commission,
                r->reserve_share, basis_names[r->dividend_basis % 3], r->pay_floor / 100,
                r->pay_floor % 100, r->membership_cap, r->entry_fee / 100, r->entry_fee % 100,
                r->surge ? 1 : 0);
    }
    return ferror(f) ? -1 : 0;
}

/* Voting power with delegations resolved: how many delegate, its Gini index and Nakamoto
 * coefficient over eligible members, and the power and Banzhaf index of the three largest
 * holders. */
static void delegation_json(const gov *g, json_t *o) {
    size_t n = g->n_mem ? g->n_mem : 1, k = 0;
    int64_t *power = malloc(n * sizeof *power), *pw = malloc(n * sizeof *pw);
    size_t *idx = malloc(n * sizeof *idx);
    int64_t delegators = 0;
    if (power && pw && idx && gov_power(g, power) == 0) {
        for (size_t m = 0; m < g->n_mem; m++)
            if (power[m] >= 0) {
                idx[k] = k;
                pw[k++] = power[m];
                delegators += gov_delegate_of(g, m) >= 0;
            }
        /* The three largest, by a partial selection (ties: the lower member number). */
        for (size_t j = 0; j < k && j < 3; j++) {
            size_t best = j;
            for (size_t q = j + 1; q < k; q++)
                if (pw[idx[q]] > pw[idx[best]]) best = q;
            size_t t = idx[j];
            idx[j] = idx[best];
            idx[best] = t;
        }
        for (size_t j = 0; j < 3; j++) {
            double bz = j < k ? gov_banzhaf(pw, k, idx[j]) : NAN;
            json_object_set_new(o, GOV_KEY(SCH_GOV_POWER_1 + (int)j),
                                j < k ? json_integer((json_int_t)pw[idx[j]]) : json_null());
            json_object_set_new(o, GOV_KEY(SCH_GOV_BANZHAF_1 + (int)j),
                                isfinite(bz) ? json_real(bz) : json_null());
        }
    }
    double gini = k ? gov_power_gini(pw, k) : NAN;
    json_object_set_new(o, GOV_KEY(SCH_GOV_DELEGATORS), json_integer((json_int_t)delegators));
    json_object_set_new(o, GOV_KEY(SCH_GOV_DELEGATED_POWER_GINI),
                        isfinite(gini) ? json_real(gini) : json_null());
    json_object_set_new(o, GOV_KEY(SCH_GOV_DELEGATED_NAKAMOTO),
                        json_integer((json_int_t)(k ? gov_nakamoto(pw, k) : 0)));
    free(power);
    free(pw);
    free(idx);
}

json_t *gov_summary_json(const gov *g) {
    json_t *o = json_object();
    if (!o) return NULL;
    int64_t passed = 0, applied = 0, decided = 0, late = 0, pending = 0;
    double turnout = 0, turnout_w = 0;
    for (size_t i = 0; i < g->n_props; i++) {
        const gov_proposal_info *p = &g->props[i].info;
        late += p->r.n_late;
        if (!p->decided) continue;
        decided++;
        passed += p->r.passed;
        applied += p->applied_at >= 0;
        pending += p->r.passed && p->applied_at < 0;
        int64_t voters = p->r.n_for + p->r.n_against + p->r.n_abstain;
        turnout += p->eligible > 0 ? (double)voters / (double)p->eligible : 0.0;
        int64_t took = p->r.w_for + p->r.w_against + p->r.w_abstain;
        turnout_w += p->eligible_weight > 0 ? (double)took / (double)p->eligible_weight : 0.0;
    }
    size_t n = g->n_mem ? g->n_mem : 1, k = 0, kt = 0;
    int64_t *w = malloc(n * sizeof *w), *pw = malloc(n * sizeof *pw), *tw = malloc(n * sizeof *tw);
    wide_sum supply = 0; /* wide: the sum of int64 balances cannot wrap */
    if (w && pw && tw) {
        gov_current_weights(g, w);
        for (size_t m = 0; m < g->n_mem; m++) {
            if (w[m] >= 0) pw[k++] = w[m];
            if (w[m] >= 0) tw[kt++] = g->tokens[m];
            if (w[m] >= 0) supply += (wide_sum)(g->tokens[m] > 0 ? g->tokens[m] : 0);
        }
    }
    const plat_config *c = plat_get_config(g->p);
    json_object_set_new(o, GOV_KEY(SCH_GOV_VOTING), json_string(voting_names[g->cfg.voting % 3]));
    json_object_set_new(o, GOV_KEY(SCH_GOV_MEMBERS), json_integer((json_int_t)k));
    json_object_set_new(o, GOV_KEY(SCH_GOV_RIDER_MEMBERS), json_integer((json_int_t)g->n_rid));
    json_object_set_new(o, GOV_KEY(SCH_GOV_PROPOSALS), json_integer((json_int_t)g->n_props));
    json_object_set_new(o, GOV_KEY(SCH_GOV_DECIDED), json_integer((json_int_t)decided));
    json_object_set_new(o, GOV_KEY(SCH_GOV_PASSED), json_integer((json_int_t)passed));
    json_object_set_new(o, GOV_KEY(SCH_GOV_APPLIED), json_integer((json_int_t)applied));
    json_object_set_new(o, GOV_KEY(SCH_GOV_PASSED_PENDING), json_integer((json_int_t)pending));
    json_object_set_new(o, GOV_KEY(SCH_GOV_TURNOUT_MEAN),
                        decided ? json_real(turnout / (double)decided) : json_null());
    /* The share of the eligible weight that voted (DAO studies' "share of supply"); not
     * defined under quadratic voting, where weight is votes bought. */
    json_object_set_new(o, GOV_KEY(SCH_GOV_TURNOUT_WEIGHT_MEAN),
                        decided && g->cfg.voting != GOV_QUADRATIC
                            ? json_real(turnout_w / (double)decided)
                            : json_null());
    json_object_set_new(o, GOV_KEY(SCH_GOV_VOTES_CAST), json_integer((json_int_t)g->votes_cast));
    json_object_set_new(o, GOV_KEY(SCH_GOV_VOTES_LATE), json_integer((json_int_t)late));
    json_object_set_new(o, GOV_KEY(SCH_GOV_VOTE_TRANSACTIONS),
                        json_integer((json_int_t)g->vote_txs));
    double gini = k ? gov_power_gini(pw, k) : NAN;
    json_object_set_new(o, GOV_KEY(SCH_GOV_VOTING_POWER_GINI),
                        isfinite(gini) ? json_real(gini) : json_null());
    json_object_set_new(o, GOV_KEY(SCH_GOV_NAKAMOTO_COEFFICIENT),
                        json_integer((json_int_t)(k ? gov_nakamoto(pw, k) : 0)));
    double tg = kt ? gov_power_gini(tw, kt) : NAN;
    json_object_set_new(o, GOV_KEY(SCH_GOV_TOKEN_SUPPLY),
                        supply <= (wide_sum)INT64_MAX ? json_integer((json_int_t)supply)
                                                      : json_real((double)supply));
    json_object_set_new(o, GOV_KEY(SCH_GOV_TOKEN_GINI), isfinite(tg) ? json_real(tg) : json_null());
    json_object_set_new(o, GOV_KEY(SCH_GOV_TOKEN_NAKAMOTO),
                        json_integer((json_int_t)(kt ? gov_nakamoto(tw, kt) : 0)));
    delegation_json(g, o);
    /* The fewest members (by power, delegations resolved) who meet the quorum on their own. */
    int64_t *qp = malloc((g->n_mem ? g->n_mem : 1) * sizeof *qp);
    if (qp && gov_power(g, qp) == 0) {
        int64_t ew = 0;
        for (size_t m = 0; m < g->n_mem; m++)
            ew += qp[m] > 0 ? qp[m] : 0;
        if (g->cfg.voting == GOV_QUADRATIC) /* the quorum counts members there */
            for (size_t m = 0; m < g->n_mem; m++)
                qp[m] = qp[m] >= 0 ? 1 : 0;
        if (g->cfg.voting == GOV_QUADRATIC) ew = (int64_t)k;
        json_object_set_new(o, GOV_KEY(SCH_GOV_QUORUM_MINORITY),
                            json_integer((json_int_t)gov_quorum_minority(
                                qp, g->n_mem, (int64_t)ceil(g->cfg.quorum * (double)ew))));
    }
    free(qp);
    int64_t flipped = 0;
    for (size_t i = 0; i < g->n_props; i++) {
        const gov_proposal_info *p = &g->props[i].info;
        flipped += p->attack && p->decided && p->passed_without != p->r.passed;
    }
#define GOV_MONEY(k, v) json_object_set_new(o, GOV_KEY(k), json_real((double)(v) / 100.0))
    json_object_set_new(o, GOV_KEY(SCH_GOV_PROPOSALS_BY_MEMBERS),
                        json_integer((json_int_t)g->dep.raised_by_members));
    GOV_MONEY(SCH_GOV_DEPOSITS_PAID, g->dep.paid);
    GOV_MONEY(SCH_GOV_DEPOSITS_REFUNDED, g->dep.refunded);
    GOV_MONEY(SCH_GOV_DEPOSITS_FORFEITED, g->dep.forfeited);
    GOV_MONEY(SCH_GOV_DEPOSITS_HELD, g->dep.held);
#undef GOV_MONEY
    json_object_set_new(o, GOV_KEY(SCH_GOV_RAISES_DETERRED),
                        json_integer((json_int_t)g->dep.deterred));
    json_object_set_new(o, GOV_KEY(SCH_GOV_ATTACKS_FLIPPED), json_integer((json_int_t)flipped));
    json_object_set_new(o, GOV_KEY(SCH_GOV_COMMISSION_FINAL), json_real(c->commission));
    json_object_set_new(o, GOV_KEY(SCH_GOV_RESERVE_SHARE_FINAL), json_real(c->reserve_share));
    json_object_set_new(o, GOV_KEY(SCH_GOV_DIVIDEND_BASIS_FINAL),
                        json_string(basis_names[c->dividend_basis % 3]));
    json_object_set_new(o, GOV_KEY(SCH_GOV_PAY_FLOOR_FINAL),
                        json_real((double)c->pay_floor_per_hour / 100.0));
    json_object_set_new(o, GOV_KEY(SCH_GOV_ERRORS),
                        json_integer(g->error + (json_int_t)g->submit_errors));
    free(w);
    free(pw);
    free(tw);
    return o;
}
