#!/usr/bin/python3
"""Generate serialized ExportedPrograms (.pt2) for testing torch2onnx.

Usage:  /usr/bin/python3 scripts/gen_pt2_fixtures.py --out DIR [--force] [NAME ...]

torch 1.13 has no torch.export, so the ATen graphs come from
torch.fx.experimental.proxy_tensor.make_fx (tracing_mode "real", or "symbolic"
for dynamic dims) and are serialized here following the upstream format.  For
each model NAME it writes

    DIR/NAME.flat.pt2     the layout of torch.export.save in torch <= 2.7
    DIR/NAME.archive.pt2  the pt2 archive layout of torch >= 2.8
    DIR/NAME.out<K>.npy   eager PyTorch outputs on the example inputs (flattened)
    DIR/NAME.in<K>.npy    the example inputs (flattened), also stored in both files

plus deliberately broken files DIR/bad_*.pt2 for the error tests.

Where each fact of the format comes from (pytorch/pytorch):
  * JSON schema (ExportedProgram, Graph, Node, Argument unions as single-key
    objects, enums as integers, ScalarType numbering, TensorMeta, SymInt /
    SymExpr with sympy srepr strings, GraphSignature input/output specs,
    ModuleCallEntry with pytree treespec strings): torch/_export/serde/schema.py
    and schema.yaml; encoding rules in torch/_export/serde/serialize.py
    (_dataclass_to_dict, EnumEncoder, serialize_inputs: only arguments the
    caller passed, with `kind` 1 positional / 2 keyword; tuple returns named
    after their getitem users or `<node>_unused_<i>`; getitem nodes folded into
    the producer; _SYM_OPS targets spelled `_operator.mul`; node metadata
    `stack_trace`, `nn_module_stack` as `key,path,type` joined by `;`,
    `torch_fn` as `name;qualified function`).
  * Placeholder names p_<fqn>, b_<fqn>, c_<name> and user inputs named after
    their pytree path (input_dict_tensor_x, input_list_0):
    torch/export/_trace.py (_rewrite_placeholder names / placeholder_naming_pass).
  * Flat layout (serialized_exported_program.json, serialized_state_dict.pt,
    serialized_constants.pt, serialized_example_inputs.pt, version):
    torch/export/__init__.py save() of torch 2.3-2.7.
  * PT2 archive (archive_format, archive_version, models/<name>.json,
    data/weights/<name>_weights_config.json with PayloadConfig + raw storage
    bytes in weight_<i>, data/constants/..., data/sample_inputs/<name>.pt):
    torch/export/pt2_archive/_package.py and
    torch/csrc/export/pt2_archive_constants.h of torch 2.8+.
  * Core ATen op names of torch 2.x decompositions that torch 1.13 spells
    differently are renamed as torch.export writes them:
    native_batch_norm(training=False) -> _native_batch_norm_legit_no_training,
    native_batch_norm without running stats -> _native_batch_norm_legit.no_stats
    (torch/_decomp/decompositions.py), _reshape_alias -> view,
    aten.sym_size -> aten.sym_size.int.
  * `cond` (torch/_higher_order_ops/cond.py; serialized per serialize.py
    serialize_hoo_inputs: positional inputs with name "", subgraphs inlined as
    as_graph): torch 1.13 has no cond, so the predicate and both branches are
    traced separately with make_fx and assembled into the higher-order node.
"""

import argparse
import io
import json
import operator
import os
import sys
import traceback
import zipfile

import numpy as np
import sympy
import torch
import torch.fx
import torch.nn as nn
import torch.utils._pytree as pytree
from torch.fx.experimental.proxy_tensor import make_fx
from functorch.experimental import functionalize
from torch.nn.utils import stateless

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_models  # noqa: E402  (the same models as the TorchScript fixtures)
import pt2_op_models  # noqa: E402  (one model per operator family)

FLAT_SCHEMA = (8, 7)      # written by torch 2.6-2.7
ARCHIVE_SCHEMA = (8, 14)  # written by torch 2.8+
FLAT_TORCH_VERSION = "2.7.0"
ARCHIVE_TORCH_VERSION = "2.9.0"

SCALAR_TYPES = {
    torch.uint8: 1, torch.int8: 2, torch.int16: 3, torch.int32: 4, torch.int64: 5,
    torch.float16: 6, torch.float32: 7, torch.float64: 8, torch.complex64: 10,
    torch.complex128: 11, torch.bool: 12, torch.bfloat16: 13,
}
LAYOUTS = {torch.strided: 7}
MEMORY_FORMATS = {torch.contiguous_format: 1, torch.channels_last: 2, torch.preserve_format: 4}
SYM_OPS = {operator.add: "_operator.add", operator.sub: "_operator.sub", operator.mul: "_operator.mul",
           operator.floordiv: "_operator.floordiv", operator.mod: "_operator.mod",
           operator.truediv: "_operator.truediv", operator.neg: "_operator.neg"}


# ---------------------------------------------------------------------------
# Tracing with source metadata
# ---------------------------------------------------------------------------

class ModuleStack:
    """nn_module_stack and stack traces for nodes created while tracing."""

    def __init__(self, model):
        self.paths = {id(m): (name, f"{type(m).__module__}.{type(m).__qualname__}")
                      for name, m in model.named_modules() if name}
        self.stack = []

    def pre(self, module, args):
        entry = self.paths.get(id(module))
        if entry:
            self.stack.append(entry)

    def post(self, module, args, out):
        if self.paths.get(id(module)) and self.stack:
            self.stack.pop()

    def user_frames(self):
        frames = [f for f in traceback.extract_stack()[:-3]
                  if "/torch/" not in f.filename and f.filename not in (__file__, "<string>")]
        return "".join(f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {f.line}\n' for f in frames)


def trace(model, args, symbolic):
    """make_fx over functional_call: parameters and buffers become placeholders in
    front of the flattened user inputs, as torch.export lifts them."""
    params = dict(model.named_parameters())
    buffers = dict(model.named_buffers())
    flat_args, in_spec = pytree.tree_flatten(args)
    stack = ModuleStack(model)
    recorded = {}
    original_create_node = torch.fx.Tracer.create_node

    def create_node(tracer, *a, **kw):
        node = original_create_node(tracer, *a, **kw)
        recorded[node] = (list(stack.stack), stack.user_frames())
        return node

    def fn(p, b, *flat):
        return stateless.functional_call(model, {**p, **b}, tuple(pytree.tree_unflatten(list(flat), in_spec)))

    hooks = [nn.modules.module.register_module_forward_pre_hook(stack.pre),
             nn.modules.module.register_module_forward_hook(stack.post)]
    torch.fx.Tracer.create_node = create_node
    try:
        # With gradients enabled, as under torch.export: nn.MultiheadAttention then takes
        # its decomposed path instead of the inference-only fused kernel.
        with torch.enable_grad():
            # functionalize: in-place ops on views become slice_scatter & co, as in the
            # functional graphs torch.export writes.
            # (torch 1.13 cannot functionalize under symbolic tracing; the models traced
            # symbolically here have no in-place ops, which call() checks.)
            gm = make_fx(fn if symbolic else functionalize(fn), tracing_mode="symbolic" if symbolic else "real")(
                params, buffers, *flat_args)
    finally:
        torch.fx.Tracer.create_node = original_create_node
        for h in hooks:
            h.remove()
    for node in gm.graph.nodes:
        if node in recorded:
            node.meta["t2o_module_stack"], node.meta["t2o_stack_trace"] = recorded[node]
    gm.graph.eliminate_dead_code()
    gm.recompile()
    kinds = ["parameter"] * len(params) + ["buffer"] * len(buffers) + ["user"] * len(flat_args)
    targets = list(params) + list(buffers) + [None] * len(flat_args)
    return gm, kinds, targets, params, buffers


def run_values(gm, inputs):
    """The concrete value of every node on the given inputs."""
    values = {}

    class Recorder(torch.fx.Interpreter):
        def run_node(self, n):
            out = super().run_node(n)
            values[n] = out
            return out

    with torch.no_grad():
        Recorder(gm).run(*inputs)
    return values


# ---------------------------------------------------------------------------
# Serialization (torch/_export/serde/serialize.py rules)
# ---------------------------------------------------------------------------

class Symbols:
    """Maps make_fx's symbols (t7.size(0)) to export-style names (s0): user
    dims declared dynamic share the name given for them; every other symbol is
    specialized to its example value, as torch.export does for static dims."""

    def __init__(self):
        self.subs = {}
        self.names = {}
        self.hints = {}

    def declare_fitted(self, name, hint):
        self.names[name] = sympy.Symbol(name, integer=True, positive=True)
        self.hints[name] = hint

    def declare(self, sym, name, hint):
        if name not in self.names:
            self.names[name] = sympy.Symbol(name, integer=True, positive=True)
        self.subs[sym] = self.names[name]
        self.hints[name] = hint

    def resolve(self, expr, shape_env):
        expr = sympy.sympify(expr)
        for s in expr.free_symbols:
            if s not in self.subs:
                self.subs[s] = sympy.Integer(shape_env.var_to_val[s])
        return sympy.sympify(expr.xreplace(self.subs))


def pyobj(x):
    return x.get_pyobj() if hasattr(x, "get_pyobj") else x


class FittedSym:
    """A size found by comparing traces at several sizes (see fit_dynamic)."""

    def __init__(self, expr):
        self.expr = expr


class FakeMeta:
    """Shape (ints and FittedSyms) of a tensor traced at several sizes; strides written
    as those of a contiguous tensor of that shape."""

    def __init__(self, shape):
        self.shape = shape

    def stride(self):
        strides, acc = [], sympy.Integer(1)
        for d in reversed(self.shape):
            strides.append(FittedSym(acc) if not acc.is_Integer else int(acc))
            acc = acc * (d.expr if isinstance(d, FittedSym) else d)
        return list(reversed(strides))


def sym_int(value, symbols):
    v = pyobj(value)
    if isinstance(v, int):
        return {"as_int": int(v)}
    expr = v.expr if isinstance(v, FittedSym) else symbols.resolve(v.expr, v.shape_env)
    if expr.is_Integer:
        return {"as_int": int(expr)}
    hint = evaluate(expr, {symbols.names[n]: sympy.Integer(h) for n, h in symbols.hints.items()})
    return {"as_expr": {"expr_str": sympy.srepr(expr), "hint": {"as_int": hint}}}


def tensor_meta(t, fake, symbols):
    sizes = [sym_int(d, symbols) for d in (fake.shape if fake is not None else t.shape)]
    strides = [sym_int(d, symbols) for d in (fake.stride() if fake is not None else t.stride())]
    return {"dtype": SCALAR_TYPES[t.dtype], "sizes": sizes, "requires_grad": False,
            "device": {"type": "cpu", "index": None}, "strides": strides,
            "storage_offset": {"as_int": 0}, "layout": 7}


class GraphWriter:
    def __init__(self, gm, values, names, symbols):
        self.gm, self.values, self.names, self.symbols = gm, values, names, symbols
        self.graph = {"inputs": [], "outputs": [], "nodes": [], "tensor_values": {}, "sym_int_values": {},
                      "sym_bool_values": {}, "sym_float_values": {}, "custom_obj_values": {},
                      "is_single_tensor_return": False}
        self.static_ints = {}

    def name(self, node):
        return self.names.get(node, node.name)

    def add_tensor(self, name, value, fake=None):
        self.graph["tensor_values"][name] = tensor_meta(value, fake, self.symbols)
        return {"as_tensor": {"name": name}}

    def arg(self, a, schema_type=None):
        if isinstance(a, torch.fx.Node):
            if a in self.static_ints:
                return {"as_int": self.static_ints[a]}
            if isinstance(self.values[a], torch.Tensor):
                return {"as_tensor": {"name": self.name(a)}}
            return {"as_sym_int": {"as_name": self.name(a)}}
        if isinstance(a, (list, tuple)):
            if any(isinstance(x, torch.fx.Node) and isinstance(self.values[x], torch.Tensor) for x in a):
                if any(x is None for x in a):
                    return {"as_optional_tensors": [{"as_none": True} if x is None else
                                                    {"as_tensor": {"name": self.name(x)}} for x in a]}
                return {"as_tensors": [{"name": self.name(x)} for x in a]}
            if any(isinstance(x, torch.fx.Node) for x in a):
                items = [self.arg(x) for x in a]
                if all("as_int" in i for i in items):
                    return {"as_ints": [i["as_int"] for i in items]}
                return {"as_sym_ints": [i if "as_int" in i else {"as_name": i["as_sym_int"]["as_name"]} for i in items]}
            if schema_type is not None and "float" in str(schema_type):
                return {"as_floats": [float(x) for x in a]}
            if a and all(isinstance(x, bool) for x in a):
                return {"as_bools": list(a)}
            if schema_type is not None and "Tensor" in str(schema_type):
                return {"as_tensors": []}
            return {"as_ints": [int(x) for x in a]}
        if a is None:
            return {"as_none": True}
        if isinstance(a, bool):
            return {"as_bool": a}
        if isinstance(a, int):
            return {"as_int": a}
        if isinstance(a, float):
            return {"as_float": a if abs(a) != float("inf") else ("Infinity" if a > 0 else "-Infinity")}
        if isinstance(a, str):
            return {"as_string": a}
        if isinstance(a, torch.dtype):
            return {"as_scalar_type": SCALAR_TYPES[a]}
        if isinstance(a, torch.layout):
            return {"as_layout": LAYOUTS[a]}
        if isinstance(a, torch.memory_format):
            return {"as_memory_format": MEMORY_FORMATS[a]}
        if isinstance(a, torch.device):
            return {"as_device": {"type": a.type, "index": a.index}}
        raise TypeError(f"cannot serialize argument {a!r}")

    def metadata(self, node):
        meta = {}
        trace_text = node.meta.get("t2o_stack_trace")
        if trace_text:
            meta["stack_trace"] = trace_text
        stack = node.meta.get("t2o_module_stack")
        if stack:
            meta["nn_module_stack"] = ";".join(f"{path},{path},{cls}" for path, cls in stack)
        return meta

    def op_node(self, node, target):
        op = node.target
        schema = op._schema
        inputs = []
        for i, sarg in enumerate(schema.arguments):
            if sarg.name in node.kwargs:
                value, kind = node.kwargs[sarg.name], 2
            elif not sarg.kwarg_only and i < len(node.args):
                value, kind = node.args[i], 1
            else:
                continue  # omitted arguments keep their schema default
            inputs.append({"name": sarg.name, "arg": self.arg(value, sarg.type), "kind": kind})
        outputs = []
        value = self.values[node]
        users = {u.args[1]: u for u in node.users if u.target is operator.getitem}
        if len(schema.returns) == 1 and str(schema.returns[0].type) == "Tensor":
            outputs.append(self.add_tensor(self.name(node), value, node.meta.get("val")))
        elif len(schema.returns) == 1 and str(schema.returns[0].type) == "List[Tensor]":
            names = []
            for i, t in enumerate(value):
                user = users.get(i)
                n = self.name(user) if user else f"{node.name}_unused_{i}"
                self.add_tensor(n, t, user.meta.get("val") if user else None)
                names.append({"name": n})
            outputs.append({"as_tensors": names})
        else:
            fakes = node.meta.get("val") if isinstance(node.meta.get("val"), list) else None
            for i, t in enumerate(value):
                user = users.get(i)
                n = self.name(user) if user else f"{node.name}_unused_{i}"
                if t is None:
                    outputs.append({"as_none": True})
                else:
                    fake = fakes[i] if fakes else user.meta.get("val") if user else None
                    outputs.append(self.add_tensor(n, t, fake))
        self.graph["nodes"].append({"target": target, "inputs": inputs, "outputs": outputs,
                                    "metadata": self.metadata(node), "is_hop_single_tensor_return": None})

    def sym_node(self, node, target, arg_names):
        fake = node.meta.get("val")
        resolved = sym_int(fake if fake is not None else self.values[node], self.symbols)
        if "as_int" in resolved:  # static after specialization: becomes a literal
            self.static_ints[node] = resolved["as_int"]
            return
        self.graph["sym_int_values"][self.name(node)] = resolved
        inputs = [{"name": n, "arg": self.arg(a), "kind": 1} for n, a in zip(arg_names, node.args)]
        self.graph["nodes"].append({"target": target, "inputs": inputs,
                                    "outputs": [{"as_sym_int": {"as_name": self.name(node)}}],
                                    "metadata": self.metadata(node), "is_hop_single_tensor_return": None})

    def call(self, node):
        t = node.target
        if t is operator.getitem:
            return
        if str(t) == "aten.sym_size":
            return self.sym_node(node, "torch.ops.aten.sym_size.int", ["self", "dim"])
        if str(t) == "aten.sym_numel":
            return self.sym_node(node, "torch.ops.aten.sym_numel.default", ["self"])
        if t in SYM_OPS:
            return self.sym_node(node, SYM_OPS[t], ["a", "b"])
        if t is torch.ops.aten.native_batch_norm.default and node.args[5] is False:
            # torch 2.x decomposes eval-mode batch norm to this op (no `training` argument).
            return self.legit_batch_norm(node, list(node.args[:5]) + list(node.args[6:]))
        if t is torch.ops.aten.native_batch_norm.default and node.args[3] is None and node.args[4] is None:
            # ... and batch statistics without running ones (instance norm) to this overload.
            return self.legit_batch_norm(node, list(node.args[:3]) + list(node.args[5:]), no_stats=True)
        if t is torch.ops.aten._reshape_alias.default:
            # torch 1.13's reshape of a contiguous tensor; torch 2.x writes aten.view.
            node.target = torch.ops.aten.view.default
            node.args = node.args[:2]
            t = node.target
        if not isinstance(t, torch._ops.OpOverload):
            raise TypeError(f"unexpected target {t}")
        if t in (torch.ops.aten.as_strided_.default, torch.ops.aten.as_strided.default) and self.same_layout(node):
            # torch 1.13's adaptive_avg_pool2d decomposition restrides its [N, C, 1, 1]
            # result in place; the values do not move, and torch 2.x writes no such op.
            self.names[node] = self.name(node.args[0])
            return
        packet = t._schema.name.split("::")[1]
        if packet.endswith("_") and not packet.startswith("_"):
            raise ValueError(f"{node.name}: in-place op {t} left after functionalization")
        ns, name = t._schema.name.split("::")
        if ns == "t2o_fixture":  # stand-ins for torch 2.x ops (pt2_op_models.py)
            ns = "aten"
        overload = t._overloadname
        self.op_node(node, f"torch.ops.{ns}.{name}.{overload}")

    def same_layout(self, node):
        src = self.values[node.args[0]]
        concrete = [self.values[d] if isinstance(d, torch.fx.Node) else d for d in node.args[1]]
        size, stride = concrete, list(node.args[2])
        if size != list(src.shape) or not src.is_contiguous() or (len(node.args) > 3 and node.args[3]):
            return False
        return all(st == cs for d, st, cs in zip(size, stride, src.stride()) if d != 1)

    def legit_batch_norm(self, node, args, no_stats=False):
        names = (["input", "weight", "bias", "training", "momentum", "eps"] if no_stats else
                 ["input", "weight", "bias", "running_mean", "running_var", "momentum", "eps"])
        inputs = [{"name": n, "arg": self.arg(a), "kind": 1} for n, a in zip(names, args)]
        users = {u.args[1]: u for u in node.users if u.target is operator.getitem}
        outputs = []
        for i, t in enumerate(self.values[node]):
            user = users.get(i)
            n = self.name(user) if user else f"{node.name}_unused_{i}"
            outputs.append(self.add_tensor(n, t, user.meta.get("val") if user else None))
        target = ("torch.ops.aten._native_batch_norm_legit.no_stats" if no_stats else
                  "torch.ops.aten._native_batch_norm_legit_no_training.default")
        self.graph["nodes"].append({"target": target,
                                    "inputs": inputs, "outputs": outputs, "metadata": self.metadata(node),
                                    "is_hop_single_tensor_return": None})


class FloorDiv(sympy.Function):
    """Integer division as torch's sympy helpers spell it (torch/utils/_sympy/functions.py)."""
    nargs = 2


def fit_int(values, bases, steps, symbols):
    """An expression in `symbols` that gives values[0] at the base sizes and values[1+j]
    when symbol j alone moved by steps[j]: c + sum k_j*s_j, or s_j // m."""
    expr = sympy.Integer(values[0])
    for j, sym in enumerate(symbols):
        delta = values[1 + j] - values[0]
        if delta == 0:
            continue
        if delta % steps[j] == 0:
            k = delta // steps[j]
            expr = expr + k * (sym - bases[j])
        elif steps[j] % delta == 0 and values[0] == bases[j] // (steps[j] // delta):
            m = steps[j] // delta
            expr = expr - values[0] + FloorDiv(sym, m)
        else:
            raise ValueError(f"cannot fit sizes {values} to the dynamic dims")
    return sympy.expand(expr) if not expr.has(FloorDiv) else expr


def evaluate(expr, assignment):
    e = expr.xreplace(assignment)
    e = e.replace(FloorDiv, lambda a, b: sympy.Integer(int(a) // int(b)))
    return int(e)


def fit_dynamic(model, args, dynamic, steps):
    """torch 1.13's symbolic tracing specializes convolutions, so dynamic dims of
    convolutional models are found like torch2onnx's own TorchScript path does it: trace
    at the example sizes, once more per symbol with that symbol moved by its step, fit
    every size and int argument that changed, and check the fit on a last trace with all
    symbols moved. Returns the base trace with sym_size/arithmetic nodes for the changed
    int arguments and a FakeMeta per tensor."""
    flat, spec = pytree.tree_flatten(args)
    names = []
    for axes in dynamic:
        for name in axes.values():
            if name not in names:
                names.append(name)
    syms = [sympy.Symbol(n, integer=True, positive=True) for n in names]
    bases = []
    for n in names:
        bases.append(next(flat[i].shape[a] for i, axes in enumerate(dynamic) for a, m in axes.items() if m == n))

    def inputs_at(sizes):
        out = []
        for t, axes in zip(flat, dynamic):
            shape = list(t.shape)
            for a, n in axes.items():
                shape[a] = sizes[names.index(n)]
            out.append(torch.randn(shape, generator=torch.Generator().manual_seed(1)).to(t.dtype)
                       if list(t.shape) != shape else t)
        return tuple(pytree.tree_unflatten(out, spec))

    size_sets = [bases] + [[b + (steps[j] if j == k else 0) for j, b in enumerate(bases)] for k in range(len(bases))]
    check_sizes = [b + 2 * st for b, st in zip(bases, steps)]
    traces, trace_results = [], []
    for sizes in size_sets + [check_sizes]:
        a = inputs_at(sizes)
        result = trace(model, a, symbolic=False)
        gm, kinds, targets, params, buffers = result
        values = run_values(gm, list(params.values()) + list(buffers.values()) + pytree.tree_flatten(a)[0])
        traces.append((gm, values))
        trace_results.append(result)
    gm0 = traces[0][0]
    node_lists = [list(gm.graph.nodes) for gm, _ in traces]
    for nodes in node_lists[1:]:
        if [(n.op, str(n.target)) for n in nodes] != [(n.op, str(n.target)) for n in node_lists[0]]:
            raise ValueError("the traced graph changes with the input sizes")
    check = dict(zip(syms, [sympy.Integer(v) for v in check_sizes]))

    def fitted(per_trace):
        expr = fit_int(per_trace[:-1], bases, steps, syms)
        if evaluate(expr, check) != per_trace[-1]:
            raise ValueError(f"sizes {per_trace} do not follow {expr}")
        return int(expr) if expr.is_Integer else FittedSym(expr)

    # Tensor metadata.
    for k, node in enumerate(node_lists[0]):
        vals = [traces[t][1].get(node_lists[t][k]) for t in range(len(traces))]
        if isinstance(vals[0], torch.Tensor):
            node.meta["val"] = FakeMeta([fitted([v.shape[d] for v in vals]) for d in range(vals[0].dim())])
        elif isinstance(vals[0], (tuple, list)) and vals[0] and all(isinstance(x, torch.Tensor) or x is None for x in vals[0]):
            node.meta["val"] = [None if x is None else
                                FakeMeta([fitted([v[i].shape[d] for v in vals]) for d in range(x.dim())])
                                for i, x in enumerate(vals[0])]

    # Int arguments that follow the dynamic dims become computed values.
    placeholders = [n for n in node_lists[0] if n.op == "placeholder"]
    user_ph = placeholders[len(placeholders) - len(flat):]
    cache = {}

    def build(expr, before):
        if expr in cache:
            return cache[expr]
        g = gm0.graph
        with g.inserting_before(before):
            if expr.is_Symbol:
                n = names.index(str(expr))
                i, a = next((i, a) for i, axes in enumerate(dynamic) for a, m in axes.items() if m == names[n])
                node = g.call_function(torch.ops.aten.sym_size, (user_ph[i], a))
            elif expr.is_Integer:
                return int(expr)
            elif isinstance(expr, FloorDiv):
                node = g.call_function(operator.floordiv, (build(expr.args[0], before), int(expr.args[1])))
            elif expr.is_Add:
                const = sum(int(t) for t in expr.args if t.is_Integer)
                rest = [t for t in expr.args if not t.is_Integer]
                node = build(rest[0], before)
                for t in rest[1:]:
                    node = g.call_function(operator.add, (node, build(t, before)))
                if const:
                    node = g.call_function(operator.add, (node, const))
            elif expr.is_Mul:
                coeff = int(sympy.Mul(*[t for t in expr.args if t.is_Integer]))
                rest = sympy.Mul(*[t for t in expr.args if not t.is_Integer])
                node = g.call_function(operator.mul, (build(rest, before), coeff))
            else:
                raise ValueError(f"cannot build {expr}")
        node.meta["val"] = FittedSym(expr)
        cache[expr] = node
        return node

    def rewrite(arg_lists, before):
        first = arg_lists[0]
        if isinstance(first, (list, tuple)) and not isinstance(first, torch.Size):
            return type(first)(rewrite([a[i] for a in arg_lists], before) for i in range(len(first)))
        if isinstance(first, int) and not isinstance(first, bool) and any(a != first for a in arg_lists):
            f = fitted(list(arg_lists))
            return build(f.expr, before) if isinstance(f, FittedSym) else f
        return first

    for k, node in enumerate(node_lists[0]):
        if node.op != "call_function":
            continue
        others = [node_lists[t][k] for t in range(len(traces))]
        node.args = rewrite([o.args for o in others], node)
    gm0.recompile()
    gm, kinds, targets, params, buffers = trace_results[0]
    return gm, kinds, targets, params, buffers, names, bases


def declare_dynamic(gm, user_nodes, dynamic, symbols):
    """`dynamic`: per flattened user input, {axis: name}."""
    for node, axes in zip(user_nodes, dynamic):
        fake = node.meta.get("val")
        for axis, name in axes.items():
            d = pyobj(fake.shape[axis])
            symbols.declare(d.expr, name, int(d.shape_env.var_to_val[d.expr]))


def serialize_program(gm, kinds, targets, flat_inputs, user_paths, dynamic, fitted=None):
    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    names = {}
    for node, kind, target, path in zip(placeholders, kinds, targets,
                                        [None] * (len(kinds) - len(user_paths)) + user_paths):
        if kind == "parameter":
            names[node] = "p_" + target.replace(".", "_")
        elif kind == "buffer":
            names[node] = "b_" + target.replace(".", "_")
        else:
            names[node] = path
    symbols = Symbols()
    user_nodes = [n for n, k in zip(placeholders, kinds) if k == "user"]
    if fitted:
        for name, base in zip(*fitted):
            symbols.declare_fitted(name, base)
    elif dynamic:
        declare_dynamic(gm, user_nodes, dynamic, symbols)
    values = run_values(gm, list(flat_inputs))
    writer = GraphWriter(gm, values, names, symbols)
    input_specs = []
    for node, kind, target in zip(placeholders, kinds, targets):
        arg = writer.add_tensor(names[node], values[node], node.meta.get("val"))
        writer.graph["inputs"].append(arg)
        if kind == "parameter":
            input_specs.append({"parameter": {"arg": {"name": names[node]}, "parameter_name": target}})
        elif kind == "buffer":
            input_specs.append({"buffer": {"arg": {"name": names[node]}, "buffer_name": target, "persistent": True}})
        else:
            input_specs.append({"user_input": {"arg": arg}})
    constants = {}
    for node in gm.graph.nodes:  # tensor constants: lifted, as torch.export does
        if node.op == "get_attr":
            name = f"lifted_tensor_{len(constants)}"
            constants[name] = getattr(gm, node.target).detach()
            names[node] = "c_" + name
            writer.graph["inputs"].append(writer.add_tensor(names[node], values[node]))
            input_specs.append({"tensor_constant": {"arg": {"name": names[node]}, "tensor_constant_name": name}})
    output_specs = []
    for node in gm.graph.nodes:
        if node.op == "call_function":
            writer.call(node)
        elif node.op == "output":
            for out in pytree.tree_flatten(node.args[0])[0]:
                arg = writer.arg(out)
                writer.graph["outputs"].append(arg)
                output_specs.append({"user_output": {"arg": arg}})
    return writer.graph, input_specs, output_specs, symbols, constants


def treespec_json(obj):
    """pytree.treespec_dumps(spec, protocol 1) of torch 2.x for tuples, lists, dicts and leaves."""
    def node(o):
        if isinstance(o, tuple):
            return {"type": "builtins.tuple", "context": "null", "children_spec": [node(x) for x in o]}
        if isinstance(o, list):
            return {"type": "builtins.list", "context": "null", "children_spec": [node(x) for x in o]}
        if isinstance(o, dict):
            return {"type": "builtins.dict", "context": json.dumps(list(o.keys())),
                    "children_spec": [node(x) for x in o.values()]}
        return {"type": None, "context": None, "children_spec": []}
    return json.dumps([1, node(obj)])


def user_input_names(arg_names, args):
    """Placeholder names torch.export gives flattened inputs: the pytree path joined by '_'."""
    names = []

    def walk(prefix, o):
        if isinstance(o, (tuple, list)):
            for i, x in enumerate(o):
                walk(f"{prefix}_{i}", x)
        elif isinstance(o, dict):
            for k, x in o.items():
                walk(f"{prefix}_{k}", x)
        else:
            names.append(prefix)
    for n, a in zip(arg_names, args):
        walk(n, a)
    return names


def exported_program_json(graph, input_specs, output_specs, symbols, arg_names, args, out, schema, torch_version):
    range_constraints = {name: {"min_val": 2, "max_val": None} for name in symbols.names}
    signature = {"inputs": [], "outputs": [], "in_spec": treespec_json((tuple(args), {})),
                 "out_spec": treespec_json(out), "forward_arg_names": list(arg_names)}
    return {
        "graph_module": {
            "graph": graph,
            "signature": {"input_specs": input_specs, "output_specs": output_specs},
            "module_call_graph": [{"fqn": "", "signature": signature}],
            "metadata": {},
            "treespec_namedtuple_fields": {},
        },
        "opset_version": {"aten": 10},
        "range_constraints": range_constraints,
        "schema_version": {"major": schema[0], "minor": schema[1]},
        "verifiers": [],
        "torch_version": torch_version,
    }


# ---------------------------------------------------------------------------
# Containers
# ---------------------------------------------------------------------------

def torch_save_bytes(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def write_flat(path, ep_json, state_dict, constants, example):
    with zipfile.ZipFile(path + ".tmp", "w") as z:
        z.writestr("serialized_exported_program.json", json.dumps(ep_json))
        z.writestr("serialized_state_dict.pt", torch_save_bytes(state_dict))
        z.writestr("serialized_constants.pt", torch_save_bytes(constants))
        z.writestr("serialized_example_inputs.pt", torch_save_bytes(example))
        z.writestr("version", f"{FLAT_SCHEMA[0]}.{FLAT_SCHEMA[1]}")
    os.replace(path + ".tmp", path)


def raw_meta(t):
    return {"dtype": SCALAR_TYPES[t.dtype], "sizes": [{"as_int": d} for d in t.shape], "requires_grad": False,
            "device": {"type": "cpu", "index": None}, "strides": [{"as_int": s} for s in t.stride()],
            "storage_offset": {"as_int": t.storage_offset()}, "layout": 7}


def write_archive(path, ep_json, state_dict, constants, params, example, model_name="model"):
    """PyTorchStreamWriter puts every record under `<file stem>/`: written into a
    temporary folder under the final file name, then moved into place."""
    tmp_dir = os.path.join(os.path.dirname(path), ".tmp")
    os.makedirs(tmp_dir, exist_ok=True)
    tmp = os.path.join(tmp_dir, os.path.basename(path))
    writer = torch._C.PyTorchFileWriter(tmp)

    def record(name, data):
        writer.write_record(name, data, len(data))

    record("archive_format", b"pt2")
    record("archive_version", b"0")
    record("byteorder", b"little")
    record(f"models/{model_name}.json", json.dumps(ep_json).encode())
    def payloads(tensors, folder, prefix, config_name, is_param):
        config, storages = {}, {}
        for fqn, t in tensors.items():
            storage = t.storage()
            key = storage.data_ptr()
            if key not in storages:
                storages[key] = f"{prefix}_{len(storages)}"
                whole = torch.tensor([], dtype=t.dtype).set_(storage)
                record(f"data/{folder}/{storages[key]}", whole.numpy().tobytes())
            config[fqn] = {"path_name": storages[key], "is_param": is_param(fqn), "use_pickle": False,
                           "tensor_meta": raw_meta(t)}
        record(f"data/{folder}/{model_name}_{config_name}_config.json", json.dumps({"config": config}).encode())

    payloads(state_dict, "weights", "weight", "weights", lambda fqn: fqn in params)
    payloads(constants, "constants", "tensor", "constants", lambda fqn: False)
    record(f"data/sample_inputs/{model_name}.pt", torch_save_bytes(example))
    writer.write_end_of_file()
    del writer
    os.replace(tmp, path)


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

class CondModel(nn.Module):
    """torch.cond(x.sum() > 0, true_fn, false_fn, [x]) + 1, as torch.export
    writes it: the branches take the lifted weights as extra operands."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.fc_neg = nn.Linear(8, 8)

    @staticmethod
    def true_fn(x, w, b, w_neg, b_neg):
        return (torch.relu(torch.nn.functional.linear(x, w, b)),)

    @staticmethod
    def false_fn(x, w, b, w_neg, b_neg):
        return (torch.sigmoid(torch.nn.functional.linear(x, w_neg, b_neg)) * 2.0 - x,)

    def forward(self, x):
        operands = (x, self.fc.weight, self.fc.bias, self.fc_neg.weight, self.fc_neg.bias)
        branch = self.true_fn if bool(x.sum() > 0) else self.false_fn
        return branch(*operands)[0] + 1.0


class ShapeArithModel(nn.Module):
    """gen_models.ShapeArithModel without `float(b)` (a SymInt cannot become a
    Python float under torch 1.13's symbolic tracing): sizes in arithmetic and
    in view/reshape/expand, x: [B, 6, 4]."""

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


def seeded(build):
    def wrapped():
        torch.manual_seed(0)
        return build()
    return wrapped


MODELS = {
    # name: (build, forward argument names, dynamic dims per flattened input or None)
    "mlp": (gen_models.build_mlp, ["tensor_x"], None),
    "mlp_nested": (gen_models.build_mlp_nested, ["tensor_x", "input_dict", "input_list"], None),
    "mlp_dyn": (gen_models.build_mlp, ["tensor_x"], [{0: "s0"}]),
    "mlp_nested_dyn": (gen_models.build_mlp_nested, ["tensor_x", "input_dict", "input_list"],
                       [{0: "s0"}, {0: "s0"}, {0: "s0"}]),
    "shape_arith_dyn": (lambda: (ShapeArithModel().eval(), (torch.randn(5, 6, 4),)), ["x"], [{0: "s0"}]),
    "resnet18": (gen_models.make_tv_classifier("resnet18"), ["x"], None),
    "mobilenet_v2": (gen_models.make_tv_classifier("mobilenet_v2"), ["x"], None),
    "vit_b_16": (gen_models.make_tv_classifier("vit_b_16"), ["x"], None),
    "cond": (lambda: (CondModel().eval(), (torch.randn(4, 8),)), ["x"], None),
    # Dynamic dims found by tracing at several sizes (fit_dynamic): name -> step.
    "resnet18_dyn": (gen_models.make_tv_classifier("resnet18"), ["x"], [{0: "s0"}], [1]),
    "mobilenet_v2_dyn": (gen_models.make_tv_classifier("mobilenet_v2"), ["x"], [{0: "s0"}], [1]),
    "vit_b_16_dyn": (gen_models.make_tv_classifier("vit_b_16"), ["x"], [{0: "s0"}], [1]),
    "swin_t_dyn": (gen_models.make_tv_classifier("swin_t"), ["x"], [{0: "s0"}], [1]),
    "resnet18_features_dyn_hw": (build_resnet18_features, ["x"], [{2: "s0", 3: "s1"}], [64, 32]),
    # One model per operator family (pt2_op_models.py).
    **{name: (build, args, None) for name, (build, args) in pt2_op_models.OP_MODELS.items()},
}


def flatten(obj):
    return pytree.tree_flatten(obj)[0]


def export_model(name, out_dir):
    build, arg_names, dynamic, *rest = MODELS[name]
    steps = rest[0] if rest else None
    model, args = seeded(build)()
    if steps:  # a batch of 1 traces differently (size-1 special cases): start from 2
        flat, spec = pytree.tree_flatten(args)
        gen = torch.Generator().manual_seed(2)
        for i, axes in enumerate(dynamic):
            if any(flat[i].shape[a] == 1 for a in axes):
                shape = [2 if a in axes and d == 1 else d for a, d in enumerate(flat[i].shape)]
                flat[i] = torch.randn(shape, generator=gen).to(flat[i].dtype)
        args = tuple(pytree.tree_unflatten(flat, spec))
    with torch.no_grad():
        expected = model(*args)
    flat_inputs = flatten(args)
    if name == "cond":
        graph, input_specs, output_specs, symbols = export_cond(model, args)
        constants = {}
        state_dict = dict(model.state_dict())
    else:
        fitted = None
        if steps:
            gm, kinds, targets, params, buffers, names, bases = fit_dynamic(model, args, dynamic, steps)
            fitted = (names, bases)
        else:
            gm, kinds, targets, params, buffers = trace(model, args, symbolic=dynamic is not None)
        state_dict = {**params, **buffers}
        params_and_buffers = list(params.values()) + list(buffers.values())
        graph, input_specs, output_specs, symbols, constants = serialize_program(
            gm, kinds, targets, params_and_buffers + flat_inputs, user_input_names(arg_names, args),
            dynamic, fitted)
    params = {k for k, _ in model.named_parameters()}
    state_dict = {k: v.detach() for k, v in state_dict.items()}
    example = (tuple(args), {})
    for layout, schema, version in (("flat", FLAT_SCHEMA, FLAT_TORCH_VERSION),
                                    ("archive", ARCHIVE_SCHEMA, ARCHIVE_TORCH_VERSION)):
        ep = exported_program_json(graph, input_specs, output_specs, symbols, arg_names, args, expected,
                                   schema, version)
        path = os.path.join(out_dir, f"{name}.{layout}.pt2")
        if layout == "flat":
            write_flat(path, ep, state_dict, constants, example)
        else:
            write_archive(path, ep, state_dict, constants, params, example)
    for k, t in enumerate(flatten(expected)):
        np.save(os.path.join(out_dir, f"{name}.out{k}.npy"), t.numpy())
    for k, t in enumerate(flat_inputs):
        np.save(os.path.join(out_dir, f"{name}.in{k}.npy"), t.numpy())
    if name == "cond":  # an input taking the other branch, and PyTorch's output for it
        x = args[0].abs() + 0.5 if bool(args[0].sum() <= 0) else -args[0].abs() - 0.5
        assert bool(x.sum() <= 0) != bool(args[0].sum() <= 0)
        np.save(os.path.join(out_dir, "cond.other_branch.npy"), x.numpy())
        np.save(os.path.join(out_dir, "cond.other_branch.out0.npy"), model(x).numpy())
    return expected


def export_cond(model, args):
    """The top-level graph (predicate, cond, + 1) and the two branch graphs."""
    (x,) = args
    weights = [("p_fc_weight", "fc.weight", model.fc.weight), ("p_fc_bias", "fc.bias", model.fc.bias),
               ("p_fc_neg_weight", "fc_neg.weight", model.fc_neg.weight),
               ("p_fc_neg_bias", "fc_neg.bias", model.fc_neg.bias)]
    symbols = Symbols()
    operand_names = ["x"] + [w[0] for w in weights]
    operand_values = [x] + [w[2].detach() for w in weights]

    def subgraph(fn, prefix):
        gm = make_fx(fn)(*operand_values)
        gm.graph.eliminate_dead_code()
        placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
        names = {p: f"{operand_names[i]}_{prefix}" for i, p in enumerate(placeholders)}
        for n in gm.graph.nodes:
            if n.op == "call_function":
                names[n] = f"{n.name}_{prefix}"
        values = run_values(gm, operand_values)
        w = GraphWriter(gm, values, names, symbols)
        for p in placeholders:
            w.graph["inputs"].append(w.add_tensor(names[p], values[p]))
        for n in gm.graph.nodes:
            if n.op == "call_function":
                w.call(n)
            elif n.op == "output":
                w.graph["outputs"] = [w.arg(o) for o in flatten(n.args[0])]
        return w.graph

    true_graph = subgraph(CondModel.true_fn, "true")
    false_graph = subgraph(CondModel.false_fn, "false")

    head = make_fx(lambda x: x.sum() > 0)(x)
    head_values = run_values(head, [x])
    top = GraphWriter(head, head_values, {n: "x" for n in head.graph.nodes if n.op == "placeholder"}, symbols)
    input_specs = []
    for name, fqn, w in weights:
        top.graph["inputs"].append(top.add_tensor(name, w.detach()))
        input_specs.append({"parameter": {"arg": {"name": name}, "parameter_name": fqn}})
    top.graph["inputs"].append(top.add_tensor("x", x))
    input_specs.append({"user_input": {"arg": {"as_tensor": {"name": "x"}}}})
    pred = None
    for n in head.graph.nodes:
        if n.op == "call_function":
            top.call(n)
        elif n.op == "output":
            pred = top.name(n.args[0])
    branch_out = model.true_fn(*operand_values)[0] if bool(x.sum() > 0) else model.false_fn(*operand_values)[0]
    top.add_tensor("getitem", branch_out)
    top.graph["nodes"].append({
        "target": "torch.ops.higher_order.cond",
        "inputs": [{"name": "", "arg": {"as_tensor": {"name": pred}}, "kind": 1},
                   {"name": "", "arg": {"as_graph": {"name": "true_graph_0", "graph": true_graph}}, "kind": 1},
                   {"name": "", "arg": {"as_graph": {"name": "false_graph_0", "graph": false_graph}}, "kind": 1},
                   {"name": "", "arg": {"as_tensors": [{"name": n} for n in operand_names]}, "kind": 1}],
        "outputs": [{"as_tensor": {"name": "getitem"}}],
        "metadata": {"stack_trace": '  File "gen_pt2_fixtures.py", line 1, in forward\n    y = torch.cond(...)\n'},
        "is_hop_single_tensor_return": False})
    top.add_tensor("add", branch_out + 1.0)
    top.graph["nodes"].append({
        "target": "torch.ops.aten.add.Tensor",
        "inputs": [{"name": "self", "arg": {"as_tensor": {"name": "getitem"}}, "kind": 1},
                   {"name": "other", "arg": {"as_float": 1.0}, "kind": 1}],
        "outputs": [{"as_tensor": {"name": "add"}}], "metadata": {}, "is_hop_single_tensor_return": None})
    top.graph["outputs"] = [{"as_tensor": {"name": "add"}}]
    output_specs = [{"user_output": {"arg": {"as_tensor": {"name": "add"}}}}]
    return top.graph, input_specs, output_specs, symbols


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
    parser.add_argument("names", nargs="*")
    a = parser.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    torch.set_grad_enabled(False)
    for name in a.names or list(MODELS):
        done = all(os.path.exists(os.path.join(a.out, f"{name}.{layout}.pt2")) for layout in ("flat", "archive"))
        if done and not a.force:
            continue
        import time
        start = time.time()
        out = export_model(name, a.out)
        scale = float(torch.cat([t.float().flatten() for t in flatten(out)]).std())
        print(f"{name}: {time.time() - start:.1f}s, output std {scale:.3g}", flush=True)
    if "mlp" in (a.names or list(MODELS)):
        write_bad_files(a.out)


if __name__ == "__main__":
    main()
