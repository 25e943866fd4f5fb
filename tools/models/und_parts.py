#!/usr/bin/python3
"""tools/models/und_parts.py: a language identifier's `und` rate, in the three parts of
models/lang-world.md (second amendment, 4).

    und_parts.py MODEL.json --und FILE --langs FILE --withheld FILE [--textclf PATH] [--table OUT.md]

--und and --langs are langid_world.sh's und-valid.txt / und-valid.langs (or the test forms):
`__label__und` lines and, line for line, the language each is in (`zxx` for generated letterless
text). --withheld is the `__label__und` lines of the model's withheld languages (lang_world.sh's
withheld-valid-und.txt). Each part is scored by `textclf test` with the model's abstain rule on:
its accuracy on `__label__und` lines is its `und` rate. Prints a Markdown table: withheld
languages, languages with no training data, both together (the issue's "languages the model
does not know"), and letterless text. Standard library only.
"""
import argparse
import os
import sys
import tempfile

from tc_eval import TEXTCLF, print_table, test_json


def split_und(und, langs, tmp):
    """Writes und's lines into tmp/unseen.txt and tmp/letterless.txt (by langs); their paths."""
    paths = {k: os.path.join(tmp, k + ".txt") for k in ("unseen", "letterless")}
    with open(und, encoding="utf-8") as u, open(langs, encoding="utf-8") as g, \
            open(paths["unseen"], "w", encoding="utf-8") as a, \
            open(paths["letterless"], "w", encoding="utf-8") as b:
        for line, lang in zip(u, g):
            (b if lang.strip() == "zxx" else a).write(line)
    return paths["unseen"], paths["letterless"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--und", required=True)
    ap.add_argument("--langs", required=True)
    ap.add_argument("--withheld", required=True)
    ap.add_argument("--textclf", default=TEXTCLF)
    ap.add_argument("--table")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="und_parts.") as tmp:
        unseen, letterless = split_und(a.und, a.langs, tmp)
        parts = [("withheld languages (in the network, never answered)", [a.withheld]),
                 ("languages with no training data", [unseen]),
                 ("both: languages the model does not answer", [a.withheld, unseen]),
                 ("letterless text", [letterless])]
        rows = ["| text | lines | und % |", "| --- | ---: | ---: |"]
        for name, files in parts:
            r = test_json(a.textclf, a.model, files)
            rows.append("| %s | %d | %.2f |" % (name, r["examples"],
                                                 100.0 * r["correct"] / r["examples"] if r["examples"] else 0))
    text = "\n".join(rows) + "\n"
    print_table(text, a.table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
