/* The discrete-event engine: a 4-ary implicit heap of 16-byte (time, sequence|slot) entries
 * over a pool of event slots; handles carry a generation so that stale ones are harmless. */
#include "sim/engine.h"
#include "sim/engine_internal.h"

#include <stdlib.h>
#include <string.h>

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

typedef struct {
    sim_time at;
    uint64_t ord; /* (sequence << SLOT_BITS) | slot */
} heap_entry;

/* An odd generation means the slot is pending; firing or cancelling makes it even, so a
 * handle (which records the odd generation) can never match a later use of the slot. */
typedef struct {
    sim_handler fn;
    void *target;
    uint64_t data;
    uint32_t gen;
    uint32_t link; /* heap position while pending, next free slot while free */
} event_slot;

struct sim {
    sim_time now;
    heap_entry *heap; /* heap[1] is cache-line aligned, so each sibling group is one line */
    void *heap_block;
    size_t n;
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

static bool grow(sim *s) {
    if (s->cap >= MAX_SLOTS) return false;
    size_t cap = s->cap * 2;
    if (cap > MAX_SLOTS) cap = MAX_SLOTS;
    event_slot *pool = realloc(s->pool, cap * sizeof *pool);
    if (!pool) return false;
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
    s->pool = malloc(cap * sizeof *s->pool);
    s->heap = heap_alloc(cap, &s->heap_block);
    if (!s->pool || !s->heap) {
        sim_free(s);
        return NULL;
    }
    s->free_head = NO_SLOT;
    return s;
}

void sim_free(sim *s) {
    if (!s) return;
    free(s->pool);
    free(s->heap_block);
    free(s);
}

sim_time sim_now(const sim *s) {
    return s->now;
}

static inline void heap_place(sim *s, size_t pos, heap_entry e) {
    s->heap[pos] = e;
    s->pool[entry_slot(e)].link = (uint32_t)pos;
}

static inline void sift_up(sim *s, size_t pos, heap_entry e) {
    heap_entry *h = s->heap;
    while (pos > 0) {
        size_t parent = (pos - 1) >> 2;
        if (!entry_less(e, h[parent])) break;
        heap_place(s, pos, h[parent]);
        pos = parent;
    }
    heap_place(s, pos, e);
}

static inline void sift_down(sim *s, size_t pos, heap_entry e) {
    heap_entry *h = s->heap;
    size_t n = s->n;
    for (;;) {
        size_t c = 4 * pos + 1;
        if (c >= n) break;
        /* The grandchildren are 16 consecutive entries (4 cache lines): fetching them while
         * this level is compared overlaps the memory latency of two levels. This gained
         * about 10% on the hold model with 10^6 pending events. */
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
        heap_place(s, pos, h[best]);
        pos = best;
    }
    heap_place(s, pos, e);
}

static int entry_cmp(const void *a, const void *b) {
    heap_entry x = *(const heap_entry *)a, y = *(const heap_entry *)b;
    return entry_less(x, y) ? -1 : entry_less(y, x) ? 1 : 0;
}

/* Gives pending events sequence numbers 0..n-1 in their current order; a sorted array is a
 * valid heap, so no rebuild is needed. */
static void renumber(sim *s) {
    qsort(s->heap, s->n, sizeof *s->heap, entry_cmp);
    for (size_t i = 0; i < s->n; i++) {
        uint64_t slot = s->heap[i].ord & SLOT_MASK;
        s->heap[i].ord = ((uint64_t)i << SLOT_BITS) | slot;
        s->pool[slot].link = (uint32_t)i;
    }
    s->next_seq = s->n;
}

sim_event_id sim_schedule(sim *s, sim_time at, sim_handler fn, void *target, uint64_t data) {
    if (at < s->now) at = s->now;
    uint32_t slot = s->free_head;
    if (slot != NO_SLOT) {
        s->free_head = s->pool[slot].link;
    } else {
        if (s->pool_used == s->cap && !grow(s)) return 0;
        slot = s->pool_used++;
        s->pool[slot].gen = 0;
    }
    if (s->next_seq == SEQ_LIMIT) renumber(s);
    event_slot *e = &s->pool[slot];
    e->fn = fn;
    e->target = target;
    e->data = data;
    e->gen++; /* now odd: pending */
    heap_entry he = {at, (s->next_seq++ << SLOT_BITS) | slot};
    sift_up(s, s->n++, he);
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

static inline void slot_release(sim *s, uint32_t slot) {
    event_slot *e = &s->pool[slot];
    e->gen++; /* now even: free */
    e->link = s->free_head;
    s->free_head = slot;
}

bool sim_cancel(sim *s, sim_event_id id) {
    uint32_t slot = (uint32_t)id;
    uint32_t gen = (uint32_t)(id >> 32);
    if (!(gen & 1u) || slot >= s->pool_used || s->pool[slot].gen != gen) return false;
    size_t pos = s->pool[slot].link;
    slot_release(s, slot);
    heap_entry last = s->heap[--s->n];
    if (pos < s->n) {
        if (pos > 0 && entry_less(last, s->heap[(pos - 1) >> 2]))
            sift_up(s, pos, last);
        else
            sift_down(s, pos, last);
    }
    return true;
}

sim_stop_reason sim_run(sim *s, sim_time until) {
    s->stop_requested = false;
    for (;;) {
        if (s->n == 0) return SIM_STOP_EMPTY;
        heap_entry top = s->heap[0];
        if (top.at > until) {
            if (until != SIM_TIME_MAX && until > s->now) s->now = until;
            return SIM_STOP_TIME;
        }
        uint32_t slot = entry_slot(top);
        event_slot ev = s->pool[slot];
        /* Released before the handler runs, so the handler may reuse it and a cancel of its
         * own handle reports that the event is no longer pending. */
        slot_release(s, slot);
        heap_entry last = s->heap[--s->n];
        if (s->n > 0) sift_down(s, 0, last);
        s->now = top.at;
        ev.fn(s, ev.target, ev.data);
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
    return s->n;
}

uint64_t sim_engine_seq_limit(void) {
    return SEQ_LIMIT;
}

void sim_engine_set_next_seq(sim *s, uint64_t seq) {
    if (seq > s->next_seq && seq <= SEQ_LIMIT) s->next_seq = seq;
}
