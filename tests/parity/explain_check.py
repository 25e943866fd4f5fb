"""Cross-check `textclf explain` against PyTorch on the models and documents gen.py wrote.

Usage:  /usr/bin/python3 tests/parity/explain_check.py OUTDIR TEXTCLF

For the inline form of every model in OUTDIR/manifest.tsv it runs
    TEXTCLF explain -m MODEL -f json -k 1 -z TEXTS.bin
and checks each document against the reference network of tools/textclf_ref.py, in float64:
  - the tokens are the reference's ids (expected.jsonl), and the words' token lists tile them;
  - each token's attention is the reference's attention weights (attention_weights, [heads, T, T])
    averaged over heads and query positions, within 1e-5;
  - each word's effect is p_top(ids) - p_top(ids without the word's tokens), top being the label
    textclf predicted, within 1e-5; its evidence the same difference of log-odds, within
    1e-4 * (1 + |evidence|).
Prints one line `PASS|FAIL NAME ...` per model and ends with `N passed, N failed`; exits 1 on any
failure.
"""

import json
import math
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402
from gen import inline_models, reference_float64  # noqa: E402

TOL = 1e-5
SHOW = 3


def log_odds(p, top, sigmoid=False):
    if sigmoid:   # each label's own odds: log(p / (1 - p)), the logit
        return math.log(float(p[top])) - math.log1p(-float(p[top]))
    rest = float(p.sum() - p[top])
    return math.log(float(p[top])) - math.log(rest)


def check_model(outdir, textclf, name, model_rel, texts_rel, expected_rel):
    path = os.path.join(outdir, model_rel)
    vocab, labels, _, config = ref.load_model(path)[1:5]
    sigmoid = config.get("output") == "sigmoid"
    model = reference_float64(path)
    with open(os.path.join(outdir, expected_rel), encoding="utf-8") as f:
        expected = [json.loads(line) for line in f]
    with open(os.path.join(outdir, texts_rel), "rb") as f:
        r = subprocess.run([textclf, "explain", "-m", path, "-f", "json", "-k", "1", "-z"], stdin=f,
                           capture_output=True, timeout=600)
    if r.returncode != 0:
        return [f"textclf explain exited with status {r.returncode}: {r.stderr[:300]!r}"], {}
    got = [json.loads(line) for line in r.stdout.decode("utf-8").splitlines()]
    if len(got) != len(expected):
        return [f"{len(got)} explanations for {len(expected)} documents"], {}
    problems = []
    worst = {"attention": 0.0, "effect": 0.0, "evidence": 0.0}
    words_seen = 0
    with torch.no_grad():
        for i, (g, e) in enumerate(zip(got, expected)):
            ids = e["ids"]
            T = len(ids)
            toks = [t["token"] for t in g["tokens"]]
            if toks != [vocab[x] for x in ids]:
                problems.append(f"doc {i}: tokens {toks} != reference {[vocab[x] for x in ids]}")
                continue
            spans = [w["tokens"] for w in g["words"]]
            if [t for s in spans for t in s] != list(range(T)) or any(not s for s in spans):
                problems.append(f"doc {i}: words do not tile the tokens: {spans}")
                continue
            top = labels.index(g["labels"][0]["label"])
            # the document and each word left out, in one padded batch
            variants = [ids] + [ids[:s[0]] + ids[s[-1] + 1:] for s in spans]
            ngrams = att_ngrams = None
            if "ngrams" in e:   # the kept tokens keep their n-gram lists
                ng = e["ngrams"]
                ngrams = ref.batch_ngrams([ng] + [ng[:s[0]] + ng[s[-1] + 1:] for s in spans])
                att_ngrams = ref.batch_ngrams([ng])
            probs = model.probs(*ref.batch_ids(variants), ngrams)
            full = probs[0]
            for w, (word, p) in enumerate(zip(g["words"], probs[1:])):
                d = abs(word["effect"] - float(full[top] - p[top]))
                worst["effect"] = max(worst["effect"], d)
                if d > TOL:
                    problems.append(f"doc {i} word {w} {word['text']!r}: effect "
                                    f"{word['effect']} != {float(full[top] - p[top]):.6f}")
                want = log_odds(full, top, sigmoid) - log_odds(p, top, sigmoid)
                d = abs(word["evidence"] - want)
                worst["evidence"] = max(worst["evidence"], d / (1 + abs(want)))
                if d > 1e-4 * (1 + abs(want)):
                    problems.append(f"doc {i} word {w} {word['text']!r}: evidence "
                                    f"{word['evidence']} != {want:.6f}")
            words_seen += len(spans)
            if T:
                att = model.attention_weights(*ref.batch_ids([ids]), att_ngrams)[0]  # [heads, T, T]
                received = att.mean(dim=0).mean(dim=0)  # over heads, then over query positions
                for t, tok in enumerate(g["tokens"]):
                    d = abs(tok["attention"] - float(received[t]))
                    worst["attention"] = max(worst["attention"], d)
                    if d > TOL:
                        problems.append(f"doc {i} token {t}: attention {tok['attention']} != "
                                        f"{float(received[t]):.6f}")
    worst["docs"] = len(got)
    worst["words"] = words_seen
    return problems, worst


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: explain_check.py OUTDIR TEXTCLF")
    outdir, textclf = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    passed = failed = 0
    for name, model, texts, expected in inline_models(outdir):
        problems, st = check_model(outdir, textclf, name, model, texts, expected)
        if problems:
            failed += 1
            print(f"FAIL explain {name}: {len(problems)} problems")
            for p in problems[:SHOW]:
                print(f"    {p}")
        else:
            passed += 1
            print(f"PASS explain {name}: docs={st['docs']} words={st['words']} "
                  f"max_diff attention={st['attention']:.1e} effect={st['effect']:.1e} "
                  f"evidence(rel)={st['evidence']:.1e}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
