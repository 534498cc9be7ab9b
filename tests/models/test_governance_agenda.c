/* Tests of the governance agenda: ballots among several options counted by plurality, instant
 * runoff and approval (hand-checked cases), recurring scheduled votes, members raising changes
 * in either direction, the cool-off after a failed vote, and the checks on scheduled entries. */
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

/* ---- counting a ballot among options ------------------------------------------------------ */

static gov_ballot cast(int choice, int64_t weight, sim_time final_at) {
    gov_ballot b = {choice, weight, final_at};
    return b;
}

static gov_rank ranking(int a, int b, int c, uint32_t approve) {
    gov_rank r;
    memset(&r, 0, sizeof r);
    r.order[0] = (uint8_t)a;
    r.order[1] = (uint8_t)b;
    r.order[2] = (uint8_t)c;
    r.approve = approve;
    return r;
}

/* 4 voters A>B>C, 3 B>C>A, 2 C>B>A: plurality picks A; instant runoff drops C and B wins 5-4. */
static void test_plurality_and_runoff(void **state) {
    (void)state;
    gov_ballot b[9];
    gov_rank r[9];
    for (int i = 0; i < 9; i++) {
        b[i] = cast(GOV_FOR, 1, 0);
        r[i] = i < 4   ? ranking(0, 1, 2, 1u)
               : i < 7 ? ranking(1, 2, 0, 2u | 4u)
                       : ranking(2, 1, 0, 4u);
    }
    gov_mresult m;
    gov_tally_options(b, r, 9, 3, GOV_PLURALITY, 0, 9, 0.5, &m);
    assert_true(m.quorum_met);
    assert_int_equal(m.winner, 0);
    assert_int_equal(m.first[0], 4);
    assert_int_equal(m.first[1], 3);
    assert_int_equal(m.first[2], 2);
    gov_tally_options(b, r, 9, 3, GOV_RANKED, 0, 9, 0.5, &m);
    assert_int_equal(m.winner, 1);
    assert_int_equal(m.rounds, 2);
    assert_int_equal(m.last[1], 5);
    assert_int_equal(m.last[0], 4);
    assert_int_equal(m.last[2], 0);
    /* Approvals: A 4, B 3, C 5: C. */
    gov_tally_options(b, r, 9, 3, GOV_APPROVAL, 0, 9, 0.5, &m);
    assert_int_equal(m.winner, 2);
    assert_int_equal(m.first[2], 5);
    /* A majority of first choices wins in the first round. */
    b[7].weight = 0;
    b[8].weight = 0;
    gov_tally_options(b, r, 9, 3, GOV_RANKED, 0, 9, 0.0, &m);
    assert_int_equal(m.winner, 0);
    assert_int_equal(m.rounds, 1);
}

static void test_options_quorum_late_and_ties(void **state) {
    (void)state;
    gov_ballot b[4] = {cast(GOV_FOR, 10, 0), cast(GOV_FOR, 10, 0), cast(GOV_ABSTAIN, 5, 0),
                       cast(GOV_FOR, 50, 101)};
    gov_rank r[4] = {ranking(1, 0, 2, 0), ranking(0, 1, 2, 0), ranking(0, 1, 2, 0),
                     ranking(2, 1, 0, 0)};
    gov_mresult m;
    /* The late ballot counts nothing; 10 vs 10 is a tie, won by the option listed first. */
    gov_tally_options(b, r, 4, 3, GOV_PLURALITY, 100, 100, 0.25, &m);
    assert_int_equal(m.n_late, 1);
    assert_int_equal(m.n_voted, 2);
    assert_int_equal(m.n_abstain, 1);
    assert_true(m.quorum_met); /* 25 of 100, abstention included */
    assert_int_equal(m.winner, 0);
    gov_tally_options(b, r, 4, 3, GOV_PLURALITY, 100, 101, 0.25, &m);
    assert_false(m.quorum_met);
    assert_int_equal(m.winner, -1);
    /* Only abstentions: no winner even with the quorum. */
    gov_tally_options(b + 2, r + 2, 1, 3, GOV_RANKED, 100, 1, 0.0, &m);
    assert_true(m.quorum_met);
    assert_int_equal(m.winner, -1);
}

/* ---- a running co-op -------------------------------------------------------------------- */

typedef struct world {
    plat *p;
    gov *g;
    sim *s;
} world;

/* Drivers online a third of the time, one trip and 15.00 of pay per online hour. */
static void activity(void *ctx, uint32_t d, sim_time now, gov_activity *out) {
    (void)ctx;
    out->member = true;
    out->online = (sim_time)((double)now * (0.25 + 0.05 * (double)d));
    out->trips = out->online / SIM_HOUR;
    out->pay = out->trips * 1500;
    out->metres = (double)out->trips * 5000.0;
}

static gov_config quick(int voting) {
    gov_config g;
    gov_config_defaults(&g);
    g.enabled = true;
    g.voting = voting;
    g.review = SIM_HOUR;
    g.window = SIM_HOUR;
    g.delay = 0;
    g.epoch = SIM_DAY;
    g.turnout = 1.0;
    g.noise = 0.0;
    g.quorum = 0.5;
    return g;
}

static plat_config coop(void) {
    plat_config c;
    plat_config_defaults(&c, PLAT_COOPERATIVE);
    c.commission = 0.25;
    c.base_fare = 1000;
    c.per_km = c.per_min = c.min_fare = 0;
    c.cost_per_trip = 0;
    return c;
}

static void build(world *w, gov_config *gc, size_t n) {
    plat_config pc = coop();
    w->p = plat_new(&pc, n, 1);
    assert_non_null(w->p);
    char err[200];
    w->g = gov_new(gc, w->p, "coop", n, 7, 0, activity, NULL, err, sizeof err);
    assert_non_null(w->g);
    w->s = sim_new(64);
}

static void destroy(world *w) {
    gov_free(w->g);
    plat_free(w->p);
    sim_free(w->s);
}

static gov_scheduled sched[2];
static gov_backers backers[1];
static char *opts4[4] = {"5%", "8%", "10%", "30%"};

/* A monthly ballot among four commissions, with no hand-placed time but the first: drivers
 * rank the lowest first (noise off), so under one member one vote 5% wins each time; under
 * tokens, two backers holding most tokens rank the highest first and 30% wins. */
static void test_recurring_ballot_among_options(void **state) {
    (void)state;
    for (int voting = GOV_ONE_MEMBER; voting <= GOV_TOKEN; voting++)
        for (int method = GOV_PLURALITY; method <= GOV_APPROVAL; method++) {
            gov_config gc = quick(voting);
            memset(sched, 0, sizeof sched);
            sched[0].at = SIM_DAY;
            sched[0].every = 30 * SIM_DAY;
            sched[0].rule = GOV_R_COMMISSION;
            sched[0].to = "";
            sched[0].options.v = opts4;
            sched[0].options.n = 4;
            sched[0].method = method;
            gc.proposals.items = sched;
            gc.proposals.n = 1;
            backers[0].count = 2;
            backers[0].tokens = 1000000;
            backers[0].drivers = false;
            gc.backers.items = backers;
            gc.backers.n = 1;
            world w;
            build(&w, &gc, 6);
            gov_start(w.g, w.s, 75 * SIM_DAY);
            sim_run(w.s, 75 * SIM_DAY);
            gov_finish(w.g, 75 * SIM_DAY);
            /* Raised on days 1, 31 and 61. */
            assert_int_equal(gov_proposal_count(w.g), 3);
            for (size_t i = 0; i < 3; i++) {
                const gov_proposal_info *p = gov_proposal(w.g, i);
                assert_int_equal(p->raised, (sim_time)(1 + 30 * i) * SIM_DAY);
                assert_int_equal(p->n_options, 4);
                assert_true(p->r.passed);
                assert_int_equal(p->r.n_for, 8);
            }
            const gov_proposal_info *p = gov_proposal(w.g, 0);
            double want = voting == GOV_ONE_MEMBER ? 0.05 : 0.30;
            if (voting == GOV_TOKEN && method == GOV_APPROVAL) {
                /* Backers approve 30% only; drivers (tokens per km) approve 5% and 8%; the
                 * backers' weight decides. */
                assert_int_equal(p->m.first[3], 2000000);
            }
            assert_float_equal(p->to, want, 1e-12);
            assert_float_equal(plat_get_config(w.p)->commission, want, 1e-12);
            assert_int_equal(p->applied_at, 2 * SIM_DAY);
            char buf[8192];
            FILE *f = fmemopen(buf, sizeof buf, "w");
            assert_non_null(f);
            assert_int_equal(gov_write_csv(w.g, 0, f, true), 0);
            fclose(f);
            assert_non_null(strstr(buf, ",5%|8%|10%|30%,"));
            destroy(&w);
        }
}

/* Members who do not drive may raise rises: outside backers under token voting propose the
 * commission up by a step, and pass it; with cuts only, or drivers only, nobody proposes. */
static void test_members_raise_rises(void **state) {
    (void)state;
    for (int variant = 0; variant < 3; variant++) {
        gov_config gc = quick(GOV_TOKEN);
        gc.raise = true;
        gc.aspiration = 0; /* no driver is disappointed */
        gc.proposal_threshold = 0.01;
        gc.raise_directions = variant == 1 ? 0 : 1;
        gc.raise_proposers = variant == 2 ? 0 : 1;
        backers[0].count = 2;
        backers[0].tokens = 1000000;
        backers[0].drivers = false;
        gc.backers.items = backers;
        gc.backers.n = 1;
        world w;
        build(&w, &gc, 6);
        gov_start(w.g, w.s, 4 * SIM_DAY);
        sim_run(w.s, 4 * SIM_DAY);
        if (variant != 0) {
            assert_int_equal(gov_proposal_count(w.g), 0);
        } else {
            assert_true(gov_proposal_count(w.g) >= 1);
            const gov_proposal_info *p = gov_proposal(w.g, 0);
            assert_true(p->proposer >= 6); /* a backer */
            assert_int_equal(p->rule, GOV_R_COMMISSION);
            assert_float_equal(p->to, 0.275, 1e-9);
            assert_true(p->r.passed);
        }
        destroy(&w);
    }
}

/* After a failed vote on a rule, members wait raise.cooloff before raising it again. */
static void test_cooloff_after_failure(void **state) {
    (void)state;
    size_t counts[2];
    for (int cool = 0; cool <= 1; cool++) {
        gov_config gc = quick(GOV_TOKEN);
        gc.raise = true;
        gc.aspiration = 100000; /* every driver is disappointed and wants a cut */
        gc.proposal_threshold = 0;
        gc.max_open = 1;
        gc.cooloff = cool ? 10 * SIM_DAY : 0;
        backers[0].count = 2;
        backers[0].tokens = 1000000;
        backers[0].drivers = false;
        gc.backers.items = backers;
        gc.backers.n = 1;
        world w;
        build(&w, &gc, 6);
        gov_start(w.g, w.s, 12 * SIM_DAY);
        sim_run(w.s, 12 * SIM_DAY);
        counts[cool] = 0;
        sim_time last_close = -1;
        for (size_t i = 0; i < gov_proposal_count(w.g); i++) {
            const gov_proposal_info *p = gov_proposal(w.g, i);
            if (p->rule != GOV_R_COMMISSION) continue;
            assert_false(p->r.passed); /* the backers outvote every cut */
            /* Under the cool-off none is raised within 10 days of the last one closing. */
            if (cool && last_close >= 0) assert_true(p->raised >= last_close + 10 * SIM_DAY);
            last_close = p->closes;
            counts[cool]++;
        }
        destroy(&w);
    }
    assert_int_equal(counts[1], 2);
    assert_true(counts[0] >= 5); /* without the cool-off, cut after cut */
}

static void test_scheduled_entries_checked(void **state) {
    (void)state;
    static char *one[1] = {"5%"}, *bad[2] = {"5%", "lots"};
    struct {
        const char *to;
        char **opts;
        size_t n;
        int rule;
        const char *want;
    } cases[] = {
        {"", NULL, 0, GOV_R_COMMISSION, "neither"},
        {"12%", opts4, 4, GOV_R_COMMISSION, "both"},
        {"", one, 1, GOV_R_COMMISSION, "at least 2 options"},
        {"", bad, 2, GOV_R_COMMISSION, "proposals[0].options[1]"},
        {"", opts4, 2, GOV_R_PAYOUT, "yes or no"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gov_config gc = quick(GOV_ONE_MEMBER);
        memset(sched, 0, sizeof sched);
        sched[0].rule = cases[i].rule;
        sched[0].to = (char *)cases[i].to;
        sched[0].options.v = cases[i].opts;
        sched[0].options.n = cases[i].n;
        gc.proposals.items = sched;
        gc.proposals.n = 1;
        char err[300] = "";
        gc.enabled = true;
        assert_int_equal(gov_config_check(&gc, NULL, "platforms[0].governance", err, sizeof err),
                         SIM_EINPUT);
        if (!strstr(err, cases[i].want)) fail_msg("case %zu: %s", i, err);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plurality_and_runoff),
        cmocka_unit_test(test_options_quorum_late_and_ties),
        cmocka_unit_test(test_recurring_ballot_among_options),
        cmocka_unit_test(test_members_raise_rises),
        cmocka_unit_test(test_cooloff_after_failure),
        cmocka_unit_test(test_scheduled_entries_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
