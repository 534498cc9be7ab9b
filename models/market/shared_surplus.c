/* Riders' and drivers' surplus by platform in a shared city (docs/model.md, "One city, several
 * platforms"), over the same window as each platform's `welfare`. Riders' surplus is each app's
 * own: a rider refused by one app and carried by another counts on the second only, and the
 * wait of a rider who gave up counts on the app it waited on, so the apps' parts add up to the
 * city's. A multi-homer idle on two apps at once is one hour of its time, not two: its outside
 * option and hourly vehicle cost are counted once, its idle time shared between the apps it was
 * idle on in proportion. */
#include "models/market/shared.h"

#include <math.h>

/* Driver d's online time on each app, attributed so that each of its hours counts once: the
 * time busy for an app (a move, a pickup, a trip) is that app's; its idle time, which a
 * multi-homer spends on all its apps at once, is the longest of its idle times on them, shared
 * in proportion to each. A single-homer is on one app a day, so its idle times add up. */
static void attribute(const mkt_market *m, const mkt_driver_window *dw, double *hours) {
    double idle_sum = 0, idle_max = 0;
    for (size_t p = 0; p < m->n; p++) {
        double idle = (double)dw[p].t_state[D_IDLE];
        idle_sum += idle;
        if (idle > idle_max) idle_max = idle;
    }
    double idle_once = m->sc->drivers.multihoming ? idle_max : idle_sum;
    for (size_t p = 0; p < m->n; p++) {
        double idle = (double)dw[p].t_state[D_IDLE];
        double busy = (double)dw[p].online - idle;
        double share = idle_sum > 0 ? idle_once * idle / idle_sum : 0.0;
        hours[p] = (busy + share) / (double)SIM_HOUR;
    }
}

void mkt_shared_surplus(const mkt_market *m, mkt_surplus *out) {
    const coop_drivers *dc = &m->sc->drivers;
    for (size_t p = 0; p < m->n; p++) {
        out[p] = (mkt_surplus){0};
        out[p].riders = mkt_welfare_riders(m->w[p]);
    }
    mkt_driver_window dw[MKT_MAX_PLATFORMS];
    double hours[MKT_MAX_PLATFORMS];
    for (uint32_t d = 0; d < m->n_drv; d++) {
        for (size_t p = 0; p < m->n; p++)
            mkt_driver_window_of(m->w[p], d, &dw[p]);
        attribute(m, dw, hours);
        /* the same driver in every world: one reservation wage */
        double reservation = (double)m->w[0]->drv[d].reservation;
        for (size_t p = 0; p < m->n; p++) {
            mkt_surplus *s = &out[p];
            s->income += dw[p].income;
            s->vehicle += llround((double)dc->cost_per_km * dw[p].metres / 1000.0 +
                                  (double)dc->cost_per_hour * hours[p]);
            s->outside += llround(reservation * hours[p]);
            s->hours += hours[p];
        }
    }
    for (size_t p = 0; p < m->n; p++)
        out[p].drivers = out[p].income - out[p].vehicle - out[p].outside;
}
