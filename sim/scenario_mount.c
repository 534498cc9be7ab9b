/* Tables with mounts made flat: a model's table of keys, written relative to its own section,
 * placed where the program's table mounts it. Every public loader function flattens first. */
#include "sim/error.h"
#include "sim/scenario_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Entries a table stands for once flat (its mounts expanded), without the end marker. */
static size_t count_flat(const sc_key *t, int depth) {
    size_t n = 0;
    for (; t->path; t++)
        n +=
            t->type == SC_MOUNT ? (depth < 8 && t->mount ? count_flat(t->mount, depth + 1) : 0) : 1;
    return n;
}

static bool has_mount(const sc_key *t) {
    for (; t->path; t++)
        if (t->type == SC_MOUNT) return true;
    return false;
}

typedef struct {
    scn_flat *f;
    size_t n;
    char *err;
    size_t errlen;
} flat_ctx;

/* Appends t's entries under prefix ("" or "a[].b."), adding base to the offsets that are
 * relative to the mount point (those of keys not inside a list of the mounted table). */
static sim_status expand(flat_ctx *c, const sc_key *t, const char *prefix, size_t base, int depth) {
    if (depth >= 8)
        return sim_fail(SIM_EINTERNAL, c->err, c->errlen, "key table: mounts nested too deep");
    for (; t->path; t++) {
        size_t len = strlen(prefix) + strlen(t->path) + 2;
        char *path = malloc(len);
        if (!path) return sim_fail(SIM_ENOMEM, c->err, c->errlen, "out of memory");
        snprintf(path, len, "%s%s", prefix, t->path);
        bool relative = strchr(t->path, '[') == NULL;
        if (t->type == SC_MOUNT) {
            if (!t->mount) {
                free(path);
                return sim_fail(SIM_EINTERNAL, c->err, c->errlen,
                                "key table: mount %s has no table", t->path);
            }
            strcat(path, ".");
            sim_status rc =
                expand(c, t->mount, path, relative ? base + t->offset : t->offset, depth + 1);
            free(path);
            if (rc != SIM_OK) return rc;
            continue;
        }
        sc_key *k = &c->f->keys[c->n++];
        *k = *t;
        k->path = path;
        if (relative) k->offset = base + t->offset;
    }
    return SIM_OK;
}

sim_status scn_flatten(const sc_key *table, scn_flat *f, char *err, size_t errlen) {
    memset(f, 0, sizeof *f);
    f->table = table;
    if (!table || !has_mount(table)) return SIM_OK;
    size_t n = count_flat(table, 0);
    f->keys = calloc(n + 1, sizeof *f->keys);
    if (!f->keys) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    flat_ctx c = {f, 0, err, errlen};
    sim_status rc = expand(&c, table, "", 0, 0);
    f->n_owned = c.n;
    if (rc != SIM_OK) {
        scn_flat_free(f);
        return rc;
    }
    f->keys[c.n].path = NULL;
    f->table = f->keys;
    return SIM_OK;
}

void scn_flat_free(scn_flat *f) {
    if (!f->keys) return;
    for (size_t i = 0; i < f->n_owned; i++)
        free((char *)f->keys[i].path);
    free(f->keys);
    memset(f, 0, sizeof *f);
}
