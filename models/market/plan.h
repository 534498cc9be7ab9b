/* A driver's choice of hours for one day (free entry, models/market/supply.c): the block of
 * consecutive hours whose expected pay most exceeds the driver's value of time. Pure, so the
 * rule and its supply elasticity can be checked on their own (tests/models/test_market_supply.c).
 */
#ifndef MODELS_MARKET_PLAN_H
#define MODELS_MARKET_PLAN_H

#define MKT_PLAN_MAX_HOURS 24

typedef struct mkt_plan {
    int start;    /* hour of the day the block starts, 0..23 */
    int hours;    /* 0: the driver stays home */
    double value; /* expected pay less the value of the time and the day cost (cents) */
    double cost;  /* value of the time of the block plus the day cost (cents) */
} mkt_plan;

/* Marginal weights of the k-th hour driven in a day, k = 1..max_hours:
 * scale[k-1] = max(1, (k / ref_hours)^(1 / eta)): every hour is worth at least the reservation
 * wage (the outside option), and hours beyond ref_hours more and more (fatigue, other duties). */
void mkt_plan_scale(double *scale, int max_hours, double ref_hours, double eta);

/* The block [start, start + hours) within the day (start + hours <= 24, hours <= max_hours)
 * that maximises  sum_k (pay[h_k] - value[h_k] * scale[k-1]) - day_cost,  pay[h] being the
 * expected net pay of hour h and value[h] the driver's value of an hour of time at h (cents).
 * Ties go to the earliest start, then the shortest block. Hours 0 when no block is worth
 * driving (value <= 0). */
mkt_plan mkt_plan_day(const double pay[24], const double value[24], const double *scale,
                      int max_hours, double day_cost);

#endif
