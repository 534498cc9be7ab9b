/* hourly.csv in a shared market: each platform's rows end with its shares of the hour's
 * requests, trips and driver online hours over all the city's apps, when it has two or more
 * (separate runs write no such columns: each world has the whole city). */
#include "models/market/shared.h"
#include "models/schema/schema.h"

#include <math.h>

typedef struct hour_ctx {
    const mkt_market *m;
    size_t p;
} hour_ctx;

static double online(const mkt_hour *hr) {
    sim_time on = 0;
    for (int s = D_IDLE; s < D_NSTATES; s++)
        on += hr->t_state[s];
    return (double)on;
}

static void share(FILE *f, double a, double all) {
    if (all > 0)
        fprintf(f, ",%.6f", a / all);
    else
        fputc(',', f);
}

static void shares(FILE *f, size_t h, const void *ctx) {
    const hour_ctx *c = ctx;
    double req = 0, trips = 0, hours = 0;
    for (size_t q = 0; q < c->m->n; q++) {
        const mkt_world *w = c->m->w[q];
        if (h >= w->n_hours) continue;
        req += (double)w->hours[h].requests;
        trips += (double)w->hours[h].served;
        hours += online(&w->hours[h]);
    }
    const mkt_hour *own = &c->m->w[c->p]->hours[h];
    share(f, (double)own->requests, req);
    share(f, (double)own->served, trips);
    share(f, online(own), hours);
}

int mkt_write_shared_hourly_csv(const mkt_market *m, size_t i, FILE *f, bool header) {
    if (i >= m->n) return -1;
    /* one app: its shares are 1, and a shared city of one stays byte-identical to a separate
     * run (the reduction the tests check) */
    if (m->n < 2) return mkt_write_hourly_csv(m->w[i], f, header);
    hour_ctx c = {m, i};
    return mkt_write_hourly_csv_ext(m->w[i], f, header, &schema_hourly_shares_csv, shares, &c);
}
