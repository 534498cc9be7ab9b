/* coopsim: the command-line program. Parses arguments, loads scenarios strictly, runs them
 * and writes the output directory. Exit status: 0 success, 2 bad input, 1 internal failure. */
#include "models/run.h"
#include "models/scenario.h"
#include "sim/engine.h"
#include "sim/output.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ERRLEN 2048

static const char *prog = "coopsim";

static const char usage_main[] =
    "usage: coopsim COMMAND [ARGS]\n"
    "\n"
    "Simulates ride-hailing markets and compares a cooperative's rules with a\n"
    "centralized platform's, under a YAML scenario.\n"
    "\n"
    "commands:\n"
    "  run FILE [options]     run a scenario and write its output directory\n"
    "  validate FILE...       check scenarios without running them\n"
    "  reference              print the reference of every scenario key (Markdown)\n"
    "  version                print the program version\n"
    "  help [COMMAND]         show this help, or a command's\n"
    "\n"
    "Each command takes --help. Exit status: 0 success, 2 bad input, 1 internal error.\n";

static const char usage_run[] =
    "usage: coopsim run FILE [-o DIR] [--seed N] [--set PATH=VALUE]... [--trips] [--quiet]\n"
    "\n"
    "Runs the scenario in FILE and writes DIR/summary.json and the CSV tables.\n"
    "\n"
    "  -o, --output DIR     output directory (default: results/<scenario name>)\n"
    "  --seed N             master seed; same as --set simulation.seed=N\n"
    "  --set PATH=VALUE     override one scenario key, e.g. --set simulation.duration=2h\n"
    "                       or --set 'platforms[1].commission=15%' (repeatable)\n"
    "  --trips              also write trips.csv (one row per trip)\n"
    "  -q, --quiet          no progress line\n";

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

static int usage_error(const char *usage, const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return 2;
}

static bool is_help(const char *a) {
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
static int load(const char *file, coop_scenario *sc, const char *const *sets, size_t n_sets) {
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
    return 0;
}

/* ---- progress line ---------------------------------------------------------------------- */

typedef struct progress {
    bool enabled;
    struct timespec start;   /* wall time the run started */
    struct timespec engine0; /* wall time the current engine started */
    double last_print;
    sim_time end;
    int engine_index;
    bool printed;
} progress;

static double since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void progress_hook(sim *s, void *ctx) {
    progress *p = ctx;
    double wall = since(&p->start);
    if (wall < 1.0 || wall - p->last_print < 0.25) return;
    p->last_print = wall;
    double t = (double)sim_now(s), end = (double)p->end;
    double frac = end > 0 ? t / end : 1.0;
    if (frac > 1) frac = 1;
    double ew = since(&p->engine0);
    double eps = ew > 0 ? (double)sim_events_executed(s) / ew : 0;
    double left = frac > 0 ? ew * (1 - frac) / frac : 0;
    long secs = (long)(t / 1e6);
    fprintf(
        stderr,
        "\r  world %d: simulated %ldd %02ld:%02ld:%02ld  %5.1f%%  %.2g events/s  ~%.0fs left   ",
        p->engine_index, secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60, 100 * frac, eps,
        left);
    p->printed = true;
}

static void on_engine(sim *s, sim_time end, void *ctx) {
    progress *p = ctx;
    p->engine_index++;
    p->end = end;
    clock_gettime(CLOCK_MONOTONIC, &p->engine0);
    if (p->enabled) sim_set_hook(s, progress_hook, p, 1u << 16);
}

/* ---- commands --------------------------------------------------------------------------- */

static int cmd_run(int argc, char **argv) {
    const char *file = NULL, *outdir = NULL, *seed = NULL;
    bool trips = false, quiet = false;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t n_sets = 0;
    char *seed_set = NULL;
    int rc = 2;
    if (!sets) return 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(usage_run, stdout);
            free(sets);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--seed") == 0 ||
                   strcmp(a, "--set") == 0) {
            if (i + 1 >= argc) {
                rc = usage_error(usage_run, "%s needs a value", a);
                goto done;
            }
            const char *v = argv[++i];
            if (a[1] == 'o' || a[2] == 'o')
                outdir = v;
            else if (strcmp(a, "--seed") == 0)
                seed = v;
            else {
                if (!strchr(v, '=')) {
                    rc = usage_error(usage_run, "--set %s: expected PATH=VALUE", v);
                    goto done;
                }
                sets[n_sets++] = v;
            }
        } else if (strcmp(a, "--trips") == 0) {
            trips = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = usage_error(usage_run, "unknown option '%s'", a);
            goto done;
        } else if (file) {
            rc = usage_error(usage_run, "one scenario file at a time (extra '%s')", a);
            goto done;
        } else {
            file = a;
        }
    }
    if (!file) {
        rc = usage_error(usage_run, "%s", "no scenario file given");
        goto done;
    }
    if (seed) {
        size_t n = strlen(seed) + 32;
        seed_set = malloc(n);
        if (!seed_set) {
            rc = 1;
            goto done;
        }
        snprintf(seed_set, n, "simulation.seed=%s", seed);
        sets[n_sets++] = seed_set;
    }

    coop_scenario sc;
    if (load(file, &sc, sets, n_sets) != 0) goto done;

    char err[ERRLEN], hex[65];
    char defdir[160];
    if (!outdir) {
        snprintf(defdir, sizeof defdir, "results/%s", sc.name);
        outdir = defdir;
    }
    json_t *summary = json_object();
    json_t *overrides = json_array();
    if (!summary || !overrides) {
        json_decref(summary);
        json_decref(overrides);
        sc_free(coop_keys, &sc);
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < n_sets; i++)
        json_array_append_new(overrides, json_string(sets[i]));
    rc = out_sha256_file(file, hex, err, sizeof err);
    if (rc == 0) rc = out_mkdirs(outdir, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        json_decref(summary);
        json_decref(overrides);
        sc_free(coop_keys, &sc);
        goto done;
    }
    json_object_set_new(summary, "scenario", json_string(sc.name));
    json_object_set_new(summary, "title", json_string(sc.title ? sc.title : ""));
    json_object_set_new(summary, "scenario_file", json_string(file));
    json_object_set_new(summary, "scenario_sha256", json_string(hex));
    json_object_set_new(summary, "overrides", overrides);
    json_object_set_new(summary, "coopsim_version", json_string(COOPSIM_VERSION));
    json_object_set_new(summary, "seed", json_integer(sc.simulation.seed));
    json_object_set_new(summary, "replication", json_integer(0));
    json_object_set_new(summary, "currency", json_string(sc.currency));
    json_object_set_new(summary, "duration_s",
                        json_real((double)sc.simulation.duration / (double)SIM_SEC));

    progress pg = {.enabled = !quiet && isatty(STDERR_FILENO)};
    clock_gettime(CLOCK_MONOTONIC, &pg.start);
    coop_run_opts opts = {
        .outdir = outdir, .replication = 0, .trips_csv = trips, .on_engine = on_engine, .ctx = &pg};
    rc = coop_run(&sc, &opts, summary, err, sizeof err);
    if (pg.printed) fputs("\r\033[K", stderr);
    if (rc == 0) rc = out_write_json(outdir, "summary.json", summary, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    else if (!quiet)
        fprintf(stderr, "%s: wrote %s/ in %.2fs\n", prog, outdir, since(&pg.start));
    json_decref(summary);
    sc_free(coop_keys, &sc);
done:
    free(seed_set);
    free(sets);
    return rc;
}

static int cmd_validate(int argc, char **argv) {
    int n = 0, bad = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(usage_validate, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage_error(usage_validate, "unknown option '%s'", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        coop_scenario sc;
        n++;
        if (load(argv[i], &sc, NULL, 0) != 0) {
            bad++;
            continue;
        }
        printf("%s: ok (%s)\n", argv[i], sc.name);
        sc_free(coop_keys, &sc);
    }
    if (n == 0) return usage_error(usage_validate, "%s", "no scenario file given");
    return bad ? 2 : 0;
}

static int cmd_reference(int argc, char **argv) {
    if (argc > 0 && is_help(argv[0])) {
        fputs(usage_reference, stdout);
        return 0;
    }
    if (argc > 0) return usage_error(usage_reference, "unexpected argument '%s'", argv[0]);
    return sc_write_reference(coop_keys, stdout) == 0 && fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_version(int argc, char **argv) {
    if (argc > 0 && is_help(argv[0])) {
        fputs(usage_version, stdout);
        return 0;
    }
    if (argc > 0) return usage_error(usage_version, "unexpected argument '%s'", argv[0]);
    printf("coopsim %s\n", COOPSIM_VERSION);
    return 0;
}

static int cmd_help(int argc, char **argv) {
    if (argc == 0 || is_help(argv[0])) {
        fputs(usage_main, stdout);
        return 0;
    }
    const char *c = argv[0];
    if (strcmp(c, "run") == 0)
        fputs(usage_run, stdout);
    else if (strcmp(c, "validate") == 0)
        fputs(usage_validate, stdout);
    else if (strcmp(c, "reference") == 0)
        fputs(usage_reference, stdout);
    else if (strcmp(c, "version") == 0)
        fputs(usage_version, stdout);
    else if (strcmp(c, "help") == 0)
        fputs(usage_main, stdout);
    else
        return usage_error(usage_main, "no such command '%s'", c);
    return 0;
}

int main(int argc, char **argv) {
    if (sodium_init() < 0) {
        fprintf(stderr, "%s: cannot initialise libsodium\n", prog);
        return 1;
    }
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *c = argv[1];
    int n = argc - 2;
    char **rest = argv + 2;
    if (strcmp(c, "run") == 0) return cmd_run(n, rest);
    if (strcmp(c, "validate") == 0) return cmd_validate(n, rest);
    if (strcmp(c, "reference") == 0) return cmd_reference(n, rest);
    if (strcmp(c, "version") == 0 || strcmp(c, "--version") == 0) return cmd_version(n, rest);
    if (strcmp(c, "help") == 0 || is_help(c)) return cmd_help(n, rest);
    return usage_error(usage_main, "no such command '%s'", c);
}
