#!/usr/bin/env bash
# Sets up, then converts the shipped sample model, verifies it against ONNX Runtime and
# writes a markdown report into artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p artifacts
build/torch2onnx samples/mlp_nested.pt -o artifacts/mlp_nested.onnx \
  --input-shape 97,8 --input-shape 97,8 --input-shape 97,8 \
  --input-names tensor_x,tensor_y,tensor_z \
  --dynamic-shapes '[{"0": "batch_size"}, {"tensor_x": {"0": "batch_size"}}, [{"0": "batch_size"}]]' \
  --verify --verify-dims batch_size=3 --report --artifacts-dir artifacts
# The same model as a torch.export ExportedProgram (.pt2): its batch dim s0 named batch_size.
build/torch2onnx samples/mlp_nested.pt2 -o artifacts/mlp_nested_pt2.onnx \
  --dynamic-shapes '[{"0": "batch_size"}, {"tensor_x": {"0": "batch_size"}}, [{"0": "batch_size"}]]' \
  --verify --verify-dims batch_size=3 --report --artifacts-dir artifacts
