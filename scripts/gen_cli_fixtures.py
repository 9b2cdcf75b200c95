#!/usr/bin/python3
"""Models and files that exercise the CLI's error paths (tests/e2e/cli_test.sh).

  /usr/bin/python3 scripts/gen_cli_fixtures.py --out DIR

Writes into DIR:
  unsupported_ops.pt  a traced model calling two ops torch2onnx has no translator for
                      (torch.segment_reduce in `segments`, torch.hash_tensor in `hashes`), input 2x4x4
  string_input.pt     a scripted model whose forward takes a `str` argument
  not_a_zip.pt        a text file
  truncated.pt        the first half of a valid TorchScript file
  other.zip           a zip archive holding something else (a text file)
  wide_mlp.pt         two 64x64 linear layers (weights large enough for external data), input 4x64
  redundant.pt        a traced model with work for the optimizer (a repeated sigmoid, a transpose
                      pair), input 3x5
"""
import argparse
import os
import zipfile

import torch


class SegmentSum(torch.nn.Module):
    def forward(self, x):
        return torch.segment_reduce(x.reshape(-1), "sum", lengths=torch.tensor([10, 22]))


class RowHashes(torch.nn.Module):
    def forward(self, x):
        return torch.hash_tensor(x, [-1]).to(torch.float32)


class UnsupportedOps(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.segments = SegmentSum()
        self.hashes = RowHashes()
        self.fc = torch.nn.Linear(4, 4)

    def forward(self, x):
        y = self.fc(x)
        return self.segments(y).sum() + self.hashes(y)


class Redundant(torch.nn.Module):
    def forward(self, x):
        a = torch.sigmoid(x)
        b = torch.sigmoid(x)
        c = x.transpose(0, 1).transpose(0, 1)
        return a * b + c


class StringInput(torch.nn.Module):
    def forward(self, x: torch.Tensor, mode: str) -> torch.Tensor:
        if mode == "double":
            return x * 2.0
        return x


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    traced = torch.jit.trace(UnsupportedOps().eval(), torch.randn(2, 4, 4))
    traced.save(os.path.join(out, "unsupported_ops.pt"))
    wide = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64)).eval()
    torch.jit.trace(wide, torch.randn(4, 64)).save(os.path.join(out, "wide_mlp.pt"))
    torch.jit.trace(Redundant(), torch.randn(3, 5)).save(os.path.join(out, "redundant.pt"))
    torch.jit.script(StringInput()).save(os.path.join(out, "string_input.pt"))
    with open(os.path.join(out, "not_a_zip.pt"), "w") as f:
        f.write("this is not a model\n")
    with open(os.path.join(out, "unsupported_ops.pt"), "rb") as f:
        data = f.read()
    with open(os.path.join(out, "truncated.pt"), "wb") as f:
        f.write(data[: len(data) // 2])
    with zipfile.ZipFile(os.path.join(out, "other.zip"), "w") as z:
        z.writestr("notes/readme.txt", "not a model")


if __name__ == "__main__":
    main()
