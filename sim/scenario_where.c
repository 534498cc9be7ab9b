/* The positions of a loaded scenario's values, kept for the checks that compare one key with
 * another (in each model's own check function), so that their messages say where too. */
#include "sim/scenario.h"
#include "sim/scenario_tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sc_where {
    scn *root;
    char *file; /* owned copy: the tree's file nodes point here */
};

static void repoint(scn *n, const char *file) {
    if (!n) return;
    if (n->origin == SCN_FILE) n->where = file;
    for (size_t i = 0; i < n->n; i++)
        repoint(n->kids[i], file);
}

sc_where *scn_where_new(scn *root, const char *file) {
    sc_where *w = calloc(1, sizeof *w);
    char *copy = strdup(file ? file : "scenario");
    if (!w || !copy) {
        free(w);
        free(copy);
        scn_free(root);
        return NULL;
    }
    w->root = root;
    w->file = copy;
    repoint(root, copy);
    return w;
}

const struct scn *sc_where_tree(const sc_where *w) {
    return w ? w->root : NULL;
}

void sc_where_free(sc_where *w) {
    if (!w) return;
    scn_free(w->root);
    free(w->file);
    free(w);
}

/* The deepest node on the way to "a.b[2].c": the value itself when the scenario wrote it. */
static const scn *lookup(const scn *n, const char *path) {
    const char *p = path;
    while (n && *p) {
        if (*p == '.') p++;
        if (*p == '[') {
            char *end;
            unsigned long i = strtoul(p + 1, &end, 10);
            if (*end != ']' || n->kind != SCN_SEQ || i >= n->n) return n;
            n = n->kids[i];
            p = end + 1;
            continue;
        }
        size_t len = strcspn(p, ".[");
        if (len == 0 || n->kind != SCN_MAP) return n;
        const scn *v = scn_get(n, p, len, NULL);
        if (!v || scn_is_null(v)) return n;
        n = v;
        p += len;
    }
    return n;
}

const char *sc_where_text(const sc_where *w, const char *path) {
    if (!w || !w->root || !path) return NULL;
    /* lookup stops at the deepest node it reached; the value is there only if the path's last
     * step was taken, which a parent's position would not show: look the parent up too */
    const scn *at = lookup(w->root, path);
    if (!at || at->kind != SCN_SCALAR || at == w->root) return NULL;
    const char *dot = strrchr(path, '.'), *br = strrchr(path, '[');
    const char *cut = dot > br ? dot : br;
    if (cut) {
        char parent[512];
        size_t n = (size_t)(cut - path);
        if (n >= sizeof parent) return NULL;
        memcpy(parent, path, n);
        parent[n] = '\0';
        if (lookup(w->root, parent) == at) return NULL;
    }
    return at->text;
}

sim_status sc_fail_at(const sc_where *w, const char *section, const char *key, char *err,
                      size_t errlen, const char *fmt, ...) {
    char path[512], pre[600] = "", msg[1024];
    snprintf(path, sizeof path, "%s%s%s", section ? section : "",
             section && *section && key && *key ? "." : "", key ? key : "");
    const scn *at = w && w->root ? lookup(w->root, path) : NULL;
    if (at) scn_where(at, pre, sizeof pre);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (err && errlen) snprintf(err, errlen, "%s%s: %s", pre, path, msg);
    return SIM_EINPUT;
}
