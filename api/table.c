/* libcoopsim: a run directory's tables by name, as CSV text or column by column. A table each
 * run writes carries its own `run` column, so an experiment's tables (runs/run-N/) are stacked
 * in run order, the header once; nothing is added to them. */
#include "api/api.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool good_name(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 64) return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

/* Reads the table's files one by one, calling each(ctx, i, path-for-messages, text, len) with
 * the text (the callee takes it over): the directory's own file (a single run's tables, or an
 * experiment's whole-directory tables), else every run's under runs/. */
typedef sim_status (*table_file_fn)(void *ctx, size_t i, const char *path, char *text, size_t len,
                                    char *err, size_t errlen);

static sim_status each_file(const coopsim_result *r, const char *name, table_file_fn each,
                            void *ctx, char *err, size_t errlen) {
    if (!name || !good_name(name))
        return sim_fail(SIM_EINPUT, err, errlen,
                        "table '%s': a name is letters, digits, '_' and '-' (e.g. drivers)",
                        name ? name : "NULL");
    char file[80], dir[4096], path[4200];
    snprintf(file, sizeof file, "%s.csv", name);
    char *text = NULL;
    size_t len = 0, found = 0;
    sim_status rc = api_read_file(r->dir, file, &text, &len, err, errlen);
    if (rc == SIM_OK && text) {
        snprintf(path, sizeof path, "%s/%s", r->dir, file);
        return each(ctx, 0, path, text, len, err, errlen);
    }
    for (size_t i = 0; rc == SIM_OK && r->experiment && i < r->n_runs; i++) {
        snprintf(dir, sizeof dir, "%s/runs/run-%06zu", r->dir, i);
        rc = api_read_file(dir, file, &text, &len, err, errlen);
        if (rc != SIM_OK || !text) continue;
        snprintf(path, sizeof path, "%s/%s", dir, file);
        rc = each(ctx, found++, path, text, len, err, errlen);
    }
    if (rc == SIM_OK && found == 0)
        rc = sim_fail(SIM_EINPUT, err, errlen, "%s: no table %s (no %s)", r->dir, name, file);
    return rc;
}

/* ---- as text ------------------------------------------------------------------------------ */

typedef struct text {
    char *s;
    size_t len, cap;
    char *header; /* the first file's header line */
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

static sim_status stack_text(void *ctx, size_t i, const char *path, char *csv, size_t len,
                             char *err, size_t errlen) {
    text *t = ctx;
    const char *end = csv + len, *h = record_end(csv, end);
    size_t hn = (size_t)(h - csv);
    sim_status rc = SIM_OK;
    if (i == 0) {
        if (!(t->header = malloc(hn + 1)) || !put(t, csv, len))
            rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        else
            memcpy(t->header, csv, hn), t->header[hn] = '\0';
    } else if (strlen(t->header) != hn || memcmp(t->header, csv, hn) != 0) {
        rc = sim_fail(SIM_EINPUT, err, errlen, "%s: other columns than the first run's", path);
    } else if (!put(t, h, len - hn)) {
        rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    free(csv);
    return rc;
}

int coopsim_result_table(const coopsim_result *r, const char *name, char **csv, char *err,
                         size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!r || !csv) return sim_fail(SIM_EINPUT, err, errlen, "no result or no place for it");
    *csv = NULL;
    text t = {0};
    sim_status rc = each_file(r, name, stack_text, &t, err, errlen);
    free(t.header);
    if (rc != SIM_OK) {
        free(t.s);
        return api_status(rc);
    }
    *csv = t.s;
    return COOPSIM_OK;
}

/* ---- column by column --------------------------------------------------------------------- */

typedef struct column {
    char *name;
    int type;
    char **cells; /* while reading: every row's field, in the texts kept below */
    int64_t *ints;
    double *reals;
} column;

struct coopsim_table {
    size_t n_cols, n_rows, cap_rows;
    column *cols;
    char **texts; /* the files' texts, split in place: the fields point into them */
    size_t n_texts;
};

/* Splits the next CSV record at *pos (before end) into fields, in place: quotes removed, each
 * field NUL-terminated. fields has room for max; *n gets the count (more than max: too many).
 * false at the end of the text. */
static bool next_record(char **pos, char *end, char **fields, size_t max, size_t *n) {
    char *p = *pos;
    if (p >= end) return false;
    *n = 0;
    for (;;) {
        char *w = p, *start = p;
        if (*n < max) fields[*n] = start;
        (*n)++;
        if (p < end && *p == '"') { /* quoted: "" stands for one quote */
            for (p++; p < end; p++) {
                if (*p == '"' && p + 1 < end && p[1] == '"')
                    *w++ = '"', p++;
                else if (*p == '"')
                    break;
                else
                    *w++ = *p;
            }
            if (p < end) p++; /* the closing quote */
            while (p < end && *p != ',' && *p != '\n')
                *w++ = *p++;
        } else {
            while (p < end && *p != ',' && *p != '\n')
                p++;
            w = p;
        }
        char sep = p < end ? *p : '\n';
        if (w > start && w[-1] == '\r' && sep == '\n') w--;
        *w = '\0'; /* overwrites the separator (or the text's own NUL at end) */
        p = p < end ? p + 1 : end;
        if (sep == '\n') break;
    }
    *pos = p;
    return true;
}

static sim_status grow_rows(coopsim_table *t, char *err, size_t errlen) {
    if (t->n_rows < t->cap_rows) return SIM_OK;
    size_t cap = t->cap_rows ? 2 * t->cap_rows : 1024;
    for (size_t j = 0; j < t->n_cols; j++) {
        char **c = realloc(t->cols[j].cells, cap * sizeof *c);
        if (!c) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        t->cols[j].cells = c;
    }
    t->cap_rows = cap;
    return SIM_OK;
}

static sim_status header_of(coopsim_table *t, size_t i, const char *path, char **fields, size_t n,
                            char *err, size_t errlen) {
    if (i > 0) {
        bool same = n == t->n_cols;
        for (size_t j = 0; same && j < n; j++)
            same = strcmp(fields[j], t->cols[j].name) == 0;
        return same ? SIM_OK
                    : sim_fail(SIM_EINPUT, err, errlen, "%s: other columns than the first run's",
                               path);
    }
    if (!(t->cols = calloc(n, sizeof *t->cols)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    t->n_cols = n;
    for (size_t j = 0; j < n; j++)
        t->cols[j].name = fields[j];
    return SIM_OK;
}

static sim_status read_columns(void *ctx, size_t i, const char *path, char *csv, size_t len,
                               char *err, size_t errlen) {
    coopsim_table *t = ctx;
    char **keep = realloc(t->texts, (t->n_texts + 1) * sizeof *keep);
    if (!keep) {
        free(csv);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    t->texts = keep;
    t->texts[t->n_texts++] = csv;
    size_t max = i == 0 ? 4096 : t->n_cols, n = 0, line = 1;
    char **fields = malloc((max + 1) * sizeof *fields);
    if (!fields) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    char *pos = csv, *end = csv + len;
    sim_status rc = SIM_OK;
    if (!next_record(&pos, end, fields, max, &n))
        rc = sim_fail(SIM_EINPUT, err, errlen, "%s: empty (no header)", path);
    else if (n > max)
        rc = sim_fail(SIM_EINPUT, err, errlen, "%s:1: more than %zu columns", path, max);
    else
        rc = header_of(t, i, path, fields, n, err, errlen);
    while (rc == SIM_OK && next_record(&pos, end, fields, t->n_cols, &n)) {
        line++;
        if (n != t->n_cols) {
            rc = sim_fail(SIM_EINPUT, err, errlen, "%s:%zu: %zu fields, the header has %zu", path,
                          line, n, t->n_cols);
        } else if ((rc = grow_rows(t, err, errlen)) == SIM_OK) {
            for (size_t j = 0; j < n; j++)
                t->cols[j].cells[t->n_rows] = fields[j];
            t->n_rows++;
        }
    }
    free(fields);
    return rc;
}

/* A decimal number as the tables write them: sign, digits, a point, digits, an exponent; or
 * an infinity ("inf", "-inf", "infinity", any case: e.g. a runway that never ends). */
static bool is_number(const char *s, bool *integer) {
    const char *p = s + (*s == '-' || *s == '+');
    size_t digits = 0;
    *integer = true;
    if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0) {
        *integer = false;
        return true;
    }
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.') {
        *integer = false;
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    }
    if (digits == 0) return false;
    if (*p == 'e' || *p == 'E') {
        *integer = false;
        p++;
        p += *p == '-' || *p == '+';
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* A column's type from its cells: whole numbers throughout (none empty) are integers; numbers
 * or empty fields are reals (empty: NaN); anything else is text. */
static sim_status type_column(column *c, size_t rows, char *err, size_t errlen) {
    bool numeric = true, integer = true;
    for (size_t i = 0; numeric && i < rows; i++) {
        bool whole;
        if (c->cells[i][0] == '\0')
            integer = false;
        else if (!is_number(c->cells[i], &whole))
            numeric = false;
        else if (!whole)
            integer = false;
    }
    if (!numeric) {
        c->type = COOPSIM_COLUMN_TEXT;
        return SIM_OK;
    }
    if (integer && !(c->ints = malloc((rows ? rows : 1) * sizeof *c->ints)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t i = 0; integer && i < rows; i++) {
        errno = 0;
        c->ints[i] = strtoll(c->cells[i], NULL, 10);
        if (errno == ERANGE) { /* past int64: a real, as the value is */
            integer = false;
            free(c->ints);
            c->ints = NULL;
        }
    }
    if (integer) {
        c->type = COOPSIM_COLUMN_INT;
        return SIM_OK;
    }
    if (!(c->reals = malloc((rows ? rows : 1) * sizeof *c->reals)))
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t i = 0; i < rows; i++)
        c->reals[i] = c->cells[i][0] ? strtod(c->cells[i], NULL) : NAN;
    c->type = COOPSIM_COLUMN_REAL;
    return SIM_OK;
}

int coopsim_result_columns(const coopsim_result *r, const char *name, coopsim_table **out,
                           char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!r || !out) return sim_fail(SIM_EINPUT, err, errlen, "no result or no place for it");
    *out = NULL;
    coopsim_table *t = calloc(1, sizeof *t);
    if (!t) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    sim_status rc = each_file(r, name, read_columns, t, err, errlen);
    for (size_t j = 0; rc == SIM_OK && j < t->n_cols; j++)
        rc = type_column(&t->cols[j], t->n_rows, err, errlen);
    if (rc != SIM_OK) {
        coopsim_table_free(t);
        return api_status(rc);
    }
    *out = t;
    return COOPSIM_OK;
}

void coopsim_table_free(coopsim_table *t) {
    if (!t) return;
    for (size_t j = 0; j < t->n_cols; j++) {
        free(t->cols[j].cells);
        free(t->cols[j].ints);
        free(t->cols[j].reals);
    }
    free(t->cols);
    for (size_t k = 0; k < t->n_texts; k++)
        free(t->texts[k]);
    free(t->texts);
    free(t);
}

size_t coopsim_table_rows(const coopsim_table *t) {
    return t ? t->n_rows : 0;
}

size_t coopsim_table_columns(const coopsim_table *t) {
    return t ? t->n_cols : 0;
}

static const column *col(const coopsim_table *t, size_t j) {
    return t && j < t->n_cols ? &t->cols[j] : NULL;
}

const char *coopsim_table_name(const coopsim_table *t, size_t j) {
    const column *c = col(t, j);
    return c ? c->name : NULL;
}

int coopsim_table_type(const coopsim_table *t, size_t j) {
    const column *c = col(t, j);
    return c ? c->type : 0;
}

const int64_t *coopsim_table_ints(const coopsim_table *t, size_t j) {
    const column *c = col(t, j);
    return c && c->type == COOPSIM_COLUMN_INT ? c->ints : NULL;
}

const double *coopsim_table_reals(const coopsim_table *t, size_t j) {
    const column *c = col(t, j);
    return c && c->type == COOPSIM_COLUMN_REAL ? c->reals : NULL;
}

const char *const *coopsim_table_texts(const coopsim_table *t, size_t j) {
    const column *c = col(t, j);
    return c && c->type == COOPSIM_COLUMN_TEXT ? (const char *const *)c->cells : NULL;
}
