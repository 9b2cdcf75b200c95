#!/usr/bin/env bash
# Converts every model written by scripts/gen_traced_api.py with --verify (ONNX Runtime
# against libtorch on the saved inputs) and lists every one that fails.
#   traced_api_test.sh TOOL MODELS_DIR WORK
set -uo pipefail
tool=$1 dir=$2 work=$3
mkdir -p "$work"
failed=()
count=0
for pt in "$dir"/*.pt; do
  name=$(basename "$pt" .pt)
  args=()
  for npy in "$dir/$name".in*.npy; do args+=(--input-data "$npy"); done
  count=$((count + 1))
  if ! "$tool" "$pt" -o "$work/$name.onnx" "${args[@]}" --verify --artifacts-dir "$work/artifacts" -q \
      >"$work/$name.log" 2>&1; then
    failed+=("$name: $(grep -m1 -i 'error' "$work/$name.log")")
  fi
done
[[ $count -gt 0 ]] || { echo "no models in $dir"; exit 1; }
if [[ ${#failed[@]} -gt 0 ]]; then
  printf '%s\n' "${failed[@]}"
  echo "${#failed[@]} of $count traced API models failed"
  exit 1
fi
echo "all $count traced API models converted and verified"
