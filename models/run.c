/* Running one replication of a scenario: each platform gets its own copy of the city under
 * identical demand (or, with market.platforms: shared, all of them one city); their summaries,
 * paired differences and CSV tables go to the outputs. */
#include "models/run.h"
#include "models/run_paired.h"

#include "models/governance/governance.h"
#include "models/market/market.h"
#include "models/platform/platform.h"
#include "models/schema/schema.h"
#include "sim/output.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static json_t *comparison(json_t *platforms) {
    json_t *list = json_array();
    json_t *base = json_array_get(platforms, 0);
    const char *name = sch_name(&schema_platform_entry, SCH_PF_NAME);
    for (size_t i = 1; i < json_array_size(platforms); i++) {
        json_t *p = json_array_get(platforms, i), *o = json_object(), *d = json_object();
        json_object_set(o, sch_name(&schema_comparison, SCH_CMP_PLATFORM),
                        json_object_get(p, name));
        json_object_set(o, sch_name(&schema_comparison, SCH_CMP_BASELINE),
                        json_object_get(base, name));
        for (size_t k = 0; k < schema_n_compared; k++) {
            const sch_table *t = schema_compared[k].table;
            const char *section = sch_key(t),
                       *metric = sch_name(t, (size_t)schema_compared[k].field);
            json_t *a = json_object_get(json_object_get(p, section), metric);
            json_t *b = json_object_get(json_object_get(base, section), metric);
            char key[96];
            snprintf(key, sizeof key, "%s.%s", section, metric);
            if (json_is_number(a) && json_is_number(b))
                json_object_set_new(d, key, json_real(json_number_value(a) - json_number_value(b)));
            else
                json_object_set_new(d, key, json_null());
        }
        json_object_set_new(o, sch_name(&schema_comparison, SCH_CMP_DIFFERENCE), d);
        json_array_append_new(list, o);
    }
    return list;
}

/* ledger-<platform>/ when the platform asks for its chain to be exported (ledger_dir_name). */
static sim_status export_chain(mkt_world *w, bool always, const char *outdir, char *err,
                               size_t errlen) {
    const plat_config *pc = mkt_platform(w);
    if (!mkt_ledger_config(w)->export_chain && !always) return SIM_OK;
    char name[600], dir[1024];
    ledger_dir_name(pc->name, name, sizeof name);
    snprintf(dir, sizeof dir, "%s/%s", outdir, name);
    sim_status rc = out_mkdirs(dir, err, errlen);
    if (rc != SIM_OK) return rc;
    return ledger_export(mkt_ledger(w), dir, err, errlen);
}

/* governance.csv, rules.csv and votes.csv, written when some platform has governance
 * (models/governance). */
static const sch_table *const gov_tables[3] = {&schema_governance_csv, &schema_rules_csv,
                                               &schema_votes_csv};

static bool any_governance(const coop_scenario *sc) {
    for (size_t i = 0; i < sc->platforms.n; i++)
        if (((const coop_platform *)sc->platforms.items)[i].governance.enabled) return true;
    return false;
}

int coop_run_engines(const coop_scenario *sc) {
    return sc->market.platforms == COOP_PLATFORMS_SHARED ? 1 : (int)sc->platforms.n;
}

/* The outputs of platform i's world: its summary entry and its rows of the CSV tables
 * (files: drivers, hourly, books, trips, days; gfiles: governance, rules, votes); m: the
 * shared market the world is in, NULL in separate mode. */
static sim_status world_outputs(mkt_world *w, size_t i, const mkt_market *m,
                                const coop_run_opts *opts, bool days, out_file *files,
                                out_file *gfiles, bool *g_header, json_t *platforms, char *err,
                                size_t errlen) {
    json_array_append_new(platforms, mkt_summary_json(w));
    bool header = i == 0;
    /* a shared market's hourly rows also give each app's shares of the city's hour */
    if (mkt_write_drivers_csv(w, files[0].f, header) != 0 ||
        (m ? mkt_write_shared_hourly_csv(m, i, files[1].f, header)
           : mkt_write_hourly_csv(w, files[1].f, header)) != 0 ||
        mkt_write_books_csv(w, files[2].f, header) != 0 ||
        (days && mkt_write_days_csv(w, files[4].f, header) != 0))
        return sim_fail(SIM_EIO, err, errlen, "cannot write the CSV tables in %s", opts->outdir);
    if (!mkt_has_governance(w)) return SIM_OK;
    json_object_set_new(json_array_get(platforms, json_array_size(platforms) - 1),
                        sch_name(&schema_platform_entry, SCH_PF_GOVERNANCE), mkt_gov_json(w));
    if (mkt_write_governance_csv(w, gfiles[0].f, *g_header) != 0 ||
        mkt_write_rules_csv(w, gfiles[1].f, *g_header) != 0 ||
        mkt_write_votes_csv(w, gfiles[2].f, *g_header) != 0)
        return sim_fail(SIM_EIO, err, errlen, "cannot write %s in %s", schema_governance_csv.file,
                        opts->outdir);
    *g_header = false;
    return SIM_OK;
}

/* A shared market (market.platforms: shared): every platform in one city on one engine, then
 * each world's outputs, the summary's `competition` object and competition.csv. The worlds
 * stay in the market, which the caller frees once the chains are written. */
static sim_status run_shared(const coop_scenario *sc, const coop_run_opts *opts, bool days,
                             out_file *files, out_file *gfiles, out_file *cfile, json_t *summary,
                             json_t *platforms, mkt_market **market, mkt_world **chains,
                             size_t *n_chains, char *err, size_t errlen) {
    mkt_market *m = *market = mkt_market_new(sc, opts->replication, err, errlen);
    if (!m) return SIM_EINPUT; /* a problem only visible once the worlds are built */
    for (size_t i = 0; i < mkt_market_size(m); i++) {
        mkt_set_run(mkt_market_world(m, i), opts->run);
        /* trips.csv rows go out as requests end, the apps' rows in the order they end */
        if (opts->trips_csv && mkt_stream_trips_csv(mkt_market_world(m, i), files[3].f, i == 0))
            return sim_fail(SIM_EIO, err, errlen, "cannot write %s in %s", schema_trips_csv.file,
                            opts->outdir);
    }
    if (opts->on_engine) opts->on_engine(mkt_market_engine(m), sc->simulation.duration, opts->ctx);
    sim_status rc = mkt_market_run(m, err, errlen);
    bool g_header = true;
    for (size_t i = 0; rc == SIM_OK && i < mkt_market_size(m); i++) {
        mkt_world *w = mkt_market_world(m, i);
        /* the map of a platform's world is not drawn in a shared city (one entry each, empty) */
        if (opts->map && opts->map_out) json_array_append_new(opts->map_out, json_null());
        rc = world_outputs(w, i, m, opts, days, files, gfiles, &g_header, platforms, err, errlen);
        json_object_set_new(json_array_get(platforms, json_array_size(platforms) - 1),
                            sch_name(&schema_platform_entry, SCH_PF_COMPETITION),
                            mkt_competition_platform_json(m, i));
        if (mkt_ledger(w)) chains[(*n_chains)++] = w;
    }
    if (rc != SIM_OK) return rc;
    json_object_set_new(summary, sch_name(&schema_run, SCH_RUN_COMPETITION),
                        mkt_competition_json(m));
    if (mkt_write_competition_csv(m, cfile->f, true) != 0)
        return sim_fail(SIM_EIO, err, errlen, "cannot write %s in %s", schema_competition_csv.file,
                        opts->outdir);
    return SIM_OK;
}

sim_status coop_run(const coop_scenario *sc, const coop_run_opts *opts, json_t *summary, char *err,
                    size_t errlen) {
    out_file gfiles[3];
    size_t n_gfiles = any_governance(sc) ? 3 : 0, g_opened = 0;
    bool g_header = true;
    memset(gfiles, 0, sizeof gfiles);
    /* days.csv only for free entry, competition.csv only for a shared market, so that other
     * runs write what they always wrote. */
    out_file files[6];
    bool days = sc->drivers.supply == COOP_SUPPLY_FREE_ENTRY;
    bool shared = sc->market.platforms == COOP_PLATFORMS_SHARED;
    const char *names[6] = {schema_drivers_csv.file, schema_hourly_csv.file,
                            schema_books_csv.file,   schema_trips_csv.file,
                            schema_days_csv.file,    schema_competition_csv.file};
    size_t n_files = 6, opened = 0;
    sim_status rc = SIM_OK;
    mkt_world *chains[8]; /* the scenario lists at most 8 platforms */
    size_t n_chains = 0;
    mkt_market *market = NULL;
    coop_pairs pairs = {0};
    memset(files, 0, sizeof files);
    if (sc->platforms.n > 8)
        return sim_fail(SIM_EINPUT, err, errlen, "platforms: at most 8 (the scenario lists %zu)",
                        sc->platforms.n);
    if ((rc = coop_check(sc, NULL, err, errlen)) != SIM_OK) return rc;
    if (coop_demand_kind(&sc->demand) == COOP_DEMAND_NONE)
        return coop_run_chains(sc, opts, summary, err, errlen);
    for (; opened < n_files; opened++) {
        if ((opened == 3 && !opts->trips_csv) || (opened == 4 && !days) || (opened == 5 && !shared))
            continue;
        if ((rc = out_open(&files[opened], opts->outdir, names[opened], err, errlen)) != 0)
            goto fail;
    }
    for (; g_opened < n_gfiles; g_opened++)
        if ((rc = out_open(&gfiles[g_opened], opts->outdir, gov_tables[g_opened]->file, err,
                           errlen)) != 0)
            goto fail;
    json_t *platforms = json_array();
    if (!platforms) {
        rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        goto fail;
    }
    json_object_set_new(summary, sch_name(&schema_run, SCH_RUN_PLATFORMS), platforms);
    if ((rc = coop_pairs_open(&pairs, sc, err, errlen)) != SIM_OK) goto fail;
    if (shared) {
        rc = run_shared(sc, opts, days, files, gfiles, &files[5], summary, platforms, &market,
                        chains, &n_chains, err, errlen);
        if (rc != SIM_OK) goto fail;
    }
    for (size_t i = 0; !shared && i < sc->platforms.n; i++) {
        mkt_world *w = mkt_new(sc, i, opts->replication, err, errlen);
        if (!w) { /* a problem only visible once the world is built */
            rc = SIM_EINPUT;
            goto fail;
        }
        mkt_set_run(w, opts->run);
        if (opts->on_engine) opts->on_engine(mkt_engine(w), mkt_end(w), opts->ctx);
        char merr[256];
        mkt_map *map =
            opts->map && opts->map_out ? mkt_map_new(w, opts->map, merr, sizeof merr) : NULL;
        /* trips.csv rows go out as requests end (the file is renamed into place only once
         * every world has run, so a run stopped part way leaves no trips.csv). */
        if (opts->trips_csv && mkt_stream_trips_csv(w, files[3].f, i == 0) != 0)
            rc = sim_fail(SIM_EIO, err, errlen, "cannot write %s in %s", schema_trips_csv.file,
                          opts->outdir);
        else if (coop_pairs_attach(&pairs, w, i) != 0)
            rc = sim_fail(SIM_EIO, err, errlen, "cannot write the paired requests' records");
        else
            rc = mkt_run(w, err, errlen);
        if (opts->map && opts->map_out) {
            json_t *mj = map && rc == SIM_OK ? mkt_map_json(map) : NULL;
            json_array_append_new(opts->map_out, mj ? mj : json_null());
        }
        mkt_map_free(map);
        if (rc == SIM_OK)
            rc = world_outputs(w, i, NULL, opts, days, files, gfiles, &g_header, platforms, err,
                               errlen);
        /* Worlds with a chain ledger stay until their blocks are written together. */
        if (rc == SIM_OK && mkt_ledger(w))
            chains[n_chains++] = w;
        else
            mkt_free(w);
        if (rc != SIM_OK) goto fail;
    }
    json_t *cmp = comparison(platforms);
    json_object_set_new(summary, sch_name(&schema_run, SCH_RUN_COMPARISON), cmp);
    rc = coop_pairs_compare(&pairs, sc, cmp, err, errlen);
    coop_pairs_close(&pairs);
    if (rc != SIM_OK) goto fail;
    if (n_chains > 0) {
        const ledger *ls[8];
        for (size_t k = 0; k < n_chains; k++)
            ls[k] = mkt_ledger(chains[k]);
        rc = ledger_write_blocks_csv(ls, n_chains, opts->run, opts->outdir, schema_blocks_csv.file,
                                     err, errlen);
        if (rc != SIM_OK) goto fail;
        for (size_t k = 0; k < n_chains; k++)
            if ((rc = export_chain(chains[k], opts->export_ledgers, opts->outdir, err, errlen)) !=
                SIM_OK)
                goto fail;
    }
    for (size_t k = 0; !market && k < n_chains; k++)
        mkt_free(chains[k]);
    n_chains = 0;
    mkt_market_free(market);
    market = NULL;
    /* One failed commit abandons every file not yet committed, the governance ones too. */
    out_file *all[sizeof files / sizeof *files + sizeof gfiles / sizeof *gfiles];
    size_t n_all = 0;
    for (size_t k = 0; k < n_files; k++)
        if (files[k].f) all[n_all++] = &files[k]; /* trips.csv and days.csv may not be open */
    for (size_t k = 0; k < n_gfiles; k++)
        all[n_all++] = &gfiles[k];
    for (size_t k = 0; k < n_all; k++) {
        if ((rc = out_commit(all[k], err, errlen)) != SIM_OK) {
            for (size_t j = k + 1; j < n_all; j++)
                out_abort(all[j]);
            return rc;
        }
    }
    return SIM_OK;
fail:
    coop_pairs_close(&pairs);
    for (size_t k = 0; k < g_opened; k++)
        out_abort(&gfiles[k]);
    for (size_t k = 0; !market && k < n_chains; k++)
        mkt_free(chains[k]);
    mkt_market_free(market);
    for (size_t k = 0; k < opened; k++)
        out_abort(&files[k]);
    return rc != SIM_OK ? rc : SIM_EINTERNAL;
}
