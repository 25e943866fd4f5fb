#!/usr/bin/python3
"""tools/models/admit.py: which candidate languages enter the model (models/lang-world.md).

    admit.py MODEL.json --valid FILE --ood-valid FILE [--bar 95] [--min-ood 100]
             [--udhr-labels FILE [--min-ood-udhr 30]]
             [--with-rule [--write OUT.json]] [--textclf PATH] [--table OUT.md] [--labels OUT.txt]

The rule of models/lang-world.md ("Which languages enter", as amended there on 2026-12-06):
a label enters when its accuracy is >= --bar % on its valid sentences and on its ood-valid
sentences; a label with no valid sentences (word lists only) is judged on ood-valid alone; a
label with fewer than --min-ood ood-valid lines has no OOD measurement and does not enter; for
the labels listed in --udhr-labels (those whose ood-valid lines include the UDHR's sentences:
the world data's ood-udhr.labels, the fourth amendment) the minimum is --min-ood-udhr.

The fifth amendment: the labels of --udhr-labels are *thin*. Admission runs first without them
(the labels that enter are settled), then with them joined; in that second loop, and in the loop
of --with-rule, when the lowest label under the bar is not thin but thin labels took some of its
lines, the thin label that took most leaves instead.

Accuracy is measured among the labels still in: the model's answer for a line is its most
probable label of the set S still in (`textclf -a -f jsonl --no-abstain` gives every label's
probability, so no retraining is needed to take a label out). S starts as every label with an
OOD measurement; then, while some label of S is under the bar, the one with the lowest accuracy
(the lower of its two) leaves S, and the accuracies are computed again. So Spanish is not kept
out by its confusions with Asturian or Aragonese when those leave the model themselves. Lines
whose gold label is not in S are not counted. Only validation files may be given: test files
decide nothing.

--with-rule (the rule's second amendment, step 3): MODEL.json has an abstain rule whose
`withheld` labels are those that did not enter. Each label that entered is measured as users
see it, by `textclf test` with the rule on (an answer `und` is wrong); while one is under the
bar, the lowest leaves (it joins `withheld`) and the rest are measured again. --write writes
MODEL.json with the final `withheld` list as OUT.json (in MODEL.json's directory).

Prints a Markdown table, one row per label of the model, sorted by label, with both accuracies
(among the final S; for a label that left, when it left), the verdict and the reason; --table
writes it to a file as well, --labels writes the admitted labels one per line. Exit status 0
(also when labels are dropped), 1 when textclf fails. Standard library only.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

from tc_eval import (TEXTCLF, beside, model_labels, print_table, scratch_copy, test_json,
                     write_json)


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


def leave_until_bar(inside, measure, bar, why, note, thin=frozenset()):
    """The leaving loop of the rule. measure(leaving) gives ({label: (lines, right)} on valid,
    the same on ood-valid, {gold: {answer: lines}} of the wrong answers on both) once the label
    leaving (None the first time) has left; inside (a set) loses each label that leaves, why gets
    its reason (note appended). The fifth amendment: when the lowest label under the bar is not
    one of thin but thin labels took some of its lines, the thin label that took most leaves
    instead. Returns {label: (valid, ood-valid)} as last measured, for every label that was
    inside at some point."""
    final, left, leaving = {}, 0, None
    while True:
        va, oa, wrong = measure(leaving)
        scores = {}
        for l in inside:
            v, o = pct(va.get(l)), pct(oa.get(l))
            final[l] = (va.get(l), oa.get(l))
            scores[l] = min(o, v) if v is not None else o   # word lists only: ood-valid alone
        leaving = min(sorted(inside), key=lambda l: scores[l], default=None)
        if leaving is None or scores[leaving] >= bar:
            return final
        left += 1
        takers = {t: n for t, n in wrong.get(leaving, {}).items() if t in thin and t in inside}
        if leaving not in thin and takers:
            lowest = leaving
            leaving = min(sorted(takers), key=lambda t: -takers[t])
            why[leaving] = ("took %d of %s's lines (thin label, fifth amendment)%s (left %s)"
                            % (takers[leaving], lowest, note, ordinal(left)))
        else:
            v = pct(va.get(leaving))
            why[leaving] = ("ood-valid below %g%%" % bar if v is None or v >= bar
                            else "valid below %g%%" % bar) + note + " (left %s)" % ordinal(left)
        inside.discard(leaving)


def accuracies_with_rule(textclf, scratch, doc, rule, labels, inside, paths):
    """leave_until_bar's measurement with an abstain rule on: doc (a model JSON) gets rule, whose
    withheld labels become those of labels not in inside, and is written to scratch (a file beside
    the model's files); returns, for each of paths, {label of inside: (lines, right)} by
    `textclf test` (an answer und is wrong)."""
    rule["withheld"] = sorted(set(labels) - inside)
    doc["abstain"] = rule
    write_json(scratch, doc)
    out, wrong = [], collections.defaultdict(collections.Counter)
    for path in paths:
        r = test_json(textclf, scratch, [path])
        out.append({l["label"]: (l["support"], l["correct"])
                    for l in r["labels"] if l["support"] > 0 and l["label"] in inside})
        for c in r["confusions"]:
            if c["predicted"] != rule["label"]:
                wrong[c["true"]][c["predicted"]] += c["count"]
    return out[0], out[1], wrong


def with_rule(a, labels):
    """--with-rule: the labels not withheld by a.model's abstain rule, measured with the rule on
    (textclf test) and leaving while under the bar. Returns (inside, final, why, n_ood) as the
    loop of main; writes a.write when given."""
    with open(a.model, encoding="utf-8") as f:
        doc = json.load(f)
    rule = doc.get("abstain")
    if not rule:
        sys.exit("admit.py: --with-rule: %s has no abstain rule" % a.model)
    withheld = set(rule.get("withheld", []))
    why = {l: "did not enter before the rule" for l in withheld}
    inside = set(labels) - withheld
    n_ood = {}
    with open(a.ood_valid, encoding="utf-8") as f:
        for line in f:
            g = line.split(" ", 1)[0][len("__label__"):]
            n_ood[g] = n_ood.get(g, 0) + 1
    with tempfile.TemporaryDirectory(prefix="admit.") as tmp:
        scratch_copy(a.model, doc, tmp)
        scratch = os.path.join(tmp, "model.json")

        final = leave_until_bar(
            inside, lambda _leaving: accuracies_with_rule(a.textclf, scratch, doc, rule, labels, inside,
                                                          (a.valid, a.ood_valid)),
            a.bar, why, " with the abstain rule", thin_labels(a.udhr_labels))
    if a.write:
        rule["withheld"] = sorted(set(labels) - inside)
        write_json(a.write, doc)
    return inside, final, why, n_ood


def thin_labels(path):
    """The labels listed in path (the world data's ood-udhr.labels: measured with UDHR lines, the
    fifth amendment's thin labels); none when path is None."""
    if not path:
        return frozenset()
    with open(path, encoding="utf-8") as f:
        return frozenset(f.read().split())


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

    def wrong(self, into=None):
        """{gold in S: Counter(answer)} of the wrong answers (added into into when given)."""
        into = collections.defaultdict(collections.Counter) if into is None else into
        for i, (gold, order) in enumerate(self.lines):
            if gold in self.inside and self.pos[i] < len(order) and order[self.pos[i]] != gold:
                into[gold][order[self.pos[i]]] += 1
        return into

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
    ap.add_argument("--udhr-labels")
    ap.add_argument("--min-ood-udhr", type=int, default=30)
    ap.add_argument("--with-rule", action="store_true")
    ap.add_argument("--write")
    ap.add_argument("--textclf", default=TEXTCLF)
    ap.add_argument("--table")
    ap.add_argument("--labels")
    a = ap.parse_args()
    if a.write and a.with_rule and not beside(a.write, a.model):
        sys.exit("admit.py: --write must be in the model's directory")

    labels = model_labels(a.textclf, a.model)
    if a.with_rule:
        inside, final, why, n_ood = with_rule(a, labels)
    else:
        valid_lines, ood_lines = ranked(a.textclf, a.model, a.valid), ranked(a.textclf, a.model, a.ood_valid)
        n_ood = {}
        for g, _ in ood_lines:
            n_ood[g] = n_ood.get(g, 0) + 1
        udhr = thin_labels(a.udhr_labels)

        def min_ood(l):
            return a.min_ood_udhr if l in udhr else a.min_ood
        why = {l: "no OOD measurement (fewer than %d ood-valid lines%s)" % (
                   min_ood(l), ", with UDHR lines" if l in udhr else "")
               for l in labels if n_ood.get(l, 0) < min_ood(l)}
        inside = set(labels) - set(why)
        # the fifth amendment: the settled labels first, without the thin ones; then the thin
        # ones join, and leave for a settled label's sake
        thin = inside & udhr
        inside -= thin
        final = {}
        for rnd in (1, 2):
            if rnd == 2:
                if not thin:
                    break
                inside |= thin
            valid, ood = Picks(valid_lines, inside), Picks(ood_lines, inside)

            def measure(leaving):
                if leaving:
                    valid.remove(leaving)
                    ood.remove(leaving)
                return valid.accuracy(), ood.accuracy(), ood.wrong(valid.wrong())
            final.update(leave_until_bar(inside, measure, a.bar, why,
                                         " (with the thin labels)" if rnd == 2 else "",
                                         thin if rnd == 2 else frozenset()))
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
    rows.append("%d of %d labels enter (bar %g%% on valid and on ood-valid %s; word-list-only "
                "labels on ood-valid alone)." %
                (len(inside), len(labels), a.bar,
                 "with the abstain rule on, und counted wrong" if a.with_rule else
                 "among the labels still in, at least %d ood-valid lines" % a.min_ood +
                 (" (%d for the labels with UDHR lines)" % a.min_ood_udhr if a.udhr_labels else "")))
    text = "\n".join(rows) + "\n"
    print_table(text, a.table)
    if a.labels:
        with open(a.labels, "w", encoding="utf-8") as f:
            f.write("".join(l + "\n" for l in sorted(inside)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
