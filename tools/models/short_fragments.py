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
of 16..32 characters of the text instead of nothing (window(), which tools/data/langid_world.py
also uses for the short cuts of its evaluation files). Which lines get a fragment, and where it starts, is decided by the
SHA-256 of the line, so the output is deterministic (the same bytes on every run).
Standard library only."""

import argparse
import hashlib
import sys
import unicodedata

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
        return window(text, h) if label in NO_SPACE_LABELS else None
    return " ".join(out)


def window(text, h):
    """A window of 16..32 characters of text chosen by the integer h, moved so that it neither
    starts nor ends inside a run of combining marks (Thai vowel signs, Devanagari matras): for
    text whose phrases are longer than a short cut. None when only blanks remain."""
    size = 16 + h % 17
    start = (h // 17) % max(1, len(text) - size + 1)
    while start > 0 and unicodedata.category(text[start])[0] == "M":
        start -= 1
    end = min(len(text), start + size)
    while end > start and end < len(text) and unicodedata.category(text[end])[0] == "M":
        end -= 1
    return text[start:end].strip() or None


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
