/* libFuzzer target: any bytes as --set overrides (one per line) of a small scenario under the
 * program's own key table, then the checks made after loading (each model's) and the memory
 * estimate; must never crash or leak. */
#include "models/run.h"
#include "models/scenario.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char scenario[] =
    "name: fuzz\n"
    "simulation: {duration: 1h, warmup: 10min}\n"
    "city: {speed: 20km/h}\n"
    "demand:\n  profile: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    "platforms:\n"
    "  - {name: corp, kind: centralized}\n"
    "  - name: coop\n    kind: cooperative\n"
    "    ledger: {kind: chain, consensus: bft, nodes: 8, validators: 4}\n"
    "    governance: {enabled: true, backers: [{count: 2, tokens: 100}]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4096) return 0;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *sets[8];
    size_t n = 0;
    for (char *line = text; line && n < 8;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (*line) sets[n++] = line;
        line = nl ? nl + 1 : NULL;
    }
    coop_scenario sc;
    memset(&sc, 0, sizeof sc);
    char err[1024];
    if (sc_load_buffer(coop_keys, &sc, "fuzz.yaml", scenario, sizeof scenario - 1, sets, n, err,
                       sizeof err) == 0) {
        (void)coop_check(&sc, NULL, err, sizeof err);
        coop_estimate e;
        coop_estimate_run(&sc, 1, &e);
    }
    sc_free(coop_keys, &sc);
    free(text);
    return 0;
}
