/* Strict scenario loading: YAML -> typed configuration through one table of keys. The same
 * table drives validation, defaults, units, the "did you mean" hints and the generated
 * reference documentation. The loader is generic: the table and the struct it fills belong
 * to the program (see models/scenario.h). */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include "sim/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    SC_BOOL,        /* bool: true/false */
    SC_INT,         /* int64_t: a plain integer */
    SC_REAL,        /* double: a plain number */
    SC_DURATION,    /* int64_t microseconds (sim_time): 250ms 90s 5min 2h 7d (unit required) */
    SC_DISTANCE,    /* double metres: 500m 2.5km (unit required) */
    SC_SPEED,       /* double metres/second: 30km/h 8m/s (unit required) */
    SC_MONEY,       /* int64_t minor units (cents): 12.50 (at most two decimals) */
    SC_RATE,        /* double events per second: "2500 per hour", 40/min, 3/s, 10/day */
    SC_SHARE,       /* double in [0,1]: 25% or 0.25 */
    SC_STRING,      /* char *, owned by the configuration (freed by sc_free) */
    SC_ENUM,        /* int: index into `choices` ("centralized|cooperative") */
    SC_REAL_LIST,   /* sc_reals: a sequence of plain numbers */
    SC_STRING_LIST, /* sc_strings: a sequence of texts, e.g. values in user units [5%, 10%] */
    SC_LIST,        /* sc_list: a sequence of mappings; its keys are the entries "path[].key" */
    SC_MOUNT,       /* not a key: `mount`'s keys, their paths under this path, their offsets
                     * (those not inside a list of the mounted table) plus this offset */
} sc_type;

typedef struct {
    double *v;
    size_t n;
} sc_reals;

typedef struct {
    char **v; /* owned by the configuration (freed by sc_free) */
    size_t n;
} sc_strings;

typedef struct {
    void *items; /* n elements of the key's elem_size bytes each */
    size_t n;
} sc_list;

typedef struct sc_key {
    const char *path; /* "simulation.seed"; keys of list elements: "platforms[].commission" */
    sc_type type;
    size_t offset;       /* offsetof in the root struct, or in the list element for "x[].y" */
    const char *def;     /* default, written as a user would write it; NULL: the key is required */
    const char *min;     /* allowed range in the user's units (inclusive), NULL: unbounded; */
    const char *max;     /*   for SC_LIST and SC_*_LIST: bounds on the element count */
    const char *choices; /* SC_ENUM: allowed words separated by '|' */
    size_t elem_size;    /* SC_LIST: size of one element */
    const char *doc;     /* one line for the reference documentation */
    const struct sc_key *mount; /* SC_MOUNT: another table, ended by a NULL path */
    /* SC_STRING naming a file: a relative name is read against the directory of the scenario
     * file (sc_load_file*; loaded from a buffer it stays relative to the working directory),
     * so that a scenario and its data files move together. Words listed in `choices` (e.g.
     * "generated|none") stand for themselves and are never resolved. */
    bool file;
} sc_key;

/* Default of an optional key whose absence must be told apart from every value it can take
 * (e.g. a scheduled rule change that leaves the other rules alone): `.def = sc_unset`. When the
 * key is absent the loader stores SC_UNSET_INT in an int64 key (SC_INT, SC_DURATION, SC_MONEY)
 * and NaN in a double key (SC_REAL, SC_SHARE, SC_DISTANCE, SC_SPEED, SC_RATE); other types
 * cannot be unset. The reference shows such a default as *unset*. */
extern const char sc_unset[];
#define SC_UNSET_INT INT64_MIN

/* A model owns its keys: a table whose paths are relative to its own section and whose offsets
 * point into its own configuration struct. The program's table mounts it where the section
 * sits, e.g. {.path = "platforms[].ledger", .type = SC_MOUNT, .offset = offsetof(elem, ledger),
 * .mount = ledger_keys}, and "kind" becomes "platforms[].ledger.kind". Every function below
 * accepts tables with mounts; they behave as if the mounted entries were written in place. */

/* An override from the command line: "path=value", e.g. "simulation.seed=7" or
 * "platforms[1].commission=15%". Applied as if the file had that value at that path: it
 * replaces a value or adds a missing key (and its sections); a list element it names must
 * exist in the file. The value is read as YAML, so "[1, 2]" sets a list and "'a: b'" needs
 * the quotes. Errors in it read "--set path=value: what is wrong (what would be valid)".
 *
 * What the loader accepts: one YAML document whose top level is a mapping, at most 16 MiB of
 * UTF-8 text, nested at most 64 levels; anchors are ignored and aliases refused. Lists may
 * nest inside list elements ("a[].b[].c"). A key given with no value (or ~) is an error,
 * except for SC_STRING where it means "". Without min, durations, distances, speeds, rates
 * and money must not be negative; without min/max, shares lie in [0%, 100%]. Money may carry
 * a currency code ("12.50 EUR") only if the table has a top-level `currency` key, and then
 * only that currency's code. */

/* Loads `file` into `config` (which the caller zeroes first). SIM_OK; on error SIM_EINPUT
 * (also for a file that cannot be read: the user names it) with "file:line:column: what is
 * wrong (what would be valid)" in err, or SIM_ENOMEM. The table ends with an entry whose path
 * is NULL. */
sim_status sc_load_file(const sc_key *table, void *config, const char *file,
                        const char *const *overrides, size_t n_overrides, char *err, size_t errlen);

/* Where each value of a loaded scenario was written, kept so that checks the table cannot
 * express (one key against another, in a model's own check function) can say where the
 * offending value is. Paths are written as in --set: "platforms[1].ledger.validators". */
typedef struct sc_where sc_where;

/* sc_load_file that also hands back the positions (*where, freed with sc_where_free; NULL on
 * error). *where keeps its own copy of the file name but points at the override texts, which
 * must outlive it (the program's argv does). */
sim_status sc_load_file_where(const sc_key *table, void *config, const char *file,
                              const char *const *overrides, size_t n_overrides, sc_where **where,
                              char *err, size_t errlen);
void sc_where_free(sc_where *w);

/* The text of the scalar the scenario (or an override) wrote at path ("platforms[0].commission"),
 * or NULL when it left that key to its default or wrote a list or mapping there. */
const char *sc_where_text(const sc_where *w, const char *path);

/* The checked tree of the loaded file behind w (its nodes carry their positions), for code
 * that reads a section further: the sweep of sim/experiment, so that the section is parsed once
 * and checked by the table. Private type of sim/; lives as long as w. */
struct scn;
const struct scn *sc_where_tree(const sc_where *w);

/* Writes "file:line:column: section.key: message" into err and returns SIM_EINPUT. The position is
 * that of the value at section.key, or, when the scenario left it to its default, of the nearest
 * enclosing section it wrote; an override names itself ("--set ...: "). w may be NULL (a
 * configuration built in code): the message then starts at the path. section may be "" for a
 * top-level key. */
sim_status sc_fail_at(const sc_where *w, const char *section, const char *key, char *err,
                      size_t errlen, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The same for a buffer already in memory; `name` stands for the file in messages. */
sim_status sc_load_buffer(const sc_key *table, void *config, const char *name, const void *data,
                          size_t size, const char *const *overrides, size_t n_overrides, char *err,
                          size_t errlen);

/* sc_load_buffer that also hands back the positions, as sc_load_file_where does. */
sim_status sc_load_buffer_where(const sc_key *table, void *config, const char *name,
                                const void *data, size_t size, const char *const *overrides,
                                size_t n_overrides, sc_where **where, char *err, size_t errlen);

/* The number a value written for the key at `path` ("platforms[1].commission", as in --set)
 * stands for, in SI or currency units: durations in s, distances in m, speeds in m/s, rates
 * per s, shares as 0-1, money in currency units (not cents), integers and reals as they are,
 * booleans as 0 or 1. *unit says which ("s", "m", "m/s", "1/s", "share 0-1", "currency
 * units", "number"). `currency` is the scenario's (NULL: none). SIM_OK; SIM_EINPUT for an
 * unknown path, a key that holds no number (text, a choice, a list) or a value that does not
 * parse. */
sim_status sc_value_number(const sc_key *table, const char *path, const char *text,
                           const char *currency, double *value, const char **unit, char *err,
                           size_t errlen);

/* Fills every key whose path starts with prefix ("" for all; "platforms[]." for one element of
 * that list, base then pointing at the element) with its default, as if a scenario gave an
 * empty mapping there; keys without a default are left untouched. Lets code build a
 * configuration from the same defaults a scenario gets. SIM_OK, or SIM_EINPUT with a message.
 * What it allocates (texts, lists) is freed like a loaded configuration's. */
sim_status sc_defaults(const sc_key *table, const char *prefix, void *base, char *err,
                       size_t errlen);

/* Frees what the loader allocated inside config (strings, lists). Safe on a zeroed config. */
void sc_free(const sc_key *table, void *config);

/* Writes the Markdown reference of every key (path, type and unit, default, range, doc).
 * SIM_OK, or SIM_EIO (SIM_EINTERNAL for a malformed table) with a message. */
sim_status sc_write_reference(const sc_key *table, FILE *out, char *err, size_t errlen);

/* Checks the table itself (defaults parse and lie in range, paths well formed). SIM_OK, or
 * SIM_EINTERNAL (a bug in the table) with a message naming the bad entry; meant for a unit
 * test over the program's table. */
sim_status sc_check_table(const sc_key *table, char *err, size_t errlen);

#endif
