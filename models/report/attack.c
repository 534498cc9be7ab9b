/* The report's "Attacks on the chain" section: for each platform whose chain ran an attack
 * (summary.json chain.adversary), what the attacker got beside what theory says. */
#include "models/report/report_internal.h"

#include "models/schema/schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* rp_jnum, with array elements by index ("success_ci95.0"). */
static double jnum(const json_t *j, const char *path) {
    char key[128];
    while (j && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key) return NAN;
        memcpy(key, path, n);
        key[n] = '\0';
        if (json_is_array(j))
            j = json_array_get(j, (size_t)strtoul(key, NULL, 10));
        else
            j = json_is_object(j) ? json_object_get(j, key) : NULL;
        path += n + (dot ? 1 : 0);
    }
    if (json_is_object(j)) j = json_object_get(j, "mean");
    return json_is_number(j) ? json_number_value(j) : NAN;
}

typedef struct row {
    const char *label, *measured, *lo, *hi, *theory, *fmt;
} row;

static void cell(FILE *f, const char *fmt, double v) {
    if (isfinite(v))
        fprintf(f, fmt, v);
    else
        fputs("–", f);
}

static void rows(FILE *f, const json_t *a, const row *r, size_t n) {
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        rp_html_esc(f, r[i].label);
        fputs("</td><td>", f);
        cell(f, r[i].fmt, r[i].measured ? jnum(a, r[i].measured) : NAN);
        if (r[i].lo) {
            fputs(" [", f);
            cell(f, r[i].fmt, jnum(a, r[i].lo));
            fputs(", ", f);
            cell(f, r[i].fmt, jnum(a, r[i].hi));
            fputs("]", f);
        }
        fputs("</td><td>", f);
        cell(f, r[i].fmt, r[i].theory ? jnum(a, r[i].theory) : NAN);
        fputs("</td></tr>\n", f);
    }
}

static const row double_spend[] = {
    {"Attacker's hash share q", "share", NULL, NULL, NULL, "%.3f"},
    {"Confirmations the driver waits for, z", "confirmations", NULL, NULL, NULL, "%.0f"},
    {"Trials", "trials", NULL, NULL, NULL, "%.0f"},
    {"Payments reversed", "successes", NULL, NULL, NULL, "%.0f"},
    {"Success probability [95% Wilson] / exact race", "success_rate", "success_ci95.0",
     "success_ci95.1", "theory.exact", "%.4f"},
    {"Rosenfeld (2014)", NULL, NULL, NULL, "theory.rosenfeld", "%.4f"},
    {"Nakamoto (2008)", NULL, NULL, NULL, "theory.nakamoto", "%.4f"},
    {"Money the driver lost", "reversed_amount", NULL, NULL, NULL, "%.2f"},
};

static const row selfish[] = {
    {"Pool's hash share α", "share", NULL, NULL, "theory.honest", "%.3f"},
    {"γ (measured in ties / used by the theory)", "gamma_measured", NULL, NULL, "theory.gamma_used",
     "%.3f"},
    {"Pool's share of the best chain [95%] / Eyal & Sirer", "revenue_share", "revenue_share_ci95.0",
     "revenue_share_ci95.1", "theory.eyal_sirer", "%.4f"},
    {"Share above which selfish mining pays", NULL, NULL, NULL, "theory.threshold", "%.4f"},
    {"Blocks on the best chain", "main_blocks", NULL, NULL, NULL, "%.0f"},
};

static const row censor[] = {
    {"Validators censoring", "validators", NULL, NULL, NULL, "%.0f"},
    {"Drivers censored", "censored_drivers", NULL, NULL, NULL, "%.0f"},
    {"Transactions left out at least once", "censored_transactions", NULL, NULL, NULL, "%.0f"},
    {"Censored drivers' payments: seconds to finality [95%]", "censored_payments.mean_s",
     "censored_payments.ci95_s.0", "censored_payments.ci95_s.1", NULL, "%.2f"},
    {"Other payments: seconds to finality [95%]", "other_payments.mean_s",
     "other_payments.ci95_s.0", "other_payments.ci95_s.1", NULL, "%.2f"},
    {"Extra delay (s) / PoA theory", "extra_delay_mean_s", NULL, NULL, "theory_extra_delay_s",
     "%.2f"},
    {"Censored payments still pending at the end", "censored_payments_pending", NULL, NULL, NULL,
     "%.0f"},
};

static const row equivocate[] = {
    {"Validators equivocating / tolerated (f)", "validators", NULL, NULL, "tolerated", "%.0f"},
    {"Proposals made twice", "equivocations", NULL, NULL, NULL, "%.0f"},
    {"Heights with two final blocks (safety violations)", "safety_violations", NULL, NULL, NULL,
     "%.0f"},
    {"First such height", "first_violation_height", NULL, NULL, NULL, "%.0f"},
};

void rp_attack_section(FILE *f, const rp_ctx *ctx) {
    bool any = false;
    for (size_t i = 0; i < ctx->npf; i++)
        any = any ||
              json_is_object(json_object_get(json_object_get(ctx->pf[i].j, "chain"), "adversary"));
    if (!any) return;
    fputs("<section id=\"attacks\"><h2>Attacks on the chain</h2>\n"
          "<p>What an attacker did on this platform's chain, beside what theory says "
          "(docs/chain.md, Attacks). Intervals are 95%; the raw figures are in summary.json "
          "under chain.adversary.</p>\n",
          f);
    for (size_t i = 0; i < ctx->npf; i++) {
        const json_t *a = rp_pget(ctx, ctx->pf[i].j, "chain.adversary");
        if (!json_is_object(a)) continue;
        const json_t *k = json_object_get(a, sch_name(&schema_chain_adversary, SCH_ADV_ATTACK));
        const char *kind = json_is_string(k) ? json_string_value(k) : "";
        fputs("<h3>", f);
        rp_html_esc(f, ctx->pf[i].name);
        fputs(": ", f);
        rp_html_esc(f, kind);
        fputs("</h3>\n<table><thead><tr><th></th><th>measured</th><th>theory</th></tr></thead>"
              "<tbody>\n",
              f);
        if (!strcmp(kind, "double-spend"))
            rows(f, a, double_spend, sizeof double_spend / sizeof double_spend[0]);
        else if (!strcmp(kind, "selfish-mining"))
            rows(f, a, selfish, sizeof selfish / sizeof selfish[0]);
        else if (!strcmp(kind, "censor"))
            rows(f, a, censor, sizeof censor / sizeof censor[0]);
        else if (!strcmp(kind, "equivocate"))
            rows(f, a, equivocate, sizeof equivocate / sizeof equivocate[0]);
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
}
