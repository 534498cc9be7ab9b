/* The checks of a whole scenario that no key table can make: the scenario's own (warm-up within
 * the duration, platform names that name distinct directories, a token supply 64-bit sums can
 * count, the lab's controls), then each model's own check on each platform's sections, with the
 * positions of the offending values. */
#include "models/governance/governance.h"
#include "models/ledger/ledger.h"
#include "models/market/market.h"
#include "models/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

bool coop_lab_number(const char *s, double *v, char *unit, size_t unit_len) {
    char *end;
    if (!s || !*s || unit_len == 0) return false;
    *v = strtod(s, &end);
    if (end == s || !isfinite(*v)) return false;
    while (*end == ' ')
        end++;
    if (strlen(end) >= unit_len) return false;
    snprintf(unit, unit_len, "%s", end);
    return true;
}

/* A control's own checks; whether its values suit its key is for the loader to say, which the
 * lab asks at start-up with each end of the range. */
static sim_status lab_check(const coop_scenario *sc, const sc_where *w, char *err, size_t errlen) {
    const coop_lab_control *c = sc->lab.controls.items;
    for (size_t i = 0; i < sc->lab.controls.n; i++) {
        char at[64], u[3][32];
        double v[3];
        snprintf(at, sizeof at, "lab.controls[%zu]", i);
        if (!c[i].key || !*c[i].key || strncmp(c[i].key, "lab.", 4) == 0 ||
            strncmp(c[i].key, "sweep.", 6) == 0 || strcmp(c[i].key, "name") == 0)
            return sc_fail_at(w, at, "key", err, errlen,
                              "'%s' cannot be a control (any scenario key but name, lab.* and "
                              "sweep.*)",
                              c[i].key ? c[i].key : "");
        for (size_t j = 0; j < i; j++)
            if (strcmp(c[j].key, c[i].key) == 0)
                return sc_fail_at(w, at, "key", err, errlen,
                                  "'%s' already has a control (lab.controls[%zu])", c[i].key, j);
        if (c[i].kind == COOP_LAB_SWITCH) {
            if (*c[i].min || *c[i].max || *c[i].step)
                return sc_fail_at(w, at, "kind", err, errlen,
                                  "a switch is on or off: leave out min, max and step");
            continue;
        }
        const char *names[3] = {"min", "max", "step"}, *vals[3] = {c[i].min, c[i].max, c[i].step};
        for (int k = 0; k < 3; k++)
            if (!coop_lab_number(vals[k], &v[k], u[k], sizeof u[k]))
                return sc_fail_at(w, at, names[k], err, errlen,
                                  "'%s' is not a number with an optional unit (e.g. 0%%, 12.50, "
                                  "6000/day)",
                                  vals[k]);
        if (strcmp(u[0], u[1]) != 0 || strcmp(u[0], u[2]) != 0)
            return sc_fail_at(w, at, "max", err, errlen,
                              "min, max and step need one unit (they are '%s', '%s', '%s')", u[0],
                              u[1], u[2]);
        if (!(v[0] < v[1]) || !(v[2] > 0) || (v[1] - v[0]) / v[2] > 10000)
            return sc_fail_at(w, at, "step", err, errlen,
                              "needs min < max and a step above 0 that reaches max in at most "
                              "10000 steps");
    }
    return SIM_OK;
}

/* Present, at most COOP_PLATFORM_NAME_MAX bytes, distinct, and not colliding as ledger-<name>/
 * directories once sanitised ('co op' and 'co/op' both give ledger-co_op/). */
static sim_status check_names(const coop_scenario *sc, const sc_where *w, char *err,
                              size_t errlen) {
    const coop_platform *pe = sc->platforms.items;
    for (size_t i = 0; i < sc->platforms.n; i++) {
        const char *a = pe[i].rules.name ? pe[i].rules.name : "";
        char at[64], da[600], db[600];
        snprintf(at, sizeof at, "platforms[%zu]", i);
        if (!*a)
            return sc_fail_at(w, at, "name", err, errlen,
                              "a platform needs a name (its outputs are named by it)");
        if (strlen(a) > COOP_PLATFORM_NAME_MAX)
            return sc_fail_at(w, at, "name", err, errlen,
                              "%zu bytes; a platform name may have at most %d (it names the "
                              "directory ledger-<name>/ of its exported chain)",
                              strlen(a), COOP_PLATFORM_NAME_MAX);
        ledger_dir_name(a, da, sizeof da);
        for (size_t j = 0; j < i; j++) {
            const char *b = pe[j].rules.name ? pe[j].rules.name : "";
            ledger_dir_name(b, db, sizeof db);
            if (strcmp(a, b) == 0)
                return sc_fail_at(w, at, "name", err, errlen,
                                  "'%s' is also the name of platforms[%zu] (each platform needs a "
                                  "name of its own)",
                                  a, j);
            if (strcmp(da, db) == 0)
                return sc_fail_at(w, at, "name", err, errlen,
                                  "'%s' and platforms[%zu]'s '%s' would share the output "
                                  "directory %s/ (characters other than letters, digits, '-', '_' "
                                  "and '.' become '_'; choose names that differ otherwise)",
                                  a, j, b, da);
        }
    }
    return SIM_OK;
}

/* Every token count of a co-op's governance, added up, must stay below COOP_TOKEN_SUPPLY_MAX:
 * what members hold at the start plus the most drivers could earn (every driver moving at
 * city.speed's upper bound for the whole run). Sums of balances and voting weights then fit
 * in 64 bits. Added in long double so that the check itself cannot overflow. */
static sim_status check_tokens(const coop_scenario *sc, const sc_where *w, char *err,
                               size_t errlen) {
    const coop_platform *pe = sc->platforms.items;
    for (size_t i = 0; i < sc->platforms.n; i++) {
        const gov_config *g = &pe[i].governance;
        if (!g->enabled) continue;
        char at[96];
        long double total = 0;
        const gov_backers *b = g->backers.items;
        for (size_t j = 0; j < g->backers.n; j++) {
            total += (long double)b[j].count * (long double)b[j].tokens;
            snprintf(at, sizeof at, "platforms[%zu].governance.backers[%zu]", i, j);
            if (total > COOP_TOKEN_SUPPLY_MAX)
                return sc_fail_at(w, at, "tokens", err, errlen,
                                  "the backers would hold %.3Lg tokens in all, more than the %.0e "
                                  "a co-op's governance can count",
                                  total, COOP_TOKEN_SUPPLY_MAX);
        }
        total += (long double)g->rider_members * (long double)g->rider_tokens;
        snprintf(at, sizeof at, "platforms[%zu].governance", i);
        if (total > COOP_TOKEN_SUPPLY_MAX)
            return sc_fail_at(w, at, "riders.tokens", err, errlen,
                              "members would hold %.3Lg tokens in all at the start, more than the "
                              "%.0e a co-op's governance can count",
                              total, COOP_TOKEN_SUPPLY_MAX);
        long double km = (long double)sc->simulation.duration / 3.6e9L * 200.0L;
        total += (long double)g->tokens_per_km * km * (long double)sc->drivers.count;
        if (total > COOP_TOKEN_SUPPLY_MAX)
            return sc_fail_at(w, at, "tokens_per_km", err, errlen,
                              "%lld per km could bring the token supply to %.3Lg (%lld drivers at "
                              "up to 200 km/h for simulation.duration), more than the %.0e a "
                              "co-op's governance can count",
                              (long long)g->tokens_per_km, total, (long long)sc->drivers.count,
                              COOP_TOKEN_SUPPLY_MAX);
    }
    return SIM_OK;
}

coop_demand_source coop_demand_kind(const coop_demand *d) {
    if (!d->source || !*d->source || strcmp(d->source, "generated") == 0)
        return COOP_DEMAND_GENERATED;
    return strcmp(d->source, "none") == 0 ? COOP_DEMAND_NONE : COOP_DEMAND_FILE;
}

sim_status coop_check(const coop_scenario *sc, const sc_where *w, char *err, size_t errlen) {
    if (!safe_name(sc->name))
        return sc_fail_at(w, "", "name", err, errlen,
                          "'%s' cannot name an output directory (use letters, digits, '-', '_' "
                          "and '.', at most 100 characters)",
                          sc->name ? sc->name : "");
    if (!valid_currency(sc->currency))
        return sc_fail_at(w, "", "currency", err, errlen,
                          "'%s' is not an ISO 4217 code (three capital letters, e.g. USD, EUR, "
                          "CAD)",
                          sc->currency ? sc->currency : "");
    if (sc->simulation.warmup >= sc->simulation.duration)
        return sc_fail_at(w, "simulation", "warmup", err, errlen,
                          "%gs is not shorter than simulation.duration (%gs): nothing would be "
                          "measured",
                          (double)sc->simulation.warmup / 1e6,
                          (double)sc->simulation.duration / 1e6);
    sim_status rc = mkt_config_check(sc, w, err, errlen);
    if (rc != SIM_OK) return rc;
    if ((rc = check_names(sc, w, err, errlen)) != SIM_OK ||
        (rc = check_tokens(sc, w, err, errlen)) != SIM_OK ||
        (rc = lab_check(sc, w, err, errlen)) != SIM_OK)
        return rc;
    const coop_platform *pe = sc->platforms.items;
    for (size_t i = 0; i < sc->platforms.n; i++) {
        char at[64];
        snprintf(at, sizeof at, "platforms[%zu]", i);
        if ((rc = plat_config_check(&pe[i].rules, w, at, err, errlen)) != SIM_OK) return rc;
        snprintf(at, sizeof at, "platforms[%zu].ledger", i);
        if ((rc = ledger_config_check(&pe[i].ledger, w, at, err, errlen)) != SIM_OK) return rc;
        snprintf(at, sizeof at, "platforms[%zu].governance", i);
        if (pe[i].governance.enabled && pe[i].rules.kind != PLAT_COOPERATIVE)
            return sc_fail_at(w, at, "enabled", err, errlen,
                              "needs a cooperative (members vote on the co-op's rules); this "
                              "platform is centralized");
        if ((rc = gov_config_check(&pe[i].governance, w, at, err, errlen)) != SIM_OK) return rc;
    }
    return SIM_OK;
}
