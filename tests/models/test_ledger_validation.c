/* Validation of the proof-of-work model against measured networks (Gervais et al., CCS 2016,
 * Table 1): the stale rate and median block propagation of the Bitcoin-, Litecoin- and
 * Dogecoin-like scenarios in scenarios/validation/ must lie within a factor of 2 of the
 * measured values; the stale-rate band is widened by two binomial standard errors for the
 * number of blocks simulated. Also checks the ledger's scenario keys and their defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger.h"
#include "sim/scenario.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Just enough of a scenario to hold a platform's ledger section. */
typedef struct vplat {
    char *name;
    int kind;
    ledger_config ledger;
} vplat;

typedef struct vscen {
    char *name, *title;
    int64_t seed;
    sim_time duration;
    sc_list platforms;
} vscen;

static const sc_key keys[] = {
    {.path = "name", .type = SC_STRING, .offset = offsetof(vscen, name)},
    {.path = "title", .type = SC_STRING, .offset = offsetof(vscen, title), .def = ""},
    {.path = "simulation.seed",
     .type = SC_INT,
     .offset = offsetof(vscen, seed),
     .def = "1",
     .min = "0",
     .max = "9223372036854775807"},
    {.path = "simulation.duration",
     .type = SC_DURATION,
     .offset = offsetof(vscen, duration),
     .def = "1d",
     .min = "1s",
     .max = "3650d"},
    {.path = "platforms",
     .type = SC_LIST,
     .offset = offsetof(vscen, platforms),
     .min = "1",
     .max = "8",
     .elem_size = sizeof(vplat)},
    {.path = "platforms[].name", .type = SC_STRING, .offset = offsetof(vplat, name)},
    {.path = "platforms[].kind",
     .type = SC_ENUM,
     .offset = offsetof(vplat, kind),
     .choices = "centralized|cooperative"},
    {.path = "platforms[].ledger",
     .type = SC_MOUNT,
     .offset = offsetof(vplat, ledger),
     .mount = ledger_keys},
    {.path = NULL},
};

static void test_keys_and_defaults(void **state) {
    char err[1024];
    assert_int_equal(sc_check_table(keys, err, sizeof err), 0);
    const char *yaml = "name: x\nplatforms:\n  - name: p\n    kind: cooperative\n";
    vscen sc;
    memset(&sc, 0, sizeof sc);
    assert_int_equal(
        sc_load_buffer(keys, &sc, "t.yaml", yaml, strlen(yaml), NULL, 0, err, sizeof err), 0);
    const ledger_config *a = &((vplat *)sc.platforms.items)[0].ledger;
    ledger_config b;
    ledger_config_defaults(&b);
    assert_int_equal(a->kind, b.kind);
    assert_int_equal(a->consensus, b.consensus);
    assert_int_equal(a->nodes, b.nodes);
    assert_int_equal(a->peers, b.peers);
    assert_int_equal(a->topology, b.topology);
    assert_int_equal(a->profile, b.profile);
    assert_int_equal(a->latency, b.latency);
    assert_true(a->bandwidth == b.bandwidth);
    assert_int_equal(a->processing, b.processing);
    assert_int_equal(a->processing_per_kb, b.processing_per_kb);
    assert_int_equal(a->tx_delay, b.tx_delay);
    assert_int_equal(a->miner_links, b.miner_links);
    assert_int_equal(a->announce, b.announce);
    assert_int_equal(a->block_max_bytes, b.block_max_bytes);
    assert_int_equal(a->extra_bytes, b.extra_bytes);
    assert_true(a->fee_per_byte == b.fee_per_byte);
    assert_int_equal(a->validators, b.validators);
    assert_int_equal(a->interval, b.interval);
    assert_int_equal(a->confirmations, b.confirmations);
    assert_int_equal(a->retarget, b.retarget);
    assert_int_equal(a->bft_timeout, b.bft_timeout);
    assert_int_equal(a->bft_timeout_delta, b.bft_timeout_delta);
    assert_int_equal(a->reward_enabled, b.reward_enabled);
    assert_true(a->reward_per_km == b.reward_per_km);
    assert_int_equal(a->export_chain, b.export_chain);
    assert_true(fabs(a->reward_min_speed - b.reward_min_speed) < 1e-9);
    assert_true(fabs(a->reward_max_speed - b.reward_max_speed) < 1e-9);
    assert_int_equal(a->reward_cap, b.reward_cap);
    assert_int_equal(a->reward_halving, b.reward_halving);
    assert_int_equal(a->check_conservation, b.check_conservation);
    sc_free(keys, &sc);
}

typedef struct measured {
    const char *file;
    const char *duration; /* shortened for the test's runtime; the file runs longer */
    double stale, prop50;
} measured;

static void check(const measured *m) {
    char path[1024], err[2048], dur[64];
    snprintf(path, sizeof path, "%s/scenarios/validation/%s", COOPSIM_SOURCE_DIR, m->file);
    snprintf(dur, sizeof dur, "simulation.duration=%s", m->duration);
    const char *over[] = {dur};
    vscen sc;
    memset(&sc, 0, sizeof sc);
    int rc = sc_load_file(keys, &sc, path, over, 1, err, sizeof err);
    if (rc) printf("%s\n", err);
    assert_int_equal(rc, 0);
    vplat *p = sc.platforms.items;
    sim *s = sim_new(4096);
    ledger *l = ledger_new(s, &p[0].ledger, p[0].name, (uint64_t)sc.seed, 0, 0, err, sizeof err);
    assert_non_null(l);
    sim_run(s, sc.duration);
    ledger_stop(l);
    json_t *j = json_object();
    assert_int_equal(ledger_metrics(l, j), 0);
    double stale = json_real_value(json_object_get(j, "stale_rate"));
    double prop = json_real_value(json_object_get(j, "block_propagation_p50_s"));
    double n = (double)json_integer_value(json_object_get(j, "blocks"));
    double se = sqrt(m->stale * (1 - m->stale) / n);
    double lo = m->stale / 2 - 2 * se, hi = 2 * m->stale + 2 * se;
    printf("# %s: %.0f blocks, stale %.3f%% (measured %.3f%%, accepted %.3f..%.3f%%), "
           "propagation p50 %.2f s (measured %.2f s, accepted %.2f..%.2f s)\n",
           m->file, n, 100 * stale, 100 * m->stale, 100 * lo, 100 * hi, prop, m->prop50,
           m->prop50 / 2, m->prop50 * 2);
    assert_true(stale >= lo && stale <= hi);
    assert_true(prop >= m->prop50 / 2 && prop <= m->prop50 * 2);
    json_decref(j);
    ledger_free(l);
    sim_free(s);
    sc_free(keys, &sc);
}

static void test_bitcoin(void **state) {
    check(&(measured){"pow-bitcoin.yaml", "7d", 0.0041, 8.7});
}

static void test_litecoin(void **state) {
    check(&(measured){"pow-litecoin.yaml", "5d", 0.00273, 1.02});
}

static void test_dogecoin(void **state) {
    check(&(measured){"pow-dogecoin.yaml", "3d", 0.00619, 0.85});
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_and_defaults),
        cmocka_unit_test(test_bitcoin),
        cmocka_unit_test(test_litecoin),
        cmocka_unit_test(test_dogecoin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
