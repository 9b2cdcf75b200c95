"""Runs the Python ONNX checker (full check: checker + strict shape inference) on every
.onnx file under the given directories; the C++ tool checks each model with the ONNX C++
library of the same version when it writes it, this checks them again from Python.

    .venv/bin/python scripts/check_onnx_models.py DIR...
"""
import os
import sys

import onnx


def main():
    paths = sorted(os.path.join(root, f) for d in sys.argv[1:] for root, _, files in os.walk(d)
                   for f in files if f.endswith(".onnx"))
    if not paths:
        sys.exit(f"no .onnx files under {' '.join(sys.argv[1:])}")
    failed = []
    for path in paths:
        try:
            onnx.checker.check_model(path, full_check=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported
            failed.append(f"{path}: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
    print(f"onnx {onnx.__version__}: {len(paths) - len(failed)} of {len(paths)} models pass the full check")
    for line in failed:
        print("  FAIL", line)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
