"""timm image models as test fixtures, each as a .pt2 and a traced .pt.

Usage:  .venv-torchvision/bin/python scripts/gen_timm_fixtures.py --out DIR [--force] [NAME ...]

timm imports torchvision, which has no build for the torch 2.13 CPU wheel, so these
fixtures come from the torchvision environment (requirements/torchvision-<arch>.txt). Each
model is timm.create_model(NAME, pretrained=False, num_classes=10) (nothing is downloaded),
with a smaller image size where the architecture allows one, conditioned like the other
random-weight models (gen_models.condition_random_model: zero and near-zero tensors
re-drawn, BatchNorm statistics calibrated) and its classifier re-drawn with std
1/sqrt(fan_in) so that the logits have a real magnitude. Dynamic batch (torch.export.Dim),
verified at the export batch (2) and at 1; the files are those of fixture_export.py. Exits with 77 (skipped) where timm is missing.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_export import export_fixture, fixture_main  # noqa: E402

try:
    import timm
except ImportError as e:  # the aarch64 environment has no timm pin yet
    print(f"skipped: timm does not import here ({e})")
    sys.exit(77)

import gen_models  # noqa: E402

# name -> create_model keywords; chosen for op diversity (attention pooling, layer scale,
# relative position bias, RoPE and SwiGLU, weight standardization, window and grid attention)
MODELS = {
    "resnet50": {},
    "efficientnet_b0": {},
    "convnext_tiny": {},
    "vit_base_patch16_224": {"img_size": 64},
    "deit_small_patch16_224": {"img_size": 64},
    "swin_tiny_patch4_window7_224": {},
    "regnety_008": {},
    "mobilenetv3_large_100": {},
    "levit_128": {},
    "coat_lite_tiny": {},
    "eva02_tiny_patch14_224": {"img_size": 56},
    "vit_base_patch16_siglip_224": {"img_size": 64},
    "cait_xxs24_224": {"img_size": 64},
    "beit_base_patch16_224": {"img_size": 64},
    "maxvit_tiny_tf_224": {},
    "coatnet_0_rw_224": {},
    "mobilevit_xxs": {},
    "efficientformer_l1": {},
    "poolformer_s12": {},
    "ghostnet_100": {},
    "nf_resnet26": {},
}


@torch.no_grad()
def build(name):
    kwargs = MODELS[name]
    model = timm.create_model(name, pretrained=False, num_classes=10, **kwargs)
    size = kwargs.get("img_size") or model.pretrained_cfg["input_size"][1]
    gen_models.condition_random_model(model, (2, 3, size, size))
    head = model.get_classifier()
    for layer in head.modules() if isinstance(head, torch.nn.Module) else []:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.normal_(layer.weight, std=layer.in_features ** -0.5)
    return model.eval(), (torch.randn(2, 3, size, size),)


def write(name, out):
    model, inputs = build(name)
    batch = torch.export.Dim("batch", min=1, max=64)
    # The other batch size is 1 (a slice of the inputs): larger batches are filled with
    # scaled copies, which push LeViT's and EfficientNet's activations far outside what
    # the random weights were calibrated for.
    export_fixture(name, out, model, inputs, ({0: batch},), [{"0": "batch"}], [{"batch": 1}])


if __name__ == "__main__":
    sys.exit(fixture_main(__doc__.split("\n")[0], list(MODELS), write))
