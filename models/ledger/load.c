/* A stated transaction load for a chain without a market (demand.source: none): transfers in a
 * Poisson stream between accounts drawn at random, so that a chain-only study (throughput,
 * confirmation times, forks) has something to carry. */
#include "models/ledger/ledger.h"
#include "models/schema/schema.h"
#include "sim/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct ledger_load {
    ledger *l;
    const ledger_config *cfg;
    gsl_rng *r;
    sim_time end;
    uint64_t submitted, final, refused;
};

static void on_final(void *ctx, uint64_t tag, sim_time submitted, sim_time final_at) {
    (void)tag;
    (void)submitted;
    (void)final_at;
    ((ledger_load *)ctx)->final++;
}

ledger_load *ledger_load_new(ledger *l, const ledger_config *cfg, const char *name, uint64_t seed,
                             uint64_t replication, char *err, size_t errlen) {
    ledger_load *g = calloc(1, sizeof *g);
    char sname[128];
    snprintf(sname, sizeof sname, "ledger.%s.load", name);
    if (g) g->r = sim_rng_stream(seed, replication, sname);
    if (!g || !g->r) {
        free(g);
        snprintf(err, errlen, "out of memory building the chain's load");
        return NULL;
    }
    g->l = l;
    g->cfg = cfg;
    ledger_on_final(l, on_final, g);
    return g;
}

static void on_transfer(sim *s, void *target, uint64_t data) {
    (void)data;
    ledger_load *g = target;
    uint32_t n = (uint32_t)g->cfg->load_accounts;
    uint32_t from = (uint32_t)gsl_rng_uniform_int(g->r, n);
    /* the receiver among the other n - 1 accounts */
    uint32_t to = (uint32_t)gsl_rng_uniform_int(g->r, n - 1);
    if (to >= from) to++;
    if (ledger_transfer(g->l, from, to, g->cfg->load_amount, g->submitted + g->refused) ==
        LEDGER_OK)
        g->submitted++;
    else
        g->refused++;
    double t = (double)sim_now(s) / 1e6 + gsl_ran_exponential(g->r, 1.0 / g->cfg->load_rate);
    if (t * 1e6 < (double)g->end) sim_schedule(s, (sim_time)llround(t * 1e6), on_transfer, g, 0);
}

void ledger_load_start(ledger_load *g, sim *s, sim_time end) {
    g->end = end;
    if (!(g->cfg->load_rate > 0)) return;
    double t = gsl_ran_exponential(g->r, 1.0 / g->cfg->load_rate);
    if (t * 1e6 < (double)end) sim_schedule(s, (sim_time)llround(t * 1e6), on_transfer, g, 0);
}

json_t *ledger_load_json(const ledger_load *g) {
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, sch_name(&schema_load, SCH_LOAD_RATE_PER_S),
                        json_real(g->cfg->load_rate));
    json_object_set_new(o, sch_name(&schema_load, SCH_LOAD_ACCOUNTS),
                        json_integer(g->cfg->load_accounts));
    json_object_set_new(o, sch_name(&schema_load, SCH_LOAD_AMOUNT),
                        json_real((double)g->cfg->load_amount / 100.0));
    json_object_set_new(o, sch_name(&schema_load, SCH_LOAD_TRANSFERS),
                        json_integer((json_int_t)g->submitted));
    json_object_set_new(o, sch_name(&schema_load, SCH_LOAD_TRANSFERS_FINAL),
                        json_integer((json_int_t)g->final));
    json_object_set_new(o, sch_name(&schema_load, SCH_LOAD_TRANSFERS_REFUSED),
                        json_integer((json_int_t)g->refused));
    return o;
}

void ledger_load_free(ledger_load *g) {
    if (!g) return;
    gsl_rng_free(g->r);
    free(g);
}
