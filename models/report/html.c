/* report.html: one self-contained page (styles inline, plots embedded as data: URIs, no
 * scripts) that opens with who gets what, then the plots, then the scenario itself. Every
 * piece of text from the run is HTML-escaped.
 * Longer than most files: the page's sections share the number formatting and row helpers at
 * the top; the next split moves those helpers into their own file and each section beside them. */
#include "models/report/report_internal.h"

#include "sim/output.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Platform colours, in the order of plots/style.gp. */
static const char *const PF_COLOR[] = {"#D55E00", "#009E73", "#0072B2", "#CC79A7",
                                       "#E69F00", "#56B4E9", "#222222", "#999999"};

static const char CSS[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;max-width:1040px;"
    "margin:0 auto;padding:24px 28px 60px;line-height:1.45;background:#fff}"
    "h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.3em;margin:36px 0 10px;"
    "border-bottom:2px solid #e4e4e4;padding-bottom:4px}h3{font-size:1.05em;margin:22px 0 6px}"
    ".sub{color:#555;margin:0 0 10px;font-size:.95em}"
    "table{border-collapse:collapse;margin:6px 0 14px;font-size:.93em}"
    "th,td{padding:4px 12px;border-bottom:1px solid #e6e6e6;text-align:right}"
    "th:first-child,td:first-child{text-align:left}thead th{border-bottom:2px solid #bbb}"
    "td.grp{font-weight:bold;background:#f6f6f6;text-align:left}"
    ".sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:6px;"
    "vertical-align:baseline}"
    ".lead{font-size:1.02em;background:#f5f9f7;border-left:4px solid #009E73;padding:8px 12px;"
    "margin:8px 0}"
    ".note{background:#fff6e5;border-left:4px solid #E69F00;padding:8px 12px}"
    "figure{margin:18px 0 26px}figure img{width:100%;height:auto;border:1px solid #eee}"
    "figcaption{color:#333;font-size:.95em;margin-top:4px}"
    "pre{background:#f7f7f7;border:1px solid #e4e4e4;padding:10px;overflow-x:auto;"
    "font-size:.85em;white-space:pre-wrap}"
    "code{font-size:.92em}.muted{color:#777;font-size:.9em}";

void rp_html_esc(FILE *f, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            /* Control characters other than tab and newline are not allowed in HTML text. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc(' ', f);
            else
                fputc(*s, f);
        }
    }
}

/* Money with two decimals and thin-space thousands separators, so large daily totals read. */
static void money(FILE *f, double v) {
    if (!isfinite(v)) {
        fputs("<td>–</td>", f);
        return;
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.2f", fabs(v));
    size_t intlen = strcspn(digits, ".");
    fputs(v < 0 && fabs(v) >= 0.005 ? "<td>−" : "<td>", f);
    for (size_t i = 0; digits[i]; i++) {
        if (i > 0 && i < intlen && (intlen - i) % 3 == 0) fputs("&#8201;", f);
        fputc(digits[i], f);
    }
    fputs("</td>", f);
}

static void num(FILE *f, const char *fmt, double v) {
    if (isfinite(v)) {
        fputs("<td>", f);
        fprintf(f, fmt, v);
        fputs("</td>", f);
    } else {
        fputs("<td>–</td>", f);
    }
}

/* Rows of metrics read from each platform's summary entry: a label, the entry's path, a printf
 * format ("%": a share shown as a percentage) and a scale (1, or e.g. 1/60: seconds to minutes).
 * Opens the table body; the caller closes it. */
typedef struct {
    const char *label, *path, *fmt;
    double scale;
} metric_row;

static void metric_rows(FILE *f, const rp_ctx *ctx, const metric_row *rows, size_t n) {
    fputs("<tbody>", f);
    for (size_t r = 0; r < n; r++) {
        fputs("<tr><td>", f);
        rp_html_esc(f, rows[r].label);
        fputs("</td>", f);
        for (size_t i = 0; i < ctx->npf; i++) {
            double v = rp_pnum(ctx, ctx->pf[i].j, rows[r].path) * rows[r].scale;
            if (strcmp(rows[r].fmt, "%") == 0)
                num(f, "%.1f%%", 100 * v);
            else
                num(f, rows[r].fmt, v);
        }
        fputs("</tr>\n", f);
    }
}

/* A number as a reader writes it: never in scientific notation (1.327e+06 reads as nothing to a
 * non-programmer), with fewer decimals the larger it is. */
static void plain(FILE *f, double v) {
    double a = fabs(v);
    if (!isfinite(v))
        fputs("–", f);
    else if (a >= 100)
        fprintf(f, "%.0f", v);
    else if (a >= 1)
        fprintf(f, "%.2f", v);
    else if (a >= 0.001 || a == 0)
        fprintf(f, "%.4f", v);
    else /* two significant digits in plain decimals: 0.000026, not 2.6e-05 */
        fprintf(f, "%.*f", a < 1e-11 ? 12 : (int)ceil(-log10(a)) + 1, v);
}

static void plain_td(FILE *f, double v) {
    fputs("<td>", f);
    plain(f, v);
    fputs("</td>", f);
}

/* A metric's name for a reader: what the schema says it means (up to its first clause) and its
 * unit, with the key itself as a tooltip; the key when no table declares it. */
static void label(FILE *f, const char *section, const char *key) {
    const sch_table *t = schema_platform_section(section);
    const sch_field *fd = t ? sch_find(t, key) : NULL;
    if (!fd || !fd->meaning) {
        rp_html_esc(f, section);
        fputs(".", f);
        rp_html_esc(f, key);
        return;
    }
    char text[200];
    size_t n = strcspn(fd->meaning, ";(");
    const char *stop = strstr(fd->meaning, ". ");
    if (stop && (size_t)(stop - fd->meaning) < n) n = (size_t)(stop - fd->meaning);
    snprintf(text, sizeof text, "%.*s", (int)(n < 180 ? n : 180), fd->meaning);
    while (*text && text[strlen(text) - 1] == ' ')
        text[strlen(text) - 1] = '\0';
    fputs("<span title=\"", f);
    rp_html_esc(f, section);
    fputs(".", f);
    rp_html_esc(f, key);
    fputs("\">", f);
    if (text[0] >= 'a' && text[0] <= 'z') text[0] = (char)(text[0] - 'a' + 'A');
    rp_html_esc(f, text);
    if (fd->unit && *fd->unit) {
        fputs(" (", f);
        rp_html_esc(f, fd->unit);
        fputs(")", f);
    }
    fputs("</span>", f);
}

static void pf_head(FILE *f, const rp_ctx *ctx, const char *first) {
    fputs("<thead><tr><th>", f);
    rp_html_esc(f, first);
    fputs("</th>", f);
    for (size_t i = 0; i < ctx->npf; i++) {
        fprintf(f, "<th><span class=\"sw\" style=\"background:%s\"></span>", PF_COLOR[i % 8]);
        rp_html_esc(f, ctx->pf[i].name);
        fputs(" <span class=\"muted\">(", f);
        rp_html_esc(f, ctx->pf[i].kind);
        fputs(")</span></th>", f);
    }
    fputs("</tr></thead>\n", f);
}

/* What riders paid that the summary does not assign to any named destination. */
static double unallocated(const rp_ctx *ctx, const json_t *j) {
    double v[RP_NFLOW], drawn, sum = 0;
    if (rp_flows(ctx, j, v, &drawn) != 0) return NAN;
    for (int c = 0; c < RP_NFLOW - 1; c++)
        sum += v[c];
    return rp_pnum(ctx, j, "platform.gross_bookings") + drawn - sum;
}

/* A summary path, or "=unallocated", "=drawn", "=flow:N" (a category of rp_flows). */
static double total(const rp_ctx *ctx, const rp_platform *p, const char *path) {
    if (strcmp(path, "=unallocated") == 0) return unallocated(ctx, p->j);
    if (path[0] == '=') {
        double v[RP_NFLOW], drawn;
        if (rp_flows(ctx, p->j, v, &drawn) != 0) return NAN;
        if (strcmp(path, "=drawn") == 0) return drawn;
        int c = path[6] - '0';
        return strncmp(path, "=flow:", 6) == 0 && c >= 0 && c < RP_NFLOW ? v[c] : NAN;
    }
    double v = rp_pnum(ctx, p->j, path);
    return isfinite(v) ? v : NAN;
}

static bool any_total(const rp_ctx *ctx, const char *path) {
    for (size_t i = 0; i < ctx->npf; i++)
        if (total(ctx, &ctx->pf[i], path) > 0) return true;
    return false;
}

static bool any_positive(const rp_ctx *ctx, const char *path) {
    for (size_t i = 0; i < ctx->npf; i++)
        if (rp_pnum(ctx, ctx->pf[i].j, path) > 0) return true;
    return false;
}

/* A row of money amounts: total / served trips (per_trip) or total scaled to a day. */
static void money_row(FILE *f, const rp_ctx *ctx, const char *label, const char *path,
                      bool per_trip, double day) {
    fputs("<tr><td>", f);
    rp_html_esc(f, label);
    fputs("</td>", f);
    for (size_t i = 0; i < ctx->npf; i++) {
        double v = total(ctx, &ctx->pf[i], path),
               served = rp_pnum(ctx, ctx->pf[i].j, "riders.served");
        if (per_trip)
            money(f, served > 0 ? v / served : NAN);
        else
            money(f, v * day);
    }
    fputs("</tr>\n", f);
}

static void lead_sentence(FILE *f, const rp_ctx *ctx, const char *cur) {
    for (size_t i = 0; i < ctx->npf; i++) {
        const json_t *j = ctx->pf[i].j;
        double g = rp_pnum(ctx, j, "platform.gross_bookings");
        if (!(g > 0)) continue;
        double v[RP_NFLOW], drawn, ext = rp_pnum(ctx, j, "platform.extraction");
        if (rp_flows(ctx, j, v, &drawn) != 0) continue;
        static const char *const says[RP_NFLOW - 1] = {"go to drivers as pay",
                                                       "top drivers up to the pay floor",
                                                       "return to members as dividends",
                                                       "are kept in the co-op's reserve",
                                                       "pay operating costs",
                                                       "pay chain fees",
                                                       "pay interest",
                                                       "are profit for the platform's investors"};
        fputs("<p class=\"lead\"><b>", f);
        rp_html_esc(f, ctx->pf[i].name);
        fputs(":</b> of every 100 ", f);
        rp_html_esc(f, cur);
        fprintf(f, " riders pay, %.1f %s", 100 * v[0] / g, says[0]);
        for (int c = 1; c < RP_NFLOW - 1; c++)
            if (v[c] > 0) fprintf(f, ", %.1f %s", 100 * v[c] / g, says[c]);
        double rest = unallocated(ctx, j);
        if (fabs(rest) > 0.005 * g)
            fprintf(f, ", %.1f are not itemised in summary.json", 100 * rest / g);
        if (drawn > 0)
            fprintf(f, "; the platform added %.1f from its reserve or capital", 100 * drawn / g);
        fprintf(f, ". Of it all, %.1f leave the community as extraction.",
                isfinite(ext) && ext > 0 ? 100 * ext / g : 0);
        double gh = rp_pnum(ctx, j, "drivers.gross_per_hour"),
               nh = rp_pnum(ctx, j, "drivers.net_per_hour");
        if (isfinite(gh) && isfinite(nh)) {
            fprintf(f, " Drivers earn %.2f ", gh);
            rp_html_esc(f, cur);
            fprintf(f, " per online hour, %.2f after vehicle costs.", nh);
        }
        fputs("</p>\n", f);
    }
}

/* The platform's books over the run: costs, the floor, cash, survival, extraction by part. */
static void books_table(FILE *f, const rp_ctx *ctx) {
    if (!json_object_get(ctx->pf[0].j, "finance")) return; /* a run from before the books */
    /* fmt "$": money with separators; "%": a share shown as a percentage */
    static const struct {
        const char *label, *path, *fmt;
    } rows[] = {
        {"Costs and interest, share of what riders paid", "finance.cost_share_of_bookings", "%"},
        {"Surplus (co-op) or profit (centralized)", "finance.net_result", "$"},
        {"Pay floor: top-ups owed", "finance.pay_floor_owed", "$"},
        {"Pay floor: top-ups paid", "finance.pay_floor_paid", "$"},
        {"Pay floor: share of what was owed that was paid", "finance.floor_funding", "%"},
        {"Capital paid in (own cash, grants, investors)", "finance.capital_in", "$"},
        {"Loans and notes drawn", "finance.loans_drawn", "$"},
        {"Cash at the end", "finance.cash_end", "$"},
        {"Debt at the end", "finance.debt_end", "$"},
        {"Days of cash left at the last week's spending (blank: cash not falling)",
         "finance.runway_days", "%.1f"},
        {"Share of runs that ran out of cash", "finance.failed", "%"},
        {"Day it ran out of cash (blank: it did not)", "finance.failed_day", "%.1f"},
        {"Extraction: investors' profit above their required return",
         "finance.extraction.owners_above_required_return", "$"},
        {"Extraction: chain fees paid to outside validators",
         "finance.extraction.outside_validator_fees", "$"},
    };
    fputs("<h3>The books (docs/platform-rules.md)</h3>\n<table>", f);
    pf_head(f, ctx, "");
    fputs("<tbody>", f);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        /* rows of zeros and blanks (no floor, no loans, no chain) only puzzle a reader; whether
         * the platform ran out of cash is said either way */
        bool any = strcmp(rows[r].path, "finance.failed") == 0;
        for (size_t i = 0; i < ctx->npf && !any; i++) {
            double v = rp_pnum(ctx, ctx->pf[i].j, rows[r].path);
            any = isfinite(v) && v != 0;
        }
        if (!any) continue;
        fputs("<tr><td>", f);
        rp_html_esc(f, rows[r].label);
        fputs("</td>", f);
        for (size_t i = 0; i < ctx->npf; i++) {
            const json_t *b = json_object_get(json_object_get(ctx->pf[i].j, "finance"), "failed");
            double v = rp_pnum(ctx, ctx->pf[i].j, rows[r].path);
            /* one run: yes or no */
            if (strcmp(rows[r].path, "finance.failed") == 0 && json_is_boolean(b))
                v = json_is_true(b) ? 1.0 : 0.0;
            if (rows[r].fmt[0] == '$')
                money(f, v);
            else if (strcmp(rows[r].fmt, "%") == 0)
                num(f, "%.1f%%", 100 * v);
            else
                num(f, rows[r].fmt, v);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* Who gains what above their alternative (summary.json's welfare object, docs/model.md). */
static void welfare_table(FILE *f, const rp_ctx *ctx) {
    fputs("<h3>Welfare</h3>\n<p>Riders' willingness to pay less price less the cost of waiting "
          "(at the scenario's value of time, counting the wait of riders who gave up); drivers' "
          "income less vehicle costs less their online time at their reservation wage; what the "
          "platform keeps. Fares, pay, dividends and fees move money between the three; only "
          "waiting, driving, drivers' time and the platform's costs use it up.</p>\n<table>",
          f);
    pf_head(f, ctx, "");
    static const metric_row wrows[] = {
        {"Rider surplus", "welfare.rider_surplus", "%.0f", 1},
        {"per request", "welfare.rider_surplus_per_request", "%.2f", 1},
        {"of which cost of waiting of riders who gave up", "welfare.rider_wait_cost_abandoned",
         "%.0f", 1},
        {"Driver surplus above the outside option", "welfare.driver_surplus", "%.0f", 1},
        {"per online hour", "welfare.driver_surplus_per_hour", "%.2f", 1},
        {"Platform surplus", "welfare.platform_surplus", "%.0f", 1},
        {"Total", "welfare.total", "%.0f", 1},
        {"per request", "welfare.total_per_request", "%.2f", 1},
    };
    metric_rows(f, ctx, wrows, sizeof wrows / sizeof wrows[0]);
    fputs("</tbody></table>\n", f);
}
static void who_gets_what(FILE *f, const rp_ctx *ctx, const char *cur, double dur) {
    double day = dur > 0 ? 86400.0 / dur : NAN;
    bool chain =
        any_positive(ctx, "platform.chain_fees") || rp_pget(ctx, ctx->pf[0].j, "chain") != NULL;
    bool coop = any_positive(ctx, "drivers.dividends") || any_positive(ctx, "platform.reserve");
    for (size_t i = 0; i < ctx->npf; i++) {
        const char *kind = rp_pstr(ctx, ctx->pf[i].j, "kind");
        coop = coop || (kind && strcmp(kind, "cooperative") == 0);
    }
    fputs("<section id=\"who\"><h2>Who gets what</h2>\n", f);
    lead_sentence(f, ctx, cur);
    rp_explain(f, ctx, cur);
    for (int per_trip = 1; per_trip >= 0; per_trip--) {
        fputs("<h3>", f);
        if (per_trip) {
            fputs("Per average trip (", f);
            rp_html_esc(f, cur);
            fputs(")</h3>\n<table>", f);
        } else {
            fputs("Per day (", f);
            rp_html_esc(f, cur);
            if (fabs(dur - 86400) > 1 && dur >= 2 * 86400 && fmod(dur, 86400) == 0)
                fprintf(f, "; the run covered %.0f days: the mean day", dur / 86400);
            else if (fabs(dur - 86400) > 1)
                fprintf(f, "; the run covered %.1f hours, scaled to 24", dur / 3600);
            fputs(")</h3>\n<table>", f);
        }
        pf_head(f, ctx, "");
        fputs("<tbody>", f);
        money_row(f, ctx, "What riders pay", "platform.gross_bookings", per_trip, day);
        fputs("<tr><td class=\"grp\" colspan=\"99\">What drivers get</td></tr>", f);
        money_row(f, ctx, "Pay for trips", "platform.driver_pay", per_trip, day);
        if (any_positive(ctx, "platform.pay_floor_owed")) {
            money_row(f, ctx, "Pay-floor top-ups owed", "platform.pay_floor_owed", per_trip, day);
            money_row(f, ctx, "Pay-floor top-ups paid", "=flow:1", per_trip, day);
        }
        if (any_positive(ctx, "platform.pay_standard_topups"))
            money_row(f, ctx, "of which to meet the pay standard, trip by trip",
                      "platform.pay_standard_topups", per_trip, day);
        /* only a co-op returns dividends or keeps a reserve: rows of zeros would only puzzle */
        if (coop) {
            fputs("<tr><td class=\"grp\" colspan=\"99\">What stays in the community</td></tr>", f);
            money_row(f, ctx, "Dividends to members", "drivers.dividends", per_trip, day);
            money_row(f, ctx, "Added to the co-op reserve from fares", "=flow:3", per_trip, day);
        }
        fputs("<tr><td class=\"grp\" colspan=\"99\">What it costs to run</td></tr>", f);
        money_row(f, ctx, "Operating costs", "platform.operating_costs", per_trip, day);
        if (chain) money_row(f, ctx, "Chain fees", "platform.chain_fees", per_trip, day);
        if (any_positive(ctx, "platform.interest"))
            money_row(f, ctx, "Interest", "platform.interest", per_trip, day);
        if (any_positive(ctx, "platform.subsidies"))
            money_row(f, ctx, "Subsidies paid by the platform", "platform.subsidies", per_trip,
                      day);
        if (any_total(ctx, "=flow:7")) {
            fputs("<tr><td class=\"grp\" colspan=\"99\">What the owners get</td></tr>", f);
            money_row(f, ctx, "Profit to investors", "=flow:7", per_trip, day);
        }
        if (any_total(ctx, "=drawn"))
            money_row(f, ctx, "Drawn from reserve or capital", "=drawn", per_trip, day);
        bool rest = false;
        for (size_t i = 0; i < ctx->npf; i++) {
            double g = rp_pnum(ctx, ctx->pf[i].j, "platform.gross_bookings");
            rest = rest || fabs(unallocated(ctx, ctx->pf[i].j)) > 0.005 * fabs(g);
        }
        if (rest) money_row(f, ctx, "Not itemised in summary.json", "=unallocated", per_trip, day);
        fputs("<tr><td class=\"grp\" colspan=\"99\">What leaves the community</td></tr>", f);
        money_row(f, ctx, "Extraction (beyond the cost of the service)", "platform.extraction",
                  per_trip, day);
        fputs("</tbody></table>\n", f);
    }

    books_table(f, ctx);
    fputs("<h3>Drivers</h3>\n<table>", f);
    pf_head(f, ctx, "");
    static const metric_row drows[] = {
        {"Drivers", "drivers.count", "%.0f", 1},
        {"Online hours", "drivers.online_hours", "%.1f", 1},
        {"Gross earnings per online hour", "drivers.gross_per_hour", "%.2f", 1},
        {"Net per online hour, after vehicle costs", "drivers.net_per_hour", "%.2f", 1},
        {"Net per hour, 10th percentile driver", "drivers.net_per_hour_p10", "%.2f", 1},
        {"Net per hour, median driver", "drivers.net_per_hour_p50", "%.2f", 1},
        {"Net per hour, 90th percentile driver", "drivers.net_per_hour_p90", "%.2f", 1},
        {"Income Gini (0 equal, 1 one driver earns all)", "drivers.income_gini", "%.3f", 1},
        {"Utilization (share of online time with a rider)", "drivers.utilization", "%", 1},
        {"Share of online time on pickups (offer to rider seated)", "drivers.pickup_share", "%", 1},
        {"Of which the response time (offer to setting off)", "drivers.response_share", "%", 1},
        {"Share of online time idle", "drivers.idle_share", "%", 1},
    };
    metric_rows(f, ctx, drows, sizeof drows / sizeof drows[0]);
    fputs("</tbody></table>\n<h3>Riders</h3>\n<table>", f);
    pf_head(f, ctx, "");
    static const metric_row rrows[] = {
        {"Requests", "riders.requests", "%.0f", 1},
        {"Served", "riders.served", "%.0f", 1},
        {"Abandoned (gave up waiting)", "riders.abandoned", "%.0f", 1},
        {"Refused the quoted fare", "riders.refused_quote", "%.0f", 1},
        {"Mean wait for pickup (min)", "riders.wait_mean_s", "%.1f", 1.0 / 60},
        {"Median wait (min)", "riders.wait_p50_s", "%.1f", 1.0 / 60},
        {"95th percentile wait (min)", "riders.wait_p95_s", "%.1f", 1.0 / 60},
        {"Mean fare", "riders.fare_mean", "%.2f", 1},
    };
    metric_rows(f, ctx, rrows, sizeof rrows / sizeof rrows[0]);
    fputs("<tr><td>Money conservation error (should be 0)</td>", f);
    for (size_t i = 0; i < ctx->npf; i++)
        num(f, "%.2g", rp_pnum(ctx, ctx->pf[i].j, "checks.money_conservation_error"));
    fputs("</tr>\n</tbody></table>\n", f);
    welfare_table(f, ctx);
    fputs("</section>\n", f);
}

/* A sweep: who gets what at each point, per average trip, means over the replications. */
/* A run without a market: the load each chain carried, in place of who gets what. */
static void chain_only(FILE *f, const rp_ctx *ctx) {
    fputs("<section id=\"who\"><h2>A chain without a market</h2>\n<p>This run has no riders "
          "or drivers (<code>demand.source: none</code>): each chain carried only its stated "
          "load of transfers between accounts. Throughput, confirmation times and forks are in "
          "the chain section below.</p>\n<table>",
          f);
    pf_head(f, ctx, "");
    static const metric_row rows[] = {
        {"Transfers asked per second", "load.rate_per_s", "%.3g", 1},
        {"Accounts", "load.accounts", "%.0f", 1},
        {"Transfers submitted", "load.transfers", "%.0f", 1},
        {"Transfers final by the end", "load.transfers_final", "%.0f", 1},
    };
    metric_rows(f, ctx, rows, sizeof rows / sizeof rows[0]);
    fputs("</tbody></table>\n</section>\n", f);
}

static void sweep_who(FILE *f, const rp_ctx *ctx, const char *cur) {
    const json_t *p0 =
        json_array_get(rp_point_get(ctx, json_array_get(ctx->points, 0), "platforms"), 0);
    if (rp_pget(ctx, p0, "load") && !rp_pget(ctx, p0, "riders")) {
        fputs("<section id=\"who\"><h2>A chain without a market, across the sweep</h2>\n<p>"
              "No riders or drivers (<code>demand.source: none</code>): each point's load, "
              "throughput and confirmation times are in sweep_summary.csv and metrics.csv "
              "(<code>load.*</code>, <code>chain.*</code>).</p>\n</section>\n",
              f);
        return;
    }
    fputs("<section id=\"who\"><h2>Who gets what, across the sweep</h2>\n", f);
    fputs("<p>Per average trip, in ", f);
    rp_html_esc(f, cur);
    fputs(", means over each point's replications: what riders pay, what drivers are paid, what "
          "stays in the community (pay-floor top-ups, dividends and the reserve), what leaves it "
          "(extraction); and "
          "drivers' net earnings per online hour. Intervals are in sweep_summary.csv.</p>\n",
          f);
    size_t i;
    const json_t *pt;
    for (size_t q = 0; q < ctx->npf; q++) {
        fprintf(f, "<h3><span class=\"sw\" style=\"background:%s\"></span>", PF_COLOR[q % 8]);
        rp_html_esc(f, ctx->pf[q].name);
        fputs("</h3>\n<table><thead><tr><th>point</th><th>parameters</th><th>riders pay</th>"
              "<th>drivers paid</th><th>stays in community</th><th>leaves (extraction)</th>"
              "<th>net per hour</th></tr></thead><tbody>\n",
              f);
        json_array_foreach(ctx->points, i, pt) {
            const json_t *pfs = rp_point_get(ctx, pt, "platforms"), *pj = NULL;
            for (size_t k = 0; k < json_array_size(pfs) && !pj; k++) {
                const char *nm = rp_pstr(ctx, json_array_get(pfs, k), "name");
                if (nm && strcmp(nm, ctx->pf[q].name) == 0) pj = json_array_get(pfs, k);
            }
            if (!pj) continue;
            double served = rp_pnum(ctx, pj, "riders.served");
            double fl[RP_NFLOW], drawn;
            double stays = rp_flows(ctx, pj, fl, &drawn) == 0 ? fl[1] + fl[2] + fl[3] : NAN;
            fprintf(f, "<tr><td>%zu</td><td style=\"text-align:left\">", i);
            const char *k;
            const json_t *v;
            int n = 0;
            json_object_foreach((json_t *)rp_point_get(ctx, pt, "parameters"), k, v) {
                fputs(n++ ? "<br>" : "", f);
                rp_html_esc(f, k);
                fputs(" = ", f);
                if (json_is_string(v))
                    rp_html_esc(f, json_string_value(v));
                else if (json_is_number(v))
                    fprintf(f, "%g", json_number_value(v));
            }
            fputs("</td>", f);
            double per = served > 0 ? 1 / served : NAN;
            money(f, rp_pnum(ctx, pj, "platform.gross_bookings") * per);
            money(f, rp_pnum(ctx, pj, "platform.driver_pay") * per);
            money(f, stays * per);
            money(f, rp_pnum(ctx, pj, "platform.extraction") * per);
            money(f, rp_pnum(ctx, pj, "drivers.net_per_hour"));
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
}

/* Scalar members of each platform's object `key` (chain, governance), one row each, in the
 * order its schema declares them. */
static void scalars(FILE *f, const rp_ctx *ctx, const char *key, const char *heading) {
    const sch_table *t = schema_platform_section(key);
    const json_t *first = NULL;
    for (size_t i = 0; i < ctx->npf && !first; i++)
        first = rp_pget(ctx, ctx->pf[i].j, key);
    if (!json_is_object(first)) return;
    fputs("<h3>", f);
    rp_html_esc(f, heading);
    fputs("</h3>\n<table>", f);
    pf_head(f, ctx, "");
    fputs("<tbody>", f);
    for (size_t c = 0; t && c < t->n; c++) {
        const char *k = sch_name(t, c);
        const json_t *v = json_object_get(first, k);
        if (!v || json_is_object(v) || json_is_array(v)) continue;
        fputs("<tr><td>", f);
        label(f, key, k);
        fputs("</td>", f);
        for (size_t i = 0; i < ctx->npf; i++) {
            const json_t *o = rp_pget(ctx, ctx->pf[i].j, key);
            const json_t *x = json_is_object(o) ? json_object_get(o, k) : NULL;
            if (json_is_number(x))
                plain_td(f, json_number_value(x));
            else if (json_is_string(x)) {
                fputs("<td>", f);
                rp_html_esc(f, json_string_value(x));
                fputs("</td>", f);
            } else if (json_is_boolean(x))
                fprintf(f, "<td>%s</td>", json_is_true(x) ? "yes" : "no");
            else
                fputs("<td>–</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* A world that is an M/M/c queue: the simulated figures beside Erlang C's (the summary's
 * "theory" object, written only when the formulas apply). */
static void theory_section(FILE *f, const rp_ctx *ctx) {
    bool any = false;
    for (size_t i = 0; i < ctx->npf; i++)
        any = any || json_is_object(rp_pget(ctx, ctx->pf[i].j, "theory"));
    if (!any) return;
    fputs("<section id=\"theory\"><h2>Against queueing theory</h2>\n"
          "<p>This world is an M/M/c queue, whose answer is known (Erlang C). Simulated values "
          "come from a finite run, so they scatter around the theory; with replications they "
          "are means, and the confidence intervals are in summary.json.</p>\n<table>",
          f);
    pf_head(f, ctx, "");
    static const struct {
        const char *label, *sim, *theory, *fmt;
    } rows[] = {
        {"Mean wait in queue (s), simulated", "riders.wait_mean_s", NULL, "%.2f"},
        {"Mean wait in queue (s), Erlang C", NULL, "theory.wait_mean_s", "%.2f"},
        {"Share of riders who wait, simulated", "riders.waited_share", NULL, "%.4f"},
        {"Share of riders who wait, Erlang C", NULL, "theory.waited_share", "%.4f"},
        {"Utilization, simulated", "drivers.utilization", NULL, "%.4f"},
        {"Utilization, theory (a / c)", NULL, "theory.utilization", "%.4f"},
    };
    fputs("<tbody>", f);
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        fputs("<tr><td>", f);
        rp_html_esc(f, rows[r].label);
        fputs("</td>", f);
        for (size_t i = 0; i < ctx->npf; i++) {
            const json_t *j = ctx->pf[i].j;
            bool has = json_is_object(rp_pget(ctx, j, "theory"));
            num(f, rows[r].fmt,
                has ? rp_pnum(ctx, j, rows[r].sim ? rows[r].sim : rows[r].theory) : NAN);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
}

/* Embeds plots/<name>.png as a data: URI. */
static int embed_png(FILE *f, const rp_ctx *ctx, const char *name) {
    char path[1400];
    snprintf(path, sizeof path, "%s/%s.png", ctx->plotdir, name);
    FILE *in = fopen(path, "rb");
    if (!in) return -1;
    unsigned char buf[3 * 4096];
    char b64[4 * 4096 + 8];
    fputs("data:image/png;base64,", f);
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0) {
        sodium_bin2base64(b64, sizeof b64, buf, k, sodium_base64_VARIANT_ORIGINAL);
        fputs(b64, f);
    }
    fclose(in);
    return 0;
}

/* Whether the run has the part of the model a plot shows. */
static bool applies(const rp_ctx *ctx, const rp_plot *p) {
    const char *s = p->section;
    bool any = false;
    if (strcmp(s, "chain") == 0 || strcmp(s, "governance") == 0) {
        for (size_t i = 0; i < ctx->npf; i++)
            any = any || rp_pget(ctx, ctx->pf[i].j, s) != NULL;
        return any;
    }
    if (strcmp(s, "sweep") == 0) return ctx->points != NULL;
    if (strcmp(s, "comparison") == 0) return rp_snum(ctx, "replications") > 1;
    if (strcmp(s, "days") == 0) return ctx->days.nrows > 0;
    if (strcmp(s, "competition") == 0) return ctx->competition.nrows > 0;
    if (strcmp(p->name, "books_floor") == 0) return any_positive(ctx, "platform.pay_floor_owed");
    return true;
}

static void plots_section(FILE *f, const rp_ctx *ctx, const int *status, bool no_gnuplot) {
    fputs("<section id=\"plots\"><h2>Plots</h2>\n", f);
    if (no_gnuplot)
        fputs("<p class=\"note\">Plots skipped: gnuplot was not found. Install it "
              "(<code>apt-get install gnuplot-nox</code>) and run <code>coopsim plot DIR</code> "
              "to add them.</p>\n",
              f);
    if (ctx->tables_of_first_run)
        fputs("<p class=\"muted\">Earnings distributions and hour-by-hour plots show the first run "
              "of the experiment (runs/run-000000/); the tables above and the comparison are over "
              "all runs.</p>\n",
              f);
    int failed = 0;
    for (size_t i = 0; i < rp_nplots; i++) {
        const rp_plot *p = &rp_plots[i];
        if (status[i] == RP_FAILED) failed++;
        if (status[i] != RP_MADE) continue;
        fprintf(f, "<figure id=\"%s\"><img alt=\"", p->name);
        rp_html_esc(f, p->caption);
        fputs("\" src=\"", f);
        embed_png(f, ctx, p->name);
        fputs("\"><figcaption><b>", f);
        rp_html_esc(f, p->caption);
        fputs(".</b> ", f);
        rp_html_esc(f, p->how_to_read);
        fprintf(f, " <span class=\"muted\">(plots/%s.svg, data in plots/data/%s.dat)</span>",
                p->name, p->name);
        fputs("</figcaption></figure>\n", f);
    }
    if (failed)
        fprintf(f,
                "<p class=\"note\">%d plot%s could not be drawn; gnuplot's messages are in "
                "plots/data/*.log.</p>\n",
                failed, failed > 1 ? "s" : "");
    /* Only what a reader of this run would look for: a plot of a part the run has (a chain, a
     * vote, a sweep...) that its data could not draw. Plots of parts it does not have are not
     * news. */
    int n = 0;
    for (size_t i = 0; i < rp_nplots; i++) {
        if (status[i] != RP_SKIPPED || !applies(ctx, &rp_plots[i])) continue;
        fputs(n++ ? ", " : "<p class=\"muted\">Not drawn, for lack of data in this run: ", f);
        rp_html_esc(f, rp_plots[i].caption);
    }
    if (n) fputs(".</p>\n", f);
    fputs("</section>\n", f);
}

/* summary.json "comparison": per pair of platforms, each metric's paired difference. */
static void comparison_section(FILE *f, const rp_ctx *ctx, const json_t *cmp) {
    size_t i;
    const json_t *e;
    /* A single run's differences are plain numbers, already in who gets what: a table of them
     * with no interval would be all dashes. Only replications give intervals worth a table. */
    bool intervals = false;
    json_array_foreach(cmp, i, e) {
        const char *k;
        const json_t *v, *d = rp_get(ctx, e, &schema_comparison, "difference");
        if (!json_is_object(d)) continue;
        json_object_foreach((json_t *)d, k, v) {
            if (isfinite(rp_stat(ctx, v, "ci95_low"))) intervals = true;
        }
    }
    if (!intervals) return;
    fputs("<section id=\"comparison\"><h2>Paired comparison</h2>\n<p>Differences between two "
          "platforms that saw the same riders, computed replication by replication: a mean "
          "difference whose 95% interval excludes 0 is not noise.</p>\n",
          f);
    json_array_foreach(cmp, i, e) {
        const char *pn = json_string_value(rp_get(ctx, e, &schema_comparison, "platform")),
                   *bn = json_string_value(rp_get(ctx, e, &schema_comparison, "baseline"));
        const json_t *d = rp_get(ctx, e, &schema_comparison, "difference");
        if (!pn || !bn || !json_is_object(d)) continue;
        fputs("<h3>", f);
        rp_html_esc(f, pn);
        fputs(" minus ", f);
        rp_html_esc(f, bn);
        fputs("</h3>\n<table><thead><tr><th>metric</th><th>mean difference</th><th>95% "
              "interval</th><th>replications</th></tr></thead><tbody>\n",
              f);
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)d, k, v) {
            double m = rp_stat(ctx, v, "mean"), lo = rp_stat(ctx, v, "ci95_low"),
                   hi = rp_stat(ctx, v, "ci95_high"), n = rp_stat(ctx, v, "n");
            bool clear = isfinite(lo) && isfinite(hi) && (lo > 0 || hi < 0);
            fputs(clear ? "<tr><td><b>" : "<tr><td>", f);
            char section[64];
            size_t cut = strcspn(k, ".");
            snprintf(section, sizeof section, "%.*s", (int)(cut < 63 ? cut : 63), k);
            label(f, section, k[cut] ? k + cut + 1 : "");
            fputs(clear ? "</b></td>" : "</td>", f);
            plain_td(f, m);
            if (isfinite(lo) && isfinite(hi)) {
                fputs("<td>", f);
                plain(f, lo);
                fputs(" to ", f);
                plain(f, hi);
                fputs("</td>", f);
            } else {
                fputs("<td>–</td>", f);
            }
            num(f, "%.0f", n);
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    fputs("<p class=\"muted\">Metrics in bold differ clearly (their interval excludes "
          "0).</p>\n</section>\n",
          f);
}

static void scenario_section(FILE *f, const rp_ctx *ctx) {
    fputs("<section id=\"scenario\"><h2>The scenario</h2>\n<table><tbody>", f);
    static const char *const keys[] = {"scenario",        "title",      "scenario_file",
                                       "scenario_sha256", "seed",       "replication",
                                       "currency",        "duration_s", "coopsim_version"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const json_t *v = rp_sget(ctx, keys[i]);
        if (!v) continue;
        fputs("<tr><td>", f);
        rp_html_esc(f, keys[i]);
        fputs("</td><td style=\"text-align:left\"><code>", f);
        if (json_is_string(v))
            rp_html_esc(f, json_string_value(v));
        else if (json_is_integer(v))
            fprintf(f, "%lld", (long long)json_integer_value(v));
        else if (json_is_number(v) && fabs(json_number_value(v)) < 1e15 &&
                 json_number_value(v) == floor(json_number_value(v)))
            fprintf(f, "%.0f", json_number_value(v)); /* 7257600, not 7.2576e+06 */
        else if (json_is_number(v))
            fprintf(f, "%.6g", json_number_value(v));
        fputs("</code></td></tr>\n", f);
    }
    const json_t *ov = rp_sget(ctx, "overrides");
    if (json_is_array(ov) && json_array_size(ov) > 0) {
        fputs("<tr><td>overrides (--set)</td><td style=\"text-align:left\">", f);
        size_t i;
        const json_t *v;
        json_array_foreach(ov, i, v) {
            fputs(i ? "<br><code>" : "<code>", f);
            rp_html_esc(f, json_string_value(v));
            fputs("</code>", f);
        }
        fputs("</td></tr>\n", f);
    }
    for (size_t i = 0; i < ctx->npf; i++) {
        fputs("<tr><td>platform</td><td style=\"text-align:left\">", f);
        rp_html_esc(f, ctx->pf[i].name);
        fputs(" (", f);
        rp_html_esc(f, ctx->pf[i].kind);
        fputs(")</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    const char *file = rp_sstr(ctx, "scenario_file"), *sha = rp_sstr(ctx, "scenario_sha256");
    char hex[65], e[256], path[2048];
    bool found = false;
    if (file) {
        /* Relative to where the run was started, or to the run directory's parent. */
        snprintf(path, sizeof path, "%s", file);
        found = out_sha256_file(path, hex, e, sizeof e) == 0;
        if (!found && file[0] != '/') {
            snprintf(path, sizeof path, "%s/../%s", ctx->rundir, file);
            found = out_sha256_file(path, hex, e, sizeof e) == 0;
        }
    }
    if (found) {
        FILE *in = fopen(path, "rb");
        fputs("<h3>Scenario file</h3>\n", f);
        if (sha && strcmp(sha, hex) != 0)
            fputs("<p class=\"note\">This file has changed since the run (its SHA-256 differs "
                  "from the one recorded); the run used an earlier version.</p>\n",
                  f);
        fputs("<pre>", f);
        char buf[4096];
        size_t k, total_len = 0;
        while (in && (k = fread(buf, 1, sizeof buf - 1, in)) > 0 && total_len < (1u << 20)) {
            buf[k] = '\0';
            for (size_t q = 0; q < k; q++)
                if (buf[q] == '\0') buf[q] = ' ';
            rp_html_esc(f, buf);
            total_len += k;
        }
        if (in) fclose(in);
        fputs("</pre>\n", f);
    } else {
        fputs("<p class=\"muted\">The scenario file is not where the run read it; its SHA-256 "
              "above identifies it.</p>\n",
              f);
    }
    fputs("</section>\n", f);
}

int rp_html_write(rp_ctx *ctx, const int *status, bool gnuplot_missing, char *err, size_t errlen) {
    out_file o;
    if (out_open(&o, ctx->rundir, "report.html", err, errlen) != 0) return 2;
    FILE *f = o.f;
    const char *title = rp_sstr(ctx, "title"), *name = rp_sstr(ctx, "scenario");
    const char *cur = rp_sstr(ctx, "currency");
    if (!cur) cur = "";
    if (!name) name = "";
    if (!title || !*title) title = name;
    double dur = rp_snum(ctx, "duration_s");
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    rp_html_esc(f, title);
    fputs(" – coopsim report</title>\n<style>", f);
    fputs(CSS, f);
    fputs("</style>\n</head>\n<body>\n<header><h1>", f);
    rp_html_esc(f, title);
    fputs("</h1>\n<p class=\"sub\">Scenario <code>", f);
    rp_html_esc(f, name);
    fputs("</code>", f);
    double seed = rp_snum(ctx, "seed");
    if (isfinite(seed)) fprintf(f, " · seed %.0f", seed);
    double rep = rp_snum(ctx, "replication");
    if (isfinite(rep)) fprintf(f, " · replication %.0f", rep);
    if (isfinite(dur) && dur >= 2 * 86400 && fmod(dur, 86400) == 0)
        fprintf(f, " · %.0f days simulated", dur / 86400);
    else if (isfinite(dur))
        fprintf(f, " · %.1f hours simulated", dur / 3600);
    const char *ver = rp_sstr(ctx, "coopsim_version");
    if (ver) {
        fputs(" · coopsim ", f);
        rp_html_esc(f, ver);
    }
    fputs("</p></header>\n", f);
    /* the scenario's own words on what to look for come first, before any number */
    const char *notes = rp_sstr(ctx, "notes");
    if (notes && *notes) {
        fputs("<p class=\"note\" id=\"notes\" style=\"white-space:pre-line\"><strong>What to "
              "look for.</strong> ",
              f);
        rp_html_esc(f, notes);
        fputs("</p>\n", f);
    }
    double reps = rp_snum(ctx, "replications");
    if (ctx->points) {
        sweep_who(f, ctx, cur);
    } else if (ctx->npf > 0) {
        if (reps > 1)
            fprintf(f,
                    "<p class=\"note\">Every number below is the mean over %.0f replications "
                    "with identical riders on every platform; the 95%% intervals are in "
                    "summary.json and in the paired comparison further down.</p>\n",
                    reps);
        if (rp_pget(ctx, ctx->pf[0].j, "load") && !rp_pget(ctx, ctx->pf[0].j, "riders"))
            chain_only(f, ctx); /* demand.source: none: no market to show */
        else
            who_gets_what(f, ctx, cur, dur);
        rp_long_run_section(f, ctx, cur);
        rp_competition_section(f, ctx, cur);
        rp_days_section(f, ctx, cur);
    } else {
        fputs("<p class=\"note\">This run has no platforms in summary.json.</p>\n", f);
    }
    if (ctx->npf > 0 && !ctx->points) theory_section(f, ctx);
    if (ctx->npf > 0 && !ctx->points) rp_attack_section(f, ctx);
    plots_section(f, ctx, status, gnuplot_missing);
    if (ctx->npf > 0 && !ctx->points) {
        bool more = false;
        for (size_t i = 0; i < ctx->npf; i++)
            more = more || rp_pget(ctx, ctx->pf[i].j, "chain") ||
                   rp_pget(ctx, ctx->pf[i].j, "governance");
        if (more) {
            fputs("<section id=\"chain\"><h2>Chain and governance</h2>\n", f);
            scalars(f, ctx, "chain", "Chain");
            rp_pay_value_section(f, ctx);
            scalars(f, ctx, "governance", "Governance");
            rp_votes_section(f, ctx);
            fputs("</section>\n", f);
        }
    }
    const json_t *cmp = rp_sget(ctx, "comparison");
    if (json_is_array(cmp)) comparison_section(f, ctx, cmp);
    scenario_section(f, ctx);
    fputs("<footer class=\"muted\"><p>Written by coopsim", f);
    if (ver) {
        fputc(' ', f);
        rp_html_esc(f, ver);
    }
    fputs(". Raw data: summary.json and the CSV files next to this page.</p></footer>\n"
          "</body>\n</html>\n",
          f);
    return out_commit(&o, err, errlen);
}
