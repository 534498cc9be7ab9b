/* Re-verifying an exported chain from its files alone: every transaction id, Merkle root,
 * block hash and link, every balance and nonce by replaying the transactions, and the final
 * state's fingerprint. Reports the first block that fails. */
#include "models/ledger/ledger_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int say(char *msg, size_t len, int rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
    return rc;
}

static bool parse_hex(const json_t *v, uint8_t out[32]) {
    const char *s = json_string_value(v);
    if (!s || strlen(s) != 64) return false;
    for (int i = 0; i < 32; i++) {
        unsigned x;
        if (sscanf(s + 2 * i, "%2x", &x) != 1) return false;
        char c0 = s[2 * i], c1 = s[2 * i + 1];
        if (!((c0 >= '0' && c0 <= '9') || (c0 >= 'a' && c0 <= 'f')) ||
            !((c1 >= '0' && c1 <= '9') || (c1 >= 'a' && c1 <= 'f')))
            return false;
        out[i] = (uint8_t)x;
    }
    return true;
}

static bool get_int(const json_t *o, const char *key, json_int_t lo, json_int_t hi,
                    json_int_t *out) {
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) return false;
    *out = json_integer_value(v);
    return *out >= lo && *out <= hi;
}

/* Reads one transaction object; false with what is wrong in why. */
static bool read_tx(const json_t *o, uint32_t n_acc, ltx *t, const char **why) {
    json_int_t type, from, nonce, fee, memo;
    *why = "a transaction field is missing or out of range";
    if (!json_is_object(o) || !get_int(o, "type", 1, 7, &type) ||
        !get_int(o, "from", 0, (json_int_t)n_acc - 1, &from) ||
        !get_int(o, "nonce", 0, INT64_MAX, &nonce) || !get_int(o, "fee", 0, INT64_MAX / 8, &fee) ||
        !get_int(o, "memo", INT64_MIN, INT64_MAX, &memo))
        return false;
    const json_t *outs = json_object_get(o, "outs");
    if (!json_is_array(outs) || json_array_size(outs) > LEDGER_MAX_OUTS) return false;
    memset(t, 0, sizeof *t);
    t->type = (uint8_t)type;
    t->from = (uint32_t)from;
    t->nonce = (uint64_t)nonce;
    t->fee = fee;
    t->memo = (uint64_t)memo;
    t->n_out = (uint8_t)json_array_size(outs);
    for (unsigned i = 0; i < t->n_out; i++) {
        const json_t *p = json_array_get(outs, i);
        if (!json_is_array(p) || json_array_size(p) != 2) return false;
        const json_t *to = json_array_get(p, 0), *am = json_array_get(p, 1);
        if (!json_is_integer(to) || !json_is_integer(am)) return false;
        if (json_integer_value(to) < 0 || json_integer_value(to) >= n_acc ||
            json_integer_value(am) < 0 || json_integer_value(am) > INT64_MAX / 8)
            return false;
        t->out[i].to = (uint32_t)json_integer_value(to);
        t->out[i].amount = json_integer_value(am);
    }
    ledger_tx_spec spec = {.type = t->type, .from = t->from, .fee = t->fee, .n_out = t->n_out};
    memcpy(spec.out, t->out, sizeof spec.out);
    *why = "transaction breaks the rules of its type";
    if (ltx_check_spec(&spec, n_acc) != LEDGER_OK) return false;
    uint8_t id[32];
    *why = "transaction id is not the SHA-256 of its serialization";
    if (!parse_hex(json_object_get(o, "id"), id)) return false;
    ltx_finish(t);
    return memcmp(id, t->id, 32) == 0;
}

typedef struct vctx {
    lstate st;
    uint8_t prev[32];
    uint64_t height;
    uint8_t *ids;
    size_t ids_cap;
} vctx;

/* 0 when the block checks out; otherwise 1 with the reason in msg. */
static int check_block(vctx *v, const json_t *b, uint32_t n_acc, char *msg, size_t len) {
    lblock h;
    memset(&h, 0, sizeof h);
    json_int_t height, time, proposer, diff, round, extra;
    if (!json_is_object(b) || !get_int(b, "height", 0, INT64_MAX, &height) ||
        !get_int(b, "time_us", INT64_MIN, INT64_MAX, &time) ||
        !get_int(b, "proposer", 0, (json_int_t)n_acc - 1, &proposer) ||
        !get_int(b, "difficulty", 0, INT64_MAX, &diff) ||
        !get_int(b, "round", 0, UINT32_MAX, &round) ||
        !get_int(b, "extra_bytes", 0, UINT32_MAX, &extra))
        return say(msg, len, 1, "a header field is missing or out of range");
    if ((uint64_t)height != v->height)
        return say(msg, len, 1, "height %lld where %llu was expected", (long long)height,
                   (unsigned long long)v->height);
    uint8_t hash[32];
    if (!parse_hex(json_object_get(b, "prev_hash"), h.prev_hash) ||
        !parse_hex(json_object_get(b, "merkle_root"), h.merkle) ||
        !parse_hex(json_object_get(b, "hash"), hash))
        return say(msg, len, 1, "a hash field is not 64 lowercase hex digits");
    if (memcmp(h.prev_hash, v->prev, 32) != 0)
        return say(msg, len, 1, "prev_hash is not the hash of the block before");
    const json_t *txs = json_object_get(b, "txs");
    if (!json_is_array(txs)) return say(msg, len, 1, "txs is not a list");
    size_t n = json_array_size(txs);
    if (n > v->ids_cap) {
        uint8_t *p = realloc(v->ids, 32 * n);
        if (!p) return say(msg, len, 2, "out of memory");
        v->ids = p;
        v->ids_cap = n;
    }
    for (size_t i = 0; i < n; i++) {
        ltx t;
        const char *why;
        if (!read_tx(json_array_get(txs, i), n_acc, &t, &why))
            return say(msg, len, 1, "transaction %zu: %s", i, why);
        if (lstate_apply(&v->st, &t, (uint32_t)proposer) != 0)
            return say(msg, len, 1, "transaction %zu: wrong nonce or balance too low", i);
        memcpy(v->ids + 32 * i, t.id, 32);
    }
    uint8_t root[32];
    ledger_merkle_root(v->ids, n, root);
    if (memcmp(root, h.merkle, 32) != 0)
        return say(msg, len, 1, "merkle_root does not match its transactions");
    h.height = (uint64_t)height;
    h.time = time;
    h.proposer = (uint32_t)proposer;
    h.difficulty = (uint64_t)diff;
    h.n_tx = (uint32_t)n;
    h.extra = (uint32_t)extra;
    h.round = (uint32_t)round;
    lblock_hash(&h);
    if (memcmp(h.hash, hash, 32) != 0)
        return say(msg, len, 1, "hash is not the SHA-256 of the header");
    memcpy(v->prev, h.hash, 32);
    v->height++;
    return 0;
}

static int check_state(vctx *v, const json_t *s, char *msg, size_t len) {
    const json_t *bal = json_object_get(s, "balances"), *non = json_object_get(s, "nonces");
    json_int_t minted, burned;
    uint8_t tip[32], fp[32], mine[32];
    if (!json_is_array(bal) || !json_is_array(non) || json_array_size(bal) != v->st.n ||
        json_array_size(non) != v->st.n || !get_int(s, "minted", INT64_MIN, INT64_MAX, &minted) ||
        !get_int(s, "burned", INT64_MIN, INT64_MAX, &burned) ||
        !parse_hex(json_object_get(s, "tip"), tip) ||
        !parse_hex(json_object_get(s, "fingerprint"), fp))
        return say(msg, len, 1, "state.json: a field is missing or malformed");
    if (memcmp(tip, v->prev, 32) != 0)
        return say(msg, len, 1, "state.json: tip is not the hash of the last block");
    for (size_t i = 0; i < v->st.n; i++) {
        const json_t *b = json_array_get(bal, i), *o = json_array_get(non, i);
        if (!json_is_integer(b) || json_integer_value(b) != v->st.bal[i])
            return say(msg, len, 1,
                       "state.json: balance of account %zu is not what the blocks give", i);
        if (!json_is_integer(o) || (uint64_t)json_integer_value(o) != v->st.nonce[i])
            return say(msg, len, 1, "state.json: nonce of account %zu is not what the blocks give",
                       i);
    }
    if (minted != v->st.minted || burned != v->st.burned)
        return say(msg, len, 1, "state.json: minted or burned is not what the blocks give");
    if (lstate_conservation_error(&v->st) != 0)
        return say(msg, len, 1, "state: balances do not add up to minted - burned");
    lstate_fingerprint(&v->st, v->prev, mine);
    if (memcmp(mine, fp, 32) != 0)
        return say(msg, len, 1, "state.json: fingerprint does not match the state");
    return 0;
}

int ledger_verify_dir(const char *dir, char *msg, size_t len) {
    char path[4096];
    json_error_t je;
    if (snprintf(path, sizeof path, "%s/state.json", dir) >= (int)sizeof path)
        return say(msg, len, 2, "%s: path too long", dir);
    FILE *probe = fopen(dir, "r");
    if (!probe) return say(msg, len, 2, "%s: %s", dir, strerror(errno));
    fclose(probe);
    json_t *state = json_load_file(path, 0, &je);
    if (!state) return say(msg, len, 2, "%s: not a ledger export (state.json: %s)", dir, je.text);
    json_int_t n_acc;
    const char *fmt = json_string_value(json_object_get(state, "format"));
    if (!fmt || strcmp(fmt, "coopsim-ledger-1") != 0 ||
        !get_int(state, "accounts", 2, UINT32_MAX - 1, &n_acc)) {
        json_decref(state);
        return say(msg, len, 2, "%s: state.json is not a coopsim-ledger-1 state", dir);
    }
    snprintf(path, sizeof path, "%s/blocks.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        json_decref(state);
        return say(msg, len, 2, "%s: %s", path, strerror(errno));
    }
    vctx v;
    memset(&v, 0, sizeof v);
    int rc = 0;
    if (lstate_reserve(&v.st, (size_t)n_acc)) rc = say(msg, len, 2, "out of memory");
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    char why[512];
    while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
        json_t *b = json_loadb(line, (size_t)got, 0, &je);
        if (!b)
            rc = say(msg, len, 1, "block %llu (line %llu): not valid JSON (%s)",
                     (unsigned long long)v.height, (unsigned long long)v.height + 1, je.text);
        else if ((rc = check_block(&v, b, (uint32_t)n_acc, why, sizeof why)) != 0)
            say(msg, len, rc, "block %llu (line %llu): %s", (unsigned long long)v.height,
                (unsigned long long)v.height + 1, why);
        json_decref(b);
    }
    if (rc == 0 && ferror(f)) rc = say(msg, len, 2, "%s: read error", path);
    if (rc == 0 && v.height == 0) rc = say(msg, len, 2, "%s: no blocks", path);
    if (rc == 0 && (rc = check_state(&v, state, why, sizeof why)) != 0)
        say(msg, len, rc, "%s", why);
    if (rc == 0)
        say(msg, len, 0,
            "%s: %llu blocks, %zu accounts: every hash, Merkle root and balance checks out", dir,
            (unsigned long long)v.height, v.st.n);
    free(line);
    fclose(f);
    free(v.ids);
    lstate_free(&v.st);
    json_decref(state);
    return rc;
}
