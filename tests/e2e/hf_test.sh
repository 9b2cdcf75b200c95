#!/usr/bin/env bash
# Library models from both formats: Hugging Face transformers (scripts/gen_hf_fixtures.py)
# and timm (scripts/gen_timm_fixtures.py).
#   hf_test.sh TOOL FIXTURES WORK NAME.FORMAT     (FORMAT: pt2 or pt)
# Converts at the default opset and at 23 (ONNX Attention), each with --verify at the
# export size and at another batch (and sequence length) (NAME.FORMAT.args), runs the ONNX
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

read -r -a args <"$dir/$name.$format.args"
for opset in default 23; do
  opset_args=()
  [[ $opset == default ]] || opset_args=(--opset "$opset")
  echo "== $name.$format at opset $opset"
  "$tool" "$dir/$name.$format" -o "$out/${name}_$opset.onnx" "${args[@]}" "${opset_args[@]}" --verify \
    --artifacts-dir "$out/$opset"
  check_model "$out/${name}_$opset.onnx"
  compare_eager "$out/$opset/${name}_${opset}_test_data_set_0" "$dir/$name"
  if [[ -f $dir/$name.generate.json ]]; then
    $py "$(dirname "$0")/generate_check.py" "$out/${name}_$opset.onnx" "$dir/$name.generate.json"
  fi
done
