/* Chain-only runs (demand.source: none): no city, riders or drivers; each platform's chain
 * runs alone on its own engine under its stated transaction load (ledger.load), and the run
 * writes the chains' summaries and blocks.csv, nothing of a market. */
#include "models/run.h"

#include "models/ledger/ledger.h"
#include "models/platform/platform.h"
#include "models/schema/schema.h"
#include "sim/output.h"

#include <stdio.h>
#include <string.h>

typedef struct chain_world {
    sim *s;
    ledger *l;
    ledger_load *g;
} chain_world;

static void chain_free(chain_world *c) {
    ledger_load_free(c->g);
    ledger_free(c->l);
    sim_free(c->s);
    memset(c, 0, sizeof *c);
}

/* One platform's chain, run to the end. */
static sim_status chain_run(const coop_scenario *sc, const coop_platform *pe,
                            const coop_run_opts *opts, chain_world *c, char *err, size_t errlen) {
    const char *name = pe->rules.name ? pe->rules.name : "platform";
    sim_time end = sc->simulation.duration;
    if (!(c->s = sim_new(1024)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory building the chain");
    c->l = ledger_new(c->s, &pe->ledger, name, (uint64_t)sc->simulation.seed, opts->replication, 0,
                      err, errlen);
    if (!c->l) return SIM_EINPUT;
    c->g = ledger_load_new(c->l, &pe->ledger, name, (uint64_t)sc->simulation.seed,
                           opts->replication, err, errlen);
    if (!c->g) return SIM_ENOMEM;
    ledger_load_start(c->g, c->s, end);
    if (opts->on_engine) opts->on_engine(c->s, end, opts->ctx);
    if (sim_run(c->s, end) == SIM_STOP_REQUESTED)
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory during the run at %.0f s",
                        (double)sim_now(c->s) / 1e6);
    ledger_stop(c->l);
    return SIM_OK;
}

static json_t *chain_entry(const coop_platform *pe, const chain_world *c) {
    json_t *o = json_object(), *chain = json_object();
    if (!o || !chain || ledger_metrics(c->l, chain) != 0) {
        json_decref(o);
        json_decref(chain);
        return NULL;
    }
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_NAME),
                        json_string(pe->rules.name ? pe->rules.name : ""));
    json_object_set_new(
        o, sch_name(&schema_platform_entry, SCH_PF_KIND),
        json_string(pe->rules.kind == PLAT_COOPERATIVE ? "cooperative" : "centralized"));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_LOAD), ledger_load_json(c->g));
    json_object_set_new(o, sch_name(&schema_platform_entry, SCH_PF_CHAIN), chain);
    return o;
}

sim_status coop_run_chains(const coop_scenario *sc, const coop_run_opts *opts, json_t *summary,
                           char *err, size_t errlen) {
    chain_world cw[8];
    size_t n = sc->platforms.n;
    memset(cw, 0, sizeof cw);
    if (n > 8)
        return sim_fail(SIM_EINPUT, err, errlen, "platforms: at most 8 (the scenario lists %zu)",
                        n);
    json_t *platforms = json_array();
    if (!platforms) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    json_object_set_new(summary, sch_name(&schema_run, SCH_RUN_PLATFORMS), platforms);
    const coop_platform *pe = sc->platforms.items;
    sim_status rc = SIM_OK;
    for (size_t i = 0; i < n && rc == SIM_OK; i++) {
        rc = chain_run(sc, &pe[i], opts, &cw[i], err, errlen);
        json_t *entry = rc == SIM_OK ? chain_entry(&pe[i], &cw[i]) : NULL;
        if (rc == SIM_OK && !entry) rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        if (entry) json_array_append_new(platforms, entry);
    }
    if (rc == SIM_OK) {
        const ledger *ls[8];
        for (size_t k = 0; k < n; k++)
            ls[k] = cw[k].l;
        rc = ledger_write_blocks_csv(ls, n, opts->run, opts->outdir, schema_blocks_csv.file, err,
                                     errlen);
    }
    for (size_t k = 0; k < n && rc == SIM_OK; k++) {
        if (!pe[k].ledger.export_chain && !opts->export_ledgers) continue;
        char dname[600], dir[1024];
        ledger_dir_name(pe[k].rules.name ? pe[k].rules.name : "", dname, sizeof dname);
        snprintf(dir, sizeof dir, "%s/%s", opts->outdir, dname);
        if ((rc = out_mkdirs(dir, err, errlen)) == SIM_OK)
            rc = ledger_export(cw[k].l, dir, err, errlen);
    }
    for (size_t k = 0; k < n; k++)
        chain_free(&cw[k]);
    return rc;
}
