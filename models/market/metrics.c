/* Metrics of one world: rider service, driver time and earnings, the platform's books and the
 * money check, gathered into the platform's entry of summary.json (money in currency units). */
#include "models/market/world.h"
#include "sim/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static json_t *jreal(double x) {
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *jmoney(int64_t cents) {
    return json_real((double)cents / 100.0);
}

void mkt_rider_summary(const mkt_world *w, mkt_rider_stats *o) {
    *o = (mkt_rider_stats){0};
    double *waits = malloc((w->n_req ? w->n_req : 1) * sizeof *waits);
    size_t nw = 0, waited = 0;
    double wsum = 0, fares = 0;
    for (size_t i = 0; i < w->n_req; i++) {
        const mkt_request *r = &w->req[i];
        if (r->t_req < w->sc->simulation.warmup) continue;
        o->requests++;
        if (r->status == R_SERVED) {
            o->served++;
            fares += (double)r->q.rider_price;
        } else if (r->status == R_ABANDONED) {
            o->abandoned++;
        } else if (r->status == R_REFUSED) {
            o->refused_quote++;
        }
        if (r->status == R_SERVED || r->status == R_RIDING) {
            double wt = (double)(r->t_pickup - r->t_req) / 1e6;
            wsum += wt;
            if (wt > o->wait_max_s) o->wait_max_s = wt;
            waited += r->t_pickup > r->t_req;
            if (waits) waits[nw] = wt;
            nw++;
        }
    }
    o->wait_mean_s = nw ? wsum / (double)nw : NAN;
    o->waited_share = nw ? (double)waited / (double)nw : NAN;
    o->fare_mean = o->served ? fares / (double)o->served / 100.0 : NAN;
    o->wait_p50_s = o->wait_p95_s = NAN;
    if (waits && nw) {
        double ps[2] = {0.5, 0.95}, q[2];
        if (stats_quantiles(waits, nw, ps, 2, q) == 0) {
            o->wait_p50_s = q[0];
            o->wait_p95_s = q[1];
        }
    }
    free(waits);
}

static sim_time online_of(const mkt_driver *d) {
    sim_time t = 0;
    for (int s = D_IDLE; s < D_NSTATES; s++)
        t += d->t_state[s];
    return t;
}

static json_t *riders_json(const mkt_world *w) {
    mkt_rider_stats r;
    mkt_rider_summary(w, &r);
    json_t *o = json_object();
    json_object_set_new(o, "requests", json_integer(r.requests));
    json_object_set_new(o, "served", json_integer(r.served));
    json_object_set_new(o, "abandoned", json_integer(r.abandoned));
    json_object_set_new(o, "refused_quote", json_integer(r.refused_quote));
    json_object_set_new(o, "wait_mean_s", jreal(r.wait_mean_s));
    json_object_set_new(o, "wait_p50_s", jreal(r.wait_p50_s));
    json_object_set_new(o, "wait_p95_s", jreal(r.wait_p95_s));
    json_object_set_new(o, "fare_mean", jreal(r.fare_mean));
    return o;
}

static json_t *drivers_json(const mkt_world *w, const plat_totals *t) {
    size_t n = 0;
    double *nph = malloc((w->n_drv ? w->n_drv : 1) * sizeof *nph);
    double *net = malloc((w->n_drv ? w->n_drv : 1) * sizeof *net);
    sim_time online = 0, st[D_NSTATES] = {0};
    double income = 0, costs = 0;
    for (uint32_t d = 0; d < w->n_drv; d++) {
        const mkt_driver *dv = &w->drv[d];
        sim_time on = online_of(dv);
        if (on <= 0) continue;
        online += on;
        for (int s = 0; s < D_NSTATES; s++)
            st[s] += dv->t_state[s];
        double inc = (double)plat_driver_income(w->p, d), c = (double)mkt_driver_cost(w, dv);
        income += inc;
        costs += c;
        if (nph && net) {
            nph[n] = (inc - c) / 100.0 / ((double)on / (double)SIM_HOUR);
            net[n] = (inc - c) / 100.0;
        }
        n++;
    }
    double hours = (double)online / (double)SIM_HOUR, on = (double)online;
    double q[3] = {NAN, NAN, NAN}, ps[3] = {0.1, 0.5, 0.9};
    if (n && nph) stats_quantiles(nph, n, ps, 3, q);
    json_t *o = json_object();
    json_object_set_new(o, "count", json_integer((json_int_t)n));
    json_object_set_new(o, "online_hours", json_real(hours));
    json_object_set_new(o, "utilization", jreal((double)st[D_TRIP] / on));
    json_object_set_new(o, "pickup_share", jreal((double)st[D_PICKUP] / on));
    json_object_set_new(o, "idle_share", jreal((double)(st[D_IDLE] + st[D_REPOS]) / on));
    json_object_set_new(o, "gross_per_hour", jreal(income / 100.0 / hours));
    json_object_set_new(o, "net_per_hour", jreal((income - costs) / 100.0 / hours));
    json_object_set_new(o, "net_per_hour_p10", jreal(q[0]));
    json_object_set_new(o, "net_per_hour_p50", jreal(q[1]));
    json_object_set_new(o, "net_per_hour_p90", jreal(q[2]));
    json_object_set_new(o, "income_gini", jreal(n && net ? stats_gini(net, n) : NAN));
    json_object_set_new(o, "dividends", jmoney(t->dividends));
    free(nph);
    free(net);
    return o;
}

static json_t *platform_json(const plat_totals *t) {
    json_t *o = json_object();
    json_object_set_new(o, "gross_bookings", jmoney(t->gross_bookings));
    json_object_set_new(o, "driver_pay", jmoney(t->driver_pay));
    json_object_set_new(o, "revenue", jmoney(t->revenue));
    json_object_set_new(o, "subsidies", jmoney(t->subsidies));
    json_object_set_new(o, "operating_costs", jmoney(t->operating_costs));
    json_object_set_new(o, "profit", jmoney(t->profit));
    json_object_set_new(o, "reserve", jmoney(t->reserve));
    json_object_set_new(o, "extraction", jmoney(t->extraction));
    /* Everything drivers received from the platform counts as pay: trip pay, dividends and
     * pay-floor top-ups. */
    double paid = (double)(t->driver_pay + t->dividends + t->pay_floor_topups);
    json_object_set_new(o, "take_rate",
                        jreal(t->gross_bookings ? 1.0 - paid / (double)t->gross_bookings : NAN));
    return o;
}

static int64_t absdiff(int64_t a, int64_t b) {
    return a > b ? a - b : b - a;
}

json_t *mkt_summary_json(const mkt_world *w) {
    plat_totals t;
    plat_get_totals(w->p, &t);
    const mkt_money *m = &w->money;
    /* The market's own trip-by-trip sums against the platform's books, in both identities. */
    int64_t err = absdiff(m->rider_payments, t.gross_bookings) +
                  absdiff(m->rider_payments, t.driver_pay + t.revenue - t.subsidies) +
                  absdiff(m->driver_pay, t.driver_pay) + absdiff(m->revenue, t.revenue) +
                  absdiff(m->subsidies, t.subsidies);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(w->pc->name ? w->pc->name : ""));
    json_object_set_new(
        o, "kind", json_string(w->pc->kind == PLAT_COOPERATIVE ? "cooperative" : "centralized"));
    json_object_set_new(o, "riders", riders_json(w));
    json_object_set_new(o, "drivers", drivers_json(w, &t));
    json_object_set_new(o, "platform", platform_json(&t));
    json_t *c = json_object();
    json_object_set_new(c, "money_conservation_error", jmoney(err));
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)w->hash);
    json_object_set_new(c, "request_stream_hash", json_string(hex));
    json_object_set_new(o, "checks", c);
    json_t *settlement = mkt_settle_json(w);
    if (settlement) {
        /* The chain's own metrics sit beside the market's, as "chain" of the platform. */
        json_t *chain = json_incref(json_object_get(settlement, "chain"));
        json_object_del(settlement, "chain");
        json_object_set_new(o, "settlement", settlement);
        if (chain) json_object_set_new(o, "chain", chain);
    }
    return o;
}
