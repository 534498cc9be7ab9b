/* The YAML of a scenario as a small tree with the position of every node, built from
 * libyaml's event stream with the limits that keep hostile input harmless. Private to sim/. */
#ifndef SIM_SCENARIO_TREE_H
#define SIM_SCENARIO_TREE_H

#include "sim/error.h"
#include "sim/scenario.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum { SCN_SCALAR, SCN_MAP, SCN_SEQ } scn_kind;

/* Where a node came from, which decides how messages about it say where. */
typedef enum {
    SCN_FILE,     /* "file:line:column: " */
    SCN_OVERRIDE, /* "--set PATH=VALUE: " */
    SCN_DEFAULT,  /* "default of PATH in the key table: " */
} scn_origin;

typedef struct scn {
    scn_kind kind;
    scn_origin origin;
    const char *where; /* file name, override text or key path (not owned) */
    int line, col;     /* 1-based */
    char *text;        /* scalars: NUL-terminated value */
    size_t len;        /* scalars: length, which differs from strlen if the value holds NUL */
    bool plain;        /* scalars: unquoted, so that "~" and "" mean null */
    struct scn **kids; /* maps: key, value, key, value...; sequences: elements */
    size_t n, cap;
} scn;

#define SCN_MAX_DEPTH 64
#define SCN_MAX_SIZE ((size_t)16 << 20)

/* Parses one YAML document. *root is NULL for an empty stream. Returns 0, or 2 with a full
 * message ("where: what is wrong (what would be valid)") in err. */
int scn_parse(const void *data, size_t size, scn_origin origin, const char *where, scn **root,
              char *err, size_t errlen);

void scn_free(scn *n);

/* A new node with no position of its own (made for an override); NULL when out of memory. */
scn *scn_new(scn_kind kind, scn_origin origin, const char *where, const char *text);

/* Appends a child; returns false when out of memory (the child is then not owned). */
bool scn_append(scn *parent, scn *child);

/* A plain empty, "~" or "null" scalar. */
bool scn_is_null(const scn *n);

/* The value of the first key `name` (of length len) in a map, or NULL; *key gets the key node. */
scn *scn_get(const scn *map, const char *name, size_t len, scn **key);

/* Writes the location prefix of messages about n: "file:3:7: " or "--set a=b: ". */
void scn_where(const scn *n, char *out, size_t outlen);

/* Loads the default of table entry e into scratch space and frees it again: 0 if it parses and
 * lies in range, else 2 with a message (defined in scenario.c, used by sc_check_table). */
struct sc_key;
int scn_check_default(const struct sc_key *table, const struct sc_key *e, char *err, size_t errlen);

/* Applies one "path=value" override to the tree of the file (root, a mapping): replaces the
 * value at that path or adds it. Returns 0, or 2 with "--set path=value: what is wrong". */
int scn_apply_override(const struct sc_key *table, scn *root, const char *s, char *err,
                       size_t errlen);

/* Positions of a loaded tree (sim/scenario_where.c): takes root (and frees it on failure too),
 * copies file and points the tree's file nodes at the copy. NULL when out of memory. */
sc_where *scn_where_new(scn *root, const char *file);

/* A table with its mounts expanded (sim/scenario_mount.c). `table` is what to use: the caller's
 * own table when it has no mount, else `keys`, which the flat table owns with its paths. */
typedef struct scn_flat {
    const sc_key *table;
    sc_key *keys;
    size_t n_owned;
} scn_flat;

/* Expands the mounts of table into f (nothing to free when it has none); SIM_OK, or an error
 * with a message (out of memory, a mount without a table, mounts nested over 8 deep). */
sim_status scn_flatten(const sc_key *table, scn_flat *f, char *err, size_t errlen);
void scn_flat_free(scn_flat *f);

#endif
