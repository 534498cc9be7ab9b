/* Writing a run's outputs: directories, files written atomically (temporary name, then
 * rename) so that a reader or a killed run never sees half a file, and file fingerprints. */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include "sim/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct out_file {
    FILE *f;
    char *tmp_path;
    char *final_path;
} out_file;

/* Creates dir and its parents. SIM_OK, or SIM_EIO (SIM_EINPUT for an empty name, SIM_ENOMEM)
 * with a message. */
sim_status out_mkdirs(const char *dir, char *err, size_t errlen);

/* Opens dir/name for writing under a temporary name. SIM_OK, or SIM_EIO (or SIM_ENOMEM)
 * with a message. */
sim_status out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen);

/* Flushes, syncs, closes and renames into place; any write error is reported here (SIM_EIO with
 * a message, the temporary file removed). */
sim_status out_commit(out_file *o, char *err, size_t errlen);

/* Closes and removes the temporary file (on an error path). */
void out_abort(out_file *o);

/* Writes JSON (indented, keys in insertion order, reals with 15 significant digits) atomically. */
sim_status out_write_json(const char *dir, const char *name, const json_t *json, char *err,
                          size_t errlen);

/* Writes one CSV field: as it is, or quoted with inner quotes doubled when it holds a comma,
 * a quote or a line break (RFC 4180). NULL writes an empty field. False on a write error (the
 * stream's error flag is set, so out_commit reports it). */
bool out_csv_field(FILE *f, const char *s);

/* Writes ",<amount>": whole cents as currency units with two decimals (-0.05, 12.30). */
void out_csv_cents(FILE *f, int64_t cents);

/* Writes "," then x in the printf format fmt; a NaN or infinity (no data) leaves the field
 * empty. */
void out_csv_real(FILE *f, const char *fmt, double x);

/* Reads the rest of a stream (called `name` in messages) into a new buffer (NUL-terminated one
 * byte past *len). SIM_OK; SIM_EINPUT when it holds more than max bytes (nothing returned);
 * SIM_EIO when reading fails; SIM_ENOMEM. */
sim_status out_read_stream(FILE *f, size_t max, const char *name, char **buf, size_t *len,
                           char *err, size_t errlen);

/* SHA-256 of a file's bytes as 64 hex characters. SIM_OK, or SIM_EIO with a message. */
sim_status out_sha256_file(const char *path, char hex[65], char *err, size_t errlen);

#endif
