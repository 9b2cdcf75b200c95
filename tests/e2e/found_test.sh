#!/usr/bin/env bash
# Model files as people have them: optional forward() arguments and stateful streaming
# models (fixtures: scripts/gen_found_fixtures.py).
#   found_test.sh TOOL FIXTURES_DIR WORK_DIR CASE
set -euo pipefail
tool=$1 fixtures=$2 work=$3/$4 case=$4
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}
source "$(dirname "$0")/expect.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# io MODEL: input and output names after the full check, e.g. "x,hx_0 -> y".
io() {
  $py -c "
import onnx, sys
onnx.checker.check_model(sys.argv[1], full_check=True)
m = onnx.load(sys.argv[1])
print(','.join(i.name for i in m.graph.input), '->', ','.join(o.name for o in m.graph.output))" "$1"
}

expect_io() {  # expect_io MODEL 'x,hx_0 -> y'
  local got
  got=$(io "$1")
  [[ $got == "$2" ]] || fail "$1 has inputs/outputs '$got', expected '$2'"
}

case $case in
  optional)
    # Left out: None, and the graph specialises on it; given (more shapes, or --input-spec):
    # inputs. null in --input-spec is None.
    "$tool" "$fixtures/optional_hx.pt" -o none.onnx --input-shape 2,8 --verify -q
    expect_io none.onnx "x -> lstm_cell,lstm_cell_1"
    "$tool" "$fixtures/optional_hx.pt" -o given.onnx --input-shape 2,8 --input-shape 2,16 --input-shape 2,16 --verify -q
    expect_io given.onnx "x,hx_0,hx_1 -> lstm_cell,lstm_cell_1"
    "$tool" "$fixtures/optional_hx.pt" -o spec_none.onnx --input-spec '[{"shape": [2, 8]}, null]' --verify -q
    expect_io spec_none.onnx "x -> lstm_cell,lstm_cell_1"
    "$tool" "$fixtures/optional_hx.pt" -o spec_given.onnx --input-spec '[{"shape": [3, 8]}, ["3,16", "3,16"]]' --verify -q
    expect_io spec_given.onnx "x,hx_0,hx_1 -> lstm_cell,lstm_cell_1"
    rc=0
    "$tool" "$fixtures/optional_hx.pt" -o bad.onnx --input-spec '[null, null]' 2>err.txt || rc=$?
    [[ $rc == 2 ]] && grep -q "only Optional arguments take" err.txt || fail "null for a required argument: rc $rc, $(cat err.txt)"
    # .pt2: torch.export specialises a None argument (left out, or passed) as a constant.
    for model in optional_hx_none optional_hx_given optional_mask_none optional_mask_kw; do
      "$tool" "$fixtures/$model.pt2" -o $model.onnx --verify -q
    done
    expect_io optional_hx_none.onnx "x -> getitem,getitem_1"
    expect_io optional_hx_given.onnx "x,hx_0,hx_1 -> getitem,getitem_1"
    expect_io optional_mask_none.onnx "x -> softmax"
    expect_io optional_mask_kw.onnx "x,mask -> softmax"
    ;;
  stateful)
    # The frame buffer becomes state.frames in and state.frames.out; three calls, each fed
    # the state the previous one returned, equal the eager model's three calls.
    for model in vad_setattr.pt vad_copy.pt vad_copy.pt2 vad_copy_decomposed.pt2; do
      shape=(); [[ $model == *.pt ]] && shape=(--input-shape 1,40)
      "$tool" "$fixtures/$model" -o "$model.onnx" "${shape[@]}" --verify -q
      io "$model.onnx" >io.txt
      grep -q "state.frames -> .*state.frames.out" io.txt || fail "$model: no state.frames input/output: $(cat io.txt)"
      $py - "$model.onnx" "$fixtures" "${model%%.*}" <<'PY'
import sys
import numpy as np
import onnxruntime as ort
path, fixtures, name = sys.argv[1:]
name = name.replace("_decomposed", "")
session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
frames = np.load(f"{fixtures}/vad_frames.npy")
expected = np.load(f"{fixtures}/vad_expected.npz")
inputs = [i.name for i in session.get_inputs()]
outputs = [o.name for o in session.get_outputs()]
state = np.zeros((1, 40, 8), np.float32)
for k in range(3):
    feed = {next(i for i in inputs if i != "state.frames"): frames[k], "state.frames": state}
    result = dict(zip(outputs, session.run(None, feed)))
    logits = result[next(o for o in outputs if o != "state.frames.out")]
    state = result["state.frames.out"]
    want = expected[f"{name}_logits_{k}"]
    assert np.abs(want).max() > 0.05, want
    assert np.allclose(logits, want, atol=1e-5, rtol=1e-4), (k, logits, want)
    assert np.allclose(state, expected[f"{name}_frames_{k}"], atol=1e-6), k
print(f"{path}: 3 calls match the eager model, last logits {logits.ravel()}")
PY
    done
    ;;
  signal)
    # An audio front end (STFT -> mel -> log) and a vocoder-style conv stack with weight
    # norm, both formats, at the lowest and highest opset ONNX's DFT/STFT forms allow.
    for opset in 17 26; do
      "$tool" "$fixtures/audio_frontend.pt" -o frontend_pt.onnx --input-shape 1,16000 --opset $opset --verify -q
      "$tool" "$fixtures/audio_frontend.pt2" -o frontend_pt2.onnx --opset $opset --verify -q
      io frontend_pt2.onnx >/dev/null
    done
    for opset in 13 26; do
      "$tool" "$fixtures/vocoder.pt" -o vocoder_pt.onnx --input-shape 1,40,20 --opset $opset --verify -q
      "$tool" "$fixtures/vocoder.pt2" -o vocoder_pt2.onnx --opset $opset --verify -q
      io vocoder_pt2.onnx >/dev/null
    done
    # Another signal length and frame count through the TorchScript files.
    "$tool" "$fixtures/audio_frontend.pt" -o frontend2.onnx --input-shape 1,8000 --verify -q
    "$tool" "$fixtures/vocoder.pt" -o vocoder2.onnx --input-shape 2,40,33 --verify -q
    ;;
  complex)
    # Complex graph inputs and outputs as float32 (real, imaginary) pairs, both formats, at
    # the lowest and highest opset of DFT's forms; ONNX Runtime fed view_as_real(z) returns
    # view_as_real of what the TorchScript model returns.
    for opset in 17 26; do
      for model in complex_io.pt complex_io_traced.pt complex_io.pt2; do
        spec=(); [[ $model == *.pt ]] && spec=(--input-shape 2,9 --input-dtype complex64)
        "$tool" "$fixtures/$model" -o "$model.onnx" "${spec[@]}" --opset $opset --verify -q
        $py - "$model.onnx" "$fixtures/complex_io.pt" <<'PY'
import sys
import numpy as np
import onnx
import onnxruntime as ort
import torch
path, scripted = sys.argv[1:]
onnx.checker.check_model(path, full_check=True)
model = onnx.load(path)
inputs = {i.name: [d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input}
outputs = {o.name: [d.dim_value for d in o.type.tensor_type.shape.dim] for o in model.graph.output}
assert list(inputs.values()) == [[2, 9, 2]] and sorted(outputs.values()) == [[2, 9, 2], [2, 16]], (inputs, outputs)
z = torch.randn(2, 9, dtype=torch.complex64)
with torch.no_grad():
    want = torch.jit.load(scripted)(z)
session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
got = session.run(None, {next(iter(inputs)): torch.view_as_real(z).numpy()})
for g in got:
    w = next(torch.view_as_real(t).numpy() if t.is_complex() else t.numpy() for t in want if t.shape == g.shape[:t.dim()] and
             (t.is_complex() == (g.ndim == t.dim() + 1)))
    assert np.abs(w).max() > 0.1 and np.allclose(g, w, atol=1e-5), (path, np.abs(g - w).max())
print(f"{path}: {inputs} -> {outputs}, equal to the model's complex outputs")
PY
      done
    done
    ;;
  modules)
    # --modules-as-functions: each module call becomes a call of a model-local function, one
    # function per distinct body; the structured model verifies like the flat one.
    for model in blocks.pt blocks_traced.pt blocks.pt2; do
      shape=(); [[ $model == *.pt ]] && shape=(--input-shape 2,6,16)
      "$tool" "$fixtures/$model" -o "$model.flat.onnx" "${shape[@]}" -q
      for selection in all leaves Block Attention,torch.nn.modules.linear.Linear; do
        flag=--modules-as-functions=$selection; [[ $selection == all ]] && flag=--modules-as-functions
        "$tool" "$fixtures/$model" -o "$model.$selection.onnx" "${shape[@]}" "$flag" --verify --json >"$model.$selection.json"
        $py - "$model.$selection.onnx" "$model.flat.onnx" "$model.$selection.json" "$selection" <<'PY'
import collections, json, sys
import numpy as np
import onnx
import onnxruntime as ort
path, flat_path, summary_path, selection = sys.argv[1:]
onnx.checker.check_model(path, full_check=True)
model = onnx.load(path)
functions = {(f.domain, f.name): f for f in model.functions}
classes = collections.Counter(f.name.split("_")[0] for f in model.functions)
calls = collections.Counter()
def count(nodes):
    for node in nodes:
        if (node.domain, node.op_type) in functions:
            calls[node.op_type.split("_")[0]] += 1
            count(functions[(node.domain, node.op_type)].node)
count(model.graph.node)
summary = json.load(open(summary_path))
assert summary["verification"]["passed"], summary
listed = {f["function"]: f["calls"] for f in summary["functions"]}
assert len(listed) == len(model.functions), (listed, list(functions))
# One function per distinct body: the three Blocks share one, so do all LayerNorm and
# Linear calls (weights are inputs); the shared `norm` is called twice.
want = {"all": {"Block": 3, "Attention": 3, "Mlp": 3, "LayerNorm": 8, "Linear": 13, "GELU": 3},
        "leaves": {"LayerNorm": 8, "Linear": 13, "GELU": 3},
        "Block": {"Block": 3},
        "Attention,torch.nn.modules.linear.Linear": {"Attention": 3, "Linear": 13}}[selection]
assert dict(calls) == want, (selection, dict(calls))
assert all(n == 1 for n in classes.values()), (selection, classes)
top = collections.Counter(n.op_type for n in model.graph.node)
if selection == "all":  # norm, three blocks, norm, head; and shape arithmetic shared by the blocks
    assert sum(n for op, n in top.items() if op in dict(calls)) == 6, top
    assert set(top) - set(calls) <= {"Shape", "Gather", "Unsqueeze", "Concat", "Constant"}, top
flat = onnx.load(flat_path)
x = np.random.default_rng(0).standard_normal((2, 6, 16)).astype(np.float32)
run = lambda p: ort.InferenceSession(p, providers=["CPUExecutionProvider"]).run(None, {model.graph.input[0].name: x})[0]
got, expected = run(path), run(flat_path)
assert np.abs(expected).max() > 0.1 and np.allclose(got, expected, atol=1e-6), np.abs(got - expected).max()
print(f"{path}: {len(model.functions)} functions, calls {dict(calls)}, {len(model.graph.node)} top-level nodes")
PY
      done
    done
    # The dynamic batch of the .pt2 at another size.
    batch=$($py -c "import onnx, sys; print(onnx.load(sys.argv[1]).graph.input[0].type.tensor_type.shape.dim[0].dim_param)" blocks.pt2.flat.onnx)
    "$tool" "$fixtures/blocks.pt2" -o dims.onnx --modules-as-functions --verify --verify-dims "$batch=5" -q
    # A class the model does not have: a usage error listing the classes it has.
    expect_error 2 "no call of a module of class 'NoSuchBlock'.*Block" bad.onnx -- \
      "$tool" "$fixtures/blocks.pt2" -o bad.onnx --modules-as-functions=NoSuchBlock
    # Into the report.
    "$tool" "$fixtures/blocks.pt2" -o report.onnx --modules-as-functions=Block --report --artifacts-dir reports -q
    cat reports/*.md >report.md
    grep -F "| __main__::Block | __main__.Block | 3 |" report.md >/dev/null ||
      fail "no module function table in the report: $(cat report.md)"
    ;;
  *) fail "unknown case" ;;
esac
echo "PASS ($case)"
