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
    {.path = "simulation.warmup", .type = SC_DURATION,
     .offset = offsetof(coop_scenario, simulation.warmup), .def = "0s", .min = "0s",
     .max = "3650d", .doc = "Initial period left out of every metric (the system fills up)"},
    {.path = "sweep.mode", .type = SC_ENUM, .offset = offsetof(coop_scenario, sweep.mode),
     .def = "grid", .choices = "grid|zip",
     .doc = "grid: every combination of the parameters' values; zip: the i-th values together"},
    {.path = "sweep.parameters", .type = SC_LIST,
     .offset = offsetof(coop_scenario, sweep.parameters), .def = "[]", .min = "0", .max = "16",
     .elem_size = sizeof(coop_sweep_param),
     .doc = "Scenario keys varied across runs; empty: no sweep"},
    {.path = "sweep.parameters[].path", .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, path),
     .doc = "Key path to vary, written as for --set, e.g. platforms[1].commission"},
    {.path = "sweep.parameters[].values", .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, values), .def = "",
     .doc = "Values in the key's units separated by commas, e.g. 5%, 10%, 15%"},
    {.path = "sweep.parameters[].from", .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, from), .def = "",
     .doc = "Range instead of values: first value, e.g. 5%"},
    {.path = "sweep.parameters[].to", .type = SC_STRING, .offset = offsetof(coop_sweep_param, to),
     .def = "", .doc = "Range: last value (included when the steps reach it)"},
    {.path = "sweep.parameters[].step", .type = SC_STRING,
     .offset = offsetof(coop_sweep_param, step), .def = "",
     .doc = "Range: increment, in the same unit as from and to"},
    {.path = NULL},
};
