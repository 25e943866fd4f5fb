"""k-nearest-neighbour accuracy of document vectors (bench/accuracy/embed.sh).

Usage:  /usr/bin/python3 embed_knn.py WORKDIR

Reads WORKDIR's {train,test}.labels, tc-{pooled,hidden}-{train,test}.npy (textclf embed) and
ft-{train,test}.txt (fastText print-sentence-vectors: one line of space-separated values per
document), and prints a Markdown table: for k = 1, 10, 50, the accuracy of labelling each test
document with the majority label of its k most cosine-similar training documents (ties: the
nearer neighbour's label). Vectors of norm 0 (empty documents) are similar to nothing
(cosine 0).
"""

import os
import sys
from collections import Counter

import numpy as np


def unit(v):
    n = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, n, out=np.zeros_like(v), where=n > 0)


def knn_accuracy(train, test, ytrain, ytest, k):
    sims = unit(test) @ unit(train).T                     # [test, train]
    order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    right = 0
    for i, row in enumerate(order):
        votes = Counter(ytrain[j] for j in row)
        best = max(votes.values())
        label = next(ytrain[j] for j in row if votes[ytrain[j]] == best)   # nearest of the tied
        right += label == ytest[i]
    return right / len(ytest)


def main():
    w = sys.argv[1]
    lab = {s: open(os.path.join(w, s + ".labels"), encoding="utf-8").read().split("\n")[:-1]
           for s in ("train", "test")}
    sets = {
        "textclf embed (pooled)": [np.load(os.path.join(w, f"tc-pooled-{s}.npy")) for s in ("train", "test")],
        "textclf embed --layer hidden": [np.load(os.path.join(w, f"tc-hidden-{s}.npy")) for s in ("train", "test")],
        "fastText print-sentence-vectors": [np.loadtxt(os.path.join(w, f"ft-{s}.txt"), ndmin=2)
                                            for s in ("train", "test")],
    }
    ks = (1, 10, 50)
    print("| vectors | dim | " + " | ".join(f"{k}-NN accuracy" for k in ks) + " |")
    print("| --- | ---: |" + " ---: |" * len(ks))
    for name, (tr, te) in sets.items():
        assert len(tr) == len(lab["train"]) and len(te) == len(lab["test"]), name
        accs = [knn_accuracy(tr, te, lab["train"], lab["test"], k) for k in ks]
        print(f"| {name} | {tr.shape[1]} | " + " | ".join(f"{a:.4f}" for a in accs) + " |")


if __name__ == "__main__":
    main()
