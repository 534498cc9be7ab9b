/* Where a loaded value came from, for checks that run after loading (one value against
 * another): the file is parsed again with its overrides, only on the error path. */
#include "sim/output.h"
#include "sim/scenario.h"
#include "sim/scenario_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The node at path ("a.b[2].c") in the tree, or NULL. */
static const scn *walk(const scn *cur, const char *path) {
    const char *s = path;
    while (cur && *s) {
        size_t len = strcspn(s, ".[");
        cur = cur->kind == SCN_MAP ? scn_get(cur, s, len, NULL) : NULL;
        s += len;
        if (cur && *s == '[') {
            char *end;
            unsigned long i = strtoul(s + 1, &end, 10);
            if (*end != ']' || cur->kind != SCN_SEQ || i >= cur->n) return NULL;
            cur = cur->kids[i];
            s = end + 1;
        }
        if (*s == '.') s++;
    }
    return cur;
}

void sc_locate_buffer(const sc_key *table, const char *name, const void *data, size_t size,
                      const char *const *overrides, size_t n_overrides, const char *path, char *out,
                      size_t outlen) {
    char err[256];
    if (!name) name = "scenario";
    snprintf(out, outlen, "%s: %s: ", name, path);
    scn *root = NULL;
    if (data && scn_parse(data, size, SCN_FILE, name, &root, err, sizeof err) == 0 && root &&
        root->kind == SCN_MAP) {
        for (size_t i = 0; i < n_overrides; i++)
            if (overrides[i] && scn_apply_override(table, root, overrides[i], err, sizeof err))
                break;
        const scn *at = walk(root, path);
        if (at) {
            char where[512];
            scn_where(at, where, sizeof where);
            snprintf(out, outlen, "%s%s: ", where, path);
        }
    }
    scn_free(root);
}

void sc_locate(const sc_key *table, const char *file, const char *const *overrides,
               size_t n_overrides, const char *path, char *out, size_t outlen) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = file ? fopen(file, "rb") : NULL;
    if (f) {
        if (out_read_stream(f, SCN_MAX_SIZE, &buf, &len) != OUT_READ_OK) buf = NULL;
        fclose(f);
    }
    sc_locate_buffer(table, file, buf, len, overrides, n_overrides, path, out, outlen);
    free(buf);
}
