/* One-shot SHA-256 of the ledger's short messages (transaction ids, Merkle pairs, headers):
 * the x86 SHA extensions where the processor has them, libsodium everywhere else. */
#include "models/ledger/ledger_internal.h"

#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LSHA_NI 1
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* state[] in the standard order a..h; the instructions want it as ABEF / CDGH. Message words
 * W[4j..4j+3] live in m[j % 4]: each group of four rounds computes the words four groups on. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
compress_ni(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)(const void *)&state[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);       /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);         /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8); /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);      /* CDGH */
    for (; blocks > 0; blocks--, data += 64) {
        __m128i save0 = s0, save1 = s1, m[4];
        for (int j = 0; j < 4; j++)
            m[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(data + 16 * j)),
                                    bswap);
        for (int i = 0; i < 16; i++) {
            __m128i msg =
                _mm_add_epi32(m[i & 3], _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));
            if (i < 12) {
                __m128i x = _mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4));
                m[i & 3] = _mm_sha256msg2_epu32(x, m[(i + 3) & 3]);
            }
        }
        s0 = _mm_add_epi32(s0, save0);
        s1 = _mm_add_epi32(s1, save1);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);   /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);    /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0); /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);    /* ABEF */
    _mm_storeu_si128((__m128i *)(void *)&state[0], s0);
    _mm_storeu_si128((__m128i *)(void *)&state[4], s1);
}

static void sha256_ni(uint8_t out[32], const uint8_t *in, size_t n) {
    uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = n / 64;
    compress_ni(st, in, full);
    uint8_t tail[128] = {0};
    size_t r = n - 64 * full;
    memcpy(tail, in + 64 * full, r);
    tail[r] = 0x80;
    size_t tb = r + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++)
        tail[64 * tb - 1 - i] = (uint8_t)(bits >> (8 * i));
    compress_ni(st, tail, tb);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (uint8_t)(st[i] >> (24 - 8 * j));
}

/* 0: not yet asked, 1: no SHA extensions, 2: SHA extensions with SSSE3 and SSE4.1 */
static atomic_int have_ni;

static bool cpu_has_ni(void) {
    int v = atomic_load_explicit(&have_ni, memory_order_relaxed);
    if (v == 0) {
        unsigned a, b, c, d;
        bool ok = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1);
        ok = ok && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
        v = ok ? 2 : 1;
        atomic_store_explicit(&have_ni, v, memory_order_relaxed);
    }
    return v == 2;
}
#endif

void ledger_sha256(uint8_t out[32], const uint8_t *in, size_t n) {
#ifdef LSHA_NI
    if (cpu_has_ni()) {
        sha256_ni(out, in, n);
        return;
    }
#endif
    crypto_hash_sha256(out, in, n);
}
