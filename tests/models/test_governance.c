/* Tests of governance: each voting rule's tally on hand-checked cases, quorum and thresholds,
 * late votes, quadratic budgets, voting power (Nakamoto coefficient, Gini), the voter model,
 * and a running co-op where a passed change applies exactly at the next epoch. */
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

static gov_ballot bal(int choice, int64_t weight, sim_time final_at) {
    gov_ballot b = {choice, weight, final_at};
    return b;
}

static void test_one_member_tally(void **state) {
    (void)state;
    gov_ballot b[5] = {bal(GOV_FOR, 1, 0), bal(GOV_FOR, 1, 0), bal(GOV_FOR, 1, 0),
                       bal(GOV_AGAINST, 1, 0), bal(GOV_ABSTAIN, 1, 0)};
    gov_result r;
    /* 5 of 10 took part: quorum 50% is met exactly; 3 for, 1 against passes a majority. */
    gov_tally(b, 5, 100, 10, 0.5, 0.5, &r);
    assert_int_equal(r.n_for, 3);
    assert_int_equal(r.n_against, 1);
    assert_int_equal(r.n_abstain, 1);
    assert_true(r.quorum_met);
    assert_true(r.passed);
    /* 5 of 11 is below half: no quorum, so no pass whatever the votes. */
    gov_tally(b, 5, 100, 11, 0.5, 0.5, &r);
    assert_false(r.quorum_met);
    assert_false(r.passed);
    /* Abstentions count for quorum but not for the majority: 3 for vs 1 against is 75%. */
    gov_tally(b, 5, 100, 10, 0.5, 0.75, &r);
    assert_false(r.passed); /* strictly more than 75% needed */
    gov_tally(b, 5, 100, 10, 0.5, 0.74, &r);
    assert_true(r.passed);
}

static void test_thresholds_and_ties(void **state) {
    (void)state;
    gov_ballot tie[2] = {bal(GOV_FOR, 1, 0), bal(GOV_AGAINST, 1, 0)};
    gov_result r;
    gov_tally(tie, 2, 0, 2, 0.0, 0.5, &r);
    assert_true(r.quorum_met);
    assert_false(r.passed); /* a tie does not pass a simple majority */
    gov_ballot two_thirds[3] = {bal(GOV_FOR, 1, 0), bal(GOV_FOR, 1, 0), bal(GOV_AGAINST, 1, 0)};
    gov_tally(two_thirds, 3, 0, 3, 0.0, 0.5, &r);
    assert_true(r.passed);
    gov_tally(two_thirds, 3, 0, 3, 0.0, 2.0 / 3.0, &r);
    assert_false(r.passed); /* exactly two thirds is not more than two thirds */
    gov_tally(two_thirds, 3, 0, 3, 0.0, 0.66, &r);
    assert_true(r.passed);
    /* Nobody voted: no quorum even at quorum 0. */
    gov_tally(NULL, 0, 0, 3, 0.0, 0.5, &r);
    assert_false(r.quorum_met);
    assert_false(r.passed);
}

static void test_token_weighted_tally(void **state) {
    (void)state;
    /* One holder of 60 tokens against two holders of 30 and 10: fails by weight although
     * the heads are two to one. */
    gov_ballot b[3] = {bal(GOV_AGAINST, 60, 0), bal(GOV_FOR, 30, 0), bal(GOV_FOR, 10, 0)};
    gov_result r;
    gov_tally(b, 3, 0, 200, 0.5, 0.5, &r);
    assert_int_equal(r.w_for, 40);
    assert_int_equal(r.w_against, 60);
    assert_true(r.quorum_met); /* 100 of 200 */
    assert_false(r.passed);
    gov_tally(b, 3, 0, 201, 0.5, 0.5, &r);
    assert_false(r.quorum_met);
    b[0].choice = GOV_ABSTAIN;
    gov_tally(b, 3, 0, 200, 0.5, 0.5, &r);
    assert_int_equal(r.w_abstain, 60);
    assert_true(r.passed);
}

static void test_quadratic(void **state) {
    (void)state;
    assert_int_equal(gov_quadratic_max_votes(0), 0);
    assert_int_equal(gov_quadratic_max_votes(1), 1);
    assert_int_equal(gov_quadratic_max_votes(24), 4);
    assert_int_equal(gov_quadratic_max_votes(25), 5);
    assert_int_equal(gov_quadratic_max_votes(99), 9);
    assert_int_equal(gov_quadratic_max_votes(100), 10);
    assert_int_equal(gov_quadratic_max_votes(1000000000000LL), 1000000);
    /* One member spending all 100 credits (10 votes) against three spending 9 each (3 votes):
     * 9 for vs 10 against. */
    gov_ballot b[4] = {bal(GOV_AGAINST, 10, 0), bal(GOV_FOR, 3, 0), bal(GOV_FOR, 3, 0),
                       bal(GOV_FOR, 3, 0)};
    gov_result r;
    gov_tally(b, 4, 0, 0, 0.0, 0.5, &r);
    assert_int_equal(r.w_for, 9);
    assert_false(r.passed);
    b[1].weight = 5; /* 25 credits: 11 for, 10 against */
    gov_tally(b, 4, 0, 0, 0.0, 0.5, &r);
    assert_true(r.passed);
}

static void test_late_votes_excluded(void **state) {
    (void)state;
    gov_ballot b[4] = {bal(GOV_FOR, 1, 50), bal(GOV_FOR, 1, 101), bal(GOV_AGAINST, 1, 100),
                       bal(GOV_FOR, 1, SIM_TIME_MAX)};
    gov_result r;
    gov_tally(b, 4, 100, 4, 0.0, 0.5, &r);
    assert_int_equal(r.n_late, 2);
    assert_int_equal(r.n_for, 1);
    assert_int_equal(r.n_against, 1);
    assert_false(r.passed); /* 1-1 once the late ones are out; 3-1 with them */
    gov_tally(b, 4, 200, 4, 0.0, 0.5, &r);
    assert_int_equal(r.n_late, 1);
    assert_true(r.passed);
}

static void test_power_measures(void **state) {
    (void)state;
    int64_t a[3] = {50, 30, 20};
    assert_int_equal(gov_nakamoto(a, 3), 2); /* 50 is not more than half of 100 */
    int64_t b[2] = {51, 49};
    assert_int_equal(gov_nakamoto(b, 2), 1);
    int64_t c[4] = {1, 1, 1, 1};
    assert_int_equal(gov_nakamoto(c, 4), 3);
    assert_float_equal(gov_power_gini(c, 4), 0.0, 1e-12);
    int64_t d[4] = {0, 0, 0, 7};
    assert_int_equal(gov_nakamoto(d, 4), 1);
    assert_float_equal(gov_power_gini(d, 4), 0.75, 1e-12);
    int64_t z[2] = {0, 0};
    assert_int_equal(gov_nakamoto(z, 2), 0);
    int64_t e[5] = {10, 20, 30, 40, 100}; /* sorted: 100 > 100 of 200? no; 140 > 100: 2 */
    assert_int_equal(gov_nakamoto(e, 5), 2);
    assert_true(isnan(gov_power_gini(e, 0)));
}

/* A full-time driver with 40 of 100 hours, 40 of 100 trips, 4000 of 10000 cents of fares. */
static gov_view full_timer(void) {
    gov_view v = {0};
    v.hours = 40;
    v.trips = 40;
    v.fares = 4000;
    v.driver = true;
    v.h_all = 100;
    v.t_all = 100;
    v.f_all = 10000;
    v.tokens = 0;
    v.tok_all = 100;
    v.members = 2;
    v.costs = 500;
    return v;
}

/* Governance parameters with the reserve valued at par (claims count in full). */
static gov_config par(void) {
    gov_config g;
    gov_config_defaults(&g);
    g.reserve_value = 1.0;
    return g;
}

static void test_payoff_formula(void **state) {
    (void)state;
    gov_config gc = par();
    plat_config c;
    plat_config_defaults(&c, PLAT_COOPERATIVE);
    c.commission = 0.20;
    c.reserve_share = 0.25;
    c.dividend_basis = PLAT_BASIS_HOURS;
    gov_view v = full_timer();
    /* pay 0.8 * 4000 = 3200; surplus 0.2 * 10000 - 500 = 1500; pool 1125, 40% = 450. */
    assert_float_equal(gov_payoff(&v, &c, &gc, 0.0), 3650.0, 1e-9);
    /* Commission 10%: pay 3600, surplus 500, pool 375, 40% = 150: 3750 > 3650. */
    plat_config cut = c;
    cut.commission = 0.10;
    assert_float_equal(gov_payoff(&v, &cut, &gc, 0.0), 3750.0, 1e-9);
    /* An outside backer with 60 of 100 tokens: claim on the reserve gain 0.25 * S. */
    gov_view b = v;
    b.driver = false;
    b.tokens = 60;
    assert_float_equal(gov_payoff(&b, &c, &gc, 0.0), 0.6 * 375.0, 1e-9);
    assert_float_equal(gov_payoff(&b, &cut, &gc, 0.0), 0.6 * 125.0, 1e-9);
    /* Basis by trips for a member with many idle hours (40 h, 10 of 100 trips): worse. */
    gov_view idle = v;
    idle.trips = 10;
    plat_config trips = c;
    trips.dividend_basis = PLAT_BASIS_TRIPS;
    assert_true(gov_payoff(&idle, &trips, &gc, 0) < gov_payoff(&idle, &c, &gc, 0));
    assert_float_equal(gov_payoff(&idle, &c, &gc, 0) - gov_payoff(&idle, &trips, &gc, 0),
                       1125.0 * (0.4 - 0.1), 1e-9);
    /* Pay floor of 100 cents/h: 40 h * 100 = 4000 > 3200 pay: top-up 800. */
    plat_config fl = c;
    fl.pay_floor_per_hour = 100;
    assert_float_equal(gov_payoff(&v, &fl, &gc, 0), 3650.0 + 800.0, 1e-9);
    /* A payout of 200 to 2 members: +100 to each driver, -200 from the reserve gain. */
    assert_float_equal(gov_payoff(&v, &c, &gc, 200), 3650.0 + 100.0, 1e-9);
    assert_float_equal(gov_payoff(&b, &c, &gc, 200), 0.6 * (375.0 - 200.0), 1e-9);
}

static void test_rider_payoff(void **state) {
    (void)state;
    gov_config gc = par();
    plat_config c;
    plat_config_defaults(&c, PLAT_COOPERATIVE);
    gov_view r = full_timer();
    r.driver = false;
    r.rider = true;
    r.riders = 4;
    /* Riders pay their share of the fares: 10000 / 4. */
    assert_float_equal(gov_payoff(&r, &c, &gc, 0.0), -2500.0, 1e-9);
    /* Surge adds riders' surplus, 3.57% of the fares (Castillo 2025): +357 / 4 each. */
    c.surge = true;
    assert_float_equal(gov_payoff(&r, &c, &gc, 0.0), -2500.0 + 357.0 / 4, 1e-9);
}

/* Surge as Castillo (2025) measured it: drivers lose 0.98% of their fares, the co-op 0.50% of
 * all fares, riders gain 3.57%. Drivers vote against switching it on, riders for. */
static void test_surge_reading(void **state) {
    (void)state;
    gov_config gc = par();
    assert_float_equal(gc.surge_drivers, -0.0098, 1e-12);
    assert_float_equal(gc.surge_coop, -0.0050, 1e-12);
    assert_float_equal(gc.surge_riders, 0.0357, 1e-12);
    plat_config c;
    plat_config_defaults(&c, PLAT_COOPERATIVE);
    c.commission = 0.20;
    c.reserve_share = 0.25;
    c.dividend_basis = PLAT_BASIS_HOURS;
    gov_view v = full_timer();
    plat_config on = c;
    on.surge = true;
    /* pay 3200 - 0.0098 * 4000; surplus 1500 - 0.005 * 10000 = 1450, pool 1087.5, 40%. */
    double want = 0.8 * 4000 - 0.0098 * 4000 + 0.4 * 0.75 * 1450 + 0.0;
    assert_float_equal(gov_payoff(&v, &on, &gc, 0.0), want, 1e-9);
    assert_true(gov_payoff(&v, &on, &gc, 0.0) < gov_payoff(&v, &c, &gc, 0.0));
}

static void test_values_parse_and_format(void **state) {
    (void)state;
    char buf[32];
    gov_format_value(GOV_R_COMMISSION, 0.125, buf, sizeof buf);
    assert_string_equal(buf, "12.5%");
    gov_format_value(GOV_R_PAY_FLOOR, 2786, buf, sizeof buf);
    assert_string_equal(buf, "27.86");
    gov_format_value(GOV_R_DIVIDEND_BASIS, 1, buf, sizeof buf);
    assert_string_equal(buf, "trips");
    gov_format_value(GOV_R_SURGE, 1, buf, sizeof buf);
    assert_string_equal(buf, "on");
    assert_string_equal(gov_rule_name(GOV_R_MEMBERSHIP_CAP), "membership_cap");
}

/* ---- a running co-op -------------------------------------------------------------------- */

/* Drivers online half the time, one trip and 15.00 of pay per online hour; members all. */
typedef struct fake {
    size_t n;
    double online_share[16];
    uint64_t tags[4096];
    size_t n_tags;
    sim_time late_by; /* odd-numbered votes become final this long after the close */
    gov *g;
    sim *s;
} fake;

static void activity(void *ctx, uint32_t d, sim_time now, gov_activity *out) {
    fake *f = ctx;
    out->member = true;
    out->online = (sim_time)((double)now * f->online_share[d]);
    out->trips = out->online / SIM_HOUR;
    out->pay = out->trips * 1500;
    out->metres = (double)out->trips * 5000.0;
}

static int submit(void *ctx, uint32_t member, uint32_t proposal, int choice, int64_t weight,
                  uint64_t tag) {
    (void)member, (void)choice, (void)weight;
    fake *f = ctx;
    const gov_proposal_info *p = gov_proposal(f->g, proposal);
    if (f->n_tags % 2 == 0)
        gov_vote_final(f->g, tag, sim_now(f->s));
    else
        gov_vote_final(f->g, tag, p->closes + f->late_by);
    if (f->n_tags < 4096) f->tags[f->n_tags] = tag;
    f->n_tags++;
    return 0;
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

static gov_scheduled sched[2];
static gov_backers backers[1];

typedef struct world {
    fake f;
    plat *p;
    gov *g;
    sim *s;
} world;

static void build(world *w, gov_config *gc, plat_config *pc, size_t n) {
    memset(&w->f, 0, sizeof w->f);
    w->f.n = n;
    for (size_t i = 0; i < n; i++)
        w->f.online_share[i] = 0.25 + 0.05 * (double)i;
    w->p = plat_new(pc, n, 1);
    assert_non_null(w->p);
    char err[200];
    w->g = gov_new(gc, w->p, "coop", n, 7, 0, activity, &w->f, err, sizeof err);
    assert_non_null(w->g);
    w->s = sim_new(64);
    w->f.g = w->g;
    w->f.s = w->s;
}

static void destroy(world *w) {
    gov_free(w->g);
    plat_free(w->p);
    sim_free(w->s);
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

static void test_change_applies_at_next_epoch(void **state) {
    (void)state;
    gov_config gc = quick(GOV_ONE_MEMBER);
    sched[0].at = 2 * SIM_DAY + 5 * SIM_HOUR;
    sched[0].rule = GOV_R_COMMISSION;
    sched[0].to = "10%";
    gc.proposals.items = sched;
    gc.proposals.n = 1;
    plat_config pc = coop();
    world w;
    build(&w, &gc, &pc, 8);
    gov_start(w.g, w.s, 10 * SIM_DAY);
    /* Voting 7h-8h on day 2, so the change applies at the start of day 3, not before. */
    sim_run(w.s, 3 * SIM_DAY - 1);
    assert_int_equal(plat_quote_trip(w.p, sim_now(w.s), 0, 0, 0).driver_pay, 750);
    const gov_proposal_info *p = gov_proposal(w.g, 0);
    assert_non_null(p);
    assert_true(p->decided);
    assert_true(p->r.passed);
    assert_int_equal(p->r.n_for, 8); /* every driver gains from the cut, noise off */
    assert_int_equal(p->applied_at, GOV_AWAITING_EPOCH);
    sim_run(w.s, 3 * SIM_DAY);
    assert_int_equal(p->applied_at, 3 * SIM_DAY);
    assert_int_equal(plat_quote_trip(w.p, sim_now(w.s), 0, 0, 0).driver_pay, 900);
    assert_float_equal(plat_get_config(w.p)->commission, 0.10, 1e-12);
    assert_float_equal(p->from, 0.25, 1e-12);
    destroy(&w);
}

static void test_delay_pushes_to_a_later_epoch(void **state) {
    (void)state;
    gov_config gc = quick(GOV_ONE_MEMBER);
    gc.delay = 2 * SIM_DAY;
    sched[0].at = SIM_DAY;
    sched[0].rule = GOV_R_DIVIDEND_BASIS;
    sched[0].to = "trips";
    gc.proposals.items = sched;
    gc.proposals.n = 1;
    gc.threshold = 0.0;   /* pass whatever the members think of it */
    gc.indifference = -1; /* nobody abstains */
    plat_config pc = coop();
    world w;
    build(&w, &gc, &pc, 4);
    gov_start(w.g, w.s, 10 * SIM_DAY);
    sim_run(w.s, 10 * SIM_DAY);
    const gov_proposal_info *p = gov_proposal(w.g, 0);
    /* Closes at day 1 + 2h; + 2 days delay = day 3 + 2h; next boundary: day 4. */
    assert_true(p->r.passed);
    assert_int_equal(p->applied_at, 4 * SIM_DAY);
    assert_int_equal(plat_get_config(w.p)->dividend_basis, PLAT_BASIS_TRIPS);
    destroy(&w);
}

/* A change that passes so late that its epoch comes after the end of the run is reported as
 * passed and due, not applied, and the rules keep their value. */
static void test_passed_not_yet_applied(void **state) {
    (void)state;
    gov_config gc = quick(GOV_ONE_MEMBER);
    gc.delay = 2 * SIM_DAY;
    sched[0].at = 5 * SIM_DAY;
    sched[0].rule = GOV_R_COMMISSION;
    sched[0].to = "12%";
    gc.proposals.items = sched;
    gc.proposals.n = 1;
    gc.threshold = 0.0;
    gc.indifference = -1;
    plat_config pc = coop();
    world w;
    build(&w, &gc, &pc, 4);
    gov_start(w.g, w.s, 6 * SIM_DAY);
    sim_run(w.s, 6 * SIM_DAY);
    gov_finish(w.g, 6 * SIM_DAY);
    const gov_proposal_info *p = gov_proposal(w.g, 0);
    /* Closes at day 5 + 2h, + 2 days: due at day 8, after the end (day 6). */
    assert_true(p->r.passed);
    assert_int_equal(p->applied_at, GOV_NOT_APPLIED);
    assert_int_equal(p->due_at, 8 * SIM_DAY);
    assert_string_equal(gov_proposal_status(p, 6 * SIM_DAY), "passed_pending");
    assert_float_equal(plat_get_config(w.p)->commission, 0.25, 1e-12);
    char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    assert_int_equal(gov_write_csv(w.g, 0, f, false), 0);
    fclose(f);
    /* ...,passed,applied_s,status,due_s: passed 1, applied_s empty, due at 691200 s. */
    assert_non_null(strstr(buf, ",1,,passed_pending,691200,,,,,"));
    json_t *j = gov_summary_json(w.g);
    assert_int_equal(json_integer_value(json_object_get(j, "passed_pending")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "applied")), 0);
    json_decref(j);
    destroy(&w);
}

static void test_backers_block_under_token_voting(void **state) {
    (void)state;
    for (int voting = GOV_ONE_MEMBER; voting <= GOV_TOKEN; voting++) {
        gov_config gc = quick(voting);
        sched[0].at = SIM_DAY;
        sched[0].rule = GOV_R_COMMISSION;
        sched[0].to = "10%";
        gc.proposals.items = sched;
        gc.proposals.n = 1;
        backers[0].count = 2;
        backers[0].tokens = 1000000;
        backers[0].drivers = false;
        gc.backers.items = backers;
        gc.backers.n = 1;
        plat_config pc = coop();
        world w;
        build(&w, &gc, &pc, 8);
        gov_start(w.g, w.s, 3 * SIM_DAY);
        sim_run(w.s, 3 * SIM_DAY);
        const gov_proposal_info *p = gov_proposal(w.g, 0);
        assert_int_equal(gov_member_count(w.g), 10);
        assert_int_equal(p->eligible, 10);
        assert_int_equal(p->r.n_for, 8);
        assert_int_equal(p->r.n_against, 2); /* the backers lose their claim on the reserve */
        if (voting == GOV_ONE_MEMBER) {
            assert_true(p->r.passed);
            assert_float_equal(plat_get_config(w.p)->commission, 0.10, 1e-12);
        } else {
            assert_false(p->r.passed);
            assert_int_equal(p->r.w_against, 2000000);
            assert_float_equal(plat_get_config(w.p)->commission, 0.25, 1e-12);
        }
        json_t *j = gov_summary_json(w.g);
        int64_t nak = json_integer_value(json_object_get(j, "nakamoto_coefficient"));
        assert_int_equal(nak, voting == GOV_TOKEN ? 2 : 6);
        json_decref(j);
        destroy(&w);
    }
}

static void test_quadratic_in_a_run(void **state) {
    (void)state;
    gov_config gc = quick(GOV_QUADRATIC);
    gc.credits = 50; /* at most 7 votes */
    gc.noise = 0.3;  /* strong, varied feelings */
    sched[0].at = SIM_DAY;
    sched[0].rule = GOV_R_COMMISSION;
    sched[0].to = "10%";
    gc.proposals.items = sched;
    gc.proposals.n = 1;
    backers[0].count = 3;
    backers[0].tokens = 1000000;
    backers[0].drivers = false;
    gc.backers.items = backers;
    gc.backers.n = 1;
    plat_config pc = coop();
    world w;
    build(&w, &gc, &pc, 12);
    gov_start(w.g, w.s, 3 * SIM_DAY);
    sim_run(w.s, 3 * SIM_DAY);
    const gov_proposal_info *p = gov_proposal(w.g, 0);
    /* Tokens buy nothing: the quorum base is the 15 members, and no ballot exceeds 7 votes. */
    assert_int_equal(p->eligible, 15);
    assert_int_equal(p->eligible_weight, 15);
    int64_t ballots = p->r.n_for + p->r.n_against;
    assert_true(ballots > 0);
    assert_true(p->r.w_for + p->r.w_against <= 7 * ballots);
    assert_true(p->r.w_for + p->r.w_against > ballots); /* some bought more than one vote */
    assert_int_equal(gov_weight(w.g, 13), 7);
    destroy(&w);
}

static void test_rider_class_and_seat_cap(void **state) {
    (void)state;
    for (int capped = 0; capped <= 1; capped++) {
        gov_config gc = quick(GOV_ONE_MEMBER);
        sched[0].at = SIM_DAY;
        sched[0].rule = GOV_R_SURGE;
        sched[0].to = "on";
        gc.proposals.items = sched;
        gc.proposals.n = 1;
        gc.rider_members = 12;
        gc.rider_seat_cap = capped ? 0.25 : 1.0;
        plat_config pc = coop();
        world w;
        build(&w, &gc, &pc, 4);
        gov_start(w.g, w.s, 3 * SIM_DAY);
        sim_run(w.s, 3 * SIM_DAY);
        const gov_proposal_info *p = gov_proposal(w.g, 0);
        assert_int_equal(gov_member_count(w.g), 16);
        /* Castillo (2025): surge costs drivers (-0.98% of their fares) and the co-op (-0.50%),
         * riders gain (+3.57%): drivers vote against, riders for. */
        assert_int_equal(p->r.n_for, 12);
        assert_int_equal(p->r.n_against, 4);
        assert_int_equal(p->r.w_against, 4000);
        assert_int_equal(gov_weight(w.g, 0), 1000);
        if (!capped) {
            assert_int_equal(p->r.w_for, 12000);
            assert_true(p->r.passed);
            assert_true(plat_get_config(w.p)->surge);
        } else {
            /* Riders hold at most 25%: 1/3 of the drivers' 4000, i.e. 111 each. */
            assert_int_equal(gov_weight(w.g, 4), 111);
            assert_int_equal(p->r.w_for, 12 * 111);
            assert_false(p->r.passed);
            assert_false(plat_get_config(w.p)->surge);
        }
        destroy(&w);
    }
}

static void test_chain_votes_final_after_close_do_not_count(void **state) {
    (void)state;
    gov_config gc = quick(GOV_ONE_MEMBER);
    sched[0].at = SIM_DAY;
    sched[0].rule = GOV_R_COMMISSION;
    sched[0].to = "10%";
    gc.proposals.items = sched;
    gc.proposals.n = 1;
    plat_config pc = coop();
    world w;
    build(&w, &gc, &pc, 9);
    gov_set_submit(w.g, submit, &w.f);
    w.f.late_by = 1;
    gov_start(w.g, w.s, 3 * SIM_DAY);
    sim_run(w.s, 3 * SIM_DAY);
    const gov_proposal_info *p = gov_proposal(w.g, 0);
    assert_int_equal(w.f.n_tags, 9);
    assert_int_equal(p->r.n_late, 4);
    assert_int_equal(p->r.n_for, 5);
    /* 5 of 9 counted: quorum 50% still met. */
    assert_true(p->r.quorum_met);
    destroy(&w);
}

static void run_record(int voting, char *buf, size_t len) {
    gov_config gc = quick(voting);
    gc.turnout = 0.6;
    gc.noise = 0.05;
    gc.raise = true;
    gc.aspiration = 100000; /* everyone is disappointed: members raise proposals */
    gc.proposal_threshold = 0;
    plat_config pc = coop();
    world w;
    build(&w, &gc, &pc, 12);
    gov_start(w.g, w.s, 20 * SIM_DAY);
    sim_run(w.s, 20 * SIM_DAY);
    gov_finish(w.g, 20 * SIM_DAY);
    FILE *f = fmemopen(buf, len, "w");
    assert_non_null(f);
    assert_int_equal(gov_write_csv(w.g, 0, f, true), 0);
    assert_int_equal(gov_write_rules_csv(w.g, 0, f, true), 0);
    fclose(f);
    assert_true(gov_proposal_count(w.g) >= 5);
    assert_true(gov_proposal(w.g, 0)->proposer >= 0);
    destroy(&w);
}

static void test_determinism_and_raised_proposals(void **state) {
    (void)state;
    static char a[65536], b[65536];
    for (int voting = GOV_ONE_MEMBER; voting <= GOV_QUADRATIC; voting++) {
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        run_record(voting, a, sizeof a);
        run_record(voting, b, sizeof b);
        assert_true(strlen(a) > 200);
        assert_string_equal(a, b);
    }
}

static void test_bad_value_rejected(void **state) {
    (void)state;
    gov_config gc = quick(GOV_ONE_MEMBER);
    sched[0].at = SIM_DAY;
    sched[0].rule = GOV_R_COMMISSION;
    sched[0].to = "12 percent";
    gc.proposals.items = sched;
    gc.proposals.n = 1;
    plat_config pc = coop();
    plat *p = plat_new(&pc, 2, 1);
    char err[200] = "";
    assert_null(gov_new(&gc, p, "coop", 2, 1, 0, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "proposals[0].to"));
    plat_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_member_tally),
        cmocka_unit_test(test_thresholds_and_ties),
        cmocka_unit_test(test_token_weighted_tally),
        cmocka_unit_test(test_quadratic),
        cmocka_unit_test(test_late_votes_excluded),
        cmocka_unit_test(test_power_measures),
        cmocka_unit_test(test_payoff_formula),
        cmocka_unit_test(test_rider_payoff),
        cmocka_unit_test(test_surge_reading),
        cmocka_unit_test(test_values_parse_and_format),
        cmocka_unit_test(test_change_applies_at_next_epoch),
        cmocka_unit_test(test_delay_pushes_to_a_later_epoch),
        cmocka_unit_test(test_passed_not_yet_applied),
        cmocka_unit_test(test_backers_block_under_token_voting),
        cmocka_unit_test(test_quadratic_in_a_run),
        cmocka_unit_test(test_rider_class_and_seat_cap),
        cmocka_unit_test(test_chain_votes_final_after_close_do_not_count),
        cmocka_unit_test(test_determinism_and_raised_proposals),
        cmocka_unit_test(test_bad_value_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
