/* Block headers and their hashes, and the Merkle root of a block's transaction ids: the
 * byte-exact rules are in docs/ledger-format.md so that an export can be re-verified. */
#include "models/ledger/ledger_internal.h"

#include <stdlib.h>
#include <string.h>

static size_t put_le(uint8_t *p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return (size_t)bytes;
}

/* version u32 = 1 | height u64 | time i64 (microseconds) | proposer u32 | prev_hash[32] |
 * merkle_root[32] | difficulty u64 | n_tx u32 | extra_bytes u32 | round u32: 108 bytes. */
size_t lblock_header_serialize(const lblock *b, uint8_t out[LEDGER_HEADER_BYTES]) {
    size_t k = 0;
    k += put_le(out + k, 1, 4);
    k += put_le(out + k, b->height, 8);
    k += put_le(out + k, (uint64_t)b->time, 8);
    k += put_le(out + k, b->proposer, 4);
    memcpy(out + k, b->prev_hash, 32);
    k += 32;
    memcpy(out + k, b->merkle, 32);
    k += 32;
    k += put_le(out + k, b->difficulty, 8);
    k += put_le(out + k, b->n_tx, 4);
    k += put_le(out + k, b->extra, 4);
    k += put_le(out + k, b->round, 4);
    return k;
}

void lblock_hash(lblock *b) {
    uint8_t h[LEDGER_HEADER_BYTES];
    size_t n = lblock_header_serialize(b, h);
    ledger_sha256(b->hash, h, n);
}

/* Bitcoin's tree shape with a single SHA-256: one id is its own root, no ids give 32 zero
 * bytes. Works in place on a copy, halving the level each pass. */
void ledger_merkle_root(const uint8_t *ids, size_t n, uint8_t root[32]) {
    if (n == 0) {
        memset(root, 0, 32);
        return;
    }
    uint8_t stackbuf[32 * 64];
    uint8_t *lvl = n <= 64 ? stackbuf : malloc(32 * n);
    if (!lvl) { /* out of memory: a root no honest block has; the caller's oom flag is set */
        memset(root, 0xff, 32);
        return;
    }
    memcpy(lvl, ids, 32 * n);
    while (n > 1) {
        size_t m = 0;
        for (size_t i = 0; i < n; i += 2) {
            uint8_t pair[64];
            memcpy(pair, lvl + 32 * i, 32);
            memcpy(pair + 32, lvl + 32 * (i + 1 < n ? i + 1 : i), 32);
            ledger_sha256(lvl + 32 * m, pair, 64);
            m++;
        }
        n = m;
    }
    memcpy(root, lvl, 32);
    if (lvl != stackbuf) free(lvl);
}
