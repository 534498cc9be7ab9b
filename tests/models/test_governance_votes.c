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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drivers online from 5% to 59% of the time (the first ones occasional), one trip and 15.00 per hour. */
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
    assert_int_equal(gov_write_votes_csv(g, f, true), 0);
    fclose(f);
    f = fmemopen(props, plen, "w");
    assert_non_null(f);
    assert_int_equal(gov_write_csv(g, f, false), 0);
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
        if (strncmp(line, "platform,", 9) == 0) continue;
        char *fd[16];
        assert_int_equal(split(line, fd, 16), 14);
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
        assert_int_equal(atoi(fd[14]), n_for[p]);
        assert_int_equal(atoi(fd[15]), n_against[p]);
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
        if (strncmp(line, "platform,", 9) == 0) continue;
        char *fd[16];
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choice_is_the_sign_of_the_stated_payoff),
        cmocka_unit_test(test_noise_shows_in_what_they_acted_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
