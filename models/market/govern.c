/* The market's side of a co-op's governance (models/governance): members' activity read from
 * the drivers' records, the governance started with the run and closed with it, and its
 * outputs. Every function is a no-op for a platform without governance. */
#include "models/governance/governance.h"
#include "models/market/world.h"

#include <stdio.h>

static void activity(void *ctx, uint32_t d, sim_time now, gov_activity *out) {
    const mkt_world *w = ctx;
    const mkt_driver *dv = &w->drv[d];
    sim_time on = 0;
    for (int s = 0; s < D_NSTATES; s++)
        if (s != D_OFF) on += dv->t_state[s];
    /* The current state's time is only added to t_state when the state changes. */
    if (dv->state != D_OFF && now > dv->state_since) on += now - dv->state_since;
    out->member = dv->admitted;
    out->online = on;
    out->trips = dv->trips;
    out->pay = dv->trip_pay;
    out->metres = dv->metres;
}

/* A member driver's ballot as a vote transaction from its own account (fee at the ledger's
 * rate per byte); outside backers and rider members have no account on the ledger and vote
 * off-chain. */
static int submit_vote(void *ctx, uint32_t member, uint32_t proposal, int choice, int64_t weight,
                       uint64_t tag) {
    (void)weight;
    mkt_world *w = ctx;
    if (member >= w->n_drv) {
        gov_vote_final(w->gov, tag, sim_now(w->s));
        return 0;
    }
    ledger_tx_spec tx = {.type = LEDGER_TX_VOTE,
                         .from = ledger_driver_account(w->ledger, member),
                         .fee = -1,
                         .memo = ((uint64_t)proposal << 8) | (uint64_t)choice,
                         .n_out = 0};
    return ledger_submit(w->ledger, &tx, 0, MKT_TAG_VOTE | tag);
}

void mkt_gov_vote_final(mkt_world *w, uint64_t tag, sim_time final_at) {
    if (w->gov) gov_vote_final(w->gov, tag & ~MKT_TAG_VOTE, final_at);
}

int mkt_gov_init(mkt_world *w, char *err, size_t errlen) {
    const gov_config *gc = w->gc;
    if (!gc->enabled) return 0;
    if (w->pc->kind != PLAT_COOPERATIVE) {
        snprintf(err, errlen,
                 "platform %s: governance.enabled needs a cooperative (members vote on the "
                 "co-op's rules)",
                 w->pc->name ? w->pc->name : "?");
        return 2;
    }
    w->gov =
        gov_new(gc, w->p, w->pc->name, w->n_drv, w->seed, w->replication, activity, w, err, errlen);
    if (!w->gov) return 2;
    if (w->ledger) gov_set_submit(w->gov, submit_vote, w);
    return 0;
}

void mkt_gov_start(mkt_world *w) {
    if (w->gov) gov_start(w->gov, w->s, w->end);
}

void mkt_gov_finish(mkt_world *w) {
    if (w->gov) gov_finish(w->gov, w->end);
}

void mkt_gov_free(mkt_world *w) {
    gov_free(w->gov);
    w->gov = NULL;
}

json_t *mkt_gov_json(const mkt_world *w) {
    return w->gov ? gov_summary_json(w->gov) : NULL;
}

bool mkt_has_governance(const mkt_world *w) {
    return w->gov != NULL;
}

int mkt_write_governance_csv(const mkt_world *w, FILE *f, bool header) {
    return w->gov ? gov_write_csv(w->gov, w->run, f, header) : 0;
}

int mkt_write_votes_csv(const mkt_world *w, FILE *f, bool header) {
    return w->gov ? gov_write_votes_csv(w->gov, w->run, f, header) : 0;
}

int mkt_write_rules_csv(const mkt_world *w, FILE *f, bool header) {
    return w->gov ? gov_write_rules_csv(w->gov, w->run, f, header) : 0;
}
