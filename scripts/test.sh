#!/usr/bin/env bash
# Sets up (installs dependencies, builds) and runs the whole test suite with CTest.
#   scripts/test.sh [extra ctest args, e.g. -L ops -R conv]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd build
../.venv/bin/ctest --output-on-failure -j "$(nproc)" "$@"
