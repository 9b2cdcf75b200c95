#!/usr/bin/python3
"""Generate TorchScript test/benchmark models for torch2onnx.

Usage (PyTorch is only available through the system interpreter):

    /usr/bin/python3 scripts/gen_models.py --out DIR [--force] [--ops] [NAME ...]

With no NAME every model is generated.  For each model NAME it writes

    DIR/NAME.pt    TorchScript module (torch.jit.save)
    DIR/NAME.args  one line of torch2onnx CLI arguments describing the example
                   inputs: one ``--input-shape d0,d1,...`` per flattened tensor
                   input, in order (dict values in insertion order, list items
                   in order); only if some input is not float32, followed by
                   one ``--input-dtype T`` per input (torch2onnx pairs them by
                   position).

The ``control_flow`` model additionally gets DIR/control_flow_pos.npy and
DIR/control_flow_neg.npy, two float32 4x8 inputs taking the two branches of
its data-dependent ``if``.

A model whose output files all exist is skipped unless --force is given.
Every model is built with torch.manual_seed(0), so output is deterministic.
One line per model is printed with the time taken and the std of the model's
eval-mode output on a random input.  --ops additionally prints the forward
schema and the sorted set of node kinds of the inlined graph of the saved
module (useful to see which aten ops the converter has to support).

No pretrained weights are ever downloaded: torchvision models are randomly
initialised and then "conditioned" (see ``condition_random_model``) so that
their outputs are far from zero and numerical verification is meaningful.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from typing import Dict, List

import numpy as np
import torch
import torch.nn as nn

# ---------------------------------------------------------------------------
# Small hand-written models
# ---------------------------------------------------------------------------


class MLPModel(nn.Module):
    """The seed model from the torch.onnx documentation."""

    def __init__(self):
        super().__init__()
        self.fc0 = nn.Linear(8, 8, bias=True)
        self.fc1 = nn.Linear(8, 4, bias=True)
        self.fc2 = nn.Linear(4, 2, bias=True)
        self.fc3 = nn.Linear(2, 2, bias=True)

    def forward(self, tensor_x: torch.Tensor):
        tensor_x = self.fc0(tensor_x)
        tensor_x = torch.sigmoid(tensor_x)
        tensor_x = self.fc1(tensor_x)
        tensor_x = torch.sigmoid(tensor_x)
        tensor_x = self.fc2(tensor_x)
        tensor_x = torch.sigmoid(tensor_x)
        output = self.fc3(tensor_x)
        return output


class MLPNestedModel(nn.Module):
    """Seed-model variant taking a tensor, a dict of tensors and a list of
    tensors.  Traced with torch.jit.trace the saved forward keeps the
    structured arguments: (Tensor, Dict(str, Tensor), Tensor[])."""

    def __init__(self):
        super().__init__()
        self.fc0 = nn.Linear(8, 8, bias=True)
        self.fc1 = nn.Linear(8, 4, bias=True)
        self.fc2 = nn.Linear(4, 2, bias=True)
        self.fc3 = nn.Linear(2, 2, bias=True)
        self.fc_combined = nn.Linear(24, 8, bias=True)

    def forward(self, tensor_x: torch.Tensor, input_dict: dict, input_list: list):
        dict_tensor = input_dict["tensor_x"]
        list_tensor = input_list[0]
        combined = torch.cat([tensor_x, dict_tensor, list_tensor], dim=1)
        combined = self.fc_combined(combined)
        combined = torch.sigmoid(combined)
        tensor_x = self.fc0(combined)
        tensor_x = torch.sigmoid(tensor_x)
        tensor_x = self.fc1(tensor_x)
        tensor_x = torch.sigmoid(tensor_x)
        tensor_x = self.fc2(tensor_x)
        tensor_x = torch.sigmoid(tensor_x)
        output = self.fc3(tensor_x)
        return output


class ControlFlowModel(nn.Module):
    """Compiled with torch.jit.script: a data-dependent ``if`` (prim::If), a
    constant-trip-count loop and a loop whose trip count is x.size(0)
    (both prim::Loop)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.fc_neg = nn.Linear(8, 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Data-dependent branch: different layers/activations per branch.
        if x.sum() > 0:
            h = torch.relu(self.fc(x))
        else:
            h = torch.sigmoid(self.fc_neg(x)) * 2.0 - x
        # Constant trip count.
        for _ in range(3):
            h = torch.tanh(self.fc(h)) + x
        # Trip count taken from a tensor size; the loop index is used too.
        acc = torch.zeros_like(h[0])
        for i in range(x.size(0)):
            acc = acc + h[i] * (i + 1)
        return h + acc

    def branch_taken(self, x: torch.Tensor) -> str:
        """Eager helper mirroring the condition above (for checks only)."""
        return "pos" if bool(x.sum() > 0) else "neg"


# ---------------------------------------------------------------------------
# Conditioning of randomly initialised torchvision models
# ---------------------------------------------------------------------------


class ShapeArithModel(nn.Module):
    """Uses its input's sizes in arithmetic and in view/reshape/expand, so that a
    dynamic batch must stay computed at run time (x: [B, 6, 4])."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(24, 16)
        self.bias = nn.Parameter(torch.randn(1, 2, 8))

    def forward(self, x: torch.Tensor):
        b = x.size(0)
        n = x.shape[1] * x.shape[2]
        y = self.fc(x.view(b, n))                            # [B, 16]
        z = y.reshape(b * 2, -1)                             # [2B, 8]
        e = self.bias.expand(b, 2, 8).reshape(b * 2, 8)      # [2B, 8]
        count = torch.zeros(b, 3) + float(b)                 # the batch size as data
        return torch.sigmoid(z + e), count


class AttentionBlock(nn.Module):
    """nn.MultiheadAttention compiled with torch.jit.script: its forward checks its
    arguments (branches that raise) and picks the fused inference kernel or the
    decomposed path at run time; key_padding_mask and the other optional arguments
    keep their defaults."""

    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(16, 4, batch_first=True)
        self.norm = nn.LayerNorm(16)

    def forward(self, x: torch.Tensor):
        y, weights = self.mha(x, x, x)
        return self.norm(x + y), weights


class FunctionalMix(nn.Module):
    """torch.nn.functional calls that TorchScript compiles from Python (lp_pool,
    interpolate by scale factor, convolutions with every padding_mode), scripted."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, 4, 3, padding=1, padding_mode=m)
                                    for m in ("zeros", "reflect", "replicate", "circular")])
        self.conv1d_circular = nn.Conv1d(3, 2, 3, padding=2, dilation=2, padding_mode="circular")

    def forward(self, x: torch.Tensor):
        outs = [conv(x) for conv in self.convs]
        y = torch.cat(outs, 1)
        lp2 = torch.nn.functional.lp_pool2d(y.abs() + 0.1, 2.0, 2)
        lp1 = torch.nn.functional.lp_pool1d(y.flatten(2).abs() + 0.1, 3.0, 4, 2)
        up = torch.nn.functional.interpolate(y, scale_factor=1.5, mode="bilinear", align_corners=False)
        up_nearest = torch.nn.functional.interpolate(y, scale_factor=2.0, mode="nearest")
        amax = torch.nn.functional.adaptive_max_pool1d(y.flatten(2), 5)
        c1 = self.conv1d_circular(x.mean(2))
        F = torch.nn.functional
        lrn = (F.local_response_norm(y, 3), F.local_response_norm(y.flatten(2), 2, alpha=0.01, beta=0.5, k=2.0),
               F.local_response_norm(y.unsqueeze(2).expand(-1, -1, 3, -1, -1), 4))
        misc = (F.softmin(y, dim=1), F.normalize(y, p=1.0, dim=1), F.normalize(y.flatten(1)), F.softsign(y),
                F.tanhshrink(y), F.glu(y, 1), F.prelu(y, torch.full([16], 0.25)),
                F.pixel_shuffle(y, 2), F.pixel_unshuffle(y, 2))
        return (lp2, lp1, up, up_nearest, amax, c1) + lrn + misc


class TracedScalars(nn.Module):
    """Traced: Python numbers in the trace become 0-dim tensor constants, which
    libtorch's JIT turns back into numbers (CanonicalizeOps), so `int64 * 0.5`
    is float32 as in eager PyTorch, not float64."""

    def forward(self, i: torch.Tensor, x: torch.Tensor):
        return i * 0.5, i / 3, (i > 2) * 1.5, i + 2, x * 2 - 1, i - 0.25, (x > 0) + 1


@torch.no_grad()
def redraw_degenerate_params(model: nn.Module) -> List[str]:
    """Re-draw parameters that would make a random-init model output ~0.

    torchvision zero-initialises some tensors (classifier heads of ViT and
    Swin, many biases, class tokens, ...) and ConvNeXt's layer_scale is
    1e-6, which makes each residual block a near no-op.  Such tensors would
    make numerical comparison of converted models meaningless, so:
      * all-zero 1-D ``weight`` (norm gammas)        -> uniform(0.5, 1.5)
      * all-zero ``bias``                            -> uniform(-0.1, 0.1)
      * any other all-zero tensor                    -> normal(0, 0.02)
      * tiny (max |v| < 1e-4, e.g. layer_scale=1e-6) -> uniform(0.1, 0.5)
    Returns the names of the re-drawn parameters.
    """
    changed = []
    for name, p in model.named_parameters():
        if p.numel() == 0:
            continue
        amax = p.abs().max().item()
        leaf = name.rsplit(".", 1)[-1]
        if amax == 0.0:
            if leaf == "weight" and p.dim() == 1:
                p.uniform_(0.5, 1.5)
            elif leaf == "bias":
                p.uniform_(-0.1, 0.1)
            else:
                p.normal_(0.0, 0.02)
            changed.append(name)
        elif amax < 1e-4:
            p.uniform_(0.1, 0.5)
            changed.append(name)
    return changed


@torch.no_grad()
def calibrate_batchnorm(model: nn.Module, input_shape, passes: int = 4) -> int:
    """Replace the default BN running stats (mean 0, var 1) with statistics
    of random inputs: reset them and run ``passes`` train-mode forwards with
    momentum=None (cumulative average over all passes).  Returns the number
    of BN modules calibrated."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return 0
    saved_momentum = [bn.momentum for bn in bns]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None
    model.train()
    shape = list(input_shape)
    shape[0] = max(2, shape[0])  # train-mode BN needs > 1 value per channel
    for _ in range(passes):
        model(torch.randn(*shape))
    for bn, mom in zip(bns, saved_momentum):
        bn.momentum = mom
    return len(bns)


def condition_random_model(model: nn.Module, input_shape) -> nn.Module:
    redraw_degenerate_params(model)
    calibrate_batchnorm(model, input_shape)
    return model.eval()


# ---------------------------------------------------------------------------
# Model registry
# ---------------------------------------------------------------------------

IMG224 = (1, 3, 224, 224)
# deeplabv3 is usually run at 520x520; its generation (and inference) at
# this size takes only a few seconds, so the usual size is kept.
SEG_SHAPE = (1, 3, 520, 520)

TV_CLASSIFIERS = [
    "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small",
    "efficientnet_b0", "squeezenet1_1", "shufflenet_v2_x1_0", "densenet121",
    "regnet_y_400mf", "convnext_tiny", "vit_b_16", "swin_t",
]
TV_SEGMENTATION = ["deeplabv3_mobilenet_v3_large", "lraspp_mobilenet_v3_large"]
# Video clips: 4 frames of 56x56 (r3d_18's 3-D convolutions and pooling at a CI-sized clip).
VIDEO_SHAPE = (1, 3, 4, 56, 56)
TV_VIDEO = ["r3d_18"]
# Detection models at 320x320 (the transform's min/max size, so they run at CI speed): a
# batch of one uniform [0, 1) image in, the output dict as a tuple sorted by key.
TV_DETECTION = ["fasterrcnn_mobilenet_v3_large_fpn", "maskrcnn_resnet50_fpn", "retinanet_resnet50_fpn",
                "ssdlite320_mobilenet_v3_large", "keypointrcnn_resnet50_fpn"]
DETECTION_SHAPE = (1, 3, 320, 320)
# Optical flow: two 128x128 frames, RAFT's 12 refinement steps.
FLOW_SHAPE = (1, 3, 128, 128)


class Spec:
    """How to build one model.

    build() returns (module, example_inputs) where example_inputs is the
    tuple of forward arguments (may contain dicts/lists of tensors).
    ``method`` is "trace" or "script"; ``strict`` is passed to
    torch.jit.trace (False is needed to trace dict outputs).
    """

    def __init__(self, name, build, method="trace", strict=True, data_inputs=False, eager_outputs=False):
        self.name, self.build, self.method, self.strict = name, build, method, strict
        self.data_inputs = data_inputs  # write the example inputs as NAME.in<K>.npy too
        # and the eager outputs on them as NAME.out<K>.npy (what ONNX Runtime must give too,
        # for models whose operators the tool re-implements: torchvision::nms, roi_align)
        self.eager_outputs = eager_outputs


def build_mlp():
    return MLPModel().eval(), (torch.randn(97, 8),)


def build_mlp_nested():
    x, y, z = torch.randn(97, 8), torch.randn(97, 8), torch.randn(97, 8)
    return MLPNestedModel().eval(), (x, {"tensor_x": y}, [z])


def build_control_flow():
    return ControlFlowModel().eval(), (torch.randn(4, 8),)


def build_attention():
    return AttentionBlock().eval(), (torch.randn(2, 5, 16),)


def build_functional_mix():
    return FunctionalMix().eval(), (torch.randn(2, 3, 8, 10),)


def build_traced_scalars():
    return TracedScalars(), (torch.arange(12).reshape(3, 4), torch.randn(3, 4))


def build_shape_arith():
    return ShapeArithModel().eval(), (torch.randn(5, 6, 4),)


def make_tv_classifier(name):
    def build():
        import torchvision.models as tvm
        model = getattr(tvm, name)(weights=None)  # random init, no download
        condition_random_model(model, IMG224)
        return model, (torch.randn(*IMG224),)
    return build


def make_tv_segmentation(name):
    def build():
        import torchvision.models.segmentation as tvs
        extra = {} if name.startswith("lraspp") else {"aux_loss": False}  # LR-ASPP has no auxiliary head
        model = getattr(tvs, name)(weights=None, weights_backbone=None, **extra)
        condition_random_model(model, SEG_SHAPE)
        return model, (torch.randn(*SEG_SHAPE),)
    return build


def make_tv_video(name):
    def build():
        import torchvision.models.video as tvv
        model = getattr(tvv, name)(weights=None)
        condition_random_model(model, VIDEO_SHAPE)
        return model, (torch.randn(*VIDEO_SHAPE),)
    return build


@torch.no_grad()
def normalize_head_outputs(model: nn.Module, run) -> None:
    """Detection heads start at normal(0, 0.01) with a prior bias: with random weights their
    scores are nearly equal, float32 ties that let NMS and top-k keep either box. Each conv or
    linear layer of the heads is scaled, in order, so its output on the example has unit
    standard deviation (as LSUV initialisation does), which spreads the scores."""
    for name, layer in model.named_modules():
        if not (("head" in name or "predictor" in name) and isinstance(layer, (nn.Conv2d, nn.Linear))):
            continue
        outputs = []
        hook = layer.register_forward_hook(lambda module, args, out: outputs.append(out.flatten()))
        run()
        hook.remove()
        std = torch.cat(outputs).std() if outputs else torch.tensor(0.0)
        if std > 0:
            layer.weight.div_(std)


class DetectionOutputs(nn.Module):
    """A torchvision detection model on one image given as a [1, 3, H, W] batch; returns its
    output dict's tensors sorted by key (boxes, [keypoints_scores, keypoints,] labels,
    [masks,] scores), as users wrap them for export."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, images):
        found = self.model([images[0]])[0]
        return tuple(found[k] for k in sorted(found))


def make_tv_detection(name):
    def build():
        import torchvision.models.detection as tvd
        kwargs = {"weights": None, "weights_backbone": None}
        if name.startswith("ssdlite"):
            kwargs["score_thresh"] = 0.0
        else:
            kwargs.update(min_size=DETECTION_SHAPE[2], max_size=DETECTION_SHAPE[3])
            kwargs["score_thresh" if name.startswith("retinanet") else "box_score_thresh"] = 0.0
        kwargs["detections_per_img" if name.startswith(("retinanet", "ssd")) else "box_detections_per_img"] = 50
        model = getattr(tvd, name)(**kwargs)
        redraw_degenerate_params(model)
        # Train-mode detection models want targets: the BN statistics come from the backbone.
        calibrate_batchnorm(model.backbone, DETECTION_SHAPE)
        model.eval()
        normalize_head_outputs(model, lambda: model([torch.rand(*DETECTION_SHAPE)[0]]))
        # Detections come sorted by score: two scores closer than float32 noise (a few 1e-6
        # between PyTorch and ONNX Runtime) may come in either order, and NMS or top-k may
        # keep either box. The image is drawn until the kept scores are 5e-5 apart.
        for attempt in range(50):
            images = torch.rand(*DETECTION_SHAPE)
            with torch.no_grad():
                scores = dict(zip(sorted(model([images[0]])[0]), DetectionOutputs(model)(images)))["scores"]
            gaps = scores.sort().values.diff()
            if scores.numel() > 10 and gaps.min() > 5e-5:
                break
        else:
            sys.exit(f"{name}: no image with well-separated scores in 50 draws")
        return DetectionOutputs(model).eval(), (images,)
    return build


class FinalFlow(nn.Module):
    """RAFT's last (finest) flow estimate for two frames."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, frame1, frame2):
        return self.model(frame1, frame2)[-1]


def build_raft_small():
    import torchvision.models.optical_flow as tvf
    model = tvf.raft_small(weights=None)
    redraw_degenerate_params(model)
    model.eval()
    return FinalFlow(model).eval(), (torch.rand(*FLOW_SHAPE) * 2 - 1, torch.rand(*FLOW_SHAPE) * 2 - 1)


def op_model_specs():
    """The per-family op models of the .pt2 fixtures (pt2_op_models.py), traced too."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pt2_op_models
    return [Spec(name, build, data_inputs=True) for name, (build, _) in pt2_op_models.OP_MODELS.items()]


SPECS: Dict[str, Spec] = {}
for _spec in (
    [Spec("mlp", build_mlp), Spec("mlp_nested", build_mlp_nested),
     Spec("control_flow", build_control_flow, method="script"),
     Spec("shape_arith", build_shape_arith, method="script"),
     Spec("attention_scripted", build_attention, method="script"),
     Spec("functional_mix", build_functional_mix, method="script"),
     Spec("shape_arith_traced", build_shape_arith),
     Spec("traced_scalars", build_traced_scalars)]
    + [Spec(n, make_tv_classifier(n)) for n in TV_CLASSIFIERS]
    # Segmentation models return OrderedDict(out=...): strict=False keeps
    # the dict output in the traced graph.
    + [Spec(n, make_tv_segmentation(n), strict=False) for n in TV_SEGMENTATION]
    + [Spec(n, make_tv_video(n)) for n in TV_VIDEO]
    + [Spec(n, make_tv_detection(n), data_inputs=True, eager_outputs=True) for n in TV_DETECTION]
    + [Spec("raft_small", build_raft_small, data_inputs=True, eager_outputs=True)]
    + op_model_specs()
):
    SPECS[_spec.name] = _spec


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

DTYPE_NAMES = {
    torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
    torch.int64: "int64", torch.int32: "int32", torch.int8: "int8",
    torch.uint8: "uint8", torch.bool: "bool",
}


def flatten_tensors(obj) -> List[torch.Tensor]:
    """Tensors of a nested input structure in order (dicts by insertion)."""
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, dict):
        obj = list(obj.values())
    if isinstance(obj, (list, tuple)):
        return [t for item in obj for t in flatten_tensors(item)]
    raise TypeError(f"unsupported example input type {type(obj)}")


def args_line(example_inputs) -> str:
    """torch2onnx pairs the i-th --input-dtype with the i-th --input-shape,
    so when any input is not float32 a dtype is given for every input."""
    tensors = flatten_tensors(example_inputs)
    parts = ["--input-shape " + ",".join(str(d) for d in t.shape) for t in tensors]
    if any(t.dtype != torch.float32 for t in tensors):
        parts += ["--input-dtype " + DTYPE_NAMES[t.dtype] for t in tensors]
    return " ".join(parts)


def output_std(out) -> float:
    ts = flatten_tensors(out)
    return float(torch.cat([t.detach().flatten().double() for t in ts]).std())


def op_kinds(module) -> List[str]:
    """Sorted node kinds of the inlined forward graph, including the nodes
    nested in the blocks of prim::If / prim::Loop."""
    g = module.graph.copy()
    torch._C._jit_pass_inline(g)
    kinds = set()

    def visit(block):
        for n in block.nodes():
            kinds.add(n.kind())
            for b in n.blocks():
                visit(b)

    visit(g)
    return sorted(kinds)


def expected_files(out_dir, name) -> List[str]:
    files = [os.path.join(out_dir, f"{name}.pt"), os.path.join(out_dir, f"{name}.args")]
    if name == "control_flow":
        files += [os.path.join(out_dir, f"control_flow_{b}.npy") for b in ("pos", "neg")]
    return files


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def atomic_write(path, write_fn):
    """Write via a temp file + rename so an interrupted run never leaves a
    truncated file that a later run would skip.  The temp file keeps the
    final basename (in a temp dir) because torch.jit.save names the zip
    archive's root folder after the file name."""
    tmp_dir = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(path) or ".")
    try:
        tmp = os.path.join(tmp_dir, os.path.basename(path))
        write_fn(tmp)
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


def check_output(name, out):
    std = output_std(out)
    if not np.isfinite(std) or std <= 1e-2:
        raise RuntimeError(f"{name}: degenerate eval-mode output (std={std})")
    return std


def write_control_flow_inputs(out_dir, ref_model, scripted):
    """Two float32 4x8 inputs taking the positive and negative branch."""
    g = torch.Generator().manual_seed(1)
    base = torch.randn(4, 8, generator=g).abs() + 0.1
    for branch, x in (("pos", base), ("neg", -base)):
        assert ref_model.branch_taken(x) == branch, f"control_flow_{branch} takes wrong branch"
        # The scripted module must agree with eager execution on this input.
        torch.testing.assert_close(scripted(x), ref_model(x))
        arr = x.numpy().astype(np.float32)
        atomic_write(os.path.join(out_dir, f"control_flow_{branch}.npy"),
                     lambda p, a=arr: np.save(p, a))
    # Different branches must lead to different computations.
    pos_out = scripted(base)
    neg_out = scripted(-base)
    assert not torch.allclose(pos_out, neg_out)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def generate(spec: Spec, out_dir: str, show_ops: bool):
    t0 = time.perf_counter()
    torch.manual_seed(0)
    model, example = spec.build()
    model.eval()
    # Trace with autograd enabled, as a plain `torch.jit.trace(model, x)`
    # does: under torch.no_grad() nn.MultiheadAttention takes its inference
    # fast path and the trace of vit_b_16 contains the fused
    # aten::_native_multi_head_attention instead of ordinary ops (which
    # torch.onnx.export in torch 1.13 cannot export either).
    # check_trace=False: re-tracing to check would cost two more forwards on
    # the big models; the saved module is compared to eager execution below.
    with torch.enable_grad():
        if spec.method == "script":
            jit_mod = torch.jit.script(model)
        else:
            jit_mod = torch.jit.trace(model, example, strict=spec.strict, check_trace=False)

    pt_path = os.path.join(out_dir, f"{spec.name}.pt")
    atomic_write(pt_path, lambda p: torch.jit.save(jit_mod, p))
    atomic_write(os.path.join(out_dir, f"{spec.name}.args"),
                 lambda p: write_text(p, args_line(example) + "\n"))
    if spec.data_inputs:  # inputs whose values matter (indices, divisors): converted with --input-data
        for k, t in enumerate(flatten_tensors(example)):
            atomic_write(os.path.join(out_dir, f"{spec.name}.in{k}.npy"), lambda p, t=t: np.save(p, t.numpy()))
    if spec.eager_outputs:
        with torch.no_grad():
            for k, t in enumerate(flatten_tensors(model(*example))):
                atomic_write(os.path.join(out_dir, f"{spec.name}.out{k}.npy"), lambda p, t=t: np.save(p, t.numpy()))

    # Check the *saved* module on a fresh random input of the same shapes
    # (reuses the example structure, re-drawing each tensor).
    loaded = torch.jit.load(pt_path)
    torch.manual_seed(1)

    def redraw(o):
        if isinstance(o, torch.Tensor):
            if not o.is_floating_point():
                return o
            # images in [0, 1] (detection, flow) stay in [0, 1]
            return torch.rand_like(o) if o.min() >= 0 and o.max() <= 1 else torch.randn_like(o)
        if isinstance(o, dict):
            return {k: redraw(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return type(o)(redraw(v) for v in o)
        return o

    test_in = redraw(example)
    with torch.no_grad():
        out_loaded = loaded(*test_in)
        out_eager = model(*test_in)
    for a, b in zip(flatten_tensors(out_loaded), flatten_tensors(out_eager)):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)
    std = check_output(spec.name, out_loaded)

    if spec.name == "control_flow":
        with torch.no_grad():
            write_control_flow_inputs(out_dir, model, loaded)

    dt = time.perf_counter() - t0
    print(f"{spec.name:30s} generated in {dt:7.2f} s  output std {std:.4f}", flush=True)
    if show_ops:
        print(f"  schema: {loaded.forward.schema}")
        print(f"  graph inputs: {[str(i.type()) for i in loaded.graph.inputs()]}")
        print(f"  ops: {op_kinds(loaded)}", flush=True)
    return loaded


def ensure_fixed_hash_seed():
    """Re-run this script with PYTHONHASHSEED=0 unless already set.

    TorchScript serialises some class attributes (e.g. the __constants__ of
    nn.Linear) in set-iteration order, which depends on string hashing; a
    fixed seed makes the saved .pt files byte-for-byte reproducible, so
    regenerating the committed samples does not produce spurious diffs."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--force", action="store_true", help="regenerate existing models")
    ap.add_argument("--ops", action="store_true",
                    help="print forward schema and op kinds of each model "
                         "(also for skipped models) and their union")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"models to generate (default: all): {' '.join(SPECS)}")
    args = ap.parse_args(argv)

    unknown = [n for n in args.names if n not in SPECS]
    if unknown:
        ap.error(f"unknown model(s) {unknown}; known: {' '.join(SPECS)}")
    names = args.names or list(SPECS)
    os.makedirs(args.out, exist_ok=True)
    # This torch build defaults to a single intra-op thread here; using all
    # cores makes the oneDNN convolutions of the big models several times
    # faster (it does not change the generated models).
    torch.set_num_threads(os.cpu_count() or 1)

    all_ops = set()
    for name in names:
        if not args.force and all(os.path.exists(f) for f in expected_files(args.out, name)):
            print(f"{name:30s} exists, skipped (use --force to regenerate)", flush=True)
            if args.ops:
                loaded = torch.jit.load(os.path.join(args.out, f"{name}.pt"))
                print(f"  schema: {loaded.forward.schema}")
                print(f"  ops: {op_kinds(loaded)}", flush=True)
                all_ops.update(op_kinds(loaded))
            continue
        loaded = generate(SPECS[name], args.out, args.ops)
        if args.ops:
            all_ops.update(op_kinds(loaded))
    if args.ops:
        print(f"union of ops: {sorted(all_ops)}")


if __name__ == "__main__":
    ensure_fixed_hash_seed()
    sys.exit(main())
