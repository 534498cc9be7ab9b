/* Settlement on a chain ledger: each completed trip's split is paid on-chain (the driver is
 * paid when the payment is final), co-op drivers earn La'Zooz-style movement rewards, and
 * the ledger runs on the world's own engine so that its blocks interleave with the rides. */
#include "models/market/world.h"
#include "models/schema/schema.h"

#include <stdio.h>
#include <stdlib.h>

/* Tags passed to the ledger: the request number, with the top bit marking movement rewards. */
#define TAG_REWARD (UINT64_C(1) << 63)

static size_t slot_of(const mkt_world *w, uint32_t rid) {
    return (size_t)(rid * UINT32_C(2654435761)) & (w->cap_pending - 1);
}

static int pending_put(mkt_world *w, mkt_pending_pay p);

/* Doubles the table (kept at most half full, so probes stay short). */
static int pending_grow(mkt_world *w) {
    mkt_pending_pay *old = w->pending;
    size_t cap = w->cap_pending;
    w->cap_pending = cap ? 2 * cap : 256;
    w->pending = malloc(w->cap_pending * sizeof *w->pending);
    if (!w->pending) {
        w->pending = old;
        w->cap_pending = cap;
        return -1;
    }
    for (size_t i = 0; i < w->cap_pending; i++)
        w->pending[i].rid = UINT32_MAX;
    w->n_pending = 0;
    for (size_t i = 0; i < cap; i++)
        if (old[i].rid != UINT32_MAX) pending_put(w, old[i]);
    free(old);
    return 0;
}

static int pending_put(mkt_world *w, mkt_pending_pay p) {
    if (2 * (w->n_pending + 1) > w->cap_pending && pending_grow(w) != 0) return -1;
    size_t i = slot_of(w, p.rid);
    while (w->pending[i].rid != UINT32_MAX)
        i = (i + 1) & (w->cap_pending - 1);
    w->pending[i] = p;
    w->n_pending++;
    return 0;
}

/* Takes the payment of request rid out of the table; false when it is not there. */
static bool pending_take(mkt_world *w, uint32_t rid, mkt_pending_pay *out) {
    if (!w->cap_pending) return false;
    size_t mask = w->cap_pending - 1, i = slot_of(w, rid);
    while (w->pending[i].rid != rid) {
        if (w->pending[i].rid == UINT32_MAX) return false;
        i = (i + 1) & mask;
    }
    *out = w->pending[i];
    /* Backward-shift deletion: later entries of the probe run move up, so no tombstones. */
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        if (w->pending[j].rid == UINT32_MAX) break;
        size_t home = slot_of(w, w->pending[j].rid);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            w->pending[i] = w->pending[j];
            i = j;
        }
    }
    w->pending[i].rid = UINT32_MAX;
    w->n_pending--;
    return true;
}

static void on_final(void *ctx, uint64_t tag, sim_time submitted, sim_time final_at) {
    mkt_world *w = ctx;
    if (!(tag & TAG_REWARD) && (tag & MKT_TAG_VOTE)) {
        mkt_gov_vote_final(w, tag, final_at);
        return;
    }
    mkt_pending_pay p;
    if (tag & TAG_REWARD || tag >= w->n_req || !pending_take(w, (uint32_t)tag, &p)) return;
    w->settle.final++;
    w->settle.pay_final += p.pay;
    /* Paid at drop-off: the submission is the trip's end. */
    if (w->pv.on)
        mkt_pay_values_payment(w, p.driver, p.pay, final_at - submitted,
                               submitted >= w->sc->simulation.warmup);
}

void mkt_settle_free(mkt_world *w) {
    free(w->pending);
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
    const plat_quote *q = &mkt_req(w, rid)->q;
    /* The treasury's share is what the platform keeps net of any subsidy it pays. The rider
     * pays the payment's fee on top of the fare (it saw it in the quote: mkt_rider_accepts);
     * the platform pays the fee of its own subsidy transfer (docs/chain.md, "Who pays"). */
    if (ledger_pay_ride(w->ledger, rid, d, q->driver_pay, q->revenue - q->subsidy, rid) ==
        LEDGER_OK) {
        int64_t fee = ledger_payment_fee(w->ledger);
        if (pending_put(w, (mkt_pending_pay){rid, d, q->driver_pay}) != 0)
            sim_request_stop(w->s); /* out of memory: mkt_run reports it */
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
