/* libFuzzer target: any bytes as a ledger export through the verifier (state.json and
 * blocks.jsonl from one input: two bytes give the length of the state, the rest is blocks);
 * must never crash, leak or take memory past the verifier's bounds. */
#include "models/ledger/ledger.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *stream(const uint8_t *p, size_t n) {
    /* fmemopen refuses an empty buffer; an empty file reads the same */
    return n ? fmemopen((void *)p, n, "r") : fopen("/dev/null", "r");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t k = ((size_t)data[0] | (size_t)data[1] << 8) % (size - 1);
    FILE *state = stream(data + 2, k), *blocks = stream(data + 2 + k, size - 2 - k);
    if (state && blocks) {
        char msg[2048], fp[65];
        (void)ledger_verify_streams(state, blocks, "fuzz", fp, msg, sizeof msg);
    }
    if (state) fclose(state);
    if (blocks) fclose(blocks);
    return 0;
}
