#!/usr/bin/env python3
"""Write the tiny textclf models used by tests/bert/ into a directory (made at test time, not committed).

Only the tokenizer matters to these tests, so every network is the smallest legal one:
dim 1, heads 1, max_len 512, hidden 1, two labels, all tensors inline F32 zeros (flat lists).

Layout written under OUTDIR (a model may name only files in its own directory, subdirectories
included: docs/model-format.md, "Files a model names"):
  models/vocab/bert-base-uncased-vocab.txt   copy of tests/data/bert-base-uncased-vocab.txt
  models/bert-uncased.json             vocab {"file": "vocab/bert-base-uncased-vocab.txt"}, BERT uncased settings
  models/bert-cased.json               same vocab file, BERT cased settings
  models/wordpiece10.json              BERT's WordPiece test vocabulary (10 tokens, inline), cased settings
  models/full11.json                   BERT's FullTokenizer test vocabulary (11 tokens, inline), uncased settings
  models/basic-uncased.json            vocabulary of BERT's BasicTokenizer test outputs, uncased settings
  models/basic-cased.json              vocabulary of BERT's BasicTokenizer test outputs, cased settings

Usage: make_models.py OUTDIR
"""

import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB_SRC = os.path.join(os.path.dirname(HERE), "data", "bert-base-uncased-vocab.txt")
MAX_LEN = 512

UNCASED = {"normalize": "none", "case": "lower", "strip_accents": True, "pretokenize": "bert",
           "split_scripts": ["han"]}
CASED = {"normalize": "none", "case": "keep", "strip_accents": False, "pretokenize": "bert",
         "split_scripts": ["han"]}

WORDPIECE10 = ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"]
FULL11 = WORDPIECE10 + [","]
BASIC_UNCASED = ["[UNK]", "hello", "!", "how", "are", "you", "?", "ah", "\u535a", "\u63a8", "zz"]
BASIC_CASED = ["[UNK]", "HeLLo", "!", "how", "Are", "yoU", "?", "ah", "\u535a", "\u63a8", "zz"]


def tensor(shape):
    n = 1
    for s in shape:
        n *= s
    return {"dtype": "F32", "shape": list(shape), "data": [0] * n}


def model(vocab_entry, vocab_size, tokenizer, name):
    d, h, hidden, labels = 1, 1, 1, ["negative", "positive"]
    return {
        "format": "textclf-model",
        "version": 1,
        "config": {"dim": d, "heads": h, "max_len": MAX_LEN, "hidden": hidden},
        "labels": labels,
        "tokenizer": tokenizer,
        "vocab": vocab_entry,
        "tensors": {
            "embedding.weight": tensor([vocab_size, d]),
            "position.weight": tensor([MAX_LEN, d]),
            "attn.in_proj_weight": tensor([3 * h, d]),
            "attn.in_proj_bias": tensor([3 * h]),
            "attn.out_proj.weight": tensor([d, h]),
            "attn.out_proj.bias": tensor([d]),
            "hidden.weight": tensor([hidden, d]),
            "hidden.bias": tensor([hidden]),
            "classifier.weight": tensor([len(labels), hidden]),
            "classifier.bias": tensor([len(labels)]),
        },
        "metadata": {"purpose": "tests/bert tokenizer model %s; weights are zeros" % name},
    }


def count_lines(path):
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    lines = data.split("\n")
    if lines[-1] == "":
        lines.pop()
    return len(lines)


def write_models(outdir, vocab_src=VOCAB_SRC):
    """Write everything; return {name: json path}."""
    mdir = os.path.join(outdir, "models")
    vdir = os.path.join(mdir, "vocab")
    os.makedirs(vdir, exist_ok=True)
    os.makedirs(mdir, exist_ok=True)
    vocab_copy = os.path.join(vdir, "bert-base-uncased-vocab.txt")
    shutil.copyfile(vocab_src, vocab_copy)
    v = count_lines(vocab_copy)
    file_entry = {"file": "vocab/bert-base-uncased-vocab.txt"}
    specs = {
        "bert-uncased": (file_entry, v, UNCASED),
        "bert-cased": (file_entry, v, CASED),
        "wordpiece10": (WORDPIECE10, len(WORDPIECE10), CASED),
        "full11": (FULL11, len(FULL11), UNCASED),
        "basic-uncased": (BASIC_UNCASED, len(BASIC_UNCASED), UNCASED),
        "basic-cased": (BASIC_CASED, len(BASIC_CASED), CASED),
    }
    paths = {}
    for name, (entry, size, tok) in specs.items():
        path = os.path.join(mdir, name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(model(entry, size, dict(tok), name), f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        paths[name] = path
    return paths


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: make_models.py OUTDIR")
    for name, path in write_models(argv[0]).items():
        print("%s\t%s" % (name, path))


if __name__ == "__main__":
    main(sys.argv[1:])
