/* competition_days.csv: a shared market's shares, shown pickup time and money by day, averaged
 * over an experiment's runs of each point with Student-t 95% intervals, read back from the
 * runs' own competition.csv (so the aggregate is, by construction, of what each run wrote). */
#include "models/run.h"

#include "models/schema/schema.h"
#include "sim/experiment.h"
#include "sim/output.h"
#include "sim/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLE ((size_t)1 << 30) /* a competition.csv is a few hundred bytes per day */

/* One run's competition.csv, parsed in place: cells point into text. */
typedef struct cd_table {
    char *text;
    char **cells; /* nrows * ncols, row-major; row 0 is the header */
    size_t nrows, ncols;
} cd_table;

static void table_free(cd_table *t) {
    free(t->text);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* Splits text into RFC 4180 fields (quotes unescaped in place). False when out of memory or
 * the rows do not all have the header's width. */
static bool table_split(cd_table *t) {
    size_t cap = 64, n = 0, width = 0, in_row = 0;
    if (!(t->cells = malloc(cap * sizeof *t->cells))) return false;
    char *r = t->text, *w = t->text;
    while (*r) {
        char *start = w;
        if (*r == '"') {
            for (r++; *r && !(*r == '"' && r[1] != '"'); r++)
                *w++ = (*r == '"') ? *r++ : *r;
            if (*r == '"') r++;
        } else {
            while (*r && *r != ',' && *r != '\n' && *r != '\r')
                *w++ = *r++;
        }
        char sep = *r;
        if (sep == '\r') sep = *++r;
        if (sep) r++;
        *w++ = '\0';
        if (n == cap) {
            char **c = realloc(t->cells, 2 * cap * sizeof *c);
            if (!c) return false;
            t->cells = c;
            cap *= 2;
        }
        t->cells[n++] = start;
        in_row++;
        if (sep != ',') { /* end of a row */
            if (width == 0) width = in_row;
            if (in_row != width) return false;
            in_row = 0;
        }
    }
    if (in_row != 0 || width == 0) return false;
    t->ncols = width;
    t->nrows = n / width;
    return true;
}

/* Reads path; *found false (SIM_OK) when it does not exist. */
static sim_status table_read(const char *path, cd_table *t, bool *found, char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    *found = f != NULL;
    if (!f) return SIM_OK;
    size_t len;
    sim_status rc = out_read_stream(f, MAX_TABLE, path, &t->text, &len, err, errlen);
    fclose(f);
    if (rc != SIM_OK) return rc;
    if (!table_split(t)) {
        table_free(t);
        return sim_fail(SIM_EIO, err, errlen, "%s: not a table of rows of equal width", path);
    }
    return SIM_OK;
}

static int column(const cd_table *t, const char *name) {
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cells[c], name) == 0) return (int)c;
    return -1;
}

static double number(const char *s) {
    char *end;
    if (!*s) return NAN;
    double v = strtod(s, &end);
    return *end ? NAN : v;
}

/* The runs of one point: their tables and, gathered from them, every (platform, day). */
typedef struct cd_point {
    cd_table *runs;
    size_t n_runs;
    const char **names; /* platforms in first-seen order */
    size_t n_names, max_day;
    double *vals; /* [(platform * max_day + day - 1) * SCH_CDAY_N + metric] * n_runs + run */
    bool *has;    /* [(platform * max_day + day - 1)] * n_runs + run */
} cd_point;

static size_t platform_index(cd_point *pt, const char *name) {
    for (size_t i = 0; i < pt->n_names; i++)
        if (strcmp(pt->names[i], name) == 0) return i;
    pt->names[pt->n_names] = name;
    return pt->n_names++;
}

/* Fills names, max_day, vals and has from the point's tables. */
static sim_status gather(cd_point *pt, char *err, size_t errlen) {
    size_t rows = 0;
    for (size_t r = 0; r < pt->n_runs; r++)
        rows += pt->runs[r].nrows;
    int cols[SCH_CDAY_N], cp, cd;
    if (!(pt->names = calloc(rows + 1, sizeof *pt->names)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t r = 0; r < pt->n_runs; r++) {
        const cd_table *t = &pt->runs[r];
        if ((cp = column(t, "platform")) < 0 || (cd = column(t, "day")) < 0)
            return sim_fail(SIM_EINTERNAL, err, errlen, "competition.csv lacks platform or day");
        for (size_t i = 1; i < t->nrows; i++) {
            platform_index(pt, t->cells[i * t->ncols + (size_t)cp]);
            double d = number(t->cells[i * t->ncols + (size_t)cd]);
            /* one row per platform and day: a day past the row count is not one of ours */
            if (!(d >= 1 && d <= (double)t->nrows))
                return sim_fail(SIM_EIO, err, errlen, "competition.csv: day '%s' is not a day",
                                t->cells[i * t->ncols + (size_t)cd]);
            if ((size_t)d > pt->max_day) pt->max_day = (size_t)d;
        }
    }
    size_t cells = pt->n_names * pt->max_day;
    pt->vals = malloc((cells * SCH_CDAY_N * pt->n_runs + 1) * sizeof *pt->vals);
    pt->has = calloc(cells * pt->n_runs + 1, sizeof *pt->has);
    if (!pt->vals || !pt->has) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t i = 0; i < cells * SCH_CDAY_N * pt->n_runs; i++)
        pt->vals[i] = NAN;
    for (size_t r = 0; r < pt->n_runs; r++) {
        const cd_table *t = &pt->runs[r];
        cp = column(t, "platform");
        cd = column(t, "day");
        for (int m = 0; m < SCH_CDAY_N; m++)
            if ((cols[m] = column(t, schema_competition_days_metric[m])) < 0)
                return sim_fail(SIM_EINTERNAL, err, errlen, "competition.csv lacks %s",
                                schema_competition_days_metric[m]);
        for (size_t i = 1; i < t->nrows; i++) {
            char *const *row = &t->cells[i * t->ncols];
            size_t cell = platform_index(pt, row[cp]) * pt->max_day + (size_t)number(row[cd]) - 1;
            pt->has[cell * pt->n_runs + r] = true;
            for (int m = 0; m < SCH_CDAY_N; m++)
                pt->vals[(cell * SCH_CDAY_N + (size_t)m) * pt->n_runs + r] = number(row[cols[m]]);
        }
    }
    return SIM_OK;
}

static void put(FILE *f, double v) {
    if (isfinite(v))
        fprintf(f, ",%.15g", v);
    else
        fputc(',', f);
}

/* False when out of memory. */
static bool write_point(FILE *f, size_t point, const cd_point *pt) {
    double *x = malloc((pt->n_runs + 1) * sizeof *x);
    if (!x) return false;
    for (size_t p = 0; p < pt->n_names; p++) {
        for (size_t d = 0; d < pt->max_day; d++) {
            size_t cell = p * pt->max_day + d, runs = 0;
            for (size_t r = 0; r < pt->n_runs; r++)
                runs += pt->has[cell * pt->n_runs + r];
            if (runs == 0) continue;
            fprintf(f, "%zu,", point);
            out_csv_field(f, pt->names[p]);
            fprintf(f, ",%zu,%zu", d + 1, runs);
            for (size_t m = 0; m < SCH_CDAY_N; m++) {
                size_t k = 0;
                for (size_t r = 0; r < pt->n_runs; r++) {
                    double v = pt->vals[(cell * SCH_CDAY_N + m) * pt->n_runs + r];
                    if (!isnan(v)) x[k++] = v;
                }
                stats_ci ci = stats_mean_ci(x, k, 0.95);
                put(f, k > 0 ? ci.mean : NAN);
                put(f, k > 1 ? ci.lo : NAN);
                put(f, k > 1 ? ci.hi : NAN);
                fprintf(f, ",%zu", k);
            }
            fputc('\n', f);
        }
    }
    free(x);
    return true;
}

static void point_free(cd_point *pt) {
    for (size_t r = 0; r < pt->n_runs; r++)
        table_free(&pt->runs[r]);
    free(pt->runs);
    free(pt->names);
    free(pt->vals);
    free(pt->has);
    memset(pt, 0, sizeof *pt);
}

/* Each run's point, from its record; *n the number of runs. */
static sim_status run_points(const char *dir, size_t **points, size_t *n, char *err,
                             size_t errlen) {
    size_t cap = 0;
    *points = NULL;
    *n = 0;
    for (;;) {
        char *text = NULL;
        sim_status rc = exp_record_read(dir, *n, &text, err, errlen);
        if (rc != SIM_OK || !text) return rc;
        json_t *rec = json_loads(text, 0, NULL);
        free(text);
        if (!rec)
            return sim_fail(SIM_EIO, err, errlen, "%s: run %zu's record does not parse", dir, *n);
        json_int_t p =
            json_integer_value(json_object_get(rec, sch_name(&exp_schema_record, EXP_REC_POINT)));
        json_decref(rec);
        if (*n == cap) {
            size_t *q = realloc(*points, (cap = cap ? 2 * cap : 64) * sizeof *q);
            if (!q) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
            *points = q;
        }
        (*points)[(*n)++] = p < 0 ? 0 : (size_t)p;
    }
}

/* Reads the tables of runs first..last-1 (all of one point) into pt. */
static sim_status read_point(const char *dir, size_t first, size_t last, cd_point *pt, char *err,
                             size_t errlen) {
    if (!(pt->runs = calloc(last - first, sizeof *pt->runs)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t i = first; i < last; i++) {
        char path[4200];
        bool found;
        snprintf(path, sizeof path, "%s/runs/run-%06zu/%s", dir, i, schema_competition_csv.file);
        sim_status rc = table_read(path, &pt->runs[pt->n_runs], &found, err, errlen);
        if (rc != SIM_OK) return rc;
        if (!found) return sim_fail(SIM_EIO, err, errlen, "%s: missing", path);
        pt->n_runs++;
    }
    return gather(pt, err, errlen);
}

sim_status coop_write_competition_days(const char *dir, char *err, size_t errlen) {
    char path[4200];
    snprintf(path, sizeof path, "%s/runs/run-000000/%s", dir, schema_competition_csv.file);
    FILE *probe = fopen(path, "rb");
    if (!probe) return SIM_OK; /* not a shared market (or not an experiment) */
    fclose(probe);
    size_t *points, n;
    sim_status rc = run_points(dir, &points, &n, err, errlen);
    out_file o = {0};
    if (rc == SIM_OK) rc = out_open(&o, dir, schema_competition_days_csv.file, err, errlen);
    if (rc == SIM_OK) sch_write_header(&schema_competition_days_csv, o.f);
    /* runs of a point are consecutive (sim/experiment.h: first_run) */
    for (size_t first = 0, last; rc == SIM_OK && first < n; first = last) {
        for (last = first + 1; last < n && points[last] == points[first]; last++)
            ;
        cd_point pt = {0};
        rc = read_point(dir, first, last, &pt, err, errlen);
        if (rc == SIM_OK && !write_point(o.f, points[first], &pt))
            rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        point_free(&pt);
    }
    free(points);
    if (o.f && rc == SIM_OK) return out_commit(&o, err, errlen);
    if (o.f) out_abort(&o);
    return rc;
}
