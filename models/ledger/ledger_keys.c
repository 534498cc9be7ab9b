/* The scenario keys of a platform's `ledger:` section, relative to that section, with offsets
 * into ledger_config; the program mounts them at platforms[].ledger. Defaults and their sources:
 * docs/chain.md. */
#include "models/ledger/ledger.h"

#include <stddef.h>

#define LEDGER_K(path_, type_, field_, def_, min_, max_, doc_)                                     \
    {                                                                                              \
        .path = (path_), .type = (type_), .offset = offsetof(ledger_config, field_),               \
        .def = (def_), .min = (min_), .max = (max_), .doc = (doc_)                                 \
    }
#define LEDGER_E(path_, field_, def_, choices_, doc_)                                              \
    {                                                                                              \
        .path = (path_), .type = SC_ENUM, .offset = offsetof(ledger_config, field_),               \
        .def = (def_), .choices = (choices_), .doc = (doc_)                                        \
    }
#define LEDGER_F(path_, type_, field_, def_, min_, max_, doc_)                                     \
    {                                                                                              \
        .path = "faults[]." path_, .type = (type_), .offset = offsetof(ledger_fault, field_),      \
        .def = (def_), .min = (min_), .max = (max_), .doc = (doc_)                                 \
    }

const sc_key ledger_keys[] = {
    LEDGER_E("kind", kind, "central", "central|chain",
             "central: the platform's own database, payments settle at once; chain: a simulated "
             "blockchain (docs/chain.md)"),
    LEDGER_E(
        "consensus", consensus, "pow", "pow|poa|bft",
        "Chain consensus: proof of work, proof of authority (round robin) or Tendermint-style BFT"),
    LEDGER_K("nodes", SC_INT, nodes, "100", "2", "1000000",
             "Full nodes of the chain network, validators or miners included; the last node is the "
             "platform's gateway"),
    LEDGER_K("validators", SC_INT, validators, "16", "1", "999999",
             "PoW: mining pools (Bitcoin had 16, Gervais et al. 2016); PoA: authorities; BFT: "
             "validators (at most 256)"),
    LEDGER_K("interval", SC_DURATION, interval, "10min", "1ms", "1d",
             "PoW: target block interval (Bitcoin 10 min); PoA: slot time; BFT: wait after a "
             "commit before the next height"),
    LEDGER_K(
        "fee_per_byte", SC_REAL, fee_per_byte, "0.05", "0", "1e9",
        "Fee the platform's transactions offer, base units (cents) per byte, rounded to whole "
        "units: 0.05 makes a 118-byte ride payment pay 6 cents (Bitcoin 2016: about $0.05-0.10 "
        "per transaction)"),
    LEDGER_K("network.peers", SC_INT, peers, "8", "1", "1000",
             "Outbound links each node opens to random others (Bitcoin Core's default of 8)"),
    LEDGER_E("network.topology", topology, "random", "random|complete",
             "random: each node links to `peers` random others (plus a ring, so the graph is "
             "connected); complete: every pair linked (validation of the fork formula)"),
    LEDGER_E(
        "network.profile", profile, "bitcoin-2019", "bitcoin-2015|bitcoin-2019|fixed",
        "Latency and bandwidth of links: SimBlock's six-region Bitcoin tables of 2015 or 2019, "
        "or the fixed latency and bandwidth below"),
    LEDGER_K("network.latency", SC_DURATION, latency, "100ms", "0s", "1min",
             "Fixed profile: one-way latency of every link"),
    LEDGER_K("network.bandwidth", SC_REAL, bandwidth, "20e6", "0", "1e12",
             "Fixed profile: bits per second of every link; 0: unlimited"),
    LEDGER_K("network.processing", SC_DURATION, processing, "10ms", "0s", "1min",
             "Time a node takes to check a block before relaying it (per hop)"),
    LEDGER_K("network.processing_per_kb", SC_DURATION, processing_per_kb, "0s", "0s", "10s",
             "Further checking and relay time per 1000 bytes of block, per hop"),
    LEDGER_K("network.tx_delay", SC_DURATION, tx_delay, "2s", "0s", "1h",
             "Mean time (exponential) for a transaction to reach every node (transaction gossip is "
             "not simulated hop by hop; docs/chain.md)"),
    LEDGER_K("network.miner_links", SC_BOOL, miner_links, "false", NULL, NULL,
             "PoW: mining pools are also linked directly to each other, as pools peer among "
             "themselves and use relay networks"),
    LEDGER_K(
        "network.announce", SC_BOOL, announce, "true", NULL, NULL,
        "A node announces a block (inv), the peer asks for it (getdata), then it is sent: three "
        "one-way latencies per hop, as in Bitcoin's relay protocol; false: pushed at once"),
    LEDGER_K("block.max_bytes", SC_INT, block_max_bytes, "1000000", "200", "1000000000",
             "Size limit of the transactions in a block (Bitcoin: 1 MB before SegWit)"),
    LEDGER_K("block.extra_bytes", SC_INT, extra_bytes, "0", "0", "100000000",
             "Background bytes every block carries for traffic not modelled as transactions (other "
             "users of a shared chain); they take their share of block.max_bytes first"),
    LEDGER_K("pow.shares", SC_REAL_LIST, shares, "[]", "0", "999999",
             "Hash-power share of each mining pool (normalised); empty: equal shares"),
    LEDGER_K("pow.confirmations", SC_INT, confirmations, "6", "1", "1000",
             "Blocks, the payment's own included, before a payment counts as final (Bitcoin "
             "custom: 6)"),
    LEDGER_K("pow.retarget", SC_INT, retarget, "2016", "0", "1000000",
             "Blocks between difficulty adjustments (Bitcoin 2016); 0: fixed difficulty"),
    LEDGER_K("bft.timeout", SC_DURATION, bft_timeout, "3s", "1ms", "1h",
             "Timeout of the propose, prevote and precommit steps in round 0 (Tendermint's "
             "timeout_propose default: 3 s)"),
    LEDGER_K("bft.timeout_delta", SC_DURATION, bft_timeout_delta, "500ms", "0s", "1h",
             "Added to the timeouts for every further round (Tendermint default: 500 ms)"),
    LEDGER_K(
        "bft.empty_blocks", SC_BOOL, bft_empty_blocks, "true", NULL, NULL,
        "true: a new height starts one interval after each commit, with or without "
        "transactions (Tendermint's create_empty_blocks default); false: it starts only once a "
        "transaction waits in the mempool"),
    {.path = "faults",
     .type = SC_LIST,
     .offset = offsetof(ledger_config, faults),
     .def = "[]",
     .min = "0",
     .max = "100000",
     .elem_size = sizeof(ledger_fault),
     .doc = "Crash faults: a validator (node index) down from `down` until `up`"},
    LEDGER_F("node", SC_INT, node, NULL, "0", "999999",
             "Node that fails (validators are nodes 0..validators-1)"),
    LEDGER_F("down", SC_DURATION, down, NULL, "0s", "3650d", "When it goes down"),
    LEDGER_F("up", SC_DURATION, up, "0s", "0s", "3650d", "When it comes back; 0s: never"),
    LEDGER_K("rewards.enabled", SC_BOOL, reward_enabled, "false", NULL, NULL,
             "Mint La'Zooz-style movement rewards to drivers for the distance they drive"),
    LEDGER_K(
        "rewards.per_km", SC_REAL, reward_per_km, "0.5", "0", "1e9",
        "Movement reward in base units (cents) per km, fractions carried over (La'Zooz: about 1 "
        "Zooz per 100 km, a Zooz meant to be worth the ~$0.50 cost of a car-km)"),
    LEDGER_K("rewards.min_speed", SC_SPEED, reward_min_speed, "20km/h", "0km/h", "1000km/h",
             "Slower movement earns nothing (La'Zooz: 20 km/h)"),
    LEDGER_K("rewards.max_speed", SC_SPEED, reward_max_speed, "200km/h", "0km/h", "10000km/h",
             "Faster movement is implausible and earns nothing (La'Zooz: 200 km/h)"),
    LEDGER_K("rewards.cap", SC_INT, reward_cap, "0", "0", "9000000000000000000",
             "Most base units that may ever be minted as movement rewards; 0: no cap"),
    LEDGER_K("rewards.halving", SC_INT, reward_halving, "0", "0", "9000000000000000000",
             "The reward per km halves each time this many base units have been minted; 0: never"),
    LEDGER_K("rewards.price", SC_REAL_LIST, reward_price, "[]", "0", "3650",
             "Currency base units (cents) a movement-reward token is worth to a driver, one value "
             "per day of the run, the last holding after; empty: 1, the peg (a path the scenario "
             "sets, e.g. a token that attracts drivers early and loses value later)"),
    LEDGER_E("adversary.attack", adv_attack, "none",
             "none|double-spend|selfish-mining|censor|equivocate",
             "An attack on the chain (docs/chain.md, Attacks): none; double-spend or "
             "selfish-mining by mining pool 0 of a proof-of-work chain (Nakamoto 2008, Rosenfeld "
             "2014; Eyal & Sirer 2014); censor: validators 0..adversary.validators-1 leave the "
             "transactions paying drivers 0..adversary.censored_drivers-1 out of their blocks; "
             "equivocate (BFT): validators 0..adversary.validators-1 propose two blocks and vote "
             "for both"),
    LEDGER_K("adversary.share", SC_SHARE, adv_share, "10%", "0.1%", "99.9%",
             "Hash-power share of the attacking pool (q, or alpha); the other pools share the "
             "rest in proportion to pow.shares"),
    LEDGER_K("adversary.trials", SC_INT, adv_trials, "100", "1", "10000000",
             "Double spend: attacks attempted one after another (each starts when the last "
             "ended)"),
    LEDGER_K("adversary.give_up", SC_INT, adv_give_up, "20", "2", "1000",
             "Double spend: the attacker abandons its private chain once the honest chain leads "
             "it by this many blocks; must exceed pow.confirmations (modelling choice: at q = 0.3 "
             "a lead of 20 is caught up with probability (q/(1-q))^20 < 1e-7)"),
    LEDGER_K("adversary.premine", SC_BOOL, adv_premine, "true", NULL, NULL,
             "Double spend: the attacker sends the payment only once it has mined one private "
             "block (the race Rosenfeld's formula describes); false: at once"),
    LEDGER_K("adversary.amount", SC_MONEY, adv_amount, "100.00", "0.01", "1000000000.00",
             "Double spend: the payment to the recipient (driver 0, or the treasury without "
             "drivers)"),
    LEDGER_E("adversary.ties", adv_ties, "network", "network|gamma",
             "Selfish mining: in a tie, honest miners extend the block they heard of first "
             "(network) or the pool's block with probability adversary.gamma (Eyal & Sirer's "
             "model)"),
    LEDGER_K("adversary.gamma", SC_SHARE, adv_gamma, "0", NULL, NULL,
             "Selfish mining with ties: gamma: share of honest miners that build on the pool's "
             "block in a tie (Eyal & Sirer's gamma)"),
    LEDGER_K("adversary.validators", SC_INT, adv_validators, "1", "1", "999999",
             "Censor, equivocate: how many validators (miners, authorities), numbered from 0, "
             "attack; fewer than ledger.validators"),
    LEDGER_K("adversary.censored_drivers", SC_INT, adv_censored, "1", "0", "10000000",
             "Censor: drivers 0..n-1 whose payments (any transaction paying them) censoring "
             "validators leave out"),
    LEDGER_K("load.rate", SC_RATE, load_rate, "0/s", "0/s", "100000/s",
             "Chain-only runs (demand.source: none): transfers submitted per second, a Poisson "
             "stream between load.accounts accounts chosen at random; 0: the chain carries "
             "nothing but its own blocks"),
    LEDGER_K("load.accounts", SC_INT, load_accounts, "1000", "2", "1000000",
             "Chain-only runs: accounts the transfers go between (each tops itself up at the "
             "on-ramp when it runs short)"),
    LEDGER_K("load.amount", SC_MONEY, load_amount, "10.00", "0.01", "1000000",
             "Chain-only runs: the value of each transfer, in tokens (currency units)"),
    LEDGER_K(
        "check_conservation", SC_BOOL, check_conservation, "false", NULL, NULL,
        "Check token conservation (minted - burned = sum of balances) after every block (every "
        "ceil(accounts/4096) blocks once there are more than 4096 accounts) and every "
        "reorganisation"),
    LEDGER_K("export", SC_BOOL, export_chain, "false", NULL, NULL,
             "Write the chain (blocks, transactions, final balances) to ledger-<platform>/ in the "
             "output directory, for coopsim verify-ledger (docs/ledger-format.md)"),
    {.path = NULL},
};
