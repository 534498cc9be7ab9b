/* The daily choice of hours (plan.h): the best block of consecutive hours against the
 * driver's value of time, which rises beyond a reference number of hours. */
#include "models/market/plan.h"

#include <math.h>

void mkt_plan_scale(double *scale, int max_hours, double ref_hours, double eta) {
    for (int k = 1; k <= max_hours; k++) {
        double x = pow((double)k / ref_hours, 1.0 / eta);
        scale[k - 1] = x > 1 ? x : 1;
    }
}

mkt_plan mkt_plan_day(const double pay[24], const double value[24], const double *scale,
                      int max_hours, double day_cost) {
    mkt_plan best = {0, 0, 0.0, 0.0};
    for (int s = 0; s < 24; s++) {
        double gain = -day_cost, cost = day_cost;
        for (int k = 0; k < max_hours && s + k < 24; k++) {
            double c = value[s + k] * scale[k];
            gain += pay[s + k] - c;
            cost += c;
            if (gain > best.value) best = (mkt_plan){s, k + 1, gain, cost};
        }
    }
    return best;
}
