/* coopsim: the command-line program. Parses arguments, loads scenarios strictly, runs them
 * and writes the output directory. Exit status: 0 success, 2 bad input, 1 internal failure. */
#include "app/cli.h"

#include "models/run.h"
#include "models/schema/schema.h"

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
    "usage: coopsim validate FILE... [--set PATH=VALUE]...\n"
    "\n"
    "Loads each scenario strictly and reports every problem as file:line:column.\n"
    "--set overrides a key in every FILE, as for 'coopsim run'.\n"
    "Exit status 0 when all are valid, 2 otherwise.\n";

static const char usage_reference[] =
    "usage: coopsim reference [--outputs]\n"
    "\n"
    "Prints the Markdown reference of every scenario key: type and unit, default,\n"
    "allowed values and meaning (the source of docs/scenario-reference.md).\n"
    "With --outputs, the reference of every file a run writes, each CSV column and\n"
    "each summary.json key with its unit and meaning (docs/output-reference.md).\n";

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

/* Loads and checks a scenario, and reads its sweep (sw may be NULL) from the same parse; 0 or 2
 * with the message already printed. */
int cli_load(const char *file, coop_scenario *sc, const char *const *sets, size_t n_sets,
             exp_sweep *sw) {
    char err[ERRLEN];
    memset(sc, 0, sizeof *sc);
    sc_where *w = NULL;
    if (sc_load_file_where(coop_keys, sc, file, sets, n_sets, &w, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    sim_status rc = coop_check(sc, w, err, sizeof err);
    /* the sweep's own checks (zip lengths, ranges, size) come after the models' */
    exp_sweep scratch;
    if (rc == SIM_OK &&
        exp_sweep_from_tree(sc_where_tree(w), sw ? sw : &scratch, err, sizeof err) != 0)
        rc = SIM_EINPUT;
    if (rc == SIM_OK && !sw) exp_sweep_free(&scratch);
    sc_where_free(w);
    if (rc != SIM_OK) {
        fprintf(stderr, "%s\n", err);
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
        if (cli_load(argv[i], &sc, sets, n_sets, NULL) != 0) {
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
    if (argc == 1 && strcmp(argv[0], "--outputs") == 0)
        return schema_write_reference(stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
    if (argc > 0) return cli_usage_error(usage_reference, "unexpected argument '%s'", argv[0]);
    fputs("# Scenario reference\n\n"
          "Every key a scenario file may set: its type and unit, its default, the values it\n"
          "allows and what it means. Generated by `coopsim reference` from the table the\n"
          "loader itself uses (models/scenario_keys.c, which mounts each model's own table:\n"
          "models/platform/platform_keys.c, models/ledger/ledger_keys.c and\n"
          "models/governance/governance_keys.c); a test keeps this file in sync.\n"
          "Where the defaults come from is in docs/model.md, docs/platform-rules.md,\n"
          "docs/chain.md and docs/governance.md.\n\n",
          stdout);
    char err[ERRLEN];
    sim_status st = sc_write_reference(coop_keys, stdout, err, sizeof err);
    if (st == SIM_OK && fflush(stdout) != 0)
        st = sim_fail(SIM_EIO, err, sizeof err, "cannot write the reference");
    if (st != SIM_OK) fprintf(stderr, "%s: %s\n", cli_prog, err);
    return st == SIM_OK ? 0 : 1;
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
    {"compare", NULL, "compare DIR...",
     "headline metrics of runs side by side, with intervals and differences", cli_usage_compare,
     cli_cmd_compare},
    {"lab", NULL, "lab FILE [--port N]",
     "serve a classroom page: move a control, see the scenario rerun", cli_usage_lab, cli_cmd_lab},
    {"validate", NULL, "validate FILE...", "check scenarios without running them", usage_validate,
     cmd_validate},
    {"verify-ledger", NULL, "verify-ledger DIR",
     "re-verify an exported chain (hashes, Merkle roots, balances)", cli_usage_verify_ledger,
     cli_cmd_verify_ledger},
    {"reference", NULL, "reference [--outputs]",
     "print every scenario key, or (--outputs) every output column (Markdown)", usage_reference,
     cmd_reference},
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
