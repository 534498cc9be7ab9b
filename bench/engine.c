/* Benchmark of the event engine: an M/M/1 queue (with GSL's and the ziggurat exponential),
 * the classic hold model with 10^6 pending events, and a cancellation-heavy hold variant. */
#include "sim/engine.h"
#include "sim/rand.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RUNS 101

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The RNG draw is part of what is measured: a real model draws at least one variate per
 * event, so an engine figure without it would flatter the engine. */
static sim_time draw_exp(gsl_rng *r, double mean_us) {
    return (sim_time)(gsl_ran_exponential(r, mean_us) + 0.5);
}

static void stop_hook(sim *s, void *ctx) {
    sim_request_stop(s);
}

/* ---- M/M/1: arrival rate 0.9/s, service rate 1/s, times in microseconds. */

typedef enum { DRAW_GSL, DRAW_ZIGGURAT, DRAW_PRE } draw_kind;

#define PRE_DRAWS (1u << 20)
/* Unit exponentials drawn before the clock starts, used cyclically by DRAW_PRE. */
static double predrawn[PRE_DRAWS];

typedef struct {
    gsl_rng *r;
    draw_kind draw;
    size_t pre_next;
    double mean_arrival_us, mean_service_us;
    uint64_t in_system;
    sim_time last_change;
    double area_in_system; /* integral of the number in system over time (us) */
    double busy_time;
} mm1;

static void mm1_account(mm1 *m, sim_time now) {
    double dt = (double)(now - m->last_change);
    m->area_in_system += dt * (double)m->in_system;
    if (m->in_system > 0) m->busy_time += dt;
    m->last_change = now;
}

static sim_time mm1_draw(mm1 *m, double mean_us) {
    switch (m->draw) {
    case DRAW_PRE:
        return (sim_time)(mean_us * predrawn[m->pre_next++ & (PRE_DRAWS - 1)] + 0.5);
    case DRAW_ZIGGURAT:
        return (sim_time)(sim_rand_exponential(m->r, mean_us) + 0.5);
    default:
        return draw_exp(m->r, mean_us);
    }
}

static void mm1_departure(sim *s, void *target, uint64_t data);

static void mm1_arrival(sim *s, void *target, uint64_t data) {
    mm1 *m = target;
    mm1_account(m, sim_now(s));
    sim_schedule_in(s, mm1_draw(m, m->mean_arrival_us), mm1_arrival, m, 0);
    if (++m->in_system == 1)
        sim_schedule_in(s, mm1_draw(m, m->mean_service_us), mm1_departure, m, 0);
}

static void mm1_departure(sim *s, void *target, uint64_t data) {
    mm1 *m = target;
    mm1_account(m, sim_now(s));
    if (--m->in_system > 0)
        sim_schedule_in(s, mm1_draw(m, m->mean_service_us), mm1_departure, m, 0);
}

static double run_mm1(uint64_t events, unsigned long seed, draw_kind draw, double *mean_l,
                      double *util) {
    mm1 m = {.r = gsl_rng_alloc(gsl_rng_mt19937), .draw = draw};
    m.mean_arrival_us = 1e6 / 0.9;
    m.mean_service_us = 1e6;
    sim *s = sim_new(16);
    if (!m.r || !s) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    gsl_rng_set(m.r, seed);
    sim_set_hook(s, stop_hook, NULL, events);
    sim_schedule(s, 0, mm1_arrival, &m, 0);
    double t0 = wall_seconds();
    sim_run(s, SIM_TIME_MAX);
    double t1 = wall_seconds();
    mm1_account(&m, sim_now(s));
    double horizon = (double)sim_now(s);
    *mean_l = m.area_in_system / horizon;
    *util = m.busy_time / horizon;
    double rate = (double)sim_events_executed(s) / (t1 - t0);
    sim_free(s);
    gsl_rng_free(m.r);
    return rate;
}

/* ---- Hold model: a constant population of pending events; each executed event schedules
 * one successor at now + Exp(mean). cancel_mode adds a second event per execution and
 * cancels one of the two at random, so every event costs two schedules and a cancel. */

typedef struct {
    gsl_rng *r;
    double mean_us;
    bool cancel_mode;
} hold;

static void hold_event(sim *s, void *target, uint64_t data) {
    hold *h = target;
    sim_event_id a = sim_schedule_in(s, draw_exp(h->r, h->mean_us), hold_event, h, 0);
    if (h->cancel_mode) {
        sim_event_id b = sim_schedule_in(s, draw_exp(h->r, h->mean_us), hold_event, h, 0);
        sim_cancel(s, gsl_rng_uniform_int(h->r, 2) ? a : b);
    }
}

static double run_hold(size_t pending, uint64_t events, unsigned long seed, bool cancel_mode) {
    hold h = {.r = gsl_rng_alloc(gsl_rng_mt19937), .mean_us = 1e6, .cancel_mode = cancel_mode};
    sim *s = sim_new(pending + 1);
    if (!h.r || !s) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    gsl_rng_set(h.r, seed);
    for (size_t i = 0; i < pending; i++)
        sim_schedule(s, draw_exp(h.r, h.mean_us), hold_event, &h, 0);
    /* Warm up so that the time distribution of pending events reaches its steady state. */
    sim_set_hook(s, stop_hook, NULL, pending);
    sim_run(s, SIM_TIME_MAX);
    sim_set_hook(s, stop_hook, NULL, events);
    uint64_t before = sim_events_executed(s);
    double t0 = wall_seconds();
    sim_run(s, SIM_TIME_MAX);
    double t1 = wall_seconds();
    double rate = (double)(sim_events_executed(s) - before) / (t1 - t0);
    if (sim_pending(s) != pending) {
        fprintf(stderr, "hold: pending drifted to %zu\n", sim_pending(s));
        exit(1);
    }
    sim_free(s);
    gsl_rng_free(h.r);
    return rate;
}

static void usage(const char *prog) {
    fprintf(stderr,
            "usage: %s [-r runs] [-n mm1_events] [-H hold_events] [-p hold_pending] [-b which]\n"
            "  defaults: 5 runs, 1e7 M/M/1 events, 1e7 hold events, 1e6 pending\n"
            "  which: letters of the benchmarks to run (default all): m M/M/1 with\n"
            "  gsl_ran_exponential, z M/M/1 with the ziggurat, p M/M/1 pre-drawn, h hold,\n"
            "  c hold with cancellation\n",
            prog);
}

int main(int argc, char **argv) {
    int runs = 5;
    uint64_t mm1_events = 10000000, hold_events = 10000000;
    size_t hold_pending = 1000000;
    const char *which = "mzphc";
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "-b") == 0 && i + 1 < argc) {
            which = argv[++i];
            continue;
        }
        if (i + 1 >= argc || strlen(opt) != 2 || opt[0] != '-') {
            usage(argv[0]);
            return 2;
        }
        double v = strtod(argv[++i], NULL);
        switch (opt[1]) {
        case 'r':
            runs = (int)v;
            break;
        case 'n':
            mm1_events = (uint64_t)v;
            break;
        case 'H':
            hold_events = (uint64_t)v;
            break;
        case 'p':
            hold_pending = (size_t)v;
            break;
        default:
            usage(argv[0]);
            return 2;
        }
    }
    if (runs < 1 || runs > MAX_RUNS || mm1_events < 1 || hold_events < 1 || hold_pending < 1) {
        usage(argv[0]);
        return 2;
    }

    double rates[MAX_RUNS], ls[MAX_RUNS], us[MAX_RUNS];
    printf("# engine benchmark: %d runs each, medians reported; GSL mt19937 draws are\n"
           "# included in every figure unless marked pre-drawn\n",
           runs);

    if (strchr(which, 'm')) {
        for (int k = 0; k < runs; k++)
            rates[k] = run_mm1(mm1_events, (unsigned long)k + 1, DRAW_GSL, &ls[k], &us[k]);
        double l = median(ls, runs), u = median(us, runs);
        printf("# M/M/1 rho=0.9, %llu events, gsl_ran_exponential: mean number in system %.3f "
               "(theory 9), utilisation %.4f (theory 0.9)\n",
               (unsigned long long)mm1_events, l, u);
        printf("mm1_events_per_s %.3e\n", median(rates, runs));
        printf("mm1_mean_in_system %.3f\n", l);
        printf("mm1_utilisation %.4f\n", u);
        fflush(stdout);
    }

    if (strchr(which, 'z')) {
        for (int k = 0; k < runs; k++)
            rates[k] = run_mm1(mm1_events, (unsigned long)k + 1, DRAW_ZIGGURAT, &ls[k], &us[k]);
        double l = median(ls, runs), u = median(us, runs);
        printf("# M/M/1 rho=0.9, %llu events, ziggurat sim_rand_exponential: mean number in "
               "system %.3f (theory 9), utilisation %.4f (theory 0.9)\n",
               (unsigned long long)mm1_events, l, u);
        printf("mm1_ziggurat_events_per_s %.3e\n", median(rates, runs));
        printf("mm1_ziggurat_mean_in_system %.3f\n", l);
        printf("mm1_ziggurat_utilisation %.4f\n", u);
        fflush(stdout);
    }

    if (strchr(which, 'p')) {
        /* The same model with the variates drawn before the clock starts: what the engine and
         * the model's bookkeeping cost without drawing. */
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        if (!r) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        for (size_t i = 0; i < PRE_DRAWS; i++)
            predrawn[i] = gsl_ran_exponential(r, 1.0);
        for (int k = 0; k < runs; k++)
            rates[k] = run_mm1(mm1_events, (unsigned long)k + 1, DRAW_PRE, &ls[k], &us[k]);
        printf("# M/M/1 with pre-drawn variates (engine cost without RNG): mean number in "
               "system %.3f\n",
               median(ls, runs));
        printf("mm1_predrawn_events_per_s %.3e\n", median(rates, runs));
        fflush(stdout);
        gsl_rng_free(r);
    }

    if (strchr(which, 'h')) {
        for (int k = 0; k < runs; k++)
            rates[k] = run_hold(hold_pending, hold_events, (unsigned long)k + 1, false);
        printf("# hold model, %zu pending, %llu events after warm-up\n", hold_pending,
               (unsigned long long)hold_events);
        printf("hold_events_per_s %.3e\n", median(rates, runs));
        fflush(stdout);
    }

    if (strchr(which, 'c')) {
        for (int k = 0; k < runs; k++)
            rates[k] = run_hold(hold_pending, hold_events / 2, (unsigned long)k + 1, true);
        printf("# hold with cancellation: each event schedules two successors and cancels "
               "one\n");
        printf("hold_cancel_events_per_s %.3e\n", median(rates, runs));
    }
    return 0;
}
