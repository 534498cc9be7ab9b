/* The riders who paid a surge, paired with the same requests on another platform. In separate
 * worlds the riders come from the same streams, so request n is the same rider, trip and
 * patience in every world; each world streams one record per measured request (in request
 * order) to a temporary file, and the pairs are read back side by side, so nothing grows with
 * the run's length but the payers' waits kept for their medians. */
#include "models/run_paired.h"

#include "models/platform/platform.h"
#include "models/schema/schema.h"
#include "sim/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Waits of one group: the first EXACT kept for an exact median, all in a histogram beyond
 * (within 0.1%), as the riders' own figures do. */
enum { EXACT = 1 << 20 };
typedef struct waits {
    double sum;
    size_t n, cap;
    double *x;       /* seconds */
    stats_hist hist; /* microseconds; count NULL until EXACT is passed */
} waits;

static int waits_add(waits *g, int64_t us) {
    if (g->n < EXACT) {
        if (g->n == g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 1024;
            double *x = realloc(g->x, cap * sizeof *x);
            if (!x) return -1;
            g->x = x;
            g->cap = cap;
        }
        g->x[g->n] = (double)us / 1e6;
    } else if (g->n == EXACT) { /* from here on, the histogram of every wait */
        if (stats_hist_init(&g->hist) != 0) return -1;
        for (size_t i = 0; i < g->n; i++)
            stats_hist_add(&g->hist, llround(g->x[i] * 1e6));
    }
    if (g->n >= EXACT) stats_hist_add(&g->hist, us);
    g->sum += (double)us / 1e6;
    g->n++;
    return 0;
}

static double waits_mean(const waits *g) {
    return g->n ? g->sum / (double)g->n : NAN;
}

static double waits_median(const waits *g) {
    if (g->n == 0) return NAN;
    if (g->n <= EXACT) return stats_quantile(g->x, g->n, 0.5);
    return stats_hist_quantile(&g->hist, 0.5) / 1e6;
}

static void waits_free(waits *g) {
    free(g->x);
    if (g->n > EXACT) stats_hist_free(&g->hist);
}

static json_t *num(double x) {
    return isfinite(x) ? json_real(x) : json_null();
}

sim_status coop_pairs_open(coop_pairs *p, const coop_scenario *sc, char *err, size_t errlen) {
    memset(p, 0, sizeof *p);
    if (sc->market.platforms == COOP_PLATFORMS_SHARED || sc->platforms.n < 2 || sc->platforms.n > 8)
        return SIM_OK;
    bool surge = false;
    for (size_t i = 0; i < sc->platforms.n; i++)
        surge |= ((const coop_platform *)sc->platforms.items)[i].rules.surge;
    if (!surge) return SIM_OK;
    for (p->n = 0; p->n < sc->platforms.n; p->n++)
        if (!(p->f[p->n] = tmpfile()))
            return sim_fail(SIM_EIO, err, errlen,
                            "cannot make a temporary file for the paired requests");
    return SIM_OK;
}

int coop_pairs_attach(coop_pairs *p, mkt_world *w, size_t i) {
    return i < p->n ? mkt_stream_pairs(w, p->f[i]) : 0;
}

void coop_pairs_close(coop_pairs *p) {
    for (size_t i = 0; i < p->n; i++)
        if (p->f[i]) fclose(p->f[i]);
    memset(p, 0, sizeof *p);
}

typedef struct tally {
    int64_t payers, served, abandoned, refused, rest;
    waits own, other, paired;
    double d_sum, d_sq; /* paired differences (s), for their standard error */
} tally;

/* Reads worlds s (surging) and o side by side into t. */
static sim_status pair_up(FILE *fs, FILE *fo, tally *t, char *err, size_t errlen) {
    rewind(fs);
    rewind(fo);
    for (;;) {
        mkt_pair_rec a, b;
        int ra = mkt_pair_read(fs, &a), rb = mkt_pair_read(fo, &b);
        if (ra == 0 && rb == 0) return SIM_OK;
        if (ra != 1 || rb != 1 || a.request != b.request)
            return sim_fail(SIM_EIO, err, errlen,
                            "the paired requests' records of two worlds do not match");
        if (!a.surged) continue;
        t->payers++;
        if (waits_add(&t->own, a.wait_us) != 0) return SIM_ENOMEM;
        if (b.outcome == MKT_PAIR_SERVED) {
            t->served++;
            double d = (double)(a.wait_us - b.wait_us) / 1e6;
            t->d_sum += d;
            t->d_sq += d * d;
            if (waits_add(&t->other, b.wait_us) != 0 || waits_add(&t->paired, a.wait_us) != 0)
                return SIM_ENOMEM;
        } else if (b.outcome == MKT_PAIR_ABANDONED) {
            t->abandoned++;
        } else if (b.outcome == MKT_PAIR_REFUSED) {
            t->refused++;
        } else {
            t->rest++;
        }
    }
}

static json_t *tally_json(const tally *t, const char *name, const char *other) {
    json_t *o = json_object();
    const sch_table *s = &schema_surge_payers;
    double n = (double)t->served, se = NAN;
    if (t->served >= 2) {
        double var = (t->d_sq - t->d_sum * t->d_sum / n) / (n - 1);
        se = sqrt(var > 0 ? var : 0) / sqrt(n);
    }
    json_object_set_new(o, sch_name(s, SCH_SP_NAME), json_string(name));
    json_object_set_new(o, sch_name(s, SCH_SP_OTHER), json_string(other));
    json_object_set_new(o, sch_name(s, SCH_SP_PAYERS), json_integer(t->payers));
    json_object_set_new(o, sch_name(s, SCH_SP_WAIT_MEAN_S), num(waits_mean(&t->own)));
    json_object_set_new(o, sch_name(s, SCH_SP_WAIT_P50_S), num(waits_median(&t->own)));
    json_object_set_new(o, sch_name(s, SCH_SP_OTHER_SERVED), json_integer(t->served));
    json_object_set_new(o, sch_name(s, SCH_SP_OTHER_ABANDONED), json_integer(t->abandoned));
    json_object_set_new(o, sch_name(s, SCH_SP_OTHER_REFUSED_QUOTE), json_integer(t->refused));
    json_object_set_new(o, sch_name(s, SCH_SP_OTHER_NOT_OVER), json_integer(t->rest));
    json_object_set_new(o, sch_name(s, SCH_SP_OTHER_WAIT_MEAN_S), num(waits_mean(&t->other)));
    json_object_set_new(o, sch_name(s, SCH_SP_OTHER_WAIT_P50_S), num(waits_median(&t->other)));
    json_object_set_new(o, sch_name(s, SCH_SP_PAIRED_WAIT_MEAN_S), num(waits_mean(&t->paired)));
    json_object_set_new(o, sch_name(s, SCH_SP_PAIRED_DIFFERENCE_S),
                        num(t->served ? t->d_sum / n : NAN));
    json_object_set_new(o, sch_name(s, SCH_SP_PAIRED_DIFFERENCE_SE_S), num(se));
    return o;
}

/* Platform s's payers against platform o, appended to list. */
static sim_status one_side(coop_pairs *p, const coop_scenario *sc, size_t s, size_t o, json_t *list,
                           char *err, size_t errlen) {
    const coop_platform *pl = sc->platforms.items;
    tally t;
    memset(&t, 0, sizeof t);
    sim_status rc = pair_up(p->f[s], p->f[o], &t, err, errlen);
    if (rc == SIM_ENOMEM) rc = sim_fail(rc, err, errlen, "out of memory for the paired waits");
    if (rc == SIM_OK)
        json_array_append_new(list, tally_json(&t, pl[s].rules.name, pl[o].rules.name));
    waits_free(&t.own);
    waits_free(&t.other);
    waits_free(&t.paired);
    return rc;
}

sim_status coop_pairs_compare(coop_pairs *p, const coop_scenario *sc, json_t *comparison, char *err,
                              size_t errlen) {
    const coop_platform *pl = sc->platforms.items;
    for (size_t i = 1; i < p->n; i++) {
        json_t *list = json_array();
        if (!list) return sim_fail(SIM_ENOMEM, err, errlen, "out of memory");
        json_object_set_new(json_array_get(comparison, i - 1),
                            sch_name(&schema_comparison, SCH_CMP_SURGE_PAYERS), list);
        size_t side[2] = {i, 0};
        for (int k = 0; k < 2; k++) {
            if (!pl[side[k]].rules.surge) continue;
            sim_status rc = one_side(p, sc, side[k], side[1 - k], list, err, errlen);
            if (rc != SIM_OK) return rc;
        }
    }
    return SIM_OK;
}
