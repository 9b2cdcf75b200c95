#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang, AddressSanitizer + UndefinedBehaviorSanitizer)
# and runs each for a share of the time given, from a seed corpus made of the project's
# fixtures, with a dictionary per format.
#   scripts/fuzz.sh [SECONDS]          total campaign time (default 3600), split across targets
#   scripts/fuzz.sh --replay           only run every target once over its corpus (CI)
#   FUZZERS="zip pickle" scripts/fuzz.sh 600   a subset
# Corpora grow in build-fuzz/corpus/<target>/ (kept between runs); a crash, leak, timeout
# or out-of-memory stops the campaign, leaves the input in build-fuzz/findings/ and exits 1.
# Results per target (executions, coverage, corpus size) go to build-fuzz/fuzz-results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
PY=$ROOT/.venv/bin/python
SECONDS_TOTAL=3600 REPLAY=0
case ${1:-} in
  --replay) REPLAY=1 ;;
  "") ;;
  *) SECONDS_TOTAL=$1 ;;
esac
ALL=(zip pickle pt2 sym_expr input_spec npy tensor_pb)
read -r -a TARGETS <<<"${FUZZERS:-${ALL[*]}}"
log() { echo "[fuzz] $*"; }

command -v clang++ >/dev/null || { echo "[fuzz] error: clang++ not found (scripts/setup.sh installs clang and libclang-rt-dev)" >&2; exit 1; }
[[ -x $PY ]] || { echo "[fuzz] error: no .venv (run scripts/setup.sh first)" >&2; exit 1; }

# ------------------------------------------------------------------ build
TORCH_DIR=$("$PY" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "share/cmake/Torch"))')
ONNX_DIR=$(ls -d "$ROOT"/.deps/onnx-*/install/lib/cmake/ONNX | head -1)
mkdir -p "$BUILD"
if [[ ! -f $BUILD/build.ninja ]]; then
  "$ROOT/.venv/bin/cmake" -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DT2O_FUZZ=ON -DBUILD_TESTING=OFF \
    -DTorch_DIR="$TORCH_DIR" -DONNX_DIR="$ONNX_DIR" -DT2O_PYTHON="$PY" >"$BUILD/configure.log" 2>&1 ||
    { cat "$BUILD/configure.log"; exit 1; }
fi
log "building ${#TARGETS[@]} fuzz targets in $BUILD"
"$ROOT/.venv/bin/cmake" --build "$BUILD" -j "$(nproc)" --target "${TARGETS[@]/%/_fuzzer}" >"$BUILD/build.log" 2>&1 ||
  { grep -v "^\[" "$BUILD/build.log" | tail -40; echo "[fuzz] error: the fuzz targets do not build" >&2; exit 1; }

# ------------------------------------------------------------------ seeds
SEEDS=$BUILD/seeds
if ! cmp -s "$ROOT/fuzz/make_seeds.py" "$SEEDS/.made-by"; then
  log "making seed corpora"
  rm -rf "$SEEDS" && mkdir -p "$SEEDS"
  "$PY" "$ROOT/fuzz/make_seeds.py" "$ROOT" "$SEEDS"
  cp "$ROOT/fuzz/make_seeds.py" "$SEEDS/.made-by"
fi

# ------------------------------------------------------------------ run
mkdir -p "$BUILD/findings"
results=$BUILD/fuzz-results.txt
: >"$results"
per_target=$((SECONDS_TOTAL / ${#TARGETS[@]}))
status=0
for t in "${TARGETS[@]}"; do
  corpus=$BUILD/corpus/$t
  mkdir -p "$corpus"
  dict=()
  [[ -f $ROOT/fuzz/dictionaries/$t.dict ]] && dict=(-dict="$ROOT/fuzz/dictionaries/$t.dict")
  # Leaks are findings; -rss_limit_mb and -timeout make out-of-memory and hangs findings too.
  common=(-rss_limit_mb=2048 -timeout=10 -malloc_limit_mb=1536 -artifact_prefix="$BUILD/findings/$t-" "${dict[@]}")
  # Inputs that once crashed a target (fuzz/regressions/<target>/) run first, every time.
  regressions=()
  [[ -d $ROOT/fuzz/regressions/$t ]] && regressions=("$ROOT/fuzz/regressions/$t")
  if ((REPLAY)); then
    log "$t: replaying $(ls "$SEEDS/$t" | wc -l) seeds, $( ((${#regressions[@]})) && ls "${regressions[0]}" | wc -l || echo 0) regressions and $(ls "$corpus" | wc -l) corpus inputs"
    "$BUILD/fuzz/${t}_fuzzer" "${common[@]}" -runs=0 "$corpus" "$SEEDS/$t" "${regressions[@]}" >"$BUILD/$t.log" 2>&1 ||
      { status=1; tail -30 "$BUILD/$t.log"; }
  else
    log "$t: fuzzing for $per_target s"
    "$BUILD/fuzz/${t}_fuzzer" "${common[@]}" -max_total_time="$per_target" -print_final_stats=1 \
      "$corpus" "$SEEDS/$t" "${regressions[@]}" >"$BUILD/$t.log" 2>&1 || { status=1; tail -30 "$BUILD/$t.log"; }
  fi
  execs=$(grep -o "stat::number_of_executed_units: *[0-9]*" "$BUILD/$t.log" | grep -o "[0-9]*$" || echo "?")
  last=$(grep -E "^#[0-9]+" "$BUILD/$t.log" | tail -1)
  cov=$(grep -oE "cov: [0-9]+" <<<"$last" | grep -oE "[0-9]+" || echo "?")
  ft=$(grep -oE "ft: [0-9]+" <<<"$last" | grep -oE "[0-9]+" || echo "?")
  size=$(ls "$corpus" | wc -l)
  printf "%-11s seconds %5s  executions %10s  coverage %5s edges, %6s features  corpus %5s inputs\n" \
    "$t" "$( ((REPLAY)) && echo replay || echo $per_target)" "$execs" "$cov" "$ft" "$size" | tee -a "$results"
done
if ((status)); then
  echo "[fuzz] FAILED: see the inputs in $BUILD/findings/ and the logs $BUILD/<target>.log" >&2
fi
exit $status
