/* Tests of the ledger export and its verification: a clean export verifies, a one-byte change
 * is caught and the first bad block named, a missing or garbled directory is bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];
static uint64_t blocks_made;

static void on_pay(sim *s, void *target, uint64_t n) {
    ledger *l = target;
    if (n >= 400) return;
    assert_int_equal(
        ledger_pay_ride(l, (uint32_t)(n % 31), (uint32_t)(n % 6), 1200 + (int64_t)n, 300, n),
        LEDGER_OK);
    if (n % 10 == 0) assert_true(ledger_reward_movement(l, (uint32_t)(n % 6), 5000, 600, n) > 0);
    sim_schedule_in(s, 2 * SIM_SEC, on_pay, l, n + 1);
}

static int setup(void **state) {
    snprintf(dir, sizeof dir, "/tmp/coopsim-ledger-XXXXXX");
    assert_non_null(mkdtemp(dir));
    ledger_config c;
    ledger_config_defaults(&c);
    c.kind = LEDGER_CHAIN;
    c.consensus = LEDGER_POW;
    c.nodes = 30;
    c.validators = 8;
    c.interval = 20 * SIM_SEC;
    c.confirmations = 2;
    c.retarget = 10;
    c.tx_delay = SIM_SEC;
    c.reward_enabled = true;
    char err[256];
    sim *s = sim_new(1024);
    ledger *l = ledger_new(s, &c, "export", 5, 0, 6, err, sizeof err);
    assert_non_null(l);
    sim_schedule(s, 0, on_pay, l, 0);
    sim_run(s, 1200 * SIM_SEC);
    ledger_stop(l);
    assert_int_equal(ledger_export(l, dir, err, sizeof err), 0);
    const ledger *ls[] = {l};
    assert_int_equal(ledger_write_blocks_csv(ls, 1, 0, dir, "blocks.csv", err, sizeof err), 0);
    ledger_counts k;
    ledger_get_counts(l, &k);
    blocks_made = k.blocks;
    ledger_free(l);
    sim_free(s);
    return 0;
}

static int teardown(void **state) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path, long *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)*n + 1);
    assert_int_equal(fread(b, 1, (size_t)*n, f), (size_t)*n);
    b[*n] = 0;
    fclose(f);
    return b;
}

static void spit(const char *path, const char *b, long n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
}

static void test_clean_export_verifies(void **state) {
    char msg[1024];
    int rc = ledger_verify_dir(dir, msg, sizeof msg);
    printf("# %s\n", msg);
    assert_int_equal(rc, 0);
}

/* Change one digit of an amount in the fifth block that carries a payment: that block (and no
 * earlier one) is named. */
static void test_one_byte_change_caught(void **state) {
    char path[512], msg[1024];
    snprintf(path, sizeof path, "%s/blocks.jsonl", dir);
    long n;
    char *orig = slurp(path, &n);
    char *b = malloc((size_t)n + 1);
    memcpy(b, orig, (size_t)n + 1);
    int seen = 0;
    long line = 0, at = -1, target_line = -1;
    for (long i = 0; i < n; i++) {
        if (b[i] == '\n') line++;
        if (strncmp(b + i, "\"outs\":[[", 9) == 0) {
            long j = i + 9;
            while (b[j] != ',')
                j++;
            if (++seen == 5) {
                at = j + 1;
                target_line = line;
                break;
            }
            while (b[i] != '\n')
                i++;
            line++;
        }
    }
    assert_true(at > 0);
    b[at] = b[at] == '9' ? '8' : (char)(b[at] + 1);
    spit(path, b, n);
    int rc = ledger_verify_dir(dir, msg, sizeof msg);
    printf("# %s\n", msg);
    assert_int_equal(rc, 1);
    char want[64];
    snprintf(want, sizeof want, "block %ld ", target_line);
    assert_non_null(strstr(msg, want));
    /* the state file: one balance digit */
    spit(path, orig, n);
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 0);
    snprintf(path, sizeof path, "%s/state.json", dir);
    long sn;
    char *st = slurp(path, &sn);
    char *p = strstr(st, "\"balances\":[");
    assert_non_null(p);
    p += strlen("\"balances\":[");
    char saved = *p;
    *p = *p == '9' ? '8' : (char)(*p + 1);
    spit(path, st, sn);
    assert_int_equal(ledger_verify_dir(dir, msg, sizeof msg), 1);
    *p = saved;
    spit(path, st, sn);
    free(st);
    free(b);
    free(orig);
}

/* One row per block (genesis included) after the header; stale ones marked. */
static void test_blocks_csv(void **state) {
    char path[512];
    snprintf(path, sizeof path, "%s/blocks.csv", dir);
    long n;
    char *b = slurp(path, &n);
    long lines = 0;
    for (long i = 0; i < n; i++)
        lines += b[i] == '\n';
    assert_int_equal(lines, (long)blocks_made + 2);
    assert_non_null(strstr(b, "platform,height,hash,prev_hash,time_s"));
    free(b);
}

/* The command: 0 on a clean export, 2 on a missing directory. */
static void test_command(void **state) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' verify-ledger '%s' >/dev/null 2>&1", COOPSIM_BINARY, dir);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 0);
    snprintf(cmd, sizeof cmd, "'%s' verify-ledger '%s/none' >/dev/null 2>&1", COOPSIM_BINARY, dir);
    rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 2);
}

static void test_bad_input(void **state) {
    char msg[1024], sub[512];
    assert_int_equal(ledger_verify_dir("/nonexistent/coopsim", msg, sizeof msg), 2);
    snprintf(sub, sizeof sub, "%s/garbled", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(ledger_verify_dir(sub, msg, sizeof msg), 2); /* empty directory */
    char path[600];
    snprintf(path, sizeof path, "%s/state.json", sub);
    spit(path, "{not json", 9);
    assert_int_equal(ledger_verify_dir(sub, msg, sizeof msg), 2);
    printf("# %s\n", msg);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_export_verifies),
        cmocka_unit_test(test_one_byte_change_caught),
        cmocka_unit_test(test_blocks_csv),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
