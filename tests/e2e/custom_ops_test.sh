#!/usr/bin/env bash
# Extension ops: --load-library and --op-map on models calling the custom ops of
# tests/extension/t2o_test_ops.cpp (fixtures: scripts/gen_custom_op_fixtures.py).
#   custom_ops_test.sh TOOL LIBRARY OP_MAP FIXTURES_DIR WORK_DIR CASE
set -euo pipefail
tool=$1 library=$2 op_map=$3 fixtures=$4 work=$5/$6 case=$6
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}
rm -rf "$work" && mkdir -p "$work" && cd "$work"

source "$(dirname "$0")/expect.sh"

# node_types MODEL: "domain:op_type" of every node, one per line, after the full check.
node_types() {
  $py -c "
import onnx, sys
onnx.checker.check_model(sys.argv[1], full_check=True)
m = onnx.load(sys.argv[1])
print('opsets', sorted((o.domain, o.version) for o in m.opset_import))
for n in m.graph.node: print(f'{n.domain}:{n.op_type}')" "$1"
}

with_extension=(--load-library "$library" --op-map "$op_map")
case $case in
  pt|pt2)
    model=$fixtures/custom.$case
    # Opset 20: the three custom ops and aten::gelu (the map's since_opset) as single nodes.
    "$tool" "$model" -o custom20.onnx --input-shape 4,16 "${with_extension[@]}" --opset 20 --verify --json >r20.json
    node_types custom20.onnx | tee types20.txt
    for want in com.microsoft:QuickGelu com.microsoft:BiasGelu :HardSigmoid :Gelu; do
      grep -qx "$want" types20.txt || fail "no $want node at opset 20"
    done
    grep -q "('com.microsoft', 1)" types20.txt || fail "no com.microsoft opset import"
    $py -c "
import json, sys
r = json.load(open('r20.json'))
v = r['verification']
assert r['status'] == 'ok' and v['passed'], r
print('verified, max abs diff', max(o['max_abs_diff'] for o in v['outputs']))" || fail "verification"
    # Opset 17: the gelu entry does not apply (ONNX Gelu is opset 20), the built-in translation does.
    "$tool" "$model" -o custom17.onnx --input-shape 4,16 "${with_extension[@]}" --opset 17 --verify -q
    node_types custom17.onnx >types17.txt
    ! grep -qx ":Gelu" types17.txt || fail "Gelu node at opset 17"
    grep -qx "com.microsoft:QuickGelu" types17.txt || fail "no QuickGelu at opset 17"
    # Another batch size through the .pt2's dynamic batch dim / the scripted module.
    "$tool" "$model" -o custom9.onnx --input-shape 9,16 "${with_extension[@]}" --verify -q
    ;;
  errors)
    # The library missing: TorchScript cannot load the file; the error says what to pass.
    expect_error 3 "t2o_test::quick_gelu" x.onnx -- "$tool" "$fixtures/custom.pt" -o x.onnx --input-shape 4,16
    grep -q -- "--load-library" stderr.txt || fail "the error does not point at --load-library"
    # Loaded but not mapped: every custom op listed at once, with its location.
    expect_listing 4 "t2o_test::quick_gelu" x.onnx -- "$tool" "$fixtures/custom.pt2" -o x.onnx --load-library "$library"
    grep -q "t2o_test::bias_gelu" stderr.txt || fail "not every unsupported op is listed"
    grep -q "t2o_test::hard_sigmoid" stderr.txt || fail "not every unsupported op is listed"
    grep -q "gen_custom_op_fixtures.py" stderr.txt || fail "no source location"
    # Mapped except one: that one, twice, with both locations.
    expect_listing 4 "t2o_test::unmapped (2 nodes)" x.onnx -- "$tool" "$fixtures/unmapped.pt" -o x.onnx --input-shape 4,16 "${with_extension[@]}"
    expect_error 3 "--load-library 'missing.so': no such file" x.onnx -- "$tool" "$fixtures/custom.pt" -o x.onnx --load-library missing.so
    echo "not a library" >bad.so
    expect_error 3 "--load-library 'bad.so' does not load" x.onnx -- "$tool" "$fixtures/custom.pt" -o x.onnx --load-library bad.so
    expect_error 2 "--op-map 'missing.json': no such file" x.onnx -- "$tool" "$fixtures/custom.pt" -o x.onnx --op-map missing.json
    echo '{"ops": {"t2o_test::quick_gelu": {"op_typ": "QuickGelu"}}}' >typo.json
    expect_error 2 "entry 't2o_test::quick_gelu': unknown field 'op_typ'" x.onnx -- "$tool" "$fixtures/custom.pt" -o x.onnx --op-map typo.json
    $py -c "
import json, sys
m = json.load(open(sys.argv[1]))
m['ops']['t2o_test::quick_gelu']['attributes']['alpha']['argument'] = 7
json.dump(m, open('range.json', 'w'))" "$op_map"
    expect_listing 4 "names argument #7, but the op has 2 arguments" x.onnx -- "$tool" "$fixtures/custom.pt" -o x.onnx --input-shape 4,16 --load-library "$library" --op-map range.json
    echo '{"ops": {"quick_gelu": {"op_type": "QuickGelu"}}}' >key.json
    expect_error 2 "namespace::op" x.onnx -- "$tool" "$fixtures/custom.pt" -o x.onnx --op-map key.json
    ;;
  plugin)
    plugin=${T2O_SAMPLE_PLUGIN:?set by CTest}
    for format in pt pt2; do
      "$tool" "$fixtures/unmapped.$format" -o unmapped_$format.onnx --input-shape 4,16 --load-library "$library" \
        --translator-plugin "$plugin" --verify -q
      node_types unmapped_$format.onnx >types.txt
      [[ $(grep -cx ":Sin" types.txt) == 2 ]] || fail "expected the plugin's two Sin nodes: $(cat types.txt)"
    done
    # Plugin and op map together: the map's ops and the plugin's in one model.
    "$tool" "$fixtures/custom.pt" -o both.onnx --input-shape 4,16 "${with_extension[@]}" --translator-plugin "$plugin" --verify -q
    expect_error 3 "--translator-plugin 'missing.so': no such file" x.onnx -- "$tool" "$fixtures/unmapped.pt" -o x.onnx --translator-plugin missing.so
    expect_error 3 "is not a translator plugin" x.onnx -- "$tool" "$fixtures/unmapped.pt" -o x.onnx --translator-plugin "$library"
    ;;
  installed)
    # Install the tool, build the sample plugin against the installed headers and library
    # only, and convert with the installed tool from another directory.
    "${T2O_CMAKE:?}" --install "${T2O_BUILD_DIR:?}" --prefix "$work/prefix" >install.log
    "${T2O_CXX:?}" -std=c++17 -O1 -shared -fPIC "${T2O_SOURCE_DIR:?}/samples/plugin/sin_scale_plugin.cpp" \
      -I "$work/prefix/include/torch2onnx" -L "$work/prefix/lib" -lt2o -o libsin_scale_plugin.so
    mkdir -p elsewhere && cd elsewhere
    "$work/prefix/bin/torch2onnx" "$fixtures/unmapped.pt2" -o unmapped.onnx --load-library "$library" \
      --translator-plugin ../libsin_scale_plugin.so --verify -q
    node_types unmapped.onnx >types.txt
    grep -qx ":Sin" types.txt || fail "no Sin node from the out-of-tree plugin"
    ;;
  *) fail "unknown case" ;;
esac
echo "PASS ($case)"
