#!/usr/bin/env bash
# The dtype x rank sweep on PyTorch's OpInfo samples (scripts/gen_opinfo_sweep.py): a fixed
# eighth of the cases (every op and dtype is spread over the eight shards), each converted,
# checked, run in ONNX Runtime and compared with libtorch. Fails on an invalid model, a
# mismatch or a crash not listed in tests/e2e/opinfo_known_failures.txt.
#   opinfo_sweep_test.sh TOOL SOURCE_DIR WORK_DIR PYTHON [SHARD]
set -euo pipefail
tool=$1 src=$2 work=$3 py=$4 shard=${5:-0/8}
rm -rf "$work" && mkdir -p "$work"
"$py" "$src/scripts/gen_opinfo_sweep.py" --out "$work/cases" --samples 2 --shard "$shard"
"$py" "$src/scripts/gen_public_ops.py" --check "$src/core/translate/public_ops.inc" "$work/cases/manifest.jsonl"
"$py" "$src/scripts/opinfo_sweep.py" --cases "$work/cases" --tool "$tool" --jobs 2 --markdown "$work/sweep.md" \
  --results "$work/results.jsonl" --known "$src/tests/e2e/opinfo_known_failures.txt" --check
