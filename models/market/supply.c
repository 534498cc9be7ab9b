/* Free entry (drivers.supply: free_entry): a pool of potential drivers who enter the fleet,
 * choose each day whether and which hours to drive from their own beliefs, learn from their
 * own earnings and what the platform publishes, and leave after a run of poor days. The rules
 * and their keys are stated in docs/model.md ("Free entry"). */
#include "models/market/plan.h"
#include "models/market/world.h"
#include "sim/error.h"
#include "sim/rng.h"
#include "sim/stats.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int days_of(sim_time t) {
    return (int)(t / SIM_DAY);
}

/* What an hour at h is expected to be worth, net of vehicle costs, in cents: the belief of its
 * pay plus `vadj`, what chain pay has been worth per online hour beyond its face value (the cost
 * of waiting for finality, < 0; movement rewards at the day's token price, > 0). The single
 * place where a driver turns a belief into the value of pay (docs/model.md). */
double mkt_supply_expected_pay(const mkt_world *w, const double *belief, double vadj, int h) {
    return w->pv.on ? belief[h] + vadj : belief[h];
}

/* The day-one belief, the same for every hour: the fixed pool's prior (docs/model.md). */
static double prior(const mkt_world *w) {
    const coop_drivers *dc = &w->sc->drivers;
    double commission = w->pc->growth_until > 0 ? w->pc->growth_commission : w->pc->commission;
    return (double)dc->expected_fares_per_hour * (1.0 - commission) - (double)dc->cost_per_hour -
           (double)dc->cost_per_km * dc->expected_km_per_hour / 1000.0;
}

sim_status mkt_supply_init(mkt_world *w, char *err, size_t errlen) {
    const coop_drivers *dc = &w->sc->drivers;
    if (dc->supply != COOP_SUPPLY_FREE_ENTRY) return SIM_OK;
    if (w->sc->market.mode != COOP_MODE_SPATIAL)
        return sim_fail(SIM_EINPUT, err, errlen,
                        "drivers.supply: free_entry needs market.mode: spatial (the queue mode's c "
                        "servers are always online)");
    if (dc->initial_active > dc->count) {
        return sim_fail(
            SIM_EINPUT, err, errlen,
            "drivers.initial_active (%lld) exceeds drivers.count (%lld): the fleet on day one "
            "comes from the pool",
            (long long)dc->initial_active, (long long)dc->count);
    }
    w->n_days = (size_t)((w->end + SIM_DAY - 1) / SIM_DAY);
    int max_h = (int)(dc->max_hours / SIM_HOUR);
    w->ld = calloc(w->n_drv ? w->n_drv : 1, sizeof *w->ld);
    w->days = calloc(w->n_days ? w->n_days : 1, sizeof *w->days);
    w->scale = calloc(MKT_PLAN_MAX_HOURS, sizeof *w->scale);
    w->scratch = calloc(w->n_drv ? 2 * w->n_drv : 2, sizeof *w->scratch);
    w->r_days = sim_rng_stream(w->seed, w->replication, "driver_days");
    w->r_entry = sim_rng_stream(w->seed, w->replication, "driver_entry");
    if (!w->ld || !w->days || !w->scale || !w->scratch || !w->r_days || !w->r_entry) {
        return sim_fail(SIM_ENOMEM, err, errlen,
                        "out of memory building the pool of %zu potential drivers", w->n_drv);
    }
    mkt_plan_scale(w->scale, max_h < 1 ? 1 : max_h, (double)dc->reference_hours / (double)SIM_HOUR,
                   dc->hours_elasticity);
    size_t active = dc->initial_active > 0 ? (size_t)dc->initial_active : w->n_drv;
    double b = prior(w);
    for (size_t d = 0; d < w->n_drv; d++) {
        w->ld[d].in = d < active;
        for (int h = 0; h < 24; h++)
            w->ld[d].belief[h] = b;
    }
    for (int h = 0; h < 24; h++)
        w->publish[h] = b;
    w->publish_mean = b;
    return SIM_OK;
}

void mkt_supply_free(mkt_world *w) {
    if (w->r_days) gsl_rng_free(w->r_days);
    if (w->r_entry) gsl_rng_free(w->r_entry);
    free(w->ld);
    free(w->days);
    free(w->scale);
    free(w->scratch);
}

void mkt_supply_take_published(mkt_world *w, mkt_ldriver *ld) {
    for (int h = 0; h < 24; h++)
        ld->belief[h] = w->published[h] ? w->publish[h] : w->publish_mean;
    ld->vadj = w->publish_vadj;
}

/* The driver's value of an hour at h before today's draws: its reservation wage, raised by
 * drivers.off_window outside its usual hours (the shift drawn for the fixed pool: start and
 * length from drivers.shift_start_profile, shift_mean, shift_sd), where other commitments
 * make driving dearer. Anchors each driver to its own hours, so that what the platform
 * publishes for an hour does not move everyone at once. */
double mkt_supply_base_value(const mkt_world *w, uint32_t d, int h) {
    const mkt_driver *dv = &w->drv[d];
    sim_time t = (sim_time)h * SIM_HOUR + SIM_HOUR / 2, s = dv->shift_start;
    sim_time into = (t - s + SIM_DAY) % SIM_DAY; /* time since the usual start, wrapping */
    double r = (double)dv->reservation;
    return into < dv->shift_len ? r : r * (1.0 + w->sc->drivers.off_window);
}

double mkt_supply_entry_share(const mkt_world *w) {
    return (double)w->sc->drivers.entry_cost / 7.0; /* cents per day in the fleet */
}

/* Potential drivers who reconsider today enter when a usual day at the published pay is
 * worth more than a day's share of the entry cost. One draw per eligible driver per day. */
static void entry_reviews(mkt_world *w, int day) {
    const coop_drivers *dc = &w->sc->drivers;
    int max_h = (int)(dc->max_hours / SIM_HOUR);
    double pay[24], value[24];
    for (int h = 0; h < 24; h++)
        pay[h] = w->published[h] ? w->publish[h] : w->publish_mean;
    for (size_t d = 0; d < w->n_drv; d++) {
        mkt_ldriver *ld = &w->ld[d];
        if (ld->in || day < ld->reentry_day) continue;
        if (gsl_rng_uniform(w->r_entry) >= dc->entry_review) continue;
        double p[24];
        for (int h = 0; h < 24; h++) {
            p[h] = mkt_supply_expected_pay(w, pay, w->publish_vadj, h);
            value[h] = mkt_supply_base_value(w, (uint32_t)d, h);
        }
        mkt_plan pl = mkt_plan_day(p, value, w->scale, max_h, (double)dc->day_cost);
        if (pl.hours > 0 && pl.value >= mkt_supply_entry_share(w)) {
            ld->in = true;
            ld->below = 0;
            mkt_supply_take_published(w, ld);
            if (w->pv.on) ld->adj0 = w->pv.adj[d];
            w->days[day].entrants++;
        }
    }
}

static void on_block_start(sim *s, void *target, uint64_t data);

void mkt_supply_face_value_plan(mkt_world *w, const double *face, const double *value, int day,
                                int hours) {
    mkt_plan f = mkt_supply_plan(w, face, value);
    if ((size_t)day < w->pv.n_days) w->pv.day_hours_lost[day] += f.hours - hours;
    if ((sim_time)day * SIM_DAY >= w->sc->simulation.warmup) w->pv.hours_lost += f.hours - hours;
}

void mkt_supply_draw_values(const mkt_world *w, gsl_rng *r, uint32_t d, double *value,
                            double *offset) {
    const coop_drivers *dc = &w->sc->drivers;
    double today = dc->day_sigma * gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int h = 0; h < 24; h++)
        value[h] = mkt_supply_base_value(w, d, h) *
                   exp(today + dc->hour_sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
    *offset = gsl_rng_uniform(r);
}

mkt_plan mkt_supply_plan(const mkt_world *w, const double *pay, const double *value) {
    const coop_drivers *dc = &w->sc->drivers;
    return mkt_plan_day(pay, value, w->scale, (int)(dc->max_hours / SIM_HOUR),
                        (double)dc->day_cost);
}

void mkt_supply_block(mkt_world *w, uint32_t d, int day, const mkt_plan *pl, double offset) {
    mkt_ldriver *ld = &w->ld[d];
    if (pl->hours == 0) return;
    sim_time day0 = (sim_time)day * SIM_DAY;
    ld->plan_cost = pl->cost;
    for (int h = pl->start; h < pl->start + pl->hours; h++)
        ld->plan_mask |= 1u << h;
    sim_time t0 = day0 + pl->start * SIM_HOUR + (sim_time)(offset * (double)SIM_HOUR);
    sim_time t1 = t0 + pl->hours * SIM_HOUR;
    if (t1 > day0 + SIM_DAY) t1 = day0 + SIM_DAY;
    ld->plan_end = t1;
    if (t0 < w->end) sim_schedule(w->s, t0, on_block_start, w, d);
}

/* Each driver in the fleet picks today's hours against its own expected pay by hour, with
 * today's value of its time (the reservation wage times a lognormal draw for each hour). */
static void plan_day(mkt_world *w, int day) {
    for (size_t d = 0; d < w->n_drv; d++) {
        mkt_ldriver *ld = &w->ld[d];
        ld->plan_cost = 0;
        ld->plan_mask = 0;
        if (!ld->in) continue;
        w->days[day].active++;
        double pay[24], value[24], offset;
        mkt_supply_draw_values(w, w->r_days, (uint32_t)d, value, &offset);
        for (int h = 0; h < 24; h++)
            pay[h] = mkt_supply_expected_pay(w, ld->belief, ld->vadj, h);
        mkt_plan pl = mkt_supply_plan(w, pay, value);
        /* the same driver's plan under the same draws had it counted chain pay at face value:
         * the gap in hours is what the worth of chain pay changed (reported, not acted on) */
        if (w->pv.on) mkt_supply_face_value_plan(w, ld->belief, value, day, pl.hours);
        mkt_supply_block(w, (uint32_t)d, day, &pl, offset);
    }
}

static void on_block_start(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    mkt_driver *dv = &w->drv[data];
    (void)s;
    if (dv->state != D_OFF) return; /* still finishing an earlier trip */
    mkt_driver_start_shift(w, (uint32_t)data, w->ld[data].plan_end, true);
}

/* What the platform publishes after day `day`: net pay per online hour by hour of the day over
 * the last 7 days (trip pay by hour; dividends, top-ups and vehicle costs spread evenly). */
static void publish(mkt_world *w, int day) {
    int first = day >= 6 ? day - 6 : 0;
    double extra = 0, cost = 0, online = 0, pay_h[24] = {0}, on_h[24] = {0};
    for (int d = first; d <= day; d++) {
        const mkt_day *r = &w->days[d];
        extra += (double)(r->income - r->trip_pay);
        cost += (double)r->cost;
        online += (double)r->online / (double)SIM_HOUR;
        for (int h = 0; h < 24; h++) {
            size_t k = (size_t)d * 24 + (size_t)h;
            if (k >= w->n_hours) continue;
            const mkt_hour *hr = &w->hours[k];
            pay_h[h] += (double)hr->pay;
            for (int st = D_IDLE; st < D_NSTATES; st++)
                on_h[h] += (double)hr->t_state[st] / (double)SIM_HOUR;
        }
    }
    if (online <= 0) return; /* nobody drove: nothing new to publish */
    w->publish_extra = extra / online;
    if (w->pv.on) {
        /* What the fleet's chain pay was worth beyond its face value: public on the chain. */
        double adj = 0;
        for (int d = first; d <= day && (size_t)d < w->pv.n_days; d++)
            adj += w->pv.day_reward[d] - w->pv.day_delay[d];
        w->publish_vadj = adj / online;
    }
    double spread = (extra - cost) / online, trip = 0;
    for (int h = 0; h < 24; h++) {
        w->published[h] = on_h[h] > 0;
        if (w->published[h]) w->publish[h] = pay_h[h] / on_h[h] + spread;
        trip += pay_h[h];
    }
    w->publish_mean = trip / online + spread;
}

static int64_t absdiff(int64_t a, int64_t b) {
    return a > b ? a - b : b - a;
}

void mkt_supply_account_day(mkt_world *w, int day) {
    mkt_day *row = &w->days[day];
    double *gph = w->scratch, *nph = w->scratch + w->n_drv;
    size_t n = 0;
    for (size_t d = 0; d < w->n_drv; d++) {
        mkt_driver *dv = &w->drv[d];
        mkt_ldriver *ld = &w->ld[d];
        if (dv->state != D_OFF) mkt_driver_set_state(w, (uint32_t)d, dv->state);
        int64_t income = plat_driver_income(w->p, (uint32_t)d), cost = mkt_driver_cost(w, dv);
        sim_time on = mkt_driver_online(dv);
        int64_t di = income - ld->income0, dcst = cost - ld->cost0;
        int64_t dpay = dv->trip_pay - ld->trip_pay0;
        sim_time don = on - ld->online0;
        ld->income0 = income;
        ld->cost0 = cost;
        ld->trip_pay0 = dv->trip_pay;
        ld->online0 = on;
        row->income += di;
        row->trip_pay += dpay;
        row->cost += dcst;
        row->online += don;
        ld->own_rate = NAN;
        double dadj = 0; /* what chain pay was worth beyond its face value since it last drove */
        if (w->pv.on && don > 0) {
            dadj = w->pv.adj[d] - ld->adj0;
            ld->adj0 = w->pv.adj[d];
        }
        /* Drivers who left today still finished their trips: their money counts here. */
        ld->day_net = di - dcst;
        ld->day_adj = dadj;
        ld->day_on = don;
        if (don > 0) {
            double hours = (double)don / (double)SIM_HOUR;
            ld->own_rate = (double)(dpay - dcst) / hours;
            ld->own_adj = dadj / hours;
            gph[n] = (double)di / 100.0 / hours;
            nph[n] = (double)(di - dcst) / 100.0 / hours;
            n++;
            row->drove++;
        }
    }
    for (int h = 0; h < 24; h++) {
        size_t k = (size_t)day * 24 + (size_t)h;
        if (k < w->n_hours) row->trip += w->hours[k].t_state[D_TRIP];
    }
    double ps[3] = {0.1, 0.5, 0.9};
    for (int k = 0; k < 3; k++)
        row->gph[k] = row->nph[k] = NAN;
    if (n) {
        stats_quantiles(gph, n, ps, 3, row->gph);
        stats_quantiles(nph, n, ps, 3, row->nph);
    }
    plat_totals t;
    plat_get_totals(w->p, &t);
    row->conservation_error =
        plat_conservation_error(w->p) + absdiff(w->money.rider_payments, t.gross_bookings) +
        absdiff(w->money.driver_pay, t.driver_pay) + absdiff(w->money.revenue, t.revenue) +
        absdiff(w->money.subsidies, t.subsidies) +
        absdiff(w->money.rider_chain_fees, t.rider_chain_fees);
    row->closed = true;
    publish(w, day);
}

/* Learning: in the hours it drove, a driver weighs its own day (trip pay less vehicle costs,
 * plus the published extras per hour) against the published figure; elsewhere it takes the
 * published figure. Each belief moves `belief_gain` of the way there. */
void mkt_supply_learn(mkt_world *w, uint32_t d) {
    const coop_drivers *dc = &w->sc->drivers;
    double g = dc->belief_gain, own = dc->own_weight;
    mkt_ldriver *ld = &w->ld[d];
    double x = ld->own_rate + w->publish_extra;
    for (int h = 0; h < 24; h++) {
        if (!w->published[h]) continue;
        double y = w->publish[h];
        if ((ld->plan_mask >> h & 1u) && isfinite(x)) y = own * x + (1 - own) * y;
        ld->belief[h] += g * (y - ld->belief[h]);
    }
    if (w->pv.on) {
        double y = w->publish_vadj;
        if (isfinite(x)) y = own * ld->own_adj + (1 - own) * y;
        ld->vadj += g * (y - ld->vadj);
    }
}

/* Closes day `day`: each driver's figures, the day's row, what is published, learning, exits. */
static void close_day(mkt_world *w, int day) {
    mkt_day *row = &w->days[day];
    const coop_drivers *dc = &w->sc->drivers;
    mkt_supply_account_day(w, day);
    for (size_t d = 0; d < w->n_drv; d++) {
        mkt_ldriver *ld = &w->ld[d];
        if (!ld->in) continue;
        double surplus = (ld->day_on > 0 ? (double)ld->day_net + ld->day_adj - ld->plan_cost : 0) -
                         mkt_supply_entry_share(w);
        row->surplus += surplus;
        ld->below = surplus < 0 ? ld->below + 1 : 0;
    }
    int exit_days = (int)(dc->exit_after / SIM_DAY), reentry = (int)(dc->reentry_after / SIM_DAY);
    for (size_t d = 0; d < w->n_drv; d++) {
        mkt_ldriver *ld = &w->ld[d];
        if (!ld->in) continue;
        mkt_supply_learn(w, (uint32_t)d);
        if (ld->below >= exit_days) {
            ld->in = false;
            ld->reentry_day = day + 1 + reentry;
            row->exits++;
        }
    }
}

static void on_supply_day(sim *s, void *target, uint64_t data) {
    mkt_world *w = target;
    int day = days_of(sim_now(s));
    if (day > 0) {
        close_day(w, day - 1);
        entry_reviews(w, day);
    }
    plan_day(w, day);
    sim_time next = (sim_time)(day + 1) * SIM_DAY;
    if (next < w->end) sim_schedule(s, next, on_supply_day, w, data);
}

void mkt_supply_start(mkt_world *w) {
    if (!w->ld) return;
    /* A shared city's drivers decide once for all its apps (shared_entry.c), from the point
     * where platform 0's day would start, so that one platform gives the same run. */
    if (w->sh) {
        if (w->index == 0) mkt_shared_entry_start(w->sh);
        return;
    }
    sim_schedule(w->s, 0, on_supply_day, w, 0);
}

/* The fleet's short-run response to pay, measured at the end of the run: every driver in the
 * fleet plans a day with its own beliefs and with them raised by `rise`, under the same draws
 * of its value of time (common random numbers from a stream of its own, so no other draw
 * moves). The arc elasticity of planned hours is what Angrist, Caldwell & Hall (2021) measure
 * (about 1.2) for drivers offered a temporary rise. */
static void probe_elasticity(mkt_world *w, double rise) {
    const coop_drivers *dc = &w->sc->drivers;
    int max_h = (int)(dc->max_hours / SIM_HOUR);
    gsl_rng *r = sim_rng_stream(w->seed, w->replication, "elasticity_probe");
    if (!r) return;
    double hours[2] = {0, 0}, drive[2] = {0, 0};
    for (size_t d = 0; d < w->n_drv; d++) {
        const mkt_ldriver *ld = &w->ld[d];
        if (!ld->in) continue;
        double base[24], value[24];
        double today = dc->day_sigma * gsl_ran_gaussian_ziggurat(r, 1.0);
        for (int h = 0; h < 24; h++) {
            base[h] = mkt_supply_expected_pay(w, ld->belief, ld->vadj, h);
            value[h] = mkt_supply_base_value(w, (uint32_t)d, h) *
                       exp(today + dc->hour_sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
        }
        for (int k = 0; k < 2; k++) {
            double pay[24];
            for (int h = 0; h < 24; h++)
                pay[h] = base[h] * (k ? 1.0 + rise : 1.0);
            mkt_plan pl = mkt_plan_day(pay, value, w->scale, max_h, (double)dc->day_cost);
            hours[k] += pl.hours;
            drive[k] += pl.hours > 0;
        }
    }
    gsl_rng_free(r);
    w->probe_rise = rise;
    w->probe_hours[0] = hours[0];
    w->probe_hours[1] = hours[1];
    w->probe_drivers[0] = drive[0];
    w->probe_drivers[1] = drive[1];
}

/* After the books close: the last day's row (whole or partial). */
void mkt_supply_close(mkt_world *w) {
    if (!w->ld || w->n_days == 0) return;
    if (w->sh) {
        mkt_shared_entry_finish(w); /* closes the city's last day once every app's books are */
        return;
    }
    int last = (int)w->n_days - 1;
    if (!w->days[last].closed) close_day(w, last);
    probe_elasticity(w, 0.10);
}

void mkt_supply_probe(mkt_world *w) {
    probe_elasticity(w, 0.10);
}
