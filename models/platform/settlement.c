/* Membership and period ends: entry fees and the membership cap, customer acquisition, and the
 * co-op's surplus sharing (reserve share, pay-floor top-ups, patronage dividends), paid from
 * cash on hand. */
#include "models/platform/platform_internal.h"

#include <math.h>

bool plat_admit_driver(plat *p, uint32_t driver, sim_time now) {
    (void)now;
    if (driver >= p->n_drivers) return false;
    plat_driver *d = &p->drivers[driver];
    if (d->admitted) return true;
    if (p->cfg.kind == PLAT_COOPERATIVE) {
        if (p->cfg.membership_cap > 0 && p->t.members >= p->cfg.membership_cap) {
            p->t.refused++;
            return false;
        }
        /* The entry fee is member capital: it goes to the reserve, not to the period's
         * surplus, so it is never paid straight back out as dividends. */
        int64_t fee = p->cfg.entry_fee > 0 ? p->cfg.entry_fee : 0;
        d->entry_fee += fee;
        p->t.entry_fees += fee;
        p->reserve += fee;
        p->cash += fee;
    }
    d->admitted = true;
    p->t.members++;
    plat_pay_cost(p, PLAT_COST_ACQUISITION, p->cfg.acquisition_per_driver);
    return true;
}

/* What the floor guarantees a member for the period: floor x online hours, or, indexed to
 * utilization, floor x hours with a passenger / reference utilization, as New York's standard
 * pays per trip minute grossed up by a utilization rate: a member busier than the reference
 * is guaranteed more than the plain floor, an idle one less. */
static int64_t floor_target(const plat *p, const plat_driver *d) {
    int64_t per_online = plat_muldiv(p->cfg.pay_floor_per_hour, d->period_online, SIM_HOUR);
    if (p->cfg.pay_floor_index != PLAT_FLOOR_UTILIZATION) return per_online;
    double util = p->cfg.pay_floor_utilization;
    if (!(util > 0.0)) return per_online;
    int64_t ppm = util >= 1.0 ? PLAT_PPM : (int64_t)llround(util * PLAT_PPM);
    if (ppm < 1) ppm = 1;
    /* floor x passenger time / (utilization x 1 h), in integer steps */
    return plat_muldiv(plat_muldiv(p->cfg.pay_floor_per_hour, d->period_passenger, SIM_HOUR),
                       PLAT_PPM, ppm);
}

/* Pay floor: a member whose trip pay this period is below floor * online hours is owed the
 * difference; it is paid from cash on hand other than this period's dividend pool, as far as it
 * goes (never from credit, never from the pool); when that cannot cover everyone, each gets the
 * same fraction of what they are owed (rounded down; the cents left stay in the reserve). What was
 * owed and what was paid are both kept. */
static void pay_topups(plat *p, int64_t pool) {
    int64_t floor_ph = p->cfg.pay_floor_per_hour;
    if (floor_ph <= 0) return;
    int64_t owed_total = 0;
    for (size_t i = 0; i < p->n_drivers; i++) {
        plat_driver *d = &p->drivers[i];
        if (!d->admitted || d->period_online <= 0) continue;
        int64_t target = floor_target(p, d);
        if (target <= d->period_pay) continue;
        d->floor_owed += target - d->period_pay;
        owed_total += target - d->period_pay;
    }
    p->t.pay_floor_owed += owed_total;
    int64_t on_hand = p->cash - pool;
    if (owed_total <= 0 || on_hand <= 0) return;
    int64_t available = on_hand < owed_total ? on_hand : owed_total;
    for (size_t i = 0; i < p->n_drivers; i++) {
        plat_driver *d = &p->drivers[i];
        if (!d->admitted || d->period_online <= 0) continue;
        int64_t target = floor_target(p, d);
        if (target <= d->period_pay) continue;
        int64_t owed = target - d->period_pay;
        int64_t paid = available == owed_total ? owed : plat_muldiv(owed, available, owed_total);
        d->topups += paid;
        p->t.pay_floor_topups += paid;
        p->reserve -= paid;
        p->cash -= paid;
    }
}

static int64_t patronage(const plat *p, const plat_driver *d) {
    switch (p->cfg.dividend_basis) {
    case PLAT_BASIS_TRIPS:
        return d->period_trips;
    case PLAT_BASIS_REVENUE:
        return d->period_revenue > 0 ? d->period_revenue : 0;
    default:
        return d->period_online;
    }
}

/* Patronage dividends: member i gets floor(pool * w_i / sum w). The cents the rounding leaves,
 * and the whole pool when nobody has any patronage, go to the reserve. */
static void pay_dividends(plat *p, int64_t pool) {
    if (pool <= 0) return;
    int64_t total_w = 0;
    for (size_t i = 0; i < p->n_drivers; i++)
        if (p->drivers[i].admitted) total_w += patronage(p, &p->drivers[i]);
    int64_t paid_total = 0;
    if (total_w > 0) {
        for (size_t i = 0; i < p->n_drivers; i++) {
            plat_driver *d = &p->drivers[i];
            if (!d->admitted) continue;
            int64_t paid = plat_muldiv(pool, patronage(p, d), total_w);
            d->dividends += paid;
            paid_total += paid;
        }
    }
    p->t.dividends += paid_total;
    p->cash -= paid_total;
    p->reserve += pool - paid_total;
}

/* Order at a co-op's period end: (1) costs, already taken from the period's balance as they
 * were paid; (2) the reserve share of what is left, since the reserve is what keeps the co-op
 * alive and funds the floor; (3) pay-floor top-ups from cash on hand, so the guarantee never
 * depends on there being a surplus this period; (4) dividends from the rest, as far as cash on
 * hand goes (the part it cannot pay stays in the reserve). A deficit is taken from the reserve,
 * which may go negative (the co-op's members' capital is then eaten into). */
static void settle_cooperative(plat *p) {
    int64_t surplus = p->pending;
    p->pending = 0;
    int64_t pool = 0;
    if (surplus > 0) {
        int64_t kept = plat_apply_ppm(surplus, p->reserve_share_ppm);
        p->reserve += kept;
        pool = surplus - kept;
    } else {
        p->reserve += surplus;
    }
    pay_topups(p, pool);
    int64_t on_hand = p->cash > 0 ? p->cash : 0;
    if (pool > on_hand) {
        p->reserve += pool - on_hand;
        pool = on_hand;
    }
    pay_dividends(p, pool);
}

void plat_end_period(plat *p, sim_time now) {
    if (now < p->last_end) return;
    plat_charge_daily(p, now);
    if (now > p->last_end || p->t.periods == 0) p->t.periods++;
    p->last_end = now;
    if (p->cfg.kind == PLAT_COOPERATIVE) settle_cooperative(p);
    for (size_t i = 0; i < p->n_drivers; i++) {
        plat_driver *d = &p->drivers[i];
        d->period_trips = d->period_pay = d->period_revenue = 0;
        d->period_online = d->period_passenger = 0;
    }
}

void plat_receive_forfeit(plat *p, int64_t driver, int64_t cents) {
    if (cents <= 0) return;
    if (driver >= 0 && (size_t)driver < p->n_drivers) p->drivers[driver].forfeited += cents;
    p->t.deposits_forfeited += cents;
    p->cash += cents;
    /* Like an entry fee, money members put in: to the reserve, not the period's surplus. */
    if (p->cfg.kind == PLAT_COOPERATIVE) p->reserve += cents;
}

int64_t plat_pay_members(plat *p, int64_t amount, sim_time now) {
    (void)now;
    if (p->cfg.kind != PLAT_COOPERATIVE || amount <= 0 || p->reserve <= 0 || p->cash <= 0 ||
        p->t.members <= 0)
        return 0;
    if (amount > p->reserve) amount = p->reserve;
    if (amount > p->cash) amount = p->cash;
    int64_t each = amount / p->t.members, paid = 0;
    for (size_t i = 0; i < p->n_drivers && each > 0; i++) {
        plat_driver *d = &p->drivers[i];
        if (!d->admitted) continue;
        d->dividends += each;
        paid += each;
    }
    p->t.dividends += paid;
    p->reserve -= paid;
    p->cash -= paid;
    return paid;
}
