#!/bin/sh
# Builds the .deb with cpack and unpacks it into a scratch root (no root rights needed): its
# fields name the shared libraries it needs, and the unpacked program, library and Python
# module run the flagship scenario from there. As root, where a private mount namespace can
# lay an overlay over /, it also does what a user does: `apt-get install` of the .deb into that
# overlay (the host is untouched), then the installed program, compare and Python module.
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
dpkg-deb -c "$deb" | grep './usr/lib/python3/dist-packages/coopsim/__init__.py' >/dev/null
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

# apt-get install in an overlay over / (its own mount namespace, so nothing reaches the host).
# Every dependency must already be on the machine: apt may not download anything here.
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || ! command -v apt-get >/dev/null; then
    echo "deb: apt-get install skipped (needs root, unshare and apt-get)"
    echo "deb: ok"
    exit 0
fi
cp "$deb" "$root/coopsim.deb"
cat >"$root/user.sh" <<'EOS'
set -eu
cd "$(mktemp -d)"
coopsim run /usr/share/coopsim/scenarios/flagship.yaml -o a -q --no-plots --set simulation.duration=2h
coopsim run /usr/share/coopsim/scenarios/flagship.yaml -o b -q --no-plots --set simulation.duration=2h \
    --set 'platforms[1].commission=5%'
coopsim compare a b -o cmp
test -s cmp/compare.csv && test -s cmp/compare.html
env -u COOPSIM_LIB -u PYTHONPATH /usr/bin/python3 -c '
import coopsim
assert coopsim.__file__.startswith("/usr/lib/python3/dist-packages/"), coopsim.__file__
r = coopsim.run("/usr/share/coopsim/scenarios/sweep-commission.yaml", "sweep",
                set={"simulation.replications": 2, "simulation.duration": "1h"})
m = r.metrics
assert not m.duplicated(["point", "replication", "platform", "metric"]).any()
assert str(m["platforms[1].commission"].dtype) == "float64"
assert sorted(r.drivers["run"].unique()) == list(range(12))
print("deb: installed python module", coopsim.version(), "ok")
'
EOS
cat >"$root/apt.sh" <<'EOS'
set -eu
s=$1
mkdir -p "$s/up" "$s/work" "$s/fs"
mount -t overlay overlay -o "lowerdir=/,upperdir=$s/up,workdir=$s/work" "$s/fs"
mount -t proc proc "$s/fs/proc"
mount --rbind /dev "$s/fs/dev"
cp "$s/coopsim.deb" "$s/user.sh" "$s/fs/root/"
# no package sources: apt resolves against what is installed and cannot fetch anything
chroot "$s/fs" apt-get install -y -q --no-install-recommends -o Dir::Etc::SourceList=/dev/null \
    -o Dir::Etc::SourceParts=/nonexistent /root/coopsim.deb \
    >"$s/apt.log" 2>&1 || { cat "$s/apt.log" >&2; exit 1; }
chroot "$s/fs" env PATH=/usr/sbin:/usr/bin:/sbin:/bin sh /root/user.sh
EOS
if ! unshare -m sh -c 'mount -t tmpfs none /mnt' 2>/dev/null; then
    echo "deb: apt-get install skipped (no private mount namespace here)"
    echo "deb: ok"
    exit 0
fi
mkdir "$root/ovl"
cp "$deb" "$root/ovl/coopsim.deb"
cp "$root/user.sh" "$root/ovl/user.sh"
unshare -m sh "$root/apt.sh" "$root/ovl"
echo "deb: apt-get install ok"
echo "deb: ok"
