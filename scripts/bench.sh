#!/usr/bin/env bash
# Benchmark: torch2onnx against PyTorch's own exporters and against copying the file.
#
# Usage: scripts/bench.sh [--runs N] [--models "resnet50 vit_b_16 bert_base llama_1b"] [--build-dir build]
#                         [--part all|convert|opsets]
#
# For every model (written once by scripts/gen_bench_models.py into BUILD/bench-models as
# MODEL.pt2 and MODEL.pt, random weights) it runs, N times each and interleaved:
#   torch2onnx.pt2   BUILD/torch2onnx MODEL.pt2 -o OUT.onnx
#   torch2onnx.pt    BUILD/torch2onnx MODEL.pt -o OUT.onnx $(cat MODEL.args)
#   dynamo.pt2       torch.onnx.export(torch.export.load(MODEL.pt2), dynamo=True)  (torch 2.13, onnxscript)
#   dynamo.pt        torch.onnx.export(torch.jit.load(MODEL.pt), args, dynamo=True)
#   legacy.pt        torch.onnx.export(torch.jit.load(MODEL.pt), args, dynamo=False, opset_version=17)
#   cp.pt2           cp MODEL.pt2 OUT (the physical floor: the page cache is warm)
# measuring each whole process's wall time and peak RSS with GNU time, and prints the
# medians with the ratios the targets are stated in (README, "Benchmark"). The table also
# goes to BUILD/bench.md, raw numbers to BUILD/bench-raw.tsv, each run's log to BUILD/bench-out/.
#
# The opsets part (scripts/bench_opsets.py) then converts the torchvision zoo of the tests
# (13 .pt2 programs, scripts/gen_pt2_fixtures.py, into BUILD/bench-models/zoo) and the
# bench models at opsets 17, 18, 20 and 23 and counts their nodes (composed vs native
# ONNX ops), and times ONNX Runtime inference of vit_b_16 and bert_base at opsets 17 and
# 23 (BUILD/bench-opsets/opsets.md, appended to BUILD/bench.md).
# Needs scripts/setup.sh to have run (it made .venv and .venv-torchvision).
set -euo pipefail

RUNS=5
MODELS="resnet50 vit_b_16 bert_base llama_1b"
BUILD_DIR=build
PART=all
ZOO="resnet18 resnet50 mobilenet_v2 mobilenet_v3_small efficientnet_b0 squeezenet1_1 shufflenet_v2_x1_0 densenet121
     regnet_y_400mf convnext_tiny vit_b_16 swin_t deeplabv3_mobilenet_v3_large"
die() { echo "bench.sh: error: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --models) MODELS=${2:?--models needs a value}; shift 2 ;;
    --build-dir) BUILD_DIR=${2:?--build-dir needs a value}; shift 2 ;;
    --part) PART=${2:?--part needs a value}; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1'" ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer (got '$RUNS')"
[[ $PART =~ ^(all|convert|opsets)$ ]] || die "--part must be all, convert or opsets (got '$PART')"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=$ROOT/.venv/bin/python
TV_PY=$ROOT/.venv-torchvision/bin/python
TIME=/usr/bin/time
TOOL=$(cd "$BUILD_DIR" 2>/dev/null && pwd)/torch2onnx
[[ -x $TOOL ]] || die "$BUILD_DIR/torch2onnx not found: run scripts/setup.sh first"
[[ -x $PY ]] || die "$PY not found: run scripts/setup.sh first"
"$TIME" -f "%e %M" -o /dev/null true 2>/dev/null || die "GNU time not found at $TIME (apt-get install time)"

MODELS_DIR=$BUILD_DIR/bench-models OUT_DIR=$BUILD_DIR/bench-out RAW=$BUILD_DIR/bench-raw.tsv MD=$BUILD_DIR/bench.md
mkdir -p "$MODELS_DIR" "$OUT_DIR"
for model in $MODELS; do
  case $model in
    resnet50|vit_b_16) [[ -x $TV_PY ]] || die "$model needs the torchvision environment ($TV_PY)"
                       "$TV_PY" "$ROOT/scripts/gen_bench_models.py" --out "$MODELS_DIR" "$model" ;;
    *) "$PY" "$ROOT/scripts/gen_bench_models.py" --out "$MODELS_DIR" "$model" ;;
  esac
done

TOOLS=(torch2onnx.pt2 torch2onnx.pt dynamo.pt2 dynamo.pt legacy.pt cp.pt2)
# run_one MODEL TOOL RUN: one run under GNU time; appends "model tool run status wall rss" to RAW.
run_one() {
  local model=$1 tool=$2 run=$3
  local base=$MODELS_DIR/$model tag=$model.$tool.$run
  local out=$OUT_DIR/$tag.onnx log=$OUT_DIR/$tag.log times=$OUT_DIR/$tag.time
  local -a args cmd
  read -r -a args <"$base.args"
  case $tool in
    torch2onnx.pt2) cmd=("$TOOL" "$base.pt2" -o "$out") ;;
    torch2onnx.pt) cmd=("$TOOL" "$base.pt" -o "$out" "${args[@]}") ;;
    dynamo.pt2) cmd=("$PY" "$ROOT/scripts/torch_onnx_peer.py" --dynamo "$base.pt2" -o "$out") ;;
    dynamo.pt) cmd=("$PY" "$ROOT/scripts/torch_onnx_peer.py" --dynamo "$base.pt" -o "$out" "${args[@]}") ;;
    legacy.pt) cmd=("$PY" "$ROOT/scripts/torch_onnx_peer.py" --legacy "$base.pt" -o "$out" "${args[@]}") ;;
    cp.pt2) cmd=(cp "$base.pt2" "$out") ;;
  esac
  if [[ $tool == *.pt && ! -e $base.pt ]]; then return; fi  # a .pt2-only model (llama_1b)
  rm -f "$out" "$out.data"
  for f in "$base.pt2" "$base.pt"; do [[ ! -e $f ]] || cat "$f" >/dev/null; done  # a warm page cache for every tool
  sync  # and no write-back of the previous tool's output still running
  local status=0
  "$TIME" -f "%e %M" -o "$times" "${cmd[@]}" >"$log" 2>&1 || status=$?
  local wall rss
  read -r wall rss < <(tail -n 1 "$times")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$model" "$tool" "$run" "$status" "$wall" "$rss" >>"$RAW"
  if [[ $status -ne 0 ]]; then
    echo "  $tool run $run FAILED (exit $status): $(grep -m1 -iE 'error|exception' "$log" | cut -c1-160)"
  else
    echo "  $tool run $run: ${wall}s, $((rss / 1024)) MiB"
  fi
  rm -f "$out" "$out.data" "$times"
}

if [[ $PART != opsets ]]; then
printf 'model\ttool\trun\tstatus\twall_s\tpeak_rss_kib\n' >"$RAW"
for model in $MODELS; do
  echo "== $model ($(($(cat "$MODELS_DIR/$model.weights") / 1048576)) MiB of weights)"
  for ((r = 1; r <= RUNS; r++)); do
    # Rotate the order so that no tool always runs right after the same other one.
    n=${#TOOLS[@]}
    for ((k = 0; k < n; k++)); do run_one "$model" "${TOOLS[$(((k + r) % n))]}" "$r"; done
  done
done

"$PY" - "$RAW" "$MD" "$RUNS" "$MODELS_DIR" "$("$TOOL" --version | head -1)" <<'EOF'
import csv, os, statistics, sys, time
import torch, onnxscript
raw, md_path, runs, models_dir, tool_version = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = {}
models = []
for r in csv.DictReader(open(raw), delimiter="\t"):
    if r["model"] not in models:
        models.append(r["model"])
    rows.setdefault((r["model"], r["tool"]), []).append((r["status"] == "0", float(r["wall_s"]), int(r["peak_rss_kib"]) / 1024))

def med(model, tool):
    good = [x for x in rows.get((model, tool), []) if x[0]]
    n = len(rows.get((model, tool), []))
    if not good:
        return None
    return statistics.median(x[1] for x in good), statistics.median(x[2] for x in good), len(good), n

lines = ["| model | run | median wall (s) | median peak RSS (MiB) | torch2onnx.pt2 faster by | torch2onnx.pt2 memory ratio |",
         "|---|---|---:|---:|---:|---:|"]
checks = []
for model in models:
    weights = int(open(os.path.join(models_dir, model + ".weights")).read()) / 2**20
    ours = med(model, "torch2onnx.pt2")
    for tool in ["torch2onnx.pt2", "torch2onnx.pt", "dynamo.pt2", "dynamo.pt", "legacy.pt", "cp.pt2"]:
        if (model, tool) not in rows:  # not run for this model (a .pt2-only model has no .pt)
            continue
        m = med(model, tool)
        if m is None:
            n = len(rows.get((model, tool), []))
            lines.append(f"| {model} | {tool} | failed ({n}/{n}) | | | |")
            continue
        wall, rss, ok, n = m
        note = "" if ok == n else f" ({n - ok}/{n} failed)"
        speed = f"{wall / ours[0]:.1f}x" if ours and tool != "torch2onnx.pt2" else ""
        mem = f"{ours[1] / rss:.2f}x" if ours and tool != "torch2onnx.pt2" else ""
        lines.append(f"| {model} | {tool} | {wall:.2f}{note} | {rss:.0f} | {speed} | {mem} |")
    dyn, cp = med(model, "dynamo.pt2"), med(model, "cp.pt2")
    if ours and dyn:
        checks.append(f"{model}: {dyn[0] / ours[0]:.1f}x faster than dynamo.pt2 (target >= 10x), "
                      f"{ours[1] / dyn[1]:.2f}x its peak memory (target <= 0.5x)")
    if ours and cp:
        checks.append(f"{model}: {ours[0] / cp[0]:.2f}x the time of cp (target <= 2x on vit_b_16 and llama_1b); "
                      f"peak RSS {ours[1]:.0f} MiB for {weights:.0f} MiB of weights = {ours[1] / weights:.2f}x "
                      f"(bounds: 1.3x weights + 200 MiB = {1.3 * weights + 200:.0f} MiB; llama_1b 1.5x)")
header = (f"{time.strftime('%Y-%m-%d %H:%M')}, {runs} runs per tool, interleaved; medians of whole-process wall "
          f"time and peak RSS (GNU time), {os.cpu_count()} cores. {tool_version}; peers: torch {torch.__version__}, "
          f"onnxscript {onnxscript.__version__}.")
text = "\n".join([header, ""] + lines + [""] + ["- " + c for c in checks]) + "\n"
print("\n" + text)
open(md_path, "w").write("# torch2onnx benchmark\n\n" + text)
print(f"written {md_path} (raw: {raw})")
EOF
fi

if [[ $PART != convert ]]; then
  echo "== opsets: the zoo at opsets 17, 18, 20, 23; ONNX Runtime inference at 17 vs 23"
  ZOO_DIR=$MODELS_DIR/zoo
  # shellcheck disable=SC2086
  "$TV_PY" "$ROOT/scripts/gen_pt2_fixtures.py" --out "$ZOO_DIR" $ZOO >/dev/null
  zoo_files=() timed=()
  for model in $ZOO; do zoo_files+=("$ZOO_DIR/$model.archive.pt2"); done
  for model in $MODELS; do
    [[ $model != llama_1b ]] || continue  # the big-model case is for conversion speed and memory only
    [[ " $ZOO " == *" $model "* ]] || zoo_files+=("$MODELS_DIR/$model.pt2")  # the same architecture is in the zoo
    [[ $model == resnet50 ]] || timed+=(--time "$MODELS_DIR/$model.pt2")
  done
  "$PY" "$ROOT/scripts/bench_opsets.py" --tool "$TOOL" --runner "$ROOT/tools/ort_runner/run.js" \
    --out "$BUILD_DIR/bench-opsets" "${timed[@]}" "${zoo_files[@]}"
  if [[ $PART == all ]]; then
    { echo; cat "$BUILD_DIR/bench-opsets/opsets.md"; } >>"$MD"
  else
    { echo "# torch2onnx benchmark"; echo; cat "$BUILD_DIR/bench-opsets/opsets.md"; } >"$MD"
  fi
  echo "written $MD"
fi
