/* Tests of the ledger's one-shot SHA-256: it must give libsodium's digest for every length,
 * across the one- and two-block padding boundaries, since ids and hashes are exported. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/ledger/ledger_internal.h"

#include <sodium.h>
#include <string.h>

static void test_known_vectors(void **state) {
    (void)state;
    static const uint8_t abc_digest[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                           0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                           0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                           0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    static const uint8_t empty_digest[32] = {0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14,
                                             0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
                                             0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
                                             0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
    uint8_t out[32];
    ledger_sha256(out, (const uint8_t *)"abc", 3);
    assert_memory_equal(out, abc_digest, 32);
    ledger_sha256(out, (const uint8_t *)"", 0);
    assert_memory_equal(out, empty_digest, 32);
}

static void test_matches_libsodium_at_every_length(void **state) {
    (void)state;
    uint8_t msg[400];
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < sizeof msg; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        msg[i] = (uint8_t)x;
    }
    for (size_t n = 0; n <= sizeof msg; n++) {
        uint8_t want[32], got[32];
        crypto_hash_sha256(want, msg + (n % 3), n - (n % 3));
        ledger_sha256(got, msg + (n % 3), n - (n % 3));
        assert_memory_equal(got, want, 32);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_matches_libsodium_at_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
