#!/bin/sh
# Builds the .deb with cpack and unpacks it into a scratch root (no root rights needed): its
# fields name the shared libraries it needs, and the unpacked program, library and Python
# module run the flagship scenario from there.
# Usage: test_deb.sh BUILD_DIR PYTHON
set -eu
build=$1 python=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
(cd "$build" && cpack -G DEB -B "$root/pkg" >/dev/null)
deb=$(ls "$root"/pkg/coopsim_*.deb)
info=$(dpkg-deb -f "$deb" Package Version Depends)
echo "$info"
echo "$info" | grep -q '^Depends:.*libgsl' || { echo "no libgsl in Depends" >&2; exit 1; }
echo "$info" | grep -q 'python3-pandas' || { echo "no python3-pandas in Depends" >&2; exit 1; }
dpkg-deb -c "$deb" | grep -q './usr/lib/python3/dist-packages/coopsim/__init__.py'
dpkg-deb -x "$deb" "$root/fs"
usr=$root/fs/usr
test -f "$usr/include/coopsim.h" && test -f "$usr/lib/pkgconfig/coopsim.pc"
test -L "$usr/lib/libcoopsim.so.0"
LD_LIBRARY_PATH="$usr/lib" "$usr/bin/coopsim" run "$usr/share/coopsim/scenarios/flagship.yaml" \
    -o "$root/out" -q --no-plots --set simulation.duration=2h
test -f "$root/out/metrics.csv"
(cd "$root" && env -u COOPSIM_LIB PYTHONPATH="$usr/lib/python3/dist-packages" "$python" -c '
import coopsim, sys
r = coopsim.run(sys.argv[1], sys.argv[2], set={"simulation.duration": "2h"})
assert r.summary["scenario"] == "flagship" and len(r.metrics) > 0
print("deb: python module", coopsim.version(), "ok")
' "$usr/share/coopsim/scenarios/flagship.yaml" "$root/out-py")
echo "deb: ok"
