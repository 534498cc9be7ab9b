/* Output schemas: what each output file holds, declared once as a table of its columns (a CSV)
 * or of an object's keys (JSON), each with a unit and a meaning. Writers take their names from
 * these tables, the report looks names up in them, and `coopsim reference --outputs` prints
 * them as docs/output-reference.md. Generic: the tables themselves live with whoever owns the
 * output (sim/experiment.h for experiments, models/schema for the domain). */
#ifndef SIM_SCHEMA_H
#define SIM_SCHEMA_H

#include "sim/error.h"

#include <stddef.h>
#include <stdio.h>

/* One column of a CSV table, or one key of a JSON object. */
typedef struct sch_field {
    const char *name;
    const char *unit;    /* "s", "currency units", "share 0-1", "count", "text", ... */
    const char *meaning; /* one or two sentences */
} sch_field;

/* One table: a CSV file's columns, or the keys of one JSON object of a file. */
typedef struct sch_table {
    const char *file;  /* "drivers.csv", "summary.json" */
    const char *path;  /* JSON: where the object sits ("platforms[].drivers", "" for the root);
                          NULL for a CSV file */
    const char *about; /* when the file or object is written and what one row or object is */
    const sch_field *fields;
    size_t n;
} sch_table;

/* The declared field called name, or NULL when the table has none. */
const sch_field *sch_find(const sch_table *t, const char *name);

/* Index of the field called name, or -1 when the table has none. */
int sch_index(const sch_table *t, const char *name);

/* Name of field i (a writer's key or column). i must be below t->n. */
const char *sch_name(const sch_table *t, size_t i);

/* The key of a JSON table inside its parent: the last component of path ("drivers" for
 * "platforms[].drivers"); "" for the root or a CSV table. */
const char *sch_key(const sch_table *t);

/* Writes a CSV table's header line: its column names in order, comma-separated. 0, or -1 on
 * a write error. */
int sch_write_header(const sch_table *t, FILE *f);

/* Checks a table: every field named, unit and meaning given, no name twice. SIM_OK, or
 * SIM_EINTERNAL with a message naming the file and field. */
sim_status sch_check(const sch_table *t, char *err, size_t errlen);

/* Writes one table as a Markdown section (heading, about, a table of name | unit | meaning).
 * 0, or -1 on a write error. */
int sch_write_markdown(const sch_table *t, FILE *f);

#endif
