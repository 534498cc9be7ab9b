/* Builds the node tree of a scenario from libyaml events, rejecting what a scenario never
 * needs and what could hurt: binary data, aliases, several documents, deep nesting. */
#include "sim/error.h"
#include "sim/scenario_tree.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Enough for any real scenario; keeps memory bounded whatever the input. */
#define SCN_MAX_NODES 1000000

static void where_of(scn_origin origin, const char *where, int line, int col, char *out,
                     size_t outlen) {
    switch (origin) {
    case SCN_FILE:
        snprintf(out, outlen, "%s:%d:%d: ", where, line, col);
        break;
    case SCN_OVERRIDE:
        snprintf(out, outlen, "--set %s: ", where);
        break;
    case SCN_DEFAULT:
        snprintf(out, outlen, "default of %s in the key table: ", where);
        break;
    }
}

void scn_where(const scn *n, char *out, size_t outlen) {
    where_of(n->origin, n->where, n->line, n->col, out, outlen);
}

static int fail_at(char *err, size_t errlen, scn_origin origin, const char *where, int line,
                   int col, const char *fmt, ...) {
    char pre[512];
    where_of(origin, where, line, col, pre, sizeof pre);
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s%s", pre, msg);
    return 2;
}

/* Line and column (1-based, in characters) of byte offset off. */
static void position(const unsigned char *s, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n')
            l++, c = 1;
        else if ((s[i] & 0xC0) != 0x80)
            c++;
    }
    *line = l, *col = c;
}

/* Is the character at (line, col) a tab? YAML forbids tabs in indentation, and libyaml's
 * message for them ("cannot start any token") does not say so. */
static bool at_tab(const unsigned char *s, size_t size, int line, int col) {
    size_t i = 0;
    for (int l = 1; l < line && i < size; i++)
        if (s[i] == '\n') l++;
    for (int c = 1; c < col && i < size && s[i] != '\n'; c++) {
        i++;
        while (i < size && (s[i] & 0xC0) == 0x80)
            i++;
    }
    return i < size && s[i] == '\t';
}

/* Offset of the first byte that makes this no UTF-8 text (NUL included), or size. */
static size_t first_non_text(const unsigned char *s, size_t size) {
    size_t i = 0;
    while (i < size) {
        unsigned char c = s[i];
        if (c == 0) return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07;
        else
            return i;
        if (i + n >= size) return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return size;
}

scn *scn_new(scn_kind kind, scn_origin origin, const char *where, const char *text) {
    scn *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->origin = origin;
    n->where = where;
    n->line = n->col = 1;
    if (kind == SCN_SCALAR) {
        n->text = strdup(text ? text : "");
        if (!n->text) {
            free(n);
            return NULL;
        }
        n->len = strlen(n->text);
        n->plain = true;
    }
    return n;
}

bool scn_append(scn *parent, scn *child) {
    if (SIM_GROW(&parent->kids, &parent->cap, parent->n + 1, 4) != SIM_OK) return false;
    parent->kids[parent->n++] = child;
    return true;
}

void scn_free(scn *n) {
    if (!n) return;
    /* Recursion is safe: the parser bounds the depth. */
    for (size_t i = 0; i < n->n; i++)
        scn_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

bool scn_is_null(const scn *n) {
    return n->kind == SCN_SCALAR && n->plain &&
           (n->len == 0 || !strcmp(n->text, "~") || !strcmp(n->text, "null") ||
            !strcmp(n->text, "Null") || !strcmp(n->text, "NULL"));
}

scn *scn_get(const scn *map, const char *name, size_t len, scn **key) {
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const scn *k = map->kids[i];
        if (k->kind == SCN_SCALAR && k->len == len && memcmp(k->text, name, len) == 0) {
            if (key) *key = map->kids[i];
            return map->kids[i + 1];
        }
    }
    return NULL;
}

static const char *kind_words(yaml_event_type_t t) {
    return t == YAML_MAPPING_START_EVENT ? "mapping" : "sequence";
}

int scn_parse(const void *data, size_t size, scn_origin origin, const char *where, scn **root,
              char *err, size_t errlen) {
    const unsigned char *bytes = data;
    *root = NULL;
    if (size > SCN_MAX_SIZE)
        return fail_at(err, errlen, origin, where, 1, 1,
                       "too large (%zu bytes; a scenario may have at most 16 MiB)", size);
    size_t bad = first_non_text(bytes, size);
    if (bad < size) {
        int line, col;
        position(bytes, bad, &line, &col);
        return fail_at(err, errlen, origin, where, line, col,
                       "not a text file (%s; a scenario is UTF-8 text)",
                       bytes[bad] == 0 ? "NUL byte" : "invalid UTF-8");
    }

    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return fail_at(err, errlen, origin, where, 1, 1, "out of memory");
    yaml_parser_set_input_string(&p, bytes, size);
    /* No explicit encoding: libyaml then skips a UTF-8 byte order mark. */

    scn *stack[SCN_MAX_DEPTH + 1];
    int depth = 0, docs = 0, rc = 0;
    size_t nodes = 0;
    for (bool done = false; !done && rc == 0;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            if (p.error == YAML_MEMORY_ERROR) {
                rc = fail_at(err, errlen, origin, where, 1, 1, "out of memory");
            } else {
                int line = (int)p.problem_mark.line + 1, col = (int)p.problem_mark.column + 1;
                if (p.error == YAML_READER_ERROR)
                    position(bytes, p.problem_offset < size ? p.problem_offset : size, &line, &col);
                if (at_tab(bytes, size, line, col))
                    rc = fail_at(err, errlen, origin, where, line, col,
                                 "invalid YAML: a tab character (indent with spaces)");
                else if (p.context)
                    rc = fail_at(err, errlen, origin, where, line, col, "invalid YAML: %s (%s)",
                                 p.problem ? p.problem : "error", p.context);
                else
                    rc = fail_at(err, errlen, origin, where, line, col, "invalid YAML: %s",
                                 p.problem ? p.problem : "error");
            }
            break;
        }
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        scn *node = NULL;
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = fail_at(err, errlen, origin, where, line, col,
                             "a second YAML document (a scenario is one document: remove the "
                             "'---' and what follows, or merge it into the first)");
            break;
        case YAML_ALIAS_EVENT:
            rc = fail_at(err, errlen, origin, where, line, col,
                         "alias '*%s' is not supported (write the value out in full)",
                         (const char *)ev.data.alias.anchor);
            break;
        case YAML_SCALAR_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (ev.type != YAML_SCALAR_EVENT && depth >= SCN_MAX_DEPTH) {
                rc = fail_at(err, errlen, origin, where, line, col,
                             "%s nested too deeply (at most %d levels)", kind_words(ev.type),
                             SCN_MAX_DEPTH);
                break;
            }
            if (++nodes > SCN_MAX_NODES) {
                rc = fail_at(err, errlen, origin, where, line, col,
                             "too many values (a scenario may hold at most %d)", SCN_MAX_NODES);
                break;
            }
            node = calloc(1, sizeof *node);
            if (!node) {
                rc = fail_at(err, errlen, origin, where, line, col, "out of memory");
                break;
            }
            node->origin = origin;
            node->where = where;
            node->line = line;
            node->col = col;
            if (ev.type == YAML_SCALAR_EVENT) {
                node->kind = SCN_SCALAR;
                node->len = ev.data.scalar.length;
                node->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                node->text = malloc(node->len + 1);
                if (node->text) {
                    memcpy(node->text, ev.data.scalar.value, node->len);
                    node->text[node->len] = '\0';
                }
            } else {
                node->kind = ev.type == YAML_MAPPING_START_EVENT ? SCN_MAP : SCN_SEQ;
            }
            if (node->kind == SCN_SCALAR && !node->text) {
                free(node);
                rc = fail_at(err, errlen, origin, where, line, col, "out of memory");
                break;
            }
            if (depth == 0) {
                if (*root) { /* cannot happen within one document; keep the first */
                    scn_free(node);
                    break;
                }
                *root = node;
            } else if (!scn_append(stack[depth - 1], node)) {
                scn_free(node);
                rc = fail_at(err, errlen, origin, where, line, col, "out of memory");
                break;
            }
            if (node->kind != SCN_SCALAR) stack[depth++] = node;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (depth > 0) depth--;
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (rc != 0) {
        scn_free(*root);
        *root = NULL;
    }
    return rc;
}
