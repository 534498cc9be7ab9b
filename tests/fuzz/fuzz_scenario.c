/* libFuzzer target: any bytes through the scenario loader with a table of every key type
 * (nested lists included) and a fixed set of overrides; must never crash or leak. */
#include "sim/scenario.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    int64_t at;
    double weight;
} f_stop;

typedef struct {
    char *name;
    double commission;
    int64_t fee;
    int rule;
    sc_list stops;
} f_platform;

typedef struct {
    char *name;
    char *title;
    char *currency;
    struct {
        int64_t seed;
        int64_t duration;
        int64_t replications;
        double warmup;
        bool trace;
    } simulation;
    struct {
        double width;
        double speed;
        double demand;
        double detour;
        sc_reals profile;
    } city;
    int64_t fare;
    int64_t discount;
    int mode;
    sc_list platforms;
} f_cfg;

#define K(path, type, field, def, min, max, choices)                                               \
    { path, type, offsetof(f_cfg, field), def, min, max, choices, 0, path, NULL, false }
#define P(path, type, field, def, min, max, choices)                                               \
    { path, type, offsetof(f_platform, field), def, min, max, choices, 0, path, NULL, false }

static const sc_key keys[] = {
    K("name", SC_STRING, name, NULL, NULL, NULL, NULL),
    K("title", SC_STRING, title, "", NULL, NULL, NULL),
    K("currency", SC_STRING, currency, "EUR", NULL, NULL, NULL),
    K("simulation.seed", SC_INT, simulation.seed, "1", "0", NULL, NULL),
    K("simulation.duration", SC_DURATION, simulation.duration, "1d", "1ms", "3650d", NULL),
    K("simulation.replications", SC_INT, simulation.replications, "1", "1", "1000", NULL),
    K("simulation.warmup", SC_SHARE, simulation.warmup, "10%", NULL, NULL, NULL),
    K("simulation.trace", SC_BOOL, simulation.trace, "false", NULL, NULL, NULL),
    K("city.width", SC_DISTANCE, city.width, "10km", NULL, "1000km", NULL),
    K("city.speed", SC_SPEED, city.speed, "30km/h", "1km/h", NULL, NULL),
    K("city.demand", SC_RATE, city.demand, "2500 per hour", NULL, NULL, NULL),
    K("city.detour", SC_REAL, city.detour, "1.3", "1", "3", NULL),
    K("city.profile", SC_REAL_LIST, city.profile, "[1, 1]", "1", "24", NULL),
    K("fare", SC_MONEY, fare, "12.50", NULL, NULL, NULL),
    K("discount", SC_MONEY, discount, "0", "-5.00", "5", NULL),
    K("mode", SC_ENUM, mode, "cooperative", NULL, NULL, "centralized|cooperative"),
    {"platforms", SC_LIST, offsetof(f_cfg, platforms), NULL, "1", "8", NULL, sizeof(f_platform),
     "platforms", NULL, false},
    P("platforms[].name", SC_STRING, name, NULL, NULL, NULL, NULL),
    P("platforms[].commission", SC_SHARE, commission, "25%", "0%", "100%", NULL),
    P("platforms[].fee", SC_MONEY, fee, "0.50", NULL, NULL, NULL),
    P("platforms[].rule", SC_ENUM, rule, "fixed", NULL, NULL, "fixed|surge"),
    {"platforms[].stops", SC_LIST, offsetof(f_platform, stops), "[]", NULL, "4", NULL,
     sizeof(f_stop), "stops", NULL, false},
    {"platforms[].stops[].at", SC_DURATION, offsetof(f_stop, at), NULL, NULL, NULL, NULL, 0, "at",
     NULL, false},
    {"platforms[].stops[].weight", SC_REAL, offsetof(f_stop, weight), "1", NULL, NULL, NULL, 0, "w",
     NULL, false},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, false},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[512];
    f_cfg c;
    memset(&c, 0, sizeof c);
    /* Odd-sized inputs also go through overrides, which graft nodes onto the parsed tree. */
    static const char *const sets[] = {"simulation.seed=7", "platforms[0].commission=15%",
                                       "city.width=2km"};
    size_t n_sets = size % 2 ? 3 : 0;
    if (sc_load_buffer(keys, &c, "fuzz.yaml", data, size, sets, n_sets, err, sizeof err) == 0)
        sc_free(keys, &c);
    sc_free(keys, &c);
    return 0;
}
