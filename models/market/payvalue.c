/* What chain pay is worth to a driver: a payment final hours after the trip is worth less to
 * someone who has to borrow meanwhile (drivers.pay_delay_cost per hour), and La'Zooz-style
 * movement rewards count at the token price the scenario sets for the day. */
#include "models/market/world.h"
#include "models/schema/schema.h"

#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>

double mkt_pay_value(int64_t pay, sim_time delay, double cost_per_hour, int64_t tokens, int64_t day,
                     const sc_reals *price) {
    double hours = delay > 0 ? (double)delay / (double)SIM_HOUR : 0;
    double keep = 1 - cost_per_hour * hours;
    double p = 1;
    if (price && price->n)
        p = price->v[day < 0 ? 0 : (size_t)day < price->n ? (size_t)day : price->n - 1];
    return (double)pay * (keep > 0 ? keep : 0) + (double)tokens * p;
}

double mkt_token_price(const mkt_world *w, int64_t day) {
    const sc_reals *price = &w->lc->reward_price;
    if (!price->n) return 1;
    return price->v[day < 0 ? 0 : (size_t)day < price->n ? (size_t)day : price->n - 1];
}

int mkt_pay_values_init(mkt_world *w) {
    mkt_pay_values *v = &w->pv;
    v->on = w->ledger && (w->sc->drivers.pay_delay_cost > 0 || w->lc->reward_price.n > 0);
    if (!v->on) return 0;
    v->n_days = (size_t)((w->end + SIM_DAY - 1) / SIM_DAY);
    size_t nd = v->n_days ? v->n_days : 1;
    v->pay = calloc(w->n_drv + 1, sizeof *v->pay);
    v->pay_value = calloc(w->n_drv + 1, sizeof *v->pay_value);
    v->tokens = calloc(w->n_drv + 1, sizeof *v->tokens);
    v->token_value = calloc(w->n_drv + 1, sizeof *v->token_value);
    v->adj = calloc(w->n_drv + 1, sizeof *v->adj);
    v->day_delay = calloc(nd, sizeof *v->day_delay);
    v->day_reward = calloc(nd, sizeof *v->day_reward);
    v->day_hours_lost = calloc(nd, sizeof *v->day_hours_lost);
    return v->pay && v->pay_value && v->tokens && v->token_value && v->adj && v->day_delay &&
                   v->day_reward && v->day_hours_lost
               ? 0
               : 2;
}

static size_t today(const mkt_world *w) {
    size_t d = (size_t)(sim_now(w->s) / SIM_DAY);
    return d < w->pv.n_days ? d : w->pv.n_days - 1;
}

/* A payment became final `delay` after its drop-off: the driver counts what the wait cost it
 * on the day it learns it (decisions, every day), and the window's totals count it when its
 * trip ended after the warm-up (`in_window`). */
void mkt_pay_values_payment(mkt_world *w, uint32_t d, int64_t pay, sim_time delay, bool in_window) {
    if (d >= w->n_drv) return;
    double worth = mkt_pay_value(pay, delay, w->sc->drivers.pay_delay_cost, 0, 0, NULL);
    w->pv.adj[d] += worth - (double)pay;
    w->pv.adj_total += worth - (double)pay;
    w->pv.day_delay[today(w)] += (double)pay - worth;
    if (!in_window) return;
    w->pv.pay[d] += pay;
    w->pv.pay_value[d] += worth;
}

void mkt_pay_values_reward(mkt_world *w, uint32_t d, int64_t tokens, bool in_window) {
    if (d >= w->n_drv) return;
    double worth = (double)tokens * mkt_token_price(w, sim_now(w->s) / SIM_DAY);
    w->pv.adj[d] += worth;
    w->pv.adj_total += worth;
    w->pv.day_reward[today(w)] += worth;
    if (!in_window) return;
    w->pv.tokens[d] += tokens;
    w->pv.token_value[d] += worth;
}

void mkt_pay_values_lost(mkt_world *w, sim_time now, sim_time len) {
    double h = (double)len / (double)SIM_HOUR;
    size_t day = (size_t)(now / SIM_DAY);
    if (day < w->pv.n_days) w->pv.day_hours_lost[day] += h;
    if (now >= w->sc->simulation.warmup) w->pv.hours_lost += h;
}

void mkt_pay_values_free(mkt_world *w) {
    free(w->pv.pay);
    free(w->pv.pay_value);
    free(w->pv.tokens);
    free(w->pv.token_value);
    free(w->pv.adj);
    free(w->pv.day_delay);
    free(w->pv.day_reward);
    free(w->pv.day_hours_lost);
    w->pv = (mkt_pay_values){0};
}

#define PV(k) sch_name(&schema_pay_value, SCH_PV_##k)

json_t *mkt_pay_values_json(const mkt_world *w) {
    const mkt_pay_values *v = &w->pv;
    if (!v->on) return NULL;
    double *per = malloc((w->n_drv + 1) * sizeof *per);
    if (!per) return NULL;
    int64_t pay = 0, tokens = 0;
    double pay_value = 0, token_value = 0;
    size_t n = 0;
    for (uint32_t d = 0; d < w->n_drv; d++) {
        pay += v->pay[d];
        tokens += v->tokens[d];
        pay_value += v->pay_value[d];
        token_value += v->token_value[d];
        if (v->pay[d] || v->tokens[d]) per[n++] = (v->pay_value[d] + v->token_value[d]) / 100.0;
    }
    json_t *o = json_object();
    json_object_set_new(o, PV(DELAY_COST_PER_HOUR), json_real(w->sc->drivers.pay_delay_cost));
    json_object_set_new(o, PV(DRIVERS), json_integer((json_int_t)n));
    json_object_set_new(o, PV(PAY_FINAL), json_real((double)pay / 100.0));
    json_object_set_new(o, PV(PAY_VALUE), json_real(pay_value / 100.0));
    json_object_set_new(o, PV(DELAY_COST), json_real(((double)pay - pay_value) / 100.0));
    json_object_set_new(o, PV(REWARD_TOKENS), json_integer(tokens));
    json_object_set_new(o, PV(REWARD_VALUE), json_real(token_value / 100.0));
    json_object_set_new(o, PV(VALUE), json_real((pay_value + token_value) / 100.0));
    double mean = stats_mean(per, n), p10 = stats_quantile(per, n, 0.1),
           p50 = stats_quantile(per, n, 0.5);
    json_object_set_new(o, PV(VALUE_PER_DRIVER_MEAN),
                        isfinite(mean) ? json_real(mean) : json_null());
    json_object_set_new(o, PV(VALUE_PER_DRIVER_P10), isfinite(p10) ? json_real(p10) : json_null());
    json_object_set_new(o, PV(VALUE_PER_DRIVER_P50), isfinite(p50) ? json_real(p50) : json_null());
    free(per);
    json_t *price = json_array(), *delay = json_array(), *reward = json_array(),
           *hours = json_array();
    for (size_t d = 0; d < v->n_days; d++) {
        json_array_append_new(price, json_real(mkt_token_price(w, (int64_t)d)));
        json_array_append_new(delay, json_real(round(v->day_delay[d]) / 100.0));
        json_array_append_new(reward, json_real(round(v->day_reward[d]) / 100.0));
        json_array_append_new(hours, json_real(v->day_hours_lost[d]));
    }
    json_object_set_new(o, PV(HOURS_LOST), json_real(v->hours_lost));
    json_object_set_new(o, PV(TOKEN_PRICE_BY_DAY), price);
    json_object_set_new(o, PV(DELAY_COST_BY_DAY), delay);
    json_object_set_new(o, PV(REWARD_VALUE_BY_DAY), reward);
    json_object_set_new(o, PV(HOURS_LOST_BY_DAY), hours);
    return o;
}
