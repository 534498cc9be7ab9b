/* coopsim compare: separate run directories side by side, read through the output schema:
 * the headline metrics of each platform with their 95% intervals, and each run's difference
 * from the first (Welch's interval over replications), as compare.csv and compare.html. */
#include "app/cli.h"

#include "models/schema/schema.h"
#include "sim/output.h"

#include <gsl/gsl_cdf.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_compare[] =
    "usage: coopsim compare DIR... [-o OUT]\n"
    "\n"
    "Reads the summary.json of each run directory (single runs or replications; a sweep's\n"
    "points are compared in its own sweep_summary.csv) and writes OUT/compare.csv and\n"
    "OUT/compare.html: for every platform and headline metric, each run's value (the mean,\n"
    "with its 95% confidence interval, over replications), and each run's difference from\n"
    "the first DIR with Welch's 95% interval. Platforms are matched by name.\n"
    "\n"
    "  -o, --output OUT   output directory (default: results/compare)\n";

/* One run's value of a metric: a single run's number, or the statistics over replications. */
typedef struct cell {
    bool have;
    double mean, sd, low, high;
    size_t n;
} cell;

static cell read_cell(const json_t *summary, const char *platform, const schema_metric_ref *m) {
    cell c = {.low = NAN, .high = NAN, .sd = NAN};
    const json_t *pfs = json_object_get(summary, sch_name(&schema_run, SCH_RUN_PLATFORMS)), *pf;
    size_t i;
    json_array_foreach(pfs, i, pf) {
        const char *name = json_string_value(json_object_get(pf, "name"));
        if (!name || strcmp(name, platform) != 0) continue;
        const json_t *v = json_object_get(json_object_get(pf, sch_key(m->table)),
                                          sch_name(m->table, (size_t)m->field));
        const sch_table *st = &exp_schema_statistics;
        if (json_is_number(v)) {
            c = (cell){true, json_number_value(v), NAN, NAN, NAN, 1};
        } else if (json_is_number(json_object_get(v, sch_name(st, EXP_STAT_MEAN)))) {
            const json_t *sd = json_object_get(v, sch_name(st, EXP_STAT_SD));
            const json_t *lo = json_object_get(v, sch_name(st, EXP_STAT_CI95_LOW));
            const json_t *hi = json_object_get(v, sch_name(st, EXP_STAT_CI95_HIGH));
            c.have = true;
            c.mean = json_number_value(json_object_get(v, sch_name(st, EXP_STAT_MEAN)));
            c.sd = json_is_number(sd) ? json_number_value(sd) : NAN;
            c.low = json_is_number(lo) ? json_number_value(lo) : NAN;
            c.high = json_is_number(hi) ? json_number_value(hi) : NAN;
            c.n = (size_t)json_integer_value(json_object_get(v, sch_name(st, EXP_STAT_N_RUNS)));
        }
    }
    return c;
}

/* b - a with Welch's 95% interval, docs/references.md#welch1947 (NaN bounds when either side
 * has fewer than 2 runs). */
static void difference(const cell *a, const cell *b, double *d, double *low, double *high) {
    *d = b->mean - a->mean;
    *low = *high = NAN;
    if (a->n < 2 || b->n < 2 || isnan(a->sd) || isnan(b->sd)) return;
    double va = a->sd * a->sd / (double)a->n, vb = b->sd * b->sd / (double)b->n;
    double se = sqrt(va + vb);
    if (se == 0) {
        *low = *high = *d;
        return;
    }
    double df =
        (va + vb) * (va + vb) / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    double t = gsl_cdf_tdist_Pinv(0.975, df);
    *low = *d - t * se;
    *high = *d + t * se;
}

typedef struct compare {
    size_t n;
    const char **dirs;
    json_t **summaries;
    const char **platforms; /* first-seen order over the runs */
    size_t n_platforms;
} compare;

static void num(FILE *f, double x) {
    if (!isnan(x)) fprintf(f, "%.10g", x);
}

static void html_text(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

static sim_status write_csv(const compare *c, const char *out, char *err, size_t errlen) {
    out_file o;
    sim_status rc = out_open(&o, out, schema_compare_csv.file, err, errlen);
    if (rc != SIM_OK) return rc;
    sch_write_header(&schema_compare_csv, o.f);
    for (size_t p = 0; p < c->n_platforms; p++)
        for (size_t m = 0; m < schema_n_compared; m++) {
            const schema_metric_ref *ref = &schema_compared[m];
            const sch_field *fd = &ref->table->fields[ref->field];
            cell base = read_cell(c->summaries[0], c->platforms[p], ref);
            for (size_t k = 0; k < c->n; k++) {
                cell v = read_cell(c->summaries[k], c->platforms[p], ref);
                if (!v.have) continue;
                out_csv_field(o.f, c->platforms[p]);
                fprintf(o.f, ",%s.%s,", sch_key(ref->table), fd->name);
                out_csv_field(o.f, fd->unit);
                fputc(',', o.f);
                out_csv_field(o.f, c->dirs[k]);
                fprintf(o.f, ",%zu,", v.n);
                num(o.f, v.mean), fputc(',', o.f), num(o.f, v.low), fputc(',', o.f);
                num(o.f, v.high), fputc(',', o.f);
                if (k > 0 && base.have) {
                    double d, lo, hi;
                    difference(&base, &v, &d, &lo, &hi);
                    num(o.f, d), fputc(',', o.f), num(o.f, lo), fputc(',', o.f), num(o.f, hi);
                } else {
                    fputs(",,", o.f);
                }
                fputc('\n', o.f);
            }
        }
    return out_commit(&o, err, errlen);
}

static void html_cell(FILE *f, double mean, double low, double high) {
    fprintf(f, "<td>%.4g", mean);
    if (!isnan(low)) fprintf(f, " <small>[%.4g, %.4g]</small>", low, high);
    fputs("</td>", f);
}

static sim_status write_html(const compare *c, const char *out, char *err, size_t errlen) {
    out_file o;
    sim_status rc = out_open(&o, out, "compare.html", err, errlen);
    if (rc != SIM_OK) return rc;
    FILE *f = o.f;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>coopsim compare</title><style>body{font-family:sans-serif;margin:2em}"
          "table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;"
          "padding:.2em .5em;text-align:right}th:first-child,td:first-child{text-align:left}"
          "small{color:#555}</style></head><body>\n<h1>Runs compared</h1>\n<p>Each cell: the "
          "value (the mean over replications, with its 95% confidence interval); &Delta;: the "
          "difference from the first run, with Welch's 95% interval. Runs:</p><ol>",
          f);
    for (size_t k = 0; k < c->n; k++) {
        fputs("<li>", f);
        html_text(f, c->dirs[k]);
        fputs(" (", f);
        const char *name = json_string_value(json_object_get(c->summaries[k], "scenario"));
        html_text(f, name ? name : "");
        fprintf(f, ", seed %lld)</li>",
                (long long)json_integer_value(json_object_get(c->summaries[k], "seed")));
    }
    fputs("</ol>\n", f);
    for (size_t p = 0; p < c->n_platforms; p++) {
        fputs("<h2>", f);
        html_text(f, c->platforms[p]);
        fputs("</h2>\n<table><tr><th>metric</th><th>unit</th>", f);
        for (size_t k = 0; k < c->n; k++) {
            fprintf(f, "<th>run %zu</th>", k + 1);
            if (k > 0) fprintf(f, "<th>&Delta; run %zu &minus; run 1</th>", k + 1);
        }
        fputs("</tr>\n", f);
        for (size_t m = 0; m < schema_n_compared; m++) {
            const schema_metric_ref *ref = &schema_compared[m];
            const sch_field *fd = &ref->table->fields[ref->field];
            cell base = read_cell(c->summaries[0], c->platforms[p], ref);
            fprintf(f, "<tr><td>%s.%s</td><td>", sch_key(ref->table), fd->name);
            html_text(f, fd->unit);
            fputs("</td>", f);
            for (size_t k = 0; k < c->n; k++) {
                cell v = read_cell(c->summaries[k], c->platforms[p], ref);
                if (v.have)
                    html_cell(f, v.mean, v.low, v.high);
                else
                    fputs("<td></td>", f);
                if (k == 0) continue;
                double d = NAN, lo = NAN, hi = NAN;
                if (v.have && base.have) difference(&base, &v, &d, &lo, &hi);
                if (isnan(d))
                    fputs("<td></td>", f);
                else
                    html_cell(f, d, lo, hi);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    fputs("</body></html>\n", f);
    return out_commit(&o, err, errlen);
}

/* Loads DIR/summary.json; a sweep is refused (its points are compared in sweep_summary.csv). */
static sim_status load(compare *c, size_t k, char *err, size_t errlen) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", c->dirs[k], exp_schema_summary.file);
    json_error_t je;
    json_t *s = json_load_file(path, 0, &je);
    if (!s)
        return sim_fail(SIM_EINPUT, err, errlen, "%s: cannot read a run's summary: %s", path,
                        je.text);
    c->summaries[k] = s;
    if (json_object_get(s, sch_name(&exp_schema_summary, EXP_SUM_POINTS)))
        return sim_fail(SIM_EINPUT, err, errlen,
                        "%s: a sweep (compare its points in %s/sweep_summary.csv, or give "
                        "single runs or replications)",
                        c->dirs[k], c->dirs[k]);
    const json_t *pfs = json_object_get(s, sch_name(&schema_run, SCH_RUN_PLATFORMS)), *pf;
    if (!json_is_array(pfs))
        return sim_fail(SIM_EINPUT, err, errlen, "%s: no platforms in the summary", path);
    size_t i;
    json_array_foreach(pfs, i, pf) {
        const char *name = json_string_value(json_object_get(pf, "name"));
        bool seen = !name;
        for (size_t p = 0; p < c->n_platforms && !seen; p++)
            seen = strcmp(c->platforms[p], name) == 0;
        if (seen) continue;
        const char **grown = realloc(c->platforms, (c->n_platforms + 1) * sizeof *grown);
        if (!grown) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        c->platforms = grown;
        c->platforms[c->n_platforms++] = name;
    }
    return SIM_OK;
}

int cli_cmd_compare(int argc, char **argv) {
    const char *out = "results/compare";
    compare c = {.dirs = calloc((size_t)argc + 1, sizeof *c.dirs),
                 .summaries = calloc((size_t)argc + 1, sizeof *c.summaries)};
    char err[ERRLEN];
    int rc = 0;
    if (!c.dirs || !c.summaries) rc = 1;
    for (int i = 0; rc == 0 && i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(cli_usage_compare, stdout);
            rc = -1;
        } else if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (i + 1 >= argc)
                rc = cli_usage_error(cli_usage_compare, "%s needs a value", argv[i]);
            else
                out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = cli_usage_error(cli_usage_compare, "unknown option '%s'", argv[i]);
        } else {
            c.dirs[c.n++] = argv[i];
        }
    }
    if (rc == 0 && c.n == 0)
        rc = cli_usage_error(cli_usage_compare, "%s", "no run directory given");
    sim_status st = SIM_OK;
    for (size_t k = 0; rc == 0 && st == SIM_OK && k < c.n; k++)
        st = load(&c, k, err, sizeof err);
    if (rc == 0 && st == SIM_OK) st = out_mkdirs(out, err, sizeof err);
    if (rc == 0 && st == SIM_OK) st = write_csv(&c, out, err, sizeof err);
    if (rc == 0 && st == SIM_OK) st = write_html(&c, out, err, sizeof err);
    if (rc == 0 && st != SIM_OK) {
        fprintf(stderr, "%s: %s\n", cli_prog, err);
        rc = cli_exit_status(st);
    } else if (rc == 0) {
        fprintf(stderr, "%s: compared %zu runs; wrote %s/compare.csv and %s/compare.html\n",
                cli_prog, c.n, out, out);
    }
    for (size_t k = 0; k < c.n; k++)
        json_decref(c.summaries[k]);
    free(c.summaries);
    free(c.dirs);
    free(c.platforms);
    return rc < 0 ? 0 : rc;
}
