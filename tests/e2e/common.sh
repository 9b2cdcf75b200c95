# Helpers the e2e scripts share (sourced; they set `py` to the test Python first).

# A passing test deletes the ONNX models it wrote under DIR (the zoo's would fill a CI disk);
# a failing one keeps them to look at, and T2O_KEEP_TEST_OUTPUT=1 keeps them always.
delete_models_on_success() {  # DIR
  # shellcheck disable=SC2064
  trap "rc=\$?; [[ \$rc -ne 0 || -n \${T2O_KEEP_TEST_OUTPUT:-} ]] || find '$1' \( -name '*.onnx' -o -name '*.onnx.data' \) -delete; exit \$rc" EXIT
}

# The Python onnx checker, full check.
check_model() { $py -c "import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True)" "$1"; }

# ONNX Runtime's outputs (test data set written by --verify) against NAME.out<K>.npy.
compare_eager() {  # DATASET_DIR NPY_PREFIX
  $py - "$1" "$2" <<'PY'
import glob, sys
import numpy as np
from onnx import TensorProto, numpy_helper
dataset, prefix = sys.argv[1], sys.argv[2]
expected = sorted(glob.glob(prefix + ".out*.npy"), key=lambda p: int(p[len(prefix) + 4:-4]))
assert expected, f"no {prefix}.out*.npy"
for k, path in enumerate(expected):
    ref = np.load(path)
    t = TensorProto()
    t.ParseFromString(open(f"{dataset}/output_{k}.pb", "rb").read())
    got = numpy_helper.to_array(t)
    assert got.shape == ref.shape, (path, got.shape, ref.shape)
    scale = float(np.abs(ref).max())
    assert scale > 1e-3, f"{path}: output ~0 (max |ref| {scale}), comparison would be meaningless"
    diff = float(np.abs(got.astype(np.float64) - ref).max())
    if ref.dtype == np.float16:  # half precision stays half precision (no silent upcast)
        assert got.dtype == np.float16, f"{path}: float16 output written as {got.dtype}"
    # bfloat16 references are saved as float32 (.npy has no bfloat16); the test data of a
    # bfloat16 model comes from its float32 twin (torch2onnx --verify).
    bfloat16 = prefix.endswith("_bf16")
    # as torch2onnx --verify
    atol, rtol = (1e-2, 1e-2) if ref.dtype == np.float16 else (5e-2, 5e-2) if bfloat16 else (1e-4, 1e-3)
    assert diff <= atol + rtol * scale, f"{path}: ONNX Runtime differs from eager PyTorch by {diff}"
    print(f"{path}: eager PyTorch vs ONNX Runtime max abs diff {diff:.3g} (max |ref| {scale:.3g})")
PY
}
