#!/usr/bin/env bash
# ExportedProgram (.pt2) inputs: FIXTURES holds files written by scripts/gen_pt2_fixtures.py.
#   pt2_test.sh TOOL FIXTURES WORK CASE
# CASE is MODEL.LAYOUT (convert with --verify against the libtorch reference, run the ONNX
# checker, and compare ONNX Runtime's outputs with the eager PyTorch outputs the fixture
# script saved), dynamic_* (symbolic dims) or errors (broken files).
set -euo pipefail
tool=$1 dir=$2 work=$3 case=$4
mkdir -p "$work/$case"
out=$work/$case
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}

# sym NAME DIM: the program's symbol for the named Dim (torch.export picks symbol names).
sym() { $py -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$dir/$1.symbols.json" "$2"; }

# check_model, compare_eager
# shellcheck source=tests/e2e/common.sh
source "$(dirname "$0")/common.sh"
delete_models_on_success "$out"

expect_error() {  # FILE EXPECTED_TEXT
  local onnx=$out/$(basename "$1" .pt2).onnx rc=0
  "$tool" "$1" -o "$onnx" 2>"$out/err.txt" || rc=$?
  [[ $rc -eq 3 ]] || { echo "expected exit code 3 for $1, got $rc"; cat "$out/err.txt"; exit 1; }
  [[ $(wc -l <"$out/err.txt") -eq 1 ]] || { echo "expected a one-line error for $1:"; cat "$out/err.txt"; exit 1; }
  grep -q -- "$2" "$out/err.txt" || { echo "expected '$2' in the error for $1:"; cat "$out/err.txt"; exit 1; }
  [[ ! -e $onnx ]] || { echo "a partial output was left for $1"; exit 1; }
  echo "ok: $(cat "$out/err.txt")"
}

case $case in
  dynamic_mlp)  # the program's own symbol stays the dim_param
    s=$(sym mlp_dyn batch)
    for layout in flat archive; do
      "$tool" "$dir/mlp_dyn.$layout.pt2" -o "$out/mlp_$layout.onnx" --verify --verify-dims "$s=1" --verify-dims "$s=3" \
        --artifacts-dir "$out"
      check_model "$out/mlp_$layout.onnx"
      $py -c "import onnx,sys; m=onnx.load(sys.argv[1]); d=m.graph.input[0].type.tensor_type.shape.dim[0]; assert d.dim_param==sys.argv[2], d" \
        "$out/mlp_$layout.onnx" "$s"
    done ;;
  dynamic_mlp_nested)
    # The seed's check: renamed to batch_size, the three inputs are ("batch_size", 8).
    for layout in flat archive; do
      "$tool" "$dir/mlp_nested_dyn.$layout.pt2" -o "$out/nested_$layout.onnx" \
        --dynamic-shapes '[{"0": "batch_size"}, {"tensor_x": {"0": "batch_size"}}, [{"0": "batch_size"}]]' \
        --verify --verify-dims batch_size=1 --verify-dims batch_size=3 --artifacts-dir "$out"
      check_model "$out/nested_$layout.onnx"
      $py - "$out/nested_$layout.onnx" <<'PY'
import sys, onnx
m = onnx.load(sys.argv[1])
shapes = [tuple(d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim) for i in m.graph.input]
assert shapes == [("batch_size", 8)] * 3, shapes
print("inputs:", shapes)
PY
      grep -aq "pkg.torch.export.ExportedProgram.range_constraints" "$out/nested_$layout.onnx"
    done ;;
  dynamic_shape_arith)  # exported with Dim.AUTO
    s=$(sym shape_arith_dyn auto0)
    "$tool" "$dir/shape_arith_dyn.archive.pt2" -o "$out/shape_arith.onnx" --verify --verify-dims "$s=2" \
      --verify-dims "$s=7" --artifacts-dir "$out"
    check_model "$out/shape_arith.onnx"
    # Sizes stay computed at run time: the graph reads the input's shape.
    $py -c "import onnx,sys; m=onnx.load(sys.argv[1]); assert any(n.op_type=='Shape' for n in m.graph.node)" "$out/shape_arith.onnx" ;;
  dynamic_core_symbolic)  # sym_stride on an input with three dynamic dims, at other sizes too
    a=$(sym ops_core_symbolic_dyn a) b=$(sym ops_core_symbolic_dyn b) c=$(sym ops_core_symbolic_dyn c)
    "$tool" "$dir/ops_core_symbolic_dyn.archive.pt2" -o "$out/symbolic.onnx" --verify --verify-dims "$a=3,$b=2,$c=7" \
      --verify-dims "$a=6,$b=4,$c=2" --artifacts-dir "$out"
    check_model "$out/symbolic.onnx"
    compare_eager "$out/symbolic_test_data_set_0" "$dir/ops_core_symbolic_dyn" ;;
  random_ops)  # random ops at the first and last opset they convert at; refused at 22
    for name in ops_random ops_random_core; do
      for opset in 13 21; do
        "$tool" "$dir/$name.archive.pt2" -o "$out/${name}_$opset.onnx" --opset "$opset" --verify --json \
          --artifacts-dir "$out" >"$out/summary.json"
        check_model "$out/${name}_$opset.onnx"
        $py - "$out/summary.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["verification"]
assert v["passed"] and "depend on random ops" in v["note"], v
random = [o["random"] for o in v["outputs"]]
assert random == [True] * (len(random) - 1) + [False], random  # x * 2, the last output, compared exactly
print(v["note"])
PY
      done
      rc=0; "$tool" "$dir/$name.archive.pt2" -o "$out/${name}_22.onnx" --opset 22 2>"$out/err.txt" || rc=$?
      [[ $rc -eq 4 ]] && grep -q "convert with --opset 21 or lower" "$out/err.txt" || { echo "rc $rc"; cat "$out/err.txt"; exit 1; }
      [[ ! -e $out/${name}_22.onnx ]] || { echo "a partial output was left"; exit 1; }
    done ;;
  dynamic_errors)
    rc=0; "$tool" "$dir/mlp.flat.pt2" -o "$out/x.onnx" --dynamic-shapes '[{"0": "b"}]' 2>"$out/err.txt" || rc=$?
    [[ $rc -eq 2 ]] && grep -q "axis 0 is static (size 97) in the ExportedProgram" "$out/err.txt" || { cat "$out/err.txt"; exit 1; }
    rc=0; "$tool" "$dir/mlp_dyn.flat.pt2" -o "$out/x.onnx" --input-shape 5,9 2>"$out/err.txt" || rc=$?
    [[ $rc -eq 2 ]] && grep -q "axis 1 was exported with the static size 8, got 9" "$out/err.txt" || { cat "$out/err.txt"; exit 1; }
    [[ ! -e $out/x.onnx ]] || { echo "a partial output was left"; exit 1; }
    echo ok ;;
  dynamic_hw)  # a fully convolutional model with dynamic height and width
    h=$(sym resnet18_features_dyn_hw height) w=$(sym resnet18_features_dyn_hw width)
    "$tool" "$dir/resnet18_features_dyn_hw.archive.pt2" -o "$out/hw.onnx" --verify \
      --verify-dims "$h=160,$w=96" --verify-dims "$h=288,$w=320" --artifacts-dir "$out"
    check_model "$out/hw.onnx" ;;
  dynamic_batch:*)  # a torchvision classifier with a dynamic batch, renamed to batch
    name=${case#dynamic_batch:}
    "$tool" "$dir/${name}_dyn.archive.pt2" -o "$out/$name.onnx" --dynamic-axes '{"x": {"0": "batch"}}' \
      --verify --verify-dims batch=1 --verify-dims batch=3 --artifacts-dir "$out"
    check_model "$out/$name.onnx"
    compare_eager "$out/${name}_test_data_set_0" "$dir/${name}_dyn"
    $py -c "import onnx,sys; m=onnx.load(sys.argv[1]); d=m.graph.input[0].type.tensor_type.shape.dim[0]; assert d.dim_param=='batch', d" "$out/$name.onnx" ;;
  errors)
    expect_error "$dir/bad_schema_major.pt2" "schema version 99.0 is not supported"
    expect_error "$dir/bad_missing_state_dict.pt2" "serialized_state_dict.pt' (the weights) is missing"
    expect_error "$dir/bad_missing_weight.pt2" "data/weights/weight_0): the record is missing"
    expect_error "$dir/bad_json.pt2" "serialized_exported_program.json is not valid JSON"
    expect_error "$dir/bad_short_weight.pt2" "the weight file holds"
    ;;
  *@*)  # MODEL.LAYOUT@forms (the opsets where the model's op forms begin and end) or @N,M,...
    file=${case%@*} which=${case#*@}
    name=${file%.*} layout=${file#*.}
    if [[ $which == forms ]]; then
      opsets=$("$tool" inspect "$dir/$name.$layout.pt2" --json |
               $py -c "import json, sys; print(' '.join(map(str, json.load(sys.stdin)['form_boundary_opsets'])))")
    else
      opsets=${which//,/ }
    fi
    [[ -n $opsets ]] || { echo "no opset to convert $name at"; exit 1; }
    for opset in $opsets; do
      echo "== $name.$layout at opset $opset"
      "$tool" "$dir/$name.$layout.pt2" -o "$out/${name}_$opset.onnx" --opset "$opset" --verify --artifacts-dir "$out/$opset"
      check_model "$out/${name}_$opset.onnx"
      $py -c "import onnx, sys; v = onnx.load(sys.argv[1], load_external_data=False).opset_import[0].version; assert v == int(sys.argv[2]), v" \
        "$out/${name}_$opset.onnx" "$opset"
      compare_eager "$out/$opset/${name}_${opset}_test_data_set_0" "$dir/$name"
    done ;;
  *.*)
    name=${case%.*} layout=${case#*.}
    "$tool" "$dir/$name.$layout.pt2" -o "$out/$name.onnx" --verify --artifacts-dir "$out" --report
    check_model "$out/$name.onnx"
    compare_eager "$out/${name}_test_data_set_0" "$dir/$name"
    if [[ $name == mlp_nested ]]; then  # input paths from the program's in_spec
      "$tool" inspect "$dir/$name.$layout.pt2" >"$out/inspect.txt"
      grep -qF "(input_dict['tensor_x'])" "$out/inspect.txt" && grep -qF "(input_list[0])" "$out/inspect.txt" ||
        { cat "$out/inspect.txt"; exit 1; }
    fi
    if [[ -e $dir/$name.other_branch.npy ]]; then  # cond: the branch not taken by the example input
      "$tool" "$dir/$name.$layout.pt2" -o "$out/${name}_other.onnx" --input-data "$dir/$name.other_branch.npy" \
        --verify --artifacts-dir "$out"
      compare_eager "$out/${name}_other_test_data_set_0" "$dir/$name.other_branch"
    fi ;;
  *) echo "unknown case $case"; exit 2 ;;
esac
