#!/bin/sh
# Installs the Debian packages coopsim needs (building, testing, plotting), only those missing.
# Usage: cmake/install-deps.sh [EXTRA-PACKAGE...]   (as root, or through sudo)
set -eu
pkgs="build-essential cmake pkg-config libgsl-dev libyaml-dev libcmocka-dev libsodium-dev
      libjansson-dev gnuplot-nox clang libclang-rt-14-dev libopenmpi-dev openmpi-bin chromium python3 $*"
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
