#!/usr/bin/python3
"""Write a valid model whose max_len is the largest allowed, 65536, with tiny dimensions.

    /usr/bin/python3 tests/memory/long_model.py OUT.json

dim 2, one head of 2, hidden 2, labels "a" and "b", vocabulary [UNK] hello world; weights random
(fixed seed, 3 decimals), position.weight as one flat list of 65536 x 2 values (about 0.8 MB of
JSON). Deterministic: the same bytes at every run. tests/memory/run.sh uses it to check that a
session costs memory for the documents it is given, not for max_len.
"""

import json
import random
import sys

DIM, HEADS, HEAD_DIM, MAX_LEN, HIDDEN = 2, 1, 2, 65536, 2
H = HEADS * HEAD_DIM
VOCAB = ["[UNK]", "hello", "world"]
LABELS = ["a", "b"]


def main():
    rnd = random.Random(18)

    def vec(n, a=1.0):
        return [round(rnd.uniform(-a, a), 3) for _ in range(n)]

    def mat(rows, cols):
        return [vec(cols) for _ in range(rows)]

    tensors = {
        "embedding.weight": ([len(VOCAB), DIM], mat(len(VOCAB), DIM)),
        "position.weight": ([MAX_LEN, DIM], vec(MAX_LEN * DIM, 0.1)),
        "attn.in_proj_weight": ([3 * H, DIM], mat(3 * H, DIM)),
        "attn.in_proj_bias": ([3 * H], vec(3 * H)),
        "attn.out_proj.weight": ([DIM, H], mat(DIM, H)),
        "attn.out_proj.bias": ([DIM], vec(DIM)),
        "hidden.weight": ([HIDDEN, DIM], mat(HIDDEN, DIM)),
        "hidden.bias": ([HIDDEN], vec(HIDDEN)),
        "classifier.weight": ([len(LABELS), HIDDEN], mat(len(LABELS), HIDDEN)),
        "classifier.bias": ([len(LABELS)], vec(len(LABELS))),
    }
    model = {
        "format": "textclf-model",
        "version": 1,
        "config": {"dim": DIM, "heads": HEADS, "head_dim": HEAD_DIM, "max_len": MAX_LEN,
                   "hidden": HIDDEN, "activation": "relu", "residual": True},
        "labels": LABELS,
        "tokenizer": {},
        "vocab": VOCAB,
        "tensors": {name: {"dtype": "F32", "shape": shape, "data": data}
                    for name, (shape, data) in tensors.items()},
    }
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(model, f)
        f.write("\n")


if __name__ == "__main__":
    main()
