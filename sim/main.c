/* coopsim: the command-line program. Parses arguments, loads scenarios strictly, runs them
 * and writes the output directory. Exit status: 0 success, 2 bad input, 1 internal failure. */
#include "sim/cli/cli.h"

#include "models/run.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const cli_prog = "coopsim";

static const char usage_main[] =
    "usage: coopsim COMMAND [ARGS]\n"
    "\n"
    "Simulates ride-hailing markets and compares a cooperative's rules with a\n"
    "centralized platform's, under a YAML scenario.\n"
    "\n"
    "commands:\n"
    "  run FILE [options]     run a scenario and write its output directory\n"
    "  plot DIR               (re)make the plots and report.html of a run directory\n"
    "  validate FILE...       check scenarios without running them\n"
    "  verify-ledger DIR      re-verify an exported chain (hashes, Merkle roots, balances)\n"
    "  reference              print the reference of every scenario key (Markdown)\n"
    "  version                print the program version\n"
    "  help [COMMAND]         show this help, or a command's\n"
    "\n"
    "Each command takes --help. Exit status: 0 success, 2 bad input, 1 internal error.\n";

static const char usage_validate[] =
    "usage: coopsim validate FILE... [--set PATH=VALUE]...\n"
    "\n"
    "Loads each scenario strictly and reports every problem as file:line:column.\n"
    "--set overrides a key in every FILE, as for 'coopsim run'.\n"
    "Exit status 0 when all are valid, 2 otherwise.\n";

static const char usage_reference[] =
    "usage: coopsim reference\n"
    "\n"
    "Prints the Markdown reference of every scenario key: type and unit, default,\n"
    "allowed values and meaning (the source of docs/scenario-reference.md).\n";

static const char usage_version[] = "usage: coopsim version\n\nPrints the program version.\n";

int cli_usage_error(const char *usage, const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", cli_prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return 2;
}

bool cli_is_help(const char *a) {
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* The scenario name becomes a directory: keep it to a safe, portable alphabet. */
static bool safe_name(const char *s) {
    if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strlen(s) > 100) return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static bool valid_currency(const char *s) {
    if (!s || strlen(s) != 3) return false;
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z') return false;
    return true;
}

/* Loads and checks a scenario; 0 or 2 with the message already printed. */
int cli_load(const char *file, coop_scenario *sc, const char *const *sets, size_t n_sets) {
    char err[ERRLEN];
    memset(sc, 0, sizeof *sc);
    if (sc_load_file(coop_keys, sc, file, sets, n_sets, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    if (!safe_name(sc->name)) {
        fprintf(stderr,
                "%s: name '%s' cannot name an output directory (use letters, digits, '-', '_' "
                "and '.', at most 100 characters)\n",
                file, sc->name ? sc->name : "");
        sc_free(coop_keys, sc);
        return 2;
    }
    if (!valid_currency(sc->currency)) {
        fprintf(stderr,
                "%s: currency '%s' is not an ISO 4217 code (three capital letters, "
                "e.g. USD, EUR, CAD)\n",
                file, sc->currency);
        sc_free(coop_keys, sc);
        return 2;
    }
    char path[128], where[1024];
    if (coop_check_values(sc, path, sizeof path, err, sizeof err) != 0) {
        sc_locate(coop_keys, file, sets, n_sets, path, where, sizeof where);
        fprintf(stderr, "%s%s\n", where, err);
        sc_free(coop_keys, sc);
        return 2;
    }
    if (coop_check(sc, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", file, err);
        sc_free(coop_keys, sc);
        return 2;
    }
    return 0;
}

static int cmd_validate(int argc, char **argv) {
    int n = 0, bad = 0;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t n_sets = 0;
    if (!sets) return 1;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage_validate, stdout);
            free(sets);
            return 0;
        }
        if (strcmp(argv[i], "--set") == 0) {
            if (i + 1 >= argc || !strchr(argv[i + 1], '=')) {
                free(sets);
                return cli_usage_error(usage_validate, "%s", "--set needs PATH=VALUE");
            }
            sets[n_sets++] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(sets);
            return cli_usage_error(usage_validate, "unknown option '%s'", argv[i]);
        }
    }
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0) {
            i++;
            continue;
        }
        coop_scenario sc;
        n++;
        if (cli_load(argv[i], &sc, sets, n_sets) != 0) {
            bad++;
            continue;
        }
        printf("%s: ok (%s)\n", argv[i], sc.name);
        sc_free(coop_keys, &sc);
    }
    free(sets);
    if (n == 0) return cli_usage_error(usage_validate, "%s", "no scenario file given");
    return bad ? 2 : 0;
}

static int cmd_reference(int argc, char **argv) {
    if (argc > 0 && cli_is_help(argv[0])) {
        fputs(usage_reference, stdout);
        return 0;
    }
    if (argc > 0) return cli_usage_error(usage_reference, "unexpected argument '%s'", argv[0]);
    fputs("# Scenario reference\n\n"
          "Every key a scenario file may set: its type and unit, its default, the values it\n"
          "allows and what it means. Generated by `coopsim reference` from the table the\n"
          "loader itself uses (models/scenario_keys.c); a test keeps this file in sync.\n"
          "Where the defaults come from is in docs/model.md, docs/platform-rules.md,\n"
          "docs/chain.md and docs/governance.md.\n\n",
          stdout);
    return sc_write_reference(coop_keys, stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_version(int argc, char **argv) {
    if (argc > 0 && cli_is_help(argv[0])) {
        fputs(usage_version, stdout);
        return 0;
    }
    if (argc > 0) return cli_usage_error(usage_version, "unexpected argument '%s'", argv[0]);
    printf("coopsim %s\n", COOPSIM_VERSION);
    return 0;
}

static int cmd_help(int argc, char **argv) {
    if (argc == 0 || cli_is_help(argv[0])) {
        fputs(usage_main, stdout);
        return 0;
    }
    const char *c = argv[0];
    if (strcmp(c, "run") == 0)
        fputs(cli_usage_run, stdout);
    else if (strcmp(c, "plot") == 0)
        fputs(cli_usage_plot, stdout);
    else if (strcmp(c, "validate") == 0)
        fputs(usage_validate, stdout);
    else if (strcmp(c, "verify-ledger") == 0)
        fputs(cli_usage_verify_ledger, stdout);
    else if (strcmp(c, "reference") == 0)
        fputs(usage_reference, stdout);
    else if (strcmp(c, "version") == 0)
        fputs(usage_version, stdout);
    else if (strcmp(c, "help") == 0)
        fputs(usage_main, stdout);
    else
        return cli_usage_error(usage_main, "no such command '%s'", c);
    return 0;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) {
        fprintf(stderr, "%s: cannot initialise libsodium\n", cli_prog);
        return 1;
    }
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *c = argv[1];
    int n = argc - 2;
    char **rest = argv + 2;
    if (strcmp(c, "run") == 0) return cli_cmd_run(n, rest);
    if (strcmp(c, "plot") == 0) return cli_cmd_plot(n, rest);
    if (strcmp(c, "validate") == 0) return cmd_validate(n, rest);
    if (strcmp(c, "verify-ledger") == 0) return cli_cmd_verify_ledger(n, rest);
    if (strcmp(c, "reference") == 0) return cmd_reference(n, rest);
    if (strcmp(c, "version") == 0 || strcmp(c, "--version") == 0) return cmd_version(n, rest);
    if (strcmp(c, "help") == 0 || cli_is_help(c)) return cmd_help(n, rest);
    return cli_usage_error(usage_main, "no such command '%s'", c);
}
