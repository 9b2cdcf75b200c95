#!/usr/bin/env python3
"""Models for the robustness tests (tests/e2e/robustness_test.sh): interrupted writes and
batches with models that crash, hang or run out of memory.

    gen_robustness_fixtures.py --library libt2o_test_ops.so --out DIR

writes into DIR:
  writes_a.pt2, writes_b.pt2  two MLPs of 96 MB of weights with different layer shapes
                              (so a model file of one and the data file of the other do
                              not fit together), input 2x2048
  hang.pt                     a scripted loop of 10^9 steps (runs for hours), input 4x8
  segfault.pt                 calls t2o_test::segfault, whose kernel crashes, input 4x8
  hungry.pt                   makes a 1 GiB intermediate, input 4x8
"""
import argparse
import os

import torch
from torch import nn


def mlp(widths):
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.Tanh()]
        nn.init.normal_(layers[-2].weight, std=1.5 / a**0.5)  # keeps the output's scale through the depth
    return nn.Sequential(*layers[:-1]).eval()


class Hang(nn.Module):
    def forward(self, x):
        for _ in range(1000000000):
            x = x * 0.5 + 0.5
        return x


class Segfault(nn.Module):
    def forward(self, x):
        return torch.ops.t2o_test.segfault(x + 1.0)


class Hungry(nn.Module):
    def forward(self, x):
        big = x.reshape(4, 8, 1, 1).expand(4, 8, 2048, 4096).contiguous()
        return big.amax((2, 3))  # exact, unlike a float mean over 8M elements


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--library", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.ops.load_library(args.library)
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    x = torch.randn(2, 2048)
    for name, widths in (("writes_a", [2048] * 7), ("writes_b", [2048, 3072, 2048, 3072, 2048])):
        model = mlp(widths)
        with torch.no_grad():
            assert 0.05 < float(model(x).std()), name
        torch.export.save(torch.export.export(model, (x,)), os.path.join(args.out, name + ".pt2"))
    torch.jit.save(torch.jit.script(Hang()), os.path.join(args.out, "hang.pt"))
    torch.jit.save(torch.jit.script(Segfault()), os.path.join(args.out, "segfault.pt"))
    hungry = Hungry()
    small = torch.randn(4, 8)
    assert torch.allclose(hungry(small), small)
    torch.jit.save(torch.jit.script(hungry), os.path.join(args.out, "hungry.pt"))


if __name__ == "__main__":
    main()
