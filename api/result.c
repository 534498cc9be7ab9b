/* libcoopsim: reading a run directory back (summary.json and the CSV tables by name), with the
 * per-run tables of an experiment joined into one table with a `run` column. */
#include "api/api.h"

#include "sim/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The largest table the API hands back as one text. */
#define API_MAX_TABLE ((size_t)1 << 32)

/* Reads dir/name into *text (NULL, SIM_OK, when there is no such file). */
static sim_status read_file(const char *dir, const char *name, char **text, size_t *len, char *err,
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
    sim_status rc = read_file(dir, exp_schema_summary.file, &text, &len, err, errlen);
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
    sim_status rc = read_file(r->dir, exp_schema_summary.file, json, &len, err, errlen);
    if (rc == SIM_OK && !*json)
        rc = sim_fail(SIM_EIO, err, errlen, "%s: %s has gone", r->dir, exp_schema_summary.file);
    return api_status(rc);
}

/* A growing text. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static bool put(text *t, const char *s, size_t n) {
    if (SIM_GROW(&t->s, &t->cap, t->len + n + 1, 4096) != SIM_OK) return false;
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
    return true;
}

/* The end of the CSV record starting at s (just past its line break; quoted line breaks belong
 * to the record). */
static const char *record_end(const char *s, const char *end) {
    bool quoted = false;
    for (; s < end; s++) {
        if (*s == '"') quoted = !quoted;
        if (*s == '\n' && !quoted) return s + 1;
    }
    return end;
}

/* Appends run i's table (csv, len bytes) with a leading run column; the header only once, and
 * every run's header must be the first one's. */
static sim_status join(text *t, size_t i, const char *csv, size_t len, char *header, char *err,
                       size_t errlen) {
    const char *end = csv + len, *h = record_end(csv, end);
    size_t hn = (size_t)(h - csv);
    if (t->len == 0) {
        if (hn >= 4096) return sim_fail(SIM_EINPUT, err, errlen, "a table header is too long");
        memcpy(header, csv, hn);
        header[hn] = '\0';
        if (!put(t, "run,", 4) || !put(t, csv, hn)) goto nomem;
    } else if (strlen(header) != hn || memcmp(header, csv, hn) != 0) {
        return sim_fail(SIM_EINPUT, err, errlen, "run %zu's table has other columns than run 0's",
                        i);
    }
    char id[32];
    int idn = snprintf(id, sizeof id, "%zu,", i);
    for (const char *p = h; p < end;) {
        const char *q = record_end(p, end);
        if (!put(t, id, (size_t)idn) || !put(t, p, (size_t)(q - p))) goto nomem;
        if (q[-1] != '\n' && !put(t, "\n", 1)) goto nomem;
        p = q;
    }
    return SIM_OK;
nomem:
    return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
}

static bool good_name(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 64) return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

int coopsim_result_table(const coopsim_result *r, const char *name, char **csv, char *err,
                         size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!r || !csv) return sim_fail(SIM_EINPUT, err, errlen, "no result or no place for it");
    *csv = NULL;
    if (!name || !good_name(name))
        return sim_fail(SIM_EINPUT, err, errlen,
                        "table '%s': a name is letters, digits, '_' and '-' (e.g. drivers)",
                        name ? name : "NULL");
    char file[80], header[4096];
    snprintf(file, sizeof file, "%s.csv", name);
    char *one = NULL;
    size_t len = 0;
    text t = {0};
    sim_status rc = SIM_OK;
    /* A table of the whole directory comes as it is: an experiment's own, or one that
     * already has a run column (metrics.csv, run.csv's neighbours). */
    rc = read_file(r->dir, file, &one, &len, err, errlen);
    if (rc != SIM_OK || (one && (r->experiment || strncmp(one, "run,", 4) == 0))) {
        *csv = one;
        return api_status(rc);
    }
    free(one);
    for (size_t i = 0; rc == SIM_OK && i < r->n_runs; i++) {
        char dir[4096];
        if (r->experiment)
            snprintf(dir, sizeof dir, "%s/runs/run-%06zu", r->dir, i);
        else
            snprintf(dir, sizeof dir, "%s", r->dir);
        rc = read_file(dir, file, &one, &len, err, errlen);
        if (rc == SIM_OK && one) rc = join(&t, i, one, len, header, err, errlen);
        free(one);
    }
    if (rc == SIM_OK && !t.s)
        rc = sim_fail(SIM_EINPUT, err, errlen, "%s: no table %s (no %s)", r->dir, name, file);
    if (rc != SIM_OK) {
        free(t.s);
        return api_status(rc);
    }
    *csv = t.s;
    return COOPSIM_OK;
}
