#!/usr/bin/env bash
# Benchmark torch2onnx against PyTorch's own torch.onnx.export.
#
# Usage: scripts/bench.sh [--runs N] [--models "resnet18 resnet50 vit_b_16"]
#                         [--build-dir build]
#
# For every model it
#   1. generates BUILD/bench-models/MODEL.pt and MODEL.args with
#      scripts/gen_models.py if they are missing (random weights, no download);
#   2. runs N times each, interleaved (and alternating which goes first):
#        torch2onnx        BUILD/torch2onnx MODEL.pt -o OUT.onnx $(cat MODEL.args)
#        torch.onnx.export /usr/bin/python3 scripts/torch_export_baseline.py
#                          MODEL.pt -o OUT.onnx $(cat MODEL.args)   (opset 17)
#      measuring each whole process's wall time and peak RSS with GNU time;
#   3. prints a table of medians and ratios and writes it as markdown to
#      BUILD/bench.md.  Raw measurements go to BUILD/bench-raw.tsv and each
#      run's output to BUILD/bench-out/MODEL.TOOL.RUN.log.
#
# Requirements: GNU time at /usr/bin/time (Debian package `time`) and
# /usr/bin/python3 with torch + torchvision (Debian python3-torch*).
set -euo pipefail

RUNS=5
MODELS="resnet18 resnet50 vit_b_16"
BUILD_DIR=build

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "bench.sh: error: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) [[ $# -ge 2 ]] || die "--runs needs a value"; RUNS="$2"; shift 2 ;;
        --models) [[ $# -ge 2 ]] || die "--models needs a value"; MODELS="$2"; shift 2 ;;
        --build-dir) [[ $# -ge 2 ]] || die "--build-dir needs a value"; BUILD_DIR="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer (got '$RUNS')"
[[ -n "${MODELS// /}" ]] || die "--models is empty"

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3   # the only interpreter with torch on this machine
TIME=/usr/bin/time

# --- preconditions ---------------------------------------------------------
TOOL="$BUILD_DIR/torch2onnx"
[[ -x "$TOOL" ]] || die "$TOOL not found or not executable; build it first, e.g.
    cmake -S . -B $BUILD_DIR -DCMAKE_BUILD_TYPE=Release && cmake --build $BUILD_DIR -j
or pass --build-dir DIR"
TOOL="$(cd "$(dirname "$TOOL")" && pwd)/torch2onnx"
# GNU time (not the shell keyword, not BSD time): needed for -f "%e %M".
"$TIME" -f "%e %M" -o /dev/null true 2>/dev/null \
    || die "GNU time not found at $TIME (apt-get install time)"
"$PY" -c "import torch, torchvision" 2>/dev/null \
    || die "$PY cannot import torch/torchvision (apt-get install python3-torch python3-torchvision)"

# Recorded in bench.md so results can be matched to a build.
TOOL_INFO="$("$TOOL" --version 2>/dev/null | head -n 1 || true)"
TOOL_INFO="${TOOL_INFO:-unknown version}, binary of $(date -r "$TOOL" '+%Y-%m-%d %H:%M')"
TORCH_VERSION="$("$PY" -c 'import torch; print(torch.__version__)')"

MODELS_DIR="$BUILD_DIR/bench-models"
OUT_DIR="$BUILD_DIR/bench-out"
RAW="$BUILD_DIR/bench-raw.tsv"
MD="$BUILD_DIR/bench.md"
mkdir -p "$MODELS_DIR" "$OUT_DIR"

# --- 1. models --------------------------------------------------------------
# gen_models.py skips models whose files already exist.
# shellcheck disable=SC2086  # MODELS is a space-separated list on purpose
"$PY" "$SCRIPTS_DIR/gen_models.py" --out "$MODELS_DIR" $MODELS

# --- 2. measurements ------------------------------------------------------
# run_one MODEL TOOLNAME RUN: run one conversion under GNU time and append
# "model tool run exit_status wall_s peak_rss_kib" to $RAW.
run_one() {
    local model="$1" tool="$2" run="$3"
    local pt="$MODELS_DIR/$model.pt" tag="$model.${tool//[^a-zA-Z0-9]/_}.$run"
    local onnx="$OUT_DIR/$tag.onnx" log="$OUT_DIR/$tag.log" tfile="$OUT_DIR/$tag.time"
    local -a args cmd
    read -r -a args < "$MODELS_DIR/$model.args"
    case "$tool" in
        torch2onnx) cmd=("$TOOL" "$pt" -o "$onnx" "${args[@]}") ;;
        torch.onnx.export) cmd=("$PY" "$SCRIPTS_DIR/torch_export_baseline.py" "$pt" -o "$onnx" "${args[@]}") ;;
    esac
    rm -f "$onnx"
    local status=0
    "$TIME" -f "%e %M" -o "$tfile" "${cmd[@]}" > "$log" 2>&1 || status=$?
    # On failure GNU time writes "Command exited with non-zero status N"
    # before the format line, so take the last line.
    local wall rss
    read -r wall rss < <(tail -n 1 "$tfile")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$model" "$tool" "$run" "$status" "$wall" "$rss" >> "$RAW"
    if [[ $status -ne 0 ]]; then
        echo "  $tool run $run FAILED (exit $status), see $log" >&2
    else
        echo "  $tool run $run: ${wall}s, $((rss / 1024)) MiB"
    fi
    rm -f "$onnx" "$tfile"   # the big models' ONNX files are hundreds of MB
}

printf 'model\ttool\trun\tstatus\twall_s\tpeak_rss_kib\n' > "$RAW"
for model in $MODELS; do
    echo "== $model"
    for ((r = 1; r <= RUNS; r++)); do
        # Alternate the order so neither tool systematically runs on a
        # cache/thermal state left by the other.
        if (( r % 2 )); then order=(torch2onnx torch.onnx.export)
        else order=(torch.onnx.export torch2onnx); fi
        for tool in "${order[@]}"; do run_one "$model" "$tool" "$r"; done
    done
done

# --- 3. table ---------------------------------------------------------------
"$PY" - "$RAW" "$MD" "$RUNS" "$TOOL_INFO" "$TORCH_VERSION" <<'EOF'
import csv, os, platform, statistics, sys, time

raw, md_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
tool_info, torch_version = sys.argv[4], sys.argv[5]
TOOLS = ["torch2onnx", "torch.onnx.export"]
data = {}   # (model, tool) -> list of (ok, wall_s, rss_kib)
models = []
with open(raw) as f:
    for row in csv.DictReader(f, delimiter="\t"):
        if row["model"] not in models:
            models.append(row["model"])
        ok = row["status"] == "0"
        data.setdefault((row["model"], row["tool"]), []).append(
            (ok, float(row["wall_s"]), int(row["peak_rss_kib"])))

def medians(model, tool):
    """(median wall s, median peak RSS MiB, n_ok, n) over successful runs."""
    rows = data.get((model, tool), [])
    good = [r for r in rows if r[0]]
    if not good:
        return None, None, 0, len(rows)
    return (statistics.median(r[1] for r in good),
            statistics.median(r[2] for r in good) / 1024.0, len(good), len(rows))

header = ["model", "tool", "median wall (s)", "median peak RSS (MiB)",
          "time ratio (export / torch2onnx)", "memory ratio (torch2onnx / export)"]
table = []
for model in models:
    t_wall, t_rss, t_ok, t_n = medians(model, "torch2onnx")
    e_wall, e_rss, e_ok, e_n = medians(model, "torch.onnx.export")
    time_ratio = f"{e_wall / t_wall:.2f}x" if t_wall and e_wall else "-"
    mem_ratio = f"{t_rss / e_rss:.2f}x" if t_rss and e_rss else "-"
    for tool, wall, rss, ok, n in (("torch2onnx", t_wall, t_rss, t_ok, t_n),
                                   ("torch.onnx.export", e_wall, e_rss, e_ok, e_n)):
        fail = "" if ok == n else f" ({n - ok}/{n} failed)"
        table.append([model, tool,
                      (f"{wall:.2f}" if wall is not None else "FAIL") + fail,
                      f"{rss:.0f}" if rss is not None else "FAIL",
                      time_ratio if tool == "torch2onnx" else "",
                      mem_ratio if tool == "torch2onnx" else ""])

widths = [max(len(str(x)) for x in col) for col in zip(header, *table)]
def fmt(row):
    return "  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip()
print()
print(fmt(header))
print(fmt(["-" * w for w in widths]))
for row in table:
    print(fmt(row))

cpu = platform.processor() or platform.machine()
try:
    with open("/proc/cpuinfo") as f:
        cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
except (OSError, StopIteration):
    pass
with open(md_path, "w") as f:
    f.write("# torch2onnx vs torch.onnx.export\n\n")
    f.write(f"{time.strftime('%Y-%m-%d %H:%M')}, {runs} interleaved runs per tool, "
            f"medians of successful runs; whole-process wall time and peak RSS "
            f"(GNU time). CPU: {cpu}, {os.cpu_count()} cores.\n\n"
            f"torch2onnx: {tool_info}; torch {torch_version}.\n\n")
    f.write("| " + " | ".join(header) + " |\n")
    f.write("|" + "|".join(["---"] * 2 + ["---:"] * 4) + "|\n")
    for row in table:
        f.write("| " + " | ".join(str(x) for x in row) + " |\n")
print(f"\nwritten {md_path} (raw data: {raw})")
EOF
