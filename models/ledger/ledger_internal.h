/* Shared structures of the ledger's parts (state, transactions, blocks, mempool, network,
 * consensus back ends). Not part of the public interface: see ledger.h. */
#ifndef MODELS_LEDGER_INTERNAL_H
#define MODELS_LEDGER_INTERNAL_H

#include "models/ledger/ledger.h"

#include <gsl/gsl_rng.h>

#define LNONE UINT32_MAX
#define LTIME_INF INT64_MAX
#define LEDGER_HEADER_BYTES 108
#define LEDGER_SIG_BYTES 64 /* every transaction is assumed to carry a 64-byte signature */

/* ---- transactions (tx.c) */
enum { LTX_PENDING = 0, LTX_FINAL = 1 };

typedef struct ltx {
    uint8_t type, n_out, state, notify;
    uint8_t priv;     /* an attacker's conflicting transaction: known to the attacker only */
    uint8_t censored; /* a censoring validator left it out of a block at least once */
    uint32_t from;
    uint64_t nonce;
    int64_t fee;
    uint64_t memo;
    ledger_out out[LEDGER_MAX_OUTS];
    uint8_t id[32];
    uint32_t size;      /* bytes it takes in a block: serialization + signature */
    uint32_t prev;      /* the sender's previous transaction while it was pending, or LNONE */
    uint32_t incl;      /* first inclusion record (l->incl), or LNONE */
    uint32_t sel_stamp; /* block building: selected into the block being built */
    sim_time submitted;
    sim_time visible;  /* reached every node (transaction gossip) */
    sim_time final_at; /* when it became final at the gateway (LTIME_INF: not yet) */
    uint64_t tag;
} ltx;

/* Canonical serialization (docs/ledger-format.md); returns its length (<= LTX_SER_MAX). */
#define LTX_SER_MAX (1 + 4 + 8 + 8 + 8 + 1 + LEDGER_MAX_OUTS * 12)
size_t ltx_serialize(const ltx *t, uint8_t *buf);
void ltx_finish(ltx *t); /* computes id and size */

/* SHA-256 of a short message (sha256.c): same digest as libsodium's, faster where it can be */
void ledger_sha256(uint8_t out[32], const uint8_t *in, size_t n);
int64_t ltx_out_total(const ltx *t);
/* Debit of the sender, credit the sender gets back, tokens created/destroyed. */
int64_t ltx_debit(const ltx *t);
int64_t ltx_minted(const ltx *t);
int64_t ltx_burned(const ltx *t);
/* Checks a spec (types, outputs, amounts); 0 or LEDGER_EINVAL. */
int ltx_check_spec(const ledger_tx_spec *s, uint32_t n_accounts);

/* ---- blocks (block.c) */
typedef struct lblock {
    uint8_t hash[32], prev_hash[32], merkle[32];
    uint32_t parent;
    uint32_t proposer; /* account credited with the fees */
    uint32_t node;     /* node that made it */
    uint32_t round;
    uint32_t extra;        /* unmodelled background bytes */
    uint32_t tx_off, n_tx; /* into l->btx */
    uint32_t size;
    uint32_t mark;
    uint32_t mempool; /* transactions waiting at the gateway when it was made */
    uint8_t final, on_main;
    uint64_t height;
    uint64_t difficulty;
    uint64_t work; /* cumulative difficulty from genesis */
    sim_time time;
    double prop50; /* seconds to reach half the nodes; NaN when not flooded */
} lblock;

size_t lblock_header_serialize(const lblock *b, uint8_t out[LEDGER_HEADER_BYTES]);
void lblock_hash(lblock *b); /* fills b->hash from the header */
/* Merkle root of n ids (32 bytes each): pairs hashed, odd last one paired with itself. */
void ledger_merkle_root(const uint8_t *ids, size_t n, uint8_t root[32]);

/* ---- accounts and state (state.c) */
typedef struct lstate {
    int64_t *bal;
    uint64_t *nonce;
    size_t n, cap;
    int64_t minted, burned, fees;
} lstate;

int lstate_reserve(lstate *s, size_t n);
void lstate_free(lstate *s);
/* Applies a transaction with fee to proposer; 0, -1 when it breaks the rules (nonce, funds) or
 * -2 when a balance or total would pass INT64_MAX; nothing changes unless 0. */
int lstate_apply(lstate *s, const ltx *t, uint32_t proposer);
void lstate_undo(lstate *s, const ltx *t, uint32_t proposer);
int64_t lstate_conservation_error(const lstate *s);
void lstate_fingerprint(const lstate *s, const uint8_t tip[32], uint8_t out[32]);

/* ---- network (network.c) */
typedef struct lnet {
    uint32_t n;
    uint32_t *off, *adj; /* CSR adjacency, both directions */
    uint32_t *lat;       /* per adjacency entry: latency, microseconds */
    double *us_per_byte; /* per adjacency entry: transfer time per byte */
    uint8_t *region;
    /* flood scratch */
    sim_time *dist;
    uint64_t *heap;
    size_t heap_cap;
    sim_time half;     /* last flood: when half of all nodes had the block (LTIME_INF: never) */
    uint8_t *want;     /* nodes whose arrival times are needed (watchers) */
    uint32_t lat_mult; /* one-way latencies per hop: 3 with inv/getdata/block, else 1 */
    uint32_t n_want;
} lnet;

int lnet_build(lnet *net, const ledger_config *cfg, gsl_rng *r, uint32_t n_miners);
void lnet_free(lnet *net);
/* Direct one-way latency and per-byte time between two nodes (validator messages). */
sim_time lnet_direct(const lnet *net, const ledger_config *cfg, uint32_t a, uint32_t b,
                     size_t bytes);
/* Its two parts (a != b): lnet_direct = (sim_time)(lat + bytes x us_per_byte + 0.5). Both
 * depend on the two nodes' regions only. */
void lnet_direct_parts(const lnet *net, const ledger_config *cfg, uint32_t a, uint32_t b,
                       double *lat, double *us_per_byte);
/* Arrival time offset of a block of `bytes` flooded from src into net->dist (LTIME_INF:
 * unreachable); nodes with up[i] false neither receive nor relay. Exact for the nodes marked
 * in net->want and up to the time half the nodes have it; later ones may be left unset. */
void lnet_flood(lnet *net, uint32_t src, size_t bytes, sim_time proc, const bool *up);

/* ---- the ledger */
typedef struct bft_state bft_state;
typedef struct adv_state adv_state;

/* A flood's outcome depends only on its source, size, per-hop checking time and which nodes
 * are up: recent ones are kept (chain.c), forgotten when a node fails or recovers. */
typedef struct flood_memo {
    uint32_t src, bytes;
    sim_time proc, half;
    uint8_t used;
} flood_memo;

typedef struct incl_rec {
    uint32_t block, next;
} incl_rec;

struct ledger {
    ledger_config cfg;
    sim *s;
    char name[64];
    gsl_rng *rng_net, *rng_mine, *rng_tx;
    ledger_final_fn on_final;
    void *on_final_ctx;
    bool stopped, oom;

    /* accounts: treasury, issuer, validators, drivers, riders */
    uint32_t n_validators, n_drivers, first_driver, first_rider;
    uint32_t n_accounts;
    uint64_t *next_nonce;   /* per account: next nonce to hand out */
    uint32_t *last_pending; /* per account: latest pending tx, or LNONE */
    int64_t *fin_bal;       /* per account: balance from final transactions */
    int64_t *pend_debit;    /* per account: debits of pending transactions */
    int64_t *pend_self;     /* per account: pending deposits to itself */
    size_t acc_cap;

    /* transactions */
    ltx *tx;
    size_t n_tx, tx_cap;
    uint32_t *pool; /* pending transaction indices (compacted lazily) */
    size_t n_pool, pool_cap;
    incl_rec *incl;
    size_t n_incl, incl_cap;
    uint32_t stamp;
    uint32_t *scratch; /* candidates during block building */
    size_t scratch_cap;

    /* blocks */
    lblock *blk;
    size_t n_blk, blk_cap;
    uint32_t *btx; /* transaction indices of every block */
    size_t n_btx, btx_cap;

    /* nodes: validators 0..V-1, gateway = nodes-1; watchers (with a tip) = validators+gateway */
    lnet net;
    uint32_t n_nodes, gateway;
    bool *up;
    uint32_t n_watch;
    uint32_t *tip;     /* per watcher */
    sim_time *arrival; /* per recent block x watcher: when the watcher has the block */
    flood_memo *memo;  /* recent floods, and their arrival offsets per watcher (memo_dist) */
    sim_time *memo_dist;
    double *share; /* pow: hash-power share per validator */
    sim_event_id mine_ev;
    uint64_t slot; /* poa */

    /* gateway state */
    lstate st;
    uint32_t gw_tip;
    uint64_t final_height; /* blocks up to this height on the gateway chain are final */
    uint64_t depth_final;  /* confirmations needed */

    bft_state *bft;
    adv_state *adv;   /* the attacker, NULL without one */
    gsl_rng *rng_adv; /* its stream, ledger.<name>.adversary (only with an attacker) */

    /* statistics */
    uint64_t submitted, n_final, reorgs, reorged_blocks, missed_slots, rounds_failed;
    uint64_t deep_reorgs; /* reorganisations that undid blocks already final */
    uint64_t invalid_txs, conservation_checks, conservation_skip;
    int64_t reward_minted; /* movement rewards submitted so far (supply schedule) */
    int64_t *reward_carry; /* per driver: earned but not yet minted, millionths of a base unit */
    int64_t conservation_worst;
    double *lat_s; /* confirmation latency of each final transaction, seconds */
    size_t n_lat, lat_cap;
    sim_time started;
    sim_time *fault_at; /* every crash and recovery time, ascending (bft: heights in one step) */
    size_t n_fault_at;
};

#define L_WATCH_GATEWAY(l) ((l)->n_validators)

/* chain.c: the block tree, watchers' tips, the gateway's view, finality */
uint32_t chain_build_block(ledger *l, uint32_t parent, uint32_t node, uint32_t round,
                           uint64_t difficulty);
/* The same with the given transactions instead of the mempool's choice (an attacker's block). */
uint32_t chain_build_block_txs(ledger *l, uint32_t parent, uint32_t node, uint64_t difficulty,
                               uint32_t round, const uint32_t *txs, uint32_t n);
void chain_flood(ledger *l, uint32_t b);
void chain_deliver(ledger *l, uint32_t watcher, uint32_t b);
void chain_gateway_arrival(ledger *l, uint32_t b, sim_time at);
int chain_init(ledger *l);
void chain_node_recovered(ledger *l, uint32_t node);
void chain_forget_floods(ledger *l); /* a node went down or came up */

/* mempool.c */
int mempool_add(ledger *l, uint32_t tx);
void mempool_compact(ledger *l);
/* Chooses transactions for a block on `parent` built at node now; appends them to l->btx and
 * returns how many; *bytes gets their size, *waiting how many transactions were waiting (not
 * final, not on parent's branch) before the choice. */
uint32_t mempool_select(ledger *l, uint32_t parent, uint32_t node, sim_time now, uint32_t *bytes,
                        uint32_t *waiting);
/* The earliest time a transaction waiting for a block on `parent` can go in one: it and its
 * waiting ancestors have reached every node (LTIME_INF: none waits). */
sim_time mempool_next_visible(ledger *l, uint32_t parent);
void ledger_note_oom(ledger *l);

/* ledger.c: a transaction sent with no gossip delay (an attacker broadcasts its payment
 * widely); LEDGER_OK and its index in *idx, or an error code */
int ledger_submit_now(ledger *l, const ledger_tx_spec *spec, uint64_t tag, uint32_t *idx);
/* A transaction known only to its signer (an attacker's conflicting spend): never in the
 * mempool, with the given nonce. Its index, or LNONE when memory runs out. */
uint32_t ledger_private_tx(ledger *l, const ledger_tx_spec *spec, uint64_t nonce);
int64_t ledger_byte_fee(const ledger *l, uint32_t size);

/* attack.c: the adversary (docs/chain.md, Attacks), mining pool 0 */
int adv_start(ledger *l);
void adv_free(ledger *l);
/* The attacker found a block: true when it handled it (a private block), false when it mines
 * honestly this time. */
bool adv_mined(ledger *l);
/* The parent an honest miner builds on (its tip, or a tied block chosen by gamma). */
uint32_t adv_honest_parent(ledger *l, uint32_t miner);
/* Block b reached watcher k; moved: it became k's tip. */
void adv_delivered(ledger *l, uint32_t k, uint32_t b, bool moved);
int adv_metrics(const ledger *l, json_t *o);
/* censor.c: whether validator `node` leaves t out (it pays a censored driver), and the
 * `adversary` object of a censoring run */
bool censor_excludes(const ledger *l, uint32_t node, const ltx *t);
int censor_metrics(const ledger *l, json_t *o);
int equivocation_metrics(const ledger *l, json_t *o);

/* consensus back ends */
int pow_start(ledger *l);
void pow_reschedule(ledger *l);
uint64_t pow_next_difficulty(const ledger *l, uint32_t parent);
int poa_start(ledger *l);
int bft_start(ledger *l);
void bft_free(ledger *l);
void bft_node_changed(ledger *l, uint32_t node);
void bft_tx_added(ledger *l, sim_time visible);
/* Equivocation: proposals made twice, heights with two final blocks, the first such height. */
void bft_attack_counts(const ledger *l, uint64_t *equivocations, uint64_t *violations,
                       uint64_t *first_height);

#endif
