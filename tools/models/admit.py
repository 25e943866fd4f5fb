#!/usr/bin/python3
"""tools/models/admit.py: which candidate languages enter the model (models/lang-world.md).

    admit.py MODEL.json --valid FILE --ood-valid FILE [--bar 95] [--min-ood 100]
             [--textclf PATH] [--table OUT.md] [--labels OUT.txt]

The rule of models/lang-world.md ("Which languages enter"), written before the numbers it is
applied to: a candidate label enters when, in the model trained with all candidates, its
accuracy is >= --bar % on its valid sentences and >= --bar % on its ood-valid sentences; a label
with fewer than --min-ood ood-valid lines has no OOD measurement and does not enter.

A label's accuracy on a file is the share of that file's lines of this gold label that the model
labels with it (its recall, from `textclf test -f json --no-abstain`: the abstain rule, if the
model has one, plays no part here). Only validation files may be given: test files decide nothing
(the rule says so; this tool cannot tell, so it is up to the caller, tools/models/build.sh).

Prints a Markdown table, one row per label of the model, sorted by label, with both accuracies,
the verdict and the reason; --table writes it to a file as well, --labels writes the admitted
labels one per line. Exit status 0 (also when labels are dropped), 1 when textclf fails.
"""
import argparse
import sys

from tc_eval import TEXTCLF, model_labels, per_label


def verdict(valid, ood, bar, min_ood):
    """(enters, reason) for one label from its (support, correct) pairs (None: no lines)."""
    if valid is None:
        return False, "no valid sentences"
    if 100.0 * valid[1] / valid[0] < bar:
        return False, "valid below %g%%" % bar
    if ood is None or ood[0] < min_ood:
        return False, "no OOD measurement (fewer than %d ood-valid lines)" % min_ood
    if 100.0 * ood[1] / ood[0] < bar:
        return False, "ood-valid below %g%%" % bar
    return True, ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--valid", required=True)
    ap.add_argument("--ood-valid", required=True)
    ap.add_argument("--bar", type=float, default=95.0)
    ap.add_argument("--min-ood", type=int, default=100)
    ap.add_argument("--textclf", default=TEXTCLF)
    ap.add_argument("--table")
    ap.add_argument("--labels")
    a = ap.parse_args()

    labels = model_labels(a.textclf, a.model)
    valid = per_label(a.textclf, a.model, a.valid)
    ood = per_label(a.textclf, a.model, a.ood_valid)
    rows = ["| label | valid n | valid % | ood-valid n | ood-valid % | enters | why not |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    admitted = []
    pct = lambda x: "%.2f" % (100.0 * x[1] / x[0]) if x else ""
    for lab in sorted(labels):
        v, o = valid.get(lab), ood.get(lab)
        ok, why = verdict(v, o, a.bar, a.min_ood)
        if ok:
            admitted.append(lab)
        rows.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            lab, v[0] if v else 0, pct(v), o[0] if o else 0, pct(o), "yes" if ok else "no", why))
    rows.append("")
    rows.append("%d of %d labels enter (bar %g%% on valid and on ood-valid, at least %d ood-valid lines)." %
                (len(admitted), len(labels), a.bar, a.min_ood))
    text = "\n".join(rows) + "\n"
    sys.stdout.write(text)
    if a.table:
        with open(a.table, "w", encoding="utf-8") as f:
            f.write(text)
    if a.labels:
        with open(a.labels, "w", encoding="utf-8") as f:
            f.write("".join(l + "\n" for l in admitted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
