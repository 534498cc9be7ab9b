/* What the files of libcoopsim's API (api/) share: the handles behind include/coopsim.h and
 * the one way a scenario handle loads its configuration (from its file or its text). */
#ifndef API_API_H
#define API_API_H

#include "include/coopsim.h"
#include "models/scenario.h"
#include "sim/error.h"
#include "sim/experiment.h"

#include <stdbool.h>
#include <stddef.h>

struct coopsim_scenario {
    char *file; /* the scenario file, or NULL when loaded from text */
    char *name; /* what messages call a text scenario */
    char *text; /* the text (len bytes), or NULL for a file */
    size_t len;
    char **sets; /* the caller's overrides, copied */
    size_t n_sets;
    char *scenario_name; /* the scenario's own `name` */
    size_t n_runs;
};

struct coopsim_result {
    char *dir;
    size_t n_runs;
    bool experiment; /* per-run tables live under runs/run-NNNNNN/ */
};

/* Loads the handle's scenario with overrides (zeroing sc first); *where as sc_load_file_where
 * (may be NULL). */
sim_status api_load(const coopsim_scenario *h, const char *const *sets, size_t n_sets,
                    coop_scenario *sc, sc_where **where, char *err, size_t errlen);

/* The library status of an API status and back (the values are the same by design). */
int api_status(sim_status s);

/* The largest table the API reads as one text. */
#define API_MAX_TABLE ((size_t)1 << 32)

/* Reads dir/name into *text, *len bytes, NUL-terminated (NULL, SIM_OK, when there is no such
 * file). */
sim_status api_read_file(const char *dir, const char *name, char **text, size_t *len, char *err,
                         size_t errlen);

/* A new copy of s (NULL: out of memory). */
char *api_strdup(const char *s);

#endif
