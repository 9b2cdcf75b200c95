"""PyTorch's own OpInfo samples (torch.testing._internal op_db) as small traced models, one
per op, dtype and sample, for the dtype x rank sweep of the translators (scripts/opinfo_sweep.sh).

  gen_opinfo_sweep.py --out DIR [--ops add,sort,...] [--dtypes float32,int64,...] [--samples N] [--shard K/N]

--shard K/N keeps the cases whose name hashes (crc32) to K modulo N: a fixed, spread-out
slice of every op and dtype (CI runs one; scripts/opinfo_sweep.sh all of them).

Each case is DIR/<case>/model.pt with its inputs in0.npy, in1.npy, ...; DIR/manifest.jsonl lists the cases. Inputs numpy cannot hold
(bfloat16) are stored as float32 and cast inside the model. Cases whose trace differs from
eager PyTorch (data-dependent Python control flow frozen by the tracer), random or
uninitialized ops, and outputs that are not tensors are left out and counted.
"""
import argparse
import collections
import json
import os
import sys
import warnings
import zlib

import numpy as np
import torch
import torch.utils._pytree as pytree

warnings.filterwarnings("ignore")
DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64,
          "int8": torch.int8, "int16": torch.int16, "int32": torch.int32, "int64": torch.int64, "uint8": torch.uint8,
          "bool": torch.bool}
# Values differ by design (random) or are undefined (uninitialized memory).
SKIP_WORDS = ("rand", "normal", "bernoulli", "multinomial", "dropout", "empty", "uniform", "exponential", "geometric",
              "cauchy", "log_normal", "poisson", "rrelu")


class Call(torch.nn.Module):
    def __init__(self, op, spec, constants, casts):
        super().__init__()
        self.op, self.spec, self.constants, self.casts = op, spec, constants, casts

    def forward(self, *tensors):
        it = iter(t.to(c) if c is not None else t for t, c in zip(tensors, self.casts))
        leaves = [next(it) if k is None else k for k in self.constants]
        inp, args, kwargs = pytree.tree_unflatten(leaves, self.spec)
        return self.op(inp, *args, **kwargs)


def stored(t):
    """The tensor as numpy holds it, and the dtype the model casts it back to."""
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return t.float().numpy(), torch.bfloat16
    return t.numpy(), None


def pick(samples, limit):
    """Up to `limit` samples with distinct input ranks, highest rank first, rank 0 kept."""
    by_rank = {}
    for s in samples:
        if isinstance(s.input, torch.Tensor) and s.input.numel() > 0:
            by_rank.setdefault(s.input.dim(), s)
    ranks = sorted(by_rank, reverse=True)
    chosen = ranks[: max(limit - 1, 1)]
    if 0 in by_rank and 0 not in chosen and limit > 1:
        chosen.append(0)
    return [by_rank[r] for r in chosen]


def outputs_of(value):
    leaves = pytree.tree_leaves(value)
    if not leaves or not all(isinstance(t, torch.Tensor) for t in leaves):
        return None
    return leaves


def same(a, b):
    return len(a) == len(b) and all(x.dtype == y.dtype and x.shape == y.shape and torch.equal(x.nan_to_num(0), y.nan_to_num(0))
                                    if x.dtype != torch.bool else torch.equal(x, y) for x, y in zip(a, b))


def schema_name(node):
    """The node's op with its overload when its schema names one: aten::scatter.src."""
    schema = node.schema()
    return node.kind() if schema == "(no schema)" else schema.split("(", 1)[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--ops", default="")
    ap.add_argument("--dtypes", default=",".join(DTYPES))
    ap.add_argument("--samples", type=int, default=2)
    ap.add_argument("--shard", default="0/1")
    a = ap.parse_args()
    from torch.testing._internal.common_methods_invocations import op_db

    wanted = set(filter(None, a.ops.split(",")))
    shard, shards = map(int, a.shard.split("/"))
    os.makedirs(a.out, exist_ok=True)
    skipped = collections.Counter()
    cases = 0
    manifest = open(os.path.join(a.out, "manifest.jsonl"), "w")
    for op in op_db:
        full = op.name + (f".{op.variant_test_name}" if op.variant_test_name else "")
        if wanted and op.name not in wanted and full not in wanted:
            continue
        if any(w in op.name for w in SKIP_WORDS):
            skipped["random or uninitialized"] += 1
            continue
        supported = op.supported_dtypes("cpu")
        for dname in a.dtypes.split(","):
            dtype = DTYPES[dname]
            if dtype not in supported:
                continue
            try:
                samples = pick(list(op.sample_inputs("cpu", dtype, requires_grad=False)), a.samples)
            except Exception:
                skipped["no samples"] += 1
                continue
            for k, s in enumerate(samples):
                name = f"{full.replace('.', '-')}__{dname}__{k}"
                if zlib.crc32(name.encode()) % shards != shard:
                    continue
                leaves, spec = pytree.tree_flatten((s.input, list(s.args), dict(s.kwargs)))
                tensors = [t for t in leaves if isinstance(t, torch.Tensor)]
                if any(t.layout != torch.strided for t in tensors):
                    skipped["sparse inputs"] += 1
                    continue
                if any(t.is_complex() or t.dtype not in DTYPES.values() for t in tensors) or not tensors:
                    skipped["complex or no tensor inputs"] += 1
                    continue
                constants = [None if isinstance(t, torch.Tensor) else t for t in leaves]
                arrays, casts = zip(*(stored(t) for t in tensors))
                model = Call(op.op, spec, constants, list(casts)).eval()
                inputs = tuple(torch.from_numpy(np.array(x)) for x in arrays)
                try:
                    with torch.no_grad():
                        expected = outputs_of(model(*inputs))
                        if expected is None or any(t.is_complex() or t.layout != torch.strided for t in expected):
                            skipped["non-tensor, complex or sparse outputs"] += 1
                            continue
                        traced = torch.jit.trace(model, inputs, check_trace=False)
                        again = outputs_of(traced(*inputs))
                except Exception:
                    skipped["not traceable"] += 1
                    continue
                if again is None or not same(again, expected):
                    skipped["trace differs from eager"] += 1
                    continue
                d = os.path.join(a.out, name)
                os.makedirs(d, exist_ok=True)
                traced.save(os.path.join(d, "model.pt"))
                for j, x in enumerate(arrays):
                    np.save(os.path.join(d, f"in{j}.npy"), x)
                case = {"case": name, "op": full, "dtype": dname, "input_ranks": [t.dim() for t in tensors],
                        "inputs": len(arrays),
                        "aten": sorted({schema_name(n) for n in traced.graph.nodes() if n.kind().startswith("aten::")})}
                manifest.write(json.dumps(case) + "\n")
                manifest.flush()
                cases += 1
    manifest.close()
    print(f"{cases} cases; left out: {dict(skipped)}", file=sys.stderr)


if __name__ == "__main__":
    main()
