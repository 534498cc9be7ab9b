/* The report's section on one city with several platforms (a shared market): each platform's
 * final shares of requests, trips and driver hours, what riders were shown, what drivers earned,
 * the day it broke even, what it spent fighting or marketing, whether it survived, and one
 * sentence on who won and why. Reads the platforms' `competition` objects only. */
#include "models/report/report_internal.h"

#include <math.h>

static const struct {
    const char *path, *label, *fmt;
    double scale;
} ROWS[] = {
    {"competition.request_share", "Share of requests (last week)", "%.1f%%", 100},
    {"competition.trip_share", "Share of trips (last week)", "%.1f%%", 100},
    {"competition.hours_share", "Share of driver online hours (last week)", "%.1f%%", 100},
    {"competition.awareness", "Riders who know the app at the end", "%.1f%%", 100},
    {"competition.shown_eta_s", "Pickup time shown (last week, s)", "%.0f", 1},
    {"competition.peak_request_share", "Highest share of a day's requests", "%.1f%%", 100},
    {"competition.peak_day", "First day at that share", "%.0f", 1},
    {"drivers.net_per_hour", "Drivers' net pay per online hour", "%.2f", 1},
    {"competition.decline_share", "Offers drivers declined (last week)", "%.1f%%", 100},
    {"competition.break_even_day", "Broke even on day (7-day trailing profit; runs that did)",
     "%.0f", 1},
    {"competition.fight_days", "Days spent fighting", "%.0f", 1},
    {"competition.burn", "Spent fighting", "%.0f", 1},
    {"competition.marketing", "Spent on marketing", "%.0f", 1},
    {"competition.raised_day", "Raised its take on day", "%.0f", 1},
    {"competition.rider_surplus", "Riders' surplus (after the wait's cost)", "%.0f", 1},
    {"competition.driver_surplus", "Drivers' surplus above their outside option", "%.0f", 1},
    {"competition.driver_surplus_per_hour", "Drivers' surplus per hour (each hour once)", "%.2f",
     1},
};

/* survived: true/false in one run, the share of runs in an experiment. */
static double survived(const rp_ctx *ctx, const json_t *pf) {
    const json_t *v = rp_pget(ctx, pf, "competition.survived");
    if (json_is_boolean(v)) return json_is_true(v) ? 1.0 : 0.0;
    return rp_value(v); /* an experiment: the share of runs (the mean of 0/1) */
}

/* Free entry in a shared city: drivers chose their apps, and how many drove for several. */
static void free_entry(FILE *f, const rp_ctx *ctx) {
    bool chose = false;
    for (size_t i = 0; i < ctx->npf; i++)
        chose = chose || rp_pget(ctx, ctx->pf[i].j, "long_run");
    if (!chose) return;
    const json_t *c = rp_sget(ctx, "competition");
    double mh = c ? rp_value(rp_get(ctx, c, &schema_competition, "multihoming_share")) : NAN;
    fputs(" Drivers were free to enter, leave and choose their apps day by day", f);
    if (isfinite(mh))
        fprintf(f, "; %.0f%% of the fleet's driver-days were on more than one app", 100 * mh);
    fputs(" (days.csv has each app's drivers by day).", f);
}

static void sentence(FILE *f, const rp_ctx *ctx, const char *cur) {
    size_t best = 0, n = 0;
    double top = -1;
    for (size_t i = 0; i < ctx->npf; i++) {
        double s = rp_pnum(ctx, ctx->pf[i].j, "competition.request_share");
        if (!rp_pget(ctx, ctx->pf[i].j, "competition")) continue;
        n++;
        if (isfinite(s) && s > top) {
            top = s;
            best = i;
        }
    }
    if (n < 2 || top < 0) return;
    fputs("<p class=\"lead\">", f);
    rp_html_esc(f, ctx->pf[best].name);
    fprintf(f, " ends with %.0f%% of the city's requests.", 100 * top);
    for (size_t i = 0; i < ctx->npf; i++) {
        const json_t *pf = ctx->pf[i].j;
        if (i == best || !rp_pget(ctx, pf, "competition")) continue;
        double eta = rp_pnum(ctx, pf, "competition.shown_eta_s"),
               eta_best = rp_pnum(ctx, ctx->pf[best].j, "competition.shown_eta_s"),
               aware = rp_pnum(ctx, pf, "competition.awareness"), alive = survived(ctx, pf);
        fputc(' ', f);
        rp_html_esc(f, ctx->pf[i].name);
        fprintf(f, " is known to %.0f%% of riders", 100 * aware);
        if (isfinite(eta) && isfinite(eta_best))
            fprintf(f, " and showed pickup times of %.0f s against %.0f s", eta, eta_best);
        if (alive == 0)
            fputs("; it ran out of money", f);
        else if (alive < 1 && isfinite(alive))
            fprintf(f, "; it survived in %.0f%% of the runs", 100 * alive);
        fputs(".", f);
    }
    for (size_t i = 0; i < ctx->npf; i++) {
        double burn = rp_pnum(ctx, ctx->pf[i].j, "competition.burn");
        if (!(burn > 0)) continue;
        fputc(' ', f);
        rp_html_esc(f, ctx->pf[i].name);
        fprintf(f, " spent %.0f ", burn);
        rp_html_esc(f, cur);
        fputs(" fighting.", f);
    }
    free_entry(f, ctx);
    fputs(" Riders go where the wait shown is short, and the wait is short where drivers are: "
          "the larger app's lead grows unless price or marketing make up for it.</p>\n",
          f);
}

/* A figure: a single run's number, or an experiment's mean with its 95% interval. */
static void value(FILE *f, const rp_ctx *ctx, const json_t *v, const char *fmt, double scale) {
    double m = rp_value(v), lo = rp_stat(ctx, v, "ci95_low"), hi = rp_stat(ctx, v, "ci95_high");
    fputs("<td>", f);
    if (!isfinite(m)) {
        fputs("–</td>", f);
        return;
    }
    fprintf(f, fmt, m * scale);
    if (isfinite(lo) && isfinite(hi) && hi > lo) { /* no bracket for a figure every run shares */
        fputs(" <span class=\"muted\">[", f);
        fprintf(f, fmt, lo * scale);
        fputs(", ", f);
        fprintf(f, fmt, hi * scale);
        fputs("]</span>", f);
    }
    double n = rp_stat(ctx, v, "n"), runs = rp_snum(ctx, "replications");
    if (isfinite(n) && isfinite(runs) && n < runs)
        fprintf(f, " <span class=\"muted\">(%.0f of %.0f runs)</span>", n, runs);
    fputs("</td>", f);
}

/* A yes/no figure: yes or no in one run; in an experiment the share of runs with its Wilson
 * interval. */
static void yes_no_row(FILE *f, const rp_ctx *ctx, const char *path, const char *label) {
    fputs("<tr><th>", f);
    rp_html_esc(f, label);
    fputs("</th>", f);
    for (size_t i = 0; i < ctx->npf; i++) {
        const json_t *v = rp_pget(ctx, ctx->pf[i].j, path);
        if (json_is_boolean(v))
            fprintf(f, "<td>%s</td>", json_is_true(v) ? "yes" : "no");
        else
            value(f, ctx, v, "%.0f%%", 100); /* the share of runs */
    }
    fputs("</tr>\n", f);
}

/* The platform with the largest value at `path` among those with a finite one; npf if none. */
static size_t largest(const rp_ctx *ctx, const char *path) {
    size_t best = ctx->npf;
    for (size_t i = 0; i < ctx->npf; i++) {
        double v = rp_pnum(ctx, ctx->pf[i].j, path);
        if (isfinite(v) && (best == ctx->npf || v > rp_pnum(ctx, ctx->pf[best].j, path))) best = i;
    }
    return best;
}

/* Who gained: where riders' and drivers' surplus was largest, and which apps left their drivers
 * below their outside option. */
static void gains(FILE *f, const rp_ctx *ctx, const char *cur) {
    size_t r = largest(ctx, "competition.rider_surplus"),
           d = largest(ctx, "competition.driver_surplus");
    if (r == ctx->npf || d == ctx->npf) return;
    fputs("<p>Riders gained most on ", f);
    rp_html_esc(f, ctx->pf[r].name);
    fprintf(f, " (%.0f ", rp_pnum(ctx, ctx->pf[r].j, "competition.rider_surplus"));
    rp_html_esc(f, cur);
    fputs(" of surplus), drivers on ", f);
    rp_html_esc(f, ctx->pf[d].name);
    fprintf(f, " (%.0f ", rp_pnum(ctx, ctx->pf[d].j, "competition.driver_surplus"));
    rp_html_esc(f, cur);
    fputs(" above what their hours were worth elsewhere)", f);
    for (size_t i = 0; i < ctx->npf; i++) {
        double v = rp_pnum(ctx, ctx->pf[i].j, "competition.driver_surplus");
        if (!(v < 0)) continue;
        fputs("; drivers earned less than their outside option on ", f);
        rp_html_esc(f, ctx->pf[i].name);
    }
    fputs(".</p>\n", f);
}

void rp_competition_section(FILE *f, const rp_ctx *ctx, const char *cur) {
    bool any = false;
    for (size_t i = 0; i < ctx->npf; i++)
        any = any || rp_pget(ctx, ctx->pf[i].j, "competition");
    if (!any) return;
    fputs("<section id=\"competition\"><h2>One city, several platforms</h2>\n", f);
    sentence(f, ctx, cur);
    gains(f, ctx, cur);
    fputs("<table><thead><tr><th></th>", f);
    for (size_t i = 0; i < ctx->npf; i++) {
        fputs("<th>", f);
        rp_html_esc(f, ctx->pf[i].name);
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t r = 0; r < sizeof ROWS / sizeof ROWS[0]; r++) {
        fputs("<tr><th>", f);
        rp_html_esc(f, ROWS[r].label);
        fputs("</th>", f);
        for (size_t i = 0; i < ctx->npf; i++)
            value(f, ctx, rp_pget(ctx, ctx->pf[i].j, ROWS[r].path), ROWS[r].fmt, ROWS[r].scale);
        fputs("</tr>\n", f);
    }
    yes_no_row(f, ctx, "competition.broke_even", "Broke even (7-day trailing profit at least 0)");
    yes_no_row(f, ctx, "competition.survived", "Survived (still open at the end)");
    fputs("</tbody></table>\n<p class=\"muted\">One city, one stream of riders, one pool "
          "of drivers (market.platforms: shared). Shares cover the run's last seven days; a "
          "multi-homing driver's idle hour counts on each app it is online on (in the shares; the "
          "surplus counts each driver's hour once). Surplus covers the run after the warm-up; a "
          "rider's switching cost is not in it. Per day: "
          "competition.csv; the rules: docs/model.md, \"One city, several platforms\". In an "
          "experiment each figure is the mean over the runs with its 95% interval in brackets "
          "(Student t; Wilson for the shares of runs), and competition_days.csv has each day's "
          "shares with theirs. Money in ",
          f);
    rp_html_esc(f, cur);
    fputs(".</p>\n</section>\n", f);
}
