"""Exhaustive tokenizer comparison data: every code point assigned in Unicode 14, through
textclf_ref.Tokenizer, for several tokenizer settings.

Usage:
    codepoints.py gen OUTDIR
        For each setting in SETTINGS writes OUTDIR/<setting>/: model.json (+ model.safetensors,
        vocab.txt), docs.bin (NUL-terminated documents), expected.txt (one line per document: the
        reference tokens separated by single spaces) and meta.tsv (per document: code point or
        "-", form, description). Prints the settings written, one per line.
    codepoints.py compare OUTDIR SETTING GOT.txt
        Compares `textclf tokenize -m model.json -z docs.bin` output with expected.txt. Prints the
        mismatches grouped by form and general category (up to 20 examples each), then
        `SETTING: N passed, N failed`. Exit status 1 if anything differs.

Documents: for each code point c assigned in Unicode 14 (Python 3.11's unicodedata; surrogates, NUL
and category Cn skipped) the texts "a<c>b" and "<c>", plus a list of multi-character contexts
(final sigma, Turkish I, Hangul jamo, combining sequences, word-length limits, runs of more than
30 marks, documents longer than a chunk without spaces, links, ...). With
word_apostrophes also "a'<c>" and "<c>’b" for every c, and APOSTROPHE_CONTEXTS.

Vocabulary: every character that appears in a reference word, alone and with the continuation
prefix. WordPiece then cuts each word into single characters, so the token lines show the normalised
text and the word boundaries themselves, instead of [UNK] everywhere.
"""

import os
import sys
import unicodedata


HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402

SETTINGS = {
    "default": {},
    "bert_uncased": dict(ref.BERT_UNCASED_TOKENIZER),
    "nfc_fold_strip": {"normalize": "nfc", "case": "fold", "strip_accents": True},
    # Beyond the two required settings: str.lower with NFKC, and BERT pretokenisation with the
    # default NFKC + case folding (cleaning and normalisation interact there).
    "nfkc_lower": {"case": "lower"},
    "bert_nfkc_fold": {"pretokenize": "bert"},
    # word_apostrophes: its documents add every code point as an apostrophe's neighbour
    "apostrophes": {"word_apostrophes": True},
}
MAX_LEN = 256

CONTEXTS = [
    # final sigma (str.lower) and case folding of sigma
    "ΑΣ", "ΑΣ Β", "ΑΣΑ", "Σ", "ΣΑ", "ΑΣ.", "Α.Σ", "ΑΣ'", "ΑΣ'Α", "Α'Σ", "ΑΣ\u0301", "ΑΣ\u0301Α",
    "Α\u00adΣ", "Α\u00adΣ\u00adΑ", "ΑΣ\u200d", "ΑΣ1", "1Σ", "ΑΣΣ", "ΟΔΥΣΣΕΥΣ", "ὈΔΥΣΣΕΎΣ", "ΣΑΣ ΣΑΣ.",
    "aΣ", "AΣb", "ΑΣ\u3000", "ΑΣ\U0001d173Β", "ΑΣ\u034fΒ", "\u0345Σ", "αΣ\u0345", "ΑΣ\U000e0001",
    # Turkish and dotted I
    "İ", "İi", "Iı", "i\u0307", "I\u0307", "İ\u0301", "İSTANBUL", "ıI", "Iİ",
    # Hangul: syllables and conjoining jamo (NFC/NFKC compose them)
    "각", "\u1100\u1161\u11a8", "\u1100\u1161", "\u1100\u1161\u11a8\u11a8", "\u1100\u1160\u11a8",
    "\u3131\u314f", "\uffa1\uffc2", "\u115f\u1161", "한국어",
    # combining sequences: canonical reordering, composition, stripping
    "a\u0323\u0302", "a\u0302\u0323", "e\u0301\u0301", "a" + "\u0301" * 40, "\u0301a", "o\u031b\u0323",
    "\u1e9b\u0323", "\u0344", "\u0f73", "\u0f77", "\u0958", "\U0001d15e", "\u2adc", "A\u030a",
    # compatibility expansions and foldings
    "\ufdfa", "\ufdfb", "\u3300", "\u337f", "\u32ff", "\ufb03", "\u2474", "\u3260", "\u1e9e",
    "\u0390", "\u01f0", "\ufb13", "\u1f80", "\u1fb3", "\u1fbc", "\uab70", "\u13f8", "\u0149",
    "\u2126\u212a\u212b", "\u00b5\u03bc\u039c", "\u017f\u0073", "\u1e9b",
    # final sigma next to default-ignorables that are not case-ignorable (removed first: step 2)
    "ΑΣ\u3164Β", "ΑΣ\u3164", "Α\u3164Σ", "ΑΣ\u115fΒ", "ΑΣ\uffa0Β",
    # mixed classes inside one document
    "a.b,c", "日本語abc", "abc日本語", "a\u3000b\u00a0c\u2028d\u2029e\x85f", "a\tb\nc\rd",
    "a\x0bb\x0cc\x1cd\x1de\x1ef\x1fg", "$5+3=8", "a😀b", "👨\u200d👩\u200d👧", "🇫🇷", "x\ufe0fy",
    "\ufffd", "a\ufffdb", "\ue000\ue001", "a\U000f0000b", "\u0600a", "a\u0600", "\u06dd1",
    "ภาษาไทย", "ພາສາລາວ", "ខ្មែរ", "မြန်မာ", "ｶﾞｷﾞ", "ｶﾞ", "ﾞ", "ー", "\u30fc\u30fc", "ㇰ",
    # word length limits (max_word_chars = 100)
    "a" * 100, "a" * 101, "ａ" * 100, "ａ" * 101, "\ufb03" * 33, "\ufb03" * 34, "ß" * 50, "ß" * 51,
    "a" * 99 + "\u0301", "a\u00ad" * 100 + "a",
    # a long word whose only letter is in its middle (a letter word: tc_doc_info.letter_words)
    "1" * 150 + "x" + "1" * 150, "1" * 150 + "\u00aa" + "\u0301" * 3 + "1" * 150,
]

# Runs of more than 30 non-starters: steps 3-4 normalise each stream-safe segment alone (marks of
# different classes on both sides of a cut, decompositions that are all non-starters, cleaning and
# case mapping inside a run, sigma before a run, a run after a composed character).
STREAM_SAFE_CONTEXTS = [
    "a" + "\u0316" * 31 + "\u0300", "a" + "\u0300" * 40 + "\u0316" * 40, ("e" + "\u0301" * 35) * 3,
    "a" + "\u0f73" * 20 + "\u0316", "a" + "\u0344" * 20 + "\u0316", "a" + ("\u0316" * 20 + "\u00ad") * 5 + "\u0300",
    "a" + ("\u0316" * 20 + "\u200b") * 5 + "\u0300", "\u1100\u1161" + "\u0316" * 40 + "\u11a8",
    "ΑΣ" + "\u0301" * 40 + "Β", "ΑΣ" + "\u0301" * 40, "İ" + "\u0307" * 35 + "\u0316",
    "a\u0300" + "\u0316" * 30 + "\u0300", "x" + "\u0315" * 29 + "\u0f73" + "\u0300", "\u0300" * 100,
    "a" * 50 + "\u0301" * 60 + "b" * 40, "a'" + "\u0301" * 40 + "b", "a" + "\u0316\u0300" * 40,
]

# A character between two that compose, which some step removes (accent stripping drops a mark of
# class 0, BERT's cleaning a control or private-use character): textclf must not cut a document
# before it (the chunked comparisons of tests/tokenizer/run.sh cut wherever textclf allows).
CUT_CONTEXTS = [
    "\u0bc6\u0e31\u0bbe", "\u1100\u0e31\u1161", "e\ue000\u0301", "e\x01\u0301", "e\u0600\u0301",
    "\u1100\ue000\u1161", "A\u200b\u030a", "\u0bc6\U000e0001\u0bbe",
]

# Longer than the tokenizer's 8192-byte chunks and without ASCII whitespace, so that textclf cuts
# them elsewhere (a word then goes on in the next chunk): letters, marks, sigma, apostrophes and
# normalisation around the cut. Each gives few tokens (no truncation).
LONG_CONTEXTS = [
    "ab" * 10000, "a" + "\u0300" * 20000, "ΑΣ" + "\u0301" * 9000 + "Β", "x" * 8191 + "Σ\u0301\u0301\u0301a",
    "a" * 8192 + "'" + "b", "a" * 8191 + "'b", "a" * 8191 + "\u0301" * 5000 + "Σ", "é" * 9000,
    "\u1161" * 9000, "\u0627\u0653" * 5000, "a\u00ad" * 9000, "Σ" + "\u3164" * 9000 + "b",
    "中" * 200 + "\u0301" * 9000, "x" * 8180 + "ÅΣ" + "'" * 20 + "b", "ΑΣ" * 5000 + "'" + "\u0301" * 40,
    "1" * 9000 + "x" + "1" * 9000, "1" * 9000 + "\u0301" * 200,
]

# Links (docs/model-format.md, "abstain": their words are not counted), whose tokens are any
# text's, but whose counts chunks must not change (tests/tokenizer/chunks.c): a link shown by its
# last code points after a word the chunked tokenizer carries and shortens, prefixes and "://"
# around chunk boundaries, runs longer than a chunk, split-script characters (which end a run).
LINK_CONTEXTS = [
    "https://x.org", "www.x", "WWW.X", "ｗｗｗ．x", "wwww.x", "ww.w", "mailto:a", "MailTo:", "a@b.c",
    "@a.b", "a@b", "a@b.", "(https://x.org).", "a://", "1://", "://x", "x https://a.b y",
    "a" * 150 + "://x", "a" * 150 + "@x.y", "1" * 150 + "a://x", "@" + "a" * 150 + ".b",
    "a" * 9000 + "@x.y", "www." + "a" * 9000, "mailto" + "a" * 9000 + ":", "x" * 9000 + "://",
    "ab" * 5000 + "@x", "1" * 9000 + "x@y.z", "中文https://x.org中文", "中" * 100 + "a@b.c" + "文" * 100,
]

# Apostrophes (U+0027, U+2019, U+02BC and what normalises to them) between characters of every
# class, doubled, at the ends, next to characters normalisation removes or changes, in long words.
APOSTROPHE_CONTEXTS = [
    "пам'ять", "don’t", "aʼb", "a''b", "'a'", "a' b", "a 'b", "a'", "'a", "'", "''", "a'1", "1'a",
    "a'.", ".'a", "a'中", "中'a", "a'ｶ", "ｶ'a", "a'ภ", "a＇b", "a\u00ad'b", "a'\u00adb", "a\u200d'b",
    "A'\u0301b", "a\u0301'b", "ǅ'Σ", "ΑΣ'Α", "ﬃ'ﬃ", "a'b'c", "a'b''c", "a’'b", "a'’b", "a‘b", "a`b",
    "a\u00b4b", "a\u02b9b", "a" * 50 + "'" + "a" * 49, "a" * 50 + "'" + "a" * 50, "rock 'n' roll",
]


def assigned_code_points():
    """Code points assigned in Unicode 14 (per Python), without surrogates and NUL."""
    for cp in range(1, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if unicodedata.category(chr(cp)) == "Cn":
            continue
        yield cp


def documents(settings):
    """[(text, code point or None, form)] in document order, for tokenizer settings `settings`."""
    apostrophes = settings.get("word_apostrophes", False)
    docs = []
    for cp in assigned_code_points():
        c = chr(cp)
        docs.append(("a" + c + "b", cp, "a<c>b"))
        docs.append((c, cp, "<c>"))
        if apostrophes:   # is c a word character on either side of an apostrophe?
            docs.append(("a'" + c, cp, "a'<c>"))
            docs.append((c + "\u2019b", cp, "<c>\u2019b"))
    contexts = CONTEXTS + STREAM_SAFE_CONTEXTS + CUT_CONTEXTS + LONG_CONTEXTS + LINK_CONTEXTS
    for text in contexts + (APOSTROPHE_CONTEXTS if apostrophes else []):
        docs.append((text, None, "context"))
    return docs


def gen(outdir):
    import torch  # only needed to build the model file
    for name, settings in SETTINGS.items():
        docs = documents(settings)
        sdir = os.path.join(outdir, name)
        os.makedirs(sdir, exist_ok=True)
        s = ref.complete_tokenizer_settings(settings)
        probe = ref.Tokenizer(settings, [s["unk_token"]], MAX_LEN)
        prefix = s["continuation_prefix"]
        # Pass 1: the reference words, to build a vocabulary of single characters.
        words_per_doc = []
        first, cont = set(), set()
        for text, _, _ in docs:
            words = probe.words(probe.normalize(text))
            words_per_doc.append(words)
            for w in words:
                if len(w) > s["max_word_chars"]:
                    continue
                first.add(w[0])
                cont.update(w[1:])
        vocab = [s["unk_token"]] + sorted(first) + sorted(prefix + c for c in cont)
        # No vocabulary token may contain a control character (none can: Cc is a space or removed).
        assert not any(unicodedata.category(ch) == "Cc" for t in vocab for ch in t)
        tok = ref.Tokenizer(settings, vocab, MAX_LEN)
        # Pass 2: expected token lines.
        longest = 0
        with open(os.path.join(sdir, "expected.txt"), "w", encoding="utf-8", newline="\n") as f:
            for text, _, _ in docs:
                toks = tok.tokens(text)
                longest = max(longest, len(tok.tokenize(text, truncate=False)[0]))
                f.write(" ".join(toks) + "\n")
        assert longest <= MAX_LEN, longest  # no truncation: it would hide differences
        with open(os.path.join(sdir, "docs.bin"), "wb") as f:
            for text, _, _ in docs:
                f.write(text.encode("utf-8") + b"\x00")
        with open(os.path.join(sdir, "meta.tsv"), "w", encoding="utf-8", newline="\n") as f:
            for text, cp, form in docs:
                desc = unicodedata.name(chr(cp), "") if cp is not None else ascii(text)[:80]
                f.write(f"{'-' if cp is None else f'{cp:04X}'}\t{form}\t{desc}\n")
        # A tiny model: the tokenizer test needs a loadable file, not a useful network.
        torch.manual_seed(0)
        model = ref.TextClassifier(len(vocab), 2, dim=1, heads=1, max_len=MAX_LEN, hidden=1)
        ref.save_model(os.path.join(sdir, "model.json"), model, vocab, ["x", "y"], settings,
                       weights="safetensors", vocab_file="vocab.txt",
                       metadata={"generator": "tests/tokenizer/codepoints.py", "setting": name})
        print(name)
        sys.stdout.flush()
        sys.stderr.write(f"codepoints: {name}: {len(docs)} documents, vocabulary {len(vocab)}\n")


def compare(outdir, name, got_path):
    sdir = os.path.join(outdir, name)
    expected = open(os.path.join(sdir, "expected.txt"), "rb").read().split(b"\n")[:-1]
    meta = [ln.split("\t") for ln in open(os.path.join(sdir, "meta.tsv"), encoding="utf-8").read().split("\n")[:-1]]
    # Split on LF only: tokens may legitimately contain U+2028, U+0085 is not a line end here.
    got = open(got_path, "rb").read().split(b"\n")
    if got and got[-1] == b"":
        got.pop()
    problems = []
    if len(got) != len(expected):
        problems.append(f"{len(got)} output lines for {len(expected)} documents")
    groups = {}
    npass = nfail = 0
    for i, e in enumerate(expected):
        g = got[i] if i < len(got) else None
        if g == e:
            npass += 1
            continue
        nfail += 1
        cp, form, desc = meta[i]
        cat = unicodedata.category(chr(int(cp, 16))) if cp != "-" else "-"
        groups.setdefault((form, cat), []).append((cp, desc, e, g))
    for p in problems:
        print(f"  {name}: {p}")
    for (form, cat), items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"  {name}: form {form}, category {cat}: {len(items)} mismatches")
        for cp, desc, e, g in items[:20]:
            shown_g = "(missing)" if g is None else repr(g.decode("utf-8", "replace"))
            print(f"    U+{cp} {desc}: expected {e.decode('utf-8')!r} got {shown_g}")
    if problems:
        nfail = max(nfail, 1)
    print(f"{name}: {npass} passed, {nfail} failed")
    return 0 if nfail == 0 else 1


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "gen":
        gen(sys.argv[2])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "compare":
        return compare(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.stderr.write("usage: codepoints.py gen OUTDIR | codepoints.py compare OUTDIR SETTING GOT.txt\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
