/* Where riders' money went, by destination, from a platform's summary entry: the categories of
 * the value-flow bar and the "who gets what" table. */
#include "models/report/report_internal.h"

#include <math.h>

const char *const rp_flow_names[RP_NFLOW] = {"driver pay",
                                             "pay-floor top-ups",
                                             "dividends to members",
                                             "added to the co-op reserve",
                                             "operating costs",
                                             "chain fees",
                                             "interest",
                                             "profit to investors",
                                             "not itemised"};

static double part(const rp_ctx *ctx, const json_t *pf, const char *path) {
    double v = rp_pnum(ctx, pf, path);
    return isfinite(v) ? v : 0.0;
}

/* gross = pay + costs + chain fees + interest + surplus (or profit), and a co-op's surplus =
 * dividends + top-ups + what the reserve kept from fares (its change less entry fees, which
 * come from drivers, not riders). A negative part (the reserve drawn down, a loss) is money the
 * platform added from its reserve or capital: reported in *drawn, shown as 0 in v. */
int rp_flows(const rp_ctx *ctx, const json_t *pf, double v[RP_NFLOW], double *drawn) {
    double gross = rp_pnum(ctx, pf, "platform.gross_bookings");
    *drawn = 0;
    if (!isfinite(gross)) return -1;
    v[0] = part(ctx, pf, "platform.driver_pay");
    v[1] = part(ctx, pf, "platform.pay_floor_topups");
    v[2] = part(ctx, pf, "drivers.dividends");
    v[3] = part(ctx, pf, "platform.reserve") - part(ctx, pf, "platform.entry_fees");
    v[4] = part(ctx, pf, "platform.operating_costs");
    v[5] = part(ctx, pf, "platform.chain_fees");
    v[6] = part(ctx, pf, "platform.interest");
    v[7] = part(ctx, pf, "platform.profit"); /* a centralized platform's; a co-op has a surplus */
    double sum = 0;
    for (int c = 0; c < RP_NFLOW - 1; c++) {
        if (v[c] < 0) {
            *drawn -= v[c];
            v[c] = 0;
        }
        sum += v[c];
    }
    double rest = gross + *drawn - sum;
    v[RP_NFLOW - 1] = rest > 0.005 * fabs(gross) ? rest : 0;
    return 0;
}
