#!/usr/bin/python3
"""A multi-label data set from Debian's package descriptions and their debtags.

    debtags_data.py LISTS_DIR OUTDIR

LISTS_DIR is an apt lists directory holding bookworm main's Packages and Translation-en indexes
(multilabel.sh fetches them with apt-get update into a private directory). Each binary package
with a long description is one example: its text is the short description and the long one
(apt's paragraph markup removed), its labels the debtags (the Tag field) kept below. Tags kept:
those on at least MIN_COUNT packages, except the facets that say nothing a description says
(role::, special::, suite::, made-of::) and the "::TODO" placeholders. Packages whose text is
the same as another's (the -dev/-doc/-dbg siblings often share one) are kept once, with the
first one's tags. Split: 80/20 by a hash of the source package name, so that the packages of one
source are on one side. Writes OUTDIR/train.txt and test.txt in fastText format
(__label__use::editing __label__works-with::text text...).
"""
import glob
import hashlib
import os
import subprocess
import sys

MIN_COUNT = 200
SKIP_FACETS = ("role::", "special::", "suite::", "made-of::")


def read_index(path):
    """The paragraphs of an apt index (decompressed by apt-helper) as dicts."""
    text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path], check=True,
                          capture_output=True).stdout.decode("utf-8", "replace")
    for para in text.split("\n\n"):
        d, key = {}, None
        for line in para.split("\n"):
            if line.startswith((" ", "\t")) and key:
                d[key] += "\n" + line
            elif ":" in line:
                key, _, v = line.partition(":")
                d[key] = v.strip()
        if d:
            yield d


def clean_long(desc):
    """Description-en's long part without apt's markup (" ." blank lines, leading spaces)."""
    lines = desc.split("\n")[1:]
    out = [ln.strip() for ln in lines if ln.strip() not in (".", "")]
    return " ".join(out)


def main(lists, outdir):
    longs = {}
    for p in glob.glob(os.path.join(lists, "*bookworm_main_i18n_Translation-en*")):
        for d in read_index(p):
            if "Description-md5" in d and "Description-en" in d:
                longs[d["Description-md5"]] = d["Description-en"]
    pkgs = []
    for p in glob.glob(os.path.join(lists, "*bookworm_main_binary-amd64_Packages*")):
        for d in read_index(p):
            tags = [t.strip() for t in d.get("Tag", "").replace("\n", " ").split(",") if t.strip()]
            desc = longs.get(d.get("Description-md5", ""))
            if not tags or not desc:
                continue
            text = " ".join((desc.split("\n")[0] + " " + clean_long(desc)).split())
            src = d.get("Source", d["Package"]).split()[0]
            pkgs.append((d["Package"], src, text, tags))
    count = {}
    for _, _, _, tags in pkgs:
        for t in set(tags):
            count[t] = count.get(t, 0) + 1
    keep = {t for t, n in count.items()
            if n >= MIN_COUNT and not t.startswith(SKIP_FACETS) and not t.endswith("::TODO")}
    seen = set()
    train, test = [], []
    for name, src, text, tags in sorted(pkgs):
        labels = sorted(set(t for t in tags if t in keep))
        if not labels or text in seen:
            continue
        seen.add(text)
        line = " ".join("__label__" + t for t in labels) + " " + text
        h = int(hashlib.sha1(src.encode()).hexdigest(), 16) % 100
        (test if h < 20 else train).append(line)
    os.makedirs(outdir, exist_ok=True)
    for fn, lines in (("train.txt", train), ("test.txt", test)):
        with open(os.path.join(outdir, fn), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print(f"debtags_data.py: {len(train)} train, {len(test)} test examples, {len(keep)} tags",
          file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], sys.argv[2])
