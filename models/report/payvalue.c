/* The report's "What chain pay is worth to drivers" paragraph, in the chain section: for each
 * platform with a pay_value object, what waiting for finality cost its drivers, what their
 * reward tokens were worth, and how many hours they drove less (or more) for it. */
#include "models/report/report_internal.h"

#include <math.h>

static void money(FILE *f, double v) {
    if (!isfinite(v)) {
        fputs("–", f);
        return;
    }
    double a = fabs(v);
    if (a >= 1e6)
        fprintf(f, "$%.2fM", a / 1e6);
    else if (a >= 1e4)
        fprintf(f, "$%.1fk", a / 1e3);
    else if (a >= 100)
        fprintf(f, "$%.0f", a);
    else
        fprintf(f, "$%.2f", a);
}

static void one(FILE *f, const rp_ctx *ctx, const json_t *pf, const char *name) {
    double c = rp_pnum(ctx, pf, "pay_value.delay_cost_per_hour");
    double paid = rp_pnum(ctx, pf, "pay_value.pay_final");
    double cost = rp_pnum(ctx, pf, "pay_value.delay_cost");
    double reward = rp_pnum(ctx, pf, "pay_value.reward_value");
    double lost = rp_pnum(ctx, pf, "pay_value.hours_lost");
    double hours = rp_pnum(ctx, pf, "drivers.online_hours");
    double wait = rp_pnum(ctx, pf, "chain.confirm_latency_mean_s");
    fputs("<p><strong>", f);
    rp_html_esc(f, name);
    fputs("</strong>: ", f);
    if (isfinite(wait) && wait >= 60)
        fprintf(f, "payments were final %.0f min after submission on average; ", wait / 60);
    else if (isfinite(wait))
        fprintf(f, "payments were final %.0f s after submission on average; ", wait);
    fprintf(f,
            "at %.4g%% of pay per hour of waiting (drivers.pay_delay_cost), the wait cost drivers ",
            100 * c);
    money(f, cost);
    fputs(" of ", f);
    money(f, paid);
    fputs(" final pay", f);
    if (paid > 0 && isfinite(cost)) {
        double pct = 100 * cost / paid;
        if (pct < 0.001)
            fputs(" (less than 0.001%)", f);
        else
            fprintf(f, " (%.*f%%)", pct < 0.1 ? 3 : 2, pct);
    }
    if (reward > 0) {
        fputs("; their movement-reward tokens were worth ", f);
        money(f, reward);
        fputs(" at each day's token price", f);
    }
    fputs(". ", f);
    if (isfinite(lost) && isfinite(hours) && hours > 0) {
        double share = 100 * fabs(lost) / (hours + (lost > 0 ? lost : 0));
        if (lost >= 0.5)
            fprintf(f,
                    "Deciding on that worth rather than the face value of their pay, drivers "
                    "planned %.0f fewer hours (%.2f%% of the hours they would have driven).",
                    lost, share);
        else if (lost <= -0.5)
            fprintf(f,
                    "Deciding on that worth rather than the face value of their pay, drivers "
                    "planned %.0f more hours (%.2f%% of the hours driven).",
                    -lost, share);
        else
            fputs("It changed no driver's decision to drive.", f);
    }
    fputs("</p>\n", f);
}

void rp_pay_value_section(FILE *f, const rp_ctx *ctx) {
    bool any = false;
    for (size_t i = 0; i < ctx->npf; i++)
        any = any || json_is_object(json_object_get(ctx->pf[i].j, "pay_value"));
    if (!any) return;
    fputs("<h3>What chain pay is worth to drivers</h3>\n"
          "<p class=\"note\">Drivers count a chain payment as worth its face value less the cost "
          "of borrowing it until it is final, plus their reward tokens at the day's price, and "
          "decide whether and how long to drive on that worth (docs/model.md). Hours are those "
          "of the measured window; per-day figures are in summary.json under pay_value.</p>\n",
          f);
    for (size_t i = 0; i < ctx->npf; i++)
        if (json_is_object(json_object_get(ctx->pf[i].j, "pay_value")))
            one(f, ctx, ctx->pf[i].j, ctx->pf[i].name);
}
