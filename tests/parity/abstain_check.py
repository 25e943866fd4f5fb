"""Cross-check tc_classify's word counts and abstain verdicts against tools/textclf_ref.py.

Usage:  /usr/bin/python3 tests/parity/abstain_check.py OUTDIR PARITY_ABSTAIN

For the inline form of every model gen.py wrote (OUTDIR/manifest.tsv), on its documents, on
ABSTAIN_DOCS (no letters, scripts the vocabulary lacks, words over max_word_chars, truncated
documents) and on LINK_DOCS (URLs and e-mail addresses, and what is not one), and under each rule
of rules() (the model JSON with an "abstain" key added, read back through the reference's
loader): PARITY_ABSTAIN (tests/parity/abstain.c) prints what tc_classify
says of each document, which must equal the reference's letter_words, unknown_words, tokens,
truncation and verdict (Tokenizer.analyze, abstain_verdict, with PyTorch's float32
probabilities); the top probability must agree within 1e-5. A "low-probability" verdict is
compared only when the reference's top probability is more than 1e-5 from min_probability (float
rounding could decide either way); those skipped are counted and reported. Every reason must
occur somewhere, or the test would not test it.
Rules with withheld labels too (withheld_rules()): PARITY_ABSTAIN's answer (tc_answer) and the
most probable label the model may answer (tc_rank_answers) must be the reference's (answer,
rank_answers), its verdict the reference's with "low probability" on that label's probability;
where the reference has an exact tie (tests/parity/gen.py's tied model), the lower index, else a
label within 1e-5 of the reference's is accepted. Documents whose top label is withheld (answered,
and abstained on for low probability) and exact ties at the answer (between labels it may answer,
and with a withheld one) must occur somewhere.
Prints one line `PASS|FAIL NAME ...` per model and ends with `N passed, N failed`; exits 1 on any
failure.
"""

import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402
from gen import inline_models  # noqa: E402

TOL = 1e-5
SHOW = 5

# Documents for the rule, added to each model's own: no letters, unknown scripts (Cherokee, Ethiopic,
# Runic, Georgian), mixtures, words over max_word_chars (with letters only in the middle, too), and
# documents long enough to be truncated with unknown words after the cut.
ABSTAIN_DOCS = [
    "", " ", "123 456", "2024-01-01 12:30:00", "!!! ??? ...", "😀 👍 🎉", "$100 + 200% = ?", "١٢٣ ४५६",
    "https://127.0.0.1:8080/42", "http://example.com/path?q=1", "+33 1 23 45 67 89", "① ② ½ ²",
    "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ", "ሰላም ዓለም", "ᚠᚢᚦᚨᚱᚲ", "გამარჯობა", "the ᏣᎳᎩ", "ᏣᎳᎩ the cat", "hello ሰላም world ᚠᚢᚦ",
    "中文 ᏣᎳᎩ", "日本語 123", "a1 b2 c3", "x", "ʼ", "ª º", "1" * 150 + "x" + "1" * 150,
    "1" * 300, "a" * 150, "é" * 120 + " the", "1" * 9000 + "x" + "1" * 9000,
    "the " * 200 + "ᏣᎳᎩ " * 50, "ᏣᎳᎩ " * 200 + "the", "123 " * 300 + "the", "the " * 3 + "123 " * 300,
    "ᏣᎳᎩ " * 5 + "the " * 5, "the " * 5 + "ᏣᎳᎩ " * 5,
]

# Links, whose words do not count (docs/model-format.md, "abstain"): URLs and e-mail addresses
# alone, among words and among each other; what is not one (a handle, a@b, "://" without a
# scheme, "www" without its dot, an address without anything after its dot); prefixes in either
# case and through NFKC (fullwidth, which nfc and none leave alone); non-ASCII letters;
# punctuation glued on; separators that are and are not spaces; split-script characters, which
# end a run (Chinese glued to a URL, with split_scripts and without); links cut by truncation (the
# whole run decides, also after the cut), and runs longer than the C tokenizer's 8192-byte chunks
# that show their link late.
LINK_DOCS = [
    "https://www.example34.com/19759", "api483@demo.ru", "see: https://x.org/a?b=1 :-)",
    "https://example.com/path the cat is good", "the cat http://x.org/a is good", "ftp://x file:///tmp",
    "@user", "@user hello", "a@b", "hello a@b", "ann@example.", "@x.y", "(@x.y)", "x@y.z", "x.y@z",
    "://x.org/path", "1://x.org", "://", "a://", "é://x", "WWW.Example.COM", "www.", "www", "wwwx.org",
    "Www.x hello", "mailto:ann@example.org", "MAILTO:ann", "mailto", "mailto ann",
    "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "ｈｔｔｐｓ：／／ｘ", "ａ＠ｂ．ｃ", "https://пример.рф/путь",
    "пример https://пример.рф/путь", "ΑΣ@ΑΣ.ΑΣ", "(https://x.org).", "<ann@example.org>,",
    '"www.example.com"', "[1] https://x.org/a_(b)", "hello\thttps://x.org", "a\u00a0b@c.d",
    "a\u3000www.x", "a\u200bb@c.d", "ann@exam\u200bple.org", "don't@x.org", "123@456.789 😀@😀.😀",
    "the 中文@x.org", "ᏣᎳᎩ@x.org ᏣᎳᎩ", "中文https://x.org中文", "https://x.cn/中文", "ภาษาไทยhttps://x.org",
    "你好，请写信给ann@example.org或者访问www.example.com了解", "日本語のwww.example.jpです", "a-" * 200 + "b@example.com", "a-" * 200 + "b@c",
    "https://" + "a/" * 200, "the " * 200 + "https://x.org", "x/" * 100 + "a://b", "x/" * 100 + "://b",
    "www." + "ab." * 100, "the cat " + "a." * 5000 + "@x.org", "a." * 5000 + "@x.org", "a." * 5000 + "@x",
    "https://" + "ab/" * 4000, "ab/" * 4000 + "a://",
]


def rules(top_probs):
    """Rules of several thresholds; one at the median of the model's top probabilities, so that
    about half of its documents are below it."""
    med = sorted(top_probs)[len(top_probs) // 2]
    return [
        ("defaults", {"label": "und"}),
        ("half", {"label": "und", "min_probability": 0.5, "max_unknown": 0.5}),
        ("median", {"label": "und", "min_probability": med, "max_unknown": 0, "letterless": False}),
        ("strict", {"label": "zz", "min_probability": 0.9, "max_unknown": 0.25, "letterless": True}),
        ("never", {"label": "und", "min_probability": 0, "max_unknown": 1, "letterless": False}),
    ]


def withheld_rules(labels, probs):
    """Rules withholding labels: the first label, all but the last, the last, and none (an empty
    list); each min_probability is the median of the probabilities of the labels the model would
    answer, so that about half of the documents are below it."""
    def rule(withheld, **keys):
        firsts = [p[ref.rank_answers({"withheld": withheld}, labels, p, 1)[0]] for p in probs]
        med = sorted(firsts)[len(firsts) // 2]
        return dict({"label": "und", "min_probability": med, "withheld": withheld}, **keys)
    return [
        ("withheld-first", rule(labels[:1], max_unknown=0.5)),
        ("withheld-all-but-last", rule(labels[:-1], letterless=False)),
        ("withheld-last", rule(labels[-1:], max_unknown=0.25)),
        ("withheld-none", rule([])),
    ]


def first_agrees(got, p, kept):
    """Whether C's choice `got` of the most probable label among the indices `kept` agrees with
    the reference's probabilities p: it is the reference's (the lowest index among equals), or, where
    the reference has no exact tie, a label within TOL of it (float rounding decides a near tie)."""
    want = min(kept, key=lambda j: (-p[j], j))
    return got == want or (got in kept and p[got] != p[want] and p[want] - p[got] <= TOL)


def with_rule(src, dst, rule):
    """The model JSON at src written to dst with "abstain": rule after its labels (gen.py's files
    have one top-level key per line)."""
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith('  "labels": '))
    lines.insert(at + 1, '  "abstain": ' + json.dumps(rule) + ",")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def check_model(outdir, harness, name, model_rel, texts_rel, seen):
    src = os.path.join(outdir, model_rel)
    model, vocab, labels, settings, config = ref.load_model(src)
    tok = ref.Tokenizer(settings, vocab, config["max_len"])
    with open(os.path.join(outdir, texts_rel), "rb") as f:
        docs = f.read().split(b"\x00")[:-1]
    docs += [d.encode("utf-8") for d in ABSTAIN_DOCS + LINK_DOCS]
    texts = os.path.join(outdir, name, "abstain-texts.bin")
    with open(texts, "wb") as f:
        f.write(b"".join(d + b"\x00" for d in docs))
    analyzed = [tok.analyze(d) for d in docs]
    truncated = [len(tok.tokenize(d, truncate=False)[0]) > tok.max_len for d in docs]
    ids = [[tok.token_to_id[t] for t in a[0]] for a in analyzed]
    ngrams = [None] * len(docs)
    if "ngram_buckets" in config:   # the model's character n-grams
        ng = (config["ngram_buckets"], config["ngram_min"], config["ngram_max"])
        ngrams = [ref.batch_ngrams([tok.ngram_lists(d, *ng)]) for d in docs]
    with torch.no_grad():
        probs = [model.probs(*ref.batch_ids([x]), g)[0].tolist() for x, g in zip(ids, ngrams)]
    tops = [max(range(len(p)), key=lambda i: (p[i], -i)) for p in probs]
    problems, compared, skipped = [], 0, 0
    all_rules = rules([p[t] for p, t in zip(probs, tops)]) + withheld_rules(labels, probs)
    for rname, rule in all_rules:
        path = os.path.join(os.path.dirname(src), f"abstain-{rname}.json")   # beside its files
        with_rule(src, path, rule)
        full = ref.load_model(path)[0].abstain   # the reference's loader reads it back
        r = subprocess.run([harness, path, texts], capture_output=True, timeout=600)
        if r.returncode != 0:
            problems.append(f"{rname}: parity_abstain exited with status {r.returncode}: {r.stderr[:300]!r}")
            continue
        got = r.stdout.decode().splitlines()
        if len(got) != len(docs):
            problems.append(f"{rname}: {len(got)} lines for {len(docs)} documents")
            continue
        for i, line in enumerate(got):
            f = line.split(" ")
            letters, unknown, tokens, trunc = int(f[0]), int(f[1]), int(f[2]), int(f[3])
            reason = "" if f[4] == "-" else f[4]
            top, ptop = int(f[5]), float(f[6])
            answer, first = int(f[7]), int(f[8])
            toks, _, e_letters, e_unknown = analyzed[i]
            want = ref.abstain_verdict(full, e_letters, e_unknown, probs[i], labels)
            seen[want] = seen.get(want, 0) + 1
            kept = ref.rank_answers(full, labels, probs[i])   # the labels it may answer, ranked
            e_first = kept[0]
            cases = []
            if labels[tops[i]] in full["withheld"]:
                cases.append("withheld top, " + (want or "answered"))
                if probs[i][tops[i]] == probs[i][e_first]:
                    cases.append("exact tie of the answer with a withheld label")
            if len(kept) > 1 and probs[i][kept[0]] == probs[i][kept[1]]:
                cases.append("exact tie at the answer")
            for c in cases:
                seen[c] = seen.get(c, 0) + 1
            bad = []
            if (letters, unknown, tokens, trunc) != (e_letters, e_unknown, len(toks), int(truncated[i])):
                bad.append(f"letter/unknown words, tokens, truncated {letters} {unknown} {tokens} {trunc}, "
                           f"expected {e_letters} {e_unknown} {len(toks)} {int(truncated[i])}")
            if abs(ptop - probs[i][tops[i]]) > TOL:
                bad.append(f"top probability {ptop!r}, expected {probs[i][tops[i]]!r}")
            # the top label, where no other is within TOL of it (float rounding decides a near tie)
            runner_up = max((q for j, q in enumerate(probs[i]) if j != tops[i]), default=-1.0)
            if top != tops[i] and probs[i][tops[i]] - runner_up > TOL:
                bad.append(f"top label {top}, expected {tops[i]}")
            if not first_agrees(first, probs[i], kept):
                bad.append(f"first label it may answer {first}, expected {e_first}")
            near = abs(probs[i][e_first] - full["min_probability"]) <= TOL
            if near and "low-probability" in (want, reason) and {want, reason} <= {"", "low-probability"}:
                skipped += 1
            elif reason != want:
                bad.append(f"verdict {reason or '-'!r}, expected {want or '-'!r}")
            else:
                compared += 1
                e_answer = -1 if want else e_first
                if answer != (-1 if reason else first) or (answer != e_answer and
                                                            not first_agrees(answer, probs[i], kept)):
                    bad.append(f"answer {answer}, expected {e_answer}")
            if bad:
                problems.append(f"{rname}: document {i} {docs[i][:60]!r}: " + "; ".join(bad))
    return problems, compared, skipped, len(docs), len(all_rules)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: abstain_check.py OUTDIR PARITY_ABSTAIN")
    outdir, harness = sys.argv[1], sys.argv[2]
    passed = failed = 0
    seen = {}
    for name, model_rel, texts_rel, _exp in inline_models(outdir):
        # a multi-label model cannot have an abstain rule (the loaders refuse it: golden case
        # bad-sigmoid-abstain)
        if ref.load_model(os.path.join(outdir, model_rel))[4].get("output") == "sigmoid":
            continue
        problems, compared, skipped, n, nrules = check_model(outdir, harness, name, model_rel, texts_rel,
                                                             seen)
        if problems:
            failed += 1
            print(f"FAIL {name}: {len(problems)} problems in {n} documents x {nrules} rules")
            for p in problems[:SHOW]:
                print(f"  {p}")
        else:
            passed += 1
            print(f"PASS {name}: {n} documents x {nrules} rules, {compared} verdicts compared, "
                  f"{skipped} skipped (the answer's probability within {TOL:g} of min_probability)")
    reasons = ["", "no-letters", "unknown-words", "low-probability"]
    cases = ["withheld top, answered", "withheld top, low-probability", "exact tie at the answer",
             "exact tie of the answer with a withheld label"]
    for title, noun, names in (("verdicts", "verdict", reasons), ("withheld", "withheld case", cases)):
        print(f"{title} (reference): " + ", ".join(f"{c or 'none'} {seen.get(c, 0)}" for c in names))
        if any(not seen.get(c) for c in names):
            failed += 1
            print(f"FAIL some {noun} never occurred: the documents or rules test too little")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
