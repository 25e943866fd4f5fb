#!/usr/bin/python3
"""A peer's own language codes -> our BCP 47 labels (standard library only).

Each peer has a mapping table, peers/PEER.tsv (eld, lingua, cld2, lid176): one
`CODE<TAB>LABEL[<TAB>NOTE]` line per code the peer can answer, `#` comment lines
naming the table's source. LABEL is one of our labels (the shortest ISO 639 code,
plus a script subtag for zh-Hans/zh-Hant and sr-Cyrl/sr-Latn only), or:

  zh*   written Chinese without a script: zh-Hans or zh-Hant from the text
        (script_rules.zh_variant)
  sr*   Serbian without a script: sr-Cyrl or sr-Latn from the text
        (script_rules.sr_variant)
  und   not a language (the peer's "unknown")

A code missing from its table is an error: a peer that starts answering a new
code must get a line in its table first.
"""

import os
import sys

sys.dont_write_bytecode = True
from script_rules import sr_variant, zh_variant  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = {"zh*": ("zh-Hans", "zh-Hant"), "sr*": ("sr-Cyrl", "sr-Latn")}
# The 24 labels of the current model (models/lang.json): the default label set.
LABELS_24 = "en zh-Hans zh-Hant ja ko ru uk de fr es it pt pl nl cs sv tr vi id el da fi hu ro".split()


class PeerMap:
    """The mapping table of one peer (peers/NAME.tsv)."""

    def __init__(self, name):
        self.name = name
        self.path = os.path.join(HERE, "peers", name + ".tsv")
        self.table = {}
        with open(self.path, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) < 2 or not cols[0] or not cols[1] or cols[0] in self.table:
                    raise SystemExit("peer_map.py: %s:%d: bad or repeated line %r" % (self.path, i, line))
                self.table[cols[0]] = cols[1]

    def label(self, code, text):
        """Our label for the peer's CODE answered on TEXT (zh*/sr* resolved)."""
        try:
            lab = self.table[code]
        except KeyError:
            raise SystemExit("peer_map.py: %s answered %r, which %s does not list" % (self.name, code, self.path))
        if lab == "zh*":
            return zh_variant(text)
        if lab == "sr*":
            return sr_variant(text)
        return lab

    def covers(self, code, labels):
        """True if CODE can give one of LABELS (zh*/sr*: either script)."""
        lab = self.table.get(code)
        return any(l in labels for l in VARIANTS.get(lab, (lab,)))

    def codes_for(self, labels):
        """The peer's codes that can give one of LABELS, in table order."""
        return [c for c in self.table if self.covers(c, labels)]

    def shared(self, labels):
        """Our LABELS that the peer can answer (zh*/sr* give both scripts)."""
        can = set()
        for lab in self.table.values():
            can.update(VARIANTS.get(lab, (lab,)))
        return [l for l in labels if l in can]


def read_labels(spec):
    """Labels from SPEC: a comma-separated list, or @FILE / a file with one label a line."""
    if spec.startswith("@") or os.path.isfile(spec):
        with open(spec.lstrip("@") if spec.startswith("@") else spec, encoding="utf-8") as f:
            return [l.strip() for l in f if l.strip() and not l.startswith("#")]
    return [l for l in spec.split(",") if l]


def main(argv):
    """peer_map.py shared TABLE LABELS: the labels of LABELS that TABLE's peer can answer."""
    if len(argv) != 4 or argv[1] != "shared":
        raise SystemExit("usage: peer_map.py shared TABLE LABELS")
    print(",".join(PeerMap(argv[2]).shared(read_labels(argv[3]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
