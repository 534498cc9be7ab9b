/* The plots of the report and the data files behind them: which table and columns each plot
 * reads (by the names the output schema declares) and how to read the plot.
 * Longer than most files: one data-file writer per plot, each short; the next split is by
 * section (market, money and books, chain, governance), as the plot table already groups them. */
#include "models/report/report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define C_PLATFORM "platform"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Values of one column for one platform, NaN dropped, and only drivers who went online when the
 * table says (as summary.json counts them); *n set. NULL when none (or no memory). */
static double *column_values(const rp_ctx *ctx, const rp_table *t, int col, size_t p, size_t *n) {
    int pc = rp_col(ctx, t, C_PLATFORM), oc = rp_col(ctx, t, "online_hours");
    double *v = malloc((t->nrows + 1) * sizeof *v);
    *n = 0;
    if (!v) return NULL;
    for (size_t r = 0; r < t->nrows; r++) {
        if (rp_row_platform(ctx, t, r, pc) != (long)p) continue;
        if (oc >= 0 && !(rp_num(t, r, oc) > 0)) continue;
        double x = rp_num(t, r, col);
        if (isfinite(x)) v[(*n)++] = x;
    }
    if (*n == 0) {
        free(v);
        return NULL;
    }
    return v;
}

/* ---- drivers ---------------------------------------------------------------------------- */

static int prep_earnings(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    int col = rp_col(ctx, &ctx->drivers, "net_per_hour");
    if (col < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (size_t i = 0; i < ctx->npf; i++) {
        size_t n;
        double *v = column_values(ctx, &ctx->drivers, col, i, &n);
        if (!v) continue;
        qsort(v, n, sizeof *v, cmp_double);
        if (blocks++) fputs("\n\n", d.f);
        rp_note_block(ctx, i);
        rp_dlabel(d.f, ctx->pf[i].name, NULL, "\n");
        for (size_t k = 0; k < n; k++)
            fprintf(d.f, "%.6g\t%.6g\n", v[k], (double)(k + 1) / (double)n);
        free(v);
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}

static int prep_lorenz(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    int col = rp_col(ctx, &ctx->drivers, "net");
    if (col < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (size_t i = 0; i < ctx->npf; i++) {
        size_t n;
        double *v = column_values(ctx, &ctx->drivers, col, i, &n);
        if (!v) continue;
        /* Losses would make the curve leave the unit square; count them as no income. */
        double total = 0;
        for (size_t k = 0; k < n; k++) {
            if (v[k] < 0) v[k] = 0;
            total += v[k];
        }
        qsort(v, n, sizeof *v, cmp_double);
        double g = rp_pnum(ctx, ctx->pf[i].j, "drivers.income_gini");
        if (!isfinite(g) && total > 0) {
            double s = 0;
            for (size_t k = 0; k < n; k++)
                s += (2.0 * (double)(k + 1) - (double)n - 1.0) * v[k];
            g = s / ((double)n * total);
        }
        char gini[64];
        snprintf(gini, sizeof gini, isfinite(g) ? "Gini %.2f" : "Gini n/a", g);
        if (blocks++) fputs("\n\n", d.f);
        rp_note_block(ctx, i);
        rp_dlabel(d.f, ctx->pf[i].name, gini, "\n");
        fputs("0\t0\n", d.f);
        double cum = 0;
        for (size_t k = 0; k < n; k++) {
            cum += v[k];
            fprintf(d.f, "%.6g\t%.6g\n", (double)(k + 1) / (double)n, total > 0 ? cum / total : 0);
        }
        free(v);
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}

/* ---- hour by hour ----------------------------------------------------------------------- */

#define C_HOUR "hour"
#define C_FINAL "finality_mean_s"
#define C_FINAL95 "finality_p95_s"

/* One block per platform of columns `cols` of table t against its column xcol. With
 * zero_is_none, a column that is 0 throughout for a platform (a centralized platform's reserve)
 * counts as having no value: no curve and no key entry. */
static int table_blocks(rp_ctx *ctx, const rp_plot *p, const rp_table *t, const char *xcol,
                        const char *xname, const char *const *cols, const char *const *labels,
                        size_t k, double scale, bool zero_is_none, char *err, size_t errlen) {
    int hc = rp_col(ctx, t, xcol), pc = rp_col(ctx, t, C_PLATFORM), c[4];
    if (hc < 0) return 1;
    for (size_t j = 0; j < k; j++)
        if ((c[j] = rp_col(ctx, t, cols[j])) < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (size_t i = 0; i < ctx->npf; i++) {
        /* A platform with no value at all in these columns (e.g. payment finality on a central
         * ledger, written as empty cells) gets no curve; with none left the plot is skipped. */
        bool has_value = false, live[4] = {false, false, false, false};
        for (size_t r = 0; r < t->nrows; r++) {
            if (rp_row_platform(ctx, t, r, pc) != (long)i) continue;
            for (size_t j = 0; j < k; j++) {
                double v = rp_num(t, r, c[j]);
                if (isfinite(v) && (!zero_is_none || v != 0)) live[j] = has_value = true;
            }
        }
        if (!has_value) continue;
        bool any = false;
        for (size_t r = 0; r < t->nrows; r++) {
            if (rp_row_platform(ctx, t, r, pc) != (long)i) continue;
            if (!any) {
                if (blocks++) fputs("\n\n", d.f);
                rp_note_block(ctx, i);
                fprintf(d.f, "\"%s\"", xname);
                for (size_t j = 0; j < k; j++) {
                    fputc('\t', d.f);
                    if (live[j])
                        rp_dlabel(d.f, ctx->pf[i].name, labels[j], "");
                    else
                        fputs("\"\"", d.f); /* an empty title: no key entry */
                }
                fputc('\n', d.f);
                any = true;
            }
            fprintf(d.f, "%.6g", rp_num(t, r, hc));
            for (size_t j = 0; j < k; j++) {
                double v = rp_num(t, r, c[j]);
                if (isfinite(v) && live[j])
                    fprintf(d.f, "\t%.6g", v * scale);
                else
                    fputs("\tnan", d.f);
            }
            fputc('\n', d.f);
        }
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}

static int hourly_blocks(rp_ctx *ctx, const rp_plot *p, const char *const *cols,
                         const char *const *labels, size_t k, double scale, char *err,
                         size_t errlen) {
    return table_blocks(ctx, p, &ctx->hourly, C_HOUR, "hour", cols, labels, k, scale, false, err,
                        errlen);
}

/* ---- the books, by day -------------------------------------------------------------------- */

#define C_DAY "day"
#define C_CASH "cash"
#define C_RESERVE "reserve"
#define C_OWED "floor_owed"
#define C_PAID "floor_paid"

static int prep_cash(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    if (ctx->books.nrows < 2) return 1; /* one day: the tables say it all */
    const char *const cols[] = {C_CASH, C_RESERVE};
    const char *labels[] = {"cash", "co-op reserve"};
    return table_blocks(ctx, p, &ctx->books, C_DAY, "day", cols, labels, 2, 1, true, err, errlen);
}

static int prep_floor(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    int oc = rp_col(ctx, &ctx->books, C_OWED);
    bool owed = false;
    for (size_t r = 0; oc >= 0 && r < ctx->books.nrows && !owed; r++)
        owed = rp_num(&ctx->books, r, oc) > 0;
    if (!owed) return 1; /* no floor, or never below it */
    const char *const cols[] = {C_OWED, C_PAID};
    const char *labels[] = {"owed", "paid"};
    return table_blocks(ctx, p, &ctx->books, C_DAY, "day", cols, labels, 2, 1, true, err, errlen);
}

static int prep_demand(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    const char *const cols[] = {"requests", "served", "abandoned"};
    const char *labels[] = {"requests", "served", "abandoned"};
    return hourly_blocks(ctx, p, cols, labels, 3, 1, err, errlen);
}

static int prep_wait(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    const char *const cols[] = {"wait_p50_s", "wait_p95_s"};
    const char *labels[] = {"median", "95th percentile"};
    return hourly_blocks(ctx, p, cols, labels, 2, 1.0 / 60, err, errlen);
}

static int prep_one_hourly(rp_ctx *ctx, const rp_plot *p, const char *col, double scale, char *err,
                           size_t errlen) {
    const char *const cols[] = {col};
    const char *labels[] = {NULL};
    return hourly_blocks(ctx, p, cols, labels, 1, scale, err, errlen);
}

static int prep_util(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return prep_one_hourly(ctx, p, "utilization", 1, err, errlen);
}
static int prep_surge(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return prep_one_hourly(ctx, p, "mean_surge", 1, err, errlen);
}
static int prep_online(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return prep_one_hourly(ctx, p, "online_drivers", 1, err, errlen);
}
static int prep_finality(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    if (rp_col(ctx, &ctx->hourly, C_FINAL95) >= 0) {
        const char *const cols[] = {C_FINAL, C_FINAL95};
        const char *labels[] = {"mean", "95th percentile"};
        return hourly_blocks(ctx, p, cols, labels, 2, 1, err, errlen);
    }
    return prep_one_hourly(ctx, p, C_FINAL, 1, err, errlen);
}

/* ---- where the money goes ----------------------------------------------------------------- */

static int prep_flows(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    if (ctx->points) return 1; /* a sweep: the money of each point is in the report's table */
    rp_dfile d;
    int rows = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    fputs("\"platform\"", d.f);
    for (size_t c = 0; c < RP_NFLOW; c++)
        fprintf(d.f, "\t\"%s\"", rp_flow_names[c]);
    fputc('\n', d.f);
    for (size_t i = 0; i < ctx->npf; i++) {
        const json_t *j = ctx->pf[i].j;
        double served = rp_pnum(ctx, j, "riders.served"), v[RP_NFLOW], drawn;
        if (!(served > 0) || rp_flows(ctx, j, v, &drawn) != 0) continue;
        rp_dlabel(d.f, ctx->pf[i].name, NULL, "");
        for (size_t c = 0; c < RP_NFLOW; c++)
            fprintf(d.f, "\t%.6g", v[c] / served);
        fputc('\n', d.f);
        rows++;
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return rows ? 0 : 1;
}

/* ---- chain ------------------------------------------------------------------------------ */

#define C_TIME "time_s"

/* Column yc against column xc (divided by x_div: seconds to hours), one block per platform:
 * the value, or its running count (blocks.csv, days.csv, competition.csv). */
int rp_series(rp_ctx *ctx, const rp_plot *p, const rp_table *t, const char *xc, const char *yc,
              bool cumulative, double x_div, char *err, size_t errlen) {
    int x = rp_col(ctx, t, xc), y = rp_col(ctx, t, yc), pc = rp_col(ctx, t, C_PLATFORM);
    if (x < 0 || y < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (size_t i = 0; i < ctx->npf; i++) {
        bool any = false;
        double run = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            if (rp_row_platform(ctx, t, r, pc) != (long)i) continue;
            double tx = rp_num(t, r, x), ty = rp_num(t, r, y);
            if (!isfinite(tx) || !isfinite(ty)) continue;
            if (!any) {
                if (blocks++) fputs("\n\n", d.f);
                rp_note_block(ctx, i);
                rp_dlabel(d.f, ctx->pf[i].name, NULL, "\n");
                any = true;
            }
            if (cumulative) run += ty != 0;
            fprintf(d.f, "%.6g\t%.6g\n", tx / x_div, cumulative ? run : ty);
        }
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}

static int prep_propagation(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return rp_series(ctx, p, &ctx->blocks, C_TIME, "propagation_p50_s", false, 3600, err, errlen);
}
static int prep_mempool(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return rp_series(ctx, p, &ctx->blocks, C_TIME, "mempool", false, 3600, err, errlen);
}
static int prep_txs(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return rp_series(ctx, p, &ctx->blocks, C_TIME, "transactions", false, 3600, err, errlen);
}
static int prep_stale(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return rp_series(ctx, p, &ctx->blocks, C_TIME, "stale", true, 3600, err, errlen);
}

/* ---- days (free entry) ------------------------------------------------------------------ */

/* One column of days.csv against the day. */
static int daily(rp_ctx *ctx, const rp_plot *p, int column, char *err, size_t errlen) {
    return rp_series(ctx, p, &ctx->days, sch_name(&schema_days_csv, SCH_DAYS_DAY),
                     sch_name(&schema_days_csv, (size_t)column), false, 1, err, errlen);
}

static int prep_days_net(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return daily(ctx, p, SCH_DAYS_NET, err, errlen);
}
static int prep_days_active(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return daily(ctx, p, SCH_DAYS_ACTIVE, err, errlen);
}

/* ---- competition (a shared market) ------------------------------------------------------ */

static int prep_compete_share(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return rp_compete_daily(ctx, p, "request_share", err, errlen);
}
static int prep_compete_eta(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return rp_compete_daily(ctx, p, "shown_eta_s", err, errlen);
}
static int prep_compete_burn(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    return rp_compete_daily(ctx, p, "burn", err, errlen);
}

/* Driver-hours online per day, from days.csv or, for a fixed pool, hourly.csv (days.c). */
static int prep_days_hours(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    if (ctx->points) return 1;
    size_t cap = 4000;
    rp_day *d = calloc(cap, sizeof *d);
    if (!d) return snprintf(err, errlen, "out of memory"), 2;
    rp_dfile f;
    int blocks = 0;
    if (rp_dopen(&f, ctx, p->name, err, errlen) != 0) {
        free(d);
        return 2;
    }
    for (size_t i = 0; i < ctx->npf; i++) {
        bool fe;
        size_t n = rp_days_of(ctx, i, d, cap, &fe);
        if (n < 2) continue;
        if (blocks++) fputs("\n\n", f.f);
        rp_note_block(ctx, i);
        rp_dlabel(f.f, ctx->pf[i].name, NULL, "\n");
        for (size_t k = 0; k < n; k++)
            fprintf(f.f, "%.6g\t%.6g\n", d[k].day + 1, d[k].online_hours);
    }
    free(d);
    if (rp_dclose(&f, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}

/* ---- governance ------------------------------------------------------------------------- */

/* governance.csv's 0/1 columns (quorum_met, passed). */
static bool yes(const char *s) {
    return strcmp(s, "1") == 0;
}

/* Rules that are shares, plotted in percent (rules.csv columns and governance.csv names). */
static const char *const SHARE_RULES[][2] = {{"commission", "commission"},
                                             {"reserve_share", "reserve share"}};

static bool is_share_rule(const char *s) {
    for (size_t k = 0; k < sizeof SHARE_RULES / sizeof SHARE_RULES[0]; k++)
        if (strcmp(s, SHARE_RULES[k][0]) == 0) return true;
    return false;
}

/* rules.csv (the rules at each epoch) as steps per rule and platform, then governance.csv's
 * passed proposals on share rules as a last block of dots. */
static int prep_rules(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    const rp_table *t = &ctx->rules, *g = &ctx->governance;
    int tc = rp_col(ctx, t, C_TIME), pc = rp_col(ctx, t, C_PLATFORM);
    if (tc < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (size_t i = 0; i < ctx->npf; i++)
        for (size_t k = 0; k < sizeof SHARE_RULES / sizeof SHARE_RULES[0]; k++) {
            int vc = rp_col(ctx, t, SHARE_RULES[k][0]);
            if (vc < 0) continue;
            bool any = false;
            double last_t = NAN, last_v = NAN;
            for (size_t r = 0; r < t->nrows; r++) {
                double tx = rp_num(t, r, tc), v = rp_num(t, r, vc);
                if (rp_row_platform(ctx, t, r, pc) != (long)i || !isfinite(tx) || !isfinite(v))
                    continue;
                if (!any) {
                    if (blocks++) fputs("\n\n", d.f);
                    /* Each rule its own colour: rules of one platform differ by style. */
                    rp_note_block(ctx, (i + k * 2) % 8);
                    rp_dlabel(d.f, ctx->npf > 1 ? ctx->pf[i].name : SHARE_RULES[k][1],
                              ctx->npf > 1 ? SHARE_RULES[k][1] : NULL, "\n");
                    any = true;
                }
                fprintf(d.f, "%.6g\t%.6g\n", tx / 86400, 100 * v);
                last_t = tx;
                last_v = v;
            }
            /* Carry the last value to the end of the run, so the last step shows. */
            double end = rp_snum(ctx, "duration_s");
            if (any && isfinite(end) && end > last_t)
                fprintf(d.f, "%.6g\t%.6g\n", end / 86400, 100 * last_v);
        }
    if (blocks == 0) {
        fclose(d.f);
        remove(d.tmp);
        return 1;
    }
    /* Passed changes: a filled dot where one applied (at applied_s), an open one at the close
     * of the vote for one passed but not applied by the end of the run (its epoch came later). */
    int rc = rp_col(ctx, g, "rule"), vc = rp_col(ctx, g, "new_value"),
        ac = rp_col(ctx, g, "passed"), gt = rp_col(ctx, g, C_TIME),
        at = rp_col(ctx, g, "applied_s");
    for (int applied = 1; applied >= 0; applied--) {
        int n = 0;
        fputs(applied ? "\n\n\"passed, applied\"\n" : "\n\n\"passed, not yet applied\"\n", d.f);
        for (size_t r = 0; rc >= 0 && vc >= 0 && ac >= 0 && gt >= 0 && r < g->nrows; r++) {
            double tx = rp_num(g, r, gt), v = rp_num(g, r, vc);
            double ta = at >= 0 ? rp_num(g, r, at) : NAN;
            if (!is_share_rule(rp_cell(g, r, rc)) || !yes(rp_cell(g, r, ac)) || !isfinite(v))
                continue;
            if (isfinite(ta) != (bool)applied) continue;
            double x = applied ? ta : tx;
            if (!isfinite(x)) continue;
            fprintf(d.f, "%.6g\t%.6g\n", x / 86400, 100 * v);
            n++;
        }
        if (n == 0) fputs("nan\tnan\n", d.f);
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return 0;
}

static int prep_turnout(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    const rp_table *t = &ctx->governance;
    int tc = rp_col(ctx, t, C_TIME), uc = rp_col(ctx, t, "turnout"), ac = rp_col(ctx, t, "passed");
    if (tc < 0 || uc < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (int pass = 1; pass >= 0; pass--) {
        bool any = false;
        for (size_t r = 0; r < t->nrows; r++) {
            if (ac >= 0 && yes(rp_cell(t, r, ac)) != (bool)pass) continue;
            double tx = rp_num(t, r, tc), u = rp_num(t, r, uc);
            if (!isfinite(tx) || !isfinite(u)) continue;
            if (!any) {
                if (blocks++) fputs("\n\n", d.f);
                rp_note_block(ctx, pass ? 6 : 7); /* black for passed, grey for rejected */
                rp_dlabel(d.f, ac < 0 ? "proposals" : pass ? "passed" : "rejected", NULL, "\n");
                any = true;
            }
            fprintf(d.f, "%.6g\t%.6g\n", tx / 86400, u);
        }
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}

/* ---- replications and sweeps ---------------------------------------------------------- */

/* A parameter value as a number: "15%" is 15, "10min" is 10 (the unit is in the axis label). */
static double leading_number(const char *s) {
    char *end;
    double v = strtod(s, &end);
    return end == s ? NAN : v;
}

void rp_sweep_label(const rp_ctx *ctx, char *out, size_t n) {
    const char *path;
    int c = rp_sweep_param_col(ctx, &path);
    if (c < 0) {
        snprintf(out, n, "parameter");
        return;
    }
    /* Values such as "15%" or "10min" are plotted as 15 or 10: the unit goes on the axis. */
    const char *v = rp_cell(&ctx->sweep, 0, c);
    char *end;
    strtod(v, &end);
    if (end != v && *end)
        snprintf(out, n, "%s (%s)", ctx->sweep.head[c], end);
    else
        snprintf(out, n, "%s", ctx->sweep.head[c]);
}

/* One metric (args[3], a summary path such as drivers.net_per_hour) against the parameter, per
 * platform: the mean and its 95% interval over the replications of each point. */
static int prep_sweep(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    const rp_table *t = &ctx->sweep;
    const char *path;
    int xc = rp_sweep_param_col(ctx, &path);
    if (xc < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    /* Waits are in seconds in the tables of record, in minutes wherever a reader sees them. */
    size_t ml = strlen(p->args[3]);
    double scale = ml > 2 && strcmp(p->args[3] + ml - 2, "_s") == 0 ? 1.0 / 60 : 1.0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (size_t i = 0; i < ctx->npf; i++) {
        static const char *const suffix[3] = {"mean", "ci95_low", "ci95_high"};
        int c[3];
        for (int k = 0; k < 3; k++)
            c[k] = rp_sweep_col(ctx, ctx->pf[i].name, p->args[3], suffix[k]);
        if (c[0] < 0) continue;
        bool any = false;
        for (size_t r = 0; r < t->nrows; r++) {
            double x = leading_number(rp_cell(t, r, xc)), m = rp_num(t, r, c[0]),
                   lo = rp_num(t, r, c[1]), hi = rp_num(t, r, c[2]);
            if (!isfinite(x) || !isfinite(m)) continue;
            if (!any) {
                if (blocks++) fputs("\n\n", d.f);
                rp_note_block(ctx, i);
                rp_dlabel(d.f, ctx->pf[i].name, NULL, "\n");
                any = true;
            }
            fprintf(d.f, "%.6g\t%.6g\t%.6g\t%.6g\n", x, m * scale, (isfinite(lo) ? lo : m) * scale,
                    (isfinite(hi) ? hi : m) * scale);
        }
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}

/* Metrics of the paired-differences plot, and how they are named there. */
static const char *const DIFF_METRICS[][2] = {
    {"drivers.net_per_hour", "drivers' net per hour"},
    {"drivers.gross_per_hour", "drivers' gross per hour"},
    {"drivers.count", "drivers online"},
    {"drivers.utilization", "utilization"},
    {"drivers.income_gini", "income Gini"},
    {"riders.served", "trips served"},
    {"riders.wait_p95_s", "95th pct wait"},
    {"riders.fare_mean", "mean fare"},
    {"platform.driver_pay", "driver pay"},
    {"platform.revenue", "platform revenue"},
};

static const rp_platform *find_pf(const rp_ctx *ctx, const char *name) {
    for (size_t i = 0; name && i < ctx->npf; i++)
        if (strcmp(ctx->pf[i].name, name) == 0) return &ctx->pf[i];
    return NULL;
}

/* summary.json "comparison": [{platform, baseline, difference: {metric: {mean, ci95_low,
 * ci95_high}}}], each difference shown relative to the baseline platform's mean. */
static int prep_diffs(rp_ctx *ctx, const rp_plot *p, char *err, size_t errlen) {
    const json_t *cmp = rp_sget(ctx, "comparison");
    if (!json_is_array(cmp)) return 1;
    rp_dfile d;
    int n = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    size_t k;
    const json_t *e;
    json_array_foreach(cmp, k, e) {
        const json_t *jp = rp_get(ctx, e, &schema_comparison, "platform"),
                     *jb = rp_get(ctx, e, &schema_comparison, "baseline");
        const char *pn = json_string_value(jp), *bn = json_string_value(jb);
        const rp_platform *base = find_pf(ctx, bn);
        const json_t *diff = rp_get(ctx, e, &schema_comparison, "difference");
        if (!base || !pn || !json_is_object(diff)) continue;
        for (size_t m = 0; m < sizeof DIFF_METRICS / sizeof DIFF_METRICS[0]; m++) {
            const json_t *o = rp_difference(ctx, diff, DIFF_METRICS[m][0]);
            double b = rp_pnum(ctx, base->j, DIFF_METRICS[m][0]), dv = rp_stat(ctx, o, "mean"),
                   lo = rp_stat(ctx, o, "ci95_low"), hi = rp_stat(ctx, o, "ci95_high");
            if (!o || !isfinite(b) || fabs(b) < 1e-9 || !isfinite(dv) || !isfinite(lo) ||
                !isfinite(hi))
                continue;
            fprintf(d.f, "%d\t%.6g\t%.6g\t%.6g\t", ++n, 100 * dv / fabs(b), 100 * lo / fabs(b),
                    100 * hi / fabs(b));
            char label[256];
            snprintf(label, sizeof label, "%s vs %s", pn, bn);
            rp_dlabel(d.f, DIFF_METRICS[m][1], json_array_size(cmp) > 1 ? label : NULL, "\n");
        }
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return n ? 0 : 1;
}

/* ---- the list ----------------------------------------------------------------------------- */

#define HOUR_X "hour of the simulated period"

const rp_plot rp_plots[] = {
    {"value_flows",
     "flows",
     "money",
     "Where riders' money goes",
     "Each bar is one platform's average trip: its height is what the rider paid (more when the "
     "platform drew on its reserve or capital), and the coloured parts show who received it; "
     "blue and green stay with drivers, grey, orange and pink pay for the service, red is the "
     "investors' profit.",
     {"per average trip ({CUR})", "Where riders' money goes, per average trip", "9"},
     prep_flows},
    {"books_cash",
     "hourly",
     "money",
     "Cash and reserve, day by day",
     "Solid lines are each platform's cash in the bank at the close of each day, dashed lines a "
     "co-op's reserve (its members' retained surplus); cash below zero is borrowed, and a "
     "platform whose cash falls below its credit limit fails that day.",
     {"balance at the day's close ({CUR})", "Cash and reserve", "2", "signed", "day of the run"},
     prep_cash},
    {"books_floor",
     "hourly",
     "money",
     "Pay floor owed and paid, day by day",
     "Solid lines are what the pay floor promised drivers (top-ups owed) on each day a period "
     "closed, dashed lines what the co-op could pay from cash on hand; a gap is the promise "
     "not kept.",
     {"top-ups ({CUR})", "Pay floor owed and paid", "2", "", "day of the run"},
     prep_floor},
    {"earnings_cdf",
     "cdf",
     "drivers",
     "Drivers' net hourly earnings",
     "Read across from a share of drivers to the net hourly earnings they stay at or below: a "
     "curve further right means drivers keep more, a steeper curve means more equal pay.",
     {"net earnings per online hour, after vehicle costs ({CUR})", "Drivers' net hourly earnings",
      NULL},
     prep_earnings},
    {"lorenz",
     "lorenz",
     "drivers",
     "Lorenz curves of drivers' income",
     "The closer a curve hugs the dashed diagonal, the more evenly drivers' income is shared; "
     "the Gini index in the legend is 0 for perfect equality and 1 when one driver earns all.",
     {"Lorenz curves of drivers' income", NULL},
     prep_lorenz},
    {"hourly_demand",
     "demand",
     "hourly",
     "Requests, trips served and abandoned, hour by hour",
     "The grey area is riders' requests; the solid line of each platform is the trips it served "
     "and the dashed line the riders who gave up waiting.",
     {"Requests, trips served and abandoned", NULL},
     prep_demand},
    {"hourly_wait",
     "hourly",
     "hourly",
     "Riders' wait for pickup, hour by hour",
     "Solid lines are the median wait, dashed lines the 95th percentile: the wait one rider in "
     "twenty exceeds.",
     {"wait from request to pickup (minutes)", "Riders' wait for pickup", "2", "", HOUR_X},
     prep_wait},
    {"hourly_utilization",
     "hourly",
     "hourly",
     "Driver utilization, hour by hour",
     "The share of drivers' online time spent with a rider on board; the rest is driving to "
     "pick riders up and waiting, unpaid.",
     {"share of online time with a rider", "Driver utilization", "1", "percent", HOUR_X},
     prep_util},
    {"hourly_online",
     "hourly",
     "hourly",
     "Drivers online, hour by hour",
     "How many drivers were online each hour: supply follows demand when drivers find it worth "
     "going online.",
     {"drivers online", "Drivers online", "1", "", HOUR_X},
     prep_online},
    {"hourly_surge",
     "hourly",
     "hourly",
     "Surge multiplier, hour by hour",
     "The average multiplier applied to fares each hour; 1 means no surge.",
     {"average fare multiplier", "Surge pricing", "1", "", HOUR_X},
     prep_surge},
    {"days_net",
     "series",
     "days",
     "Drivers' net pay per online hour, day by day",
     "With free entry, pay above drivers' outside options draws drivers in and pay below it "
     "drives them out: the line settles where entry and exit balance (the long run), whatever "
     "the first day showed (the short run).",
     {"net pay per online hour", "Net pay per online hour", "lines", "day", ""},
     prep_days_net},
    {"days_active",
     "series",
     "days",
     "Drivers in the fleet, day by day",
     "How many drivers were in each platform's fleet each day, after entries at the start of the "
     "day and exits at its end.",
     {"drivers in the fleet", "Drivers in the fleet", "lines", "day", ""},
     prep_days_active},
    {"competition_share",
     "series",
     "competition",
     "Share of the city's requests, day by day",
     "One city, one stream of riders: each line is the share of the day's requests made to that "
     "app. Riders choose among the apps they know by price and the pickup time shown, so the app "
     "with more drivers near them tends to win more of them. In an experiment the line is the "
     "mean over the runs and the band its 95% interval (competition_days.csv).",
     {"share of requests", "Share of requests", "lines", "day", "percent"},
     prep_compete_share},
    {"competition_eta",
     "series",
     "competition",
     "Pickup time each app showed, day by day",
     "The mean pickup time each app showed the riders who knew it: economies of density show as "
     "a shorter time for the app with more idle drivers. In an experiment: the mean over the runs "
     "and its 95% band.",
     {"pickup time shown (s)", "Pickup time shown", "lines", "day", ""},
     prep_compete_eta},
    {"competition_burn",
     "series",
     "competition",
     "Spent fighting, cumulative",
     "What each platform has spent fighting its rivals (rider subsidies and the take given up), "
     "up to each day; a flat line is a platform at its own prices. In an experiment: the mean over "
     "the runs and its 95% band.",
     {"spent fighting ({CUR})", "Spent fighting", "lines", "day", ""},
     prep_compete_burn},
    {"days_hours",
     "series",
     "days",
     "Driver-hours online, day by day",
     "All the hours drivers spent online each day, waiting for a request or with a rider: it "
     "falls when drivers whom the past days did not pay enough stay home, and rises when pay "
     "draws more of them out.",
     {"driver-hours online", "Driver-hours online", "lines", "day of the run (from 1)", ""},
     prep_days_hours},
    {"chain_finality",
     "hourly",
     "chain",
     "Payment finality delay over the day",
     "How long a driver waited, each hour, between the end of a trip and the payment being final "
     "on the chain.",
     {"delay until the payment is final (s)", "Payment finality delay", "1", "", HOUR_X},
     prep_finality},
    {"chain_propagation",
     "series",
     "chain",
     "Block propagation",
     "Each point is one block: the time it took to reach the network's nodes; points high up "
     "are blocks that risk being orphaned.",
     {"propagation time (s)", "Block propagation", "points", "time (hours)", ""},
     prep_propagation},
    {"chain_mempool",
     "series",
     "chain",
     "Mempool size",
     "Transactions waiting to enter a block, seen at each block; a rising line means the chain "
     "cannot keep up with payments.",
     {"transactions waiting", "Mempool size", "lines", "time (hours)", ""},
     prep_mempool},
    {"chain_transactions",
     "series",
     "chain",
     "Transactions per block",
     "Each point is one block and the payments, rewards and votes it carried; blocks near the "
     "size limit mean payments queue for the next ones.",
     {"transactions in the block", "Transactions per block", "points", "time (hours)", ""},
     prep_txs},
    {"chain_stale",
     "series",
     "chain",
     "Stale blocks",
     "The running count of blocks that lost a fork and were abandoned; a steep line means much "
     "wasted work and later finality.",
     {"stale blocks (running count)", "Stale blocks", "steps", "time (hours)", ""},
     prep_stale},
    {"governance_rules",
     "rules",
     "governance",
     "Rules set by members' votes",
     "Each line is a rule the members can change, from epoch to epoch; a dot marks a proposal "
     "that passed and the value it set.",
     {"value of the rule", "Rules set by members' votes", "time (days)"},
     prep_rules},
    {"governance_turnout",
     "series",
     "governance",
     "Turnout",
     "The share of members who voted on each proposal, for proposals that passed and those "
     "that did not.",
     {"turnout", "Turnout per proposal", "points", "time (days)", "percent"},
     prep_turnout},
    {"sweep_1",
     "band",
     "sweep",
     "Drivers' net hourly earnings across the sweep",
     "The line is the mean over replications and the band its 95% confidence interval; where "
     "two platforms' bands do not overlap, the difference is unlikely to be noise.",
     {"{PARAM}", "net earnings per online hour ({CUR})", "Drivers' net hourly earnings",
      "drivers.net_per_hour"},
     prep_sweep},
    {"sweep_2",
     "band",
     "sweep",
     "Riders' 95th percentile wait across the sweep",
     "The wait one rider in twenty exceeds, in minutes: mean and 95% confidence band over "
     "replications, per platform.",
     {"{PARAM}", "95th percentile wait (minutes)", "Riders' 95th percentile wait",
      "riders.wait_p95_s"},
     prep_sweep},
    {"sweep_3",
     "band",
     "sweep",
     "Drivers' income inequality across the sweep",
     "Mean Gini index of drivers' net income and its 95% confidence band (0: all earn the same).",
     {"{PARAM}", "Gini index of drivers' net income", "Drivers' income inequality",
      "drivers.income_gini"},
     prep_sweep},
    {"paired_differences",
     "diffs",
     "comparison",
     "Paired differences between platforms",
     "Each dot is how much a metric differs between the platforms (same riders, replication by "
     "replication), as a share of the baseline platform's value, with its 95% interval; an "
     "interval that crosses the dashed zero line is not a clear difference.",
     {"difference from the baseline platform, paired by replication (%)",
      "Paired differences (95% intervals)", NULL},
     prep_diffs},
};
const size_t rp_nplots = sizeof rp_plots / sizeof rp_plots[0];
