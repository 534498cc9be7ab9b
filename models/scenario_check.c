/* The checks of a whole scenario that no key table can make: the scenario's own, then each
 * model's own check on each platform's sections, with the positions of the offending values. */
#include "models/governance/governance.h"
#include "models/market/market.h"
#include "models/scenario.h"

#include <stdio.h>
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
    sim_status rc = mkt_config_check(sc, w, err, errlen);
    if (rc != SIM_OK) return rc;
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
