/* The ledger facade: configuration, accounts, submitting transactions (ride payments, rewards,
 * transfers, votes), the central back end, and the fault schedule of the chain back end. */
#include "models/ledger/ledger_internal.h"

#include "sim/error.h"
#include "sim/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The defaults a scenario's `platforms[].ledger` section gets (the key table is the one source). */
void ledger_config_defaults(ledger_config *c) {
    char err[256];
    memset(c, 0, sizeof *c);
    (void)sc_defaults(ledger_keys, "", c, err, sizeof err);
}

static int grow_accounts(ledger *l, size_t n) {
    if (lstate_reserve(&l->st, n)) return -1;
    if (n > l->acc_cap) {
        /* five arrays of one capacity: each grows from the old one to the same new one */
        size_t c = l->acc_cap, c1 = c, c2 = c, c3 = c, c4 = c;
        if (SIM_GROW(&l->next_nonce, &c, n, 64) != SIM_OK ||
            SIM_GROW(&l->last_pending, &c1, n, 64) != SIM_OK ||
            SIM_GROW(&l->fin_bal, &c2, n, 64) != SIM_OK ||
            SIM_GROW(&l->pend_debit, &c3, n, 64) != SIM_OK ||
            SIM_GROW(&l->pend_self, &c4, n, 64) != SIM_OK)
            return -1;
        for (size_t i = l->acc_cap; i < c; i++) /* the others start at zero */
            l->last_pending[i] = LNONE;
        l->acc_cap = c;
    }
    if (n > l->n_accounts) l->n_accounts = (uint32_t)n;
    return 0;
}

uint32_t ledger_validator_account(const ledger *l, uint32_t v) {
    return 2 + v;
}

uint32_t ledger_driver_account(const ledger *l, uint32_t d) {
    return l->first_driver + d;
}

uint32_t ledger_rider_account(ledger *l, uint32_t rider) {
    size_t a = (size_t)l->first_rider + rider;
    if (a >= UINT32_MAX) return UINT32_MAX;
    if (a >= l->n_accounts && grow_accounts(l, a + 1)) return UINT32_MAX;
    return (uint32_t)a;
}

static void on_fault(sim *s, void *target, uint64_t data) {
    ledger *l = target;
    uint32_t node = (uint32_t)(data >> 1);
    bool up = data & 1;
    if (l->up[node] == up) return;
    l->up[node] = up;
    chain_forget_floods(l);
    if (up) chain_node_recovered(l, node);
    if (l->cfg.consensus == LEDGER_POW) pow_reschedule(l);
    if (l->cfg.consensus == LEDGER_BFT) bft_node_changed(l, node);
}

static int cmp_time(const void *a, const void *b) {
    sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;
    return (x > y) - (x < y);
}

sim_status ledger_config_check(const ledger_config *c, const sc_where *w, const char *at, char *err,
                               size_t errlen) {
    if (c->kind == LEDGER_CENTRAL) return SIM_OK;
    if (c->nodes < 2 || c->nodes > 1000000)
        return sc_fail_at(w, at, "nodes", err, errlen, "must be 2..1000000 (found %lld)",
                          (long long)c->nodes);
    if (c->validators < 1 || c->validators > c->nodes - 1)
        return sc_fail_at(w, at, "validators", err, errlen,
                          "must be 1..nodes-1 = 1..%lld, found %lld (the last node is the "
                          "platform's gateway)",
                          (long long)c->nodes - 1, (long long)c->validators);
    if (c->topology == LEDGER_TOPO_COMPLETE && c->nodes > 3000)
        return sc_fail_at(w, at, "network.topology", err, errlen,
                          "a complete topology is limited to 3000 nodes (nodes is %lld)",
                          (long long)c->nodes);
    if (c->interval <= 0) return sc_fail_at(w, at, "interval", err, errlen, "must be positive");
    if (c->shares.n && c->shares.n != (size_t)c->validators)
        return sc_fail_at(w, at, "pow.shares", err, errlen,
                          "needs one share per validator (%lld), found %zu",
                          (long long)c->validators, c->shares.n);
    double tot = 0;
    for (size_t i = 0; i < c->shares.n; i++) {
        if (!(c->shares.v[i] >= 0))
            return sc_fail_at(w, at, "pow.shares", err, errlen, "shares must be >= 0");
        tot += c->shares.v[i];
    }
    for (size_t i = 0; i < c->reward_price.n; i++)
        if (!(c->reward_price.v[i] >= 0 && c->reward_price.v[i] <= 1e9))
            return sc_fail_at(w, at, "rewards.price", err, errlen,
                              "prices must be 0..1e9 cents, found %g at day %zu",
                              c->reward_price.v[i], i);
    if (c->shares.n && !(tot > 0))
        return sc_fail_at(w, at, "pow.shares", err, errlen, "shares sum to zero");
    const ledger_fault *f = c->faults.items;
    for (size_t i = 0; i < c->faults.n; i++) {
        char key[64];
        snprintf(key, sizeof key, "faults[%zu].node", i);
        if (f[i].node < 0 || f[i].node >= c->nodes - 1)
            return sc_fail_at(w, at, key, err, errlen,
                              "must be 0..nodes-2 = 0..%lld (the gateway does not fail)",
                              (long long)c->nodes - 2);
        snprintf(key, sizeof key, "faults[%zu].up", i);
        if (f[i].up && f[i].up <= f[i].down)
            return sc_fail_at(w, at, key, err, errlen, "must come after the fault's down time");
    }
    if (c->block_max_bytes < 200)
        return sc_fail_at(w, at, "block.max_bytes", err, errlen, "must be at least 200");
    if (c->extra_bytes >= c->block_max_bytes)
        return sc_fail_at(w, at, "block.extra_bytes", err, errlen,
                          "must be less than block.max_bytes = %lld (background traffic takes "
                          "its share of the block first)",
                          (long long)c->block_max_bytes);
    if (c->adv_attack == LEDGER_ATTACK_EQUIVOCATE && c->consensus != LEDGER_BFT)
        return sc_fail_at(w, at, "adversary.attack", err, errlen,
                          "equivocate needs consensus: bft");
    if ((c->adv_attack == LEDGER_ATTACK_CENSOR || c->adv_attack == LEDGER_ATTACK_EQUIVOCATE) &&
        c->adv_validators >= c->validators)
        return sc_fail_at(w, at, "adversary.validators", err, errlen,
                          "must be less than validators = %lld, found %lld (someone must be "
                          "honest for a censored payment ever to be final)",
                          (long long)c->validators, (long long)c->adv_validators);
    if (c->adv_attack == LEDGER_ATTACK_DOUBLE_SPEND || c->adv_attack == LEDGER_ATTACK_SELFISH) {
        if (c->consensus != LEDGER_POW)
            return sc_fail_at(w, at, "adversary.attack", err, errlen,
                              "double-spend and selfish-mining need consensus: pow");
        if (c->validators < 2)
            return sc_fail_at(w, at, "adversary.attack", err, errlen,
                              "needs validators >= 2 (pool 0 attacks, the others are honest), "
                              "found %lld",
                              (long long)c->validators);
        if (c->adv_attack == LEDGER_ATTACK_DOUBLE_SPEND && c->adv_give_up <= c->confirmations)
            return sc_fail_at(w, at, "adversary.give_up", err, errlen,
                              "must exceed pow.confirmations = %lld, found %lld (the attacker "
                              "races on after the recipient accepts)",
                              (long long)c->confirmations, (long long)c->adv_give_up);
    }
    return SIM_OK;
}

ledger *ledger_new(sim *s, const ledger_config *cfg, const char *name, uint64_t seed,
                   uint64_t replication, size_t n_drivers, char *err, size_t errlen) {
    if (!name) name = "";
    char at[160];
    snprintf(at, sizeof at, "platform '%s': ledger", name);
    if (ledger_config_check(cfg, NULL, at, err, errlen) != SIM_OK) return NULL;
    ledger *l = calloc(1, sizeof *l);
    if (!l) goto oom;
    l->cfg = *cfg;
    l->cfg.faults = (sc_list){NULL, 0}; /* the caller's configuration owns these */
    l->cfg.shares = (sc_reals){NULL, 0};
    l->cfg.reward_price = (sc_reals){NULL, 0};
    l->s = s;
    snprintf(l->name, sizeof l->name, "%s", name);
    l->started = sim_now(s);
    bool chain = cfg->kind == LEDGER_CHAIN;
    l->n_validators = chain ? (uint32_t)cfg->validators : 0;
    l->n_nodes = chain ? (uint32_t)cfg->nodes : 1;
    l->gateway = l->n_nodes - 1;
    l->n_drivers = (uint32_t)n_drivers;
    l->first_driver = 2 + l->n_validators;
    l->first_rider = l->first_driver + l->n_drivers;
    if (grow_accounts(l, l->first_rider)) goto oom;
    l->reward_carry = calloc(l->n_drivers + 1, sizeof *l->reward_carry);
    if (!l->reward_carry) goto oom;
    char sname[128];
    snprintf(sname, sizeof sname, "ledger.%s.network", name);
    l->rng_net = sim_rng_stream(seed, replication, sname);
    snprintf(sname, sizeof sname, "ledger.%s.mining", name);
    l->rng_mine = sim_rng_stream(seed, replication, sname);
    snprintf(sname, sizeof sname, "ledger.%s.tx", name);
    l->rng_tx = sim_rng_stream(seed, replication, sname);
    if (!l->rng_net || !l->rng_mine || !l->rng_tx) goto oom;
    if (chain && cfg->adv_attack != LEDGER_ATTACK_NONE) {
        snprintf(sname, sizeof sname, "ledger.%s.adversary", name);
        if (!(l->rng_adv = sim_rng_stream(seed, replication, sname))) goto oom;
    }
    if (!chain) return l;

    l->n_watch = l->n_validators + 1;
    l->up = malloc(l->n_nodes * sizeof *l->up);
    l->tip = calloc(l->n_watch, sizeof *l->tip);
    l->share = calloc(l->n_validators, sizeof *l->share);
    if (!l->up || !l->tip || !l->share) goto oom;
    for (uint32_t i = 0; i < l->n_nodes; i++)
        l->up[i] = true;
    double tot = 0;
    for (uint32_t i = 0; i < l->n_validators; i++)
        tot += l->share[i] = cfg->shares.n ? cfg->shares.v[i] : 1.0;
    for (uint32_t i = 0; i < l->n_validators; i++)
        l->share[i] /= tot;
    if (cfg->adv_attack == LEDGER_ATTACK_DOUBLE_SPEND || cfg->adv_attack == LEDGER_ATTACK_SELFISH) {
        /* pool 0 attacks with its own share */
        double rest = 1 - l->share[0];
        for (uint32_t i = 1; i < l->n_validators; i++)
            l->share[i] = rest > 0 ? l->share[i] / rest * (1 - cfg->adv_share)
                                   : (1 - cfg->adv_share) / (l->n_validators - 1);
        l->share[0] = cfg->adv_share;
    }
    if (lnet_build(&l->net, cfg, l->rng_net, l->n_validators)) goto oom;
    for (uint32_t i = 0; i < l->n_validators; i++)
        l->net.want[i] = 1;
    l->net.want[l->gateway] = 1;
    l->net.n_want = l->n_validators + 1;
    if (chain_init(l)) goto oom;
    l->depth_final = cfg->consensus == LEDGER_POW   ? (uint64_t)cfg->confirmations
                     : cfg->consensus == LEDGER_POA ? l->n_validators / 2 + 1
                                                    : 1;
    const ledger_fault *f = cfg->faults.items;
    if (cfg->faults.n) {
        l->fault_at = malloc(2 * cfg->faults.n * sizeof *l->fault_at);
        if (!l->fault_at) goto oom;
        for (size_t i = 0; i < cfg->faults.n; i++) {
            l->fault_at[l->n_fault_at++] = l->started + f[i].down;
            if (f[i].up) l->fault_at[l->n_fault_at++] = l->started + f[i].up;
        }
        qsort(l->fault_at, l->n_fault_at, sizeof *l->fault_at, cmp_time);
    }
    for (size_t i = 0; i < cfg->faults.n; i++) {
        uint64_t node = (uint64_t)f[i].node;
        if (!sim_schedule(s, l->started + f[i].down, on_fault, l, node << 1)) goto oom;
        if (f[i].up && !sim_schedule(s, l->started + f[i].up, on_fault, l, node << 1 | 1)) goto oom;
    }
    int rc = cfg->consensus == LEDGER_POW   ? pow_start(l)
             : cfg->consensus == LEDGER_POA ? poa_start(l)
                                            : bft_start(l);
    if (rc) goto oom;
    return l;
oom:
    snprintf(err, errlen, "ledger of platform '%s': out of memory", name);
    ledger_free(l);
    return NULL;
}

void ledger_free(ledger *l) {
    if (!l) return;
    bft_free(l);
    adv_free(l);
    gsl_rng_free(l->rng_adv);
    gsl_rng_free(l->rng_net);
    gsl_rng_free(l->rng_mine);
    gsl_rng_free(l->rng_tx);
    free(l->next_nonce);
    free(l->last_pending);
    free(l->fin_bal);
    free(l->pend_debit);
    free(l->pend_self);
    free(l->tx);
    free(l->pool);
    free(l->incl);
    free(l->scratch);
    free(l->blk);
    free(l->btx);
    lnet_free(&l->net);
    free(l->up);
    free(l->tip);
    free(l->arrival);
    free(l->memo);
    free(l->memo_dist);
    free(l->share);
    lstate_free(&l->st);
    free(l->lat_s);
    free(l->reward_carry);
    free(l->fault_at);
    free(l);
}

void ledger_on_final(ledger *l, ledger_final_fn fn, void *ctx) {
    l->on_final = fn;
    l->on_final_ctx = ctx;
}

int64_t ledger_balance(const ledger *l, uint32_t a) {
    return a < l->n_accounts ? l->fin_bal[a] : 0;
}

int64_t ledger_spendable(const ledger *l, uint32_t a) {
    return a < l->n_accounts ? l->fin_bal[a] - l->pend_debit[a] + l->pend_self[a] : 0;
}

/* Fees are whole base units: fee_per_byte x size rounded to the nearest. */
static int64_t byte_fee(const ledger *l, uint32_t size) {
    return (int64_t)llround(l->cfg.fee_per_byte * (double)size);
}

int64_t ledger_byte_fee(const ledger *l, uint32_t size) {
    return byte_fee(l, size);
}

static void on_central_final(sim *s, void *target, uint64_t idx) {
    ledger *l = target;
    ltx *t = &l->tx[idx];
    t->state = LTX_FINAL;
    t->final_at = sim_now(s);
    l->n_final++;
    if (t->notify && l->on_final) l->on_final(l->on_final_ctx, t->tag, t->submitted, sim_now(s));
}

static int submit(ledger *l, const ledger_tx_spec *spec, uint64_t tag, bool notify, bool instant) {
    int rc = ltx_check_spec(spec, l->n_accounts);
    if (rc) return rc;
    if (SIM_GROW(&l->tx, &l->tx_cap, l->n_tx + 1, 1024) != SIM_OK) return LEDGER_ENOMEM;
    ltx t;
    memset(&t, 0, sizeof t);
    t.type = (uint8_t)spec->type;
    t.from = spec->from;
    t.nonce = l->next_nonce[spec->from];
    t.memo = spec->memo;
    t.n_out = spec->n_out;
    memcpy(t.out, spec->out, sizeof t.out);
    /* the serialization's length does not depend on the fee's value, so the byte fee is known
     * before the one hash of the finished transaction */
    uint8_t ser[LTX_SER_MAX];
    t.size = (uint32_t)(ltx_serialize(&t, ser) + LEDGER_SIG_BYTES);
    bool chain = l->cfg.kind == LEDGER_CHAIN;
    t.fee = spec->fee >= 0 ? spec->fee : chain ? byte_fee(l, t.size) : 0;
    ltx_finish(&t);
    int64_t debit = ltx_debit(&t);
    if (debit > 0 && debit > ledger_spendable(l, t.from)) return LEDGER_EFUNDS;
    uint32_t idx = (uint32_t)l->n_tx;
    sim_time now = sim_now(l->s);
    t.submitted = now;
    t.tag = tag;
    t.notify = notify;
    t.incl = LNONE;
    t.prev = LNONE;
    t.final_at = LTIME_INF;
    if (l->cfg.kind == LEDGER_CENTRAL) {
        if (lstate_apply(&l->st, &t, LEDGER_ACCOUNT_TREASURY) != 0) return LEDGER_EINVAL;
        l->fin_bal[t.from] -= debit;
        if (t.type != LEDGER_TX_BURN)
            for (unsigned i = 0; i < t.n_out; i++)
                l->fin_bal[t.out[i].to] += t.out[i].amount;
        l->fin_bal[LEDGER_ACCOUNT_TREASURY] += t.fee;
        if (!sim_schedule(l->s, now, on_central_final, l, idx)) {
            lstate_undo(&l->st, &t, LEDGER_ACCOUNT_TREASURY);
            return LEDGER_ENOMEM;
        }
        (void)SIM_GROW(&l->lat_s, &l->lat_cap, l->n_lat + 1, 1024);
        if (l->n_lat < l->lat_cap) l->lat_s[l->n_lat++] = 0;
    } else {
        if (mempool_add(l, idx)) return LEDGER_ENOMEM;
        t.visible = now;
        if (l->cfg.tx_delay > 0 && !instant)
            t.visible += (sim_time)(gsl_ran_exponential(l->rng_tx, (double)l->cfg.tx_delay) + 0.5);
        t.prev = l->last_pending[t.from];
        l->last_pending[t.from] = idx;
        l->pend_debit[t.from] += debit;
        if (t.type == LEDGER_TX_DEPOSIT) l->pend_self[t.from] += ltx_out_total(&t);
    }
    l->next_nonce[t.from]++;
    l->tx[l->n_tx++] = t;
    l->submitted++;
    if (chain && l->cfg.consensus == LEDGER_BFT) bft_tx_added(l, t.visible);
    return LEDGER_OK;
}

int ledger_submit_now(ledger *l, const ledger_tx_spec *spec, uint64_t tag, uint32_t *idx) {
    *idx = (uint32_t)l->n_tx;
    return submit(l, spec, tag, false, true);
}

uint32_t ledger_private_tx(ledger *l, const ledger_tx_spec *spec, uint64_t nonce) {
    if (ltx_check_spec(spec, l->n_accounts)) return LNONE;
    if (SIM_GROW(&l->tx, &l->tx_cap, l->n_tx + 1, 1024) != SIM_OK) return LNONE;
    ltx t;
    memset(&t, 0, sizeof t);
    t.type = (uint8_t)spec->type;
    t.from = spec->from;
    t.nonce = nonce;
    t.memo = spec->memo;
    t.n_out = spec->n_out;
    t.priv = 1;
    memcpy(t.out, spec->out, sizeof t.out);
    uint8_t ser[LTX_SER_MAX];
    t.size = (uint32_t)(ltx_serialize(&t, ser) + LEDGER_SIG_BYTES);
    t.fee = spec->fee >= 0 ? spec->fee : byte_fee(l, t.size);
    ltx_finish(&t);
    t.submitted = sim_now(l->s);
    t.visible = t.final_at = LTIME_INF;
    t.incl = t.prev = LNONE;
    l->tx[l->n_tx] = t;
    return (uint32_t)l->n_tx++;
}

int ledger_submit(ledger *l, const ledger_tx_spec *tx, uint32_t node, uint64_t tag) {
    return submit(l, tx, tag, true, false);
}

/* Buys the shortfall at the on-ramp when account a cannot cover need. */
static int top_up(ledger *l, uint32_t a, int64_t need, uint64_t tag) {
    int64_t have = ledger_spendable(l, a);
    if (have >= need) return LEDGER_OK;
    ledger_tx_spec dep = {.type = LEDGER_TX_DEPOSIT, .from = a, .fee = -1, .memo = tag, .n_out = 1};
    dep.out[0] = (ledger_out){a, need - have};
    return submit(l, &dep, tag, false, false);
}

int64_t ledger_payment_fee(const ledger *l) {
    /* a two-output payment: serialization 54 bytes + signature */
    return l->cfg.kind == LEDGER_CHAIN ? byte_fee(l, 54 + LEDGER_SIG_BYTES) : 0;
}

int64_t ledger_transfer_fee(const ledger *l) {
    /* a one-output transfer: 42 bytes + signature */
    return l->cfg.kind == LEDGER_CHAIN ? byte_fee(l, 42 + LEDGER_SIG_BYTES) : 0;
}

int ledger_pay_ride(ledger *l, uint32_t rider, uint32_t driver, int64_t driver_pay,
                    int64_t treasury_pay, uint64_t tag) {
    uint32_t ra = ledger_rider_account(l, rider);
    if (ra == UINT32_MAX) return LEDGER_ENOMEM;
    if (driver >= l->n_drivers || driver_pay < 0 || driver_pay + treasury_pay < 0)
        return LEDGER_EINVAL;
    uint32_t da = ledger_driver_account(l, driver);
    int64_t from_rider = driver_pay, subsidy = 0;
    if (treasury_pay < 0) {
        from_rider = driver_pay + treasury_pay;
        subsidy = -treasury_pay;
        treasury_pay = 0;
    }
    ledger_tx_spec pay = {.type = LEDGER_TX_PAY, .from = ra, .fee = -1, .memo = tag, .n_out = 2};
    pay.out[0] = (ledger_out){da, from_rider};
    pay.out[1] = (ledger_out){LEDGER_ACCOUNT_TREASURY, treasury_pay};
    int rc = top_up(l, ra, from_rider + treasury_pay + ledger_payment_fee(l), tag);
    if (rc == LEDGER_OK) rc = submit(l, &pay, tag, true, false);
    if (rc != LEDGER_OK || subsidy == 0) return rc;
    int64_t tfee = ledger_transfer_fee(l);
    ledger_tx_spec sub = {.type = LEDGER_TX_TRANSFER,
                          .from = LEDGER_ACCOUNT_TREASURY,
                          .fee = -1,
                          .memo = tag,
                          .n_out = 1};
    sub.out[0] = (ledger_out){da, subsidy};
    rc = top_up(l, LEDGER_ACCOUNT_TREASURY, subsidy + tfee, tag);
    return rc == LEDGER_OK ? submit(l, &sub, tag, false, false) : rc;
}

int ledger_transfer(ledger *l, uint32_t from, uint32_t to, int64_t amount, uint64_t tag) {
    uint32_t fa = ledger_rider_account(l, from), ta = ledger_rider_account(l, to);
    if (fa == UINT32_MAX || ta == UINT32_MAX) return LEDGER_ENOMEM;
    if (amount <= 0 || fa == ta) return LEDGER_EINVAL;
    /* a one-output transfer: 42 bytes + signature */
    int64_t fee = l->cfg.kind == LEDGER_CHAIN ? byte_fee(l, 42 + LEDGER_SIG_BYTES) : 0;
    ledger_tx_spec t = {.type = LEDGER_TX_TRANSFER, .from = fa, .fee = -1, .memo = tag, .n_out = 1};
    t.out[0] = (ledger_out){ta, amount};
    int rc = top_up(l, fa, amount + fee, tag);
    return rc == LEDGER_OK ? submit(l, &t, tag, true, false) : rc;
}

int64_t ledger_reward_rule(const ledger_config *cfg, double metres, double seconds) {
    if (!(metres > 0) || !(seconds > 0)) return 0;
    double v = metres / seconds;
    if (v < cfg->reward_min_speed || v > cfg->reward_max_speed) return 0;
    double r = cfg->reward_per_km * metres * 1000.0; /* per km x km x 10^6 */
    return r > 9e15 ? (int64_t)9e15 : (int64_t)llround(r);
}

/* Fractions of a base unit stay with the driver (reward_carry) until they make a whole one;
 * halving and the cap then act on whole units, as a protocol's issuance schedule does. */
int64_t ledger_reward_movement(ledger *l, uint32_t driver, double metres, double seconds,
                               uint64_t tag) {
    if (driver >= l->n_drivers) return -LEDGER_EINVAL;
    if (!l->cfg.reward_enabled) return 0;
    int64_t owed = l->reward_carry[driver] + ledger_reward_rule(&l->cfg, metres, seconds);
    int64_t amount = owed / 1000000;
    if (amount <= 0) {
        l->reward_carry[driver] = owed;
        return 0;
    }
    int64_t earned = amount;
    if (l->cfg.reward_halving > 0) {
        int64_t era = l->reward_minted / l->cfg.reward_halving;
        amount = era >= 62 ? 0 : amount >> era;
    }
    if (l->cfg.reward_cap > 0 && amount > l->cfg.reward_cap - l->reward_minted)
        amount = l->cfg.reward_cap - l->reward_minted;
    if (amount > 0) {
        ledger_tx_spec m = {.type = LEDGER_TX_MINT,
                            .from = LEDGER_ACCOUNT_ISSUER,
                            .fee = -1,
                            .memo = (uint64_t)(metres + 0.5),
                            .n_out = 1};
        m.out[0] = (ledger_out){ledger_driver_account(l, driver), amount};
        int rc = submit(l, &m, tag, true, false);
        if (rc) return -rc;
        l->reward_minted += amount;
    }
    l->reward_carry[driver] = owed - earned * 1000000;
    return amount > 0 ? amount : 0;
}

void ledger_stop(ledger *l) {
    l->stopped = true;
    if (l->mine_ev) sim_cancel(l->s, l->mine_ev);
    l->mine_ev = 0;
}

bool ledger_node_up(const ledger *l, uint32_t node) {
    return l->up && node < l->n_nodes ? l->up[node] : true;
}

void ledger_get_counts(const ledger *l, ledger_counts *c) {
    memset(c, 0, sizeof *c);
    c->blocks = l->n_blk ? l->n_blk - 1 : 0;
    uint64_t h = l->n_blk ? l->blk[l->gw_tip].height : 0;
    for (size_t i = 1; i < l->n_blk; i++) {
        if (l->blk[i].on_main)
            c->main_blocks++;
        else if (l->blk[i].height <= h)
            c->stale_blocks++;
    }
    c->submitted = l->submitted;
    c->final_txs = l->n_final;
    c->pending = l->submitted - l->n_final;
    c->reorgs = l->reorgs;
    c->reorged_blocks = l->reorged_blocks;
    c->missed_slots = l->missed_slots;
    c->rounds_failed = l->rounds_failed;
    c->height = h;
}
