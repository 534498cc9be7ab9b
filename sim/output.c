/* Output files written atomically: a temporary name in the same directory, fsync, rename. */
#include "sim/output.h"

#include "sim/error.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join(const char *dir, const char *name, const char *suffix) {
    size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s", dir, name, suffix);
    return p;
}

sim_status out_mkdirs(const char *dir, char *err, size_t errlen) {
    size_t n = strlen(dir);
    if (n == 0) return sim_fail(SIM_EINPUT, err, errlen, "empty output directory name");
    char *p = malloc(n + 1);
    if (!p) return sim_fail(SIM_ENOMEM, err, errlen, "%s: out of memory", dir);
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            sim_fail(SIM_EIO, err, errlen, "%s: cannot create directory: %s", p, strerror(errno));
            free(p);
            return SIM_EIO;
        }
        p[i] = c;
    }
    struct stat st;
    int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return ok ? SIM_OK : sim_fail(SIM_EIO, err, errlen, "%s: exists and is not a directory", dir);
}

sim_status out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen) {
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".%ld.tmp", (long)getpid());
    o->f = NULL;
    o->final_path = join(dir, name, "");
    o->tmp_path = join(dir, name, suffix);
    if (!o->final_path || !o->tmp_path) {
        out_abort(o);
        return sim_fail(SIM_ENOMEM, err, errlen, "%s/%s: out of memory", dir, name);
    }
    o->f = fopen(o->tmp_path, "w");
    if (!o->f) {
        sim_fail(SIM_EIO, err, errlen, "%s: cannot write: %s", o->tmp_path, strerror(errno));
        out_abort(o);
        return SIM_EIO;
    }
    return SIM_OK;
}

sim_status out_commit(out_file *o, char *err, size_t errlen) {
    int bad = ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;
    int saved = errno;
    if (fclose(o->f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    o->f = NULL;
    if (!bad && rename(o->tmp_path, o->final_path) != 0) {
        bad = 1;
        saved = errno;
    }
    if (bad) {
        sim_fail(SIM_EIO, err, errlen, "%s: write failed: %s", o->final_path, strerror(saved));
        out_abort(o);
        return SIM_EIO;
    }
    free(o->tmp_path);
    free(o->final_path);
    o->tmp_path = o->final_path = NULL;
    return SIM_OK;
}

void out_abort(out_file *o) {
    if (o->f) fclose(o->f);
    if (o->tmp_path) unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->final_path);
    o->f = NULL;
    o->tmp_path = o->final_path = NULL;
}

sim_status out_write_json(const char *dir, const char *name, const json_t *json, char *err,
                          size_t errlen) {
    out_file o;
    sim_status rc = out_open(&o, dir, name, err, errlen);
    if (rc != SIM_OK) return rc;
    if (json_dumpf(json, o.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) !=
            0 ||
        fputc('\n', o.f) == EOF) {
        out_abort(&o);
        return sim_fail(SIM_EIO, err, errlen, "%s/%s: cannot write JSON", dir, name);
    }
    return out_commit(&o, err, errlen);
}

bool out_csv_field(FILE *f, const char *s) {
    if (!s) s = "";
    if (!strpbrk(s, ",\"\n\r")) return fputs(s, f) != EOF;
    if (fputc('"', f) == EOF) return false;
    for (; *s; s++) {
        if (*s == '"' && fputc('"', f) == EOF) return false;
        if (fputc(*s, f) == EOF) return false;
    }
    return fputc('"', f) != EOF;
}

void out_csv_cents(FILE *f, int64_t cents) {
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    fprintf(f, ",%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", a / 100, a % 100);
}

void out_csv_real(FILE *f, const char *fmt, double x) {
    fputc(',', f);
    if (isfinite(x)) fprintf(f, fmt, x);
}

sim_status out_read_stream(FILE *f, size_t max, const char *name, char **buf, size_t *len,
                           char *err, size_t errlen) {
    size_t cap = 0, n = 0;
    char *b = NULL;
    *buf = NULL;
    *len = 0;
    for (;;) {
        if (n + 1 >= cap && SIM_GROW(&b, &cap, n + 2, (size_t)1 << 14) != SIM_OK) {
            free(b);
            return sim_fail(SIM_ENOMEM, err, errlen, "%s: out of memory", name);
        }
        size_t got = fread(b + n, 1, cap - 1 - n, f);
        n += got;
        if (n > max) {
            free(b);
            return sim_fail(SIM_EINPUT, err, errlen, "%s: too large (at most %zu bytes)", name,
                            max);
        }
        if (got == 0) break;
    }
    if (ferror(f)) {
        int e = errno;
        free(b);
        return sim_fail(SIM_EIO, err, errlen, "%s: cannot read: %s", name, strerror(e));
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return SIM_OK;
}

sim_status out_sha256_file(const char *path, char hex[65], char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) return sim_fail(SIM_EIO, err, errlen, "%s: cannot open: %s", path, strerror(errno));
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return sim_fail(SIM_EIO, err, errlen, "%s: read error", path);
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
    return SIM_OK;
}
