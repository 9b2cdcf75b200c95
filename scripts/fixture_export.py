"""Writing one model as test fixtures in both formats (gen_hf_fixtures.py, gen_timm_fixtures.py).

For a module, its example inputs, torch.export dynamic shapes and the names of those dims:

    DIR/NAME.pt2        torch.export.export (non-strict), torch.export.save
    DIR/NAME.pt         torch.jit.trace of the same module, torch.jit.save
    DIR/NAME.in<K>.npy  the example inputs; DIR/NAME.out<K>.npy the eager outputs
    DIR/NAME.pt2.args   torch2onnx arguments for the .pt2: --verify-dims with the program's
                        own symbols at the other sizes given
    DIR/NAME.pt.args    the same for the .pt: --input-data, --dynamic-shapes naming the
                        dims, --verify-dims
"""
import argparse
import json
import os

import numpy as np
import torch


def program_symbols(program, dim_names):
    """Our dim names -> the symbols torch.export gave them (`batch` -> `s43`)."""
    placeholders = [n for n in program.graph.nodes if n.op == "placeholder"]
    user = [n for n in placeholders if n.name in program.graph_signature.user_inputs]
    symbols = {}
    for node, names in zip(user, dim_names):
        shape = node.meta["val"].shape
        for axis, dim in names.items():
            symbols.setdefault(dim, str(shape[int(axis)]))
    return symbols


def is_current(out, name):
    return all(os.path.exists(os.path.join(out, name + ext)) for ext in (".pt2", ".pt", ".pt.args"))


def numpy_of(t):
    return (t.float() if t.dtype == torch.bfloat16 else t).numpy()


def export_fixture(name, out, module, inputs, dynamic_shapes, dim_names, other):
    """Writes NAME.pt2, NAME.pt, NAME.in<K>.npy, NAME.out<K>.npy and the two .args files
    (see the module docstring); returns the eager outputs."""
    module.eval()
    with torch.no_grad():
        expected = module(*inputs)
        program = torch.export.export(module, inputs, dynamic_shapes=dynamic_shapes, strict=False)
        torch.export.save(program, os.path.join(out, name + ".pt2"))
        traced = torch.jit.trace(module, inputs, strict=False, check_trace=False)
        torch.jit.save(traced, os.path.join(out, name + ".pt"))
    outputs = expected if isinstance(expected, tuple) else (expected,)
    scale = float(outputs[0].abs().max())
    assert scale > 1e-2, f"{name}: output ~0 (max |out| {scale})"
    # .npy has no bfloat16: such tensors are saved as float32 (exactly), and the .pt gets
    # --input-dtype for every input so that torch2onnx converts them back.
    inputs_args, dtype_args = [], []
    for k, x in enumerate(inputs):
        path = os.path.join(out, f"{name}.in{k}.npy")
        np.save(path, numpy_of(x))
        inputs_args += ["--input-data", path]
        dtype_args += ["--input-dtype", str(x.dtype).removeprefix("torch.")]
    if any(x.dtype == torch.bfloat16 for x in inputs):
        inputs_args += dtype_args
    for k, y in enumerate(outputs):
        np.save(os.path.join(out, f"{name}.out{k}.npy"), numpy_of(y))
    symbols = program_symbols(program, dim_names)
    pt2_runs, pt_runs = [], []
    for sizes in other:
        pt2_runs += ["--verify-dims", ",".join(f"{symbols[d]}={size}" for d, size in sizes.items())]
        pt_runs += ["--verify-dims", ",".join(f"{d}={size}" for d, size in sizes.items())]
    with open(os.path.join(out, name + ".pt2.args"), "w") as f:
        f.write(" ".join(pt2_runs) + "\n")
    with open(os.path.join(out, name + ".pt.args"), "w") as f:
        f.write(" ".join(inputs_args + ["--dynamic-shapes", json.dumps(dim_names, separators=(",", ":"))] + pt_runs)
                + "\n")
    print(f"{name}: {tuple(outputs[0].shape)}, max |out| {scale:.3g}; .pt2 dims {symbols}")
    return outputs


def fixture_main(description, models, write_one, argv=None):
    """The generators' command line: --out DIR [--force] [NAME ...] (or --list); `write_one(name, out)`
    writes one model (seeded), skipped when its files exist unless --force."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--list", action="store_true", help="print the model names and exit")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"default: all of {' '.join(models)}")
    args = parser.parse_args(argv)
    if args.list:
        print(" ".join(models))
        return
    if not args.out:
        parser.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    for name in args.names or models:
        if not args.force and is_current(args.out, name):
            print(f"{name}: kept")
            continue
        torch.manual_seed(0)
        write_one(name, args.out)
