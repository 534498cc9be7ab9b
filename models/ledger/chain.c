/* The block tree every back end grows: building a block, flooding it to the nodes that keep
 * a tip (validators, miners, the platform's gateway), the gateway's fork choice with
 * reorganisations, and finality (which pays the driver and calls the caller back). */
#include "models/ledger/ledger_internal.h"
#include "sim/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BTX_FAILED 0x80000000u /* high bit of a l->btx entry: did not apply at the gateway */
#define WATCH_BITS 20

static uint32_t watcher_node(const ledger *l, uint32_t k) {
    return k < l->n_validators ? k : l->gateway;
}

/* Arrival times are kept for the last ARRIVAL_RING blocks only: they matter while a block can
 * still be a parent of a new one in flight; an older parent is everywhere already. */
#define ARRIVAL_RING 4096

static sim_time *arrival_row(const ledger *l, uint32_t b) {
    return l->arrival + (size_t)(b % ARRIVAL_RING) * l->n_watch;
}

static int grow_blocks(ledger *l) {
    if (!l->arrival) {
        l->arrival = malloc((size_t)ARRIVAL_RING * l->n_watch * sizeof *l->arrival);
        if (!l->arrival) return -1;
    }
    return SIM_GROW(&l->blk, &l->blk_cap, l->n_blk + 1, 256) == SIM_OK ? 0 : -1;
}

static void add_incl(ledger *l, uint32_t tx, uint32_t block) {
    if (SIM_GROW(&l->incl, &l->incl_cap, l->n_incl + 1, 1024) != SIM_OK) {
        ledger_note_oom(l);
        return;
    }
    l->incl[l->n_incl] = (incl_rec){block, l->tx[tx].incl};
    l->tx[tx].incl = (uint32_t)l->n_incl++;
}

static void seal(ledger *l, lblock *b) {
    uint8_t stackids[32 * 16] = {0};
    uint8_t *ids = b->n_tx <= 16 ? stackids : malloc(32 * (size_t)b->n_tx);
    if (!ids) {
        ledger_note_oom(l);
        memset(b->merkle, 0xff, 32);
    } else {
        for (uint32_t i = 0; i < b->n_tx; i++)
            memcpy(ids + 32 * i, l->tx[l->btx[b->tx_off + i] & ~BTX_FAILED].id, 32);
        ledger_merkle_root(ids, b->n_tx, b->merkle);
        if (ids != stackids) free(ids);
    }
    lblock_hash(b);
}

#define MEMO_SLOTS 64

void chain_forget_floods(ledger *l) {
    for (size_t i = 0; l->memo && i < MEMO_SLOTS; i++)
        l->memo[i].used = 0;
}

/* Arrival offsets at each watcher of a block of `bytes` flooded from src (LTIME_INF:
 * unreachable); *half as lnet_flood's. Repeated floods (same source and size, nothing failed
 * since) are looked up instead of computed again: the result is the same. */
static const sim_time *flood(ledger *l, uint32_t src, uint32_t bytes, sim_time proc,
                             sim_time *half) {
    size_t slot = ((size_t)src * 2654435761u + bytes * 40503u + (size_t)proc) % MEMO_SLOTS;
    flood_memo *m = &l->memo[slot];
    sim_time *d = l->memo_dist + slot * l->n_watch;
    if (!m->used || m->src != src || m->bytes != bytes || m->proc != proc) {
        lnet_flood(&l->net, src, bytes, proc, l->up);
        for (uint32_t k = 0; k < l->n_watch; k++)
            d[k] = l->net.dist[watcher_node(l, k)];
        *m = (flood_memo){src, bytes, proc, l->net.half, 1};
    }
    *half = m->half;
    return d;
}

int chain_init(ledger *l) {
    l->memo = calloc(MEMO_SLOTS, sizeof *l->memo);
    l->memo_dist = malloc((size_t)MEMO_SLOTS * l->n_watch * sizeof *l->memo_dist);
    if (!l->memo || !l->memo_dist || grow_blocks(l)) return LEDGER_ENOMEM;
    lblock *g = &l->blk[0];
    memset(g, 0, sizeof *g);
    g->parent = LNONE;
    g->proposer = LEDGER_ACCOUNT_TREASURY;
    g->node = LNONE;
    g->difficulty = l->cfg.consensus == LEDGER_POW ? (uint64_t)l->cfg.interval : 1;
    g->work = g->difficulty;
    g->size = LEDGER_HEADER_BYTES;
    g->final = g->on_main = 1;
    g->prop50 = NAN;
    seal(l, g);
    l->n_blk = 1;
    for (uint32_t k = 0; k < l->n_watch; k++) {
        arrival_row(l, 0)[k] = 0;
        l->tip[k] = 0;
    }
    l->gw_tip = 0;
    return LEDGER_OK;
}

static uint32_t build(ledger *l, uint32_t parent, uint32_t node, uint32_t round,
                      uint64_t difficulty, const uint32_t *txs, uint32_t n_txs) {
    if (grow_blocks(l)) {
        ledger_note_oom(l);
        return LNONE;
    }
    sim_time now = sim_now(l->s);
    uint32_t bytes = 0, waiting = 0, n;
    if (txs) {
        if (SIM_GROW(&l->btx, &l->btx_cap, l->n_btx + n_txs, 1024) != SIM_OK) {
            ledger_note_oom(l);
            return LNONE;
        }
        for (n = 0; n < n_txs; n++) {
            l->btx[l->n_btx + n] = txs[n];
            bytes += l->tx[txs[n]].size;
        }
    } else {
        n = mempool_select(l, parent, node, now, &bytes, &waiting);
    }
    uint32_t bi = (uint32_t)l->n_blk++;
    lblock *b = &l->blk[bi];
    const lblock *p = &l->blk[parent];
    memset(b, 0, sizeof *b);
    b->parent = parent;
    b->height = p->height + 1;
    b->time = now;
    b->proposer = node < l->n_validators ? ledger_validator_account(l, node) : 0;
    b->node = node;
    b->round = round;
    b->extra = (uint32_t)l->cfg.extra_bytes;
    b->tx_off = (uint32_t)l->n_btx;
    b->n_tx = n;
    l->n_btx += n;
    b->size = LEDGER_HEADER_BYTES + bytes + b->extra;
    b->difficulty = difficulty;
    b->work = p->work + difficulty;
    b->prop50 = NAN;
    b->mempool = waiting;
    memcpy(b->prev_hash, p->hash, 32);
    seal(l, b);
    for (uint32_t i = 0; i < n; i++)
        add_incl(l, l->btx[b->tx_off + i], bi);
    sim_time *arr = arrival_row(l, bi);
    for (uint32_t k = 0; k < l->n_watch; k++)
        arr[k] = LTIME_INF;
    return bi;
}

uint32_t chain_build_block(ledger *l, uint32_t parent, uint32_t node, uint32_t round,
                           uint64_t difficulty) {
    return build(l, parent, node, round, difficulty, NULL, 0);
}

uint32_t chain_build_block_txs(ledger *l, uint32_t parent, uint32_t node, uint64_t difficulty,
                               uint32_t round, const uint32_t *txs, uint32_t n) {
    static const uint32_t none[1] = {0};
    return build(l, parent, node, round, difficulty, n ? txs : none, n);
}

static void on_arrive(sim *s, void *target, uint64_t data) {
    chain_deliver(target, (uint32_t)(data & ((1u << WATCH_BITS) - 1)),
                  (uint32_t)(data >> WATCH_BITS));
}

static void schedule_arrival(ledger *l, uint32_t k, uint32_t b, sim_time at) {
    arrival_row(l, b)[k] = at;
    if (!sim_schedule(l->s, at, on_arrive, l, ((uint64_t)b << WATCH_BITS) | k)) ledger_note_oom(l);
}

void chain_gateway_arrival(ledger *l, uint32_t b, sim_time at) {
    schedule_arrival(l, L_WATCH_GATEWAY(l), b, at);
}

/* A node cannot use a block before its parent: a watcher's arrival is no earlier than the
 * parent's there (it would ask for the missing parent and connect both). */
void chain_flood(ledger *l, uint32_t b) {
    lblock *blk = &l->blk[b];
    sim_time now = sim_now(l->s);
    sim_time proc = l->cfg.processing + l->cfg.processing_per_kb * (sim_time)blk->size / 1000;
    sim_time half;
    const sim_time *dist = flood(l, blk->node, blk->size, proc, &half);
    blk->prop50 = half == LTIME_INF ? NAN : (double)half / 1e6;
    bool recent = l->n_blk - blk->parent <= ARRIVAL_RING;
    const sim_time *parr = arrival_row(l, blk->parent);
    for (uint32_t k = 0; k < l->n_watch; k++) {
        uint32_t node = watcher_node(l, k);
        sim_time d = dist[k];
        if (d == LTIME_INF) continue;
        sim_time at = now + d;
        if (recent && parr[k] != LTIME_INF && parr[k] > at) at = parr[k];
        if (node == blk->node)
            chain_deliver(l, k, b);
        else
            schedule_arrival(l, k, b, at);
    }
}

static void finalize_block(ledger *l, uint32_t bi) {
    l->blk[bi].final = 1;
    sim_time now = sim_now(l->s);
    uint32_t off = l->blk[bi].tx_off, n = l->blk[bi].n_tx, prop = l->blk[bi].proposer;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t e = l->btx[off + i];
        if (e & BTX_FAILED) continue;
        ltx *t = &l->tx[e];
        if (t->state == LTX_FINAL) continue;
        t->state = LTX_FINAL;
        t->final_at = now;
        int64_t debit = ltx_debit(t);
        l->fin_bal[t->from] -= debit;
        l->pend_debit[t->from] -= debit;
        if (t->type == LEDGER_TX_DEPOSIT) l->pend_self[t->from] -= ltx_out_total(t);
        if (t->type != LEDGER_TX_BURN)
            for (unsigned j = 0; j < t->n_out; j++)
                l->fin_bal[t->out[j].to] += t->out[j].amount;
        l->fin_bal[prop] += t->fee;
        if (l->last_pending[t->from] == e) l->last_pending[t->from] = LNONE;
        if (t->priv) continue; /* an attacker's conflicting spend: not one of the submitted */
        l->n_final++;
        (void)SIM_GROW(&l->lat_s, &l->lat_cap, l->n_lat + 1, 1024);
        if (l->n_lat < l->lat_cap) l->lat_s[l->n_lat++] = (double)(now - t->submitted) / 1e6;
        if (t->notify && l->on_final) {
            uint64_t tag = t->tag;
            sim_time sub = t->submitted;
            l->on_final(l->on_final_ctx, tag, sub, now); /* may submit: t is stale after */
        }
    }
}

/* Blocks at depth >= depth_final on the gateway's chain are final, oldest first. */
static void advance_finality(ledger *l) {
    uint64_t h = l->blk[l->gw_tip].height;
    if (h + 1 < l->depth_final) return;
    uint64_t target = h + 1 - l->depth_final;
    if (target <= l->final_height) return;
    uint32_t b = l->gw_tip;
    while (l->blk[b].height > target)
        b = l->blk[b].parent;
    size_t n = 0;
    for (uint32_t c = b; !l->blk[c].final; c = l->blk[c].parent)
        n++;
    uint32_t *path = malloc((n + 1) * sizeof *path);
    if (!path) {
        ledger_note_oom(l);
        return;
    }
    n = 0;
    for (uint32_t c = b; !l->blk[c].final; c = l->blk[c].parent)
        path[n++] = c;
    l->final_height = target;
    for (size_t i = n; i-- > 0;)
        finalize_block(l, path[i]);
    free(path);
}

/* Sums every balance: at every block while there are at most 4096 accounts, then every
 * ceil(accounts / 1024) blocks so the check's cost per block stays bounded (an error stays in
 * the balances, so a later check still sees it), and always after a reorganisation (where undo
 * bugs would show). */
static void check_conservation(ledger *l, bool always) {
    uint64_t every = l->st.n <= 4096 ? 1 : (l->st.n + 1023) / 1024;
    if (!always && every > 1 && ++l->conservation_skip % every != 0) return;
    int64_t err = lstate_conservation_error(&l->st);
    if (err > l->conservation_worst) l->conservation_worst = err;
    l->conservation_checks++;
}

static void connect(ledger *l, uint32_t b) {
    lblock *blk = &l->blk[b];
    for (uint32_t i = 0; i < blk->n_tx; i++) {
        uint32_t *e = &l->btx[blk->tx_off + i];
        *e &= ~BTX_FAILED;
        if (lstate_apply(&l->st, &l->tx[*e], blk->proposer) != 0) {
            *e |= BTX_FAILED;
            l->invalid_txs++;
        }
    }
    blk->on_main = 1;
    if (l->cfg.check_conservation) check_conservation(l, false);
}

static void disconnect(ledger *l, uint32_t b) {
    lblock *blk = &l->blk[b];
    for (uint32_t i = blk->n_tx; i-- > 0;) {
        uint32_t e = l->btx[blk->tx_off + i];
        if (!(e & BTX_FAILED)) lstate_undo(&l->st, &l->tx[e], blk->proposer);
    }
    blk->on_main = 0;
}

/* Heaviest chain wins; at equal work the block seen first stays. A reorganisation undoes the
 * old branch back to the fork and applies the new one; the old branch's transactions are
 * still in the mempool (they leave it only when final), so none is lost. */
static void gateway_adopt(ledger *l, uint32_t b) {
    uint32_t a = l->gw_tip, c = b;
    size_t depth = 0;
    while (l->blk[c].height > l->blk[a].height) {
        c = l->blk[c].parent;
        depth++;
    }
    uint32_t undone = 0;
    while (l->blk[a].height > l->blk[c].height) {
        disconnect(l, a);
        a = l->blk[a].parent;
        undone++;
    }
    while (a != c) {
        disconnect(l, a);
        a = l->blk[a].parent;
        c = l->blk[c].parent;
        undone++;
        depth++;
    }
    if (undone) {
        if (l->blk[c].height < l->final_height) l->deep_reorgs++;
        l->reorgs++;
        l->reorged_blocks += undone;
        if (l->cfg.check_conservation) check_conservation(l, true);
    }
    uint32_t *path = malloc((depth + 1) * sizeof *path);
    if (!path) {
        ledger_note_oom(l);
        return;
    }
    size_t n = 0;
    for (uint32_t x = b; x != a; x = l->blk[x].parent)
        path[n++] = x;
    for (size_t i = n; i-- > 0;)
        connect(l, path[i]);
    free(path);
    l->gw_tip = b;
    advance_finality(l);
}

void chain_deliver(ledger *l, uint32_t k, uint32_t b) {
    uint32_t node = watcher_node(l, k);
    if (!l->up[node]) return;
    if (l->n_blk - b <= ARRIVAL_RING) arrival_row(l, b)[k] = sim_now(l->s);
    if (l->blk[b].work <= l->blk[l->tip[k]].work) {
        if (l->adv) adv_delivered(l, k, b, false);
        return;
    }
    l->tip[k] = b;
    if (k == L_WATCH_GATEWAY(l)) gateway_adopt(l, b);
    if (l->adv) adv_delivered(l, k, b, true);
}

/* A recovered node catches up from its peers: it adopts the gateway's view of the best chain. */
void chain_node_recovered(ledger *l, uint32_t node) {
    if (node < l->n_validators) l->tip[node] = l->gw_tip;
}
