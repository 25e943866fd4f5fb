#!/usr/bin/python3
"""Score one set of language-identification predictions (standard library only).

    eval.py GOLD PRED [--name NAME] [--json] [--per-label] [--header]
            [--shared LABELS] [--und-rule RULE --model-labels LABELS]

GOLD: the labelled data file (fastText format, `__label__LABEL text`: the label
is the first token of each line) or one label per line (`__label__` prefix
optional). PRED: one line per GOLD line, `LABEL<TAB>PROBABILITY` (the format of
textclf and of this directory's predictors); further TAB columns are ignored
except by --und-rule. An empty label (a predictor that had no answer for a
line) counts as wrong, with confidence 0. An empty PROBABILITY field
(textclf's abstention `und<TAB><TAB>...`; eld and CLD2, which give no
probability, predict_peer.py) means "no confidence": that line is left out of
ECE and mean confidence, which are None ("—") when no line has one. The files
must have the same number of lines, else eval.py stops with an error.

Metrics (all on the top-1 prediction):

  n            number of examples (GOLD lines)
  accuracy     share of examples whose predicted label is the gold label
  macro-F1     unweighted mean, over the labels that occur in GOLD, of the
               per-label F1 = 2TP / (2TP + FP + FN) (0 when the label is never
               predicted); predictions of labels absent from GOLD only add FPs
  ECE          expected calibration error: the confidences (the predicted
               label's probability) are put into 15 equal-width bins
               (0,1/15], (1/15,2/15], ... (14/15,1] (a confidence of 0 goes to
               the first bin, above 1 to the last); ECE = sum over bins of
               |bin| / n * |accuracy(bin) - mean confidence(bin)|
  mean conf.   mean confidence over all examples (accuracy - mean confidence
               < 0 means over-confident on average)
  macro acc.   unweighted mean, over the labels that occur in GOLD, of the
               per-label accuracy (recall); JSON only ("macro_accuracy")

--shared LABELS (comma-separated, or a file with one label a line): score
only the lines whose gold label is one of LABELS (the labels a peer shares
with the model under test); "excluded" counts the others.

--und-rule RULE, for files whose gold labels are all `und` (languages outside
the model, letterless text): the share of lines the contender counts as "und",
by RULE, a comma-separated list of conditions, any of which makes a line und:
  label      the answer is empty or `und` (textclf's abstention)
  note       the 4th column (predict_peer.py's NOTE) is not empty
  below:P    the probability is below P (lines without one: not by this)
  outside    the answer is not one of --model-labels
JSON only: "und_rate" and "und" (the count).

Output: a Markdown table row `| NAME | n | accuracy % | macro-F1 % | ECE % |
mean confidence % |` (--header prints the table header first); --json prints
one JSON object with the same numbers as fractions (and "per_label" with
--per-label). --per-label in Markdown mode adds, after the row, one line per
gold label, sorted: `  label: accuracy% (correct/support), F1 f1%`.
"""

import argparse
import json
import math
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "accuracy"))
import metrics  # noqa: E402  (per-label F1, shared with bench/accuracy)

BINS = 15
HEADER = ("| contender | n | accuracy % | macro-F1 % | ECE % | mean confidence % |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: |")


def _read_lines(path):
    # split on \n only (never on \r, \v, \f, U+2028...), like textclf and fastText
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [l.rstrip(b"\r").decode("utf-8", "replace") for l in lines]


def read_gold(path):
    out = []
    for i, line in enumerate(_read_lines(path), 1):
        tok = line.split(None, 1)
        if not tok:
            raise SystemExit("eval.py: %s:%d: no label" % (path, i))
        lab = tok[0]
        if lab.startswith("__label__"):
            lab = lab[len("__label__"):]
        out.append(lab)
    return out


def read_pred(path, notes=None):
    """Labels and confidences (None: no probability given) of PRED; with a
    list NOTES, also appends each line's 4th column (empty if none)."""
    labels, probs = [], []
    for i, line in enumerate(_read_lines(path), 1):
        cols = line.split("\t")
        lab = cols[0].strip()
        if lab.startswith("__label__"):
            lab = lab[len("__label__"):]
        p = 0.0
        if len(cols) >= 2 and cols[1].strip() == "":
            p = None
        elif lab:
            if len(cols) < 2:
                raise SystemExit("eval.py: %s:%d: no probability column" % (path, i))
            else:
                try:
                    p = float(cols[1])
                except ValueError:
                    raise SystemExit("eval.py: %s:%d: bad probability %r" % (path, i, cols[1]))
        labels.append(lab)
        probs.append(p)
        if notes is not None:
            notes.append(cols[3].strip() if len(cols) > 3 else "")
    return labels, probs


def read_label_set(spec):
    """Labels of SPEC: comma-separated, or a file (@FILE or a path) with one a line."""
    if spec.startswith("@") or os.path.isfile(spec):
        with open(spec.lstrip("@") if spec.startswith("@") else spec, encoding="utf-8") as f:
            return [l.strip() for l in f if l.strip() and not l.startswith("#")]
    return [l for l in spec.split(",") if l]


def is_und(rule, label, prob, note, model_labels):
    """Whether one prediction counts as und under RULE (see the module doc)."""
    for cond in rule.split(","):
        if cond == "label":
            if label in ("", "und"):
                return True
        elif cond == "note":
            if note:
                return True
        elif cond.startswith("below:"):
            if prob is not None and label and prob < float(cond[6:]):
                return True
        elif cond == "outside":
            if label not in model_labels:
                return True
        else:
            raise SystemExit("eval.py: unknown und rule %r" % cond)
    return False


def und_count(rule, labels, probs, notes, model_labels):
    """Number of predictions that count as und under RULE."""
    ml = set(model_labels)
    return sum(is_und(rule, l, p, n, ml) for l, p, n in zip(labels, probs, notes))


def scores(gold, pred, conf, per_label=False):
    n = len(gold)
    if n == 0:
        raise SystemExit("eval.py: no examples")
    if not (len(pred) == len(conf) == n):
        raise SystemExit("eval.py: %d gold labels but %d predictions" % (n, len(pred)))
    sup, tp, f1 = metrics.per_label(gold, pred)
    correct = sum(tp.values())
    bins = [[0, 0, 0.0] for _ in range(BINS)]  # count, correct, sum of confidence
    nc = 0  # examples with a confidence
    for g, p, c in zip(gold, pred, conf):
        if c is None:
            continue
        nc += 1
        b = min(BINS - 1, max(0, math.ceil(round(c * BINS, 9)) - 1))  # (i/15, (i+1)/15] -> i
        bins[b][0] += 1
        bins[b][1] += g == p
        bins[b][2] += c
    ece = sum(abs(k - s) / nc for cnt, k, s in bins if cnt) if nc else None
    out = {
        "n": n,
        "accuracy": correct / n,
        "macro_f1": sum(f1.values()) / len(f1),
        "macro_accuracy": sum(tp[lab] / sup[lab] for lab in sup) / len(sup),
        "ece": ece,
        "mean_confidence": sum(c for c in conf if c is not None) / nc if nc else None,
        "with_confidence": nc,
        "labels": len(sup),
    }
    if per_label:
        out["per_label"] = {lab: {"support": sup[lab], "correct": tp[lab],
                                  "accuracy": tp[lab] / sup[lab], "f1": f1[lab]}
                            for lab in sorted(sup)}
    return out


def main(argv):
    ap = argparse.ArgumentParser(description="accuracy, macro-F1, ECE of LABEL<TAB>PROB predictions")
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--name", default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--per-label", action="store_true")
    ap.add_argument("--header", action="store_true")
    ap.add_argument("--shared", default=None)
    ap.add_argument("--und-rule", default=None)
    ap.add_argument("--model-labels", default="")
    a = ap.parse_args(argv[1:])
    gold = read_gold(a.gold)
    notes = []
    pred, conf = read_pred(a.pred, notes)
    if len(gold) != len(pred):
        raise SystemExit("eval.py: %s has %d lines but %s has %d" % (a.gold, len(gold), a.pred, len(pred)))
    name = a.name if a.name is not None else a.pred
    if a.und_rule:
        k = und_count(a.und_rule, pred, conf, notes, read_label_set(a.model_labels))
        s = {"n": len(gold), "und": k, "und_rate": k / len(gold) if gold else 0.0, "name": name}
        print(json.dumps(s, sort_keys=True))
        return 0
    excluded = 0
    if a.shared is not None:
        keep = set(read_label_set(a.shared))
        rows = [(g, p, c) for g, p, c in zip(gold, pred, conf) if g in keep]
        excluded = len(gold) - len(rows)
        gold, pred, conf = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    s = scores(gold, pred, conf, a.per_label)
    s["excluded"] = excluded
    if a.json:
        s["name"] = name
        print(json.dumps(s, sort_keys=True))
        return 0
    if a.header:
        print(HEADER)
    pct = lambda v: "—" if v is None else "%.2f" % (100 * v)  # noqa: E731
    print("| %s | %d | %.2f | %.2f | %s | %s |" % (
        name, s["n"], 100 * s["accuracy"], 100 * s["macro_f1"], pct(s["ece"]),
        pct(s["mean_confidence"])))
    if a.per_label:
        for lab, d in s["per_label"].items():
            print("  %s: %.2f%% (%d/%d), F1 %.2f%%" % (lab, 100 * d["accuracy"], d["correct"],
                                                   d["support"], 100 * d["f1"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
