"""tools/models/tc_eval.py: what tools/models' scripts ask textclf about a model (standard library).

Every number comes from textclf itself (`textclf test -f json`, `textclf info -f json`), so the
selection scripts never re-implement the model or its scoring.
"""
import json
import os
import shutil
import subprocess
import sys

TEXTCLF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "textclf")


def named_files(doc):
    """The files a model JSON (doc, parsed) names: its vocabulary file and weights file, as the
    JSON writes them (relative to its directory)."""
    return ([doc["vocab"]["file"]] if isinstance(doc.get("vocab"), dict) else []) + \
        ([doc["weights_file"]] if "weights_file" in doc else [])


def _run_json(cmd, what):
    p = subprocess.run(cmd, stdout=subprocess.PIPE)
    if p.returncode != 0:       # textclf said why on stderr
        sys.exit("%s: textclf %s failed (status %d) on %s" %
                 (os.path.basename(sys.argv[0]), cmd[1], p.returncode, what))
    return json.loads(p.stdout)


def test_json(textclf, model, files, no_abstain=False):
    """`textclf test -q -f json` of files taken together, as a dict."""
    cmd = [textclf, "test", "-q", "-f", "json", "-m", model] + (["--no-abstain"] if no_abstain else [])
    return _run_json(cmd + list(files), " ".join(files))


def per_label(textclf, model, path):
    """{label: (support, correct)} over the gold labels of path, the abstain rule ignored."""
    r = test_json(textclf, model, [path], no_abstain=True)
    return {l["label"]: (l["support"], l["correct"]) for l in r["labels"] if l["support"] > 0}


def macro_accuracy(textclf, model, path):
    """The mean over path's gold labels of each label's accuracy (recall), the abstain rule ignored."""
    pl = per_label(textclf, model, path)
    return sum(c / n for n, c in pl.values()) / len(pl)


def model_labels(textclf, model):
    return _run_json([textclf, "info", "-f", "json", model], model)["labels"]


def scratch_copy(model_path, doc, tmp):
    """Put the model's named files into tmp (hard links when possible, else copies)."""
    base = os.path.dirname(os.path.abspath(model_path))
    for name in named_files(doc):
        src, dst = os.path.join(base, name), os.path.join(tmp, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)


def print_table(text, path=None):
    """Writes a script's Markdown report to stdout, and to path as well when given (--table)."""
    sys.stdout.write(text)
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def write_json(path, doc):
    """doc as JSON at path: indented, UTF-8 as it is, a final newline (a model the scripts write)."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


def beside(path, model_path):
    """1 if path is in model_path's directory, where a rewritten model JSON must be: its
    vocabulary and weights files are named relative to it."""
    return os.path.dirname(os.path.abspath(path)) == os.path.dirname(os.path.abspath(model_path))
