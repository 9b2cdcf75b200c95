"""What native ONNX ops buy: node counts per opset and ONNX Runtime inference time.

Usage (scripts/bench.sh runs it):
    .venv/bin/python scripts/bench_opsets.py --tool BUILD/torch2onnx --runner tools/ort_runner/run.js
        --out DIR [--opsets 17,18,20,23] [--timed 17,23] [--repeat 20] [--time MODEL.pt2 ...] MODEL.pt2 ...

For every MODEL.pt2 it converts at each opset of --opsets and counts the ONNX nodes, and
the nodes of the ops that newer opsets added in place of compositions (Gelu, Attention,
RMSNormalization, GroupNormalization, Mish, ...). For each --time model it also converts
with --verify at the --timed opsets (which checks the model against PyTorch and writes an
input set) and times ONNX Runtime (onnxruntime-node, 2 threads): one warm-up run, then
--repeat runs, median. Prints markdown tables and writes them to DIR/opsets.md.
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys

import onnx

# ONNX ops that opsets 14..23 added and that torch2onnx writes where the opset has them.
NATIVE_OPS = ["HardSwish", "Mish", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "Col2Im", "Gelu",
              "AffineGrid", "GroupNormalization", "RMSNormalization", "Attention"]


def count_nodes(graph, counts):
    for node in graph.node:
        counts[node.op_type] += 1
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                count_nodes(attr.g, counts)
            for g in attr.graphs:
                count_nodes(g, counts)
    return counts


def convert(tool, model, opset, out_dir, verify):
    name = os.path.basename(model)[: -len(".pt2")]
    onnx_path = os.path.join(out_dir, f"{name}.{opset}.onnx")
    cmd = [tool, model, "-o", onnx_path, "--opset", str(opset), "--json"]
    if verify:
        cmd += ["--verify", "--artifacts-dir", os.path.join(out_dir, f"{name}.{opset}")]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench_opsets: {' '.join(cmd)} failed (exit {result.returncode}): "
                         f"{result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ''}")
    return onnx_path, json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tool", required=True)
    parser.add_argument("--runner", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--opsets", default="17,18,20,23")
    parser.add_argument("--timed", default="17,23")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--time", action="append", default=[], metavar="MODEL.pt2")
    parser.add_argument("models", nargs="*", metavar="MODEL.pt2")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    opsets = [int(x) for x in args.opsets.split(",")]
    timed = [int(x) for x in args.timed.split(",")]

    lines = ["| model | " + " | ".join(f"opset {o}" for o in opsets) + " | native ops at the last opset |",
             "|---|" + "---:|" * len(opsets) + "---|"]
    for model in args.models:
        name = os.path.basename(model)[: -len(".pt2")].replace(".archive", "")
        cells, last = [], None
        for opset in opsets:
            path, _ = convert(args.tool, model, opset, args.out, verify=False)
            counts = count_nodes(onnx.load(path, load_external_data=False).graph, collections.Counter())
            native = sum(counts[op] for op in NATIVE_OPS)
            cells.append(f"{sum(counts.values())}" + (f" ({native} native)" if native else ""))
            last = counts
            os.remove(path)
        used = ", ".join(f"{op} x{last[op]}" for op in NATIVE_OPS if last[op]) or "-"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {used} |")
        print(lines[-1], flush=True)

    timing = ["| model | opset | ONNX nodes | ORT median run (ms) | max abs diff vs PyTorch | speed-up vs first |",
              "|---|---:|---:|---:|---:|---:|"]
    for model in args.time:
        name = os.path.basename(model)[: -len(".pt2")]
        label = name.replace(".archive", "")
        first = None
        for opset in timed:
            path, summary = convert(args.tool, model, opset, args.out, verify=True)
            artifacts = os.path.join(args.out, f"{name}.{opset}")
            data = next(os.path.join(artifacts, d) for d in sorted(os.listdir(artifacts))
                        if d.endswith("_test_data_set_0"))
            run = subprocess.run(["node", args.runner, path, data, "--threads", "2", "--repeat", str(args.repeat)],
                                 capture_output=True, text=True, check=True)
            ms = json.loads(run.stdout)["run_ms"]
            first = first or ms
            diff = max((o.get("max_abs_diff", 0.0) for o in summary["verification"].get("outputs", [])), default=None)
            nodes = sum(count_nodes(onnx.load(path, load_external_data=False).graph, collections.Counter()).values())
            timing.append(f"| {label} | {opset} | {nodes} | {ms:.2f} | {diff if diff is None else f'{diff:.2e}'} | "
                          f"{first / ms:.2f}x |")
            print(timing[-1], flush=True)
            os.remove(path)

    text = ("Nodes per opset (the zoo as .pt2, node counts including subgraphs; 'native' counts the ops "
            "newer opsets added: " + ", ".join(NATIVE_OPS) + ")\n\n" + "\n".join(lines) + "\n")
    if args.time:
        text += (f"\nONNX Runtime inference (onnxruntime-node, 2 threads, median of {args.repeat} runs after a "
                 "warm-up; --verify checked each model against PyTorch)\n\n" + "\n".join(timing) + "\n")
    print("\n" + text)
    open(os.path.join(args.out, "opsets.md"), "w").write(text)


if __name__ == "__main__":
    sys.exit(main())
