#!/bin/sh
# The long run: scenarios/long-run.yaml (the flagship city, both platforms, free entry) for
# 12 weeks, and for 3 and 6 weeks to see how time and memory grow with the number of days.
# Reports the median over REPETITIONS of user+system CPU seconds (one core: the worlds run one
# after the other) and of the peak resident memory, per duration.
# Usage: bench/longrun.sh [COOPSIM-BINARY] [REPETITIONS]   (a Release build)
set -eu
bin=${1:-build/coopsim}
reps=${2:-3}
tmp=$(mktemp -d /tmp/coopsim-longrun-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for days in 21 42 84; do
    : >"$tmp/cpu"
    : >"$tmp/rss"
    i=0
    while [ $i -lt "$reps" ]; do
        /usr/bin/time -f '%U %S %M' -o "$tmp/t" "$bin" run scenarios/long-run.yaml -q --no-plots \
            -o "$tmp/out" --set simulation.duration=${days}d
        awk '{ print $1 + $2 }' "$tmp/t" >>"$tmp/cpu"
        awk '{ print $3 / 1024 }' "$tmp/t" >>"$tmp/rss"
        i=$((i + 1))
    done
    printf '%3d days: CPU %6.1f s (median of %d), peak memory %6.0f MiB\n' "$days" \
        "$(median <"$tmp/cpu")" "$reps" "$(median <"$tmp/rss")"
done
