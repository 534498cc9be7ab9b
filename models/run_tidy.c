/* The tidy tables of a run directory, written from what the run has already written
 * (summary.json, and for an experiment its run records): metrics.csv in long form, with the
 * sweep's parameters as numbers, and run.csv. */
#include "models/run.h"

#include "models/schema/schema.h"
#include "sim/experiment.h"
#include "sim/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The swept keys' cells per point: numbers in SI or currency units (texts where a key holds
 * no number). */
typedef struct tidy_sweep {
    size_t n_params, n_points;
    char **cells; /* n_points * n_params */
} tidy_sweep;

static void sweep_free(tidy_sweep *sw) {
    for (size_t i = 0; sw->cells && i < sw->n_points * sw->n_params; i++)
        free(sw->cells[i]);
    free(sw->cells);
}

static const json_t *get(const json_t *o, const sch_table *t, size_t k) {
    return json_object_get(o, sch_name(t, k));
}

static sim_status sweep_read(const json_t *summary, tidy_sweep *sw, const json_t **params,
                             char *err, size_t errlen) {
    *params = get(get(summary, &exp_schema_summary, EXP_SUM_SWEEP), &exp_schema_sweep,
                  EXP_SWEEP_PARAMETERS);
    const json_t *points = get(summary, &exp_schema_summary, EXP_SUM_POINTS);
    const char *currency = json_string_value(get(summary, &exp_schema_summary, EXP_SUM_CURRENCY));
    sw->n_params = json_array_size(*params);
    sw->n_points = json_array_size(points);
    if (sw->n_params == 0) return SIM_OK;
    if (!(sw->cells = calloc(sw->n_points * sw->n_params, sizeof *sw->cells)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t p = 0; p < sw->n_points; p++) {
        const json_t *vals =
            get(json_array_get(points, p), &exp_schema_point, EXP_POINT_PARAMETERS);
        for (size_t k = 0; k < sw->n_params; k++) {
            const char *path = json_string_value(
                get(json_array_get(*params, k), &exp_schema_sweep_param, EXP_PARAM_PATH));
            const char *text = path ? json_string_value(json_object_get(vals, path)) : NULL;
            if (!text)
                return sim_fail(SIM_EINTERNAL, err, errlen,
                                "summary.json: sweep point %zu lacks parameter %zu", p, k);
            char cell[64], msg[256];
            double v;
            const char *unit;
            const char *out = text;
            if (sc_value_number(coop_keys, path, text, currency, &v, &unit, msg, sizeof msg) ==
                SIM_OK) {
                snprintf(cell, sizeof cell, "%.15g", v);
                out = cell;
            }
            if (!(sw->cells[p * sw->n_params + k] = strdup(out)))
                return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        }
    }
    return SIM_OK;
}

/* Writes one platform's numeric metrics below `obj` (its entry, or an object inside it at
 * `prefix`) as rows after the run's leading cells. False on a write error. */
static bool write_metrics(FILE *f, const char *lead, const char *platform, const json_t *obj,
                          const char *prefix) {
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (json_is_object(v)) {
            if (!write_metrics(f, lead, platform, v, path)) return false;
            continue;
        }
        if (!json_is_number(v) || !*prefix) continue; /* the entry's own name and kind */
        const sch_field *fd = schema_platform_metric(path);
        fputs(lead, f);
        out_csv_field(f, platform);
        fputc(',', f);
        out_csv_field(f, path);
        fprintf(f, ",%.15g,", json_number_value(v));
        out_csv_field(f, fd ? fd->unit : "");
        if (fputc('\n', f) == EOF) return false;
    }
    return !ferror(f);
}

/* One run's rows: run, point, the point's parameters, replication, seed, then the metrics. */
static bool write_run(FILE *f, const tidy_sweep *sw, json_int_t run, json_int_t point,
                      json_int_t rep, json_int_t seed, const json_t *platforms) {
    char lead[4096];
    int n = snprintf(lead, sizeof lead, "%lld,%lld,", (long long)run, (long long)point);
    for (size_t k = 0; k < sw->n_params; k++) {
        const char *c = point >= 0 && (size_t)point < sw->n_points
                            ? sw->cells[(size_t)point * sw->n_params + k]
                            : "";
        n += snprintf(lead + n, sizeof lead - (size_t)n, "%s,", c);
        if ((size_t)n >= sizeof lead) return false;
    }
    snprintf(lead + n, sizeof lead - (size_t)n, "%lld,%lld,", (long long)rep, (long long)seed);
    size_t i;
    const json_t *pf;
    json_array_foreach(platforms, i, pf) {
        const char *name = json_string_value(get(pf, &schema_platform_entry, SCH_PF_NAME));
        if (!write_metrics(f, lead, name ? name : "", pf, "")) return false;
    }
    return true;
}

static void write_header(FILE *f, const json_t *params) {
    const sch_table *t = &schema_metrics_csv;
    for (size_t i = 0; i < t->n; i++) {
        if (i) fputc(',', f);
        fputs(sch_name(t, i), f);
        if (i == SCH_METRICS_POINT) {
            size_t k;
            const json_t *p;
            json_array_foreach(params, k, p) {
                fputc(',', f);
                out_csv_field(f,
                              json_string_value(get(p, &exp_schema_sweep_param, EXP_PARAM_PATH)));
            }
        }
    }
    fputc('\n', f);
}

/* The experiment's rows, from its run records in order; *n_runs counts them. */
static sim_status experiment_rows(FILE *f, const char *dir, const tidy_sweep *sw, size_t *n_runs,
                                  char *err, size_t errlen) {
    const sch_table *r = &exp_schema_record;
    for (size_t i = 0;; i++) {
        char *text = NULL;
        sim_status rc = exp_record_read(dir, i, &text, err, errlen);
        if (rc != SIM_OK) return rc;
        if (!text) return SIM_OK;
        json_t *rec = json_loads(text, 0, NULL);
        free(text);
        if (!rec)
            return sim_fail(SIM_EIO, err, errlen, "%s: run %zu's record does not parse", dir, i);
        bool ok = write_run(f, sw, json_integer_value(get(rec, r, EXP_REC_RUN)),
                            json_integer_value(get(rec, r, EXP_REC_POINT)),
                            json_integer_value(get(rec, r, EXP_REC_REPLICATION)),
                            json_integer_value(get(rec, r, EXP_REC_SEED)),
                            get(get(rec, r, EXP_REC_METRICS), &schema_run, SCH_RUN_PLATFORMS));
        json_decref(rec);
        if (!ok)
            return sim_fail(SIM_EIO, err, errlen, "cannot write %s in %s", schema_metrics_csv.file,
                            dir);
        *n_runs = i + 1;
    }
}

static sim_status write_run_csv(const char *dir, const json_t *s, size_t n_runs, char *err,
                                size_t errlen) {
    out_file o;
    sim_status rc = out_open(&o, dir, schema_run_csv.file, err, errlen);
    if (rc != SIM_OK) return rc;
    const sch_table *t = &exp_schema_summary;
    sch_write_header(&schema_run_csv, o.f);
    const int keys[] = {EXP_SUM_SCENARIO, EXP_SUM_SCENARIO_FILE, EXP_SUM_SCENARIO_SHA256,
                        EXP_SUM_COOPSIM_VERSION};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        out_csv_field(o.f, json_string_value(get(s, t, (size_t)keys[k])));
        fputc(',', o.f);
    }
    fprintf(o.f, "%lld,%zu\n", (long long)json_integer_value(get(s, t, EXP_SUM_SEED)), n_runs);
    return out_commit(&o, err, errlen);
}

sim_status coop_write_tidy(const char *dir, char *err, size_t errlen) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, exp_schema_summary.file);
    json_error_t je;
    json_t *s = json_load_file(path, 0, &je);
    if (!s) return sim_fail(SIM_EIO, err, errlen, "%s: cannot read: %s", path, je.text);
    tidy_sweep sw = {0};
    const json_t *params = NULL;
    out_file o = {0};
    size_t n_runs = 1;
    sim_status rc = sweep_read(s, &sw, &params, err, errlen);
    if (rc == SIM_OK) rc = out_open(&o, dir, schema_metrics_csv.file, err, errlen);
    if (rc == SIM_OK) {
        write_header(o.f, params);
        if (get(s, &exp_schema_summary, EXP_SUM_REPLICATION)) { /* a single run */
            if (!write_run(o.f, &sw, 0, 0, 0,
                           json_integer_value(get(s, &exp_schema_summary, EXP_SUM_SEED)),
                           get(s, &schema_run, SCH_RUN_PLATFORMS)))
                rc = sim_fail(SIM_EIO, err, errlen, "cannot write %s in %s",
                              schema_metrics_csv.file, dir);
        } else {
            rc = experiment_rows(o.f, dir, &sw, &n_runs, err, errlen);
        }
        if (rc == SIM_OK)
            rc = out_commit(&o, err, errlen);
        else
            out_abort(&o);
    }
    if (rc == SIM_OK) rc = write_run_csv(dir, s, n_runs, err, errlen);
    sweep_free(&sw);
    json_decref(s);
    return rc;
}
