/* The ledger a platform settles payments on: one interface (submit a transaction, learn when
 * it is final) over two back ends, the platform's own database or a simulated chain. */
#ifndef MODELS_LEDGER_H
#define MODELS_LEDGER_H

#include "sim/engine.h"
#include "sim/error.h"
#include "sim/scenario.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { LEDGER_CENTRAL = 0, LEDGER_CHAIN = 1 } ledger_kind;
typedef enum { LEDGER_POW = 0, LEDGER_POA = 1, LEDGER_BFT = 2 } ledger_consensus;
/* Link latency and bandwidth: SimBlock's six-region Bitcoin tables (2015 or 2019), or one
 * fixed latency and bandwidth for every link. */
typedef enum { LEDGER_NET_2015 = 0, LEDGER_NET_2019 = 1, LEDGER_NET_FIXED = 2 } ledger_net_profile;
typedef enum { LEDGER_TOPO_RANDOM = 0, LEDGER_TOPO_COMPLETE = 1 } ledger_topology;
/* An attack on the chain (`ledger.adversary`, docs/chain.md "Attacks"). */
typedef enum {
    LEDGER_ATTACK_NONE = 0,
    LEDGER_ATTACK_DOUBLE_SPEND = 1, /* pow: private chain against a payment with z confirmations */
    LEDGER_ATTACK_SELFISH = 2,      /* pow: Eyal & Sirer's selfish mining */
    LEDGER_ATTACK_CENSOR = 3,       /* any chain: validators leave chosen drivers' payments out */
    LEDGER_ATTACK_EQUIVOCATE = 4,   /* bft: validators propose two blocks and vote for both */
} ledger_attack;
/* Selfish mining: who decides which of two tied branches honest miners extend. */
typedef enum { LEDGER_TIES_NETWORK = 0, LEDGER_TIES_GAMMA = 1 } ledger_ties;

/* A validator (or miner) that is down from `down` until `up`. */
typedef struct ledger_fault {
    int64_t node;
    sim_time down;
    sim_time up;
} ledger_fault;

/* One `platforms[].ledger` section; keys and defaults in ledger_keys.c, docs/chain.md. */
typedef struct ledger_config {
    int kind;      /* ledger_kind */
    int consensus; /* ledger_consensus */
    /* network */
    int64_t nodes;              /* full nodes, validators/miners included */
    int64_t peers;              /* outbound links per node (random topology) */
    int topology;               /* ledger_topology */
    int profile;                /* ledger_net_profile */
    sim_time latency;           /* fixed profile: one-way latency of every link */
    double bandwidth;           /* fixed profile: bits per second of every link (0: infinite) */
    sim_time processing;        /* per hop: checking a block before relaying it */
    sim_time processing_per_kb; /* per hop and per 1000 bytes of block */
    sim_time tx_delay;          /* mean time for a transaction to reach every node (exponential) */
    bool miner_links;           /* pow: mining pools also linked directly to each other */
    bool announce;              /* blocks announced, requested, then sent: 3 latencies per hop */
    /* blocks */
    int64_t block_max_bytes; /* size limit for transactions in a block */
    int64_t extra_bytes;     /* unmodelled background traffic carried by every block */
    double fee_per_byte;     /* fee the facade offers, base units per byte */
    /* consensus */
    int64_t validators;         /* pow: mining pools (equal shares unless `shares`); poa/bft */
    sc_reals shares;            /* pow: hash-power shares (normalised); empty: equal */
    sim_time interval;          /* pow: target block interval; poa: slot; bft: commit wait */
    int64_t confirmations;      /* pow: k for finality (the block itself counts as 1) */
    int64_t retarget;           /* pow: blocks between difficulty retargets; 0: never */
    sim_time bft_timeout;       /* bft: timeout of the first round's propose/prevote/precommit */
    sim_time bft_timeout_delta; /* bft: added per further round */
    bool bft_empty_blocks;      /* bft: heights run without transactions (Tendermint default) */
    sc_list faults;             /* ledger_fault */
    /* movement rewards (La'Zooz) */
    bool reward_enabled;     /* movement rewards are minted at all */
    double reward_per_km;    /* base units minted per km driven (fractions carried over) */
    double reward_min_speed; /* m/s: slower segments earn nothing */
    double reward_max_speed; /* m/s: faster segments are implausible and earn nothing */
    int64_t reward_cap;      /* total that may ever be minted as rewards; 0: no cap */
    int64_t reward_halving;  /* reward per km halves each time this much was minted; 0: never */
    sc_reals reward_price;   /* cents a reward token is worth, by day of the run; empty: 1 */
    /* adversary (off by default) */
    int adv_attack; /* ledger_attack */
    double
        adv_share; /* attacker's hash-power share (q, or alpha); the other pools share the rest */
    int64_t adv_trials;  /* double spend: attacks attempted one after another */
    int64_t adv_give_up; /* double spend: abandon when the honest chain leads by this many */
    bool adv_premine;    /* double spend: send the payment only once one private block is mined */
    int64_t adv_amount;  /* double spend: the payment, base units (cents) */
    int adv_ties;        /* selfish: ledger_ties */
    double adv_gamma;    /* selfish, ties = gamma: share of honest blocks built on the pool's */
    int64_t adv_validators; /* censor: validators 0..n-1 censor */
    int64_t adv_censored;   /* censor: drivers 0..n-1 whose incoming transactions are censored */
    /* load: transfers between accounts, for chain-only runs (ledger_load_new) */
    double load_rate;      /* per second; 0: none */
    int64_t load_accounts; /* accounts the transfers go between */
    int64_t load_amount;   /* base units per transfer */
    /* checks */
    bool check_conservation; /* token conservation checked at every block (tests) */
    bool export_chain;       /* the run writes the chain to ledger-<platform>/ */
} ledger_config;

/* The keys of a `ledger:` section, relative to it (ledger_keys.c). */
extern const sc_key ledger_keys[];

/* Fills cfg with the defaults of ledger_keys; faults/shares empty. */
void ledger_config_defaults(ledger_config *cfg);

/* What ledger_keys cannot say: one key against another (validators against nodes, faults
 * against nodes, ...). `at` is the section's path ("platforms[1].ledger"), w the scenario's
 * positions (or NULL). SIM_OK, or SIM_EINPUT with "file:line:column: path: message".
 * ledger_new checks the same. */
sim_status ledger_config_check(const ledger_config *cfg, const sc_where *w, const char *at,
                               char *err, size_t errlen);

typedef struct ledger ledger;

/* Transaction types; the number is the `type` byte of the serialization. */
typedef enum {
    LEDGER_TX_PAY = 1,      /* ride payment: rider -> driver, treasury (split), fee */
    LEDGER_TX_TRANSFER = 2, /* one account to another */
    LEDGER_TX_MINT = 3,     /* movement reward, signed by the issuer, creates tokens */
    LEDGER_TX_DIVIDEND = 4, /* treasury -> member */
    LEDGER_TX_VOTE = 5,     /* governance: memo carries proposal and choice, no value */
    LEDGER_TX_DEPOSIT = 6,  /* fiat on-ramp: creates tokens for the signer */
    LEDGER_TX_BURN = 7,     /* fiat off-ramp: destroys tokens of the signer */
} ledger_tx_type;

#define LEDGER_MAX_OUTS 4
/* Fixed accounts; validators follow, then drivers, then riders (ledger_*_account). */
#define LEDGER_ACCOUNT_TREASURY 0u
#define LEDGER_ACCOUNT_ISSUER 1u

typedef struct ledger_out {
    uint32_t to;
    int64_t amount;
} ledger_out;

typedef struct ledger_tx_spec {
    int type; /* ledger_tx_type */
    uint32_t from;
    int64_t fee; /* < 0: fee_per_byte x size, rounded (0 on a central ledger) */
    uint64_t memo;
    uint8_t n_out;
    ledger_out out[LEDGER_MAX_OUTS];
} ledger_tx_spec;

/* Called when a submitted transaction is final (central: at once; pow: k confirmations at
 * the platform's gateway node; poa: a majority of authorities built on it; bft: committed). */
typedef void (*ledger_final_fn)(void *ctx, uint64_t tag, sim_time submitted, sim_time final_at);

enum {
    LEDGER_OK = 0,
    LEDGER_EINVAL = 2, /* bad configuration or transaction */
    LEDGER_EFUNDS = 3, /* sender's spendable balance does not cover it */
    LEDGER_ENOMEM = 4,
};

/* A ledger driven by the engine s; streams from (seed, replication, "ledger.<name>.*").
 * n_drivers: driver accounts; riders are added on demand. NULL with a message on error. */
ledger *ledger_new(sim *s, const ledger_config *cfg, const char *name, uint64_t seed,
                   uint64_t replication, size_t n_drivers, char *err, size_t errlen);
void ledger_free(ledger *l);
void ledger_on_final(ledger *l, ledger_final_fn fn, void *ctx);

uint32_t ledger_driver_account(const ledger *l, uint32_t driver);
uint32_t ledger_validator_account(const ledger *l, uint32_t validator);
/* Grows the account table as needed; UINT32_MAX when memory runs out. */
uint32_t ledger_rider_account(ledger *l, uint32_t rider);

/* Submits a transaction through node `node`. Transaction gossip is one sampled delay to
 * every node (docs/chain.md), so the entry node does not change the outcome; it is kept for
 * a hop-by-hop model. tag is passed back at finality. Returns LEDGER_OK or an error code
 * (nothing is submitted then). */
int ledger_submit(ledger *l, const ledger_tx_spec *tx, uint32_t node, uint64_t tag);

/* The platform's split executed on-chain: rider pays driver_pay + treasury_pay + the fee
 * (ledger_payment_fee). With a subsidised trip pass treasury_pay = revenue - subsidy < 0:
 * the rider then pays driver_pay + treasury_pay to the driver and the treasury pays the
 * driver the rest in a transfer of its own. When a payer's spendable balance falls short, a
 * deposit of the shortfall (buying tokens at the on-ramp) is submitted first. The callback
 * (tag) fires when the rider's payment is final. */
int ledger_pay_ride(ledger *l, uint32_t rider, uint32_t driver, int64_t driver_pay,
                    int64_t treasury_pay, uint64_t tag);

/* A transfer of `amount` from rider account `from` to rider account `to` (chain-only loads use
 * the rider accounts), the sender topped up at the on-ramp first when short, as a payment is;
 * the fee is the chain's byte fee. tag is passed back at finality. LEDGER_OK or an error. */
int ledger_transfer(ledger *l, uint32_t from, uint32_t to, int64_t amount, uint64_t tag);

/* A stated load on a chain without a market (demand.source: none, docs/chain.md "Chain-only
 * runs"): transfers at ledger.load.rate (Poisson, stream ledger.<name>.load) between
 * load.accounts accounts drawn at random, of load.amount each, until `end`. */
typedef struct ledger_load ledger_load;
ledger_load *ledger_load_new(ledger *l, const ledger_config *cfg, const char *name, uint64_t seed,
                             uint64_t replication, char *err, size_t errlen);
void ledger_load_start(ledger_load *g, sim *s, sim_time end);
/* The `load` object of a chain-only platform's summary entry (schema_load). */
json_t *ledger_load_json(const ledger_load *g);
void ledger_load_free(ledger_load *g);

/* La'Zooz proof of movement: tokens for `metres` driven in `seconds` by driver, following
 * the reward rule and supply schedule; mints them (if any) and returns the amount (>= 0),
 * or a negative error code. */
int64_t ledger_reward_movement(ledger *l, uint32_t driver, double metres, double seconds,
                               uint64_t tag);
/* The fee ledger_pay_ride charges the rider (0 on a central ledger). */
int64_t ledger_payment_fee(const ledger *l);
/* The fee of the treasury's transfer of a subsidy that ledger_pay_ride makes when
 * treasury_pay < 0 (0 on a central ledger). */
int64_t ledger_transfer_fee(const ledger *l);
/* The rule alone: millionths of a base unit earned (before carry, cap and halving) for one
 * segment. */
int64_t ledger_reward_rule(const ledger_config *cfg, double metres, double seconds);

/* Balance (final view at the gateway) and spendable balance (final minus pending debits). */
int64_t ledger_balance(const ledger *l, uint32_t account);
int64_t ledger_spendable(const ledger *l, uint32_t account);

/* Stops block production (call at the end of the run before reading metrics). */
void ledger_stop(ledger *l);

/* Fills `chain` with the metrics of docs/chain.md. 0 or LEDGER_ENOMEM. */
int ledger_metrics(const ledger *l, json_t *chain);
/* tokens minted - burned - sum of balances, over the gateway's state; 0 unless a bug. */
int64_t ledger_conservation_error(const ledger *l);
/* Ride payments (LEDGER_TX_PAY) submitted in [from + k period, from + (k+1) period), k < n:
 * mean[k] and p95[k] of the seconds from submission to finality at the gateway, NaN where none
 * of them is final yet (payments still pending are left out). 0 or LEDGER_ENOMEM. */
int ledger_payment_finality(const ledger *l, sim_time from, sim_time period, size_t n, double *mean,
                            double *p95);
/* SHA-256 of the final state (docs/ledger-format.md) as 64 hex characters. */
void ledger_fingerprint(const ledger *l, char hex[65]);

/* blocks.csv: one row per block of every chain ledger in ls (central ones have none), stale
 * ones marked, a first column `run` (the run's index) and a `platform` column naming the
 * ledger. SIM_OK, or SIM_EIO with a message. */
sim_status ledger_write_blocks_csv(const ledger *const *ls, size_t n, uint64_t run, const char *dir,
                                   const char *name, char *err, size_t errlen);
/* The chain (every block on the gateway's best chain) and the final balances, in the
 * format of docs/ledger-format.md. SIM_OK; SIM_EINPUT for a central ledger (nothing to
 * export), SIM_EIO, SIM_ENOMEM, with a message. */
sim_status ledger_export(const ledger *l, const char *dir, char *err, size_t errlen);
/* Bounds of verify-ledger (docs/limits.md): a longer block line, a larger state.json or more
 * accounts is refused as LEDGER_UNREADABLE before memory is spent on it. */
#define LEDGER_VERIFY_MAX_LINE ((size_t)64 << 20)
#define LEDGER_VERIFY_MAX_STATE_BYTES ((size_t)512 << 20)
#define LEDGER_VERIFY_MAX_ACCOUNTS 10000000
/* What verifying an export finds: an outcome of the check, not an error of the program (the
 * program maps each to its exit status). Worse verdicts compare greater. */
typedef enum ledger_verdict {
    LEDGER_VALID = 0,      /* every hash, Merkle root, rule and balance checks out */
    LEDGER_INVALID = 1,    /* a bad block (the first is named), a state the blocks do not give,
                            * or an export that is not the one its run recorded */
    LEDGER_UNREADABLE = 2, /* missing, unreadable, past a bound, or not an export at all */
} ledger_verdict;

/* Re-verifies an export read from its two files (label names them in messages): a verdict, with
 * the verified state's fingerprint in fp when valid (64 hex digits; fp may be NULL). */
ledger_verdict ledger_verify_streams(FILE *state, FILE *blocks, const char *label, char fp[65],
                                     char *msg, size_t msglen);
/* The same for the export in directory dir. */
ledger_verdict ledger_verify_export(const char *dir, char fp[65], char *msg, size_t msglen);
/* verify-ledger: dir is an export (cross-checked against the ledger_fingerprint of the run's
 * summary.json or run record above it, when there is one) or a run directory (each ledger-* in
 * it). One line per export in msg; the worst verdict of them. */
ledger_verdict ledger_verify_dir(const char *dir, char *msg, size_t msglen);
/* The directory name an export of platform gets: "ledger-" and the name with anything but
 * letters, digits, '-', '_' and '.' made '_'. */
void ledger_dir_name(const char *platform, char *out, size_t n);

/* Closed forms the attacks are measured against (docs/chain.md "Attacks"). q: the attacker's
 * hash share; z: confirmations the recipient waits for (the payment's block included).
 * Nakamoto (2008, section 11), Poisson approximation of the attacker's progress: */
double ledger_ds_nakamoto(double q, int64_t z);
/* Rosenfeld (2014), exact for an attacker that never gives up (negative binomial progress): */
double ledger_ds_rosenfeld(double q, int64_t z);
/* The race the simulated attacker runs, exactly: `premine` blocks mined before the payment
 * is sent (0 or 1), success once its chain is strictly longer after acceptance, abandoned
 * when the honest chain leads by give_up (> z) blocks. Equals Rosenfeld's with premine 1 and
 * give_up -> infinity. */
double ledger_ds_exact(double q, int64_t z, int premine, int64_t give_up);
/* Eyal & Sirer (2014, eq. 8): relative revenue of a selfish pool with share alpha when a
 * share gamma of honest miners builds on its block in a tie; and the share above which
 * selfish mining pays more than honest mining, (1 - gamma) / (3 - 2 gamma). */
double ledger_selfish_revenue(double alpha, double gamma);
double ledger_selfish_threshold(double gamma);
/* Proof of authority with authorities 0..k-1 of v censoring (round robin, slot `interval`):
 * the mean extra wait, in seconds, of a censored transaction arriving at a uniform time,
 * interval x k(k+1) / (2v) (it waits for the first honest slot). */
double ledger_poa_censor_delay(int64_t k, int64_t v, sim_time interval);
/* Wilson score interval of k successes in n trials at 95%: lo, hi. */
void ledger_wilson95(uint64_t k, uint64_t n, double *lo, double *hi);

/* What an attack did (zeros when the ledger has no adversary). */
typedef struct ledger_attack_counts {
    uint64_t trials, successes;        /* double spend: attacks finished, payments reversed */
    int64_t reversed_amount;           /* double spend: base units the recipient lost */
    uint64_t pool_blocks, main_blocks; /* selfish: pool's blocks on the gateway's best chain */
    uint64_t tie_honest,
        tie_honest_pool;   /* selfish: honest blocks found during a tie, on the pool's */
    uint64_t censored_txs; /* censor: transactions a censor left out at least once */
    uint64_t equivocations, safety_violations; /* equivocate: double proposals, heights with two
                                                  final blocks */
} ledger_attack_counts;
void ledger_get_attack_counts(const ledger *l, ledger_attack_counts *c);

/* Counts for tests. */
typedef struct ledger_counts {
    uint64_t blocks, stale_blocks, main_blocks;
    uint64_t submitted, final_txs, pending;
    uint64_t reorgs, reorged_blocks, missed_slots, rounds_failed;
    uint64_t height; /* gateway tip */
} ledger_counts;
void ledger_get_counts(const ledger *l, ledger_counts *c);
/* Whether node is up (faults). */
bool ledger_node_up(const ledger *l, uint32_t node);

#endif
