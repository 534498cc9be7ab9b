/* What a run reports about its ledger: the `chain` object of summary.json, blocks.csv, the
 * conservation check and the fingerprint of the final state. */
#include "models/ledger/ledger_internal.h"
#include "models/schema/schema.h"

#include "sim/output.h"
#include "sim/stats.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const consensus_names[] = {"pow", "poa", "bft"};

int64_t ledger_conservation_error(const ledger *l) {
    int64_t e = lstate_conservation_error(&l->st);
    return e > l->conservation_worst ? e : l->conservation_worst;
}

static void hex32(const uint8_t *h, char *out) {
    static const char d[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = d[h[i] >> 4];
        out[2 * i + 1] = d[h[i] & 15];
    }
    out[64] = '\0';
}

void ledger_fingerprint(const ledger *l, char hex[65]) {
    uint8_t zero[32] = {0}, fp[32];
    lstate_fingerprint(&l->st, l->n_blk ? l->blk[l->gw_tip].hash : zero, fp);
    hex32(fp, hex);
}

static json_t *real_or_null(double x) {
    return isfinite(x) ? json_real(x) : json_null();
}

int ledger_metrics(const ledger *l, json_t *o) {
    ledger_counts c;
    ledger_get_counts(l, &c);
    double secs = (double)(sim_now(l->s) - l->started) / 1e6;
    double *prop = malloc((l->n_blk + 1) * sizeof *prop);
    double *bal = malloc((l->n_accounts + 1) * sizeof *bal);
    if (!prop || !bal) {
        free(prop);
        free(bal);
        return LEDGER_ENOMEM;
    }
    size_t np = 0;
    for (size_t i = 1; i < l->n_blk; i++)
        if (isfinite(l->blk[i].prop50)) prop[np++] = l->blk[i].prop50;
    size_t nb = 0;
    for (uint32_t a = 0; a < l->n_accounts; a++)
        if (a != LEDGER_ACCOUNT_ISSUER) bal[nb++] = (double)l->st.bal[a];
    bool chain = l->cfg.kind == LEDGER_CHAIN;
    uint64_t counted = c.main_blocks + c.stale_blocks;
    char fp[65];
    ledger_fingerprint(l, fp);
    int rc = 0;
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_CONSENSUS),
                              json_string(chain ? consensus_names[l->cfg.consensus] : "central"));
    rc |=
        json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_NODES), json_integer(l->n_nodes));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_BLOCKS),
                              json_integer((json_int_t)c.blocks));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_STALE_BLOCKS),
                              json_integer((json_int_t)c.stale_blocks));
    rc |= json_object_set_new(
        o, sch_name(&schema_chain, SCH_CHAIN_STALE_RATE),
        real_or_null(counted ? (double)c.stale_blocks / (double)counted : (chain ? NAN : 0)));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_REORGANISATIONS),
                              json_integer((json_int_t)c.reorgs));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_REORGANISATIONS_PAST_FINALITY),
                              json_integer((json_int_t)l->deep_reorgs));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_MISSED_SLOTS),
                              json_integer((json_int_t)c.missed_slots));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_FAILED_ROUNDS),
                              json_integer((json_int_t)c.rounds_failed));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_TRANSACTIONS),
                              json_integer((json_int_t)c.final_txs));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_TRANSACTIONS_PENDING),
                              json_integer((json_int_t)c.pending));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_TPS_MEAN),
                              real_or_null(secs > 0 ? (double)c.final_txs / secs : NAN));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_CONFIRM_LATENCY_MEAN_S),
                              real_or_null(stats_mean(l->lat_s, l->n_lat)));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_CONFIRM_LATENCY_P95_S),
                              real_or_null(stats_quantile(l->lat_s, l->n_lat, 0.95)));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_BLOCK_PROPAGATION_P50_S),
                              real_or_null(stats_quantile(prop, np, 0.5)));
    /* The token's base unit is the platform currency's minor unit (cents): fees in JSON are
     * currency units like every other amount, with the exact integer beside them. */
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_FEES_TOTAL),
                              json_real((double)l->st.fees / 100.0));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_FEES_TOTAL_BASE_UNITS),
                              json_integer(l->st.fees));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_TOKEN_MINTED),
                              json_integer(l->st.minted));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_TOKEN_BURNED),
                              json_integer(l->st.burned));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_TOKEN_SUPPLY),
                              json_integer(l->st.minted - l->st.burned));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_TOKEN_GINI),
                              real_or_null(stats_gini(bal, nb)));
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_LEDGER_FINGERPRINT),
                              json_string(fp));
    json_t *checks = json_object();
    if (checks) {
        json_object_set_new(checks,
                            sch_name(&schema_chain_checks, SCH_CHAINCHK_TOKEN_CONSERVATION_ERROR),
                            json_integer(ledger_conservation_error(l)));
        json_object_set_new(
            checks, sch_name(&schema_chain_checks, SCH_CHAINCHK_CONSERVATION_CHECKED_BLOCKS),
            json_integer((json_int_t)l->conservation_checks));
        json_object_set_new(checks,
                            sch_name(&schema_chain_checks, SCH_CHAINCHK_INVALID_TRANSACTIONS),
                            json_integer((json_int_t)l->invalid_txs));
    }
    rc |= json_object_set_new(o, sch_name(&schema_chain, SCH_CHAIN_CHECKS), checks);
    if (l->adv) rc |= adv_metrics(l, o);
    if (l->cfg.kind == LEDGER_CHAIN && l->cfg.adv_attack == LEDGER_ATTACK_CENSOR)
        rc |= censor_metrics(l, o);
    if (l->cfg.kind == LEDGER_CHAIN && l->cfg.adv_attack == LEDGER_ATTACK_EQUIVOCATE)
        rc |= equivocation_metrics(l, o);
    free(prop);
    free(bal);
    return rc || l->oom ? LEDGER_ENOMEM : LEDGER_OK;
}

int ledger_payment_finality(const ledger *l, sim_time from, sim_time period, size_t n, double *mean,
                            double *p95) {
    for (size_t k = 0; k < n; k++)
        mean[k] = p95[k] = NAN;
    if (n == 0 || period <= 0) return LEDGER_OK;
    size_t *count = calloc(n + 1, sizeof *count);
    double *delay = malloc((l->n_tx + 1) * sizeof *delay);
    if (!count || !delay) {
        free(count);
        free(delay);
        return LEDGER_ENOMEM;
    }
    /* bucket the delays by period of submission (counting sort keeps it one pass each way) */
    for (size_t i = 0; i < l->n_tx; i++) {
        const ltx *t = &l->tx[i];
        if (t->type != LEDGER_TX_PAY || t->state != LTX_FINAL || t->submitted < from) continue;
        size_t k = (size_t)((t->submitted - from) / period);
        if (k < n) count[k + 1]++;
    }
    for (size_t k = 0; k < n; k++)
        count[k + 1] += count[k];
    for (size_t i = 0; i < l->n_tx; i++) {
        const ltx *t = &l->tx[i];
        if (t->type != LEDGER_TX_PAY || t->state != LTX_FINAL || t->submitted < from) continue;
        size_t k = (size_t)((t->submitted - from) / period);
        if (k < n) delay[count[k]++] = (double)(t->final_at - t->submitted) / 1e6;
    }
    /* count[k] now ends bucket k */
    for (size_t k = 0, start = 0; k < n; start = count[k], k++) {
        size_t m = count[k] - start;
        if (m == 0) continue;
        mean[k] = stats_mean(delay + start, m);
        p95[k] = stats_quantile(delay + start, m, 0.95);
    }
    free(count);
    free(delay);
    return LEDGER_OK;
}

/* Decimal digits of v at p; returns the end. */
static char *put_u64(char *p, uint64_t v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Rows are formatted by hand: a day of one-second blocks is ~10^5 rows, and printf's
 * floating-point path dominated the write. Times are whole microseconds, so seconds with six
 * decimals are exact in integer arithmetic (what %.6f printed). */
static void write_rows(const ledger *l, uint64_t run, FILE *f) {
    uint64_t h = l->n_blk ? l->blk[l->gw_tip].height : 0;
    char row[512];
    for (size_t i = 0; i < l->n_blk; i++) {
        const lblock *b = &l->blk[i];
        char *p = row;
        fprintf(f, "%" PRIu64 ",", run);
        out_csv_field(f, l->name);
        *p++ = ',';
        p = put_u64(p, b->height);
        *p++ = ',';
        hex32(b->hash, p);
        p += 64;
        *p++ = ',';
        hex32(b->prev_hash, p);
        p += 64;
        *p++ = ',';
        uint64_t us = b->time > 0 ? (uint64_t)b->time : 0;
        p = put_u64(p, us / 1000000);
        *p++ = '.';
        uint64_t frac = us % 1000000;
        for (uint64_t d = 100000; d; d /= 10)
            *p++ = (char)('0' + frac / d % 10);
        *p++ = ',';
        p = put_u64(p, b->proposer);
        *p++ = ',';
        if (b->node == LNONE) {
            *p++ = '-';
            *p++ = '1';
        } else {
            p = put_u64(p, b->node);
        }
        *p++ = ',';
        p = put_u64(p, b->round);
        *p++ = ',';
        p = put_u64(p, b->n_tx);
        *p++ = ',';
        p = put_u64(p, b->size);
        *p++ = ',';
        p = put_u64(p, b->difficulty);
        *p++ = ',';
        *p++ = !b->on_main && b->height <= h ? '1' : '0';
        *p++ = ',';
        fwrite(row, 1, (size_t)(p - row), f);
        if (isfinite(b->prop50)) fprintf(f, "%.6f", b->prop50);
        p = row;
        *p++ = ',';
        p = put_u64(p, b->mempool);
        *p++ = '\n';
        fwrite(row, 1, (size_t)(p - row), f);
    }
}

sim_status ledger_write_blocks_csv(const ledger *const *ls, size_t n, uint64_t run, const char *dir,
                                   const char *name, char *err, size_t errlen) {
    out_file f;
    sim_status rc = out_open(&f, dir, name, err, errlen);
    if (rc != SIM_OK) return rc;
    sch_write_header(&schema_blocks_csv, f.f);
    for (size_t i = 0; i < n; i++)
        if (ls[i] && ls[i]->cfg.kind == LEDGER_CHAIN) write_rows(ls[i], run, f.f);
    return out_commit(&f, err, errlen);
}
