/* Day by day: each platform's figures per day of a multi-day run, from days.csv (free entry) or,
 * for a fixed pool, summed from hourly.csv with the pay from books.csv; the report's per-day
 * table (weekly beyond 14 days) and what the explanations read. */
#include "models/report/report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool row_is(const rp_table *t, size_t r, int pc, const char *name, size_t npf) {
    if (pc < 0) return npf == 1;
    return name && strcmp(rp_cell(t, r, pc), name) == 0;
}

/* A column of t by its declared name; -1 when the file lacks it. */
static int col(const rp_ctx *ctx, const rp_table *t, const char *name) {
    return rp_col(ctx, t, name);
}

static size_t from_days_csv(const rp_ctx *ctx, size_t p, rp_day *out, size_t cap) {
    const rp_table *t = &ctx->days;
    int pc = col(ctx, t, "platform"), dc = col(ctx, t, "day"), ac = col(ctx, t, "active_drivers"),
        hc = col(ctx, t, "online_hours"), uc = col(ctx, t, "utilization"),
        nc = col(ctx, t, "net_per_hour"), rc = col(ctx, t, "requests"), sc = col(ctx, t, "served"),
        bc = col(ctx, t, "abandoned"), wc = col(ctx, t, "wait_mean_s");
    size_t n = 0;
    if (dc < 0) return 0;
    for (size_t r = 0; r < t->nrows && n < cap; r++) {
        if (!row_is(t, r, pc, ctx->pf[p].name, ctx->npf)) continue;
        rp_day *d = &out[n++];
        d->day = rp_num(t, r, dc);
        d->drivers = rp_num(t, r, ac);
        d->online_hours = rp_num(t, r, hc);
        d->utilization = rp_num(t, r, uc);
        d->pay_per_hour = rp_num(t, r, nc);
        d->requests = rp_num(t, r, rc);
        d->served = rp_num(t, r, sc);
        d->abandoned = rp_num(t, r, bc);
        d->wait_s = rp_num(t, r, wc);
    }
    return n;
}

/* All the platform paid drivers on each day of books.csv (day 1 = the run's first day). */
static void pay_from_books(const rp_ctx *ctx, size_t p, rp_day *out, size_t n) {
    const rp_table *t = &ctx->books;
    int pc = col(ctx, t, "platform"), dc = col(ctx, t, "day");
    static const char *const plus[] = {"gross_bookings", "subsidies", "floor_paid", "dividends"};
    static const char *const minus[] = {"revenue", "entry_fees"};
    int cp[4], cm[2];
    for (int k = 0; k < 4; k++)
        cp[k] = col(ctx, t, plus[k]);
    for (int k = 0; k < 2; k++)
        cm[k] = col(ctx, t, minus[k]);
    if (dc < 0 || cp[0] < 0 || cm[0] < 0) return;
    for (size_t r = 0; r < t->nrows; r++) {
        if (!row_is(t, r, pc, ctx->pf[p].name, ctx->npf)) continue;
        double day = rp_num(t, r, dc) - 1;
        if (!(day >= 0) || day >= (double)n) continue;
        double v = 0;
        for (int k = 0; k < 4; k++)
            if (cp[k] >= 0 && isfinite(rp_num(t, r, cp[k]))) v += rp_num(t, r, cp[k]);
        for (int k = 0; k < 2; k++)
            if (cm[k] >= 0 && isfinite(rp_num(t, r, cm[k]))) v -= rp_num(t, r, cm[k]);
        rp_day *d = &out[(size_t)day];
        d->pay_per_hour = d->online_hours > 0 ? v / d->online_hours : NAN;
    }
}

/* A fixed pool: hours summed into days (only whole days' worth of hours is not required: the
 * last day may be part of one). */
static size_t from_hourly(const rp_ctx *ctx, size_t p, rp_day *out, size_t cap) {
    const rp_table *t = &ctx->hourly;
    int pc = col(ctx, t, "platform"), hc = col(ctx, t, "hour"), oc = col(ctx, t, "online_drivers"),
        uc = col(ctx, t, "utilization"), rc = col(ctx, t, "requests"), sc = col(ctx, t, "served"),
        bc = col(ctx, t, "abandoned"), wc = col(ctx, t, "wait_mean_s");
    if (hc < 0 || oc < 0) return 0;
    size_t n = 0;
    double *busy = calloc(cap ? cap : 1, sizeof *busy),
           *waited = calloc(cap ? cap : 1, sizeof *waited);
    if (!busy || !waited) {
        free(busy);
        free(waited);
        return 0;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (!row_is(t, r, pc, ctx->pf[p].name, ctx->npf)) continue;
        double h = rp_num(t, r, hc);
        if (!(h >= 0)) continue;
        size_t d = (size_t)(h / 24);
        if (d >= cap) continue;
        while (n <= d) {
            memset(&out[n], 0, sizeof out[n]);
            out[n].day = (double)n;
            out[n].drivers = 0;
            n++;
        }
        rp_day *o = &out[d];
        double on = rp_num(t, r, oc), u = rp_num(t, r, uc), s = rp_num(t, r, sc),
               w = rp_num(t, r, wc);
        if (isfinite(on)) {
            o->online_hours += on;
            if (on > o->drivers) o->drivers = on;
            if (isfinite(u)) busy[d] += u * on;
        }
        if (isfinite(rp_num(t, r, rc))) o->requests += rp_num(t, r, rc);
        if (isfinite(s)) o->served += s;
        if (isfinite(rp_num(t, r, bc))) o->abandoned += rp_num(t, r, bc);
        if (isfinite(s) && isfinite(w)) {
            waited[d] += s * w;
            o->wait_s += s; /* the weight, for now */
        }
    }
    for (size_t d = 0; d < n; d++) {
        out[d].utilization = out[d].online_hours > 0 ? busy[d] / out[d].online_hours : NAN;
        out[d].wait_s = out[d].wait_s > 0 ? waited[d] / out[d].wait_s : NAN;
        out[d].pay_per_hour = NAN;
    }
    free(busy);
    free(waited);
    pay_from_books(ctx, p, out, n);
    return n;
}

size_t rp_days_of(const rp_ctx *ctx, size_t p, rp_day *out, size_t cap, bool *free_entry) {
    *free_entry = ctx->days.nrows > 0;
    if (p >= ctx->npf) return 0;
    return *free_entry ? from_days_csv(ctx, p, out, cap) : from_hourly(ctx, p, out, cap);
}

/* Means per day of days [a, b). */
static rp_day mean_of(const rp_day *d, size_t a, size_t b) {
    rp_day m;
    memset(&m, 0, sizeof m);
    double k = (double)(b - a), hours = 0, busy = 0, pay = 0, served = 0, waited = 0;
    bool has_pay = true;
    for (size_t i = a; i < b; i++) {
        m.drivers += d[i].drivers / k;
        m.online_hours += d[i].online_hours / k;
        m.requests += d[i].requests / k;
        m.served += d[i].served / k;
        m.abandoned += d[i].abandoned / k;
        if (isfinite(d[i].utilization)) busy += d[i].utilization * d[i].online_hours;
        if (isfinite(d[i].pay_per_hour))
            pay += d[i].pay_per_hour * d[i].online_hours;
        else
            has_pay = false;
        hours += d[i].online_hours;
        if (isfinite(d[i].wait_s)) {
            waited += d[i].wait_s * d[i].served;
            served += d[i].served;
        }
    }
    m.day = d[a].day;
    m.utilization = hours > 0 ? busy / hours : NAN;
    m.pay_per_hour = hours > 0 && has_pay ? pay / hours : NAN;
    m.wait_s = served > 0 ? waited / served : NAN;
    return m;
}

static void td(FILE *f, const char *fmt, double v) {
    fputs("<td>", f);
    if (isfinite(v))
        fprintf(f, fmt, v);
    else
        fputs("–", f);
    fputs("</td>", f);
}

static void row(FILE *f, const char *label, const rp_day *d) {
    fputs("<tr><td>", f);
    fputs(label, f);
    fputs("</td>", f);
    td(f, "%.0f", d->drivers);
    td(f, "%.0f", d->online_hours);
    td(f, "%.0f%%", 100 * d->utilization);
    td(f, "%.2f", d->pay_per_hour);
    td(f, "%.0f", d->served);
    td(f, "%.0f", d->abandoned);
    td(f, "%.1f", d->wait_s / 60);
    fputs("</tr>\n", f);
}

void rp_days_section(FILE *f, const rp_ctx *ctx, const char *cur) {
    if (ctx->points || ctx->npf == 0) return;
    size_t cap = 4000;
    rp_day *d = calloc(cap, sizeof *d);
    if (!d) return;
    bool free_entry = false, opened = false;
    for (size_t p = 0; p < ctx->npf; p++) {
        size_t n = rp_days_of(ctx, p, d, cap, &free_entry);
        if (n < 2) continue;
        if (!opened) {
            opened = true;
            fputs("<section id=\"days\"><h2>Day by day</h2>\n<p>", f);
            if (n > 14)
                fprintf(f,
                        "The run covers %zu days: one row per week, each the mean per day "
                        "over that week's days. ",
                        n);
            fputs(free_entry
                      ? "Drivers in the fleet that day; pay is net of vehicle costs (days.csv). "
                      : "“Drivers” is the most drivers online in any hour of the day; pay is "
                        "gross, before vehicle costs (everything the platform paid drivers that "
                        "day, from books.csv, over the day's online hours). ",
                  f);
            fputs("Waits are the mean from request to pickup.</p>\n", f);
        }
        fputs("<h3>", f);
        rp_html_esc(f, ctx->pf[p].name);
        fputs("</h3>\n<table><thead><tr><th></th><th>Drivers</th><th>Online hours</th>"
              "<th>Share of online time with a rider</th><th>",
              f);
        fputs(free_entry ? "Net pay per online hour (" : "Gross pay per online hour (", f);
        rp_html_esc(f, cur);
        fputs(")</th><th>Riders served</th><th>Gave up waiting</th><th>Mean wait (min)</th>"
              "</tr></thead><tbody>\n",
              f);
        char label[64];
        if (n <= 14) {
            for (size_t i = 0; i < n; i++) {
                snprintf(label, sizeof label, "Day %zu", i + 1);
                row(f, label, &d[i]);
            }
        } else {
            for (size_t a = 0; a < n; a += 7) {
                size_t b = a + 7 < n ? a + 7 : n;
                rp_day m = mean_of(d, a, b);
                if (b - a > 1)
                    snprintf(label, sizeof label, "Week %zu (days %zu–%zu)", a / 7 + 1, a + 1, b);
                else
                    snprintf(label, sizeof label, "Day %zu", a + 1);
                row(f, label, &m);
            }
        }
        fputs("</tbody></table>\n", f);
    }
    if (opened) fputs("</section>\n", f);
    free(d);
}
