#!/usr/bin/env bash
# Dynamic shapes end to end: each model exported with symbolic dims, verified against
# libtorch in ONNX Runtime at the example size and at other sizes (--verify-dims), and
# its ONNX inputs/outputs checked for the expected dim_params.
#   dynamic_test.sh TOOL SOURCE_DIR MODELS_DIR WORK_DIR CASE
set -euo pipefail
tool=$1 src=$2 models=$3 work=$4/$5 case=$5
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL ($case): $*" >&2; exit 1; }

# dims MODEL: "name:d0,d1;..." for inputs then outputs, dim_params by name.
dims() {
  $py -c "
import onnx, sys
m = onnx.load(sys.argv[1], load_external_data=False)
onnx.checker.check_model(sys.argv[1], full_check=True)
f = lambda vs: ';'.join(v.name + ':' + ','.join(d.dim_param or str(d.dim_value) for d in v.type.tensor_type.shape.dim) for v in vs)
print(f(m.graph.input) + ' -> ' + f(m.graph.output))" "$1"
}

convert() {  # convert NAME EXTRA_ARGS...
  local name=$1; shift
  # shellcheck disable=SC2046
  "$tool" "$models/$name.pt" -o "$name.onnx" $(cat "$models/$name.args") --verify "$@" | tee "$name.log"
}

seed_shapes='[{"0": "batch_size"}, {"tensor_x": {"0": "batch_size"}}, [{"0": "batch_size"}]]'
case $case in
  mlp)  # the seed example, example batch 97
    convert mlp --dynamic-shapes '[{"0": "batch_size"}]' --verify-dims batch_size=1 --verify-dims batch_size=3
    [[ $(dims mlp.onnx) == "tensor_x:batch_size,8 -> linear_2:batch_size,2" ]] || fail "$(dims mlp.onnx)"
    ;;
  mlp_nested)
    convert mlp_nested --dynamic-shapes "$seed_shapes" --verify-dims batch_size=1 --verify-dims batch_size=3
    d=$(dims mlp_nested.onnx)
    [[ $d == "tensor_x:batch_size,8;input_dict__tensor_x:batch_size,8;input_list_0:batch_size,8 -> "*":batch_size,2" ]] || fail "$d"
    grep -q "\[batch_size=3\].*OK" mlp_nested.log || fail "no run at batch 3"
    ;;
  dynamic_axes)  # the legacy form, with upstream's automatic names
    "$tool" "$models/mlp.pt" -o mlp.onnx --input-shape 97,8 --input-names x --output-names y \
      --dynamic-axes '{"x": [0], "y": {"0": "n"}}' --verify --verify-dims x_dynamic_axes_1=5
    [[ $(dims mlp.onnx) == "x:x_dynamic_axes_1,8 -> y:n,2" ]] || fail "$(dims mlp.onnx)"
    ;;
  resnet18|mobilenet_v2|vit_b_16|swin_t)
    convert "$case" --dynamic-shapes '[{"0": "batch"}]' --verify-dims batch=3
    d=$(dims "$case.onnx")
    [[ $d == "x:batch,3,224,224 -> "*":batch,1000" ]] || fail "$d"
    grep -q "\[batch=3\].*float32\[3, 1000\].*OK" "$case.log" || fail "no run at batch 3"
    ;;
  deeplab_hw)  # fully convolutional: dynamic height and width
    convert deeplabv3_mobilenet_v3_large --dynamic-shapes '[{"2": "height", "3": "width"}]' \
      --verify-dims height=320,width=480
    d=$(dims deeplabv3_mobilenet_v3_large.onnx)
    [[ $d == "x:1,3,height,width -> "*":1,21,height,width" ]] || fail "$d"
    ;;
  shape_arith|shape_arith_traced)  # x.size(0) in arithmetic, view/reshape/expand
    convert "$case" --dynamic-shapes '[{"0": "batch"}]' --verify-dims batch=1 --verify-dims batch=3
    d=$(dims "$case.onnx")
    [[ $d == "x:batch,6,4 -> "*":2*batch,8;"*":batch,3" ]] || fail "$d"
    ;;
  errors)
    expect() {  # expect PATTERN -- command
      local pattern=$1; shift 2
      local rc=0; "$@" >/dev/null 2>err.txt || rc=$?
      cat err.txt
      [[ $rc == 2 ]] || fail "exit code $rc"
      grep -q -- "$pattern" err.txt || fail "error does not mention '$pattern'"
    }
    nested=("$tool" "$models/mlp_nested.pt" -o x.onnx $(cat "$models/mlp_nested.args"))
    expect "has 2 entries but forward() takes 3" -- "${nested[@]}" --dynamic-shapes '[{"0": "b"}, {"tensor_x": {"0": "b"}}]'
    expect "dynamic_shapes\[1\]: the input dict has no key 'tensor_y'" -- "${nested[@]}" --dynamic-shapes '[{"0": "b"}, {"tensor_y": {"0": "b"}}, [{"0": "b"}]]'
    expect "dynamic_shapes\[1\]\['tensor_x'\]\['2'\]: axis 2 is out of range" -- "${nested[@]}" --dynamic-shapes '[{"0": "b"}, {"tensor_x": {"2": "b"}}, [{"0": "b"}]]'
    expect "dynamic_shapes\[2\]: the input is a list" -- "${nested[@]}" --dynamic-shapes '[{"0": "b"}, {"tensor_x": {"0": "b"}}, {"0": "b"}]'
    expect "malformed JSON" -- "${nested[@]}" --dynamic-shapes '[{"0": }]'
    expect "dynamic_axes\['tensor_y'\]: the model has no input or output named 'tensor_y'" -- "$tool" "$models/mlp.pt" -o x.onnx --input-shape 97,8 --dynamic-axes '{"tensor_y": [0]}'
    expect "dynamic_axes\['tensor_x'\]: axis 5 is out of range" -- "$tool" "$models/mlp.pt" -o x.onnx --input-shape 97,8 --dynamic-axes '{"tensor_x": [5]}'
    expect "no input has a dynamic dim named 'batch'" -- "$tool" "$models/mlp.pt" -o x.onnx --input-shape 97,8 --verify --verify-dims batch=3
    [[ ! -e x.onnx ]] || fail "a model was written"
    ;;
  *) fail "unknown case" ;;
esac
echo "PASS ($case)"
