#!/usr/bin/env bash
# Sets up (installs dependencies, builds) and runs the whole test suite with CTest.
#   scripts/test.sh [extra ctest args, e.g. -L ops -R conv]
set -euo pipefail
cd "$(dirname "$0")/.."
# The suite needs about 15 GB on this filesystem (two Python environments, 8 GB of model
# fixtures); a full disk shows up as torch.save's "unexpected pos" far from its cause.
free_kb=$(df -Pk . | awk 'NR == 2 {print $4}')
echo "[test] $((free_kb / 1048576)) GB free on $(df -P . | awk 'NR == 2 {print $6}')"
if ((free_kb < 16 * 1048576)); then
  echo "[test] warning: less than 16 GB free; fixture generation may fail with a full disk" >&2
fi
scripts/setup.sh
cd build
../.venv/bin/ctest --output-on-failure -j "$(nproc)" "$@"
