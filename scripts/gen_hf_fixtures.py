"""Hugging Face transformers models as test fixtures, each as a .pt2 and a traced .pt.

Usage:  .venv/bin/python scripts/gen_hf_fixtures.py --out DIR [--force] [NAME ...]

Every model is built from its library config class with small but structurally faithful
sizes (2 layers, real head layouts: grouped-query attention where the architecture has it,
RoPE, RMSNorm, SwiGLU, relative position buckets, sliding windows), random weights as the
library initialises them (nothing is downloaded), eval mode, the KV cache off
(`use_cache=False`: a cache object is not a tensor output). A wrapper takes the tensors as
plain arguments and returns the first output (hidden states or logits). The `*_kv` models
are decoder steps with their cache as tensors: input_ids [batch, seq] and each layer's past
key and value [batch, kv_heads, past, head_dim] in, logits and the present keys and values
(past + seq long) out; one ONNX model serves the prefill (an empty past) and every decode
step. The `*_fp16` and `*_bf16` models have float16 / bfloat16 weights and float inputs
(`model.half()`, `model.bfloat16()`; bfloat16 tensors are saved as float32 .npy). For each
NAME:

    DIR/NAME.pt2        torch.export.export (non-strict) with dynamic batch and sequence
                        dims (torch.export.Dim), torch.export.save
    DIR/NAME.pt         torch.jit.trace of the same wrapper, torch.jit.save
    DIR/NAME.in<K>.npy  the example inputs; DIR/NAME.out0.npy the eager output
    DIR/NAME.pt2.args   torch2onnx arguments for the .pt2: --verify-dims with the program's
                        own symbols at another batch and sequence length
    DIR/NAME.pt.args    the same for the .pt: --input-data, --dynamic-shapes naming the
                        dims, --verify-dims
    DIR/NAME.generate.json  (`*_kv`) a prompt and the 16 tokens eager PyTorch generates
                        from it greedily through the same step function

Existing files are kept unless --force.
"""
import json
import os
import sys

import torch
import transformers as hf
from torch.export import Dim

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_export import export_fixture, fixture_main  # noqa: E402

VOCAB = 1000


def small(config_class, **kwargs):
    config = config_class(**kwargs)
    config.use_cache = False
    return config


def text_models():
    base = dict(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128)
    decoder = dict(base, num_key_value_heads=2)  # grouped-query attention
    return {
        "bert": lambda: hf.BertModel(small(hf.BertConfig, **base)),
        "roberta": lambda: hf.RobertaModel(small(hf.RobertaConfig, **base)),
        "distilbert": lambda: hf.DistilBertModel(
            small(hf.DistilBertConfig, vocab_size=VOCAB, dim=64, n_layers=2, n_heads=4, hidden_dim=128)),
        "deberta_v2": lambda: hf.DebertaV2Model(small(
            hf.DebertaV2Config, **base, relative_attention=True, position_buckets=16, max_relative_positions=32,
            pos_att_type=["p2c", "c2p"])),
        "gpt2": lambda: hf.GPT2LMHeadModel(small(
            hf.GPT2Config, vocab_size=VOCAB, n_embd=64, n_layer=2, n_head=4, bos_token_id=0, eos_token_id=0)),
        "llama": lambda: hf.LlamaForCausalLM(small(hf.LlamaConfig, **decoder)),
        "qwen2": lambda: hf.Qwen2ForCausalLM(small(hf.Qwen2Config, **decoder)),
        "mistral": lambda: hf.MistralForCausalLM(small(hf.MistralConfig, **decoder, sliding_window=8)),
        "clip_text": lambda: hf.CLIPTextModel(small(hf.CLIPTextConfig, **base, max_position_embeddings=64)),
        "t5_encoder": lambda: hf.T5EncoderModel(
            small(hf.T5Config, vocab_size=VOCAB, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_heads=4)),
    }


class Text(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, return_dict=False)[0]


class Seq2Seq(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, decoder_input_ids):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, decoder_input_ids=decoder_input_ids,
                          return_dict=False)[0]


class Speech(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_features, decoder_input_ids):
        return self.model(input_features=input_features, decoder_input_ids=decoder_input_ids, return_dict=False)[0]


class Single(torch.nn.Module):
    """One tensor input passed by keyword (pixel_values, input_values)."""

    def __init__(self, model, keyword):
        super().__init__()
        self.model = model
        self.keyword = keyword

    def forward(self, x):
        return self.model(**{self.keyword: x}, return_dict=False)[0]


class DecoderStep(torch.nn.Module):
    """A decoder-only LM with its two layers' KV cache as plain tensors."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, past_key_0, past_value_0, past_key_1, past_value_1):
        cache = hf.DynamicCache(ddp_cache_data=[(past_key_0, past_value_0), (past_key_1, past_value_1)],
                                config=self.model.config)
        out = self.model(input_ids=input_ids, past_key_values=cache, use_cache=True, return_dict=True)
        layers = out.past_key_values.layers
        return out.logits, layers[0].keys, layers[0].values, layers[1].keys, layers[1].values


def greedy(step, prompt, kv_heads, head_dim, new_tokens=16):
    """Tokens generated greedily from `prompt` [1, n] by `step`, starting from an empty past."""
    past = [torch.zeros(1, kv_heads, 0, head_dim) for _ in range(4)]
    ids, tokens = prompt, []
    for _ in range(new_tokens):
        logits, *past = step(ids, *past)
        ids = logits[:, -1:].argmax(-1)
        tokens.append(int(ids))
    return tokens


def batch(maximum=64):
    return Dim("batch", min=1, max=maximum)


def build(name):
    """(wrapper, example inputs, dynamic_shapes, names of the dims per input, the other sizes
    to verify at: one dict per --verify-dims run)."""
    text = text_models()
    for suffix, dtype in (("_fp16", torch.float16), ("_bf16", torch.bfloat16)):
        if name.endswith(suffix):  # the same model with half-precision weights and float inputs
            wrapper, inputs, dynamic_shapes, dim_names, other = build(name[: -len(suffix)])
            inputs = tuple(x.to(dtype) if x.is_floating_point() else x for x in inputs)
            return wrapper.to(dtype), inputs, dynamic_shapes, dim_names, other
    if name.endswith("_kv") and name[:-3] in text:
        config = text[name[:-3]]().config
        config.use_cache = True
        model = type(text[name[:-3]]())(config)
        heads = getattr(config, "num_key_value_heads", None) or config.num_attention_heads
        head_dim = config.hidden_size // config.num_attention_heads
        b, s, p = batch(), Dim("seq", min=1, max=256), Dim("past", min=0, max=1024)
        past = {0: b, 2: p}
        inputs = (torch.randint(0, VOCAB, (2, 3)),) + tuple(torch.randn(2, heads, 5, head_dim) for _ in range(4))
        return (DecoderStep(model), inputs, ({0: b, 1: s}, past, past, past, past),
                [{"0": "batch", "1": "seq"}] + [{"0": "batch", "2": "past"}] * 4,
                [{"past": 0}, {"past": 9, "seq": 1}])
    if name in text:
        seq_max = 64 if name == "clip_text" else 512
        b, s = batch(), Dim("seq", min=2, max=seq_max)
        ids = torch.randint(0, VOCAB, (2, 16))
        mask = torch.ones(2, 16, dtype=torch.long)
        mask[1, 12:] = 0  # padding in the second sequence
        return (Text(text[name]()), (ids, mask), ({0: b, 1: s}, {0: b, 1: s}),
                [{"0": "batch", "1": "seq"}] * 2, [{"batch": 3, "seq": 7}])
    if name in ("t5", "bart"):
        if name == "t5":
            model = hf.T5ForConditionalGeneration(small(
                hf.T5Config, vocab_size=VOCAB, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_decoder_layers=2,
                num_heads=4))
        else:
            model = hf.BartForConditionalGeneration(small(
                hf.BartConfig, vocab_size=VOCAB, d_model=64, encoder_layers=2, decoder_layers=2,
                encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128,
                max_position_embeddings=128))
        b, s, t = batch(), Dim("seq", min=2, max=128), Dim("tgt", min=2, max=128)
        inputs = (torch.randint(0, VOCAB, (2, 16)), torch.ones(2, 16, dtype=torch.long), torch.randint(0, VOCAB, (2, 9)))
        return (Seq2Seq(model), inputs, ({0: b, 1: s}, {0: b, 1: s}, {0: b, 1: t}),
                [{"0": "batch", "1": "seq"}, {"0": "batch", "1": "seq"}, {"0": "batch", "1": "tgt"}],
                [{"batch": 3, "seq": 11, "tgt": 5}])
    if name == "whisper":
        model = hf.WhisperForConditionalGeneration(small(
            hf.WhisperConfig, vocab_size=VOCAB, d_model=64, encoder_layers=2, decoder_layers=2,
            encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128,
            num_mel_bins=16, max_source_positions=50, max_target_positions=64, pad_token_id=0, bos_token_id=1,
            eos_token_id=2, decoder_start_token_id=1))
        b, t = batch(), Dim("tgt", min=2, max=64)
        inputs = (torch.randn(2, 16, 100), torch.randint(0, VOCAB, (2, 9)))
        return (Speech(model), inputs, ({0: b}, {0: b, 1: t}), [{"0": "batch"}, {"0": "batch", "1": "tgt"}],
                [{"batch": 3, "tgt": 5}])
    if name == "wav2vec2":
        model = hf.Wav2Vec2Model(small(
            hf.Wav2Vec2Config, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
            conv_dim=(32, 32, 32), conv_stride=(5, 2, 2), conv_kernel=(10, 3, 3), num_conv_pos_embeddings=16,
            num_conv_pos_embedding_groups=4))
        return (Single(model, "input_values"), (torch.randn(2, 4000),), ({0: batch()},), [{"0": "batch"}], [{"batch": 3}])
    vision = {
        "vit": lambda: hf.ViTModel(small(hf.ViTConfig, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                                         intermediate_size=128, image_size=32, patch_size=8)),
        "clip_vision": lambda: hf.CLIPVisionModel(small(
            hf.CLIPVisionConfig, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
            image_size=32, patch_size=8)),
    }
    if name in vision:
        return (Single(vision[name](), "pixel_values"), (torch.randn(2, 3, 32, 32),), ({0: batch()},),
                [{"0": "batch"}], [{"batch": 3}])
    raise SystemExit(f"gen_hf_fixtures: unknown model '{name}' (known: {' '.join(MODELS)})")


MODELS = list(text_models()) + ["t5", "bart", "whisper", "wav2vec2", "vit", "clip_vision", "gpt2_kv", "llama_kv",
                                 "qwen2_kv", "bert_fp16", "llama_fp16", "vit_fp16", "bert_bf16", "llama_bf16", "vit_bf16"]


def write(name, out):
    wrapper, inputs, dynamic_shapes, dim_names, other = build(name)
    export_fixture(name, out, wrapper, inputs, dynamic_shapes, dim_names, other)
    if isinstance(wrapper, DecoderStep):
        prompt = torch.randint(0, VOCAB, (1, 6))
        with torch.no_grad():
            tokens = greedy(wrapper, prompt, inputs[1].shape[1], inputs[1].shape[3])
        with open(os.path.join(out, name + ".generate.json"), "w") as f:
            json.dump({"prompt": prompt[0].tolist(), "tokens": tokens}, f)


if __name__ == "__main__":
    sys.exit(fixture_main(__doc__.split("\n")[0], MODELS, write))
