"""Generate ExportedProgram (.pt2) test fixtures with torch.export.

Usage:  .venv/bin/python scripts/gen_pt2_fixtures.py --out DIR [--force] [NAME ...]
(torchvision models: .venv-torchvision/bin/python, see requirements/).

Every program is made by torch.export.export (strict or non-strict, as each fixture says;
dynamic dims through torch.export.Dim or Dim.AUTO; torch.cond for control flow), optionally
decomposed to core ATen with run_decompositions(), and written as

    DIR/NAME.archive.pt2  by torch.export.save: the pt2 archive layout of torch >= 2.8
    DIR/NAME.flat.pt2     (where the fixture asks for it) the flat zip layout of torch <= 2.7:
                          torch >= 2.8 cannot write it any more, so the artifact of
                          torch._export.serde.serialize.serialize() (the program JSON, the
                          torch.save'd state dict, constants and example inputs: what
                          torch.export.save wrote into that zip up to 2.7) is put into
                          serialized_exported_program.json, serialized_state_dict.pt,
                          serialized_constants.pt, serialized_example_inputs.pt and
                          version, as torch/export/__init__.py save() of 2.7 did
    DIR/NAME.out<K>.npy   eager PyTorch outputs on the example inputs (flattened)
    DIR/NAME.in<K>.npy    the example inputs (flattened; also stored in the files)
    DIR/NAME.symbols.json the program's symbol for each named Dim ({"batch": "s18"}):
                          torch.export picks the symbol names, tests look them up here

plus deliberately broken files DIR/bad_*.pt2 for the error tests (made from mlp).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn as nn
import torch.utils._pytree as pytree
from torch.export import Dim

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_models  # noqa: E402  (the same models as the TorchScript fixtures)
import pt2_op_models  # noqa: E402  (one model per operator family)


# ---------------------------------------------------------------------------
# Models that only the .pt2 fixtures use
# ---------------------------------------------------------------------------

class CondModel(nn.Module):
    """torch.cond on a data-dependent predicate; the branches use the module's weights."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.fc_neg = nn.Linear(8, 8)

    def forward(self, x):
        def positive(x):
            return torch.relu(self.fc(x))

        def negative(x):
            return torch.sigmoid(self.fc_neg(x)) * 2.0 - x

        return torch.cond(x.sum() > 0, positive, negative, (x,)) + 1.0

    def eager(self, x):
        with torch.no_grad():
            return (torch.relu(self.fc(x)) if bool(x.sum() > 0) else torch.sigmoid(self.fc_neg(x)) * 2.0 - x) + 1.0


class ShapeArithModel(nn.Module):
    """Sizes in arithmetic and in view/reshape/expand/new_ones, x: [B, 6, 4]."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(24, 16)
        self.bias = nn.Parameter(torch.randn(1, 2, 8))

    def forward(self, x):
        b = x.size(0)
        n = x.shape[1] * x.shape[2]
        y = self.fc(x.view(b, n))
        z = y.reshape(b * 2, -1)
        e = self.bias.expand(b, 2, 8).reshape(b * 2, 8)
        return torch.sigmoid(z + e), z.new_ones(b // 2 + 1, 3) * 2.5


def build_resnet18_features():
    """resnet18 without its pooling and classifier: fully convolutional."""
    model, args = gen_models.make_tv_classifier("resnet18")()
    return nn.Sequential(*list(model.children())[:-2]).eval(), args


def batch_of(n, build):
    """The model with its example inputs re-drawn at batch n (a batch of 1 would make
    torch.export specialize a dynamic batch to 1)."""
    def wrapped():
        model, args = build()
        gen = torch.Generator().manual_seed(2)
        args = pytree.tree_map(lambda t: torch.randn((n,) + tuple(t.shape[1:]), generator=gen).to(t.dtype), args)
        return model, args
    return wrapped


# ---------------------------------------------------------------------------
# Fixture list
# ---------------------------------------------------------------------------

@dataclass
class Fixture:
    build: Callable                   # () -> (module in eval mode, example args tuple)
    dynamic: Optional[Callable] = None  # (args) -> dynamic_shapes for torch.export.export
    strict: bool = False              # torch.export's default is non-strict
    decompose: bool = False           # run_decompositions(): core ATen only
    flat: bool = False                # also write the flat (torch <= 2.7) layout
    random: bool = False              # random ops: no eager outputs to compare (other values by design)
    notes: list = field(default_factory=list)


def batch_dims(args):
    """One symbol `batch` shared by dim 0 of every tensor input."""
    batch = Dim("batch")
    return pytree.tree_map(lambda t: {0: batch}, args)


FIXTURES = {
    # The seed MLPs: strict and non-strict, static and dynamic batch.
    "mlp": Fixture(gen_models.build_mlp, strict=True, flat=True),
    "mlp_nested": Fixture(gen_models.build_mlp_nested, flat=True),
    "mlp_dyn": Fixture(gen_models.build_mlp, batch_dims, flat=True),
    "mlp_nested_dyn": Fixture(gen_models.build_mlp_nested, batch_dims, strict=True, flat=True),
    # Dim.AUTO: torch.export finds that dim 0 is dynamic itself.
    "shape_arith_dyn": Fixture(lambda: (ShapeArithModel().eval(), (torch.randn(6, 6, 4),)),
                               lambda args: ({0: Dim.AUTO},), decompose=True),
    "cond": Fixture(lambda: (CondModel().eval(), (torch.randn(4, 8),)), strict=True, flat=True),
    # Random ops, as exported and decomposed (compared by shape, dtype and range).
    "ops_random": Fixture(pt2_op_models.build_random, random=True),
    "ops_random_core": Fixture(pt2_op_models.build_random, random=True, decompose=True),
    # Stride and storage-offset queries torch.export leaves as nodes on inputs with dynamic dims.
    "ops_core_symbolic_dyn": Fixture(pt2_op_models.build_core_symbolic, pt2_op_models.core_symbolic_dims,
                                     decompose=True),
    # torchvision (fixture environment): static, and with a dynamic batch or height/width.
    "resnet18": Fixture(gen_models.make_tv_classifier("resnet18"), flat=True),
    "mobilenet_v2": Fixture(gen_models.make_tv_classifier("mobilenet_v2"), decompose=True),
    "vit_b_16": Fixture(gen_models.make_tv_classifier("vit_b_16")),
    "resnet18_dyn": Fixture(batch_of(2, gen_models.make_tv_classifier("resnet18")), batch_dims),
    "mobilenet_v2_dyn": Fixture(batch_of(2, gen_models.make_tv_classifier("mobilenet_v2")), batch_dims,
                                decompose=True),
    "vit_b_16_dyn": Fixture(batch_of(2, gen_models.make_tv_classifier("vit_b_16")), batch_dims),
    "swin_t_dyn": Fixture(batch_of(2, gen_models.make_tv_classifier("swin_t")), batch_dims),
    # The rest of the torchvision zoo (the TorchScript e2e models), as users export them.
    "resnet50": Fixture(gen_models.make_tv_classifier("resnet50"), strict=True),
    "mobilenet_v3_small": Fixture(gen_models.make_tv_classifier("mobilenet_v3_small")),
    "efficientnet_b0": Fixture(gen_models.make_tv_classifier("efficientnet_b0"), decompose=True),
    "squeezenet1_1": Fixture(gen_models.make_tv_classifier("squeezenet1_1")),
    "shufflenet_v2_x1_0": Fixture(gen_models.make_tv_classifier("shufflenet_v2_x1_0")),
    "densenet121": Fixture(gen_models.make_tv_classifier("densenet121")),
    "regnet_y_400mf": Fixture(gen_models.make_tv_classifier("regnet_y_400mf")),
    "convnext_tiny": Fixture(gen_models.make_tv_classifier("convnext_tiny"), decompose=True),
    "swin_t": Fixture(gen_models.make_tv_classifier("swin_t")),
    "deeplabv3_mobilenet_v3_large": Fixture(gen_models.make_tv_segmentation("deeplabv3_mobilenet_v3_large")),
    "lraspp_mobilenet_v3_large": Fixture(gen_models.make_tv_segmentation("lraspp_mobilenet_v3_large")),
    "r3d_18": Fixture(gen_models.make_tv_video("r3d_18")),
    "raft_small": Fixture(gen_models.build_raft_small),
    "resnet18_features_dyn_hw": Fixture(
        build_resnet18_features,
        lambda args: ({2: Dim("height", min=64, max=1024), 3: Dim("width", min=64, max=1024)},)),
    # One model per operator family (pt2_op_models.py): as torch.export.export leaves it
    # (both layouts), and decomposed to core ATen (ops_*_core).
    **{name: Fixture(build, flat=True) for name, (build, _) in pt2_op_models.OP_MODELS.items()},
    # Not ops_attention: torch 2.13's decomposition of _scaled_dot_product_flash_attention_for_cpu
    # returns a logsumexp of shape [B, H, L, S] instead of [B, H, L] (the eager op's).
    **{f"{name}_core": Fixture(build, decompose=True) for name, (build, _) in pt2_op_models.OP_MODELS.items()
       if name != "ops_attention"},
}


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def atomic(path, write):
    """write(tmp) into a private directory under the final basename (torch.export.save
    names the archive's root folder after the file), then rename into place."""
    tmp_dir = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(path))
    try:
        tmp = os.path.join(tmp_dir, os.path.basename(path))
        write(tmp)
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


def write_flat(ep, path):
    from torch._export.serde.schema import SCHEMA_VERSION
    from torch._export.serde.serialize import serialize
    artifact = serialize(ep)

    def write(tmp):
        with zipfile.ZipFile(tmp, "w") as z:
            z.writestr("serialized_exported_program.json", artifact.exported_program)
            z.writestr("serialized_state_dict.pt", artifact.state_dict)
            z.writestr("serialized_constants.pt", artifact.constants)
            z.writestr("serialized_example_inputs.pt", artifact.example_inputs)
            z.writestr("version", ".".join(map(str, SCHEMA_VERSION)))
    atomic(path, write)


def symbol_names(ep, dynamic, args):
    """{Dim name: program symbol} for the named dims of the flattened inputs."""
    if dynamic is None:
        return {}
    is_axes = lambda x: x is None or isinstance(x, dict) and all(isinstance(k, int) for k in x)  # noqa: E731
    specs = pytree.tree_flatten(dynamic, is_leaf=is_axes)[0]
    placeholders = [n for n in ep.graph.nodes if n.op == "placeholder"]
    user = [p for p, s in zip(placeholders, ep.graph_signature.input_specs) if s.kind.name == "USER_INPUT"]
    names = {}
    for spec, node in zip(specs, user):
        for axis, dim in (spec or {}).items():
            size = node.meta["val"].shape[axis]
            if isinstance(size, torch.SymInt):
                names[getattr(dim, "__name__", f"auto{axis}")] = str(size)
    return names


def export(name, out_dir):
    fx = FIXTURES[name]
    torch.manual_seed(0)
    model, args = fx.build()
    with torch.no_grad():
        expected = model(*args)
    dynamic = fx.dynamic(args) if fx.dynamic else None
    ep = torch.export.export(model, args, dynamic_shapes=dynamic, strict=fx.strict)
    if fx.decompose:
        ep = ep.run_decompositions()
    atomic(os.path.join(out_dir, f"{name}.archive.pt2"), lambda p: torch.export.save(ep, p))
    if fx.flat:
        write_flat(ep, os.path.join(out_dir, f"{name}.flat.pt2"))
    # The saved program must compute what the eager model does (random ones: the same shapes).
    loaded = torch.export.load(os.path.join(out_dir, f"{name}.archive.pt2"))
    with torch.no_grad():
        again = loaded.module()(*args)
    for a, b in zip(pytree.tree_leaves(again), pytree.tree_leaves(expected)):
        if fx.random:
            assert a.shape == b.shape and a.dtype == b.dtype, (name, a.shape, b.shape)
        else:
            torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    for k, t in enumerate(pytree.tree_leaves(expected) if not fx.random else []):
        np.save(os.path.join(out_dir, f"{name}.out{k}.npy"), t.numpy())
    for k, t in enumerate(pytree.tree_leaves(args)):
        np.save(os.path.join(out_dir, f"{name}.in{k}.npy"), t.numpy())
    if name == "cond":  # an input taking the other branch, and PyTorch's output for it
        (x,) = args
        other = -x.abs() - 0.5 if bool(x.sum() > 0) else x.abs() + 0.5
        np.save(os.path.join(out_dir, "cond.other_branch.npy"), other.numpy())
        np.save(os.path.join(out_dir, "cond.other_branch.out0.npy"), model.eager(other).numpy())
    # Written last: its presence marks a complete fixture.
    atomic(os.path.join(out_dir, f"{name}.symbols.json"),
           lambda p: open(p, "w").write(json.dumps(symbol_names(ep, dynamic, args))))
    return expected


# ---------------------------------------------------------------------------
# Broken files for the error tests
# ---------------------------------------------------------------------------

def rewrite_zip(src, dst, change):
    """Copies a zip, letting change(name, data) return new data or None to drop the record."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)


def write_bad_files(out_dir):
    flat = os.path.join(out_dir, "mlp.flat.pt2")
    archive = os.path.join(out_dir, "mlp.archive.pt2")

    def schema_major(name, data):
        if name.endswith(".json") and ("models/" in name or name == "serialized_exported_program.json"):
            ep = json.loads(data)
            ep["schema_version"] = {"major": 99, "minor": 0}
            return json.dumps(ep).encode()
        return b"99.0" if name == "version" else data

    rewrite_zip(flat, os.path.join(out_dir, "bad_schema_major.pt2"), schema_major)
    rewrite_zip(flat, os.path.join(out_dir, "bad_missing_state_dict.pt2"),
                lambda n, d: None if n == "serialized_state_dict.pt" else d)
    rewrite_zip(archive, os.path.join(out_dir, "bad_missing_weight.pt2"),
                lambda n, d: None if n.endswith("data/weights/weight_0") else d)
    rewrite_zip(flat, os.path.join(out_dir, "bad_json.pt2"),
                lambda n, d: d[: len(d) // 2] if n == "serialized_exported_program.json" else d)
    rewrite_zip(archive, os.path.join(out_dir, "bad_short_weight.pt2"),
                lambda n, d: d[:-8] if n.endswith("data/weights/weight_1") else d)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"default: all of {' '.join(FIXTURES)}")
    a = parser.parse_args(argv)
    unknown = [n for n in a.names if n not in FIXTURES]
    if unknown:
        parser.error(f"unknown fixture(s) {unknown}")
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(os.cpu_count() or 1)
    print(f"torch {torch.__version__}", flush=True)
    for name in a.names or list(FIXTURES):
        if os.path.exists(os.path.join(a.out, f"{name}.symbols.json")) and not a.force:
            continue
        start = time.time()
        out = export(name, a.out)
        scale = float(torch.cat([t.double().flatten() for t in pytree.tree_leaves(out)]).std())
        print(f"{name}: {time.time() - start:.1f}s, output std {scale:.3g}", flush=True)
    if "mlp" in (a.names or list(FIXTURES)):
        write_bad_files(a.out)


if __name__ == "__main__":
    main()
