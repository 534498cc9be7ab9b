#!/bin/sh
# Second command of the quick start (and what CI runs): the whole test suite, twice (optimised
# build; AddressSanitizer + UndefinedBehaviorSanitizer build), then the scenario-loader fuzzer.
# FUZZ_SECONDS (default 60) sets how long the fuzzer runs; 0 skips it.
set -eu
cd "$(dirname "$0")/.."
sh cmake/install-deps.sh --tests
jobs=$(nproc)
# The browser test's one npm package (playwright-core; it drives Debian's chromium and downloads
# no browser), pinned by tests/browser/package-lock.json.
if [ "${COOPSIM_NO_BROWSER:-}" != "1" ]; then
    command -v npm >/dev/null || { echo "check: npm is needed for the browser test" >&2; exit 1; }
    (cd tests/browser && npm ci --no-audit --no-fund)
fi

echo "== optimised build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCOOPSIM_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

fuzz_seconds=${FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
    echo "== fuzzing the scenario loader for ${fuzz_seconds}s"
    CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCOOPSIM_FUZZ=ON \
        -DCOOPSIM_SANITIZE=ON -DCOOPSIM_TESTS=OFF >/dev/null
    cmake --build build-fuzz -j"$jobs" --target fuzz_scenario
    corpus=$(mktemp -d)
    trap 'rm -rf "$corpus"' EXIT
    cp tests/fuzz/corpus/scenario/* "$corpus"/
    status=0
    build-fuzz/fuzz_scenario -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 \
        -artifact_prefix=build-fuzz/ -print_final_stats=1 "$corpus" >build-fuzz/fuzz.log 2>&1 ||
        status=$?
    tail -n 15 build-fuzz/fuzz.log
    if [ "$status" -ne 0 ]; then
        echo "fuzzer found a problem (exit $status); input saved under build-fuzz/" >&2
        exit 1
    fi
fi
echo "== all checks passed"
