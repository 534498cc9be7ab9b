/* Mempools: transactions waiting for a block. Every node's pool holds the transactions that
 * have reached it (gossip: see docs/chain.md) and are not yet in its own branch; blocks are
 * filled by fee per byte, highest first, up to the size limit. */
#include "models/ledger/ledger_internal.h"
#include "sim/error.h"

#include <stdlib.h>
#include <string.h>

void ledger_note_oom(ledger *l) {
    l->oom = true;
}

int mempool_add(ledger *l, uint32_t tx) {
    if (SIM_GROW(&l->pool, &l->pool_cap, l->n_pool + 1, 256) != SIM_OK) return LEDGER_ENOMEM;
    l->pool[l->n_pool++] = tx;
    return LEDGER_OK;
}

void mempool_compact(ledger *l) {
    size_t m = 0;
    for (size_t i = 0; i < l->n_pool; i++)
        if (l->tx[l->pool[i]].state == LTX_PENDING) l->pool[m++] = l->pool[i];
    l->n_pool = m;
}

static bool in_branch(const ledger *l, uint32_t tx) {
    for (uint32_t r = l->tx[tx].incl; r != LNONE; r = l->incl[r].next)
        if (l->blk[l->incl[r].block].mark == l->stamp) return true;
    return false;
}

typedef struct {
    double rate;
    uint32_t idx;
} cand;

static int cmp_cand(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->rate != y->rate) return x->rate > y->rate ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int grow_btx(ledger *l, size_t need) {
    return SIM_GROW(&l->btx, &l->btx_cap, l->n_btx + need, 1024) == SIM_OK ? 0 : -1;
}

/* A transaction is taken together with its sender's earlier transactions that are still
 * waiting (its ancestor package, as Bitcoin Core selects them), oldest first, so nonces stay
 * in order on every branch; a package whose oldest member has not reached the node yet, or
 * that does not fit, waits. */
/* Marks parent's branch down to the lowest block holding a pending transaction (the only
 * part in_branch can ask about); 0 when the pool is empty. */
static size_t mark_branch(ledger *l, uint32_t parent) {
    mempool_compact(l);
    if (l->n_pool == 0) return 0;
    l->stamp++;
    uint64_t hmin = UINT64_MAX;
    for (size_t i = 0; i < l->n_pool; i++)
        for (uint32_t r = l->tx[l->pool[i]].incl; r != LNONE; r = l->incl[r].next) {
            uint64_t h = l->blk[l->incl[r].block].height;
            if (h < hmin) hmin = h;
        }
    for (uint32_t b = parent; b != LNONE && hmin != UINT64_MAX && l->blk[b].height >= hmin;
         b = l->blk[b].parent)
        l->blk[b].mark = l->stamp;
    return l->n_pool;
}

sim_time mempool_next_visible(ledger *l, uint32_t parent) {
    sim_time first = LTIME_INF;
    if (mark_branch(l, parent) == 0) return first;
    for (size_t i = 0; i < l->n_pool; i++) {
        uint32_t t = l->pool[i];
        if (l->tx[t].visible >= first || in_branch(l, t)) continue;
        /* usable once its whole ancestor package has arrived (mempool_select) */
        sim_time at = l->tx[t].visible;
        size_t hops = 0;
        for (uint32_t p = l->tx[t].prev;
             p != LNONE && l->tx[p].state != LTX_FINAL && !in_branch(l, p) && hops < l->n_pool;
             p = l->tx[p].prev, hops++)
            if (l->tx[p].visible > at) at = l->tx[p].visible;
        if (at < first) first = at;
    }
    return first;
}

uint32_t mempool_select(ledger *l, uint32_t parent, uint32_t node, sim_time now, uint32_t *bytes,
                        uint32_t *waiting) {
    bool censor = l->cfg.adv_attack == LEDGER_ATTACK_CENSOR;
    *bytes = 0;
    *waiting = 0;
    if (mark_branch(l, parent) == 0) return 0;
    cand *c = malloc(l->n_pool * sizeof *c);
    uint32_t *pkg = malloc(l->n_pool * sizeof *pkg);
    if (!c || !pkg || grow_btx(l, l->n_pool)) {
        free(c);
        free(pkg);
        ledger_note_oom(l);
        return 0;
    }
    size_t nc = 0;
    for (size_t i = 0; i < l->n_pool; i++) {
        uint32_t t = l->pool[i];
        if (in_branch(l, t)) continue;
        ++*waiting;
        if (l->tx[t].visible > now) continue;
        c[nc].rate = (double)l->tx[t].fee / (double)l->tx[t].size;
        c[nc++].idx = t;
    }
    qsort(c, nc, sizeof *c, cmp_cand);
    int64_t room = l->cfg.block_max_bytes - l->cfg.extra_bytes;
    uint32_t n = 0;
    for (size_t i = 0; i < nc && room > 0; i++) {
        uint32_t x = c[i].idx;
        if (l->tx[x].sel_stamp == l->stamp) continue;
        size_t np = 0;
        int64_t size = 0;
        bool ok = true;
        for (;;) {
            pkg[np++] = x;
            size += l->tx[x].size;
            uint32_t p = l->tx[x].prev;
            if (p == LNONE || l->tx[p].state == LTX_FINAL || l->tx[p].sel_stamp == l->stamp ||
                in_branch(l, p))
                break;
            if (l->tx[p].visible > now || np == l->n_pool) {
                ok = false;
                break;
            }
            x = p;
        }
        /* a censoring validator leaves out a package with a censored member */
        for (size_t k = 0; censor && ok && k < np; k++)
            if (censor_excludes(l, node, &l->tx[pkg[k]])) {
                l->tx[pkg[k]].censored = 1;
                ok = false;
            }
        if (!ok || size > room) continue;
        for (size_t k = np; k-- > 0;) {
            l->tx[pkg[k]].sel_stamp = l->stamp;
            l->btx[l->n_btx + n++] = pkg[k];
        }
        room -= size;
        *bytes += (uint32_t)size;
    }
    free(c);
    free(pkg);
    return n;
}
