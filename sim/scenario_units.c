/* Parsing of scenario values written in user units: the one place that knows what "90s",
 * "12.50 EUR", "2500 per hour" and "25%" mean and what to say when a value is not valid. */
#include "sim/scenario_units.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_S 1e6

static int say(char *msg, size_t msglen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return 2;
}

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

static const char *skip_space(const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A plain decimal number: [+-]digits[.digits][e[+-]digits]. No hex, inf or nan: strtod alone
 * would accept those. Returns the end of the number, or NULL if there is none. */
static const char *scan_number(const char *s, double *v) {
    const char *p = s;
    size_t digits = 0;
    if (*p == '+' || *p == '-') p++;
    while (is_digit(*p))
        p++, digits++;
    if (*p == '.') {
        p++;
        while (is_digit(*p))
            p++, digits++;
    }
    if (digits == 0) return NULL;
    if ((*p == 'e' || *p == 'E') &&
        (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') && is_digit(p[2])))) {
        p += 2;
        while (is_digit(*p))
            p++;
    }
    char buf[128];
    size_t n = (size_t)(p - s);
    if (n >= sizeof buf) return NULL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    *v = strtod(buf, NULL);
    if (!isfinite(*v)) return NULL;
    return p;
}

/* Whole text is one number, possibly with surrounding blanks. */
static bool whole_number(const char *text, double *v) {
    const char *end = scan_number(skip_space(text), v);
    return end && *skip_space(end) == '\0';
}

static bool word_is(const char *s, size_t n, const char *w) {
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* Seconds in one unit of time, 0 if the word is no unit of time. */
static double time_unit(const char *s, size_t n, bool plain_units) {
    static const struct {
        const char *w;
        double sec;
    } u[] = {{"ms", 1e-3},   {"s", 1},    {"sec", 1},     {"second", 1}, {"min", 60},
             {"minute", 60}, {"h", 3600}, {"hour", 3600}, {"d", 86400},  {"day", 86400}};
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        if (plain_units && strlen(u[i].w) > 3 && strcmp(u[i].w, "min") != 0) continue;
        if (word_is(s, n, u[i].w)) return u[i].sec;
    }
    return 0;
}

static int parse_int(const char *text, const char *path, scu_value *out, char *msg, size_t msglen) {
    const char *p = skip_space(text);
    const char *start = p;
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if (!is_digit(*p)) goto bad;
    uint64_t v = 0;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    while (is_digit(*p)) {
        unsigned d = (unsigned)(*p++ - '0');
        if (v > (limit - d) / 10)
            return say(msg, msglen, "integer '%s' is too large for %s (allowed: %s)", text, path,
                       neg ? "at least -9223372036854775808" : "at most 9223372036854775807");
        v = v * 10 + d;
    }
    if (*skip_space(p) != '\0') goto bad;
    (void)start;
    out->i = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
bad:
    return say(msg, msglen, "bad integer '%s' for %s (write a whole number, e.g. 42)", text, path);
}

static int parse_money(const char *text, const char *path, bool has_currency, const char *currency,
                       scu_value *out, char *msg, size_t msglen) {
    const char *p = skip_space(text);
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if (!is_digit(*p)) goto bad;
    int64_t whole = 0;
    while (is_digit(*p)) {
        int d = *p++ - '0';
        if (whole > (INT64_MAX / 100 - d) / 10)
            return say(msg, msglen, "amount '%s' is too large for %s", text, path);
        whole = whole * 10 + d;
    }
    int64_t cents = 0;
    if (*p == '.') {
        p++;
        int nd = 0;
        while (is_digit(*p)) {
            if (++nd > 2)
                return say(msg, msglen,
                           "amount '%s' for %s has more than two decimals (write e.g. 12.50)", text,
                           path);
            cents = cents * 10 + (*p++ - '0');
        }
        if (nd == 0) goto bad;
        if (nd == 1) cents *= 10;
    }
    const char *q = skip_space(p);
    if (*q != '\0') {
        size_t n = 0;
        while (q[n] >= 'A' && q[n] <= 'Z')
            n++;
        if (n != 3 || *skip_space(q + n) != '\0') goto bad;
        if (!has_currency)
            return say(msg, msglen,
                       "currency code in '%s' for %s, but this scenario names no currency "
                       "(write the amount alone, e.g. 12.50)",
                       text, path);
        if (!currency || strlen(currency) != 3 || memcmp(currency, q, 3) != 0)
            return say(msg, msglen,
                       "currency '%.3s' in '%s' for %s does not match the scenario's currency "
                       "'%s' (write the amount alone or with %s)",
                       q, text, path, currency ? currency : "", currency ? currency : "");
    }
    int64_t v = whole * 100 + cents;
    out->i = neg ? -v : v;
    return 0;
bad:
    return say(msg, msglen,
               "bad amount '%s' for %s (write an amount with at most two decimals, e.g. 12.50%s%s)",
               text, path, has_currency && currency ? " or 12.50 " : "",
               has_currency && currency ? currency : "");
}

static int parse_duration(const char *text, const char *path, scu_value *out, char *msg,
                          size_t msglen) {
    double v;
    const char *p = scan_number(skip_space(text), &v);
    if (p) {
        const char *u = skip_space(p);
        size_t n = strlen(u);
        while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '\t'))
            n--;
        double sec = n == 0 ? (v == 0 ? 1 : 0) : time_unit(u, n, true);
        if (sec > 0) {
            double us = v * sec * US_PER_S;
            if (!(fabs(us) < 9.2e18))
                return say(msg, msglen, "duration '%s' is too long for %s", text, path);
            out->i = (int64_t)llround(us);
            return 0;
        }
    }
    return say(msg, msglen,
               "bad duration '%s' for %s (write a number with a unit: 250ms, 90s, 5min, 2h, 7d)",
               text, path);
}

/* A number followed by one of the units in `names`, each worth `factor`. */
static int parse_scaled(const char *text, const char *const *names, const double *factor,
                        size_t n_units, double *out) {
    double v;
    const char *p = scan_number(skip_space(text), &v);
    if (!p) return 2;
    const char *u = skip_space(p);
    size_t n = strlen(u);
    while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '\t'))
        n--;
    if (n == 0 && v == 0) {
        *out = 0;
        return 0;
    }
    for (size_t i = 0; i < n_units; i++) {
        if (word_is(u, n, names[i])) {
            *out = v * factor[i];
            return isfinite(*out) ? 0 : 2;
        }
    }
    return 2;
}

static int parse_rate(const char *text, double *out) {
    double v;
    const char *p = scan_number(skip_space(text), &v);
    if (!p) return 2;
    p = skip_space(p);
    if (*p == '\0' && v == 0) {
        *out = 0;
        return 0;
    }
    if (*p == '/')
        p++;
    else if (strncmp(p, "per", 3) == 0 && (p[3] == ' ' || p[3] == '\t'))
        p += 3;
    else
        return 2;
    p = skip_space(p);
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    double sec = time_unit(p, n, false);
    if (sec <= 0) return 2;
    *out = v / sec;
    return 0;
}

static int parse_enum(const char *choices, const char *text, const char *path, scu_value *out,
                      char *msg, size_t msglen) {
    const char *c = choices ? choices : "";
    size_t tl = strlen(text);
    int idx = 0, best = -1, best_d = 3;
    const char *best_w = NULL;
    size_t best_n = 0;
    for (;;) {
        size_t n = strcspn(c, "|");
        if (word_is(c, n, text)) {
            out->e = idx;
            return 0;
        }
        int d = scu_distance(text, tl, c, n);
        if (d < best_d && (size_t)d < tl) {
            best_d = d, best = idx, best_w = c, best_n = n;
        }
        if (c[n] == '\0') break;
        c += n + 1;
        idx++;
    }
    char list[512] = "";
    size_t len = 0;
    for (const char *w = choices ? choices : ""; *w && len + 3 < sizeof list; w++) {
        if (*w == '|') {
            list[len++] = ',';
            list[len++] = ' ';
        } else {
            list[len++] = *w;
        }
    }
    list[len] = '\0';
    if (best >= 0)
        return say(msg, msglen, "unknown choice '%s' for %s (did you mean '%.*s'? choices: %s)",
                   text, path, (int)best_n, best_w, list);
    return say(msg, msglen, "unknown choice '%s' for %s (choices: %s)", text, path, list);
}

int scu_parse(sc_type type, const char *choices, const char *text, const char *path,
              bool has_currency, const char *currency, scu_value *out, char *msg, size_t msglen) {
    static const char *const dist_names[] = {"m", "km"};
    static const double dist_f[] = {1, 1000};
    static const char *const speed_names[] = {"km/h", "m/s"};
    static const double speed_f[] = {1000.0 / 3600.0, 1};
    double v;
    switch (type) {
    case SC_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "True") || !strcmp(text, "TRUE")) {
            out->b = true;
            return 0;
        }
        if (!strcmp(text, "false") || !strcmp(text, "False") || !strcmp(text, "FALSE")) {
            out->b = false;
            return 0;
        }
        return say(msg, msglen, "bad boolean '%s' for %s (write true or false)", text, path);
    case SC_INT:
        return parse_int(text, path, out, msg, msglen);
    case SC_REAL:
        if (whole_number(text, &v)) {
            out->d = v;
            return 0;
        }
        return say(msg, msglen, "bad number '%s' for %s (write a finite number, e.g. 3.5)", text,
                   path);
    case SC_DURATION:
        return parse_duration(text, path, out, msg, msglen);
    case SC_DISTANCE:
        if (parse_scaled(text, dist_names, dist_f, 2, &out->d) == 0) return 0;
        return say(msg, msglen,
                   "bad distance '%s' for %s (write a number with a unit: 500m, 2.5km)", text,
                   path);
    case SC_SPEED:
        if (parse_scaled(text, speed_names, speed_f, 2, &out->d) == 0) return 0;
        return say(msg, msglen, "bad speed '%s' for %s (write a number with a unit: 30km/h, 8m/s)",
                   text, path);
    case SC_MONEY:
        return parse_money(text, path, has_currency, currency, out, msg, msglen);
    case SC_RATE:
        if (parse_rate(text, &out->d) == 0 && isfinite(out->d)) return 0;
        return say(msg, msglen,
                   "bad rate '%s' for %s (write events per unit of time: 2500 per hour, "
                   "2500/h, 40/min, 3/s, 10 per day)",
                   text, path);
    case SC_SHARE: {
        const char *p = scan_number(skip_space(text), &v);
        if (p) {
            p = skip_space(p);
            bool pct = *p == '%';
            if (pct) p++;
            if (*skip_space(p) == '\0') {
                out->d = pct ? v / 100.0 : v;
                return 0;
            }
        }
        return say(msg, msglen,
                   "bad share '%s' for %s (write a percentage or a fraction: 25%% or 0.25)", text,
                   path);
    }
    case SC_ENUM:
        return parse_enum(choices, text, path, out, msg, msglen);
    default:
        return say(msg, msglen, "no single value can be written for %s", path);
    }
}

int scu_parse_count(const char *text, size_t *out) {
    const char *p = text;
    if (!is_digit(*p)) return 2;
    size_t v = 0;
    while (is_digit(*p)) {
        if (v > 100000000) return 2;
        v = v * 10 + (size_t)(*p++ - '0');
    }
    if (*p) return 2;
    *out = v;
    return 0;
}

int scu_compare(sc_type type, const scu_value *a, const scu_value *b) {
    switch (type) {
    case SC_INT:
    case SC_DURATION:
    case SC_MONEY:
        return (a->i > b->i) - (a->i < b->i);
    case SC_BOOL:
        return (int)a->b - (int)b->b;
    case SC_ENUM:
        return (a->e > b->e) - (a->e < b->e);
    default:
        return (a->d > b->d) - (a->d < b->d);
    }
}

void scu_store(sc_type type, const scu_value *v, void *dest) {
    switch (type) {
    case SC_BOOL:
        memcpy(dest, &v->b, sizeof v->b);
        break;
    case SC_INT:
    case SC_DURATION:
    case SC_MONEY:
        memcpy(dest, &v->i, sizeof v->i);
        break;
    case SC_ENUM:
        memcpy(dest, &v->e, sizeof v->e);
        break;
    default:
        memcpy(dest, &v->d, sizeof v->d);
        break;
    }
}

const char *scu_implicit_min(sc_type type) {
    switch (type) {
    case SC_DURATION:
        return "0s";
    case SC_DISTANCE:
        return "0m";
    case SC_SPEED:
        return "0m/s";
    case SC_MONEY:
        return "0";
    case SC_RATE:
        return "0/s";
    case SC_SHARE:
        return "0%";
    default:
        return NULL;
    }
}

const char *scu_implicit_max(sc_type type) {
    return type == SC_SHARE ? "100%" : NULL;
}

const char *scu_type_words(sc_type type) {
    switch (type) {
    case SC_BOOL:
        return "boolean (true, false)";
    case SC_INT:
        return "integer";
    case SC_REAL:
        return "number";
    case SC_DURATION:
        return "duration (ms, s, min, h, d)";
    case SC_DISTANCE:
        return "distance (m, km)";
    case SC_SPEED:
        return "speed (km/h, m/s)";
    case SC_MONEY:
        return "money (12.50)";
    case SC_RATE:
        return "rate (per s, min, hour, day)";
    case SC_SHARE:
        return "share (25% or 0.25)";
    case SC_STRING:
        return "text";
    case SC_ENUM:
        return "choice";
    case SC_REAL_LIST:
        return "list of numbers";
    case SC_STRING_LIST:
        return "list of values";
    case SC_LIST:
        return "list of mappings";
    case SC_MOUNT:
        return "section";
    }
    return "?";
}

bool scu_is_scalar(sc_type type) {
    return type != SC_STRING && type != SC_LIST && type != SC_REAL_LIST && type != SC_STRING_LIST;
}

int scu_distance(const char *a, size_t alen, const char *b, size_t blen) {
    enum { MAXL = 64 };
    if (alen > MAXL || blen > MAXL) return 1000;
    int d[MAXL + 1][MAXL + 1];
    for (size_t i = 0; i <= alen; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= blen; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        for (size_t j = 1; j <= blen; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best) best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[alen][blen];
}
