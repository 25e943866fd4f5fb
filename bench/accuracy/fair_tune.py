#!/usr/bin/python3
"""fair_tune.py DATADIR WORKDIR [--textclf PATH] [--out RESULTS.md]

textclf against fastText with both TUNED THE SAME WAY: a validation split is carved
from DATADIR/train.txt (a line goes to tune-valid when the first byte of the sha256 of
the line is < 0x33: 20%, deterministic), each tool is trained on the rest with every
setting of its grid and scored on tune-valid, the setting with the best tune-valid
accuracy is chosen (ties: macro-F1, then the simpler setting, the first in the grid
order below), and only then is each chosen setting trained on the whole train.txt and
scored ONCE on DATADIR/test.txt. Also prints McNemar's exact test on the two test
predictions (are their errors different by more than chance?).

The selection never sees test.txt. textclf's final model is trained as
tools/models/build.sh trains the shipped ones (its own 10% held out for early stopping),
fastText's on all of train.txt with its chosen epoch count.

Written for the spam split (tools/data/spam.sh): about 25 minutes on 2 cores
(34 trainings); also run on the sentiment split (tools/data/sentiment.sh): about 10 minutes. Standard library only; needs textclf (default ./textclf of this
checkout) and Debian's fasttext.
"""

import argparse
import hashlib
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PREDICT = os.path.join(ROOT, "bench", "langid", "predict_lid176.py")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "bench", "langid"))
import eval as langid_eval  # noqa: E402  (bench/langid/eval.py: reading and scoring predictions)

# in order of simplicity: ties go to the earlier setting
TEXTCLF_GRID = [["--max-len", ml, "--dim", d, "--hidden", h, "--crop", c]
                for ml in ("256", "512") for d in ("32", "64") for h in ("32", "64")
                for c in ("0", "0.5")]
FASTTEXT_GRID = [["-epoch", e, "-wordNgrams", w, "-lr", lr]
                 for e in ("5", "25", "50") for w in ("1", "2") for lr in ("0.1", "0.5", "1.0")]
TEXTCLF_FIXED = ["--seed", "1", "--threads", "2"]
FASTTEXT_FIXED = ["-thread", "1", "-seed", "1"]


def run(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def split(train, tune_train, tune_valid):
    with open(train, "rb") as f, open(tune_train, "wb") as ft, open(tune_valid, "wb") as fv:
        for line in f:
            body = line.rstrip(b"\n")
            (fv if hashlib.sha256(body).digest()[0] < 0x33 else ft).write(body + b"\n")


def score(gold, pred):
    """eval.py's accuracy, macro-F1 and ECE of a prediction file."""
    labels, conf = langid_eval.read_pred(pred)
    r = langid_eval.scores(langid_eval.read_gold(gold), labels, conf)
    return r["accuracy"], r["macro_f1"], r["ece"]


def textclf_model(tc, train, valid, opts, out):
    """Trains a textclf model (with --valid when valid is given); returns its JSON path."""
    cmd = [tc, "train", "-q", "-i", train, "-o", out] + (["--valid", valid] if valid else [])
    run(cmd + opts + TEXTCLF_FIXED)
    return out


def textclf_predict(tc, model, data, pred):
    with open(pred, "w") as f:
        run([os.path.join(ROOT, "bench", "langid", "textclf_predict.sh"), model, data],
            stdout=f, env=dict(os.environ, TEXTCLF=tc))


def fasttext_model(train, opts, out):
    run(["fasttext", "supervised", "-input", train, "-output", out] + opts + FASTTEXT_FIXED,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out + ".bin"


def fasttext_predict(model, data, pred):
    with open(pred, "w") as f:
        run([sys.executable, PREDICT, "--plain", model, data], stdout=f)


def tune(name, grid, fit, predict, tune_train, tune_valid, work):
    """Scores every setting on tune_valid; returns (rows, chosen options)."""
    rows, best = [], None
    for i, opts in enumerate(grid):
        model = fit(tune_train, tune_valid, opts, os.path.join(work, f"{name}-{i}"))
        pred = os.path.join(work, f"{name}-{i}.valid.pred")
        predict(model, tune_valid, pred)
        acc, f1, _ = score(tune_valid, pred)
        rows.append((" ".join(opts), acc, f1))
        if best is None or (acc, f1) > best[:2]:  # strictly better: ties keep the earlier
            best = (acc, f1, opts)
        print(f"fair_tune: {name} {' '.join(opts)}: {100 * acc:.2f}", file=sys.stderr)
    return rows, best[2]


def mcnemar(gold, a, b):
    """(a right and b wrong, a wrong and b right, exact two-sided p)."""
    g = langid_eval.read_gold(gold)
    pa, pb = langid_eval.read_pred(a)[0], langid_eval.read_pred(b)[0]
    n01 = sum(1 for x, y, z in zip(g, pa, pb) if y == x and z != x)
    n10 = sum(1 for x, y, z in zip(g, pa, pb) if y != x and z == x)
    n, k = n01 + n10, min(n01, n10)
    p = min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n) if n else 1.0
    return n01, n10, p


def main(argv):
    ap = argparse.ArgumentParser(prog="fair_tune.py")
    ap.add_argument("data")
    ap.add_argument("work")
    ap.add_argument("--textclf", default=os.path.join(ROOT, "textclf"))
    ap.add_argument("--out")
    a = ap.parse_args(argv[1:])
    os.makedirs(a.work, exist_ok=True)
    os.environ.update(LC_ALL="C.UTF-8", OPENBLAS_NUM_THREADS="1")
    os.environ.pop("TEXTCLF_MODEL", None)
    tc = os.path.abspath(a.textclf)
    train, test = os.path.join(a.data, "train.txt"), os.path.join(a.data, "test.txt")
    tt, tv = os.path.join(a.work, "tune-train.txt"), os.path.join(a.work, "tune-valid.txt")
    split(train, tt, tv)

    def tc_fit(tr, va, opts, out):
        return textclf_model(tc, tr, va, opts, out + ".json")

    def tc_pred(model, data, pred):
        textclf_predict(tc, model, data, pred)

    def ft_fit(tr, va, opts, out):
        return fasttext_model(tr, opts, out)

    tc_rows, tc_opts = tune("textclf", TEXTCLF_GRID, tc_fit, tc_pred, tt, tv, a.work)
    ft_rows, ft_opts = tune("fasttext", FASTTEXT_GRID, ft_fit, fasttext_predict, tt, tv, a.work)

    # the chosen settings on the whole train.txt, scored once on test.txt
    tc_final = textclf_model(tc, train, None, tc_opts, os.path.join(a.work, "textclf-final.json"))
    tc_pred(tc_final, test, os.path.join(a.work, "textclf-final.pred"))
    ft_final = fasttext_model(train, ft_opts, os.path.join(a.work, "fasttext-final"))
    fasttext_predict(ft_final, test, os.path.join(a.work, "fasttext-final.pred"))

    out = [f"# textclf vs fastText, both tuned on the same validation split of {train}", "",
           f"tune-train {sum(1 for _ in open(tt, 'rb'))} lines, "
           f"tune-valid {sum(1 for _ in open(tv, 'rb'))} lines.", ""]
    for name, rows in (("textclf", tc_rows), ("fastText", ft_rows)):
        out += [f"## {name} on tune-valid", "", "| options | accuracy % | macro-F1 % |",
                "| --- | ---: | ---: |"]
        out += [f"| {o} | {100 * acc:.2f} | {100 * f1:.2f} |" for o, acc, f1 in rows]
        out.append("")
    out += ["## The chosen settings on test.txt (trained on all of train.txt, scored once)", "",
            "| contender | options | accuracy % | macro-F1 % | ECE % |",
            "| --- | --- | ---: | ---: | ---: |"]
    for name, opts in (("textclf", tc_opts), ("fasttext", ft_opts)):
        acc, f1, ece = score(test, os.path.join(a.work, f"{name}-final.pred"))
        out.append(f"| {name} | {' '.join(opts)} | {100 * acc:.2f} | {100 * f1:.2f} | {100 * ece:.2f} |")
    n01, n10, p = mcnemar(test, os.path.join(a.work, "textclf-final.pred"),
                          os.path.join(a.work, "fasttext-final.pred"))
    out += ["", f"McNemar (exact, two-sided): textclf right where fastText is wrong {n01}, "
                f"the other way {n10}; p = {p:.3f}."]
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
