/* "Why these numbers" on surge and those who pay it: the riders served at a surge price on one
 * platform against the same requests on the other (summary.json comparison[].surge_payers),
 * said whichever way the run's numbers go (in an experiment, the means over its runs and the
 * interval of the difference). The rule is listed in docs/teaching.md. */
#include "models/report/report_internal.h"

#include <math.h>

/* Below this many riders served on both platforms there is nothing to say either way. */
enum { MIN_PAIRED = 20 };

static double sp(const rp_ctx *ctx, const json_t *e, const char *key) {
    return rp_value(rp_get(ctx, e, &schema_surge_payers, key));
}

static const char *sp_name(const rp_ctx *ctx, const json_t *e, const char *key) {
    const json_t *v = rp_get(ctx, e, &schema_surge_payers, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void bold(FILE *f, const char *s) {
    fputs("<b>", f);
    rp_html_esc(f, s);
    fputs("</b>", f);
}

/* What became of the payers the other platform did not serve. */
static void unserved(FILE *f, double payers, double served, double refused, double gave_up) {
    double not = payers - served;
    if (!(not >= 0.5)) {
        fputs(", and it served every one of them", f);
        return;
    }
    fprintf(f, "; it did not serve the other %.0f (%.0f%%): %.0f refused its quote", not,
            100 * not / payers, refused);
    if (gave_up >= 0.5) fprintf(f, " and %.0f gave up waiting", gave_up);
    fputs(", so surge also decided who rode", f);
}

/* How sure the difference is: lo..hi, an interval around it. A single run: two standard errors
 * of the mean paired difference either side; an experiment: the 95% interval of the runs' mean
 * differences (*runs their number). */
static bool interval(const rp_ctx *ctx, const json_t *e, double *d, double *lo, double *hi,
                     double *runs) {
    const json_t *v = rp_get(ctx, e, &schema_surge_payers, "paired_difference_s");
    *d = rp_value(v);
    *runs = 0;
    if (json_is_object(v)) {
        *lo = rp_stat(ctx, v, "ci95_low");
        *hi = rp_stat(ctx, v, "ci95_high");
        *runs = rp_stat(ctx, v, "n");
    } else {
        double se = sp(ctx, e, "paired_difference_se_s");
        *lo = *d - 2 * se;
        *hi = *d + 2 * se;
    }
    return isfinite(*d) && isfinite(*lo) && isfinite(*hi);
}

/* One element: the surging platform's payers against the same requests on the other. */
static bool one(FILE *f, const rp_ctx *ctx, const json_t *e) {
    const char *s = sp_name(ctx, e, "name"), *o = sp_name(ctx, e, "other");
    double payers = sp(ctx, e, "payers"), served = sp(ctx, e, "other_served");
    double own = sp(ctx, e, "wait_mean_s"), other = sp(ctx, e, "other_wait_mean_s");
    double paired = sp(ctx, e, "paired_wait_mean_s"), d, lo, hi, runs;
    if (!s || !o || !(served >= MIN_PAIRED) || !interval(ctx, e, &d, &lo, &hi, &runs)) return false;
    fputs("<li>", f);
    if (hi < 0)
        fputs("Those who paid a surge waited less for it: ", f);
    else if (lo > 0)
        fputs("Those who paid a surge waited longer, not less: ", f);
    else
        fputs("Paying a surge made no clear difference to the wait: ", f);
    fprintf(f, "the %.0f riders served at a surge price on ", payers);
    bold(f, s);
    fprintf(f, " waited %.1f min on average there. ", own / 60);
    bold(f, o);
    fprintf(f,
            " served %.0f of the same requests (the same riders, trips and patience), who "
            "waited %.1f min there against %.1f min on ",
            served, other / 60, paired / 60);
    rp_html_esc(f, s);
    if (runs > 0)
        fprintf(f, " (%+.0f s each on average; 95%% interval %+.0f to %+.0f s over %.0f runs)", d,
                lo, hi, runs);
    else
        fprintf(f, " (%+.0f s each on average, give or take %.0f s)", d, (hi - lo) / 4);
    unserved(f, payers, served, sp(ctx, e, "other_refused_quote"), sp(ctx, e, "other_abandoned"));
    fputs(".</li>\n", f);
    return true;
}

int rp_explain_surge_payers(FILE *f, const rp_ctx *ctx) {
    const json_t *cmp = rp_sget(ctx, "comparison");
    int n = 0;
    for (size_t i = 0; i < json_array_size(cmp); i++) {
        const json_t *list =
            rp_get(ctx, json_array_get(cmp, i), &schema_comparison, "surge_payers");
        for (size_t k = 0; k < json_array_size(list); k++)
            n += one(f, ctx, json_array_get(list, k));
    }
    return n;
}
