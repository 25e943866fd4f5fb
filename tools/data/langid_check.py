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

import itertools
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from langid_split import norm_key  # noqa: E402

FILES = ["train", "train-short", "valid", "valid-short", "test", "test-short", "fresh",
         "fresh-short"]
# every pair must be disjoint but a file and its short counterpart: valid, test and fresh share
# their natural short texts of 20-32 characters with valid-short, test-short and fresh-short by
# design (train.txt and train-short.txt do not: train-short holds what train.txt lacks)
SHARED = {("valid", "valid-short"), ("test", "test-short"), ("fresh", "fresh-short")}
DISJOINT = [p for p in itertools.combinations(FILES, 2) if p not in SHARED]


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
    for name in FILES:
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
