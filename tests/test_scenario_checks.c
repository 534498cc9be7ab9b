/* The checks no key table can make (one key against another), each in its model: every message
 * says the file, line and column of the offending value, through the library and the program. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/scenario.h"
#include "tests/cli_util.h"

/* Writes yaml to a temporary file, loads it with positions and runs the scenario checks;
 * returns the status and leaves the message in err. */
static int check_text(const char *yaml, char *path, char *err, size_t errlen) {
    strcpy(path, "/tmp/coopsim-check-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    close(fd);
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc_where *w = NULL;
    int rc = sc_load_file_where(coop_keys, &sc, path, NULL, 0, &w, err, errlen) == SIM_OK ? 0 : 2;
    if (rc == 0) {
        assert_non_null(w);
        rc = coop_check(&sc, w, err, errlen) == SIM_OK ? 0 : 2;
        sc_where_free(w);
        sc_free(coop_keys, &sc);
    }
    return rc;
}

/* err must start with "<path>:<line>:<col>: " and contain what. */
static void expect_at(const char *yaml, int line, int col, const char *what) {
    char path[64], err[1024], want[256];
    int rc = check_text(yaml, path, err, sizeof err);
    snprintf(want, sizeof want, "%s:%d:%d: ", path, line, col);
    if (rc != 2 || strncmp(err, want, strlen(want)) != 0 || !strstr(err, what))
        print_error("want '%s...%s', got %d: %s\n", want, what, rc, err);
    assert_int_equal(rc, 2);
    assert_memory_equal(err, want, strlen(want));
    assert_non_null(strstr(err, what));
    unlink(path);
}

#define CHAIN                                                                                      \
    "name: t\n"                                                                                    \
    "platforms:\n"                                                                                 \
    "  - name: a\n"                                                                                \
    "    kind: cooperative\n"                                                                      \
    "  - name: b\n"                                                                                \
    "    kind: cooperative\n"                                                                      \
    "    ledger:\n"                                                                                \
    "      kind: chain\n"

static void test_validators_against_nodes(void **state) {
    (void)state;
    /* The value written: its own position. */
    expect_at(CHAIN "      nodes: 10\n      validators: 12\n", 10, 19,
              "platforms[1].ledger.validators: must be 1..nodes-1 = 1..9, found 12");
    /* Left to its default (16): the section that needed it is where the fix goes. */
    expect_at(CHAIN "      nodes: 10\n", 8, 7,
              "platforms[1].ledger.validators: must be 1..nodes-1");
}

/* The adversary's checks: against the consensus, the confirmations, the validators, and (the
 * market's) riders on a chain whose final blocks a proof-of-work attack can undo. */
static void test_adversary_checks(void **state) {
    (void)state;
#define NO_RIDERS "demand:\n  rate: 0/s\n"
    expect_at(
        CHAIN "      adversary:\n        attack: double-spend\n        give_up: 6\n" NO_RIDERS, 11,
        18, "platforms[1].ledger.adversary.give_up: must exceed pow.confirmations = 6, found 6");
    expect_at(CHAIN
              "      consensus: poa\n      adversary:\n        attack: selfish-mining\n" NO_RIDERS,
              11, 17, "platforms[1].ledger.adversary.attack: double-spend and selfish-mining need");
    expect_at(CHAIN "      consensus: bft\n      validators: 4\n      adversary:\n"
                    "        attack: censor\n        validators: 4\n",
              13, 21, "platforms[1].ledger.adversary.validators: must be less than validators = 4");
    expect_at(CHAIN "      adversary:\n        attack: selfish-mining\n", 10, 17,
              "run on a chain without riders (demand.rate: 0/s)");
#undef NO_RIDERS
}

static void test_fault_and_block_checks(void **state) {
    (void)state;
    expect_at(CHAIN "      nodes: 10\n      validators: 3\n      faults:\n"
                    "        - {node: 2, down: 1h}\n        - {node: 9, down: 1h}\n",
              13, 18, "platforms[1].ledger.faults[1].node: must be 0..nodes-2 = 0..8");
    expect_at(CHAIN "      block:\n        max_bytes: 1000\n        extra_bytes: 1000\n", 11, 22,
              "platforms[1].ledger.block.extra_bytes: must be less than block.max_bytes");
}

static void test_governance_checks(void **state) {
    (void)state;
    expect_at("name: t\nplatforms:\n  - name: a\n    kind: cooperative\n    governance:\n"
              "      enabled: true\n      proposals:\n"
              "        - {at: 1d, rule: commission, to: 12%}\n"
              "        - {at: 2d, rule: commission, to: lots}\n",
              9, 42, "platforms[0].governance.proposals[1].to: commission: 'lots' is not a share");
    /* Ballots among options: at least two, not with `to`, each a value of the rule. */
    expect_at("name: t\nplatforms:\n  - name: a\n    kind: cooperative\n    governance:\n"
              "      enabled: true\n      proposals:\n"
              "        - {at: 1d, rule: commission, to: 12%}\n"
              "        - {at: 2d, rule: commission, options: [5%]}\n",
              9, 47, "platforms[0].governance.proposals[1].options: a ballot needs at least 2");
    expect_at("name: t\nplatforms:\n  - name: a\n    kind: cooperative\n    governance:\n"
              "      enabled: true\n      proposals:\n"
              "        - {every: 30d, rule: commission, options: [5%, 8%, x]}\n",
              8, 60, "platforms[0].governance.proposals[0].options[2]: commission: 'x'");
    expect_at("name: t\nplatforms:\n  - name: a\n    kind: cooperative\n    governance:\n"
              "      enabled: true\n      proposals:\n"
              "        - {rule: commission, to: 5%, options: [5%, 8%]}\n",
              8, 11, "platforms[0].governance.proposals[0]: give either `to`");
    expect_at("name: t\nplatforms:\n  - name: a\n    kind: centralized\n    governance:\n"
              "      enabled: true\n",
              6, 16, "platforms[0].governance.enabled: needs a cooperative");
}

static void test_platform_kind_checks(void **state) {
    (void)state;
    expect_at("name: t\nplatforms:\n  - name: a\n    kind: cooperative\n"
              "    upfront_pricing: true\n",
              5, 22, "platforms[0].upfront_pricing: applies to centralized platforms only");
    expect_at("name: t\nplatforms:\n  - name: a\n    kind: centralized\n  - name: b\n"
              "    kind: centralized\n    coop:\n      entry_fee: 5.00\n",
              8, 18, "platforms[1].coop.entry_fee: applies to cooperatives only");
}

static void test_scenario_level_checks(void **state) {
    (void)state;
    expect_at("name: t\ndemand:\n  profile: [1, 2, 3]\nplatforms:\n  - name: a\n"
              "    kind: centralized\n",
              3, 12, "demand.profile: has 3 values; it needs 24 (one per hour) or none");
    expect_at("name: t\ndemand:\n  hotspots:\n    - {x: 1km, y: 1km, weight: 0}\n"
              "platforms:\n  - name: a\n    kind: centralized\n",
              4, 5, "demand.hotspots: the weights add up to 0");
    expect_at("name: t\ncurrency: usd\nplatforms:\n  - name: a\n    kind: centralized\n", 2, 11,
              "currency: 'usd' is not an ISO 4217 code");
}

/* The same message from `coopsim validate`, with exit status 2; a sound scenario passes. */
static void test_validate_reports_position(void **state) {
    (void)state;
    char path[64], err[1024];
    const char *yaml = CHAIN "      nodes: 10\n      validators: 12\n";
    assert_int_equal(check_text(yaml, path, err, sizeof err), 2);
    cli_result *r = cli_run((const char *const[]){"validate", path, NULL});
    char want[128];
    snprintf(want, sizeof want, "%s:10:19: platforms[1].ledger.validators", path);
    if (!strstr(r->err, want)) print_error("want %s in: %s\n", want, r->err);
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, want));
    r = cli_run((const char *const[]){"run", path, "-o", "/tmp/coopsim-check-never", "-q", NULL});
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, want));
    unlink(path);
    assert_int_equal(
        check_text(CHAIN "      nodes: 10\n      validators: 9\n", path, err, sizeof err), 0);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validators_against_nodes),
        cmocka_unit_test(test_adversary_checks),
        cmocka_unit_test(test_fault_and_block_checks),
        cmocka_unit_test(test_governance_checks),
        cmocka_unit_test(test_platform_kind_checks),
        cmocka_unit_test(test_scenario_level_checks),
        cmocka_unit_test(test_validate_reports_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
