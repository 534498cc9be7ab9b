/* The paired record of each measured request, streamed in request order so that the comparison
 * of platforms in separate worlds can pair the same request across them without keeping any. */
#include "models/market/world.h"

#include <stdio.h>
#include <string.h>

/* 16 bytes, little-endian whatever the host: request (4), outcome (1), surged (1), two unused,
 * wait in microseconds (8, -1: never picked up). */
enum { PAIR_BYTES = 16 };

static void put_le(unsigned char *b, uint64_t v, int n) {
    for (int i = 0; i < n; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *b, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static int outcome(int status) {
    switch (status) {
    case R_SERVED:
        return MKT_PAIR_SERVED;
    case R_ABANDONED:
        return MKT_PAIR_ABANDONED;
    case R_REFUSED:
        return MKT_PAIR_REFUSED;
    case R_CLOSED:
        return MKT_PAIR_CLOSED;
    default:
        return MKT_PAIR_UNDER_WAY;
    }
}

int mkt_pair_put(FILE *f, uint32_t rid, const mkt_request *r) {
    unsigned char b[PAIR_BYTES];
    memset(b, 0, sizeof b);
    bool picked = r->status == R_SERVED || r->status == R_RIDING;
    /* the multiplier the rider paid: served (the fare is paid at drop-off) and above 1 */
    bool surged = r->status == R_SERVED && r->q.surge > 1.0;
    int64_t wait = picked ? r->t_pickup - r->t_req : -1;
    put_le(b, rid, 4);
    b[4] = (unsigned char)outcome(r->status);
    b[5] = surged;
    put_le(b + 8, (uint64_t)wait, 8);
    return fwrite(b, 1, sizeof b, f) == sizeof b ? 0 : -1;
}

int mkt_stream_pairs(mkt_world *w, FILE *f) {
    w->riders.pairs = f;
    return ferror(f) ? -1 : 0;
}

int mkt_pair_read(FILE *f, mkt_pair_rec *r) {
    unsigned char b[PAIR_BYTES];
    size_t got = fread(b, 1, sizeof b, f);
    if (got == 0 && feof(f)) return 0;
    if (got != sizeof b || b[4] > MKT_PAIR_UNDER_WAY) return -1;
    r->request = (uint32_t)get_le(b, 4);
    r->outcome = b[4];
    r->surged = b[5] != 0;
    r->wait_us = (int64_t)get_le(b + 8, 8);
    return 1;
}
