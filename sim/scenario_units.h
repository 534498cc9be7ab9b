/* Values of the scenario loader written in user units (durations, money, rates, shares...):
 * parsing, range checks and the words used in messages and the reference. Private to sim/. */
#ifndef SIM_SCENARIO_UNITS_H
#define SIM_SCENARIO_UNITS_H

#include "sim/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One parsed scalar, in the unit it is stored in. */
typedef union {
    bool b;
    int64_t i; /* SC_INT, SC_DURATION (microseconds), SC_MONEY (cents) */
    double d;  /* SC_REAL, SC_DISTANCE, SC_SPEED, SC_RATE, SC_SHARE */
    int e;     /* SC_ENUM */
} scu_value;

/* Parses `text` as a value of `type` for the key shown as `path`. `currency` is the
 * scenario's currency when the table has a top-level `currency` key (has_currency), the only
 * code a money value may carry. Returns 0, or 2 with "what is wrong (what would be valid)"
 * in msg. Not for SC_STRING, SC_LIST or SC_REAL_LIST. */
int scu_parse(sc_type type, const char *choices, const char *text, const char *path,
              bool has_currency, const char *currency, scu_value *out, char *msg, size_t msglen);

/* Parses an element count bound of a list ("0", "10"). Returns 0 or 2. */
int scu_parse_count(const char *text, size_t *out);

/* <0, 0, >0 as a is below, equal to or above b. */
int scu_compare(sc_type type, const scu_value *a, const scu_value *b);

/* Stores the value where the configuration keeps it. */
void scu_store(sc_type type, const scu_value *v, void *dest);

/* The range that applies when the table gives none: values of physical quantities and money
 * are not negative, shares lie in [0,1]. NULL: unbounded. */
const char *scu_implicit_min(sc_type type);
const char *scu_implicit_max(sc_type type);

/* Short words for the reference: "duration (ms, s, min, h, d)". */
const char *scu_type_words(sc_type type);

/* True if type is one of the scalar types scu_parse handles. */
bool scu_is_scalar(sc_type type);

/* Damerau (optimal string alignment) distance, capped: strings longer than 64 bytes give a
 * large distance. Used for the "did you mean" hints. */
int scu_distance(const char *a, size_t alen, const char *b, size_t blen);

#endif
