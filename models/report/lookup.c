/* The report's only way into a run directory's names: every column, key and metric path it
 * asks for is looked up in the output schema first. A name no table declares is a bug in the
 * report; it is recorded (rp_misses), makes report_write fail softly, and a test drives the
 * report over full run directories to check that none is ever recorded. */
#include "models/report/report_internal.h"

#include "sim/experiment.h"

#include <math.h>
#include <string.h>

/* Records a request for a name nobody declares. */
static void miss(const rp_ctx *ctx, const char *where, const char *name) {
    rp_misses *m = ctx->miss;
    if (!m) return;
    if (m->n++ == 0) snprintf(m->first, sizeof m->first, "%s: %s", where, name ? name : "(null)");
}

bool rp_declared(const rp_ctx *ctx, const sch_table *t, const char *name) {
    if (t && sch_index(t, name) >= 0) return true;
    miss(ctx, t ? (t->path && *t->path ? t->path : t->file) : "(no table)", name);
    return false;
}

int rp_col(const rp_ctx *ctx, const rp_table *t, const char *name) {
    if (!rp_declared(ctx, t->schema, name)) return -1;
    return rp_col_named(t, name);
}

int rp_col_named(const rp_table *t, const char *name) {
    for (size_t i = 0; name && i < t->ncols; i++)
        if (strcmp(t->head[i], name) == 0) return (int)i;
    return -1;
}

const json_t *rp_get(const rp_ctx *ctx, const json_t *j, const sch_table *t, const char *key) {
    if (!rp_declared(ctx, t, key)) return NULL;
    return json_is_object(j) ? json_object_get(j, key) : NULL;
}

double rp_value(const json_t *v) {
    /* Experiments give each number as its statistics: read the mean. */
    if (json_is_object(v)) v = json_object_get(v, sch_name(&exp_schema_statistics, EXP_STAT_MEAN));
    return json_is_number(v) ? json_number_value(v) : NAN;
}

double rp_stat(const rp_ctx *ctx, const json_t *v, const char *stat) {
    return rp_value(rp_get(ctx, v, &exp_schema_statistics, stat));
}

/* A key of summary.json's root: the run's identity and experiment keys, or the run's own. */
const json_t *rp_sget(const rp_ctx *ctx, const char *key) {
    const sch_table *t = sch_index(&schema_run, key) >= 0 ? &schema_run : &exp_schema_summary;
    return rp_get(ctx, ctx->summary, t, key);
}

double rp_snum(const rp_ctx *ctx, const char *key) {
    return rp_value(rp_sget(ctx, key));
}

const char *rp_sstr(const rp_ctx *ctx, const char *key) {
    const json_t *v = rp_sget(ctx, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Walks a dotted path below a platform entry, after checking the schema declares it. */
const json_t *rp_pget(const rp_ctx *ctx, const json_t *pf, const char *path) {
    if (!schema_platform_metric(path)) {
        miss(ctx, "platforms[]", path);
        return NULL;
    }
    char key[128];
    const json_t *j = pf;
    while (j && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key) return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        j = json_is_object(j) ? json_object_get(j, key) : NULL;
        path += n + (dot ? 1 : 0);
    }
    return j;
}

double rp_pnum(const rp_ctx *ctx, const json_t *pf, const char *path) {
    return rp_value(rp_pget(ctx, pf, path));
}

const char *rp_pstr(const rp_ctx *ctx, const json_t *pf, const char *path) {
    const json_t *v = rp_pget(ctx, pf, path);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const json_t *rp_difference(const rp_ctx *ctx, const json_t *diff, const char *metric) {
    if (!schema_is_compared(metric)) {
        miss(ctx, "comparison[].difference", metric);
        return NULL;
    }
    return json_is_object(diff) ? json_object_get(diff, metric) : NULL;
}

const json_t *rp_point_get(const rp_ctx *ctx, const json_t *pt, const char *key) {
    const sch_table *t = sch_index(&schema_run, key) >= 0 ? &schema_run : &exp_schema_point;
    return rp_get(ctx, pt, t, key);
}

int rp_sweep_param_col(const rp_ctx *ctx, const char **path) {
    const json_t *sw = rp_sget(ctx, "sweep");
    const json_t *ps = rp_get(ctx, sw, &exp_schema_sweep, "parameters");
    const json_t *p0 = rp_get(ctx, json_array_get(ps, 0), &exp_schema_sweep_param, "path");
    *path = json_is_string(p0) ? json_string_value(p0) : NULL;
    return *path ? rp_col_named(&ctx->sweep, *path) : -1;
}

int rp_sweep_col(const rp_ctx *ctx, const char *platform, const char *metric, const char *stat) {
    if (!schema_platform_metric(metric)) {
        miss(ctx, "sweep_summary.csv", metric);
        return -1;
    }
    if (!rp_declared(ctx, &exp_schema_statistics, stat)) return -1;
    char name[512];
    snprintf(name, sizeof name, "%s.%s.%s", platform, metric, stat);
    return rp_col_named(&ctx->sweep, name);
}
