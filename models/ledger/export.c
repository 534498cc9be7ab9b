/* Writing the chain out: every block of the gateway's best chain with its header fields and
 * transactions (blocks.jsonl), the final state (state.json) and who each account is
 * (accounts.csv). The format is specified in docs/ledger-format.md. */
#include "models/ledger/ledger_internal.h"
#include "models/schema/schema.h"

#include "sim/output.h"

#include <stdio.h>
#include <stdlib.h>

static void put_hex(FILE *f, const uint8_t *h) {
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", h[i]);
}

static void write_tx(FILE *f, const ltx *t) {
    fputs("{\"id\":\"", f);
    put_hex(f, t->id);
    fprintf(f, "\",\"type\":%u,\"from\":%u,\"nonce\":%llu,\"fee\":%lld,\"memo\":%llu,\"outs\":[",
            t->type, t->from, (unsigned long long)t->nonce, (long long)t->fee,
            (unsigned long long)t->memo);
    for (unsigned i = 0; i < t->n_out; i++)
        fprintf(f, "%s[%u,%lld]", i ? "," : "", t->out[i].to, (long long)t->out[i].amount);
    fputs("]}", f);
}

static int write_blocks(const ledger *l, out_file *o) {
    size_t n = l->n_blk ? l->blk[l->gw_tip].height + 1 : 0;
    uint32_t *path = malloc((n + 1) * sizeof *path);
    if (!path) return -1;
    size_t k = n;
    for (uint32_t b = l->gw_tip; n && b != LNONE; b = l->blk[b].parent)
        path[--k] = b;
    for (size_t i = 0; i < n; i++) {
        const lblock *b = &l->blk[path[i]];
        FILE *f = o->f;
        fprintf(f, "{\"height\":%llu,\"hash\":\"", (unsigned long long)b->height);
        put_hex(f, b->hash);
        fputs("\",\"prev_hash\":\"", f);
        put_hex(f, b->prev_hash);
        fprintf(f,
                "\",\"time_us\":%lld,\"proposer\":%u,\"difficulty\":%llu,\"round\":%u,"
                "\"extra_bytes\":%u,\"merkle_root\":\"",
                (long long)b->time, b->proposer, (unsigned long long)b->difficulty, b->round,
                b->extra);
        put_hex(f, b->merkle);
        fputs("\",\"txs\":[", f);
        for (uint32_t j = 0; j < b->n_tx; j++) {
            if (j) fputc(',', f);
            write_tx(f, &l->tx[l->btx[b->tx_off + j] & 0x7fffffffu]);
        }
        fputs("]}\n", f);
    }
    free(path);
    return 0;
}

static void write_state(const ledger *l, FILE *f) {
    uint8_t fp[32];
    lstate_fingerprint(&l->st, l->blk[l->gw_tip].hash, fp);
    fprintf(f,
            "{\"format\":\"coopsim-ledger-1\",\"accounts\":%zu,\"minted\":%lld,\"burned\":%lld,"
            "\"tip\":\"",
            l->st.n, (long long)l->st.minted, (long long)l->st.burned);
    put_hex(f, l->blk[l->gw_tip].hash);
    fputs("\",\"fingerprint\":\"", f);
    put_hex(f, fp);
    fputs("\",\"balances\":[", f);
    for (size_t i = 0; i < l->st.n; i++)
        fprintf(f, "%s%lld", i ? "," : "", (long long)l->st.bal[i]);
    fputs("],\"nonces\":[", f);
    for (size_t i = 0; i < l->st.n; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)l->st.nonce[i]);
    fputs("]}\n", f);
}

static void write_accounts(const ledger *l, FILE *f) {
    sch_write_header(&schema_accounts_csv, f);
    fputs("0,treasury,0\n1,issuer,0\n", f);
    for (size_t a = 2; a < l->st.n; a++) {
        const char *kind = a < l->first_driver  ? "validator"
                           : a < l->first_rider ? "driver"
                                                : "rider";
        size_t base = a < l->first_driver  ? 2
                      : a < l->first_rider ? l->first_driver
                                           : l->first_rider;
        fprintf(f, "%zu,%s,%zu\n", a, kind, a - base);
    }
}

sim_status ledger_export(const ledger *l, const char *dir, char *err, size_t errlen) {
    if (l->cfg.kind != LEDGER_CHAIN)
        return sim_fail(SIM_EINPUT, err, errlen,
                        "ledger '%s' is the platform's own database: no chain to export", l->name);
    sim_status rc;
    out_file o;
    if ((rc = out_mkdirs(dir, err, errlen)) != SIM_OK) return rc;
    if ((rc = out_open(&o, dir, "blocks.jsonl", err, errlen)) != SIM_OK) return rc;
    if (write_blocks(l, &o)) {
        out_abort(&o);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory exporting the chain");
    }
    if ((rc = out_commit(&o, err, errlen)) != SIM_OK) return rc;
    if ((rc = out_open(&o, dir, "state.json", err, errlen)) != SIM_OK) return rc;
    write_state(l, o.f);
    if ((rc = out_commit(&o, err, errlen)) != SIM_OK) return rc;
    if ((rc = out_open(&o, dir, "accounts.csv", err, errlen)) != SIM_OK) return rc;
    write_accounts(l, o.f);
    return out_commit(&o, err, errlen);
}
