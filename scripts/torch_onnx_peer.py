"""The peer of scripts/bench.sh: PyTorch's own exporter on the same model file.

    .venv/bin/python scripts/torch_onnx_peer.py --dynamo MODEL.pt2 -o OUT.onnx
    .venv/bin/python scripts/torch_onnx_peer.py --dynamo MODEL.pt -o OUT.onnx --input-shape ... [--input-dtype ...]
    .venv/bin/python scripts/torch_onnx_peer.py --dynamo MODEL.pt -o OUT.onnx --input-data X.npy ... [--input-dtype ...]
    .venv/bin/python scripts/torch_onnx_peer.py --legacy MODEL.pt -o OUT.onnx --input-shape ... [--input-dtype ...]

--dynamo: torch.onnx.export(..., dynamo=True) with onnxscript, at its default opset; from a
.pt2 the program loaded with torch.export.load, from a .pt the module loaded with
torch.jit.load. --legacy: torch.onnx.export(..., dynamo=False), the TorchScript-based
exporter, at opset 17. The example inputs of a .pt come from --input-shape/--input-dtype
(the i-th dtype belongs to the i-th shape, as in torch2onnx), random, or from --input-data
.npy files (float32 data converted to an --input-dtype such as bfloat16); a .pt2 carries its
own. Exits non-zero with PyTorch's error when the export fails.
"""
import argparse

import torch

DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
          "int64": torch.int64,
          "int32": torch.int32, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool}


def example_inputs(shapes, dtype_names):
    inputs = []
    for k, text in enumerate(shapes):
        shape = [int(d) for d in text.split(",")]
        dtype = DTYPES[dtype_names[k]] if k < len(dtype_names) else torch.float32
        if dtype.is_floating_point:
            inputs.append(torch.randn(shape, dtype=dtype))
        else:
            inputs.append(torch.randint(0, 100, shape, dtype=dtype))
    return tuple(inputs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dynamo", action="store_true")
    mode.add_argument("--legacy", action="store_true")
    ap.add_argument("model")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--input-shape", action="append", default=[], dest="shapes")
    ap.add_argument("--input-dtype", action="append", default=[], dest="dtypes")
    ap.add_argument("--input-data", action="append", default=[], dest="data")
    a = ap.parse_args()
    if a.model.endswith(".pt2"):
        if a.legacy:
            ap.error("the TorchScript-based exporter (dynamo=False) cannot take an ExportedProgram")
        program = torch.export.load(a.model)
        torch.onnx.export(program, dynamo=True).save(a.output)
        return
    module = torch.jit.load(a.model)
    if a.data:
        import numpy as np
        args = tuple(torch.from_numpy(np.load(path)) for path in a.data)
        args = tuple(x.to(DTYPES[a.dtypes[k]]) if k < len(a.dtypes) else x for k, x in enumerate(args))
    else:
        args = example_inputs(a.shapes, a.dtypes)
    if a.dynamo:
        torch.onnx.export(module, args, dynamo=True).save(a.output)
    else:
        torch.onnx.export(module, args, a.output, dynamo=False, opset_version=17)


if __name__ == "__main__":
    main()
