#!/usr/bin/env bash
# Converts MODELS_DIR/NAME.pt with the arguments in NAME.args, verifies against libtorch in
# ONNX Runtime and checks the written model with the ONNX checker (full check) from Python.
set -euo pipefail
#   convert_verify.sh TOOL MODELS_DIR NAME[@OPSETS] [WORK_DIR]   (default WORK_DIR: MODELS_DIR/out)
# OPSETS: `forms` (the first and last opset of every form of the model's ops, from inspect)
# or a comma-separated list; without it the model converts at the default opset.
tool=$1 dir=$2 name=${3%@*} which=
[[ $3 == *@* ]] && which=${3#*@}
out=${4:-$dir/out}/$name
mkdir -p "$out"
# Example inputs: NAME.in<K>.npy where the fixture script wrote them (values that matter),
# else random ones of the shapes in NAME.args.
inputs=()
for npy in "$dir/$name".in*.npy; do [[ -e $npy ]] && inputs+=(--input-data "$npy"); done
# shellcheck disable=SC2046
[[ ${#inputs[@]} -gt 0 ]] || read -r -a inputs <"$dir/$name.args"
py=${T2O_PYTHON:?set by CTest}
# shellcheck source=tests/e2e/common.sh
source "$(dirname "$0")/common.sh"
delete_models_on_success "$out"
"$tool" "$dir/$name.pt" -o "$out/$name.onnx" "${inputs[@]}" --verify --artifacts-dir "$out"
$py -c "import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True)" "$out/$name.onnx"
# Where the fixture script saved eager outputs (models calling operators the tool's libtorch
# re-implements, torchvision::nms and roi_align): ONNX Runtime must match those too.
[[ ! -e $dir/$name.out0.npy ]] || compare_eager "$out/${name}_test_data_set_0" "$dir/$name"
opsets=
if [[ $which == forms ]]; then
  opsets=$("$tool" inspect "$dir/$name.pt" "${inputs[@]}" --json |
           $py -c "import json, sys; print(' '.join(map(str, json.load(sys.stdin)['form_boundary_opsets'])))")
  [[ -n $opsets ]] || { echo "no opset to convert $name at"; exit 1; }
elif [[ -n $which ]]; then
  opsets=${which//,/ }
fi
for opset in $opsets; do
  echo "== $name at opset $opset"
  "$tool" "$dir/$name.pt" -o "$out/${name}_$opset.onnx" "${inputs[@]}" --opset "$opset" --verify \
    --artifacts-dir "$out/$opset"
  $py -c "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True)
assert m.opset_import[0].version == int(sys.argv[2]), m.opset_import[0].version" "$out/${name}_$opset.onnx" "$opset"
done
# Scripted models with data-dependent control flow: verify every branch input shipped.
for npy in "$dir/${name}"_*.npy; do
  [[ -e $npy ]] || continue
  "$tool" "$dir/$name.pt" -o "$out/$name.$(basename "$npy" .npy).onnx" --input-data "$npy" --verify --artifacts-dir "$out"
done
