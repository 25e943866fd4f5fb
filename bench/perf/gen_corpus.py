#!/usr/bin/python3
"""Synthetic corpus of the inference-speed benchmark (fixed seed, standard library + numpy only).

    gen_corpus.py OUTDIR [--docs N] [--train-docs N] [--lengths 8,16,...] [--length-tokens N]
                         [--length-min-docs N] [--seed S]

Writes
  OUTDIR/vocab.txt     the model vocabulary: "[UNK]" then the 19,999 corpus words (ids 1..19999)
  OUTDIR/labels.txt    the 10 class labels c0..c9, one per line
  OUTDIR/docs.txt      --docs documents, one per line (the throughput and latency input)
  OUTDIR/docs20.txt    --docs shorter documents, 5..35 words (mean ~20), the second corpus of the
                       throughput runs (issue 21: fastText's ground, where fixed costs weigh most)
  OUTDIR/train.txt     --train-docs labelled documents in fastText format ("__label__cK w w ..."),
                       to train the fastText contender (a different draw from docs.txt)
  OUTDIR/len_L.txt     for each L of --lengths: documents of exactly L words (the cost-vs-length
                       curve), max(--length-min-docs, --length-tokens // L) of them
  OUTDIR/corpus.json   what was generated (sizes, word and document counts), for the report

Corpus: 19,999 distinct synthetic lower-case ASCII words of 2-10 letters (letter frequencies roughly
like English; shorter words get the frequent ranks), word frequencies Zipf (p(rank r) ~ 1/r^1.07),
5..60 words per document (uniform), 10 classes. A document of class c takes 25% of its words from
c's 300 topic words, the rest from the global Zipf distribution, so fastText has something to learn.
Every word is in the vocabulary and is a whole word there, so textclf's WordPiece tokenizer maps each
word to exactly one token (no [UNK], no "##" pieces): tokens per document = words per document.
Words are only [a-z], which NFKC + case folding leave unchanged.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train_speed"))
import gen_data as train_speed_gen_data  # noqa: E402  (make_words: the same synthetic words)

WORDS = 19999            # + "[UNK]" = a vocabulary of 20,000 entries
CLASSES = 10
MIN_LEN, MAX_LEN = 5, 60
SHORT_MIN_LEN, SHORT_MAX_LEN = 5, 35     # docs20.txt: uniform, mean 20
ZIPF_S = 1.07
TOPIC_WORDS, TOPIC_SHARE = 300, 0.25


def make_words(rng):
    """WORDS distinct lower-case words, most frequent (shortest) first: bench/train_speed's."""
    return train_speed_gen_data.make_words(rng, WORDS)


class Generator:
    """Draws documents (as lists of word ranks) from the Zipf + topic model above."""

    def __init__(self, rng):
        self.rng = rng
        p = 1.0 / np.arange(1, WORDS + 1) ** ZIPF_S
        self.cdf = np.cumsum(p / p.sum())
        self.topics = [rng.choice(np.arange(50, 8000), size=TOPIC_WORDS, replace=False)
                       for _ in range(CLASSES)]

    def docs(self, lengths):
        """One document per entry of `lengths`; returns (list of rank arrays, classes)."""
        rng = self.rng
        lengths = np.asarray(lengths)
        total = int(lengths.sum())
        classes = rng.integers(0, CLASSES, size=len(lengths))
        ranks = np.searchsorted(self.cdf, rng.random(total) * self.cdf[-1])
        ranks = np.minimum(ranks, WORDS - 1)
        doc_class = np.repeat(classes, lengths)
        topical = rng.random(total) < TOPIC_SHARE
        pick = rng.integers(0, TOPIC_WORDS, size=total)
        topic_table = np.stack(self.topics)                 # [CLASSES, TOPIC_WORDS]
        ranks[topical] = topic_table[doc_class[topical], pick[topical]]
        bounds = np.cumsum(lengths)[:-1]
        return np.split(ranks, bounds), classes


def write_docs(path, words, docs, classes=None):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for i, d in enumerate(docs):
            text = " ".join(words[r] for r in d)
            f.write(f"__label__c{classes[i]} {text}\n" if classes is not None else text + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--docs", type=int, default=100000)
    ap.add_argument("--train-docs", type=int, default=20000)
    ap.add_argument("--lengths", default="8,16,32,64,128,256")
    ap.add_argument("--length-tokens", type=int, default=400000,
                    help="words per len_L.txt file (so every L costs about the same)")
    ap.add_argument("--length-min-docs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20261130)
    a = ap.parse_args()

    rng = np.random.default_rng(a.seed)
    words = make_words(rng)
    gen = Generator(rng)
    os.makedirs(a.outdir, exist_ok=True)
    out = lambda name: os.path.join(a.outdir, name)  # noqa: E731

    with open(out("vocab.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write("[UNK]\n" + "".join(w + "\n" for w in words))
    with open(out("labels.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write("".join(f"c{c}\n" for c in range(CLASSES)))

    info = {"seed": a.seed, "vocab_entries": WORDS + 1, "corpus_words": WORDS, "classes": CLASSES,
            "doc_words": [MIN_LEN, MAX_LEN], "zipf_s": ZIPF_S, "files": {}}

    lengths = rng.integers(MIN_LEN, MAX_LEN + 1, size=a.docs)
    docs, _ = gen.docs(lengths)
    write_docs(out("docs.txt"), words, docs)
    info["files"]["docs.txt"] = {"docs": a.docs, "tokens": int(lengths.sum())}

    lengths = rng.integers(MIN_LEN, MAX_LEN + 1, size=a.train_docs)
    docs, classes = gen.docs(lengths)
    write_docs(out("train.txt"), words, docs, classes)
    info["files"]["train.txt"] = {"docs": a.train_docs, "tokens": int(lengths.sum())}

    for L in (int(x) for x in a.lengths.split(",")):
        n = max(a.length_min_docs, a.length_tokens // L)
        docs, _ = gen.docs(np.full(n, L))
        write_docs(out(f"len_{L}.txt"), words, docs)
        info["files"][f"len_{L}.txt"] = {"docs": n, "tokens": n * L, "words_per_doc": L}

    # drawn last, so that the files above are those of the runs before docs20.txt existed
    lengths = rng.integers(SHORT_MIN_LEN, SHORT_MAX_LEN + 1, size=a.docs)
    docs, _ = gen.docs(lengths)
    write_docs(out("docs20.txt"), words, docs)
    info["files"]["docs20.txt"] = {"docs": a.docs, "tokens": int(lengths.sum()),
                                   "doc_words": [SHORT_MIN_LEN, SHORT_MAX_LEN]}

    with open(out("corpus.json"), "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
