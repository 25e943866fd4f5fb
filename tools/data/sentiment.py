#!/usr/bin/python3
"""modeldata's small_fine_foods -> fastText-format train/test files.

    sentiment.py RDATA OUTDIR

RDATA is the lazy-load database of the R package modeldata without its
extension (.../modeldata/data/Rdata: Rdata.rdx + Rdata.rdb), or an .rda/.rds
file holding `training_data` and `testing_data`. These are the official
split of small_fine_foods: Amazon fine-food reviews, 4000 for training and
1000 for testing, `score` great (5 stars) or other.

Each review becomes one line `__label__great|other TEXT`: HTML line breaks
(`<br />`) and the few other tags become spaces, HTML entities are decoded,
whitespace runs become one space. Both files keep the data set's row order
(already mixed: not sorted by label) and its duplicates (20 repeated reviews
in training, 7 reviews in both sets; the official split is kept as is).
"""

import collections
import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rdata  # noqa: E402
import textutil  # noqa: E402

# shared/DATA.md
EXPECTED = {
    "train": {"great": 2600, "other": 1400},
    "test": {"great": 658, "other": 342},
}
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def review_text(review):
    return textutil.one_line(html.unescape(_TAG.sub(" ", review)))


def load(path):
    """{'train': data frame, 'test': data frame} from a lazy-load database,
    an .rda or an .rds (a list with both)."""
    if os.path.exists(path + ".rdx"):
        objs = rdata.read_lazyload(path)
        return {"train": objs["training_data"](), "test": objs["testing_data"]()}
    if path.endswith(".rds"):
        obj = rdata.read_rds(path)
        parts = dict(zip(obj.attr("names"), obj.value))
        return {"train": parts["training_data"], "test": parts["testing_data"]}
    objs = rdata.read_rda(path)
    return {"train": objs["training_data"], "test": objs["testing_data"]}


def main(argv):
    if len(argv) != 3:
        textutil.die("usage: sentiment.py RDATA OUTDIR")
    src, outdir = argv[1], argv[2]
    try:
        frames = load(src)
    except (OSError, KeyError, rdata.RError) as e:
        textutil.die("%s: %s" % (src, e))
    os.makedirs(outdir, exist_ok=True)
    ok = True
    for split in ("train", "test"):
        df = rdata.data_frame(frames[split])
        lines = []
        counts = collections.Counter()
        for review, score in zip(df["review"], df["score"]):
            if review is None or score is None:
                textutil.die("%s: NA review or score" % split)
            text = review_text(review)
            if not text:
                textutil.die("%s: empty review" % split)
            lines.append(textutil.fasttext_line(score, text))
            counts[score] += 1
        textutil.write_lines(os.path.join(outdir, split + ".txt"), lines)
        ok &= textutil.check_counts("sentiment " + split, dict(counts), EXPECTED[split])
    if not ok:
        textutil.die("counts differ from shared/DATA.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
