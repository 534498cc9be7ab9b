/* coopsim: the command-line program. Parses arguments, loads scenarios strictly, runs them
 * and writes the output directory. Exit status: 0 success, 2 bad input, 1 internal failure. */
#include "app/cli.h"

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

/* The commands, in the order help lists them: one table for help and for dispatch. */
typedef struct command {
    const char *name;
    const char *alias;    /* a second spelling that dispatches here (NULL: none) */
    const char *synopsis; /* its line in the main help, e.g. "run FILE [options]" */
    const char *summary;
    const char *usage; /* its full help */
    int (*fn)(int argc, char **argv);
} command;

static const command *find_command(const char *name);

/* The main help, made from the table at start-up. */
static char usage_main[2048];

static const char usage_validate[] =
    "usage: coopsim validate FILE...\n"
    "\n"
    "Loads each scenario strictly and reports every problem as file:line:column.\n"
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

int cli_exit_status(sim_status s) {
    switch (s) {
    case SIM_OK:
        return 0;
    case SIM_EINPUT:
    case SIM_EIO:
        return 2;
    case SIM_ENOMEM:
    case SIM_EINTERNAL:
        break;
    }
    return 1;
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

/* What the key table cannot say: a name that can name a directory, a currency code, and the
 * models' cross-field checks. 0, or 2 with the message in err. */
static int check_loaded(const char *file, const coop_scenario *sc, char *err, size_t errlen) {
    char msg[ERRLEN];
    if (!safe_name(sc->name)) {
        snprintf(err, errlen,
                 "%s: name '%s' cannot name an output directory (use letters, digits, '-', '_' "
                 "and '.', at most 100 characters)",
                 file, sc->name ? sc->name : "");
        return 2;
    }
    if (!valid_currency(sc->currency)) {
        snprintf(err, errlen,
                 "%s: currency '%s' is not an ISO 4217 code (three capital letters, "
                 "e.g. USD, EUR, CAD)",
                 file, sc->currency);
        return 2;
    }
    if (coop_check(sc, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "%s: %s", file, msg);
        return 2;
    }
    return 0;
}

/* Loads and checks a scenario, and reads its sweep (sw may be NULL) from the same parse; 0 or 2
 * with the message already printed. */
int cli_load(const char *file, coop_scenario *sc, const char *const *sets, size_t n_sets,
             exp_sweep *sw) {
    char err[ERRLEN];
    struct scn *tree = NULL;
    memset(sc, 0, sizeof *sc);
    if (sc_load_file_tree(coop_keys, sc, file, sets, n_sets, &tree, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int rc = check_loaded(file, sc, err, sizeof err);
    /* the sweep's own checks (zip lengths, ranges, size) come after the table's */
    exp_sweep scratch;
    if (rc == 0 && exp_sweep_from_tree(tree, sw ? sw : &scratch, err, sizeof err) != 0) rc = 2;
    if (rc == 0 && !sw) exp_sweep_free(&scratch);
    sc_tree_free(tree);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        sc_free(coop_keys, sc);
    }
    return rc;
}

static int cmd_validate(int argc, char **argv) {
    int n = 0, bad = 0;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage_validate, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error(usage_validate, "unknown option '%s'", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        coop_scenario sc;
        n++;
        if (cli_load(argv[i], &sc, NULL, 0, NULL) != 0) {
            bad++;
            continue;
        }
        printf("%s: ok (%s)\n", argv[i], sc.name);
        sc_free(coop_keys, &sc);
    }
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
    const command *c = find_command(argv[0]);
    if (!c) return cli_usage_error(usage_main, "no such command '%s'", argv[0]);
    fputs(c->usage ? c->usage : usage_main, stdout);
    return 0;
}

static const command commands[] = {
    {"run", NULL, "run FILE [options]", "run a scenario and write its output directory",
     cli_usage_run, cli_cmd_run},
    {"plot", NULL, "plot DIR", "(re)make the plots and report.html of a run directory",
     cli_usage_plot, cli_cmd_plot},
    {"validate", NULL, "validate FILE...", "check scenarios without running them", usage_validate,
     cmd_validate},
    {"verify-ledger", NULL, "verify-ledger DIR",
     "re-verify an exported chain (hashes, Merkle roots, balances)", cli_usage_verify_ledger,
     cli_cmd_verify_ledger},
    {"reference", NULL, "reference", "print the reference of every scenario key (Markdown)",
     usage_reference, cmd_reference},
    {"version", "--version", "version", "print the program version", usage_version, cmd_version},
    /* usage NULL: the main help, which the table makes at start-up */
    {"help", "--help", "help [COMMAND]", "show this help, or a command's", NULL, cmd_help},
};
static const size_t n_commands = sizeof commands / sizeof *commands;

static void make_usage_main(void) {
    size_t n = (size_t)snprintf(usage_main, sizeof usage_main,
                                "usage: coopsim COMMAND [ARGS]\n"
                                "\n"
                                "Simulates ride-hailing markets and compares a cooperative's "
                                "rules with a\n"
                                "centralized platform's, under a YAML scenario.\n"
                                "\n"
                                "commands:\n");
    for (size_t i = 0; i < n_commands && n < sizeof usage_main; i++)
        n += (size_t)snprintf(usage_main + n, sizeof usage_main - n, "  %-23s%s\n",
                              commands[i].synopsis, commands[i].summary);
    if (n < sizeof usage_main)
        snprintf(usage_main + n, sizeof usage_main - n,
                 "\nEach command takes --help. Exit status: 0 success, 2 bad input, 1 internal "
                 "error.\n");
}

static const command *find_command(const char *name) {
    for (size_t i = 0; i < n_commands; i++)
        if (strcmp(name, commands[i].name) == 0 ||
            (commands[i].alias && strcmp(name, commands[i].alias) == 0))
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv) {
    make_usage_main();
    if (sodium_init() < 0) {
        fprintf(stderr, "%s: cannot initialise libsodium\n", cli_prog);
        return 1;
    }
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    /* -h is help's second alias */
    const command *c = find_command(strcmp(argv[1], "-h") == 0 ? "help" : argv[1]);
    if (!c) return cli_usage_error(usage_main, "no such command '%s'", argv[1]);
    return c->fn(argc - 2, argv + 2);
}
