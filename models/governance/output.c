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

static const char *const voting_names[] = {"one_member", "token", "quadratic"};
static const char *const basis_names[] = {"hours", "trips", "revenue"};

static double secs(sim_time t) {
    return (double)t / (double)SIM_SEC;
}

int gov_write_csv(const gov *g, FILE *f, bool header) {
    if (header) sch_write_header(&schema_governance_csv, f);
    for (size_t i = 0; i < g->n_props; i++) {
        const gov_proposal_info *p = &g->props[i].info;
        char from[64], to[64], who[48];
        gov_format_value(p->rule, p->from, from, sizeof from);
        gov_format_value(p->rule, p->to, to, sizeof to);
        if (p->proposer < 0)
            snprintf(who, sizeof who, "schedule");
        else if ((size_t)p->proposer < g->n_drv)
            snprintf(who, sizeof who, "driver %" PRId64, p->proposer);
        else if ((size_t)p->proposer < g->n_drv + g->n_back)
            snprintf(who, sizeof who, "backer %" PRId64, p->proposer - (int64_t)g->n_drv);
        else
            snprintf(who, sizeof who, "rider %" PRId64,
                     p->proposer - (int64_t)(g->n_drv + g->n_back));
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
        fprintf(f,
                ",%.6g,%s,%s,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
                ",%" PRId64 ",%" PRId64 ",%" PRId64 ",",
                nv, who, voting_names[g->cfg.voting % 3], p->eligible, p->r.n_for, p->r.n_against,
                p->r.n_abstain, p->r.n_late, p->r.w_for, p->r.w_against, p->r.w_abstain,
                p->eligible_weight);
        if (p->decided && p->eligible > 0) fprintf(f, "%.4f", (double)voters / (double)p->eligible);
        fprintf(f, ",%d,%d,", p->decided && p->r.quorum_met, p->decided && p->r.passed);
        if (p->applied_at >= 0) fprintf(f, "%.0f", secs(p->applied_at));
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

int gov_write_rules_csv(const gov *g, FILE *f, bool header) {
    if (header) sch_write_header(&schema_rules_csv, f);
    for (size_t i = 0; i < g->n_rules; i++) {
        const gov_rules_row *r = &g->rules[i];
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

json_t *gov_summary_json(const gov *g) {
    json_t *o = json_object();
    if (!o) return NULL;
    int64_t passed = 0, applied = 0, decided = 0, late = 0;
    double turnout = 0;
    for (size_t i = 0; i < g->n_props; i++) {
        const gov_proposal_info *p = &g->props[i].info;
        late += p->r.n_late;
        if (!p->decided) continue;
        decided++;
        passed += p->r.passed;
        applied += p->applied_at >= 0;
        int64_t voters = p->r.n_for + p->r.n_against + p->r.n_abstain;
        turnout += p->eligible > 0 ? (double)voters / (double)p->eligible : 0.0;
    }
    size_t n = g->n_mem ? g->n_mem : 1, k = 0, kt = 0;
    int64_t *w = malloc(n * sizeof *w), *pw = malloc(n * sizeof *pw), *tw = malloc(n * sizeof *tw);
    int64_t supply = 0;
    if (w && pw && tw) {
        gov_current_weights(g, w);
        for (size_t m = 0; m < g->n_mem; m++) {
            if (w[m] >= 0) pw[k++] = w[m];
            if (w[m] >= 0) tw[kt++] = g->tokens[m];
            if (w[m] >= 0) supply += g->tokens[m];
        }
    }
    const plat_config *c = plat_get_config(g->p);
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_VOTING),
                        json_string(voting_names[g->cfg.voting % 3]));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_MEMBERS),
                        json_integer((json_int_t)k));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_RIDER_MEMBERS),
                        json_integer((json_int_t)g->n_rid));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_PROPOSALS),
                        json_integer((json_int_t)g->n_props));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_DECIDED),
                        json_integer((json_int_t)decided));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_PASSED),
                        json_integer((json_int_t)passed));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_APPLIED),
                        json_integer((json_int_t)applied));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_TURNOUT_MEAN),
                        decided ? json_real(turnout / (double)decided) : json_null());
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_VOTES_CAST),
                        json_integer((json_int_t)g->votes_cast));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_VOTES_LATE),
                        json_integer((json_int_t)late));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_VOTE_TRANSACTIONS),
                        json_integer((json_int_t)g->vote_txs));
    double gini = k ? gov_power_gini(pw, k) : NAN;
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_VOTING_POWER_GINI),
                        isfinite(gini) ? json_real(gini) : json_null());
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_NAKAMOTO_COEFFICIENT),
                        json_integer((json_int_t)(k ? gov_nakamoto(pw, k) : 0)));
    double tg = kt ? gov_power_gini(tw, kt) : NAN;
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_TOKEN_SUPPLY),
                        json_integer((json_int_t)supply));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_TOKEN_GINI),
                        isfinite(tg) ? json_real(tg) : json_null());
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_TOKEN_NAKAMOTO),
                        json_integer((json_int_t)(kt ? gov_nakamoto(tw, kt) : 0)));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_COMMISSION_FINAL),
                        json_real(c->commission));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_RESERVE_SHARE_FINAL),
                        json_real(c->reserve_share));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_DIVIDEND_BASIS_FINAL),
                        json_string(basis_names[c->dividend_basis % 3]));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_PAY_FLOOR_FINAL),
                        json_real((double)c->pay_floor_per_hour / 100.0));
    json_object_set_new(o, sch_name(&schema_governance, SCH_GOV_ERRORS),
                        json_integer(g->error + (json_int_t)g->submit_errors));
    free(w);
    free(pw);
    free(tw);
    return o;
}
