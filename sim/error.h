/* The one error convention of coopsim's libraries (sim, the models, the run layer, the report),
 * and the one helper that grows an array. Exit statuses live only in the program (app/), which
 * maps a status to one; library code never exits and never returns an exit status.
 *
 * A function that can fail returns a sim_status. When it returns anything but SIM_OK it has
 * written one line into the caller's message buffer (`char *err, size_t errlen`): where (a
 * scenario value: "file:line:column: "), what is wrong, and what would be valid. A function
 * that returns a pointer returns NULL on failure, with the same message buffer. Messages quote
 * positions and names the user gave, never the content of arbitrary files. */
#ifndef SIM_ERROR_H
#define SIM_ERROR_H

#include <stddef.h>

typedef enum sim_status {
    SIM_OK = 0,
    SIM_EINPUT =
        -1,       /* the input is wrong (scenario, override, file, option): the user can fix it */
    SIM_EIO = -2, /* reading or writing failed (missing file, permissions, disk full) */
    SIM_ENOMEM = -3,   /* memory ran out, or a stated memory bound would be exceeded */
    SIM_EINTERNAL = -4 /* an invariant broke: a bug in coopsim */
} sim_status;

/* Writes the formatted message into err (cut to errlen, always terminated; err may be NULL)
 * and returns code, so a failure reads `return sim_fail(SIM_EINPUT, err, errlen, "...", ...)`. */
sim_status sim_fail(sim_status code, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A short name of the status ("bad input", "input/output error", ...). */
const char *sim_status_name(sim_status s);

/* Makes room for at least `need` elements of `size` bytes in the array *items whose capacity is
 * *cap elements: doubles the capacity (at least `min_cap`, and at least need), reallocates and
 * zeroes the new elements. Returns SIM_OK, or SIM_ENOMEM (the array is left as it was) when
 * memory runs out or the byte count would overflow. The one growth rule of the libraries. */
sim_status sim_grow(void **items, size_t *cap, size_t need, size_t size, size_t min_cap);

/* sim_grow for a typed pointer: SIM_GROW(&w->queue, &w->q_cap, w->q_len + 1, 1024). */
#define SIM_GROW(pp, capp, need, min_cap)                                                          \
    sim_grow((void **)(pp), (capp), (need), sizeof(**(pp)), (min_cap))

#endif
