/* Writing a run's outputs: directories, files written atomically (temporary name, then
 * rename) so that a reader or a killed run never sees half a file, and file fingerprints. */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct out_file {
    FILE *f;
    char *tmp_path;
    char *final_path;
} out_file;

/* Creates dir and its parents. 0 or 2 with a message. */
int out_mkdirs(const char *dir, char *err, size_t errlen);

/* Opens dir/name for writing under a temporary name. 0 or 2 with a message. */
int out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen);

/* Flushes, syncs, closes and renames into place; any write error reported here. 0 or 2. */
int out_commit(out_file *o, char *err, size_t errlen);

/* Closes and removes the temporary file (on an error path). */
void out_abort(out_file *o);

/* Writes JSON (indented, keys in insertion order, reals with 15 significant digits) atomically. */
int out_write_json(const char *dir, const char *name, const json_t *json, char *err, size_t errlen);

/* Writes one CSV field: as it is, or quoted with inner quotes doubled when it holds a comma,
 * a quote or a line break (RFC 4180). NULL writes an empty field. 0, or -1 on a write error. */
int out_csv_field(FILE *f, const char *s);

/* Reads the rest of a stream into a new buffer (NUL-terminated one byte past *len).
 * OUT_READ_OK, OUT_READ_TOO_LARGE (more than max bytes; nothing returned),
 * OUT_READ_ERROR (errno tells why) or OUT_READ_NOMEM. */
enum { OUT_READ_OK = 0, OUT_READ_TOO_LARGE, OUT_READ_ERROR, OUT_READ_NOMEM };
int out_read_stream(FILE *f, size_t max, char **buf, size_t *len);

/* SHA-256 of a file's bytes as 64 hex characters. 0 or 2 with a message. */
int out_sha256_file(const char *path, char hex[65], char *err, size_t errlen);

#endif
