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

int mkt_pay_values_init(mkt_world *w) {
    mkt_pay_values *v = &w->pv;
    v->on = w->ledger && (w->sc->drivers.pay_delay_cost > 0 || w->lc->reward_price.n > 0);
    if (!v->on) return 0;
    v->pay = calloc(w->n_drv + 1, sizeof *v->pay);
    v->pay_value = calloc(w->n_drv + 1, sizeof *v->pay_value);
    v->tokens = calloc(w->n_drv + 1, sizeof *v->tokens);
    v->token_value = calloc(w->n_drv + 1, sizeof *v->token_value);
    return v->pay && v->pay_value && v->tokens && v->token_value ? 0 : 2;
}

void mkt_pay_values_payment(mkt_world *w, uint32_t d, int64_t pay, sim_time delay) {
    if (d >= w->n_drv) return;
    w->pv.pay[d] += pay;
    w->pv.pay_value[d] += mkt_pay_value(pay, delay, w->sc->drivers.pay_delay_cost, 0, 0, NULL);
}

void mkt_pay_values_reward(mkt_world *w, uint32_t d, int64_t tokens) {
    if (d >= w->n_drv) return;
    w->pv.tokens[d] += tokens;
    w->pv.token_value[d] +=
        mkt_pay_value(0, 0, 0, tokens, sim_now(w->s) / SIM_DAY, &w->lc->reward_price);
}

void mkt_pay_values_free(mkt_world *w) {
    free(w->pv.pay);
    free(w->pv.pay_value);
    free(w->pv.tokens);
    free(w->pv.token_value);
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
    return o;
}
