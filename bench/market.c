/* Market benchmark: wall time of a flagship day (both platforms, outputs included), a New
 * York day with its peak memory, and the cost per request from 10^4 to 10^6 requests a day.
 * usage: market [SOURCE_DIR] [--quick]   (SOURCE_DIR holds scenarios/; default ".") */
#include "models/market/market.h"
#include "models/run.h"
#include "models/scenario.h"
#include "sim/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, int n) {
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static int load(coop_scenario *sc, const char *dir, const char *file, const char *const *over,
                size_t n_over) {
    char path[1024], err[2048];
    snprintf(path, sizeof path, "%s/scenarios/%s", dir, file);
    memset(sc, 0, sizeof *sc);
    if (sc_load_file(coop_keys, sc, path, over, n_over, err, sizeof err) != 0) {
        fprintf(stderr, "market: %s\n", err);
        return -1;
    }
    return 0;
}

/* A whole run as the program does it: every platform, summary and CSV tables. */
static double full_run(const coop_scenario *sc, const char *outdir) {
    char err[2048];
    json_t *summary = json_object();
    coop_run_opts opts = {.outdir = outdir};
    double t0 = now_s();
    int rc = coop_run(sc, &opts, summary, err, sizeof err);
    double t = now_s() - t0;
    json_decref(summary);
    if (rc != 0) {
        fprintf(stderr, "market: %s\n", err);
        return -1;
    }
    return t;
}

/* One platform's world only, for the cost per request. */
static double world_run(const coop_scenario *sc, int64_t *requests) {
    char err[2048];
    double t0 = now_s();
    mkt_world *w = mkt_new(sc, 0, 0, err, sizeof err);
    if (!w || mkt_run(w, err, sizeof err) != 0) {
        fprintf(stderr, "market: %s\n", err);
        mkt_free(w);
        return -1;
    }
    double t = now_s() - t0;
    mkt_rider_stats st;
    mkt_rider_summary(w, &st);
    *requests = st.requests;
    mkt_free(w);
    return t;
}

static double peak_rss_mib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux reports KiB */
}

int main(int argc, char **argv) {
    const char *dir = ".";
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else
            dir = argv[i];
    }
    char outdir[256], err[1024];
    snprintf(outdir, sizeof outdir, "/tmp/coopsim-bench-market-%ld", (long)getpid());
    if (out_mkdirs(outdir, err, sizeof err) != 0) {
        fprintf(stderr, "market: %s\n", err);
        return 1;
    }
    coop_scenario sc;
    enum { RUNS = 5 };
    double t[RUNS];

    if (load(&sc, dir, "flagship.yaml", NULL, 0) != 0) return 1;
    for (int r = 0; r < RUNS; r++)
        if ((t[r] = full_run(&sc, outdir)) < 0) return 1;
    printf("flagship day (%zu platforms, outputs included): median %.3f s of %d runs "
           "(target <= 1 s)\n",
           sc.platforms.n, median(t, RUNS), RUNS);
    sc_free(coop_keys, &sc);

    /* Cost per request: the flagship city with demand and drivers scaled together (4,000
     * drivers per 60,000 requests a day, as in scenarios/flagship.yaml). */
    const double rates[] = {1e4, 1e5, 1e6};
    for (size_t k = 0; k < (quick ? 2u : 3u); k++) {
        char rate[64], drivers[64];
        snprintf(rate, sizeof rate, "demand.rate=%.0f/day", rates[k]);
        snprintf(drivers, sizeof drivers, "drivers.count=%.0f", 4000.0 * rates[k] / 60000.0);
        const char *over[] = {rate, drivers};
        if (load(&sc, dir, "flagship.yaml", over, 2) != 0) return 1;
        int runs = k < 2 ? RUNS : 3;
        double per[RUNS];
        int64_t n = 0;
        for (int r = 0; r < runs; r++) {
            double s = world_run(&sc, &n);
            if (s < 0) return 1;
            per[r] = s / (double)n * 1e6;
        }
        printf("cost per request at %.0e requests/day (%s): median %.2f us (%lld requests)\n",
               rates[k], drivers, median(per, runs), (long long)n);
        sc_free(coop_keys, &sc);
    }

    if (!quick) {
        if (load(&sc, dir, "nyc.yaml", NULL, 0) != 0) return 1;
        double tn = full_run(&sc, outdir);
        if (tn < 0) return 1;
        printf("nyc day (%zu platforms, outputs included): %.2f s, peak RSS %.0f MiB "
               "(target <= 20 s, <= 4096 MiB)\n",
               sc.platforms.n, tn, peak_rss_mib());
        sc_free(coop_keys, &sc);
    }
    const char *names[] = {"drivers.csv", "hourly.csv"};
    for (size_t i = 0; i < 2; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", outdir, names[i]);
        unlink(p);
    }
    rmdir(outdir);
    return 0;
}
