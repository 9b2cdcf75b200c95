#!/usr/bin/env python3
"""Models calling the custom ops of tests/extension/t2o_test_ops.cpp, for the tests of
--load-library and --op-map (tests/e2e/custom_ops_test.sh).

    gen_custom_op_fixtures.py --library libt2o_test_ops.so --out DIR

writes DIR/custom.pt (torch.jit.script), DIR/custom.pt2 (torch.export, dynamic batch) and
DIR/unmapped.pt / unmapped.pt2 (an op the map does not name, called twice).
"""
import argparse
import os

import torch
from torch import nn


class Custom(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(16, 16)
        self.bias = nn.Parameter(torch.randn(16) * 0.5)

    def forward(self, x):
        h = torch.ops.t2o_test.quick_gelu(self.proj(x), 1.5)
        h = torch.ops.t2o_test.bias_gelu(self.bias, h)
        h = nn.functional.gelu(h * 2.0, approximate="tanh")
        return torch.ops.t2o_test.hard_sigmoid(h - 0.5, 0.4, 0.5)


class Unmapped(nn.Module):
    def forward(self, x):
        y = torch.ops.t2o_test.unmapped(x)
        return torch.ops.t2o_test.unmapped(y + 1.0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.ops.load_library(args.library)
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    x = torch.randn(4, 16)
    for name, model in (("custom", Custom().eval()), ("unmapped", Unmapped().eval())):
        with torch.no_grad():
            out = model(x)
        assert 0.05 < float(out.std()) and bool(torch.isfinite(out).all()), (name, out.std())
        torch.jit.save(torch.jit.script(model), os.path.join(args.out, name + ".pt"))
        batch = torch.export.Dim("batch", min=1, max=64)
        program = torch.export.export(model, (x,), dynamic_shapes=({0: batch},))
        torch.export.save(program, os.path.join(args.out, name + ".pt2"))
        print(f"{name}: output std {float(out.std()):.4f}")


if __name__ == "__main__":
    main()
