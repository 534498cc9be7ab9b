/* The report's "why they voted" tables: for each proposal, how each class of members (founders,
 * full-time and occasional drivers, outside backers, riders) turned out and voted, and the mean
 * payoff change they perceived, read from votes.csv and governance.csv. */
#include "models/report/report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RP_MAX_PROPOSALS 40 /* per platform in the page; votes.csv has them all */

static const char *const CLASSES[] = {"founder", "full_time_driver", "occasional_driver", "backer",
                                      "rider"};
static const char *const CLASS_LABEL[] = {"founders", "full-time drivers", "occasional drivers",
                                          "outside backers", "rider members"};
#define N_CLASSES 5

typedef struct agg {
    int members, voted, n_for, n_against, n_abstain;
    double rel_all, rel_for, rel_against, cash_all;
} agg;

static int class_of(const char *s) {
    for (int k = 0; k < N_CLASSES; k++)
        if (strcmp(s, CLASSES[k]) == 0) return k;
    return -1;
}

static void pct(FILE *f, double sum, int n) {
    if (n > 0)
        fprintf(f, "<td>%+.2f%%</td>", 100.0 * sum / n);
    else
        fputs("<td>–</td>", f);
}

/* Text of governance.csv's column `name` in row r, "" when the run has no such column. */
static const char *cell(const rp_ctx *ctx, const rp_table *g, size_t r, const char *name) {
    int c = rp_col(ctx, g, name);
    return c >= 0 ? rp_cell(g, r, c) : "";
}

/* What members saw of the co-op's survival (the runway under the rules in force and under the
 * change, and the insolvency risk within their horizon), the proposer's deposit and any
 * attack run on the vote. */
static void survival_deposit_attack(FILE *f, const rp_ctx *ctx, const rp_table *g, size_t r) {
    const char *from = cell(ctx, g, r, "runway_from_days"), *to = cell(ctx, g, r, "runway_to_days");
    if (*from && *to) {
        fputs(" · books: runway ", f);
        rp_html_esc(f, strcmp(from, "inf") == 0 ? "unbounded" : from);
        fputs(strcmp(from, "inf") == 0 ? "" : " days", f);
        fputs(" now, ", f);
        rp_html_esc(f, strcmp(to, "inf") == 0 ? "unbounded" : to);
        fputs(strcmp(to, "inf") == 0 ? "" : " days", f);
        fputs(" under the change", f);
        const char *risk = cell(ctx, g, r, "insolvency_risk_to");
        if (*risk) {
            fputs(" (insolvency risk within the horizon ", f);
            rp_html_esc(f, risk);
            fputc(')', f);
        }
    }
    const char *dep = cell(ctx, g, r, "deposit"), *out = cell(ctx, g, r, "deposit_outcome");
    if (*dep) {
        fputs(" · deposit ", f);
        rp_html_esc(f, dep);
        fputc(' ', f);
        rp_html_esc(f, out);
    }
    const char *att = cell(ctx, g, r, "attack");
    if (*att) {
        fputs(" · attack (", f);
        rp_html_esc(f, att);
        fputs("): spent ", f);
        rp_html_esc(f, cell(ctx, g, r, "attack_spent"));
        fputs(", prize ", f);
        rp_html_esc(f, cell(ctx, g, r, "attack_gain"));
        fputs(", without it passed = ", f);
        rp_html_esc(f, cell(ctx, g, r, "passed_without_attack"));
    }
}

/* The proposal's line: rule, from -> to (or the options), who raised it, and what came of it. */
static void heading(FILE *f, const rp_ctx *ctx, const char *pf, const char *prop) {
    const rp_table *g = &ctx->governance;
    int pc = rp_col(ctx, g, "platform"), ic = rp_col(ctx, g, "proposal");
    for (size_t r = 0; pc >= 0 && ic >= 0 && r < g->nrows; r++) {
        if (strcmp(rp_cell(g, r, pc), pf) != 0 || strcmp(rp_cell(g, r, ic), prop) != 0) continue;
        const char *opts =
            rp_col(ctx, g, "options") >= 0 ? rp_cell(g, r, rp_col(ctx, g, "options")) : "";
        fputs("<tr><td class=\"grp\" colspan=\"10\">", f);
        rp_html_esc(f, pf);
        fputs(" · proposal ", f);
        rp_html_esc(f, prop);
        fputs(": ", f);
        rp_html_esc(f, rp_cell(g, r, rp_col(ctx, g, "rule")));
        fputc(' ', f);
        rp_html_esc(f, rp_cell(g, r, rp_col(ctx, g, "from")));
        fputs(" → ", f);
        if (*opts) {
            fputs("one of ", f);
            rp_html_esc(f, opts);
            fputs(" (", f);
            rp_html_esc(f, rp_cell(g, r, rp_col(ctx, g, "method")));
            fputs("), won by ", f);
        }
        rp_html_esc(f, *rp_cell(g, r, rp_col(ctx, g, "to")) ? rp_cell(g, r, rp_col(ctx, g, "to"))
                                                            : "none");
        fputs(" · raised by ", f);
        rp_html_esc(f, rp_cell(g, r, rp_col(ctx, g, "proposer")));
        fputs(" · ", f);
        const char *st =
            rp_col(ctx, g, "status") >= 0 ? rp_cell(g, r, rp_col(ctx, g, "status")) : "";
        rp_html_esc(f, strcmp(st, "passed_pending") == 0 ? "passed, not yet applied" : st);
        double day = rp_num(g, r, rp_col(ctx, g, "applied_s"));
        if (isfinite(day)) fprintf(f, " on day %.4g", day / 86400);
        survival_deposit_attack(f, ctx, g, r);
        fputs("</td></tr>\n", f);
        return;
    }
}

static void flush(FILE *f, const agg *a) {
    for (int k = 0; k < N_CLASSES; k++) {
        if (a[k].members == 0) continue;
        fputs("<tr><td>", f);
        fputs(CLASS_LABEL[k], f);
        fprintf(f, "</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>", a[k].members,
                a[k].voted, a[k].n_for, a[k].n_against, a[k].n_abstain);
        pct(f, a[k].rel_all, a[k].members);
        fprintf(f, "<td>%+.2f</td>", a[k].cash_all / a[k].members);
        pct(f, a[k].rel_for, a[k].n_for);
        pct(f, a[k].rel_against, a[k].n_against);
        fputs("</tr>\n", f);
    }
}

void rp_votes_section(FILE *f, const rp_ctx *ctx) {
    const rp_table *v = &ctx->votes;
    int pc = rp_col(ctx, v, "platform"), ic = rp_col(ctx, v, "proposal"),
        cc = rp_col(ctx, v, "member_class"), tc = rp_col(ctx, v, "turned_out"),
        hc = rp_col(ctx, v, "choice"), rc = rp_col(ctx, v, "payoff_change_rel"),
        mc = rp_col(ctx, v, "payoff_change"), xc = rp_col(ctx, v, "perceived");
    if (pc < 0 || ic < 0 || cc < 0 || tc < 0 || hc < 0 || rc < 0 || mc < 0 || v->nrows == 0) return;
    fputs("<h3>Why they voted</h3>\n<p class=\"sub\">For each proposal, each class of members: "
          "how many were eligible, turned out, and voted for, against or abstained (on a ballot "
          "among options, <em>for</em> counts those who chose one), and the payoff change they "
          "perceived over their recent window (over their horizon when they look ahead): the "
          "class mean, relative to their payoff and in money, and, noise included (what each acted "
          "on), the mean of those "
          "who voted for and of those against. Every member's row is in votes.csv; the page "
          "shows the first 40 proposals of each platform. Each proposal's line gives the runway "
          "the co-op's books showed members (days until cash and credit run out) under the "
          "rules in force and under the change, the proposer's deposit and what became of it, "
          "and any attack run on the vote.</p>\n"
          "<table><thead><tr><th>class</th><th>members</th><th>voted</th><th>for</th>"
          "<th>against</th><th>abstain</th><th>perceived change</th><th>in money</th>"
          "<th>for: acted on</th><th>against: acted on</th></tr></thead><tbody>\n",
          f);
    agg a[N_CLASSES];
    memset(a, 0, sizeof a);
    const char *cur_pf = NULL, *cur_prop = NULL;
    int shown = 0;
    bool show = false;
    for (size_t r = 0; r <= v->nrows; r++) {
        const char *pf = r < v->nrows ? rp_cell(v, r, pc) : NULL;
        const char *prop = r < v->nrows ? rp_cell(v, r, ic) : NULL;
        if (!cur_pf || !pf || strcmp(pf, cur_pf) != 0 || strcmp(prop, cur_prop) != 0) {
            if (show) flush(f, a);
            if (!pf) break;
            if (!cur_pf || strcmp(pf, cur_pf) != 0) shown = 0;
            memset(a, 0, sizeof a);
            cur_pf = pf;
            cur_prop = prop;
            show = shown++ < RP_MAX_PROPOSALS;
            if (show) heading(f, ctx, pf, prop);
        }
        int k = class_of(rp_cell(v, r, cc));
        if (k < 0 || !show) continue;
        double rel = rp_num(v, r, rc), cash = rp_num(v, r, mc);
        double x = xc >= 0 ? rp_num(v, r, xc) : rel; /* what the member acted on */
        const char *ch = rp_cell(v, r, hc);
        a[k].members++;
        a[k].rel_all += isfinite(rel) ? rel : 0;
        a[k].cash_all += isfinite(cash) ? cash : 0;
        if (strcmp(rp_cell(v, r, tc), "1") != 0) continue;
        a[k].voted++;
        if (strcmp(ch, "against") == 0) {
            a[k].n_against++;
            a[k].rel_against += isfinite(x) ? x : 0;
        } else if (strcmp(ch, "abstain") == 0 || !*ch) {
            a[k].n_abstain++;
        } else {
            a[k].n_for++;
            a[k].rel_for += isfinite(x) ? x : 0;
        }
    }
    fputs("</tbody></table>\n", f);
}
