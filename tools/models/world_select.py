#!/usr/bin/python3
"""tools/models/world_select.py: pick the language identifier among candidate models.

    world_select.py --valid F --valid-short F --ood-valid F --ood-valid-short F
                    [--speed-file F] [--max-mb 8] [--max-start-ms 10] [--min-rate 40000]
                    [--textclf PATH] [--build ROOT] [--table OUT.md]
                    NAME=MODEL.json [NAME=MODEL.json ...]

The rule of models/lang-world.md ("Which model"), written before the numbers it selects on:
each candidate's **score** is the mean of its four macro accuracies (valid, valid-short,
ood-valid, ood-valid-short; a macro accuracy is the mean over the file's gold labels of each
label's accuracy, the abstain rule ignored). Hard constraints: the model's files (the JSON and
the files it names) <= --max-mb MB (10^6 bytes), start to first result <= --max-start-ms (the
least of 11 runs of `textclf -m MODEL` on one line), one thread >= --min-rate documents/s on
--speed-file (default: the valid file; the best of 3 runs of `textclf -m MODEL -j 1 FILE`).
With --build ROOT (the repository), start and speed are measured as the budget is worded, on the
built-in model: for each candidate `make -C ROOT` builds a program with it as DEFAULT_MODEL (in a
temporary directory), and the runs above are made with that program and no -m. Among
the candidates that meet them, the highest score wins; one within 0.1 point of the winner wins
over it when its files are smaller (the smallest such).

Only validation files may be given (the test files decide nothing). Prints a Markdown table of
every candidate and the choice; the last line is `chosen: NAME` (or `chosen: none`, status 1).
Timings here are measurements for a choice, not tests.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from tc_eval import TEXTCLF, macro_accuracy, named_files, print_table


def model_bytes(path):
    """Bytes of the model JSON and of the files it names."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    base = os.path.dirname(os.path.abspath(path))
    return os.path.getsize(path) + sum(os.path.getsize(os.path.join(base, n)) for n in named_files(doc))


def wall(cmd, stdin_bytes=None):
    """Seconds cmd takes, given stdin_bytes (or nothing) on its standard input."""
    t = time.perf_counter()
    subprocess.run(cmd, input=stdin_bytes, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def start_ms(program):
    """program: the command line that classifies with the candidate (see timed_program)."""
    return 1000 * min(wall(program, stdin_bytes=b"hello\n") for _ in range(11))


def rate(program, path):
    with open(path, "rb") as f:
        n = sum(1 for _ in f)
    return n / min(wall(program + ["-j", "1", path]) for _ in range(3))


def builtin_program(root, model, workdir):
    """The path of a textclf built from the repository root with model as its built-in model,
    built under workdir (make's BUILD and BIN); make's output goes to stderr."""
    build = os.path.join(workdir, "build")
    binary = os.path.join(workdir, "textclf")
    subprocess.run(["make", "-s", "-C", root, "-j2", "BUILD=" + build, "BIN=" + binary,
                    "DEFAULT_MODEL=" + os.path.abspath(model), binary],
                   stdout=sys.stderr, check=True)
    return binary


def choose(rows, margin=0.1):
    """The rule's pick among rows (dicts with ok, score, bytes), or None."""
    ok = [r for r in rows if r["ok"]]
    if not ok:
        return None
    best = max(ok, key=lambda r: r["score"])
    near = [r for r in ok if r["score"] >= best["score"] - margin]
    return min(near, key=lambda r: (r["bytes"], -r["score"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for k in ("valid", "valid-short", "ood-valid", "ood-valid-short"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--speed-file")
    ap.add_argument("--max-mb", type=float, default=8.0)
    ap.add_argument("--max-start-ms", type=float, default=10.0)
    ap.add_argument("--min-rate", type=float, default=40000.0)
    ap.add_argument("--textclf", default=TEXTCLF)
    ap.add_argument("--build", metavar="ROOT")
    ap.add_argument("--table")
    ap.add_argument("candidates", nargs="+", metavar="NAME=MODEL.json")
    a = ap.parse_args()

    files = [a.valid, a.valid_short, a.ood_valid, a.ood_valid_short]
    rows = []
    for c in a.candidates:
        name, sep, model = c.partition("=")
        if not sep:
            sys.exit("world_select.py: a candidate is NAME=MODEL.json, not %r" % c)
        accs = [100 * macro_accuracy(a.textclf, model, f) for f in files]
        r = {"name": name, "accs": accs, "score": sum(accs) / 4, "bytes": model_bytes(model)}
        workdir = tempfile.mkdtemp(prefix="world_select.") if a.build else None
        try:
            program = ([builtin_program(a.build, model, workdir)] if a.build
                       else [a.textclf, "-m", model])
            r["start"] = start_ms(program)
            r["rate"] = rate(program, a.speed_file or a.valid)
        finally:
            if workdir:
                shutil.rmtree(workdir)
        r["ok"] = (r["bytes"] <= a.max_mb * 1e6 and r["start"] <= a.max_start_ms and r["rate"] >= a.min_rate)
        rows.append(r)
        print("%s: score %.2f, %.2f MB, start %.1f ms, %.0f docs/s" %
              (name, r["score"], r["bytes"] / 1e6, r["start"], r["rate"]), file=sys.stderr)
    pick = choose(rows)
    out = ["| candidate | valid % | valid-short % | ood-valid % | ood-valid-short % | score | MB | start ms | docs/s (1 thread) | |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        mark = "**chosen**" if r is pick else ("" if r["ok"] else "over a budget")
        out.append("| %s | %s | %.2f | %.2f | %.1f | %.0f | %s |" % (
            r["name"], " | ".join("%.2f" % x for x in r["accs"]), r["score"], r["bytes"] / 1e6,
            r["start"], r["rate"], mark))
    out += ["", "Budgets: <= %g MB, start <= %g ms, >= %g docs/s on one thread (%s)." %
            (a.max_mb, a.max_start_ms, a.min_rate,
             "timed with the model built into the program" if a.build else "timed with -m MODEL"), "", "chosen: %s" % (pick["name"] if pick else "none")]
    text = "\n".join(out) + "\n"
    print_table(text, a.table)
    return 0 if pick else 1


if __name__ == "__main__":
    sys.exit(main())
