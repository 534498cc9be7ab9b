/* Hostile ledger exports: verify-ledger must refuse what is not valid (balances past 2^63-1),
 * stop at its stated bounds instead of filling memory, quote positions rather than file
 * content, accept a trailing blank line, and on a run directory check each export against the
 * run's own ledger_fingerprint. The exports are written here from the format's specification
 * (docs/ledger-format.md), independently of the program's writer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger.h"
#include "tests/cli_util.h"

#include <sodium.h>
#include <sys/resource.h>
#include <sys/stat.h>

typedef struct {
    int type;
    uint32_t from;
    uint64_t nonce;
    int64_t fee;
    uint32_t to[4];
    int64_t amount[4];
    int n_out;
} tx;

static void put(uint8_t **p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++)
        *(*p)++ = (uint8_t)(v >> (8 * i));
}

static void hex(const uint8_t *h, char *out) {
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", h[i]);
}

static void tx_id(const tx *t, uint8_t id[32]) {
    uint8_t buf[128], *p = buf;
    put(&p, (uint64_t)t->type, 1);
    put(&p, t->from, 4);
    put(&p, t->nonce, 8);
    put(&p, (uint64_t)t->fee, 8);
    put(&p, 0, 8);
    put(&p, (uint64_t)t->n_out, 1);
    for (int i = 0; i < t->n_out; i++) {
        put(&p, t->to[i], 4);
        put(&p, (uint64_t)t->amount[i], 8);
    }
    crypto_hash_sha256(id, buf, (size_t)(p - buf));
}

static void merkle(uint8_t (*ids)[32], size_t n, uint8_t root[32]) {
    memset(root, 0, 32);
    if (n == 0) return;
    while (n > 1) {
        if (n % 2) memcpy(ids[n], ids[n - 1], 32), n++;
        for (size_t i = 0; i < n; i += 2) {
            uint8_t two[64];
            memcpy(two, ids[i], 32);
            memcpy(two + 32, ids[i + 1], 32);
            crypto_hash_sha256(ids[i / 2], two, 64);
        }
        n /= 2;
    }
    memcpy(root, ids[0], 32);
}

/* Appends block `height` with txs to f; prev is updated to its hash. */
static void write_block(FILE *f, uint64_t height, const tx *txs, size_t n, uint8_t prev[32]) {
    uint8_t ids[19][32] = {{0}}, root[32], hdr[128], *p = hdr, h[32];
    char hx[65];
    for (size_t i = 0; i < n; i++)
        tx_id(&txs[i], ids[i]);
    uint8_t copy[19][32];
    memcpy(copy, ids, sizeof ids);
    merkle(copy, n, root);
    put(&p, 1, 4);
    put(&p, height, 8);
    put(&p, 1000 * height, 8);
    put(&p, 0, 4);
    memcpy(p, prev, 32), p += 32;
    memcpy(p, root, 32), p += 32;
    put(&p, 1, 8);
    put(&p, n, 4);
    put(&p, 0, 4);
    put(&p, 0, 4);
    crypto_hash_sha256(h, hdr, (size_t)(p - hdr));
    fprintf(f, "{\"height\":%llu,\"hash\":\"", (unsigned long long)height);
    hex(h, hx);
    fputs(hx, f);
    hex(prev, hx);
    fprintf(f,
            "\",\"prev_hash\":\"%s\",\"time_us\":%llu,\"proposer\":0,\"difficulty\":1,\"round\":0,"
            "\"extra_bytes\":0,\"merkle_root\":\"",
            hx, (unsigned long long)(1000 * height));
    hex(root, hx);
    fprintf(f, "%s\",\"txs\":[", hx);
    for (size_t i = 0; i < n; i++) {
        hex(ids[i], hx);
        fprintf(f,
                "%s{\"id\":\"%s\",\"type\":%d,\"from\":%u,\"nonce\":%llu,\"fee\":%lld,"
                "\"memo\":0,\"outs\":[",
                i ? "," : "", hx, txs[i].type, txs[i].from, (unsigned long long)txs[i].nonce,
                (long long)txs[i].fee);
        for (int k = 0; k < txs[i].n_out; k++)
            fprintf(f, "%s[%u,%lld]", k ? "," : "", txs[i].to[k], (long long)txs[i].amount[k]);
        fputs("]}", f);
    }
    fputs("]}\n", f);
    memcpy(prev, h, 32);
}

/* state.json of n accounts with the given balances and nonces. */
static void write_state(const char *dir, uint32_t n, const int64_t *bal, const uint64_t *nonce,
                        int64_t minted, const uint8_t tip[32]) {
    char path[512], hx[65];
    snprintf(path, sizeof path, "%s/state.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    crypto_hash_sha256_state s;
    crypto_hash_sha256_init(&s);
    crypto_hash_sha256_update(&s, (const uint8_t *)"coopsim-ledger-state-v1", 23);
    crypto_hash_sha256_update(&s, tip, 32);
    uint8_t b[16], *p = b;
    put(&p, n, 4);
    crypto_hash_sha256_update(&s, b, 4);
    for (uint32_t i = 0; i < n; i++) {
        p = b;
        put(&p, (uint64_t)bal[i], 8);
        put(&p, nonce[i], 8);
        crypto_hash_sha256_update(&s, b, 16);
    }
    p = b;
    put(&p, (uint64_t)minted, 8);
    put(&p, 0, 8);
    crypto_hash_sha256_update(&s, b, 16);
    uint8_t fp[32];
    crypto_hash_sha256_final(&s, fp);
    hex(tip, hx);
    fprintf(f,
            "{\"format\":\"coopsim-ledger-1\",\"accounts\":%u,\"minted\":%lld,\"burned\":0,"
            "\"tip\":\"%s\",",
            n, (long long)minted, hx);
    hex(fp, hx);
    fprintf(f, "\"fingerprint\":\"%s\",\"balances\":[", hx);
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, "%s%lld", i ? "," : "", (long long)bal[i]);
    fputs("],\"nonces\":[", f);
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)nonce[i]);
    fputs("]}\n", f);
    fclose(f);
}

/* A valid export: genesis, then one block where account 2 + i deposits `each` four times
 * (i < n_tx), and one more account `last` four times if last > 0. The state is what wrapping
 * 64-bit arithmetic gives. */
static void make_export2(const char *dir, int n_tx, int64_t each, int64_t last,
                         const char *after_blocks) {
    char path[512];
    snprintf(path, sizeof path, "%s/blocks.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    uint8_t prev[32] = {0};
    write_block(f, 0, NULL, 0, prev);
    tx t[18];
    int64_t bal[20] = {0};
    uint64_t nonce[20] = {0}, total = 0;
    int n = n_tx + (last > 0);
    for (int i = 0; i < n; i++) {
        int64_t a = i < n_tx ? each : last;
        uint32_t who = (uint32_t)(2 + i);
        t[i] = (tx){.type = 6, .from = who, .nonce = 0, .fee = 0, .n_out = 4};
        for (int k = 0; k < 4; k++)
            t[i].to[k] = who, t[i].amount[k] = a, total += (uint64_t)a;
        bal[who] = 4 * a;
        nonce[who] = 1;
    }
    write_block(f, 1, t, (size_t)n, prev);
    if (after_blocks) fputs(after_blocks, f);
    fclose(f);
    write_state(dir, (uint32_t)(2 + n), bal, nonce, (int64_t)total, prev);
}

static void make_export(const char *dir, int n_tx, int64_t each, const char *after_blocks) {
    make_export2(dir, n_tx, each, 0, after_blocks);
}

static void test_valid_and_trailing_blank_line(void **state) {
    char *dir = cli_tmpdir(), msg[2048];
    make_export(dir, 1, 1000, NULL);
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 0);
    make_export(dir, 1, 1000, "\n");
    int rc = ledger_verify_dir(dir, msg, sizeof msg);
    printf("# %s\n", msg);
    assert_int_equal(rc, 0);
    /* a blank line with blocks after it is not a trailing one */
    make_export(dir, 1, 1000, "\n{}\n");
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 1);
    cli_rmdir(dir);
}

/* Sixteen accounts deposit 4 x (2^58 - 1) tokens each (about the most one transaction may
 * carry) and one more 4 x 16: exactly 2^64 minted in all, which wraps to 0 in 64 bits. The
 * ninth deposit takes the minted total past 2^63-1. */
static void test_overflow_refused(void **state) {
    char *dir = cli_tmpdir(), msg[2048];
    make_export2(dir, 16, ((int64_t)1 << 58) - 1, 16, NULL);
    int rc = ledger_verify_dir(dir, msg, sizeof msg);
    printf("# %s\n", msg);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(msg, "block 1 (line 2): transaction 8"));
    cli_rmdir(dir);
}

/* An endless line (blocks.jsonl linked to /dev/zero) stops at the stated bound with exit 2. */
static void test_endless_line_bounded(void **state) {
    char *dir = cli_tmpdir(), msg[2048], path[512];
    make_export(dir, 1, 1000, NULL);
    snprintf(path, sizeof path, "%s/blocks.jsonl", dir);
    unlink(path);
    assert_int_equal(symlink("/dev/zero", path), 0);
    int rc = ledger_verify_dir(dir, msg, sizeof msg);
    printf("# %s\n", msg);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(msg, "longer than 64 MiB"));
    cli_rmdir(dir);
}

/* 200,000,000 accounts declared in a small state.json: refused before any allocation. */
static void test_declared_accounts_bounded(void **state) {
    char *dir = cli_tmpdir(), msg[2048];
    make_export(dir, 1, 1000, NULL);
    const char *big = "{\"format\":\"coopsim-ledger-1\",\"accounts\":200000000,\"minted\":0}";
    cli_write(dir, "state.json", big, strlen(big));
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 2);
    printf("# %s\n", msg);
    assert_non_null(strstr(msg, "10000000 accounts"));
    const char *lie = "{\"format\":\"coopsim-ledger-1\",\"accounts\":9000000,\"minted\":0}";
    cli_write(dir, "state.json", lie, strlen(lie));
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 2);
    assert_non_null(strstr(msg, "too short"));
    cli_rmdir(dir);
}

/* A state.json that is some other file: the message says where, not what the file holds. */
static void test_messages_quote_positions(void **state) {
    char *dir = cli_tmpdir(), msg[2048];
    make_export(dir, 1, 1000, NULL);
    const char *secret = "root:x:0:0:secret-content";
    cli_write(dir, "state.json", secret, strlen(secret));
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 2);
    printf("# %s\n", msg);
    assert_null(strstr(msg, "root"));
    assert_non_null(strstr(msg, "line 1, column"));
    make_export(dir, 1, 1000, "secret-content\n");
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 1);
    printf("# %s\n", msg);
    assert_null(strstr(msg, "secret"));
    assert_non_null(strstr(msg, "line 3"));
    cli_rmdir(dir);
}

/* A memory limit that a long line runs into: a read that cannot finish is exit 2, never the
 * end of the file (the blocks before it are valid). Not under the sanitizers, whose shadow
 * memory does not fit an address-space limit. */
static void test_out_of_memory_is_not_end_of_file(void **state) {
#if defined(__SANITIZE_ADDRESS__)
    skip();
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    skip();
#endif
#endif
    char *dir = cli_tmpdir(), path[512];
    make_export(dir, 1, 1000, NULL);
    snprintf(path, sizeof path, "%s/blocks.jsonl", dir);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    static char chunk[1 << 20];
    memset(chunk, ' ', sizeof chunk);
    chunk[0] = '{';
    for (int i = 0; i < 60; i++)
        fwrite(chunk, 1, sizeof chunk, f);
    fclose(f);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* the program takes about 22 MiB of address space; a 32 MiB line buffer fits, the
         * 64 MiB one it grows into next does not */
        struct rlimit rl = {(rlim_t)72 << 20, (rlim_t)72 << 20};
        setrlimit(RLIMIT_AS, &rl);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(COOPSIM_BINARY, COOPSIM_BINARY, "verify-ledger", dir, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 2);
    cli_rmdir(dir);
}

/* verify-ledger RUN_DIR checks each export of the run against summary.json's fingerprint. */
static void test_run_directory(void **state) {
    char *tmp = cli_tmpdir(), dir[128], msg[4096];
    snprintf(dir, sizeof dir, "%s", tmp);
    cli_result *r = cli_run((const char *[]){"run", COOPSIM_SOURCE_DIR "/scenarios/flagship.yaml",
                                             "-o", dir, "--ledger", "--no-plots", "-q", "--set",
                                             "simulation.duration=20min", NULL});
    printf("# %s", r->err);
    assert_int_equal(r->status, 0);
    r = cli_run((const char *[]){"verify-ledger", dir, NULL});
    printf("# %s%s", r->out, r->err);
    assert_int_equal(r->status, 0);
    assert_non_null(strstr(r->out, "ledger-drivers-coop"));
    assert_non_null(strstr(r->out, "the ledger the run produced"));
    /* the export alone, too, finds the summary above it */
    char sub[256];
    snprintf(sub, sizeof sub, "%s/ledger-drivers-coop/", dir);
    assert_int_equal(ledger_verify_dir(sub, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "the ledger the run produced"));
    /* a summary that records another fingerprint: the export is not the run's */
    char path[256];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = fopen(path, "r+");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    char *fp = strstr(buf, "\"ledger_fingerprint\": \"");
    assert_non_null(fp);
    fp += strlen("\"ledger_fingerprint\": \"");
    *fp = *fp == 'a' ? 'b' : 'a';
    rewind(f);
    fwrite(buf, 1, n, f);
    fclose(f);
    r = cli_run((const char *[]){"verify-ledger", dir, NULL});
    printf("# %s%s", r->out, r->err);
    assert_int_equal(r->status, 1);
    assert_non_null(strstr(r->err, "not the ledger the run produced"));
    /* a directory that is neither */
    snprintf(sub, sizeof sub, "%s/plots-none", dir);
    mkdir(sub, 0700);
    assert_int_equal(ledger_verify_dir(sub, msg, sizeof msg), 2);
    cli_rmdir(dir);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_trailing_blank_line),
        cmocka_unit_test(test_overflow_refused),
        cmocka_unit_test(test_endless_line_bounded),
        cmocka_unit_test(test_declared_accounts_bounded),
        cmocka_unit_test(test_messages_quote_positions),
        cmocka_unit_test(test_out_of_memory_is_not_end_of_file),
        cmocka_unit_test(test_run_directory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
