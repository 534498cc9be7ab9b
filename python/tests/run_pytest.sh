#!/bin/sh
# Runs the Python module's tests for CTest. pytest's exit 5 (no tests collected) means the
# tests went missing, which must fail loudly rather than pass or fail unexplained.
# Usage: run_pytest.sh PYTHON TESTS_DIR
set -u
"$1" -m pytest -q -p no:cacheprovider "$2"
rc=$?
if [ "$rc" -eq 5 ]; then
    echo "run_pytest: pytest collected no tests under $2" >&2
    exit 1
fi
exit "$rc"
