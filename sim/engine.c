/* The discrete-event engine: a 4-ary heap of 16-byte (time, sequence|slot) entries over a
 * pool of event slots, topped by a one-rung ladder of time buckets when many are pending.
 * Longer than most files: the heap, the ladder and the slot pool are one hot-path data
 * structure whose invariants cross all three; splitting it would hide them from each other. */
/* For madvise(MADV_HUGEPAGE) where the C library offers it. */
#define _DEFAULT_SOURCE
#include "sim/engine.h"
#include "sim/engine_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A heap entry packs the insertion sequence and the pool slot into one word so that an entry
 * is 16 bytes and four siblings share one 64-byte cache line. 28 slot bits allow 2^28 pending
 * events (far beyond memory at 48 bytes each); the 36 sequence bits run out after 6.9e10
 * schedules, at which point pending entries are renumbered (order-preserving, O(n log n)). */
#define SLOT_BITS 28
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)
#define MAX_SLOTS (UINT64_C(1) << SLOT_BITS)
#define SEQ_LIMIT (UINT64_C(1) << (64 - SLOT_BITS))
#define NO_SLOT UINT32_MAX
#define CACHE_LINE 64

/* Slot links that are not free-list links (slots or NO_SLOT). */
#define PENDING (UINT32_MAX - 1)
#define DEAD (UINT32_MAX - 2) /* cancelled, its entry still stored; dropped when reached */

/* The heap alone serves small queues (M/M/1 keeps a handful pending). Past SPILL_AT pending
 * events the ladder takes over: it was cheaper from about 300 pending on, even with
 * everything in cache (hold model, marginal cycles per event: 325 vs 362 at 300 pending,
 * 312 vs 455 at 4000), since a pop sifts through a heap of a bucket's ~32 entries rather
 * than log4(n) levels of unpredictable branches. The heap alone is used again when fewer
 * than SPILL_AT / 4 remain at a re-partition, so the switch cannot thrash. */
#define SPILL_AT 256
/* Aimed-for entries per bucket near the front, and at most one bucket per BUCKET_TARGET
 * entries partitioned (events beyond the last bucket stay in the top list until the next
 * partition). More, narrower buckets measured slower with 10^6 pending: each insertion
 * touches a random bucket, and fewer buckets keep more of their tails in cache. */
#define BUCKET_TARGET 32
/* New ladder entries wait in a small buffer and are put in their buckets in batches, so that
 * the cache misses on bucket headers and tails of a batch overlap (about 10% with 10^6
 * pending). */
#define INBOX 128
/* Cancelled entries still stored are purged when they outnumber the live ones by this. */
#define DEAD_SLACK 4096

typedef struct {
    sim_time at;
    uint64_t ord; /* (sequence << SLOT_BITS) | slot */
} heap_entry;

/* An odd generation means the slot is pending; firing or cancelling makes it even, so a
 * handle (which records the odd generation) can never match a later use of the slot.
 * Cancellation is lazy: the slot is marked DEAD and its entry, wherever it is, is dropped
 * when it is reached, so that moving entries never has to touch the pool (with 10^6
 * pending events, recording heap positions in the slots cost a cache miss per heap level). */
typedef struct {
    sim_handler fn;
    void *target;
    uint64_t data;
    uint32_t gen;
    uint32_t link; /* PENDING or DEAD; the next free slot while free */
} event_slot;

/* An unordered array of entries; arrays keep their capacity when emptied. */
typedef struct {
    heap_entry *e;
    uint32_t n, cap;
} bucket;

/* Layout of the pending set: the heap holds every pending entry with time <= hi. In ladder
 * mode the others wait in the inbox until their batch is placed, then sit in buckets
 * cur..nb-1 (bucket k holds times start + [k, k+1) * 2^shift) or in the top list beyond the
 * last bucket. When the heap empties, the next non-empty bucket is moved into it; when the
 * buckets run out, the top list is partitioned anew. Entries move only as whole buckets and
 * only by time, so every event still reaches the heap before any later-timed one, and equal
 * times are always ordered there by sequence. */
struct sim {
    sim_time now;
    sim_time hi;      /* SIM_TIME_MAX when the heap holds everything */
    heap_entry *heap; /* heap[1] is cache-line aligned, so each sibling group is one line */
    void *heap_block;
    size_t n;   /* heap entries, cancelled ones included */
    size_t cap; /* capacity of both heap and pool */
    event_slot *pool;
    uint32_t free_head;
    uint32_t pool_used; /* slots ever handed out; those above are untouched */
    uint64_t next_seq;
    uint64_t executed;
    bool stop_requested;
    sim_hook hook;
    void *hook_ctx;
    uint64_t hook_every;
    uint64_t hook_countdown;
    bool ladder;
    unsigned shift;
    sim_time start;
    size_t nb, cur, b_cap;
    bucket *b;
    bucket top;
    uint32_t inbox_n;
    heap_entry inbox[INBOX];
    size_t live; /* pending events */
    size_t dead; /* cancelled entries still stored in the heap or the ladder */
    size_t spill_at;
};

static inline bool entry_less(heap_entry a, heap_entry b) {
    return a.at < b.at || (a.at == b.at && a.ord < b.ord);
}

static inline uint32_t entry_slot(heap_entry e) {
    return (uint32_t)(e.ord & SLOT_MASK);
}

static heap_entry *heap_alloc(size_t cap, void **block) {
    /* One spare entry in front: heap[0] sits 16 bytes before a line, heap[1] starts one. */
    size_t bytes = (cap + CACHE_LINE / sizeof(heap_entry)) * sizeof(heap_entry);
    void *p = NULL;
    if (posix_memalign(&p, CACHE_LINE, bytes) != 0) return NULL;
    *block = p;
    return (heap_entry *)((char *)p + CACHE_LINE - sizeof(heap_entry));
}

/* A large pool is read at random (one slot per event), so on Linux it asks for transparent
 * huge pages: 12% fewer cycles on the hold model with 10^6 pending, from fewer page walks.
 * Elsewhere, or if the kernel declines, it is ordinary memory. */
static event_slot *pool_alloc(size_t cap) {
    size_t bytes = cap * sizeof(event_slot);
#ifdef MADV_HUGEPAGE
    if (bytes >= ((size_t)4 << 20)) {
        void *p = NULL;
        if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0) return NULL;
        madvise(p, bytes, MADV_HUGEPAGE);
        return p;
    }
#endif
    return malloc(bytes);
}

/* The heap has the pool's capacity and every stored entry owns a distinct slot, so the heap
 * can always take every entry at once: the ladder falls back on it when memory runs out. */
static bool grow(sim *s) {
    if (s->cap >= MAX_SLOTS) return false;
    size_t cap = s->cap * 2;
    if (cap > MAX_SLOTS) cap = MAX_SLOTS;
    event_slot *pool = pool_alloc(cap);
    if (!pool) return false;
    memcpy(pool, s->pool, s->pool_used * sizeof *pool);
    free(s->pool);
    s->pool = pool;
    void *block;
    heap_entry *heap = heap_alloc(cap, &block);
    if (!heap) return false; /* the larger pool is kept; harmless */
    memcpy(heap, s->heap, s->n * sizeof *heap);
    free(s->heap_block);
    s->heap = heap;
    s->heap_block = block;
    s->cap = cap;
    return true;
}

sim *sim_new(size_t capacity_hint) {
    sim *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    size_t cap = 16;
    while (cap < capacity_hint && cap < MAX_SLOTS)
        cap *= 2;
    s->cap = cap;
    s->pool = pool_alloc(cap);
    s->heap = heap_alloc(cap, &s->heap_block);
    if (!s->pool || !s->heap) {
        sim_free(s);
        return NULL;
    }
    s->free_head = NO_SLOT;
    s->hi = SIM_TIME_MAX;
    s->spill_at = SPILL_AT;
    return s;
}

static void free_buckets(sim *s) {
    for (size_t k = 0; k < s->b_cap; k++)
        free(s->b[k].e);
    free(s->b);
    s->b = NULL;
    s->b_cap = s->nb = s->cur = 0;
}

void sim_free(sim *s) {
    if (!s) return;
    free_buckets(s);
    free(s->top.e);
    free(s->pool);
    free(s->heap_block);
    free(s);
}

sim_time sim_now(const sim *s) {
    return s->now;
}

static inline void sift_up(sim *s, size_t pos, heap_entry e) {
    heap_entry *h = s->heap;
    while (pos > 0) {
        size_t parent = (pos - 1) >> 2;
        if (!entry_less(e, h[parent])) break;
        h[pos] = h[parent];
        pos = parent;
    }
    h[pos] = e;
}

static inline void sift_down(sim *s, size_t pos, heap_entry e) {
    heap_entry *h = s->heap;
    size_t n = s->n;
    for (;;) {
        size_t c = 4 * pos + 1;
        if (c >= n) break;
        /* The grandchildren are 16 consecutive entries (4 cache lines): fetching them while
         * this level is compared overlaps the memory latency of two levels. This gained
         * about 10% on the hold model with 10^6 pending events in a heap alone. */
        const char *g = (const char *)(h + 16 * pos + 5);
        __builtin_prefetch(g);
        __builtin_prefetch(g + 64);
        __builtin_prefetch(g + 128);
        __builtin_prefetch(g + 192);
        size_t best = c;
        if (c + 3 < n) {
            size_t b1 = entry_less(h[c + 1], h[c]) ? c + 1 : c;
            size_t b2 = entry_less(h[c + 3], h[c + 2]) ? c + 3 : c + 2;
            best = entry_less(h[b2], h[b1]) ? b2 : b1;
        } else {
            for (size_t k = c + 1; k < n; k++)
                if (entry_less(h[k], h[best])) best = k;
        }
        if (!entry_less(h[best], e)) break;
        h[pos] = h[best];
        pos = best;
    }
    h[pos] = e;
}

/* Turns heap[0..n) into a heap (Floyd). */
static void heapify(sim *s) {
    for (size_t i = s->n / 4 + 1; i-- > 0;)
        if (i < s->n) sift_down(s, i, s->heap[i]);
}

static inline void heap_pop(sim *s) {
    heap_entry last = s->heap[--s->n];
    if (s->n > 0) sift_down(s, 0, last);
}

/* Puts the slot of a cancelled entry that has just been dropped on the free list; its
 * generation was already made even by the cancel. */
static inline void slot_free_dead(sim *s, uint32_t slot) {
    s->pool[slot].link = s->free_head;
    s->free_head = slot;
    s->dead--;
}

static bool bucket_reserve(bucket *b, size_t extra) {
    if ((size_t)b->n + extra <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 4;
    while (cap < (size_t)b->n + extra)
        cap *= 2;
    if (cap > UINT32_MAX) return false;
    heap_entry *e = realloc(b->e, cap * sizeof *e);
    if (!e) return false;
    b->e = e;
    b->cap = (uint32_t)cap;
    return true;
}

/* Drops the cancelled entries of an array, freeing their slots; returns the new length. */
static size_t purge(sim *s, heap_entry *e, size_t n) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t slot = entry_slot(e[i]);
        if (s->pool[slot].link == DEAD)
            slot_free_dead(s, slot);
        else
            e[m++] = e[i];
    }
    return m;
}

/* Appends a bucket to the heap (not re-establishing heap order). An array that grew far
 * beyond a typical bucket is released, so that memory follows the pending count. */
static void bucket_to_heap(sim *s, bucket *b) {
    if (b->n) memcpy(s->heap + s->n, b->e, b->n * sizeof *b->e);
    s->n += b->n;
    b->n = 0;
    if (b->cap > 16 * BUCKET_TARGET) {
        free(b->e);
        *b = (bucket){0};
    }
}

/* Moves everything into the heap and leaves ladder mode; needs no memory. */
static void ladder_collapse(sim *s) {
    memcpy(s->heap + s->n, s->inbox, s->inbox_n * sizeof *s->inbox);
    s->n += s->inbox_n;
    s->inbox_n = 0;
    for (size_t k = s->cur; k < s->nb; k++)
        bucket_to_heap(s, &s->b[k]);
    bucket_to_heap(s, &s->top);
    heapify(s);
    free_buckets(s);
    free(s->top.e);
    s->top = (bucket){0};
    s->ladder = false;
    s->hi = SIM_TIME_MAX;
}

static int time_cmp(const void *a, const void *b) {
    sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;
    return (x > y) - (x < y);
}

/* The bucket width as a power of two: about BUCKET_TARGET times the mean gap between events
 * near the front, estimated from the lower quartile of a sample so that a few far-future
 * events (or SIM_TIME_MAX - 1) do not widen every bucket. */
static unsigned choose_shift(const bucket *t, sim_time lo) {
    enum { SAMPLE = 64 };
    sim_time sample[SAMPLE];
    size_t m = t->n < SAMPLE ? t->n : SAMPLE;
    size_t stride = t->n / m;
    for (size_t i = 0; i < m; i++)
        sample[i] = t->e[i * stride].at;
    qsort(sample, m, sizeof *sample, time_cmp);
    double quartile_span = (double)((uint64_t)sample[m / 4] - (uint64_t)lo);
    double width = quartile_span / ((double)t->n / 4.0) * BUCKET_TARGET;
    unsigned shift = 0;
    while (shift < 62 && (double)(UINT64_C(1) << shift) < width)
        shift++;
    return shift;
}

/* Spreads the top list over fresh buckets (the heap and all buckets are empty). Falls back
 * on the heap alone when few events remain or memory runs out. */
static void partition(sim *s) {
    bucket *t = &s->top;
    if (t->n < s->spill_at / 4) {
        ladder_collapse(s);
        return;
    }
    sim_time lo = SIM_TIME_MAX, hi = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        if (t->e[i].at < lo) lo = t->e[i].at;
        if (t->e[i].at > hi) hi = t->e[i].at;
    }
    unsigned shift = choose_shift(t, lo);
    uint64_t span_buckets = ((uint64_t)hi - (uint64_t)lo) >> shift;
    /* At least one bucket, which holds the earliest event, so each partition makes progress. */
    size_t nb = (size_t)t->n / BUCKET_TARGET + 1;
    if (span_buckets < nb) nb = (size_t)span_buckets + 1;
    if (nb > s->b_cap) {
        bucket *b = realloc(s->b, nb * sizeof *b);
        if (!b) {
            ladder_collapse(s);
            return;
        }
        memset(b + s->b_cap, 0, (nb - s->b_cap) * sizeof *b);
        s->b = b;
        s->b_cap = nb;
    }
    s->nb = nb;
    s->cur = 0;
    s->shift = shift;
    s->start = lo;
    s->hi = lo - 1;
    /* Reserve first, so that a failed allocation leaves every entry where it was. */
    for (uint32_t i = 0; i < t->n; i++) {
        uint64_t k = ((uint64_t)t->e[i].at - (uint64_t)lo) >> shift;
        if (k < nb) s->b[k].n++;
    }
    bool ok = true;
    for (size_t k = 0; k < nb; k++) {
        uint32_t want = s->b[k].n;
        s->b[k].n = 0;
        if (ok && !bucket_reserve(&s->b[k], want)) ok = false;
    }
    if (!ok) {
        s->nb = 0;
        ladder_collapse(s);
        return;
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        heap_entry e = t->e[i];
        uint64_t k = ((uint64_t)e.at - (uint64_t)lo) >> shift;
        if (k < nb)
            s->b[k].e[s->b[k].n++] = e;
        else
            t->e[m++] = e;
    }
    t->n = m;
}

/* Puts the buffered entries in their buckets (or the top list). */
static void flush_inbox(sim *s) {
    uint32_t m = s->inbox_n;
    uint32_t k[INBOX];
    for (uint32_t i = 0; i < m; i++) {
        uint64_t b = ((uint64_t)s->inbox[i].at - (uint64_t)s->start) >> s->shift;
        k[i] = b < s->nb ? (uint32_t)b : UINT32_MAX;
        if (k[i] != UINT32_MAX) __builtin_prefetch(&s->b[k[i]]);
    }
    for (uint32_t i = 0; i < m; i++) {
        const bucket *d = k[i] != UINT32_MAX ? &s->b[k[i]] : &s->top;
        if (d->e) __builtin_prefetch(d->e + d->n, 1);
    }
    for (uint32_t i = 0; i < m; i++) {
        bucket *d = k[i] != UINT32_MAX ? &s->b[k[i]] : &s->top;
        if (!bucket_reserve(d, 1)) {
            /* Out of memory: the heap alone can take everything. */
            memmove(s->inbox, s->inbox + i, (m - i) * sizeof *s->inbox);
            s->inbox_n = m - i;
            ladder_collapse(s);
            return;
        }
        d->e[d->n++] = s->inbox[i];
    }
    s->inbox_n = 0;
}

/* The last instant covered by bucket k. */
static sim_time bucket_last(const sim *s, size_t k) {
    uint64_t lim = (uint64_t)SIM_TIME_MAX - (uint64_t)s->start;
    if ((uint64_t)k + 1 > (lim >> s->shift)) return SIM_TIME_MAX;
    return (sim_time)((uint64_t)s->start + (((uint64_t)k + 1) << s->shift) - 1);
}

/* With the heap empty, brings the next events from the ladder into it. */
static void refill(sim *s) {
    if (s->ladder) flush_inbox(s);
    while (s->n == 0 && s->ladder) {
        while (s->cur < s->nb && s->b[s->cur].n == 0)
            s->cur++;
        if (s->cur < s->nb) {
            s->hi = bucket_last(s, s->cur);
            /* The slots of these events are scattered over the pool and each would be a cache
             * (and TLB) miss when its event runs; asking for all of them now lets the misses
             * overlap instead of stalling one per event. */
            bucket *b = &s->b[s->cur];
            for (uint32_t i = 0; i < b->n; i++)
                __builtin_prefetch(&s->pool[entry_slot(b->e[i])], 1);
            bucket_to_heap(s, &s->b[s->cur++]);
            heapify(s);
        } else {
            partition(s);
        }
    }
}

/* Leaves heap-only mode: every entry goes to the top list, which is then partitioned. */
static void spill(sim *s) {
    if (!bucket_reserve(&s->top, s->n)) return; /* stay a heap; try again later */
    memcpy(s->top.e, s->heap, s->n * sizeof *s->heap);
    s->top.n = (uint32_t)s->n;
    s->n = 0;
    s->ladder = true;
    s->nb = s->cur = 0;
    partition(s);
    refill(s);
}

/* Drops all cancelled entries, keeping memory bounded by a constant times the number of
 * pending events. */
static void compact(sim *s) {
    if (s->ladder) flush_inbox(s);
    s->n = purge(s, s->heap, s->n);
    heapify(s);
    for (size_t k = s->cur; k < s->nb; k++)
        s->b[k].n = (uint32_t)purge(s, s->b[k].e, s->b[k].n);
    s->top.n = (uint32_t)purge(s, s->top.e, s->top.n);
}

static int entry_cmp(const void *a, const void *b) {
    heap_entry x = *(const heap_entry *)a, y = *(const heap_entry *)b;
    return entry_less(x, y) ? -1 : entry_less(y, x) ? 1 : 0;
}

/* Gives pending events sequence numbers 0..n-1 in their current order; a sorted array is a
 * valid heap, so no rebuild is needed. The ladder is first folded into the heap. */
static void renumber(sim *s) {
    if (s->ladder) ladder_collapse(s);
    s->n = purge(s, s->heap, s->n);
    qsort(s->heap, s->n, sizeof *s->heap, entry_cmp);
    for (size_t i = 0; i < s->n; i++)
        s->heap[i].ord = ((uint64_t)i << SLOT_BITS) | (s->heap[i].ord & SLOT_MASK);
    s->next_seq = s->n;
}

sim_event_id sim_schedule(sim *s, sim_time at, sim_handler fn, void *target, uint64_t data) {
    if (at < s->now) at = s->now;
    if (s->next_seq == SEQ_LIMIT) renumber(s);
    uint32_t slot = s->free_head;
    if (slot != NO_SLOT) {
        s->free_head = s->pool[slot].link;
    } else {
        if (s->pool_used == s->cap && !grow(s)) return 0;
        slot = s->pool_used++;
        s->pool[slot].gen = 0;
    }
    event_slot *e = &s->pool[slot];
    e->fn = fn;
    e->target = target;
    e->data = data;
    e->gen++; /* now odd: pending */
    e->link = PENDING;
    s->live++;
    heap_entry he = {at, (s->next_seq++ << SLOT_BITS) | slot};
    if (at > s->hi) {
        s->inbox[s->inbox_n++] = he;
        if (s->inbox_n == INBOX) flush_inbox(s);
    } else {
        sift_up(s, s->n++, he);
        if (!s->ladder && s->n > s->spill_at) spill(s);
    }
    return ((uint64_t)e->gen << 32) | slot;
}

sim_event_id sim_schedule_in(sim *s, sim_time delay, sim_handler fn, void *target, uint64_t data) {
    sim_time at;
    if (delay <= 0)
        at = s->now;
    else if (delay > SIM_TIME_MAX - s->now)
        at = SIM_TIME_MAX;
    else
        at = s->now + delay;
    return sim_schedule(s, at, fn, target, data);
}

bool sim_cancel(sim *s, sim_event_id id) {
    uint32_t slot = (uint32_t)id;
    uint32_t gen = (uint32_t)(id >> 32);
    if (!(gen & 1u) || slot >= s->pool_used || s->pool[slot].gen != gen) return false;
    s->pool[slot].gen++; /* even: the handle no longer matches */
    s->pool[slot].link = DEAD;
    s->live--;
    s->dead++;
    if (s->dead > s->live + DEAD_SLACK) compact(s);
    return true;
}

sim_stop_reason sim_run(sim *s, sim_time until) {
    s->stop_requested = false;
    for (;;) {
        heap_entry top;
        event_slot *ev;
        for (;;) {
            if (s->n == 0) {
                refill(s);
                if (s->n == 0) return SIM_STOP_EMPTY;
            }
            top = s->heap[0];
            ev = &s->pool[entry_slot(top)];
            if (ev->link != DEAD) break;
            heap_pop(s);
            slot_free_dead(s, entry_slot(top));
        }
        if (top.at > until) {
            if (until != SIM_TIME_MAX && until > s->now) s->now = until;
            return SIM_STOP_TIME;
        }
        sim_handler fn = ev->fn;
        void *target = ev->target;
        uint64_t data = ev->data;
        /* Released before the handler runs, so the handler may reuse it and a cancel of its
         * own handle reports that the event is no longer pending. */
        ev->gen++; /* even: free */
        ev->link = s->free_head;
        s->free_head = entry_slot(top);
        s->live--;
        heap_pop(s);
        /* The next event's slot is a likely cache miss with many pending: start it now, so
         * that it overlaps this handler. */
        if (s->n > 0) __builtin_prefetch(&s->pool[entry_slot(s->heap[0])], 1);
        s->now = top.at;
        fn(s, target, data);
        s->executed++;
        if (s->hook_every && --s->hook_countdown == 0) {
            s->hook_countdown = s->hook_every;
            s->hook(s, s->hook_ctx);
        }
        if (s->stop_requested) {
            s->stop_requested = false;
            return SIM_STOP_REQUESTED;
        }
    }
}

void sim_request_stop(sim *s) {
    s->stop_requested = true;
}

void sim_set_hook(sim *s, sim_hook fn, void *ctx, uint64_t every) {
    s->hook = fn;
    s->hook_ctx = ctx;
    s->hook_every = fn ? every : 0;
    s->hook_countdown = every;
}

uint64_t sim_events_executed(const sim *s) {
    return s->executed;
}

size_t sim_pending(const sim *s) {
    return s->live;
}

uint64_t sim_engine_seq_limit(void) {
    return SEQ_LIMIT;
}

void sim_engine_set_next_seq(sim *s, uint64_t seq) {
    if (seq > s->next_seq && seq <= SEQ_LIMIT) s->next_seq = seq;
}

void sim_engine_set_spill(sim *s, size_t pending) {
    s->spill_at = pending < 4 ? 4 : pending;
}

bool sim_engine_ladder_active(const sim *s) {
    return s->ladder;
}

size_t sim_engine_stored_entries(const sim *s) {
    size_t total = s->n + s->top.n + s->inbox_n;
    for (size_t k = s->cur; k < s->nb; k++)
        total += s->b[k].n;
    return total;
}
