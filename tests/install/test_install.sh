#!/bin/sh
# Installs the build into a scratch prefix and uses it as a user would: a C program compiled
# with `pkg-config --cflags --libs coopsim` loads and runs the installed teaching scenario
# through libcoopsim (found by its soname), and the installed program validates the scenarios.
# Usage: test_install.sh BUILD_DIR CC [EXTRA_CFLAGS]
set -eu
build=$1 cc=$2 extra=${3:-}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cmake --install "$build" --prefix "$root/usr" >/dev/null
lib=$(dirname "$(find "$root/usr" -name 'libcoopsim.so' | head -n 1)")
test -e "$lib/libcoopsim.so.0" || { echo "no libcoopsim.so.0 (soname link) in $lib" >&2; exit 1; }
test -f "$root/usr/include/coopsim.h"
test -f "$root/usr/share/coopsim/scenarios/flagship.yaml"
test -f "$root/usr/share/coopsim/plots/style.gp"
test -f "$root/usr/share/doc/coopsim/README.md"
cat >"$root/user.c" <<'C'
#include <coopsim.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    char err[1024];
    coopsim_scenario *sc;
    coopsim_result *r;
    const char *sets[] = {"simulation.duration=2h"};
    if (coopsim_load_file(argv[1], sets, 1, &sc, err, sizeof err) != COOPSIM_OK ||
        coopsim_run(sc, argv[2], 0, NULL, NULL, &r, err, sizeof err) != COOPSIM_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    char *json;
    if (coopsim_result_summary(r, &json, err, sizeof err) != COOPSIM_OK) return 1;
    int ok = strstr(json, "\"teaching-commission\"") != NULL;
    coopsim_table *t;
    if (coopsim_result_columns(r, "drivers", &t, err, sizeof err) != COOPSIM_OK) return 1;
    ok = ok && coopsim_table_rows(t) > 0 && coopsim_table_ints(t, 0) != NULL &&
         strcmp(coopsim_table_name(t, 0), "run") == 0;
    coopsim_table_free(t);
    printf("%s %s\n", coopsim_version(), ok ? "ok" : "wrong summary or drivers table");
    coopsim_free(json);
    coopsim_result_free(r);
    coopsim_scenario_free(sc);
    return !ok;
}
C
PKG_CONFIG_PATH="$lib/pkgconfig"
export PKG_CONFIG_PATH
# shellcheck disable=SC2046,SC2086
"$cc" $extra $(pkg-config --cflags coopsim) -o "$root/user" "$root/user.c" $(pkg-config --libs coopsim)
LD_LIBRARY_PATH="$lib" "$root/user" "$root/usr/share/coopsim/scenarios/teaching/commission.yaml" "$root/out"
test -f "$root/out/summary.json"
# the column accessors came with 0.2: the program says it needs that symbol version
if command -v objdump >/dev/null; then
    objdump -T "$root/user" | grep -q 'COOPSIM_2.*coopsim_result_columns' ||
        { echo "user program does not bind coopsim_result_columns@COOPSIM_2" >&2; exit 1; }
fi
"$root/usr/bin/coopsim" validate "$root/usr/share/coopsim/scenarios/flagship.yaml"
# The installed Python module finds the installed library by itself (when this machine has
# pandas; the Python tests need it anyway).
if [ -n "${PYTHON:-}" ] && "$PYTHON" -c 'import pandas' 2>/dev/null; then
    (cd "$root" && env -u COOPSIM_LIB PYTHONPATH="$root/usr/lib/python3/dist-packages" "$PYTHON" -c '
import coopsim, sys
r = coopsim.run(sys.argv[1], sys.argv[2], set={"simulation.duration": "2h"})
assert len(r.drivers) > 0 and r.summary["scenario"] == "teaching-commission"
print("python module", coopsim.version(), "ok")
' "$root/usr/share/coopsim/scenarios/teaching/commission.yaml" "$root/out-py")
fi
echo "install: ok"
