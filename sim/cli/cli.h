/* What the coopsim program's commands share: messages, help detection, strict loading. */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include "models/scenario.h"

#include <stdbool.h>
#include <stddef.h>

#define ERRLEN 2048

extern const char *const cli_prog;
extern const char cli_usage_run[];

/* Prints "coopsim: <fmt with arg>" and the usage to stderr; returns 2. */
int cli_usage_error(const char *usage, const char *fmt, const char *arg);
bool cli_is_help(const char *arg);

/* Loads and checks a scenario (zeroing sc first); 0, or 2 with the message printed. */
int cli_load(const char *file, coop_scenario *sc, const char *const *sets, size_t n_sets);

int cli_cmd_run(int argc, char **argv);

#endif
