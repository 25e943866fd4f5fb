#!/usr/bin/python3
"""tools/models/abstain_tune.py: choose a model's abstain rule (`und`) on validation data.

    abstain_tune.py MODEL.json --known FILE [--known FILE ...] --und FILE [--und FILE ...]
                    [--textclf PATH] [--max-cost 0.5] [--table OUT.md] [--write OUT.json]
    abstain_tune.py MODEL.json --entered LABELS.txt --valid FILE --ood-valid FILE
                    --und FILE [--und FILE ...] [--bar 95] [--und-bar 80] [--udhr-labels FILE]
                    [--textclf PATH] [--max-cost 0.5] [--table OUT.md] [--write OUT.json]

The rule of models/lang-world.md ("The abstain rule"), written before any number it selects on:
`letterless` is on; over the grid min_probability in {0, 0.3, ..., 0.9} x max_unknown in
{off, 0.5, 0.7, 0.9}, the setting with the highest `und` rate on the --und files (text in
languages the model does not know, and letterless text; every line labelled `__label__und`)
whose cost on the --known files (accuracy with the model's answer `und` counted wrong, against
accuracy with no abstain rule) is at most --max-cost points. Ties go to the lower threshold: the
lower min_probability, then the higher (more permissive) max_unknown.

With --entered (the labels that entered the model, one per line), the rule's third amendment:
every other label is *withheld* (`"withheld"` in the rule: never answered), the grid's
min_probability gains 0.05 ... 0.25, and each setting is judged after admission with it (admit.py's
leaving loop, `textclf test` with the rule on, on --valid and --ood-valid: while a label that
entered is under --bar %, the lowest leaves and is withheld too). Then its known text is the
--valid lines of the labels still in, its `und` text the --und files plus the --valid lines of
every withheld label, and its cost is measured against the same model answering the best label
still in and never abstaining. Among the settings within the cost, those whose `und` rate
reaches --und-bar % come first; among them the most labels kept, then the higher `und` rate;
when none reaches it, the higher `und` rate, then the most labels kept; then the lower
threshold. --write then writes the chosen setting's withheld list with it. With --udhr-labels
(the fifth amendment), a label under the bar that thin labels (those listed) took lines from
makes the thin label that took most leave instead (admit.py's leave_until_bar). With --keep
(the sixth amendment; a file of labels, one per line: those the shipped model answers), the
settings that stop answering one of them that entered are not chosen, as long as some setting
within the cost keeps them all; the table marks them.

Each setting is scored by the C implementation itself: the model's JSON is rewritten with the
setting's `abstain` block into a scratch directory holding the model's vocabulary and weights
files, and `textclf test -f json` scores every file (it counts an abstention as the abstain
label, so on a file of `__label__und` lines its accuracy is the `und` rate). The baseline is
`textclf test --no-abstain` (with --entered: the rule with its withheld labels only). Nothing
here re-implements the rule.

--table writes the whole grid as a Markdown table (every setting, the chosen one marked);
--write writes MODEL.json with the chosen rule as OUT.json (in the same directory as MODEL.json:
its vocabulary and weights files are named relative to it). Standard library only.
"""
import argparse
import json
import os
import sys
import tempfile

from admit import accuracies_with_rule, leave_until_bar, thin_labels
from tc_eval import (TEXTCLF, beside, model_labels, print_table, scratch_copy, test_json,
                     write_json)

MIN_PROBABILITY = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
# the third amendment's grid (with --entered)
MIN_PROBABILITY_WITHHELD = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25] + MIN_PROBABILITY[1:]
MAX_UNKNOWN = [1.0, 0.5, 0.7, 0.9]          # 1.0 is "off": more than all words never happens
LABEL = "und"


def run_test(textclf, model, files, no_abstain=False):
    """`textclf test -f json` on files taken together: (examples, correct)."""
    r = test_json(textclf, model, files, no_abstain)
    return r["examples"], r["correct"]


def rule(min_probability, max_unknown, letterless, withheld):
    """An abstain block (docs/model-format.md); withheld only when there are any, so that a
    model without them is written as before."""
    r = {"label": LABEL, "min_probability": min_probability, "max_unknown": max_unknown,
         "letterless": letterless}
    if withheld:
        r["withheld"] = withheld
    return r


def dropped_kept(row, keep):
    """The labels of keep (a set, or None) that row's setting no longer answers, sorted"""
    return sorted(keep - set(row["kept"])) if keep else []


def chosen(rows, max_cost, und_bar=None, keep=None):
    """The rule's pick among rows (dicts), or None when no setting is within the cost. Without
    und_bar: the highest und rate; ties: lower min_probability, then higher max_unknown. With
    und_bar (a fraction; rows have "kept", the labels still in): the settings reaching it first,
    then the most labels kept, then as without; when none reaches it, the highest und rate, then
    the most labels kept. With keep (the sixth amendment: labels that entered and that the
    shipped model answers), only the settings that keep all of them, when any within the cost
    does."""
    ok = [r for r in rows if r["cost"] <= max_cost + 1e-12]
    if not ok:
        return None
    ok = [r for r in ok if not dropped_kept(r, keep)] or ok
    if und_bar is None:
        return max(ok, key=lambda r: (r["und_rate"], -r["min_probability"], r["max_unknown"]))
    # models/lang-world.md, third amendment 3: the settings reaching the bar, the most labels
    # first; if none reaches it, the highest und rate first
    def order(r):
        reaches = r["und_rate"] >= und_bar - 1e-12
        first, second = (len(r["kept"]), r["und_rate"]) if reaches else (r["und_rate"], len(r["kept"]))
        return (reaches, first, second, -r["min_probability"], r["max_unknown"])
    return max(ok, key=order)


def table(rows, pick, max_cost, withheld, keep=None):
    """The grid as Markdown; with withheld (the third amendment) each row also says which labels
    left and its own baseline; with keep (the sixth amendment), which of those labels a setting
    stops answering."""
    out = ["| min_probability | max_unknown | und rate on unknown text % | known accuracy % | cost (points) |"
           + (" labels kept | left with the rule | known accuracy, never abstaining % |" if withheld else "")
           + " |",
           "| ---: | ---: | ---: | ---: | ---: |" + (" ---: | --- | ---: |" if withheld else "") + " --- |"]
    for r in rows:
        lost = dropped_kept(r, keep)
        mark = ("**chosen**" if r is pick else
                "over the cost" if r["cost"] > max_cost + 1e-12 else
                "stops answering " + " ".join(lost) if lost else "")
        mu = "off" if r["max_unknown"] >= 1.0 else "%.1f" % r["max_unknown"]
        extra = (" %d | %s | %.2f |" % (len(r["kept"]), " ".join(r["left"]), 100 * r["base_acc"])
                 if withheld else "")
        row = ("| %.2f" if withheld else "| %.1f") + " | %s | %.2f | %.2f | %.2f |%s %s |"
        out.append(row % (r["min_probability"], mu, 100 * r["und_rate"], 100 * r["known_acc"],
                          r["cost"], extra, mark))
    out.append("")
    if withheld:
        out.append("Allowed cost: %.2f points against answering the best label still in, never "
                   "abstaining; the labels that did not enter are withheld in every setting." % max_cost)
        if keep:
            out.append("")
            out.append("Kept answered where a setting within the cost allows (sixth amendment): "
                       "%s." % " ".join(sorted(keep)))
    else:
        out.append("Known accuracy without an abstain rule: %.2f%%; allowed cost: %.2f points." %
                   (100 * rows[0]["base_acc"], max_cost))
    return "\n".join(out) + "\n"


def plain_grid(a, doc, scratch):
    """The rule as first written: rows of the grid, every label answerable."""
    write_json(scratch, doc)
    n, c = run_test(a.textclf, scratch, a.known, no_abstain=True)
    rows = []
    for mp in MIN_PROBABILITY:
        for mu in MAX_UNKNOWN:
            doc["abstain"] = rule(mp, mu, True, [])
            write_json(scratch, doc)
            kn, kc = run_test(a.textclf, scratch, a.known)
            un, uc = run_test(a.textclf, scratch, a.und)
            rows.append({"min_probability": mp, "max_unknown": mu, "known_acc": kc / kn,
                         "und_rate": uc / un, "base_acc": c / n, "cost": 100 * (c / n - kc / kn),
                         "withheld": []})
            print("min_probability %g max_unknown %g: und %.4f known %.4f" %
                  (mp, mu, uc / un, kc / kn), file=sys.stderr)
    return rows


def withheld_grid(a, doc, scratch, tmp):
    """The third amendment: rows of the grid, each after admission with its setting."""
    labels = model_labels(a.textclf, a.model)
    with open(a.entered, encoding="utf-8") as f:
        entered = set(f.read().split())
    with open(a.valid, encoding="utf-8") as f:
        valid = [(line.split(" ", 1)[0][len("__label__"):], line) for line in f]
    known_path, und_path = os.path.join(tmp, "known.txt"), os.path.join(tmp, "und.txt")
    thin = thin_labels(a.udhr_labels)
    rows = []
    for mp in MIN_PROBABILITY_WITHHELD:
        for mu in MAX_UNKNOWN:
            inside, why = set(entered), {}

            setting = rule(mp, mu, True, [])
            leave_until_bar(inside, lambda _leaving: accuracies_with_rule(
                a.textclf, scratch, doc, setting, labels, inside, (a.valid, a.ood_valid)),
                a.bar, why, "", thin)
            withheld = sorted(set(labels) - inside)
            with open(known_path, "w", encoding="utf-8") as k, open(und_path, "w", encoding="utf-8") as u:
                for gold, line in valid:
                    if gold in inside:
                        k.write(line)
                    else:
                        u.write("__label__und " + line.partition(" ")[2])
            doc["abstain"] = rule(0.0, 1.0, False, withheld)   # the best label still in, always
            write_json(scratch, doc)
            n, c = run_test(a.textclf, scratch, [known_path])
            doc["abstain"] = rule(mp, mu, True, withheld)
            write_json(scratch, doc)
            kn, kc = run_test(a.textclf, scratch, [known_path])
            un, uc = run_test(a.textclf, scratch, a.und + [und_path])
            rows.append({"min_probability": mp, "max_unknown": mu, "known_acc": kc / kn,
                         "und_rate": uc / un, "base_acc": c / n, "cost": 100 * (c / n - kc / kn),
                         "kept": sorted(inside), "withheld": withheld,
                         "left": list(why)})   # in the order they left
            print("min_probability %g max_unknown %g: %d labels kept, und %.4f known %.4f" %
                  (mp, mu, len(inside), uc / un, kc / kn), file=sys.stderr)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--known", action="append")
    ap.add_argument("--und", action="append", required=True)
    ap.add_argument("--entered")
    ap.add_argument("--valid")
    ap.add_argument("--ood-valid")
    ap.add_argument("--bar", type=float, default=95.0)
    ap.add_argument("--und-bar", type=float, default=80.0)
    ap.add_argument("--udhr-labels")
    ap.add_argument("--keep", help="labels the choice must keep answering, where it can (with --entered)")
    ap.add_argument("--textclf", default=TEXTCLF)
    ap.add_argument("--max-cost", type=float, default=0.5, help="points of known accuracy (default 0.5)")
    ap.add_argument("--table")
    ap.add_argument("--write")
    a = ap.parse_args()
    if bool(a.entered) != bool(a.valid and a.ood_valid) or bool(a.entered) == bool(a.known):
        ap.error("give --known, or --entered with --valid and --ood-valid")
    if a.write and not beside(a.write, a.model):
        ap.error("--write must be in the model's directory")
    if a.keep and not a.entered:
        ap.error("--keep needs --entered")

    with open(a.model, encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("abstain", None)
    with tempfile.TemporaryDirectory(prefix="abstain_tune.") as tmp:
        scratch_copy(a.model, doc, tmp)
        scratch = os.path.join(tmp, "model.json")
        rows = withheld_grid(a, doc, scratch, tmp) if a.entered else plain_grid(a, doc, scratch)
    keep = None
    if a.keep:   # only the labels that entered can be kept answered
        with open(a.keep, encoding="utf-8") as f, open(a.entered, encoding="utf-8") as e:
            keep = set(f.read().split()) & set(e.read().split())
    pick = chosen(rows, a.max_cost, a.und_bar / 100 if a.entered else None, keep)
    text = table(rows, pick, a.max_cost, bool(a.entered), keep)
    print_table(text, a.table)
    if pick is None:
        print("abstain_tune.py: no setting is within the allowed cost", file=sys.stderr)
        return 1
    if a.write:
        doc["abstain"] = rule(pick["min_probability"], pick["max_unknown"], True, pick["withheld"])
        write_json(a.write, doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
