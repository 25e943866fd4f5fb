#!/usr/bin/env python3
"""An independent Python model of BERT's original tokenizer (google-research/bert, tokenization.py).

Written from the published description of the algorithm, not copied: BasicTokenizer (text cleaning,
CJK spacing, whitespace split, optional lower-casing + accent stripping, punctuation split) followed
by WordpieceTokenizer (greedy longest-match-first, "##" continuation prefix, a word that cannot be
covered becomes [UNK] as a whole). No [CLS]/[SEP] are added.

The behaviour it models, step by step:

  1. clean: drop U+0000, U+FFFD and every character of general category C* except TAB, LF, CR;
     map "whitespace" (space, TAB, LF, CR, category Zs) to a plain space.
  2. put a space before and after every CJK ideograph (BERT's _is_chinese_char ranges).
  3. split on whitespace the way BERT does it: Python's str.split() with no argument. Note that this
     also splits on U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (Zl, Zp), which step 1 does
     not turn into spaces; every other str.isspace() character is removed or mapped in step 1.
  4. per whitespace token, when lower-casing: str.lower() on that token, then NFD and drop Mn.
  5. split each token into runs of non-punctuation and single punctuation characters; punctuation is
     category P* or ASCII 33-47, 58-64, 91-96, 123-126.
  6. WordPiece per word: more than max_input_chars_per_word (100) code points -> [UNK]; otherwise
     repeatedly take the longest vocabulary entry that starts at the current position ("##"-prefixed
     when not at the word start); if none, the whole word is [UNK].

Usage:
  bert_reference.py --self-test
  bert_reference.py --vocab vocab.txt [--cased] [--tokens] [-z] [FILE]
      tokenises FILE (default stdin): one document per line, or NUL-terminated documents with -z;
      prints one line per document: ids (or tokens with --tokens) separated by single spaces.
      Input bytes are decoded as UTF-8 with invalid bytes dropped, as BERT's convert_to_unicode does.
"""

import sys
import unicodedata

# BERT's "Chinese character" ranges (CJK Unified Ideographs and extensions, compatibility ideographs).
CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)

ASCII_PUNCT_RANGES = ((33, 47), (58, 64), (91, 96), (123, 126))


def is_whitespace(ch):
    """BERT's notion of whitespace used when cleaning: space, TAB, LF, CR, or category Zs."""
    if ch in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(ch) == "Zs"


def is_control(ch):
    """Category C* (Cc, Cf, Cs, Co, Cn), except TAB, LF and CR, which count as whitespace."""
    if ch in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(ch)[0] == "C"


def is_punctuation(ch):
    """Category P*, plus every ASCII character that is neither a letter, a digit nor space/control."""
    cp = ord(ch)
    for lo, hi in ASCII_PUNCT_RANGES:
        if lo <= cp <= hi:
            return True
    return unicodedata.category(ch)[0] == "P"


def is_cjk(ch):
    cp = ord(ch)
    for lo, hi in CJK_RANGES:
        if lo <= cp <= hi:
            return True
    return False


def split_whitespace(text):
    """BERT's whitespace_tokenize: Python's argument-less str.split()."""
    return text.split()


class BasicTokenizer:
    def __init__(self, do_lower_case=True):
        self.do_lower_case = do_lower_case

    @staticmethod
    def clean(text):
        kept = []
        for ch in text:
            if ch == "\x00" or ch == "\ufffd" or is_control(ch):
                continue
            kept.append(" " if is_whitespace(ch) else ch)
        return "".join(kept)

    @staticmethod
    def space_cjk(text):
        return "".join(" %s " % ch if is_cjk(ch) else ch for ch in text)

    @staticmethod
    def strip_accents(text):
        return "".join(ch for ch in unicodedata.normalize("NFD", text)
                       if unicodedata.category(ch) != "Mn")

    @staticmethod
    def split_punctuation(word):
        pieces = []
        run = []
        for ch in word:
            if is_punctuation(ch):
                if run:
                    pieces.append("".join(run))
                    run = []
                pieces.append(ch)
            else:
                run.append(ch)
        if run:
            pieces.append("".join(run))
        return pieces

    def tokenize(self, text):
        text = self.space_cjk(self.clean(text))
        words = []
        for token in split_whitespace(text):
            if self.do_lower_case:
                token = self.strip_accents(token.lower())
            words.extend(self.split_punctuation(token))
        # BERT joins the pieces with spaces and splits once more; this drops empty pieces
        # (a token made only of combining marks vanishes after accent stripping).
        return split_whitespace(" ".join(words))


class WordpieceTokenizer:
    def __init__(self, vocab, unk_token="[UNK]", max_input_chars_per_word=100, prefix="##"):
        self.vocab = vocab            # any container supporting `in`
        self.unk_token = unk_token
        self.max_chars = max_input_chars_per_word
        self.prefix = prefix

    def tokenize_word(self, word):
        if len(word) > self.max_chars:
            return [self.unk_token]
        pieces = []
        start = 0
        n = len(word)
        while start < n:
            found = None
            for end in range(n, start, -1):
                candidate = word[start:end]
                if start > 0:
                    candidate = self.prefix + candidate
                if candidate in self.vocab:
                    found = (candidate, end)
                    break
            if found is None:
                return [self.unk_token]
            pieces.append(found[0])
            start = found[1]
        return pieces

    def tokenize(self, text):
        out = []
        for word in split_whitespace(text):
            out.extend(self.tokenize_word(word))
        return out


class FullTokenizer:
    """BasicTokenizer + WordpieceTokenizer over a vocabulary list (id = position)."""

    def __init__(self, vocab_list, do_lower_case=True, unk_token="[UNK]", max_input_chars_per_word=100):
        self.vocab_list = list(vocab_list)
        self.ids = {}
        for i, tok in enumerate(self.vocab_list):
            self.ids.setdefault(tok, i)
        self.basic = BasicTokenizer(do_lower_case)
        self.wordpiece = WordpieceTokenizer(self.ids, unk_token, max_input_chars_per_word)

    def tokenize(self, text):
        out = []
        for word in self.basic.tokenize(text):
            out.extend(self.wordpiece.tokenize(word))
        return out

    def token_ids(self, text):
        return [self.ids[t] for t in self.tokenize(text)]


def load_vocab(path):
    """vocab.txt: one token per line, id = line number - 1 (BERT strips each line)."""
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.strip() for line in lines]


def decode_bytes(data):
    """BERT's convert_to_unicode for bytes: UTF-8, invalid bytes ignored."""
    return data.decode("utf-8", "ignore")


# ----------------------------------------------------------------------------------------------
# Self-test: the expectations published in BERT's own tokenization_test.py, plus a few more.

WORDPIECE_TEST_VOCAB = ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"]
FULL_TEST_VOCAB = WORDPIECE_TEST_VOCAB + [","]


def self_test():
    failures = []

    def check(what, got, want):
        if got != want:
            failures.append("%s: got %r, expected %r" % (what, got, want))

    lower = BasicTokenizer(do_lower_case=True)
    cased = BasicTokenizer(do_lower_case=False)

    # BERT tests: test_basic_tokenizer_lower, test_basic_tokenizer_no_lower, test_chinese
    check("basic lower", lower.tokenize(" \tHeLLo!how  \n Are yoU?  "),
          ["hello", "!", "how", "are", "you", "?"])
    check("basic lower accent", lower.tokenize("H\u00E9llo"), ["hello"])
    check("basic no lower", cased.tokenize(" \tHeLLo!how  \n Are yoU?  "),
          ["HeLLo", "!", "how", "Are", "yoU", "?"])
    check("chinese", lower.tokenize("ah\u535A\u63A8zz"), ["ah", "\u535A", "\u63A8", "zz"])

    # BERT test: test_wordpiece_tokenizer
    wp = WordpieceTokenizer({t: i for i, t in enumerate(WORDPIECE_TEST_VOCAB)})
    check("wordpiece empty", wp.tokenize(""), [])
    check("wordpiece unwanted running", wp.tokenize("unwanted running"),
          ["un", "##want", "##ed", "runn", "##ing"])
    check("wordpiece unwantedX running", wp.tokenize("unwantedX running"), ["[UNK]", "runn", "##ing"])

    # BERT test: test_full_tokenizer
    full = FullTokenizer(FULL_TEST_VOCAB, do_lower_case=True)
    check("full tokens", full.tokenize("UNwant\u00E9d,running"),
          ["un", "##want", "##ed", ",", "runn", "##ing"])
    check("full ids", full.token_ids("UNwant\u00E9d,running"), [7, 4, 5, 10, 8, 9])

    # BERT tests: test_is_whitespace, test_is_control, test_is_punctuation
    for ch in (" ", "\t", "\r", "\n", "\u00A0"):
        check("is_whitespace(%r)" % ch, is_whitespace(ch), True)
    for ch in ("A", "-"):
        check("is_whitespace(%r)" % ch, is_whitespace(ch), False)
    check("is_control('\\u0005')", is_control("\u0005"), True)
    for ch in ("A", " ", "\t", "\r", "\U0001F4A9"):
        check("is_control(%r)" % ch, is_control(ch), False)
    for ch in ("-", "$", "`", "."):
        check("is_punctuation(%r)" % ch, is_punctuation(ch), True)
    for ch in ("A", " "):
        check("is_punctuation(%r)" % ch, is_punctuation(ch), False)

    # More behaviour that follows from the algorithm.
    check("clean drops controls", lower.tokenize("a\u0005b\u200bc\ufffdd\x00e"), ["abcde"])
    check("nbsp splits", lower.tokenize("a\u00a0b\u3000c"), ["a", "b", "c"])
    check("line separator splits (str.split)", lower.tokenize("a\u2028b\u2029c"), ["a", "b", "c"])
    check("turkish dotted I", lower.tokenize("\u0130stanbul"), ["istanbul"])
    check("turkish dotted I cased", cased.tokenize("\u0130stanbul"), ["\u0130stanbul"])
    check("final sigma", lower.tokenize("\u039F\u0394\u039F\u03A3"), ["\u03bf\u03b4\u03bf\u03c2"])
    check("sigma not final", lower.tokenize("\u03A3\u0391"), ["\u03c3\u03b1"])
    check("lone combining mark", lower.tokenize("a \u0301 b"), ["a", "b"])
    check("lone combining mark cased", cased.tokenize("a \u0301 b"), ["a", "\u0301", "b"])
    check("symbols are not punctuation", lower.tokenize("1+1=2 \u20ac5 \u00a9"),
          ["1", "+", "1", "=", "2", "\u20ac5", "\u00a9"])
    check("compat ideograph", lower.tokenize("x\uf900y"), ["x", "\u8c48", "y"])
    wp3 = WordpieceTokenizer({"a": 0, "##a": 1}, max_input_chars_per_word=100)
    check("100 chars", wp3.tokenize("a" * 100), ["a"] + ["##a"] * 99)
    check("101 chars", wp3.tokenize("a" * 101), ["[UNK]"])

    return failures


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="BERT BasicTokenizer + WordPiece reference")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--vocab")
    ap.add_argument("--cased", action="store_true", help="do_lower_case=False")
    ap.add_argument("--tokens", action="store_true", help="print tokens instead of ids")
    ap.add_argument("-z", action="store_true", help="documents are NUL-terminated")
    ap.add_argument("file", nargs="?")
    args = ap.parse_args(argv)

    if args.self_test:
        failures = self_test()
        for f in failures:
            print("FAIL " + f)
        print("bert_reference self-test: %s (Unicode %s)"
              % ("FAIL" if failures else "PASS", unicodedata.unidata_version))
        return 1 if failures else 0

    if not args.vocab:
        ap.error("--vocab is required (or --self-test)")
    tok = FullTokenizer(load_vocab(args.vocab), do_lower_case=not args.cased)
    data = open(args.file, "rb").read() if args.file else sys.stdin.buffer.read()
    sep = b"\x00" if args.z else b"\n"
    docs = data.split(sep)
    if docs and docs[-1] == b"":
        docs.pop()
    out = sys.stdout
    for doc in docs:
        text = decode_bytes(doc)
        if args.tokens:
            out.write(" ".join(tok.tokenize(text)) + "\n")
        else:
            out.write(" ".join(map(str, tok.token_ids(text))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
