/* Accounts and balances as one node sees them at its chain tip: applying and undoing
 * transactions (reorganisations walk back by undoing), conservation and the state's hash. */
#include "models/ledger/ledger_internal.h"
#include "sim/error.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int lstate_reserve(lstate *s, size_t n) {
    if (n <= s->cap) {
        if (n > s->n) s->n = n;
        return 0;
    }
    /* two arrays of one capacity, grown alike (new elements zeroed) */
    size_t cap = s->cap, c1 = cap;
    if (SIM_GROW(&s->bal, &cap, n, 64) != SIM_OK || SIM_GROW(&s->nonce, &c1, n, 64) != SIM_OK)
        return -1;
    s->cap = cap;
    s->n = n;
    return 0;
}

void lstate_free(lstate *s) {
    free(s->bal);
    free(s->nonce);
    memset(s, 0, sizeof *s);
}

/* Every sum is checked before anything changes: a transaction whose credits would carry a
 * balance, the fees or the minted total past INT64_MAX is invalid like one that overdraws. */
int lstate_apply(lstate *s, const ltx *t, uint32_t proposer) {
    if (t->from >= s->n || proposer >= s->n || s->nonce[t->from] != t->nonce) return -1;
    for (unsigned i = 0; i < t->n_out; i++)
        if (t->out[i].to >= s->n) return -1;
    int64_t debit = ltx_debit(t);
    if (s->bal[t->from] < debit) return -1;
    /* Credits per account after the debit, summed where one account appears several times. */
    uint32_t who[LEDGER_MAX_OUTS + 1];
    int64_t gain[LEDGER_MAX_OUTS + 1];
    unsigned k = 0;
    for (unsigned i = 0; i <= t->n_out; i++) {
        bool fee = i == t->n_out;
        if (!fee && t->type == LEDGER_TX_BURN) continue;
        uint32_t a = fee ? proposer : t->out[i].to;
        int64_t v = fee ? t->fee : t->out[i].amount;
        unsigned j = 0;
        while (j < k && who[j] != a)
            j++;
        if (j == k) who[k] = a, gain[k++] = 0;
        if (__builtin_add_overflow(gain[j], v, &gain[j])) return -2;
    }
    for (unsigned j = 0; j < k; j++) {
        int64_t base = s->bal[who[j]] - (who[j] == t->from ? debit : 0), to;
        if (__builtin_add_overflow(base, gain[j], &to)) return -2;
    }
    int64_t minted, burned, fees;
    if (__builtin_add_overflow(s->minted, ltx_minted(t), &minted) ||
        __builtin_add_overflow(s->burned, ltx_burned(t), &burned) ||
        __builtin_add_overflow(s->fees, t->fee, &fees))
        return -2;
    s->bal[t->from] -= debit;
    for (unsigned j = 0; j < k; j++)
        s->bal[who[j]] += gain[j];
    s->minted = minted;
    s->burned = burned;
    s->fees = fees;
    s->nonce[t->from]++;
    return 0;
}

void lstate_undo(lstate *s, const ltx *t, uint32_t proposer) {
    s->nonce[t->from]--;
    s->fees -= t->fee;
    s->burned -= ltx_burned(t);
    s->minted -= ltx_minted(t);
    s->bal[proposer] -= t->fee;
    if (t->type != LEDGER_TX_BURN)
        for (unsigned i = 0; i < t->n_out; i++)
            s->bal[t->out[i].to] -= t->out[i].amount;
    s->bal[t->from] += ltx_debit(t);
}

int64_t lstate_conservation_error(const lstate *s) {
    /* four running sums (in unsigned arithmetic, which wraps like the total would) let the
     * loop run several additions at once */
    uint64_t a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 4 <= s->n; i += 4) {
        a += (uint64_t)s->bal[i];
        b += (uint64_t)s->bal[i + 1];
        c += (uint64_t)s->bal[i + 2];
        d += (uint64_t)s->bal[i + 3];
    }
    for (; i < s->n; i++)
        a += (uint64_t)s->bal[i];
    int64_t sum = (int64_t)(a + b + c + d);
    int64_t e = s->minted - s->burned - sum;
    return e < 0 ? -e : e;
}

static void put64(crypto_hash_sha256_state *h, uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    crypto_hash_sha256_update(h, b, 8);
}

/* SHA-256("coopsim-ledger-state-v1" || tip hash || le32 n || per account (le64 balance,
 * le64 nonce) || le64 minted || le64 burned). */
void lstate_fingerprint(const lstate *s, const uint8_t tip[32], uint8_t out[32]) {
    static const char tagv[] = "coopsim-ledger-state-v1";
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const uint8_t *)tagv, sizeof tagv - 1);
    crypto_hash_sha256_update(&h, tip, 32);
    uint8_t n4[4];
    for (int i = 0; i < 4; i++)
        n4[i] = (uint8_t)((uint32_t)s->n >> (8 * i));
    crypto_hash_sha256_update(&h, n4, 4);
    for (size_t i = 0; i < s->n; i++) {
        put64(&h, (uint64_t)s->bal[i]);
        put64(&h, s->nonce[i]);
    }
    put64(&h, (uint64_t)s->minted);
    put64(&h, (uint64_t)s->burned);
    crypto_hash_sha256_final(&h, out);
}
