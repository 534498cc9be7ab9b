/* Tests of liquid democracy and of attacks on a vote: delegation chains resolve to the member
 * who votes, loops are cut, voting power adds up to the members' weight, a revocation counts
 * from the next vote on, the Banzhaf index on hand-checked games, the bribes and fake members
 * that overturn a vote, and the fewest members who meet a quorum alone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/governance/governance.h"
#include "models/platform/platform.h"
#include "sim/engine.h"

#include <math.h>
#include <string.h>

static void activity(void *ctx, uint32_t d, sim_time now, gov_activity *out) {
    (void)ctx;
    out->member = true;
    out->online = (sim_time)((double)now * (0.2 + 0.05 * (double)d));
    out->trips = out->online / SIM_HOUR;
    out->pay = out->trips * 1500;
    out->metres = (double)out->trips * 5000.0;
}

static gov_scheduled sched[2];

typedef struct world {
    plat *p;
    gov *g;
    sim *s;
} world;

static void build(world *w, gov_config *gc, size_t n) {
    plat_config pc;
    plat_config_defaults(&pc, PLAT_COOPERATIVE);
    pc.commission = 0.25;
    w->p = plat_new(&pc, n, 1);
    assert_non_null(w->p);
    char err[200];
    w->g = gov_new(gc, w->p, "coop", n, 5, 0, activity, NULL, err, sizeof err);
    assert_non_null(w->g);
    w->s = sim_new(64);
}

static void destroy(world *w) {
    gov_free(w->g);
    plat_free(w->p);
    sim_free(w->s);
}

static gov_config quick(void) {
    gov_config g;
    gov_config_defaults(&g);
    g.enabled = true;
    g.review = SIM_HOUR;
    g.window = 2 * SIM_HOUR;
    g.delay = 0;
    g.turnout = 1.0;
    g.noise = 0.0;
    g.quorum = 0;
    return g;
}

static void test_chains_and_loops_resolve(void **state) {
    (void)state;
    gov_config gc = quick();
    world w;
    build(&w, &gc, 7);
    gov_start(w.g, w.s, SIM_DAY);
    /* 0 -> 1 -> 2 -> 0 is a loop; 3 leads into it at 0; 4 -> 5 -> 6 is a chain. */
    assert_int_equal(gov_delegate(w.g, 0, 1), 0);
    assert_int_equal(gov_delegate(w.g, 1, 2), 0);
    assert_int_equal(gov_delegate(w.g, 2, 0), 0);
    assert_int_equal(gov_delegate(w.g, 3, 0), 0);
    assert_int_equal(gov_delegate(w.g, 4, 5), 0);
    assert_int_equal(gov_delegate(w.g, 5, 6), 0);
    assert_int_equal(gov_delegate(w.g, 6, 6), -1); /* not to itself */
    assert_int_equal(gov_delegate(w.g, 6, 7), -1); /* no such member */
    int64_t power[7];
    assert_int_equal(gov_power(w.g, power), 0);
    const int64_t want[7] = {2, 1, 1, 0, 0, 0, 3};
    int64_t sum = 0;
    for (int m = 0; m < 7; m++) {
        assert_int_equal(power[m], want[m]);
        sum += power[m];
    }
    assert_int_equal(sum, 7); /* every member's vote is held by exactly one member */
    /* Revoking 5's delegation splits the chain: 4 -> 5 now, 6 alone. */
    assert_int_equal(gov_delegate(w.g, 5, -1), 0);
    assert_int_equal(gov_power(w.g, power), 0);
    assert_int_equal(power[5], 2);
    assert_int_equal(power[6], 1);
    destroy(&w);
}

/* Random delegations (80% of members, loops among delegates included): power always adds up
 * to the members' total weight, under one member one vote and tokens. */
static void test_power_sums_to_the_total(void **state) {
    (void)state;
    static gov_backers backers[1];
    for (int voting = GOV_ONE_MEMBER; voting <= GOV_TOKEN; voting++)
        for (uint64_t seed = 1; seed <= 5; seed++) {
            gov_config gc = quick();
            gc.voting = voting;
            gc.delegate_share = 0.8;
            gc.delegates = 4;
            backers[0] = (gov_backers){.count = 3, .tokens = 1000, .drivers = false};
            gc.backers.items = backers;
            gc.backers.n = 1;
            plat_config pc;
            plat_config_defaults(&pc, PLAT_COOPERATIVE);
            plat *p = plat_new(&pc, 20, 1);
            char err[200];
            gov *g = gov_new(&gc, p, "coop", 20, seed, 0, activity, NULL, err, sizeof err);
            sim *s = sim_new(64);
            gov_start(g, s, 2 * SIM_DAY);
            sim_run(s, 2 * SIM_DAY);
            int64_t power[23], total = 0, held = 0, delegating = 0;
            assert_int_equal(gov_power(g, power), 0);
            for (size_t m = 0; m < 23; m++) {
                total += gov_weight(g, m);
                held += power[m] > 0 ? power[m] : 0;
                delegating += gov_delegate_of(g, m) >= 0;
            }
            assert_true(total > 0);
            assert_int_equal(held, total);
            assert_true(delegating >= 10);
            for (size_t m = 20; m < 23; m++) /* backers vote for themselves */
                assert_int_equal(gov_delegate_of(g, m), -1);
            gov_free(g);
            plat_free(p);
            sim_free(s);
        }
}

/* A member who delegates has no ballot; its delegate's ballot carries its weight. Revoked while
 * a vote is open, it still counts through its delegate there, and votes itself in the next. */
static void test_revocation_takes_effect_next_vote(void **state) {
    (void)state;
    gov_config gc = quick();
    for (int i = 0; i < 2; i++) {
        memset(&sched[i], 0, sizeof sched[i]);
        sched[i].at = (sim_time)(1 + i) * SIM_DAY;
        sched[i].rule = GOV_R_COMMISSION;
        sched[i].to = i ? "15%" : "20%";
    }
    gc.proposals.items = sched;
    gc.proposals.n = 2;
    world w;
    build(&w, &gc, 6);
    gov_start(w.g, w.s, 3 * SIM_DAY);
    assert_int_equal(gov_delegate(w.g, 3, 0), 0);
    assert_int_equal(gov_delegate(w.g, 4, 0), 0);
    /* Vote 1 opens at day 1 + 1 h; revoke 3's delegation half an hour later. */
    sim_run(w.s, SIM_DAY + 90 * SIM_MIN);
    assert_int_equal(gov_delegate(w.g, 3, -1), 0);
    sim_run(w.s, 3 * SIM_DAY);
    const gov_proposal_info *a = gov_proposal(w.g, 0), *b = gov_proposal(w.g, 1);
    /* Every driver gains from the cut (noise off): all ballots for. */
    assert_int_equal(a->r.n_for, 4); /* 0 (carrying 3 and 4), 1, 2, 5 */
    assert_int_equal(a->r.w_for, 6);
    assert_int_equal(b->r.n_for, 5); /* 3 votes itself now; 4 still through 0 */
    assert_int_equal(b->r.w_for, 6);
    assert_int_equal(a->eligible_weight, 6);
    destroy(&w);
}

static void test_banzhaf(void **state) {
    (void)state;
    const int64_t a[3] = {2, 1, 1};
    assert_float_equal(gov_banzhaf(a, 3, 0), 0.75, 1e-12);
    assert_float_equal(gov_banzhaf(a, 3, 1), 0.25, 1e-12);
    const int64_t big[3] = {2000000, 1000000, 1000000}; /* counted in units: the same game */
    assert_float_equal(gov_banzhaf(big, 3, 0), 0.75, 1e-12);
    const int64_t dict[3] = {5, 1, 1};
    assert_float_equal(gov_banzhaf(dict, 3, 0), 1.0, 1e-12);
    assert_float_equal(gov_banzhaf(dict, 3, 1), 0.0, 1e-12);
    /* 5 equal voters: decisive when exactly 2 of the other 4 join: 6/16. */
    const int64_t eq[5] = {1, 1, 1, 1, 1};
    assert_float_equal(gov_banzhaf(eq, 5, 2), 6.0 / 16.0, 1e-12);
}

static gov_stake stake(int choice, int64_t weight, double s) {
    gov_stake x = {choice, weight, s};
    return x;
}

/* 3 for, 5 against at a simple majority: it failed by 2; turning the two cheapest against
 * votes (10 and 20 cents) makes it pass; a member who stayed home costs the price of voting
 * on top and moves the margin half as much, so it is not bought. Passed 5-3: the cheapest for
 * vote turned against ties it, which fails. */
static void test_bribes_to_flip(void **state) {
    (void)state;
    gov_stake v[9] = {
        stake(GOV_FOR, 1, 100),     stake(GOV_FOR, 1, 100),     stake(GOV_FOR, 1, 100),
        stake(GOV_AGAINST, 1, -30), stake(GOV_AGAINST, 1, -10), stake(GOV_AGAINST, 1, -50),
        stake(GOV_AGAINST, 1, -20), stake(GOV_AGAINST, 1, -40), stake(-1, 1, 5)};
    int64_t bribed;
    assert_float_equal(gov_bribe_to_flip(v, 9, false, 0.5, 4, 100, &bribed), 30.0, 1e-9);
    assert_int_equal(bribed, 2);
    /* A quorum of 9: the member who stayed home must be brought in (100), and then one against
     * vote (10) is enough: 4 for against 4 weighs 4 * 0.5 + 0.5 more than the 4 against. */
    assert_float_equal(gov_bribe_to_flip(v, 9, false, 0.5, 9, 100, &bribed), 110.0, 1e-9);
    assert_int_equal(bribed, 2);
    /* Nobody to buy: impossible. */
    assert_true(isinf(gov_bribe_to_flip(v, 0, false, 0.5, 0, 100, &bribed)));
    assert_int_equal(bribed, -1);
    gov_stake w[8] = {stake(GOV_FOR, 1, 30),     stake(GOV_FOR, 1, 10),
                      stake(GOV_FOR, 1, 50),     stake(GOV_FOR, 1, 20),
                      stake(GOV_FOR, 1, 40),     stake(GOV_AGAINST, 1, -5),
                      stake(GOV_AGAINST, 1, -5), stake(GOV_AGAINST, 1, -5)};
    assert_float_equal(gov_bribe_to_flip(w, 8, true, 0.5, 0, 100, &bribed), 10.0, 1e-9);
    assert_int_equal(bribed, 1);
    /* Token weights: one holder of 10 against outweighs 5 for; the cheapest way is it. */
    gov_stake t[3] = {stake(GOV_FOR, 5, 100), stake(GOV_AGAINST, 10, -500),
                      stake(GOV_AGAINST, 1, -1)};
    assert_float_equal(gov_bribe_to_flip(t, 3, false, 0.5, 0, 0, &bribed), 500.0, 1e-9);
}

static void test_sybils_and_quorum_minority(void **state) {
    (void)state;
    /* Failed 3-5: fakes voting for move the margin by 1/2 each; 3 make it pass 6-5. */
    assert_int_equal(gov_sybils_to_flip(3, 5, 8, false, 0.5, 0, 1), 3);
    /* Passed 5-3: 2 fakes against tie it, and a tie fails. */
    assert_int_equal(gov_sybils_to_flip(5, 3, 8, true, 0.5, 0, 1), 2);
    /* A quorum of 20 with 8 taking part: 12 fakes, more than the margin needs. */
    assert_int_equal(gov_sybils_to_flip(3, 5, 8, false, 0.5, 20, 1), 12);
    /* Under token voting a fake holds nothing. */
    assert_int_equal(gov_sybils_to_flip(3, 5, 8, false, 0.5, 0, 0), -1);
    /* Quadratic: each fake buys 10 votes; 30-50 needs 3 (60-50). */
    assert_int_equal(gov_sybils_to_flip(30, 50, 8, false, 0.5, 0, 10), 3);
    const int64_t power[6] = {1, 10, 1, 10, 10, -1};
    assert_int_equal(gov_quorum_minority(power, 6, 25), 3);
    assert_int_equal(gov_quorum_minority(power, 6, 30), 3);
    assert_int_equal(gov_quorum_minority(power, 6, 31), 4);
    assert_int_equal(gov_quorum_minority(power, 6, 0), 0);
    assert_int_equal(gov_quorum_minority(power, 6, 33), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chains_and_loops_resolve),
        cmocka_unit_test(test_power_sums_to_the_total),
        cmocka_unit_test(test_revocation_takes_effect_next_vote),
        cmocka_unit_test(test_banzhaf),
        cmocka_unit_test(test_bribes_to_flip),
        cmocka_unit_test(test_sybils_and_quorum_minority),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
