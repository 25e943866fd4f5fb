#!/usr/bin/python3
"""Scores multi-label predictions against a fastText-format test file.

    multilabel_metrics.py TEST.txt PRED THRESHOLD

PRED has one line per test line with every label and its probability, best first, in either
form: fastText's `predict-prob M.bin - -1 0` ("__label__a 0.91 __label__b 0.40 ...") or
textclf's `--all` TSV ("a<TAB>0.91<TAB>b<TAB>0.40..."). Prints micro precision, recall and F1
of the labels with probability >= THRESHOLD, macro-F1 over the labels seen in the gold sets or
the predictions, exact-match accuracy and P@1 (the best label is a gold one), as one TSV line:
micro_p micro_r micro_f1 macro_f1 exact p_at_1.
"""
import sys


def parse_pred(line):
    f = line.rstrip("\n").split("\t") if "\t" in line else line.split()
    pairs = [(f[i].removeprefix("__label__"), float(f[i + 1])) for i in range(0, len(f) - 1, 2)]
    return sorted(pairs, key=lambda x: -x[1])


def main(test, pred, threshold):
    gold = [{t[9:] for t in ln.split() if t.startswith("__label__")} for ln in open(test)]
    preds = [parse_pred(ln) for ln in open(pred)]
    assert len(gold) == len(preds), (len(gold), len(preds))
    tp = fp = fn = exact = top1 = 0
    per = {}
    for g, p in zip(gold, preds):
        s = {lab for lab, x in p if x >= threshold}
        tp += len(s & g)
        fp += len(s - g)
        fn += len(g - s)
        exact += s == g
        top1 += bool(p) and p[0][0] in g
        for lab in s | g:
            c = per.setdefault(lab, [0, 0, 0])
            c[0] += lab in s and lab in g
            c[1] += lab in s and lab not in g
            c[2] += lab in g and lab not in s
    f1 = lambda a, b, c: 2 * a / (2 * a + b + c) if a else 0.0
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    macro = sum(f1(*c) for c in per.values()) / len(per)
    n = len(gold)
    print(f"{P:.4f}\t{R:.4f}\t{f1(tp, fp, fn):.4f}\t{macro:.4f}\t{exact / n:.4f}\t{top1 / n:.4f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
