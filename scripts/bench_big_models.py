#!/usr/bin/env python3
"""Big models: how torch2onnx's time and memory grow with the weights, past the 2 GB
protobuf limit (README, "Big models"). Not a test: it writes several GB.

    .venv/bin/python scripts/bench_big_models.py [--sizes 0.5,1,2.3] [--work DIR] [--tool build/torch2onnx]

For each size (GB of float32 weights) it exports a wide MLP (8192x8192 layers) with
torch.export, converts it with the tool (external data is chosen automatically above
2 GB), measures the tool's wall time and peak RSS with GNU time, runs the Python ONNX
checker (full check, by path) on the result, and runs the model in ONNX Runtime from
another working directory than the model's, comparing with PyTorch's output. Prints a
markdown table; peak RSS must stay below 1.5x the weight bytes (with --verify: for models
above 2 GB, where libtorch's own half a gigabyte no longer dominates).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTH = 8192
LAYER_BYTES = WIDTH * WIDTH * 4 + WIDTH * 4


def export(size_gb, path):
    layers = max(1, round(size_gb * 1e9 / LAYER_BYTES))
    torch.manual_seed(0)
    blocks = []
    for _ in range(layers):
        linear = nn.Linear(WIDTH, WIDTH)
        nn.init.normal_(linear.weight, std=1.0 / WIDTH**0.5)
        blocks += [linear, nn.Tanh()]
    model = nn.Sequential(*blocks).eval()
    x = torch.randn(2, WIDTH)
    with torch.no_grad():
        expected = model(x).numpy()
    torch.export.save(torch.export.export(model, (x,)), path)
    return layers, x.numpy(), expected


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0.5,1,2.3")
    parser.add_argument("--work", default=os.path.join(ROOT, "build", "bench-big"))
    parser.add_argument("--tool", default=os.path.join(ROOT, "build", "torch2onnx"))
    a = parser.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rows = []
    for size in [float(s) for s in a.sizes.split(",")]:
        model_path = os.path.join(a.work, f"wide_{size}.pt2")
        layers, x, expected = export(size, model_path)
        weight_bytes = layers * LAYER_BYTES
        out_dir = os.path.join(a.work, f"out_{size}")
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(out_dir)
        onnx_path = os.path.join(out_dir, "wide.onnx")
        # With --verify too: the libtorch reference run touches every weight page of the
        # mapped file (resident, so counted in RSS) and ONNX Runtime runs in a child process.
        verify_dir = os.path.join(a.work, "verify")
        os.makedirs(verify_dir, exist_ok=True)
        start = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", a.tool, model_path, "-o", os.path.join(verify_dir, "wide.onnx"),
                            "-q", "--verify", "--artifacts-dir", verify_dir], capture_output=True, text=True)
        verify_seconds = time.monotonic() - start
        if p.returncode != 0:
            sys.exit(f"conversion of {size} GB with --verify failed: {p.stderr}")
        verify_peak_kb = int(p.stderr.strip().splitlines()[-1])
        shutil.rmtree(verify_dir)
        start = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", a.tool, model_path, "-o", onnx_path, "-q"],
                           capture_output=True, text=True)
        seconds = time.monotonic() - start
        if p.returncode != 0:
            sys.exit(f"conversion of {size} GB failed: {p.stderr}")
        peak_kb = int(p.stderr.strip().splitlines()[-1])
        external = os.path.exists(onnx_path + ".data")
        onnx.checker.check_model(onnx_path, full_check=True)
        # ONNX Runtime from another directory: the external data is found next to the model.
        with tempfile.TemporaryDirectory() as elsewhere:
            data_dir = os.path.join(elsewhere, "io")
            os.makedirs(data_dir)
            tensor = onnx.numpy_helper.from_array(x.astype(np.float32), "input_0")
            open(os.path.join(data_dir, "input_0.pb"), "wb").write(tensor.SerializeToString())
            r = subprocess.run(["node", os.path.join(ROOT, "tools/ort_runner/run.js"), onnx_path, data_dir],
                               cwd=elsewhere, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"ONNX Runtime failed on {size} GB: {r.stderr}")
            ort_ms = json.loads(r.stdout.strip().splitlines()[-1])["load_ms"]
            got = onnx.numpy_helper.to_array(onnx.load_tensor(os.path.join(data_dir, "output_0.pb")))
        diff = float(np.abs(got - expected).max())
        assert diff < 1e-3, (size, diff)
        ratio = peak_kb * 1024 / weight_bytes
        verify_ratio = verify_peak_kb * 1024 / weight_bytes
        rows.append((size, layers, weight_bytes, external, seconds, peak_kb, ratio, ort_ms, diff, verify_seconds,
                     verify_peak_kb, verify_ratio))
        print(f"{size} GB: {layers} layers, {seconds:.1f} s, peak RSS {peak_kb / 1024:.0f} MiB "
              f"({ratio:.2f}x the weights), external data {external}, ORT load {ort_ms:.0f} ms, max diff {diff:.2e}; with --verify {verify_seconds:.1f} s, "
              f"peak RSS {verify_peak_kb / 1024:.0f} MiB ({verify_ratio:.2f}x)",
              flush=True)
        os.remove(model_path)
        shutil.rmtree(out_dir)
    print("\n| weights | layers | external data | convert (s) | peak RSS | RSS / weights | with --verify (s) | "
          "peak RSS | RSS / weights | ORT load (ms) | max abs diff |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, layers, wb, ext, s, kb, ratio, ort_ms, diff, vs, vkb, vratio in rows:
        print(f"| {wb / 2**30:.2f} GiB | {layers} | {'yes' if ext else 'no'} | {s:.1f} | {kb / 1024:.0f} MiB | "
              f"{ratio:.2f} | {vs:.1f} | {vkb / 1024:.0f} MiB | {vratio:.2f} | {ort_ms:.0f} | {diff:.1e} |")
    # With --verify, libtorch itself (about 0.4 GB resident) dominates small models.
    assert all(r[6] < 1.5 and (r[2] < 2**31 or r[11] < 1.5) for r in rows), "peak RSS above 1.5x the weight bytes"


if __name__ == "__main__":
    main()
