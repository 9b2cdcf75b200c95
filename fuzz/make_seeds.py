#!/usr/bin/env python3
"""Seed corpora for the fuzz targets (scripts/fuzz.sh): small valid inputs of each format,
made with torch, numpy and onnx of .venv, plus the committed samples.

    make_seeds.py ROOT OUT   writes OUT/<target>/<seed>
"""
import io
import os
import sys
import zipfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn

root, out = sys.argv[1:]


def seed(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


torch.manual_seed(0)
mlp = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)).eval()
x = torch.randn(2, 4)
ep = torch.export.export(mlp, (x,))
buf = io.BytesIO()
torch.export.save(ep, buf)
seed("pt2", "mlp_archive.pt2", buf.getvalue())
seed("zip", "mlp_archive.pt2", buf.getvalue())
batch = torch.export.Dim("batch", min=1, max=64)
dyn = torch.export.export(mlp, (x,), dynamic_shapes=({0: batch},))
buf = io.BytesIO()
torch.export.save(dyn, buf)
seed("pt2", "mlp_dynamic.pt2", buf.getvalue())

sys.path.insert(0, os.path.join(root, "scripts"))
from gen_pt2_fixtures import write_flat  # noqa: E402  (the flat layout, as the .pt2 tests write it)
from torch._export.serde.serialize import serialize  # noqa: E402
artifact = serialize(ep)
flat_path = os.path.join(out, "mlp_flat.pt2.tmp")
write_flat(ep, flat_path)
buf = io.BytesIO(open(flat_path, "rb").read())
os.remove(flat_path)
seed("pt2", "mlp_flat.pt2", buf.getvalue())
seed("pickle", "state_dict.pt", artifact.state_dict)
seed("pickle", "example_inputs.pt", artifact.example_inputs)

for name, obj in (("mixed", {"a": torch.arange(6, dtype=torch.int64).reshape(2, 3), "b": [1, 2.5, "s", None, True],
                             "c": (torch.ones(3, dtype=torch.float16), torch.zeros(2, 2).t())}),
                  ("bool_bf16", [torch.tensor([True, False]), torch.randn(3).bfloat16(), torch.randn(2, dtype=torch.complex64)])):
    buf = io.BytesIO()
    torch.save(obj, buf)
    seed("pickle", name + ".pt", buf.getvalue())
    seed("zip", name + ".pt", buf.getvalue())

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("a/data.pkl", b"\x80\x02}q\x00." * 20)
    z.writestr("a/b.json", b'{"x": [1, 2, 3]}' * 50)
seed("zip", "deflated.zip", buf.getvalue())
for sample in ("mlp.pt", "control_flow.pt"):
    path = os.path.join(root, "samples", sample)
    if os.path.exists(path) and os.path.getsize(path) < 200_000:
        seed("zip", sample, open(path, "rb").read())

for k, text in enumerate(["Mul(Integer(2), Symbol('s0', integer=True, positive=True))", "2*s0", "s0 + s1",
                          "Add(Symbol('s0', integer=True, positive=True), Integer(-1))", "FloorDiv(s0, 2)",
                          "Mod(Symbol('s1', integer=True), Integer(8))", "s0", "Symbol('s77', integer=True)",
                          "Max(1, s0)", "-s0 + 4"]):
    seed("sym_expr", f"expr{k}", text)

for k, text in enumerate(['[{"shape": [97, 8]}]', '[{"shape": [2, 3], "dtype": "int64"}, {"k": {"shape": "4,5"}}]',
                          '[[{"shape": [1]}, {"shape": [2]}], null, {"npy": "x.npy"}]', '["2,3", "scalar"]']):
    seed("input_spec", f"spec{k}", "\x00" + text)
for k, text in enumerate(['[{"0": "batch"}, {"0": "batch", "2": {"name": "h", "min": 1, "max": 64}}]',
                          '{"x": {"0": "b"}, "y": null}', '[null, {"1": "n"}]']):
    seed("input_spec", f"shapes{k}", "\x01" + text)
for k, text in enumerate(['{"x": {"0": "batch"}, "y": [0, 1]}', '{"input": [0], "output": {"1": "seq"}}']):
    seed("input_spec", f"axes{k}", "\x02" + text)

for k, array in enumerate([np.arange(12, dtype=np.float32).reshape(3, 4), np.array([1, 2, 3], dtype=np.int64),
                           np.array(True), np.zeros((2, 0, 3), dtype=np.float16), np.ones((2, 2), dtype=np.uint8)]):
    buf = io.BytesIO()
    np.save(buf, array)
    seed("npy", f"array{k}.npy", buf.getvalue())
    seed("tensor_pb", f"tensor{k}.pb", numpy_helper.from_array(array, name=f"t{k}").SerializeToString())
seed("tensor_pb", "int32_data.pb", onnx.helper.make_tensor("i", onnx.TensorProto.INT32, [3], [1, 2, 3]).SerializeToString())
