#!/usr/bin/python3
"""Export a textclf model file to ONNX (the same weights), for the ONNX Runtime contender.

    export_onnx.py MODEL.json OUT.onnx [--pt OUT.pt]

Loads MODEL.json with tools/textclf_ref.load_model (the PyTorch module whose weights are exactly the
file's float32 tensors) and exports probs = softmax(model(ids, lengths)) with
  inputs  ids     int64 [batch, seq]  token ids, padded with any valid id (0)
          lengths int64 [batch]       real tokens per row (the rest is padding)
  output  probs   float32 [batch, labels]
and dynamic batch and sequence axes (opset 14).

Two details of torch 1.13's exporter matter:
  * the module's padding mask is built with `~mask` (tools/textclf_ref.py already does), since
    torch 1.13 exports logical_not badly;
  * the export runs with autograd enabled (NOT under torch.no_grad / inference_mode): in eval mode
    without grad, nn.MultiheadAttention takes its fused "fast path" (_native_multi_head_attention),
    which has no ONNX symbolic; with grad enabled it traces the plain matmul/softmax path.

--pt also writes {"config", "vocab_size", "labels", "state_dict"} with torch.save, which
torch_bench.py first-result loads (what a PyTorch deployment would do: no JSON parsing at start-up).
"""
import argparse
import os
import sys
import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
sys.dont_write_bytecode = True
import textclf_ref as ref  # noqa: E402


class ProbsModel(torch.nn.Module):
    """(ids, lengths) -> softmax probabilities: the graph ONNX Runtime runs."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, ids, lengths):
        return torch.softmax(self.model(ids, lengths), dim=-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("output")
    ap.add_argument("--pt", help="also torch.save the config and state dict here")
    a = ap.parse_args()

    model, vocab, labels, _, config = ref.load_model(a.model)
    model.eval()
    wrapped = ProbsModel(model).eval()
    # Example input: 2 documents of different lengths (so the mask is exercised), T < max_len.
    T = min(7, config["max_len"])
    ids = torch.randint(1, len(vocab), (2, T), dtype=torch.long)
    lengths = torch.tensor([T, max(1, T - 3)], dtype=torch.long)
    assert torch.is_grad_enabled()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # TracerWarnings about Python-level shape checks
        torch.onnx.export(wrapped, (ids, lengths), a.output, input_names=["ids", "lengths"],
                          output_names=["probs"], opset_version=14,
                          dynamic_axes={"ids": {0: "batch", 1: "seq"}, "lengths": {0: "batch"},
                                        "probs": {0: "batch"}})
    if a.pt:
        torch.save({"config": config, "vocab_size": len(vocab), "labels": labels,
                    "state_dict": model.state_dict()}, a.pt)


if __name__ == "__main__":
    main()
