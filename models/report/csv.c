/* Reading a run's CSV tables for the report: header row, RFC 4180 quoting, cells kept as text
 * and looked up by column name (lookup.c checks each name against the output schema). */
#include "models/report/report_internal.h"
#include "sim/error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static int push(strvec *s, char *x) {
    if (SIM_GROW(&s->v, &s->cap, s->n + 1, 64) != SIM_OK) return -1;
    s->v[s->n++] = x;
    return 0;
}

/* Splits one record starting at *p (which may span lines inside quotes); advances *p. */
static int record(const char **p, strvec *out) {
    const char *s = *p;
    for (;;) {
        size_t cap = 32, n = 0;
        char *cell = malloc(cap);
        if (!cell) return -1;
        bool quoted = (*s == '"');
        if (quoted) s++;
        for (;;) {
            char c = *s;
            if (c == '\0') break;
            if (quoted) {
                if (c == '"') {
                    if (s[1] == '"') {
                        s++;
                    } else {
                        s++;
                        quoted = false;
                        continue;
                    }
                }
            } else if (c == ',' || c == '\n' || c == '\r') {
                break;
            }
            if (n + 2 > cap) {
                cap *= 2;
                char *b = realloc(cell, cap);
                if (!b) {
                    free(cell);
                    return -1;
                }
                cell = b;
            }
            cell[n++] = c;
            s++;
        }
        cell[n] = '\0';
        if (push(out, cell) != 0) {
            free(cell);
            return -1;
        }
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == '\r') s++;
        if (*s == '\n') s++;
        break;
    }
    *p = s;
    return 0;
}

static void free_vec(strvec *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

int rp_table_read(const char *path, rp_table *t, char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return 1;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return 2;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (n + 4096 > cap) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0) break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        snprintf(err, errlen, "%s: cannot read", path);
        return 2;
    }
    buf[n] = '\0';
    strvec head = {0}, cells = {0};
    const char *p = buf;
    int rc = record(&p, &head);
    size_t nrows = 0;
    while (rc == 0 && *p) {
        if (*p == '\n' || *p == '\r') {
            p++;
            continue;
        }
        size_t before = cells.n;
        rc = record(&p, &cells);
        if (rc != 0) break;
        /* Ragged rows are padded or cut so that lookups stay in bounds. */
        while (cells.n - before < head.n && rc == 0) {
            char *e = calloc(1, 1);
            rc = e ? push(&cells, e) : -1;
            if (rc != 0) free(e);
        }
        while (cells.n - before > head.n)
            free(cells.v[--cells.n]);
        nrows++;
    }
    free(buf);
    if (rc != 0) {
        free_vec(&head);
        free_vec(&cells);
        snprintf(err, errlen, "%s: out of memory", path);
        return 2;
    }
    t->ncols = head.n;
    t->head = head.v;
    t->nrows = nrows;
    t->cells = cells.v;
    return 0;
}

void rp_table_free(rp_table *t) {
    for (size_t i = 0; i < t->ncols; i++)
        free(t->head[i]);
    for (size_t i = 0; i < t->ncols * t->nrows; i++)
        free(t->cells[i]);
    free(t->head);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

const char *rp_cell(const rp_table *t, size_t row, int col) {
    if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows) return "";
    return t->cells[row * t->ncols + (size_t)col];
}

double rp_num(const rp_table *t, size_t row, int col) {
    const char *s = rp_cell(t, row, col);
    if (!*s) return NAN;
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    return *end ? NAN : v;
}

void rp_gp_label(const char *s, char *out, size_t outlen, size_t max) {
    size_t n = 0;
    if (max + 1 > outlen) max = outlen > 0 ? outlen - 1 : 0;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *rep = NULL;
        char one[2] = {(char)c, '\0'};
        if (c == '"')
            rep = "\xe2\x80\x9d"; /* right double quotation mark */
        else if (c == '\\')
            rep = "\\\\";
        else if (c < 0x20 || c == 0x7f)
            rep = " ";
        else
            rep = one;
        size_t k = strlen(rep);
        /* Do not start a multi-byte character that would not fit. */
        if (c >= 0xc0) {
            size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            if (n + len > max) break;
        }
        if (n + k > max) break;
        memcpy(out + n, rep, k);
        n += k;
    }
    if (outlen > 0) out[n] = '\0';
}
