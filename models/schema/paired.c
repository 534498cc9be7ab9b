/* summary.json → comparison[].surge_payers[]: the riders who paid a surge on one platform and
 * the same requests on the other, paired by request number across separate worlds. */
#include "models/schema/schema.h"

#define TABLE(file, path, about, fields)                                                           \
    { file, path, about, fields, sizeof fields / sizeof fields[0] }
#define SAME_COUNT(fields, n) _Static_assert(sizeof fields / sizeof fields[0] == n, #fields)

static const sch_field surge_payer_fields[] = {
    [SCH_SP_NAME] = {"name", "text", "the surging platform, whose riders paid the surge"},
    [SCH_SP_OTHER] = {"other", "text", "the other platform of the pair"},
    [SCH_SP_PAYERS] = {"payers", "count",
                       "requests after the warm-up served on `name` at a surge multiplier "
                       "above 1 (trips.csv: status served, surge > 1)"},
    [SCH_SP_WAIT_MEAN_S] = {"wait_mean_s", "s", "their mean wait there, request to pickup"},
    [SCH_SP_WAIT_P50_S] = {"wait_p50_s", "s", "their median wait there"},
    [SCH_SP_OTHER_SERVED] = {"other_served", "count",
                             "of the same requests, how many `other` served"},
    [SCH_SP_OTHER_ABANDONED] = {"other_abandoned", "count", "how many gave up waiting on `other`"},
    [SCH_SP_OTHER_REFUSED_QUOTE] = {"other_refused_quote", "count",
                                    "how many refused `other`'s quote (its fare or its ETA)"},
    [SCH_SP_OTHER_NOT_OVER] = {"other_not_served_otherwise", "count",
                               "the rest: still waiting or riding at the end, or the platform "
                               "had closed"},
    [SCH_SP_OTHER_WAIT_MEAN_S] = {"other_wait_mean_s", "s",
                                  "mean wait on `other` of those it served (null: none)"},
    [SCH_SP_OTHER_WAIT_P50_S] = {"other_wait_p50_s", "s", "their median wait on `other`"},
    [SCH_SP_PAIRED_WAIT_MEAN_S] = {"paired_wait_mean_s", "s",
                                   "mean wait on `name` of the same riders (those both served): "
                                   "the like-for-like counterpart of other_wait_mean_s"},
    [SCH_SP_PAIRED_DIFFERENCE_S] = {"paired_difference_s", "s",
                                    "paired_wait_mean_s - other_wait_mean_s: negative when "
                                    "the surge shortened the payers' wait"},
    [SCH_SP_PAIRED_DIFFERENCE_SE_S] = {"paired_difference_se_s", "s",
                                       "standard error of that mean difference over the riders "
                                       "both served (null below 2)"},
};
SAME_COUNT(surge_payer_fields, SCH_SP_N);
const sch_table schema_surge_payers =
    TABLE("summary.json", "comparison[].surge_payers[]",
          "Surge's effect on those who pay it (market.platforms: separate only, where every "
          "world gets the same requests under the same numbers): one element per platform of "
          "the pair with surge on. The riders it served at a multiplier above 1, and what the "
          "other platform did with the same requests. A rider served with surge may not have "
          "been served without it, so the wait comparison is over the riders both served.",
          surge_payer_fields);
