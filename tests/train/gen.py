#!/usr/bin/env python3
"""Writes a small synthetic labelled data set for the training tests.

Usage: gen.py OUTDIR
Three "languages" with disjoint word lists plus shared noise words, so a working trainer reaches
~100% accuracy in a few epochs and a broken one does not. Writes train.txt (fastText format,
shuffled), train-sorted.txt (the same lines sorted by label), train.tsv (TSV), test.txt (fastText,
different sentences) and bad.txt (lines of every unusable kind, with known counts); for
--multi-label, multi-train.txt / multi-train.tsv / multi-test.txt: each line one, two or three
of the "languages" (a sentence of each, words mixed), labelled with all of them.
"""
import os
import random
import sys

WORDS = {
    "alpha": "tak mir volo seni dranu kepo lumi sarta bezo ulin".split(),
    "beta": "fjorn skel brak thorv gund hald vikr stam ornd jekk".split(),
    "gamma": "chi lo pai mun sha ti ren bao qin hui".split(),
}
NOISE = "the a of and 42 ok".split()


def sentence(rng, label):
    n = rng.randint(3, 12)
    return " ".join(rng.choice(WORDS[label]) if rng.random() < 0.75 else rng.choice(NOISE)
                    for _ in range(n))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(5)
    rows = [(l, sentence(rng, l)) for l in WORDS for _ in range(300)]
    rng.shuffle(rows)
    with open(os.path.join(out, "train.txt"), "w") as f:
        for l, s in rows:
            # the label token is not always first: fastText allows it anywhere
            words = s.split()
            words.insert(rng.randint(0, len(words)) if rng.random() < 0.2 else 0, "__label__" + l)
            f.write(" ".join(words) + "\n")
    with open(os.path.join(out, "train-sorted.txt"), "w") as f:
        for l, s in sorted(rows):
            f.write(f"__label__{l} {s}\n")
    with open(os.path.join(out, "train.tsv"), "w") as f:
        for l, s in rows:
            f.write(f"{l}\t{s}\n")
    test_rng = random.Random(99)
    with open(os.path.join(out, "test.txt"), "w") as f:
        for l in WORDS:
            for _ in range(50):
                f.write(f"__label__{l} {sentence(test_rng, l)}\n")
    def multi(rng):
        labels = sorted(rng.sample(sorted(WORDS), rng.choice((1, 1, 2, 2, 3))))
        words = [w for l in labels for w in sentence(rng, l).split()]
        rng.shuffle(words)
        return labels, " ".join(words)
    mrng = random.Random(7)
    mrows = [multi(mrng) for _ in range(900)]
    with open(os.path.join(out, "multi-train.txt"), "w") as f:
        for ls, s in mrows:
            f.write(" ".join("__label__" + l for l in ls) + " " + s + "\n")
    with open(os.path.join(out, "multi-train.tsv"), "w") as f:
        for ls, s in mrows:
            f.write(",".join(ls) + "\t" + s + "\n")
    mtest = random.Random(77)
    with open(os.path.join(out, "multi-test.txt"), "w") as f:
        for _ in range(150):
            ls, s = multi(mtest)
            f.write(" ".join("__label__" + l for l in ls) + " " + s + "\n")
    with open(os.path.join(out, "bad.txt"), "wb") as f:
        for l, s in rows[:200]:
            f.write(f"__label__{l} {s}\n".encode())
        f.write(b"no label here\n" * 3)                       # 3 no label
        f.write(b"__label__alpha __label__beta tak fjorn\n" * 2)   # 2 several labels
        f.write(b"__label__alpha __label__alpha tak mir\n")   # repeated label: fine
        f.write(b"__label__gamma\n" * 4)                      # 4 no text
        f.write(b"__label__beta brak \xff\xfe thorv\n")       # 1 invalid UTF-8
        f.write(b"\n   \n")                                   # blank: ignored


if __name__ == "__main__":
    main()
