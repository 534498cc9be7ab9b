/* Output files written atomically: a temporary name in the same directory, fsync, rename. */
#include "sim/output.h"

#include <errno.h>
#include <fcntl.h>
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

int out_mkdirs(const char *dir, char *err, size_t errlen) {
    size_t n = strlen(dir);
    if (n == 0) {
        snprintf(err, errlen, "empty output directory name");
        return 2;
    }
    char *p = malloc(n + 1);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", dir);
        return 2;
    }
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create directory: %s", p, strerror(errno));
            free(p);
            return 2;
        }
        p[i] = c;
    }
    struct stat st;
    int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok) snprintf(err, errlen, "%s: exists and is not a directory", dir);
    free(p);
    return ok ? 0 : 2;
}

int out_open(out_file *o, const char *dir, const char *name, char *err, size_t errlen) {
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".%ld.tmp", (long)getpid());
    o->f = NULL;
    o->final_path = join(dir, name, "");
    o->tmp_path = join(dir, name, suffix);
    if (!o->final_path || !o->tmp_path) {
        snprintf(err, errlen, "%s/%s: out of memory", dir, name);
        out_abort(o);
        return 2;
    }
    o->f = fopen(o->tmp_path, "w");
    if (!o->f) {
        snprintf(err, errlen, "%s: cannot write: %s", o->tmp_path, strerror(errno));
        out_abort(o);
        return 2;
    }
    return 0;
}

int out_commit(out_file *o, char *err, size_t errlen) {
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
        snprintf(err, errlen, "%s: write failed: %s", o->final_path, strerror(saved));
        out_abort(o);
        return 2;
    }
    free(o->tmp_path);
    free(o->final_path);
    o->tmp_path = o->final_path = NULL;
    return 0;
}

void out_abort(out_file *o) {
    if (o->f) fclose(o->f);
    if (o->tmp_path) unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->final_path);
    o->f = NULL;
    o->tmp_path = o->final_path = NULL;
}

int out_write_json(const char *dir, const char *name, const json_t *json, char *err,
                   size_t errlen) {
    out_file o;
    if (out_open(&o, dir, name, err, errlen)) return 2;
    if (json_dumpf(json, o.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) !=
            0 ||
        fputc('\n', o.f) == EOF) {
        snprintf(err, errlen, "%s/%s: cannot write JSON", dir, name);
        out_abort(&o);
        return 2;
    }
    return out_commit(&o, err, errlen);
}

int out_csv_field(FILE *f, const char *s) {
    if (!s) s = "";
    if (!strpbrk(s, ",\"\n\r")) return fputs(s, f) == EOF ? -1 : 0;
    if (fputc('"', f) == EOF) return -1;
    for (; *s; s++) {
        if (*s == '"' && fputc('"', f) == EOF) return -1;
        if (fputc(*s, f) == EOF) return -1;
    }
    return fputc('"', f) == EOF ? -1 : 0;
}

int out_read_stream(FILE *f, size_t max, char **buf, size_t *len) {
    size_t cap = 1 << 14, n = 0;
    char *b = malloc(cap);
    *buf = NULL;
    *len = 0;
    if (!b) return OUT_READ_NOMEM;
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return OUT_READ_NOMEM;
            }
            b = nb, cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - 1 - n, f);
        n += got;
        if (n > max) {
            free(b);
            return OUT_READ_TOO_LARGE;
        }
        if (got == 0) break;
    }
    if (ferror(f)) {
        int e = errno;
        free(b);
        errno = e;
        return OUT_READ_ERROR;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return OUT_READ_OK;
}

int out_sha256_file(const char *path, char hex[65], char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return 2;
    }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: read error", path);
        return 2;
    }
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
    return 0;
}
