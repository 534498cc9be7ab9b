/* BFT consensus (Tendermint-style). Not available yet: a ledger asking for it is refused. */
#include "models/ledger/ledger_internal.h"

int bft_start(ledger *l) {
    return LEDGER_EINVAL;
}

void bft_free(ledger *l) {}

void bft_node_changed(ledger *l, uint32_t node) {}
