/* Sweeps: reads a scenario's `sweep` section from the tree the strict loader has checked (one
 * parse: the key table validates the section, and the tree keeps the position of every path
 * and value, so that a wrong path or value is reported where it was written), and turns
 * points into the same overrides --set gives (the loader then checks them like any other). */
#include "sim/experiment.h"
#include "sim/output.h"
#include "sim/scenario_tree.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes "where: what" into err; SIM_EINPUT, the sweep being the user's. */
static sim_status failf(char *err, size_t errlen, const scn *at, const char *fmt, ...) {
    char pre[512] = "";
    if (at) scn_where(at, pre, sizeof pre);
    size_t n = strlen(pre);
    if (n < errlen) snprintf(err, errlen, "%s", pre);
    va_list ap;
    va_start(ap, fmt);
    if (n < errlen) vsnprintf(err + n, errlen - n, fmt, ap);
    va_end(ap);
    return SIM_EINPUT;
}

/* "file:3:7" without the trailing ": ". */
static char *where_of(const scn *n) {
    char buf[600];
    scn_where(n, buf, sizeof buf);
    size_t l = strlen(buf);
    if (l >= 2 && buf[l - 2] == ':' && buf[l - 1] == ' ') buf[l - 2] = '\0';
    return strdup(buf);
}

static sim_status add_value(exp_param *p, char *text, const scn *at, char *err, size_t errlen) {
    char **v = realloc(p->values, (p->n_values + 1) * sizeof *v);
    if (v) p->values = v;
    char **w = realloc(p->value_where, (p->n_values + 1) * sizeof *w);
    if (w) p->value_where = w;
    char *loc = where_of(at);
    if (!v || !w || !text || !loc) {
        free(text);
        free(loc);
        failf(err, errlen, at, "out of memory");
        return SIM_ENOMEM;
    }
    p->values[p->n_values] = text;
    p->value_where[p->n_values] = loc;
    p->n_values++;
    return 0;
}

/* A number followed by a unit suffix: "12.5%", "90s", "7". */
static int split_number(const char *s, double *x, const char **unit, int *decimals) {
    while (*s == ' ')
        s++;
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    if (end == s || errno || !isfinite(*x)) return -1;
    const char *dot = memchr(s, '.', (size_t)(end - s));
    *decimals = dot ? (int)(end - dot - 1) : 0;
    if (memchr(s, 'e', (size_t)(end - s)) || memchr(s, 'E', (size_t)(end - s))) *decimals = 6;
    while (*end == ' ')
        end++;
    *unit = end;
    return 0;
}

size_t exp_range(const char *from, const char *to, const char *step, char ***values, char *err,
                 size_t errlen) {
    double a, b, h;
    const char *ua, *ub, *uh;
    int da, db, dh;
    *values = NULL;
    if (split_number(from, &a, &ua, &da) || split_number(to, &b, &ub, &db) ||
        split_number(step, &h, &uh, &dh)) {
        snprintf(err, errlen,
                 "a range needs numbers with an optional unit: from '%s' to '%s' step '%s' "
                 "(e.g. from: 5%%, to: 30%%, step: 5%%)",
                 from, to, step);
        return 0;
    }
    if (strcmp(ua, ub) != 0 || (*uh && strcmp(ua, uh) != 0)) {
        snprintf(err, errlen, "from '%s', to '%s' and step '%s' must be written in the same unit",
                 from, to, step);
        return 0;
    }
    if (h == 0 || (b - a) / h < -1e-9) {
        snprintf(err, errlen, "step '%s' never goes from '%s' to '%s'", step, from, to);
        return 0;
    }
    double steps = floor((b - a) / h + 1e-9);
    if (steps + 1 > EXP_MAX_RANGE) {
        snprintf(err, errlen, "the range from '%s' to '%s' by '%s' has more than %d values", from,
                 to, step, EXP_MAX_RANGE);
        return 0;
    }
    size_t n = (size_t)steps + 1;
    int dec = da > dh ? da : dh;
    char **v = calloc(n, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char buf[128];
        double x = a + (double)i * h;
        if (fabs(x) < 0.5 * pow(10, -dec)) x = 0; /* no "-0" */
        snprintf(buf, sizeof buf, "%.*f%s", dec, x, ua);
        if (!(v[i] = strdup(buf))) {
            for (size_t j = 0; j < i; j++)
                free(v[j]);
            free(v);
            snprintf(err, errlen, "out of memory");
            return 0;
        }
    }
    *values = v;
    return n;
}

static const scn *scalar_of(const scn *map, const char *key, scn **k) {
    const scn *v = scn_get(map, key, strlen(key), k);
    return v && v->kind == SCN_SCALAR && !scn_is_null(v) ? v : NULL;
}

static sim_status read_param(exp_param *p, const scn *m, const char *key_where, char *err,
                             size_t errlen) {
    scn *pk = NULL;
    const scn *path = scalar_of(m, "path", &pk);
    if (!path) return failf(err, errlen, m, "a sweep parameter needs a path (%s)", key_where);
    if (!(p->path = strdup(path->text)) || !(p->where = where_of(path)))
        return failf(err, errlen, path, "out of memory");
    const scn *values = scn_get(m, "values", 6, NULL);
    if (values && scn_is_null(values)) values = NULL;
    const scn *from = scalar_of(m, "from", NULL), *to = scalar_of(m, "to", NULL),
              *step = scalar_of(m, "step", NULL);
    if (values && (from || to || step))
        return failf(err, errlen, values, "give %s either values or from/to/step, not both",
                     p->path);
    if (values && values->kind == SCN_SEQ) {
        if (values->n == 0) return failf(err, errlen, values, "no values for %s", p->path);
        for (size_t i = 0; i < values->n; i++) {
            const scn *x = values->kids[i];
            if (x->kind != SCN_SCALAR || scn_is_null(x))
                return failf(err, errlen, x, "expected a value for %s", p->path);
            sim_status rc = add_value(p, strdup(x->text), x, err, errlen);
            if (rc != SIM_OK) return rc;
        }
        return 0;
    }
    if (values) return failf(err, errlen, values, "expected a list of values for %s", p->path);
    if (!from || !to || !step)
        return failf(err, errlen, path,
                     "%s needs values (e.g. values: [5%%, 10%%]) or a range with from, to and "
                     "step",
                     p->path);
    char **v = NULL, msg[512];
    size_t n = exp_range(from->text, to->text, step->text, &v, msg, sizeof msg);
    if (n == 0) return failf(err, errlen, from, "%s", msg);
    sim_status rc = SIM_OK;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            rc = add_value(p, v[i], from, err, errlen);
        else
            free(v[i]);
    }
    free(v);
    return rc;
}

sim_status exp_sweep_from_tree(const struct scn *root, exp_sweep *sw, char *err, size_t errlen) {
    sim_status rc = SIM_OK;
    memset(sw, 0, sizeof *sw);
    sw->n_points = 1;
    const scn *s = root && root->kind == SCN_MAP ? scn_get(root, "sweep", 5, NULL) : NULL;
    const scn *mode = s && s->kind == SCN_MAP ? scalar_of(s, "mode", NULL) : NULL;
    const scn *ps = s && s->kind == SCN_MAP ? scn_get(s, "parameters", 10, NULL) : NULL;
    if (mode && strcmp(mode->text, "zip") == 0) sw->mode = EXP_ZIP;
    if (!ps || ps->kind != SCN_SEQ || ps->n == 0)
        return 0; /* nothing to vary; the strict loader reports a malformed section */
    if (!(sw->params = calloc(ps->n, sizeof *sw->params)))
        return failf(err, errlen, ps, "out of memory");
    sw->n_params = ps->n;
    char ctx[64];
    for (size_t i = 0; i < ps->n && rc == 0; i++) {
        snprintf(ctx, sizeof ctx, "sweep.parameters[%zu]", i);
        if (ps->kids[i]->kind != SCN_MAP)
            rc = failf(err, errlen, ps->kids[i], "expected path and values for %s", ctx);
        else
            rc = read_param(&sw->params[i], ps->kids[i], ctx, err, errlen);
    }
    size_t points = 1;
    for (size_t i = 0; i < sw->n_params && rc == 0; i++) {
        exp_param *p = &sw->params[i];
        if (strncmp(p->path, "sweep.", 6) == 0 || strcmp(p->path, "sweep") == 0) {
            rc = failf(err, errlen, ps->kids[i], "a sweep cannot vary its own keys (%s)", p->path);
        } else if (sw->mode == EXP_ZIP) {
            if (i > 0 && p->n_values != sw->params[0].n_values)
                rc = failf(err, errlen, ps->kids[i],
                           "zip sweep: %s has %zu values but %s has %zu (zip pairs the i-th "
                           "values, so all need as many; or use mode: grid)",
                           p->path, p->n_values, sw->params[0].path, sw->params[0].n_values);
            points = sw->params[0].n_values;
        } else {
            if (points > EXP_MAX_POINTS / p->n_values)
                rc = failf(err, errlen, ps, "the sweep has more than %d points", EXP_MAX_POINTS);
            else
                points *= p->n_values;
        }
    }
    if (rc) {
        exp_sweep_free(sw);
        return rc;
    }
    sw->n_points = points;
    return 0;
}

void exp_sweep_free(exp_sweep *sw) {
    for (size_t i = 0; sw->params && i < sw->n_params; i++) {
        exp_param *p = &sw->params[i];
        for (size_t j = 0; j < p->n_values; j++) {
            free(p->values[j]);
            free(p->value_where[j]);
        }
        free(p->values);
        free(p->value_where);
        free(p->path);
        free(p->where);
    }
    free(sw->params);
    memset(sw, 0, sizeof *sw);
    sw->n_points = 1;
}

size_t exp_sweep_index(const exp_sweep *sw, size_t p, size_t k) {
    if (sw->mode == EXP_ZIP) return p;
    size_t stride = 1;
    for (size_t i = sw->n_params; i-- > k + 1;)
        stride *= sw->params[i].n_values;
    return p / stride % sw->params[k].n_values;
}

char *exp_sweep_override(const exp_sweep *sw, size_t p, size_t k) {
    const exp_param *q = &sw->params[k];
    const char *v = q->values[exp_sweep_index(sw, p, k)];
    size_t n = strlen(q->path) + strlen(v) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s=%s", q->path, v);
    return s;
}

/* Loader messages about an override's path rather than its value. */
static bool about_path(const char *what) {
    static const char *const words[] = {"unknown key",      "bad key path",
                                        "there is no list", "has no element",
                                        "is not a mapping", "not a mapping of keys"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(what, words[i])) return true;
    return false;
}

void exp_sweep_locate(const exp_sweep *sw, size_t p, const char *msg, char *out, size_t outlen) {
    for (size_t k = 0; k < sw->n_params; k++) {
        char *ov = exp_sweep_override(sw, p, k);
        if (!ov) break;
        size_t n = strlen(ov);
        bool hit = strncmp(msg, "--set ", 6) == 0 && strncmp(msg + 6, ov, n) == 0 &&
                   strncmp(msg + 6 + n, ": ", 2) == 0;
        free(ov);
        if (!hit) continue;
        const char *what = msg + 6 + n + 2;
        const exp_param *q = &sw->params[k];
        const char *where = about_path(what) ? q->where : q->value_where[exp_sweep_index(sw, p, k)];
        snprintf(out, outlen, "%s: sweep parameter %s: %s", where, q->path, what);
        return;
    }
    snprintf(out, outlen, "%s", msg);
}
