/* The world's CSV tables: one row per driver and per hour (per request: riders.c). Numbers use
 * fixed formats (money as integer cents split at the decimal point) so that output is byte-stable.
 */
#include "models/market/world.h"
#include "models/schema/schema.h"
#include "sim/output.h"
#include "sim/stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Each driver's figures over the measured window (after the warm-up). */
int mkt_write_drivers_csv(const mkt_world *w, FILE *f, bool header) {
    if (header) sch_write_header(&schema_drivers_csv, f);
    for (uint32_t d = 0; d < w->n_drv; d++) {
        const mkt_driver *dv = &w->drv[d];
        mkt_driver_window dw;
        mkt_driver_window_of(w, d, &dw);
        sim_time on = dw.online;
        double od = on > 0 ? (double)on : NAN;
        int64_t income = dw.income, cost = dw.cost;
        fprintf(f, "%" PRIu64 ",", w->run);
        out_csv_field(f, w->pc->name);
        fprintf(f, ",%" PRIu32, d);
        out_csv_real(f, "%.4f", (double)on / (double)SIM_HOUR);
        fprintf(f, ",%" PRId64, dw.trips);
        out_csv_real(f, "%.3f", dw.metres / 1000.0);
        out_csv_real(f, "%.4f", (double)dw.t_state[D_TRIP] / od);
        out_csv_real(f, "%.4f", (double)dw.t_state[D_PICKUP] / od);
        out_csv_real(f, "%.4f", (double)(dw.t_state[D_IDLE] + dw.t_state[D_REPOS]) / od);
        out_csv_cents(f, dw.trip_pay);
        out_csv_cents(f, dw.dividends);
        out_csv_cents(f, dw.floor_owed);
        out_csv_cents(f, dw.topups);
        out_csv_cents(f, income);
        out_csv_cents(f, cost);
        out_csv_cents(f, income - cost);
        out_csv_real(f, "%.2f", (double)(income - cost) / 100.0 / (od / (double)SIM_HOUR));
        out_csv_cents(f, dv->reservation);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

/* hourly.csv's rows; extra (may be NULL) writes more fields at the end of each row, whose
 * names ext declares. */
static int hourly_rows(const mkt_world *w, FILE *f, bool header, const sch_table *ext,
                       mkt_hour_extra extra, const void *ctx) {
    if (header && !ext) sch_write_header(&schema_hourly_csv, f);
    if (header && ext) {
        for (size_t i = 0; i < schema_hourly_csv.n; i++)
            fprintf(f, "%s%s", i ? "," : "", sch_name(&schema_hourly_csv, i));
        for (size_t i = 0; i < ext->n; i++)
            fprintf(f, ",%s", sch_name(ext, i));
        fputc('\n', f);
    }
    /* payment finality by hour of submission: chain ledgers only (empty on a central one) */
    double *fin = calloc(2 * (w->n_hours ? w->n_hours : 1), sizeof *fin);
    if (!fin || (w->ledger && ledger_payment_finality(w->ledger, 0, SIM_HOUR, w->n_hours, fin,
                                                      fin + w->n_hours))) {
        free(fin);
        return -1;
    }
    for (size_t h = 0; h < w->n_hours; h++) {
        const mkt_hour *hr = &w->hours[h];
        size_t n = (size_t)hr->picked;
        /* Hours that begin inside the warm-up are left out, like every other metric. */
        if ((sim_time)h * SIM_HOUR < w->sc->simulation.warmup) continue;
        sim_time on = 0;
        for (int s = D_IDLE; s < D_NSTATES; s++)
            on += hr->t_state[s];
        fprintf(f, "%" PRIu64 ",", w->run);
        out_csv_field(f, w->pc->name);
        fprintf(f, ",%zu,%" PRId64 ",%" PRId64 ",%" PRId64, h, hr->requests, hr->served,
                hr->abandoned);
        out_csv_real(f, "%.2f", n ? hr->wait_sum / (double)n : NAN);
        out_csv_real(f, "%.2f", n ? hr->wait_p50 : NAN);
        out_csv_real(f, "%.2f", n ? hr->wait_p95 : NAN);
        out_csv_real(f, "%.4f", on ? (double)hr->t_state[D_TRIP] / (double)on : NAN);
        out_csv_real(f, "%.2f", (double)on / (double)SIM_HOUR);
        out_csv_real(f, "%.3f", hr->surge_n ? hr->surge_sum / (double)hr->surge_n : 1.0);
        out_csv_real(f, "%.3f", w->ledger ? fin[h] : NAN);
        out_csv_real(f, "%.3f", w->ledger ? fin[w->n_hours + h] : NAN);
        if (extra) extra(f, h, ctx);
        fputc('\n', f);
    }
    free(fin);
    return ferror(f) ? -1 : 0;
}

int mkt_write_hourly_csv(const mkt_world *w, FILE *f, bool header) {
    return hourly_rows(w, f, header, NULL, NULL, NULL);
}

int mkt_write_hourly_csv_ext(const mkt_world *w, FILE *f, bool header, const sch_table *ext,
                             mkt_hour_extra extra, const void *ctx) {
    return hourly_rows(w, f, header, ext, extra, ctx);
}
