#!/bin/sh
# Runs the browser test of coopsim lab (lab.mjs). It needs node, Debian's chromium and the npm
# package (npm ci in this folder; cmake/check.sh does it). Anything missing fails the test, so
# CI cannot pass without it; a developer may skip it with COOPSIM_NO_BROWSER=1.
# Usage: run.sh COOPSIM_BINARY SOURCE_DIR
set -eu
if [ "${COOPSIM_NO_BROWSER:-}" = "1" ]; then
    echo "browser test: skipped because COOPSIM_NO_BROWSER=1"
    exit 77
fi
here=$(dirname "$0")
command -v node >/dev/null || { echo "browser test: FAILED: node is not installed" >&2; exit 1; }
[ -x /usr/bin/chromium ] || {
    echo "browser test: FAILED: /usr/bin/chromium missing (sh cmake/install-deps.sh --tests)" >&2
    exit 1
}
[ -d "$here/node_modules/playwright-core" ] || {
    echo "browser test: FAILED: playwright-core missing: run 'npm ci' in $here" >&2
    exit 1
}
exec node "$here/lab.mjs" "$1" "$2"
