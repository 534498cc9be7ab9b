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
int out_write_json(const char *dir, const char *name, const json_t *json, char *err,
                   size_t errlen);

/* SHA-256 of a file's bytes as 64 hex characters. 0 or 2 with a message. */
int out_sha256_file(const char *path, char hex[65], char *err, size_t errlen);

#endif
