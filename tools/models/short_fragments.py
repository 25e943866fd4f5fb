#!/usr/bin/python3
"""short_fragments.py IN OUT [--share S] [--only]: copies a fastText-format training file and
adds, for a share S (default 0.5) of its lines, one short fragment of the line's text with the
same label. With --only, OUT holds the fragments alone (e.g. a short validation set).

Why: language ID is most used, and hardest, on short text (log lines, titles, chat), while the
training data is sentences; a model that never saw a 3-word input is over-confident on one.
A fragment is a window of whole words of at most 32 characters (at most 12 characters for
labels written without spaces: zh-Hans, zh-Hant, ja, and also ko, whose 12-character windows
match the short test set). Thai, Lao, Khmer, Burmese, Tibetan and Dzongkha put no spaces between
words, only between phrases: for those labels a phrase longer than 32 characters gives a window
of 8..32 characters of it instead of nothing. Which lines get a fragment, and where it starts, is decided by the
SHA-256 of the line, so the output is deterministic (the same bytes on every run).
Standard library only."""

import argparse
import hashlib
import sys

CJK_LABELS = {"zh-Hans", "zh-Hant", "ja", "ko"}
NO_SPACE_LABELS = {"th", "lo", "km", "my", "bo", "dz"}
PREFIX = "__label__"


def fragment(label, text, h):
    """A short window of text, chosen by the integer h; None when text is already short."""
    limit = 12 if label in CJK_LABELS else 32
    if len(text) <= limit:
        return None
    if label in CJK_LABELS and label != "ko":
        # characters, not words: a window of 4..12 characters, not starting on a space
        size = 4 + h % 9
        start = (h // 9) % (len(text) - size + 1)
        frag = text[start:start + size].strip()
        return frag or None
    words = text.split()
    start = (h // 7) % len(words)
    # at least one word, then as many as fit in limit characters
    target = 1 + h % 5
    out = []
    for w in words[start:]:
        if len(" ".join(out + [w])) > limit:
            break
        out.append(w)
        if len(out) >= target:
            break
    if not out:
        if label not in NO_SPACE_LABELS:
            return None
        word = words[start]     # a phrase longer than limit: a window of its characters
        size = 8 + h % (limit - 7)
        begin = (h // 31) % (len(word) - size + 1)
        return word[begin:begin + size]
    return " ".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--share", type=float, default=0.5)
    ap.add_argument("--only", action="store_true", help="write only the fragments")
    a = ap.parse_args()
    added = 0
    with open(a.inp, encoding="utf-8") as f, open(a.out, "w", encoding="utf-8") as g:
        for line in f:
            line = line.rstrip("\n")
            if not a.only:
                g.write(line + "\n")
            if not line.startswith(PREFIX) or " " not in line:
                continue
            label, text = line[len(PREFIX):].split(" ", 1)
            h = int.from_bytes(hashlib.sha256(line.encode()).digest()[:8], "big")
            if (h % 1000) >= a.share * 1000:
                continue
            frag = fragment(label, text, h >> 10)
            if frag:
                g.write(f"{PREFIX}{label} {frag}\n")
                added += 1
    print(f"short_fragments: added {added} fragments", file=sys.stderr)


if __name__ == "__main__":
    main()
