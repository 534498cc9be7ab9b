/* Re-verifying an exported chain from its files alone: every transaction id, Merkle root,
 * block hash and link, every balance and nonce by replaying the transactions (checked
 * arithmetic), and the final state's fingerprint. Reports the first block that fails; messages
 * quote positions, never the files' content. Bounds: LEDGER_VERIFY_MAX_* in ledger.h. */
#include "models/ledger/ledger_internal.h"

#include "sim/output.h"

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
        int applied = lstate_apply(&v->st, &t, (uint32_t)proposer);
        if (applied == -2)
            return say(msg, len, 1,
                       "transaction %zu: a balance or the tokens minted would pass 2^63-1 "
                       "base units",
                       i);
        if (applied != 0)
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

/* jansson's message without the " near '...'" part, which would quote the file. */
static const char *json_why(json_error_t *je) {
    char *near = strstr(je->text, " near ");
    if (near) *near = '\0';
    return je->text;
}

/* One line of at most max bytes into *buf (without the newline): 0, 1 at the end of the file,
 * 2 a read error or no memory (errno says which), 3 longer than max. */
static int read_line(FILE *f, char **buf, size_t *cap, size_t max, size_t *n) {
    size_t k = 0;
    int c = EOF;
    errno = 0;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (k == max) return 3;
        if (k + 1 >= *cap) {
            size_t nc = *cap ? *cap * 2 : 1 << 16;
            char *p = realloc(*buf, nc);
            if (!p) {
                errno = ENOMEM;
                return 2;
            }
            *buf = p, *cap = nc;
        }
        (*buf)[k++] = (char)c;
    }
    if (c == EOF && ferror(f)) return 2;
    if (c == EOF && k == 0) return 1;
    *n = k;
    return 0;
}

static bool blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

/* Replays every line of blocks.jsonl into v. Blank lines are accepted at the end only. */
static int check_blocks(vctx *v, FILE *f, const char *name, uint32_t n_acc, char *msg, size_t len) {
    char *line = NULL, why[512];
    size_t cap = 0, got = 0;
    unsigned long long lineno = 0, blank_at = 0;
    int rc = 0, r;
    while (rc == 0 && (r = read_line(f, &line, &cap, LEDGER_VERIFY_MAX_LINE, &got)) == 0) {
        lineno++;
        if (blank(line, got)) {
            if (!blank_at) blank_at = lineno;
            continue;
        }
        if (blank_at) {
            rc = say(msg, len, 1, "%s: line %llu is blank but blocks follow it (line %llu)", name,
                     blank_at, lineno);
            break;
        }
        json_error_t je;
        json_t *b = json_loadb(line, got, 0, &je);
        if (!b)
            rc = say(msg, len, 1, "block %llu (line %llu, column %d): not valid JSON (%s)",
                     (unsigned long long)v->height, lineno, je.column, json_why(&je));
        else if ((rc = check_block(v, b, n_acc, why, sizeof why)) != 0)
            say(msg, len, rc, "block %llu (line %llu): %s", (unsigned long long)v->height, lineno,
                why);
        json_decref(b);
    }
    if (rc == 0 && r == 2)
        rc = say(msg, len, 2, "%s: cannot read line %llu: %s", name, lineno + 1,
                 strerror(errno ? errno : EIO));
    if (rc == 0 && r == 3)
        rc = say(msg, len, 2,
                 "%s: line %llu is longer than %zu MiB, the longest block line verify-ledger "
                 "reads",
                 name, lineno + 1, LEDGER_VERIFY_MAX_LINE >> 20);
    if (rc == 0 && v->height == 0) rc = say(msg, len, 2, "%s: no blocks", name);
    free(line);
    return rc;
}

/* Reads and checks the head of state.json (its size bounded, its account count bounded and
 * consistent with its size). 0 with *state and *n_acc, else 2 with a message. */
static int load_state(FILE *f, const char *name, json_t **state, json_int_t *n_acc, char *msg,
                      size_t len) {
    char *buf = NULL;
    size_t n = 0;
    *state = NULL;
    char why[512];
    sim_status r =
        out_read_stream(f, LEDGER_VERIFY_MAX_STATE_BYTES, name, &buf, &n, why, sizeof why);
    if (r == SIM_EINPUT)
        return say(msg, len, 2, "%s: larger than %zu MiB, the largest state verify-ledger reads",
                   name, LEDGER_VERIFY_MAX_STATE_BYTES >> 20);
    if (r != SIM_OK) return say(msg, len, 2, "%s", why);
    json_error_t je;
    json_t *s = json_loadb(buf, n, 0, &je);
    free(buf);
    if (!s)
        return say(msg, len, 2, "%s: not a ledger export (line %d, column %d: %s)", name, je.line,
                   je.column, json_why(&je));
    const char *fmt = json_string_value(json_object_get(s, "format"));
    if (!fmt || strcmp(fmt, "coopsim-ledger-1") != 0 ||
        !get_int(s, "accounts", 2, LEDGER_VERIFY_MAX_ACCOUNTS, n_acc)) {
        json_decref(s);
        return say(msg, len, 2,
                   "%s: not a coopsim-ledger-1 state (format \"coopsim-ledger-1\" and 2 to %d "
                   "accounts)",
                   name, LEDGER_VERIFY_MAX_ACCOUNTS);
    }
    /* Each account has a balance and a nonce of at least one digit and a comma each. */
    if ((size_t)*n_acc > n / 4) {
        json_decref(s);
        return say(msg, len, 2, "%s: declares %lld accounts but is too short to list them", name,
                   (long long)*n_acc);
    }
    *state = s;
    return 0;
}

ledger_verdict ledger_verify_streams(FILE *state, FILE *blocks, const char *label, char fp[65],
                                     char *msg, size_t len) {
    json_t *st;
    json_int_t n_acc = 0;
    char name[600];
    snprintf(name, sizeof name, "%s%sstate.json", label ? label : "", label ? "/" : "");
    int rc = load_state(state, name, &st, &n_acc, msg, len);
    if (rc != 0) return rc;
    vctx v;
    memset(&v, 0, sizeof v);
    if (lstate_reserve(&v.st, (size_t)n_acc)) rc = say(msg, len, 2, "out of memory");
    snprintf(name, sizeof name, "%s%sblocks.jsonl", label ? label : "", label ? "/" : "");
    if (rc == 0) rc = check_blocks(&v, blocks, name, (uint32_t)n_acc, msg, len);
    char why[512];
    if (rc == 0 && (rc = check_state(&v, st, why, sizeof why)) != 0) say(msg, len, rc, "%s", why);
    if (rc == 0) {
        uint8_t mine[32];
        lstate_fingerprint(&v.st, v.prev, mine);
        for (int i = 0; fp && i < 32; i++)
            snprintf(fp + 2 * i, 3, "%02x", mine[i]);
        say(msg, len, 0,
            "%s: %llu blocks, %zu accounts: every hash, Merkle root and balance checks out",
            label ? label : "ledger", (unsigned long long)v.height, v.st.n);
    }
    free(v.ids);
    lstate_free(&v.st);
    json_decref(st);
    return rc;
}

ledger_verdict ledger_verify_export(const char *dir, char fp[65], char *msg, size_t len) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/blocks.jsonl", dir) >= (int)sizeof path)
        return say(msg, len, 2, "%s: path too long", dir);
    FILE *sf = NULL, *bf = NULL;
    snprintf(path, sizeof path, "%s/state.json", dir);
    if (!(sf = fopen(path, "rb")))
        return say(msg, len, 2, "%s: not a ledger export (state.json: %s)", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/blocks.jsonl", dir);
    if (!(bf = fopen(path, "rb"))) {
        fclose(sf);
        return say(msg, len, 2, "%s: %s", path, strerror(errno));
    }
    int rc = ledger_verify_streams(sf, bf, dir, fp, msg, len);
    fclose(sf);
    fclose(bf);
    return rc;
}
