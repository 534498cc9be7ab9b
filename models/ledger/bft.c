/* BFT consensus in the style of Tendermint: per height, rounds of propose, prevote and
 * precommit with a quorum of more than two thirds of the validators, timeouts that grow with
 * the round, locking on a block once it has a quorum of prevotes, and instant finality.
 * Faults are crashes (a down validator neither sends nor hears); on recovery a validator
 * catches up with the committed chain and its peers re-send their current-round messages,
 * as Tendermint's gossip does for a peer that is behind. */
#include "models/ledger/ledger_internal.h"

#include <stdlib.h>
#include <string.h>

#define BFT_MAX 256
#define WORDS (BFT_MAX / 64)
#define VOTE_BYTES 120 /* a signed vote: height, round, type, block hash, signature */

enum { STEP_PROPOSE, STEP_PREVOTE, STEP_PRECOMMIT };
enum { MSG_PROPOSAL, MSG_PREVOTE, MSG_PRECOMMIT };
enum { TO_PROPOSE, TO_PREVOTE, TO_PRECOMMIT, TO_START };

typedef struct tally {
    uint32_t proposal;           /* block proposed in this round, as received */
    uint32_t pv_value, pc_value; /* the (single) block voted for in this round */
    uint64_t pv_block[WORDS], pv_nil[WORDS], pc_block[WORDS], pc_nil[WORDS];
    uint8_t pv_timer, pc_timer;
} tally;

typedef struct bval {
    uint64_t h;
    uint32_t r;
    uint8_t step, waiting;
    uint32_t locked, valid;
    uint32_t sent_prop, sent_pv,
        sent_pc; /* what it sent this round (LNONE-1: nil, LNONE: nothing) */
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
};

#define NIL (LNONE - 1)

static unsigned count(const uint64_t *w) {
    unsigned c = 0;
    for (int i = 0; i < WORDS; i++)
        c += (unsigned)__builtin_popcountll(w[i]);
    return c;
}

static void set_bit(uint64_t *w, uint32_t i) {
    w[i / 64] |= UINT64_C(1) << (i % 64);
}

static sim_time round_timeout(const ledger *l, uint32_t r) {
    return l->cfg.bft_timeout + (sim_time)r * l->cfg.bft_timeout_delta;
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
        for (size_t i = v->t_cap; i < c; i++) {
            memset(&t[i], 0, sizeof t[i]);
            t[i].proposal = t[i].pv_value = t[i].pc_value = LNONE;
        }
        v->t = t;
        v->t_cap = c;
    }
    return &v->t[r];
}

static void reset_height(bval *v, uint64_t h) {
    v->h = h;
    v->r = 0;
    v->step = STEP_PROPOSE;
    v->locked = v->valid = LNONE;
    v->sent_prop = v->sent_pv = v->sent_pc = LNONE;
    for (size_t i = 0; i < v->t_cap; i++) {
        memset(&v->t[i], 0, sizeof v->t[i]);
        v->t[i].proposal = v->t[i].pv_value = v->t[i].pc_value = LNONE;
    }
}

static void on_message(sim *s, void *target, uint64_t data);
static void on_timeout(sim *s, void *target, uint64_t data);

static void send(ledger *l, uint32_t from, uint32_t to, uint32_t type, uint32_t value, uint64_t h,
                 uint32_t r) {
    bft_state *b = l->bft;
    uint32_t i;
    if (b->m_free != LNONE) {
        i = b->m_free;
        b->m_free = b->m[i].next_free;
    } else {
        if (b->m_n == b->m_cap) {
            size_t c = b->m_cap ? 2 * b->m_cap : 256;
            bmsg *p = realloc(b->m, c * sizeof *p);
            if (!p) {
                ledger_note_oom(l);
                return;
            }
            b->m = p;
            b->m_cap = c;
        }
        i = (uint32_t)b->m_n++;
    }
    b->m[i] = (bmsg){from, to, type, value, r, h, LNONE};
    size_t bytes = type == MSG_PROPOSAL ? l->blk[value].size : VOTE_BYTES;
    sim_time d = lnet_direct(&l->net, &l->cfg, from, to, bytes);
    if (!sim_schedule_in(l->s, d, on_message, l, i)) ledger_note_oom(l);
}

static void broadcast(ledger *l, uint32_t from, uint32_t type, uint32_t value) {
    bval *v = &l->bft->v[from];
    if (type == MSG_PROPOSAL) v->sent_prop = value;
    if (type == MSG_PREVOTE) v->sent_pv = value;
    if (type == MSG_PRECOMMIT) v->sent_pc = value;
    for (uint32_t u = 0; u < l->bft->n; u++)
        send(l, from, u, type, value, v->h, v->r);
}

static void set_timer(ledger *l, uint32_t vi, int kind, sim_time after) {
    bval *v = &l->bft->v[vi];
    uint64_t data = v->h << 32 | (uint64_t)(v->r & 0x3fffff) << 10 | (uint64_t)kind << 8 | vi;
    if (!sim_schedule_in(l->s, after, on_timeout, l, data)) ledger_note_oom(l);
}

static void prevote(ledger *l, uint32_t vi, uint32_t block) {
    bval *v = &l->bft->v[vi];
    uint32_t value = block != NIL && (v->locked == LNONE || v->locked == block) ? block : NIL;
    v->step = STEP_PREVOTE;
    broadcast(l, vi, MSG_PREVOTE, value);
}

static void enter_round(ledger *l, uint32_t vi, uint32_t r) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    v->r = r;
    v->step = STEP_PROPOSE;
    v->waiting = 0;
    v->sent_prop = v->sent_pv = v->sent_pc = LNONE;
    tally *t = get_tally(l, v, r);
    if (!t) return;
    if ((v->h + r) % b->n == vi) {
        uint32_t blk = v->valid;
        if (blk == LNONE) blk = chain_build_block(l, b->last_block, vi, r, 1);
        if (blk != LNONE) broadcast(l, vi, MSG_PROPOSAL, blk);
    }
    set_timer(l, vi, TO_PROPOSE, round_timeout(l, r));
    if (t->proposal != LNONE) prevote(l, vi, t->proposal);
}

static void commit(ledger *l, uint32_t vi, uint32_t blk) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    if (l->blk[blk].height > b->committed_height) {
        b->committed_height = l->blk[blk].height;
        b->last_block = blk;
        b->max_round = 0;
        chain_gateway_arrival(l, blk,
                              sim_now(l->s) +
                                  lnet_direct(&l->net, &l->cfg, vi, l->gateway, l->blk[blk].size));
    }
    reset_height(v, v->h + 1);
    v->waiting = 1;
    set_timer(l, vi, TO_START, l->cfg.interval);
}

static void check_precommits(ledger *l, uint32_t vi, uint32_t r) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    tally *t = &v->t[r];
    if (count(t->pc_block) >= b->quorum && t->proposal != LNONE && t->proposal == t->pc_value) {
        commit(l, vi, t->pc_value);
        return;
    }
    if (r == v->r && !v->waiting && !t->pc_timer &&
        count(t->pc_block) + count(t->pc_nil) >= b->quorum) {
        t->pc_timer = 1;
        set_timer(l, vi, TO_PRECOMMIT, round_timeout(l, r));
    }
}

static void check_prevotes(ledger *l, uint32_t vi, uint32_t r) {
    bft_state *b = l->bft;
    bval *v = &b->v[vi];
    tally *t = &v->t[r];
    if (r != v->r || v->waiting) return;
    if (count(t->pv_block) >= b->quorum && t->proposal != LNONE && t->proposal == t->pv_value) {
        v->valid = t->pv_value;
        if (v->step == STEP_PREVOTE) {
            v->locked = t->pv_value;
            v->step = STEP_PRECOMMIT;
            broadcast(l, vi, MSG_PRECOMMIT, t->pv_value);
        }
    } else if (count(t->pv_nil) >= b->quorum && v->step == STEP_PREVOTE) {
        v->step = STEP_PRECOMMIT;
        broadcast(l, vi, MSG_PRECOMMIT, NIL);
    }
    if (v->step == STEP_PREVOTE && !t->pv_timer &&
        count(t->pv_block) + count(t->pv_nil) >= b->quorum) {
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
            set_bit(t->pv_nil, m->from);
        } else {
            set_bit(t->pv_block, m->from);
            t->pv_value = m->value;
        }
        check_prevotes(l, vi, m->r);
        break;
    default:
        if (m->value == NIL) {
            set_bit(t->pc_nil, m->from);
        } else {
            set_bit(t->pc_block, m->from);
            t->pc_value = m->value;
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
    if (!l->stopped) receive(l, &m);
}

static void on_timeout(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    bft_state *b = l->bft;
    uint32_t vi = data & 0xff, r = (uint32_t)(data >> 10) & 0x3fffff;
    int kind = (int)(data >> 8) & 3;
    uint64_t h = data >> 32;
    bval *v = &b->v[vi];
    if (l->stopped || !l->up[vi] || v->h != h) return;
    if (kind == TO_START) {
        if (v->waiting) enter_round(l, vi, 0);
        return;
    }
    if (v->r != r || v->waiting) return;
    if (kind == TO_PROPOSE && v->step == STEP_PROPOSE) {
        prevote(l, vi, NIL);
        check_prevotes(l, vi, r);
    } else if (kind == TO_PREVOTE && v->step == STEP_PREVOTE) {
        v->step = STEP_PRECOMMIT;
        broadcast(l, vi, MSG_PRECOMMIT, NIL);
    } else if (kind == TO_PRECOMMIT) {
        if (r + 1 > b->max_round) {
            b->max_round = r + 1;
            l->rounds_failed++;
        }
        enter_round(l, vi, r + 1);
    }
}

void bft_node_changed(ledger *l, uint32_t node) {
    bft_state *b = l->bft;
    if (!b || node >= b->n || !l->up[node]) return;
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
    if (!b->v) return LEDGER_ENOMEM;
    for (uint32_t i = 0; i < b->n; i++) {
        reset_height(&b->v[i], 1);
        b->v[i].waiting = 1;
        set_timer(l, i, TO_START, l->cfg.interval);
    }
    return l->oom ? LEDGER_ENOMEM : LEDGER_OK;
}

void bft_free(ledger *l) {
    bft_state *b = l->bft;
    if (!b) return;
    for (uint32_t i = 0; b->v && i < b->n; i++)
        free(b->v[i].t);
    free(b->v);
    free(b->m);
    free(b);
    l->bft = NULL;
}
