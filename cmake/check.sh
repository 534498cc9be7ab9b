#!/bin/sh
# Second command of the quick start (and what CI runs): the whole test suite, twice (optimised
# build; AddressSanitizer + UndefinedBehaviorSanitizer build), then the fuzzers (scenario
# loader, ledger verifier, --set overrides). FUZZ_SECONDS (default 60) is shared among them;
# 0 skips them.
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

# The fuzz time is shared by the targets (scenario loader, ledger verifier, --set overrides,
# trip files).
fuzz_seconds=${FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
    targets="scenario ledger overrides tripfile"
    each=$((fuzz_seconds / 4))
    [ "$each" -gt 0 ] || each=1
    CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCOOPSIM_FUZZ=ON \
        -DCOOPSIM_SANITIZE=ON -DCOOPSIM_TESTS=OFF >/dev/null
    for t in $targets; do
        cmake --build build-fuzz -j"$jobs" --target "fuzz_$t"
    done
    corpus=$(mktemp -d)
    trap 'rm -rf "$corpus"' EXIT
    for t in $targets; do
        echo "== fuzzing fuzz_$t for ${each}s"
        mkdir -p "$corpus/$t"
        cp tests/fuzz/corpus/"$t"/* "$corpus/$t"/
        status=0
        build-fuzz/fuzz_"$t" -max_total_time="$each" -rss_limit_mb=2048 \
            -artifact_prefix=build-fuzz/"$t"- -print_final_stats=1 "$corpus/$t" \
            >build-fuzz/fuzz-"$t".log 2>&1 || status=$?
        tail -n 5 build-fuzz/fuzz-"$t".log
        if [ "$status" -ne 0 ]; then
            echo "fuzz_$t found a problem (exit $status); input saved under build-fuzz/" >&2
            exit 1
        fi
    done
fi
echo "== all checks passed"
