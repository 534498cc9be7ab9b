/* "Why these numbers": one sentence for each headline a reader would find surprising, each
 * written only when the run's own numbers show the pattern and carrying those numbers. The rules
 * and their thresholds are listed in docs/teaching.md ("Why these numbers"). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "models/report/report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The figures the rules read, for one platform. */
typedef struct fig {
    const char *name;
    double take, gross_h, net_h, hours, drivers, util, wait_s, refused, abandoned, served;
    double revenue, extraction, opex, pay, dividends, topups;
    double surge_mean, surge_max; /* over hourly.csv's hours; NAN without the table */
} fig;

static void surge_of(const rp_ctx *ctx, const char *name, double *mean, double *max) {
    const rp_table *t = &ctx->hourly;
    int pc = rp_col(ctx, t, "platform"), sc = rp_col(ctx, t, "mean_surge");
    double sum = 0, n = 0;
    *max = NAN;
    for (size_t r = 0; sc >= 0 && r < t->nrows; r++) {
        if (pc >= 0 ? strcmp(rp_cell(t, r, pc), name) != 0 : ctx->npf != 1) continue;
        double v = rp_num(t, r, sc);
        if (!isfinite(v)) continue;
        sum += v;
        n++;
        if (!(v <= *max)) *max = v;
    }
    *mean = n > 0 ? sum / n : NAN;
}

static void fig_of(const rp_ctx *ctx, size_t i, fig *g) {
    const json_t *j = ctx->pf[i].j;
    g->name = ctx->pf[i].name;
    g->take = rp_pnum(ctx, j, "platform.take_rate");
    g->gross_h = rp_pnum(ctx, j, "drivers.gross_per_hour");
    g->net_h = rp_pnum(ctx, j, "drivers.net_per_hour");
    g->hours = rp_pnum(ctx, j, "drivers.online_hours");
    g->drivers = rp_pnum(ctx, j, "drivers.count");
    g->util = rp_pnum(ctx, j, "drivers.utilization");
    g->wait_s = rp_pnum(ctx, j, "riders.wait_mean_s");
    g->refused = rp_pnum(ctx, j, "riders.refused_quote");
    g->abandoned = rp_pnum(ctx, j, "riders.abandoned");
    g->served = rp_pnum(ctx, j, "riders.served");
    g->revenue = rp_pnum(ctx, j, "platform.revenue");
    g->extraction = rp_pnum(ctx, j, "platform.extraction");
    g->opex = rp_pnum(ctx, j, "platform.operating_costs");
    g->pay = rp_pnum(ctx, j, "platform.driver_pay");
    g->dividends = rp_pnum(ctx, j, "drivers.dividends");
    g->topups = rp_pnum(ctx, j, "platform.pay_floor_topups");
    surge_of(ctx, g->name, &g->surge_mean, &g->surge_max);
}

static void li(FILE *f) {
    fputs("<li>", f);
}

static void name(FILE *f, const char *s) {
    fputs("<b>", f);
    rp_html_esc(f, s);
    fputs("</b>", f);
}

/* A commission cut that does not show in gross pay per hour: more drivers shared the riders.
 * Holds when the take rates differ by 5 points or more, the lower take's gross per hour rose by
 * less than half of what the take alone would give, and its drivers worked 5% more hours. */
static bool pay_vs_commission(FILE *f, const fig *a, const fig *b, const char *cur) {
    const fig *lo = a->take < b->take ? a : b, *hi = lo == a ? b : a;
    if (!(hi->take - lo->take >= 0.05) || !(hi->take < 1)) return false;
    double expect = (1 - lo->take) / (1 - hi->take) - 1, got = lo->gross_h / hi->gross_h - 1;
    if (!isfinite(got) || !(got < 0.5 * expect) || !(lo->hours > 1.05 * hi->hours)) return false;
    li(f);
    fputs(fabs(got) < 0.05 ? "Gross earnings per online hour barely changed between "
                           : "Gross earnings per online hour changed much less than the "
                             "commission between ",
          f);
    name(f, hi->name);
    fprintf(f, " (%.2f ", hi->gross_h);
    rp_html_esc(f, cur);
    fputs(") and ", f);
    name(f, lo->name);
    fprintf(f,
            " (%.2f) although one keeps %.0f%% of fares and the other %.0f%% (the cut alone "
            "would raise pay per hour by %.0f%%): on ",
            lo->gross_h, 100 * hi->take, 100 * lo->take, 100 * expect);
    rp_html_esc(f, lo->name);
    fprintf(f, " %.0f more driver-hours were worked (%.0f against %.0f", lo->hours - hi->hours,
            lo->hours, hi->hours);
    if (isfinite(lo->drivers) && lo->drivers > hi->drivers)
        fprintf(f, ", by %.0f drivers against %.0f", lo->drivers, hi->drivers);
    fprintf(f, "), so drivers spent less of each hour with a rider (%.0f%% against %.0f%%).</li>\n",
            100 * lo->util, 100 * hi->util);
    return true;
}

/* Surge that did not shorten waits: holds when one platform's fares were surged (mean
 * multiplier above 1.02 over the hours, 1.2 or more in some hour) and another's never were, and
 * the surged platform's mean wait is not 5% shorter. */
static bool surged(const fig *g) {
    return g->surge_mean > 1.02 && g->surge_max >= 1.2;
}

static bool waits_vs_surge(FILE *f, const fig *a, const fig *b) {
    const fig *s = surged(a) ? a : b, *n = s == a ? b : a;
    if (!surged(s) || !(n->surge_max <= 1.001)) return false;
    if (!(s->wait_s >= 0.95 * n->wait_s)) return false;
    li(f);
    fputs("Surge did not shorten the average wait: riders waited ", f);
    fprintf(f, "%.1f min on average on ", n->wait_s / 60);
    name(f, n->name);
    fprintf(f, " and %.1f min on ", s->wait_s / 60);
    name(f, s->name);
    fprintf(f, " (fares there were %.2f times the normal price on average, up to %.1f times)",
            s->surge_mean, s->surge_max);
    if (s->hours <= 1.05 * n->hours)
        fprintf(f, ", because higher prices brought no more driver-hours (%.0f against %.0f)",
                s->hours, n->hours);
    else
        fprintf(f, ", although drivers worked %.0f%% more hours", 100 * (s->hours / n->hours - 1));
    if (s->refused > n->refused) {
        fprintf(f, "; instead %.0f more riders refused the quoted price (%.0f against %.0f)",
                s->refused - n->refused, s->refused, n->refused);
        if (s->abandoned < n->abandoned)
            fprintf(f, ", so fewer gave up waiting (%.0f against %.0f)", s->abandoned,
                    n->abandoned);
    }
    fputs(".</li>\n", f);
    return true;
}

/* A co-op paying less per trip than another platform, with dividends on top: says whether the
 * dividends make up the difference. Holds when a platform pays dividends and pays less per trip
 * in trip pay than the other. */
static bool dividends(FILE *f, const fig *a, const fig *b, const char *cur) {
    const fig *c = a->dividends > 0 ? a : b, *o = c == a ? b : a;
    if (!(c->dividends > 0) || !(c->served > 0) || !(o->served > 0)) return false;
    double pc = c->pay / c->served, po = o->pay / o->served,
           extra = (c->dividends + (isfinite(c->topups) ? c->topups : 0)) / c->served;
    if (!(pc < po)) return false;
    li(f);
    fputs("Drivers on ", f);
    name(f, c->name);
    fprintf(f, " are paid less per trip than on ");
    name(f, o->name);
    fprintf(f, " (%.2f against %.2f ", pc, po);
    rp_html_esc(f, cur);
    fprintf(f, "), but dividends%s add %.2f per trip, so all they receive is %.2f per trip: ",
            c->topups > 0 ? " and pay-floor top-ups" : "", extra, pc + extra);
    fputs(pc + extra >= po ? "more than " : "still less than ", f);
    rp_html_esc(f, o->name);
    fputs(pc + extra >= po ? " pays.</li>\n"
                           : " pays, because the co-op's costs and reserve "
                             "take the rest of its share.</li>\n",
          f);
    return true;
}

/* Extraction falling faster than revenue: the cost of the service stays whatever the cut. Holds
 * when the lower-revenue platform's extraction fell by 5 points more (relatively) than its
 * revenue, with operating costs within 25% of each other. */
static bool extraction_vs_revenue(FILE *f, const fig *a, const fig *b, const char *cur) {
    const fig *lo = a->revenue < b->revenue ? a : b, *hi = lo == a ? b : a;
    if (!(hi->revenue > 0) || !(hi->extraction > 0) || !(lo->revenue > 0)) return false;
    double dr = 1 - lo->revenue / hi->revenue, de = 1 - lo->extraction / hi->extraction;
    if (!(de > dr + 0.05) || !(fabs(lo->opex / hi->opex - 1) < 0.25)) return false;
    li(f);
    name(f, lo->name);
    fprintf(f, " takes in %.0f%% less than ", 100 * dr);
    name(f, hi->name);
    if (lo->extraction > 0)
        fprintf(f, " but extracts %.0f%% less", 100 * de);
    else
        fputs(" but extracts nothing", f);
    fprintf(f,
            ", because running the service costs about the same on both (operating costs %.0f "
            "against %.0f ",
            lo->opex, hi->opex);
    rp_html_esc(f, cur);
    fputs("): a smaller cut leaves less above that cost.</li>\n", f);
    return true;
}

/* Drivers mostly waiting for a rider: holds when utilization is below 25%. */
static bool idle_drivers(FILE *f, const fig *g, const char *cur) {
    if (!(g->util < 0.25) || !(g->hours > 0) || !(g->served > 0)) return false;
    li(f);
    fputs("Drivers on ", f);
    name(f, g->name);
    fprintf(f,
            " had a rider only %.0f%% of their online time: %.0f driver-hours online for "
            "%.0f trips (%.1f trips per online hour), so each hour earned only %.2f ",
            100 * g->util, g->hours, g->served, g->served / g->hours, g->gross_h);
    rp_html_esc(f, cur);
    fputs(
        " before vehicle costs; more drivers than the riders needed shared the same fares.</li>\n",
        f);
    return true;
}

/* Drivers leaving from day one to the last day while those who stay carry more riders: holds
 * when a platform's online hours fell by 15% or more and its utilization rose. */
static bool drivers_leave(FILE *f, const rp_ctx *ctx, size_t p, rp_day *d, size_t cap) {
    bool fe = false;
    size_t n = rp_days_of(ctx, p, d, cap, &fe);
    if (n < 2) return false;
    const rp_day *a = &d[0], *z = &d[n - 1];
    if (!(z->online_hours <= 0.85 * a->online_hours) || !(z->utilization > a->utilization))
        return false;
    li(f);
    fprintf(f, "From day 1 to day %zu on ", n);
    name(f, ctx->pf[p].name);
    fprintf(f,
            ", driver-hours online fell from %.0f to %.0f while the share of online time with "
            "a rider rose from %.0f%% to %.0f%%",
            a->online_hours, z->online_hours, 100 * a->utilization, 100 * z->utilization);
    if (isfinite(a->pay_per_hour) && isfinite(z->pay_per_hour))
        fprintf(f, " and pay per online hour from %.2f to %.2f", a->pay_per_hour, z->pay_per_hour);
    fputs(": drivers whom the past days did not pay enough stayed home, and those who kept "
          "driving had more riders each.</li>\n",
          f);
    return true;
}

void rp_explain(FILE *f, const rp_ctx *ctx, const char *cur) {
    if (ctx->points || ctx->npf == 0) return;
    fig *g = calloc(ctx->npf, sizeof *g);
    size_t cap = 4000;
    rp_day *d = calloc(cap, sizeof *d);
    if (!g || !d) {
        free(g);
        free(d);
        return;
    }
    for (size_t i = 0; i < ctx->npf; i++)
        fig_of(ctx, i, &g[i]);
    /* Written into a buffer first: no heading when no rule holds. */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int n = 0;
    for (size_t i = 0; m && i < ctx->npf; i++)
        for (size_t k = i + 1; k < ctx->npf; k++) {
            n += pay_vs_commission(m, &g[i], &g[k], cur);
            n += waits_vs_surge(m, &g[i], &g[k]);
            n += dividends(m, &g[i], &g[k], cur);
            n += extraction_vs_revenue(m, &g[i], &g[k], cur);
        }
    if (m) n += rp_explain_surge_payers(m, ctx);
    for (size_t i = 0; m && i < ctx->npf; i++) {
        n += idle_drivers(m, &g[i], cur);
        n += drivers_leave(m, ctx, i, d, cap);
    }
    if (m) fclose(m);
    if (n > 0 && buf) {
        fputs("<h3 id=\"why\">Why these numbers</h3>\n<ul class=\"why\">\n", f);
        fputs(buf, f);
        fputs("</ul>\n", f);
    }
    free(buf);
    free(g);
    free(d);
}
