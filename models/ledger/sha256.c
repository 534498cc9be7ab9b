/* One-shot SHA-256 of the ledger's short messages (transaction ids, Merkle pairs, headers),
 * through OpenSSL's libcrypto, which uses the processor's SHA instructions where it has them
 * (libsodium's portable SHA-256 took a fifth of the flagship's run time). */
#include "models/ledger/ledger_internal.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <pthread.h>

/* Fetched once, and one digest context reused: looking the digest up and allocating a context
 * per call cost as much as hashing a short message. The simulation is single-threaded. */
static EVP_MD *fetched;
static EVP_MD_CTX *ctx;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch(void) {
    fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
    ctx = EVP_MD_CTX_new();
}

void ledger_sha256(uint8_t out[32], const uint8_t *in, size_t n) {
    pthread_once(&fetch_once, fetch);
    unsigned int len = 0;
    /* Without a usable libcrypto digest, libsodium gives the same bytes. */
    if (!fetched || !ctx || EVP_DigestInit_ex2(ctx, fetched, NULL) != 1 ||
        EVP_DigestUpdate(ctx, in, n) != 1 || EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != 32)
        crypto_hash_sha256(out, in, n);
}
