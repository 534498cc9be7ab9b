/* Market tests that run one platform's world of a scenario file directly (mkt_new, mkt_run) and
 * read its summary entry or the trips.csv rows it streamed. Include after <cmocka.h>. */
#ifndef TESTS_MODELS_MARKET_WORLD_H
#define TESTS_MODELS_MARKET_WORLD_H

#include "models/market/market.h"
#include "models/scenario.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Loads the file with the overrides and runs platform `platform`'s world to its end. With trips
 * not NULL, *trips is a temporary file holding the world's trips.csv rows (no header), rewound;
 * the caller closes it. The caller frees the world and the scenario. */
static inline mkt_world *mw_run(const char *file, const char *const *over, size_t n,
                                coop_scenario *sc, size_t platform, FILE **trips) {
    char err[1024];
    memset(sc, 0, sizeof *sc);
    if (sc_load_file(coop_keys, sc, file, over, n, err, sizeof err) != 0) fail_msg("%s", err);
    mkt_world *w = mkt_new(sc, platform, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    if (trips) {
        *trips = tmpfile();
        assert_non_null(*trips);
        assert_int_equal(mkt_stream_trips_csv(w, *trips, false), 0);
    }
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    if (trips) rewind(*trips);
    return w;
}

/* The number entry.section.key of a platform's summary entry. */
static inline double mw_num(json_t *entry, const char *section, const char *key) {
    json_t *v = json_object_get(json_object_get(entry, section), key);
    if (!json_is_number(v)) fail_msg("%s.%s is not a number", section, key);
    return json_number_value(v);
}

#endif
