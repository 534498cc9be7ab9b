/* The ledger's outputs: the `chain` object of a platform's summary entry, blocks.csv and the
 * export's accounts.csv (docs/chain.md, "Outputs"; docs/ledger-format.md). */
#include "models/schema/schema.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

static const sch_field chain_fields[] = {
    [SCH_CHAIN_CONSENSUS] = {"consensus", "text", "central, pow, poa or bft"},
    [SCH_CHAIN_NODES] = {"nodes", "count", "full nodes (1 for central)"},
    [SCH_CHAIN_BLOCKS] = {"blocks", "count", "blocks made (genesis excluded)"},
    [SCH_CHAIN_STALE_BLOCKS] = {"stale_blocks", "count", "blocks off the gateway's best chain"},
    [SCH_CHAIN_STALE_RATE] = {"stale_rate", "share 0-1", "stale blocks / blocks"},
    [SCH_CHAIN_REORGANISATIONS] = {"reorganisations", "count", "the gateway's reorganisations"},
    [SCH_CHAIN_REORGANISATIONS_PAST_FINALITY] = {"reorganisations_past_finality", "count",
                                                 "reorganisations that undid blocks already "
                                                 "final: should be 0"},
    [SCH_CHAIN_MISSED_SLOTS] = {"missed_slots", "count", "proof of authority: missed slots"},
    [SCH_CHAIN_FAILED_ROUNDS] = {"failed_rounds", "count", "BFT: rounds that failed"},
    [SCH_CHAIN_TRANSACTIONS] = {"transactions", "count", "final transactions"},
    [SCH_CHAIN_TRANSACTIONS_PENDING] = {"transactions_pending", "count",
                                        "transactions not final at the end"},
    [SCH_CHAIN_TPS_MEAN] = {"tps_mean", "1/s", "final transactions per second of simulated time"},
    [SCH_CHAIN_CONFIRM_LATENCY_MEAN_S] = {"confirm_latency_mean_s", "s",
                                          "mean time from submission to finality"},
    [SCH_CHAIN_CONFIRM_LATENCY_P95_S] = {"confirm_latency_p95_s", "s",
                                         "95th percentile of that time"},
    [SCH_CHAIN_BLOCK_PROPAGATION_P50_S] = {"block_propagation_p50_s", "s",
                                           "median over blocks of the time to reach half of "
                                           "the nodes"},
    [SCH_CHAIN_FEES_TOTAL] = {"fees_total", "currency units",
                              "fees on the gateway's chain (the token's base unit is the "
                              "currency's minor unit)"},
    [SCH_CHAIN_FEES_TOTAL_BASE_UNITS] = {"fees_total_base_units", "token base units",
                                         "the same, exact"},
    [SCH_CHAIN_TOKEN_MINTED] = {"token_minted", "token base units", "tokens minted"},
    [SCH_CHAIN_TOKEN_BURNED] = {"token_burned", "token base units", "tokens burned"},
    [SCH_CHAIN_TOKEN_SUPPLY] = {"token_supply", "token base units", "minted - burned"},
    [SCH_CHAIN_TOKEN_GINI] = {"token_gini", "index 0-1",
                              "Gini index of balances (issuer excluded)"},
    [SCH_CHAIN_LEDGER_FINGERPRINT] = {"ledger_fingerprint", "64 hex digits",
                                      "SHA-256 of the final state (docs/ledger-format.md)"},
    [SCH_CHAIN_CHECKS] = {"checks", "object", "the ledger's invariants (below)"},
    [SCH_CHAIN_ADVERSARY] = {"adversary", "object",
                             "only with ledger.adversary.attack set: what the attack did (below)"},
};
SAME_COUNT(chain_fields, SCH_CHAIN_N);
const sch_table schema_chain =
    TABLE("summary.json", "platforms[].chain",
          "Platforms on a chain ledger: the chain's metrics over the whole run.", chain_fields);

static const sch_field chain_adversary_fields[] = {
    [SCH_ADV_ATTACK] = {"attack", "text", "double-spend, selfish-mining, censor or equivocate"},
    [SCH_ADV_SHARE] = {"share", "share 0-1",
                       "double spend, selfish mining: the attacking pool's hash share (q, alpha)"},
    [SCH_ADV_CONFIRMATIONS] = {"confirmations", "count",
                               "double spend: confirmations the recipient waits for (z)"},
    [SCH_ADV_PREMINE] = {"premine", "true/false",
                         "double spend: the payment was sent after one private block"},
    [SCH_ADV_GIVE_UP] = {"give_up", "blocks",
                         "double spend: the attacker abandons this many blocks behind"},
    [SCH_ADV_TRIALS] = {"trials", "count", "double spend: attacks finished"},
    [SCH_ADV_SUCCESSES] = {"successes", "count",
                           "double spend: payments reversed after the recipient accepted"},
    [SCH_ADV_SUCCESS_RATE] = {"success_rate", "share 0-1", "double spend: successes / trials"},
    [SCH_ADV_SUCCESS_CI95] = {"success_ci95", "[share, share]",
                              "double spend: 95% Wilson interval of the rate"},
    [SCH_ADV_THEORY] = {"theory", "object",
                        "closed forms: double spend nakamoto, rosenfeld, exact; selfish mining "
                        "eyal_sirer, gamma_used, honest, threshold"},
    [SCH_ADV_PAYMENT] = {"payment", "currency units", "double spend: each trial's payment"},
    [SCH_ADV_REVERSED_AMOUNT] = {"reversed_amount", "currency units",
                                 "double spend: what the recipient lost"},
    [SCH_ADV_REVERSED_AMOUNT_BASE_UNITS] = {"reversed_amount_base_units", "token base units",
                                            "the same, exact"},
    [SCH_ADV_TIES] = {"ties", "text", "selfish mining: network or gamma"},
    [SCH_ADV_GAMMA] = {"gamma", "share 0-1", "selfish mining: gamma set (null with network ties)"},
    [SCH_ADV_GAMMA_MEASURED] =
        {"gamma_measured", "share 0-1",
         "selfish mining: share of honest blocks found in a tie that extend the pool's block"},
    [SCH_ADV_TIE_BLOCKS] = {"tie_blocks", "count",
                            "selfish mining: honest blocks found during a tie"},
    [SCH_ADV_POOL_BLOCKS] = {"pool_blocks", "count",
                             "selfish mining: the pool's blocks on the gateway's best chain"},
    [SCH_ADV_MAIN_BLOCKS] = {"main_blocks", "count",
                             "selfish mining: blocks on the gateway's best chain"},
    [SCH_ADV_REVENUE_SHARE] = {"revenue_share", "share 0-1",
                               "selfish mining: pool_blocks / main_blocks"},
    [SCH_ADV_REVENUE_SHARE_CI95] = {"revenue_share_ci95", "[share, share]",
                                    "selfish mining: 95% interval over 20 batches of the chain"},
    [SCH_ADV_VALIDATORS] = {"validators", "count", "censor, equivocate: validators attacking"},
    [SCH_ADV_CENSORED_DRIVERS] = {"censored_drivers", "count",
                                  "censor: drivers whose payments are censored"},
    [SCH_ADV_CENSORED_TRANSACTIONS] = {"censored_transactions", "count",
                                       "censor: transactions a censor left out at least once"},
    [SCH_ADV_CENSORED_PAYMENTS_PENDING] =
        {"censored_payments_pending", "count",
         "censor: censored drivers' ride payments not final at the end"},
    [SCH_ADV_CENSORED_PAYMENTS] = {"censored_payments", "object",
                                   "censor: n, mean_s, ci95_s of the seconds to finality of the "
                                   "censored drivers' final ride payments"},
    [SCH_ADV_OTHER_PAYMENTS] = {"other_payments", "object",
                                "censor: the same for every other final ride payment"},
    [SCH_ADV_EXTRA_DELAY_MEAN_S] = {"extra_delay_mean_s", "s",
                                    "censor: difference of the two means"},
    [SCH_ADV_THEORY_EXTRA_DELAY_S] =
        {"theory_extra_delay_s", "s",
         "censor on PoA: interval x k(k+1)/(2 x validators); null otherwise"},
    [SCH_ADV_TOLERATED] = {"tolerated", "count", "equivocate: f = floor((validators - 1) / 3)"},
    [SCH_ADV_EQUIVOCATIONS] = {"equivocations", "count", "equivocate: proposals made twice"},
    [SCH_ADV_SAFETY_VIOLATIONS] = {"safety_violations", "count",
                                   "equivocate: heights with two final blocks"},
    [SCH_ADV_FIRST_VIOLATION_HEIGHT] = {"first_violation_height", "height",
                                        "equivocate: the first such height (null: none)"},
};
SAME_COUNT(chain_adversary_fields, SCH_ADV_N);
const sch_table schema_chain_adversary =
    TABLE("summary.json", "platforms[].chain.adversary",
          "Platforms whose chain ran an attack: its outcome beside theory; each attack writes "
          "its own keys (docs/chain.md, Attacks).",
          chain_adversary_fields);

static const sch_field load_fields[] = {
    [SCH_LOAD_RATE_PER_S] = {"rate_per_s", "1/s", "`ledger.load.rate`: transfers asked per second"},
    [SCH_LOAD_ACCOUNTS] = {"accounts", "count", "`ledger.load.accounts`"},
    [SCH_LOAD_AMOUNT] = {"amount", "tokens (currency units)", "`ledger.load.amount`"},
    [SCH_LOAD_TRANSFERS] = {"transfers", "count", "transfers submitted over the whole run"},
    [SCH_LOAD_TRANSFERS_FINAL] = {"transfers_final", "count", "those final by the end"},
    [SCH_LOAD_TRANSFERS_REFUSED] = {"transfers_refused", "count",
                                    "transfers the ledger refused (out of memory)"},
};
SAME_COUNT(load_fields, SCH_LOAD_N);
const sch_table schema_load =
    TABLE("summary.json", "platforms[].load",
          "Chain-only runs (demand.source: none): the transaction load the chain carried "
          "(docs/chain.md, Chain-only runs).",
          load_fields);

static const sch_field chain_checks_fields[] = {
    [SCH_CHAINCHK_TOKEN_CONSERVATION_ERROR] = {"token_conservation_error", "token base units",
                                               "worst difference between supply and the sum of "
                                               "balances: must be 0"},
    [SCH_CHAINCHK_CONSERVATION_CHECKED_BLOCKS] = {"conservation_checked_blocks", "count",
                                                  "blocks after which conservation was checked"},
    [SCH_CHAINCHK_INVALID_TRANSACTIONS] = {"invalid_transactions", "count",
                                           "transactions found invalid in a block: must be 0"},
};
SAME_COUNT(chain_checks_fields, SCH_CHAINCHK_N);
const sch_table schema_chain_checks = TABLE("summary.json", "platforms[].chain.checks",
                                            "The ledger's invariants.", chain_checks_fields);

static const sch_field blocks_csv_fields[] = {
    SCH_RUN_COLUMN,
    {"platform", "text", "the platform whose chain made the block"},
    {"height", "count", "height above genesis"},
    {"hash", "64 hex digits", "the header's SHA-256"},
    {"prev_hash", "64 hex digits", "the parent's hash"},
    {"time_s", "s", "when the block was made"},
    {"proposer", "index", "the account credited with the block's fees"},
    {"node", "index", "the node that made it (-1: none, as for genesis)"},
    {"round", "count", "BFT round (0 otherwise)"},
    {"transactions", "count", "transactions in the block"},
    {"size_bytes", "bytes", "the block's size"},
    {"difficulty", "count", "proof of work: the block's difficulty"},
    {"stale", "0 or 1", "1 for a block that lost a fork"},
    {"propagation_p50_s", "s", "time for the block to reach half of the nodes (empty if never)"},
    {"mempool", "count",
     "transactions waiting at the gateway when the block was made (submitted, not final, not "
     "on the block's parent chain)"},
};
const sch_table schema_blocks_csv =
    TABLE("blocks.csv", NULL,
          "When a platform runs on a chain: one row per block of every chain ledger, stale "
          "blocks included.",
          blocks_csv_fields);

static const sch_field accounts_csv_fields[] = {
    {"account", "index", "the account's index in the export's balances"},
    {"kind", "text", "treasury, issuer, validator, driver or rider"},
    {"id", "index", "the validator's, driver's or rider's own index"},
};
const sch_table schema_accounts_csv =
    TABLE("ledger-<platform>/accounts.csv", NULL,
          "With `--ledger` or `ledger.export`: who each account of the exported chain is. The "
          "rest of the export (blocks.jsonl, state.json) is specified in "
          "docs/ledger-format.md.",
          accounts_csv_fields);
