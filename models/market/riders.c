/* Requests in flight and what is kept of them once over. Requests live in a ring indexed by
 * their number from the oldest one still under way; once it and those after it are over they
 * are folded, in request order, into the rider statistics (summary, hourly.csv, days.csv) and
 * written to trips.csv, so memory follows the requests under way, not the length of the run. */
#include "models/market/world.h"
#include "models/schema/schema.h"
#include "sim/error.h"
#include "sim/output.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int mkt_riders_init(mkt_world *w) {
    mkt_riders *a = &w->riders;
    a->n_days = (size_t)((w->end + SIM_DAY - 1) / SIM_DAY);
    a->days = calloc(a->n_days ? a->n_days : 1, sizeof *a->days);
    w->cap_req = 4096; /* a power of two: mkt_req masks the request number */
    w->req = malloc(w->cap_req * sizeof *w->req);
    if (!a->days || !w->req || stats_hist_init(&a->hist) != 0) return -1;
    return 0;
}

void mkt_riders_free(mkt_world *w) {
    mkt_riders *a = &w->riders;
    free(a->days);
    free(a->waits);
    free(a->hour_waits);
    stats_hist_free(&a->hist);
    free(w->req);
}

uint32_t mkt_req_new(mkt_world *w) {
    if (w->n_req >= UINT32_MAX - 1) return UINT32_MAX; /* numbered in 32 bits, one reserved */
    if (w->n_req - w->req_head == w->cap_req) {
        size_t cap = w->cap_req * 2;
        mkt_request *grown = malloc(cap * sizeof *grown);
        if (!grown) return UINT32_MAX;
        for (size_t rid = w->req_head; rid < w->n_req; rid++)
            grown[rid & (cap - 1)] = w->req[rid & (w->cap_req - 1)];
        free(w->req);
        w->req = grown;
        w->cap_req = cap;
    }
    uint32_t rid = (uint32_t)w->n_req++;
    memset(mkt_req(w, rid), 0, sizeof(mkt_request));
    return rid;
}

static bool is_over(const mkt_request *r) {
    return r->status == R_SERVED || r->status == R_ABANDONED || r->status == R_REFUSED ||
           r->status == R_CLOSED;
}

/* The hour's waits are all in: its mean and quantiles for hourly.csv. */
static void close_hour(mkt_world *w) {
    mkt_riders *a = &w->riders;
    if (a->hour >= w->n_hours) return;
    mkt_hour *hr = &w->hours[a->hour];
    hr->picked = (int64_t)a->n_hour;
    hr->wait_sum = 0;
    for (size_t i = 0; i < a->n_hour; i++)
        hr->wait_sum += a->hour_waits[i];
    double q[2] = {NAN, NAN}, ps[2] = {0.5, 0.95};
    if (a->n_hour) stats_quantiles(a->hour_waits, a->n_hour, ps, 2, q);
    hr->wait_p50 = q[0];
    hr->wait_p95 = q[1];
    a->n_hour = 0;
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

static void trip_row(const mkt_world *w, FILE *f, uint32_t rid, const mkt_request *r) {
    bool picked = r->status == R_SERVED || r->status == R_RIDING;
    bool done = r->status == R_SERVED;
    fprintf(f, "%" PRIu64 ",", w->run);
    out_csv_field(f, w->pc->name);
    fprintf(f, ",%" PRIu32 ",%.3f,%s,%.1f,%.1f,%.1f,%.1f,%.3f,", rid, (double)r->t_req / 1e6,
            status_name(r->status), r->ox, r->oy, r->dx, r->dy, r->dist / 1000.0);
    if (r->driver != MKT_GRID_NONE) fprintf(f, "%" PRIu32, r->driver);
    out_csv_real(f, "%.3f", picked ? (double)(r->t_pickup - r->t_req) / 1e6 : NAN);
    out_csv_real(f, "%.3f", done ? (double)(r->t_drop - r->t_pickup) / 1e6 : NAN);
    out_csv_cents(f, r->q.rider_price);
    out_csv_cents(f, r->q.driver_pay);
    out_csv_cents(f, r->q.subsidy);
    out_csv_cents(f, r->q.revenue);
    out_csv_real(f, "%.2f", r->q.surge);
    out_csv_cents(f, r->standard_topup);
    out_csv_real(f, "%.3f", w->sc->market.mode == COOP_MODE_SPATIAL ? (double)r->eta / 1e6 : NAN);
    fputc('\n', f);
}

/* After the warm-up: the summary's figures and the trip's row. */
static int fold_measured(mkt_world *w, uint32_t rid, const mkt_request *r, bool picked, double wt) {
    mkt_riders *a = &w->riders;
    a->requests++;
    if (r->status == R_SERVED) {
        a->served++;
        a->fare_sum += (double)r->q.rider_price;
    } else if (r->status == R_ABANDONED) {
        a->abandoned++;
    } else if (r->status == R_REFUSED) {
        a->refused++;
    }
    if (picked) {
        a->picked++;
        a->wait_sum += wt;
        if (wt > a->wait_max) a->wait_max = wt;
        a->waited += r->t_pickup > r->t_req;
        stats_hist_add(&a->hist, r->t_pickup - r->t_req);
        if (a->n_waits < MKT_EXACT_WAITS) {
            if (SIM_GROW(&a->waits, &a->cap_waits, a->n_waits + 1, 4096) != SIM_OK) return -1;
            a->waits[a->n_waits++] = wt;
        }
    }
    if (a->trips) {
        trip_row(w, a->trips, rid, r);
        if (ferror(a->trips)) a->trips_failed = true;
    }
    if (a->pairs && mkt_pair_put(a->pairs, rid, r) != 0) a->pairs_failed = true;
    return 0;
}

/* One request, over (or the run is): into every statistic it counts in. */
static int fold(mkt_world *w, uint32_t rid) {
    mkt_riders *a = &w->riders;
    const mkt_request *r = mkt_req(w, rid);
    bool picked = r->status == R_SERVED || r->status == R_RIDING;
    double wt = picked ? (double)(r->t_pickup - r->t_req) / 1e6 : NAN;
    size_t h = (size_t)(r->t_req / SIM_HOUR);
    if (h != a->hour) {
        close_hour(w);
        a->hour = h;
    }
    if (picked) {
        if (SIM_GROW(&a->hour_waits, &a->cap_hour, a->n_hour + 1, 1024) != SIM_OK) return -1;
        a->hour_waits[a->n_hour++] = wt;
    }
    /* Each assignment made in the window takes drivers.response_time of a driver's time, cut
     * at the end of the run (queue mode: none). */
    sim_time resp = w->sc->drivers.response_time;
    if (w->sc->market.mode == COOP_MODE_SPATIAL && resp > 0 && r->driver != MKT_GRID_NONE &&
        r->t_assign >= w->sc->simulation.warmup) {
        sim_time left = w->end - r->t_assign;
        a->response += left < resp ? left : resp;
    }
    size_t d = (size_t)(r->t_req / SIM_DAY);
    if (d < a->n_days) {
        mkt_day_riders *o = &a->days[d];
        o->requests++;
        if (r->status == R_SERVED) {
            o->served++;
            o->fare_sum += (double)r->q.rider_price;
        } else if (r->status == R_ABANDONED) {
            o->abandoned++;
        } else if (r->status == R_REFUSED) {
            o->refused++;
        }
        if (picked) {
            o->wait_sum += wt;
            o->picked++;
        }
    }
    if (r->t_req >= w->sc->simulation.warmup) return fold_measured(w, rid, r, picked, wt);
    return 0;
}

int mkt_riders_retire(mkt_world *w, bool all) {
    while (w->req_head < w->n_req) {
        uint32_t rid = (uint32_t)w->req_head;
        if (!all && !is_over(mkt_req(w, rid))) break;
        if (fold(w, rid) != 0) return -1;
        w->req_head++;
    }
    if (all) close_hour(w);
    return 0;
}

void mkt_rider_summary(const mkt_world *w, mkt_rider_stats *o) {
    const mkt_riders *a = &w->riders;
    *o = (mkt_rider_stats){.requests = a->requests,
                           .served = a->served,
                           .abandoned = a->abandoned,
                           .refused_quote = a->refused,
                           .wait_max_s = a->wait_max};
    double n = (double)a->picked;
    o->wait_mean_s = a->picked ? a->wait_sum / n : NAN;
    o->waited_share = a->picked ? (double)a->waited / n : NAN;
    o->fare_mean = a->served ? a->fare_sum / (double)a->served / 100.0 : NAN;
    o->wait_p50_s = o->wait_p95_s = NAN;
    if (a->picked == 0) return;
    if ((size_t)a->picked <= a->n_waits) { /* every wait kept: exact */
        double ps[2] = {0.5, 0.95}, q[2];
        if (stats_quantiles(a->waits, a->n_waits, ps, 2, q)) {
            o->wait_p50_s = q[0];
            o->wait_p95_s = q[1];
        }
    } else {
        o->wait_p50_s = stats_hist_quantile(&a->hist, 0.5) / 1e6;
        o->wait_p95_s = stats_hist_quantile(&a->hist, 0.95) / 1e6;
    }
}

int mkt_stream_trips_csv(mkt_world *w, FILE *f, bool header) {
    w->riders.trips = f;
    if (header) sch_write_header(&schema_trips_csv, f);
    return ferror(f) ? -1 : 0;
}
