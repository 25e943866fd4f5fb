#!/usr/bin/python3
"""Synthetic Zipf corpus for the training-throughput benchmark (fixed seed, no downloads).

    gen_data.py OUTDIR [--docs N] [--classes C] [--seed S]

Writes
  OUTDIR/train.txt   fastText lines: "__label__cK w w w ..."  (what `textclf train` reads)
  OUTDIR/texts.txt   the same documents without the label, one per line (for `textclf tokenize`)
  OUTDIR/labels.txt  the label of each line of texts.txt

Corpus: a vocabulary of 20000 distinct lower-case pseudo-words (2-10 letters), word frequencies
Zipf (p(rank r) ~ 1/r^1.07, the usual exponent of English), 5..60 words per document (uniform),
10 classes (uniform; --classes). Each class has 300 topic words (drawn from ranks 50..8000); 25% of a
document's words come from its class's topic words, the rest from the global Zipf distribution,
so the task is learnable but the token statistics stay Zipfian.
"""
import argparse
import os

import numpy as np

WORDS = 20000
CLASSES = 10
MIN_LEN, MAX_LEN = 5, 60
ZIPF_S = 1.07
TOPIC_WORDS, TOPIC_SHARE = 300, 0.25


def make_words(rng, count=WORDS):
    """count distinct lower-case words of 2-10 letters, most frequent (shortest) first; also
    used by bench/perf/gen_corpus.py."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    # letter frequencies roughly like English, so WordPiece finds common sub-words
    freq = np.array([8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.2, 0.8, 4.0, 2.4, 6.7, 7.5,
                     1.9, 0.1, 6.0, 6.3, 9.1, 2.8, 1.0, 2.4, 0.2, 2.0, 0.1])
    freq /= freq.sum()
    seen, words = set(), []
    while len(words) < count:
        n = int(rng.integers(2, 11))
        w = "".join(rng.choice(letters, size=n, p=freq))
        if w not in seen:
            seen.add(w)
            words.append(w)
    # shorter words get the frequent ranks (as in natural language)
    words.sort(key=lambda w: (len(w), rng.random()))
    return words


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--classes", type=int, default=CLASSES)
    ap.add_argument("--seed", type=int, default=12345)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    words = make_words(rng)
    p = 1.0 / np.arange(1, WORDS + 1) ** ZIPF_S
    p /= p.sum()
    cdf = np.cumsum(p)
    topics = [rng.choice(np.arange(50, 8000), size=TOPIC_WORDS, replace=False) for _ in range(a.classes)]
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "train.txt"), "w") as ft, \
         open(os.path.join(a.outdir, "texts.txt"), "w") as fx, \
         open(os.path.join(a.outdir, "labels.txt"), "w") as fl:
        for _ in range(a.docs):
            c = int(rng.integers(0, a.classes))
            n = int(rng.integers(MIN_LEN, MAX_LEN + 1))
            ranks = np.searchsorted(cdf, rng.random(n) * cdf[-1])
            topical = rng.random(n) < TOPIC_SHARE
            ranks[topical] = rng.choice(topics[c], size=int(topical.sum()))
            text = " ".join(words[r] for r in ranks)
            ft.write(f"__label__c{c} {text}\n")
            fx.write(text + "\n")
            fl.write(f"c{c}\n")


if __name__ == "__main__":
    main()
