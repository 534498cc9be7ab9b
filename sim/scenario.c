/* Strict scenario loading: walks the YAML tree with the caller's table of keys, filling the
 * configuration, applying defaults and overrides, and saying exactly where input is wrong.
 * Longer than most files: one recursive walk and the per-type value readers it dispatches to
 * belong together (the unit parsers, mounts, positions and overrides are already apart). */
#include "sim/scenario.h"
#include "sim/output.h"
#include "sim/scenario_tree.h"
#include "sim/scenario_units.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SC_PATH_MAX 256

typedef struct {
    const sc_key *table;
    char *err;
    size_t errlen;
    bool has_currency;    /* the table has a top-level `currency` key */
    const char *currency; /* its value, the only code money may carry */
    bool skip_required;   /* sc_defaults: a key without a default is left as it is */
    const char *file;     /* the scenario file (NULL: a buffer): base of relative file names */
} sc_ctx;

static int fail(sc_ctx *c, const scn *at, const char *fmt, ...) {
    char pre[512] = "", msg[1024];
    if (at) scn_where(at, pre, sizeof pre);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err && c->errlen) snprintf(c->err, c->errlen, "%s%s", pre, msg);
    return 2;
}

static int fail_plain(char *err, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen) vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return 2;
}

static const char *kind_name(const scn *n) {
    return n->kind == SCN_MAP ? "mapping" : n->kind == SCN_SEQ ? "list" : "single value";
}

static size_t comp_len(const char *s) {
    return strcspn(s, ".[");
}

static bool has_prefix(const char *s, const char *p, size_t plen) {
    return strncmp(s, p, plen) == 0;
}

/* Is `word` a key at the level whose table paths start with prefix? */
static bool is_child(const sc_key *t, const char *prefix, const char *word, size_t wlen) {
    size_t plen = strlen(prefix);
    for (; t->path; t++) {
        if (!has_prefix(t->path, prefix, plen)) continue;
        const char *rest = t->path + plen;
        if (comp_len(rest) == wlen && memcmp(rest, word, wlen) == 0) return true;
    }
    return false;
}

/* "simulation." -> "simulation", the name of a level in messages. */
static void level_name(const char *disp, char *out, size_t outlen) {
    size_t n = strlen(disp);
    if (n > 0 && disp[n - 1] == '.') n--;
    snprintf(out, outlen, "%.*s", (int)n, disp);
}

static int unknown_key(sc_ctx *c, const scn *key, const char *prefix, const char *disp) {
    size_t plen = strlen(prefix);
    const char *best = NULL;
    size_t best_n = 0;
    int best_d = 3;
    char valid[512] = "";
    size_t vlen = 0;
    for (const sc_key *t = c->table; t->path; t++) {
        if (!has_prefix(t->path, prefix, plen)) continue;
        const char *rest = t->path + plen;
        size_t n = comp_len(rest);
        bool seen = false;
        for (const sc_key *u = c->table; u < t && !seen; u++)
            seen = has_prefix(u->path, prefix, plen) && comp_len(u->path + plen) == n &&
                   memcmp(u->path + plen, rest, n) == 0;
        if (seen) continue;
        if (vlen + n + 3 < sizeof valid)
            vlen += (size_t)snprintf(valid + vlen, sizeof valid - vlen, "%s%.*s", vlen ? ", " : "",
                                     (int)n, rest);
        int d = scu_distance(key->text, key->len, rest, n);
        if (d < best_d && (size_t)d < key->len) {
            best_d = d, best = rest, best_n = n;
        }
    }
    char level[SC_PATH_MAX], in[SC_PATH_MAX + 8] = "";
    level_name(disp, level, sizeof level);
    if (level[0]) snprintf(in, sizeof in, " in %s", level);
    if (best)
        return fail(c, key, "unknown key '%s'%s (did you mean '%.*s'?)", key->text, in, (int)best_n,
                    best);
    return fail(c, key, "unknown key '%s'%s (valid keys: %s)", key->text, in, valid);
}

static void range_words(const char *lo, const char *hi, const char *unit, char *out,
                        size_t outlen) {
    if (lo && hi)
        snprintf(out, outlen, "%s to %s%s", lo, hi, unit);
    else if (lo)
        snprintf(out, outlen, "at least %s%s", lo, unit);
    else if (hi)
        snprintf(out, outlen, "at most %s%s", hi, unit);
    else
        snprintf(out, outlen, "any");
}

static const char *eff_min(const sc_key *e) {
    return e->min ? e->min : scu_implicit_min(e->type);
}

static const char *eff_max(const sc_key *e) {
    return e->max ? e->max : scu_implicit_max(e->type);
}

static int check_count(sc_ctx *c, const sc_key *e, const char *disp, const scn *v, size_t n) {
    size_t lo = 0, hi = (size_t)-1;
    if ((e->min && scu_parse_count(e->min, &lo) != 0) ||
        (e->max && scu_parse_count(e->max, &hi) != 0))
        return fail(c, v, "bad element count bounds for %s in the key table", disp);
    if (n < lo || n > hi) {
        char r[256];
        range_words(e->min, e->max, " elements", r, sizeof r);
        return fail(c, v, "%s has %zu element%s (allowed: %s)", disp, n, n == 1 ? "" : "s", r);
    }
    return 0;
}

static int fill_map(sc_ctx *c, const char *prefix, const char *disp, const scn *map, const scn *loc,
                    char *base);

/* Whether word is one of the '|'-separated choices. */
static bool is_choice(const char *choices, const char *word) {
    size_t n = strlen(word);
    for (const char *p = choices; p && *p;) {
        size_t k = strcspn(p, "|");
        if (k == n && strncmp(p, word, n) == 0) return true;
        p += k + (p[k] == '|');
    }
    return false;
}

/* A file key's value, relative names joined to the scenario file's directory (a copy). */
static char *file_name(const sc_ctx *c, const sc_key *e, const char *text) {
    const char *slash = c->file ? strrchr(c->file, '/') : NULL;
    if (!*text || text[0] == '/' || !slash || is_choice(e->choices, text)) return strdup(text);
    size_t dl = (size_t)(slash - c->file) + 1, n = dl + strlen(text) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%.*s%s", (int)dl, c->file, text);
    return s;
}

static int load_value(sc_ctx *c, const sc_key *e, const char *disp, const scn *v, char *dest) {
    char msg[768];
    switch (e->type) {
    case SC_STRING: {
        if (v->kind != SCN_SCALAR)
            return fail(c, v, "expected text for %s, found a %s", disp, kind_name(v));
        if (strlen(v->text) != v->len)
            return fail(c, v, "text for %s holds a NUL character (remove the \\0)", disp);
        char *s = e->file ? file_name(c, e, scn_is_null(v) ? "" : v->text)
                          : strdup(scn_is_null(v) ? "" : v->text);
        if (!s) return fail(c, v, "out of memory");
        char *old;
        memcpy(&old, dest, sizeof old);
        free(old);
        memcpy(dest, &s, sizeof s);
        return 0;
    }
    case SC_REAL_LIST: {
        if (v->kind != SCN_SEQ)
            return fail(c, v, "expected a list of numbers for %s, found a %s (write e.g. [1, 2.5])",
                        disp, kind_name(v));
        if (check_count(c, e, disp, v, v->n)) return 2;
        sc_reals r = {NULL, v->n};
        if (r.n && !(r.v = calloc(r.n, sizeof *r.v))) return fail(c, v, "out of memory");
        memcpy(dest, &r, sizeof r);
        for (size_t i = 0; i < r.n; i++) {
            const scn *x = v->kids[i];
            char path[SC_PATH_MAX + 32];
            snprintf(path, sizeof path, "%s[%zu]", disp, i);
            if (x->kind != SCN_SCALAR || scn_is_null(x))
                return fail(c, x, "expected a number for %s, found %s", path,
                            x->kind == SCN_SCALAR ? "nothing" : kind_name(x));
            scu_value val;
            if (scu_parse(SC_REAL, NULL, x->text, path, false, NULL, &val, msg, sizeof msg))
                return fail(c, x, "%s", msg);
            r.v[i] = val.d;
        }
        return 0;
    }
    case SC_STRING_LIST: {
        if (v->kind != SCN_SEQ)
            return fail(c, v, "expected a list for %s, found a %s (write e.g. [5%%, 10%%])", disp,
                        kind_name(v));
        if (check_count(c, e, disp, v, v->n)) return 2;
        sc_strings r = {NULL, v->n};
        if (r.n && !(r.v = calloc(r.n, sizeof *r.v))) return fail(c, v, "out of memory");
        memcpy(dest, &r, sizeof r);
        for (size_t i = 0; i < r.n; i++) {
            const scn *x = v->kids[i];
            if (x->kind != SCN_SCALAR || scn_is_null(x))
                return fail(c, x, "expected a value for %s[%zu], found %s", disp, i,
                            x->kind == SCN_SCALAR ? "nothing" : kind_name(x));
            if (strlen(x->text) != x->len)
                return fail(c, x, "text for %s[%zu] holds a NUL character (remove the \\0)", disp,
                            i);
            if (!(r.v[i] = strdup(x->text))) return fail(c, x, "out of memory");
        }
        return 0;
    }
    case SC_LIST: {
        if (v->kind != SCN_SEQ)
            return fail(c, v,
                        "expected a list for %s, found a %s (write one '- key: value' "
                        "item per element)",
                        disp, kind_name(v));
        if (check_count(c, e, disp, v, v->n)) return 2;
        if (e->elem_size == 0) return fail(c, v, "key table gives no element size for %s", disp);
        sc_list l = {NULL, v->n};
        if (l.n && !(l.items = calloc(l.n, e->elem_size))) return fail(c, v, "out of memory");
        memcpy(dest, &l, sizeof l);
        char prefix[SC_PATH_MAX], edisp[SC_PATH_MAX];
        if ((size_t)snprintf(prefix, sizeof prefix, "%s[].", e->path) >= sizeof prefix)
            return fail(c, v, "key path too long: %s", e->path);
        for (size_t i = 0; i < l.n; i++) {
            const scn *x = v->kids[i];
            if ((size_t)snprintf(edisp, sizeof edisp, "%s[%zu].", disp, i) >= sizeof edisp)
                return fail(c, x, "key path too long: %s", disp);
            if (x->kind != SCN_MAP)
                return fail(c, x, "expected a mapping of keys for %s[%zu], found a %s", disp, i,
                            kind_name(x));
            if (fill_map(c, prefix, edisp, x, x, (char *)l.items + i * e->elem_size)) return 2;
        }
        return 0;
    }
    default:
        break;
    }
    if (v->kind != SCN_SCALAR)
        return fail(c, v, "expected a single value for %s, found a %s (type: %s)", disp,
                    kind_name(v), scu_type_words(e->type));
    if (scn_is_null(v))
        return fail(c, v, "no value for %s (type: %s%s)", disp, scu_type_words(e->type),
                    e->def ? "; or remove the key to use the default" : "");
    if (strlen(v->text) != v->len)
        return fail(c, v, "value for %s holds a NUL character (remove the \\0)", disp);
    scu_value val;
    if (scu_parse(e->type, e->choices, v->text, disp, c->has_currency, c->currency, &val, msg,
                  sizeof msg))
        return fail(c, v, "%s", msg);
    if (e->type != SC_BOOL && e->type != SC_ENUM) {
        const char *lo = eff_min(e), *hi = eff_max(e);
        scu_value b;
        bool below = false, above = false;
        if (lo) {
            if (scu_parse(e->type, NULL, lo, disp, false, NULL, &b, msg, sizeof msg))
                return fail(c, v, "bad minimum for %s in the key table: %s", disp, msg);
            below = scu_compare(e->type, &val, &b) < 0;
        }
        if (hi) {
            if (scu_parse(e->type, NULL, hi, disp, false, NULL, &b, msg, sizeof msg))
                return fail(c, v, "bad maximum for %s in the key table: %s", disp, msg);
            above = scu_compare(e->type, &val, &b) > 0;
        }
        if (below || above) {
            char r[256];
            range_words(lo, hi, "", r, sizeof r);
            return fail(c, v, "%s is out of range for %s (allowed: %s)", v->text, disp, r);
        }
    }
    scu_store(e->type, &val, dest);
    return 0;
}

const char sc_unset[] = "unset";

/* An absent optional key: a value no scenario can write, so code can tell "not given". */
static int store_unset(sc_ctx *c, const sc_key *e, const scn *loc, const char *path, char *dest) {
    int64_t i = SC_UNSET_INT;
    double d = NAN;
    switch (e->type) {
    case SC_INT:
    case SC_DURATION:
    case SC_MONEY:
        memcpy(dest, &i, sizeof i);
        return 0;
    case SC_REAL:
    case SC_SHARE:
    case SC_DISTANCE:
    case SC_SPEED:
    case SC_RATE:
        memcpy(dest, &d, sizeof d);
        return 0;
    default:
        return fail(c, loc, "key table: %s (%s) cannot be unset", path, scu_type_words(e->type));
    }
}

static int fill_leaf(sc_ctx *c, const sc_key *e, const char *word, size_t wlen, const char *disp,
                     const scn *map, const scn *loc, char *base) {
    char path[SC_PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s%.*s", disp, (int)wlen, word) >= sizeof path)
        return fail(c, loc, "key path too long: %s", disp);
    const scn *v = map ? scn_get(map, word, wlen, NULL) : NULL;
    scn *owned = NULL;
    if (!v && e->def == sc_unset) return store_unset(c, e, loc, path, base + e->offset);
    if (!v) {
        if (!e->def && c->skip_required) return 0;
        if (!e->def) {
            char level[SC_PATH_MAX], in[SC_PATH_MAX + 8] = "";
            level_name(disp, level, sizeof level);
            if (level[0]) snprintf(in, sizeof in, " in %s", level);
            return fail(c, loc, "missing required key '%.*s'%s (%s)", (int)wlen, word, in,
                        scu_type_words(e->type));
        }
        if (scn_parse(e->def, strlen(e->def), SCN_DEFAULT, e->path, &owned, c->err, c->errlen))
            return 2;
        if (!owned && !(owned = scn_new(SCN_SCALAR, SCN_DEFAULT, e->path, "")))
            return fail(c, loc, "out of memory");
        v = owned;
    }
    int rc = load_value(c, e, path, v, base + e->offset);
    scn_free(owned);
    return rc;
}

static int fill_map(sc_ctx *c, const char *prefix, const char *disp, const scn *map, const scn *loc,
                    char *base) {
    size_t plen = strlen(prefix);
    if (map) {
        for (size_t i = 0; i + 1 < map->n; i += 2) {
            const scn *k = map->kids[i];
            if (k->kind != SCN_SCALAR || scn_is_null(k))
                return fail(c, k, "a key must be a plain word, found a %s",
                            k->kind == SCN_SCALAR ? "null" : kind_name(k));
            if (!is_child(c->table, prefix, k->text, k->len) || strlen(k->text) != k->len)
                return unknown_key(c, k, prefix, disp);
            for (size_t j = 0; j < i; j += 2) {
                const scn *o = map->kids[j];
                if (o->len == k->len && memcmp(o->text, k->text, k->len) == 0) {
                    char level[SC_PATH_MAX], in[SC_PATH_MAX + 8] = "";
                    level_name(disp, level, sizeof level);
                    if (level[0]) snprintf(in, sizeof in, " in %s", level);
                    return fail(c, k, "duplicate key '%s'%s (first given at line %d: keep one)",
                                k->text, in, o->line);
                }
            }
        }
    }
    for (const sc_key *e = c->table; e->path; e++) {
        if (!has_prefix(e->path, prefix, plen) || e->path[plen] == '\0') continue;
        const char *rest = e->path + plen;
        size_t n = comp_len(rest);
        if (rest[n] == '\0') {
            if (fill_leaf(c, e, rest, n, disp, map, loc, base)) return 2;
            continue;
        }
        if (rest[n] != '.') continue; /* a key of list elements, filled with its list */
        char sub[SC_PATH_MAX], subdisp[SC_PATH_MAX];
        if ((size_t)snprintf(sub, sizeof sub, "%s%.*s.", prefix, (int)n, rest) >= sizeof sub ||
            (size_t)snprintf(subdisp, sizeof subdisp, "%s%.*s.", disp, (int)n, rest) >=
                sizeof subdisp)
            return fail(c, loc, "key path too long: %s", e->path);
        bool seen = false;
        for (const sc_key *u = c->table; u < e && !seen; u++)
            seen = has_prefix(u->path, sub, strlen(sub));
        if (seen) continue;
        const scn *v = map ? scn_get(map, rest, n, NULL) : NULL;
        if (v && v->kind != SCN_MAP && !scn_is_null(v)) {
            char level[SC_PATH_MAX];
            level_name(subdisp, level, sizeof level);
            return fail(c, v,
                        "expected a mapping of keys for %s, found a %s (write its keys "
                        "indented on the lines below)",
                        level, kind_name(v));
        }
        if (fill_map(c, sub, subdisp, v && v->kind == SCN_MAP ? v : NULL,
                     v && v->kind == SCN_MAP ? v : (map ? map : loc), base))
            return 2;
    }
    return 0;
}

static const sc_key *find_key(const sc_key *t, const char *path) {
    for (; t->path; t++)
        if (!strcmp(t->path, path)) return t;
    return NULL;
}

static void free_level(const sc_key *table, const char *prefix, char *base) {
    size_t plen = strlen(prefix);
    for (const sc_key *e = table; e->path; e++) {
        if (!has_prefix(e->path, prefix, plen) || strchr(e->path + plen, '[')) continue;
        char *dest = base + e->offset;
        if (e->type == SC_STRING) {
            char *s;
            memcpy(&s, dest, sizeof s);
            free(s);
            s = NULL;
            memcpy(dest, &s, sizeof s);
        } else if (e->type == SC_REAL_LIST) {
            sc_reals r;
            memcpy(&r, dest, sizeof r);
            free(r.v);
            memset(dest, 0, sizeof r);
        } else if (e->type == SC_STRING_LIST) {
            sc_strings r;
            memcpy(&r, dest, sizeof r);
            for (size_t i = 0; r.v && i < r.n; i++)
                free(r.v[i]);
            free(r.v);
            memset(dest, 0, sizeof r);
        } else if (e->type == SC_LIST) {
            sc_list l;
            memcpy(&l, dest, sizeof l);
            char sub[SC_PATH_MAX];
            if (l.items && e->elem_size &&
                (size_t)snprintf(sub, sizeof sub, "%s[].", e->path) < sizeof sub)
                for (size_t i = 0; i < l.n; i++)
                    free_level(table, sub, (char *)l.items + i * e->elem_size);
            free(l.items);
            memset(dest, 0, sizeof l);
        }
    }
}

void sc_free(const sc_key *table, void *config) {
    scn_flat f;
    if (!table || !config || scn_flatten(table, &f, NULL, 0) != SIM_OK) return;
    free_level(f.table, "", config);
    scn_flat_free(&f);
}

/* Loads a buffer; *keep (when not NULL) gets the checked tree instead of it being freed. */
static int load_buffer(const sc_key *table, void *config, const char *name, const char *file,
                       const void *data, size_t size, const char *const *overrides,
                       size_t n_overrides, scn **keep, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!name) name = "scenario";
    sc_ctx c = {table, err, errlen, false, NULL, false, file};
    if (!table || !config || (!data && size))
        return fail_plain(err, errlen, "%s: nothing to load", name);
    scn *root = NULL;
    if (scn_parse(data ? data : "", size, SCN_FILE, name, &root, err, errlen)) return 2;
    int rc = 0;
    if (!root || scn_is_null(root)) {
        rc = fail_plain(err, errlen,
                        "%s:%d:%d: empty scenario (write a mapping of keys, e.g. 'name: my-city')",
                        name, root ? root->line : 1, root ? root->col : 1);
    } else if (root->kind != SCN_MAP) {
        rc = fail(&c, root,
                  "the top level must be a mapping of keys, found a %s (write "
                  "'key: value' lines)",
                  kind_name(root));
    }
    for (size_t i = 0; rc == 0 && i < n_overrides; i++)
        rc = overrides[i] ? scn_apply_override(table, root, overrides[i], err, errlen) : 0;
    if (rc == 0) {
        const sc_key *ck = find_key(table, "currency");
        if (ck && ck->type == SC_STRING) {
            c.has_currency = true;
            const scn *v = scn_get(root, "currency", 8, NULL);
            if (v && v->kind == SCN_SCALAR && !scn_is_null(v))
                c.currency = v->text;
            else if (!v)
                c.currency = ck->def;
        }
        rc = fill_map(&c, "", "", root, root, config);
    }
    if (rc == 0 && keep)
        *keep = root;
    else
        scn_free(root);
    if (rc) free_level(table, "", config);
    return rc;
}

static int load_buffer_where(const sc_key *table, void *config, const char *name, const char *file,
                             const void *data, size_t size, const char *const *overrides,
                             size_t n_overrides, scn **keep, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    scn_flat f;
    if (scn_flatten(table, &f, err, errlen) != SIM_OK) return 2;
    int rc = load_buffer(f.table, config, name, file, data, size, overrides, n_overrides, keep, err,
                         errlen);
    scn_flat_free(&f);
    return rc;
}

/* The loader's internal code (0, or 2 with the message written) as the libraries' status. */
static sim_status status_of(int rc) {
    return rc == 0 ? SIM_OK : SIM_EINPUT;
}

sim_status sc_load_buffer(const sc_key *table, void *config, const char *name, const void *data,
                          size_t size, const char *const *overrides, size_t n_overrides, char *err,
                          size_t errlen) {
    scn_flat f;
    sim_status st = scn_flatten(table, &f, err, errlen);
    if (st != SIM_OK) return st;
    int rc = load_buffer(f.table, config, name, NULL, data, size, overrides, n_overrides, NULL, err,
                         errlen);
    scn_flat_free(&f);
    return status_of(rc);
}

sim_status sc_load_buffer_where(const sc_key *table, void *config, const char *name,
                                const void *data, size_t size, const char *const *overrides,
                                size_t n_overrides, sc_where **where, char *err, size_t errlen) {
    if (where) *where = NULL;
    if (!name) name = "scenario";
    scn *root = NULL;
    int rc = load_buffer_where(table, config, name, NULL, data, size, overrides, n_overrides,
                               where ? &root : NULL, err, errlen);
    if (rc == 0 && where && !(*where = scn_where_new(root, name))) {
        sc_free(table, config);
        return sim_fail(SIM_ENOMEM, err, errlen, "%s: out of memory", name);
    }
    return status_of(rc);
}

static int defaults(const sc_key *table, const char *prefix, void *base, char *err, size_t errlen) {
    sc_ctx c = {table, err, errlen, false, NULL, true, NULL};
    const sc_key *ck = find_key(table, "currency");
    if (ck && ck->type == SC_STRING) {
        c.has_currency = true;
        c.currency = ck->def;
    }
    return fill_map(&c, prefix, prefix, NULL, NULL, (char *)base);
}

sim_status sc_defaults(const sc_key *table, const char *prefix, void *base, char *err,
                       size_t errlen) {
    if (err && errlen) err[0] = '\0';
    scn_flat f;
    sim_status st = scn_flatten(table, &f, err, errlen);
    if (st != SIM_OK) return st;
    int rc = defaults(f.table, prefix, base, err, errlen);
    scn_flat_free(&f);
    return status_of(rc);
}

sim_status sc_load_file(const sc_key *table, void *config, const char *file,
                        const char *const *overrides, size_t n_overrides, char *err,
                        size_t errlen) {
    return sc_load_file_where(table, config, file, overrides, n_overrides, NULL, err, errlen);
}

sim_status sc_load_file_where(const sc_key *table, void *config, const char *file,
                              const char *const *overrides, size_t n_overrides, sc_where **where,
                              char *err, size_t errlen) {
    if (where) *where = NULL;
    if (err && errlen) err[0] = '\0';
    if (!file) return sim_fail(SIM_EINPUT, err, errlen, "no scenario file given");
    FILE *f = fopen(file, "rb");
    if (!f) return sim_fail(SIM_EINPUT, err, errlen, "%s: cannot open: %s", file, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return sim_fail(SIM_EINPUT, err, errlen, "%s: cannot read: %s", file, strerror(EISDIR));
    }
    char *buf;
    size_t len;
    sim_status r = out_read_stream(f, SCN_MAX_SIZE, file, &buf, &len, err, errlen);
    fclose(f);
    if (r == SIM_EINPUT)
        return sim_fail(r, err, errlen, "%s: too large (a scenario may have at most 16 MiB)", file);
    if (r != SIM_OK) return r;
    scn *root = NULL;
    int rc = load_buffer_where(table, config, file, file, buf, len, overrides, n_overrides,
                               where ? &root : NULL, err, errlen);
    free(buf);
    if (rc == 0 && where && !(*where = scn_where_new(root, file))) {
        sc_free(table, config);
        return sim_fail(SIM_ENOMEM, err, errlen, "%s: out of memory", file);
    }
    return status_of(rc);
}

int scn_check_default(const sc_key *table, const sc_key *e, char *err, size_t errlen) {
    sc_ctx c = {table, err, errlen, false, NULL, false, NULL};
    const sc_key *ck = find_key(table, "currency");
    if (ck && ck->type == SC_STRING) {
        c.has_currency = true;
        c.currency = ck->def;
    }
    if (e->def == sc_unset) {
        bool ok = e->type == SC_INT || e->type == SC_DURATION || e->type == SC_MONEY ||
                  e->type == SC_REAL || e->type == SC_SHARE || e->type == SC_DISTANCE ||
                  e->type == SC_SPEED || e->type == SC_RATE;
        return ok ? 0 : fail_plain(err, errlen, "%s: this type cannot be unset", e->path);
    }
    scn *v = NULL;
    if (scn_parse(e->def, strlen(e->def), SCN_DEFAULT, e->path, &v, err, errlen)) return 2;
    if (!v && !(v = scn_new(SCN_SCALAR, SCN_DEFAULT, e->path, "")))
        return fail_plain(err, errlen, "out of memory");
    /* Large enough and aligned for every kind of value a key stores. */
    union {
        sc_list l;
        sc_reals r;
        sc_strings t;
        char *s;
        int64_t i;
        double d;
        bool b;
        int e;
    } tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = load_value(&c, e, e->path, v, (char *)&tmp);
    scn_free(v);
    char *dest = (char *)&tmp;
    if (e->type == SC_STRING) {
        char *s;
        memcpy(&s, dest, sizeof s);
        free(s);
    } else if (e->type == SC_REAL_LIST) {
        free(tmp.r.v);
    } else if (e->type == SC_STRING_LIST) {
        for (size_t i = 0; tmp.t.v && i < tmp.t.n; i++)
            free(tmp.t.v[i]);
        free(tmp.t.v);
    } else if (e->type == SC_LIST) {
        char sub[SC_PATH_MAX];
        snprintf(sub, sizeof sub, "%s[].", e->path);
        for (size_t i = 0; tmp.l.items && i < tmp.l.n; i++)
            free_level(table, sub, (char *)tmp.l.items + i * e->elem_size);
        free(tmp.l.items);
    }
    return rc;
}
