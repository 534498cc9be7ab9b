#!/bin/sh
# The shared market: (1) the flagship day with both platforms in one city against the same day
# as two separate worlds (target: shared <= 1.2x separate); (2) scenarios/launch.yaml for its
# 12 weeks (target: <= 30 s on one core); (3) the same launch with free entry
# (scenarios/launch-free-entry.yaml). Reports the median over REPETITIONS of user+system
# CPU seconds (one core) and the peak resident memory.
# Usage: bench/shared.sh [COOPSIM-BINARY] [REPETITIONS]   (a Release build)
set -eu
bin=${1:-build/coopsim}
reps=${2:-3}
tmp=$(mktemp -d /tmp/coopsim-shared-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
measure() { # label, then the run's arguments
    label=$1
    shift
    : >"$tmp/cpu"
    : >"$tmp/rss"
    i=0
    while [ $i -lt "$reps" ]; do
        /usr/bin/time -f '%U %S %M' -o "$tmp/t" "$bin" run "$@" -q --no-plots -o "$tmp/out" --force
        awk '{ print $1 + $2 }' "$tmp/t" >>"$tmp/cpu"
        awk '{ print $3 / 1024 }' "$tmp/t" >>"$tmp/rss"
        i=$((i + 1))
    done
    printf '%-34s CPU %6.2f s (median of %d), peak memory %6.0f MiB\n' "$label" \
        "$(median <"$tmp/cpu")" "$reps" "$(median <"$tmp/rss")"
}
measure "flagship day, separate worlds" scenarios/flagship.yaml
measure "flagship day, one shared city" scenarios/flagship.yaml --set market.platforms=shared
measure "launch.yaml, 12 weeks, one run" scenarios/launch.yaml --set simulation.replications=1
measure "launch, free entry, 12 weeks" scenarios/launch-free-entry.yaml --set simulation.replications=1
