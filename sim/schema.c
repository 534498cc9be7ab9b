/* Output schemas: lookup by name, the CSV header a writer writes, the checks every table must
 * pass and the Markdown of docs/output-reference.md. */
#include "sim/schema.h"

#include <string.h>

const sch_field *sch_find(const sch_table *t, const char *name) {
    int i = sch_index(t, name);
    return i < 0 ? NULL : &t->fields[i];
}

int sch_index(const sch_table *t, const char *name) {
    if (!t || !name) return -1;
    for (size_t i = 0; i < t->n; i++)
        if (t->fields[i].name && strcmp(t->fields[i].name, name) == 0) return (int)i;
    return -1;
}

const char *sch_name(const sch_table *t, size_t i) {
    return t->fields[i].name;
}

const char *sch_key(const sch_table *t) {
    if (!t->path) return "";
    const char *dot = strrchr(t->path, '.');
    return dot ? dot + 1 : t->path;
}

int sch_write_header(const sch_table *t, FILE *f) {
    for (size_t i = 0; i < t->n; i++) {
        if (i) fputc(',', f);
        fputs(t->fields[i].name, f);
    }
    fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

sim_status sch_check(const sch_table *t, char *err, size_t errlen) {
    const char *where = t->path && *t->path ? t->path : t->file;
    if (!t->file || !t->about || !*t->about)
        return sim_fail(SIM_EINTERNAL, err, errlen, "%s: a table needs a file and an about line",
                        where ? where : "?");
    for (size_t i = 0; i < t->n; i++) {
        const sch_field *f = &t->fields[i];
        if (!f->name || !*f->name)
            return sim_fail(SIM_EINTERNAL, err, errlen, "%s: field %zu has no name", where, i);
        if (!f->unit || !*f->unit || !f->meaning || !*f->meaning)
            return sim_fail(SIM_EINTERNAL, err, errlen, "%s: %s needs a unit and a meaning", where,
                            f->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->fields[j].name, f->name) == 0)
                return sim_fail(SIM_EINTERNAL, err, errlen, "%s: %s declared twice", where,
                                f->name);
    }
    return SIM_OK;
}

/* A Markdown table cell: '|' would end the cell. */
static void cell(FILE *f, const char *s) {
    for (; *s; s++)
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s, f);
}

int sch_write_markdown(const sch_table *t, FILE *f) {
    if (t->path)
        fprintf(f, "### `%s` → `%s`\n\n", t->file, *t->path ? t->path : "(root)");
    else
        fprintf(f, "### `%s`\n\n", t->file);
    fprintf(f, "%s\n\n| %s | unit | meaning |\n|---|---|---|\n", t->about,
            t->path ? "key" : "column");
    for (size_t i = 0; i < t->n; i++) {
        fprintf(f, "| `%s` | ", t->fields[i].name);
        cell(f, t->fields[i].unit);
        fputs(" | ", f);
        cell(f, t->fields[i].meaning);
        fputs(" |\n", f);
    }
    fputc('\n', f);
    return ferror(f) ? -1 : 0;
}
