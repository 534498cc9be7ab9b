/* A researcher's own trip requests: the CSV format of docs/own-demand.md read line by line with
 * a bounded buffer, every value checked with the file, line, column and column name of any
 * fault, zone ids turned into points through a zones file held as a small sorted table.
 * About 600 lines: the reader, the zones and the trips share the line reader and its messages;
 * the next split moves the line reader and the zones table into a file of their own. */
#include "models/market/tripfile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_COLS 32

/* Reads lines of at most MKT_TRIP_LINE_MAX bytes of printable text through a buffer of its own. */
typedef struct line_reader {
    FILE *f;
    const char *name;
    unsigned long line; /* of the line last read */
    size_t pos, len;
    bool eof;
    char buf[65536];
    char text[MKT_TRIP_LINE_MAX + 1];
} line_reader;

static sim_status lr_fail(const line_reader *r, size_t col, char *err, size_t errlen,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static sim_status lr_fail(const line_reader *r, size_t col, char *err, size_t errlen,
                          const char *fmt, ...) {
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sim_fail(SIM_EINPUT, err, errlen, "%s:%lu:%zu: %s", r->name, r->line, col, msg);
}

static sim_status lr_open(line_reader *r, const char *name, const char *what, char *err,
                          size_t errlen) {
    memset(r, 0, sizeof *r);
    r->name = name;
    if (!name || !*name) return sim_fail(SIM_EINPUT, err, errlen, "%s: no file named", what);
    r->f = fopen(name, "rb");
    if (!r->f)
        return sim_fail(SIM_EINPUT, err, errlen, "%s: cannot open %s: %s", what, name,
                        strerror(errno));
    struct stat st;
    if (fstat(fileno(r->f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(r->f);
        r->f = NULL;
        return sim_fail(SIM_EINPUT, err, errlen, "%s: %s is a directory, not a CSV file", what,
                        name);
    }
    return SIM_OK;
}

static void lr_close(line_reader *r) {
    if (r->f) fclose(r->f);
    r->f = NULL;
}

/* The next byte, or -1 at the end of the file (or on a read error, told apart by ferror). */
static int lr_byte(line_reader *r) {
    if (r->pos == r->len) {
        if (r->eof) return -1;
        r->len = fread(r->buf, 1, sizeof r->buf, r->f);
        r->pos = 0;
        if (r->len == 0) {
            r->eof = true;
            return -1;
        }
    }
    return (unsigned char)r->buf[r->pos++];
}

/* Next line into r->text (no line end): 1, 0 at the end of the file, or -1 with a message. */
static int lr_next(line_reader *r, char *err, size_t errlen) {
    size_t n = 0;
    int c = lr_byte(r);
    if (c < 0) {
        if (ferror(r->f)) {
            sim_fail(SIM_EINPUT, err, errlen, "%s: cannot read: %s", r->name, strerror(errno));
            return -1;
        }
        return 0;
    }
    r->line++;
    if (r->line == 1 && c == 0xEF) { /* a UTF-8 byte order mark, as spreadsheets write */
        int c2 = lr_byte(r), c3 = c2 == 0xBB ? lr_byte(r) : -1;
        if (c2 != 0xBB || c3 != 0xBF) {
            lr_fail(r, 1, err, errlen,
                    "byte 0xef: not a text CSV file (only printable ASCII is read)");
            return -1;
        }
        c = lr_byte(r);
    }
    for (; c >= 0 && c != '\n'; c = lr_byte(r)) {
        if (c == '\r') {
            int d = lr_byte(r);
            if (d == '\n' || d < 0) break;
            lr_fail(r, n + 1, err, errlen,
                    "a carriage return inside a line (lines end in \\n "
                    "or \\r\\n)");
            return -1;
        }
        if ((c < 0x20 && c != '\t') || c > 0x7E) {
            lr_fail(r, n + 1, err, errlen,
                    "byte 0x%02x: not a text CSV file (only printable ASCII is read; is it a "
                    "compressed or binary file?)",
                    (unsigned)c);
            return -1;
        }
        if (n == MKT_TRIP_LINE_MAX) {
            lr_fail(r, n + 1, err, errlen,
                    "the line is longer than %d bytes (the most a line may have; is it a CSV "
                    "file with one trip per line?)",
                    MKT_TRIP_LINE_MAX);
            return -1;
        }
        r->text[n++] = (char)c;
    }
    if (c < 0 && ferror(r->f)) {
        sim_fail(SIM_EINPUT, err, errlen, "%s: cannot read: %s", r->name, strerror(errno));
        return -1;
    }
    r->text[n] = '\0';
    return 1;
}

/* Splits r->text at commas in place: fields trimmed of blanks and of one pair of double
 * quotes, with the column each starts at. The number of fields, or -1 past MAX_COLS. */
static int split(char *s, char **field, size_t *col) {
    int n = 0;
    char *p = s;
    for (;;) {
        if (n == MAX_COLS) return -1;
        char *end = strchr(p, ',');
        if (end) *end = '\0';
        char *a = p, *b = p + strlen(p);
        while (*a == ' ' || *a == '\t')
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            *--b = '\0';
        if (b - a >= 2 && *a == '"' && b[-1] == '"') {
            a++;
            *--b = '\0';
        }
        col[n] = (size_t)(a - s) + 1;
        field[n++] = a;
        if (!end) return n;
        p = end + 1;
    }
}

/* A plain decimal number (no hex, inf or nan). */
static bool parse_real(const char *s, double *v) {
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s)) return false;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end == '\0' && errno == 0 && isfinite(*v);
}

static bool parse_uint(const char *s, long long max, long long *v) {
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 12) return false;
    *v = strtoll(s, NULL, 10);
    return *v <= max;
}

/* Money in currency units with at most two decimals: 12, 12.5, 12.50. */
static bool parse_money(const char *s, int64_t *cents) {
    const char *dot = strchr(s, '.');
    size_t ip = dot ? (size_t)(dot - s) : strlen(s), fp = dot ? strlen(dot + 1) : 0;
    if (ip == 0 || ip > 9 || fp > 2 || strspn(s, "0123456789") != ip ||
        (dot && strspn(dot + 1, "0123456789") != fp) || (dot && fp == 0))
        return false;
    int64_t c = 0;
    for (size_t i = 0; i < ip; i++)
        c = c * 10 + (s[i] - '0');
    c *= 100;
    if (fp >= 1) c += 10 * (dot[1] - '0');
    if (fp == 2) c += dot[2] - '0';
    *cents = c;
    return true;
}

/* ---- zones ---- */

typedef struct zone {
    long long id;
    double x, y;
    unsigned long line;
} zone;

static int zone_cmp(const void *a, const void *b) {
    const zone *p = a, *q = b;
    return p->id < q->id ? -1 : p->id > q->id;
}

enum { C_TIME, C_OX, C_OY, C_DX, C_DY, C_OZ, C_DZ, C_PARTY, C_FARE, C_N };
static const char *const col_name[C_N] = {"time",      "origin_x", "origin_y",
                                          "dest_x",    "dest_y",   "origin_zone",
                                          "dest_zone", "party",    "fare"};
static const char *const valid_cols = "time, origin_x, origin_y, dest_x, dest_y, origin_zone, "
                                      "dest_zone, party, fare";

struct mkt_tripfile {
    line_reader r;
    const coop_city *city;
    zone *zones;
    size_t n_zones;
    int at[C_N]; /* field index of each known column, -1 when absent */
    int n_cols;
    sim_time prev;
    unsigned long prev_line;
};

static bool in_city(const coop_city *c, double x, double y) {
    return x >= 0 && x <= c->width && y >= 0 && y <= c->height;
}

static sim_status zones_header(line_reader *r, int at[3], char *err, size_t errlen) {
    char *field[MAX_COLS];
    size_t col[MAX_COLS];
    int n = split(r->text, field, col);
    if (n < 0)
        return lr_fail(r, 1, err, errlen, "more than %d columns (a zones file has zone, x, y)",
                       MAX_COLS);
    const char *names[3] = {"zone", "x", "y"};
    at[0] = at[1] = at[2] = -1;
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < 3 && strcmp(field[i], names[k]) != 0)
            k++;
        if (k == 3)
            return lr_fail(r, col[i], err, errlen,
                           "unknown column '%s' (a zones file has the columns zone, x, y)",
                           field[i]);
        if (at[k] >= 0)
            return lr_fail(r, col[i], err, errlen, "column '%s' appears twice", field[i]);
        at[k] = i;
    }
    for (int k = 0; k < 3; k++)
        if (at[k] < 0)
            return lr_fail(r, 1, err, errlen,
                           "missing column '%s' (the header names zone, x, y: a zone id and "
                           "its centre in metres)",
                           names[k]);
    return SIM_OK;
}

static sim_status zones_load(mkt_tripfile *t, const char *name, char *err, size_t errlen) {
    line_reader *r = malloc(sizeof *r);
    if (!r) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory reading demand.zones");
    sim_status rc = lr_open(r, name, "demand.zones", err, errlen);
    int got = rc == SIM_OK ? lr_next(r, err, errlen) : -1, at[3];
    if (rc == SIM_OK && got == 0)
        rc = sim_fail(SIM_EINPUT, err, errlen,
                      "%s: the file is empty (it needs a header row zone,x,y and one zone a line)",
                      name);
    else if (got < 0)
        rc = SIM_EINPUT;
    if (rc == SIM_OK) rc = zones_header(r, at, err, errlen);
    size_t cap = 0;
    while (rc == SIM_OK && (got = lr_next(r, err, errlen)) > 0) {
        char *field[MAX_COLS];
        size_t col[MAX_COLS];
        int n = split(r->text, field, col);
        if (n != 3) {
            rc = lr_fail(r, 1, err, errlen, "%d fields; the header has 3 (zone, x, y)",
                         n < 0 ? MAX_COLS + 1 : n);
            break;
        }
        if (t->n_zones == MKT_ZONES_MAX) {
            rc = lr_fail(r, 1, err, errlen, "more than %d zones (the most a zones file may list)",
                         MKT_ZONES_MAX);
            break;
        }
        if (t->n_zones == cap && SIM_GROW(&t->zones, &cap, t->n_zones + 1, 256) != SIM_OK) {
            rc = sim_fail(SIM_ENOMEM, err, errlen, "out of memory reading %s", name);
            break;
        }
        zone *z = &t->zones[t->n_zones];
        z->line = r->line;
        if (!parse_uint(field[at[0]], 2147483647LL, &z->id))
            rc = lr_fail(r, col[at[0]], err, errlen,
                         "column 'zone': '%s' is not a zone id (a whole number 0 to 2147483647)",
                         field[at[0]]);
        else if (!parse_real(field[at[1]], &z->x) || !parse_real(field[at[2]], &z->y))
            rc = lr_fail(r, col[at[1]], err, errlen,
                         "columns 'x', 'y': '%s', '%s' are not numbers (metres east and north of "
                         "the city's south-west corner)",
                         field[at[1]], field[at[2]]);
        else if (!in_city(t->city, z->x, z->y))
            rc = lr_fail(r, col[at[1]], err, errlen,
                         "zone %lld's centre (%g, %g) m lies outside the city (x 0 to %g, y 0 to "
                         "%g: city.width and city.height)",
                         z->id, z->x, z->y, t->city->width, t->city->height);
        else
            t->n_zones++;
    }
    if (rc == SIM_OK && got < 0) rc = SIM_EINPUT;
    if (rc == SIM_OK && t->n_zones == 0)
        rc = sim_fail(SIM_EINPUT, err, errlen, "%s: a header but no zones", name);
    if (rc == SIM_OK) {
        qsort(t->zones, t->n_zones, sizeof *t->zones, zone_cmp);
        for (size_t i = 1; i < t->n_zones; i++)
            if (t->zones[i].id == t->zones[i - 1].id) {
                unsigned long a = t->zones[i - 1].line, b = t->zones[i].line;
                rc = sim_fail(SIM_EINPUT, err, errlen, "%s:%lu:1: zone %lld is also on line %lu",
                              name, a > b ? a : b, t->zones[i].id, a > b ? b : a);
                break;
            }
    }
    lr_close(r);
    free(r);
    return rc;
}

static const zone *zone_find(const mkt_tripfile *t, long long id) {
    zone key = {.id = id};
    return bsearch(&key, t->zones, t->n_zones, sizeof key, zone_cmp);
}

/* ---- trips ---- */

static sim_status trips_header(mkt_tripfile *t, bool have_zones, char *err, size_t errlen) {
    line_reader *r = &t->r;
    char *field[MAX_COLS];
    size_t col[MAX_COLS];
    int n = split(r->text, field, col);
    if (n < 0)
        return lr_fail(r, 1, err, errlen, "more than %d columns (valid columns: %s)", MAX_COLS,
                       valid_cols);
    bool tlc = false; /* a raw TLC file names its zones so */
    for (int i = 0; i < n; i++)
        tlc = tlc || strcmp(field[i], "PULocationID") == 0;
    for (int k = 0; k < C_N; k++)
        t->at[k] = -1;
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < C_N && strcmp(field[i], col_name[k]) != 0)
            k++;
        if (k == C_N)
            return lr_fail(r, col[i], err, errlen,
                           "unknown column '%s' (valid columns: %s; the first line is the "
                           "header)%s",
                           field[i], valid_cols,
                           tlc ? "; TLC trip records convert with scripts/tlc-to-trips.py" : "");
        if (t->at[k] >= 0)
            return lr_fail(r, col[i], err, errlen, "column '%s' appears twice", field[i]);
        t->at[k] = i;
    }
    t->n_cols = n;
    bool xy = t->at[C_OX] >= 0 || t->at[C_OY] >= 0 || t->at[C_DX] >= 0 || t->at[C_DY] >= 0;
    bool zones = t->at[C_OZ] >= 0 || t->at[C_DZ] >= 0;
    if (t->at[C_TIME] < 0)
        return lr_fail(r, 1, err, errlen,
                       "missing column 'time' (seconds from the start of the run)");
    if (xy && zones)
        return lr_fail(r, 1, err, errlen,
                       "both coordinates and zones: give origin_x, origin_y, dest_x, dest_y or "
                       "origin_zone, dest_zone");
    if (!zones) {
        for (int k = C_OX; k <= C_DY; k++)
            if (t->at[k] < 0)
                return lr_fail(r, 1, err, errlen,
                               "missing column '%s' (places are origin_x, origin_y, dest_x, "
                               "dest_y in metres, or origin_zone, dest_zone with demand.zones)",
                               col_name[k]);
        return SIM_OK;
    }
    for (int k = C_OZ; k <= C_DZ; k++)
        if (t->at[k] < 0)
            return lr_fail(r, 1, err, errlen, "missing column '%s' (zones come in pairs)",
                           col_name[k]);
    if (!have_zones)
        return lr_fail(r, col[t->at[C_OZ]], err, errlen,
                       "the trips name zones: demand.zones must name a zones file (zone,x,y)");
    return SIM_OK;
}

sim_status mkt_tripfile_open(const coop_scenario *sc, mkt_tripfile **out, char *err,
                             size_t errlen) {
    *out = NULL;
    mkt_tripfile *t = calloc(1, sizeof *t);
    if (!t) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory opening demand.source");
    t->city = &sc->city;
    bool have_zones = sc->demand.zones && *sc->demand.zones;
    sim_status rc = have_zones ? zones_load(t, sc->demand.zones, err, errlen) : SIM_OK;
    if (rc == SIM_OK) rc = lr_open(&t->r, sc->demand.source, "demand.source", err, errlen);
    int got = rc == SIM_OK ? lr_next(&t->r, err, errlen) : 1;
    if (got < 0) rc = SIM_EINPUT;
    if (rc == SIM_OK && got == 0)
        rc = sim_fail(SIM_EINPUT, err, errlen,
                      "%s: the file is empty (it needs a header row, e.g. "
                      "time,origin_x,origin_y,dest_x,dest_y, then one trip a line)",
                      sc->demand.source);
    if (rc == SIM_OK) rc = trips_header(t, have_zones, err, errlen);
    if (rc != SIM_OK) {
        mkt_tripfile_close(t);
        return rc;
    }
    *out = t;
    return SIM_OK;
}

void mkt_tripfile_close(mkt_tripfile *f) {
    if (!f) return;
    lr_close(&f->r);
    free(f->zones);
    free(f);
}

/* A place from two columns: coordinates (k, k + 1) or a zone id (k). */
static sim_status place(mkt_tripfile *t, char **field, size_t *col, bool origin, double *x,
                        double *y, char *err, size_t errlen) {
    line_reader *r = &t->r;
    if (t->at[C_OZ] >= 0) {
        int i = t->at[origin ? C_OZ : C_DZ];
        long long id;
        if (!parse_uint(field[i], 2147483647LL, &id))
            return lr_fail(r, col[i], err, errlen,
                           "column '%s': '%s' is not a zone id (a whole number)",
                           col_name[origin ? C_OZ : C_DZ], field[i]);
        const zone *z = zone_find(t, id);
        if (!z)
            return lr_fail(r, col[i], err, errlen, "column '%s': zone %lld is not in %s",
                           col_name[origin ? C_OZ : C_DZ], id, "demand.zones");
        *x = z->x;
        *y = z->y;
        return SIM_OK;
    }
    int kx = origin ? C_OX : C_DX, ky = kx + 1;
    int ix = t->at[kx], iy = t->at[ky];
    if (!parse_real(field[ix], x))
        return lr_fail(r, col[ix], err, errlen, "column '%s': '%s' is not a number (metres)",
                       col_name[kx], field[ix]);
    if (!parse_real(field[iy], y))
        return lr_fail(r, col[iy], err, errlen, "column '%s': '%s' is not a number (metres)",
                       col_name[ky], field[iy]);
    if (!(*x >= 0 && *x <= t->city->width))
        return lr_fail(r, col[ix], err, errlen,
                       "column '%s': %g m lies outside the city (0 to %g m, city.width)",
                       col_name[kx], *x, t->city->width);
    if (!(*y >= 0 && *y <= t->city->height))
        return lr_fail(r, col[iy], err, errlen,
                       "column '%s': %g m lies outside the city (0 to %g m, city.height)",
                       col_name[ky], *y, t->city->height);
    return SIM_OK;
}

static sim_status parse_trip(mkt_tripfile *t, mkt_trip *trip, char *err, size_t errlen) {
    line_reader *r = &t->r;
    char *field[MAX_COLS];
    size_t col[MAX_COLS];
    int n = split(r->text, field, col);
    if (n == 1 && !field[0][0])
        return lr_fail(r, 1, err, errlen, "an empty line (one trip a line, no blank lines)");
    if (n != t->n_cols)
        return lr_fail(r, 1, err, errlen, "%d fields; the header has %d", n < 0 ? MAX_COLS + 1 : n,
                       t->n_cols);
    memset(trip, 0, sizeof *trip);
    trip->line = r->line;
    int it = t->at[C_TIME];
    double s;
    if (!parse_real(field[it], &s) || s < 0 || s > 3650.0 * 86400)
        return lr_fail(r, col[it], err, errlen,
                       "column 'time': '%s' is not a time (seconds from the start of the run, 0 "
                       "to 315360000, e.g. 3600 or 3600.25)",
                       field[it]);
    trip->t = (sim_time)llround(s * 1e6);
    if (trip->t < t->prev)
        return lr_fail(r, col[it], err, errlen,
                       "column 'time': %s s is earlier than the trip before it (line %lu, %.6g "
                       "s): the trips must be sorted by request time",
                       field[it], t->prev_line, (double)t->prev / 1e6);
    sim_status rc = place(t, field, col, true, &trip->ox, &trip->oy, err, errlen);
    if (rc == SIM_OK) rc = place(t, field, col, false, &trip->dx, &trip->dy, err, errlen);
    if (rc != SIM_OK) return rc;
    trip->party = 1;
    trip->fare = -1;
    int ip = t->at[C_PARTY], ifr = t->at[C_FARE];
    long long party;
    if (ip >= 0 && *field[ip]) {
        if (!parse_uint(field[ip], MKT_PARTY_MAX, &party) || party < 1)
            return lr_fail(r, col[ip], err, errlen,
                           "column 'party': '%s' is not a party size (1 to %d riders, or empty)",
                           field[ip], MKT_PARTY_MAX);
        trip->party = (int)party;
    }
    if (ifr >= 0 && *field[ifr] &&
        (!parse_money(field[ifr], &trip->fare) || trip->fare > MKT_FARE_MAX_CENTS))
        return lr_fail(r, col[ifr], err, errlen,
                       "column 'fare': '%s' is not a fare (currency units with at most two "
                       "decimals, 0 to %lld, e.g. 14.50, or empty)",
                       field[ifr], (long long)(MKT_FARE_MAX_CENTS / 100));
    t->prev = trip->t;
    t->prev_line = r->line;
    return SIM_OK;
}

sim_status mkt_tripfile_next(mkt_tripfile *f, mkt_trip *t, bool *got, char *err, size_t errlen) {
    *got = false;
    int n = lr_next(&f->r, err, errlen);
    if (n < 0) return SIM_EINPUT;
    if (n == 0) return SIM_OK;
    sim_status rc = parse_trip(f, t, err, errlen);
    if (rc == SIM_OK) *got = true;
    return rc;
}

sim_status mkt_tripfile_check(const coop_scenario *sc, mkt_tripfile_stats *st, char *err,
                              size_t errlen) {
    memset(st, 0, sizeof *st);
    mkt_tripfile *f;
    sim_status rc = mkt_tripfile_open(sc, &f, err, errlen);
    if (rc != SIM_OK) return rc;
    mkt_trip t;
    bool got;
    while ((rc = mkt_tripfile_next(f, &t, &got, err, errlen)) == SIM_OK && got) {
        if (st->trips == 0) st->first = t.t;
        st->last = t.t;
        st->trips++;
        if (t.t < sc->simulation.duration) st->in_run++;
    }
    if (rc == SIM_OK && st->trips == 0)
        rc = sim_fail(SIM_EINPUT, err, errlen,
                      "%s: a header but no trips (one trip a line under the header)",
                      sc->demand.source);
    mkt_tripfile_close(f);
    return rc;
}

sim_status mkt_demand_source_check(const coop_scenario *sc, const sc_where *w, char *err,
                                   size_t errlen) {
    const coop_demand *d = &sc->demand;
    coop_demand_source src = coop_demand_kind(d);
    const coop_platform *pe = sc->platforms.items;
    for (size_t i = 0; i < sc->platforms.n && src != COOP_DEMAND_NONE; i++)
        if (pe[i].ledger.load_rate > 0) {
            char at[64];
            snprintf(at, sizeof at, "platforms[%zu].ledger", i);
            return sc_fail_at(w, at, "load.rate", err, errlen,
                              "a stated transfer load is for chain-only runs (demand.source: "
                              "none); with riders the chain carries their payments");
        }
    if (src == COOP_DEMAND_GENERATED) {
        if (d->zones && *d->zones)
            return sc_fail_at(w, "demand", "zones", err, errlen,
                              "a zones file goes with a trip file that names zones (set "
                              "demand.source to the trip file, or leave demand.zones out)");
        return SIM_OK;
    }
    const char *what = src == COOP_DEMAND_FILE ? "a trip file replaces the generated stream"
                                               : "with no demand there is no stream to shape";
    /* Lists are told by their length, scalars by whether the scenario wrote them. */
    if (d->profile.n > 0)
        return sc_fail_at(w, "demand", "profile", err, errlen, "%s: remove demand.profile", what);
    if (d->days.n > 0)
        return sc_fail_at(w, "demand", "days", err, errlen, "%s: remove demand.days", what);
    if (sc_where_text(w, "demand.rate"))
        return sc_fail_at(w, "demand", "rate", err, errlen, "%s: remove demand.rate", what);
    if (sc_where_text(w, "demand.min_trip"))
        return sc_fail_at(w, "demand", "min_trip", err, errlen, "%s: remove demand.min_trip", what);
    if (src == COOP_DEMAND_NONE) {
        if (d->zones && *d->zones)
            return sc_fail_at(w, "demand", "zones", err, errlen,
                              "with demand.source: none there are no trips to place: remove "
                              "demand.zones");
        for (size_t i = 0; i < sc->platforms.n; i++)
            if (pe[i].ledger.kind != LEDGER_CHAIN) {
                char at[64];
                snprintf(at, sizeof at, "platforms[%zu].ledger", i);
                return sc_fail_at(w, at, "kind", err, errlen,
                                  "demand.source: none runs each platform's chain alone; a "
                                  "central ledger has nothing to run (use kind: chain)");
            }
        return SIM_OK;
    }
    /* A file that cannot be opened is the scenario's fault: say where it names it. */
    const char *keys[2] = {"source", "zones"}, *names[2] = {d->source, d->zones};
    for (int k = 0; k < 2; k++) {
        if (!names[k] || !*names[k]) continue;
        FILE *f = fopen(names[k], "rb");
        struct stat st;
        bool dir = f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode);
        int e = errno;
        if (f) fclose(f);
        if (!f || dir)
            return sc_fail_at(w, "demand", keys[k], err, errlen, "cannot open %s: %s", names[k],
                              dir ? "it is a directory" : strerror(e));
    }
    mkt_tripfile_stats st;
    return mkt_tripfile_check(sc, &st, err, errlen);
}

double mkt_demand_requests(const coop_scenario *sc) {
    switch (coop_demand_kind(&sc->demand)) {
    case COOP_DEMAND_NONE:
        return 0;
    case COOP_DEMAND_GENERATED:
        return sc->demand.rate * (double)sc->simulation.duration / 1e6;
    default:
        break;
    }
    FILE *f = fopen(sc->demand.source, "rb");
    if (!f) return 0;
    char buf[65536];
    size_t n;
    double lines = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))) != NULL; p++)
            lines++;
    fclose(f);
    return lines;
}
