#!/usr/bin/env python3
"""A model written by `textclf train` gives the same probabilities in PyTorch.

Usage: torch_check.py MODEL.json TEXTS.txt TEXTCLF_JSONL
TEXTS.txt has one document per line; TEXTCLF_JSONL is `textclf -m MODEL --all -f jsonl TEXTS.txt`.
Loads the model with tools/textclf_ref.py (reference tokenizer + PyTorch module) and compares every
probability; prints the max difference and exits 1 above 1e-5.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402


def main():
    model_path, texts_path, got_path = sys.argv[1:4]
    model, vocab, labels, settings, config = ref.load_model(model_path)
    tok = ref.Tokenizer(settings, vocab, config["max_len"])
    docs = open(texts_path, "rb").read().split(b"\n")
    if docs and docs[-1] == b"":
        docs.pop()
    got = [json.loads(l)["scores"] for l in open(got_path, encoding="utf-8")]
    assert len(got) == len(docs), f"{len(got)} results for {len(docs)} documents"
    model.eval()
    with torch.no_grad():
        ids, lengths = ref.batch_ids([tok.ids(d) for d in docs])
        probs = model.probs(ids, lengths)
    worst = max(abs(probs[i, c].item() - got[i][l]) for i in range(len(docs))
                for c, l in enumerate(labels))
    print(f"{len(docs)} documents, max abs difference {worst:.2e}")
    sys.exit(0 if worst <= 1e-5 else 1)


if __name__ == "__main__":
    main()
