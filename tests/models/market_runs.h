/* Market tests that run a scenario given as YAML text: load it, run it into a fresh directory,
 * read its tables back and pick numbers out of its summary. Include after <cmocka.h>. */
#ifndef TESTS_MODELS_MARKET_RUNS_H
#define TESTS_MODELS_MARKET_RUNS_H

#include "models/run.h"
#include "models/scenario.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads the scenario text with the overrides; fails the test with the loader's message. */
static inline void mr_load(coop_scenario *sc, const char *yaml, const char *const *over,
                           size_t n_over) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    if (sc_load_buffer(coop_keys, sc, "test.yaml", yaml, strlen(yaml), over, n_over, err,
                       sizeof err) != SIM_OK)
        fail_msg("%s", err);
}

/* Runs replication `replication` (with trips.csv) into a new temporary directory, named in dir
 * (at least 32 bytes); returns the summary. */
static inline json_t *mr_run_into(const coop_scenario *sc, uint64_t replication, char *dir) {
    strcpy(dir, "/tmp/coopsim-market-XXXXXX");
    assert_non_null(mkdtemp(dir));
    coop_run_opts opts = {.outdir = dir, .replication = replication, .trips_csv = true};
    json_t *summary = json_object();
    char err[1024];
    if (coop_run(sc, &opts, summary, err, sizeof err) != SIM_OK) fail_msg("%s", err);
    return summary;
}

/* The whole of dir/name (the caller frees it), or NULL when it is not there. */
static inline char *mr_slurp(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = calloc((size_t)n + 1, 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

/* Removes a run directory made by mr_run_into, with whatever the run wrote in it. */
static inline void mr_remove_dir(const char *dir) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The number at a dotted path ("competition.request_share") of a JSON object. */
static inline double mr_num(const json_t *o, const char *path) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *v = o;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
        v = json_object_get(v, tok);
    if (!json_is_number(v)) fail_msg("%s is not a number", path);
    return json_number_value(v);
}

/* The summary's entry of platform i, and its part of the shared market's `competition`. */
static inline const json_t *mr_platform(const json_t *summary, size_t i) {
    return json_array_get(json_object_get(summary, "platforms"), i);
}

static inline const json_t *mr_competitor(const json_t *summary, size_t i) {
    return json_array_get(json_object_get(json_object_get(summary, "competition"), "platforms"), i);
}

#endif
