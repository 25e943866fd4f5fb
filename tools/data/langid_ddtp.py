#!/usr/bin/python3
"""Language-ID data from Debian's translated package descriptions (DDTP).

usage: langid_ddtp.py LISTDIR OUT.tsv

LISTDIR holds InRelease and the uncompressed Translation-XX files of one suite
(bookworm main) as apt fetched them. Each file's SHA-256 is checked against the
(signed) InRelease and printed on stderr with the InRelease's Date.
Writes OUT.tsv, LABEL <TAB> DOC_ID <TAB> TEXT (UTF-8, LF): per package and
language, the short description as one line and each paragraph or list item of
the long description as one line; DOC_ID = ddtp:PACKAGE:CODE (CODE the
Translation file's language code, e.g. pt_BR), so all languages of a package
share the prefix ddtp:PACKAGE.

Cleaning: a translation whose whole text equals the English description of
the same Description-md5 (Translation-en) is dropped; so is any line equal to
an English line of that description (letters only, case aside), a line whose
word trigrams are mostly those of the English description (Latin-script
languages), a line that reads as English (function words) and code-like lines
(see langid_docs.py). English lines come from Translation-en, for the
descriptions that have at least one kept translation. Standard library only;
deterministic output."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from langid_docs import (clean, code_like, letters_sig, near_english,  # noqa: E402
                         reads_english, trigrams, words)
from textutil import sha256_file  # noqa: E402

# Translation-XX code -> label
LANGS = {
    "en": "en", "zh_CN": "zh-Hans", "zh_TW": "zh-Hant", "ja": "ja", "ko": "ko", "ru": "ru",
    "uk": "uk", "de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt", "pt_BR": "pt",
    "pl": "pl", "nl": "nl", "cs": "cs", "sv": "sv", "tr": "tr", "vi": "vi", "id": "id",
    "el": "el", "da": "da", "fi": "fi", "hu": "hu", "ro": "ro",
}


def read_inrelease(path):
    """Date and {path: sha256} of the SHA256 section of a Release/InRelease file."""
    date, sums, in_sha = None, {}, False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Date:"):
                date = line[5:].strip()
            if line.startswith("SHA256:"):
                in_sha = True
                continue
            if in_sha:
                if line.startswith(" "):
                    parts = line.split()
                    if len(parts) == 3:
                        sums[parts[2]] = parts[0]
                else:
                    in_sha = False
    return date, sums


def read_translation(path, code):
    """Yields (package, md5, short, [long lines]) of a Translation file."""
    field = "Description-%s:" % code
    pkg = md5 = short = None
    long_lines = []
    in_desc = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if pkg is not None and short is not None:
                    yield pkg, md5, short, long_lines
                pkg = md5 = short = None
                long_lines = []
                in_desc = False
                continue
            if line.startswith(" ") or line.startswith("\t"):
                if in_desc:
                    long_lines.append(line)
                continue
            in_desc = False
            if line.startswith("Package:"):
                pkg = line[8:].strip()
            elif line.startswith("Description-md5:"):
                md5 = line[16:].strip()
            elif line.startswith(field):
                short = line[len(field):].strip()
                in_desc = True
    if pkg is not None and short is not None:
        yield pkg, md5, short, long_lines


_CJ = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# list items: "* ", "- ", "+ ", "1. ", and "o " only when indented ("o" is a
# word in several languages)
_BULLET = re.compile(r"^(?:\s*[*+\-•·‣◦]|\s+o|\s*\d{1,2}[.)])\s+")


def long_paragraphs(lines):
    """The long description as paragraphs: ' .' separates paragraphs; a list
    item (bullet or number, with its continuation lines) is a paragraph of its
    own, bullet removed; a run of verbatim lines (two leading spaces) too."""
    paras, cur = [], []
    mode = None  # of cur: "item", "verbatim" or "text"

    def flush():
        if cur:
            text = cur[0]
            for nxt in cur[1:]:
                a, b = text.rstrip(), nxt.lstrip()
                # Chinese and Japanese lines wrap without a space between words
                text = a + b if _CJ.match(a[-1:]) and _CJ.match(b[:1]) else a + " " + b
            paras.append(text)
            cur.clear()

    for line in lines:
        body = line[1:] if line[:1] in (" ", "\t") else line
        if body.strip() == ".":
            flush()
            mode = None
        elif _BULLET.match(body):
            flush()
            cur.append(_BULLET.sub("", body, count=1))
            mode = "item"
        else:
            m = "verbatim" if body[:1] in (" ", "\t") else "text"
            if mode != "item" and mode != m:
                flush()
                mode = m
            cur.append(body)
    flush()
    return paras


def description_units(short, long_lines):
    """[short] + long paragraphs, cleaned, empty ones removed."""
    units = [clean(short)] + [clean(p) for p in long_paragraphs(long_lines)]
    return [u for u in units if u]


def main(argv):
    if len(argv) != 3:
        print("usage: langid_ddtp.py LISTDIR OUT.tsv", file=sys.stderr)
        return 2
    listdir, out_path = argv[1], argv[2]
    inrelease = os.path.join(listdir, "InRelease")
    if not os.path.isfile(inrelease):
        print("langid_ddtp.py: %s missing" % inrelease, file=sys.stderr)
        return 1
    date, sums = read_inrelease(inrelease)
    print("InRelease Date: %s  SHA-256 %s" % (date, sha256_file(inrelease)), file=sys.stderr)
    codes = [c for c in sorted(LANGS) if os.path.isfile(os.path.join(listdir, "Translation-" + c))]
    if "en" not in codes:
        print("langid_ddtp.py: Translation-en missing", file=sys.stderr)
        return 1
    for c in codes:
        path = os.path.join(listdir, "Translation-" + c)
        digest = sha256_file(path)
        want = sums.get("main/i18n/Translation-" + c)
        mark = "ok (InRelease)" if digest == want else "NOT IN InRelease"
        print("Translation-%-6s %10d bytes  SHA-256 %s  %s" % (c, os.path.getsize(path), digest, mark),
              file=sys.stderr)
        if digest != want:
            return 1

    english_raw = {}  # md5 -> (short, long lines); cleaned on first use
    for pkg, md5, short, long_lines in read_translation(os.path.join(listdir, "Translation-en"), "en"):
        english_raw.setdefault(md5, (short, long_lines))
    english = {}  # md5 -> units

    def english_units(md5):
        if md5 not in english:
            raw = english_raw.get(md5)
            english[md5] = description_units(*raw) if raw else []
        return english[md5]

    stats = {}  # label -> counters
    lines = []
    used_md5 = {}  # md5 -> set of packages with a kept translation
    for code in codes:
        if code == "en":
            continue
        label = LANGS[code]
        st = stats.setdefault(label, {"entries": 0, "=en-entry": 0, "lines": 0, "=en": 0,
                                      "~en": 0, "reads-en": 0, "code": 0})
        for pkg, md5, short, long_lines in read_translation(
                os.path.join(listdir, "Translation-" + code), code):
            st["entries"] += 1
            units = description_units(short, long_lines)
            en_units = english_units(md5)
            if [letters_sig(u) for u in units] == [letters_sig(u) for u in en_units]:
                st["=en-entry"] += 1
                continue
            en_sigs = {letters_sig(u) for u in en_units}
            en_tri = set()
            for u in en_units:
                en_tri |= trigrams(words(u))
            doc_id = "ddtp:%s:%s" % (pkg, code)
            kept = 0
            for u in units:
                if code_like(u):
                    st["code"] += 1
                elif letters_sig(u) in en_sigs:
                    st["=en"] += 1
                elif near_english(u, label, en_tri):
                    st["~en"] += 1
                elif reads_english(u, label):
                    st["reads-en"] += 1
                else:
                    lines.append("%s\t%s\t%s\n" % (label, doc_id, u))
                    kept += 1
            st["lines"] += kept
            if kept:
                used_md5.setdefault(md5, set()).add(pkg)

    st = stats.setdefault("en", {"entries": 0, "=en-entry": 0, "lines": 0, "=en": 0,
                                 "~en": 0, "reads-en": 0, "code": 0})
    seen = set()
    for pkg, md5, short, long_lines in read_translation(os.path.join(listdir, "Translation-en"), "en"):
        if pkg not in used_md5.get(md5, ()) or (pkg, md5) in seen:
            continue
        seen.add((pkg, md5))
        st["entries"] += 1
        for u in english_units(md5):
            if code_like(u):
                st["code"] += 1
            else:
                lines.append("en\tddtp:%s:en\t%s\n" % (pkg, u))
                st["lines"] += 1

    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    os.replace(tmp, out_path)

    keys = ["entries", "=en-entry", "lines", "=en", "~en", "reads-en", "code"]
    print("%-8s" % "label" + "".join("%10s" % k for k in keys), file=sys.stderr)
    for label in sorted(stats):
        print("%-8s" % label + "".join("%10d" % stats[label][k] for k in keys), file=sys.stderr)
    print("%-8s%30d" % ("total", len(lines)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
