#!/usr/bin/env bash
# Library models from both formats: Hugging Face transformers (scripts/gen_hf_fixtures.py)
# and timm (scripts/gen_timm_fixtures.py).
#   hf_test.sh TOOL FIXTURES WORK NAME.FORMAT     (FORMAT: pt2 or pt)
# Converts at the default opset and at 23 (ONNX Attention; bfloat16 models at 22 and 23),
# each with --verify at the export size and at another batch (and sequence length)
# (NAME.FORMAT.args), runs the ONNX
# checker and compares ONNX Runtime's outputs with the eager PyTorch outputs the fixture
# script saved. A decoder step (`*_kv`) also generates 16 tokens greedily in ONNX Runtime,
# which must equal PyTorch's (tests/e2e/generate_check.py).
set -euo pipefail
tool=$1 dir=$2 work=$3 case=$4
name=${case%.*} format=${case##*.}
out=$work/$case
mkdir -p "$out"
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}
# check_model, compare_eager
# shellcheck source=tests/e2e/common.sh
source "$(dirname "$0")/common.sh"
delete_models_on_success "$out"

read -r -a args <"$dir/$name.$format.args"
opsets=(default 23)
if [[ $name == *_bf16 ]]; then
  # Conv takes bfloat16 from opset 22: at the default opset a bfloat16 model either
  # converts or is refused with an error naming the opset that can.
  rc=0
  "$tool" "$dir/$name.$format" -o "$out/${name}_default.onnx" "${args[@]}" --verify 2>"$out/default.err" || rc=$?
  if [[ $rc -ne 0 ]]; then
    [[ $rc -eq 4 ]] && grep -q "only from opset 22 .*convert with --opset 22" "$out/default.err" ||
      { echo "unexpected failure at the default opset (exit $rc):"; cat "$out/default.err"; exit 1; }
    echo "ok at the default opset: $(head -2 "$out/default.err" | tail -1)"
  fi
  opsets=(22 23)
fi
# Half-precision models keep their dtype: outputs and nearly all weight bytes.
keeps_dtype() {  # ONNX_FILE
  [[ $name == *_fp16 || $name == *_bf16 ]] || return 0
  $py - "$1" "${name##*_}" <<'PY'
import sys, onnx
from onnx import TensorProto
m = onnx.load(sys.argv[1])
want = {"fp16": TensorProto.FLOAT16, "bf16": TensorProto.BFLOAT16}[sys.argv[2]]
out = m.graph.output[0].type.tensor_type.elem_type
assert out == want, f"output dtype {TensorProto.DataType.Name(out)}, expected {TensorProto.DataType.Name(want)}"
sizes = {}
for t in m.graph.initializer:
    sizes[t.data_type] = sizes.get(t.data_type, 0) + len(t.raw_data)
share = sizes.get(want, 0) / max(1, sum(sizes.values()))
assert share > 0.9, f"only {share:.0%} of the weight bytes are {TensorProto.DataType.Name(want)}"
print(f"dtype kept: output {TensorProto.DataType.Name(want)}, {share:.1%} of the weight bytes")
PY
}
for opset in "${opsets[@]}"; do
  opset_args=()
  [[ $opset == default ]] || opset_args=(--opset "$opset")
  echo "== $name.$format at opset $opset"
  "$tool" "$dir/$name.$format" -o "$out/${name}_$opset.onnx" "${args[@]}" "${opset_args[@]}" --verify \
    --artifacts-dir "$out/$opset"
  check_model "$out/${name}_$opset.onnx"
  keeps_dtype "$out/${name}_$opset.onnx"
  compare_eager "$out/$opset/${name}_${opset}_test_data_set_0" "$dir/$name"
  if [[ -f $dir/$name.generate.json ]]; then
    $py "$(dirname "$0")/generate_check.py" "$out/${name}_$opset.onnx" "$dir/$name.generate.json"
  fi
done
