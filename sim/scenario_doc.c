/* What the table of scenario keys says about itself: its consistency check and the Markdown
 * reference generated from it, so the documentation cannot drift from the loader. */
#include "sim/scenario.h"
#include "sim/scenario_tree.h"
#include "sim/scenario_units.h"

#include <stdarg.h>
#include <string.h>

static int bad(char *err, size_t errlen, const char *path, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (err && errlen) snprintf(err, errlen, "key table: %s: %s", path ? path : "(entry)", msg);
    return 2;
}

/* Words separated by dots; every word but the last may end in "[]" (a list's elements). */
static bool well_formed(const char *p) {
    for (;;) {
        size_t n = 0;
        while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
               (p[n] >= '0' && p[n] <= '9') || p[n] == '_' || p[n] == '-')
            n++;
        if (n == 0) return false;
        p += n;
        if (*p == '\0') return true;
        if (p[0] == '[' && p[1] == ']' && p[2] == '.')
            p += 3;
        else if (*p == '.')
            p++;
        else
            return false;
    }
}

static size_t value_size(sc_type t) {
    switch (t) {
    case SC_BOOL:
        return sizeof(bool);
    case SC_INT:
    case SC_DURATION:
    case SC_MONEY:
        return sizeof(int64_t);
    case SC_ENUM:
        return sizeof(int);
    case SC_STRING:
        return sizeof(char *);
    case SC_REAL_LIST:
        return sizeof(sc_reals);
    case SC_STRING_LIST:
        return sizeof(sc_strings);
    case SC_LIST:
        return sizeof(sc_list);
    default:
        return sizeof(double);
    }
}

static const sc_key *find(const sc_key *t, const char *path, size_t len) {
    for (; t->path; t++)
        if (strlen(t->path) == len && !strncmp(t->path, path, len)) return t;
    return NULL;
}

static int check_table(const sc_key *table, char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!table) return bad(err, errlen, NULL, "no table");
    for (const sc_key *e = table; e->path; e++) {
        if (!well_formed(e->path))
            return bad(err, errlen, e->path,
                       "malformed path (words separated by dots, lists as 'name[].key')");
        if ((unsigned)e->type > (unsigned)SC_LIST)
            return bad(err, errlen, e->path, "unknown type %d", (int)e->type);
        for (const sc_key *u = table; u < e; u++)
            if (!strcmp(u->path, e->path)) return bad(err, errlen, e->path, "duplicate path");
        size_t len = strlen(e->path);
        for (const sc_key *u = table; u->path; u++) {
            if (u != e && !strncmp(u->path, e->path, len) && u->path[len] == '.')
                return bad(err, errlen, e->path, "is a key and also a section (%s)", u->path);
            if (u != e && !strncmp(u->path, e->path, len) && u->path[len] == '[' &&
                e->type != SC_LIST)
                return bad(err, errlen, e->path, "has element keys (%s) but is no SC_LIST",
                           u->path);
        }
        const char *bracket = strstr(e->path, "[]");
        if (bracket) {
            const char *last = bracket;
            for (const char *b = bracket; (b = strstr(b + 1, "[]"));)
                last = b;
            const sc_key *parent = find(table, e->path, (size_t)(last - e->path));
            if (!parent || parent->type != SC_LIST)
                return bad(err, errlen, e->path, "no SC_LIST entry '%.*s' holds this key",
                           (int)(last - e->path), e->path);
            if (e->offset + value_size(e->type) > parent->elem_size)
                return bad(err, errlen, e->path,
                           "offset %zu lies outside the element (elem_size %zu of %s)", e->offset,
                           parent->elem_size, parent->path);
        }
        if (e->type == SC_LIST && e->elem_size == 0)
            return bad(err, errlen, e->path, "SC_LIST needs elem_size");
        if (e->type == SC_ENUM && (!e->choices || !e->choices[0]))
            return bad(err, errlen, e->path, "SC_ENUM needs choices");
        if (e->type == SC_ENUM || e->type == SC_BOOL || e->type == SC_STRING) {
            if (e->min || e->max)
                return bad(err, errlen, e->path, "a range makes no sense for this type");
        } else if (e->type == SC_LIST || e->type == SC_REAL_LIST || e->type == SC_STRING_LIST) {
            size_t lo = 0, hi = 0;
            if (e->min && scu_parse_count(e->min, &lo))
                return bad(err, errlen, e->path, "bad minimum count '%s'", e->min);
            if (e->max && scu_parse_count(e->max, &hi))
                return bad(err, errlen, e->path, "bad maximum count '%s'", e->max);
            if (e->min && e->max && lo > hi)
                return bad(err, errlen, e->path, "minimum %s above maximum %s", e->min, e->max);
        } else {
            scu_value lo, hi;
            char msg[512];
            if (e->min &&
                scu_parse(e->type, NULL, e->min, "the minimum", false, NULL, &lo, msg, sizeof msg))
                return bad(err, errlen, e->path, "%s", msg);
            if (e->max &&
                scu_parse(e->type, NULL, e->max, "the maximum", false, NULL, &hi, msg, sizeof msg))
                return bad(err, errlen, e->path, "%s", msg);
            if (e->min && e->max && scu_compare(e->type, &lo, &hi) > 0)
                return bad(err, errlen, e->path, "minimum %s above maximum %s", e->min, e->max);
        }
        if (e->def && scn_check_default(table, e, err, errlen)) return 2;
    }
    return 0;
}

/* Markdown table cells: no '|' (it would split the cell) and no line breaks. */
static void cell(FILE *out, const char *s) {
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

/* The section of a key: its first word when it has more than one or is a list; "" for plain
 * top-level keys. */
static size_t section_of(const sc_key *e) {
    size_t n = strcspn(e->path, ".[");
    return (e->path[n] || e->type == SC_LIST) ? n : 0;
}

static bool same_section(const sc_key *a, size_t an, const sc_key *b) {
    size_t bn = section_of(b);
    return an == bn && !strncmp(a->path, b->path, an);
}

static void row(FILE *out, const sc_key *e) {
    fputs("| `", out);
    cell(out, e->path);
    fputs("` | ", out);
    cell(out, scu_type_words(e->type));
    fputs(" | ", out);
    if (!e->def) {
        fputs("*required*", out);
    } else if (e->def == sc_unset) {
        fputs("*unset*", out);
    } else if (!e->def[0]) {
        fputs("*empty*", out);
    } else {
        fputs("`", out);
        cell(out, e->def);
        fputs("`", out);
    }
    fputs(" | ", out);
    if (e->type == SC_ENUM) {
        const char *c = e->choices ? e->choices : "";
        for (bool first = true; *c; first = false) {
            size_t n = strcspn(c, "|");
            fprintf(out, "%s`%.*s`", first ? "" : ", ", (int)n, c);
            c += n + (c[n] == '|');
        }
    } else if (e->type == SC_STRING && e->file) {
        for (const char *c = e->choices ? e->choices : ""; *c;) {
            size_t n = strcspn(c, "|");
            fprintf(out, "`%.*s`, ", (int)n, c);
            c += n + (c[n] == '|');
        }
        fputs(e->choices && *e->choices ? "or a file (relative to the scenario file)"
                                        : "a file (relative to the scenario file)",
              out);
    } else if (e->type == SC_BOOL || e->type == SC_STRING) {
        fputs("—", out);
    } else {
        const char *lo = e->min, *hi = e->max;
        const char *unit =
            (e->type == SC_LIST || e->type == SC_REAL_LIST || e->type == SC_STRING_LIST)
                ? " elements"
                : "";
        if (!unit[0]) {
            lo = lo ? lo : scu_implicit_min(e->type);
            hi = hi ? hi : scu_implicit_max(e->type);
        }
        if (lo && hi)
            fprintf(out, "%s to %s%s", lo, hi, unit);
        else if (lo)
            fprintf(out, "at least %s%s", lo, unit);
        else if (hi)
            fprintf(out, "at most %s%s", hi, unit);
        else
            fputs("any", out);
    }
    fputs(" | ", out);
    cell(out, e->doc ? e->doc : "");
    fputs(" |\n", out);
}

static int write_reference(const sc_key *table, FILE *out) {
    if (!table || !out) return 2;
    for (const sc_key *e = table; e->path; e++) {
        size_t n = section_of(e);
        bool seen = false;
        for (const sc_key *u = table; u < e && !seen; u++)
            seen = same_section(e, n, u);
        if (seen) continue;
        if (n)
            fprintf(out, "## `%.*s`\n\n", (int)n, e->path);
        else
            fputs("## Top-level keys\n\n", out);
        fputs("| Key | Type | Default | Allowed | Description |\n"
              "|---|---|---|---|---|\n",
              out);
        for (const sc_key *u = e; u->path; u++)
            if (same_section(e, n, u)) row(out, u);
        fputs("\n", out);
    }
    return ferror(out) ? 2 : 0;
}

sim_status sc_check_table(const sc_key *table, char *err, size_t errlen) {
    if (!table) return sim_fail(SIM_EINTERNAL, err, errlen, "no table");
    scn_flat f;
    sim_status st = scn_flatten(table, &f, err, errlen);
    if (st != SIM_OK) return st;
    int rc = check_table(f.table, err, errlen);
    scn_flat_free(&f);
    return rc == 0 ? SIM_OK : SIM_EINTERNAL;
}

sim_status sc_write_reference(const sc_key *table, FILE *out, char *err, size_t errlen) {
    if (!table || !out) return sim_fail(SIM_EINTERNAL, err, errlen, "no table or no stream");
    scn_flat f;
    sim_status st = scn_flatten(table, &f, err, errlen);
    if (st != SIM_OK) return st;
    int rc = write_reference(f.table, out);
    scn_flat_free(&f);
    return rc == 0 ? SIM_OK : sim_fail(SIM_EIO, err, errlen, "cannot write the reference");
}

/* The table's spelling of a --set path: list indices dropped ("a[2].b" -> "a[].b"). */
static void table_path(const char *path, char *out, size_t n) {
    size_t k = 0;
    for (const char *p = path; *p && k + 1 < n; p++) {
        out[k++] = *p;
        if (*p == '[') {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
        }
    }
    out[k] = '\0';
}

static double as_number(sc_type type, const scu_value *v, const char **unit) {
    switch (type) {
    case SC_DURATION:
        *unit = "s";
        return (double)v->i / 1e6;
    case SC_MONEY:
        *unit = "currency units";
        return (double)v->i / 100.0;
    case SC_DISTANCE:
        *unit = "m";
        return v->d;
    case SC_SPEED:
        *unit = "m/s";
        return v->d;
    case SC_RATE:
        *unit = "1/s";
        return v->d;
    case SC_SHARE:
        *unit = "share 0-1";
        return v->d;
    case SC_INT:
        *unit = "number";
        return (double)v->i;
    case SC_BOOL:
        *unit = "number";
        return v->b ? 1.0 : 0.0;
    default:
        *unit = "number";
        return v->d;
    }
}

sim_status sc_value_number(const sc_key *table, const char *path, const char *text,
                           const char *currency, double *value, const char **unit, char *err,
                           size_t errlen) {
    char want[512], msg[512];
    table_path(path, want, sizeof want);
    scn_flat f;
    sim_status st = scn_flatten(table, &f, err, errlen);
    if (st != SIM_OK) return st;
    const sc_key *e = NULL;
    for (const sc_key *k = f.table; k->path && !e; k++)
        if (strcmp(k->path, want) == 0) e = k;
    if (!e)
        st = sim_fail(SIM_EINPUT, err, errlen, "%s: no such key", path);
    else if (!scu_is_scalar(e->type) || e->type == SC_ENUM)
        st = sim_fail(SIM_EINPUT, err, errlen, "%s: holds no number", path);
    else {
        scu_value v;
        if (scu_parse(e->type, e->choices, text, path, currency != NULL, currency, &v, msg,
                      sizeof msg) != 0)
            st = sim_fail(SIM_EINPUT, err, errlen, "%s=%s: %s", path, text, msg);
        else
            *value = as_number(e->type, &v, unit);
    }
    scn_flat_free(&f);
    return st;
}
