/* libFuzzer target: any bytes as a trip file and its zones file (two bytes give the length of
 * the zones file, the rest is the trips), checked whole as `validate` does; must never crash,
 * leak, hang or read a line past the reader's bound. */
#include "models/market/tripfile.h"
#include "models/scenario.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char trips[64], zones[64];
static coop_scenario sc;
static bool ready;

static void setup(void) {
    snprintf(trips, sizeof trips, "/tmp/fuzz-trips-%ld.csv", (long)getpid());
    snprintf(zones, sizeof zones, "/tmp/fuzz-zones-%ld.csv", (long)getpid());
    char yaml[512], err[512];
    snprintf(yaml, sizeof yaml,
             "name: fuzz\ncity: {width: 5km, height: 4km}\n"
             "demand: {source: %s, zones: %s}\nplatforms:\n  - {name: p, kind: centralized}\n",
             trips, zones);
    if (sc_load_buffer(coop_keys, &sc, "fuzz", yaml, strlen(yaml), NULL, 0, err, sizeof err))
        abort();
    ready = true;
}

static void put(const char *path, const uint8_t *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (n) fwrite(p, 1, n, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!ready) setup();
    if (size < 2) return 0;
    size_t k = ((size_t)data[0] | (size_t)data[1] << 8) % (size - 1);
    put(zones, data + 2, k);
    put(trips, data + 2 + k, size - 2 - k);
    mkt_tripfile_stats st;
    char err[2048];
    (void)mkt_tripfile_check(&sc, &st, err, sizeof err);
    return 0;
}
