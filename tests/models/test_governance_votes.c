/* Tests of what governance says about each vote (votes.csv): one row per eligible member and
 * proposal, member classes, and, with noise off, every choice is the sign of the payoff change
 * the member states; the rows add up to governance.csv's counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/governance/governance.h"
#include "models/platform/platform.h"
#include "sim/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drivers online from 5% to 59% of the time (the first ones occasional), one trip and 15.00 per
 * hour. */
static void activity(void *ctx, uint32_t d, sim_time now, gov_activity *out) {
    (void)ctx;
    out->member = true;
    out->online = (sim_time)((double)now * (0.05 + 0.06 * (double)d));
    out->trips = out->online / SIM_HOUR;
    out->pay = out->trips * 1500;
    out->metres = (double)out->trips * 5000.0;
}

static gov_scheduled sched[4];
static gov_backers backers[2];

/* Writes votes.csv of a run with 10 drivers (2 founders), 2 outside backers and 3 rider
 * members voting on a commission cut, a rise, a dividend basis and surge. */
static int turnout_model = GOV_TURNOUT_FIXED;
static int64_t vote_cost = 430;
static double informed = 1.0;

static void run(char *votes, size_t vlen, char *props, size_t plen, double noise) {
    gov_config gc;
    gov_config_defaults(&gc);
    gc.enabled = true;
    gc.review = SIM_HOUR;
    gc.window = SIM_HOUR;
    gc.delay = 0;
    gc.turnout = 1.0;
    gc.noise = noise;
    gc.indifference = 0;
    gc.quorum = 0;
    gc.rider_members = 3;
    gc.turnout_model = turnout_model;
    gc.vote_cost = vote_cost;
    gc.informed = informed;
    static const char *const to[4] = {"10%", "30%", "revenue", "on"};
    static const int rule[4] = {GOV_R_COMMISSION, GOV_R_COMMISSION, GOV_R_DIVIDEND_BASIS,
                                GOV_R_SURGE};
    for (int i = 0; i < 4; i++) {
        memset(&sched[i], 0, sizeof sched[i]);
        sched[i].at = (sim_time)(2 + 2 * i) * SIM_DAY;
        sched[i].rule = rule[i];
        sched[i].to = (char *)to[i];
    }
    gc.proposals.items = sched;
    gc.proposals.n = 4;
    backers[0] = (gov_backers){.count = 2, .tokens = 5000, .drivers = true};
    backers[1] = (gov_backers){.count = 2, .tokens = 100000, .drivers = false};
    gc.backers.items = backers;
    gc.backers.n = 2;
    plat_config pc;
    plat_config_defaults(&pc, PLAT_COOPERATIVE);
    pc.commission = 0.20;
    pc.cost_per_trip = 0;
    plat *p = plat_new(&pc, 10, 1);
    assert_non_null(p);
    char err[200];
    gov *g = gov_new(&gc, p, "coop", 10, 3, 0, activity, NULL, err, sizeof err);
    assert_non_null(g);
    sim *s = sim_new(64);
    gov_start(g, s, 10 * SIM_DAY);
    sim_run(s, 10 * SIM_DAY);
    gov_finish(g, 10 * SIM_DAY);
    FILE *f = fmemopen(votes, vlen, "w");
    assert_non_null(f);
    assert_int_equal(gov_write_votes_csv(g, 0, f, true), 0);
    fclose(f);
    f = fmemopen(props, plen, "w");
    assert_non_null(f);
    assert_int_equal(gov_write_csv(g, 0, f, false), 0);
    fclose(f);
    gov_free(g);
    plat_free(p);
    sim_free(s);
}

/* Splits a CSV line without quotes into at most n fields. */
static size_t split(char *line, char **field, size_t n) {
    size_t k = 0;
    field[k++] = line;
    for (char *c = line; *c && k < n; c++)
        if (*c == ',') {
            *c = '\0';
            field[k++] = c + 1;
        }
    return k;
}

static void test_choice_is_the_sign_of_the_stated_payoff(void **state) {
    (void)state;
    static char votes[65536], props[8192];
    run(votes, sizeof votes, props, sizeof props, 0.0);
    int rows = 0, n_for[4] = {0}, n_against[4] = {0}, classes[5] = {0};
    static const char *const cls[5] = {"founder", "full_time_driver", "occasional_driver", "backer",
                                       "rider"};
    char *save = NULL;
    for (char *line = strtok_r(votes, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "run,", 4) == 0) continue;
        assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column */
        line += 2;
        char *fd[20];
        assert_int_equal(split(line, fd, 20), 17);
        int prop = atoi(fd[1]);
        double rel = strtod(fd[10], NULL), x = strtod(fd[11], NULL);
        assert_true(rel == x); /* noise off: what it acted on is what it states */
        const char *want = rel > 0 ? "for" : rel < 0 ? "against" : "abstain";
        if (strcmp(fd[6], want) != 0)
            fail_msg("proposal %d member %s: %s with %g", prop, fd[3], fd[6], rel);
        assert_string_equal(fd[5], "1");
        n_for[prop] += strcmp(fd[6], "for") == 0;
        n_against[prop] += strcmp(fd[6], "against") == 0;
        for (int k = 0; k < 5; k++)
            classes[k] += prop == 0 && strcmp(fd[4], cls[k]) == 0;
        rows++;
    }
    assert_int_equal(rows, 4 * 15); /* 10 drivers, 2 backers, 3 riders, 4 proposals */
    assert_int_equal(classes[0], 2);
    assert_int_equal(classes[1] + classes[2], 8);
    assert_true(classes[1] > 0 && classes[2] > 0);
    assert_int_equal(classes[3], 2);
    assert_int_equal(classes[4], 3);
    /* The cut: drivers for (a founder driving little may lose more on its token claim than it
     * gains in pay), backers against; surge: riders for, drivers against. */
    assert_true(n_for[0] >= 8);
    assert_true(n_against[0] >= 2);
    assert_int_equal(n_for[0] + n_against[0], 12);
    assert_int_equal(n_for[3], 3);
    assert_true(n_against[3] >= 10);
    /* The rows add up to governance.csv's votes_for and votes_against. */
    int p = 0;
    for (char *line = strtok_r(props, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *fd[40];
        assert_true(split(line, fd, 40) >= 20);
        assert_int_equal(atoi(fd[15]), n_for[p]); /* after the run column */
        assert_int_equal(atoi(fd[16]), n_against[p]);
        p++;
    }
    assert_int_equal(p, 4);
}

/* With noise, what a member acted on differs from what it states, and its choice follows the
 * former. */
static void test_noise_shows_in_what_they_acted_on(void **state) {
    (void)state;
    static char votes[65536], props[8192];
    run(votes, sizeof votes, props, sizeof props, 0.05);
    int differ = 0, rows = 0;
    char *save = NULL;
    for (char *line = strtok_r(votes, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "run,", 4) == 0) continue;
        assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column */
        line += 2;
        char *fd[20];
        split(line, fd, 16);
        double rel = strtod(fd[10], NULL), x = strtod(fd[11], NULL);
        differ += rel != x;
        const char *want = x > 0 ? "for" : x < 0 ? "against" : "abstain";
        assert_string_equal(fd[6], want);
        rows++;
    }
    assert_int_equal(rows, 60);
    assert_true(differ > 50);
}

/* Turnout by stake: each member's probability is informed * stake / (stake + cost) with the
 * stake its perceived change in money; members with more at stake turn out more. */
static void test_turnout_follows_the_stake(void **state) {
    (void)state;
    static char votes[65536], props[8192];
    turnout_model = GOV_TURNOUT_STAKE;
    informed = 0.8;
    for (int c = 0; c < 3; c++) {
        vote_cost = c == 0 ? 0 : c == 1 ? 430 : 100000000;
        run(votes, sizeof votes, props, sizeof props, 0.0);
        int voted = 0, rows = 0;
        double p_big = 0, p_small = 0;
        int n_big = 0, n_small = 0;
        char *save = NULL;
        for (char *line = strtok_r(votes, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            if (strncmp(line, "run,", 4) == 0) continue;
            assert_int_equal(strncmp(line, "0,", 2), 0); /* the run column */
            line += 2;
            char *fd[20];
            assert_int_equal(split(line, fd, 20), 17);
            double stake = fabs(strtod(fd[9], NULL)) * 100, p = strtod(fd[14], NULL);
            /* The stake is written to the cent: p lies between its values half a cent off. */
            double vc = (double)vote_cost, lo = stake > 0.5 ? stake - 0.5 : 0, hi = stake + 0.5;
            if (stake > 0) {
                assert_true(p >= 0.8 * lo / (lo + vc) - 1e-4);
                assert_true(p <= 0.8 * hi / (hi + vc) + 1e-4);
            } else {
                assert_true(p == 0);
            }
            voted += strcmp(fd[5], "1") == 0;
            if (stake > 1000) p_big += p, n_big++;
            if (stake > 0 && stake < 100) p_small += p, n_small++;
            rows++;
        }
        assert_int_equal(rows, 60);
        if (c == 0) assert_true(voted > 30 && voted < 60); /* informed: 80% of those at stake */
        if (c == 2) assert_int_equal(voted, 0);            /* voting costs more than any stake */
        if (c == 1) {
            assert_true(n_big > 0 && n_small > 0);
            assert_true(p_big / n_big > 0.5 && p_small / n_small < 0.2);
        }
    }
    turnout_model = GOV_TURNOUT_FIXED;
    informed = 1.0;
    vote_cost = 430;
}

/* ---- members who look ahead ------------------------------------------------------------ */

/* A driver with 40 of 100 hours and trips, 4000 of 10000 cents of fares over 10 days; costs
 * 500; reserve 3000, and 3000 in cash. */
static gov_view driver_view(void) {
    gov_view v = {0};
    v.hours = 40;
    v.trips = 40;
    v.fares = 4000;
    v.driver = true;
    v.h_all = 100;
    v.t_all = 100;
    v.f_all = 10000;
    v.tok_all = 100;
    v.members = 2;
    v.costs = 500;
    v.days = 10;
    v.reserve = 3000;
    v.cash = 3000; /* all of it in the bank, no credit line */
    return v;
}

static void test_value_over_a_horizon(void **state) {
    (void)state;
    gov_config gc;
    gov_config_defaults(&gc);
    gc.reserve_value = 1.0;
    gc.discount = 0.0;
    plat_config c;
    plat_config_defaults(&c, PLAT_COOPERATIVE);
    c.commission = 0.20;
    c.reserve_share = 0.25;
    c.dividend_basis = PLAT_BASIS_HOURS;
    gov_view v = driver_view();
    /* No horizon: the window's payoff. pay 3200 + 40% of pool 1125 = 3650. */
    v.horizon = 0;
    assert_float_equal(gov_value(&v, &c, &gc, 0), 3650.0, 1e-9);
    /* 30 days ahead, no discount, the co-op in surplus: 365 a day for 30 days. */
    v.horizon = 30;
    assert_float_equal(gov_value(&v, &c, &gc, 0), 365.0 * 30, 1e-6);
    /* Discounted at 5% a year: the annuity factor (1 - e^{-k 30}) / k, k = ln 1.05 / 365. */
    gc.discount = 0.05;
    double k = log(1.05) / 365;
    assert_float_equal(gov_value(&v, &c, &gc, 0), 365.0 * (1 - exp(-k * 30)) / k, 1e-6);
    gc.discount = 0.0;
    /* A cut to 2%: surplus 200 - 500 = -300 over 10 days, -30 a day; the reserve of 3000
     * lasts 100 days, beyond a 30-day horizon: pay 3920 / 10 a day for 30 days. */
    plat_config cut = c;
    cut.commission = 0.02;
    assert_float_equal(gov_value(&v, &cut, &gc, 0), 392.0 * 30, 1e-6);
    assert_true(gov_value(&v, &cut, &gc, 0) > gov_value(&v, &c, &gc, 0));
    /* With a 300 reserve it lasts 10 days; then the driver earns 75% of its fares elsewhere:
     * 392 * 10 + 300 * 20 = 9920 < 10950: looking ahead, the driver refuses the cut that the
     * window alone would have it take. */
    v.reserve = 300;
    v.cash = 300;
    assert_float_equal(gov_value(&v, &cut, &gc, 0), 392.0 * 10 + 300.0 * 20, 1e-6);
    assert_true(gov_value(&v, &cut, &gc, 0) < gov_value(&v, &c, &gc, 0));
    v.horizon = 0;
    assert_true(gov_value(&v, &cut, &gc, 0) > gov_value(&v, &c, &gc, 0));
    /* A payout of 200 (members 2): +100 now to a driver, and a reserve of 100 left. */
    v.horizon = 30;
    assert_float_equal(gov_value(&v, &c, &gc, 200), 365.0 * 30 + 100.0, 1e-6);
    /* A payout larger than the reserve pays what there is: 300, 150 each. */
    assert_float_equal(gov_value(&v, &c, &gc, 1000), 365.0 * 30 + 150.0, 1e-6);
}

/* The survival term reads the books: cash plus unused credit against the net cash flow the
 * rules leave after loan repayments; with day-to-day variability, the first-passage risk. */
static void test_outlook_reads_the_books(void **state) {
    (void)state;
    gov_config gc;
    gov_config_defaults(&gc);
    plat_config c;
    plat_config_defaults(&c, PLAT_COOPERATIVE);
    c.commission = 0.02;
    c.reserve_share = 0.25;
    gov_view v = driver_view();
    v.horizon = 90;
    v.credit_limit = 1000;
    v.principal = 100; /* 10 a day of loan principal */
    gov_outlook o;
    gov_outlook_of(&v, &c, &gc, 0, &o);
    /* surplus 200 - 500 = -300 over 10 days: -30 a day, -40 with the principal; 4000 liquid */
    assert_float_equal(o.liquid, 4000, 1e-9);
    assert_float_equal(o.mu, -40, 1e-9);
    assert_float_equal(o.runway, 100, 1e-9);
    assert_float_equal(o.risk, 0, 0); /* 100 days > 90, and nothing varies */
    v.horizon = 120;
    gov_outlook_of(&v, &c, &gc, 0, &o);
    assert_float_equal(o.risk, 1, 0);
    /* A payout of 500 comes out of cash: 3500 liquid, 87.5 days. */
    gov_outlook_of(&v, &c, &gc, 500, &o);
    assert_float_equal(o.runway, 87.5, 1e-9);
    /* No drift, sd 200 a day (var_o): P(min over [0, t] <= -L) = 2 Phi(-L / (sd sqrt t)),
     * the reflection principle: L 4000, t 100: 2 Phi(-2) = 0.0455003. */
    c.commission = 0.05; /* surplus 0 */
    v.principal = 0;
    v.var_o = 200.0 * 200.0;
    v.horizon = 100;
    gov_outlook_of(&v, &c, &gc, 0, &o);
    assert_float_equal(o.mu, 0, 1e-9);
    assert_float_equal(o.sigma, 200, 1e-9);
    assert_float_equal(o.risk, 0.0455003, 1e-6);
    /* The fares' variance scales with the commission squared: sigma^2 = c^2 var_f + var_o. */
    v.var_o = 0;
    v.var_f = 4000.0 * 4000.0;
    gov_outlook_of(&v, &c, &gc, 0, &o);
    assert_float_equal(o.sigma, 200, 1e-9);
    /* The value weighs the survival curve: pay 380 a day while solvent, 300 (75% of its fares
     * elsewhere) after: 300 * 100 + 80 * int_0^100 P(solvent), with P(solvent at 100) =
     * 0.9545, so strictly between 300 * 100 + 80 * 95.45 and 380 * 100. */
    gc.discount = 0;
    double val = gov_value(&v, &c, &gc, 0);
    assert_true(val > 30000 + 80 * 95.45 && val < 38000);
}

/* In a running co-op that has built no reserve, a cut to 1% leaves a deficit: members who look
 * 90 days ahead vote it down, members who judge their last week pass it. */
static void test_forward_looking_members_refuse_insolvency(void **state) {
    (void)state;
    for (int ahead = 0; ahead <= 1; ahead++) {
        gov_config gc;
        gov_config_defaults(&gc);
        gc.enabled = true;
        gc.review = SIM_HOUR;
        gc.window = SIM_HOUR;
        gc.delay = 0;
        gc.turnout = 1.0;
        gc.noise = 0;
        gc.quorum = 0;
        gc.horizon = ahead ? 90 * SIM_DAY : 0;
        memset(&sched[0], 0, sizeof sched[0]);
        sched[0].at = 8 * SIM_DAY;
        sched[0].rule = GOV_R_COMMISSION;
        sched[0].to = "1%";
        gc.proposals.items = sched;
        gc.proposals.n = 1;
        plat_config pc;
        plat_config_defaults(&pc, PLAT_COOPERATIVE);
        pc.commission = 0.25;
        pc.cost_per_trip = 0;
        pc.fixed_cost_per_day = 5000;
        plat *p = plat_new(&pc, 6, 1);
        char err[200];
        gov *g = gov_new(&gc, p, "coop", 6, 3, 0, activity, NULL, err, sizeof err);
        assert_non_null(g);
        sim *s = sim_new(64);
        gov_start(g, s, 10 * SIM_DAY);
        sim_run(s, 10 * SIM_DAY);
        const gov_proposal_info *pr = gov_proposal(g, 0);
        if (ahead) {
            assert_int_equal(pr->r.n_against, 6);
            assert_false(pr->r.passed);
        } else {
            assert_int_equal(pr->r.n_for, 6);
            assert_true(pr->r.passed);
        }
        gov_free(g);
        plat_free(p);
        sim_free(s);
    }
}

/* A member's deposit: driver 0 raises a cut to 1% with a 50.00 deposit, and members who look
 * ahead refuse it 0-6. Support 0 is below the default 33.4%: the deposit is forfeited into
 * the co-op's cash and reserve, and driver 0's income falls by it; with min_support 0 the same
 * vote refunds it. Either way paid = refunded + forfeited + held, and the books add up. */
static void raise_cut(sim *s, void *target, uint64_t data) {
    (void)s;
    (void)data;
    char err[200];
    assert_int_equal(gov_propose(target, GOV_R_COMMISSION, "1%", 0, err, sizeof err), 0);
}

static void test_deposit_forfeited_or_refunded(void **state) {
    (void)state;
    for (int refund = 0; refund <= 1; refund++) {
        gov_config gc;
        gov_config_defaults(&gc);
        gc.enabled = true;
        gc.review = SIM_HOUR;
        gc.window = SIM_HOUR;
        gc.delay = 0;
        gc.turnout = 1.0;
        gc.noise = 0;
        gc.quorum = 0;
        gc.horizon = 90 * SIM_DAY;
        gc.deposit = 5000;
        if (refund) gc.deposit_support = 0;
        plat_config pc;
        plat_config_defaults(&pc, PLAT_COOPERATIVE);
        pc.commission = 0.25;
        pc.cost_per_trip = 0;
        pc.fixed_cost_per_day = 5000;
        plat *p = plat_new(&pc, 6, 1);
        char err[200];
        gov *g = gov_new(&gc, p, "coop", 6, 3, 0, activity, NULL, err, sizeof err);
        assert_non_null(g);
        sim *s = sim_new(64);
        gov_start(g, s, 10 * SIM_DAY);
        sim_schedule(s, 8 * SIM_DAY, raise_cut, g, 0);
        sim_run(s, 10 * SIM_DAY);
        const gov_proposal_info *pr = gov_proposal(g, 0);
        assert_int_equal(pr->proposer, 0);
        assert_int_equal(pr->r.n_against, 6);
        gov_deposits d;
        gov_deposit_totals(g, &d);
        assert_int_equal(d.paid, 5000);
        assert_int_equal(d.paid, d.refunded + d.forfeited + d.held);
        assert_int_equal(d.raised_by_members, 1);
        plat_totals t;
        plat_get_totals(p, &t);
        if (refund) {
            assert_int_equal(pr->deposit_state, GOV_DEPOSIT_REFUNDED);
            assert_int_equal(d.refunded, 5000);
            assert_int_equal(t.deposits_forfeited, 0);
            assert_int_equal(plat_driver_income(p, 0), 0);
        } else {
            assert_int_equal(pr->deposit_state, GOV_DEPOSIT_FORFEITED);
            assert_int_equal(d.forfeited, 5000);
            assert_int_equal(t.deposits_forfeited, 5000);
            assert_int_equal(t.reserve, 5000);
            assert_int_equal(plat_driver_income(p, 0), -5000);
        }
        assert_int_equal(plat_conservation_error(p), 0);
        gov_free(g);
        plat_free(p);
        sim_free(s);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choice_is_the_sign_of_the_stated_payoff),
        cmocka_unit_test(test_noise_shows_in_what_they_acted_on),
        cmocka_unit_test(test_turnout_follows_the_stake),
        cmocka_unit_test(test_value_over_a_horizon),
        cmocka_unit_test(test_outlook_reads_the_books),
        cmocka_unit_test(test_forward_looking_members_refuse_insolvency),
        cmocka_unit_test(test_deposit_forfeited_or_refunded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
