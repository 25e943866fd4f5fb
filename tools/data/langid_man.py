#!/usr/bin/python3
"""langid_man.py MANROOT OUT.tsv

Language-ID sentences from Debian's translated man pages. MANROOT is a tree
that the manpages* packages were unpacked into (dpkg -x): it reads every
MANROOT/usr/share/man/[LANG/]manN/*.gz (symlinks and `.so` redirections are
skipped) and writes OUT.tsv, one sentence a line:

    LABEL <TAB> DOC_ID <TAB> TEXT        (UTF-8, LF)

DOC_ID is man:LABEL:PAGE.SECTION (e.g. man:de:ls.1). Label per directory:
man1..man8 at the top (the English `manpages`, `manpages-dev`) -> en, pt_BR ->
pt, zh_CN -> zh-Hans, zh_TW -> zh-Hant, ko -> ko, the other two-letter ones
as they are; directories of other languages are skipped.

The roff is read by roff_text.py (what it keeps and drops is said there; the
demo model's tools/demo/manpage_text.py reads man pages with it too).
Headings (.SH, .SS) and the description of the NAME line ("ls \\- list
directory contents" -> "list directory contents") are emitted as records of
their own (natural short segments); paragraphs are split into sentences.
Sentences of a translated page that also occur in an English page (the
untranslated leftovers) are dropped here; the other cleaning (script,
English look, code, duplicates) is langid_split.py's, for every source.
Prints per-label page and sentence counts on stderr.
"""

import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from langid_split import split_sentences, norm_key  # noqa: E402
from roff_text import page_records, pages, read_page  # noqa: E402

LANGDIRS = {
    "": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "pl": "pl", "ru": "ru",
    "uk": "uk", "nl": "nl", "cs": "cs", "sv": "sv", "tr": "tr", "ro": "ro", "hu": "hu",
    "fi": "fi", "da": "da", "el": "el", "id": "id", "vi": "vi", "pt_BR": "pt", "pt": "pt",
    "ja": "ja", "zh_CN": "zh-Hans", "zh_TW": "zh-Hant", "ko": "ko",
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: langid_man.py MANROOT OUT.tsv")
    todo = []  # (label, docid, path)
    skipped = set()
    for langdir, page, path in pages(sys.argv[1]):
        label = LANGDIRS.get(langdir)
        if label is None:
            if langdir not in skipped:
                print("langid_man.py: skipping %s (not a label)" % langdir, file=sys.stderr)
                skipped.add(langdir)
            continue
        todo.append((label, "man:%s:%s" % (label, page), path))

    recs = {}  # label -> list of (docid, kind, text)
    npages = {}
    for label, docid, path in todo:
        t = read_page(path)
        if t.lstrip().startswith(".so ") and t.count("\n") <= 3:
            continue
        items = page_records(t)
        if not items:
            continue
        npages[label] = npages.get(label, 0) + 1
        lst = recs.setdefault(label, [])
        for kind, text in items:
            text = unicodedata.normalize("NFC", " ".join(text.split()))
            if not text:
                continue
            if kind == "p":
                for s in split_sentences(text):
                    lst.append((docid, s))
            else:
                lst.append((docid, text))

    # English leftovers: a sentence of a translated page found in an English page
    en_keys = {norm_key(t) for _, t in recs.get("en", [])}
    lines, counts, dropped = [], {}, {}
    for label in sorted(recs):
        for docid, text in recs[label]:
            if label != "en" and norm_key(text) in en_keys:
                dropped[label] = dropped.get(label, 0) + 1
                continue
            text = text.replace("\t", " ")
            lines.append("%s\t%s\t%s\n" % (label, docid, text))
            counts[label] = counts.get(label, 0) + 1
    with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    for label in sorted(counts):
        print("langid_man.py: %-8s %5d pages %7d records (%d English leftovers dropped)"
              % (label, npages.get(label, 0), counts[label], dropped.get(label, 0)),
              file=sys.stderr)


if __name__ == "__main__":
    main()
