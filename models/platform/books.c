/* The platform's books by time: costs that accrue per day, capital at the start, interest and
 * loan repayment, the insolvency check, and one row of the books per day. */
#include "models/platform/platform_internal.h"

#include <math.h>
#include <stdlib.h>

#define YEAR (365 * SIM_DAY)

void plat_pay_cost(plat *p, int item, int64_t cents) {
    if (cents <= 0) return;
    p->t.costs[item] += cents;
    if (item != PLAT_COST_CHAIN_FEES) p->t.operating_costs += cents;
    p->cash -= cents;
    if (p->cfg.kind == PLAT_COOPERATIVE) p->pending -= cents;
}

/* per_day * elapsed / 1 day to the cent, the sub-cent part carried in *frac. */
static int64_t accrue(int64_t per_day, sim_time elapsed, int64_t *frac) {
    if (elapsed <= 0 || per_day <= 0) return 0;
    plat_u128 f = (plat_u128)per_day * (plat_u128)(elapsed % SIM_DAY) + (plat_u128)*frac;
    *frac = (int64_t)(f % SIM_DAY);
    return per_day * (elapsed / SIM_DAY) + (int64_t)(f / SIM_DAY);
}

void plat_charge_daily(plat *p, sim_time now) {
    sim_time elapsed = now - p->last_charge;
    if (elapsed <= 0) return;
    p->last_charge = now;
    plat_pay_cost(p, PLAT_COST_APP, accrue(p->cfg.fixed_cost_per_day, elapsed, &p->fixed_frac));
    plat_pay_cost(p, PLAT_COST_VALIDATORS,
                  accrue(p->cfg.validators_per_day, elapsed, &p->validators_frac));
}

void plat_daily_accrued(const plat *p, sim_time now, int64_t out[PLAT_COST_N]) {
    int64_t f1 = p->fixed_frac, f2 = p->validators_frac;
    sim_time e = now - p->last_charge;
    for (int i = 0; i < PLAT_COST_N; i++)
        out[i] = 0;
    out[PLAT_COST_APP] = accrue(p->cfg.fixed_cost_per_day, e, &f1);
    out[PLAT_COST_VALIDATORS] = accrue(p->cfg.validators_per_day, e, &f2);
}

/* round_half_up(balance * ppm per year * elapsed / 1 year) for balance, ppm >= 0. */
static int64_t per_year(int64_t balance, int64_t ppm, sim_time elapsed) {
    if (balance <= 0 || ppm <= 0 || elapsed <= 0) return 0;
    plat_u128 den = (plat_u128)YEAR * PLAT_PPM;
    plat_u128 num = (plat_u128)balance * (plat_u128)ppm * (plat_u128)elapsed;
    return (int64_t)((num + den / 2) / den);
}

static void pay_interest(plat *p, int64_t cents) {
    if (cents <= 0) return;
    p->t.interest += cents;
    p->cash -= cents;
    if (p->cfg.kind == PLAT_COOPERATIVE) p->pending -= cents;
}

/* Loan principal due by now: repaid evenly over the term, counted from the start. */
static void repay_loan(plat *p, sim_time now) {
    int64_t amount = p->loan_amount;
    if (amount <= 0 || p->loan_left <= 0) return;
    sim_time term = p->cfg.loan_term > 0 ? p->cfg.loan_term : 1;
    int64_t due = now >= term ? amount : plat_muldiv(amount, now, term);
    int64_t pay = due - p->loan_repaid;
    if (pay > p->loan_left) pay = p->loan_left;
    if (pay <= 0) return;
    p->loan_repaid += pay;
    p->t.principal_repaid += pay;
    p->loan_left -= pay;
    p->cash -= pay;
}

/* A revenue-share note: share x the day's revenue until cap x amount has been paid. Each
 * payment is principal and return in the proportion amount : (cap - 1) x amount (the split
 * exact in total: principal repaid = floor(paid x amount / (cap x amount))); the return is a
 * financing cost like interest. */
static void pay_note(plat *p) {
    int64_t amount = p->note_amount;
    if (amount <= 0 || p->note_ppm <= 0) return;
    double cap = p->cfg.note_cap > 1.0 ? p->cfg.note_cap : 1.0;
    int64_t total = (int64_t)llround((double)amount * cap);
    int64_t pay = plat_apply_ppm(p->t.revenue - p->at_close.revenue, p->note_ppm);
    if (pay > total - p->note_paid) pay = total - p->note_paid;
    if (pay <= 0) return;
    p->note_paid += pay;
    int64_t principal = plat_muldiv(p->note_paid, amount, total) - (amount - p->note_left);
    if (p->note_paid == total) principal = p->note_left;
    p->note_left -= principal;
    p->t.principal_repaid += principal;
    p->cash -= principal;
    pay_interest(p, pay - principal);
}

static int append_day(plat *p, sim_time now) {
    if (p->n_days == p->cap_days) {
        size_t cap = p->cap_days ? p->cap_days * 2 : 16;
        plat_day *d = realloc(p->days, cap * sizeof *d);
        if (!d) return -1;
        p->days = d;
        p->cap_days = cap;
    }
    const plat_totals *a = &p->at_close, *t = &p->t;
    plat_day *d = &p->days[p->n_days++];
    d->end = now;
    d->gross_bookings = t->gross_bookings - a->gross_bookings;
    d->revenue = t->revenue - a->revenue;
    d->subsidies = t->subsidies - a->subsidies;
    for (int i = 0; i < PLAT_COST_N; i++)
        d->costs[i] = t->costs[i] - a->costs[i];
    d->interest = t->interest - a->interest;
    d->floor_owed = t->pay_floor_owed - a->pay_floor_owed;
    d->floor_paid = t->pay_floor_topups - a->pay_floor_topups;
    d->dividends = t->dividends - a->dividends;
    d->entry_fees = t->entry_fees - a->entry_fees;
    d->deposits_forfeited = t->deposits_forfeited - a->deposits_forfeited;
    d->capital_in = t->capital_in - a->capital_in;
    d->loans_drawn = t->loans_drawn - a->loans_drawn;
    d->principal_repaid = t->principal_repaid - a->principal_repaid;
    d->required_return = t->required_return - a->required_return;
    d->reserve = p->reserve;
    d->cash = p->cash;
    p->cash_open = p->cash;
    d->debt = p->loan_left + p->note_left;
    p->at_close = p->t;
    return 0;
}

int plat_close_day(plat *p, sim_time now) {
    if (now <= p->last_close && p->n_days > 0) return 0;
    sim_time elapsed = now - p->last_close;
    /* Interest on the balances at the last close (the day's opening balances). */
    pay_interest(p, per_year(p->loan_left, p->loan_ppm, elapsed));
    pay_interest(p, per_year(-p->cash_open, p->credit_ppm, elapsed));
    plat_charge_daily(p, now);
    repay_loan(p, now);
    pay_note(p);
    p->t.required_return += per_year(p->cfg.investor_capital, p->required_ppm, elapsed);
    p->last_close = now;
    p->t.days++;
    /* Past the credit limit the platform cannot pay its bills: it stops on this day. */
    if (!p->failed && p->cash < -p->cfg.credit_limit) {
        p->failed = true;
        p->t.failed_day = p->t.days;
    }
    return append_day(p, now);
}

static void on_day_close(sim *s, void *target, uint64_t data) {
    plat *p = target;
    sim_time now = sim_now(s);
    if (plat_close_day(p, now) != 0) {
        sim_request_stop(s); /* out of memory: the run reports it */
        return;
    }
    if (now + SIM_DAY < (sim_time)data) sim_schedule(s, now + SIM_DAY, on_day_close, p, data);
}

int plat_start_days(plat *p, sim *s, sim_time end) {
    size_t want = (size_t)(end / SIM_DAY) + 2;
    if (want > p->cap_days) {
        plat_day *d = realloc(p->days, want * sizeof *d);
        if (!d) return -1;
        p->days = d;
        p->cap_days = want;
    }
    if (SIM_DAY < end) sim_schedule(s, SIM_DAY, on_day_close, p, (uint64_t)end);
    return 0;
}

bool plat_open(const plat *p) {
    return !p->failed;
}

size_t plat_n_days(const plat *p) {
    return p->n_days;
}

const plat_day *plat_get_day(const plat *p, size_t i) {
    return i < p->n_days ? &p->days[i] : NULL;
}

/* Capital paid in at the start: starting cash, grants, investors' capital; the loan drawn. */
void plat_open_books(plat *p) {
    const plat_config *c = &p->cfg;
    int64_t in = c->starting_cash + c->grant + c->investor_capital;
    p->t.capital_in += in;
    p->cash += in + c->loan_amount + c->note_amount;
    p->t.loans_drawn += c->loan_amount + c->note_amount;
    p->loan_amount = p->loan_left = c->loan_amount;
    p->note_amount = p->note_left = c->note_amount;
    p->cash_open = p->cash;
}

/* Each day's cash moves by exactly that day's flows: the books' own check, in cents. */
int64_t plat_books_error(const plat *p) {
    int64_t err = 0, cash = 0, debt = 0; /* row 1 counts the capital paid in at the start */
    for (size_t k = 0; k < p->n_days; k++) {
        const plat_day *d = &p->days[k];
        int64_t flow = d->capital_in + d->loans_drawn - d->principal_repaid + d->revenue -
                       d->subsidies - d->interest + d->entry_fees + d->deposits_forfeited -
                       d->dividends - d->floor_paid;
        for (int i = 0; i < PLAT_COST_N; i++)
            flow -= d->costs[i];
        cash += flow;
        debt += d->loans_drawn - d->principal_repaid;
        err += cash > d->cash ? cash - d->cash : d->cash - cash;
        err += debt > d->debt ? debt - d->debt : d->debt - debt;
        cash = d->cash;
        debt = d->debt;
    }
    return err;
}
