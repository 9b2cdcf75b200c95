#!/usr/bin/python3
"""Baseline for scripts/bench.sh: convert a TorchScript file with PyTorch's
own exporter (torch.onnx.export, opset 17).

Takes the same arguments as torch2onnx, so a model's .args file can be used
for both tools:

    /usr/bin/python3 scripts/torch_export_baseline.py MODEL.pt -o OUT.onnx \\
        --input-shape 1,3,224,224 [--input-shape ...] [--input-dtype int64 ...]

As in torch2onnx, the i-th ``--input-dtype`` applies to the i-th
``--input-shape`` (default float32).  The example inputs are built from the
module's forward schema: a Tensor argument takes the next shape, a Tensor[]
argument a one-element list.  Dict(str, Tensor) arguments cannot be rebuilt (the keys are not
known), so models like mlp_nested are rejected with a clear message.
A forward returning a single-key dict (torchvision segmentation models) is
exported through a wrapper returning the dict's value, see
unwrap_dict_output().
"""

import argparse
import sys

import torch

DTYPES = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
    "int64": torch.int64, "int32": torch.int32, "int8": torch.int8,
    "uint8": torch.uint8, "bool": torch.bool,
}


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="TorchScript .pt file")
    ap.add_argument("-o", "--output", required=True, help="ONNX file to write")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--input-shape", action="append", default=[], dest="shapes",
                    help="comma-separated shape of the next tensor input")
    ap.add_argument("--input-dtype", action="append", default=[], dest="dtype_names",
                    choices=sorted(DTYPES),
                    help="dtype of the input at the same position (default float32)")
    args = ap.parse_args(argv)
    # Same convention as torch2onnx: the i-th --input-dtype belongs to the
    # i-th --input-shape; inputs without one are float32.
    if len(args.dtype_names) > len(args.shapes):
        ap.error("more --input-dtype than --input-shape")
    args.dtypes = [DTYPES[n] for n in args.dtype_names]
    args.dtypes += [torch.float32] * (len(args.shapes) - len(args.dtypes))
    return args


def make_tensor(shape, dtype):
    if dtype.is_floating_point:
        return torch.randn(*shape, dtype=dtype)
    if dtype == torch.bool:
        return torch.zeros(*shape, dtype=dtype)
    return torch.randint(0, 10, shape, dtype=dtype)


def build_inputs(module, tensors):
    """Arrange the flat tensors according to forward's argument types."""
    schema_args = module.forward.schema.arguments[1:]  # drop self
    it = iter(tensors)
    inputs = []
    try:
        for arg in schema_args:
            t = str(arg.type)
            if t == "Tensor":
                inputs.append(next(it))
            elif t in ("Tensor[]", "List[Tensor]"):
                inputs.append([next(it)])
            else:
                sys.exit(f"torch_export_baseline: unsupported forward argument "
                         f"'{arg.name}: {t}' (schema {module.forward.schema})")
    except StopIteration:
        sys.exit(f"torch_export_baseline: too few --input-shape for {module.forward.schema}")
    if next(it, None) is not None:
        sys.exit(f"torch_export_baseline: too many --input-shape for {module.forward.schema}")
    return tuple(inputs)


class _DictOutputUnwrapper(torch.nn.Module):
    """Returns value ``key`` of a single-key dict-returning module."""

    def __init__(self, inner: torch.nn.Module, key: str):
        super().__init__()
        self.inner = inner
        self.key = key

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x)[self.key]


def unwrap_dict_output(module):
    """torch.onnx.export (torch 1.13) cannot export a ScriptModule whose
    forward returns a dict (prim::DictConstruct is unsupported), e.g. the
    traced torchvision segmentation models.  For the common case of a
    single-tensor input and a single-key dict, export a scripted wrapper
    returning that value instead; after inlining and freezing the exporter
    folds the dict construct/lookup away, so the exported graph is the same
    as the model's.  The key is read from the graph's prim::DictConstruct."""
    returns = module.forward.schema.returns
    if len(returns) != 1 or not isinstance(returns[0].type, torch._C.DictType):
        return module
    g = module.graph.copy()
    torch._C._jit_pass_inline(g)
    ret = g.return_node().inputsAt(0).node()
    if ret.kind() != "prim::DictConstruct":
        sys.exit(f"torch_export_baseline: dict output not built by prim::DictConstruct ({ret.kind()})")
    keys = [v.toIValue() for v in list(ret.inputs())[0::2]]
    args = module.forward.schema.arguments[1:]
    if len(keys) != 1 or len(args) != 1 or str(args[0].type) != "Tensor":
        sys.exit(f"torch_export_baseline: unsupported dict-output model (keys {keys}, "
                 f"schema {module.forward.schema})")
    return torch.jit.script(_DictOutputUnwrapper(module, keys[0]))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    torch.manual_seed(0)
    module = torch.jit.load(args.model)
    module.eval()
    tensors = [make_tensor([int(d) for d in s.split(",")], dt)
               for s, dt in zip(args.shapes, args.dtypes)]
    inputs = build_inputs(module, tensors)
    torch.onnx.export(unwrap_dict_output(module), inputs, args.output,
                      opset_version=args.opset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
