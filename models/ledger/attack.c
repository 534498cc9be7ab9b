/* Attacks on a proof-of-work chain by mining pool 0: double spending (a private chain raced
 * against a payment its recipient accepts after z confirmations, repeated in trials) and
 * selfish mining (Eyal & Sirer's strategy). Private blocks are real blocks of the tree that
 * are not flooded until the attacker publishes them; the gateway's fork choice decides. */
#include "models/ledger/ledger_internal.h"

#include "models/schema/schema.h"
#include "sim/stats.h"

/* Keys of summary.json's chain.adversary, as the output schema names them. */
#define ADV(k) sch_name(&schema_chain_adversary, SCH_ADV_##k)

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ATT 0u /* the attacking pool: validator, node and watcher 0 */

enum { DS_FUNDING, DS_PREMINE, DS_RACE, DS_PUBLISHED, DS_DONE, SM_RUN };

struct adv_state {
    int phase;
    uint32_t priv;    /* tip of the attacker's chain (published or not) */
    uint32_t *branch; /* its blocks since the fork with the public chain, oldest first */
    size_t n_branch, cap_branch;
    size_t n_pub; /* leading blocks of branch already published */
    /* double spend */
    uint32_t account, recipient;
    uint32_t fund_tx, pay_tx, conflict_tx, pay_block;
    uint64_t trials, successes;
    int64_t reversed;
    /* selfish mining: the two tied blocks while a tie lasts (LNONE otherwise) */
    uint32_t tie_pool, tie_honest;
    uint64_t tie_n, tie_pool_n;
};

static int push_branch(ledger *l, uint32_t b) {
    adv_state *a = l->adv;
    if (SIM_GROW(&a->branch, &a->cap_branch, a->n_branch + 1, 64) != SIM_OK) {
        ledger_note_oom(l);
        return -1;
    }
    a->branch[a->n_branch++] = b;
    return 0;
}

/* Floods the unpublished private blocks up to height h (all: UINT64_MAX), oldest first. */
static void publish_upto(ledger *l, uint64_t h) {
    adv_state *a = l->adv;
    while (a->n_pub < a->n_branch && l->blk[a->branch[a->n_pub]].height <= h)
        chain_flood(l, a->branch[a->n_pub++]);
}

static void reset_branch(adv_state *a, uint32_t tip) {
    a->priv = tip;
    a->n_branch = a->n_pub = 0;
}

/* ---- double spending */

static uint32_t private_block(ledger *l, const uint32_t *txs, uint32_t n) {
    adv_state *a = l->adv;
    uint32_t b = chain_build_block_txs(l, a->priv, ATT, pow_next_difficulty(l, a->priv), 0, txs, n);
    if (b == LNONE || push_branch(l, b)) return LNONE;
    a->priv = b;
    return b;
}

static ledger_tx_spec transfer(const adv_state *a, uint32_t to, int64_t amount) {
    ledger_tx_spec t = {.type = LEDGER_TX_TRANSFER, .from = a->account, .fee = -1, .n_out = 1};
    t.out[0] = (ledger_out){to, amount};
    return t;
}

/* The conflicting spend (the same coins back to the attacker, with the payment's nonce) is
 * made at the start; the payment is sent at once, or after the first private block. */
static void begin_trial(ledger *l) {
    adv_state *a = l->adv;
    reset_branch(a, l->tip[ATT]);
    a->pay_tx = a->pay_block = LNONE;
    ledger_tx_spec c = transfer(a, a->account, l->cfg.adv_amount);
    a->conflict_tx = ledger_private_tx(l, &c, l->next_nonce[a->account]);
    if (a->conflict_tx == LNONE) {
        ledger_note_oom(l);
        a->phase = DS_DONE;
        return;
    }
    l->pend_debit[a->account] += ltx_debit(&l->tx[a->conflict_tx]);
    a->phase = l->cfg.adv_premine ? DS_PREMINE : DS_RACE;
    if (a->phase == DS_RACE) {
        ledger_tx_spec p = transfer(a, a->recipient, l->cfg.adv_amount);
        if (ledger_submit_now(l, &p, 0, &a->pay_tx) != LEDGER_OK) ledger_note_oom(l);
    }
}

static void end_trial(ledger *l, bool success) {
    adv_state *a = l->adv;
    const ltx *c = &l->tx[a->conflict_tx];
    a->trials++;
    if (success) {
        /* the recipient's final payment is gone from the best chain: take it back out of the
         * final balances (the conflicting spend becomes final in its place) */
        const ltx *p = &l->tx[a->pay_tx];
        l->fin_bal[p->from] += ltx_debit(p);
        l->fin_bal[p->out[0].to] -= p->out[0].amount;
        l->fin_bal[l->blk[a->pay_block].proposer] -= p->fee;
        a->successes++;
        a->reversed += p->out[0].amount;
    } else if (c->state != LTX_FINAL) {
        l->pend_debit[a->account] -= ltx_debit(c);
    }
    reset_branch(a, l->tip[ATT]);
    if (a->trials < (uint64_t)l->cfg.adv_trials)
        begin_trial(l);
    else
        a->phase = DS_DONE;
}

/* Publishes once the recipient has accepted (the payment is final at the gateway) and the
 * private chain has more work than the public chain the attacker knows. */
static void race_step(ledger *l) {
    adv_state *a = l->adv;
    if (a->phase != DS_RACE || a->pay_tx == LNONE) return;
    /* the public chain as far as the attacker or the recipient (the gateway) knows it: the
     * attacker learns that the recipient accepted from the recipient */
    const lblock *pub = &l->blk[l->tip[ATT]], *priv = &l->blk[a->priv];
    if (l->blk[l->gw_tip].work > pub->work) pub = &l->blk[l->gw_tip];
    if (l->tx[a->pay_tx].state == LTX_FINAL && priv->work > pub->work) {
        a->phase = DS_PUBLISHED; /* first: the floods deliver the blocks to the attacker too */
        publish_upto(l, UINT64_MAX);
    } else if (pub->height >= priv->height + (uint64_t)l->cfg.adv_give_up) {
        end_trial(l, false);
    }
}

/* The block of the gateway's best chain that holds the payment, once it is final. */
static void find_pay_block(ledger *l) {
    adv_state *a = l->adv;
    if (a->pay_tx == LNONE || a->pay_block != LNONE || l->tx[a->pay_tx].state != LTX_FINAL) return;
    for (uint32_t r = l->tx[a->pay_tx].incl; r != LNONE; r = l->incl[r].next)
        if (l->blk[l->incl[r].block].on_main) a->pay_block = l->incl[r].block;
}

static void ds_delivered(ledger *l, uint32_t k, uint32_t b, bool moved) {
    adv_state *a = l->adv;
    if (k == L_WATCH_GATEWAY(l)) {
        if (a->phase == DS_FUNDING && l->tx[a->fund_tx].state == LTX_FINAL) begin_trial(l);
        find_pay_block(l);
        if (a->phase == DS_PUBLISHED && a->pay_block != LNONE) {
            if (!l->blk[a->pay_block].on_main)
                end_trial(l, true);
            else if (b == a->priv) /* an honest block got there first: race on */
                a->phase = DS_RACE;
            else
                return;
        }
    }
    if (moved && (k == ATT || k == L_WATCH_GATEWAY(l))) race_step(l);
}

static bool ds_mined(ledger *l) {
    adv_state *a = l->adv;
    if (a->phase == DS_PREMINE) {
        reset_branch(a, l->tip[ATT]);
        if (private_block(l, &a->conflict_tx, 1) == LNONE) return true;
        ledger_tx_spec p = transfer(a, a->recipient, l->cfg.adv_amount);
        if (ledger_submit_now(l, &p, 0, &a->pay_tx) != LEDGER_OK) ledger_note_oom(l);
        a->phase = DS_RACE;
        return true;
    }
    if (a->phase != DS_RACE) return false; /* funding, waiting for its publication, done */
    if (a->n_branch == 0)
        private_block(l, &a->conflict_tx, 1);
    else
        private_block(l, NULL, 0);
    race_step(l);
    return true;
}

/* ---- selfish mining (Eyal & Sirer 2014, Algorithm 1, in heights of the pool's view) */

static bool sm_mined(ledger *l) {
    adv_state *a = l->adv;
    if (a->n_branch == 0) a->priv = l->tip[ATT];
    int64_t before = (int64_t)l->blk[a->priv].height - (int64_t)l->blk[l->tip[ATT]].height;
    uint32_t b = chain_build_block(l, a->priv, ATT, 0, pow_next_difficulty(l, a->priv));
    if (b == LNONE || push_branch(l, b)) return true;
    a->priv = b;
    if (before == 0 && a->n_branch == 2) { /* it wins the tie: both blocks out */
        publish_upto(l, UINT64_MAX);
        reset_branch(a, b);
        a->tie_pool = a->tie_honest = LNONE;
    }
    return true;
}

static void sm_delivered(ledger *l, uint32_t k, uint32_t b, bool moved) {
    adv_state *a = l->adv;
    if (k != ATT || !moved || l->blk[b].node == ATT) return;
    uint64_t hp = l->blk[b].height;
    int64_t lead = (int64_t)l->blk[a->priv].height - (int64_t)hp;
    if (a->n_branch == 0 || lead < 0) { /* the public chain is ahead: adopt it */
        reset_branch(a, b);
        a->tie_pool = a->tie_honest = LNONE;
    } else if (lead == 0) { /* was one ahead: publish, and the race is a tie */
        publish_upto(l, UINT64_MAX);
        a->tie_pool = a->priv;
        a->tie_honest = b;
    } else if (lead == 1) { /* was two ahead: publish all and win */
        publish_upto(l, UINT64_MAX);
        reset_branch(a, a->priv);
        a->tie_pool = a->tie_honest = LNONE;
    } else { /* further ahead: match the public chain's height */
        publish_upto(l, hp);
    }
}

/* ---- hooks */

int adv_start(ledger *l) {
    adv_state *a = calloc(1, sizeof *a);
    if (!a) return LEDGER_ENOMEM;
    l->adv = a;
    a->priv = 0;
    a->tie_pool = a->tie_honest = LNONE;
    a->fund_tx = a->pay_tx = a->conflict_tx = a->pay_block = LNONE;
    if (l->cfg.adv_attack == LEDGER_ATTACK_SELFISH) {
        a->phase = SM_RUN;
        return LEDGER_OK;
    }
    /* the attacker's coins: one deposit covering every trial's payment and its conflicting
     * spend (each pending until its trial ends), final before the first trial */
    a->account = ledger_validator_account(l, ATT);
    a->recipient = l->n_drivers ? ledger_driver_account(l, 0) : LEDGER_ACCOUNT_TREASURY;
    int64_t each = l->cfg.adv_amount + ledger_byte_fee(l, 42 + LEDGER_SIG_BYTES);
    ledger_tx_spec dep = {.type = LEDGER_TX_DEPOSIT, .from = a->account, .fee = -1, .n_out = 1};
    dep.out[0] = (ledger_out){a->account, each * (l->cfg.adv_trials + 1)};
    a->phase = DS_FUNDING;
    return ledger_submit_now(l, &dep, 0, &a->fund_tx);
}

void adv_free(ledger *l) {
    if (!l->adv) return;
    free(l->adv->branch);
    free(l->adv);
    l->adv = NULL;
}

bool adv_mined(ledger *l) {
    return l->adv->phase == SM_RUN ? sm_mined(l) : ds_mined(l);
}

/* With ties decided by gamma, an honest miner that has seen nothing past a tie extends the
 * pool's block with probability gamma; either way, what it extends during a tie is counted. */
uint32_t adv_honest_parent(ledger *l, uint32_t miner) {
    adv_state *a = l->adv;
    uint32_t tip = l->tip[miner];
    if (a->phase != SM_RUN || a->tie_pool == LNONE ||
        l->blk[tip].height > l->blk[a->tie_pool].height)
        return tip;
    if (l->cfg.adv_ties == LEDGER_TIES_GAMMA)
        tip = gsl_rng_uniform(l->rng_adv) < l->cfg.adv_gamma ? a->tie_pool : a->tie_honest;
    if (tip == a->tie_pool || tip == a->tie_honest) {
        a->tie_n++;
        a->tie_pool_n += tip == a->tie_pool;
    }
    return tip;
}

void adv_delivered(ledger *l, uint32_t k, uint32_t b, bool moved) {
    if (l->adv->phase == SM_RUN)
        sm_delivered(l, k, b, moved);
    else
        ds_delivered(l, k, b, moved);
}

void ledger_get_attack_counts(const ledger *l, ledger_attack_counts *c) {
    memset(c, 0, sizeof *c);
    uint64_t first;
    if (l->cfg.kind == LEDGER_CHAIN && l->cfg.consensus == LEDGER_BFT)
        bft_attack_counts(l, &c->equivocations, &c->safety_violations, &first);
    const adv_state *a = l->adv;
    if (!a) return;
    c->trials = a->trials;
    c->successes = a->successes;
    c->reversed_amount = a->reversed;
    c->tie_honest = a->tie_n;
    c->tie_honest_pool = a->tie_pool_n;
    if (!l->n_blk || a->phase != SM_RUN) return;
    for (uint32_t b = l->gw_tip; b != 0; b = l->blk[b].parent) {
        c->main_blocks++;
        c->pool_blocks += l->blk[b].node == ATT;
    }
}

/* ---- summary.json: chain.adversary */

static json_t *pair(double lo, double hi) {
    json_t *a = json_array();
    json_array_append_new(a, json_real(lo));
    json_array_append_new(a, json_real(hi));
    return a;
}

static json_t *ds_json(const ledger *l, const ledger_attack_counts *c) {
    const ledger_config *cfg = &l->cfg;
    json_t *o = json_object(), *th = json_object();
    double lo, hi;
    ledger_wilson95(c->successes, c->trials, &lo, &hi);
    json_object_set_new(o, ADV(ATTACK), json_string("double-spend"));
    json_object_set_new(o, ADV(SHARE), json_real(cfg->adv_share));
    json_object_set_new(o, ADV(CONFIRMATIONS), json_integer(cfg->confirmations));
    json_object_set_new(o, ADV(PREMINE), json_boolean(cfg->adv_premine));
    json_object_set_new(o, ADV(GIVE_UP), json_integer(cfg->adv_give_up));
    json_object_set_new(o, ADV(TRIALS), json_integer((json_int_t)c->trials));
    json_object_set_new(o, ADV(SUCCESSES), json_integer((json_int_t)c->successes));
    json_object_set_new(o, ADV(SUCCESS_RATE),
                        c->trials ? json_real((double)c->successes / (double)c->trials)
                                  : json_null());
    json_object_set_new(o, ADV(SUCCESS_CI95), c->trials ? pair(lo, hi) : json_null());
    json_object_set_new(th, "nakamoto",
                        json_real(ledger_ds_nakamoto(cfg->adv_share, cfg->confirmations)));
    json_object_set_new(th, "rosenfeld",
                        json_real(ledger_ds_rosenfeld(cfg->adv_share, cfg->confirmations)));
    json_object_set_new(th, "exact",
                        json_real(ledger_ds_exact(cfg->adv_share, cfg->confirmations,
                                                  cfg->adv_premine ? 1 : 0, cfg->adv_give_up)));
    json_object_set_new(o, ADV(THEORY), th);
    json_object_set_new(o, ADV(PAYMENT), json_real((double)cfg->adv_amount / 100.0));
    json_object_set_new(o, ADV(REVERSED_AMOUNT), json_real((double)c->reversed_amount / 100.0));
    json_object_set_new(o, ADV(REVERSED_AMOUNT_BASE_UNITS), json_integer(c->reversed_amount));
    return o;
}

/* Batch means over the gateway's best chain (20 runs of consecutive heights): the pool's
 * share per batch, and the 95% interval of their mean. */
static stats_ci revenue_ci(const ledger *l, uint64_t n_main) {
    stats_ci ci = {0, NAN, NAN, NAN, NAN};
    enum { BATCHES = 20 };
    if (n_main < BATCHES) return ci;
    uint64_t pool[BATCHES] = {0}, all[BATCHES] = {0};
    for (uint32_t b = l->gw_tip; b != 0; b = l->blk[b].parent) {
        size_t k = (size_t)((l->blk[b].height - 1) * BATCHES / n_main);
        if (k >= BATCHES) k = BATCHES - 1;
        all[k]++;
        pool[k] += l->blk[b].node == ATT;
    }
    double x[BATCHES];
    for (size_t k = 0; k < BATCHES; k++)
        x[k] = all[k] ? (double)pool[k] / (double)all[k] : 0;
    return stats_mean_ci(x, BATCHES, 0.95);
}

static json_t *sm_json(const ledger *l, const ledger_attack_counts *c) {
    const ledger_config *cfg = &l->cfg;
    json_t *o = json_object(), *th = json_object();
    bool fixed = cfg->adv_ties == LEDGER_TIES_GAMMA;
    double g_meas = c->tie_honest ? (double)c->tie_honest_pool / (double)c->tie_honest : NAN;
    double g = fixed ? cfg->adv_gamma : g_meas;
    double share = c->main_blocks ? (double)c->pool_blocks / (double)c->main_blocks : NAN;
    stats_ci ci = revenue_ci(l, c->main_blocks);
    json_object_set_new(o, ADV(ATTACK), json_string("selfish-mining"));
    json_object_set_new(o, ADV(SHARE), json_real(cfg->adv_share));
    json_object_set_new(o, ADV(TIES), json_string(fixed ? "gamma" : "network"));
    json_object_set_new(o, ADV(GAMMA), fixed ? json_real(cfg->adv_gamma) : json_null());
    json_object_set_new(o, "gamma_measured", isfinite(g_meas) ? json_real(g_meas) : json_null());
    json_object_set_new(o, ADV(TIE_BLOCKS), json_integer((json_int_t)c->tie_honest));
    json_object_set_new(o, ADV(POOL_BLOCKS), json_integer((json_int_t)c->pool_blocks));
    json_object_set_new(o, ADV(MAIN_BLOCKS), json_integer((json_int_t)c->main_blocks));
    json_object_set_new(o, ADV(REVENUE_SHARE), isfinite(share) ? json_real(share) : json_null());
    json_object_set_new(o, ADV(REVENUE_SHARE_CI95),
                        isfinite(ci.half_width) ? pair(ci.lo, ci.hi) : json_null());
    json_object_set_new(th, "eyal_sirer",
                        isfinite(g) ? json_real(ledger_selfish_revenue(cfg->adv_share, g))
                                    : json_null());
    json_object_set_new(th, "gamma_used", isfinite(g) ? json_real(g) : json_null());
    json_object_set_new(th, "honest", json_real(cfg->adv_share));
    json_object_set_new(th, "threshold",
                        isfinite(g) ? json_real(ledger_selfish_threshold(g)) : json_null());
    json_object_set_new(o, ADV(THEORY), th);
    return o;
}

int adv_metrics(const ledger *l, json_t *o) {
    ledger_attack_counts c;
    ledger_get_attack_counts(l, &c);
    json_t *a = l->adv->phase == SM_RUN ? sm_json(l, &c) : ds_json(l, &c);
    return a ? json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_ADVERSARY), a)
             : LEDGER_ENOMEM;
}
