/* The data files behind the plots: written atomically, one block per platform with its label
 * row, each block's platform noted so that a platform keeps its colour in every plot. */
#include "models/report/report_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LABEL_MAX 60

/* A data file is written under a name of this process's and renamed into place, so that a
 * report made at the same time by another process never has gnuplot read it half written. */
int rp_dopen(rp_dfile *d, rp_ctx *ctx, const char *name, char *err, size_t errlen) {
    snprintf(d->path, sizeof d->path, "%s/%s.dat", ctx->datadir, name);
    snprintf(d->tmp, sizeof d->tmp, "%s/.tmp-%ld-%s.dat", ctx->datadir, (long)getpid(), name);
    d->f = fopen(d->tmp, "w");
    if (!d->f) {
        snprintf(err, errlen, "%s: cannot write", d->path);
        return 2;
    }
    return 0;
}

int rp_dclose(rp_dfile *d, char *err, size_t errlen) {
    bool bad = ferror(d->f) != 0;
    if (fclose(d->f) != 0 || bad || rename(d->tmp, d->path) != 0) {
        remove(d->tmp);
        snprintf(err, errlen, "%s: write error", d->path);
        return 2;
    }
    return 0;
}

void rp_dlabel(FILE *f, const char *a, const char *b, const char *end) {
    char buf[4 * LABEL_MAX + 8], joined[512];
    snprintf(joined, sizeof joined, "%s%s%s", a, b && *b ? ": " : "", b ? b : "");
    rp_gp_label(joined, buf, sizeof buf, LABEL_MAX);
    fprintf(f, "\"%s\"%s", buf, end);
}

void rp_note_block(rp_ctx *ctx, size_t i) {
    size_t n = strlen(ctx->styles);
    snprintf(ctx->styles + n, sizeof ctx->styles - n, "%s%zu", n ? " " : "", i % 8 + 1);
}

long rp_row_platform(const rp_ctx *ctx, const rp_table *t, size_t row, int col) {
    if (col < 0) return ctx->npf == 1 ? 0 : -1;
    const char *s = rp_cell(t, row, col);
    for (size_t i = 0; i < ctx->npf; i++)
        if (ctx->pf[i].name && strcmp(s, ctx->pf[i].name) == 0) return (long)i;
    return -1;
}
