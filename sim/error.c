/* The error convention's helpers (sim/error.h): messages into the caller's buffer, array growth. */
#include "sim/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sim_status sim_fail(sim_status code, char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *sim_status_name(sim_status s) {
    switch (s) {
    case SIM_OK:
        return "ok";
    case SIM_EINPUT:
        return "bad input";
    case SIM_EIO:
        return "input/output error";
    case SIM_ENOMEM:
        return "out of memory";
    case SIM_EINTERNAL:
        return "internal error";
    }
    return "unknown status";
}

sim_status sim_grow(void **items, size_t *cap, size_t need, size_t size, size_t min_cap) {
    if (need <= *cap) return SIM_OK;
    size_t c = *cap ? *cap : (min_cap ? min_cap : 1);
    while (c < need) {
        if (c > SIZE_MAX / 2) return SIM_ENOMEM;
        c *= 2;
    }
    if (size && c > SIZE_MAX / size) return SIM_ENOMEM;
    void *p = realloc(*items, c * size);
    if (!p) return SIM_ENOMEM;
    memset((char *)p + *cap * size, 0, (c - *cap) * size);
    *items = p;
    *cap = c;
    return SIM_OK;
}
