#!/usr/bin/python3
"""langid_check.py DIR

Checks the promise langid_split.py makes about the files it wrote into DIR: no
text (case, punctuation and blanks aside: langid_split.norm_key) is in two of
the training files (train.txt, train-short.txt), the validation files
(valid.txt, valid-short.txt) and the held-out files (test.txt, fresh.txt and
their short counterparts), except the natural short texts that a file and its
short counterpart share by design; fresh.txt and fresh-short.txt share nothing
with test.txt or test-short.txt. Prints one line per file pair it compared and
exits with status 1, naming an example, when a promise is broken. Run by
tools/models/build.sh before it trains, so that an evaluation never counts a
text the model was trained or chosen on.
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from langid_split import norm_key  # noqa: E402

# pairs that must not share a text; test.txt and test-short.txt may (natural
# short texts of 20-32 characters are in both), and so may fresh.txt and
# fresh-short.txt, and valid.txt and valid-short.txt
DISJOINT = [("train", "valid"), ("train", "test"), ("train", "test-short"), ("train", "fresh"),
            ("train", "fresh-short"), ("valid", "test"), ("valid", "test-short"),
            ("valid", "fresh"), ("valid", "fresh-short"), ("test", "fresh"),
            ("test", "fresh-short"), ("test-short", "fresh"), ("test-short", "fresh-short"),
            ("train", "train-short"), ("train-short", "valid"), ("train-short", "valid-short"),
            ("train-short", "test"), ("train-short", "test-short"), ("train-short", "fresh"),
            ("train-short", "fresh-short"), ("train", "valid-short"), ("valid-short", "test"),
            ("valid-short", "test-short"), ("valid-short", "fresh"),
            ("valid-short", "fresh-short")]


def keys(path):
    """{norm_key: first line} of a fastText-format file."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = line.rstrip("\n").split(" ", 1)[1] if " " in line else ""
            out.setdefault(norm_key(text), line.rstrip("\n"))
    return out


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: langid_check.py DIR")
    d = argv[1]
    sets = {}
    for name in sorted({n for pair in DISJOINT for n in pair}):
        path = os.path.join(d, name + ".txt")
        if not os.path.exists(path):
            sys.exit("langid_check.py: %s is missing" % path)
        sets[name] = keys(path)
    bad = 0
    for a, b in DISJOINT:
        common = sets[a].keys() & sets[b].keys()
        print("%-11s %-11s %d shared" % (a, b, len(common)))
        if common:
            k = min(common)
            print("langid_check.py: %s.txt and %s.txt share a text: %r / %r"
                  % (a, b, sets[a][k], sets[b][k]), file=sys.stderr)
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
