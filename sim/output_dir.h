/* An output directory that one run owns at a time: a lock refuses a second run while the first
 * writes, and a manifest (DIR/.coopsim-manifest) lists the files the last run wrote, so that a
 * new run removes them before it starts and never mixes its outputs with an older run's. A
 * non-empty directory without a manifest was not written by coopsim: it is refused unless
 * forced, and then its files are kept as they are (and never removed by later runs). */
#ifndef SIM_OUTPUT_DIR_H
#define SIM_OUTPUT_DIR_H

#include "sim/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct out_claim {
    int lock_fd; /* held (flock) until released */
    char *dir;
    json_t *foreign; /* top-level names kept: not the runs' */
} out_claim;

enum {
    OUT_DIR_FORCE = 1, /* accept a non-empty directory without a manifest (--force) */
    OUT_DIR_KEEP = 2,  /* remove nothing of the previous run (--resume keeps its records) */
};

/* Creates dir, refuses a dangling symbolic link, an input file inside dir, a directory another
 * run holds, or a foreign non-empty one (unless OUT_DIR_FORCE); removes the previous run's
 * files (unless OUT_DIR_KEEP) and marks the directory as being written. SIM_OK with the claim
 * held; SIM_EINPUT or SIM_EIO with a message. */
sim_status out_dir_claim(out_claim *c, const char *dir, const char *const *inputs, size_t n_inputs,
                         unsigned flags, char *err, size_t errlen);

/* After a successful run: writes the manifest of every file in the directory (the kept ones
 * aside) and releases the claim. */
sim_status out_dir_finish(out_claim *c, char *err, size_t errlen);

/* On failure: releases the claim; the manifest still says the run did not finish, so the next
 * run removes everything it left. */
void out_dir_release(out_claim *c);

/* Only the lock, for commands that rewrite part of a run directory (coopsim plot): SIM_OK with
 * the lock held (release with out_dir_release), SIM_EINPUT while a run holds it. */
sim_status out_dir_lock(out_claim *c, const char *dir, char *err, size_t errlen);

/* For commands that add files to a run directory later (coopsim plot): brings its manifest up
 * to date; nothing when the directory has none. */
sim_status out_dir_record(const char *dir, char *err, size_t errlen);

#endif
