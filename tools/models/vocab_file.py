#!/usr/bin/python3
"""vocab_file.py MODEL.json: moves a model's inline vocabulary into a vocabulary file beside it.

Why: parsing tens of thousands of JSON strings (one cJSON node and one allocation each, all freed
again) was 60% of textclf's start-up with the built-in model; a vocabulary file is read line by
line (docs/model-format.md, "vocab": {"file": ...}). The file is named STEM-HASH.vocab.txt, HASH
being the first 16 hex digits of its SHA-256, so a JSON always names the vocabulary it was written
with (as for the weights file); vocabulary files of STEM that the JSON no longer names are removed.
Only the "vocab" value of the JSON changes, written on one line (the Makefile finds it there);
the new JSON replaces the old one atomically. A model whose vocabulary is already a file is left
alone. Standard library only.
"""

import hashlib
import json
import os
import re
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: vocab_file.py MODEL.json")
    path = sys.argv[1]
    text = open(path, encoding="utf-8").read()
    key = '"vocab": '
    at = text.find("\n" + key)
    if at < 0:
        sys.exit(f"vocab_file.py: {path}: no top-level \"vocab\" line")
    start = at + 1 + len(key)
    vocab, end = json.JSONDecoder().raw_decode(text, start)
    if isinstance(vocab, dict):
        return  # already a file
    if not isinstance(vocab, list) or not all(isinstance(t, str) for t in vocab):
        sys.exit(f"vocab_file.py: {path}: $.vocab is not an array of strings")
    for t in vocab:
        if not t or any(c in t for c in "\r\n"):
            sys.exit(f"vocab_file.py: {path}: token {t!r} cannot be a line of a vocabulary file")
    data = "".join(t + "\n" for t in vocab).encode("utf-8")
    directory = os.path.dirname(path) or "."
    stem = os.path.basename(path)[: -len(".json")] if path.endswith(".json") else os.path.basename(path)
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}.vocab.txt"
    for target, content in ((os.path.join(directory, name), data),
                            (path, (text[:start] + json.dumps({"file": name}) + text[end:]).encode("utf-8"))):
        tmp = target + ".tmp"
        with open(tmp, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    for f in os.listdir(directory):
        # STEM-<16 hex>.vocab.txt only: models/lang-world-*.vocab.txt is not lang.json's
        if re.fullmatch(re.escape(stem) + r"-[0-9a-f]{16}\.vocab\.txt", f) and f != name:
            os.remove(os.path.join(directory, f))


if __name__ == "__main__":
    main()
