"""Compare `textclf classify --all --format jsonl` output with gen.py's expected.jsonl.

Usage:  compare.py LABEL EXPECTED.jsonl GOT.jsonl TEXTS.bin [--textclf BIN --model MODEL.json]
                   [--ids GOT_IDS.txt] [--not-identical CMP_MESSAGE]

Prints one line `PASS|FAIL LABEL max_diff=... docs=N` and exits 0 on PASS, 1 on FAIL. A document
fails when any label's probability differs by more than 1e-5, or when the output lacks it; when the
output records carry "tokens"/"truncated", those must match the reference too. --ids names the output
of `textclf tokenize --ids -z` on the same texts: every document's ids must equal the reference's.
--not-identical (from run.sh) fails the check because the output differs from the inline form's. For the
first failing documents it prints the input bytes (hex), expected and got; given --textclf and
--model it also runs `textclf tokenize --ids` on each of them, to tell a tokenizer difference from an
arithmetic one.
"""

import json
import subprocess
import sys

TOL = 1e-5
SHOW = 5


def read_docs(path):
    data = open(path, "rb").read()
    docs = data.split(b"\x00")
    if docs and docs[-1] == b"":
        docs.pop()  # each document is NUL-terminated
    return docs


def c_ids(textclf, model, doc):
    try:
        r = subprocess.run([textclf, "tokenize", "--ids", "-m", model, "-z"], input=doc + b"\x00",
                           capture_output=True, timeout=60)
        return r.stdout.decode("utf-8", "replace").rstrip("\n") + (
            f"  (exit {r.returncode}: {r.stderr.decode('utf-8', 'replace').strip()})" if r.returncode else "")
    except Exception as e:  # diagnostics only
        return f"(could not run tokenize: {e})"


def main():
    args = sys.argv[1:]
    textclf = model = None
    if "--textclf" in args:
        i = args.index("--textclf")
        textclf = args[i + 1]
        del args[i:i + 2]
    ids_path = None
    if "--ids" in args:
        i = args.index("--ids")
        ids_path = args[i + 1]
        del args[i:i + 2]
    not_identical = None
    if "--not-identical" in args:
        i = args.index("--not-identical")
        not_identical = args[i + 1]
        del args[i:i + 2]
    if "--model" in args:
        i = args.index("--model")
        model = args[i + 1]
        del args[i:i + 2]
    label, exp_path, got_path, texts_path = args
    expected = [json.loads(line) for line in open(exp_path, encoding="utf-8")]
    raw = open(got_path, "rb").read().split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    docs = read_docs(texts_path)
    problems = []
    got = []
    for i, line in enumerate(raw):
        try:
            got.append(json.loads(line.decode("utf-8")))
        except ValueError as e:
            problems.append(f"output line {i + 1} is not JSON ({e}): {line[:200]!r}")
            got.append(None)
    if not_identical is not None:
        problems.append(f"output differs from the inline form's: {not_identical}")
    if len(got) != len(expected):
        problems.append(f"{len(got)} output records for {len(expected)} documents")
    max_diff, bad = 0.0, []  # bad: (doc index, max diff or a message)
    for i, (e, g) in enumerate(zip(expected, got)):
        if g is None:
            continue
        scores = g.get("scores") if isinstance(g, dict) else None
        if not isinstance(scores, dict) or set(scores) != set(e["scores"]):
            bad.append((i, f"scores {scores!r} do not have the labels {list(e['scores'])}"))
            continue
        d = max(abs(float(scores[k]) - v) for k, v in e["scores"].items())
        max_diff = max(max_diff, d)
        if d > TOL:
            bad.append((i, d))
        elif "tokens" in g and g["tokens"] != len(e["ids"]):
            bad.append((i, f"tokens {g['tokens']}, expected {len(e['ids'])}"))
        elif "truncated" in g and g["truncated"] != e["truncated"]:
            bad.append((i, f"truncated {g['truncated']}, expected {e['truncated']}"))
    if ids_path is not None:
        lines = open(ids_path, "rb").read().split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        if len(lines) != len(expected):
            problems.append(f"tokenize --ids printed {len(lines)} lines for {len(expected)} documents")
        seen = {i for i, _ in bad}
        for i, (e, line) in enumerate(zip(expected, lines)):
            want = " ".join(map(str, e["ids"]))
            if line.decode("utf-8", "replace") != want and i not in seen:
                bad.append((i, f"tokenize --ids differs: got {line[:200].decode('utf-8', 'replace')}"))
    ok = not problems and not bad
    print(f"{'PASS' if ok else 'FAIL'} {label} max_diff={max_diff:.2e} docs={len(expected)}"
          + (f" failing_docs={len(bad)}" if bad else ""))
    for p in problems[:SHOW]:
        print(f"    {p}")
    for i, d in bad[:SHOW]:
        e, g = expected[i], got[i]
        doc = docs[i] if i < len(docs) else b""
        print(f"    doc {i}: bytes {doc[:120].hex(' ')}{' ...' if len(doc) > 120 else ''}")
        print(f"      text     {doc[:120].decode('utf-8', 'replace')!r}")
        print(f"      diff     {d if isinstance(d, str) else f'{d:.3e}'}")
        print(f"      expected {json.dumps(e['scores'], ensure_ascii=False)}")
        print(f"      got      {json.dumps(g.get('scores'), ensure_ascii=False)}")
        print(f"      ref ids  {' '.join(map(str, e['ids']))}")
        if textclf and model:
            print(f"      C ids    {c_ids(textclf, model, doc)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
