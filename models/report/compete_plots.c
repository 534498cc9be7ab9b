/* The shared market's plots by day: one run's competition.csv, or, for an experiment, the mean
 * over its runs with the 95% interval from competition_days.csv (series.gp draws the interval as
 * a band when the data has the two extra columns). */
#include "models/report/report_internal.h"

#include <math.h>
#include <stdio.h>

static void cell(FILE *f, double v) {
    if (isfinite(v))
        fprintf(f, "\t%.6g", v);
    else
        fputs("\tNaN", f);
}

int rp_compete_daily(rp_ctx *ctx, const rp_plot *p, const char *column, char *err, size_t errlen) {
    const rp_table *t = &ctx->compdays;
    if (t->nrows == 0)
        return rp_series(ctx, p, &ctx->competition, "day", column, false, 1, err, errlen);
    const sch_table *s = &schema_competition_days_csv;
    char mean[96], lo[96], hi[96];
    snprintf(mean, sizeof mean, "%s_mean", column);
    snprintf(lo, sizeof lo, "%s_ci95_low", column);
    snprintf(hi, sizeof hi, "%s_ci95_high", column);
    int x = rp_col(ctx, t, sch_name(s, SCH_CDAY_DAY)), m = rp_col(ctx, t, mean),
        l = rp_col(ctx, t, lo), h = rp_col(ctx, t, hi),
        pc = rp_col(ctx, t, sch_name(s, SCH_CDAY_PLATFORM)),
        pt = rp_col(ctx, t, sch_name(s, SCH_CDAY_POINT));
    if (x < 0 || m < 0 || l < 0 || h < 0 || pt < 0) return 1;
    rp_dfile d;
    int blocks = 0;
    if (rp_dopen(&d, ctx, p->name, err, errlen) != 0) return 2;
    for (size_t i = 0; i < ctx->npf; i++) {
        bool any = false;
        for (size_t r = 0; r < t->nrows; r++) {
            /* a sweep: its first point, whose platforms ctx->pf are */
            if (rp_num(t, r, pt) != 0 || rp_row_platform(ctx, t, r, pc) != (long)i) continue;
            double day = rp_num(t, r, x), v = rp_num(t, r, m);
            if (!isfinite(day) || !isfinite(v)) continue;
            if (!any) {
                if (blocks++) fputs("\n\n", d.f);
                rp_note_block(ctx, i);
                rp_dlabel(d.f, ctx->pf[i].name, NULL, "\n");
                any = true;
            }
            fprintf(d.f, "%.6g", day);
            cell(d.f, v);
            cell(d.f, rp_num(t, r, l));
            cell(d.f, rp_num(t, r, h));
            fputc('\n', d.f);
        }
    }
    if (rp_dclose(&d, err, errlen) != 0) return 2;
    return blocks ? 0 : 1;
}
