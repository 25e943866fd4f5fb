#!/usr/bin/python3
"""Scores and tables for bench/accuracy (standard library only).

    metrics.py score GOLD PRED          -> "accuracy<TAB>macro_f1"
    metrics.py table [--valid] RESULTS.tsv
                                        -> Markdown table (mean and range per
                                           data set and contender)
    metrics.py valid MODEL.json...      -> mean validation accuracy in the
                                           models' metadata (textclf train)

GOLD and PRED have one label per line (a `__label__` prefix is ignored; PRED
may have further TAB-separated columns, as textclf prints). An empty
prediction (fastText prints one for a text without any known word) counts as
wrong. Macro-F1 is the unweighted mean over the gold labels of the per-label
F1 (a label never predicted has F1 0).

RESULTS.tsv columns: dataset, contender, seed, accuracy, macro_f1, train_s,
predict_s (wall-clock seconds), valid_acc (textclf's validation accuracy, or -).
`table --valid` adds the mean validation accuracy (the only column that may
be used to choose settings) and sorts each data set's rows by it.
"""

import collections
import json
import statistics
import sys


def _labels(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            lab = line.rstrip("\n").split("\t")[0].strip()
            if lab.startswith("__label__"):
                lab = lab[len("__label__"):]
            out.append(lab)
    return out


def per_label(gold, pred):
    """(support, correct, f1) over the labels of gold: two Counters and a dict, where f1[label] =
    2TP / (2TP + FP + FN) (0 when the label is never predicted; predictions of labels absent
    from gold only add FPs; an empty prediction is wrong and adds no FP). Also used by
    bench/langid/eval.py."""
    tp, fp, fn, sup = (collections.Counter() for _ in range(4))
    for g, p in zip(gold, pred):
        sup[g] += 1
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            if p:
                fp[p] += 1
    f1 = {}
    for lab in sorted(sup):
        denom = 2 * tp[lab] + fp[lab] + fn[lab]
        f1[lab] = 2 * tp[lab] / denom if denom else 0.0
    return sup, tp, f1


def score(gold, pred):
    """(accuracy, macro-F1) of two equally long label lists."""
    if len(gold) != len(pred):
        raise SystemExit("metrics.py: %d gold labels but %d predictions" % (len(gold), len(pred)))
    _, tp, f1 = per_label(gold, pred)
    return sum(tp.values()) / len(gold), sum(f1.values()) / len(f1)


def _fmt(values, pct=True, digits=1):
    """'mean (min-max)' or just the value when all are equal."""
    scale = 100 if pct else 1
    vals = [v * scale for v in values]
    mean = statistics.mean(vals)
    if len(vals) == 1 or max(vals) - min(vals) < 0.5 * 10 ** -digits:
        return "%.*f" % (digits, mean)
    return "%.*f (%.*f–%.*f)" % (digits, mean, digits, min(vals), digits, max(vals))


def table(path, with_valid=False):
    rows = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("dataset\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            ds, who, seed, acc, f1, secs, psecs = cols[:7]
            va = cols[7] if len(cols) > 7 and cols[7] != "-" else None
            rows.setdefault((ds, who), []).append(
                (int(seed), float(acc), float(f1), float(secs), float(psecs),
                 None if va is None else float(va)))
    items = list(rows.items())
    head = "| data set | contender | seeds |"
    if with_valid:
        head += " valid acc % |"
        order = {}
        for (ds, _), _ in items:
            order.setdefault(ds, len(order))
        items.sort(key=lambda kv: (order[kv[0][0]], -statistics.mean(
            r[5] if r[5] is not None else -1 for r in kv[1])))
    head += " test accuracy % | test macro-F1 % | train time s | predict time s |"
    print(head)
    print("|" + " --- |" * (head.count("|") - 1))
    for (ds, who), runs in items:
        cells = [ds, who, ",".join(str(r[0]) for r in runs)]
        if with_valid:
            vals = [r[5] for r in runs if r[5] is not None]
            cells.append(_fmt(vals, digits=2) if vals else "–")
        cells += [_fmt([r[1] for r in runs]), _fmt([r[2] for r in runs]),
                  _fmt([r[3] for r in runs], pct=False), _fmt([r[4] for r in runs], pct=False)]
        print("| " + " | ".join(cells) + " |")


def valid(paths):
    accs = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            accs.append(json.load(f)["metadata"]["valid_accuracy"])
    print("%.6f" % statistics.mean(accs))


def main(argv):
    if len(argv) == 4 and argv[1] == "score":
        acc, f1 = score(_labels(argv[2]), _labels(argv[3]))
        print("%.6f\t%.6f" % (acc, f1))
    elif len(argv) == 3 and argv[1] == "table":
        table(argv[2])
    elif len(argv) == 4 and argv[1] == "table" and argv[2] == "--valid":
        table(argv[3], with_valid=True)
    elif len(argv) >= 3 and argv[1] == "valid":
        valid(argv[2:])
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
