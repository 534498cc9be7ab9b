/* The world's CSV tables: one row per driver, per hour, per request. Numbers use fixed
 * formats (money as integer cents split at the decimal point) so that output is byte-stable. */
#include "models/market/world.h"
#include "models/schema/schema.h"
#include "sim/output.h"
#include "sim/stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void put_money(FILE *f, int64_t cents) {
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    fprintf(f, ",%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", a / 100, a % 100);
}

/* NaN (no data) prints as an empty field. */
static void put_real(FILE *f, const char *fmt, double x) {
    fputc(',', f);
    if (isfinite(x)) fprintf(f, fmt, x);
}

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
        put_real(f, "%.4f", (double)on / (double)SIM_HOUR);
        fprintf(f, ",%" PRId64, dw.trips);
        put_real(f, "%.3f", dw.metres / 1000.0);
        put_real(f, "%.4f", (double)dw.t_state[D_TRIP] / od);
        put_real(f, "%.4f", (double)dw.t_state[D_PICKUP] / od);
        put_real(f, "%.4f", (double)(dw.t_state[D_IDLE] + dw.t_state[D_REPOS]) / od);
        put_money(f, dw.trip_pay);
        put_money(f, dw.dividends);
        put_money(f, dw.floor_owed);
        put_money(f, dw.topups);
        put_money(f, income);
        put_money(f, cost);
        put_money(f, income - cost);
        put_real(f, "%.2f", (double)(income - cost) / 100.0 / (od / (double)SIM_HOUR));
        put_money(f, dv->reservation);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

int mkt_write_hourly_csv(const mkt_world *w, FILE *f, bool header) {
    if (header) sch_write_header(&schema_hourly_csv, f);
    double *waits = malloc((w->n_req ? w->n_req : 1) * sizeof *waits);
    /* payment finality by hour of submission: chain ledgers only (empty on a central one) */
    double *fin = calloc(2 * (w->n_hours ? w->n_hours : 1), sizeof *fin);
    if (!waits || !fin ||
        (w->ledger &&
         ledger_payment_finality(w->ledger, 0, SIM_HOUR, w->n_hours, fin, fin + w->n_hours))) {
        free(waits);
        free(fin);
        return -1;
    }
    size_t i = 0;
    for (size_t h = 0; h < w->n_hours; h++) {
        const mkt_hour *hr = &w->hours[h];
        size_t n = 0;
        double sum = 0;
        /* Requests are stored in time order: this hour's are the next contiguous run. */
        for (; i < w->n_req && (size_t)(w->req[i].t_req / SIM_HOUR) == h; i++) {
            const mkt_request *r = &w->req[i];
            if (r->status == R_SERVED || r->status == R_RIDING) {
                waits[n] = (double)(r->t_pickup - r->t_req) / 1e6;
                sum += waits[n++];
            }
        }
        /* Hours that begin inside the warm-up are left out, like every other metric. */
        if ((sim_time)h * SIM_HOUR < w->sc->simulation.warmup) continue;
        double q[2] = {NAN, NAN}, ps[2] = {0.5, 0.95};
        if (n) stats_quantiles(waits, n, ps, 2, q);
        sim_time on = 0;
        for (int s = D_IDLE; s < D_NSTATES; s++)
            on += hr->t_state[s];
        fprintf(f, "%" PRIu64 ",", w->run);
        out_csv_field(f, w->pc->name);
        fprintf(f, ",%zu,%" PRId64 ",%" PRId64 ",%" PRId64, h, hr->requests, hr->served,
                hr->abandoned);
        put_real(f, "%.2f", n ? sum / (double)n : NAN);
        put_real(f, "%.2f", q[0]);
        put_real(f, "%.2f", q[1]);
        put_real(f, "%.4f", on ? (double)hr->t_state[D_TRIP] / (double)on : NAN);
        put_real(f, "%.2f", (double)on / (double)SIM_HOUR);
        put_real(f, "%.3f", hr->surge_n ? hr->surge_sum / (double)hr->surge_n : 1.0);
        put_real(f, "%.3f", w->ledger ? fin[h] : NAN);
        put_real(f, "%.3f", w->ledger ? fin[w->n_hours + h] : NAN);
        fputc('\n', f);
    }
    free(waits);
    free(fin);
    return ferror(f) ? -1 : 0;
}

static const char *status_name(int s) {
    switch (s) {
    case R_SERVED:
        return "served";
    case R_ABANDONED:
        return "abandoned";
    case R_REFUSED:
        return "refused_quote";
    case R_RIDING:
        return "riding";
    case R_CLOSED:
        return "platform_closed";
    case R_ASSIGNED:
        return "assigned";
    default:
        return "waiting";
    }
}

int mkt_write_trips_csv(const mkt_world *w, FILE *f, bool header) {
    if (header) sch_write_header(&schema_trips_csv, f);
    bool spatial = w->sc->market.mode == COOP_MODE_SPATIAL;
    for (size_t i = 0; i < w->n_req; i++) {
        const mkt_request *r = &w->req[i];
        if (r->t_req < w->sc->simulation.warmup) continue; /* as rider statistics */
        bool picked = r->status == R_SERVED || r->status == R_RIDING;
        bool done = r->status == R_SERVED;
        fprintf(f, "%" PRIu64 ",", w->run);
        out_csv_field(f, w->pc->name);
        fprintf(f, ",%zu,%.3f,%s,%.1f,%.1f,%.1f,%.1f,%.3f,", i, (double)r->t_req / 1e6,
                status_name(r->status), r->ox, r->oy, r->dx, r->dy, r->dist / 1000.0);
        if (r->driver != MKT_GRID_NONE) fprintf(f, "%" PRIu32, r->driver);
        put_real(f, "%.3f", picked ? (double)(r->t_pickup - r->t_req) / 1e6 : NAN);
        put_real(f, "%.3f", done ? (double)(r->t_drop - r->t_pickup) / 1e6 : NAN);
        put_money(f, r->q.rider_price);
        put_money(f, r->q.driver_pay);
        put_money(f, r->q.subsidy);
        put_money(f, r->q.revenue);
        put_real(f, "%.2f", r->q.surge);
        put_money(f, r->standard_topup);
        put_real(f, "%.3f", spatial ? (double)r->eta / 1e6 : NAN);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}
