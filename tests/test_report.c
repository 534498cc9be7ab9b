/* The report of a run: every plot script draws on full outputs, hostile scenario text runs
 * nothing and breaks nothing, the page is valid HTML, works without gnuplot, and renders. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/report/report.h"
#include "tests/cli_util.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SRC COOPSIM_SOURCE_DIR
#define FLAGSHIP SRC "/scenarios/flagship.yaml"
#define RUN(...) cli_run((const char *const[]){__VA_ARGS__, NULL})

/* Plots drawn from the market's outputs alone. */
static const char *const MARKET_PLOTS[] = {"value_flows",   "earnings_cdf", "lorenz",
                                           "hourly_demand", "hourly_wait",  "hourly_utilization",
                                           "hourly_online", "hourly_surge"};
#define N_MARKET (sizeof MARKET_PLOTS / sizeof MARKET_PLOTS[0])
/* Every plot there is: the market's, and those of the chain, governance, sweeps, comparison. */
static const char *const ALL_PLOTS[] = {"value_flows",
                                        "books_cash",
                                        "books_floor",
                                        "earnings_cdf",
                                        "lorenz",
                                        "hourly_demand",
                                        "hourly_wait",
                                        "hourly_utilization",
                                        "hourly_online",
                                        "hourly_surge",
                                        "chain_finality",
                                        "chain_propagation",
                                        "chain_mempool",
                                        "chain_transactions",
                                        "chain_stale",
                                        "governance_rules",
                                        "governance_turnout",
                                        "sweep_1",
                                        "sweep_2",
                                        "sweep_3",
                                        "paired_differences",
                                        "days_net",
                                        "days_active",
                                        "days_hours",

                                        "competition_share",
                                        "competition_eta",
                                        "competition_burn"};
#define N_ALL (sizeof ALL_PLOTS / sizeof ALL_PLOTS[0])

/* Strict checks done in python3 (standard library only): HTML tag balance, SVG is XML,
 * PNG decoding for the screenshot. argv[1] is the mode. */
static const char CHECKER[] =
    "import sys, zlib, struct, xml.etree.ElementTree as ET\n"
    "from html.parser import HTMLParser\n"
    "VOID = {'area','base','br','col','embed','hr','img','input','link','meta','source',"
    "'track','wbr'}\n"
    "class P(HTMLParser):\n"
    "    def __init__(s):\n"
    "        super().__init__(convert_charrefs=True); s.stack=[]; s.errors=[]; s.seen={}\n"
    "    def handle_starttag(s, t, a):\n"
    "        s.seen[t]=s.seen.get(t,0)+1\n"
    "        if t in ('script','iframe','object','embed'): s.errors.append('active tag '+t)\n"
    "        for k,v in a:\n"
    "            if k.startswith('on'): s.errors.append('event handler '+k)\n"
    "            if k=='src' and v and not v.startswith('data:image/png;base64,'):\n"
    "                s.errors.append('external resource '+v[:40])\n"
    "        if t not in VOID: s.stack.append((t, s.getpos()))\n"
    "    def handle_startendtag(s, t, a): s.handle_starttag(t, a); \n"
    "    def handle_endtag(s, t):\n"
    "        if t in VOID: return\n"
    "        if not s.stack or s.stack[-1][0]!=t:\n"
    "            s.errors.append('unbalanced </%s> at %s, open: %s'%(t,s.getpos(),s.stack[-1:]))\n"
    "        else: s.stack.pop()\n"
    "def html(path):\n"
    "    txt=open(path,encoding='utf-8').read()\n"
    "    if not txt.startswith('<!DOCTYPE html>'): return 'no doctype'\n"
    "    p=P(); p.feed(txt); p.close()\n"
    "    if p.stack: p.errors.append('unclosed '+str(p.stack))\n"
    "    for t in ('html','head','body','title'):\n"
    "        if p.seen.get(t)!=1: p.errors.append('%s seen %s times'%(t,p.seen.get(t)))\n"
    "    return '; '.join(p.errors)\n"
    "def png(path):\n"
    "    d=open(path,'rb').read()\n"
    "    if d[:8]!=b'\\x89PNG\\r\\n\\x1a\\n': return 'not a PNG'\n"
    "    i=8; idat=b''; w=h=0\n"
    "    while i<len(d):\n"
    "        n,=struct.unpack('>I',d[i:i+4]); t=d[i+4:i+8]; c=d[i+8:i+8+n]; i+=12+n\n"
    "        if t==b'IHDR': w,h,bd,ct=struct.unpack('>IIBB',c[:10])\n"
    "        elif t==b'IDAT': idat+=c\n"
    "    if bd!=8 or ct not in (2,6): return 'unexpected PNG format %d/%d'%(bd,ct)\n"
    "    bpp=3 if ct==2 else 4; raw=zlib.decompress(idat); st=w*bpp; prev=bytearray(st)\n"
    "    colors={}; pos=0\n"
    "    for y in range(h):\n"
    "        f=raw[pos]; line=bytearray(raw[pos+1:pos+1+st]); pos+=1+st\n"
    "        for x in range(st):\n"
    "            a=line[x-bpp] if x>=bpp else 0; b=prev[x]; c=prev[x-bpp] if x>=bpp else 0\n"
    "            if f==1: line[x]=(line[x]+a)&255\n"
    "            elif f==2: line[x]=(line[x]+b)&255\n"
    "            elif f==3: line[x]=(line[x]+((a+b)>>1))&255\n"
    "            elif f==4:\n"
    "                p=a+b-c; pa=abs(p-a); pb=abs(p-b); pc=abs(p-c)\n"
    "                line[x]=(line[x]+(a if pa<=pb and pa<=pc else b if pb<=pc else c))&255\n"
    "        if y%4==0:\n"
    "            for x in range(0,st,bpp*4):\n"
    "                k=bytes(line[x:x+3]); colors[k]=colors.get(k,0)+1\n"
    "        prev=line\n"
    "    total=sum(colors.values()); top=max(colors.values())\n"
    "    if len(colors)<20 or top>0.97*total:\n"
    "        return 'blank: %d colours, most common %.1f%%'%(len(colors),100*top/total)\n"
    "    print('%dx%d, %d colours'%(w,h,len(colors)))\n"
    "    return ''\n"
    "def svg(path):\n"
    "    r=ET.parse(path).getroot()\n"
    "    return '' if r.tag.endswith('svg') else 'root is '+r.tag\n"
    "err=globals()[sys.argv[1]](sys.argv[2])\n"
    "if err: print(sys.argv[2]+': '+err); sys.exit(1)\n";

static char checker_path[128];

static int setup(void **state) {
    (void)state;
    snprintf(checker_path, sizeof checker_path, "/tmp/coopsim-report-check-%d.py", (int)getpid());
    FILE *f = fopen(checker_path, "w");
    if (!f || fputs(CHECKER, f) < 0 || fclose(f) != 0) return -1;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(checker_path);
    return 0;
}

/* Runs the checker in a mode on a file (through argv: paths may hold any character); fails the
 * test with its message. */
static void check(const char *mode, const char *path) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        execlp("python3", "python3", checker_path, mode, path, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char out[4096];
    size_t n = 0;
    ssize_t k;
    while ((k = read(fds[0], out + n, sizeof out - 1 - n)) > 0)
        n += (size_t)k;
    out[n] = '\0';
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        print_error("%s check of %s failed:\n%s\n", mode, path, out);
        fail();
    }
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (b) b[n] = '\0';
    fclose(f);
    return b;
}

/* COOPSIM_TEST_KEEP=1 keeps the run directories to look at; their paths are printed. */
static void done(char *dir) {
    if (getenv("COOPSIM_TEST_KEEP"))
        print_message("kept %s\n", dir);
    else
        cli_rmdir(dir);
    free(dir);
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* A PNG and an SVG of the plot, non-empty and well-formed. */
static void expect_plot(const char *rundir, const char *name) {
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/plots/%s.png", rundir, name);
    if (stat(path, &st) != 0 || st.st_size < 1000) {
        print_error("missing or tiny plot %s\n", path);
        fail();
    }
    char *b = slurp(path);
    assert_non_null(b);
    assert_memory_equal(b, "\x89PNG", 4);
    free(b);
    snprintf(path, sizeof path, "%s/plots/%s.svg", rundir, name);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
    check("svg", path);
}

/* ---- a run directory with every table, written by hand ---------------------------------- */

static json_t *platform(const char *name, const char *kind, double scale) {
    return json_pack(
        "{s:s, s:s, s:{s:i, s:i, s:i, s:i, s:f, s:f, s:f, s:f},"
        " s:{s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f},"
        " s:{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}, s:{s:f},"
        " s:{s:s, s:i, s:f, s:f, s:f, s:f}, s:{s:i, s:i, s:f}}",
        "name", name, "kind", kind, "riders", "requests", 1000, "served", 900, "abandoned", 40,
        "refused_quote", 60, "wait_mean_s", 200.0, "wait_p50_s", 150.0, "wait_p95_s", 500.0,
        "fare_mean", 20.0, "drivers", "count", 50, "online_hours", 400.0, "utilization", 0.6,
        "pickup_share", 0.1, "idle_share", 0.3, "gross_per_hour", 30.0 * scale, "net_per_hour",
        22.0 * scale, "net_per_hour_p10", 12.0, "net_per_hour_p50", 21.0, "net_per_hour_p90", 31.0,
        "income_gini", 0.3, "dividends", scale > 1 ? 900.0 : 0.0, "platform", "gross_bookings",
        18000.0, "driver_pay", 13500.0 * scale, "revenue", 4500.0, "subsidies", 0.0,
        "operating_costs", 1000.0, "profit", 3500.0, "reserve", scale > 1 ? 300.0 : 0.0,
        "extraction", scale > 1 ? 0.0 : 3500.0, "take_rate", 0.25, "checks",
        "money_conservation_error", 0.0, "chain", "consensus", "poa", "blocks", 720, "stale_rate",
        0.01, "confirm_latency_mean_s", 6.5, "fees_total", 45.0, "token_gini", 0.4, "governance",
        "proposals", 4, "passed", 2, "turnout_mean", 0.55);
}

/* Writes a full run directory; platform names and the title as given. */
static void fake_run(const char *dir, const char *title, const char *n1, const char *n2) {
    json_t *s =
        json_pack("{s:s, s:s, s:s, s:s, s:[s], s:s, s:i, s:i, s:s, s:f}", "scenario", "fake",
                  "title", title, "scenario_file", "/nonexistent/fake.yaml", "scenario_sha256",
                  "00", "overrides", "simulation.duration=2h", "coopsim_version", "test", "seed", 7,
                  "replication", 0, "currency", "EUR", "duration_s", 7200.0);
    json_t *pfs = json_array();
    json_array_append_new(pfs, platform(n1, "centralized", 1.0));
    json_array_append_new(pfs, platform(n2, "cooperative", 1.1));
    /* Free entry: the short run and the long run side by side. */
    for (size_t k = 0; k < 2; k++)
        json_object_set_new(
            json_array_get(pfs, k), "long_run",
            json_pack("{s:b, s:i, s:i, s:i, s:{s:f, s:f, s:f}, s:{s:f, s:f, s:f}}", "converged", 1,
                      "converged_day", 20, "window_first_day", 14, "window_last_day", 27,
                      "short_run", "active_drivers", 300.0, "net_per_hour", 22.0 + k,
                      "online_hours", 2500.0 + 100.0 * (double)k, "long_run", "active_drivers",
                      380.0 + 50.0 * (double)k, "net_per_hour", 18.0 + 0.5 * (double)k,
                      "online_hours", 2900.0 + 300.0 * (double)k));
    json_object_set_new(s, "platforms", pfs);
    /* The sweep behind sweep_summary.csv below: its parameter names the x axis. */
    json_object_set_new(s, "sweep",
                        json_pack("{s:s, s:[{s:s, s:[s,s,s,s,s,s]}]}", "mode", "grid", "parameters",
                                  "path", "platforms[1].commission", "values", "5%", "10%", "15%",
                                  "20%", "25%", "30%"));
    json_object_set_new(
        s, "comparison",
        json_pack("[{s:s, s:s, s:{s:{s:f, s:f, s:f, s:f, s:i}, s:{s:f, s:f, s:f, s:f, s:i}}}]",
                  "platform", n2, "baseline", n1, "difference", "drivers.net_per_hour", "mean", 2.2,
                  "sd", 1.0, "ci95_low", 1.1, "ci95_high", 3.3, "n", 5, "riders.wait_p95_s", "mean",
                  -10.0, "sd", 9.0, "ci95_low", -30.0, "ci95_high", 5.0, "n", 5));
    char path[1024];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    assert_int_equal(json_dump_file(s, path, JSON_INDENT(2)), 0);
    json_decref(s);

    /* CSV cells quote the names as a CSV writer would. */
    char q1[512], q2[512];
    const char *names[2] = {n1, n2};
    char *q[2] = {q1, q2};
    for (int k = 0; k < 2; k++) {
        size_t o = 0;
        q[k][o++] = '"';
        for (const char *c = names[k]; *c && o < 500; c++) {
            if (*c == '"') q[k][o++] = '"';
            q[k][o++] = *c;
        }
        q[k][o++] = '"';
        q[k][o] = '\0';
    }
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = (size_t)sprintf(buf, "platform,driver,online_hours,net,net_per_hour\n");
    for (int k = 0; k < 2; k++)
        for (int d = 0; d < 60; d++) {
            double h = d % 7 == 0 ? 0 : 4 + d % 5;
            double nph = 8 + (d * 37 % 60) * 0.4 + 3 * k;
            if (h > 0)
                n += (size_t)sprintf(buf + n, "%s,%d,%.2f,%.2f,%.2f\n", q[k], d, h, nph * h, nph);
            else
                n += (size_t)sprintf(buf + n, "%s,%d,0,0.00,\n", q[k], d);
        }
    cli_write(dir, "drivers.csv", buf, n);
    n = (size_t)sprintf(buf, "platform,hour,requests,served,abandoned,wait_mean_s,wait_p50_s,"
                             "wait_p95_s,utilization,online_drivers,mean_surge,finality_mean_s,"
                             "finality_p95_s\n");
    for (int k = 0; k < 2; k++)
        for (int h = 0; h < 24; h++) {
            int req = 200 + 150 * (h > 6 && h < 22) + 10 * h;
            n += (size_t)sprintf(buf + n, "%s,%d,%d,%d,%d,%d,%d,%d,%.3f,%d,%.2f,%.1f,%.1f\n", q[k],
                                 h, req, req * 8 / 10 + k * 10, req / 20, 200, 150 + h, 400 + 5 * h,
                                 0.4 + 0.01 * h, 40 + h, k ? 1.0 : 1.0 + 0.05 * (h % 5),
                                 k ? 6.0 + h * 0.1 : 0.0, k ? 12.0 + h * 0.2 : 0.0);
        }
    cli_write(dir, "hourly.csv", buf, n);
    n = (size_t)sprintf(buf, "platform,day,active_drivers,online_hours,net_per_hour\n");
    for (int k = 0; k < 2; k++)
        for (int d = 0; d < 28; d++)
            n += (size_t)sprintf(buf + n, "%s,%d,%d,%.2f,%.2f\n", q[k], d, 300 + 3 * d + 20 * k,
                                 2500.0 + 20.0 * d, 22.0 - 0.15 * d + k);
    cli_write(dir, "days.csv", buf, n);
    /* A shared city, as models/market writes competition.csv (the columns the report reads). */
    n = (size_t)sprintf(buf, "platform,day,request_share,shown_eta_s,burn\n");
    for (int k = 0; k < 2; k++)
        for (int d = 1; d <= 28; d++)
            n += (size_t)sprintf(buf + n, "%s,%d,%.4f,%.1f,%.2f\n", q[k], d,
                                 k ? 0.02 + 0.003 * d : 0.98 - 0.003 * d, k ? 330.0 - d : 180.0,
                                 k ? 0.0 : 5000.0 * d);
    cli_write(dir, "competition.csv", buf, n);
    n = (size_t)sprintf(buf,
                        "platform,height,time_s,transactions,stale,propagation_p50_s,mempool\n");
    for (int b = 0; b < 200; b++)
        n +=
            (size_t)sprintf(buf + n, "%s,%d,%d,%d,%d,%.3f,%d\n", q[1], b, b * 432, 50 + b * 11 % 40,
                            b % 23 == 0, 0.2 + (b * 13 % 17) * 0.05, 20 + (b * 7 % 30));
    cli_write(dir, "blocks.csv", buf, n);
    /* Governance as models/governance writes it (the columns the report reads). */
    n = (size_t)sprintf(buf, "platform,proposal,epoch,time_s,rule,from,to,new_value,turnout,"
                             "quorum_met,passed\n");
    static const char *const props[] = {"1,1,86400,commission,15%,12%,0.12,0.61,1,1",
                                        "2,2,172800,reserve_share,30%,20%,0.2,0.35,1,0",
                                        "3,3,259200,commission,12%,10%,0.10,0.58,1,1",
                                        "4,4,345600,reserve_share,30%,25%,0.25,0.44,1,1"};
    for (size_t i = 0; i < 4; i++)
        n += (size_t)sprintf(buf + n, "%s,%s\n", q[1], props[i]);
    cli_write(dir, "governance.csv", buf, n);
    n = (size_t)sprintf(buf, "platform,epoch,time_s,day,commission,reserve_share,dividend_basis,"
                             "pay_floor,membership_cap,entry_fee,surge\n");
    for (int e = 0; e < 6; e++)
        n += (size_t)sprintf(buf + n, "%s,%d,%d,%d,%.2f,%.2f,hours,20.00,0,0.00,0\n", q[1], e,
                             e * 86400, e,
                             e < 2   ? 0.15
                             : e < 4 ? 0.12
                                     : 0.10,
                             e < 5 ? 0.30 : 0.25);
    cli_write(dir, "rules.csv", buf, n);
    /* Each member's decision on proposal 1, as models/governance writes votes.csv. */
    n = (size_t)sprintf(buf, "platform,proposal,rule,member,member_class,turned_out,choice,"
                             "ranking,approved,payoff_change,payoff_change_rel,perceived,weight,"
                             "counted\n");
    static const char *const votes[] = {"full_time_driver,1,for,,,12.00,0.02,0.025,1,1",
                                        "full_time_driver,1,for,,,10.00,0.04,0.035,1,1",
                                        "occasional_driver,1,against,,,-1.00,-0.01,-0.012,1,1",
                                        "backer,0,,,,-50.00,-0.30,-0.29,,"};
    for (size_t i = 0; i < 4; i++)
        n += (size_t)sprintf(buf + n, "%s,1,commission,%zu,%s\n", q[1], i, votes[i]);
    cli_write(dir, "votes.csv", buf, n);
    /* The books as models/platform writes them (the columns the report reads). */
    n = (size_t)sprintf(buf, "platform,day,cash,reserve,floor_owed,floor_paid\n");
    for (int k = 0; k < 2; k++)
        for (int d = 1; d <= 10; d++)
            n += (size_t)sprintf(buf + n, "%s,%d,%.2f,%.2f,%.2f,%.2f\n", q[k], d,
                                 k ? 500.0 - 120.0 * d : 1000.0 * d, k ? 50.0 * d : 0.0,
                                 k ? 80.0 : 0.0, k ? (d < 5 ? 80.0 : 20.0) : 0.0);
    cli_write(dir, "books.csv", buf, n);
    /* As experiments write it: one row per point, <platform>.<metric>.<statistic> columns. */
    static const char *const metrics[] = {"drivers.net_per_hour", "riders.wait_p95_s",
                                          "drivers.income_gini"};
    n = (size_t)sprintf(buf, "point,platforms[1].commission,replications");
    for (int k = 0; k < 2; k++)
        for (int m = 0; m < 3; m++)
            n += (size_t)sprintf(buf + n, ",%s.%s.mean,%s.%s.ci95_low,%s.%s.ci95_high", q[k],
                                 metrics[m], q[k], metrics[m], q[k], metrics[m]);
    buf[n++] = '\n';
    for (int v = 5; v <= 30; v += 5) {
        n += (size_t)sprintf(buf + n, "%d,%d%%,5", v / 5 - 1, v);
        for (int k = 0; k < 2; k++)
            n += (size_t)sprintf(
                buf + n, ",%.2f,%.2f,%.2f,%.1f,%.1f,%.1f,%.3f,%.3f,%.3f", 30 - 0.4 * v + k,
                29 - 0.4 * v + k, 31 - 0.4 * v + k, 300 + 2.0 * v + 10 * k, 280 + 2.0 * v + 10 * k,
                320 + 2.0 * v + 10 * k, 0.3 + 0.003 * v, 0.28 + 0.003 * v, 0.32 + 0.003 * v);
        buf[n++] = '\n';
    }
    cli_write(dir, "sweep_summary.csv", buf, n);
    free(buf);
}

static void test_every_script_draws(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    fake_run(dir, "Every plot", "metro-rides", "city-coop");
    report_info info;
    char err[2048];
    int rc = report_write(dir, SRC "/plots", &info, err, sizeof err);
    if (rc != 0) {
        print_error("report_write: %d %s\n", rc, err);
        fail();
    }
    assert_false(info.gnuplot_missing);
    assert_int_equal(info.plots_failed, 0);
    assert_int_equal(info.plots_skipped, 0);
    assert_int_equal(info.plots_made, (int)N_ALL);
    for (size_t i = 0; i < N_ALL; i++)
        expect_plot(dir, ALL_PLOTS[i]);
    char path[1024];
    snprintf(path, sizeof path, "%s/report.html", dir);
    check("html", path);
    char *html = slurp(path);
    assert_non_null(html);
    assert_non_null(strstr(html, "Who gets what"));
    assert_non_null(strstr(html, "Chain fees"));
    assert_non_null(strstr(html, "Paired comparison"));
    /* Why they voted: 2 full-time drivers for, mean change +3%, acted on +3%. */
    assert_non_null(strstr(html, "Why they voted"));
    assert_non_null(strstr(html, "commission 15% → 12%"));
    assert_non_null(strstr(html, "<tr><td>full-time drivers</td><td>2</td><td>2</td><td>2</td>"
                                 "<td>0</td><td>0</td><td>+3.00%</td><td>+11.00</td>"
                                 "<td>+3.00%</td><td>–</td></tr>"));
    assert_non_null(strstr(html, "<tr><td>outside backers</td><td>1</td><td>0</td>"));
    /* Who gets what comes before the plots, the scenario after. */
    assert_true(strstr(html, "Who gets what") < strstr(html, "id=\"plots\""));
    assert_true(strstr(html, "id=\"plots\"") < strstr(html, "id=\"scenario\""));
    free(html);
    /* Regenerating over an existing report replaces it cleanly, even when two processes do it
     * at once: each renders in its own work directory, so neither takes the other's files. */
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) _exit(report_write(dir, SRC "/plots", NULL, err, sizeof err) == 0 ? 0 : 1);
    assert_int_equal(report_write(dir, SRC "/plots", &info, err, sizeof err), 0);
    assert_int_equal(info.plots_made, (int)N_ALL);
    int st = 0;
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    for (size_t i = 0; i < N_ALL; i++)
        expect_plot(dir, ALL_PLOTS[i]);
    /* and leaves no temporary file or work directory behind */
    snprintf(path, sizeof path, "%s/plots", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        if (strncmp(e->d_name, ".tmp-", 5) == 0 || strncmp(e->d_name, ".work-", 6) == 0)
            fail_msg("left behind: plots/%s", e->d_name);
    closedir(d);
    done(dir);
}

/* Text that would run something if gnuplot or a browser interpreted it. */
static void hostile(const char *dir, char *title, size_t n, char *n1, char *n2, size_t m) {
    snprintf(title, n,
             "T \"q\" 'a' \\ \\n `touch %s/pwned-backtick` system(\"touch %s/pwned-title\") "
             "\n!touch %s/pwned-bang\n<script>alert(1)</script> & @{x}_^",
             dir, dir, dir);
    snprintf(n1, m, "evil\" . system(\"touch %s/pwned-name\") . \"\n!touch %s/pwned-bang2", dir,
             dir);
    snprintf(n2, m, "co'op`touch %s/pwned-bt2`\\\"<img src=x onerror=alert(1)>", dir);
}

static void expect_nothing_ran(const char *dir) {
    static const char *const marks[] = {"pwned-backtick", "pwned-title", "pwned-bang",
                                        "pwned-name",     "pwned-bang2", "pwned-bt2"};
    char path[1024];
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, marks[i]);
        if (exists(path)) {
            print_error("scenario text was executed: %s exists\n", path);
            fail();
        }
    }
}

static void test_hostile_names(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    char title[1024], n1[512], n2[512], rundir[1024];
    hostile(dir, title, sizeof title, n1, n2, sizeof n1);
    /* The run directory's own name is awkward too: it is only ever a path, never code. */
    snprintf(rundir, sizeof rundir, "%s/it's a \"run\" $(touch pwned-dir)", dir);
    assert_int_equal(mkdir(rundir, 0755), 0);
    fake_run(rundir, title, n1, n2);
    report_info info;
    char err[2048];
    int rc = report_write(rundir, SRC "/plots", &info, err, sizeof err);
    if (rc != 0) {
        print_error("report_write: %d %s\n", rc, err);
        fail();
    }
    assert_int_equal(info.plots_made, (int)N_ALL);
    for (size_t i = 0; i < N_ALL; i++)
        expect_plot(rundir, ALL_PLOTS[i]);
    expect_nothing_ran(dir);
    char path[1200];
    snprintf(path, sizeof path, "%s/pwned-dir", rundir);
    assert_false(exists(path));
    snprintf(path, sizeof path, "%s/report.html", rundir);
    check("html", path);
    char *html = slurp(path);
    assert_non_null(html);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<img src=x"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    free(html);
    /* The legend shows the name, quotes turned typographic, not cut short. */
    snprintf(path, sizeof path, "%s/plots/earnings_cdf.svg", rundir);
    char *svg = slurp(path);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "evil\xe2\x80\x9d . system(\xe2\x80\x9dtouch"));
    free(svg);
    done(dir);
}

/* The same through the program: a real run with a hostile title, then coopsim plot. */
static void test_hostile_title_run(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    char title[1024], n1[512], n2[512], set[1100], out[1024];
    hostile(dir, title, sizeof title, n1, n2, sizeof n1);
    snprintf(set, sizeof set, "title=%s", title);
    snprintf(out, sizeof out, "%s/run", dir);
    /* A platform's name reaches the CSV files, the plots' legends and the page. */
    char pfset[1100];
    snprintf(
        pfset, sizeof pfset,
        "platforms[0].name=evil\" . system(\"touch %s/pwned-name\") . \"<b>`touch %s/pwned-bt2`",
        dir, dir);
    cli_result *r = RUN("run", FLAGSHIP, "-q", "-o", out, "--set", "simulation.duration=2h",
                        "--set", set, "--set", pfset);
    if (r->status != 0) {
        print_error("run: %d\n%s\n", r->status, r->err);
        fail();
    }
    r = RUN("plot", out);
    if (r->status != 0) {
        print_error("plot: %d\n%s\n", r->status, r->err);
        fail();
    }
    for (size_t i = 0; i < N_MARKET; i++)
        expect_plot(out, MARKET_PLOTS[i]);
    expect_nothing_ran(dir);
    char path[1200];
    snprintf(path, sizeof path, "%s/report.html", out);
    check("html", path);
    char *html = slurp(path);
    assert_non_null(html);
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "system(&quot;touch"));
    free(html);
    done(dir);
}

static void test_flagship_report(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    char out[256];
    snprintf(out, sizeof out, "%s/flagship", dir);
    cli_result *r = RUN("run", FLAGSHIP, "-q", "-o", out, "--set", "simulation.duration=2h");
    assert_int_equal(r->status, 0);
    r = RUN("plot", out);
    if (r->status != 0) {
        print_error("plot: %d\n%s\n", r->status, r->err);
        fail();
    }
    assert_non_null(strstr(r->err, "report.html"));
    for (size_t i = 0; i < N_MARKET; i++)
        expect_plot(out, MARKET_PLOTS[i]);
    char path[512];
    snprintf(path, sizeof path, "%s/report.html", out);
    check("html", path);
    char *html = slurp(path);
    assert_non_null(html);
    /* The scenario file itself, escaped, and its fingerprint. */
    assert_non_null(strstr(html, "name: flagship"));
    assert_non_null(strstr(html, "scenario_sha256"));
    assert_non_null(strstr(html, "of every 100 USD riders pay"));
    free(html);
    done(dir);
}

/* A queue-mode run that is an M/M/c queue shows the simulated values beside Erlang C's; a
 * market run has no such section. */
static void test_theory_section(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    char out[256], path[512];
    snprintf(out, sizeof out, "%s/mmc", dir);
    cli_result *r = RUN("run", COOPSIM_SOURCE_DIR "/scenarios/validation/mmc.yaml", "-q", "-o", out,
                        "--set", "simulation.duration=6h");
    assert_int_equal(r->status, 0);
    snprintf(path, sizeof path, "%s/report.html", out);
    check("html", path);
    char *html = slurp(path);
    assert_non_null(html);
    assert_non_null(strstr(html, "Against queueing theory"));
    assert_non_null(strstr(html, "<td>33.25</td>")); /* W_q of M/M/5 at a = 4 */
    free(html);
    snprintf(out, sizeof out, "%s/market", dir);
    r = RUN("run", FLAGSHIP, "-q", "--no-plots", "-o", out, "--set", "simulation.duration=1h");
    assert_int_equal(r->status, 0);
    r = RUN("plot", out);
    snprintf(path, sizeof path, "%s/report.html", out);
    html = slurp(path);
    assert_non_null(html);
    assert_null(strstr(html, "Against queueing theory"));
    assert_null(strstr(html, "Attacks on the chain"));
    free(html);
    done(dir);
}

/* A double-spend run shows the attacker's success rate beside the closed forms. */
static void test_attack_section(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    char out[256], path[512];
    snprintf(out, sizeof out, "%s/ds", dir);
    cli_result *r = RUN("run", COOPSIM_SOURCE_DIR "/scenarios/attacks/double-spend.yaml", "-q",
                        "--no-plots", "-o", out, "--set", "platforms[0].ledger.adversary.trials=50",
                        "--set", "simulation.duration=30d");
    assert_int_equal(r->status, 0);
    r = RUN("plot", out);
    snprintf(path, sizeof path, "%s/report.html", out);
    char *html = slurp(path);
    assert_non_null(html);
    assert_non_null(strstr(html, "Attacks on the chain"));
    assert_non_null(strstr(html, "coop-chain: double-spend"));
    assert_non_null(strstr(html, "<td>Rosenfeld (2014)</td><td>–</td><td>0.1564</td>"));
    free(html);
    done(dir);
}

/* A run on the central ledger has the payment finality columns, but empty: the plot is left
 * out, and nothing fails. */
static void test_central_ledger_run(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    char out[256];
    snprintf(out, sizeof out, "%s/central", dir);
    cli_result *r = RUN("run", FLAGSHIP, "-o", out, "--set", "simulation.duration=2h", "--set",
                        "platforms[1].ledger.kind=central");
    if (r->status != 0 || strstr(r->err, "failed")) {
        print_error("run: %d\n%s\n", r->status, r->err);
        fail();
    }
    for (size_t i = 0; i < N_MARKET; i++)
        expect_plot(out, MARKET_PLOTS[i]);
    char path[512];
    snprintf(path, sizeof path, "%s/plots/chain_finality.png", out);
    assert_int_not_equal(access(path, F_OK), 0);
    done(dir);
}

static void test_without_gnuplot(void **state) {
    (void)state;
    char *dir = strdup(cli_tmpdir());
    fake_run(dir, "No gnuplot here", "a", "b");
    setenv("COOPSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
    cli_result *r = RUN("plot", dir);
    unsetenv("COOPSIM_GNUPLOT");
    if (r->status != 0 || !strstr(r->err, "apt-get install gnuplot-nox")) {
        print_error("status %d\n%s\n", r->status, r->err);
        fail();
    }
    char path[512];
    snprintf(path, sizeof path, "%s/report.html", dir);
    check("html", path);
    char *html = slurp(path);
    assert_non_null(html);
    assert_non_null(strstr(html, "gnuplot was not found"));
    assert_non_null(strstr(html, "Who gets what"));
    assert_null(strstr(html, "data:image/png"));
    free(html);
    snprintf(path, sizeof path, "%s/plots/value_flows.png", dir);
    assert_false(exists(path));
    done(dir);
}

static void test_plot_usage(void **state) {
    (void)state;
    cli_result *r = RUN("plot");
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "no run directory given"));
    r = RUN("plot", "/nonexistent/run");
    assert_int_equal(r->status, 2);
    assert_non_null(strstr(r->err, "summary.json"));
    r = RUN("plot", "--help");
    assert_int_equal(r->status, 0);
    assert_non_null(strstr(r->out, "usage: coopsim plot"));
    r = RUN("help", "plot");
    assert_int_equal(r->status, 0);
    r = RUN("plot", "/tmp", "--bogus");
    assert_int_equal(r->status, 2);
}

/* A headless browser renders the page: not blank, no console errors. */
static void test_browser_renders(void **state) {
    (void)state;
    const char *browser = NULL;
    static const char *const cands[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                                        "/usr/bin/google-chrome"};
    for (size_t i = 0; i < 3 && !browser; i++)
        if (access(cands[i], X_OK) == 0) browser = cands[i];
    if (!browser) {
        print_message("no chromium (cmake/install-deps.sh installs it): browser check skipped\n");
        skip();
    }
    char *dir = strdup(cli_tmpdir());
    fake_run(dir, "Rendered <page>", "metro-rides", "city-coop");
    char err[2048];
    assert_int_equal(report_write(dir, SRC "/plots", NULL, err, sizeof err), 0);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "timeout 120 '%s' --headless --no-sandbox --disable-gpu "
             "--disable-background-networking --disable-component-update --disable-sync "
             "--no-first-run --user-data-dir='%s/profile' --screenshot='%s/shot.png' "
             "--window-size=1280,2000 --enable-logging=stderr --v=0 'file://%s/report.html' "
             ">'%s/browser.log' 2>&1",
             browser, dir, dir, dir, dir);
    int st = system(cmd);
    char path[512];
    snprintf(path, sizeof path, "%s/browser.log", dir);
    char *log = slurp(path);
    assert_non_null(log);
    if (st != 0) {
        print_error("browser exit %d:\n%s\n", st, log);
        fail();
    }
    /* Console messages and failed loads are logged as CONSOLE / net errors. */
    if (strstr(log, "CONSOLE") || strstr(log, "Uncaught") || strstr(log, "ERR_FILE_NOT_FOUND")) {
        print_error("the page logged errors:\n%s\n", log);
        fail();
    }
    free(log);
    snprintf(path, sizeof path, "%s/shot.png", dir);
    check("png", path);
    done(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plot_usage),      cmocka_unit_test(test_every_script_draws),
        cmocka_unit_test(test_hostile_names),   cmocka_unit_test(test_hostile_title_run),
        cmocka_unit_test(test_flagship_report), cmocka_unit_test(test_central_ledger_run),
        cmocka_unit_test(test_theory_section),  cmocka_unit_test(test_attack_section),
        cmocka_unit_test(test_without_gnuplot), cmocka_unit_test(test_browser_renders),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
