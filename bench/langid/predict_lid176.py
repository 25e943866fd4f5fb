#!/usr/bin/python3
"""fastText predictions as `LABEL<TAB>PROBABILITY` lines (standard library only).

    predict_lid176.py MODEL.ftz FILE > PRED           lid.176, restricted to our 24 labels
    predict_lid176.py --plain MODEL.bin FILE > PRED   any supervised model, top 1 as is

FILE has one document per line; a leading `__label__LABEL` token (fastText
format) is removed, the rest of the line is the text. Every line of FILE gives
exactly one line of PRED (an empty line gives a prediction too); if fastText's
output does not have one line per input line the script fails.

The text is sent to Debian's fastText 0.9.2 unchanged (bytes as they are;
fastText splits words on space, tab, CR, VT, FF and NUL) as
`fasttext predict-prob MODEL - K`, one line per document on stdin.

Default mode (lid.176): `fasttext predict-prob MODEL - 176 -1`, i.e. every
label of lid.176 with its probability. (The threshold -1 matters: with the
default 0, fastText 0.9.2 drops every label whose probability is below about
1e-5, since it compares log(p) with log(threshold + 1e-5); -1 makes that
comparison NaN, so no label is dropped and each line has all 176.) Only the
labels that are one of our 24 languages are kept:

  en ja ko ru uk de fr es it pt pl nl cs sv tr vi id el da fi hu ro
      -> the same code (lid.176 uses ISO 639-1 codes for all of them)
  zh  -> zh-Hant or zh-Hans by the script rule below

All other labels (including yue Cantonese and wuu Wu, and near neighbours such
as ms, no, be, bg, ca, gl) are dropped. The kept probabilities are renormalised
to sum to 1 and the most probable kept label is printed with its renormalised
probability (6 decimals). If none is kept (fastText printed nothing for the
line) the line is `<TAB>0.000000`: no answer, counted as wrong by eval.py.

zh rule (script_rules.py): lid.176 has one label for written Chinese. We count, in the text,
characters that are only simplified (HANS_SET, 2295) and only traditional
(HANT_SET, 4523): 277 hand-checked common pairs (这/這, 们/們, 国/國 ...)
extended with every character that Unicode's Unihan data marks as always
changing under simplification or traditionalisation (details above the sets
in script_rules.py). More traditional than simplified characters -> zh-Hant, otherwise
(including ties and none at all) -> zh-Hans. The whole zh probability goes to
that one label.

--plain: K = 1 and no restriction: the label (prefix `__label__` removed) and
its probability as fastText prints them, capped at 1 (fastText adds 1e-5 to
probabilities before taking logs, so it can print 1.00001); for `fasttext
supervised` models.
"""

import os
import subprocess
import sys
import threading

sys.dont_write_bytecode = True
from script_rules import zh_variant  # noqa: E402  (the zh rule; script_rules.py)

OURS = ("en zh-Hans zh-Hant ja ko ru uk de fr es it pt pl nl cs sv tr vi id el da fi hu ro").split()
SAME = set(OURS) - {"zh-Hans", "zh-Hant"}


def read_texts(path):
    """Text bytes of every line of path (split on \\n only; a final line
    without \\n counts; a CR before the \\n and a leading __label__ token are
    removed)."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for line in lines:
        line = line.rstrip(b"\r")
        if line.startswith(b"__label__"):
            parts = line.split(None, 1)
            line = parts[1] if len(parts) > 1 else b""
        out.append(line)
    return out


def line_per_text(cmd, texts, who):
    """Runs cmd with texts (bytes) on its stdin, one per line, fed from a thread so that its
    output is read as it comes; yields each output line (bytes, without the newline). Exits
    naming who when cmd fails or prints another number of lines than it was given."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def feed():
        try:
            for t in texts:
                proc.stdin.write(t + b"\n")
            proc.stdin.close()
        except BrokenPipeError:
            pass

    th = threading.Thread(target=feed, daemon=True)
    th.start()
    n = 0
    for line in proc.stdout:
        n += 1
        yield line.rstrip(b"\n")
    th.join()
    rc = proc.wait()
    if rc != 0:
        raise SystemExit("%s: %s exited with status %d" % (os.path.basename(sys.argv[0]), who, rc))
    if n != len(texts):
        raise SystemExit("%s: %d input lines but %s printed %d" %
                         (os.path.basename(sys.argv[0]), len(texts), who, n))


def fasttext_predict(model, texts, k, threshold=None):
    """Yields fastText's output line (str) for each text, in order."""
    cmd = ["fasttext", "predict-prob", model, "-", str(k)]
    if threshold is not None:
        cmd.append(threshold)
    for line in line_per_text(cmd, texts, "fasttext"):
        yield line.decode("utf-8", "replace")


def parse(line):
    """[(label without __label__, probability), ...] of one predict-prob line."""
    tok = line.split()
    if len(tok) % 2:
        raise SystemExit("predict_lid176.py: odd fasttext output: %r" % line[:200])
    out = []
    for i in range(0, len(tok), 2):
        lab = tok[i]
        if lab.startswith("__label__"):
            lab = lab[len("__label__"):]
        out.append((lab, float(tok[i + 1])))
    return out


def main(argv):
    args = argv[1:]
    plain = False
    if args and args[0] == "--plain":
        plain = True
        args = args[1:]
    if len(args) != 2:
        raise SystemExit(__doc__)
    model, path = args
    texts = read_texts(path)
    out = sys.stdout
    n_out = 0
    run = fasttext_predict(model, texts, 1) if plain else fasttext_predict(model, texts, 176, "-1")
    for i, line in enumerate(run):
        if i >= len(texts):
            raise SystemExit("predict_lid176.py: fasttext printed more lines than the %d inputs" % len(texts))
        text = texts[i]
        preds = parse(line)
        if plain:
            if preds:
                out.write("%s\t%.6f\n" % (preds[0][0], min(1.0, preds[0][1])))
            else:
                out.write("\t0.000000\n")
        else:
            kept = {}
            zh = None
            for lab, p in preds:
                if lab in SAME:
                    kept[lab] = kept.get(lab, 0.0) + p
                elif lab == "zh":
                    if zh is None:
                        zh = zh_variant(text.decode("utf-8", "replace"))
                    kept[zh] = kept.get(zh, 0.0) + p
            total = sum(kept.values())
            if total > 0:
                best = max(sorted(kept), key=lambda l: kept[l])
                out.write("%s\t%.6f\n" % (best, kept[best] / total))
            else:
                out.write("\t0.000000\n")
        n_out += 1
    if n_out != len(texts):
        raise SystemExit("predict_lid176.py: %d inputs but %d predictions" % (len(texts), n_out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
