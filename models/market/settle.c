/* Settlement on a chain ledger: each completed trip's split is paid on-chain (the driver is
 * paid when the payment is final), co-op drivers earn La'Zooz-style movement rewards, and
 * the ledger runs on the world's own engine so that its blocks interleave with the rides. */
#include "models/market/world.h"
#include "models/schema/schema.h"

#include <stdio.h>

/* Tags passed to the ledger: the request number, with the top bit marking movement rewards. */
#define TAG_REWARD (UINT64_C(1) << 63)

static void on_final(void *ctx, uint64_t tag, sim_time submitted, sim_time final_at) {
    mkt_world *w = ctx;
    if (!(tag & TAG_REWARD) && (tag & MKT_TAG_VOTE)) {
        mkt_gov_vote_final(w, tag, final_at);
        return;
    }
    if (tag & TAG_REWARD || tag >= w->n_req) return;
    w->settle.final++;
    w->settle.pay_final += w->req[tag].q.driver_pay;
    if (w->pv.on)
        mkt_pay_values_payment(w, w->req[tag].driver, w->req[tag].q.driver_pay,
                               final_at - w->req[tag].t_drop,
                               w->req[tag].t_drop >= w->sc->simulation.warmup);
}

int mkt_settle_init(mkt_world *w, char *err, size_t errlen) {
    if (w->lc->kind != LEDGER_CHAIN) return 0;
    w->ledger = ledger_new(w->s, w->lc, w->pc->name ? w->pc->name : "platform", w->seed,
                           w->replication, w->n_drv, err, errlen);
    if (!w->ledger) return 2;
    ledger_on_final(w->ledger, on_final, w);
    if (mkt_pay_values_init(w) != 0) {
        snprintf(err, errlen, "out of memory valuing chain pay for %zu drivers", w->n_drv);
        return 2;
    }
    return 0;
}

void mkt_settle_trip(mkt_world *w, uint32_t d, uint32_t rid, double metres, sim_time driven) {
    if (!w->ledger) return;
    const plat_quote *q = &w->req[rid].q;
    /* The treasury's share is what the platform keeps net of any subsidy it pays. The rider
     * pays the payment's fee on top of the fare (it saw it in the quote: mkt_rider_accepts);
     * the platform pays the fee of its own subsidy transfer (docs/chain.md, "Who pays"). */
    if (ledger_pay_ride(w->ledger, rid, d, q->driver_pay, q->revenue - q->subsidy, rid) ==
        LEDGER_OK) {
        int64_t fee = ledger_payment_fee(w->ledger);
        w->settle.submitted++;
        w->settle.pay_submitted += q->driver_pay;
        w->settle.fees += fee;
        w->money.rider_chain_fees += fee;
        plat_record_rider_chain_fee(w->p, fee);
        if (q->revenue - q->subsidy < 0)
            plat_record_chain_fee(w->p, ledger_transfer_fee(w->ledger));
    } else {
        w->settle.failed++;
    }
    if (w->lc->reward_enabled && driven > 0) {
        int64_t got =
            ledger_reward_movement(w->ledger, d, metres, (double)driven / 1e6, TAG_REWARD | rid);
        if (got > 0) w->settle.rewards += got;
        if (got > 0 && w->pv.on)
            mkt_pay_values_reward(w, d, got, sim_now(w->s) >= w->sc->simulation.warmup);
    }
}

void mkt_settle_close(mkt_world *w) {
    if (w->ledger) ledger_stop(w->ledger);
}

json_t *mkt_settle_json(const mkt_world *w) {
    if (!w->ledger) return NULL;
    json_t *o = json_object();
    json_t *chain = json_object();
    if (!o || !chain) {
        json_decref(o);
        json_decref(chain);
        return NULL;
    }
    ledger_metrics(w->ledger, chain);
    /* Flows over the measured window (a payment counts when submitted, at drop-off, and as
     * final when it becomes final); what is still pending is the state at the end. The chain's
     * own metrics cover the whole run. */
    const mkt_settlement *s = &w->settle, *b = &w->base.settle;
    json_object_set_new(o, sch_name(&schema_settlement, SCH_SETTLE_RIDE_PAYMENTS),
                        json_integer(s->submitted - b->submitted));
    json_object_set_new(o, sch_name(&schema_settlement, SCH_SETTLE_RIDE_PAYMENTS_FINAL),
                        json_integer(s->final - b->final));
    json_object_set_new(o, sch_name(&schema_settlement, SCH_SETTLE_RIDE_PAYMENTS_FAILED),
                        json_integer(s->failed - b->failed));
    json_object_set_new(o, sch_name(&schema_settlement, SCH_SETTLE_DRIVER_PAY_FINAL),
                        json_real((double)(s->pay_final - b->pay_final) / 100.0));
    json_object_set_new(o, sch_name(&schema_settlement, SCH_SETTLE_DRIVER_PAY_PENDING),
                        json_real((double)(s->pay_submitted - s->pay_final) / 100.0));
    json_object_set_new(o, sch_name(&schema_settlement, SCH_SETTLE_RIDER_FEES),
                        json_real((double)(s->fees - b->fees) / 100.0));
    json_object_set_new(o, sch_name(&schema_settlement, SCH_SETTLE_MOVEMENT_REWARDS),
                        json_real((double)(s->rewards - b->rewards) / 100.0));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_CHAIN), chain);
    return o;
}

const ledger *mkt_ledger(const mkt_world *w) {
    return w->ledger;
}
