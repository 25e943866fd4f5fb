#!/usr/bin/env python3
"""Trains the small demo language identifier shipped as tests/models/demo-lang.json, in PyTorch.

Usage: train_demo.py PARAGRAPHS.tsv OUT.json
PARAGRAPHS.tsv is `label<TAB>text` (tools/demo/manpage_text.py). The model uses the reference
module in tools/textclf_ref.py and is written with its exporter (JSON + safetensors), so this is
also the "trained in PyTorch, loaded by textclf" path end to end.

This is a stand-in until `textclf train` and the real shipped models exist: a few languages, a
small vocabulary (frequent words plus single characters as WordPiece pieces), trained for a few
epochs. Deterministic for a given input (fixed seeds, one thread).
"""
import collections
import os
import random
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import textclf_ref as ref  # noqa: E402

CONFIG = dict(dim=48, heads=4, head_dim=12, max_len=64, hidden=64, activation="relu",
              residual=True)
WORDS, MIN_WORD, MIN_CHAR = 4000, 3, 2
EPOCHS, BATCH, LR = 6, 64, 3e-3


def build_vocab(texts, settings):
    """[UNK], frequent words, then every frequent character alone and as a ## continuation."""
    probe = ref.Tokenizer(settings, ["[UNK]"], 10**9)
    words, chars = collections.Counter(), collections.Counter()
    for t in texts:
        for w in probe.words(probe.normalize(ref.decode_utf8(t.encode())[0])):
            words[w] += 1
            chars.update(w)
    vocab = ["[UNK]"]
    vocab += [w for w, n in sorted(words.items(), key=lambda x: (-x[1], x[0]))[:WORDS]
              if n >= MIN_WORD and len(w) > 1]
    singles = sorted(c for c, n in chars.items() if n >= MIN_CHAR)
    vocab += singles + ["##" + c for c in singles]
    return list(dict.fromkeys(vocab))


def main():
    src, out = sys.argv[1], sys.argv[2]
    torch.manual_seed(1)
    torch.set_num_threads(1)
    rows = [l.rstrip("\n").split("\t", 1) for l in open(src, encoding="utf-8")]
    random.Random(7).shuffle(rows)
    cut = len(rows) * 9 // 10
    train, test = rows[:cut], rows[cut:]
    labels = sorted({l for l, _ in rows})
    settings = {}   # textclf defaults: NFKC + case folding, CJK/kana split per character
    vocab = build_vocab([t for _, t in train], settings)
    tok = ref.Tokenizer(settings, vocab, CONFIG["max_len"])
    enc = lambda data: [(tok.ids(t.encode()), labels.index(l)) for l, t in data]
    tr, te = enc(train), enc(test)
    model = ref.TextClassifier(len(vocab), len(labels), **CONFIG)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    rng = random.Random(3)
    for epoch in range(EPOCHS):
        model.train()
        rng.shuffle(tr)
        for i in range(0, len(tr), BATCH):
            batch = tr[i:i + BATCH]
            ids, lengths = ref.batch_ids([x for x, _ in batch])
            y = torch.tensor([c for _, c in batch])
            loss = torch.nn.functional.cross_entropy(model(ids, lengths), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            ids, lengths = ref.batch_ids([x for x, _ in te])
            pred = model(ids, lengths).argmax(-1)
            acc = (pred == torch.tensor([c for _, c in te])).float().mean().item()
        print(f"epoch {epoch + 1}: last batch loss {loss.item():.4f}, "
              f"held-out accuracy {acc:.4f} ({len(te)} paragraphs)", file=sys.stderr)
    meta = {"description": "demo language identifier (13 languages) trained in PyTorch on "
                           "Debian man page translations; a stand-in until the real models ship",
            "held_out_accuracy": round(acc, 4), "train_paragraphs": len(tr),
            "test_paragraphs": len(te)}
    ref.save_model(out, model, vocab, labels, settings, weights="safetensors", metadata=meta)


if __name__ == "__main__":
    main()
