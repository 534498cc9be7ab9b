#!/bin/sh
# Installs the Debian packages coopsim needs (building, testing, plotting), only those missing.
# Usage: cmake/install-deps.sh [--tests] [EXTRA-PACKAGE...]   (as root, or through sudo)
set -eu
# Building and running (plots included); --tests adds what the test suite needs beyond that:
# clang and its libFuzzer runtime, Chromium (renders the report in a test), Python 3 with
# pytest (the Python module's tests). pandas is the Python module's (python/coopsim) at run time.
pkgs="build-essential cmake pkg-config libgsl-dev libyaml-dev libcmocka-dev libsodium-dev
      libjansson-dev libssl-dev libmicrohttpd-dev gnuplot-nox libopenmpi-dev openmpi-bin python3
      python3-pandas"
if [ "${1:-}" = "--tests" ]; then
    shift
    pkgs="$pkgs clang libclang-rt-14-dev chromium python3 python3-pytest"
    # npm installs the browser test's one package; Debian ships it apart from nodejs.
    command -v npm >/dev/null || pkgs="$pkgs npm"
fi
pkgs="$pkgs $*"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root to install:$missing" >&2; exit 2; }
    SUDO=sudo
else
    SUDO=
fi
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
