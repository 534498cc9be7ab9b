/* Governance inside a market run: a scheduled change applies at its epoch and shows in the
 * market's prices, votes go on-chain as transactions when the co-op has a chain ledger (and
 * those final after the close do not count), and a run is a pure function of its seed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/run.h"
#include "models/scenario.h"
#include "sim/output.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Platform 0 votes on the central ledger, platform 1 on a slow proof-of-work chain whose
 * finality (3 blocks of ~10 min) is long next to a 40-minute vote window. */
static const char yaml[] = "name: gov-test\n"
                           "simulation: {seed: 4, duration: 3d}\n"
                           "city: {width: 5km, height: 5km}\n"
                           "demand: {rate: 1500/day}\n"
                           "drivers: {count: 40, participation: false, shift_mean: 10h}\n"
                           "platforms:\n"
                           "  - name: central\n"
                           "    kind: cooperative\n"
                           "    commission: 20%\n"
                           "    governance:\n"
                           "      enabled: true\n"
                           "      review: 1h\n"
                           "      window: 40min\n"
                           "      delay: 0s\n"
                           "      turnout: 100%\n"
                           "      noise: 0\n"
                           "      threshold: 0%\n"
                           "      indifference: 0\n"
                           "      proposals:\n"
                           "        - {at: 30h, rule: commission, to: 10%}\n"
                           "  - name: on-chain\n"
                           "    kind: cooperative\n"
                           "    commission: 20%\n"
                           "    ledger:\n"
                           "      kind: chain\n"
                           "      consensus: pow\n"
                           "      nodes: 10\n"
                           "      validators: 4\n"
                           "      interval: 10min\n"
                           "      pow: {confirmations: 3}\n"
                           "    governance:\n"
                           "      enabled: true\n"
                           "      review: 1h\n"
                           "      window: 40min\n"
                           "      delay: 0s\n"
                           "      turnout: 100%\n"
                           "      noise: 0\n"
                           "      threshold: 0%\n"
                           "      indifference: 0\n"
                           "      quorum: 0%\n"
                           "      proposals:\n"
                           "        - {at: 30h, rule: commission, to: 10%}\n";

static double num(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v)) fail_msg("%s is not a number", k);
    return json_number_value(v);
}

static void load(coop_scenario *sc) {
    memset(sc, 0, sizeof *sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, sc, "gov-test", yaml, sizeof yaml - 1, NULL, 0, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
}

/* Mean fare of the trips requested in [from, to) hours, from trips.csv's rows. */
static void csv_of(mkt_world *w, char *buf, size_t len, int which) {
    FILE *f = fmemopen(buf, len, "w");
    assert_non_null(f);
    if (which == 0) assert_int_equal(mkt_write_governance_csv(w, f, true), 0);
    if (which == 1) assert_int_equal(mkt_write_rules_csv(w, f, true), 0);
    fclose(f);
}

static void test_change_applies_in_the_market(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc);
    char err[1024];
    mkt_world *w = mkt_new(&sc, 0, 0, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    assert_true(mkt_has_governance(w));
    json_t *g = mkt_gov_json(w);
    assert_non_null(g);
    assert_true(num(g, "proposals") == 1);
    assert_true(num(g, "passed") == 1);
    assert_true(num(g, "applied") == 1);
    assert_true(num(g, "vote_transactions") == 0);
    assert_true(num(g, "votes_late") == 0);
    assert_true(fabs(num(g, "commission_final") - 0.10) < 1e-12);
    assert_true(num(g, "nakamoto_coefficient") == 21); /* 40 members, one vote each */
    assert_true(num(g, "voting_power_gini") == 0);
    json_decref(g);
    /* Raised at 30 h, open 31 h, closed 31 h 40 min: applied at the 2-day boundary. */
    static char buf[65536];
    csv_of(w, buf, sizeof buf, 0);
    assert_non_null(strstr(buf, ",commission,20%,10%,0.1,schedule,"));
    assert_non_null(strstr(buf, ",1,1,172800,applied,172800,,,,,"));
    csv_of(w, buf, sizeof buf, 1);
    assert_non_null(strstr(buf, "central,1,86400,1.0000,0.2,"));
    assert_non_null(strstr(buf, "central,2,172800,2.0000,0.1,"));
    /* The platform's take over the run lies between the two commissions. */
    json_t *s = mkt_summary_json(w);
    double take = num(json_object_get(s, "platform"), "revenue") /
                  num(json_object_get(s, "platform"), "gross_bookings");
    assert_true(take > 0.10 + 0.01 && take < 0.20 - 0.01);
    json_decref(s);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

static void test_votes_on_chain(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc);
    char err[1024];
    mkt_world *w = mkt_new(&sc, 1, 0, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    json_t *g = mkt_gov_json(w);
    double cast = num(g, "votes_cast"), txs = num(g, "vote_transactions");
    double late = num(g, "votes_late");
    assert_true(cast == 40);
    assert_true(txs == cast); /* every member driver's ballot went on-chain */
    /* ~30 minutes of finality against a 40-minute window: many are final too late. */
    assert_true(late > 0);
    assert_true(late < cast);
    static char buf[65536];
    csv_of(w, buf, sizeof buf, 0);
    int pid, ep, vf, va, vb, vl;
    char *row = strchr(buf, '\n') + 1;
    assert_int_equal(sscanf(row,
                            "0,on-chain,%d,%d,%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],"
                            "%*[^,],%*[^,],%*[^,],%*[^,],%d,%d,%d,%d",
                            &pid, &ep, &vf, &va, &vb, &vl),
                     6);
    assert_int_equal(vf + va + vb + vl, 40);
    assert_int_equal(vl, (int)late);
    json_decref(g);
    mkt_free(w);
    sc_free(coop_keys, &sc);
}

static void test_same_seed_same_outputs(void **state) {
    (void)state;
    coop_scenario sc;
    load(&sc);
    static char a[65536], b[65536];
    for (int k = 0; k < 2; k++) {
        char err[1024];
        mkt_world *w = mkt_new(&sc, 1, 0, err, sizeof err);
        assert_non_null(w);
        assert_int_equal(mkt_run(w, err, sizeof err), 0);
        csv_of(w, k ? b : a, sizeof a, 0);
        mkt_free(w);
    }
    assert_string_equal(a, b);
    sc_free(coop_keys, &sc);
}

/* A run whose tables cannot be committed (hourly.csv is taken by a directory) fails and leaves
 * no temporary file behind, the governance tables' included: they are abandoned with the rest
 * (under the sanitizers, a FILE left open would also show as a leak). */
static void test_failed_commit_leaves_nothing(void **state) {
    (void)state;
    coop_scenario sc;
    char dir[] = "/tmp/coopsim-commit-XXXXXX", sub[64], err[1024];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/hourly.csv", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    const char *short_run[] = {"simulation.duration=2h"};
    memset(&sc, 0, sizeof sc);
    if (sc_load_buffer(coop_keys, &sc, "gov-test", yaml, sizeof yaml - 1, short_run, 1, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
    json_t *summary = json_object();
    coop_run_opts opts = {.outdir = dir};
    assert_int_equal(coop_run(&sc, &opts, summary, err, sizeof err), SIM_EIO);
    assert_non_null(strstr(err, "hourly.csv"));
    json_decref(summary);
    sc_free(coop_keys, &sc);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int tmp = 0;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".tmp")) {
            print_error("left behind: %s\n", e->d_name);
            tmp++;
        }
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "hourly.csv")) continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(sub);
    rmdir(dir);
    assert_int_equal(tmp, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_change_applies_in_the_market),
        cmocka_unit_test(test_votes_on_chain),
        cmocka_unit_test(test_same_seed_same_outputs),
        cmocka_unit_test(test_failed_commit_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
