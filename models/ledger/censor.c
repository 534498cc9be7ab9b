/* Censorship and equivocation, the attacks of validators: censorship: validators 0..k-1 (miners,
 * authorities, BFT proposers) leave out of the blocks they make every transaction paying one of
 * drivers 0..n-1; honest validators include them, so a censored payment is only delayed while
 * someone honest makes blocks. The run reports how much later those drivers' payments became final
 * than everyone else's. */
#include "models/ledger/ledger_internal.h"

#include "models/schema/schema.h"
#include "sim/stats.h"

/* Keys of summary.json's chain.adversary, as the output schema names them. */
#define ADV(k) sch_name(&schema_chain_adversary, SCH_ADV_##k)

#include <math.h>
#include <stdlib.h>

bool censor_excludes(const ledger *l, uint32_t node, const ltx *t) {
    if (node >= (uint64_t)l->cfg.adv_validators || t->type == LEDGER_TX_BURN) return false;
    uint64_t n =
        (uint64_t)l->cfg.adv_censored < l->n_drivers ? (uint64_t)l->cfg.adv_censored : l->n_drivers;
    for (unsigned i = 0; i < t->n_out; i++)
        if (t->out[i].to >= l->first_driver && t->out[i].to < l->first_driver + n) return true;
    return false;
}

double ledger_poa_censor_delay(int64_t k, int64_t v, sim_time interval) {
    if (v <= 0) return NAN;
    return (double)interval / 1e6 * (double)k * (double)(k + 1) / (2.0 * (double)v);
}

static json_t *ci_json(const stats_ci *c) {
    json_t *o = json_object();
    json_object_set_new(o, "n", json_integer((json_int_t)c->n));
    json_object_set_new(o, "mean_s", isfinite(c->mean) ? json_real(c->mean) : json_null());
    json_t *a = json_array();
    json_array_append_new(a, isfinite(c->lo) ? json_real(c->lo) : json_null());
    json_array_append_new(a, isfinite(c->hi) ? json_real(c->hi) : json_null());
    json_object_set_new(o, "ci95_s", a);
    return o;
}

/* Ride payments, final ones split by whether they pay a censored driver: their delays from
 * submission to finality, with 95% intervals, and the difference of the means. */
int censor_metrics(const ledger *l, json_t *o) {
    double *d = malloc((l->n_tx + 1) * sizeof *d);
    if (!d) return LEDGER_ENOMEM;
    size_t nc = 0, nr = l->n_tx;
    uint64_t skipped = 0, pending = 0;
    for (size_t i = 0; i < l->n_tx; i++) {
        const ltx *t = &l->tx[i];
        skipped += t->censored;
        if (t->type != LEDGER_TX_PAY) continue;
        bool cen = censor_excludes(l, 0, t) && l->cfg.adv_validators > 0;
        if (t->state != LTX_FINAL) {
            pending += cen;
            continue;
        }
        double s = (double)(t->final_at - t->submitted) / 1e6;
        if (cen)
            d[nc++] = s;
        else
            d[--nr] = s;
    }
    stats_ci c = stats_mean_ci(d, nc, 0.95), r = stats_mean_ci(d + nr, l->n_tx - nr, 0.95);
    free(d);
    json_t *a = json_object();
    json_object_set_new(a, ADV(ATTACK), json_string("censor"));
    json_object_set_new(a, ADV(VALIDATORS), json_integer(l->cfg.adv_validators));
    json_object_set_new(a, ADV(CENSORED_DRIVERS), json_integer(l->cfg.adv_censored));
    json_object_set_new(a, ADV(CENSORED_TRANSACTIONS), json_integer((json_int_t)skipped));
    json_object_set_new(a, "censored_payments_pending", json_integer((json_int_t)pending));
    json_object_set_new(a, ADV(CENSORED_PAYMENTS), ci_json(&c));
    json_object_set_new(a, ADV(OTHER_PAYMENTS), ci_json(&r));
    double extra = c.n && r.n ? c.mean - r.mean : NAN;
    json_object_set_new(a, ADV(EXTRA_DELAY_MEAN_S),
                        isfinite(extra) ? json_real(extra) : json_null());
    double th =
        l->cfg.consensus == LEDGER_POA
            ? ledger_poa_censor_delay(l->cfg.adv_validators, l->cfg.validators, l->cfg.interval)
            : NAN;
    json_object_set_new(a, "theory_extra_delay_s", isfinite(th) ? json_real(th) : json_null());
    return json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_ADVERSARY), a) ? LEDGER_ENOMEM
                                                                                   : LEDGER_OK;
}

/* Equivocation (bft.c): validators 0..k-1 of n propose two blocks and vote for both; safety
 * holds while k <= f = floor((n-1)/3), and a height with two final blocks is counted. */
int equivocation_metrics(const ledger *l, json_t *o) {
    uint64_t eq, viol, first;
    bft_attack_counts(l, &eq, &viol, &first);
    json_t *a = json_object();
    json_object_set_new(a, ADV(ATTACK), json_string("equivocate"));
    json_object_set_new(a, ADV(VALIDATORS), json_integer(l->cfg.adv_validators));
    json_object_set_new(a, ADV(TOLERATED), json_integer((l->cfg.validators - 1) / 3));
    json_object_set_new(a, ADV(EQUIVOCATIONS), json_integer((json_int_t)eq));
    json_object_set_new(a, ADV(SAFETY_VIOLATIONS), json_integer((json_int_t)viol));
    json_object_set_new(a, ADV(FIRST_VIOLATION_HEIGHT),
                        viol ? json_integer((json_int_t)first) : json_null());
    return json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_ADVERSARY), a) ? LEDGER_ENOMEM
                                                                                   : LEDGER_OK;
}
