/* The report's long-run section: each platform's first day (the short run, the fleet of day
 * one) beside the means over its converged window (the long run), and one sentence on what
 * changed. Reads summary.json's `long_run` objects only. */
#include "models/report/report_internal.h"

#include <math.h>
#include <string.h>

static const struct {
    const char *key, *label, *fmt;
} ROWS[] = {
    {"active_drivers", "Drivers in the fleet", "%.0f"},
    {"online_hours", "Online hours per day", "%.0f"},
    {"utilization", "Utilization (share of online time with a rider)", "%.1f%%"},
    {"net_per_hour", "Net pay per online hour", "%.2f"},
    {"surplus_per_active", "Surplus above outside options per driver and day", "%.2f"},
    {"served", "Riders served per day", "%.0f"},
    {"wait_mean_s", "Mean wait (min)", "%.1f"},
    {"fare_mean", "Mean fare", "%.2f"},
};

/* A figure of a platform's long_run object: part "short_run" or "long_run", then the key. */
static double fig(const rp_ctx *ctx, const json_t *pf, const char *part, const char *key) {
    char path[128];
    snprintf(path, sizeof path, "long_run.%s.%s", part, key);
    return rp_pnum(ctx, pf, path);
}

static void cell(FILE *f, const rp_ctx *ctx, const json_t *pf, const char *part, const char *key,
                 const char *fmt) {
    double v = fig(ctx, pf, part, key);
    if (strcmp(key, "wait_mean_s") == 0) v /= 60; /* minutes, as everywhere a reader looks */
    if (strcmp(key, "utilization") == 0) v *= 100;
    fputs("<td>", f);
    if (isfinite(v))
        fprintf(f, fmt, v);
    else
        fputs("–", f);
    fputs("</td>", f);
}

static void sentence(FILE *f, const rp_ctx *ctx, const char *cur) {
    const json_t *a = NULL, *b = NULL;
    const char *na = NULL, *nb = NULL;
    for (size_t i = 0; i < ctx->npf; i++) {
        if (!rp_pget(ctx, ctx->pf[i].j, "long_run")) continue;
        if (!a) {
            a = ctx->pf[i].j;
            na = ctx->pf[i].name;
        } else if (!b) {
            b = ctx->pf[i].j;
            nb = ctx->pf[i].name;
        }
    }
    if (!a) return;
    fputs("<p class=\"lead\">", f);
    if (b) {
        double s =
            fig(ctx, b, "short_run", "net_per_hour") - fig(ctx, a, "short_run", "net_per_hour");
        double l =
            fig(ctx, b, "long_run", "net_per_hour") - fig(ctx, a, "long_run", "net_per_hour");
        double hs =
            fig(ctx, b, "short_run", "online_hours") / fig(ctx, a, "short_run", "online_hours");
        double hl =
            fig(ctx, b, "long_run", "online_hours") / fig(ctx, a, "long_run", "online_hours");
        fputs("Between the short and the long run, the difference in drivers' net pay per hour "
              "between ",
              f);
        rp_html_esc(f, nb);
        fputs(" and ", f);
        rp_html_esc(f, na);
        fprintf(f, " went from %+.2f to %+.2f ", s, l);
        rp_html_esc(f, cur);
        fprintf(f,
                " as drivers entered and left, while the ratio of online hours went from %.2f "
                "to %.2f: what a better rule gives drivers in the long run shows more in hours "
                "worked than in pay per hour.",
                hs, hl);
    } else {
        fputs("Between the short and the long run, drivers' net pay per hour on ", f);
        rp_html_esc(f, na);
        fprintf(f, " went from %.2f to %.2f ", fig(ctx, a, "short_run", "net_per_hour"),
                fig(ctx, a, "long_run", "net_per_hour"));
        rp_html_esc(f, cur);
        fprintf(f, " and the fleet from %.0f to %.0f drivers.",
                fig(ctx, a, "short_run", "active_drivers"),
                fig(ctx, a, "long_run", "active_drivers"));
    }
    fputs("</p>\n", f);
}

void rp_long_run_section(FILE *f, const rp_ctx *ctx, const char *cur) {
    bool any = false;
    for (size_t i = 0; i < ctx->npf; i++)
        any = any || rp_pget(ctx, ctx->pf[i].j, "long_run");
    if (!any) return;
    fputs("<section id=\"long-run\"><h2>Short run and long run</h2>\n", f);
    sentence(f, ctx, cur);
    fputs("<table><thead><tr><th></th>", f);
    for (size_t i = 0; i < ctx->npf; i++) {
        const json_t *pf = ctx->pf[i].j;
        if (!rp_pget(ctx, pf, "long_run")) continue;
        for (int k = 0; k < 2; k++) {
            fputs("<th>", f);
            rp_html_esc(f, ctx->pf[i].name);
            if (k == 0) {
                fputs(": day one", f);
            } else {
                double d0 = rp_pnum(ctx, pf, "long_run.window_first_day"),
                       d1 = rp_pnum(ctx, pf, "long_run.window_last_day");
                fprintf(f, ": days %.0f-%.0f", d0, d1);
                if (!json_is_true(rp_pget(ctx, pf, "long_run.converged")))
                    fputs(" (not converged)", f);
            }
            fputs("</th>", f);
        }
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t r = 0; r < sizeof ROWS / sizeof ROWS[0]; r++) {
        fputs("<tr><th>", f);
        rp_html_esc(f, ROWS[r].label);
        fputs("</th>", f);
        for (size_t i = 0; i < ctx->npf; i++) {
            const json_t *pf = ctx->pf[i].j;
            if (!rp_pget(ctx, pf, "long_run")) continue;
            cell(f, ctx, pf, "short_run", ROWS[r].key, ROWS[r].fmt);
            cell(f, ctx, pf, "long_run", ROWS[r].key, ROWS[r].fmt);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n<p class=\"muted\">Day one is the fleet of the first day before any "
          "driver enters or leaves (a fixed pool); the long run is the mean per day from the week "
          "the run converged (weekly online hours and net pay per hour within the stated "
          "tolerance of the week before, on every later day) to the end. Per day: days.csv. "
          "Money in ",
          f);
    rp_html_esc(f, cur);
    fputs(".</p>\n</section>\n", f);
}
