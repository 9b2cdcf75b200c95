"""Models for scripts/bench.sh, each written as a .pt2 and as a TorchScript .pt.

Usage:  PYTHON scripts/gen_bench_models.py --out DIR NAME...

    resnet50, vit_b_16   torchvision models (run with .venv-torchvision/bin/python)
    bert_base            a BERT-base-sized transformer encoder (any environment): token and
                         position embeddings, 12 post-norm layers of width 768 with 12 heads
                         and a 3072-wide GELU feed-forward, as nn.TransformerEncoder builds
                         them; input token ids [1, 128]
    llama_1b             a LLaMA-style decoder of 1.1 B parameters in float16 (TinyLlama's
                         shape: 22 layers of width 2048, 32 heads with 4 key/value heads,
                         SwiGLU 5632, RMSNorm, RoPE; transformers' LlamaForCausalLM), logits
                         for input ids [1, 128]; written as a .pt2 only (2.2 GB of weights:
                         the big-model case, converted with external data)

For each NAME it writes DIR/NAME.pt2 (torch.export.export, non-strict, + torch.export.save),
DIR/NAME.pt (torch.jit.trace + torch.jit.save), DIR/NAME.args (torch2onnx arguments
describing the .pt's example inputs) and DIR/NAME.weights (the number of weight bytes).
Random weights (no downloads), conditioned like the test models (gen_models.py) so that
outputs have a real magnitude. Existing files are kept.
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_models  # noqa: E402


class BertBase(nn.Module):
    def __init__(self, vocab=30522, width=768, layers=12, heads=12, ff=3072, max_len=512):
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(max_len, width)
        self.norm = nn.LayerNorm(width)
        layer = nn.TransformerEncoderLayer(width, heads, ff, dropout=0.1, activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, input_ids):
        positions = torch.arange(input_ids.size(1), device=input_ids.device).unsqueeze(0)
        return self.encoder(self.norm(self.tokens(input_ids) + self.positions(positions)))


class Logits(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        return self.model(input_ids=input_ids, use_cache=False).logits


def llama_1b():
    from transformers import LlamaConfig, LlamaForCausalLM
    config = LlamaConfig(vocab_size=32000, hidden_size=2048, intermediate_size=5632, num_hidden_layers=22,
                         num_attention_heads=32, num_key_value_heads=4, max_position_embeddings=2048,
                         use_cache=False, tie_word_embeddings=False)
    torch.set_default_dtype(torch.float16)  # built in float16 directly: no 4.4 GB float32 copy
    try:
        model = LlamaForCausalLM(config).eval()
    finally:
        torch.set_default_dtype(torch.float32)
    return Logits(model).eval(), (torch.randint(0, config.vocab_size, (1, 128)),)


# Models written as a .pt2 only.
PT2_ONLY = {"llama_1b"}


def build(name):
    torch.manual_seed(0)
    if name == "llama_1b":
        return llama_1b()
    if name == "bert_base":
        model = BertBase().eval()
        gen_models.redraw_degenerate_params(model)
        return model, (torch.randint(0, 30522, (1, 128)),)
    return gen_models.make_tv_classifier(name)()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("names", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name in a.names:
        paths = [os.path.join(a.out, f"{name}.{ext}") for ext in ("pt2", "pt", "args", "weights")]
        wanted = [p for p in paths if not (name in PT2_ONLY and p.endswith(".pt"))]
        if all(os.path.exists(p) for p in wanted):
            continue
        model, args = build(name)
        with torch.no_grad():
            ep = torch.export.export(model, args, strict=False)
        gen_models.atomic_write(paths[0], lambda p: torch.export.save(ep, p))
        del ep
        if name not in PT2_ONLY:
            with torch.enable_grad():  # as gen_models.py: no fused inference kernels in the trace
                traced = torch.jit.trace(model, args, check_trace=False)
            gen_models.atomic_write(paths[1], lambda p: torch.jit.save(traced, p))
        gen_models.atomic_write(paths[2], lambda p: gen_models.write_text(p, gen_models.args_line(args) + "\n"))
        weights = sum(t.numel() * t.element_size() for t in model.state_dict().values())
        gen_models.atomic_write(paths[3], lambda p: gen_models.write_text(p, f"{weights}\n"))
        print(f"{name}: {weights / 2**20:.0f} MiB of weights", flush=True)


if __name__ == "__main__":
    main()
