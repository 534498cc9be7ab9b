/* Free entry in a shared city (market.platforms: shared, drivers.supply: free_entry): one pool
 * of potential drivers who enter and leave the city's fleet, register with apps, choose each day
 * which of their apps to be online on and for how many hours, from what they expect each app to
 * pay. The rules of the separate long run (supply.c), decided once per driver for every app;
 * stated in docs/model.md ("Free entry in a shared city"). */
#include "models/market/shared.h"
#include "sim/rng.h"

#include <math.h>
#include <stdlib.h>

/* A driver of the city's pool. Its beliefs about each app are that app's world's (ld). */
typedef struct mkt_entrant {
    double plan_cost; /* value of the time planned today plus the day cost (cents) */
    double reg_cost;  /* registration costs borne today (cents), counted in its surplus */
    sim_time block;   /* length of today's block */
    int32_t below;    /* days in a row below the outside option */
    int32_t reentry_day;
    uint8_t apps; /* bit p: on app p (today's choice; kept on a day it stays home) */
    bool in;      /* in the city's fleet */
} mkt_entrant;

struct mkt_entry {
    mkt_entrant *e;
    gsl_rng *r_apps; /* driver_apps: reviews of registrations and of a single-homer's app */
    int64_t driver_days, multi_days; /* fleet's days on some app, and on several */
};

int mkt_shared_entry_new(mkt_market *m) {
    if (m->sc->drivers.supply != COOP_SUPPLY_FREE_ENTRY) return 0;
    struct mkt_entry *x = calloc(1, sizeof *x);
    if (!x) return 2;
    m->entry = x;
    x->e = calloc(m->n_drv ? m->n_drv : 1, sizeof *x->e);
    x->r_apps =
        sim_rng_stream((uint64_t)m->sc->simulation.seed, m->w[0]->replication, "driver_apps");
    if (!x->e || !x->r_apps) return 2;
    int64_t active = m->sc->drivers.initial_active;
    for (size_t d = 0; d < m->n_drv; d++)
        x->e[d].in = active == 0 || (int64_t)d < active;
    return 0;
}

void mkt_shared_entry_free(mkt_market *m) {
    if (!m->entry) return;
    if (m->entry->r_apps) gsl_rng_free(m->entry->r_apps);
    free(m->entry->e);
    free(m->entry);
    m->entry = NULL;
}

static int bits(unsigned set) {
    return __builtin_popcount(set);
}

/* Apps driver d may be online on: registered, open, and not refused by a member cap (a refused
 * driver knows it). */
static unsigned usable(const mkt_market *m, uint32_t d) {
    unsigned u = 0;
    for (size_t p = 0; p < m->n; p++)
        if ((m->reg[d] >> p & 1u) && plat_open(m->w[p]->p) && !m->w[p]->drv[d].refused)
            u |= 1u << p;
    return u;
}

/* What an hour at h pays on the apps of `set`, net of vehicle costs: the sum over them (a
 * multi-homer's idle time is shared) of the driver's beliefs, or of what each app publishes. */
static void set_pay(const mkt_market *m, uint32_t d, unsigned set, bool published, double *pay) {
    bool first = true;
    for (size_t p = 0; p < m->n; p++) {
        if (!(set >> p & 1u)) continue;
        const mkt_world *w = m->w[p];
        const mkt_ldriver *ld = &w->ld[d];
        double pub[24];
        const double *belief = ld->belief;
        double vadj = ld->vadj;
        if (published) {
            for (int h = 0; h < 24; h++)
                pub[h] = w->published[h] ? w->publish[h] : w->publish_mean;
            belief = pub;
            vadj = w->publish_vadj;
        }
        for (int h = 0; h < 24; h++) {
            double x = mkt_supply_expected_pay(w, belief, vadj, h);
            pay[h] = first ? x : pay[h] + x;
        }
        first = false;
    }
}

/* The one-off cost of registering with app p: drivers.registration_cost plus its entry fee. */
static double reg_cost(const mkt_market *m, size_t p) {
    return (double)m->sc->drivers.registration_cost +
           (double)plat_get_config(m->w[p]->p)->entry_fee;
}

/* The sets a driver compares: a multi-homer all its apps and each one alone, a single-homer
 * each one alone (`apps`: the apps to choose from). */
static size_t candidates(const mkt_market *m, unsigned apps, unsigned *cand) {
    size_t n = 0;
    if (m->sc->drivers.multihoming && apps) cand[n++] = apps;
    if (m->sc->drivers.multihoming && bits(apps) < 2) return n;
    for (size_t p = 0; p < m->n; p++)
        if (apps >> p & 1u) cand[n++] = 1u << p;
    return n;
}

/* The best of the candidate sets by plan value less `less[k]`; ties go to the first. */
static size_t best_of(const mkt_market *m, uint32_t d, const unsigned *cand, const double *less,
                      size_t n, bool published, const double *value, mkt_plan *out) {
    size_t best = 0;
    for (size_t k = 0; k < n; k++) {
        double pay[24];
        set_pay(m, d, cand[k], published, pay);
        mkt_plan pl = mkt_supply_plan(m->w[0], pay, value);
        double v = pl.value - (less ? less[k] : 0);
        if (k == 0 || v > out->value - (less ? less[best] : 0)) {
            best = k;
            *out = pl;
        }
    }
    return best;
}

/* A driver in the fleet reviews, with probability drivers.entry_review per open app it is not
 * registered with, whether registering pays: a usual day (its usual values of time, no draws)
 * on its apps with the new one (a multi-homer: all of them; a single-homer: the new one alone)
 * against its best usual day now, the gain to exceed a week's share of the one-off cost. */
static void review_registrations(mkt_market *m, uint32_t d) {
    mkt_entrant *e = &m->entry->e[d];
    const coop_drivers *dc = &m->sc->drivers;
    double value[24];
    bool have_value = false;
    for (size_t q = 0; q < m->n; q++) {
        if ((m->reg[d] >> q & 1u) || !plat_open(m->w[q]->p)) continue;
        if (gsl_rng_uniform(m->entry->r_apps) >= dc->entry_review) continue;
        if (!have_value) {
            for (int h = 0; h < 24; h++)
                value[h] = mkt_supply_base_value(m->w[0], d, h);
            have_value = true;
        }
        unsigned u = usable(m, d), cand[MKT_MAX_PLATFORMS + 1];
        mkt_plan now = {0, 0, 0.0, 0.0}, with = {0, 0, 0.0, 0.0};
        size_t n = candidates(m, u, cand);
        if (n) best_of(m, d, cand, NULL, n, false, value, &now);
        unsigned next = dc->multihoming ? u | 1u << q : 1u << q;
        best_of(m, d, &next, NULL, 1, false, value, &with);
        if (with.value - now.value < reg_cost(m, q) / 7.0) continue;
        m->reg[d] |= (uint8_t)(1u << q);
        e->reg_cost += (double)dc->registration_cost;
        if (!dc->multihoming) m->home[d] = (uint8_t)q;
    }
}

/* Today's apps: a multi-homer the best of its candidate sets under today's draws; a
 * single-homer its app, reconsidered with probability drivers.entry_review (at once when the
 * app is closed to it) among its apps alone. */
static unsigned choose_apps(mkt_market *m, uint32_t d, const double *value, mkt_plan *pl) {
    unsigned u = usable(m, d), cand[MKT_MAX_PLATFORMS + 1] = {0};
    *pl = (mkt_plan){0, 0, 0.0, 0.0};
    if (!u) return 0;
    size_t n = 0;
    if (!m->sc->drivers.multihoming && (u >> m->home[d] & 1u) &&
        (bits(u) < 2 || gsl_rng_uniform(m->entry->r_apps) >= m->sc->drivers.entry_review)) {
        cand[0] = 1u << m->home[d];
        n = 1;
    } else {
        n = candidates(m, u, cand);
    }
    if (!n) return 0;
    unsigned set = cand[best_of(m, d, cand, NULL, n, false, value, pl)];
    if (!m->sc->drivers.multihoming) m->home[d] = (uint8_t)__builtin_ctz(set);
    return set;
}

/* Each driver in the fleet draws today's values of its time (platform 0's stream, as in a
 * separate run), chooses its apps and hours, and starts its block on each of them. */
static void plan_city(mkt_market *m, int day) {
    for (size_t i = 0; i < m->n_drv; i++) {
        uint32_t d = (uint32_t)i;
        mkt_entrant *e = &m->entry->e[d];
        for (size_t p = 0; p < m->n; p++) {
            mkt_ldriver *ld = &m->w[p]->ld[d];
            ld->plan_cost = 0;
            ld->plan_mask = 0;
            ld->in = false;
        }
        e->plan_cost = 0;
        e->block = 0;
        if (!e->in) {
            for (size_t p = 0; p < m->n; p++)
                m->w[p]->drv[d].away = true;
            continue;
        }
        review_registrations(m, d);
        double value[24], offset;
        mkt_supply_draw_values(m->w[0], m->w[0]->r_days, d, value, &offset);
        mkt_plan pl;
        unsigned set = choose_apps(m, d, value, &pl);
        e->apps = (uint8_t)set;
        m->entry->driver_days += set != 0;
        m->entry->multi_days += bits(set) > 1;
        double face[24] = {0};
        bool chain = false;
        for (size_t p = 0; p < m->n; p++)
            chain |= (set >> p & 1u) && m->w[p]->pv.on;
        if (chain) { /* the same plan had chain pay counted at face value (reported) */
            bool first = true;
            for (size_t p = 0; p < m->n; p++) {
                if (!(set >> p & 1u)) continue;
                for (int h = 0; h < 24; h++)
                    face[h] = first ? m->w[p]->ld[d].belief[h] : face[h] + m->w[p]->ld[d].belief[h];
                first = false;
            }
        }
        if (pl.hours > 0) {
            e->plan_cost = pl.cost;
            e->block = pl.hours * SIM_HOUR;
        }
        for (size_t p = 0; p < m->n; p++) {
            mkt_world *w = m->w[p];
            bool on = set >> p & 1u;
            w->drv[d].away = !on;
            w->ld[d].in = on;
            if (!on) continue;
            w->days[day].active++;
            if (w->pv.on) mkt_supply_face_value_plan(w, face, value, day, pl.hours);
            mkt_supply_block(w, d, day, &pl, offset);
        }
    }
}

/* Potential drivers outside the fleet who reconsider today (platform 0's stream, one draw
 * each) enter when a usual day on their best set of open apps (registered with or not) at what
 * the apps publish, less a week's share of registering with those they are not registered
 * with, is worth more than a day's share of the entry cost. */
static void entry_city(mkt_market *m, int day) {
    const coop_drivers *dc = &m->sc->drivers;
    mkt_world *w0 = m->w[0];
    unsigned open = 0;
    for (size_t p = 0; p < m->n; p++)
        if (plat_open(m->w[p]->p)) open |= 1u << p;
    for (size_t i = 0; i < m->n_drv; i++) {
        uint32_t d = (uint32_t)i;
        mkt_entrant *e = &m->entry->e[d];
        if (e->in || day < e->reentry_day) continue;
        if (gsl_rng_uniform(w0->r_entry) >= dc->entry_review) continue;
        unsigned u = usable(m, d), cand[MKT_MAX_PLATFORMS + 1];
        for (size_t p = 0; p < m->n; p++) /* open apps it would register with on entering */
            if ((open & ~u) >> p & 1u && !m->w[p]->drv[d].refused) u |= 1u << p;
        size_t n = candidates(m, u, cand);
        if (!n) continue;
        double value[24], less[MKT_MAX_PLATFORMS + 1];
        for (int h = 0; h < 24; h++)
            value[h] = mkt_supply_base_value(w0, d, h);
        for (size_t k = 0; k < n; k++) {
            less[k] = 0;
            for (size_t p = 0; p < m->n; p++)
                if ((cand[k] & ~(unsigned)m->reg[d]) >> p & 1u) less[k] += reg_cost(m, p) / 7.0;
        }
        mkt_plan pl = {0, 0, 0.0, 0.0};
        size_t k = best_of(m, d, cand, less, n, true, value, &pl);
        if (!(pl.hours > 0 && pl.value - less[k] >= mkt_supply_entry_share(w0))) continue;
        e->in = true;
        e->below = 0;
        for (size_t p = 0; p < m->n; p++) {
            mkt_world *w = m->w[p];
            mkt_supply_take_published(w, &w->ld[d]);
            if (w->pv.on) w->ld[d].adj0 = w->pv.adj[d];
            if (!(cand[k] >> p & 1u)) continue;
            if (!(m->reg[d] >> p & 1u)) e->reg_cost += (double)dc->registration_cost;
            w->days[day].entrants++;
        }
        m->reg[d] |= (uint8_t)cand[k];
        e->apps = (uint8_t)cand[k];
        if (!dc->multihoming) m->home[d] = (uint8_t)__builtin_ctz(cand[k]);
    }
}

/* A multi-homer's own day on each app counts per hour of its block, not per hour online on that
 * app (which leaves out its time busy on the others): what the app added to an hour out. */
static void per_hour_out(mkt_market *m, uint32_t d) {
    sim_time out = m->entry->e[d].block;
    for (size_t p = 0; p < m->n; p++)
        if (m->w[p]->ld[d].day_on > out) out = m->w[p]->ld[d].day_on;
    for (size_t p = 0; p < m->n && out > 0; p++) {
        mkt_ldriver *ld = &m->w[p]->ld[d];
        if (ld->day_on <= 0) continue;
        double f = (double)ld->day_on / (double)out;
        ld->own_rate *= f;
        ld->own_adj *= f;
    }
}

/* Closes day `day` in every app (rows, what each publishes), then each driver's surplus over
 * all its apps, its learning about each app, and exits. */
static void close_city(mkt_market *m, int day) {
    const coop_drivers *dc = &m->sc->drivers;
    double share = mkt_supply_entry_share(m->w[0]);
    for (size_t p = 0; p < m->n; p++) {
        mkt_world *w = m->w[p];
        mkt_supply_account_day(w, day);
        /* What an hour on the app pays for the offer rules and surge moves, which read the fixed
         * pool's belief: its published figure (one app: the separate run's prior, unchanged). */
        if (m->n > 1 && w->days[day].online > 0) w->expected_net = w->publish_mean;
    }
    for (size_t i = 0; i < m->n_drv; i++) {
        uint32_t d = (uint32_t)i;
        mkt_entrant *e = &m->entry->e[d];
        if (!e->in) continue;
        if (bits(e->apps) > 1) per_hour_out(m, d);
        double sum = 0;
        bool drove = false;
        for (size_t p = 0; p < m->n; p++) {
            const mkt_ldriver *ld = &m->w[p]->ld[d];
            if (ld->day_on <= 0) continue;
            double x = (double)ld->day_net + ld->day_adj;
            sum = drove ? sum + x : x;
            drove = true;
        }
        double surplus = (drove ? sum - e->plan_cost : 0) - share;
        if (e->reg_cost > 0) surplus -= e->reg_cost;
        e->reg_cost = 0;
        for (size_t p = 0; p < m->n; p++)
            if (e->apps >> p & 1u) m->w[p]->days[day].surplus += surplus;
        e->below = surplus < 0 ? e->below + 1 : 0;
    }
    int exit_days = (int)(dc->exit_after / SIM_DAY), reentry = (int)(dc->reentry_after / SIM_DAY);
    for (size_t i = 0; i < m->n_drv; i++) {
        uint32_t d = (uint32_t)i;
        mkt_entrant *e = &m->entry->e[d];
        if (!e->in) continue;
        for (size_t p = 0; p < m->n; p++)
            mkt_supply_learn(m->w[p], d);
        if (e->below < exit_days) continue;
        e->in = false;
        e->reentry_day = day + 1 + reentry;
        for (size_t p = 0; p < m->n; p++) {
            m->w[p]->ld[d].in = false;
            if (e->apps >> p & 1u) m->w[p]->days[day].exits++;
        }
    }
}

static void on_city_day(sim *s, void *target, uint64_t data) {
    mkt_market *m = target;
    int day = (int)(sim_now(s) / SIM_DAY);
    if (day > 0) {
        close_city(m, day - 1);
        entry_city(m, day);
    }
    plan_city(m, day);
    sim_time next = (sim_time)(day + 1) * SIM_DAY;
    if (next < m->end) sim_schedule(s, next, on_city_day, m, data);
}

void mkt_shared_entry_start(mkt_market *m) {
    if (m->entry) sim_schedule(m->s, 0, on_city_day, m, 0);
}

void mkt_shared_entry_finish(mkt_world *w) {
    mkt_market *m = w->sh;
    if (!m->entry || w->index + 1 < m->n) return;
    int last = (int)m->w[0]->n_days - 1;
    if (!m->w[0]->days[last].closed) close_city(m, last);
    /* free entry: the share of the fleet's driver-days on more than one app */
    const struct mkt_entry *x = m->entry;
    m->multihoming_share =
        x->driver_days > 0 ? (double)x->multi_days / (double)x->driver_days : 0.0;
    for (size_t p = 0; p < m->n; p++)
        mkt_supply_probe(m->w[p]);
}
