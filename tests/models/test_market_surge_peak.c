/* Peak throughput with and without surge (scenarios/teaching/surge-peak.yaml): riders who see the
 * ETA and wait at most 5 minutes, as price-elastic as measured at surge prices, drivers who
 * respond to surge within the day. Between 16:00 and 21:00 the trips served are
 * T = H x u / tau (driver-hours online, share of them with a rider, mean trip time). Without
 * surge nearly every driver is busy at that peak, so surge cannot raise u; it can raise T only
 * through H, the drivers' response, and by less than H rises because the price turns away riders
 * whom the extra hours could carry: 1 < T_surge / T_none < H_surge / H_none. Without the response
 * (H equal) or at a milder peak (demand about 2 times what the fleet serves, where the riders
 * refused for price could have been carried) surge carries fewer (docs/model.md, "Surge at the
 * peak"). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/market/market.h"
#include "models/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PEAK COOPSIM_SOURCE_DIR "/scenarios/teaching/surge-peak.yaml"

typedef struct peak {
    double served, driver_hours;
} peak;

/* Platform i's hours 16-21 from its hourly.csv rows (hour, served and online_drivers by name). */
static peak run_peak(const char *const *over, size_t n, size_t platform) {
    coop_scenario sc;
    char err[1024];
    memset(&sc, 0, sizeof sc);
    if (sc_load_file(coop_keys, &sc, PEAK, over, n, err, sizeof err) != 0) fail_msg("%s", err);
    mkt_world *w = mkt_new(&sc, platform, 0, err, sizeof err);
    if (!w) fail_msg("%s", err);
    assert_int_equal(mkt_run(w, err, sizeof err), 0);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(mkt_write_hourly_csv(w, f, true), 0);
    rewind(f);
    char line[1024];
    assert_non_null(fgets(line, sizeof line, f));
    int c_hour = -1, c_served = -1, c_online = -1, k = 0;
    for (char *t = strtok(line, ",\n"); t; t = strtok(NULL, ",\n"), k++) {
        if (strcmp(t, "hour") == 0) c_hour = k;
        if (strcmp(t, "served") == 0) c_served = k;
        if (strcmp(t, "online_drivers") == 0) c_online = k;
    }
    assert_true(c_hour >= 0 && c_served >= 0 && c_online >= 0);
    peak p = {0, 0};
    while (fgets(line, sizeof line, f)) {
        double v[32];
        k = 0;
        for (char *s = line; k < 32; k++) {
            v[k] = atof(s);
            char *c = strchr(s, ',');
            if (!c) break;
            s = c + 1;
        }
        if (v[c_hour] >= 16 && v[c_hour] < 21) {
            p.served += v[c_served];
            p.driver_hours += v[c_online];
        }
    }
    fclose(f);
    mkt_free(w);
    sc_free(coop_keys, &sc);
    return p;
}

/* The scenario as shipped (seed 4): measured 1,727 against 1,528 (1.13), driver-hours 1.33
 * times; over seeds 1-8 the ratio was 1.04-1.13 and the hours 1.23-1.33. */
static void test_surge_carries_more_at_a_saturated_peak(void **state) {
    (void)state;
    peak none = run_peak(NULL, 0, 0), surge = run_peak(NULL, 0, 1);
    double t = surge.served / none.served, h = surge.driver_hours / none.driver_hours;
    print_message("peak served %.0f vs %.0f (%.3f), driver-hours %.3f\n", surge.served, none.served,
                  t, h);
    assert_true(t > 1.02);
    assert_true(t < h);
    /* without the drivers' response there are no extra hours, and surge carries fewer
     * (measured 0.97) */
    const char *still[] = {"drivers.surge_response=false"};
    peak fixed = run_peak(still, 1, 1);
    assert_true(fixed.driver_hours < 1.02 * none.driver_hours);
    assert_true(fixed.served < none.served);
}

/* Demand at 7,000 a day, a peak about 2 times what the fleet carries: surge carries fewer
 * (measured 1,184 against 1,335, 0.89) although drivers work 21% more hours. */
static void test_surge_carries_fewer_at_a_milder_peak(void **state) {
    (void)state;
    const char *mild[] = {"demand.rate=7000/day"};
    peak none = run_peak(mild, 1, 0), surge = run_peak(mild, 1, 1);
    assert_true(surge.driver_hours > 1.1 * none.driver_hours);
    assert_true(surge.served < 0.97 * none.served);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surge_carries_more_at_a_saturated_peak),
        cmocka_unit_test(test_surge_carries_fewer_at_a_milder_peak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
