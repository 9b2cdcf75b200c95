"""The zoo report: every library model of the tests through torch2onnx and, in the same run,
through torch.onnx.export(dynamo=True) (torch 2.13, scripts/torch_onnx_peer.py).

Usage:  scripts/zoo_report.sh [--build-dir build] [--family hf|timm|all] [--models a,b]
                              [--formats pt2,pt] [--no-peer]

Reads the fixtures the tests generate (BUILD/hf-fixtures from scripts/gen_hf_fixtures.py,
BUILD/timm-fixtures from scripts/gen_timm_fixtures.py; missing ones are generated first).
For each model and format, each exporter runs once under GNU time, the file read once before
each so that the page cache is warm for both (wall seconds and peak
RSS of the whole process, Python start-up included for the peer); torch2onnx converts with
the fixture's dims and without --verify, so that both columns time the export alone. Both
ONNX files then run in the same ONNX Runtime (Python, CPU) on the fixture's inputs and are
compared with the eager PyTorch outputs the fixture saved: the largest absolute difference
over all outputs, and pass when the ONNX checker (full check) accepts the file and every
output is within atol + rtol * max|eager| (float32
1e-4 + 1e-3, float16 1e-2 + 1e-2, as `torch2onnx --verify`). ONNX Runtime's CPU provider
runs no bfloat16 arithmetic, so bfloat16 models take torch2onnx's own --verify (its float32
twin, README) at opset 22 (ONNX Conv takes bfloat16 from 22), and the peer's bfloat16 models
are not run. The table goes to stdout and to
BUILD/zoo-report.md, one row per model and format.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = os.path.join(ROOT, ".venv", "bin", "python")
TV_PY = os.path.join(ROOT, ".venv-torchvision", "bin", "python")
FAMILIES = {
    "hf": ("hf-fixtures", PY, "gen_hf_fixtures.py"),
    "timm": ("timm-fixtures", TV_PY, "gen_timm_fixtures.py"),
}


def warm(path):
    """Reads a file once so that the page cache is warm for every exporter alike."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def timed(cmd, log):
    """(exit code, wall seconds, peak RSS MiB) of one process under GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t, open(log, "w") as out, open(log + ".err", "w") as err:
        rc = subprocess.call(["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd, stdout=out, stderr=err)
        fields = t.read().split()
    wall, rss_kib = (float(fields[-2]), float(fields[-1])) if len(fields) >= 2 else (float("nan"), float("nan"))
    return rc, wall, rss_kib / 1024


def last_line(path):
    """A process's error: the exception summary of a PyTorch exporter error, else the last
    line of its stderr or, failing that, of its stdout."""
    clean = lambda l: re.sub(r"\x1b\[[0-9;]*m", "", l).strip()
    lines = [clean(l) for l in open(path + ".err", errors="replace") if l.strip()]
    lines = lines or [clean(l) for l in open(path, errors="replace") if l.strip()]
    summary = [l for l in lines if l.startswith("<class '")]
    text = (summary or lines or [""])[-1]
    return text.replace("|", "/")[:160]


def checker(onnx_path):
    """'ok' or the first line of the ONNX checker's (full check) complaint."""
    import onnx
    try:
        onnx.checker.check_model(onnx_path, full_check=True)
        return "ok"
    except Exception as e:
        return str(e).strip().splitlines()[0][:120].replace("|", "/")


def fixture_arrays(fixtures, name, kind):
    paths = glob.glob(os.path.join(fixtures, f"{name}.{kind}*.npy"))
    paths.sort(key=lambda p: int(p[len(os.path.join(fixtures, f"{name}.{kind}")):-4]))
    return [np.load(p) for p in paths]


def ort_error(onnx_path, inputs, expected):
    """(max abs diff over outputs, passed, note) of the ONNX model in ONNX Runtime."""
    import onnxruntime as ort
    session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    feeds = {}
    for info, x in zip(session.get_inputs(), inputs):
        want = {"tensor(float16)": np.float16, "tensor(float)": np.float32, "tensor(int64)": np.int64,
                "tensor(int32)": np.int32, "tensor(bool)": np.bool_}.get(info.type)
        feeds[info.name] = x.astype(want) if want is not None else x
    got = session.run(None, feeds)
    if len(got) != len(expected):
        return float("nan"), False, f"{len(got)} outputs, eager has {len(expected)}"
    worst, passed = 0.0, True
    for g, e in zip(got, expected):
        if g.shape != e.shape:
            return float("nan"), False, f"shape {g.shape} vs eager {e.shape}"
        diff = float(np.abs(g.astype(np.float64) - e.astype(np.float64)).max()) if e.size else 0.0
        atol, rtol = (1e-2, 1e-2) if e.dtype == np.float16 else (1e-4, 1e-3)
        exact = not np.issubdtype(e.dtype, np.floating)
        passed = passed and (diff == 0 if exact else diff <= atol + rtol * float(np.abs(e).max()))
        worst = max(worst, diff)
    return worst, passed, ""


def our_args(fixtures, name, fmt):
    """The fixture's torch2onnx arguments without the --verify-dims runs."""
    words = open(os.path.join(fixtures, f"{name}.{fmt}.args")).read().split()
    kept, skip = [], False
    for w in words:
        if skip:
            skip = False
        elif w == "--verify-dims":
            skip = True
        else:
            kept.append(w)
    return kept, words


def peer_args(words):
    kept = []
    for flag, value in zip(words, words[1:]):
        if flag in ("--input-data", "--input-dtype"):
            kept += [flag, value]
    return kept


def run_model(tool, fixtures, name, fmt, work, with_peer):
    model = os.path.join(fixtures, f"{name}.{fmt}")
    inputs, expected = fixture_arrays(fixtures, name, "in"), fixture_arrays(fixtures, name, "out")
    bfloat16 = name.endswith("_bf16")
    args, words = our_args(fixtures, name, fmt)
    if bfloat16:  # ONNX Conv takes bfloat16 from opset 22 (the default 20 refuses, naming 22)
        args, words = args + ["--opset", "22"], words + ["--opset", "22"]
    row = {"model": name, "format": fmt}
    warm(model)
    ours = os.path.join(work, f"{name}.{fmt}.t2o.onnx")
    summary = os.path.join(work, f"{name}.{fmt}.t2o.json")
    rc, wall, rss = timed([tool, model, "-o", ours, "--json", "--artifacts-dir", work] + args, summary)
    row["t2o"] = {"rc": rc, "s": wall, "rss": rss}
    if rc == 0:
        info = json.load(open(summary))
        row["aten"], row["t2o"]["nodes"] = info["aten_nodes"], info["onnx_nodes"]
        row["t2o"]["checker"] = checker(ours)
        if bfloat16:  # ONNX Runtime runs no bfloat16 arithmetic: our --verify (float32 twin)
            subprocess.call([tool, model, "-o", ours, "--json", "--verify", "--artifacts-dir", work] + words,
                            stdout=open(summary, "w"), stderr=subprocess.DEVNULL)
            v = json.load(open(summary)).get("verification", {})
            outs = v.get("outputs", [])
            row["t2o"]["err"] = max((o["max_abs_diff"] for o in outs), default=float("nan"))
            row["t2o"]["ok"], row["t2o"]["note"] = bool(v.get("passed")), "float32 twin"
        else:
            row["t2o"]["err"], row["t2o"]["ok"], row["t2o"]["note"] = ort_error(ours, inputs, expected)
        os.remove(ours)
    else:
        row["t2o"]["note"] = last_line(summary)
    if with_peer:
        peer = os.path.join(work, f"{name}.{fmt}.dynamo.onnx")
        log = os.path.join(work, f"{name}.{fmt}.dynamo.log")
        warm(model)
        cmd = [PY, os.path.join(ROOT, "scripts", "torch_onnx_peer.py"), "--dynamo", model, "-o", peer]
        rc, wall, rss = timed(cmd + (peer_args(words) if fmt == "pt" else []), log)
        row["dynamo"] = {"rc": rc, "s": wall, "rss": rss}
        if rc == 0 and os.path.exists(peer):
            import onnx
            row["dynamo"]["nodes"] = len(onnx.load(peer, load_external_data=False).graph.node)
            row["dynamo"]["checker"] = checker(peer)
            if bfloat16:
                row["dynamo"]["note"] = "bfloat16: not runnable in ONNX Runtime's CPU provider"
            else:
                try:
                    row["dynamo"]["err"], row["dynamo"]["ok"], row["dynamo"]["note"] = ort_error(peer, inputs, expected)
                except Exception as e:  # the peer's model may not load or run
                    row["dynamo"]["ok"], row["dynamo"]["note"] = False, str(e).splitlines()[0][:160]
            for f in glob.glob(peer + "*"):
                os.remove(f)
        else:
            row["dynamo"]["rc"] = rc or 1
            row["dynamo"]["note"] = last_line(log)
    return row


def cell(r, key, fmt):
    return fmt.format(r[key]) if key in r and r[key] == r[key] else "–"


def table(rows, with_peer):
    head = "| model | format | ATen ops | torch2onnx nodes | s | MiB | checker | max abs err | pass |"
    rule = "|---|---|---|---|---|---|---|---|---|"
    if with_peer:
        head += " dynamo nodes | s | MiB | checker | max abs err | pass |"
        rule += "---|---|---|---|---|---|"
    lines = [head, rule]
    for r in rows:
        line = f"| {r['model']} | {r['format']} | {r.get('aten', '–')} |"
        for side in ("t2o", "dynamo") if with_peer else ("t2o",):
            s = r[side]
            passed = s.get("ok") and s.get("checker") == "ok"
            verdict = "✅" if passed else ("❌ " + s.get("note", "")).strip()
            if passed and s.get("note"):
                verdict += f" ({s['note']})"
            line += (f" {cell(s, 'nodes', '{}')} | {cell(s, 's', '{:.2f}')} | {cell(s, 'rss', '{:.0f}')} |"
                     f" {s.get('checker', '–')} | {cell(s, 'err', '{:.2g}')} | {verdict} |")
        lines.append(line)
    return "\n".join(lines)


def summary(rows, with_peer):
    def stats(side):
        done = [r[side] for r in rows if side in r]
        ok = sum(1 for s in done if s.get("ok") and s.get("checker") == "ok")
        secs = sorted(s["s"] for s in done if s.get("rc") == 0)
        rss = sorted(s["rss"] for s in done if s.get("rc") == 0)
        med = lambda v: v[len(v) // 2] if v else float("nan")
        return ok, len(done), med(secs), med(rss)
    out = []
    for side, label in (("t2o", "torch2onnx"), ("dynamo", "torch.onnx.export(dynamo=True)")):
        if side == "dynamo" and not with_peer:
            continue
        ok, n, s, m = stats(side)
        out.append(f"{label}: {ok}/{n} pass; median export {s:.2f} s, median peak RSS {m:.0f} MiB")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--family", default="all", choices=["hf", "timm", "all"])
    ap.add_argument("--models", default="", help="comma-separated names (default: every fixture of the families)")
    ap.add_argument("--formats", default="pt2,pt")
    ap.add_argument("--no-peer", action="store_true")
    a = ap.parse_args()
    build = os.path.abspath(a.build_dir)
    tool = os.path.join(build, "torch2onnx")
    if not os.access(tool, os.X_OK):
        sys.exit(f"zoo_report: {tool} not found: run scripts/setup.sh first")
    wanted = [m for m in a.models.split(",") if m]
    work = os.path.join(build, "zoo-report")
    os.makedirs(work, exist_ok=True)
    rows = []
    for family in ["hf", "timm"] if a.family == "all" else [a.family]:
        directory, python, generator = FAMILIES[family]
        fixtures = os.path.join(build, directory)
        script = os.path.join(ROOT, "scripts", generator)
        if not os.access(python, os.X_OK):
            print(f"zoo_report: skipping {family}: {python} not found", file=sys.stderr)
            continue
        listed = subprocess.run([python, script, "--list"], capture_output=True, text=True)
        if listed.returncode == 77:
            print(f"zoo_report: skipping {family}: {listed.stdout.strip()}", file=sys.stderr)
            continue
        names = [n for n in listed.stdout.split() if not wanted or n in wanted]
        if not names:
            continue
        rc = subprocess.call([python, script, "--out", fixtures] + list(names), stdout=subprocess.DEVNULL)
        if rc == 77:
            print(f"zoo_report: skipping {family}: the generator cannot run here", file=sys.stderr)
            continue
        if rc != 0:
            sys.exit(f"zoo_report: {generator} failed (exit {rc})")
        for name in names:
            for fmt in a.formats.split(","):
                row = run_model(tool, fixtures, name, fmt, work, not a.no_peer)
                rows.append(row)
                print(f"{name}.{fmt}: torch2onnx {'ok' if row['t2o'].get('ok') else 'FAIL'}"
                      + (f", dynamo {'ok' if row['dynamo'].get('ok') else 'FAIL'}" if not a.no_peer else ""),
                      file=sys.stderr, flush=True)
    text = table(rows, not a.no_peer) + "\n\n" + summary(rows, not a.no_peer) + "\n"
    with open(os.path.join(build, "zoo-report.md"), "w") as f:
        f.write(text)
    with open(os.path.join(build, "zoo-report.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(text)


if __name__ == "__main__":
    main()
