#!/usr/bin/env python3
"""Runs torch2onnx (convert with --verify, and inspect) on every file of
scripts/gen_hostile_fixtures.py's manifest and checks what must hold for hostile input:
an allowed exit code (never a signal), a one-line error of printable text naming the
file, no output and no temporary files left, no file made by code in the model, and an
end within the time limit.

    hostile_check.py TOOL FIXTURES_DIR
"""
import glob
import json
import os
import subprocess
import sys
import time

tool, fixtures = sys.argv[1:3]
cases = json.load(open(os.path.join(fixtures, "manifest.json")))
failures = []
slowest = (0, "")
for c in cases:
    path = os.path.join(fixtures, c["file"])
    for command in (["convert"], ["inspect"]):
        if command == ["convert"]:
            argv = [tool, path, "-o", "out.onnx", "--input-shape", "4,8", "--verify", "-q"]
        else:
            argv = [tool, "inspect", path, "--input-shape", "4,8"]
        start = time.monotonic()
        try:
            p = subprocess.run(argv, capture_output=True, timeout=120, env=dict(os.environ, T2O_TEST_HOSTILE="1"))
        except subprocess.TimeoutExpired:
            failures.append(f"{c['file']} ({command[0]}): no answer within 120 s")
            continue
        seconds = time.monotonic() - start
        slowest = max(slowest, (seconds, c["file"]))
        err = p.stderr.decode("utf-8", "replace")
        problems = []
        allowed = c["codes"] if command == ["convert"] else sorted(set(c["codes"]) | {0, 4})
        if p.returncode < 0 or p.returncode >= 128:
            problems.append(f"killed by signal {-p.returncode if p.returncode < 0 else p.returncode - 128}")
        elif p.returncode not in allowed:
            problems.append(f"exit code {p.returncode}, expected one of {allowed}")
        if p.returncode not in (0, 5):
            lines = [line for line in err.splitlines() if line.strip()]
            # The unsupported-op report lists every op with its locations, one per line.
            if len(lines) != 1 and not (p.returncode == 4 and "cannot be converted at opset" in lines[0]):
                problems.append(f"{len(lines)} lines of error")
            if not err.startswith("torch2onnx: error: "):
                problems.append("the error does not start with 'torch2onnx: error: '")
            if c["file"] not in err and os.path.basename(path) not in err and "--input-shape" not in err:
                problems.append("the error does not name the file")
            if c["error"] and c["error"] not in err:
                problems.append(f"the error does not mention '{c['error']}'")
            if any(ord(ch) < 32 and ch not in "\n\t" or ch == "\ufffd" for ch in err):
                problems.append("the error echoes raw bytes")
            if os.path.exists("out.onnx"):
                problems.append("an output was left")
        if glob.glob(".torch2onnx-*"):
            problems.append("a temporary directory was left")
        if os.path.exists("PWNED"):
            problems.append("code from the file ran")
        for f in glob.glob("out.onnx*") + glob.glob("out_*"):
            subprocess.run(["rm", "-rf", f])
        status = "ok" if not problems else "FAIL: " + "; ".join(problems)
        print(f"{c['file']:40s} {command[0]:8s} exit {p.returncode:3d} {seconds:5.1f}s  {status}  {err.strip()[:150]}")
        if problems:
            failures.append(f"{c['file']} ({command[0]}): {'; '.join(problems)}: {err.strip()[:300]}")
print(f"{len(cases)} hostile files, slowest {slowest[0]:.1f} s ({slowest[1]})")
if failures:
    print("\n".join(["FAILURES:"] + failures))
    sys.exit(1)
