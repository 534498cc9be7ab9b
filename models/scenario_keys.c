/* The table of every scenario key: path, type and unit, default, range, one-line doc. It
 * drives validation, defaults and docs/scenario-reference.md. */
#include "models/scenario.h"

#include <stddef.h>

#define K(path_, type_, field_, def_, min_, max_, doc_)                                            \
    {.path = (path_), .type = (type_), .offset = offsetof(coop_scenario, field_), .def = (def_),    \
     .min = (min_), .max = (max_), .doc = (doc_)}

const sc_key coop_keys[] = {
    K("name", SC_STRING, name, NULL, NULL, NULL,
      "Short name of the scenario: letters, digits, '-', '_' and '.'; the default output "
      "directory is results/<name>/"),
    K("title", SC_STRING, title, "", NULL, NULL, "Title shown in reports"),
    K("currency", SC_STRING, currency, "USD", NULL, NULL,
      "ISO 4217 code of the currency every money value is written in"),
    K("simulation.seed", SC_INT, simulation.seed, "1", "0", "9223372036854775807",
      "Master seed; every random stream is derived from it, the replication and its name"),
    K("simulation.duration", SC_DURATION, simulation.duration, "1d", "1s", "3650d",
      "Simulated time of one run"),
    K("simulation.replications", SC_INT, simulation.replications, "1", "1", "100000",
      "Independent replications of the run"),
    {.path = NULL},
};
