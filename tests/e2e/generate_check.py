"""Greedy generation in ONNX Runtime with a converted decoder step (gen_hf_fixtures.py `*_kv`).

Usage: generate_check.py MODEL.onnx NAME.generate.json

The model takes input_ids and each layer's past key and value, and returns logits and the
present keys and values. Starting from an empty past, it runs the prompt once (prefill) and
then one token at a time, feeding back the presents, and checks that the 16 tokens equal
the ones eager PyTorch generated through the same step function.
"""
import json
import sys

import numpy as np
import onnxruntime as ort


def main(model_path, expected_path):
    expected = json.load(open(expected_path))
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    inputs = session.get_inputs()
    past_shapes = [i.shape for i in inputs[1:]]
    past = [np.zeros((1, shape[1], 0, shape[3]), dtype=np.float32) for shape in past_shapes]
    ids = np.array([expected["prompt"]], dtype=np.int64)
    tokens = []
    for _ in range(len(expected["tokens"])):
        logits, *past = session.run(None, {inputs[0].name: ids, **{i.name: p for i, p in zip(inputs[1:], past)}})
        ids = logits[:, -1:].argmax(-1).astype(np.int64)
        tokens.append(int(ids[0, 0]))
    print(f"ONNX Runtime: {tokens}\nPyTorch:      {expected['tokens']}")
    if tokens != expected["tokens"]:
        raise SystemExit(f"{model_path}: greedy generation differs from PyTorch's")
    print(f"{len(tokens)} tokens equal (past grew to {past[0].shape[2]})")


if __name__ == "__main__":
    main(*sys.argv[1:])
