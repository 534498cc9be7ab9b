/* Tests of the event engine: order against a reference sort on random inputs (ties,
 * handler-scheduled events, cancellation) in the heap and the bucket ladder, stop
 * conditions, hook, pool reuse, far-future times, memory bounds under cancellation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/engine.h"
#include "sim/engine_internal.h"

#include <stdlib.h>

static uint64_t splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t *state, uint64_t n) {
    return splitmix(state) % n;
}

/* ---- Random order test ---- */

enum { PENDING, FIRED, CANCELLED };

typedef struct {
    sim_time at; /* effective time: the requested time clamped to the clock */
    sim_event_id id;
    int state;
} record;

typedef struct {
    record *rec;
    size_t n, cap;
    size_t *order; /* record indices in execution order */
    size_t n_exec;
    uint64_t rng;
    size_t spawn_budget;
    size_t cancel_true, cancel_false;
} world;

static void on_event(sim *s, void *target, uint64_t data);

static void schedule_random(world *w, sim *s, sim_time at) {
    assert_true(w->n < w->cap);
    size_t k = w->n++;
    w->rec[k].at = at < sim_now(s) ? sim_now(s) : at;
    w->rec[k].state = PENDING;
    w->rec[k].id = sim_schedule(s, at, on_event, w, k);
    assert_true(w->rec[k].id != 0);
}

/* Cancels a random record's handle: pending, fired or already cancelled alike. */
static void cancel_random(world *w, sim *s) {
    if (w->n == 0) return;
    record *r = &w->rec[below(&w->rng, w->n)];
    bool expect = r->state == PENDING;
    assert_int_equal(sim_cancel(s, r->id), expect);
    if (expect) {
        r->state = CANCELLED;
        w->cancel_true++;
    } else {
        w->cancel_false++;
    }
}

static void on_event(sim *s, void *target, uint64_t data) {
    world *w = target;
    record *r = &w->rec[data];
    assert_int_equal(r->state, PENDING);
    assert_true(sim_now(s) == r->at);
    r->state = FIRED;
    w->order[w->n_exec++] = (size_t)data;
    /* A handler's own handle is no longer pending. */
    assert_false(sim_cancel(s, r->id));
    uint64_t u = below(&w->rng, 100);
    if (u < 40 && w->spawn_budget > 0) {
        int k = 1 + (int)below(&w->rng, 3);
        for (int i = 0; i < k && w->spawn_budget > 0; i++, w->spawn_budget--) {
            /* Delays from -5 (clamped to now) to 50, so many ties with pending events. */
            sim_time d = (sim_time)below(&w->rng, 56) - 5;
            sim_time at = sim_now(s) > SIM_TIME_MAX - 50 ? SIM_TIME_MAX : sim_now(s) + d;
            schedule_random(w, s, at);
        }
    }
    if (u >= 90) cancel_random(w, s);
}

static const record *sort_base;

static int by_time_then_sequence(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (sort_base[x].at != sort_base[y].at) return sort_base[x].at < sort_base[y].at ? -1 : 1;
    return (x > y) - (x < y);
}

/* How initial times are drawn: uniform on [0, span), or spread over 60 binary orders of
 * magnitude with some at SIM_TIME_MAX - 1 and SIM_TIME_MAX. */
enum { TIMES_UNIFORM, TIMES_HUGE_SPREAD };

static sim_time initial_time(world *w, sim_time span, int mode) {
    if (mode == TIMES_UNIFORM) return (sim_time)below(&w->rng, (uint64_t)span);
    uint64_t u = below(&w->rng, 100);
    if (u == 0) return SIM_TIME_MAX;
    if (u == 1) return SIM_TIME_MAX - 1;
    return (sim_time)(splitmix(&w->rng) >> (3 + below(&w->rng, 60)));
}

/* spill: pending count above which the ladder is used (0 keeps the engine's default).
 * Returns whether the ladder was in use at some point of the run. */
static bool check_order(uint64_t seed, size_t initial, sim_time span, int mode, size_t spill) {
    world w = {.rng = seed, .spawn_budget = initial};
    w.cap = 2 * initial + 8;
    w.rec = malloc(w.cap * sizeof *w.rec);
    w.order = malloc(w.cap * sizeof *w.order);
    size_t *expected = malloc(w.cap * sizeof *expected);
    assert_non_null(w.rec);
    assert_non_null(w.order);
    assert_non_null(expected);
    sim *s = sim_new(4); /* small on purpose: the pool and heap must grow */
    assert_non_null(s);
    if (spill) sim_engine_set_spill(s, spill);
    bool ladder_seen = false;

    for (size_t i = 0; i < initial; i++) {
        schedule_random(&w, s, initial_time(&w, span, mode));
        if (below(&w.rng, 10) == 0) cancel_random(&w, s);
        ladder_seen |= sim_engine_ladder_active(s);
    }
    /* Run in slices with random horizons, cancelling between them. */
    sim_time horizon = 0;
    sim_stop_reason why;
    do {
        sim_time step = (sim_time)below(&w.rng, (uint64_t)span / 4 + 1);
        horizon = horizon > SIM_TIME_MAX - step ? SIM_TIME_MAX : horizon + step;
        why = sim_run(s, horizon);
        ladder_seen |= sim_engine_ladder_active(s);
        for (int i = 0; i < 20; i++)
            cancel_random(&w, s);
    } while (why != SIM_STOP_EMPTY);
    assert_int_equal(sim_pending(s), 0);

    size_t m = 0;
    for (size_t i = 0; i < w.n; i++) {
        assert_int_not_equal(w.rec[i].state, PENDING);
        if (w.rec[i].state == FIRED) expected[m++] = i;
    }
    sort_base = w.rec;
    qsort(expected, m, sizeof *expected, by_time_then_sequence);
    assert_int_equal(m, w.n_exec);
    assert_int_equal(sim_events_executed(s), m);
    for (size_t i = 0; i < m; i++)
        assert_int_equal(w.order[i], expected[i]);
    /* The inputs really exercised cancellation both ways. */
    assert_true(w.cancel_true > 0);
    assert_true(w.cancel_false > 0);

    sim_free(s);
    free(w.rec);
    free(w.order);
    free(expected);
    return ladder_seen;
}

static void check_random_order(uint64_t seed, size_t initial, sim_time span) {
    check_order(seed, initial, span, TIMES_UNIFORM, 0);
}

static void test_random_order_matches_reference_sort(void **state) {
    check_random_order(1, 10, 5);
    check_random_order(2, 1000, 50);
    check_random_order(3, 1000, 1000000);
    check_random_order(4, 20000, 100);
    check_random_order(5, 100000, 2000);
}

/* The ladder at a size where it is used by default, and with low thresholds so that small
 * queues go through partitions, bucket moves and the return to the heap many times. */
static void test_ladder_order_matches_reference_sort(void **state) {
    assert_true(check_order(11, 500000, 10000000, TIMES_UNIFORM, 0));
    assert_true(check_order(12, 3000, 100, TIMES_UNIFORM, 16)); /* mostly ties */
    assert_true(check_order(13, 3000, 1000000, TIMES_UNIFORM, 16));
    assert_true(check_order(14, 20000, 50, TIMES_UNIFORM, 64));
    for (uint64_t seed = 20; seed < 40; seed++)
        assert_true(check_order(seed, 500, (sim_time)(1 + seed * 37), TIMES_UNIFORM, 4));
}

static void test_ladder_huge_time_spread(void **state) {
    assert_true(check_order(41, 20000, SIM_TIME_MAX / 8, TIMES_HUGE_SPREAD, 0));
    assert_true(check_order(42, 2000, SIM_TIME_MAX / 8, TIMES_HUGE_SPREAD, 16));
}

/* ---- Ladder edge cases, checked against (time, insertion) order ---- */

/* Every event's data is its insertion index, so the expected order is sorted by (time, data). */
typedef struct {
    sim_time *when; /* effective time by insertion index */
    sim_event_id *id;
    bool *cancelled;
    size_t n, cap;
    uint64_t *ran; /* data in execution order */
    sim_time *ran_at;
    size_t n_ran;
    size_t respawn_every; /* handlers of data % this == 0 schedule more (0: never) */
} trace;

static void trace_init(trace *t, size_t cap) {
    *t = (trace){.cap = cap};
    t->when = malloc(cap * sizeof *t->when);
    t->id = malloc(cap * sizeof *t->id);
    t->cancelled = calloc(cap, sizeof *t->cancelled);
    t->ran = malloc(cap * sizeof *t->ran);
    t->ran_at = malloc(cap * sizeof *t->ran_at);
    assert_true(t->when && t->id && t->cancelled && t->ran && t->ran_at);
}

static void trace_free(trace *t) {
    free(t->when);
    free(t->id);
    free(t->cancelled);
    free(t->ran);
    free(t->ran_at);
}

static void trace_event(sim *s, void *target, uint64_t data);

static size_t trace_add(trace *t, sim *s, sim_time at) {
    assert_true(t->n < t->cap);
    size_t k = t->n++;
    t->when[k] = at < sim_now(s) ? sim_now(s) : at;
    t->id[k] = sim_schedule(s, at, trace_event, t, k);
    assert_true(t->id[k] != 0);
    return k;
}

static void trace_event(sim *s, void *target, uint64_t data) {
    trace *t = target;
    assert_false(t->cancelled[data]);
    t->ran[t->n_ran] = data;
    t->ran_at[t->n_ran++] = sim_now(s);
    if (t->respawn_every && data % t->respawn_every == 0) {
        trace_add(t, s, sim_now(s)); /* ties with events already pending at now */
        trace_add(t, s, sim_now(s) - 3);
        trace_add(t, s, sim_now(s) > SIM_TIME_MAX - 10 ? SIM_TIME_MAX : sim_now(s) + 10);
    }
}

/* All events not cancelled ran once each, in (time, insertion) order, at their times. */
static void trace_check(const trace *t) {
    bool *seen = calloc(t->n, sizeof *seen);
    assert_non_null(seen);
    size_t expect = 0;
    for (size_t k = 0; k < t->n; k++)
        expect += !t->cancelled[k];
    assert_int_equal(t->n_ran, expect);
    for (size_t i = 0; i < t->n_ran; i++) {
        uint64_t d = t->ran[i];
        assert_true(d < t->n);
        assert_false(seen[d]);
        seen[d] = true;
        assert_true(t->ran_at[i] == t->when[d]);
        if (i > 0) {
            uint64_t p = t->ran[i - 1];
            assert_true(t->when[p] < t->when[d] || (t->when[p] == t->when[d] && p < d));
        }
    }
    free(seen);
}

static void test_ladder_many_equal_times(void **state) {
    trace t;
    trace_init(&t, 60000);
    sim *s = sim_new(0);
    sim_engine_set_spill(s, 64);
    uint64_t rng = 7;
    for (int i = 0; i < 20000; i++) {
        trace_add(&t, s, 1000);
        trace_add(&t, s, (sim_time)below(&rng, 2000));
    }
    assert_true(sim_engine_ladder_active(s));
    t.respawn_every = 97;
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    trace_check(&t);
    assert_false(sim_engine_ladder_active(s));
    assert_int_equal(sim_engine_stored_entries(s), 0);
    sim_free(s);
    trace_free(&t);
}

static void test_ladder_far_future(void **state) {
    trace t;
    trace_init(&t, 4000);
    sim *s = sim_new(0);
    sim_engine_set_spill(s, 8);
    uint64_t rng = 8;
    for (int i = 0; i < 300; i++) {
        trace_add(&t, s, SIM_TIME_MAX - (sim_time)below(&rng, 3));
        trace_add(&t, s, (sim_time)below(&rng, 100));
        trace_add(&t, s, SIM_TIME_MAX / 2 + (sim_time)below(&rng, 5));
        trace_add(&t, s, (sim_time)(splitmix(&rng) >> 1));
    }
    assert_true(sim_engine_ladder_active(s));
    t.respawn_every = 5; /* near SIM_TIME_MAX the successors saturate at SIM_TIME_MAX */
    assert_int_equal(sim_run(s, SIM_TIME_MAX - 1), SIM_STOP_TIME);
    assert_true(sim_now(s) == SIM_TIME_MAX - 1);
    assert_true(sim_pending(s) > 0);
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    assert_true(sim_now(s) == SIM_TIME_MAX);
    trace_check(&t);
    sim_free(s);
    trace_free(&t);
}

/* Buckets fill far beyond their first size, and the clock is moved by a stop at a time no
 * event has, so new events at now land in the ladder rather than the heap. */
static void test_ladder_bucket_growth_and_stop_between_buckets(void **state) {
    trace t;
    trace_init(&t, 70000);
    sim *s = sim_new(0);
    sim_engine_set_spill(s, 16);
    uint64_t rng = 9;
    for (int i = 0; i < 200; i++)
        trace_add(&t, s, (sim_time)below(&rng, 1000000));
    assert_true(sim_engine_ladder_active(s));
    for (int i = 0; i < 30000; i++)
        trace_add(&t, s, 500000 + (sim_time)below(&rng, 100));
    for (int i = 0; i < 1000; i++)
        trace_add(&t, s, 2000000 + (sim_time)below(&rng, 1000000));
    assert_int_equal(sim_engine_stored_entries(s), sim_pending(s));
    assert_int_equal(sim_run(s, 499990), SIM_STOP_TIME);
    for (int i = 0; i < 50; i++)
        trace_add(&t, s, sim_now(s));
    t.respawn_every = 11;
    assert_int_equal(sim_run(s, 1500000), SIM_STOP_TIME);
    for (int i = 0; i < 50; i++)
        trace_add(&t, s, sim_now(s) + (sim_time)below(&rng, 3));
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    trace_check(&t);
    sim_free(s);
    trace_free(&t);
}

static void test_ladder_cancel_in_buckets(void **state) {
    trace t;
    trace_init(&t, 60000);
    sim *s = sim_new(0);
    sim_engine_set_spill(s, 16);
    uint64_t rng = 10;
    for (int i = 0; i < 50000; i++)
        trace_add(&t, s, (sim_time)below(&rng, 1000000000));
    assert_true(sim_engine_ladder_active(s));
    assert_true(sim_run(s, 100000000) == SIM_STOP_TIME);
    size_t fired = t.n_ran;
    for (size_t k = 0; k < t.n; k++) {
        bool pending = t.when[k] > 100000000;
        if (k % 10 != 0) {
            assert_int_equal(sim_cancel(s, t.id[k]), pending);
            t.cancelled[k] = pending;
            assert_false(sim_cancel(s, t.id[k]));
        }
    }
    size_t live = sim_pending(s), want = 0;
    for (size_t k = 0; k < t.n; k++)
        want += t.when[k] > 100000000 && !t.cancelled[k];
    assert_int_equal(live, want);
    assert_true(live > 4000 && live < 5000);
    /* Cancelled entries are dropped lazily but never outnumber live ones by much. */
    assert_true(sim_engine_stored_entries(s) <= 2 * live + 4097);
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    for (size_t i = 0; i < fired; i++)
        assert_false(t.cancelled[t.ran[i]]);
    trace_check(&t);
    assert_int_equal(sim_engine_stored_entries(s), 0);
    sim_free(s);
    trace_free(&t);
}

static void noop_event(sim *s, void *target, uint64_t data) {}

/* Schedule-and-cancel churn of far-future events (a timeout pattern) keeps memory bounded. */
static void test_ladder_cancel_churn_bounded(void **state) {
    sim *s = sim_new(0);
    sim_engine_set_spill(s, 16);
    uint64_t rng = 11;
    for (int i = 0; i < 1000; i++)
        assert_true(sim_schedule(s, (sim_time)below(&rng, 1000000), noop_event, NULL, 0) != 0);
    assert_true(sim_engine_ladder_active(s));
    size_t most = 0;
    for (int i = 0; i < 100000; i++) {
        sim_event_id id = sim_schedule(s, 10 + (sim_time)below(&rng, 2000000), noop_event, NULL, 0);
        assert_true(sim_cancel(s, id));
        size_t stored = sim_engine_stored_entries(s);
        if (stored > most) most = stored;
        if (i % 1000 == 0) sim_run(s, sim_now(s) + 10);
    }
    assert_true(most <= 2 * 1000 + 4097);
    assert_true(most > 1000); /* cancellation really was lazy */
    sim_run(s, SIM_TIME_MAX);
    assert_int_equal(sim_engine_stored_entries(s), 0);
    sim_free(s);
}

/* Renumbering folds the ladder into the heap; FIFO among equal times survives it. */
static void test_ladder_renumbering_keeps_fifo(void **state) {
    trace t;
    trace_init(&t, 3000);
    sim *s = sim_new(0);
    sim_engine_set_spill(s, 16);
    uint64_t rng = 12;
    for (int i = 0; i < 1000; i++)
        trace_add(&t, s, (sim_time)below(&rng, 50));
    assert_true(sim_engine_ladder_active(s));
    sim_engine_set_next_seq(s, sim_engine_seq_limit() - 500);
    for (int i = 0; i < 1000; i++)
        trace_add(&t, s, (sim_time)below(&rng, 50));
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    trace_check(&t);
    sim_free(s);
    trace_free(&t);
}

/* ---- Stop conditions, clock, hook ---- */

typedef struct {
    sim_time seen[64];
    uint64_t data[64];
    int n;
    int stop_at; /* request a stop on this call number (1-based), 0 for never */
} log_t;

static void log_event(sim *s, void *target, uint64_t data) {
    log_t *l = target;
    l->seen[l->n] = sim_now(s);
    l->data[l->n] = data;
    l->n++;
    if (l->n == l->stop_at) sim_request_stop(s);
}

static void test_stop_at_time(void **state) {
    sim *s = sim_new(0);
    log_t l = {0};
    sim_schedule(s, 10, log_event, &l, 1);
    sim_schedule(s, 20, log_event, &l, 2);
    sim_schedule(s, 20, log_event, &l, 3);
    sim_schedule(s, 30, log_event, &l, 4);
    assert_int_equal(sim_run(s, 20), SIM_STOP_TIME);
    assert_int_equal(l.n, 3); /* events at exactly `until` run */
    assert_true(sim_now(s) == 20);
    assert_int_equal(sim_pending(s), 1);
    assert_int_equal(sim_run(s, 25), SIM_STOP_TIME);
    assert_int_equal(l.n, 3);
    assert_true(sim_now(s) == 25);
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    assert_int_equal(l.n, 4);
    assert_true(l.seen[3] == 30 && l.data[3] == 4);
    assert_true(sim_now(s) == 30);
    assert_int_equal(sim_events_executed(s), 4);
    sim_free(s);
}

static void test_stop_on_empty_keeps_clock(void **state) {
    sim *s = sim_new(1);
    assert_int_equal(sim_run(s, 100), SIM_STOP_EMPTY);
    assert_true(sim_now(s) == 0);
    log_t l = {0};
    sim_schedule(s, 7, log_event, &l, 0);
    assert_int_equal(sim_run(s, 100), SIM_STOP_EMPTY);
    assert_true(sim_now(s) == 7);
    sim_free(s);
}

static void test_stop_on_request(void **state) {
    sim *s = sim_new(8);
    log_t l = {.stop_at = 2};
    for (int i = 0; i < 5; i++)
        sim_schedule(s, 100 + i, log_event, &l, (uint64_t)i);
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_REQUESTED);
    assert_int_equal(l.n, 2);
    assert_true(sim_now(s) == 101);
    assert_int_equal(sim_pending(s), 3);
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    assert_int_equal(l.n, 5);
    sim_free(s);
}

static void count_hook(sim *s, void *ctx) {
    uint64_t *calls = ctx;
    /* Record when it is called, in executed events, as digits of a number. */
    *calls = *calls * 100 + sim_events_executed(s);
}

static void test_hook_every_n(void **state) {
    sim *s = sim_new(8);
    log_t l = {0};
    uint64_t calls = 0;
    sim_set_hook(s, count_hook, &calls, 3);
    for (int i = 0; i < 10; i++)
        sim_schedule(s, i, log_event, &l, 0);
    sim_run(s, SIM_TIME_MAX);
    assert_int_equal(calls, 30609); /* after events 3, 6 and 9 */
    sim_set_hook(s, count_hook, &calls, 0);
    calls = 0;
    for (int i = 0; i < 10; i++)
        sim_schedule(s, 100 + i, log_event, &l, 0);
    sim_run(s, SIM_TIME_MAX);
    assert_int_equal(calls, 0);
    sim_free(s);
}

static void test_past_is_clamped_to_now(void **state) {
    sim *s = sim_new(8);
    log_t l = {0};
    sim_schedule(s, 100, log_event, &l, 0);
    sim_run(s, SIM_TIME_MAX);
    sim_schedule(s, 50, log_event, &l, 1);
    sim_schedule_in(s, -30, log_event, &l, 2);
    sim_schedule_in(s, 5, log_event, &l, 3);
    sim_schedule_in(s, SIM_TIME_MAX, log_event, &l, 4); /* saturates, no overflow */
    assert_int_equal(sim_run(s, 1000), SIM_STOP_TIME);
    assert_int_equal(l.n, 4);
    assert_true(l.seen[1] == 100 && l.data[1] == 1);
    assert_true(l.seen[2] == 100 && l.data[2] == 2);
    assert_true(l.seen[3] == 105 && l.data[3] == 3);
    assert_int_equal(sim_pending(s), 1);
    sim_free(s);
}

static void test_stale_and_bogus_handles(void **state) {
    sim *s = sim_new(2);
    log_t l = {0};
    assert_false(sim_cancel(s, 0));
    assert_false(sim_cancel(s, UINT64_MAX));
    sim_event_id a = sim_schedule(s, 5, log_event, &l, 0);
    assert_true(a != 0);
    assert_true(sim_cancel(s, a));
    assert_false(sim_cancel(s, a));
    /* The slot is reused by the next event; the old handle must not cancel it. */
    sim_event_id b = sim_schedule(s, 6, log_event, &l, 1);
    assert_true(b != a);
    assert_false(sim_cancel(s, a));
    sim_run(s, SIM_TIME_MAX);
    assert_int_equal(l.n, 1);
    assert_false(sim_cancel(s, b));
    sim_free(s);
}

static void test_pool_reuse(void **state) {
    sim *s = sim_new(4);
    log_t l = {0};
    sim_event_id keep[10];
    for (int i = 0; i < 10; i++)
        keep[i] = sim_schedule(s, 1000 + i, log_event, &l, 0);
    for (int i = 0; i < 200000; i++) {
        sim_event_id id = sim_schedule(s, 500 + (i % 7), log_event, &l, 0);
        assert_true(id != 0);
        assert_int_equal(sim_pending(s), 11);
        assert_true(sim_cancel(s, id));
        assert_int_equal(sim_pending(s), 10);
    }
    for (int i = 0; i < 10; i++)
        assert_true(sim_cancel(s, keep[i]));
    assert_int_equal(sim_pending(s), 0);
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    assert_int_equal(l.n, 0);
    assert_int_equal(sim_events_executed(s), 0);
    sim_free(s);
}

/* Insertion sequence numbers are finite; when they run out the engine renumbers the
 * pending events and FIFO order among equal times must survive it. */
static void test_sequence_renumbering_keeps_fifo(void **state) {
    sim *s = sim_new(4);
    log_t l = {0};
    for (uint64_t i = 0; i < 10; i++)
        sim_schedule(s, 50 - (sim_time)(i % 2) * 10, log_event, &l, i);
    sim_engine_set_next_seq(s, sim_engine_seq_limit() - 3);
    for (uint64_t i = 10; i < 20; i++)
        sim_schedule(s, 50 - (sim_time)(i % 2) * 10, log_event, &l, i);
    assert_int_equal(sim_run(s, SIM_TIME_MAX), SIM_STOP_EMPTY);
    assert_int_equal(l.n, 20);
    for (int k = 0; k < 20; k++) {
        /* First all odd data (time 40) in order, then all even (time 50). */
        uint64_t want = k < 10 ? (uint64_t)(2 * k + 1) : (uint64_t)(2 * (k - 10));
        assert_int_equal(l.data[k], want);
    }
    sim_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_order_matches_reference_sort),
        cmocka_unit_test(test_ladder_order_matches_reference_sort),
        cmocka_unit_test(test_ladder_huge_time_spread),
        cmocka_unit_test(test_ladder_many_equal_times),
        cmocka_unit_test(test_ladder_far_future),
        cmocka_unit_test(test_ladder_bucket_growth_and_stop_between_buckets),
        cmocka_unit_test(test_ladder_cancel_in_buckets),
        cmocka_unit_test(test_ladder_cancel_churn_bounded),
        cmocka_unit_test(test_ladder_renumbering_keeps_fifo),
        cmocka_unit_test(test_stop_at_time),
        cmocka_unit_test(test_stop_on_empty_keeps_clock),
        cmocka_unit_test(test_stop_on_request),
        cmocka_unit_test(test_hook_every_n),
        cmocka_unit_test(test_past_is_clamped_to_now),
        cmocka_unit_test(test_stale_and_bogus_handles),
        cmocka_unit_test(test_pool_reuse),
        cmocka_unit_test(test_sequence_renumbering_keeps_fifo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
