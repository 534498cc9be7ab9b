/* Proof of authority: authorities take turns, one slot each (Aura-style round robin); an
 * authority that is down misses its slot and the chain simply has no block for it. */
#include "models/ledger/ledger_internal.h"

static void on_slot(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    if (l->stopped) return;
    uint64_t slot = l->slot++;
    uint32_t a = (uint32_t)(slot % l->n_validators);
    if (l->up[a]) {
        uint32_t b = chain_build_block(l, l->tip[a], a, 0, 1);
        if (b != LNONE) chain_flood(l, b);
    } else {
        l->missed_slots++;
    }
    if (!sim_schedule(s, l->started + (sim_time)(slot + 2) * l->cfg.interval, on_slot, l, 0))
        ledger_note_oom(l);
}

int poa_start(ledger *l) {
    l->slot = 0;
    return sim_schedule(l->s, l->started + l->cfg.interval, on_slot, l, 0) ? LEDGER_OK
                                                                           : LEDGER_ENOMEM;
}
