#!/usr/bin/python3
"""Writes a random textclf model, weights in a safetensors file beside it, for load benchmarks.

    /usr/bin/python3 bench/load/gen_model.py OUT.json VOCAB DIM [SEED]

OUT.json names OUT.safetensors (F32). The network: DIM wide, 4 heads of DIM/4, max_len 128,
hidden 64, 10 labels, a vocabulary of VOCAB tokens ("[UNK]", "w0", "w1", ...); weights are
normal with standard deviation 0.1 (numbers written by `textclf convert --inline` then take
about as many characters as a trained model's). Deterministic for a given SEED (default 1).
"""
import json
import os
import struct
import sys

import numpy as np


def main():
    out, V, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    heads, max_len, hidden, C = 4, 128, 64, 10
    H = heads * (d // heads)
    shapes = {"embedding.weight": [V, d], "position.weight": [max_len, d],
              "attn.in_proj_weight": [3 * H, d], "attn.in_proj_bias": [3 * H],
              "attn.out_proj.weight": [d, H], "attn.out_proj.bias": [d],
              "hidden.weight": [hidden, d], "hidden.bias": [hidden],
              "classifier.weight": [C, hidden], "classifier.bias": [C]}
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name, shape in shapes.items():
        data = (rng.standard_normal(shape) * 0.1).astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [off, off + len(data)]}
        off += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    stem = os.path.splitext(out)[0]
    with open(stem + ".safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for data in blobs:
            f.write(data)
    doc = {"format": "textclf-model", "version": 1,
           "config": {"dim": d, "heads": heads, "head_dim": d // heads, "max_len": max_len,
                      "hidden": hidden},
           "labels": ["c%d" % i for i in range(C)], "tokenizer": {},
           "vocab": ["[UNK]"] + ["w%d" % i for i in range(V - 1)],
           "weights_file": os.path.basename(stem) + ".safetensors",
           "tensors": {n: {"dtype": "F32", "shape": s} for n, s in shapes.items()}}
    with open(out, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main()
