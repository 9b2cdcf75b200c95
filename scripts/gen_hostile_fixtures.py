#!/usr/bin/env python3
"""Damaged and hostile model files (tests/e2e/robustness_test.sh, case hostile): each must
give a one-line error and a documented exit code, never a crash, a hang or a run of code
from the file.

    gen_hostile_fixtures.py --out DIR

writes DIR/<case>.pt2 / .pt and DIR/manifest.json: [{"file", "codes", "error"}], where
codes are the exit codes allowed (0 where a damaged byte may only change a weight) and
error a substring the message must hold ("" for any).
"""
import argparse
import io
import json
import os
import pickle
import random
import struct
import sys
import zipfile

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_pt2_fixtures import write_flat  # noqa: E402  (the flat layout, as the .pt2 tests write it)


def small_mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).eval()


def records(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def write_zip(path, entries, compress=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compress) as z:
        for name, data in entries:
            z.writestr(name, data)


def rewrite(src, dst, change, compress=zipfile.ZIP_STORED):
    out = []
    for name, data in records(src):
        data = change(name, data)
        if data is not None:
            out.append((name, data))
    write_zip(dst, out, compress)


def edit_json(suffix, edit):
    def change(name, data):
        if not name.endswith(suffix):
            return data
        j = json.loads(data)
        edit(j)
        return json.dumps(j).encode()
    return change


def nested_json(depth):
    return b"[" * depth + b"1" + b"]" * depth


def malicious_pickle(module, name, args):
    # GLOBAL module name, args, REDUCE: protocol 2 as torch.save writes.
    body = b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n"
    body += pickle.dumps(args, protocol=2)[2:-1]  # the args tuple without PROTO and STOP
    return body + b"R."


def torch_save_with(obj_pickle, archive_name="archive"):
    """A torch.save zip whose data.pkl is the given bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"{archive_name}/data.pkl", obj_pickle)
        z.writestr(f"{archive_name}/version", b"3\n")
    return buf.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    a = parser.parse_args()
    os.makedirs(a.out, exist_ok=True)
    out = lambda name: os.path.join(a.out, name)  # noqa: E731
    cases = []

    def case(name, codes, error=""):
        cases.append({"file": name, "codes": codes, "error": error})

    model, x = small_mlp(), torch.randn(4, 8)
    ep = torch.export.export(model, (x,))
    torch.export.save(ep, out("good.pt2"))
    torch.jit.save(torch.jit.script(model), out("good.pt"))
    # The flat layout of torch <= 2.7, for the torch.save pickles it holds.
    write_flat(ep, out("good_flat.pt2"))
    flat = records(out("good_flat.pt2"))

    # Truncated and bit-flipped archives, both formats.
    rng = random.Random(7)
    for base in ("good.pt2", "good_flat.pt2", "good.pt"):
        data = open(out(base), "rb").read()
        stem, ext = os.path.splitext(base)
        for frac in (0.1, 0.5, 0.9, 0.999):
            name = f"truncated_{int(frac * 1000)}_{stem}{ext}"
            open(out(name), "wb").write(data[: int(len(data) * frac)])
            case(name, [3], "")
        for k in range(12):
            flipped = bytearray(data)
            for _ in range(rng.choice([1, 2, 8])):
                pos = rng.randrange(len(flipped))
                flipped[pos] ^= 1 << rng.randrange(8)
            name = f"bitflip_{k}_{stem}{ext}"
            open(out(name), "wb").write(bytes(flipped))
            case(name, [0, 3, 4], "")  # a flipped weight byte is a different weight
    open(out("empty.pt2"), "wb").close()
    case("empty.pt2", [3], "not a PyTorch model")

    # Tensor metadata pointing outside its payload, absurd and negative sizes.
    good = out("good.pt2")
    w = "data/weights/model_weights_config.json"

    def weight_meta(field, value):
        def edit(j):
            meta = next(iter(j["config"].values()))["tensor_meta"]
            meta[field] = value
        return edit_json(w, edit)

    for name, change, error in (
        ("meta_offset_past_end.pt2", weight_meta("storage_offset", {"as_int": 1 << 40}), ""),
        ("meta_huge_sizes.pt2", weight_meta("sizes", [{"as_int": 1 << 62}, {"as_int": 1 << 62}]), ""),
        ("meta_negative_size.pt2", weight_meta("sizes", [{"as_int": -16}, {"as_int": 8}]), ""),
        ("meta_huge_stride.pt2", weight_meta("strides", [{"as_int": 1 << 61}, {"as_int": 1}]), ""),
        ("meta_negative_stride.pt2", weight_meta("strides", [{"as_int": -8}, {"as_int": 1}]), ""),
        ("meta_unknown_dtype.pt2", weight_meta("dtype", 99), "dtype"),
        ("meta_wrong_rank.pt2", weight_meta("strides", [{"as_int": 1}]), ""),
        ("meta_symbolic_size.pt2", weight_meta("sizes", [{"as_expr": {"expr_str": "s0"}}, {"as_int": 8}]), ""),
    ):
        rewrite(good, out(name), change)
        case(name, [3, 4], error)

    def program_edit(edit):
        return edit_json("models/model.json", edit)

    def first_tensor(j):
        return next(iter(j["graph_module"]["graph"]["tensor_values"].values()))

    for name, edit, error in (
        ("program_huge_dims.pt2", lambda j: first_tensor(j).update(sizes=[{"as_int": 1 << 62}] * 4), ""),
        ("program_negative_dims.pt2", lambda j: first_tensor(j).update(sizes=[{"as_int": -3}, {"as_int": 8}]), ""),
        ("program_unknown_dtype.pt2", lambda j: first_tensor(j).update(dtype=12345), "dtype"),
        ("program_no_graph.pt2", lambda j: j.pop("graph_module"), ""),
        ("program_wrong_types.pt2", lambda j: j["graph_module"]["graph"].update(nodes="nodes"), ""),
        ("program_unknown_op.pt2", lambda j: j["graph_module"]["graph"]["nodes"][0].update(target="os.system"), ""),
        ("program_bad_symbol.pt2", lambda j: first_tensor(j).update(sizes=[{"as_expr": {"expr_str": "Mul((((("}}]), ""),
    ):
        rewrite(good, out(name), program_edit(edit))
        case(name, [3, 4], error)
    rewrite(good, out("program_nested_json.pt2"),
            lambda n, d: nested_json(200000) if n.endswith("models/model.json") else d)
    case("program_nested_json.pt2", [3], "")
    rewrite(good, out("weights_config_nested.pt2"), lambda n, d: nested_json(200000) if n.endswith(w) else d)
    case("weights_config_nested.pt2", [3], "")

    # A zip bomb: 1.5 GiB of JSON whitespace deflated to a few MB.
    def bomb(name, data):
        return b" " * (1536 << 20) + data if name.endswith("models/model.json") else data
    rewrite(good, out("zip_bomb.pt2"), bomb, compress=zipfile.ZIP_DEFLATED)
    case("zip_bomb.pt2", [3], "limit")

    # torch.save pickles (the flat layout's state dict) that ask for code to run, nest
    # deeply, name unknown storages or point outside their storage.
    def flat_with(record, payload):
        return [(n, payload if n == record else d) for n, d in flat]

    for name, payload, error in (
        ("pickle_os_system.pt2", torch_save_with(malicious_pickle("posix", "system", ("touch PWNED",))), "posix.system"),
        ("pickle_builtins_eval.pt2", torch_save_with(malicious_pickle("builtins", "eval", ("1",))), "builtins.eval"),
        ("pickle_subprocess.pt2", torch_save_with(malicious_pickle("subprocess", "Popen", (["touch", "PWNED"],))), "subprocess.Popen"),
        ("pickle_nested_tuples.pt2", torch_save_with(b"\x80\x02" + b"(" * 300000 + b"t" * 300000 + b"."), "nested"),
        ("pickle_nested_lists.pt2", torch_save_with(b"\x80\x02" + b"]" * 300000 + b"a" * 299999 + b"."), "nested"),
        ("pickle_self_reference.pt2", torch_save_with(b"\x80\x02]q\x00h\x00a."), ""),
        ("pickle_truncated.pt2", torch_save_with(b"\x80\x02}q\x00(X\x05\x00\x00\x00"), ""),
        ("pickle_huge_string.pt2", torch_save_with(b"\x80\x02X\xff\xff\xff\x7f"), ""),
        ("pickle_unknown_opcode.pt2", torch_save_with(b"\x80\x02\xff."), ""),
        ("pickle_not_a_zip.pt2", b"\x80\x02}q\x00.", ""),
    ):
        write_zip(out(name), flat_with("serialized_state_dict.pt", payload))
        case(name, [3], error)

    def state_dict_pickle(storage_class="FloatStorage", numel=128, offset=0, size=(16, 8), stride=(8, 1)):
        """A one-tensor state dict in torch.save's protocol-2 form with chosen metadata."""
        pid = b"(X\x07\x00\x00\x00storagectorch\n" + storage_class.encode() + b"\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpu"
        pid += b"J" + struct.pack("<i", numel) + b"tQ"
        ints = lambda values: b"(" + b"".join(b"\x8a\x08" + struct.pack("<q", v) for v in values) + b"t"  # noqa: E731
        body = b"\x80\x02}X\x08\x00\x00\x000.weightctorch._utils\n_rebuild_tensor_v2\n(" + pid
        body += b"\x8a\x08" + struct.pack("<q", offset) + ints(size) + ints(stride) + b"\x89ccollections\nOrderedDict\n)RtRs."
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("archive/data.pkl", body)
            z.writestr("archive/data/0", bytes(numel * 4))
            z.writestr("archive/version", b"3\n")
        return buf.getvalue()

    for name, kwargs in (
        ("storage_unknown_class.pt2", dict(storage_class="QUInt4x2Storage")),
        ("storage_offset_past_end.pt2", dict(offset=1 << 40)),
        ("storage_negative_offset.pt2", dict(offset=-64)),
        ("storage_huge_sizes.pt2", dict(size=(1 << 62, 1 << 62))),
        ("storage_negative_size.pt2", dict(size=(-16, 8))),
        ("storage_overflowing_stride.pt2", dict(size=(16, 8), stride=(1 << 62, 1))),
        ("storage_negative_stride.pt2", dict(size=(16, 8), stride=(-8, 1))),
    ):
        write_zip(out(name), flat_with("serialized_state_dict.pt", state_dict_pickle(**kwargs)))
        case(name, [3], "")

    # A zip directory that lies: more entries than it holds, offsets past the end.
    data = bytearray(open(good, "rb").read())
    eocd = data.rfind(b"PK\x05\x06")
    lying = bytearray(data)
    struct.pack_into("<H", lying, eocd + 10, 0x7FFF)
    open(out("zip_count_lies.pt2"), "wb").write(bytes(lying))
    case("zip_count_lies.pt2", [3], "")
    lying = bytearray(data)
    struct.pack_into("<I", lying, eocd + 16, 0x7FFFFFFF)
    open(out("zip_directory_past_end.pt2"), "wb").write(bytes(lying))
    case("zip_directory_past_end.pt2", [3], "")
    central = data.find(b"PK\x01\x02")
    lying = bytearray(data)
    struct.pack_into("<I", lying, central + 42, 0x7FFFFFF0)
    open(out("zip_local_header_past_end.pt2"), "wb").write(bytes(lying))
    case("zip_local_header_past_end.pt2", [3], "")

    # TorchScript archives damaged the same ways, and one whose code asks for Python.
    script = out("good.pt")
    for name, change in (
        ("ts_code_garbage.pt", lambda n, d: b"def forward(self, x):\n  return (((((\n" if n.endswith(".py") else d),
        ("ts_missing_data_pkl.pt", lambda n, d: None if n.endswith("/data.pkl") else d),
        ("ts_constants_garbage.pt", lambda n, d: b"\x80\x02\xff\xff" if n.endswith("constants.pkl") else d),
        ("ts_data_pkl_os_system.pt", lambda n, d: malicious_pickle("posix", "system", ("touch PWNED",))
                                                  if n.endswith("/data.pkl") else d),
        ("ts_version_999.pt", lambda n, d: b"999\n" if n.endswith("/version") else d),
    ):
        rewrite(script, out(name), change)
        case(name, [3, 4], "")

    json.dump(cases, open(out("manifest.json"), "w"), indent=1)
    print(f"{len(cases)} hostile files in {a.out}")


if __name__ == "__main__":
    main()
