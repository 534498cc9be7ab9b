/* coopsim run: one scenario, its output directory, and the progress line. */
#include "sim/cli/cli.h"

#include "models/run.h"
#include "sim/output.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char cli_usage_run[] =
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

int cli_cmd_run(int argc, char **argv) {
    const char *file = NULL, *outdir = NULL, *seed = NULL;
    bool trips = false, quiet = false;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t n_sets = 0;
    char *seed_set = NULL;
    int rc = 2;
    if (!sets) return 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(cli_usage_run, stdout);
            free(sets);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--seed") == 0 ||
                   strcmp(a, "--set") == 0) {
            if (i + 1 >= argc) {
                rc = cli_usage_error(cli_usage_run, "%s needs a value", a);
                goto done;
            }
            const char *v = argv[++i];
            if (a[1] == 'o' || a[2] == 'o')
                outdir = v;
            else if (strcmp(a, "--seed") == 0)
                seed = v;
            else {
                if (!strchr(v, '=')) {
                    rc = cli_usage_error(cli_usage_run, "--set %s: expected PATH=VALUE", v);
                    goto done;
                }
                sets[n_sets++] = v;
            }
        } else if (strcmp(a, "--trips") == 0) {
            trips = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = cli_usage_error(cli_usage_run, "unknown option '%s'", a);
            goto done;
        } else if (file) {
            rc = cli_usage_error(cli_usage_run, "one scenario file at a time (extra '%s')", a);
            goto done;
        } else {
            file = a;
        }
    }
    if (!file) {
        rc = cli_usage_error(cli_usage_run, "%s", "no scenario file given");
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
    if (cli_load(file, &sc, sets, n_sets) != 0) goto done;

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
        fprintf(stderr, "%s: wrote %s/ in %.2fs\n", cli_prog, outdir, since(&pg.start));
    json_decref(summary);
    sc_free(coop_keys, &sc);
done:
    free(seed_set);
    free(sets);
    return rc;
}
