#!/bin/sh
# Parallel runs: 8 replications of a scenario serially and under `mpirun -n K`, median wall
# time of several repetitions, the speed-up, and a check that the outputs are identical.
# Usage: bench/parallel.sh [COOPSIM-BINARY] [SCENARIO] [K] [REPETITIONS]
# (build with -DCMAKE_BUILD_TYPE=Release; the machine should be otherwise idle)
set -eu
bin=${1:-build/coopsim}
scenario=${2:-scenarios/flagship.yaml}
k=${3:-2}
reps=${4:-5}
runs=8
tmp=$(mktemp -d /tmp/coopsim-parallel-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# Open MPI refuses root unless told, and wants leave to run more ranks than cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# One machine: shared memory between the ranks (ob1 over vader) instead of UCX, whose start-up
# alone takes ~0.3 s here - a large share of a few half-second runs.
mpi="mpirun -n $k --oversubscribe --bind-to none --mca pml ob1 --mca btl self,vader"

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

time_one() { # label, command...
    label=$1
    shift
    t0=$(now)
    "$@" run "$scenario" -q --no-plots -o "$tmp/$label" --set simulation.replications=$runs
    t1=$(now)
    awk "BEGIN { print $t1 - $t0 }"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$tmp/serial.times"
: > "$tmp/mpi.times"
for i in $(seq "$reps"); do
    time_one serial "$bin" >> "$tmp/serial.times"
    # shellcheck disable=SC2086
    time_one mpi $mpi "$bin" >> "$tmp/mpi.times"
done
s=$(median < "$tmp/serial.times")
p=$(median < "$tmp/mpi.times")
# the start-up of mpirun alone (one process, nothing to do but load the scenario)
t0=$(now)
# shellcheck disable=SC2086
$mpi "$bin" validate "$scenario" > /dev/null
t1=$(now)
startup=$(awk "BEGIN { print $t1 - $t0 }")
same=identical
for f in summary.json runs.csv; do
    cmp -s "$tmp/serial/$f" "$tmp/mpi/$f" || same=DIFFERENT
done
printf 'scenario %s, %d runs, median of %d; load average before: %s\n' "$scenario" "$runs" \
    "$reps" "$load"
printf 'serial          %6.2f s\n' "$s"
printf 'mpirun -n %-4d  %6.2f s   (mpirun start-up alone %.2f s)\n' "$k" "$p" "$startup"
printf 'speed-up        %6.2fx   outputs %s\n' "$(awk "BEGIN { print $s / $p }")" "$same"
