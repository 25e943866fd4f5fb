#!/usr/bin/python3
"""tools/models/admit.py: which candidate languages enter the model (models/lang-world.md).

    admit.py MODEL.json --valid FILE --ood-valid FILE [--bar 95] [--min-ood 100]
             [--textclf PATH] [--table OUT.md] [--labels OUT.txt]

The rule of models/lang-world.md ("Which languages enter", as amended there on 2026-12-06):
a label enters when its accuracy is >= --bar % on its valid sentences and on its ood-valid
sentences; a label with no valid sentences (word lists only) is judged on ood-valid alone; a
label with fewer than --min-ood ood-valid lines has no OOD measurement and does not enter.

Accuracy is measured among the labels still in: the model's answer for a line is its most
probable label of the set S still in (`textclf -a -f jsonl --no-abstain` gives every label's
probability, so no retraining is needed to take a label out). S starts as every label with an
OOD measurement; then, while some label of S is under the bar, the one with the lowest accuracy
(the lower of its two) leaves S, and the accuracies are computed again. So Spanish is not kept
out by its confusions with Asturian or Aragonese when those leave the model themselves. Lines
whose gold label is not in S are not counted. Only validation files may be given: test files
decide nothing.

Prints a Markdown table, one row per label of the model, sorted by label, with both accuracies
(among the final S; for a label that left, when it left), the verdict and the reason; --table
writes it to a file as well, --labels writes the admitted labels one per line. Exit status 0
(also when labels are dropped), 1 when textclf fails. Standard library only.
"""
import argparse
import json
import subprocess
import sys

from tc_eval import TEXTCLF, model_labels


def ranked(textclf, model, path):
    """[(gold, [labels from most to least probable])] for the lines of a fastText-format file."""
    golds, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            lab, _, text = line.rstrip("\n").partition(" ")
            golds.append(lab[len("__label__"):])
            texts.append(text)
    p = subprocess.run([textclf, "-m", model, "-a", "-f", "jsonl", "--no-abstain", "-q"],
                       input="".join(t + "\n" for t in texts).encode(), stdout=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("admit.py: textclf failed (status %d) on %s" % (p.returncode, path))
    out = [[x["label"] for x in json.loads(l)["top"]] for l in p.stdout.decode().splitlines()]
    if len(out) != len(golds):
        sys.exit("admit.py: %s: %d lines but textclf answered %d" % (path, len(golds), len(out)))
    return list(zip(golds, out))


class Picks:
    """Each line's answer among the labels still in S, kept up to date as labels leave."""

    def __init__(self, lines, inside):
        self.lines, self.inside = lines, inside
        self.pos = [0] * len(lines)
        for i in range(len(lines)):
            self._advance(i)

    def _advance(self, i):
        order = self.lines[i][1]
        while self.pos[i] < len(order) and order[self.pos[i]] not in self.inside:
            self.pos[i] += 1

    def remove(self, label):
        for i, (_, order) in enumerate(self.lines):
            if self.pos[i] < len(order) and order[self.pos[i]] == label:
                self._advance(i)

    def accuracy(self):
        """{label in S: (lines, right)} over the lines whose gold label is in S."""
        acc = {}
        for i, (gold, order) in enumerate(self.lines):
            if gold in self.inside:
                n, r = acc.get(gold, (0, 0))
                acc[gold] = (n + 1, r + (self.pos[i] < len(order) and order[self.pos[i]] == gold))
        return acc


def ordinal(n):
    return "%d%s" % (n, "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def pct(x):
    return 100.0 * x[1] / x[0] if x and x[0] else None


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
    valid_lines, ood_lines = ranked(a.textclf, a.model, a.valid), ranked(a.textclf, a.model, a.ood_valid)
    n_ood = {}
    for g, _ in ood_lines:
        n_ood[g] = n_ood.get(g, 0) + 1
    why = {l: "no OOD measurement (fewer than %d ood-valid lines)" % a.min_ood
           for l in labels if n_ood.get(l, 0) < a.min_ood}
    inside = set(labels) - set(why)
    valid, ood = Picks(valid_lines, inside), Picks(ood_lines, inside)
    final, left = {}, 0
    while True:
        va, oa = valid.accuracy(), ood.accuracy()
        scores = {}
        for l in inside:
            v, o = pct(va.get(l)), pct(oa.get(l))
            final[l] = (va.get(l), oa.get(l))
            scores[l] = min(o, v) if v is not None else o   # word lists only: ood-valid alone
        worst = min(sorted(inside), key=lambda l: scores[l], default=None)
        if worst is None or scores[worst] >= a.bar:
            break
        v = pct(va.get(worst))
        left += 1
        why[worst] = ("ood-valid below %g%%" % a.bar if v is None or v >= a.bar
                      else "valid below %g%%" % a.bar) + " (left %s)" % ordinal(left)
        inside.discard(worst)
        valid.remove(worst)
        ood.remove(worst)
    # the labels that never got in: their accuracy among all labels with an OOD measurement
    rows = ["| label | valid n | valid % | ood-valid n | ood-valid % | enters | why not |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for lab in sorted(labels):
        v, o = final.get(lab, (None, None))
        f = lambda x: "" if pct(x) is None else "%.2f" % pct(x)
        rows.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            lab, v[0] if v else 0, f(v), o[0] if o else n_ood.get(lab, 0), f(o),
            "yes" if lab in inside else "no", why.get(lab, "")))
    rows.append("")
    rows.append("%d of %d labels enter (bar %g%% on valid and on ood-valid among the labels still in, "
                "at least %d ood-valid lines; word-list-only labels on ood-valid alone)." %
                (len(inside), len(labels), a.bar, a.min_ood))
    text = "\n".join(rows) + "\n"
    sys.stdout.write(text)
    if a.table:
        with open(a.table, "w", encoding="utf-8") as f:
            f.write(text)
    if a.labels:
        with open(a.labels, "w", encoding="utf-8") as f:
            f.write("".join(l + "\n" for l in sorted(inside)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
