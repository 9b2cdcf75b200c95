#!/usr/bin/env bash
# The zoo report: the library models of the tests (transformers, timm) through torch2onnx and
# torch.onnx.export(dynamo=True) in the same run; see scripts/zoo_report.py for what is measured.
#   scripts/zoo_report.sh [--build-dir build] [--family hf|timm|all] [--models a,b] [--formats pt2,pt] [--no-peer]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ -x $root/.venv/bin/python ]] || { echo "zoo_report.sh: run scripts/setup.sh first" >&2; exit 1; }
/usr/bin/time -f "" true 2>/dev/null || { echo "zoo_report.sh: GNU time not found at /usr/bin/time" >&2; exit 1; }
exec "$root/.venv/bin/python" "$root/scripts/zoo_report.py" "$@"
