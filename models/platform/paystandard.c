/* The pay standard: a per-trip minimum of driver pay per km and per minute of trip, adjusted by
 * the platform's utilization as New York's TLC rule divides its rates by a utilization rate;
 * the shortfall of each trip is paid by the platform through the pay floor's top-up path
 * (docs/platform-rules.md, "Pay standard"). */
#include "models/platform/platform_internal.h"

#include <math.h>

/* Online time before the platform's own utilization replaces the reference one: a few trips
 * into the run the measured share is noise. */
#define MEASURED_AFTER (10 * SIM_HOUR)

int64_t plat_pay_standard(const plat *p, const plat_quote *q) {
    const plat_config *c = &p->cfg;
    if (!(c->standard_per_km > 0.0) && !(c->standard_per_min > 0.0)) return 0;
    double minutes = (double)q->duration / (double)SIM_MIN;
    double cents =
        100.0 * (c->standard_per_km * (double)q->metres / 1000.0 + c->standard_per_min * minutes);
    if (c->standard_adjust && p->online_total >= MEASURED_AFTER && c->standard_utilization > 0.0) {
        double util = (double)p->passenger_total / (double)p->online_total;
        util = util < 0.05 ? 0.05 : util > 1.0 ? 1.0 : util;
        cents *= c->standard_utilization / util;
    }
    return cents > 0.0 && cents < 1e15 ? (int64_t)llround(cents) : 0;
}

/* Unlike the co-op's floor, paid from cash on hand at period ends as far as it goes, the
 * standard is the law of each trip: paid in full at once, into credit if need be (the day close
 * then finds the platform past its credit limit, and it fails). */
int64_t plat_pay_standard_topup(plat *p, uint32_t driver, const plat_quote *q) {
    int64_t gap = plat_pay_standard(p, q) - q->driver_pay;
    if (gap <= 0 || driver >= p->n_drivers) return 0;
    plat_driver *d = &p->drivers[driver];
    d->floor_owed += gap;
    d->topups += gap;
    d->period_pay += gap; /* pay for the trip: a co-op's floor counts it as such */
    p->t.pay_floor_owed += gap;
    p->t.pay_floor_topups += gap;
    p->t.standard_topups += gap;
    p->t.standard_trips++;
    p->cash -= gap;
    /* A co-op pays it out of the open period's surplus, like any cost of the trip: it comes
     * before the reserve share and the dividends. */
    if (p->cfg.kind == PLAT_COOPERATIVE) p->pending -= gap;
    return gap;
}
