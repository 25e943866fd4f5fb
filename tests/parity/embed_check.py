"""Cross-check `textclf embed` against PyTorch on the models and documents gen.py wrote.

Usage:  /usr/bin/python3 tests/parity/embed_check.py OUTDIR TEXTCLF

For the inline form of every model in OUTDIR/manifest.tsv it runs
    TEXTCLF embed -m MODEL -f f32 -z TEXTS.bin            (the pooled vectors)
    TEXTCLF embed -m MODEL -f f32 -z --layer hidden TEXTS.bin
and compares each document's vectors with the reference network's (tools/textclf_ref.py,
TextClassifier.vectors, in float64, on the reference's token ids from expected.jsonl): every value
within 1e-5 * (1 + |value|). Also `-f tsv` against the f32 rows of the first model: the same floats
(9 significant digits give a float32 back exactly). Prints one line `PASS|FAIL NAME ...` per model
and ends with `N passed, N failed`; exits 1 on any failure.
"""

import json
import os
import subprocess
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402
from gen import inline_models, reference_float64  # noqa: E402

TOL = 1e-5
SHOW = 3


def embed(textclf, model, texts, *extra):
    """textclf embed's rows as a float32 array [docs, n] (-f f32), or (None, message)."""
    with open(texts, "rb") as f:
        r = subprocess.run([textclf, "embed", "-m", model, "-z", *extra], stdin=f,
                           capture_output=True, timeout=600)
    if r.returncode != 0:
        return None, f"textclf embed {' '.join(extra)} exited with status {r.returncode}: {r.stderr[:300]!r}"
    return r.stdout, ""


def check_model(outdir, textclf, name, model_rel, texts_rel, expected_rel, tsv):
    path = os.path.join(outdir, model_rel)
    texts = os.path.join(outdir, texts_rel)
    model = reference_float64(path)
    with open(os.path.join(outdir, expected_rel), encoding="utf-8") as f:
        expected = [json.loads(line) for line in f]
    dims = {"pooled": model.embedding.weight.shape[1], "hidden": model.hidden.weight.shape[0]}
    got = {}
    for layer in ("pooled", "hidden"):
        out, msg = embed(textclf, path, texts, "-f", "f32", "--layer", layer)
        if out is None:
            return [msg], {}
        rows = np.frombuffer(out, dtype="<f4")
        if rows.size != len(expected) * dims[layer]:
            return [f"{layer}: {rows.size} floats for {len(expected)} documents of {dims[layer]}"], {}
        got[layer] = rows.reshape(len(expected), dims[layer])
    problems = []
    if tsv:   # the text form carries the same floats
        out, msg = embed(textclf, path, texts)
        if out is None:
            return [msg], {}
        text_rows = np.array([[np.float32(v) for v in line.split("\t")]
                              for line in out.decode("ascii").splitlines()], dtype=np.float32)
        if text_rows.shape != got["pooled"].shape or not np.array_equal(text_rows, got["pooled"]):
            problems.append("-f tsv does not give back the -f f32 floats")
    worst = 0.0
    with torch.no_grad():
        for i, e in enumerate(expected):
            ngrams = ref.batch_ngrams([e["ngrams"]]) if "ngrams" in e else None
            pooled, hidden = model.vectors(*ref.batch_ids([e["ids"]]), ngrams)
            for layer, want in (("pooled", pooled[0]), ("hidden", hidden[0])):
                want = want.numpy()
                d = np.abs(got[layer][i].astype(np.float64) - want)
                bound = TOL * (1 + np.abs(want))
                worst = max(worst, float((d / (1 + np.abs(want))).max()))
                if (d > bound).any():
                    j = int(np.argmax(d - bound))
                    problems.append(f"doc {i} {layer}[{j}]: {got[layer][i][j]} != {want[j]:.7g}")
    return problems, {"docs": len(expected), "worst": worst}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: embed_check.py OUTDIR TEXTCLF")
    outdir, textclf = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    passed = failed = 0
    for k, (name, model, texts, expected) in enumerate(inline_models(outdir)):
        problems, st = check_model(outdir, textclf, name, model, texts, expected, tsv=k == 0)
        if problems:
            failed += 1
            print(f"FAIL embed {name}: {len(problems)} problems")
            for p in problems[:SHOW]:
                print(f"    {p}")
        else:
            passed += 1
            print(f"PASS embed {name}: docs={st['docs']} max_diff(rel)={st['worst']:.1e}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
