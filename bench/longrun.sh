#!/bin/sh
# The long run: scenarios/long-run.yaml (the flagship city, both platforms, free entry) for
# 12 weeks, and for 2 weeks, to see how time and memory grow with the number of days.
# Reports, per duration, the median over REPETITIONS of user+system CPU seconds (one core: the
# worlds run one after the other) and of the peak resident memory, with trips.csv written (it
# streams to disk as requests end); then the ratio of the peak memories, long over short: near
# 1 when memory is flat in days (6 would mean it grows in proportion).
# Usage: bench/longrun.sh [COOPSIM-BINARY] [REPETITIONS] [SHORT-DAYS] [LONG-DAYS]
#        (a Release build; defaults build/coopsim 3 14 84)
set -eu
bin=${1:-build/coopsim}
reps=${2:-3}
short=${3:-14}
long=${4:-84}
tmp=$(mktemp -d /tmp/coopsim-longrun-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for days in "$short" "$long"; do
    : >"$tmp/cpu"
    : >"$tmp/rss"
    i=0
    while [ $i -lt "$reps" ]; do
        /usr/bin/time -f '%U %S %M' -o "$tmp/t" "$bin" run scenarios/long-run.yaml -q --no-plots \
            --trips -o "$tmp/out" --force --set simulation.duration=${days}d
        awk '{ print $1 + $2 }' "$tmp/t" >>"$tmp/cpu"
        awk '{ print $3 / 1024 }' "$tmp/t" >>"$tmp/rss"
        i=$((i + 1))
    done
    median <"$tmp/rss" >"$tmp/rss-$days"
    printf '%3d days: CPU %6.1f s (median of %d), peak memory %6.0f MiB\n' "$days" \
        "$(median <"$tmp/cpu")" "$reps" "$(cat "$tmp/rss-$days")"
done
printf 'peak memory, %d days over %d days: %.2f\n' "$long" "$short" \
    "$(awk -v a="$(cat "$tmp/rss-$long")" -v b="$(cat "$tmp/rss-$short")" 'BEGIN { print a / b }')"
