#!/usr/bin/env bash
# Model files as people have them: optional forward() arguments and stateful streaming
# models (fixtures: scripts/gen_found_fixtures.py).
#   found_test.sh TOOL FIXTURES_DIR WORK_DIR CASE
set -euo pipefail
tool=$1 fixtures=$2 work=$3/$4 case=$4
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}
rm -rf "$work" && mkdir -p "$work" && cd "$work"

fail() { echo "FAIL ($case): $*" >&2; exit 1; }

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
  *) fail "unknown case" ;;
esac
echo "PASS ($case)"
