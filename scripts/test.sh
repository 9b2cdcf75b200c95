#!/usr/bin/env bash
# Sets up (installs dependencies, builds) and runs the whole test suite with CTest, then
# replays the fuzz targets' seeds and regression inputs under AddressSanitizer and
# UndefinedBehaviorSanitizer (scripts/fuzz.sh --replay).
#   scripts/test.sh [extra ctest args, e.g. -L ops -R conv]
#   scripts/test.sh --sanitize [extra ctest args]   the tool and tests built with ASan + UBSan
#                   in build-sanitize/: unit and op tests and a selection of e2e tests
set -euo pipefail
cd "$(dirname "$0")/.."
# The suite needs about 15 GB on this filesystem (two Python environments, 8 GB of model
# fixtures); a full disk shows up as torch.save's "unexpected pos" far from its cause.
free_kb=$(df -Pk . | awk 'NR == 2 {print $4}')
echo "[test] $((free_kb / 1048576)) GB free on $(df -P . | awk 'NR == 2 {print $6}')"
if ((free_kb < 16 * 1048576)); then
  echo "[test] warning: less than 16 GB free; fixture generation may fail with a full disk" >&2
fi
if [[ ${1:-} == --sanitize ]]; then
  shift
  scripts/setup.sh --no-build
  BUILD_DIR=$PWD/build-sanitize T2O_CMAKE_ARGS="-DT2O_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo" scripts/setup.sh
  cd build-sanitize
  # libtorch and the Python fixture scripts are not instrumented: leaks at exit of the
  # uninstrumented libraries are not ours, so LeakSanitizer runs in the fuzz targets only.
  # (--max-memory is left out: ASan's shadow memory counts against RLIMIT_DATA.)
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:detect_odr_violation=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  selection=${*:-}
  if [[ -z $selection ]]; then
    ../.venv/bin/ctest --output-on-failure -j "$(nproc)" -L "unit|ops"
    exec ../.venv/bin/ctest --output-on-failure -j "$(nproc)" \
      -R "^e2e\.(cli|robustness\.(hostile|timeout|generate_.*)|pt2\.(mlp|errors|generate)|generate_models|convert_verify\.(mlp|control_flow))"
  fi
  exec ../.venv/bin/ctest --output-on-failure -j "$(nproc)" "$@"
fi
scripts/setup.sh
(
  cd build
  ../.venv/bin/ctest --output-on-failure -j "$(nproc)" "$@"
)
if [[ $# -eq 0 ]]; then
  scripts/fuzz.sh --replay
fi
