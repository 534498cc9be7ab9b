/* Claiming an output directory for one run: a lock so that two runs never write into one
 * directory at once, and a manifest (.coopsim-manifest) of the files the last run owns, so that
 * a new run starts from a directory holding nothing of an older one (and refuses a directory
 * coopsim did not write, unless forced). */
#define _XOPEN_SOURCE 700
#include "sim/output_dir.h"

#include "sim/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST ".coopsim-manifest"
#define LOCKFILE ".coopsim.lock"
#define MANIFEST_FORMAT "coopsim-manifest-1"

static bool is_ours(const char *name) {
    return strcmp(name, MANIFEST) == 0 || strcmp(name, LOCKFILE) == 0 ||
           strncmp(name, MANIFEST ".", sizeof MANIFEST) == 0; /* its temporary file */
}

static bool in_list(const json_t *list, const char *name) {
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v) if (json_is_string(v) &&
                                       strcmp(json_string_value(v), name) == 0) return true;
    return false;
}

/* The top-level entries of dir that are not coopsim's bookkeeping. */
static json_t *entries(const char *dir) {
    json_t *list = json_array();
    DIR *d = opendir(dir);
    if (!d || !list) {
        if (d) closedir(d);
        json_decref(list);
        return NULL;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !is_ours(e->d_name))
            json_array_append_new(list, json_string(e->d_name));
    closedir(d);
    return list;
}

/* ---- walking the files a run wrote ------------------------------------------------------ */

static struct {
    size_t root_len;
    const json_t *foreign;
    json_t *files;  /* collect: relative paths of regular files */
    bool remove;    /* remove what is not foreign instead */
    bool dirs_only; /* remove: only directories left empty */
    int failed;
} walk;

static const char *relative(const char *path) {
    return path + walk.root_len + (path[walk.root_len] == '/');
}

/* The top-level name of a relative path is foreign: keep the whole subtree. */
static bool foreign_path(const char *rel) {
    char top[NAME_MAX + 1];
    size_t n = strcspn(rel, "/");
    if (n > NAME_MAX) return false;
    memcpy(top, rel, n);
    top[n] = '\0';
    return is_ours(top) || in_list(walk.foreign, top);
}

static int visit(const char *path, const struct stat *st, int flag, struct FTW *f) {
    (void)st;
    if (f->level == 0) return 0;
    const char *rel = relative(path);
    if (foreign_path(rel)) return 0;
    if (walk.remove) {
        if (flag != FTW_DP && walk.dirs_only) return 0;
        int r = flag == FTW_DP ? rmdir(path) : unlink(path);
        if (r != 0 && errno != ENOTEMPTY && errno != ENOENT) walk.failed = errno;
    } else if (flag == FTW_F || flag == FTW_SL) {
        json_array_append_new(walk.files, json_string(rel));
    }
    return 0;
}

static int walk_dir(const char *dir, const json_t *foreign, json_t *files, bool remove,
                    bool dirs_only) {
    walk.dirs_only = dirs_only;
    walk.root_len = strlen(dir);
    walk.foreign = foreign;
    walk.files = files;
    walk.remove = remove;
    walk.failed = 0;
    if (nftw(dir, visit, 32, FTW_PHYS | FTW_DEPTH) != 0) return errno ? errno : EIO;
    return walk.failed;
}

static int by_text(const void *a, const void *b) {
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* A temporary file of out_open ("name.<pid>.tmp") or of a plot (".tmp-name.ext"): with the
 * lock held no other run is writing, so any left was a killed run's. */
static bool temporary(const char *name) {
    if (strncmp(name, ".tmp-", 5) == 0) return true;
    size_t n = strlen(name);
    if (n < 6 || strcmp(name + n - 4, ".tmp") != 0) return false;
    size_t i = n - 4;
    while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
        i--;
    return i < n - 4 && i > 1 && name[i - 1] == '.';
}

static int drop_temporary(const char *path, const struct stat *st, int flag, struct FTW *f) {
    (void)st;
    if (flag == FTW_F && temporary(path + f->base)) unlink(path);
    return 0;
}

/* ---- the manifest ----------------------------------------------------------------------- */

static json_t *read_manifest(const char *dir) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, MANIFEST);
    json_t *m = json_load_file(path, 0, NULL);
    const char *fmt = json_string_value(json_object_get(m, "format"));
    if (m &&
        (!fmt || strcmp(fmt, MANIFEST_FORMAT) != 0 || !json_is_array(json_object_get(m, "files")) ||
         !json_is_array(json_object_get(m, "foreign")))) {
        json_decref(m);
        return json_pack("{s:s,s:b,s:[],s:[]}", "format", MANIFEST_FORMAT, "complete", 0, "files",
                         "foreign"); /* damaged: treat as an interrupted run's */
    }
    return m;
}

static sim_status write_manifest(const char *dir, const json_t *foreign, bool complete, char *err,
                                 size_t errlen) {
    json_t *files = json_array();
    if (!files) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    if (complete) {
        int e = walk_dir(dir, foreign, files, false, false);
        if (e) {
            json_decref(files);
            return sim_fail(SIM_EIO, err, errlen, "%s: cannot list the files written: %s", dir,
                            strerror(e));
        }
        /* in name order, so that the manifest of a run does not depend on the file system */
        size_t n = json_array_size(files);
        json_t **v = malloc((n ? n : 1) * sizeof *v);
        if (v) {
            for (size_t i = 0; i < n; i++)
                v[i] = json_incref(json_array_get(files, i));
            qsort(v, n, sizeof *v, by_text);
            json_array_clear(files);
            for (size_t i = 0; i < n; i++)
                json_array_append_new(files, v[i]);
            free(v);
        }
    }
    json_t *m = json_pack("{s:s,s:b,s:o,s:O}", "format", MANIFEST_FORMAT, "complete", complete,
                          "files", files, "foreign", foreign);
    if (!m) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    sim_status rc = out_write_json(dir, MANIFEST, m, err, errlen);
    json_decref(m);
    return rc;
}

/* ---- claim, record, release ------------------------------------------------------------- */

/* Refuses an input file inside the output directory: a run would overwrite or remove it. */
static sim_status check_inputs(const char *dir, const char *const *inputs, size_t n, char *err,
                               size_t errlen) {
    char rd[PATH_MAX], ri[PATH_MAX];
    if (!realpath(dir, rd)) return SIM_OK;
    size_t len = strlen(rd);
    for (size_t i = 0; i < n; i++) {
        if (!inputs[i] || !realpath(inputs[i], ri)) continue;
        if (strncmp(ri, rd, len) == 0 && (ri[len] == '/' || ri[len] == '\0'))
            return sim_fail(SIM_EINPUT, err, errlen,
                            "%s: the scenario file is inside the output directory %s, where the "
                            "run would overwrite or remove it; choose another output directory",
                            inputs[i], dir);
    }
    return SIM_OK;
}

static sim_status take_lock(out_claim *c, const char *dir, char *err, size_t errlen) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, LOCKFILE);
    c->lock_fd = open(path, O_RDWR | O_CREAT, 0644);
    if (c->lock_fd < 0)
        return sim_fail(SIM_EIO, err, errlen, "%s: cannot create the lock: %s", path,
                        strerror(errno));
    if (flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(c->lock_fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        close(c->lock_fd);
        c->lock_fd = -1;
        return sim_fail(SIM_EINPUT, err, errlen,
                        "%s: another coopsim run%s%s%s is writing into this directory; wait for "
                        "it to finish or choose another output directory",
                        dir, *pid ? " (process " : "", pid, *pid ? ")" : "");
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(c->lock_fd, 0) != 0 || pwrite(c->lock_fd, pid, (size_t)n, 0) != n) {
        /* the pid is only for the message of a refused run: the lock itself holds */
    }
    return SIM_OK;
}

sim_status out_dir_claim(out_claim *c, const char *dir, const char *const *inputs, size_t n_inputs,
                         unsigned flags, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    c->lock_fd = -1;
    struct stat st;
    if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode) && stat(dir, &st) != 0) {
        char target[PATH_MAX];
        ssize_t n = readlink(dir, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        return sim_fail(SIM_EINPUT, err, errlen,
                        "%s: a symbolic link to '%s', which does not exist; create it, or "
                        "remove the link",
                        dir, target);
    }
    sim_status rc = out_mkdirs(dir, err, errlen);
    if (rc != SIM_OK) return rc;
    if ((rc = check_inputs(dir, inputs, n_inputs, err, errlen)) != SIM_OK ||
        (rc = take_lock(c, dir, err, errlen)) != SIM_OK) {
        out_dir_release(c);
        return rc;
    }
    nftw(dir, drop_temporary, 32, FTW_PHYS);
    if (!(c->dir = strdup(dir))) {
        out_dir_release(c);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    json_t *m = read_manifest(dir), *now = entries(dir);
    if (!now) {
        json_decref(m);
        out_dir_release(c);
        return sim_fail(SIM_EIO, err, errlen, "%s: cannot list: %s", dir, strerror(errno));
    }
    if (!m && json_array_size(now) > 0 && !(flags & OUT_DIR_FORCE)) {
        sim_fail(SIM_EINPUT, err, errlen,
                 "%s: not empty and holds no coopsim manifest (%s), so its files are not a "
                 "run's that coopsim may replace; choose a new or empty directory, or add "
                 "--force to write into it anyway",
                 dir, MANIFEST);
        json_decref(now);
        out_dir_release(c);
        return SIM_EINPUT;
    }
    /* What stays: a forced directory's files, or what the manifest already kept. */
    c->foreign = m ? json_incref(json_object_get(m, "foreign")) : json_incref(now);
    int e = 0;
    if (m && !(flags & OUT_DIR_KEEP)) {
        if (json_is_true(json_object_get(m, "complete"))) {
            size_t i;
            json_t *v;
            json_array_foreach(json_object_get(m, "files"), i, v) {
                const char *rel = json_string_value(v);
                if (!rel || rel[0] == '/' || strstr(rel, "..")) continue;
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/%s", dir, rel);
                if (unlink(path) != 0 && errno != ENOENT) e = errno;
            }
        }
        /* an interrupted run left no list: everything that is not kept was its; after a
         * complete one, only the directories its files leave empty go */
        bool complete = json_is_true(json_object_get(m, "complete"));
        int e2 = walk_dir(dir, c->foreign, NULL, true, complete);
        if (!e) e = e2;
    }
    json_decref(m);
    json_decref(now);
    if (e) {
        out_dir_release(c);
        return sim_fail(SIM_EIO, err, errlen, "%s: cannot remove the previous run's files: %s", dir,
                        strerror(e));
    }
    if ((rc = write_manifest(dir, c->foreign, false, err, errlen)) != SIM_OK) out_dir_release(c);
    return rc;
}

sim_status out_dir_lock(out_claim *c, const char *dir, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    c->lock_fd = -1;
    return take_lock(c, dir, err, errlen);
}

sim_status out_dir_record(const char *dir, char *err, size_t errlen) {
    json_t *m = read_manifest(dir);
    if (!m) return SIM_OK; /* not a claimed directory: nothing to keep up to date */
    sim_status rc = write_manifest(dir, json_object_get(m, "foreign"), true, err, errlen);
    json_decref(m);
    return rc;
}

sim_status out_dir_finish(out_claim *c, char *err, size_t errlen) {
    sim_status rc = c->dir ? write_manifest(c->dir, c->foreign, true, err, errlen) : SIM_OK;
    out_dir_release(c);
    return rc;
}

void out_dir_release(out_claim *c) {
    if (c->lock_fd >= 0) close(c->lock_fd);
    c->lock_fd = -1;
    json_decref(c->foreign);
    c->foreign = NULL;
    free(c->dir);
    c->dir = NULL;
}
