/* One city, several platforms (market.platforms: shared): one engine, one stream of riders who
 * choose among the apps they know (awareness spreading by word of mouth and marketing; a logit
 * on the quoted price and the shown pickup time), one pool of drivers registered with one or
 * several apps (a multi-homer idle on all of them takes the first offer and leaves the others
 * while busy), and each platform's strategy revised day by day. Each platform keeps its own
 * world: rules, books, ledger and its drivers' accounts with it. */
#include "models/market/shared.h"
#include "models/market/eta.h"
#include "sim/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const coop_compete *compete(const mkt_market *m, size_t p) {
    return &((const coop_platform *)m->sc->platforms.items)[p].market;
}

static const plat_config *own_rules(const mkt_market *m, size_t p) {
    return &((const coop_platform *)m->sc->platforms.items)[p].rules;
}

/* A centralized platform with a strategy (fight_above under 100% or raise_below above 0). */
static bool has_strategy(const mkt_market *m, size_t p) {
    const coop_compete *c = compete(m, p);
    return own_rules(m, p)->kind == PLAT_CENTRALIZED &&
           (c->fight_above < 1.0 || c->raise_below > 0);
}

void mkt_market_free(mkt_market *m) {
    if (!m) return;
    for (size_t i = 0; i < m->n; i++)
        mkt_free(m->w[i]);
    gsl_rng *rs[] = {m->r_choice, m->r_reg};
    for (size_t i = 0; i < 2; i++)
        if (rs[i]) gsl_rng_free(rs[i]);
    mkt_shared_entry_free(m);
    mkt_pop_free(m);
    sim_free(m->s);
    free(m->reg);
    free(m->home);
    free(m->busy);
    free(m->pref);
    free(m->days);
    free(m);
}

/* Registration: driver d is registered with platform p when its draw is under the platform's
 * share (one draw per driver and platform, whatever the shares); a single-homer starts on one
 * of its apps drawn evenly. */
static void register_drivers(mkt_market *m) {
    int64_t registered = 0, several = 0;
    for (size_t d = 0; d < m->n_drv; d++) {
        uint8_t bits = 0;
        for (size_t p = 0; p < m->n; p++)
            if (gsl_rng_uniform(m->r_reg) < compete(m, p)->registered) bits |= (uint8_t)(1u << p);
        m->reg[d] = bits;
        int count = __builtin_popcount(bits);
        double u = gsl_rng_uniform(m->r_reg);
        if (count > 0) registered++;
        if (count > 1) several++;
        int pick = count > 0 ? (int)(u * count) : 0, k = 0;
        m->home[d] = 0;
        for (size_t p = 0; p < m->n; p++)
            if (bits & (1u << p) && k++ == pick) m->home[d] = (uint8_t)p;
    }
    m->multihoming_share =
        registered > 0 && m->sc->drivers.multihoming ? (double)several / (double)registered : 0.0;
}

/* Which apps each driver is on today: every registered one (multi-homing), or its home app. */
static void set_away(mkt_market *m) {
    for (size_t d = 0; d < m->n_drv; d++)
        for (size_t p = 0; p < m->n; p++) {
            bool reg = m->reg[d] & (1u << p);
            m->w[p]->drv[d].away = !reg || (!m->sc->drivers.multihoming && m->home[d] != p);
        }
}

/* A single-homer reconsiders its app with probability drivers.entry_review each day (at once
 * when its app has failed) and moves to the open registered app whose drivers earned most per
 * online hour (the platform's learned figure, expected_net); partial adjustment keeps the whole
 * pool from moving at once. */
static void choose_homes(mkt_market *m) {
    /* free entry: each driver chooses its apps with its hours (shared_entry.c) */
    if (m->sc->drivers.multihoming || m->entry) return;
    for (size_t d = 0; d < m->n_drv; d++) {
        if (__builtin_popcount(m->reg[d]) < 2) continue;
        /* a driver whose app has failed moves at once */
        bool stuck = !plat_open(m->w[m->home[d]]->p);
        if (gsl_rng_uniform(m->r_reg) >= m->sc->drivers.entry_review && !stuck) continue;
        size_t best = m->home[d];
        for (size_t p = 0; p < m->n; p++) {
            if (!(m->reg[d] & (1u << p)) || !plat_open(m->w[p]->p)) continue;
            if (!plat_open(m->w[best]->p) || m->w[p]->expected_net > m->w[best]->expected_net)
                best = p;
        }
        m->home[d] = (uint8_t)best;
    }
    set_away(m);
}

mkt_market *mkt_market_new(const coop_scenario *sc, uint64_t replication, char *err,
                           size_t errlen) {
    if (sc->platforms.n > MKT_MAX_PLATFORMS) {
        snprintf(err, errlen, "platforms: at most %d in a shared market", MKT_MAX_PLATFORMS);
        return NULL;
    }
    mkt_market *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->sc = sc;
    m->n = sc->platforms.n;
    m->end = sc->simulation.duration;
    m->n_drv = (size_t)sc->drivers.count;
    uint64_t seed = (uint64_t)sc->simulation.seed;
    m->s = sim_new(m->n * (m->n_drv * 2 + 1024));
    m->r_choice = sim_rng_stream(seed, replication, "rider_choice");
    m->r_reg = sim_rng_stream(seed, replication, "driver_registration");
    m->reg = calloc(m->n_drv ? m->n_drv : 1, 1);
    m->home = calloc(m->n_drv ? m->n_drv : 1, 1);
    m->busy = calloc(m->n_drv ? m->n_drv : 1, 1);
    m->n_days = (size_t)((m->end + SIM_DAY - 1) / SIM_DAY);
    m->days = calloc(m->n_days * m->n, sizeof *m->days);
    if (!m->s || !m->r_choice || !m->r_reg || !m->reg || !m->home || !m->busy || !m->days ||
        mkt_pop_init(m, seed, replication) != 0) {
        snprintf(err, errlen, "out of memory building the shared market");
        mkt_market_free(m);
        return NULL;
    }
    for (size_t p = 0; p < m->n; p++) {
        m->w[p] = mkt_new_on(sc, p, replication, m->s, err, errlen);
        if (!m->w[p]) {
            mkt_market_free(m);
            return NULL;
        }
        m->w[p]->sh = m;
        m->aware[p] = compete(m, p)->awareness;
    }
    register_drivers(m);
    set_away(m);
    if (mkt_shared_entry_new(m) != 0) {
        snprintf(err, errlen, "out of memory building the city's pool of drivers");
        mkt_market_free(m);
        return NULL;
    }
    if (mkt_offers_market_init(m) != 0) {
        snprintf(err, errlen, "out of memory building the shared market");
        mkt_market_free(m);
        return NULL;
    }
    return m;
}

sim *mkt_market_engine(mkt_market *m) {
    return m->s;
}

size_t mkt_market_size(const mkt_market *m) {
    return m->n;
}

mkt_world *mkt_market_world(mkt_market *m, size_t i) {
    return i < m->n ? m->w[i] : NULL;
}

/* ---- riders ---------------------------------------------------------------------------- */

/* One of the candidate apps by the logit's probabilities (values v); no draw with one. */
static size_t pick(mkt_market *m, const double *v, const bool *cand, size_t n_cand) {
    size_t last = 0;
    double vmax = -INFINITY, tot = 0, e[MKT_MAX_PLATFORMS];
    for (size_t p = 0; p < m->n; p++)
        if (cand[p] && v[p] > vmax) vmax = v[p];
    for (size_t p = 0; p < m->n; p++) {
        e[p] = cand[p] ? exp(v[p] - vmax) : 0.0;
        tot += e[p];
        if (cand[p]) last = p;
    }
    if (n_cand == 1) return last;
    double u = gsl_rng_uniform(m->r_choice) * tot;
    for (size_t p = 0; p < m->n; p++) {
        if (!cand[p]) continue;
        if (u < e[p]) return p;
        u -= e[p];
    }
    return last;
}

/* The logit's value of app p for rider r now: minus the scale times the generalized price in
 * currency units (the quote, the shown pickup time at the value of waiting, and what the
 * rider's habit adds: shared_riders.c); the shown time in *eta_s. */
static double value_of(const mkt_market *m, size_t p, const mkt_request *r, sim_time now,
                       double *eta_s) {
    const mkt_world *w = m->w[p];
    const coop_riders *rc = &m->sc->riders;
    double straight = mkt_dist(r->ox, r->oy, r->dx, r->dy);
    plat_quote q = plat_quote_trip(w->p, now, r->zone, r->dist, mkt_travel_time(w, straight, now));
    *eta_s = (double)mkt_eta_pickup(w, r->ox, r->oy, NULL) / 1e6;
    return -rc->choice_scale *
           ((double)q.rider_price + (double)rc->value_of_time * *eta_s / 3600.0 +
            mkt_pop_habit_cost(m, r->rider, p, now)) /
           100.0;
}

/* Puts rider rq to the candidate apps by the logit until one takes the request (or, without
 * riders.retry, after the first); counts first choices on day `day` when `first`. */
static void choose_and_ask(mkt_market *m, mkt_request *rq, double *v, bool *cand, size_t n_cand,
                           size_t day, bool first) {
    for (; n_cand > 0; first = false) {
        size_t p = pick(m, v, cand, n_cand);
        if (first)
            m->days[day * m->n + p].first_choices++;
        else
            m->retries++;
        rq->apps_tried |= (uint8_t)(1u << p);
        int64_t rid = mkt_deliver(m->w[p], rq);
        if (rid < 0) return; /* out of memory: the run stops */
        uint8_t st = mkt_req(m->w[p], (uint32_t)rid)->status;
        /* an app that shows a wait longer than the rider's patience failed it, as one that
         * leaves it waiting in vain (a quote above its price is the rider's own choice) */
        if (st == R_REFUSED && mkt_eta_balks(m->w[p], (uint32_t)rid))
            mkt_pop_disappointed(m, rq->rider, p, sim_now(m->s));
        if (!m->sc->riders.retry || (st != R_REFUSED && st != R_CLOSED)) return;
        cand[p] = false;
        n_cand--;
    }
}

static size_t day_of(const mkt_market *m) {
    size_t day = (size_t)(sim_now(m->s) / SIM_DAY);
    return day < m->n_days ? day : m->n_days - 1;
}

void mkt_shared_arrival(mkt_market *m, const mkt_request *r) {
    sim_time now = sim_now(m->s);
    size_t day = day_of(m);
    m->arrivals++;
    mkt_request rq = *r;
    rq.rider = mkt_pop_draw(m);
    double v[MKT_MAX_PLATFORMS];
    bool cand[MKT_MAX_PLATFORMS];
    size_t n_cand = 0;
    for (size_t p = 0; p < m->n; p++) {
        bool knows = mkt_pop_knows(m, rq.rider, p);
        if (knows) rq.apps_known |= (uint8_t)(1u << p);
        cand[p] = knows && plat_open(m->w[p]->p);
        if (!cand[p]) continue;
        double eta;
        v[p] = value_of(m, p, &rq, now, &eta);
        m->days[day * m->n + p].eta_sum += eta;
        m->days[day * m->n + p].eta_n++;
        n_cand++;
    }
    if (n_cand == 0) {
        m->without_app++;
        return;
    }
    choose_and_ask(m, &rq, v, cand, n_cand, day, true);
}

void mkt_shared_abandoned(mkt_world *w, uint32_t rid) {
    mkt_market *m = w->sh;
    const mkt_request *r = mkt_req(w, rid);
    sim_time now = sim_now(m->s);
    mkt_pop_disappointed(m, r->rider, w->index, now);
    if (!m->sc->riders.retry) return;
    double v[MKT_MAX_PLATFORMS], eta;
    bool cand[MKT_MAX_PLATFORMS];
    size_t n_cand = 0;
    for (size_t p = 0; p < m->n; p++) {
        uint8_t bit = (uint8_t)(1u << p);
        cand[p] = (r->apps_known & bit) && !(r->apps_tried & bit) && plat_open(m->w[p]->p);
        if (!cand[p]) continue;
        v[p] = value_of(m, p, r, now, &eta);
        n_cand++;
    }
    if (n_cand == 0) return;
    /* a new request on the next app, from now, with the same patience */
    mkt_request rq;
    memset(&rq, 0, sizeof rq);
    rq.t_req = now;
    rq.patience = r->patience;
    rq.ox = r->ox;
    rq.oy = r->oy;
    rq.dx = r->dx;
    rq.dy = r->dy;
    rq.dist = r->dist;
    rq.wtp = r->wtp;
    rq.zone = r->zone;
    rq.rider = r->rider;
    rq.driver = MKT_GRID_NONE;
    rq.status = R_WAITING;
    rq.apps_known = r->apps_known;
    rq.apps_tried = r->apps_tried;
    choose_and_ask(m, &rq, v, cand, n_cand, day_of(m), false);
}

/* ---- multi-homing drivers ---------------------------------------------------------------- */

void mkt_shared_claim(mkt_world *w, uint32_t d) {
    mkt_market *m = w->sh;
    m->busy[d] = (uint8_t)(w->index + 1);
    for (size_t p = 0; p < m->n; p++) {
        mkt_world *x = m->w[p];
        if (x != w && x->drv[d].state >= D_REPOS) m->overlaps++;
        if (x == w || x->drv[d].state != D_IDLE) continue;
        mkt_driver_go_offline(x, d);
        x->drv[d].paused = true;
    }
}

void mkt_shared_release(mkt_world *w, uint32_t d) {
    mkt_market *m = w->sh;
    if (m->busy[d] == w->index + 1) m->busy[d] = 0;
    sim_time now = sim_now(m->s);
    for (size_t p = 0; p < m->n; p++) {
        mkt_world *x = m->w[p];
        mkt_driver *dv = &x->drv[d];
        if (x == w || !dv->paused) continue;
        dv->paused = false;
        if (dv->away || dv->state != D_OFF || now >= dv->shift_end_at) continue;
        dv->x = w->drv[d].x;
        dv->y = w->drv[d].y;
        dv->online_flushed = now;
        dv->state_since = now;
        dv->ending = false;
        mkt_driver_become_idle(x, d, false);
        if (w->drv[d].state != D_IDLE) return; /* that app sent it a rider at once */
    }
}

mkt_world *mkt_shared_reposition_app(mkt_world *w, uint32_t d) {
    mkt_market *m = w->sh;
    mkt_world *at = w;
    for (size_t i = 0; i < m->n; i++) {
        mkt_world *x = m->w[(d + i) % m->n];
        if (x->drv[d].state == D_IDLE && !x->drv[d].held) {
            at = x;
            break;
        }
    }
    for (size_t p = 0; p < m->n; p++) {
        mkt_driver *dv = &m->w[p]->drv[d];
        if (m->w[p] == at || dv->state != D_IDLE || !dv->ev || dv->held) continue;
        sim_cancel(m->s, dv->ev);
        dv->ev = 0;
    }
    return at;
}

bool mkt_shared_busy_elsewhere(const mkt_world *w, uint32_t d) {
    uint8_t b = w->sh->busy[d];
    return b != 0 && b != w->index + 1;
}

double mkt_shared_expected_net(const mkt_world *w, uint32_t d) {
    const mkt_market *m = w->sh;
    if (!m->sc->drivers.multihoming) return w->expected_net;
    double sum = 0;
    for (size_t p = 0; p < m->n; p++)
        if (!m->w[p]->drv[d].away && plat_open(m->w[p]->p) && m->w[p]->expected_net > 0)
            sum += m->w[p]->expected_net; /* an app that pays nothing takes nothing away */
    return sum;
}

void mkt_shared_offline(mkt_world *w, uint32_t d) {
    mkt_market *m = w->sh;
    if (m->busy[d] == w->index + 1) m->busy[d] = 0;
    /* tomorrow the driver starts from where it stopped, on every app */
    for (size_t p = 0; p < m->n; p++) {
        mkt_driver *dv = &m->w[p]->drv[d];
        if (m->w[p] == w || dv->state != D_OFF) continue;
        dv->x = w->drv[d].x;
        dv->y = w->drv[d].y;
    }
}

/* ---- day by day: awareness, strategies, marketing, single-homers' apps ----------------- */

void mkt_shared_day_sums(const mkt_market *m, size_t p, size_t d0, size_t d1, int64_t *requests,
                         int64_t *trips, double *hours) {
    const mkt_world *w = m->w[p];
    *requests = *trips = 0;
    sim_time online = 0;
    for (size_t h = d0 * 24; h < d1 * 24 && h < w->n_hours; h++) {
        *requests += w->hours[h].requests;
        *trips += w->hours[h].served;
        for (int s = D_IDLE; s < D_NSTATES; s++)
            online += w->hours[h].t_state[s];
    }
    *hours = (double)online / (double)SIM_HOUR;
}

/* What fighting cost since the last call: rider subsidies plus the take given up (the fares
 * times the gap between the platform's own commission and the growth phase's). */
static void count_burn(mkt_market *m, size_t p) {
    plat_totals t;
    plat_get_totals(m->w[p]->p, &t);
    int64_t fares = t.gross_bookings + t.subsidies;
    if (m->phase[p] == MKT_PHASE_FIGHT) {
        const plat_config *c = own_rules(m, p);
        double gap = c->commission - c->growth_commission;
        int64_t given_up = gap > 0 ? llround((double)(fares - m->prev_fares[p]) * gap) : 0;
        m->burn[p] += t.subsidies - m->prev_subsidies[p] + given_up;
        m->fight_days[p]++;
    }
    m->prev_fares[p] = fares;
    m->prev_subsidies[p] = t.subsidies;
}

static void set_phase(mkt_market *m, size_t p, int phase, size_t day) {
    if (phase == m->phase[p]) return;
    plat_config cfg = *plat_get_config(m->w[p]->p);
    cfg.growth_until = phase == MKT_PHASE_FIGHT ? SIM_TIME_MAX : 0;
    if (phase == MKT_PHASE_RAISED) {
        cfg.commission = compete(m, p)->raised_commission;
        m->raised_day[p] = (int64_t)day + 1;
    }
    if (phase == MKT_PHASE_FIGHT) m->fought[p] = true;
    plat_set_rules(m->w[p]->p, &cfg);
    m->phase[p] = phase;
}

/* Yesterday's shares of requests decide each strategy: fight while a rival is at least
 * fight_above and the budget lasts; once it has fought and every rival is under raise_below,
 * raise the commission for good. */
static void revise_strategies(mkt_market *m, const double *share, size_t day) {
    for (size_t p = 0; p < m->n; p++) {
        if (!has_strategy(m, p) || m->phase[p] == MKT_PHASE_RAISED) continue;
        const coop_compete *c = compete(m, p);
        double rival = 0;
        for (size_t q = 0; q < m->n; q++)
            if (q != p && share[q] > rival) rival = share[q];
        bool budget = c->burn_budget == 0 || m->burn[p] < c->burn_budget;
        int phase = MKT_PHASE_NORMAL;
        if (m->fought[p] && c->raise_below > 0 && rival < c->raise_below)
            phase = MKT_PHASE_RAISED;
        else if (rival >= c->fight_above && budget)
            phase = MKT_PHASE_FIGHT;
        set_phase(m, p, phase, day);
    }
}

/* Bass diffusion by day: of the riders who do not know the app, a share p/365 learns of it on
 * their own, q/365 times the share who know it times yesterday's served share from those who
 * do, and marketing reaches spend / acquisition cost riders of the population at random. */
static void spread_awareness(mkt_market *m, const int64_t *req, const int64_t *trips) {
    const coop_riders *rc = &m->sc->riders;
    for (size_t p = 0; p < m->n; p++) {
        double f = m->aware[p];
        double served = req[p] > 0 ? (double)trips[p] / (double)req[p] : 0.0;
        double reach = 0;
        if (plat_open(m->w[p]->p))
            reach = (double)compete(m, p)->marketing_per_day / (double)rc->acquisition_cost /
                    (double)rc->population;
        double rate =
            rc->adoption_innovation / 365.0 + rc->adoption_imitation / 365.0 * f * served + reach;
        f += (rate < 1 ? rate : 1) * (1 - f);
        m->aware[p] = f > 1 ? 1 : f;
    }
}

static void start_day(mkt_market *m, size_t day) {
    for (size_t p = 0; p < m->n; p++) {
        int64_t spend = compete(m, p)->marketing_per_day;
        if (spend > 0 && plat_open(m->w[p]->p)) {
            plat_record_marketing(m->w[p]->p, spend);
            m->marketing[p] += spend;
        }
        if (day < m->n_days) {
            mkt_cday *cd = &m->days[day * m->n + p];
            cd->awareness = m->aware[p];
            cd->commission = plat_get_config(m->w[p]->p)->commission;
            cd->phase = m->phase[p];
        }
    }
}

static void on_day(sim *s, void *target, uint64_t data) {
    mkt_market *m = target;
    size_t day = (size_t)data;
    int64_t req[MKT_MAX_PLATFORMS], trips[MKT_MAX_PLATFORMS], total = 0;
    double share[MKT_MAX_PLATFORMS], hours;
    for (size_t p = 0; p < m->n; p++) {
        mkt_shared_day_sums(m, p, day - 1, day, &req[p], &trips[p], &hours);
        total += req[p];
    }
    for (size_t p = 0; p < m->n; p++)
        share[p] = total > 0 ? (double)req[p] / (double)total : 0.0;
    for (size_t p = 0; p < m->n; p++) {
        count_burn(m, p);
        m->days[(day - 1) * m->n + p].burn = m->burn[p];
    }
    if (total > 0) revise_strategies(m, share, day);
    spread_awareness(m, req, trips);
    choose_homes(m);
    start_day(m, day);
    sim_time next = sim_now(s) + SIM_DAY;
    if (next < m->end) sim_schedule(s, next, on_day, m, day + 1);
}

static void on_first_day(sim *s, void *target, uint64_t data) {
    mkt_market *m = target;
    start_day(m, 0);
    if (SIM_DAY < m->end) sim_schedule(s, SIM_DAY, on_day, m, 1);
}

sim_status mkt_market_run(mkt_market *m, char *err, size_t errlen) {
    sim_status rc;
    for (size_t p = 0; p < m->n; p++)
        if ((rc = mkt_begin(m->w[p], err, errlen)) != SIM_OK) return rc;
    /* After the worlds' own events at 0 and at each day's end (the books close first). */
    sim_schedule(m->s, 0, on_first_day, m, 0);
    if (sim_run(m->s, m->end) == SIM_STOP_REQUESTED)
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory during the run at %.0f s",
                        (double)sim_now(m->s) / 1e6);
    for (size_t p = 0; p < m->n; p++) {
        count_burn(m, p);
        m->days[(m->n_days - 1) * m->n + p].burn = m->burn[p];
        m->w[p]->hash = m->w[0]->hash; /* every platform saw the one stream of riders */
    }
    for (size_t p = 0; p < m->n; p++)
        if ((rc = mkt_finish(m->w[p], err, errlen)) != SIM_OK) return rc;
    return SIM_OK;
}
