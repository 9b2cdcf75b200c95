#!/usr/bin/env python3
"""Quantized models as the flows of torch 2.13 make them (tests/e2e/quantized_test.sh), each
as a .pt2 (torch.export of the quantized model) and a traced TorchScript .pt.

    gen_quant_fixtures.py --out DIR

  pt2e_static.*     a small CNN (conv-bn-relu, a residual add, pooling, linear) through
                    torchao's PT2E flow with X86InductorQuantizer, static: activations
                    quantize_per_tensor/dequantize_per_tensor (uint8), weights
                    dequantize_per_channel (int8, per output channel), input [2, 3, 16, 16]
  pt2e_dynamic.*    an MLP through PT2E with the dynamic config: choose_qparams on the
                    activations at run time, input [4, 32]
  wo_int8.*         a two-layer MLP with torchao IntxWeightOnlyConfig(int8, PerGroup(32)):
                    dequantize_affine of int8 weights in blocks of 32, input [4, 64]
  wo_int4.*         the same with 4-bit values (int8 storage, range [-8, 7])
  da8w4.pt2         Int8DynamicActivationIntxWeightConfig(int4, PerGroup(32)): per-token
                    choose_qparams_affine / quantize_affine on the activations, input [4, 64]
  eager_cnn.pt      eager-mode (torch.ao.quantization prepare/convert, x86 engine): fused
                    conv-bn-relu, depthwise conv, hardswish, FloatFunctional add and cat,
                    max pool, upsampling, 1x1 conv, average pool, fused linear-relu, linear;
                    scripted, and traced as eager_cnn_traced.pt; input [2, 3, 16, 16]
  dyn_int8.pt       quantize_dynamic(MLP, {nn.Linear}, qint8): quantized::linear_dynamic,
                    scripted (and _traced.pt); input [4, 32]. dyn_fp16.pt: the same with float16
  dyn_lstm.pt       quantize_dynamic of an LSTM (aten::quantized_lstm: refused, no lowering)
  eager_convt.pt    an eager-mode quantized ConvTranspose2d, traced, input [2, 8, 6, 6]: PyTorch's
                    x86 kernel is off from the float arithmetic of its weights (a mismatch)
  NAME.npz          x (the example input), y (what PyTorch's own Python operators return
                    for it), step (the output's size of one quantization step, estimated
                    as the largest difference between the float and the quantized model's
                    outputs over ten inputs)
"""
import argparse
import os
import warnings

import numpy as np
import torch
from torch import nn

warnings.filterwarnings("ignore")


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.bn = nn.BatchNorm2d(16)
        self.body = nn.Conv2d(16, 16, 3, padding=1)
        self.head = nn.Linear(16, 10)

    def forward(self, x):
        y = torch.relu(self.bn(self.stem(x)))
        y = torch.relu(self.body(y) + y)
        return self.head(y.mean((2, 3)))


class Mlp(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.up = nn.Linear(width, 2 * width)
        self.down = nn.Linear(2 * width, 16)

    def forward(self, x):
        return self.down(torch.relu(self.up(x)))


class EagerCnn(nn.Module):
    def __init__(self):
        super().__init__()
        import torch.ao.quantization as taq
        from torch.ao.nn.quantized import FloatFunctional

        self.quant = taq.QuantStub()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.bn = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.act = nn.Hardswish()
        self.skip = FloatFunctional()
        self.join = FloatFunctional()
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2)
        self.mix = nn.Conv2d(32, 8, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(8, 32)
        self.fc_relu = nn.ReLU()
        self.fc2 = nn.Linear(32, 10)
        self.dequant = taq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        y = self.relu(self.bn(self.stem(x)))
        z = self.act(self.dw(y))
        y = self.skip.add(y, z)
        y = self.join.cat([y, z], 1)
        y = self.mix(self.up(self.pool(y)))
        y = self.gap(y).flatten(1)
        y = self.fc_relu(self.fc1(y))
        return self.dequant(self.fc2(y))


class Rnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, batch_first=True)

    def forward(self, x):
        return self.lstm(x)[0]


def eager_quantized(out):
    """torch.ao.quantization's eager mode, still in torch 2.13 (deprecated): scripted and
    traced TorchScript files with packed parameters and quantized tensors."""
    import torch.ao.quantization as taq

    torch.manual_seed(2)
    cnn = calibrate_batch_norm(EagerCnn(), (8, 3, 16, 16))
    float_cnn = EagerCnn().eval()
    float_cnn.load_state_dict(cnn.state_dict())
    taq.fuse_modules(cnn, [["stem", "bn", "relu"], ["fc1", "fc_relu"]], inplace=True)
    cnn.qconfig = taq.get_default_qconfig("x86")
    taq.prepare(cnn, inplace=True)
    with torch.no_grad():
        for _ in range(16):
            cnn(torch.randn(4, 3, 16, 16))
    taq.convert(cnn, inplace=True)
    example = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        y = cnn(example)
        drift = float((y - float_cnn(example)).abs().max())
    torch.jit.save(torch.jit.script(cnn), os.path.join(out, "eager_cnn.pt"))
    torch.jit.save(torch.jit.trace(cnn, (example,)), os.path.join(out, "eager_cnn_traced.pt"))
    # One step of the output: the scale of the last quantized op.
    np.savez(os.path.join(out, "eager_cnn.npz"), x=example.numpy(), y=y.numpy(), step=np.float32(cnn.fc2.scale))
    print(f"eager_cnn: output max |y| {float(y.abs().max()):.3g}, one step {cnn.fc2.scale:.3g}, "
          f"float model differs by {drift:.3g}")

    for dtype, name in ((torch.qint8, "dyn_int8"), (torch.float16, "dyn_fp16")):
        torch.manual_seed(1)
        mlp = Mlp(32).eval()
        quantized = taq.quantize_dynamic(mlp, {nn.Linear}, dtype=dtype)
        example = torch.randn(4, 32)
        with torch.no_grad():
            y = quantized(example)
            step = float((y - mlp(example)).abs().max())
        torch.jit.save(torch.jit.script(quantized), os.path.join(out, name + ".pt"))
        torch.jit.save(torch.jit.trace(quantized, (example,)), os.path.join(out, name + "_traced.pt"))
        np.savez(os.path.join(out, name + ".npz"), x=example.numpy(), y=y.numpy(), step=np.float32(step))
        print(f"{name}: output max |y| {float(y.abs().max()):.3g}, float model differs by {step:.3g}")
    # x86's quantized::conv_transpose2d differs from the float arithmetic of its own
    # unpacked weights (and from the float model) by far more than a step: --verify must
    # report the mismatch and say where it comes from.
    torch.manual_seed(3)
    convt = nn.Sequential(taq.QuantStub(), nn.ConvTranspose2d(8, 4, 2, stride=2), taq.DeQuantStub()).eval()
    convt.qconfig = taq.QConfig(activation=taq.HistogramObserver.with_args(reduce_range=True),
                                weight=taq.default_weight_observer)
    taq.prepare(convt, inplace=True)
    with torch.no_grad():
        for _ in range(8):
            convt(torch.randn(2, 8, 6, 6))
    taq.convert(convt, inplace=True)
    torch.jit.save(torch.jit.trace(convt, (torch.randn(2, 8, 6, 6),)), os.path.join(out, "eager_convt.pt"))
    lstm = taq.quantize_dynamic(Rnn().eval(), {nn.LSTM}, dtype=torch.qint8)
    torch.jit.save(torch.jit.script(lstm), os.path.join(out, "dyn_lstm.pt"))


def calibrate_batch_norm(model, shape):
    # Random weights: give BatchNorm the statistics of its real inputs, so outputs have a
    # real magnitude.
    model.train()
    with torch.no_grad():
        for _ in range(8):
            model(torch.randn(shape))
    return model.eval()


def pt2e(model, example, dynamic):
    from torchao.quantization.pt2e.quantize_pt2e import convert_pt2e, prepare_pt2e
    import torchao.quantization.pt2e.quantizer.x86_inductor_quantizer as xiq

    quantizer = xiq.X86InductorQuantizer()
    quantizer.set_global(xiq.get_default_x86_inductor_quantization_config(is_dynamic=dynamic))
    prepared = prepare_pt2e(torch.export.export(model, (example,)).module(), quantizer)
    with torch.no_grad():
        for _ in range(16):
            prepared(torch.randn(example.shape))
    return convert_pt2e(prepared)


def torchao_quantized(model, config):
    from torchao.quantization import quantize_
    from torchao.utils import unwrap_tensor_subclass

    quantize_(model, config)
    # Tensor-subclass weights as plain parameters (parametrizations) that torch.export and
    # torch.jit.trace both see as tensors.
    return unwrap_tensor_subclass(model)


def save(out, name, model, float_model, example, traced=True):
    with torch.no_grad():
        y = model(example)
        step = max(float((model(x) - float_model(x)).abs().max()) for x in [example] + [torch.randn(example.shape) for _ in range(9)])
    torch.export.save(torch.export.export(model, (example,)), os.path.join(out, name + ".pt2"))
    if traced:
        torch.jit.save(torch.jit.trace(model, (example,), check_trace=False), os.path.join(out, name + ".pt"))
    np.savez(os.path.join(out, name + ".npz"), x=example.numpy(), y=y.numpy(), step=np.float32(step))
    print(f"{name}: output max |y| {float(y.abs().max()):.3g}, one step ~{step:.3g}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    import torchao.quantization as tq

    cnn = calibrate_batch_norm(SmallCnn(), (8, 3, 16, 16))
    example = torch.randn(2, 3, 16, 16)
    save(out, "pt2e_static", pt2e(cnn, example, dynamic=False), cnn, example)

    mlp = Mlp(32).eval()
    example = torch.randn(4, 32)
    save(out, "pt2e_dynamic", pt2e(mlp, example, dynamic=True), mlp, example)

    example = torch.randn(4, 64)
    configs = {
        "wo_int8": lambda: tq.IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=tq.PerGroup(32)),
        "wo_int4": lambda: tq.IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=tq.PerGroup(32)),
        "da8w4": lambda: tq.Int8DynamicActivationIntxWeightConfig(weight_dtype=torch.int4,
                                                                   weight_granularity=tq.PerGroup(32)),
    }
    for name, config in configs.items():
        torch.manual_seed(1)
        float_model = Mlp(64).eval()
        quantized = Mlp(64).eval()
        quantized.load_state_dict(float_model.state_dict())
        # torch.jit.trace of choose_qparams_affine (a str and a SymInt[] argument) stops in
        # torch's tracer (TraceTypeManual.cpp: iter->isIntList()): da8w4 is a .pt2 only.
        save(out, name, torchao_quantized(quantized, config()), float_model, example, traced=name != "da8w4")

    eager_quantized(out)


if __name__ == "__main__":
    main()
