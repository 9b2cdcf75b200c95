"""Runs torch2onnx on the OpInfo sweep cases (scripts/gen_opinfo_sweep.py) and classifies each:

  ok          converted, full check passed, ONNX Runtime ran it, outputs match libtorch
  refused     a clear refusal naming the op (no translator, or not expressible for these
              arguments or this dtype): exit 4 with the op listed
  invalid     the export failed without naming an op (checker or type-constraint failure)
  mismatch    ONNX Runtime's outputs differ from libtorch's (exit 5), or it could not run
  crash       killed by a signal or past the timeout
  input       the tool could not read the case (exit 2/3)

  opinfo_sweep.py --cases DIR --tool build/torch2onnx [--jobs 2] [--opset 20] [--markdown F]
                  [--known F] [--check]

--known lists the cases known to be invalid/mismatch/crash (one per line, `#` comments);
--check fails when a case outside it is, and names the known ones that now pass.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys

BAD = ("invalid", "mismatch", "crash")


def run_case(tool, cases_dir, case, opset, timeout):
    d = os.path.join(cases_dir, case["case"])
    cmd = [tool, os.path.join(d, "model.pt"), "-o", os.path.join(d, f"model{opset}.onnx"), "--opset", str(opset),
           "--verify", "--json", "--artifacts-dir", d]
    for k in range(case["inputs"]):
        cmd += ["--input-data", os.path.join(d, f"in{k}.npy")]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)
    except subprocess.TimeoutExpired:
        return "crash", f"timeout after {timeout} s"
    try:
        summary = json.loads(p.stdout)
    except json.JSONDecodeError:
        summary = {}
    error = (summary.get("error") or p.stderr or "").strip().splitlines()
    first = error[0] if error else ""
    if p.returncode < 0:
        return "crash", f"signal {-p.returncode}"
    if p.returncode == 0:
        return "ok", ""
    if p.returncode == 4 and summary.get("unsupported"):
        u = summary["unsupported"][0]
        return "refused", f"{u.get('op')}: {u.get('message', '')}".splitlines()[0]
    if p.returncode == 5 or "ONNX Runtime" in first:
        worst = [o for o in summary.get("verification", {}).get("outputs", []) if not o.get("passed", True)]
        return "mismatch", first if not worst else f"{first} ({worst[0].get('name')}: max_abs_diff {worst[0].get('max_abs_diff')})"
    if p.returncode in (2, 3):
        return "input", first
    return "invalid", first


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--opset", type=int, default=20)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--markdown")
    ap.add_argument("--results")
    ap.add_argument("--known")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    cases = [json.loads(line) for line in open(os.path.join(a.cases, "manifest.jsonl"))]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = {pool.submit(run_case, a.tool, a.cases, c, a.opset, a.timeout): c for c in cases}
        for n, f in enumerate(concurrent.futures.as_completed(futures), 1):
            c = futures[f]
            results[c["case"]] = (c, *f.result())
            if sys.stderr.isatty() and n % 20 == 0:
                print(f"\r{n}/{len(cases)}", end="", file=sys.stderr)
    totals = collections.Counter(r[1] for r in results.values())
    by_dtype = collections.defaultdict(collections.Counter)
    by_rank = collections.defaultdict(collections.Counter)
    for c, status, _ in results.values():
        by_dtype[c["dtype"]][status] += 1
        by_rank[max(c["input_ranks"])][status] += 1
    if a.results:
        with open(a.results, "w") as f:
            for name in sorted(results):
                c, status, detail = results[name]
                f.write(json.dumps({"case": name, "op": c["op"], "dtype": c["dtype"], "status": status, "detail": detail}) + "\n")
    statuses = ["ok", "refused", "invalid", "mismatch", "crash", "input"]
    lines = [f"{len(results)} cases at opset {a.opset}: " + ", ".join(f"{totals[s]} {s}" for s in statuses if totals[s]), "",
             "| dtype | " + " | ".join(statuses) + " |", "|---|" + "---:|" * len(statuses)]
    for dt in sorted(by_dtype):
        lines.append(f"| {dt} | " + " | ".join(str(by_dtype[dt][s]) for s in statuses) + " |")
    lines += ["", "| input rank | " + " | ".join(statuses) + " |", "|---|" + "---:|" * len(statuses)]
    for r in sorted(by_rank):
        lines.append(f"| {r} | " + " | ".join(str(by_rank[r][s]) for s in statuses) + " |")
    bad = sorted((n, r) for n, r in results.items() if r[1] in BAD)
    if bad:
        lines += ["", "| case | status | first line |", "|---|---|---|"]
        lines += [f"| {n} | {r[1]} | {r[2][:160].replace('|', '/')} |" for n, r in bad]
    text = "\n".join(lines) + "\n"
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text)
    print(text)
    if a.check:
        known = set()
        if a.known:
            known = {l.split("#")[0].strip() for l in open(a.known)} - {""}
        new = [n for n, _ in bad if n not in known]
        fixed = sorted(n for n in known if n in results and results[n][1] not in BAD)
        if fixed:
            print("known failures that now pass (remove them from the list):\n  " + "\n  ".join(fixed))
        if new:
            print("new failures:\n  " + "\n  ".join(new))
            sys.exit(1)


if __name__ == "__main__":
    main()
