/* libcoopsim: opening a run directory again and reading its summary.json (the tables are in
 * api/table.c). */
#include "api/api.h"

#include "sim/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

sim_status api_read_file(const char *dir, const char *name, char **text, size_t *len, char *err,
                         size_t errlen) {
    char path[4096];
    *text = NULL;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return sim_fail(SIM_EINPUT, err, errlen, "%s/%s: path too long", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return SIM_OK;
        return sim_fail(SIM_EIO, err, errlen, "%s: cannot open: %s", path, strerror(errno));
    }
    sim_status rc = out_read_stream(f, API_MAX_TABLE, path, text, len, err, errlen);
    fclose(f);
    if (rc == SIM_EINPUT) return sim_fail(rc, err, errlen, "%s: larger than 4 GiB", path);
    return rc;
}

static size_t count_runs(const char *dir) {
    size_t n = 0;
    for (;; n++) {
        char *p = exp_record_path(dir, n);
        struct stat st;
        bool there = p && stat(p, &st) == 0;
        free(p);
        if (!there) return n;
    }
}

int coopsim_result_open(const char *dir, coopsim_result **out, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!out) return sim_fail(SIM_EINPUT, err, errlen, "no place for the result handle");
    *out = NULL;
    if (!dir || !*dir) return sim_fail(SIM_EINPUT, err, errlen, "no directory given");
    char *text = NULL;
    size_t len = 0;
    sim_status rc = api_read_file(dir, exp_schema_summary.file, &text, &len, err, errlen);
    if (rc != SIM_OK) return api_status(rc);
    if (!text)
        return sim_fail(SIM_EINPUT, err, errlen, "%s: no %s (not a finished run directory)", dir,
                        exp_schema_summary.file);
    json_error_t je;
    json_t *summary = json_loadb(text, len, 0, &je);
    free(text);
    if (!json_is_object(summary)) {
        json_decref(summary);
        return sim_fail(SIM_EINPUT, err, errlen, "%s/%s:%d:%d: not a summary: %s", dir,
                        exp_schema_summary.file, je.line, je.column, je.text);
    }
    /* a single run says which replication it is; an experiment has its runs instead */
    bool single = json_object_get(summary, sch_name(&exp_schema_summary, EXP_SUM_REPLICATION));
    json_decref(summary);
    coopsim_result *r = calloc(1, sizeof *r);
    if (!r || !(r->dir = api_strdup(dir))) {
        free(r);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    r->experiment = !single;
    r->n_runs = single ? 1 : count_runs(dir);
    *out = r;
    return COOPSIM_OK;
}

void coopsim_result_free(coopsim_result *r) {
    if (!r) return;
    free(r->dir);
    free(r);
}

const char *coopsim_result_dir(const coopsim_result *r) {
    return r ? r->dir : "";
}

size_t coopsim_result_runs(const coopsim_result *r) {
    return r ? r->n_runs : 0;
}

int coopsim_result_summary(const coopsim_result *r, char **json, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!r || !json) return sim_fail(SIM_EINPUT, err, errlen, "no result or no place for it");
    size_t len;
    sim_status rc = api_read_file(r->dir, exp_schema_summary.file, json, &len, err, errlen);
    if (rc == SIM_OK && !*json)
        rc = sim_fail(SIM_EIO, err, errlen, "%s: %s has gone", r->dir, exp_schema_summary.file);
    return api_status(rc);
}
