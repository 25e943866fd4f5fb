#!/usr/bin/env python3
"""Extracts labelled paragraphs from Debian's translated man pages (for the demo model).

Usage: manpage_text.py ROOT OUT.tsv
ROOT is a directory where the manpages, manpages-de, ... packages were unpacked with `dpkg -x`
(tools/demo/build.sh does that, pinned to exact versions). Writes `label<TAB>paragraph` lines.

The pages are read by tools/data/roff_text.py, the man-page reader of the language-ID data
(`make data`): roff markup, code blocks, synopses and option tags are dropped there. This keeps
the paragraphs (not the headings or NAME lines) of 40-600 characters, drops those of a
translated page that are still in English (also in an English page) or that look like code or
are in another script, since they would teach the model the wrong label, and keeps 1500 a
language, drawn with a fixed seed.
"""
import os
import random
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
from roff_text import page_records, pages, read_page  # noqa: E402

# man page directory -> label
LANGS = {"": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pl": "pl", "ru": "ru",
         "nl": "nl", "pt_BR": "pt", "ja": "ja", "zh_CN": "zh-Hans", "zh_TW": "zh-Hant",
         "uk": "uk"}
PER_LANG = 1500


def paragraphs(path):
    """The page's paragraphs, blanks collapsed, NFC; none for a `.so` redirection."""
    text = read_page(path)
    if text.lstrip().startswith(".so ") and text.count("\n") <= 3:
        return []
    out = []
    for kind, para in page_records(text):
        para = unicodedata.normalize("NFC", " ".join(para.split()))
        if kind == "p" and para:
            out.append(para)
    return out


def script_share(text, pred):
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if pred(c)) / max(1, len(letters))


def is_cjk(c):
    n = unicodedata.name(c, "")
    return n.startswith(("CJK", "HIRAGANA", "KATAKANA"))


def is_cyrillic(c):
    return "CYRILLIC" in unicodedata.name(c, "")


def is_latin(c):
    return "LATIN" in unicodedata.name(c, "")


def good(label, text, english):
    if not 40 <= len(text) <= 600 or text in english:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text.replace(" ", "")):
        return False                       # mostly digits, options, paths: code-like
    if label in ("ja", "zh-Hans", "zh-Hant"):
        return script_share(text, is_cjk) > 0.5
    if label in ("ru", "uk"):
        return script_share(text, is_cyrillic) > 0.8
    return script_share(text, is_latin) > 0.95


def main():
    root, out = sys.argv[1], sys.argv[2]
    by_lang = {}
    for langdir, _, path in pages(root):
        if langdir in LANGS:
            by_lang.setdefault(langdir, []).extend(paragraphs(path))
    english = set(by_lang.get("", []))
    rng = random.Random(2026)
    with open(out, "w", encoding="utf-8") as fo:
        for sub, label in LANGS.items():
            seen, keep = set(), []
            for p in by_lang.get(sub, []):
                if p not in seen and good(label, p, english if sub else set()):
                    seen.add(p)
                    keep.append(p)
            rng.shuffle(keep)
            for p in keep[:PER_LANG]:
                fo.write(f"{label}\t{p}\n")
            print(f"{label}: {len(keep)} paragraphs, kept {min(len(keep), PER_LANG)}",
                  file=sys.stderr)


if __name__ == "__main__":
    main()
