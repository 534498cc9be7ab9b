/* coopsim lab's runs: every request's values go through the scenario loader and checks, the run
 * goes into the lab's private directory, and its summary.json is what the page is sent. */
#define _XOPEN_SOURCE 700
#include "app/lab/lab.h"

#include "models/run.h"
#include "models/schema/schema.h"
#include "sim/experiment.h"
#include "sim/output.h"

#include <errno.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Loads the scenario with overrides, with the same checks as `coopsim run`. */
static sim_status load(const lab *L, coop_scenario *sc, const char *const *sets, size_t n,
                       sc_where **w, char *err, size_t errlen) {
    memset(sc, 0, sizeof *sc);
    sc_where *where = NULL;
    sim_status rc = sc_load_file_where(coop_keys, sc, L->file, sets, n, &where, err, errlen);
    if (rc == SIM_OK) rc = coop_check(sc, where, err, errlen);
    if (rc == SIM_OK && (sc->simulation.replications > 1 || sc->sweep.parameters.n > 0))
        rc = sim_fail(SIM_EINPUT, err, errlen,
                      "%s: the lab runs one replication of one point (remove "
                      "simulation.replications and sweep)",
                      L->file);
    if (rc != SIM_OK) sc_free(coop_keys, sc);
    if (rc == SIM_OK && w)
        *w = where;
    else
        sc_where_free(where);
    return rc;
}

/* What a run costs, roughly: requests drawn plus driver shifts, over every platform's world. */
static double work(const coop_scenario *sc) {
    double days = (double)sc->simulation.duration / (double)SIM_SEC / 86400.0;
    double per_world = sc->demand.rate * days * 86400.0 + (double)sc->drivers.count * ceil(days);
    return per_world * (double)sc->platforms.n;
}

static sim_status check_size(const coop_scenario *sc, const char *what, char *err, size_t errlen) {
    double w = work(sc);
    if (w <= LAB_WORK_MAX) return SIM_OK;
    return sim_fail(SIM_EINPUT, err, errlen,
                    "%s: too large for the lab (about %.0f requests and driver shifts; at most "
                    "%.0f: shorten simulation.duration or lower demand.rate, drivers.count)",
                    what, w, LAB_WORK_MAX);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Empties (keep_root) or removes the private directory. */
static void clear_dir(const char *dir, bool keep_root) {
    if (!dir) return;
    if (keep_root) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/run", dir);
        if (access(sub, F_OK) == 0) nftw(sub, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        return;
    }
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Each control at both ends of its range (a switch: both values) must load, and fit. */
static int check_controls(lab *L, char *err, size_t errlen) {
    const coop_lab_control *c = L->base.lab.controls.items;
    size_t n = L->base.lab.controls.n;
    char **all_max = calloc(n + 1, sizeof *all_max);
    int rc = all_max ? 0 : 2;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *ends[2] = {c[i].kind == COOP_LAB_SWITCH ? "false" : c[i].min,
                               c[i].kind == COOP_LAB_SWITCH ? "true" : c[i].max};
        for (int e = 0; rc == 0 && e < 2; e++) {
            char set[600], what[700];
            snprintf(set, sizeof set, "%s=%s", c[i].key, ends[e]);
            snprintf(what, sizeof what, "%s: lab.controls[%zu] at %s", L->file, i, ends[e]);
            const char *sets[1] = {set};
            coop_scenario sc;
            if (load(L, &sc, sets, 1, NULL, err, errlen) != SIM_OK) {
                size_t k = strlen(err);
                snprintf(err + k, errlen - k, " (from lab.controls[%zu], %s)", i, what);
                rc = 2;
                break;
            }
            if (check_size(&sc, what, err, errlen) != SIM_OK) rc = 2;
            sc_free(coop_keys, &sc);
        }
        if (rc == 0 && !(all_max[i] = malloc(strlen(c[i].key) + 32 + strlen(c[i].max)))) rc = 2;
        if (rc == 0)
            sprintf(all_max[i], "%s=%s", c[i].key,
                    c[i].kind == COOP_LAB_SWITCH ? "true" : c[i].max);
    }
    if (rc == 0) {
        coop_scenario sc;
        if (load(L, &sc, (const char *const *)all_max, n, NULL, err, errlen) == SIM_OK) {
            char what[600];
            snprintf(what, sizeof what, "%s: lab.controls all at their highest", L->file);
            if (check_size(&sc, what, err, errlen) != SIM_OK) rc = 2;
            sc_free(coop_keys, &sc);
        } /* a combination the checks refuse is said on the page when a student makes it */
    }
    for (size_t i = 0; all_max && i < n; i++)
        free(all_max[i]);
    free(all_max);
    return rc;
}

static json_t *controls_json(const lab *L) {
    const coop_lab_control *c = L->base.lab.controls.items;
    json_t *root = json_object(), *arr = json_array();
    if (!root || !arr) {
        json_decref(root);
        json_decref(arr);
        return NULL;
    }
    json_object_set_new(root, "scenario", json_string(L->base.name));
    json_object_set_new(root, "title", json_string(L->base.title ? L->base.title : ""));
    json_object_set_new(root, "notes", json_string(L->base.notes ? L->base.notes : ""));
    json_object_set_new(root, "currency", json_string(L->base.currency));
    for (size_t i = 0; i < L->base.lab.controls.n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "key", json_string(c[i].key));
        json_object_set_new(o, "label", json_string(c[i].label));
        json_object_set_new(o, "start", json_string(L->start[i]));
        if (c[i].kind == COOP_LAB_SWITCH) {
            json_object_set_new(o, "kind", json_string("switch"));
        } else {
            double v[4];
            char unit[32];
            coop_lab_number(c[i].min, &v[0], unit, sizeof unit);
            coop_lab_number(c[i].max, &v[1], unit, sizeof unit);
            coop_lab_number(c[i].step, &v[2], unit, sizeof unit);
            json_object_set_new(o, "kind", json_string("range"));
            json_object_set_new(o, "min", json_real(v[0]));
            json_object_set_new(o, "max", json_real(v[1]));
            json_object_set_new(o, "step", json_real(v[2]));
            json_object_set_new(o, "unit", json_string(unit));
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "controls", arr);
    return root;
}

/* Each control's starting value: what the file writes at its key, which must be a number in the
 * control's unit within its range (a switch: true or false). */
static int read_starts(lab *L, const sc_where *w, char *err, size_t errlen) {
    const coop_lab_control *c = L->base.lab.controls.items;
    size_t n = L->base.lab.controls.n;
    if (!(L->start = calloc(n + 1, sizeof *L->start))) return 2;
    for (size_t i = 0; i < n; i++) {
        const char *t = sc_where_text(w, c[i].key);
        char at[64];
        snprintf(at, sizeof at, "lab.controls[%zu]", i);
        if (!t)
            return sc_fail_at(w, at, "key", err, errlen,
                              "the scenario does not write %s; write its value so that the "
                              "page can start from it",
                              c[i].key),
                   2;
        if (!(L->start[i] = strdup(t))) return 2;
    }
    return 0;
}

int lab_open(lab *L, const char *file, char *err, size_t errlen) {
    L->file = file;
    pthread_mutex_init(&L->mu, NULL); /* first: lab_close destroys them whatever happens next */
    pthread_cond_init(&L->cv, NULL);
    sc_where *w = NULL;
    if (load(L, &L->base, NULL, 0, &w, err, errlen) != SIM_OK) return 2;
    int rc = check_size(&L->base, file, err, errlen) == SIM_OK ? 0 : 2;
    if (rc == 0 && L->base.lab.controls.n == 0) {
        snprintf(err, errlen,
                 "%s: no lab section: add lab.controls, the keys students may change (see "
                 "docs/teaching.md)",
                 file);
        rc = 2;
    }
    if (rc == 0) rc = read_starts(L, w, err, errlen);
    sc_where_free(w);
    if (rc == 0) {
        json_t *cj = controls_json(L);
        L->controls_json = cj ? json_dumps(cj, JSON_COMPACT) : NULL;
        json_decref(cj);
        if (!L->controls_json) {
            snprintf(err, errlen, "out of memory");
            rc = 1;
        }
    }
    if (rc == 0) rc = check_controls(L, err, errlen);
    if (rc == 0) {
        const char *base = getenv("TMPDIR");
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/coopsim-lab-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpl) || !(L->tmpdir = strdup(tmpl))) {
            snprintf(err, errlen, "cannot make a private directory under %s",
                     base && *base ? base : "/tmp");
            rc = 1;
        }
    }
    return rc;
}

void lab_close(lab *L) {
    clear_dir(L->tmpdir, false);
    free(L->tmpdir);
    for (size_t i = 0; L->start && i < L->base.lab.controls.n; i++)
        free(L->start[i]);
    free(L->start);
    free(L->controls_json);
    sc_free(coop_keys, &L->base);
    pthread_mutex_destroy(&L->mu);
    pthread_cond_destroy(&L->cv);
}

/* ---- one run ------------------------------------------------------------------------------- */

#if !LAB_ASAN
/* Private writable memory this process already has (bytes), VmData of /proc/self/status; 0 if
 * unknown. */
static double data_size(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmData:", 7) == 0) kb = strtod(line + 7, NULL);
    if (f) fclose(f);
    return kb * 1024.0;
}
#endif

/* The child's whole run: bounded address space, then the run into dir; its status and message
 * go back over fd. Never returns. */
static void child_run(const lab *L, const coop_scenario *sc, const json_t *sets_json,
                      const char *dir, bool map, int fd) {
    char err[2048] = "";
    int32_t rc = SIM_OK;
#if !LAB_ASAN
    if (L->memory_mb > 0) {
        /* The budget comes on top of what the server already has. RLIMIT_DATA, not
         * RLIMIT_AS: a thread's malloc arena reserves 64 MiB of address space ahead, which the
         * address-space limit would not see being used; memory made writable is charged to the
         * data limit as it is. */
        double lim = data_size() + (double)L->memory_mb * 1048576.0;
        struct rlimit r = {.rlim_cur = (rlim_t)lim, .rlim_max = (rlim_t)lim};
        if (setrlimit(RLIMIT_DATA, &r) != 0) rc = SIM_EINTERNAL;
    }
#endif
    json_t *sum = json_object(), *maps = map ? json_array() : NULL;
    mkt_map_opts mo = {.every = LAB_MAP_EVERY_S * SIM_SEC,
                       .frames = LAB_MAP_FRAMES,
                       .drivers = LAB_MAP_AGENTS,
                       .riders = LAB_MAP_AGENTS};
    /* The busiest hour of the first day's demand: where waits and surge show. */
    const sc_reals *pr = &sc->demand.profile;
    size_t peak = 0;
    for (size_t h = 1; h < pr->n && h < 24; h++)
        if (pr->v[h] > pr->v[peak]) peak = h;
    mo.from = (sim_time)peak * SIM_HOUR;
    if (mo.from >= sc->simulation.duration) mo.from = 0;
    coop_run_opts opts = {.outdir = dir, .map = map ? &mo : NULL, .map_out = maps};
    if (!sum || (map && !maps)) rc = SIM_ENOMEM, snprintf(err, sizeof err, "out of memory");
    if (rc == SIM_OK) {
        json_object_set_new(sum, sch_name(&exp_schema_summary, EXP_SUM_SCENARIO),
                            json_string(sc->name));
        json_object_set(sum, sch_name(&exp_schema_summary, EXP_SUM_OVERRIDES), (json_t *)sets_json);
        json_object_set_new(sum, sch_name(&exp_schema_summary, EXP_SUM_CURRENCY),
                            json_string(sc->currency));
        rc = coop_run(sc, &opts, sum, err, sizeof err);
    }
    /* A world that could not be built for lack of memory comes back as bad input (mkt_new
     * cannot tell the two apart); its message says which. */
    if (rc != SIM_OK && strstr(err, "out of memory")) rc = SIM_ENOMEM;
    if (rc == SIM_OK) rc = out_write_json(dir, exp_schema_summary.file, sum, err, sizeof err);
    if (rc == SIM_OK && maps) { /* compact: it goes to the page as it is */
        char path[4200];
        snprintf(path, sizeof path, "%s/map.json", dir);
        if (json_dump_file(maps, path, JSON_COMPACT) != 0)
            rc = sim_fail(SIM_EIO, err, sizeof err, "%s: cannot write the map", path);
    }
    size_t n = strlen(err);
    if (write(fd, &rc, sizeof rc) != (ssize_t)sizeof rc || write(fd, err, n) != (ssize_t)n)
        _exit(3);
    _exit(0);
}

/* A whole file as a string (the map, written by jansson in the child: passed on as it is, not
 * parsed again); NULL when unreadable. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    if (f && n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    if (f) fclose(f);
    return buf;
}

/* Runs in a child process (its address space bounded by --memory-limit, its wall time by
 * --time-limit: it is killed past either), which writes summary.json (and map.json) into the
 * private directory; reads them back. *stopped: why the child did not finish (0 it did,
 * 1 too slow or the lab stopping, 2 out of memory or killed). */
static sim_status run_into_tmp(lab *L, const coop_scenario *sc, const json_t *sets_json, bool map,
                               json_t **summary, char **maps, int *stopped, char *err,
                               size_t errlen) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/run", L->tmpdir);
    clear_dir(L->tmpdir, true);
    *stopped = 0;
    sim_status rc = out_mkdirs(dir, err, errlen);
    if (rc != SIM_OK) return rc;
    int fd[2];
    if (pipe(fd) != 0) return sim_fail(SIM_EIO, err, errlen, "cannot start a run (pipe)");
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return sim_fail(SIM_EIO, err, errlen, "cannot start a run (fork)");
    }
    if (pid == 0) {
        close(fd[0]);
        child_run(L, sc, sets_json, dir, map, fd[1]);
    }
    close(fd[1]);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char buf[2048 + sizeof(int32_t)];
    size_t got = 0;
    for (;;) {
        struct pollfd p = {.fd = fd[0], .events = POLLIN};
        int k = poll(&p, 1, 100);
        if (k > 0) {
            ssize_t r = read(fd[0], buf + got, sizeof buf - 1 - got);
            if (r > 0) {
                got += (size_t)r;
                if (got < sizeof buf - 1) continue;
            }
            break; /* end of file: the child is done (or gone) */
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        double el = (double)(t.tv_sec - t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - t0.tv_nsec);
        if (el > L->time_limit_s || L->stopping) {
            kill(pid, SIGKILL);
            *stopped = 1;
            break;
        }
    }
    close(fd[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (*stopped) return SIM_EINTERNAL;
    int32_t crc = SIM_EINTERNAL;
    if (got >= sizeof crc) memcpy(&crc, buf, sizeof crc);
    buf[got] = '\0';
    if (got < sizeof crc || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || crc == SIM_ENOMEM) {
        /* Killed, or out of memory: beyond the address space the lab allows is the usual cause. */
        *stopped = 2;
        return SIM_ENOMEM;
    }
    if (crc != SIM_OK) return sim_fail((sim_status)crc, err, errlen, "%s", buf + sizeof crc);
    char path[4200];
    json_error_t je;
    snprintf(path, sizeof path, "%s/%s", dir, exp_schema_summary.file);
    if (!(*summary = json_load_file(path, 0, &je)))
        return sim_fail(SIM_EIO, err, errlen, "%s: %s", path, je.text);
    snprintf(path, sizeof path, "%s/map.json", dir);
    if (map && !(*maps = slurp(path)))
        return sim_fail(SIM_EIO, err, errlen, "%s: cannot read the map", path);
    return SIM_OK;
}

static json_t *error_json(const char *msg) {
    return json_pack("{s:s}", "error", msg);
}

/* The overrides of a request: only the controls' keys, each value in its control's range and
 * unit (a switch: true or false). 0, or 400 with the message. */
static int request_sets(const lab *L, const json_t *set, char **sets, size_t *n, char *err,
                        size_t errlen) {
    const coop_lab_control *c = L->base.lab.controls.items;
    const char *key;
    json_t *val;
    *n = 0;
    if (!json_is_object(set)) return snprintf(err, errlen, "expected {\"set\": {key: value}}"), 400;
    json_object_foreach((json_t *)set, key, val) {
        size_t i = 0;
        while (i < L->base.lab.controls.n && strcmp(c[i].key, key) != 0)
            i++;
        if (i == L->base.lab.controls.n)
            return snprintf(err, errlen, "%.200s: not one of this lab's controls", key), 400;
        const char *v = json_string_value(val);
        if (!v || strlen(v) > 64)
            return snprintf(err, errlen, "%.200s: the value must be a short text", key), 400;
        if (c[i].kind == COOP_LAB_SWITCH) {
            if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
                return snprintf(err, errlen, "%s: '%.64s' is not true or false", key, v), 400;
        } else {
            double x, lo, hi;
            char u[32], ul[32];
            coop_lab_number(c[i].min, &lo, ul, sizeof ul);
            coop_lab_number(c[i].max, &hi, ul, sizeof ul);
            double slack = 1e-9 * (hi - lo);
            if (!coop_lab_number(v, &x, u, sizeof u) || strcmp(u, ul) != 0 || x < lo - slack ||
                x > hi + slack)
                return snprintf(err, errlen, "%s: '%.64s' is not between %s and %s", key, v,
                                c[i].min, c[i].max),
                       400;
        }
        if (!(sets[*n] = malloc(strlen(key) + strlen(v) + 2))) return 500;
        sprintf(sets[(*n)++], "%s=%s", key, v);
    }
    return 0;
}

int lab_run(lab *L, const json_t *set, bool map, json_t **out, char **maps) {
    char err[2048] = "", *sets[16 + 1] = {0};
    size_t n = 0;
    int status = json_object_size(set) > L->base.lab.controls.n
                     ? (snprintf(err, sizeof err, "more values than controls"), 400)
                     : request_sets(L, set, sets, &n, err, sizeof err);
    coop_scenario sc;
    json_t *summary = NULL, *sets_json = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sets_json, json_string(sets[i]));
    if (status == 0) {
        sim_status rc = load(L, &sc, (const char *const *)sets, n, NULL, err, sizeof err);
        if (rc == SIM_OK && check_size(&sc, "these values", err, sizeof err) != SIM_OK) {
            sc_free(coop_keys, &sc);
            rc = SIM_EINPUT;
        }
        if (rc != SIM_OK) status = rc == SIM_EINPUT ? 400 : 500;
    }
    *maps = NULL;
    if (status == 0) {
        int stopped = 0;
        sim_status rc =
            run_into_tmp(L, &sc, sets_json, map, &summary, maps, &stopped, err, sizeof err);
        sc_free(coop_keys, &sc);
        if (stopped == 1) {
            snprintf(err, sizeof err,
                     L->stopping ? "the lab is shutting down"
                                 : "the run took longer than the lab allows (%g s)",
                     L->time_limit_s);
            status = 503;
        } else if (stopped == 2) {
            snprintf(err, sizeof err,
                     "the run needed more memory than the lab allows (%lu MiB): lower the "
                     "drivers or the demand",
                     L->memory_mb);
            status = 503;
        } else {
            status = rc == SIM_OK ? 200 : rc == SIM_EINPUT ? 400 : 500;
        }
    }
    if (status == 200) {
        *out = json_pack("{s:s, s:O, s:O}", "currency", L->base.currency, "overrides", sets_json,
                         "platforms",
                         json_object_get(summary, sch_name(&schema_run, SCH_RUN_PLATFORMS)));
        if (!*out) status = 500, snprintf(err, sizeof err, "out of memory");
    }
    if (status != 200) {
        free(*maps);
        *maps = NULL;
    }
    if (status != 200) *out = error_json(err);
    json_decref(summary);
    json_decref(sets_json);
    for (size_t i = 0; i < n; i++)
        free(sets[i]);
    return status;
}
