#!/usr/bin/python3
"""A small `und` smoke file: text a 24-label model should not claim.

    und_smoke.py DEB OUT.txt [--langs bg,ca,...] [--per N] [--letterless N]

Writes OUT.txt (fastText format, every line `__label__und TEXT`) and, beside it,
OUT.langs (one line per OUT.txt line: the text's true language code, or
`zxx` for letterless text), the layout of models/lang-world.md's und files.

- Languages outside the model: the gettext catalogs (.mo) of DEB, a Debian
  package (e.g. libglib2.0-data, one of tools/data/langid_ood.sh's pinned
  .debs; gettext catalogs are reserved for evaluation, DATA.md), unpacked with
  dpkg -x. For each locale of --langs (default: 12 languages none of the 24
  labels covers, in 5 scripts), the first N strings (--per, default 20) in
  SHA-256 order of those of >= 20 characters after tools/data/langid_ood.py's
  cleaning that differ from their English msgid (format characters such as
  bidi marks removed first; in a non-Latin-script locale, strings whose
  letters are mostly ASCII are taken as left in English and dropped; strings
  with U+FFFD are dropped).
- Letterless text (--letterless N, default 60): numbers, dates, times, version
  strings, IP addresses with ports, numeric e-mail addresses, punctuation, emoji and
  symbols, generated deterministically from a fixed seed.

The output is deterministic for a given DEB. This is a smoke test of the und
path, not a measurement: models/lang-world.md's und-test is the real one.
"""

import argparse
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import unicodedata

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "data"))
import langid_ood  # noqa: E402  (read_mo, clean: the OOD set's catalog reader and cleaning)

DEFAULT_LANGS = "bg,ca,hr,sk,lt,et,gl,nb,ms,ar,th,hi"
NON_LATIN = {"bg", "he", "th", "hi", "ar", "el", "ru", "uk", "be", "mk", "sr", "ka", "hy", "fa"}


def _plain(s):
    """S without format characters (bidi marks such as U+202B: some catalogs wrap
    untranslated English in them)."""
    return "".join(c for c in s if unicodedata.category(c) != "Cf").strip()


def _mostly_ascii_letters(s):
    letters = [c for c in s if c.isalpha()]
    return sum(c.isascii() for c in letters) * 2 >= len(letters)


def catalog_strings(root, loc):
    """Cleaned msgstrs of every .mo of locale LOC under ROOT (sorted by SHA-256)."""
    out = set()
    d = os.path.join(root, "usr", "share", "locale", loc, "LC_MESSAGES")
    if not os.path.isdir(d):
        return []
    for name in sorted(os.listdir(d)):
        if not name.endswith(".mo"):
            continue
        charset, pairs = langid_ood.read_mo(os.path.join(d, name))
        for mid, mstr in pairs:
            if not mid or not mstr:
                continue
            src = mid.split(b"\0")[0].decode("utf-8", "replace")
            for part in mstr.split(b"\0"):
                s = _plain(langid_ood.clean(part.decode(charset, "replace")))
                if len(s) < 20 or s == _plain(langid_ood.clean(src)) or "\t" in s or "\ufffd" in s:
                    continue
                if loc in NON_LATIN and _mostly_ascii_letters(s):
                    continue  # left in English
                out.add(s)
    return sorted(out, key=lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest())


def letterless(n):
    r = random.Random(20)
    pieces = [
        lambda: "%d" % r.randrange(10 ** r.randrange(1, 10)),
        lambda: "%04d-%02d-%02d" % (r.randrange(1970, 2040), r.randrange(1, 13), r.randrange(1, 29)),
        lambda: "%02d:%02d:%02d" % (r.randrange(24), r.randrange(60), r.randrange(60)),
        lambda: "%d.%d.%d" % (r.randrange(10), r.randrange(30), r.randrange(100)),
        lambda: "+%d %03d %03d %04d" % (r.randrange(1, 99), r.randrange(1000), r.randrange(1000), r.randrange(10000)),
        lambda: "%d%%" % r.randrange(101),
        lambda: "%.2f" % (r.random() * 1000),
        lambda: r.choice(["...", "!!!", "???", "---", "***", "(:", ":)", "#", "@", "&", "=>", "<>", "[]", "{}"]),
        lambda: r.choice(["😀", "👍", "🎉", "❤️", "🔥", "✅", "🙏", "😂", "🚀", "⭐"]),
        lambda: r.choice(["→", "•", "©", "€", "$", "£", "±", "×", "÷", "∞", "¶", "§"]),
        lambda: "192.168.%d.%d" % (r.randrange(256), r.randrange(256)),
        lambda: "%d.%d.%d.%d:%d/" % (r.randrange(256), r.randrange(256), r.randrange(256),
                                    r.randrange(256), r.randrange(1024, 65536)),
        lambda: "%d@%d.%d" % (r.randrange(10 ** 6), r.randrange(1000), r.randrange(100)),
    ]
    out = []
    while len(out) < n:
        s = " ".join(r.choice(pieces)() for _ in range(r.randrange(1, 6)))
        if s not in out:
            out.append(s)
    return out


def main(argv):
    ap = argparse.ArgumentParser(description="a small und smoke file")
    ap.add_argument("deb")
    ap.add_argument("out")
    ap.add_argument("--langs", default=DEFAULT_LANGS)
    ap.add_argument("--per", type=int, default=20)
    ap.add_argument("--letterless", type=int, default=60)
    a = ap.parse_args(argv[1:])
    rows = []
    with tempfile.TemporaryDirectory(prefix="und-smoke.") as tmp:
        subprocess.run(["dpkg", "-x", a.deb, tmp], check=True)
        for loc in a.langs.split(","):
            got = catalog_strings(tmp, loc)[:a.per]
            if len(got) < a.per:
                raise SystemExit("und_smoke.py: %s has %d strings of %s, %d wanted" % (a.deb, len(got), loc, a.per))
            rows += [(loc, s) for s in got]
    rows += [("zxx", s) for s in letterless(a.letterless)]
    base = a.out[:-4] if a.out.endswith(".txt") else a.out
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        for _, s in rows:
            f.write("__label__und %s\n" % s)
    with open(base + ".langs", "w", encoding="utf-8", newline="\n") as f:
        for code, _ in rows:
            f.write(code + "\n")
    print("und_smoke.py: %d lines (%d languages x %d, %d letterless) -> %s" % (
        len(rows), len(a.langs.split(",")), a.per, a.letterless, a.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
