#!/bin/sh
# First command of the quick start: install what is missing, build, run the flagship scenario.
set -eu
cd "$(dirname "$0")/.."
sh cmake/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
build/coopsim run scenarios/flagship.yaml -o results/flagship
