/* libcoopsim: loading and checking a scenario (file or text) with overrides, as the program's
 * validate does, every sweep point included. */
#include "api/api.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(COOPSIM_EINPUT == (int)SIM_EINPUT && COOPSIM_EIO == (int)SIM_EIO &&
                   COOPSIM_ENOMEM == (int)SIM_ENOMEM && COOPSIM_EINTERNAL == (int)SIM_EINTERNAL,
               "coopsim_status mirrors sim_status");

int api_status(sim_status s) {
    return (int)s;
}

char *api_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

const char *coopsim_version(void) {
    return COOPSIM_VERSION;
}

const char *coopsim_status_name(int status) {
    return status == COOPSIM_ECANCELLED ? "cancelled" : sim_status_name((sim_status)status);
}

void coopsim_free(void *p) {
    free(p);
}

sim_status api_load(const coopsim_scenario *h, const char *const *sets, size_t n_sets,
                    coop_scenario *sc, sc_where **where, char *err, size_t errlen) {
    memset(sc, 0, sizeof *sc);
    if (h->file)
        return sc_load_file_where(coop_keys, sc, h->file, sets, n_sets, where, err, errlen);
    return sc_load_buffer_where(coop_keys, sc, h->name, h->text, h->len, sets, n_sets, where, err,
                                errlen);
}

/* The base overrides followed by point p's, in new strings (*n of them); NULL: no memory. */
static char **point_sets(const coopsim_scenario *h, const exp_sweep *sw, size_t p, size_t *n) {
    char **s = calloc(h->n_sets + sw->n_params + 1, sizeof *s);
    if (!s) return NULL;
    *n = 0;
    for (size_t i = 0; i < h->n_sets; i++)
        if (!(s[(*n)++] = api_strdup(h->sets[i]))) goto fail;
    for (size_t k = 0; k < sw->n_params; k++)
        if (!(s[(*n)++] = exp_sweep_override(sw, p, k))) goto fail;
    return s;
fail:
    for (size_t i = 0; i < *n; i++)
        free(s[i]);
    free(s);
    return NULL;
}

/* Loads and checks every sweep point as a run would and counts the runs; a point's bad value
 * is reported at its place in the sweep section. */
static sim_status count_runs(coopsim_scenario *h, const exp_sweep *sw, char *err, size_t errlen) {
    char msg[2048];
    h->n_runs = 0;
    for (size_t p = 0; p < sw->n_points; p++) {
        size_t n = 0;
        char **s = point_sets(h, sw, p, &n);
        if (!s) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        coop_scenario sc;
        sc_where *w = NULL;
        sim_status rc = api_load(h, (const char *const *)s, n, &sc, &w, msg, sizeof msg);
        if (rc == SIM_OK) rc = coop_check(&sc, w, msg, sizeof msg);
        if (rc == SIM_OK) h->n_runs += (size_t)sc.simulation.replications;
        sc_where_free(w);
        sc_free(coop_keys, &sc);
        for (size_t i = 0; i < n; i++)
            free(s[i]);
        free(s);
        if (rc != SIM_OK) {
            exp_sweep_locate(sw, p, msg, err, errlen);
            return rc;
        }
    }
    return SIM_OK;
}

/* The checks of `coopsim validate`: the loader's, the models' cross-field ones, the sweep's. */
static sim_status check(coopsim_scenario *h, char *err, size_t errlen) {
    coop_scenario sc;
    sc_where *w = NULL;
    exp_sweep sw = {.n_points = 1};
    sim_status rc = api_load(h, (const char *const *)h->sets, h->n_sets, &sc, &w, err, errlen);
    if (rc == SIM_OK) rc = coop_check(&sc, w, err, errlen);
    if (rc == SIM_OK) rc = exp_sweep_from_tree(sc_where_tree(w), &sw, err, errlen);
    if (rc == SIM_OK && !(h->scenario_name = api_strdup(sc.name ? sc.name : "")))
        rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    if (rc == SIM_OK) rc = count_runs(h, &sw, err, errlen);
    exp_sweep_free(&sw);
    sc_where_free(w);
    sc_free(coop_keys, &sc);
    return rc;
}

static int load(coopsim_scenario *h, const char *const *sets, size_t n_sets, coopsim_scenario **out,
                char *err, size_t errlen) {
    sim_status rc = SIM_OK;
    if (sodium_init() < 0) rc = sim_fail(SIM_EINTERNAL, err, errlen, "cannot initialise libsodium");
    if (rc == SIM_OK && n_sets > 0 && !sets)
        rc = sim_fail(SIM_EINPUT, err, errlen, "%zu overrides but no array of them", n_sets);
    if (rc == SIM_OK && n_sets > 0 && !(h->sets = calloc(n_sets, sizeof *h->sets)))
        rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    for (size_t i = 0; rc == SIM_OK && i < n_sets; i++) {
        if (!sets[i] || !strchr(sets[i], '='))
            rc = sim_fail(SIM_EINPUT, err, errlen, "override %zu (%s): expected PATH=VALUE", i,
                          sets[i] ? sets[i] : "NULL");
        else if (strncmp(sets[i], "sweep.", 6) == 0)
            rc = sim_fail(SIM_EINPUT, err, errlen,
                          "override %s: the sweep section is read from the scenario only", sets[i]);
        else if (!(h->sets[h->n_sets++] = api_strdup(sets[i])))
            rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    if (rc == SIM_OK) rc = check(h, err, errlen);
    if (rc != SIM_OK) {
        coopsim_scenario_free(h);
        return api_status(rc);
    }
    *out = h;
    return COOPSIM_OK;
}

int coopsim_load_file(const char *path, const char *const *sets, size_t n_sets,
                      coopsim_scenario **out, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!out) return sim_fail(SIM_EINPUT, err, errlen, "no place for the scenario handle");
    *out = NULL;
    if (!path) return sim_fail(SIM_EINPUT, err, errlen, "no scenario file given");
    coopsim_scenario *h = calloc(1, sizeof *h);
    if (!h || !(h->file = api_strdup(path))) {
        free(h);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    return load(h, sets, n_sets, out, err, errlen);
}

int coopsim_load_string(const char *name, const char *text, size_t len, const char *const *sets,
                        size_t n_sets, coopsim_scenario **out, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!out) return sim_fail(SIM_EINPUT, err, errlen, "no place for the scenario handle");
    *out = NULL;
    if (!text && len > 0) return sim_fail(SIM_EINPUT, err, errlen, "no scenario text given");
    coopsim_scenario *h = calloc(1, sizeof *h);
    if (!h || !(h->name = api_strdup(name ? name : "scenario")) || !(h->text = malloc(len + 1))) {
        coopsim_scenario_free(h);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    if (len) memcpy(h->text, text, len);
    h->text[len] = '\0';
    h->len = len;
    return load(h, sets, n_sets, out, err, errlen);
}

void coopsim_scenario_free(coopsim_scenario *h) {
    if (!h) return;
    for (size_t i = 0; i < h->n_sets; i++)
        free(h->sets[i]);
    free(h->sets);
    free(h->file);
    free(h->name);
    free(h->text);
    free(h->scenario_name);
    free(h);
}

const char *coopsim_scenario_name(const coopsim_scenario *h) {
    return h && h->scenario_name ? h->scenario_name : "";
}

size_t coopsim_scenario_runs(const coopsim_scenario *h) {
    return h ? h->n_runs : 0;
}
