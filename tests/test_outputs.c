/* The output schema: every table is sound, docs/output-reference.md is in sync with it, real
 * run directories hold exactly what it declares (headers, row widths, JSON keys), and the
 * report, driven over those directories, never asks for a name that no output declares. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/report/report_internal.h"
#include "models/schema/schema.h"
#include "sim/experiment.h"
#include "tests/cli_util.h"

#include <glob.h>
#include <jansson.h>
#include <math.h>

#define SRC COOPSIM_SOURCE_DIR
#define RUN(...) cli_run((const char *const[]){__VA_ARGS__, NULL})

static void test_tables_are_sound(void **state) {
    (void)state;
    char err[512] = "";
    for (size_t i = 0; i < schema_n_catalog; i++) {
        sim_status rc = sch_check(schema_catalog[i], err, sizeof err);
        if (rc != SIM_OK) print_error("%s\n", err);
        assert_int_equal(rc, SIM_OK);
    }
    /* A metric compared between platforms is one the platform entry declares. */
    for (size_t i = 0; i < schema_n_compared; i++) {
        char key[128];
        const sch_table *t = schema_compared[i].table;
        snprintf(key, sizeof key, "%s.%s", sch_key(t),
                 sch_name(t, (size_t)schema_compared[i].field));
        assert_non_null(schema_platform_metric(key));
        assert_true(schema_is_compared(key));
    }
    assert_null(schema_platform_metric("drivers.net_hourly"));
    assert_false(schema_is_compared("drivers.pickup_share")); /* declared, not compared */
}

static void test_reference_in_sync(void **state) {
    (void)state;
    cli_result *r = RUN("reference", "--outputs");
    assert_int_equal(r->status, 0);
    static char doc[sizeof r->out];
    cli_slurp(SRC "/docs/output-reference.md", doc, sizeof doc);
    assert_true(strlen(r->out) < sizeof r->out - 1); /* the whole reference fit */
    if (strcmp(doc, r->out) != 0) {
        print_error("docs/output-reference.md is out of date; regenerate it with\n"
                    "  build/coopsim reference --outputs > docs/output-reference.md\n");
        fail();
    }
}

/* Fields of one CSV record starting at *p (quotes may hold commas and line breaks). */
static size_t csv_fields(const char **p) {
    const char *s = *p;
    size_t n = 1;
    bool q = false;
    for (; *s; s++) {
        if (*s == '"')
            q = !q;
        else if (!q && *s == ',')
            n++;
        else if (!q && *s == '\n') {
            s++;
            break;
        }
    }
    *p = s;
    return n;
}

/* A CSV file whose columns are all declared: the header is the table's, every row as wide. */
/* The header t declares, or (when ext is not NULL) t's followed by ext's: a shared market's
 * hourly.csv ends with the columns of schema_hourly_shares_csv. */
static void check_csv_ext(const char *path, const sch_table *t, const sch_table *ext) {
    static char buf[1 << 24];
    FILE *f = fopen(path, "rb");
    if (!f) return; /* not written by this run */
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    assert_true(n < sizeof buf - 1);
    buf[n] = '\0';
    char head[4096] = "";
    for (size_t i = 0; i < t->n; i++)
        snprintf(head + strlen(head), sizeof head - strlen(head), "%s%s", i ? "," : "",
                 sch_name(t, i));
    size_t hl = strlen(head), width = t->n;
    if (ext && strncmp(buf, head, hl) == 0 && buf[hl] == ',') {
        for (size_t i = 0; i < ext->n; i++)
            snprintf(head + strlen(head), sizeof head - strlen(head), ",%s", sch_name(ext, i));
        hl = strlen(head);
        width += ext->n;
    }
    if (strncmp(buf, head, hl) != 0 || buf[hl] != '\n') {
        print_error("%s: header is not the one %s declares\n", path, t->file);
        fail();
    }
    const char *p = buf + hl + 1;
    size_t rows = 0;
    while (*p) {
        size_t k = csv_fields(&p);
        if (k != width) {
            print_error("%s: row %zu has %zu fields, the schema %zu\n", path, rows + 1, k, width);
            fail();
        }
        rows++;
    }
}

static void check_csv(const char *path, const sch_table *t) {
    check_csv_ext(path, t, NULL);
}

/* runs.csv, sweep.csv, sweep_summary.csv, metrics.csv: the declared leading columns, in order
 * (a sweep's parameter columns come after `point`); metrics.csv has no others. */
static void check_lead(const char *path, const sch_table *t, size_t n_params) {
    char buf[8192];
    cli_slurp(path, buf, sizeof buf);
    if (!*buf) return;
    const char *p = buf;
    for (size_t i = 0; i < t->n; i++) {
        const char *name = sch_name(t, i);
        size_t k = strlen(name);
        assert_memory_equal(p, name, k);
        assert_true(p[k] == ',' || (i + 1 == t->n && p[k] == '\n'));
        p += k + 1;
        if (strcmp(name, "point") == 0)
            for (size_t j = 0; j < n_params; j++) {
                p = strchr(p, ',');
                assert_non_null(p);
                p++;
            }
    }
}

/* Every key of o is declared by t; with `all`, every declared key is there too. */
static void check_keys(const json_t *o, const sch_table *t, bool all) {
    assert_true(json_is_object(o));
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        if (sch_index(t, k) < 0) {
            print_error("%s: key '%s' is not declared\n", t->path, k);
            fail();
        }
    }
    for (size_t i = 0; all && i < t->n; i++)
        if (!json_object_get(o, sch_name(t, i))) {
            print_error("%s: declared key '%s' is never written\n", t->path, sch_name(t, i));
            fail();
        }
}

/* An experiment's statistics object, or a plain number of a single run. */
static void check_number(const json_t *v) {
    if (json_is_object(v))
        check_keys(v, &exp_schema_statistics, true);
    else
        assert_true(json_is_number(v) || json_is_null(v));
}

/* The platform's money: a centralized platform's "profit" is a co-op's "surplus", so exactly
 * one of the two is written, by kind; every other declared key is. */
static void check_platform_money(const json_t *pf, const json_t *v, const sch_table *t) {
    const char *kind = json_string_value(json_object_get(pf, "kind"));
    bool coop = kind && strcmp(kind, "cooperative") == 0;
    check_keys(v, t, false);
    for (size_t i = 0; i < t->n; i++) {
        const char *name = sch_name(t, i);
        bool want = strcmp(name, "profit") == 0    ? !coop
                    : strcmp(name, "surplus") == 0 ? coop
                                                   : true;
        if (want != (json_object_get(v, name) != NULL)) {
            print_error("%s: key '%s' %s\n", t->path, name,
                        want ? "is never written" : "is written for the other kind");
            fail();
        }
    }
}

static void check_platform(const json_t *pf, bool stats) {
    check_keys(pf, &schema_platform_entry, false);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)pf, k, v) {
        const sch_table *t = schema_platform_section(k);
        if (!t) continue; /* name, kind */
        /* a chain's adversary is there only with an attack, and each attack writes its own */
        bool attacked = t == &schema_chain && json_object_get(v, "adversary");
        if (strcmp(k, "platform") == 0)
            check_platform_money(pf, v, t);
        else
            check_keys(v, t, t != &schema_chain || attacked);
        if (t == &schema_chain && !attacked)
            for (size_t i = 0; i < t->n; i++)
                if (i != SCH_CHAIN_ADVERSARY) assert_non_null(json_object_get(v, sch_name(t, i)));
        const char *m;
        json_t *x;
        json_object_foreach(v, m, x) {
            char path[128];
            snprintf(path, sizeof path, "%s.%s", k, m);
            const sch_table *inner = schema_platform_section(path);
            size_t i;
            json_t *e;
            if (strcmp(k, "chain") == 0 && strcmp(m, "adversary") == 0) {
                check_keys(x, &schema_chain_adversary, false);
            } else if (inner) { /* chain.checks, finance.costs, finance.extraction, long_run's */
                check_keys(x, inner, true);
            } else if (json_is_array(x)) { /* finance.cash_by_week */
                json_array_foreach(x, i, e) check_number(e);
            } else if (stats && !json_is_string(x) && !json_is_boolean(x)) {
                check_number(x);
            }
        }
    }
}

static void check_comparison(const json_t *cmp) {
    size_t i;
    const json_t *e;
    json_array_foreach(cmp, i, e) {
        /* surge_payers only where a platform of the pair surges; its elements carry every key */
        check_keys(e, &schema_comparison, false);
        for (size_t k = 0; k < schema_comparison.n; k++)
            assert_true(k == SCH_CMP_SURGE_PAYERS ||
                        json_object_get(e, sch_name(&schema_comparison, k)));
        size_t j;
        const json_t *sp;
        json_array_foreach(json_object_get(e, "surge_payers"), j, sp)
            check_keys(sp, &schema_surge_payers, true);
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(e, "difference"), k, v) {
            if (!schema_is_compared(k)) {
                print_error("comparison: '%s' is not a compared metric\n", k);
                fail();
            }
            check_number(v);
        }
    }
}

/* The run's tree (a single run's summary, a record's metrics, a sweep point). */
static void check_run_tree(const json_t *o, bool stats) {
    size_t i;
    const json_t *pf;
    json_array_foreach(json_object_get(o, "platforms"), i, pf) check_platform(pf, stats);
    check_comparison(json_object_get(o, "comparison"));
    json_array_foreach(json_object_get(o, "paired_differences"), i, pf)
        check_keys(pf, &exp_schema_paired, true);
}

static void check_summary(const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_t *s = json_load_file(path, 0, NULL);
    assert_non_null(s);
    const char *k;
    json_t *v;
    json_object_foreach(s, k, v) {
        if (sch_index(&exp_schema_summary, k) < 0 && sch_index(&schema_run, k) < 0) {
            print_error("summary.json: root key '%s' is not declared\n", k);
            fail();
        }
    }
    bool stats = json_object_get(s, "statistics") != NULL;
    check_run_tree(s, stats);
    size_t n_params = 0;
    const json_t *sw = json_object_get(s, "sweep");
    if (sw) {
        check_keys(sw, &exp_schema_sweep, true);
        size_t i;
        const json_t *e;
        json_array_foreach(json_object_get(sw, "parameters"), i, e) {
            check_keys(e, &exp_schema_sweep_param, true);
            n_params++;
        }
        json_array_foreach(json_object_get(s, "points"), i, e) {
            json_object_foreach((json_t *)e, k, v) {
                if (sch_index(&exp_schema_point, k) < 0 && sch_index(&schema_run, k) < 0 &&
                    strcmp(k, sch_name(&exp_schema_summary, EXP_SUM_PAIRED_DIFFERENCES)) != 0) {
                    print_error("points[]: key '%s' is not declared\n", k);
                    fail();
                }
            }
            check_run_tree(e, true);
        }
    }
    json_decref(s);
    /* Run records of an experiment. */
    snprintf(path, sizeof path, "%s/runs/run-*.json", dir);
    glob_t g;
    if (glob(path, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            json_t *r = json_load_file(g.gl_pathv[i], 0, NULL);
            assert_non_null(r);
            check_keys(r, &exp_schema_record, true);
            check_run_tree(json_object_get(r, "metrics"), false);
            json_decref(r);
        }
        globfree(&g);
    }
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    check_lead(path, &exp_schema_runs_csv, 0);
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    check_lead(path, &exp_schema_sweep_csv, n_params);
    snprintf(path, sizeof path, "%s/sweep_summary.csv", dir);
    check_lead(path, &exp_schema_sweep_summary_csv, n_params);
    /* every run, single or experiment, writes the tidy tables */
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    char head[64];
    cli_slurp(path, head, sizeof head);
    assert_true(*head);
    check_lead(path, &schema_metrics_csv, n_params);
    snprintf(path, sizeof path, "%s/run.csv", dir);
    cli_slurp(path, head, sizeof head);
    assert_true(*head);
    check_csv(path, &schema_run_csv);
}

/* Every CSV table of a run directory (and of its experiment's runs, and its ledger exports). */
static void check_tables(const char *dir) {
    static const sch_table *const csv[] = {
        &schema_drivers_csv,     &schema_hourly_csv,          &schema_trips_csv, &schema_blocks_csv,
        &schema_governance_csv,  &schema_rules_csv,           &schema_books_csv, &schema_days_csv,
        &schema_competition_csv, &schema_competition_days_csv};
    const char *where[] = {"%s/%s", "%s/runs/run-*/%s"};
    for (size_t w = 0; w < 2; w++)
        for (size_t i = 0; i < sizeof csv / sizeof csv[0]; i++) {
            char pat[512];
            snprintf(pat, sizeof pat, where[w], dir, csv[i]->file);
            glob_t g;
            if (glob(pat, 0, NULL, &g) != 0) continue;
            for (size_t k = 0; k < g.gl_pathc; k++)
                check_csv_ext(g.gl_pathv[k], csv[i],
                              csv[i] == &schema_hourly_csv ? &schema_hourly_shares_csv : NULL);
            globfree(&g);
        }
    char pat[512];
    snprintf(pat, sizeof pat, "%s/ledger-*/accounts.csv", dir);
    glob_t g;
    if (glob(pat, 0, NULL, &g) == 0) {
        for (size_t k = 0; k < g.gl_pathc; k++)
            check_csv(g.gl_pathv[k], &schema_accounts_csv);
        globfree(&g);
    }
}

/* The report over the directory: no plot drawn (no gnuplot), every request declared. */
static void check_report(const char *dir) {
    report_info info;
    char err[1024] = "";
    int rc = report_write(dir, NULL, &info, err, sizeof err);
    if (rc != 0) print_error("%s: %s\n", dir, err);
    assert_int_equal(rc, 0);
    assert_int_equal(info.schema_misses, 0);
}

/* The shipped scenarios, shortened, with every optional output on. */
static void test_run_directories_match_schema(void **state) {
    (void)state;
    setenv("COOPSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
    char *base = strdup(cli_tmpdir());
    static const char *const runs[][8] = {
        {"flagship", SRC "/scenarios/flagship.yaml", "--set", "simulation.duration=6h", "--trips",
         "--ledger"},
        {"governance", SRC "/scenarios/governance.yaml", "--set", "simulation.duration=10d"},
        {"lazooz", SRC "/scenarios/lazooz-bitcoin.yaml", "--set", "simulation.duration=6h",
         "--ledger"},
        {"mmc", SRC "/scenarios/validation/mmc.yaml", "--set", "simulation.duration=8h"},
        {"replications", SRC "/scenarios/flagship.yaml", "--set", "simulation.duration=3h", "--set",
         "simulation.replications=2"},
        {"sweep", SRC "/scenarios/sweep-commission.yaml", "--set", "simulation.duration=3h",
         "--set", "simulation.replications=2"},
        {"free-entry", SRC "/scenarios/teaching/re-equilibrate.yaml", "--set",
         "simulation.duration=15d"},
        {"free-entry-replications", SRC "/scenarios/teaching/re-equilibrate.yaml", "--set",
         "simulation.duration=8d", "--set", "simulation.replications=2"},
        {"double-spend", SRC "/scenarios/attacks/double-spend.yaml", "--set",
         "platforms[0].ledger.adversary.trials=20", "--set", "simulation.duration=20d"},
        {"selfish", SRC "/scenarios/attacks/selfish-mining.yaml", "--set",
         "simulation.duration=10d"},
        {"censorship", SRC "/scenarios/attacks/censorship.yaml", "--set", "simulation.duration=2h"},
        {"equivocation", SRC "/scenarios/attacks/bft-byzantine.yaml", "--set",
         "simulation.duration=5min"},
        {"shared-replications", SRC "/scenarios/launch.yaml", "--set", "simulation.duration=3d",
         "--set", "simulation.replications=2"},
        {"pay-value", SRC "/scenarios/lazooz-bitcoin.yaml", "--set", "simulation.duration=6h",
         "--set", "drivers.pay_delay_cost=0.045%", "--set",
         "platforms[1].ledger.rewards.price=[1, 0.5]"},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        char dir[256];
        snprintf(dir, sizeof dir, "%s/%s", base, runs[i][0]);
        const char *args[16] = {"run", runs[i][1], "-o", dir, "-q", "--no-plots"};
        size_t n = 6;
        for (size_t k = 2; k < 8 && runs[i][k]; k++)
            args[n++] = runs[i][k];
        args[n] = NULL;
        cli_result *r = cli_run(args);
        if (r->status != 0) print_error("%s: %s\n", runs[i][0], r->err);
        assert_int_equal(r->status, 0);
        check_summary(dir);
        check_tables(dir);
        check_report(dir);
    }
    cli_rmdir(base);
    free(base);
    unsetenv("COOPSIM_GNUPLOT");
}

/* A request for a name nobody writes is recorded, never answered from a guess. */
static void test_unknown_name_is_a_miss(void **state) {
    (void)state;
    rp_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.miss = &ctx.misses;
    char *h[] = {"platform", "net_hourly", "net_per_hour"};
    rp_table t = {.ncols = 3, .nrows = 0, .head = h, .cells = NULL, .schema = &schema_drivers_csv};
    assert_int_equal(rp_col(&ctx, &t, "net_per_hour"), 2);
    assert_int_equal(ctx.misses.n, 0);
    /* In the file, but declared by no writer: not read. */
    assert_int_equal(rp_col(&ctx, &t, "net_hourly"), -1);
    assert_int_equal(ctx.misses.n, 1);
    assert_non_null(strstr(ctx.misses.first, "net_hourly"));
    json_t *pf = json_pack("{s:{s:f, s:f}}", "drivers", "net_per_hour", 20.0, "net_hourly", 9.0);
    assert_true(fabs(rp_pnum(&ctx, pf, "drivers.net_per_hour") - 20.0) < 1e-12);
    assert_true(isnan(rp_pnum(&ctx, pf, "drivers.net_hourly")));
    assert_int_equal(ctx.misses.n, 2);
    assert_null(rp_difference(&ctx, pf, "drivers.pickup_share")); /* declared, never compared */
    assert_int_equal(ctx.misses.n, 3);
    assert_true(isnan(rp_stat(&ctx, pf, "median")));
    assert_int_equal(ctx.misses.n, 4);
    json_decref(pf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_are_sound),
        cmocka_unit_test(test_reference_in_sync),
        cmocka_unit_test(test_unknown_name_is_a_miss),
        cmocka_unit_test(test_run_directories_match_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
