#!/usr/bin/python3
"""Markdown tables of a peers.sh run (standard library only).

    peers_report.py MANIFEST --model-labels LABELS

MANIFEST: one TAB-separated line per (eval file, contender):
  FILE  CONTENDER  PRED  SHARED  UND_RULE  SECONDS
FILE: the gold file (fastText format); PRED: the contender's predictions
(eval.py's format); SHARED: the labels (comma-separated) the contender can
answer; UND_RULE: eval.py's --und-rule for und files; SECONDS: the wall time of
the prediction process for the whole file. Lines of one FILE keep their order.

A file whose gold labels are all `und` is an und file: it must have FILE.langs
beside it (minus .txt), the true language of each line (`zxx`: letterless).
For it: one row per contender with the und rate (share of lines counted as und
by its rule), then the und rate per true language.

Every other file: one row per contender (labels shared with the model, n =
lines whose gold label it shares, accuracy and macro accuracy over those
lines and labels, ECE over the lines that have a probability, "—" without,
wall time, docs/s = all lines of the file / wall time), then the accuracy per
gold label, one column per contender ("—": a label the contender does not
have).
"""

import argparse
import importlib
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ev = importlib.import_module("eval")


def pct(v):
    return "—" if v is None else "%.2f" % (100 * v)


def rate(secs, n):
    return "%.0f" % (n / secs) if secs > 0 else "—"


def known_tables(path, rows, model_labels):
    gold = ev.read_gold(path)
    labels = sorted(set(gold))
    out = ["| contender | labels shared | n | accuracy % | macro accuracy % | ECE % | s | docs/s |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    per = {}
    for name, pred, shared, _, secs in rows:
        p, c = ev.read_pred(pred)
        if len(p) != len(gold):
            raise SystemExit("peers_report.py: %s has %d lines, %s %d" % (pred, len(p), path, len(gold)))
        keep = set(shared)
        sel = [(g, q, k) for g, q, k in zip(gold, p, c) if g in keep]
        nsh = len([l for l in model_labels if l in keep])
        if not sel:
            out.append("| %s | %d | 0 | — | — | — | %.1f | %s |" % (name, nsh, secs, rate(secs, len(gold))))
            continue
        s = ev.scores([x[0] for x in sel], [x[1] for x in sel], [x[2] for x in sel], per_label=True)
        out.append("| %s | %d | %d | %.2f | %.2f | %s | %.1f | %s |" % (
            name, nsh, s["n"], 100 * s["accuracy"], 100 * s["macro_accuracy"], pct(s["ece"]),
            secs, rate(secs, len(gold))))
        per[name] = s["per_label"]
    names = [r[0] for r in rows]
    out += ["", "Accuracy % per gold label:", "",
            "| label | n | " + " | ".join(names) + " |",
            "| --- | ---: | " + " | ".join("---:" for _ in names) + " |"]
    for lab in labels:
        cells = []
        for name in names:
            d = per.get(name, {}).get(lab)
            cells.append("—" if d is None else "%.2f" % (100 * d["accuracy"]))
        out.append("| %s | %d | %s |" % (lab, gold.count(lab), " | ".join(cells)))
    return out


def und_tables(path, rows, model_labels):
    gold = ev.read_gold(path)
    base = path[:-4] if path.endswith(".txt") else path
    with open(base + ".langs", encoding="utf-8") as f:
        langs = [l.strip() for l in f]
    if len(langs) != len(gold):
        raise SystemExit("peers_report.py: %s.langs has %d lines, %s %d" % (base, len(langs), path, len(gold)))
    codes = sorted(set(langs), key=lambda c: (c == "zxx", c))
    ml = set(model_labels)
    out = ["| contender | counted as und | n | und % | s | docs/s |",
           "| --- | --- | ---: | ---: | ---: | ---: |"]
    flags = {}
    for name, pred, _, rule, secs in rows:
        notes = []
        p, c = ev.read_pred(pred, notes)
        if len(p) != len(gold):
            raise SystemExit("peers_report.py: %s has %d lines, %s %d" % (pred, len(p), path, len(gold)))
        f = [ev.is_und(rule, l, q, n, ml) for l, q, n in zip(p, c, notes)]
        flags[name] = f
        out.append("| %s | `%s` | %d | %.2f | %.1f | %s |" % (
            name, rule, len(f), 100 * sum(f) / len(f), secs, rate(secs, len(gold))))
    names = [r[0] for r in rows]
    out += ["", "und % per true language (`zxx`: letterless):", "",
            "| language | n | " + " | ".join(names) + " |",
            "| --- | ---: | " + " | ".join("---:" for _ in names) + " |"]
    for code in codes:
        idx = [i for i, l in enumerate(langs) if l == code]
        cells = ["%.1f" % (100 * sum(flags[n][i] for i in idx) / len(idx)) for n in names]
        out.append("| %s | %d | %s |" % (code, len(idx), " | ".join(cells)))
    return out


def main(argv):
    ap = argparse.ArgumentParser(description="Markdown tables of a peers.sh run")
    ap.add_argument("manifest")
    ap.add_argument("--model-labels", required=True)
    a = ap.parse_args(argv[1:])
    model_labels = ev.read_label_set(a.model_labels)
    files, rows = [], {}
    with open(a.manifest, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 6:
                raise SystemExit("peers_report.py: bad manifest line %r" % line)
            path, name, pred, shared, rule, secs = cols
            if path not in rows:
                files.append(path)
                rows[path] = []
            rows[path].append((name, pred, [l for l in shared.split(",") if l], rule, float(secs)))
    for path in files:
        gold = ev.read_gold(path)
        und = all(g == "und" for g in gold)
        print("##### %s (%d lines%s)" % (os.path.basename(path), len(gold),
                                         ", und" if und else ", %d labels" % len(set(gold))))
        print("")
        t = und_tables if und else known_tables
        print("\n".join(t(path, rows[path], model_labels)))
        print("")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
