/* Experiments: run records on disk (one atomic file per finished run, so a killed experiment
 * keeps every run it finished) and statistics, flat tables and paired differences over runs. */
#include "sim/experiment.h"

#include "sim/output.h"
#include "sim/stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

/* ---- run records ----------------------------------------------------------------------- */

char *exp_record_path(const char *dir, size_t index) {
    size_t n = strlen(dir) + 40;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/runs/run-%06zu.json", dir, index);
    return p;
}

/* The checksum is computed over the text itself, not over a re-serialisation, so that it
 * holds whatever a JSON reader makes of the numbers. */
static void checksum_hex(const char *text, size_t n, char hex[65]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, n);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
}

#define CHECKSUM_KEY ",\"checksum\":\""

char *exp_record_text(const json_t *record) {
    char *t = json_dumps(record, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    size_t n = t ? strlen(t) : 0;
    if (!t || n < 2 || t[n - 1] != '}') return t;
    char hex[65];
    checksum_hex(t, n, hex);
    char *out = realloc(t, n + sizeof CHECKSUM_KEY + 66);
    if (!out) {
        free(t);
        return NULL;
    }
    snprintf(out + n - 1, sizeof CHECKSUM_KEY + 68, "%s%s\"}", CHECKSUM_KEY, hex);
    return out;
}

bool exp_record_intact(const char *text) {
    const char *at = NULL;
    for (const char *p = strstr(text, CHECKSUM_KEY); p; p = strstr(p + 1, CHECKSUM_KEY))
        at = p;
    if (!at) return false;
    const char *hex = at + sizeof CHECKSUM_KEY - 1;
    if (strlen(hex) != 66 || strcmp(hex + 64, "\"}") != 0) return false;
    size_t n = (size_t)(at - text) + 1;
    char *copy = malloc(n + 1), mine[65];
    if (!copy) return false;
    memcpy(copy, text, n - 1);
    copy[n - 1] = '}';
    copy[n] = '\0';
    checksum_hex(copy, n, mine);
    free(copy);
    return memcmp(mine, hex, 64) == 0;
}

sim_status exp_record_write(const char *dir, size_t index, const char *text, char *err,
                            size_t errlen) {
    size_t n = strlen(dir) + 8;
    char *runs = malloc(n), name[40];
    if (!runs) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    snprintf(runs, n, "%s/runs", dir);
    snprintf(name, sizeof name, "run-%06zu.json", index);
    out_file o;
    sim_status rc = out_mkdirs(runs, err, errlen);
    if (rc == SIM_OK) rc = out_open(&o, runs, name, err, errlen);
    if (rc == SIM_OK) {
        if (fputs(text, o.f) == EOF || fputc('\n', o.f) == EOF) {
            rc = sim_fail(SIM_EIO, err, errlen, "%s/%s: cannot write: %s", runs, name,
                          strerror(errno));
            out_abort(&o);
        } else {
            rc = out_commit(&o, err, errlen);
        }
    }
    free(runs);
    return rc;
}

sim_status exp_record_read(const char *dir, size_t index, char **text, char *err, size_t errlen) {
    *text = NULL;
    char *path = exp_record_path(dir, index);
    if (!path) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        sim_status rc =
            e == ENOENT ? SIM_OK
                        : sim_fail(SIM_EIO, err, errlen, "%s: cannot open: %s", path, strerror(e));
        free(path);
        return rc;
    }
    char *buf;
    size_t len;
    /* A run's record is a few kilobytes; anything past 256 MiB is not one. */
    sim_status rc = out_read_stream(f, (size_t)1 << 28, path, &buf, &len, err, errlen);
    fclose(f);
    free(path);
    if (rc != SIM_OK) return rc;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    *text = buf;
    return SIM_OK;
}

bool exp_record_matches(const json_t *record, const json_t *identity) {
    const char *k;
    json_t *v;
    if (!json_is_object(record)) return false;
    json_object_foreach((json_t *)identity, k, v) {
        json_t *r = json_object_get(record, k);
        if (!r || !json_equal(r, v)) return false;
    }
    return true;
}

/* ---- statistics over runs -------------------------------------------------------------- */

static json_t *real_or_null(double x) {
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *stats_object(const double *x, size_t n) {
    stats_ci ci = stats_mean_ci(x, n, 0.95);
    double sd = n >= 2 ? sqrt(stats_variance(x, n)) : NAN;
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, sch_name(&exp_schema_statistics, EXP_STAT_MEAN),
                        real_or_null(n ? ci.mean : NAN));
    json_object_set_new(o, sch_name(&exp_schema_statistics, EXP_STAT_SD), real_or_null(sd));
    json_object_set_new(o, sch_name(&exp_schema_statistics, EXP_STAT_CI95_LOW),
                        real_or_null(ci.lo));
    json_object_set_new(o, sch_name(&exp_schema_statistics, EXP_STAT_CI95_HIGH),
                        real_or_null(ci.hi));
    json_object_set_new(o, sch_name(&exp_schema_statistics, EXP_STAT_N_RUNS),
                        json_integer((json_int_t)n));
    return o;
}

/* A yes/no metric over the runs (e.g. whether a platform failed): the statistics of its 0/1
 * values, except that the interval is Wilson's, never below 0 or above 1. */
static json_t *proportion_object(json_t *const *a, size_t n) {
    double *x = calloc(n ? n : 1, sizeof *x);
    if (!x) return NULL;
    size_t k = 0, m = 0;
    for (size_t r = 0; r < n; r++) {
        if (!json_is_boolean(a[r])) continue;
        x[m++] = json_is_true(a[r]) ? 1.0 : 0.0;
        k += json_is_true(a[r]);
    }
    json_t *o = stats_object(x, m);
    free(x);
    if (!o) return NULL;
    stats_ci ci = stats_wilson_ci(k, m, 0.95);
    json_object_set_new(o, sch_name(&exp_schema_statistics, EXP_STAT_CI95_LOW),
                        real_or_null(ci.lo));
    json_object_set_new(o, sch_name(&exp_schema_statistics, EXP_STAT_CI95_HIGH),
                        real_or_null(ci.hi));
    return o;
}

/* An array whose elements are all objects carrying a string "name". */
static bool named_array(const json_t *a) {
    if (!json_is_array(a) || json_array_size(a) == 0) return false;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (!json_is_object(e) || !json_is_string(json_object_get(e, "name"))) return false;
    }
    return true;
}

static json_t *named_get(const json_t *a, const char *name) {
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0) return e;
    }
    return NULL;
}

/* The union of keys (objects) or names (named arrays) over the runs, first-seen order. */
static json_t *union_keys(json_t *const *nodes, size_t n, bool by_name) {
    json_t *keys = json_array(), *seen = json_object();
    if (!keys || !seen) {
        json_decref(keys);
        json_decref(seen);
        return NULL;
    }
    for (size_t r = 0; r < n; r++) {
        if (!nodes[r]) continue;
        if (by_name) {
            if (!named_array(nodes[r])) continue;
            size_t i;
            json_t *e;
            json_array_foreach(nodes[r], i, e) {
                const char *k = json_string_value(json_object_get(e, "name"));
                if (!json_object_get(seen, k)) {
                    json_object_set_new(seen, k, json_true());
                    json_array_append_new(keys, json_string(k));
                }
            }
        } else if (json_is_object(nodes[r])) {
            const char *k;
            json_t *v;
            json_object_foreach(nodes[r], k, v) {
                if (!json_object_get(seen, k)) {
                    json_object_set_new(seen, k, json_true());
                    json_array_append_new(keys, json_string(k));
                }
            }
        }
    }
    json_decref(seen);
    return keys;
}

/* Summarises (b == NULL) or differences (a - b) the nodes at one place in every run. */
static json_t *walk(json_t *const *a, json_t *const *b, size_t n) {
    const json_t *first = NULL;
    for (size_t r = 0; r < n && !first; r++)
        if (a[r] && (!b || b[r])) first = a[r];
    if (!first) return json_null();
    json_t **ka = calloc(n ? n : 1, sizeof *ka), **kb = calloc(n ? n : 1, sizeof *kb);
    double *x = calloc(n ? n : 1, sizeof *x);
    json_t *out = NULL;
    if (!ka || !kb || !x) goto done;
    if (json_is_number(first)) {
        size_t m = 0;
        for (size_t r = 0; r < n; r++) {
            if (!json_is_number(a[r]) || (b && !json_is_number(b[r]))) continue;
            double v = json_number_value(a[r]) - (b ? json_number_value(b[r]) : 0.0);
            if (isfinite(v)) x[m++] = v;
        }
        out = stats_object(x, m);
    } else if (json_is_boolean(first) && !b) {
        out = proportion_object(a, n);
    } else if (json_is_object(first) || named_array(first)) {
        bool by_name = !json_is_object(first);
        json_t *keys = union_keys(a, n, by_name);
        out = by_name ? json_array() : json_object();
        if (!keys || !out) {
            json_decref(keys);
            json_decref(out);
            out = NULL;
            goto done;
        }
        size_t i;
        json_t *kj;
        json_array_foreach(keys, i, kj) {
            const char *k = json_string_value(kj);
            for (size_t r = 0; r < n; r++) {
                ka[r] = kb[r] = NULL;
                if (by_name) {
                    if (named_array(a[r])) ka[r] = named_get(a[r], k);
                    if (b && named_array(b[r])) kb[r] = named_get(b[r], k);
                } else {
                    ka[r] = json_object_get(a[r], k);
                    if (b) kb[r] = json_object_get(b[r], k);
                }
            }
            json_t *sub = walk(ka, b ? kb : NULL, n);
            if (!sub) {
                json_decref(keys);
                json_decref(out);
                out = NULL;
                goto done;
            }
            if (by_name)
                json_array_append_new(out, sub);
            else if (b && json_is_null(sub))
                json_decref(sub); /* differences: nothing comparable here */
            else
                json_object_set_new(out, k, sub);
        }
        json_decref(keys);
    } else if (json_is_array(first)) {
        size_t len = 0;
        for (size_t r = 0; r < n; r++)
            if (json_is_array(a[r]) && json_array_size(a[r]) > len) len = json_array_size(a[r]);
        out = json_array();
        for (size_t i = 0; out && i < len; i++) {
            for (size_t r = 0; r < n; r++) {
                ka[r] = json_array_get(a[r], i);
                kb[r] = b ? json_array_get(b[r], i) : NULL;
            }
            json_t *sub = walk(ka, b ? kb : NULL, n);
            if (!sub || json_array_append_new(out, sub) != 0) {
                json_decref(out);
                out = NULL;
            }
        }
    } else if (b) {
        /* a difference of texts is meaningless, except that names say which is which */
        out = json_is_string(first) && json_equal(first, b[0] ? b[0] : json_null())
                  ? json_deep_copy(first)
                  : json_null();
    } else {
        out = json_deep_copy(first);
    }
done:
    free(ka);
    free(kb);
    free(x);
    return out;
}

json_t *exp_summarize(json_t *const *runs, size_t n) {
    return walk(runs, NULL, n);
}

json_t *exp_paired(json_t *const *runs, size_t n, const char *key) {
    json_t *out = json_array();
    json_t **lists = calloc(n ? n : 1, sizeof *lists);
    json_t **a = calloc(n ? n : 1, sizeof *a), **b = calloc(n ? n : 1, sizeof *b);
    json_t *names = NULL;
    if (!out || !lists || !a || !b) goto fail;
    for (size_t r = 0; r < n; r++)
        lists[r] = runs[r] ? json_object_get(runs[r], key) : NULL;
    names = union_keys(lists, n, true);
    if (!names) goto fail;
    for (size_t j = 1; j < json_array_size(names); j++) {
        for (size_t i = 0; i < j; i++) {
            const char *na = json_string_value(json_array_get(names, j));
            const char *nb = json_string_value(json_array_get(names, i));
            for (size_t r = 0; r < n; r++) {
                bool ok = named_array(lists[r]);
                a[r] = ok ? named_get(lists[r], na) : NULL;
                b[r] = ok ? named_get(lists[r], nb) : NULL;
            }
            json_t *m = walk(a, b, n), *p = json_object();
            if (!m || !p) {
                json_decref(m);
                json_decref(p);
                goto fail;
            }
            if (json_is_object(m)) json_object_del(m, "name");
            json_object_set_new(p, sch_name(&exp_schema_paired, EXP_PAIR_A), json_string(na));
            json_object_set_new(p, sch_name(&exp_schema_paired, EXP_PAIR_B), json_string(nb));
            json_object_set_new(p, sch_name(&exp_schema_paired, EXP_PAIR_DIFFERENCE),
                                json_string("a - b"));
            json_object_set_new(p, sch_name(&exp_schema_paired, EXP_PAIR_METRICS), m);
            json_array_append_new(out, p);
        }
    }
    json_decref(names);
    free(lists);
    free(a);
    free(b);
    return out;
fail:
    json_decref(names);
    json_decref(out);
    free(lists);
    free(a);
    free(b);
    return NULL;
}

/* ---- flat tables ----------------------------------------------------------------------- */

static int flatten_into(json_t *out, const json_t *node, char *path, size_t len, size_t cap) {
    if (json_is_number(node)) return json_object_set(out, path, (json_t *)node);
    if (json_is_object(node) || named_array(node)) {
        bool by_name = !json_is_object(node);
        const char *k;
        json_t *v;
        size_t i;
        void *it = by_name ? NULL : json_object_iter((json_t *)node);
        for (i = 0;; i++) {
            if (by_name) {
                if (i >= json_array_size(node)) break;
                v = json_array_get(node, i);
                k = json_string_value(json_object_get(v, "name"));
            } else {
                if (!it) break;
                k = json_object_iter_key(it);
                v = json_object_iter_value(it);
                it = json_object_iter_next((json_t *)node, it);
            }
            if (!by_name && named_array(v)) {
                /* the elements' names say enough: "coop.drivers", not "platforms.coop..." */
                if (flatten_into(out, v, path, len, cap)) return -1;
                continue;
            }
            size_t kl = strlen(k);
            if (len + kl + 2 >= cap) continue; /* absurdly deep: leave out */
            size_t nl = len;
            if (nl) path[nl++] = '.';
            memcpy(path + nl, k, kl + 1);
            if (flatten_into(out, v, path, nl + kl, cap)) return -1;
            path[len] = '\0';
        }
        return 0;
    }
    if (json_is_array(node)) {
        size_t i;
        json_t *v;
        json_array_foreach(node, i, v) {
            int w = snprintf(path + len, cap - len, "[%zu]", i);
            if (w < 0 || (size_t)w >= cap - len) continue;
            if (flatten_into(out, v, path, len + (size_t)w, cap)) return -1;
            path[len] = '\0';
        }
    }
    return 0;
}

json_t *exp_flatten(const json_t *tree) {
    json_t *out = json_object();
    char path[1024] = "";
    if (out && tree && flatten_into(out, tree, path, 0, sizeof path) != 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* False on a write error. */
static bool put_number(FILE *f, const json_t *v) {
    if (json_is_integer(v)) return fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) >= 0;
    double d = json_real_value(v);
    if (!isfinite(d)) return true;
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", d);
    if (strcmp(buf, "-0") == 0) strcpy(buf, "0");
    return fputs(buf, f) != EOF;
}

sim_status exp_write_csv(const char *dir, const char *name, size_t n_rows, size_t n_lead,
                         const char *const *lead_names, const char *const *lead_values,
                         json_t *const *flat, char *err, size_t errlen) {
    json_t *cols = json_array(), *seen = json_object();
    if (!cols || !seen) {
        json_decref(cols);
        json_decref(seen);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    for (size_t r = 0; r < n_rows; r++) {
        const char *k;
        json_t *v;
        if (!flat[r]) continue;
        json_object_foreach(flat[r], k, v) {
            if (!json_object_get(seen, k)) {
                json_object_set_new(seen, k, json_true());
                json_array_append_new(cols, json_string(k));
            }
        }
    }
    json_decref(seen);
    out_file o;
    sim_status rc = out_open(&o, dir, name, err, errlen);
    if (rc != SIM_OK) {
        json_decref(cols);
        return rc;
    }
    int bad = 0;
    size_t nc = json_array_size(cols);
    for (size_t c = 0; c < n_lead + nc; c++) {
        if (c) bad |= fputc(',', o.f) == EOF;
        bad |= !out_csv_field(
            o.f, c < n_lead ? lead_names[c] : json_string_value(json_array_get(cols, c - n_lead)));
    }
    bad |= fputc('\n', o.f) == EOF;
    for (size_t r = 0; r < n_rows && !bad; r++) {
        for (size_t c = 0; c < n_lead + nc; c++) {
            if (c) bad |= fputc(',', o.f) == EOF;
            if (c < n_lead) {
                bad |= !out_csv_field(o.f, lead_values[r * n_lead + c]);
            } else if (flat[r]) {
                json_t *v =
                    json_object_get(flat[r], json_string_value(json_array_get(cols, c - n_lead)));
                if (v) bad |= !put_number(o.f, v);
            }
        }
        bad |= fputc('\n', o.f) == EOF;
    }
    json_decref(cols);
    if (bad) {
        sim_fail(SIM_EIO, err, errlen, "%s/%s: cannot write: %s", dir, name, strerror(errno));
        out_abort(&o);
        return SIM_EIO;
    }
    return out_commit(&o, err, errlen);
}
