/* BFT consensus in the style of Tendermint: per height, rounds of propose, prevote and
 * precommit with a quorum of more than two thirds of the validators, timeouts that grow with
 * the round, locking on a block once it has a quorum of prevotes, and instant finality.
 * Faults are crashes (a down validator neither sends nor hears); on recovery a validator
 * catches up with the committed chain and its peers re-send their current-round messages,
 * as Tendermint's gossip does for a peer that is behind.
 *
 * Two ways to run a height, with the same outcome where both apply (docs/chain.md):
 * - the height in one step: when round 0 is bound to commit (enough validators up, the
 *   proposer up, no fault due, every proposal in before its timeout), each validator's
 *   prevote, precommit and commit times follow from the latency matrix as order statistics
 *   (the quorum-th earliest arrival of the votes it hears), and only the events that change
 *   the chain are scheduled: the proposal (block built) and the gateway's commit;
 * - message by message: one event per vote delivered, with every timeout, for heights where
 *   round 0 may fail (crashes, recoveries, a down proposer, slow links). */
#include "models/ledger/ledger_internal.h"
#include "sim/error.h"

#include <stdlib.h>
#include <string.h>

#define BFT_MAX 256
#define WORDS (BFT_MAX / 64)
#define VOTE_BYTES 120 /* a signed vote: height, round, type, block hash, signature */

enum { STEP_PROPOSE, STEP_PREVOTE, STEP_PRECOMMIT };
enum { MSG_PROPOSAL, MSG_PREVOTE, MSG_PRECOMMIT };
enum { TO_PROPOSE, TO_PREVOTE, TO_PRECOMMIT, TO_START };

/* Votes received in one round: who (bit sets, so a re-sent vote counts once) and how many. */
typedef struct tally {
    uint32_t proposal;           /* block proposed in this round, as received */
    uint32_t pv_value, pc_value; /* the first block voted for in this round */
    uint64_t pv_block[WORDS], pv_nil[WORDS], pc_block[WORDS], pc_nil[WORDS];
    uint16_t n_pv_block, n_pv_nil, n_pc_block, n_pc_nil;
    /* a second block, only when an equivocating proposer sent two in this round */
    uint32_t pv_value2, pc_value2;
    uint64_t pv_block2[WORDS], pc_block2[WORDS];
    uint16_t n_pv_block2, n_pc_block2;
    uint8_t pv_timer, pc_timer;
} tally;

typedef struct bval {
    uint64_t h;
    uint32_t r;
    uint8_t step, waiting;
    uint8_t txwait; /* empty_blocks false: entered the height, waits for a transaction */
    uint32_t locked, valid;
    uint32_t sent_prop, sent_pv,
        sent_pc;       /* what it sent this round (LNONE-1: nil, LNONE: nothing) */
    sim_time start_at; /* when it enters round 0 of height h (while waiting) */
    sim_time txwait_at;
    tally *t;
    size_t t_cap;
} bval;

typedef struct bmsg {
    uint32_t from, to, type, value, r;
    uint64_t h;
    uint32_t next_free;
} bmsg;

struct bft_state {
    bval *v;
    uint32_t n, quorum;
    bmsg *m;
    size_t m_n, m_cap;
    uint32_t m_free;
    uint64_t committed_height;
    uint32_t last_block;
    uint32_t max_round;
    uint8_t epoch; /* bumped when heights switch to one step: older timers are void */

    /* heights in one step */
    bool fast;
    bool idle;                  /* empty_blocks false: no transaction waiting, no height running */
    uint64_t fh;                /* the height to run next */
    sim_time *enter;            /* per validator: when it enters round 0 of fh (LTIME_INF: down) */
    sim_time *dv;               /* n x n: latency of a vote from i to j */
    sim_time dv_max;            /* largest entry of dv */
    sim_time *prop_max;         /* per proposer: latency of a largest block to its farthest peer */
    sim_time *a, *pv, *pc, *cm; /* scratch: proposal, prevote, precommit, commit times */
    sim_time *top;              /* scratch: sorted arrivals, with a sentinel at each end */
    double *lat, *upb; /* (n + 1) x (n + 1): link parts from validator to validator/gateway */
    sim_time *dvr;     /* n x n_reg: vote latency from a validator to another in a region */
    uint32_t n_reg;    /* regions that have validators */
    uint32_t *reg_off, *reg_mem; /* validators by region */
    sim_event_id ev;             /* pending height or proposal event */
    sim_time ev_at;

    /* equivocation (adversary.attack: equivocate): validators 0..n_byz-1 propose two blocks
     * and vote for both, each to its own half of the honest validators */
    uint32_t n_byz;
    uint64_t eq_h;
    uint32_t eq_r, eq_a, eq_b;
    uint64_t equivocations, violations, first_violation, last_violation;
};

#define NIL (LNONE - 1)
#define H_MASK ((UINT64_C(1) << 30) - 1)

static void set_bit(uint64_t *w, uint16_t *count, uint32_t i) {
    uint64_t bit = UINT64_C(1) << (i % 64);
    if (w[i / 64] & bit) return;
    w[i / 64] |= bit;
    (*count)++;
}

/* Votes of one kind for block x in a tally (first or second value). */
static uint16_t votes_for(uint32_t x, uint32_t v1, uint16_t n1, uint32_t v2, uint16_t n2) {
    return x == LNONE ? 0 : x == v1 ? n1 : x == v2 ? n2 : 0;
}

static void add_vote(uint32_t *v1, uint64_t *b1, uint16_t *n1, uint32_t *v2, uint64_t *b2,
                     uint16_t *n2, uint32_t value, uint32_t from) {
    if (*v1 == LNONE || *v1 == value) {
        *v1 = value;
        set_bit(b1, n1, from);
    } else if (*v2 == LNONE || *v2 == value) {
        *v2 = value;
        set_bit(b2, n2, from);
    }
}

static sim_time round_timeout(const ledger *l, uint32_t r) {
    return l->cfg.bft_timeout + (sim_time)r * l->cfg.bft_timeout_delta;
}

static void clear_tally(tally *t) {
    memset(t, 0, sizeof *t);
    t->proposal = t->pv_value = t->pc_value = t->pv_value2 = t->pc_value2 = LNONE;
}

static tally *get_tally(ledger *l, bval *v, uint32_t r) {
    if (r >= v->t_cap) {
        size_t c = v->t_cap ? v->t_cap : 4;
        while (c <= r)
            c *= 2;
        tally *t = realloc(v->t, c * sizeof *t);
        if (!t) {
            ledger_note_oom(l);
            return NULL;
        }
        for (size_t i = v->t_cap; i < c; i++)
            clear_tally(&t[i]);
        v->t = t;
        v->t_cap = c;
    }
    return &v->t[r];
}

static void reset_height(bval *v, uint64_t h) {
    v->h = h;
    v->r = 0;
    v->step = STEP_PROPOSE;
    v->txwait = 0;
    v->locked = v->valid = LNONE;
    v->sent_prop = v->sent_pv = v->sent_pc = LNONE;
    for (size_t i = 0; i < v->t_cap; i++)
        clear_tally(&v->t[i]);
}

static void on_message(sim *s, void *target, uint64_t data);
static void on_timeout(sim *s, void *target, uint64_t data);
static void try_fast(ledger *l);

static void send(ledger *l, uint32_t from, uint32_t to, uint32_t type, uint32_t value, uint64_t h,
                 uint32_t r) {
    bft_state *b = l->bft;
    uint32_t i;
    if (b->m_free != LNONE) {
        i = b->m_free;
        b->m_free = b->m[i].next_free;
    } else {
        if (SIM_GROW(&b->m, &b->m_cap, b->m_n + 1, 256) != SIM_OK) {
            ledger_note_oom(l);
            return;
        }
        i = (uint32_t)b->m_n++;
    }
    b->m[i] = (bmsg){from, to, type, value, r, h, LNONE};
    sim_time d = type == MSG_PROPOSAL ? lnet_direct(&l->net, &l->cfg, from, to, l->blk[value].size)
                                      : b->dv[(size_t)from * b->n + to];
    if (!sim_schedule_in(l->s, d, on_message, l, i)) ledger_note_oom(l);
}

/* Equivocation splits the honest validators in two halves; Byzantine ones hear the first
 * half's block. */
static bool second_half(const bft_state *b, uint32_t u) {
    return u >= b->n_byz + (b->n - b->n_byz + 1) / 2;
}

/* A Byzantine proposer makes a second block (its transactions left out, one byte of filler
 * so that it differs even when both are empty) and sends one block to each half; in that
 * round Byzantine validators vote for both, each to its half. */
static bool equivocate(ledger *l, uint32_t from, uint32_t type, uint32_t value) {
    bft_state *b = l->bft;
    bval *v = &b->v[from];
    if (from >= b->n_byz || value == NIL || value == LNONE) return false;
    if (type == MSG_PROPOSAL) {
        uint32_t other = chain_build_block_txs(l, b->last_block, from, 1, v->r, NULL, 0);
        if (other == LNONE) return false;
        l->blk[other].extra++;
        l->blk[other].size++;
        lblock_hash(&l->blk[other]);
        b->eq_h = v->h;
        b->eq_r = v->r;
        b->eq_a = value;
        b->eq_b = other;
        b->equivocations++;
    } else if (b->eq_h != v->h || b->eq_r != v->r || (value != b->eq_a && value != b->eq_b)) {
        return false;
    }
    for (uint32_t u = 0; u < b->n; u++)
        send(l, from, u, type, second_half(b, u) ? b->eq_b : b->eq_a, v->h, v->r);
    return true;
}

static void broadcast(ledger *l, uint32_t from, uint32_t type, uint32_t value) {
    bval *v = &l->bft->v[from];
    if (type == MSG_PROPOSAL) v->sent_prop = value;
    if (type == MSG_PREVOTE) v->sent_pv = value;
    if (type == MSG_PRECOMMIT) v->sent_pc = value;
    if (l->bft->n_byz && equivocate(l, from, type, value)) return;
    for (uint32_t u = 0; u < l->bft->n; u++)
        send(l, from, u, type, value, v->h, v->r);
}

/* Timer payload: height (30 bits), round (16), epoch (8), kind (2), validator (8). */
static void set_timer_at(ledger *l, uint32_t vi, int kind, sim_time at) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    uint64_t data = (v->h & H_MASK) << 34 | (uint64_t)(v->r & 0xffff) << 18 |
                    (uint64_t)b->epoch << 10 | (uint64_t)kind << 8 | vi;
    if (kind == TO_START) v->start_at = at;
    if (!sim_schedule(l->s, at, on_timeout, l, data)) ledger_note_oom(l);
}

static void set_timer(ledger *l, uint32_t vi, int kind, sim_time after) {
    set_timer_at(l, vi, kind, sim_now(l->s) + after);
}

static void prevote(ledger *l, uint32_t vi, uint32_t block) {
    bval *v = &l->bft->v[vi];
    uint32_t value = block != NIL && (v->locked == LNONE || v->locked == block) ? block : NIL;
    v->step = STEP_PREVOTE;
    broadcast(l, vi, MSG_PREVOTE, value);
}

/* Enters round r; `prebuilt` (or LNONE) is the block the proposer of round 0 already made.
 * The propose timeout runs from `since` (a validator that entered earlier keeps its clock). */
static void enter_round_at(ledger *l, uint32_t vi, uint32_t r, uint32_t prebuilt, sim_time since) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    v->r = r;
    v->step = STEP_PROPOSE;
    v->waiting = 0;
    v->txwait = 0;
    v->sent_prop = v->sent_pv = v->sent_pc = LNONE;
    tally *t = get_tally(l, v, r);
    if (!t) return;
    if ((v->h + r) % b->n == vi) {
        uint32_t blk = prebuilt != LNONE ? prebuilt : v->valid;
        if (blk == LNONE) blk = chain_build_block(l, b->last_block, vi, r, 1);
        if (blk != LNONE) broadcast(l, vi, MSG_PROPOSAL, blk);
    }
    set_timer_at(l, vi, TO_PROPOSE, since + round_timeout(l, r));
    if (t->proposal != LNONE) prevote(l, vi, t->proposal);
}

static void enter_round(ledger *l, uint32_t vi, uint32_t r) {
    enter_round_at(l, vi, r, LNONE, sim_now(l->s));
}

static void commit(ledger *l, uint32_t vi, uint32_t blk) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    uint64_t h = l->blk[blk].height;
    if (h > b->committed_height) {
        b->committed_height = h;
        b->last_block = blk;
        b->max_round = 0;
        chain_gateway_arrival(l, blk,
                              sim_now(l->s) +
                                  lnet_direct(&l->net, &l->cfg, vi, l->gateway, l->blk[blk].size));
    } else if (b->n_byz) { /* a safety violation: another block is final at this height */
        uint32_t c = b->last_block;
        while (l->blk[c].height > h)
            c = l->blk[c].parent;
        if (c != blk && b->last_violation != h) {
            b->violations++;
            b->last_violation = h;
            if (!b->first_violation) b->first_violation = h;
        }
    }
    reset_height(v, v->h + 1);
    v->waiting = 1;
    set_timer(l, vi, TO_START, l->cfg.interval);
    try_fast(l);
}

static void check_precommits(ledger *l, uint32_t vi, uint32_t r) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    tally *t = &v->t[r];
    if (votes_for(t->proposal, t->pc_value, t->n_pc_block, t->pc_value2, t->n_pc_block2) >=
        b->quorum) {
        commit(l, vi, t->proposal);
        return;
    }
    if (r == v->r && !v->waiting && !t->pc_timer &&
        (uint32_t)t->n_pc_block + t->n_pc_block2 + t->n_pc_nil >= b->quorum) {
        t->pc_timer = 1;
        set_timer(l, vi, TO_PRECOMMIT, round_timeout(l, r));
    }
}

static void check_prevotes(ledger *l, uint32_t vi, uint32_t r) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    tally *t = &v->t[r];
    if (r != v->r || v->waiting) return;
    if (votes_for(t->proposal, t->pv_value, t->n_pv_block, t->pv_value2, t->n_pv_block2) >=
        b->quorum) {
        v->valid = t->proposal;
        if (v->step == STEP_PREVOTE) {
            v->locked = t->proposal;
            v->step = STEP_PRECOMMIT;
            broadcast(l, vi, MSG_PRECOMMIT, t->proposal);
        }
    } else if (t->n_pv_nil >= b->quorum && v->step == STEP_PREVOTE) {
        v->step = STEP_PRECOMMIT;
        broadcast(l, vi, MSG_PRECOMMIT, NIL);
    }
    if (v->step == STEP_PREVOTE && !t->pv_timer &&
        (uint32_t)t->n_pv_block + t->n_pv_block2 + t->n_pv_nil >= b->quorum) {
        t->pv_timer = 1;
        set_timer(l, vi, TO_PREVOTE, round_timeout(l, r));
    }
}

static void receive(ledger *l, const bmsg *m) {
    bft_state *b = l->bft;
    uint32_t vi = m->to;
    bval *v = &b->v[vi];
    if (!l->up[vi] || m->h < v->h) return;
    if (m->h > v->h) { /* it missed the commit: catch up from the committed chain */
        reset_height(v, m->h);
        v->waiting = 0;
        enter_round(l, vi, m->r);
    } else if (m->r > v->r && !v->waiting) {
        enter_round(l, vi, m->r); /* crash faults only: any message of a later round is honest */
    }
    tally *t = get_tally(l, v, m->r);
    if (!t) return;
    switch (m->type) {
    case MSG_PROPOSAL:
        t->proposal = m->value;
        if (m->r == v->r && v->step == STEP_PROPOSE && !v->waiting) prevote(l, vi, m->value);
        check_prevotes(l, vi, m->r);
        check_precommits(l, vi, m->r);
        break;
    case MSG_PREVOTE:
        if (m->value == NIL) {
            set_bit(t->pv_nil, &t->n_pv_nil, m->from);
        } else {
            add_vote(&t->pv_value, t->pv_block, &t->n_pv_block, &t->pv_value2, t->pv_block2,
                     &t->n_pv_block2, m->value, m->from);
        }
        check_prevotes(l, vi, m->r);
        break;
    default:
        if (m->value == NIL) {
            set_bit(t->pc_nil, &t->n_pc_nil, m->from);
        } else {
            add_vote(&t->pc_value, t->pc_block, &t->n_pc_block, &t->pc_value2, t->pc_block2,
                     &t->n_pc_block2, m->value, m->from);
        }
        check_precommits(l, vi, m->r);
        break;
    }
}

static void on_message(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    bft_state *b = l->bft;
    bmsg m = b->m[data];
    b->m[data].next_free = b->m_free;
    b->m_free = (uint32_t)data;
    /* a message still in flight when heights went to one step belongs to a committed height */
    if (!l->stopped && !b->fast) receive(l, &m);
}

/* empty_blocks false: the earliest time a transaction waiting for the next block has reached
 * every node (LTIME_INF: none waits). */
static sim_time tx_ready(ledger *l) {
    if (l->cfg.bft_empty_blocks) return 0;
    return mempool_next_visible(l, l->bft->last_block);
}

static void on_timeout(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    bft_state *b = l->bft;
    uint32_t vi = data & 0xff, r = (uint32_t)(data >> 18) & 0xffff;
    int kind = (int)(data >> 8) & 3;
    uint8_t epoch = (uint8_t)(data >> 10);
    uint64_t h = data >> 34;
    bval *v = &b->v[vi];
    if (l->stopped || b->fast || epoch != b->epoch || !l->up[vi] || (v->h & H_MASK) != h) return;
    if (kind == TO_START) {
        if (!v->waiting) return;
        sim_time ready = tx_ready(l);
        if (ready > sim_now(s)) { /* Tendermint's create_empty_blocks = false */
            v->txwait = 1;
            v->txwait_at = ready;
            if (ready != LTIME_INF) set_timer_at(l, vi, TO_START, ready);
            return;
        }
        enter_round(l, vi, 0);
        return;
    }
    if ((v->r & 0xffff) != r || v->waiting) return;
    if (kind == TO_PROPOSE && v->step == STEP_PROPOSE) {
        prevote(l, vi, NIL);
        check_prevotes(l, vi, v->r);
    } else if (kind == TO_PREVOTE && v->step == STEP_PREVOTE) {
        v->step = STEP_PRECOMMIT;
        broadcast(l, vi, MSG_PRECOMMIT, NIL);
    } else if (kind == TO_PRECOMMIT) {
        r = v->r;
        if (r + 1 > b->max_round) {
            b->max_round = r + 1;
            l->rounds_failed++;
        }
        enter_round(l, vi, r + 1);
    }
}

/* ---- heights in one step */

static void on_height(sim *s, void *target, uint64_t data);
static void on_proposal(sim *s, void *target, uint64_t data);

static void schedule_step(ledger *l, sim_time at, sim_handler fn) {
    bft_state *b = l->bft;
    b->ev_at = at;
    b->ev = sim_schedule(l->s, at, fn, l, b->fh);
    if (!b->ev) ledger_note_oom(l);
}

/* Whether a fault (crash or recovery) is due in [from, to]. */
static bool fault_due(const ledger *l, sim_time from, sim_time to) {
    size_t lo = 0, hi = l->n_fault_at;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->fault_at[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n_fault_at && l->fault_at[lo] <= to;
}

/* Hands height fh to the message-by-message rounds: validators that have entered it (at
 * enter[i] <= now) are in round 0 with their propose clocks running, the others wait. */
static void go_slow(ledger *l, uint32_t prebuilt) {
    bft_state *b = l->bft;
    sim_time now = sim_now(l->s);
    if (b->ev) sim_cancel(l->s, b->ev);
    b->ev = 0;
    b->fast = false;
    b->idle = false;
    b->epoch++;
    for (uint32_t i = 0; i < b->n; i++) {
        reset_height(&b->v[i], b->fh);
        b->v[i].waiting = 1;
        b->v[i].start_at = b->enter[i];
    }
    sim_time ready = prebuilt != LNONE ? 0 : tx_ready(l);
    for (uint32_t i = 0; i < b->n; i++) {
        bval *v = &b->v[i];
        if (!l->up[i] || b->enter[i] == LTIME_INF) continue;
        if (b->enter[i] > now) {
            set_timer_at(l, i, TO_START, b->enter[i]);
        } else if (ready > now) { /* empty_blocks false: entered, waits for a transaction */
            v->txwait = 1;
            v->txwait_at = ready;
            if (ready != LTIME_INF) set_timer_at(l, i, TO_START, ready);
        } else {
            enter_round_at(l, i, 0, prebuilt, b->enter[i]);
        }
    }
}

/* The rounds go back to one step at a height boundary: every validator that is up has
 * committed (or is down) and waits for the next height, so no message of it exists yet. */
static void try_fast(ledger *l) {
    bft_state *b = l->bft;
    if (b->fast || b->n_byz) return; /* equivocation runs message by message */
    uint64_t h = b->committed_height + 1;
    sim_time first = LTIME_INF;
    for (uint32_t i = 0; i < b->n; i++) {
        if (!l->up[i]) continue;
        if (b->v[i].h != h || !b->v[i].waiting) return;
        if (b->v[i].start_at < first) first = b->v[i].start_at;
    }
    if (first == LTIME_INF) return; /* nobody up */
    b->fast = true;
    b->epoch++;
    b->fh = h;
    for (uint32_t i = 0; i < b->n; i++)
        b->enter[i] = l->up[i] ? b->v[i].start_at : LTIME_INF;
    sim_time now = sim_now(l->s);
    schedule_step(l, first > now ? first : now, on_height);
}

/* One block of `bytes` from validator i to j (j == n: the gateway), as lnet_direct. */
static sim_time link_time(const bft_state *b, uint32_t i, uint32_t j, uint32_t bytes) {
    if (i == j) return 0;
    size_t k = (size_t)i * (b->n + 1) + j;
    return (sim_time)(b->lat[k] + (double)bytes * b->upb[k] + 0.5);
}

/* out[j] = when validator j has heard a quorum of the messages the up validators sent at x[i]:
 * the quorum-th earliest arrival. Vote latency depends only on the two regions, so within a
 * region every receiver sees the same arrivals but its own (no latency): one sort per region,
 * then each receiver's order statistic with its own arrival replaced. */
static void quorum_step(const ledger *l, const sim_time *x, sim_time *out) {
    const bft_state *b = l->bft;
    uint32_t q = b->quorum, nr = b->n_reg;
    sim_time *s = b->top;
    for (uint32_t g = 0; g < nr; g++) {
        uint32_t m = 0;
        for (uint32_t i = 0; i < b->n; i++) {
            if (!l->up[i]) continue;
            sim_time t = x[i] + b->dvr[(size_t)i * nr + g];
            uint32_t p = ++m;
            while (p > 1 && s[p - 1] > t) {
                s[p] = s[p - 1];
                p--;
            }
            s[p] = t;
        }
        s[0] = INT64_MIN;
        s[m + 1] = LTIME_INF;
        sim_time below = s[q - 1], at = s[q], above = s[q + 1];
        for (uint32_t k = b->reg_off[g]; k < b->reg_off[g + 1]; k++) {
            uint32_t j = b->reg_mem[k];
            if (!l->up[j]) continue;
            /* j's arrival e becomes x[j]: the quorum-th of the others plus x[j] */
            sim_time e = x[j] + b->dvr[(size_t)j * nr + g];
            sim_time lo = e >= at ? below : at, hi = e > at ? at : above;
            sim_time mine = x[j] < hi ? x[j] : hi;
            out[j] = lo > mine ? lo : mine;
        }
    }
}

static void on_height(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    bft_state *b = l->bft;
    if (l->stopped || !b->fast || data != b->fh) return;
    b->ev = 0;
    b->idle = false;
    sim_time now = sim_now(s);
    sim_time first = LTIME_INF, last = 0;
    uint32_t up = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        if (!l->up[i]) continue;
        up++;
        if (b->enter[i] < first) first = b->enter[i];
        if (b->enter[i] > last) last = b->enter[i];
    }
    if (first > now) { /* the earliest validator crashed meanwhile */
        if (first != LTIME_INF) schedule_step(l, first, on_height);
        return;
    }
    sim_time ready = tx_ready(l);
    if (ready == LTIME_INF) { /* empty_blocks false and nothing to put in a block */
        b->idle = true;
        return;
    }
    /* validators that entered before a transaction was there start round 0 when it is */
    for (uint32_t i = 0; i < b->n; i++)
        if (b->enter[i] != LTIME_INF && b->enter[i] < ready) b->enter[i] = ready;
    if (ready > now) {
        schedule_step(l, ready, on_height);
        return;
    }
    first = first > ready ? first : ready;
    last = last > ready ? last : ready;
    uint32_t p = (uint32_t)(b->fh % b->n);
    sim_time ep = b->enter[p];
    /* round 0 commits unless: too few validators up, the proposer down, a validator's
     * propose timeout may run out before the proposal is sent, or a fault is due before the
     * last possible commit (proposal of the largest size, two vote hops) */
    if (up < b->quorum || !l->up[p] || ep - first >= round_timeout(l, 0) ||
        fault_due(l, first, (last > ep ? last : ep) + b->prop_max[p] + 2 * b->dv_max)) {
        go_slow(l, LNONE);
        return;
    }
    if (ep > now)
        schedule_step(l, ep, on_proposal);
    else
        on_proposal(s, l, b->fh);
}

static void on_proposal(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    bft_state *b = l->bft;
    if (l->stopped || !b->fast || data != b->fh) return;
    b->ev = 0;
    uint32_t n = b->n, p = (uint32_t)(b->fh % n);
    uint32_t blk = chain_build_block(l, b->last_block, p, 0, 1);
    if (blk == LNONE) return;
    uint32_t size = l->blk[blk].size;
    sim_time t0 = round_timeout(l, 0), ep = b->enter[p];
    for (uint32_t j = 0; j < n; j++) {
        if (!l->up[j]) continue;
        b->a[j] = ep + link_time(b, p, j, size);
        if (b->a[j] >= b->enter[j] + t0) { /* its propose timeout would run out first */
            go_slow(l, blk);
            return;
        }
        b->pv[j] = b->a[j] > b->enter[j] ? b->a[j] : b->enter[j];
    }
    quorum_step(l, b->pv, b->pc);
    for (uint32_t j = 0; j < n; j++)
        if (l->up[j] && b->pc[j] < b->pv[j]) b->pc[j] = b->pv[j];
    quorum_step(l, b->pc, b->cm);
    sim_time cmin = LTIME_INF, cmax = 0, gw = LTIME_INF;
    for (uint32_t j = 0; j < n; j++) {
        if (!l->up[j]) continue;
        if (b->cm[j] < b->a[j]) b->cm[j] = b->a[j];
        if (b->cm[j] < b->pc[j]) { /* it would commit before its own votes went out */
            go_slow(l, blk);
            return;
        }
        if (b->cm[j] < cmin) cmin = b->cm[j];
        if (b->cm[j] > cmax) cmax = b->cm[j];
        sim_time g = b->cm[j] + link_time(b, j, n, size);
        if (g < gw) gw = g;
    }
    if (cmin + l->cfg.interval <= cmax) { /* the next height would overtake a late committer */
        go_slow(l, blk);
        return;
    }
    b->committed_height = l->blk[blk].height;
    b->last_block = blk;
    b->max_round = 0;
    chain_gateway_arrival(l, blk, gw);
    for (uint32_t j = 0; j < n; j++)
        b->enter[j] = l->up[j] ? b->cm[j] + l->cfg.interval : LTIME_INF;
    b->fh++;
    schedule_step(l, cmin + l->cfg.interval, on_height);
}

void bft_tx_added(ledger *l, sim_time visible) {
    bft_state *b = l->bft;
    if (!b || l->cfg.bft_empty_blocks || l->stopped) return;
    if (b->fast) {
        if (!b->idle || (b->ev && b->ev_at <= visible)) return;
        if (b->ev) sim_cancel(l->s, b->ev);
        schedule_step(l, visible, on_height);
        return;
    }
    for (uint32_t i = 0; i < b->n; i++) {
        bval *v = &b->v[i];
        if (!l->up[i] || !v->txwait || v->txwait_at <= visible) continue;
        v->txwait_at = visible;
        set_timer_at(l, i, TO_START, visible);
    }
}

void bft_node_changed(ledger *l, uint32_t node) {
    bft_state *b = l->bft;
    if (!b || node >= b->n) return;
    if (b->fast) {
        if (!l->up[node]) { /* between heights: it simply takes no part in the next ones */
            b->enter[node] = LTIME_INF;
            return;
        }
        go_slow(l, LNONE);
    }
    if (!l->up[node]) {
        try_fast(l);
        return;
    }
    bval *v = &b->v[node];
    uint64_t h = b->committed_height + 1;
    uint32_t r = 0;
    for (uint32_t u = 0; u < b->n; u++)
        if (u != node && l->up[u] && b->v[u].h == h && !b->v[u].waiting && b->v[u].r > r)
            r = b->v[u].r;
    reset_height(v, h);
    enter_round(l, node, r);
    for (uint32_t u = 0; u < b->n; u++) {
        bval *p = &b->v[u];
        if (u == node || !l->up[u] || p->h != h || p->r != r || p->waiting) continue;
        if (p->sent_prop != LNONE) send(l, u, node, MSG_PROPOSAL, p->sent_prop, h, r);
        if (p->sent_pv != LNONE) send(l, u, node, MSG_PREVOTE, p->sent_pv, h, r);
        if (p->sent_pc != LNONE) send(l, u, node, MSG_PRECOMMIT, p->sent_pc, h, r);
    }
}

int bft_start(ledger *l) {
    if (l->n_validators > BFT_MAX) return LEDGER_EINVAL;
    bft_state *b = calloc(1, sizeof *b);
    if (!b) return LEDGER_ENOMEM;
    l->bft = b;
    b->n = l->n_validators;
    b->quorum = 2 * b->n / 3 + 1;
    b->m_free = LNONE;
    b->last_block = 0;
    b->v = calloc(b->n, sizeof *b->v);
    b->dv = malloc((size_t)b->n * b->n * sizeof *b->dv);
    b->enter = malloc(b->n * sizeof *b->enter);
    b->a = malloc((6 * (size_t)b->n + 2) * sizeof *b->a);
    size_t n1 = (size_t)b->n + 1;
    b->lat = malloc(n1 * n1 * sizeof *b->lat);
    b->upb = malloc(n1 * n1 * sizeof *b->upb);
    b->dvr = calloc((size_t)b->n * b->n, sizeof *b->dvr);
    b->reg_off = calloc((size_t)b->n + 1, sizeof *b->reg_off);
    b->reg_mem = malloc(b->n * sizeof *b->reg_mem);
    if (b->a) {
        b->pv = b->a + b->n;
        b->pc = b->pv + b->n;
        b->cm = b->pc + b->n;
        b->top = b->cm + b->n;
    }
    if (!b->v || !b->dv || !b->enter || !b->a || !b->lat || !b->upb || !b->dvr || !b->reg_off ||
        !b->reg_mem)
        return LEDGER_ENOMEM;
    b->prop_max = b->top + b->n + 2;
    for (uint32_t i = 0; i < b->n; i++)
        for (uint32_t j = 0; j <= b->n; j++) {
            uint32_t node = j < b->n ? j : l->gateway;
            size_t k = (size_t)i * n1 + j;
            b->lat[k] = b->upb[k] = 0;
            if (node != i) lnet_direct_parts(&l->net, &l->cfg, i, node, &b->lat[k], &b->upb[k]);
        }
    /* regions in order of first appearance, validators grouped by region */
    uint32_t *reg_of = b->reg_mem; /* reused below, filled in order */
    uint8_t seen[256];
    uint32_t gid[256];
    memset(seen, 0, sizeof seen);
    uint32_t *group = malloc(b->n * sizeof *group);
    if (!group) return LEDGER_ENOMEM;
    for (uint32_t i = 0; i < b->n; i++) {
        uint8_t r = l->net.region[i];
        if (!seen[r]) {
            seen[r] = 1;
            gid[r] = b->n_reg++;
        }
        group[i] = gid[r];
        b->reg_off[group[i] + 1]++;
    }
    for (uint32_t g = 0; g < b->n_reg; g++)
        b->reg_off[g + 1] += b->reg_off[g];
    uint32_t fill[256] = {0};
    for (uint32_t i = 0; i < b->n; i++)
        reg_of[b->reg_off[group[i]] + fill[group[i]]++] = i;
    for (uint32_t i = 0; i < b->n; i++)
        for (uint32_t g = 0; g < b->n_reg; g++)
            for (uint32_t k = b->reg_off[g]; k < b->reg_off[g + 1]; k++)
                if (reg_of[k] != i) {
                    b->dvr[(size_t)i * b->n_reg + g] =
                        lnet_direct(&l->net, &l->cfg, i, reg_of[k], VOTE_BYTES);
                    break;
                }
    free(group);
    for (uint32_t i = 0; i < b->n; i++)
        for (uint32_t j = 0; j < b->n; j++) {
            sim_time d = lnet_direct(&l->net, &l->cfg, i, j, VOTE_BYTES);
            b->dv[(size_t)i * b->n + j] = d;
            if (d > b->dv_max) b->dv_max = d;
        }
    size_t largest = (size_t)(l->cfg.block_max_bytes + LEDGER_HEADER_BYTES);
    for (uint32_t i = 0; i < b->n; i++) {
        b->prop_max[i] = 0;
        for (uint32_t j = 0; j < b->n; j++) {
            sim_time d = lnet_direct(&l->net, &l->cfg, i, j, largest);
            if (d > b->prop_max[i]) b->prop_max[i] = d;
        }
    }
    /* every validator waits one interval after genesis, then height 1 runs */
    if (l->cfg.adv_attack == LEDGER_ATTACK_EQUIVOCATE) b->n_byz = (uint32_t)l->cfg.adv_validators;
    for (uint32_t i = 0; i < b->n; i++) {
        reset_height(&b->v[i], 1);
        b->v[i].waiting = 1;
        b->v[i].start_at = sim_now(l->s) + l->cfg.interval;
        if (b->n_byz) set_timer_at(l, i, TO_START, b->v[i].start_at);
    }
    try_fast(l);
    return l->oom ? LEDGER_ENOMEM : LEDGER_OK;
}

void bft_attack_counts(const ledger *l, uint64_t *equivocations, uint64_t *violations,
                       uint64_t *first_height) {
    const bft_state *b = l->bft;
    *equivocations = b ? b->equivocations : 0;
    *violations = b ? b->violations : 0;
    *first_height = b ? b->first_violation : 0;
}

void bft_free(ledger *l) {
    bft_state *b = l->bft;
    if (!b) return;
    for (uint32_t i = 0; b->v && i < b->n; i++)
        free(b->v[i].t);
    free(b->v);
    free(b->m);
    free(b->dv);
    free(b->enter);
    free(b->a);
    free(b->lat);
    free(b->upb);
    free(b->dvr);
    free(b->reg_off);
    free(b->reg_mem);
    free(b);
    l->bft = NULL;
}
