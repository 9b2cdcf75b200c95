#!/usr/bin/env bash
# End-to-end tests of what happens when a conversion is killed, interrupted, hangs, crashes
# or runs out of memory, and when the model file is damaged or hostile.
#   robustness_test.sh TOOL TEST_OPS_LIBRARY FIXTURES_DIR WORK_DIR CASE
# Fixtures come from scripts/gen_robustness_fixtures.py and (hostile/) gen_hostile_fixtures.py.
set -euo pipefail
tool=$1 library=$2 fixtures=$3 work=$4/$5 case=$5
py=${T2O_PYTHON:?set by CTest (tests/e2e/CMakeLists.txt)}
samples=$(cd "$(dirname "$0")/../../samples" && pwd)
source "$(dirname "$0")/expect.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

case $case in
  kill_writes)
    # SIGKILL at random moments of conversions with external data, alternating two models
    # whose data files do not fit each other's model file: the output path holds either
    # nothing or one of the two models, complete, and the next run removes what the killed
    # runs left in their private directories.
    "$tool" "$fixtures/writes_a.pt2" -o a.onnx --external-data -q
    "$tool" "$fixtures/writes_b.pt2" -o b.onnx --external-data -q
    "$py" - "$tool" "$fixtures" <<'EOF'
import glob, os, random, signal, subprocess, sys, time
import numpy as np
import onnx
from onnx import numpy_helper

tool, fixtures = sys.argv[1:]

def signature(path):
    onnx.checker.check_model(path, full_check=True)
    model = onnx.load(path)  # with its external data: a data file that does not fit fails here
    return [(i.name, numpy_helper.to_array(i).astype(np.float64).sum()) for i in model.graph.initializer]

known = {"a": signature("a.onnx"), "b": signature("b.onnx")}
assert known["a"] != known["b"]

def run(name, **kw):
    return subprocess.Popen([tool, f"{fixtures}/writes_{name}.pt2", "-o", "out.onnx", "--external-data", "-q"], **kw)

start = time.monotonic()
assert run("a").wait() == 0
duration = time.monotonic() - start
random.seed(1)
found = {"nothing": 0, "a": 0, "b": 0}
for k in range(24):
    name = "ab"[k % 2]
    p = run(name)
    time.sleep(random.uniform(0.02, 1.3) * duration)
    p.send_signal(signal.SIGKILL)
    p.wait()
    if not os.path.exists("out.onnx"):  # killed between the removal of the old model and the renames
        found["nothing"] += 1
        assert run(name).wait() == 0
        continue
    sig = signature("out.onnx")
    matches = [n for n, s in known.items() if s == sig]
    assert matches, f"kill {k}: the model at the output path is neither of the two models"
    found[matches[0]] += 1
    if random.random() < 0.3:  # a run that completes, so that the next kills find the other model in place
        assert run("ba"[k % 2]).wait() == 0
    strays = [f for f in os.listdir(".") if f not in ("a.onnx", "a.onnx.data", "b.onnx", "b.onnx.data", "out.onnx", "out.onnx.data")
              and not f.startswith(".torch2onnx-out.onnx-")]
    assert not strays, f"kill {k}: files outside the private directories: {strays}"
print("after 24 kills the output path held:", found, f"(one run takes {duration:.2f} s)")
left = glob.glob(".torch2onnx-*")
assert run("b").wait() == 0
assert signature("out.onnx") == known["b"]
assert not glob.glob(".torch2onnx-*"), f"the next run did not remove {glob.glob('.torch2onnx-*')} (left: {left})"
EOF
    ;;
  signals)
    # SIGTERM and SIGINT: the documented exit codes (143, 130), one line, no temporary files.
    "$py" - "$tool" "$fixtures" <<'EOF'
import glob, os, signal, subprocess, sys, time
tool, fixtures = sys.argv[1:]
for sig, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGTERM, 143)):
    for f in glob.glob("out.onnx*"):
        os.remove(f)
    p = subprocess.Popen([tool, f"{fixtures}/hang.pt", "--input-shape", "4,8", "-o", "out.onnx", "--verify", "-q"],
                         stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)  # in the reference run, which loops for hours
    p.send_signal(sig)
    err = p.communicate(timeout=30)[1]
    assert p.returncode == code, (sig, p.returncode, err)
    assert err.count("\n") == 1 and f"interrupted (SIG{signal.Signals(sig).name[3:]})" in err, err
    assert not glob.glob(".torch2onnx-*"), glob.glob(".torch2onnx-*")
    print(err.strip())
EOF
    ;;
  timeout)
    expect_error 6 "timed out after 3 s (--timeout)" out.onnx -- "$tool" "$fixtures/hang.pt" --input-shape 4,8 -o out.onnx --timeout 3
    expect_error 2 "--timeout must be a positive number" out.onnx -- "$tool" "$samples/mlp.pt" -o out.onnx --input-shape 97,8 --timeout -1
    ;;
  max_memory)
    # The 1 GiB intermediate is made by --verify's reference run, after the model is written.
    rc=0
    "$tool" "$fixtures/hungry.pt" --input-shape 4,8 -o out.onnx --max-memory 600M --verify -q 2>stderr.txt || rc=$?
    cat stderr.txt
    [[ $rc == 7 ]] || fail "exit code $rc, expected 7"
    [[ $(grep -c . stderr.txt) == 1 ]] || fail "expected a one-line error"
    grep -q "out of memory while running the model in libtorch (--max-memory 600 MiB)" stderr.txt || fail "wrong error"
    "$tool" "$fixtures/hungry.pt" --input-shape 4,8 -o out.onnx --max-memory 4G --verify -q
    expect_error 2 "--max-memory 'lots' is not a size" x.onnx -- "$tool" "$samples/mlp.pt" -o x.onnx --input-shape 97,8 --max-memory lots
    ;;
  batch)
    # One model crashes libtorch, one hangs past --timeout, one runs out of --max-memory:
    # the others convert, each failure is in the table and the JSON, and the exit code is
    # the first failure's.
    models=("$samples/mlp.pt" "$fixtures/segfault.pt" "$fixtures/hang.pt" "$fixtures/hungry.pt" "$samples/control_flow.pt")
    rc=0
    "$tool" "${models[@]}" --input-shape 4,8 --output-dir out --jobs 2 --timeout 20 --max-memory 600M \
      --load-library "$library" --verify --json >batch.json 2>stderr.txt || rc=$?
    cat stderr.txt
    [[ $rc == 4 ]] || fail "batch exit code $rc, expected 4 (the crash, first failure in argument order)"
    "$py" - <<'EOF'
import json, os
s = json.load(open("batch.json"))
by = {os.path.basename(m["model"]): m for m in s["models"]}
print({k: (m["status"], m.get("exit_code"), m.get("error", "")[:90]) for k, m in by.items()})
assert s["status"] == "failed"
for ok in ("mlp.pt", "control_flow.pt"):
    assert by[ok]["status"] == "ok", by[ok]
    assert os.path.exists(f"out/{ok[:-3]}.onnx"), ok
assert by["segfault.pt"]["exit_code"] == 4 and "crashed (SIGSEGV)" in by["segfault.pt"]["error"], by["segfault.pt"]
assert by["hang.pt"]["exit_code"] == 6 and "timed out after 20 s" in by["hang.pt"]["error"], by["hang.pt"]
assert by["hungry.pt"]["exit_code"] == 7 and "out of memory" in by["hungry.pt"]["error"], by["hungry.pt"]
for failed in ("segfault", "hang"):  # hungry.onnx was written before its verification ran out of memory
    assert not os.path.exists(f"out/{failed}.onnx"), failed
EOF
    ls out/.torch2onnx-* 2>/dev/null && fail "temporary directories left in out/"
    # The table names each failure.
    "$tool" "$samples/mlp.pt" "$fixtures/hang.pt" --input-shape 4,8 --output-dir out2 --timeout 3 >table.txt 2>&1 || rc=$?
    cat table.txt
    grep -q "hang.pt .*FAILED.*timed out after 3 s" table.txt || fail "the table does not report the timeout"
    grep -q "1 of 2 models converted" table.txt || fail "the table does not count the converted model"
    ;;
  hostile)
    # Damaged and hostile files (scripts/gen_hostile_fixtures.py): convert and inspect each.
    "$py" "$(dirname "$0")/hostile_check.py" "$tool" "$fixtures/hostile"
    ;;
  *)
    fail "unknown case"
    ;;
esac
echo "PASS ($case)"
