/* Making a run's report: reads summary.json and the CSV tables, writes each plot's data file,
 * has gnuplot draw the plots whose data exists, then writes report.html. */
#include "models/report/report_internal.h"

#include "sim/experiment.h"
#include "sim/output.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool has_scripts(const char *dir) {
    char p[1200];
    struct stat st;
    snprintf(p, sizeof p, "%s/style.gp", dir);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool dir_of(const char *path, char *out, size_t n) {
    const char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash - path) >= n) return false;
    memcpy(out, path, (size_t)(slash - path));
    out[slash - path] = '\0';
    return true;
}

sim_status report_find_scripts(char *out, size_t outlen, char *err, size_t errlen) {
    const char *env = getenv("COOPSIM_PLOTS_DIR");
    if (env && *env) {
        snprintf(out, outlen, "%s", env);
        if (has_scripts(out)) return SIM_OK;
        return sim_fail(SIM_EINPUT, err, errlen, "COOPSIM_PLOTS_DIR=%s: no style.gp there", env);
    }
    char exe[PATH_MAX], dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (dir_of(exe, dir, sizeof dir)) {
            snprintf(out, outlen, "%s/../share/coopsim/plots", dir);
            if (has_scripts(out)) return SIM_OK;
            snprintf(out, outlen, "%s/plots", dir);
            if (has_scripts(out)) return SIM_OK;
        }
    }
#ifdef COOPSIM_PLOTS_DIR
    snprintf(out, outlen, "%s", COOPSIM_PLOTS_DIR);
    if (has_scripts(out)) return SIM_OK;
#endif
    /* The source tree this file was compiled from (the build passes absolute paths). */
    if (dir_of(__FILE__, dir, sizeof dir)) {
        snprintf(out, outlen, "%s/../../plots", dir);
        if (has_scripts(out)) return SIM_OK;
    }
    return sim_fail(SIM_EINPUT, err, errlen,
                    "cannot find the gnuplot scripts (plots/*.gp): set COOPSIM_PLOTS_DIR to their "
                    "directory");
}

static void ctx_free(rp_ctx *ctx) {
    rp_table_free(&ctx->drivers);
    rp_table_free(&ctx->hourly);
    rp_table_free(&ctx->blocks);
    rp_table_free(&ctx->governance);
    rp_table_free(&ctx->rules);
    rp_table_free(&ctx->books);
    rp_table_free(&ctx->votes);
    rp_table_free(&ctx->sweep);
    rp_table_free(&ctx->days);
    rp_table_free(&ctx->competition);
    rp_table_free(&ctx->compdays);
    free(ctx->pf);
    json_decref(ctx->summary);
}

static int load(rp_ctx *ctx, const char *rundir, char *err, size_t errlen) {
    char path[1200];
    json_error_t je;
    ctx->rundir = rundir;
    snprintf(path, sizeof path, "%s/summary.json", rundir);
    ctx->summary = json_load_file(path, 0, &je);
    if (!ctx->summary) {
        if (access(path, F_OK) != 0)
            snprintf(err, errlen, "%s: no summary.json there (is it a run's output directory?)",
                     rundir);
        else
            snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        return 2;
    }
    if (!json_is_object(ctx->summary)) {
        snprintf(err, errlen, "%s: expected a JSON object", path);
        return 2;
    }
    const json_t *pfs = rp_sget(ctx, "platforms");
    const json_t *pts = rp_sget(ctx, "points");
    if (!pfs && json_is_array(pts) && json_array_size(pts) > 0) {
        ctx->points = pts;
        pfs = rp_point_get(ctx, json_array_get(pts, 0), "platforms");
    }
    size_t n = json_is_array(pfs) ? json_array_size(pfs) : 0;
    ctx->pf = calloc(n + 1, sizeof *ctx->pf);
    if (!ctx->pf) {
        snprintf(err, errlen, "out of memory");
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(pfs, i);
        if (!json_is_object(p)) continue;
        rp_platform *q = &ctx->pf[ctx->npf++];
        q->j = p;
        q->name = rp_pstr(ctx, p, "name");
        q->kind = rp_pstr(ctx, p, "kind");
        if (!q->name) q->name = "platform";
        if (!q->kind) q->kind = "";
    }
    static const sch_table *const schemas[] = {&schema_drivers_csv,
                                               &schema_hourly_csv,
                                               &schema_blocks_csv,
                                               &schema_governance_csv,
                                               &schema_rules_csv,
                                               &schema_votes_csv,
                                               &schema_books_csv,
                                               &schema_days_csv,
                                               &schema_competition_csv,
                                               &schema_competition_days_csv,
                                               &exp_schema_sweep_summary_csv};
    rp_table *tables[] = {&ctx->drivers,     &ctx->hourly,   &ctx->blocks, &ctx->governance,
                          &ctx->rules,       &ctx->votes,    &ctx->books,  &ctx->days,
                          &ctx->competition, &ctx->compdays, &ctx->sweep};
    const size_t n_tables = sizeof tables / sizeof tables[0];
    for (size_t i = 0; i < n_tables; i++) {
        const char *file = schemas[i]->file;
        snprintf(path, sizeof path, "%s/%s", rundir, file);
        int rc = rp_table_read(path, tables[i], err, errlen);
        /* An experiment keeps each run's tables under runs/: show the first run's. */
        if (rc == 1 && i + 1 < n_tables) { /* every table but sweep_summary.csv */
            snprintf(path, sizeof path, "%s/runs/run-000000/%s", rundir, file);
            rc = rp_table_read(path, tables[i], err, errlen);
            if (rc == 0) ctx->tables_of_first_run = true;
        }
        if (rc == 2) return 2;
        tables[i]->schema = schemas[i];
    }
    return 0;
}

/* Whether a plot file ends as a whole one does: an SVG with its closing tag, a PNG with its
 * IEND chunk. gnuplot may exit 0 after a write failed (a full disk), leaving a cut file. */
static bool whole(const char *path, const char *ext) {
    FILE *f = fopen(path, "rb");
    char tail[64];
    size_t n = 0;
    if (f && fseek(f, -(long)sizeof tail, SEEK_END) != 0) rewind(f);
    if (f) n = fread(tail, 1, sizeof tail, f);
    if (f) fclose(f);
    if (strcmp(ext, "png") == 0) {
        static const char iend[] = "IEND\xae\x42\x60\x82";
        return n >= 8 && memcmp(tail + n - 8, iend, 8) == 0;
    }
    while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == ' ' || tail[n - 1] == '\r'))
        n--;
    return n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0;
}

/* gnuplot writes into plots/.work-PID/ (with data/ linked from there), so two processes never
 * write the same temporary name even where the directory lock is not taken. */
static sim_status make_workdir(rp_ctx *ctx, char *err, size_t errlen) {
    char link[1400];
    snprintf(ctx->workdir, sizeof ctx->workdir, "%s/.work-%ld", ctx->plotdir, (long)getpid());
    snprintf(link, sizeof link, "%s/data", ctx->workdir);
    if ((mkdir(ctx->workdir, 0700) != 0 && errno != EEXIST) ||
        (symlink("../data", link) != 0 && errno != EEXIST))
        return sim_fail(SIM_EIO, err, errlen, "%s: %s", ctx->workdir, strerror(errno));
    return SIM_OK;
}

static void drop_workdir(const rp_ctx *ctx) {
    char link[1400];
    snprintf(link, sizeof link, "%s/data", ctx->workdir);
    unlink(link);
    rmdir(ctx->workdir);
}

/* Moves plots/.work-PID/.tmp-<name>.<ext> to plots/<name>.<ext> when gnuplot wrote it whole. */
static int settle(const rp_ctx *ctx, const char *name, const char *ext, char *err, size_t errlen) {
    char from[1400], to[1400];
    snprintf(from, sizeof from, "%s/.tmp-%s.%s", ctx->workdir, name, ext);
    snprintf(to, sizeof to, "%s/%s.%s", ctx->plotdir, name, ext);
    struct stat st;
    if (stat(from, &st) != 0 || st.st_size == 0) {
        snprintf(err, errlen, "gnuplot wrote no %s.%s", name, ext);
        unlink(from);
        return 1;
    }
    if (!whole(from, ext)) {
        snprintf(err, errlen, "gnuplot could not write %s.%s whole (is the disk full?)", name, ext);
        unlink(from);
        return 1;
    }
    if (rename(from, to) != 0) {
        snprintf(err, errlen, "%s: %s", to, strerror(errno));
        return 1;
    }
    return 0;
}

static void remove_plot(const rp_ctx *ctx, const char *name) {
    static const char *const ext[] = {"png", "svg"};
    char p[1400];
    for (size_t i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s.%s", ctx->plotdir, name, ext[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s/.tmp-%s.%s", ctx->workdir, name, ext[i]);
        unlink(p);
    }
}

sim_status report_write(const char *rundir, const char *scripts_dir, report_info *info, char *err,
                        size_t errlen) {
    report_info local;
    if (!info) info = &local;
    memset(info, 0, sizeof *info);
    rp_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.miss = &ctx.misses;
    sim_status rc = load(&ctx, rundir, err, errlen) == 0 ? SIM_OK : SIM_EINPUT;
    snprintf(ctx.plotdir, sizeof ctx.plotdir, "%s/plots", rundir);
    snprintf(ctx.datadir, sizeof ctx.datadir, "%s/plots/data", rundir);
    if (rc == SIM_OK) rc = out_mkdirs(ctx.datadir, err, errlen);
    if (rc == SIM_OK) rc = make_workdir(&ctx, err, errlen);
    if (rc != SIM_OK) {
        ctx_free(&ctx);
        return rc;
    }
    char gnuplot[1024], serr[512] = "", first_err[1024] = "";
    bool have_gnuplot = rp_gnuplot_find(gnuplot, sizeof gnuplot);
    info->gnuplot_missing = !have_gnuplot;
    bool have_scripts = false;
    if (scripts_dir) {
        snprintf(info->scripts_dir, sizeof info->scripts_dir, "%s", scripts_dir);
        have_scripts = has_scripts(scripts_dir);
        if (!have_scripts)
            snprintf(serr, sizeof serr, "%s: no gnuplot scripts there (style.gp)", scripts_dir);
    } else {
        have_scripts = report_find_scripts(info->scripts_dir, sizeof info->scripts_dir, serr,
                                           sizeof serr) == SIM_OK;
    }
    int *status = calloc(rp_nplots, sizeof *status);
    if (!status) {
        drop_workdir(&ctx);
        ctx_free(&ctx);
        return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
    }
    for (size_t i = 0; i < rp_nplots && rc == SIM_OK; i++) {
        const rp_plot *p = &rp_plots[i];
        char perr[1024] = "";
        ctx.styles[0] = '\0';
        int prc = p->prep(&ctx, p, perr, sizeof perr);
        if (prc == 2) {
            rc = sim_fail(SIM_EINPUT, err, errlen, "%s", perr);
            break;
        }
        if (prc == 1) {
            status[i] = RP_SKIPPED;
            info->plots_skipped++;
            remove_plot(&ctx, p->name);
            char dat[1400];
            snprintf(dat, sizeof dat, "%s/%s.dat", ctx.datadir, p->name);
            unlink(dat);
            continue;
        }
        if (!have_gnuplot) {
            status[i] = RP_NO_GNUPLOT;
            remove_plot(&ctx, p->name);
            continue;
        }
        char logpath[1400];
        snprintf(logpath, sizeof logpath, "%s/%s.log", ctx.datadir, p->name);
        int grc = 1;
        /* "{CUR}" in an argument becomes the currency code, "{PARAM}" the swept parameter (ARGn
         * are plain string values to gnuplot, never parsed as commands). */
        const char *cur = rp_sstr(&ctx, "currency");
        char param[256];
        rp_sweep_label(&ctx, param, sizeof param);
        char argbuf[5][256];
        const char *args[8] = {"", "", "", "", "", "", ctx.styles, NULL};
        for (size_t a = 0; a < 5 && p->args[a]; a++) {
            const char *at = strstr(p->args[a], "{CUR}");
            if (strcmp(p->args[a], "{PARAM}") == 0)
                snprintf(argbuf[a], sizeof argbuf[a], "%s", param);
            else if (at)
                snprintf(argbuf[a], sizeof argbuf[a], "%.*s%s%s", (int)(at - p->args[a]),
                         p->args[a], cur ? cur : "currency units", at + 5);
            else
                snprintf(argbuf[a], sizeof argbuf[a], "%s", p->args[a]);
            args[a] = argbuf[a];
        }
        if (!have_scripts)
            snprintf(perr, sizeof perr, "%s", serr);
        else
            grc = rp_gnuplot_run(gnuplot, info->scripts_dir, p->script, ctx.workdir, p->name, args,
                                 logpath, perr, sizeof perr);
        if (grc == 0) grc = settle(&ctx, p->name, "png", perr, sizeof perr);
        if (grc == 0) grc = settle(&ctx, p->name, "svg", perr, sizeof perr);
        if (grc == 0) {
            status[i] = RP_MADE;
            info->plots_made++;
            unlink(logpath);
        } else {
            status[i] = RP_FAILED;
            info->plots_failed++;
            remove_plot(&ctx, p->name);
            if (!*first_err) snprintf(first_err, sizeof first_err, "%s", perr);
        }
    }
    drop_workdir(&ctx);
    if (rc == SIM_OK && rp_html_write(&ctx, status, !have_gnuplot, err, errlen) != 0) rc = SIM_EIO;
    info->schema_misses = ctx.misses.n;
    snprintf(info->schema_miss, sizeof info->schema_miss, "%s", ctx.misses.first);
    if (rc == SIM_OK && ctx.misses.n)
        rc = sim_fail(SIM_EINTERNAL, err, errlen,
                      "the report asked for %d name%s no output declares (first: %s); this is a "
                      "bug in coopsim's report",
                      ctx.misses.n, ctx.misses.n > 1 ? "s" : "", ctx.misses.first);
    if (rc == SIM_OK && info->plots_failed)
        snprintf(info->plots_error, sizeof info->plots_error,
                 "%d plot%s failed (report written without them): %s", info->plots_failed,
                 info->plots_failed > 1 ? "s" : "", first_err);
    free(status);
    ctx_free(&ctx);
    return rc;
}
