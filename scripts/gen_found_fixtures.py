#!/usr/bin/env python3
"""Model files as people have them (tests/e2e/found_test.sh): optional forward() arguments
and stateful streaming models.

    gen_found_fixtures.py --out DIR

  optional_hx.pt            scripted LSTMCell, forward(x, hx: Optional[Tuple[Tensor, Tensor]] = None)
  optional_hx_none.pt2      the same exported with hx left out, _given.pt2 with hx given
  optional_mask_none.pt2    forward(x, mask: Optional[Tensor] = None) exported with mask=None,
  optional_mask_kw.pt2      and with mask passed by keyword
  vad_setattr.pt            scripted voice-activity model keeping its last frames in
                            `self.frames = ...` (prim::SetAttr), input one 40-bin frame [1, 40]
  vad_copy.pt / .pt2        the same writing its buffer in place (`self.frames.copy_(...)`);
  vad_copy_decomposed.pt2   the .pt2 decomposed to core ATen (a BUFFER_MUTATION output)
  vad_frames.npy            three frames [3, 1, 40] to feed in turn
  vad_expected.npz          what the eager model returns for them, call by call, and its
                            buffer after each call (logits_k, frames_k)
  audio_frontend.pt / .pt2  STFT -> power -> mel filterbank -> log, input 1 s of 16 kHz audio [1, 16000]
  vocoder.pt / .pt2         a conv stack with weight norm (parametrizations.weight_norm and the
                            older nn.utils.weight_norm), input 40 mel bins x 20 frames [1, 40, 20]
  blocks.pt / .pt2          a small pre-norm transformer (--modules-as-functions): three Block
                            modules (Attention, Mlp, LayerNorm, Linear inside), a shared
                            `norm` called twice, input [2, 6, 16] (.pt2: dynamic batch)
  blocks_traced.pt          the same traced
  complex_io.pt / .pt2      a complex64 input [2, 9] and complex outputs (irfft of a filtered
                            spectrum, and the conjugate); complex_io_traced.pt traced
"""
import argparse
import os
from typing import Optional, Tuple

import numpy as np
import torch
from torch import nn


class OptionalHx(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.LSTMCell(8, 16)

    def forward(self, x, hx: Optional[Tuple[torch.Tensor, torch.Tensor]] = None):
        h, c = self.cell(x, hx)
        return h, c


class OptionalMask(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 8)

    def forward(self, x, mask: Optional[torch.Tensor] = None):
        y = self.proj(x) * 2.0
        if mask is not None:
            y = y.masked_fill(mask, -1e4)
        return y.softmax(-1)


class Vad(nn.Module):
    """A streaming voice-activity detector: each call takes one frame, keeps the last 8."""

    def __init__(self, in_place: bool):
        super().__init__()
        self.in_place = in_place
        self.register_buffer("frames", torch.zeros(1, 40, 8))
        self.conv = nn.Conv1d(40, 16, 3)
        self.head = nn.Linear(16, 2)

    def forward(self, frame):
        window = torch.cat([self.frames[:, :, 1:], frame.unsqueeze(-1)], dim=2)
        if self.in_place:
            self.frames.copy_(window)
        else:
            self.frames = window
        features = torch.relu(self.conv(window)).mean(-1)
        return self.head(features)


class AudioFrontend(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("window", torch.hann_window(400))
        self.register_buffer("mel", torch.rand(201, 40) / 20)

    def forward(self, wav):
        spec = torch.stft(wav, 400, 160, window=self.window, return_complex=True)
        power = spec.abs() ** 2
        return torch.log(torch.matmul(power.transpose(1, 2), self.mel) + 1e-6)


class Vocoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.pre = nn.utils.parametrizations.weight_norm(nn.Conv1d(40, 32, 3, padding=1))
        self.up = nn.utils.weight_norm(nn.ConvTranspose1d(32, 16, 4, stride=2, padding=1))
        self.post = nn.utils.parametrizations.weight_norm(nn.Conv1d(16, 1, 7, padding=3))

    def forward(self, mel):
        h = nn.functional.leaky_relu(self.pre(mel), 0.1)
        h = nn.functional.leaky_relu(self.up(h), 0.1)
        return torch.tanh(self.post(h))


class ComplexIo(nn.Module):
    """A complex input and complex outputs: a spectral filter on a one-sided spectrum."""

    def __init__(self):
        super().__init__()
        self.gain = nn.Parameter(torch.rand(9) + 0.5)

    def forward(self, spectrum):
        filtered = spectrum * self.gain
        return torch.fft.irfft(filtered, n=16), filtered.conj() * 2


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        attn = (q @ k.transpose(-2, -1) * (d // self.heads) ** -0.5).softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, d))


class Mlp(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc1 = nn.Linear(dim, 2 * dim)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(2 * dim, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, 2)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class Blocks(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim) for _ in range(3)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 4)

    def forward(self, x):
        x = self.norm(x)  # the same module called twice: two calls of one function
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)

    hx_model = OptionalHx().eval()
    x = torch.randn(2, 8)
    hx = (torch.randn(2, 16), torch.randn(2, 16))
    torch.jit.save(torch.jit.script(hx_model), os.path.join(out, "optional_hx.pt"))
    torch.export.save(torch.export.export(hx_model, (x,)), os.path.join(out, "optional_hx_none.pt2"))
    torch.export.save(torch.export.export(hx_model, (x, hx)), os.path.join(out, "optional_hx_given.pt2"))
    mask_model = OptionalMask().eval()
    torch.export.save(torch.export.export(mask_model, (x, None)), os.path.join(out, "optional_mask_none.pt2"))
    torch.export.save(torch.export.export(mask_model, (x,), {"mask": torch.rand(2, 8) > 0.5}),
                      os.path.join(out, "optional_mask_kw.pt2"))

    frames = torch.randn(3, 1, 40)
    np.save(os.path.join(out, "vad_frames.npy"), frames.numpy())
    expected = {}
    for name, in_place in (("vad_setattr", False), ("vad_copy", True)):
        model = Vad(in_place).eval()
        # Real magnitudes for the random head (its output would be near zero otherwise).
        with torch.no_grad():
            model.head.weight.mul_(4.0)
        scripted = torch.jit.script(model)
        torch.jit.save(scripted, os.path.join(out, name + ".pt"))
        if in_place:
            program = torch.export.export(model, (frames[0],))
            torch.export.save(program, os.path.join(out, "vad_copy.pt2"))
            torch.export.save(program.run_decompositions(), os.path.join(out, "vad_copy_decomposed.pt2"))
        # The eager model, called three times: what the ONNX model must reproduce when each
        # call is fed the state the previous one returned.
        assert float(model.frames.abs().max()) == 0.0
        with torch.no_grad():
            for k in range(3):
                logits = model(frames[k])
                assert float(logits.abs().max()) > 0.05, logits
                expected[f"{name}_logits_{k}"] = logits.numpy()
                expected[f"{name}_frames_{k}"] = model.frames.numpy().copy()
        print(f"{name}: logits {expected[name + '_logits_2']}")
    np.savez(os.path.join(out, "vad_expected.npz"), **expected)

    for name, model, example in (("audio_frontend", AudioFrontend(), torch.randn(1, 16000)),
                                 ("vocoder", Vocoder(), torch.randn(1, 40, 20))):
        model.eval()
        with torch.no_grad():
            result = model(example)
        assert float(result.std()) > 0.05, (name, float(result.std()))
        torch.jit.save(torch.jit.trace(model, (example,)), os.path.join(out, name + ".pt"))
        torch.export.save(torch.export.export(model, (example,)), os.path.join(out, name + ".pt2"))
        print(f"{name}: output std {float(result.std()):.4f}")

    complex_io = ComplexIo().eval()
    spectrum = torch.randn(2, 9, dtype=torch.complex64)
    torch.jit.save(torch.jit.script(complex_io), os.path.join(out, "complex_io.pt"))
    torch.jit.save(torch.jit.trace(complex_io, (spectrum,)), os.path.join(out, "complex_io_traced.pt"))
    torch.export.save(torch.export.export(complex_io, (spectrum,)), os.path.join(out, "complex_io.pt2"))

    blocks = Blocks().eval()
    example = torch.randn(2, 6, 16)
    with torch.no_grad():
        result = blocks(example)
    assert float(result.std()) > 0.05, float(result.std())
    torch.jit.save(torch.jit.script(blocks), os.path.join(out, "blocks.pt"))
    torch.jit.save(torch.jit.trace(blocks, (example,)), os.path.join(out, "blocks_traced.pt"))
    batch = torch.export.Dim("batch", min=1, max=64)
    torch.export.save(torch.export.export(blocks, (example,), dynamic_shapes=({0: batch},)),
                      os.path.join(out, "blocks.pt2"))
    print(f"blocks: output std {float(result.std()):.4f}")


if __name__ == "__main__":
    main()
