#!/usr/bin/env bash
# Converts MODELS_DIR/NAME.pt with the arguments in NAME.args, verifies against libtorch in
# ONNX Runtime and checks the written model with the ONNX checker (full check) from Python.
set -euo pipefail
#   convert_verify.sh TOOL MODELS_DIR NAME [WORK_DIR]   (default WORK_DIR: MODELS_DIR/out)
tool=$1 dir=$2 name=$3
out=${4:-$dir/out}/$name
mkdir -p "$out"
# Example inputs: NAME.in<K>.npy where the fixture script wrote them (values that matter),
# else random ones of the shapes in NAME.args.
inputs=()
for npy in "$dir/$name".in*.npy; do [[ -e $npy ]] && inputs+=(--input-data "$npy"); done
# shellcheck disable=SC2046
[[ ${#inputs[@]} -gt 0 ]] || read -r -a inputs <"$dir/$name.args"
"$tool" "$dir/$name.pt" -o "$out/$name.onnx" "${inputs[@]}" --verify --artifacts-dir "$out"
"${T2O_PYTHON:?set by CTest}" -c "import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True)" "$out/$name.onnx"
# Scripted models with data-dependent control flow: verify every branch input shipped.
for npy in "$dir/${name}"_*.npy; do
  [[ -e $npy ]] || continue
  "$tool" "$dir/$name.pt" -o "$out/$name.$(basename "$npy" .npy).onnx" --input-data "$npy" --verify --artifacts-dir "$out"
done
