/* Transactions: the canonical byte serialization their id is the SHA-256 of, their size in a
 * block, and what each type takes from, gives to, creates or destroys. */
#include "models/ledger/ledger_internal.h"

#include <string.h>

static size_t put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return 4;
}

static size_t put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return 8;
}

/* type u8 | from u32 | nonce u64 | fee i64 | memo u64 | n_out u8 | n_out x (to u32 | amount
 * i64), every integer little-endian, signed ones in two's complement. */
size_t ltx_serialize(const ltx *t, uint8_t *buf) {
    size_t k = 0;
    buf[k++] = t->type;
    k += put_u32(buf + k, t->from);
    k += put_u64(buf + k, t->nonce);
    k += put_u64(buf + k, (uint64_t)t->fee);
    k += put_u64(buf + k, t->memo);
    buf[k++] = t->n_out;
    for (unsigned i = 0; i < t->n_out; i++) {
        k += put_u32(buf + k, t->out[i].to);
        k += put_u64(buf + k, (uint64_t)t->out[i].amount);
    }
    return k;
}

void ltx_finish(ltx *t) {
    uint8_t buf[LTX_SER_MAX];
    size_t n = ltx_serialize(t, buf);
    ledger_sha256(t->id, buf, n);
    t->size = (uint32_t)(n + LEDGER_SIG_BYTES);
}

int64_t ltx_out_total(const ltx *t) {
    int64_t s = 0;
    for (unsigned i = 0; i < t->n_out; i++)
        s += t->out[i].amount;
    return s;
}

/* Mints create their outputs and the fee; the signer pays nothing. Burns destroy their
 * outputs (the recipients are not credited). Everything else moves the signer's tokens. */
int64_t ltx_debit(const ltx *t) {
    if (t->type == LEDGER_TX_MINT || t->type == LEDGER_TX_DEPOSIT) return 0;
    return ltx_out_total(t) + t->fee;
}

int64_t ltx_minted(const ltx *t) {
    if (t->type == LEDGER_TX_MINT || t->type == LEDGER_TX_DEPOSIT) return ltx_out_total(t) + t->fee;
    return 0;
}

int64_t ltx_burned(const ltx *t) {
    return t->type == LEDGER_TX_BURN ? ltx_out_total(t) : 0;
}

int ltx_check_spec(const ledger_tx_spec *s, uint32_t n_accounts) {
    if (s->type < LEDGER_TX_PAY || s->type > LEDGER_TX_BURN) return LEDGER_EINVAL;
    if (s->n_out > LEDGER_MAX_OUTS || s->from >= n_accounts) return LEDGER_EINVAL;
    if (s->type == LEDGER_TX_VOTE && s->n_out != 0) return LEDGER_EINVAL;
    if (s->type != LEDGER_TX_VOTE && s->n_out == 0) return LEDGER_EINVAL;
    if (s->type == LEDGER_TX_MINT && s->from != LEDGER_ACCOUNT_ISSUER) return LEDGER_EINVAL;
    if (s->type == LEDGER_TX_DIVIDEND && s->from != LEDGER_ACCOUNT_TREASURY) return LEDGER_EINVAL;
    if (s->from == LEDGER_ACCOUNT_ISSUER && s->type != LEDGER_TX_MINT) return LEDGER_EINVAL;
    int64_t total = 0;
    for (unsigned i = 0; i < s->n_out; i++) {
        if (s->out[i].to >= n_accounts || s->out[i].amount < 0) return LEDGER_EINVAL;
        if (s->out[i].amount > INT64_MAX / 8 - total) return LEDGER_EINVAL;
        if (s->type == LEDGER_TX_DEPOSIT && s->out[i].to != s->from) return LEDGER_EINVAL;
        if (s->type == LEDGER_TX_BURN && s->out[i].to != LEDGER_ACCOUNT_ISSUER)
            return LEDGER_EINVAL;
        total += s->out[i].amount;
    }
    if (s->fee > INT64_MAX / 8) return LEDGER_EINVAL;
    return LEDGER_OK;
}
