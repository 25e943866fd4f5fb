#!/usr/bin/env python3
"""Extracts labelled paragraphs from Debian's translated man pages (for the demo model).

Usage: manpage_text.py ROOT OUT.tsv
ROOT is a directory where the manpages, manpages-de, ... packages were unpacked with `dpkg -x`
(tools/demo/Makefile does that, pinned to exact versions). Writes `label<TAB>paragraph` lines.

The roff source is stripped, not rendered: macro lines start paragraphs, font and character
escapes are removed, code blocks (.nf/.fi, .EX/.EE) are dropped. Paragraphs that are still in
English in a translated page, or that look like code, are filtered out, since they would teach
the model the wrong label.
"""
import gzip
import os
import random
import re
import sys
import unicodedata

# man page directory -> label
LANGS = {"": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pl": "pl", "ru": "ru",
         "nl": "nl", "pt_BR": "pt", "ja": "ja", "zh_CN": "zh-Hans", "zh_TW": "zh-Hant",
         "uk": "uk"}
PER_LANG = 1500
BREAK = re.compile(r"^\.(PP|P|LP|SH|SS|TP|IP|HP|sp|br|RS|RE|TH|in|ti)\b")
TEXT_MACRO = re.compile(r"^\.(B|I|BI|BR|IB|IR|RB|RI|SM|SB)\s+(.*)$")
ESCAPES = [(r"\\f(\[[^\]]*\]|\(..|.)", ""), (r"\\\*(\[[^\]]*\]|\(..|.)", ""),
           (r"\\\(em", "—"), (r"\\\(en", "–"), (r"\\\(aq", "'"), (r"\\\(dq", '"'),
           (r"\\\(lq", "“"), (r"\\\(rq", "”"), (r"\\\(..", ""), (r"\\\[[^\]]*\]", ""),
           (r"\\-", "-"), (r"\\e", "\\\\"), (r"\\&", ""), (r"\\[ ~0|^]", " "),
           (r"\\s[-+]?\d", ""), (r'\\".*$', ""), (r"\\.", "")]
ESCAPES = [(re.compile(a), b) for a, b in ESCAPES]


def strip(line):
    for rx, rep in ESCAPES:
        line = rx.sub(rep, line)
    return line.replace('"', "") if line.startswith(".") else line


def paragraphs(src):
    para, code = [], False
    for line in src.splitlines():
        if re.match(r"^\.(nf|EX)\b", line):
            code = True
        elif re.match(r"^\.(fi|EE)\b", line):
            code = False
            continue
        if code:
            continue
        if not line.strip() or BREAK.match(line):
            if para:
                yield " ".join(para)
            para = []
            continue
        m = TEXT_MACRO.match(line)
        if m:
            line = m.group(2).replace('"', "")
        elif line.startswith(".") or line.startswith("'"):
            continue
        text = strip(line).strip()
        if text:
            para.append(text)
    if para:
        yield " ".join(para)


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


def pages(root, sub):
    base = os.path.join(root, "usr/share/man", sub)
    for dirpath, _, files in sorted(os.walk(base)):
        if sub == "" and os.path.relpath(dirpath, base).split(os.sep)[0] not in \
                [f"man{i}" for i in range(1, 9)]:
            continue
        for f in sorted(files):
            if f.endswith(".gz"):
                with gzip.open(os.path.join(dirpath, f), "rb") as fh:
                    yield fh.read().decode("utf-8", "replace")


def main():
    root, out = sys.argv[1], sys.argv[2]
    english = set()
    for src in pages(root, ""):
        english.update(paragraphs(src))
    rng = random.Random(2026)
    with open(out, "w", encoding="utf-8") as fo:
        for sub, label in LANGS.items():
            seen, keep = set(), []
            for src in pages(root, sub):
                for p in paragraphs(src):
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
