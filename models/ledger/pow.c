/* Proof of work: miners with hash-power shares find blocks after exponential times, on the
 * tip they know; difficulty retargets every `retarget` blocks toward the target interval. */
#include "models/ledger/ledger_internal.h"

#include <gsl/gsl_randist.h>

/* Difficulty is kept in "microseconds of the initial total hash power": the genesis value is
 * the target interval, so with every miner up the mean interval is the target. */
uint64_t pow_next_difficulty(const ledger *l, uint32_t parent) {
    const lblock *p = &l->blk[parent];
    uint64_t R = (uint64_t)l->cfg.retarget, h = p->height + 1;
    if (R == 0 || h % R != 0 || h < R) return p->difficulty;
    /* the span of the last R intervals (R - 1 at the first retarget, genesis has no parent) */
    uint64_t from = h > R ? h - 1 - R : 0;
    uint32_t first = parent;
    while (l->blk[first].height > from)
        first = l->blk[first].parent;
    double span = (double)(p->time - l->blk[first].time);
    double want = (double)(p->height - l->blk[first].height) * (double)l->cfg.interval;
    double d = (double)p->difficulty;
    double nd = span > 0 ? d * want / span : 4 * d;
    if (nd > 4 * d) nd = 4 * d;
    if (nd < d / 4) nd = d / 4;
    return nd < 1 ? 1 : (uint64_t)(nd + 0.5);
}

static double up_power(const ledger *l) {
    double h = 0;
    for (uint32_t i = 0; i < l->n_validators; i++)
        if (l->up[i]) h += l->share[i];
    return h;
}

static void on_mine(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    l->mine_ev = 0;
    double u = gsl_rng_uniform(l->rng_mine) * up_power(l), c = 0;
    uint32_t m = LNONE, last = LNONE;
    for (uint32_t i = 0; i < l->n_validators; i++) {
        if (!l->up[i]) continue;
        last = i;
        c += l->share[i];
        if (u < c) {
            m = i;
            break;
        }
    }
    if (m == LNONE) m = last;
    if (m != LNONE && !(l->adv && m == 0 && adv_mined(l))) {
        uint32_t parent = l->adv ? adv_honest_parent(l, m) : l->tip[m];
        uint32_t b = chain_build_block(l, parent, m, 0, pow_next_difficulty(l, parent));
        if (b != LNONE) chain_flood(l, b);
    }
    pow_reschedule(l);
}

/* Mining is memoryless, so the next block of the whole network can be drawn afresh whenever
 * the hash power changes: rate = up power / difficulty (of the gateway's next block). */
void pow_reschedule(ledger *l) {
    if (l->mine_ev) sim_cancel(l->s, l->mine_ev);
    l->mine_ev = 0;
    double h = up_power(l);
    if (l->stopped || h <= 0) return;
    double mean = (double)pow_next_difficulty(l, l->gw_tip) / h;
    sim_time dt = (sim_time)(gsl_ran_exponential(l->rng_mine, mean) + 0.5);
    l->mine_ev = sim_schedule_in(l->s, dt, on_mine, l, 0);
    if (!l->mine_ev) ledger_note_oom(l);
}

int pow_start(ledger *l) {
    if ((l->cfg.adv_attack == LEDGER_ATTACK_DOUBLE_SPEND ||
         l->cfg.adv_attack == LEDGER_ATTACK_SELFISH) &&
        adv_start(l))
        return LEDGER_ENOMEM;
    pow_reschedule(l);
    return l->oom ? LEDGER_ENOMEM : LEDGER_OK;
}
