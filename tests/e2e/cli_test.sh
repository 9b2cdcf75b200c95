#!/usr/bin/env bash
# End-to-end tests of the torch2onnx command line (options, reports, artifacts, errors).
#   cli_test.sh TOOL SOURCE_DIR FIXTURES_DIR WORK_DIR CASE
# Each CASE is one CTest test; fixtures come from scripts/gen_cli_fixtures.py.
set -euo pipefail
tool=$1 src=$2 fixtures=$3 work=$4/$5 case=$5
samples=$src/samples
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}
rm -rf "$work" && mkdir -p "$work" && cd "$work"

source "$(dirname "$0")/expect.sh"

onnx_py() {  # onnx_py MODEL 'python expression over m (the loaded model)'
  $py -c "import onnx, sys; m = onnx.load(sys.argv[1], load_external_data=False); onnx.checker.check_model(sys.argv[1], full_check=True); $2" "$1"
}

mlp=(-o mlp.onnx "$samples/mlp.pt" --input-shape 97,8)

case $case in
  opset)
    "$tool" "${mlp[@]}" --opset 13 --verify -q
    onnx_py mlp.onnx "assert m.opset_import[0].version == 13, m.opset_import"
    expect_error 2 "--opset 12 is not supported" mlp12.onnx -- "$tool" "$samples/mlp.pt" -o mlp12.onnx --input-shape 97,8 --opset 12
    "$tool" "${mlp[@]}" --opset 26 --verify -q
    onnx_py mlp.onnx "assert m.opset_import[0].version == 26, m.opset_import"
    expect_error 2 "--opset 27 is not supported" mlp27.onnx -- "$tool" "$samples/mlp.pt" -o mlp27.onnx --input-shape 97,8 --opset 27
    # The default is torch.onnx.export(dynamo=True)'s in the torch of .venv.
    torch_default=$($py -c "from torch.onnx import _constants; print(_constants.ONNX_DEFAULT_OPSET)" 2>/dev/null)
    version=$("$tool" --version)
    [[ $version == *"default opset $torch_default)"* ]] || fail "default opset is not torch's ($torch_default): $version"
    "$tool" "${mlp[@]}" -q
    onnx_py mlp.onnx "assert m.opset_import[0].version == $torch_default, m.opset_import"
    ;;
  names)
    "$tool" "${mlp[@]}" --input-names features --output-names scores --verify -q
    onnx_py mlp.onnx "assert [i.name for i in m.graph.input] == ['features'], m.graph.input; assert [o.name for o in m.graph.output] == ['scores']"
    expect_error 2 "'a' is given twice" x.onnx -- "$tool" "$samples/mlp_nested.pt" -o x.onnx --input-shape 97,8 --input-shape 97,8 --input-shape 97,8 --input-names a,b,a
    expect_error 2 "--input-names has 2 names but the model has 1 inputs" x.onnx -- "$tool" "$samples/mlp.pt" -o x.onnx --input-shape 97,8 --input-names a,b
    expect_error 2 "--output-names has 2 names but the model has 1 outputs" x.onnx -- "$tool" "$samples/mlp.pt" -o x.onnx --input-shape 97,8 --output-names y,z
    ;;
  optimize)
    "$tool" "$fixtures/redundant.pt" -o opt.onnx --input-shape 3,5 --verify --json --report --artifacts-dir art >opt.json
    "$tool" "$fixtures/redundant.pt" -o raw.onnx --input-shape 3,5 --verify --json --no-optimize >raw.json
    $py -c "
import json
o=json.load(open('opt.json')); r=json.load(open('raw.json'))
assert o['verification']['passed'] and r['verification']['passed']
assert 'optimize' not in r, r
before, after = o['optimize']['nodes_before'], o['onnx_nodes']
assert before == r['onnx_nodes'] and after < before, (before, after, r['onnx_nodes'])
passes = {p['pass']: p for p in o['optimize']['passes']}
assert passes['common subexpression elimination']['nodes_removed'] >= 1, passes
assert passes['no-op removal']['nodes_removed'] >= 1, passes"
    grep -q "## Optimization" art/redundant_onnx_export_*_success.md || fail "report lacks the optimizer table"
    ;;
  list_ops)
    "$tool" --list-ops >ops.txt
    grep -q "^aten::conv2d  *13-26  conv_pool" ops.txt || fail "aten::conv2d not listed"
    grep -q "^aten::gelu  *13-19, 20-26  activation" ops.txt || fail "aten::gelu's two forms not listed"
    grep -q "^[0-9]* ops$" ops.txt || fail "no total"
    "$tool" --list-ops --opset 13 >ops13.txt
    grep -q "ops at opset 13" ops13.txt || fail "--opset not applied"
    expect_error 2 "--opset 12 is not supported" none.onnx -- "$tool" --list-ops --opset 12
    # The coverage tables in docs/OPS.md and README.md must be the generated ones.
    T2O_TOOL=$tool "$src/scripts/gen_ops_table.sh" --check || fail "docs/OPS.md, docs/CORE_ATEN.md or README.md is stale: run scripts/gen_ops_table.sh"
    ;;
  external_data)
    "$tool" "$fixtures/wide_mlp.pt" -o wide.onnx --input-shape 4,64 --external-data --verify -q
    [[ -s wide.onnx.data ]] || fail "no external data file"
    onnx_py wide.onnx "assert any(t.data_location == onnx.TensorProto.EXTERNAL for t in m.graph.initializer)"
    # Move model + data elsewhere and run from a third directory.
    mkdir -p moved other && mv wide.onnx wide.onnx.data moved/ && rm wide_test_data_set_0/output_0.pb
    (cd other && node "$src/tools/ort_runner/run.js" ../moved/wide.onnx ../wide_test_data_set_0 >/dev/null)
    [[ -s wide_test_data_set_0/output_0.pb ]] || fail "ONNX Runtime wrote no output"
    "$tool" "$samples/mlp.pt" -o inline.onnx --input-shape 97,8 --no-external-data -q
    [[ ! -e inline.onnx.data ]] || fail "--no-external-data wrote a data file"
    expect_error 2 "contradict" y.onnx -- "$tool" "$samples/mlp.pt" -o y.onnx --input-shape 97,8 --external-data --no-external-data
    ;;
  initializers)
    "$tool" "${mlp[@]}" --keep-initializers-as-inputs --verify -q
    onnx_py mlp.onnx "names = [i.name for i in m.graph.input]; assert 'fc0.weight' in names and len(m.graph.initializer) >= 8, names"
    "$tool" "$samples/mlp.pt" -o noparams.onnx --input-shape 97,8 --no-export-params -q
    onnx_py noparams.onnx "assert not any(i.name.startswith('fc') for i in m.graph.initializer); assert 'fc3.bias' in [i.name for i in m.graph.input]"
    "$tool" apply-weights noparams.onnx --weights "$samples/mlp.pt" -o applied.onnx -q
    onnx_py applied.onnx "assert 'fc0.weight' in [i.name for i in m.graph.initializer]; assert [i.name for i in m.graph.input] == ['tensor_x']"
    # The applied model computes what the directly converted one does.
    "$tool" "$samples/mlp.pt" -o direct.onnx --input-shape 97,8 --verify -q --artifacts-dir direct
    node "$src/tools/ort_runner/run.js" applied.onnx direct/direct_test_data_set_0 --outputs "$(onnx_py applied.onnx 'print(m.graph.output[0].name)')" >/dev/null
    expect_error 3 "nothing to apply" again.onnx -- "$tool" apply-weights applied.onnx --weights "$samples/mlp.pt" -o again.onnx
    ;;
  report)
    "$tool" "${mlp[@]}" --report --verify --profile --artifacts-dir art -q 2>profile.txt
    report=$(ls art/mlp_onnx_export_*_success.md)
    for section in "## Capture strategies" "## Captured program" "### Operators" "## ONNX model" "## Verification results" "## Profile" "aten::linear"; do
      grep -q -- "$section" "$report" || fail "report lacks '$section'"
    done
    grep -q "peak RSS" profile.txt || fail "--profile printed no table on stderr"
    # A failing conversion writes a report too, naming every unsupported op.
    "$tool" "$fixtures/unsupported_ops.pt" -o u.onnx --input-shape 2,4,4 --report --artifacts-dir art -q 2>/dev/null && fail "should fail"
    report=$(ls art/unsupported_ops_onnx_export_*_conversion.md)
    grep -q "aten::segment_reduce" "$report" && grep -q "aten::hash_tensor" "$report" || fail "report lacks the unsupported ops"
    ;;
  verify_mismatch)
    rc=0
    "$tool" "$samples/control_flow.pt" -o cf.onnx --input-data "$samples/control_flow_pos.npy" --verify --atol 0 --rtol 0 --report >out.txt 2>err.txt || rc=$?
    cat out.txt err.txt
    [[ $rc == 5 ]] || fail "exit code $rc, expected 5"
    grep -q "first diverging value '.*' from [a-z]*::" err.txt || fail "no first diverging value in the error"
    grep -q "### First diverging value" ./control_flow_onnx_export_*_accuracy.md || fail "report lacks the divergence"
    ;;
  dump)
    "$tool" "${mlp[@]}" --dump-exported-program -q
    grep -q "aten::linear" mlp_exported_program.txt || fail "text dump lacks the program"
    $py -c "import json,sys; p=json.load(open(sys.argv[1])); ops=[n['op'] for n in p['nodes']]; assert ops.count('aten::linear')==4, ops; assert p['inputs'][1]['input_kind']=='PARAMETER'" mlp_exported_program.json
    ;;
  json)
    "$tool" "${mlp[@]}" --verify --json >summary.json
    $py -c "
import json,sys
s=json.load(open('summary.json'))
assert s['status']=='ok' and s['exit_code']==0 and s['opset']==20, s
assert s['output']['model'].endswith('mlp.onnx') and s['onnx_nodes']>0
assert s['verification']['passed'] and s['verification']['outputs'][0]['max_abs_diff'] < 1e-4
assert [t['stage'] for t in s['timings']][:2]==['detect format','capture']"
    rc=0; "$tool" "$fixtures/unsupported_ops.pt" -o u.onnx --input-shape 2,4,4 --json >bad.json 2>/dev/null || rc=$?
    [[ $rc == 4 ]] || fail "exit code $rc"
    $py -c "
import json
s=json.load(open('bad.json'))
assert s['status']=='failed' and s['exit_code']==4
ops={u['op'] for u in s['unsupported']}
assert ops=={'aten::segment_reduce','aten::hash_tensor'}, ops
assert all(u['location']['module_path'] for u in s['unsupported'])"
    ;;
  batch)
    rc=0
    "$tool" "$samples/mlp.pt" "$fixtures/not_a_zip.pt" "$samples/control_flow.pt" --output-dir out --jobs 2 \
      --input-shape 4,8 >table.txt 2>progress.txt || rc=$?
    cat table.txt progress.txt
    [[ $rc == 2 || $rc == 3 ]] || fail "exit code $rc, expected the first failure's code"
    [[ -s out/mlp.onnx && -s out/control_flow.onnx && ! -e out/not_a_zip.onnx ]] || fail "outputs: $(ls out)"
    grep -q "2 of 3 models converted" table.txt || fail "no final table"
    grep -q "not_a_zip.pt *FAILED" table.txt || fail "the failure is not in the table"
    "$tool" "$samples/mlp.pt" "$samples/control_flow.pt" --output-dir out2 --input-shape 4,8 --json >batch.json
    $py -c "
import json
s=json.load(open('batch.json'))
assert s['status']=='ok' and [m['status'] for m in s['models']]==['ok','ok'], s"
    expect_error 2 "would both be written" out3/mlp.onnx -- "$tool" "$samples/mlp.pt" "$samples/mlp.pt" --output-dir out3 --input-shape 97,8
    ;;
  inspect)
    "$tool" inspect "$samples/mlp_nested.pt" --input-shape 97,8 --input-shape 97,8 --input-shape 97,8 >inspect.txt
    grep -q "aten::linear" inspect.txt && grep -q "every op has a translator" inspect.txt || fail "$(cat inspect.txt)"
    ls ./*.onnx 2>/dev/null && fail "inspect wrote a model"
    rc=0; "$tool" inspect "$fixtures/unsupported_ops.pt" --input-shape 2,4,4 --json >inspect.json || rc=$?
    $py -c "
import json
s=json.load(open('inspect.json'))
assert s['status']=='ok', s
missing={u['op'] for u in s['unsupported']}
assert missing=={'aten::segment_reduce','aten::hash_tensor'}, missing
assert any(o['op']=='aten::linear' and o['translator'] for o in s['ops'])"
    ;;
  errors)
    expect_error 3 "no such file" out.onnx -- "$tool" missing.pt -o out.onnx --input-shape 1
    expect_error 3 "not a zip archive" out.onnx -- "$tool" "$fixtures/not_a_zip.pt" -o out.onnx --input-shape 1
    expect_error 3 "truncated zip archive" out.onnx -- "$tool" "$fixtures/truncated.pt" -o out.onnx --input-shape 1
    expect_error 3 "zip archive but not a PyTorch model" out.onnx -- "$tool" "$fixtures/other.zip" -o out.onnx --input-shape 1
    expect_error 3 "argument 'mode' has type str" out.onnx -- "$tool" "$fixtures/string_input.pt" -o out.onnx --input-shape 2,3
    expect_error 2 "takes 1 tensor input but 2" out.onnx -- "$tool" "$samples/mlp.pt" -o out.onnx --input-shape 97,8 --input-shape 3
    expect_error 2 "--input-shape" out.onnx -- "$tool" "$samples/mlp.pt" -o out.onnx --input-shape 97,a
    expect_error 2 "--input-dtype complex128: of the complex dtypes only complex64 is supported" out.onnx -- "$tool" "$samples/mlp.pt" -o out.onnx --input-shape 97,8 --input-dtype complex128
    expect_error 2 "--opset 99 is not supported" out.onnx -- "$tool" "$samples/mlp.pt" -o out.onnx --input-shape 97,8 --opset 99
    expect_error 4 "cannot write" missing_dir/out.onnx -- "$tool" "$samples/mlp.pt" -o missing_dir/out.onnx --input-shape 97,8
    mkdir -p readonly && chmod 555 readonly
    if [[ $(id -u) != 0 ]]; then
      expect_error 4 "cannot write" readonly/out.onnx -- "$tool" "$samples/mlp.pt" -o readonly/out.onnx --input-shape 97,8
    fi
    expect_error 4 "it is a directory" readonly/nested -- "$tool" "$samples/mlp.pt" -o readonly --input-shape 97,8
    # Unsupported ops: every op listed at once with its location, non-zero exit, no file.
    rc=0; "$tool" "$fixtures/unsupported_ops.pt" -o u.onnx --input-shape 2,4,4 2>err.txt || rc=$?
    cat err.txt
    [[ $rc == 4 && ! -e u.onnx ]] || fail "exit code $rc"
    grep -q "aten::segment_reduce (1 node)" err.txt && grep -q "(segments)" err.txt || fail "segment_reduce not listed with its module"
    grep -q "aten::hash_tensor (1 node)" err.txt && grep -q "(hashes)" err.txt || fail "hash_tensor not listed with its module"
    ;;
  *) fail "unknown case" ;;
esac
echo "PASS ($case)"
