#!/usr/bin/env python3
"""Compare textclf's tokenizer, with BERT settings, against bert_reference.py.

Usage: run_bert.py TEXTCLF [--keep] [--only SUBSTRING] [--skip SUBSTRING] [--show N]

For each group of documents it writes the documents NUL-terminated to a file, runs
  TEXTCLF tokenize -m MODEL --ids -z FILE      (or without --ids for token strings)
and expects one output line per document: the ids (or tokens) separated by single spaces, an empty
line for a document without tokens. The expected lines come from bert_reference.py (truncated to the
models' max_len of 512), and for BERT's published examples also from hard-coded expectations.
Prints PASS/FAIL per group, the first mismatches of a failing group, and finally exactly one line
"N passed, N failed" (groups). Exit status 1 if any group failed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # keep the work tree clean

import bert_reference as ref  # noqa: E402
import corpus  # noqa: E402
import make_models  # noqa: E402

MAX_LEN = make_models.MAX_LEN


class Group:
    def __init__(self, name, model, docs, mode="ids", fixed=None, note=None):
        self.name = name
        self.model = model            # key into the model table
        self.docs = [d if isinstance(d, bytes) else d.encode("utf-8") for d in docs]
        self.shown = list(docs)       # what to print for a mismatch (str or bytes)
        self.mode = mode              # "ids" or "tokens"
        self.fixed = fixed            # optional hard-coded expected lines (BERT's published answers)
        self.note = note
        for d in self.docs:
            if b"\x00" in d:
                raise ValueError("%s: a document contains NUL" % name)


def clip(s, n=160):
    return s if len(s) <= n else s[:n] + "...(%d chars)" % len(s)


def ids_line(ids):
    return " ".join(str(i) for i in ids)


def build_groups(vocab):
    hello = ["hello world", "i like strawberries", "Hello, World!", "HELLO WORLD",
             "I LIKE STRAWBERRIES"]
    hello_ids = ["7592 2088", "1045 2066 13137 20968", "7592 1010 2088 999", "7592 2088",
                 "1045 2066 13137 20968"]
    hello_tokens = ["hello world", "i like straw ##berries", "hello , world !", "hello world",
                    "i like straw ##berries"]
    basic_in = [" \tHeLLo!how  \n Are yoU?  ", "H\u00e9llo", "ah\u535a\u63a8zz"]
    groups = [
        Group("known-ids bert-base-uncased", "bert-uncased", hello, fixed=hello_ids),
        Group("known-tokens bert-base-uncased", "bert-uncased", hello, mode="tokens", fixed=hello_tokens),
        Group("bert-test basic lower (tokens)", "basic-uncased", basic_in, mode="tokens",
              fixed=["hello ! how are you ?", "hello", "ah \u535a \u63a8 zz"]),
        Group("bert-test basic no-lower (tokens)", "basic-cased", basic_in[:1], mode="tokens",
              fixed=["HeLLo ! how Are yoU ?"]),
        Group("bert-test wordpiece (ids)", "wordpiece10", ["", "unwanted running", "unwantedX running"],
              fixed=["", "7 4 5 8 9", "0 8 9"]),
        Group("bert-test wordpiece (tokens)", "wordpiece10", ["", "unwanted running", "unwantedX running"],
              mode="tokens", fixed=["", "un ##want ##ed runn ##ing", "[UNK] runn ##ing"]),
        Group("bert-test full tokenizer (ids)", "full11", ["UNwant\u00e9d,running"], fixed=["7 4 5 10 8 9"]),
    ]
    hand = corpus.CORPUS + corpus.long_word_docs() + corpus.punctuation_run_docs()
    groups += [
        Group("corpus uncased (ids)", "bert-uncased", hand),
        Group("corpus cased (ids)", "bert-cased", hand),
        Group("corpus uncased (tokens)", "bert-uncased", hand, mode="tokens"),
        Group("ascii uncased", "bert-uncased", corpus.ascii_docs()),
        Group("ascii cased", "bert-cased", corpus.ascii_docs()),
        Group("invalid utf-8 uncased", "bert-uncased", corpus.invalid_utf8_docs()),
        Group("truncation to max_len uncased", "bert-uncased", corpus.truncation_docs()),
        Group("final sigma fuzz uncased", "bert-uncased", corpus.sigma_docs()),
        Group("random mix uncased", "bert-uncased", corpus.random_docs(vocab)),
        Group("random mix cased", "bert-cased", corpus.random_docs(vocab, seed=7654321)),
        Group("vocab entries uncased", "bert-uncased", corpus.vocab_docs(vocab)),
        Group("every code point uncased", "bert-uncased", corpus.codepoint_docs()),
        Group("every code point cased", "bert-cased", corpus.codepoint_docs()),
        Group("U+2028/U+2029 uncased", "bert-uncased", corpus.zl_zp_docs(),
              note="BERT's whitespace_tokenize is str.split(), which splits on U+2028/U+2029 (Zl/Zp)"),
        Group("U+2028/U+2029 cased", "bert-cased", corpus.zl_zp_docs(),
              note="BERT's whitespace_tokenize is str.split(), which splits on U+2028/U+2029 (Zl/Zp)"),
    ]
    return groups


def reference_tokenizers(vocab):
    return {
        "bert-uncased": ref.FullTokenizer(vocab, do_lower_case=True),
        "bert-cased": ref.FullTokenizer(vocab, do_lower_case=False),
        "wordpiece10": ref.FullTokenizer(make_models.WORDPIECE10, do_lower_case=False),
        "full11": ref.FullTokenizer(make_models.FULL11, do_lower_case=True),
        "basic-uncased": ref.FullTokenizer(make_models.BASIC_UNCASED, do_lower_case=True),
        "basic-cased": ref.FullTokenizer(make_models.BASIC_CASED, do_lower_case=False),
    }


def expected_lines(tok, group):
    out = []
    for d in group.docs:
        tokens = tok.tokenize(ref.decode_bytes(d))[:MAX_LEN]
        if group.mode == "ids":
            out.append(ids_line(tok.ids[t] for t in tokens))
        else:
            out.append(" ".join(tokens))
    return out


def run_textclf(textclf, model, group, tmp, index):
    path = os.path.join(tmp, "docs-%02d.bin" % index)
    with open(path, "wb") as f:
        for d in group.docs:
            f.write(d + b"\x00")
    cmd = [textclf, "tokenize", "-m", model]
    if group.mode == "ids":
        cmd.append("--ids")
    cmd += ["-z", path]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=600)
    except subprocess.TimeoutExpired:
        return None, "timed out after 600 s: %s" % " ".join(cmd)
    except OSError as e:
        return None, "cannot run %s: %s" % (textclf, e)
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, "exit status %d: %s\n      stderr: %s" % (
            p.returncode, " ".join(cmd), clip(" | ".join(err[-3:]), 400))
    try:
        text = p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, "output is not valid UTF-8: %s" % e
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        return lines, "output does not end with a newline"
    return lines, None


def compare(group, expected, got, show):
    """Return a list of report lines (empty when all match)."""
    report = []
    if len(got) != len(expected):
        report.append("expected %d lines (one per document), got %d" % (len(expected), len(got)))
    bad = [i for i in range(min(len(got), len(expected))) if got[i] != expected[i]]
    if bad:
        report.append("%d of %d documents differ; first %d:" % (len(bad), len(expected), min(show, len(bad))))
        for i in bad[:show]:
            report.append("  #%d input:    %s" % (i, clip(repr(group.shown[i]), 200)))
            report.append("      expected: %s" % clip(repr(expected[i]), 300))
            report.append("      got:      %s" % clip(repr(got[i]), 300))
    return report


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("textclf")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--only", help="run only groups whose name contains this")
    ap.add_argument("--skip", action="append", default=[],
                    help="skip groups whose name contains this (repeatable)")
    ap.add_argument("--show", type=int, default=5, help="mismatches shown per group")
    args = ap.parse_args(argv)
    try:
        sys.stdout.reconfigure(errors="backslashreplace")
    except AttributeError:
        pass

    if unicodedata.unidata_version != "14.0.0":
        print("note: this Python's Unicode database is %s; the corpus was checked against 14.0.0"
              % unicodedata.unidata_version)
    textclf = args.textclf
    if os.sep in textclf:
        textclf = os.path.abspath(textclf)

    passed = failed = 0

    failures = ref.self_test()
    if failures:
        failed += 1
        print("FAIL bert_reference self-test")
        for f in failures:
            print("  " + f)
    else:
        passed += 1
        print("PASS bert_reference self-test (BERT's published tokenization tests)")

    tmp = tempfile.mkdtemp(prefix="textclf-bert-")
    try:
        models = make_models.write_models(tmp)
        vocab = ref.load_vocab(os.path.join(tmp, "models", "vocab", "bert-base-uncased-vocab.txt"))
        toks = reference_tokenizers(vocab)
        for index, group in enumerate(build_groups(vocab)):
            if args.only and args.only not in group.name:
                continue
            if any(s in group.name for s in args.skip):
                print("SKIP " + group.name)
                continue
            t0 = time.time()
            expected = expected_lines(toks[group.model], group)
            report = []
            if group.fixed is not None and expected != group.fixed:
                report.append("REFERENCE disagrees with BERT's published answer:")
                for i, (e, f) in enumerate(zip(expected, group.fixed)):
                    if e != f:
                        report.append("  #%d input %r: reference %r, published %r"
                                      % (i, group.shown[i], e, f))
                expected = group.fixed
            got, err = run_textclf(textclf, models[group.model], group, tmp, index)
            if err:
                report.append(err)
            if got is not None:
                report += compare(group, expected, got, args.show)
            dt = time.time() - t0
            label = "%s [%s, %d docs, %.1fs]" % (group.name, group.model, len(group.docs), dt)
            if report:
                failed += 1
                print("FAIL " + label)
                if group.note:
                    print("  note: " + group.note)
                for line in report:
                    print("  " + line)
            else:
                passed += 1
                print("PASS " + label)
            sys.stdout.flush()
    finally:
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
