/* Checks of a loaded scenario that the key table cannot state: one value against another
 * (warm-up within the duration, the speed profile within city.speed's range), every element of
 * a profile, and platform names that must name distinct output directories. Each failure names
 * the value's path so that the program can say where it is (sc_locate). */
#include "models/run.h"

#include "models/governance/governance.h"
#include "models/ledger/ledger.h"
#include "models/platform/platform.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* city.speed's range in the key table, m/s. */
#define SPEED_MIN (1.0 / 3.6)
#define SPEED_MAX (200.0 / 3.6)

typedef struct {
    char *path, *err;
    size_t pathlen, errlen;
} where;

/* Names the value (path, or path[i] when i >= 0) and says what is wrong with it. */
static int bad(const where *w, const char *p, long i, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(const where *w, const char *p, long i, const char *fmt, ...) {
    if (i >= 0)
        snprintf(w->path, w->pathlen, "%s[%ld]", p, i);
    else
        snprintf(w->path, w->pathlen, "%s", p);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->errlen, fmt, ap);
    va_end(ap);
    return 2;
}

/* 24 hourly weights, each in [0, COOP_PROFILE_MAX] and not all 0; or none. */
static int check_weights(const where *w, const sc_reals *r, const char *p) {
    if (r->n != 0 && r->n != 24)
        return bad(w, p, -1, "%zu values; it needs 24 (one per hour) or none", r->n);
    double sum = 0;
    for (size_t h = 0; h < r->n; h++) {
        if (!(r->v[h] >= 0 && r->v[h] <= COOP_PROFILE_MAX))
            return bad(w, p, (long)h, "%g is not an hourly weight (0 to %g)", r->v[h],
                       COOP_PROFILE_MAX);
        sum += r->v[h];
    }
    if (r->n && !(sum > 0))
        return bad(w, p, -1, "all 24 weights are 0 (at least one hour needs a positive one)");
    return 0;
}

static int check_speed_profile(const where *w, const coop_city *c) {
    const sc_reals *sp = &c->speed_profile;
    if (sp->n != 0 && sp->n != 24)
        return bad(w, "city.speed_profile", -1, "%zu values; it needs 24 (one per hour) or none",
                   sp->n);
    /* the product must stay in city.speed's own range (a little slack for rounding) */
    double lo = SPEED_MIN / c->speed, hi = SPEED_MAX / c->speed;
    for (size_t h = 0; h < sp->n; h++)
        if (!(sp->v[h] >= lo * (1 - 1e-9) && sp->v[h] <= hi * (1 + 1e-9)))
            return bad(w, "city.speed_profile", (long)h,
                       "multiplier %g takes the speed outside city.speed's range of 1-200 km/h "
                       "(with city.speed %g km/h: %.4g to %.4g)",
                       sp->v[h], c->speed * 3.6, lo, hi);
    return 0;
}

/* Every token count of a co-op's governance, added up, must stay below COOP_TOKEN_SUPPLY_MAX:
 * what members hold at the start plus the most drivers could earn (every driver moving at
 * city.speed's upper bound for the whole run). Sums of balances and voting weights then fit
 * in 64 bits. Added in long double so that the check itself cannot overflow. */
static int check_tokens(const where *w, const coop_scenario *sc) {
    const plat_config *pc = sc->platforms.items;
    for (size_t i = 0; i < sc->platforms.n; i++) {
        const gov_config *g = &pc[i].governance;
        if (!g->enabled) continue;
        char p[96];
        long double total = 0;
        const gov_backers *b = g->backers.items;
        for (size_t j = 0; j < g->backers.n; j++) {
            total += (long double)b[j].count * (long double)b[j].tokens;
            snprintf(p, sizeof p, "platforms[%zu].governance.backers[%zu].tokens", i, j);
            if (total > COOP_TOKEN_SUPPLY_MAX)
                return bad(w, p, -1,
                           "the backers would hold %.3Lg tokens in all, more than the %.0e a "
                           "co-op's governance can count",
                           total, COOP_TOKEN_SUPPLY_MAX);
        }
        total += (long double)g->rider_members * (long double)g->rider_tokens;
        snprintf(p, sizeof p, "platforms[%zu].governance.riders.tokens", i);
        if (total > COOP_TOKEN_SUPPLY_MAX)
            return bad(w, p, -1,
                       "members would hold %.3Lg tokens in all at the start, more than the %.0e a "
                       "co-op's governance can count",
                       total, COOP_TOKEN_SUPPLY_MAX);
        long double km = (long double)sc->simulation.duration / 3.6e9L * 200.0L;
        total += (long double)g->tokens_per_km * km * (long double)sc->drivers.count;
        snprintf(p, sizeof p, "platforms[%zu].governance.tokens_per_km", i);
        if (total > COOP_TOKEN_SUPPLY_MAX)
            return bad(w, p, -1,
                       "%lld per km could bring the token supply to %.3Lg (%lld drivers at up to "
                       "200 km/h for simulation.duration), more than the %.0e a co-op's "
                       "governance can count",
                       (long long)g->tokens_per_km, total, (long long)sc->drivers.count,
                       COOP_TOKEN_SUPPLY_MAX);
    }
    return 0;
}

static int check_names(const where *w, const coop_scenario *sc) {
    const plat_config *pc = sc->platforms.items;
    for (size_t i = 0; i < sc->platforms.n; i++) {
        const char *a = pc[i].name ? pc[i].name : "";
        char p[64], da[600], db[600];
        snprintf(p, sizeof p, "platforms[%zu].name", i);
        if (!*a) return bad(w, p, -1, "a platform needs a name (its outputs are named by it)");
        if (strlen(a) > COOP_PLATFORM_NAME_MAX)
            return bad(w, p, -1,
                       "%zu bytes; a platform name may have at most %d (it names the "
                       "directory ledger-<name>/ of its exported chain)",
                       strlen(a), COOP_PLATFORM_NAME_MAX);
        ledger_dir_name(a, da, sizeof da);
        for (size_t j = 0; j < i; j++) {
            const char *b = pc[j].name ? pc[j].name : "";
            ledger_dir_name(b, db, sizeof db);
            if (strcmp(a, b) == 0)
                return bad(w, p, -1,
                           "'%s' is also the name of platforms[%zu] (each platform needs a "
                           "name of its own)",
                           a, j);
            if (strcmp(da, db) == 0)
                return bad(w, p, -1,
                           "'%s' and platforms[%zu]'s '%s' would share the output directory %s/ "
                           "(characters other than letters, digits, '-', '_' and '.' become "
                           "'_'; choose names that differ otherwise)",
                           a, j, b, da);
        }
    }
    return 0;
}

int coop_check_values(const coop_scenario *sc, char *path, size_t pathlen, char *err,
                      size_t errlen) {
    where w = {path, err, pathlen, errlen};
    const coop_simulation *sm = &sc->simulation;
    if (sm->warmup >= sm->duration)
        return bad(&w, "simulation.warmup", -1,
                   "%gs is not shorter than simulation.duration (%gs): nothing would be measured",
                   (double)sm->warmup / 1e6, (double)sm->duration / 1e6);
    int rc;
    if ((rc = check_weights(&w, &sc->demand.profile, "demand.profile")) ||
        (rc = check_weights(&w, &sc->drivers.shift_start_profile, "drivers.shift_start_profile")) ||
        (rc = check_speed_profile(&w, &sc->city)))
        return rc;
    if ((rc = check_tokens(&w, sc)) != 0) return rc;
    return check_names(&w, sc);
}
