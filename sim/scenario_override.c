/* Command-line overrides ("--set simulation.seed=7", "--set platforms[1].commission=15%"):
 * grafted onto the YAML tree so that they are checked exactly like the file's own values. */
#include "sim/scenario.h"
#include "sim/scenario_tree.h"
#include "sim/scenario_units.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

static const sc_key *find_key(const sc_key *t, const char *path) {
    for (; t->path; t++)
        if (!strcmp(t->path, path)) return t;
    return NULL;
}

#define SC_PATH_MAX 256

/* One component of an override path: a word and an optional [index]. */
typedef struct {
    const char *name;
    size_t len;
    bool indexed;
    size_t index;
} sc_comp;

#define SC_MAX_COMPS 16

static int parse_override_path(const char *s, size_t slen, sc_comp *comps, size_t *ncomp,
                               char *canon, size_t canonlen) {
    size_t i = 0, nc = 0, cl = 0;
    while (i < slen) {
        if (nc == SC_MAX_COMPS) return 2;
        sc_comp *k = &comps[nc++];
        k->name = s + i;
        k->len = 0;
        k->indexed = false;
        while (i < slen && s[i] != '.' && s[i] != '[') {
            char ch = s[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
                return 2;
            i++, k->len++;
        }
        if (k->len == 0 || cl + k->len + 4 >= canonlen) return 2;
        memcpy(canon + cl, k->name, k->len);
        cl += k->len;
        if (i < slen && s[i] == '[') {
            i++;
            size_t idx = 0, nd = 0;
            while (i < slen && s[i] >= '0' && s[i] <= '9' && nd < 9)
                idx = idx * 10 + (size_t)(s[i++] - '0'), nd++;
            if (nd == 0 || i >= slen || s[i] != ']') return 2;
            i++;
            k->indexed = true;
            k->index = idx;
            memcpy(canon + cl, "[]", 2);
            cl += 2;
        }
        if (i < slen) {
            if (s[i] != '.' || i + 1 == slen) return 2;
            canon[cl++] = '.';
            i++;
        }
    }
    canon[cl] = '\0';
    *ncomp = nc;
    return nc ? 0 : 2;
}

int scn_apply_override(const sc_key *table, scn *root, const char *s, char *err, size_t errlen) {
    const char *eq = strchr(s, '=');
    if (!eq)
        return fail_plain(err, errlen, "--set %s: expected PATH=VALUE (e.g. simulation.seed=7)", s);
    sc_comp comps[SC_MAX_COMPS];
    size_t nc;
    char canon[SC_PATH_MAX];
    if (parse_override_path(s, (size_t)(eq - s), comps, &nc, canon, sizeof canon))
        return fail_plain(err, errlen,
                          "--set %s: bad key path '%.*s' (write keys separated by dots, list "
                          "elements as [index], e.g. platforms[0].commission)",
                          s, (int)(eq - s), s);
    const sc_key *e = find_key(table, canon);
    if (!e) {
        const char *best = NULL;
        int best_d = 3;
        for (const sc_key *t = table; t->path; t++) {
            int d = scu_distance(canon, strlen(canon), t->path, strlen(t->path));
            if (d < best_d) best_d = d, best = t->path;
        }
        if (best)
            return fail_plain(err, errlen, "--set %s: unknown key '%s' (did you mean '%s'?)", s,
                              canon, best);
        return fail_plain(err, errlen,
                          "--set %s: unknown key '%s' (see the scenario reference for valid keys)",
                          s, canon);
    }
    scn *val = NULL;
    if (scn_parse(eq + 1, strlen(eq + 1), SCN_OVERRIDE, s, &val, err, errlen)) return 2;
    if (!val && !(val = scn_new(SCN_SCALAR, SCN_OVERRIDE, s, "")))
        return fail_plain(err, errlen, "--set %s: out of memory", s);

    scn *cur = root;
    int rc = 0;
    for (size_t k = 0; k < nc && rc == 0; k++) {
        char word[SC_PATH_MAX];
        snprintf(word, sizeof word, "%.*s", (int)comps[k].len, comps[k].name);
        scn *key = NULL;
        scn *v = scn_get(cur, word, comps[k].len, &key);
        if (k + 1 == nc) {
            if (v) {
                for (size_t i = 1; i < cur->n; i += 2)
                    if (cur->kids[i] == v) {
                        scn_free(v);
                        cur->kids[i] = val;
                        return 0;
                    }
            }
            scn *nk = scn_new(SCN_SCALAR, SCN_OVERRIDE, s, word);
            if (!nk || !scn_append(cur, nk)) {
                scn_free(nk);
                break;
            }
            if (!scn_append(cur, val)) {
                /* keep the map's pairs whole: drop the lone key */
                scn_free(cur->kids[--cur->n]);
                break;
            }
            return 0;
        }
        if (comps[k].indexed) {
            if (!v || v->kind != SCN_SEQ) {
                rc = fail_plain(err, errlen,
                                "--set %s: there is no list '%s' to change (an override changes "
                                "elements a list already has; add elements in the file)",
                                s, word);
            } else if (comps[k].index >= v->n) {
                rc = v->n ? fail_plain(err, errlen,
                                       "--set %s: %s has no element [%zu] (it has %zu: use [0] "
                                       "to [%zu])",
                                       s, word, comps[k].index, v->n, v->n - 1)
                          : fail_plain(err, errlen,
                                       "--set %s: %s has no elements (add them in the file)", s,
                                       word);
            } else if (v->kids[comps[k].index]->kind != SCN_MAP) {
                rc = fail_plain(err, errlen,
                                "--set %s: element [%zu] of %s is not a mapping in the file", s,
                                comps[k].index, word);
            } else {
                cur = v->kids[comps[k].index];
            }
            continue;
        }
        if (v && v->kind == SCN_MAP) {
            cur = v;
            continue;
        }
        if (v && !scn_is_null(v)) {
            rc = fail_plain(err, errlen, "--set %s: %s is a %s in the file, not a mapping of keys",
                            s, word, kind_name(v));
            break;
        }
        /* A section made only to hold the override stands where its parent stands: a key it
         * lacks is missing from the file, not from the override. */
        scn *m = scn_new(SCN_MAP, cur->origin, cur->where, NULL);
        if (!m) break;
        m->line = cur->line;
        m->col = cur->col;
        if (v) {
            for (size_t i = 1; i < cur->n; i += 2)
                if (cur->kids[i] == v) {
                    scn_free(v);
                    cur->kids[i] = m;
                }
        } else {
            scn *nk = scn_new(SCN_SCALAR, SCN_OVERRIDE, s, word);
            if (!nk || !scn_append(cur, nk)) {
                scn_free(nk);
                scn_free(m);
                break;
            }
            if (!scn_append(cur, m)) {
                scn_free(m);
                scn_free(cur->kids[--cur->n]);
                break;
            }
        }
        cur = m;
    }
    scn_free(val);
    if (rc == 0) rc = fail_plain(err, errlen, "--set %s: out of memory", s);
    return rc;
}
