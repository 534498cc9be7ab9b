/* verify-ledger on what a run wrote: one export, or a run directory with its ledger-<platform>/
 * exports; each export's fingerprint is cross-checked against the ledger_fingerprint the run
 * recorded (summary.json, or an experiment's run record) when that file is beside it. */
#include "models/ledger/ledger.h"

#include "sim/output.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A run's summary is far smaller than this; the bound keeps a hostile file from filling memory. */
#define SUMMARY_MAX ((size_t)256 << 20)

void ledger_dir_name(const char *platform, char *out, size_t n) {
    if (n == 0) return;
    int k = snprintf(out, n, "ledger-");
    for (const char *c = platform ? platform : "platform"; *c && k < (int)n - 1; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
        out[k++] = ok ? *c : '_';
    }
    out[k < (int)n ? k : (int)n - 1] = '\0';
}

static void append(char *msg, size_t len, const char *fmt, ...) {
    size_t used = strlen(msg);
    if (used + 1 >= len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + used, len - used, fmt, ap);
    va_end(ap);
}

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The platforms list of summary.json in run_dir, or of the run record run_dir.json (an
 * experiment's runs/run-N/). NULL with *why when there is none or it is unreadable. */
static json_t *run_platforms(const char *run_dir, const char **file, bool *unreadable) {
    static const char *const names[2] = {"summary.json", ".json"};
    char path[4200];
    *unreadable = false;
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s%s%s", run_dir, i == 0 ? "/" : "", names[i]);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        char *buf = NULL;
        size_t n = 0;
        char why[256];
        sim_status r = out_read_stream(f, SUMMARY_MAX, path, &buf, &n, why, sizeof why);
        fclose(f);
        json_t *j = r == SIM_OK ? json_loadb(buf, n, 0, NULL) : NULL;
        free(buf);
        *file = i == 0 ? "summary.json" : "its run record";
        json_t *p = json_object_get(j, "platforms");
        if (!p) p = json_object_get(json_object_get(j, "metrics"), "platforms");
        if (!json_is_array(p)) {
            json_decref(j);
            *unreadable = true;
            return NULL;
        }
        json_incref(p);
        json_decref(j);
        return p;
    }
    return NULL;
}

/* Cross-checks the fingerprint of the export named base (ledger-X) in run_dir. 0 it matches
 * (or there is nothing to check against: *note says which), 1 it does not, 2 unreadable. */
static int cross_check(const char *run_dir, const char *base, const char *fp, char *note,
                       size_t n) {
    const char *file = NULL;
    bool unreadable;
    json_t *ps = run_platforms(run_dir, &file, &unreadable);
    if (!ps) {
        if (unreadable) {
            snprintf(note, n, "; %s beside it lists no platforms, so it cannot be cross-checked",
                     file);
            return 2;
        }
        snprintf(note, n, "; no summary.json beside it, so it is checked by itself only");
        return 0;
    }
    int rc = 1;
    snprintf(note, n, "; but %s records no platform whose export is %s/", file, base);
    for (size_t i = 0; i < json_array_size(ps); i++) {
        const json_t *p = json_array_get(ps, i);
        const char *name = json_string_value(json_object_get(p, "name"));
        char mine[600];
        ledger_dir_name(name, mine, sizeof mine);
        if (!name || strcmp(mine, base) != 0) continue;
        const char *want =
            json_string_value(json_object_get(json_object_get(p, "chain"), "ledger_fingerprint"));
        if (want && strcmp(want, fp) == 0) {
            snprintf(note, n, "; it is the ledger the run produced (%s's ledger_fingerprint)",
                     file);
            rc = 0;
        } else {
            snprintf(note, n,
                     "; but it is not the ledger the run produced: its fingerprint differs from "
                     "the ledger_fingerprint %s records for that platform",
                     file);
        }
        break;
    }
    json_decref(ps);
    return rc;
}

/* Verifies one export and cross-checks it; appends one line to msg. */
static int verify_one(const char *dir, const char *run_dir, const char *base, char *msg,
                      size_t len) {
    char fp[65], one[2048], note[512] = "";
    int rc = ledger_verify_export(dir, fp, one, sizeof one);
    if (rc == 0 && base && strncmp(base, "ledger-", 7) == 0)
        rc = cross_check(run_dir, base, fp, note, sizeof note);
    append(msg, len, "%s%s%s", msg[0] ? "\n" : "", one, note);
    return rc;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each ledger-* directory of a run directory, in name order. */
static int verify_run_dir(const char *dir, char *msg, size_t len) {
    DIR *d = opendir(dir);
    if (!d) return snprintf(msg, len, "%s: %s", dir, strerror(errno)), 2;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "ledger-", 7) != 0) continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!is_dir(path)) continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 8;
            char **p = realloc(names, nc * sizeof *p);
            if (!p) break;
            names = p, cap = nc;
        }
        if (!(names[n] = strdup(e->d_name))) break;
        n++;
    }
    closedir(d);
    if (n == 0) {
        snprintf(msg, len,
                 "%s: not a ledger export (no state.json) nor a run directory with ledger-*/ "
                 "exports (run with --ledger)",
                 dir);
        rc = 2;
    }
    if (n) qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int r = verify_one(path, dir, names[i], msg, len);
        if (r > rc) rc = r;
        free(names[i]);
    }
    free(names);
    return rc;
}

ledger_verdict ledger_verify_dir(const char *dir, char *msg, size_t len) {
    if (len) msg[0] = '\0';
    struct stat st;
    if (stat(dir, &st) != 0) return snprintf(msg, len, "%s: %s", dir, strerror(errno)), 2;
    if (!S_ISDIR(st.st_mode))
        return snprintf(msg, len, "%s: not a directory (give a ledger export or a run directory)",
                        dir),
               2;
    char path[4200];
    snprintf(path, sizeof path, "%s/state.json", dir);
    if (access(path, F_OK) != 0) return verify_run_dir(dir, msg, len);
    /* An export: its run directory is the one above it. */
    char parent[4200];
    snprintf(parent, sizeof parent, "%s", dir);
    size_t k = strlen(parent);
    while (k > 1 && parent[k - 1] == '/')
        parent[--k] = '\0';
    char *slash = strrchr(parent, '/');
    const char *base = slash ? slash + 1 : parent;
    char basename[600];
    snprintf(basename, sizeof basename, "%s", base);
    if (slash == parent)
        parent[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    return verify_one(dir, parent, basename, msg, len);
}
