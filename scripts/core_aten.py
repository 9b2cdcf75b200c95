"""docs/CORE_ATEN.md: every operator of PyTorch's core ATen set, what the translator
registry does with it, and the tests that convert and verify it.

    PYTHON core_aten.py TOOL > CORE_ATEN.md
    PYTHON core_aten.py --inc > core/translate/core_aten_ops.inc   (the list the tool counts by)

The core set is the overloads tagged `core` in the native_functions.yaml of the installed
torch (torchgen ships it with the wheel): what `run_decompositions()` may leave in an
ExportedProgram. The statuses come from `TOOL --list-ops --json`; the tests from the op
models of pt2_op_models.py, exported here exactly as the fixtures are (torch.export as it
leaves them, and after run_decompositions(), the e2e.pt2.ops_* tests; traced, the
e2e.convert_verify.ops_* tests) and from the op test cases (tests/ops/*.cpp) whose title
names the op.

Exits 1, after writing the table, when a core op has neither a translator nor a stated
reason, when a translated core op is in no test, or when an op listed below as never
emitted shows up in a test model after all.
"""
import json
import os
import re
import subprocess
import sys
import warnings

import torch
import torchgen
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pt2_op_models  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Core overloads torch.export never writes into a saved program (checked: none of the test
# models holds them), with the reason. Where they have a translator, it serves TorchScript
# graphs and needs a test like any other.
NEVER_EMITTED = {
    "aten::sym_numel": "torch.export computes it from sym_size while tracing",
    "aten::sym_is_contiguous": "torch.export evaluates it while tracing, and TorchScript cannot save a graph that "
                               "returns its SymBool",
    "aten::sym_storage_offset": "torch.export evaluates it while tracing",
    "aten::atan2.out": "an out= variant: exported programs are functional (atan2.default)",
}


def core_overloads():
    path = os.path.join(os.path.dirname(torchgen.__file__), "packaged", "ATen", "native", "native_functions.yaml")
    with open(path) as f:
        functions = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    ops = []
    for fn in functions:
        tags = fn.get("tags", [])
        if "core" in ([tags] if isinstance(tags, str) else tags):
            name = fn["func"].split("(")[0]
            ops.append("aten::" + name)
    return sorted(ops)


def key_of(op):
    """aten::add.Tensor -> ("aten::add", "Tensor"); aten::abs -> ("aten::abs", "")."""
    name, _, overload = op.partition(".")
    return name, overload


def graph_overloads(graph):
    found = set()
    for node in graph.nodes:
        if node.op == "call_function" and isinstance(node.target, torch._ops.OpOverload):
            schema = node.target._schema
            overload = "" if schema.overload_name in ("", "default") else schema.overload_name
            found.add(schema.name + ("." + overload if overload else ""))
    return found


def traced_overloads(module, args):
    found = set()
    traced = torch.jit.trace(module, args, check_trace=False)
    for node in traced.inlined_graph.nodes():
        try:
            schema = node.schema()
        except RuntimeError:
            continue
        if schema.startswith("aten::"):
            found.add(schema[: schema.index("(")])
    return found


def model_tests():
    """op overload -> the e2e tests whose model holds it."""
    tests = {}

    def note(ops, test):
        for op in ops:
            tests.setdefault(op, set()).add(test)

    for name, (build, _) in pt2_op_models.OP_MODELS.items():
        module, args = build()
        exported = torch.export.export(module, args)
        note(graph_overloads(exported.graph), f"e2e.pt2.{name}.archive@forms")
        if name != "ops_attention":  # as gen_pt2_fixtures.py: no decomposed attention model
            note(graph_overloads(exported.run_decompositions().graph), f"e2e.pt2.{name}_core.archive@forms")
        note(traced_overloads(*build()), f"e2e.convert_verify.{name}")
    module, args = pt2_op_models.build_random()
    exported = torch.export.export(module, args)
    note(graph_overloads(exported.graph) | graph_overloads(exported.run_decompositions().graph), "e2e.pt2.random_ops")
    module, args = pt2_op_models.build_core_symbolic()
    exported = torch.export.export(module, args, dynamic_shapes=pt2_op_models.core_symbolic_dims(args))
    note(graph_overloads(exported.run_decompositions().graph), "e2e.pt2.dynamic_core_symbolic")
    return tests


def op_test_cases():
    """op name (with or without overload) -> op test cases whose title names it."""
    cases = {}
    ops_dir = os.path.join(ROOT, "tests", "ops")
    for file in sorted(os.listdir(ops_dir)):
        with open(os.path.join(ops_dir, file)) as f:
            for title in re.findall(r'TEST_CASE\("([^"]*)"', f.read()):
                # "aten::rand / randn / rand_like": every name of the slash-separated run
                for first, more in re.findall(r"aten::([\w.]+)((?:\s*/\s*[\w.]+)*)", title):
                    for op in [first] + [m.strip() for m in more.split("/") if m.strip()]:
                        cases.setdefault("aten::" + op, set()).add(f'ops "{title}"')
    return cases


def core_table():
    """core/translate/core_aten_ops.inc: the core overloads, with the reason of those
    torch.export never writes (what `torch2onnx --list-ops` counts coverage by)."""
    lines = [f"// Generated by scripts/core_aten.py --inc from the native_functions.yaml of torch "
             f"{torch.__version__.split('+')[0]}: the overloads tagged",
             "// `core`, {overload, why none is needed (empty: needed)}. Do not edit."]
    for op in core_overloads():
        name, overload = key_of(op)
        never = NEVER_EMITTED.get(op) or (NEVER_EMITTED.get(name) if overload in ("", "default") else None)
        lines.append(f'{{"{op}", "{never or ""}"}},')
    return "\n".join(lines) + "\n"


def main():
    if sys.argv[1] == "--inc":
        sys.stdout.write(core_table())
        return 0
    tool = sys.argv[1]
    registry = json.loads(subprocess.run([tool, "--list-ops", "--json"], check=True, capture_output=True, text=True).stdout)
    translators = {e["key"]: e for e in registry["translators"] if not e["complex"]}
    complex_translators = {e["key"]: e for e in registry["translators"] if e["complex"]}
    refusals = {e["key"]: e for e in registry["refusals"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tests = model_tests()
    cases = op_test_cases()

    rows, problems, counts = [], [], {}
    for op in core_overloads():
        name, overload = key_of(op)
        in_place = name.endswith("_") and not name.endswith("__")  # resize_: the functional op's translator
        entry = (translators.get(op) or translators.get(name) or complex_translators.get(op) or
                 complex_translators.get(name) or (in_place and translators.get(name[:-1])))
        refusal = refusals.get(op) or refusals.get(name)
        for rule in registry["refusal_rules"]:
            if ("suffix" in rule and name.endswith(rule["suffix"]) and not refusal) or \
               ("overload_suffix" in rule and overload.endswith(rule["overload_suffix"])):
                refusal, entry = rule, None  # out= variants are refused even where the op has a translator
        never = NEVER_EMITTED.get(op) or (NEVER_EMITTED.get(name) if overload in ("", "default") else None)
        covered = sorted(tests.get(op, set())) + sorted(cases.get(op, set()) | cases.get(name, set()))
        if never and tests.get(op):
            problems.append(f"{op} is said never to be emitted, but {', '.join(sorted(tests[op]))} holds it")
        if entry:
            kind = status = "translated"
            opsets = ", ".join(f"{a}-{b}" for a, b in entry["opsets"])
            if not covered:
                problems.append(f"{op} has a translator but no test converts it")
        elif refusal:
            kind = refusal["kind"]
            status = kind if "key" not in refusal else kind + ": " + refusal["reason"]  # rule reasons: below the table
            opsets = ""
        elif never:
            kind, status, opsets = "not needed", "not needed", ""
        else:
            kind, status, opsets = "unhandled", "**no translator**", ""
            problems.append(f"{op} has neither a translator nor a stated reason")
        if never:
            status += f" (never in a saved program: {never})"
        counts[kind] = counts.get(kind, 0) + 1
        rows.append(f"| `{op}` | {status} | {opsets} | {', '.join(covered)} |")

    total = len(rows)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    print("# Core ATen operators\n")
    print("Generated by `scripts/gen_ops_table.sh` (scripts/core_aten.py) from the overloads tagged `core` in the "
          f"native_functions.yaml of torch {torch.__version__.split('+')[0]}, `torch2onnx --list-ops --json` and the "
          "test models that hold each op (scripts/pt2_op_models.py; op test cases named after it). "
          "A test fails when this file is stale or when a core op has neither a translator nor a stated reason.\n")
    print(f"{total} core ATen overloads: {summary}.\n")
    print("| op | status | opsets | tested by |\n|---|---|---|---|")
    print("\n".join(rows))
    print()
    for rule in registry["refusal_rules"]:
        print(f"- **{rule['kind']}**: {rule['reason']}.")
    for p in problems:
        print(f"core_aten.py: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
