#!/usr/bin/python3
"""tools/models/abstain_tune.py: choose a model's abstain rule (`und`) on validation data.

    abstain_tune.py MODEL.json --known FILE [--known FILE ...] --und FILE [--und FILE ...]
                    [--entered LABELS.txt] [--textclf PATH] [--max-cost 0.5] [--table OUT.md]
                    [--write OUT.json]

The rule of models/lang-world.md ("The abstain rule"), written before any number it selects on:
`letterless` is on; over the grid min_probability in {0, 0.3, ..., 0.9} x max_unknown in
{off, 0.5, 0.7, 0.9}, the setting with the highest `und` rate on the --und files (text in
languages the model does not know, and letterless text; every line labelled `__label__und`)
whose cost on the --known files (accuracy with the model's answer `und` counted wrong, against
accuracy with no abstain rule) is at most --max-cost points. Ties go to the lower threshold: the
lower min_probability, then the higher (more permissive) max_unknown.

With --entered (the labels that entered the model, one per line; the rule's second amendment),
every other label of the model is *withheld* in every setting (`"withheld"` in the rule: never
answered), and the baseline is the model answering the most probable label that entered and
never abstaining (the rule with only its withheld labels), not `--no-abstain`.

Each setting is scored by the C implementation itself: the model's JSON is rewritten with the
setting's `abstain` block into a scratch directory holding the model's vocabulary and weights
files, and `textclf test -f json` scores every file (it counts an abstention as the abstain
label, so on a file of `__label__und` lines its accuracy is the `und` rate). The baseline is
`textclf test --no-abstain`. Nothing here re-implements the rule.

--table writes the whole grid as a Markdown table (every setting, the chosen one marked);
--write writes MODEL.json with the chosen rule as OUT.json (in the same directory as MODEL.json:
its vocabulary and weights files are named relative to it). Standard library only.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

from tc_eval import TEXTCLF, model_labels, named_files, test_json

MIN_PROBABILITY = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
MAX_UNKNOWN = [1.0, 0.5, 0.7, 0.9]          # 1.0 is "off": more than all words never happens
LABEL = "und"


def scratch_copy(model_path, doc, tmp):
    """Put the model's named files into tmp (hard links when possible, else copies)."""
    base = os.path.dirname(os.path.abspath(model_path))
    for name in named_files(doc):
        src, dst = os.path.join(base, name), os.path.join(tmp, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)


def run_test(textclf, model, files, no_abstain=False):
    """`textclf test -f json` on files taken together: (examples, correct, abstained)."""
    r = test_json(textclf, model, files, no_abstain)
    return r["examples"], r["correct"], (r.get("abstain") or {}).get("examples", 0)


def rule(min_probability, max_unknown, letterless, withheld):
    """An abstain block (docs/model-format.md); withheld only when there are any, so that a
    model without them is written as before."""
    r = {"label": LABEL, "min_probability": min_probability, "max_unknown": max_unknown,
         "letterless": letterless}
    if withheld:
        r["withheld"] = withheld
    return r


def chosen(rows, max_cost):
    """The rule's pick among rows (dicts), or None when no setting is within the cost."""
    ok = [r for r in rows if r["cost"] <= max_cost + 1e-12]
    if not ok:
        return None
    # highest und rate; ties: lower min_probability, then higher max_unknown
    return max(ok, key=lambda r: (r["und_rate"], -r["min_probability"], r["max_unknown"]))


def table(rows, pick, base_acc, max_cost, withheld):
    out = ["| min_probability | max_unknown | und rate on unknown text % | known accuracy % | cost (points) | |",
           "| ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        mark = "**chosen**" if r is pick else ("over the cost" if r["cost"] > max_cost + 1e-12 else "")
        mu = "off" if r["max_unknown"] >= 1.0 else "%.1f" % r["max_unknown"]
        out.append("| %.1f | %s | %.2f | %.2f | %.2f | %s |" % (
            r["min_probability"], mu, 100 * r["und_rate"], 100 * r["known_acc"], r["cost"], mark))
    out.append("")
    out.append("Known accuracy %s: %.2f%%; allowed cost: %.2f points." %
               ("answering the best label that entered, never abstaining" if withheld
                else "without an abstain rule", 100 * base_acc, max_cost))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--known", action="append", required=True)
    ap.add_argument("--und", action="append", required=True)
    ap.add_argument("--entered")
    ap.add_argument("--textclf", default=TEXTCLF)
    ap.add_argument("--max-cost", type=float, default=0.5, help="points of known accuracy (default 0.5)")
    ap.add_argument("--table")
    ap.add_argument("--write")
    a = ap.parse_args()

    with open(a.model, encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("abstain", None)
    withheld = []
    if a.entered:
        with open(a.entered, encoding="utf-8") as f:
            entered = set(f.read().split())
        withheld = [l for l in model_labels(a.textclf, a.model) if l not in entered]
    with tempfile.TemporaryDirectory(prefix="abstain_tune.") as tmp:
        scratch_copy(a.model, doc, tmp)
        scratch = os.path.join(tmp, "model.json")
        if withheld:   # the baseline answers the best label that entered, and never abstains
            doc["abstain"] = rule(0.0, 1.0, False, withheld)
        with open(scratch, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        n, c, _ = run_test(a.textclf, scratch, a.known, no_abstain=not withheld)
        base_acc = c / n
        rows = []
        for mp in MIN_PROBABILITY:
            for mu in MAX_UNKNOWN:
                doc["abstain"] = rule(mp, mu, True, withheld)
                with open(scratch, "w", encoding="utf-8") as f:
                    json.dump(doc, f)
                kn, kc, _ = run_test(a.textclf, scratch, a.known)
                un, uc, _ = run_test(a.textclf, scratch, a.und)
                rows.append({"min_probability": mp, "max_unknown": mu, "known_acc": kc / kn,
                             "und_rate": uc / un, "cost": 100 * (base_acc - kc / kn)})
                print("min_probability %.1f max_unknown %.1f: und %.4f known %.4f" %
                      (mp, mu, uc / un, kc / kn), file=sys.stderr)
    pick = chosen(rows, a.max_cost)
    text = table(rows, pick, base_acc, a.max_cost, withheld)
    sys.stdout.write(text)
    if a.table:
        with open(a.table, "w", encoding="utf-8") as f:
            f.write(text)
    if pick is None:
        print("abstain_tune.py: no setting is within the allowed cost", file=sys.stderr)
        return 1
    if a.write:
        doc["abstain"] = rule(pick["min_probability"], pick["max_unknown"], True, withheld)
        if os.path.dirname(os.path.abspath(a.write)) != os.path.dirname(os.path.abspath(a.model)):
            print("abstain_tune.py: --write must be in the model's directory", file=sys.stderr)
            return 2
        with open(a.write, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
