"""Reference implementation of the textclf model format, in Python.

This module is the executable form of docs/model-format.md, written independently of the C code so
the two can be compared:

* `Tokenizer`      - "Tokenisation, exactly", steps 1-7, with Python's `unicodedata` (Unicode 14 on
                     Python 3.11).
* `TextClassifier` - the network as a PyTorch module whose parameter names and layouts are exactly the
                     ten tensors of the format (`embedding`, `position`, `attn`, `hidden`, `classifier`),
                     eleven with character n-grams (`ngram`, an nn.EmbeddingBag: `ngram_buckets` > 0).
* `Tokenizer.ngram_lists` / `batch_ngrams` - each token's hashed character n-gram buckets
                     ("Character n-grams"), and their batched form for `TextClassifier`.
* `save_model` / `load_model` - write and read the JSON format, with tensor data inline or in a
                     `.safetensors` file (written and read by hand: no `safetensors` package needed).
* `check_abstain` / `abstain_verdict` - the optional abstain rule: its validation, and its verdict
                     on a document from `Tokenizer.analyze`'s word counts (without the words of
                     links: `is_link`) and the probabilities.
* `rank_answers` / `answer` - the labels a model may answer (not those its rule withholds), ranked,
                     and its answer to a document: a label's index, or None when it abstains.

Typical use:

    model = TextClassifier(len(vocab), len(labels), dim=64, heads=4, max_len=128, hidden=64)
    save_model("m.json", model, vocab, labels, {}, weights="safetensors")
    model, vocab, labels, settings, config = load_model("m.json")
    tok = Tokenizer(settings, vocab, config["max_len"])
    probs = model.probs(*batch_ids([tok.ids(b"some text")]))
"""

import bisect
import codecs
import json
import math
import os
import re
import stat
import struct
import unicodedata

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FORMAT_NAME = "textclf-model"
FORMAT_VERSION = 1

TENSOR_NAMES = (
    "embedding.weight",
    "position.weight",
    "attn.in_proj_weight",
    "attn.in_proj_bias",
    "attn.out_proj.weight",
    "attn.out_proj.bias",
    "hidden.weight",
    "hidden.bias",
    "classifier.weight",
    "classifier.bias",
)

# With config.ngram_buckets > 0 the model has one more tensor, after embedding.weight
# (tensor_names).
NGRAM_TENSOR = "ngram.weight"

NGRAM_MAX_BUCKETS = 16777216
NGRAM_MAX_LEN = 16


def tensor_names(config):
    """The tensors of a model with this `config`, in file order: TENSOR_NAMES, with ngram.weight
    after embedding.weight when config's ngram_buckets > 0, and without position.weight when its
    positions are not learned (config.position)."""
    names = TENSOR_NAMES
    if config.get("position", "learned") != "learned":
        names = tuple(n for n in names if n != "position.weight")
    if config.get("ngram_buckets", 0) > 0:
        return (names[0], NGRAM_TENSOR) + names[1:]
    return names


def tensor_shapes(config, vocab_size, num_labels):
    """{name: shape} of every tensor of a model (docs/model-format.md, "tensors")."""
    V, C, d = vocab_size, num_labels, config["dim"]
    H, hid = config["heads"] * config["head_dim"], config["hidden"]
    shapes = {
        "embedding.weight": [V, d], "position.weight": [config["max_len"], d],
        "attn.in_proj_weight": [3 * H, d], "attn.in_proj_bias": [3 * H],
        "attn.out_proj.weight": [d, H], "attn.out_proj.bias": [d],
        "hidden.weight": [hid, d], "hidden.bias": [hid],
        "classifier.weight": [C, hid], "classifier.bias": [C],
    }
    if config.get("ngram_buckets", 0) > 0:
        shapes[NGRAM_TENSOR] = [config["ngram_buckets"], d]
    return {n: shapes[n] for n in tensor_names(config)}


# config.position (docs/model-format.md): where the position vectors P[t] come from.
POSITIONS = ("learned", "none", "sinusoidal", "sinusoidal-halves")
# The most values a sinusoidal table may have (the loader's TC_POSITION_MAX_TABLE).
POSITION_MAX_TABLE = 1 << 24


def position_table(mode, rows, d):
    """The fixed position table [rows, d] (float32 numpy array) of a sinusoidal mode:
    "sinusoidal" interleaves P[t, 2i] = sin(t / 10000^(2i/d)) and P[t, 2i+1] = cos(same) (the
    Transformer paper; an odd d ends with a sine); "sinusoidal-halves" puts the sines in columns
    0..d/2 and the cosines after them (d even). Computed in float64, rounded once to float32."""
    if mode not in ("sinusoidal", "sinusoidal-halves"):
        raise ValueError(f"position {mode!r} has no fixed table")
    pairs = (d + 1) // 2
    t = np.arange(rows, dtype=np.float64)[:, None]
    freq = np.power(10000.0, -2.0 * np.arange(pairs, dtype=np.float64) / d)[None, :]
    angle = t * freq                                   # [rows, pairs]
    out = np.empty((rows, d), dtype=np.float64)
    if mode == "sinusoidal-halves":
        if d % 2:
            raise ValueError(f"sinusoidal-halves needs an even dim, dim is {d}")
        out[:, : d // 2] = np.sin(angle)
        out[:, d // 2:] = np.cos(angle)
    else:
        out[:, 0::2] = np.sin(angle)
        out[:, 1::2] = np.cos(angle[:, : d // 2])
    return out.astype(np.float32)


def fnv1a32(data):
    """FNV-1a, 32 bits (offset basis 2166136261, prime 16777619), of bytes."""
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def ngram_string(word, s, e):
    """The n-gram string g of a token covering word[s:e] (Character n-grams, 1)."""
    return ("<" if s == 0 else "") + word[s:e] + (">" if e == len(word) else "")


def ngram_substrings(g, nmin, nmax):
    """The n-gram list of g (Character n-grams, 2): i ascending, then n ascending; the
    one-code-point strings "<" and ">" left out; duplicates kept."""
    out = []
    for i in range(len(g)):
        for n in range(nmin, nmax + 1):
            if i + n > len(g):
                break
            sub = g[i:i + n]
            if sub in ("<", ">"):
                continue
            out.append(sub)
    return out


def ngram_buckets(g, buckets, nmin, nmax):
    """The bucket list of n-gram string g (Character n-grams, 3)."""
    return [fnv1a32(x.encode("utf-8")) % buckets for x in ngram_substrings(g, nmin, nmax)]

ACTIVATIONS = ("relu", "gelu", "tanh")
OUTPUTS = ("softmax", "sigmoid")   # config.output: one label, or multi-label

DEFAULT_TOKENIZER = {
    "normalize": "nfkc",
    "case": "fold",
    "strip_accents": False,
    "pretokenize": "unicode",
    "split_scripts": ["han", "kana", "thai", "lao", "khmer", "myanmar"],
    "unk_token": "[UNK]",
    "continuation_prefix": "##",
    "max_word_chars": 100,
    "word_apostrophes": False,
}

BERT_UNCASED_TOKENIZER = {
    "normalize": "none",
    "case": "lower",
    "strip_accents": True,
    "pretokenize": "bert",
    "split_scripts": ["han"],
}

BERT_CASED_TOKENIZER = {
    "normalize": "none",
    "case": "keep",
    "strip_accents": False,
    "pretokenize": "bert",
    "split_scripts": ["han"],
}

# Scripts whose every character is a token of its own (inclusive code point ranges, from the spec).
SCRIPT_RANGES = {
    "han": [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
            (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)],
    "kana": [(0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF65, 0xFF9F), (0x1B000, 0x1B16F)],
    "thai": [(0x0E00, 0x0E7F)],
    "lao": [(0x0E80, 0x0EFF)],
    "khmer": [(0x1780, 0x17FF), (0x19E0, 0x19FF)],
    "myanmar": [(0x1000, 0x109F)],
}

# Default_Ignorable_Code_Point, Unicode 14.0 DerivedCoreProperties.txt (checked against Perl 5.36's
# Unicode 14 tables: \p{Default_Ignorable_Code_Point}). Inclusive ranges, sorted.
DEFAULT_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),    # SOFT HYPHEN
    (0x034F, 0x034F),    # COMBINING GRAPHEME JOINER
    (0x061C, 0x061C),    # ARABIC LETTER MARK
    (0x115F, 0x1160),    # HANGUL CHOSEONG FILLER, JUNGSEONG FILLER
    (0x17B4, 0x17B5),    # KHMER VOWEL INHERENT AQ, AA
    (0x180B, 0x180F),    # MONGOLIAN FREE VARIATION SELECTORS, VOWEL SEPARATOR (180F new in 14.0)
    (0x200B, 0x200F),    # ZERO WIDTH SPACE .. RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),    # bidi embeddings and overrides
    (0x2060, 0x206F),    # WORD JOINER .. NOMINAL DIGIT SHAPES (2065 unassigned but ignorable)
    (0x3164, 0x3164),    # HANGUL FILLER
    (0xFE00, 0xFE0F),    # VARIATION SELECTOR-1..16
    (0xFEFF, 0xFEFF),    # ZERO WIDTH NO-BREAK SPACE (BOM)
    (0xFFA0, 0xFFA0),    # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8),    # unassigned, reserved ignorable
    (0x1BCA0, 0x1BCA3),  # SHORTHAND FORMAT controls
    (0x1D173, 0x1D17A),  # MUSICAL SYMBOL BEGIN BEAM .. END PHRASE
    (0xE0000, 0xE0FFF),  # tags, VARIATION SELECTOR-17..256, reserved
)
_DI_STARTS = [r[0] for r in DEFAULT_IGNORABLE_RANGES]


def is_default_ignorable(cp):
    """True if code point `cp` is Default_Ignorable_Code_Point in Unicode 14."""
    i = bisect.bisect_right(_DI_STARTS, cp) - 1
    return i >= 0 and cp <= DEFAULT_IGNORABLE_RANGES[i][1]


# --- UTF-8 decoding with a count of replacements -------------------------------------------------

_replacements = [0]


def _count_replace(exc):
    # Python's UTF-8 decoder already reports one error per maximal ill-formed subpart (the same
    # ranges "replace" uses); we only count them.
    _replacements[0] += 1
    return ("\ufffd", exc.end)


codecs.register_error("textclf_ref_count", _count_replace)


def decode_utf8(data):
    """Step 1: decode bytes, one U+FFFD per maximal ill-formed subpart. Returns (text, replacements)."""
    if isinstance(data, str):
        return data, 0
    _replacements[0] = 0
    text = bytes(data).decode("utf-8", "textclf_ref_count")
    return text, _replacements[0]


# --- Tokenizer -----------------------------------------------------------------------------------

def complete_tokenizer_settings(settings):
    """Validate a `tokenizer` object and return it with every default filled in."""
    if not isinstance(settings, dict):
        raise ValueError("tokenizer settings must be an object")
    for key in settings:
        if key not in DEFAULT_TOKENIZER:
            raise ValueError(f"tokenizer: unknown key {key!r}")
    s = dict(DEFAULT_TOKENIZER)
    s.update(settings)
    if s["normalize"] not in ("nfkc", "nfc", "none"):
        raise ValueError(f"tokenizer.normalize: {s['normalize']!r}")
    if s["case"] not in ("fold", "lower", "keep"):
        raise ValueError(f"tokenizer.case: {s['case']!r}")
    if not isinstance(s["strip_accents"], bool):
        raise ValueError("tokenizer.strip_accents must be a boolean")
    if not isinstance(s["word_apostrophes"], bool):
        raise ValueError("tokenizer.word_apostrophes must be a boolean")
    if s["pretokenize"] not in ("unicode", "bert"):
        raise ValueError(f"tokenizer.pretokenize: {s['pretokenize']!r}")
    if not isinstance(s["split_scripts"], list) or any(x not in SCRIPT_RANGES for x in s["split_scripts"]):
        raise ValueError(f"tokenizer.split_scripts: {s['split_scripts']!r}")
    if not isinstance(s["unk_token"], str) or not s["unk_token"]:
        raise ValueError("tokenizer.unk_token must be a non-empty string")
    if not isinstance(s["continuation_prefix"], str):
        raise ValueError("tokenizer.continuation_prefix must be a string")
    mwc = s["max_word_chars"]
    if not isinstance(mwc, int) or isinstance(mwc, bool) or mwc < 1:
        raise ValueError("tokenizer.max_word_chars must be a positive integer")
    return s


# Stream-safe segments (step 3): UAX #15's Stream-Safe Text Format puts U+034F after every 30
# non-starters; the tokenizer instead normalises the pieces between those places one by one, the
# same thing without the U+034F. It keeps normalisation linear in the text: canonical ordering
# sorts a run of marks by insertion (quadratic in CPython's unicodedata and in utf8proc alike).
STREAM_SAFE_MAX = 30
_nonstarter_cache = {}


def _nonstarters(ch):
    """(leading, trailing, length) of the non-starters of `ch`'s NFKD form."""
    r = _nonstarter_cache.get(ch)
    if r is None:
        d = unicodedata.normalize("NFKD", ch)
        lead = 0
        while lead < len(d) and unicodedata.combining(d[lead]):
            lead += 1
        trail = 0
        while trail < len(d) and unicodedata.combining(d[len(d) - 1 - trail]):
            trail += 1
        r = _nonstarter_cache[ch] = (lead, trail, len(d))
    return r


def stream_safe_segments(text):
    """`text` cut where the Stream-Safe Text Format inserts U+034F: before a code point whose NFKD
    form begins with non-starters that, with those at the end of the text before it, would be
    more than 30 (UAX #15, section 13). Returns the list of pieces (one for ordinary text)."""
    pieces, start, count = [], 0, 0
    for i, ch in enumerate(text):
        lead, trail, n = _nonstarters(ch)
        if count + lead > STREAM_SAFE_MAX:
            pieces.append(text[start:i])
            start, count = i, 0
        count = count + n if lead == n else trail
    pieces.append(text[start:])
    return pieces


# Character classes of step 5.
SPACE, PUNCT, SPLIT, WORD = 0, 1, 2, 3

# The code points that word_apostrophes keeps inside words: APOSTROPHE, RIGHT SINGLE QUOTATION
# MARK, MODIFIER LETTER APOSTROPHE (normalisation and case mapping leave all three unchanged).
APOSTROPHES = ("\u0027", "\u2019", "\u02bc")

_BERT_ASCII_PUNCT = set(range(33, 48)) | set(range(58, 65)) | set(range(91, 97)) | set(range(123, 127))

# Links (docs/model-format.md, "abstain"): "://" right after an ASCII letter (no re.IGNORECASE:
# [A-Za-z] is ASCII only), and the prefixes, compared in ASCII lowercase.
_SCHEME = re.compile("[A-Za-z]://")
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def is_link(run):
    """Whether a run (a maximal sequence of code points of the normalised text that are neither
    spaces nor split-script characters, step 5) is a link, whose words the abstain rule does not
    count (docs/model-format.md, "abstain"): it has "://" right after an ASCII letter, or begins
    with "www." or "mailto:" (ASCII letters of either case), or has an "@" that is not its first
    code point with a "." after it that is not its last."""
    head = run[:7].translate(_ASCII_LOWER)
    if head.startswith("www.") or head.startswith("mailto:") or _SCHEME.search(run):
        return True
    at = run.find("@", 1)
    dot = run.find(".", at + 1) if at > 0 else -1
    return 0 <= dot < len(run) - 1


class Tokenizer:
    """docs/model-format.md "Tokenisation, exactly", steps 1-7.

    `settings` is the model's `tokenizer` object (missing keys take their defaults), `vocab` the list
    of tokens (id = index), `max_len` the truncation length.
    """

    def __init__(self, settings, vocab, max_len):
        self.settings = complete_tokenizer_settings(settings)
        self.vocab = list(vocab)
        self.token_to_id = {}
        for i, tok in enumerate(self.vocab):
            if tok in self.token_to_id:
                raise ValueError(f"vocab: duplicate token {tok!r}")
            self.token_to_id[tok] = i
        s = self.settings
        if s["unk_token"] not in self.token_to_id:
            raise ValueError(f"vocab does not contain unk_token {s['unk_token']!r}")
        self.max_len = int(max_len)
        self.unk = s["unk_token"]
        self.prefix = s["continuation_prefix"]
        self.max_word_chars = s["max_word_chars"]
        self.bert = s["pretokenize"] == "bert"
        self.word_apostrophes = s["word_apostrophes"]
        norm = s["normalize"]
        self._D = {"nfkc": "NFKD", "nfc": "NFD", "none": None}[norm]
        self._N = {"nfkc": "NFKC", "nfc": "NFC", "none": None}[norm]
        ranges = sorted(r for name in s["split_scripts"] for r in SCRIPT_RANGES[name])
        self._split_ranges = ranges
        self._split_starts = [r[0] for r in ranges]
        # Longest vocabulary entry in code points: no piece can be longer, so WordPiece need not
        # try longer substrings (pure speed-up; results are the same).
        self._max_piece = max((len(t) for t in self.vocab), default=1)
        self._class_cache = {}
        #: U+FFFD replacements made by the last call to tokens()/ids()/tokenize().
        self.last_replacements = 0

    # step 2
    def _clean(self, text):
        if self.bert:
            # BERT's _clean_text: drop NUL, U+FFFD and every C* character except tab, LF, CR.
            out = []
            for ch in text:
                if ch == "\x00" or ch == "\ufffd":
                    continue
                if ch not in "\t\n\r" and unicodedata.category(ch)[0] == "C":
                    continue
                out.append(ch)
            return "".join(out)
        return "".join(ch for ch in text if not is_default_ignorable(ord(ch)))

    # steps 2-4: the text that words are cut from
    def normalize(self, text):
        """Steps 2-4 on decoded text: clean, case and normalisation, strip accents.

        `lower` maps the whole text (its final-sigma rule looks at the letters around); the rest
        of steps 3-4 runs on each stream-safe segment alone (`stream_safe_segments`)."""
        s = self.settings
        text = self._clean(text)
        if s["case"] == "lower":
            text = text.lower()
        return "".join(self._normalize_segment(seg) for seg in stream_safe_segments(text))

    def _normalize_segment(self, text):
        s = self.settings
        D, N = self._D, self._N
        if s["case"] == "fold":
            if D:
                text = unicodedata.normalize(D, text)
            text = text.casefold()
        if N:
            text = unicodedata.normalize(N, text)
        if not self.bert:
            # Compatibility decomposition can create ignorables (U+FFA0 -> U+3164): remove again.
            text = "".join(ch for ch in text if not is_default_ignorable(ord(ch)))
        if s["strip_accents"]:
            text = "".join(ch for ch in unicodedata.normalize("NFD", text)
                           if unicodedata.category(ch) != "Mn")
            if N:
                text = unicodedata.normalize(N, text)
        return text

    # step 5
    def char_class(self, ch):
        c = self._class_cache.get(ch)
        if c is not None:
            return c
        cp = ord(ch)
        cat = unicodedata.category(ch)
        if self.bert:
            # BERT's cleaning maps these to " ", and its str.split() also splits on U+2028/2029.
            if ch in " \t\n\r" or cat in ("Zs", "Zl", "Zp"):
                c = SPACE
            elif cat[0] == "P" or cp in _BERT_ASCII_PUNCT:
                c = PUNCT
            else:
                c = None
        else:
            if cat in ("Zs", "Zl", "Zp", "Cc"):
                c = SPACE
            elif cat[0] in "PS":
                c = PUNCT
            else:
                c = None
        if c is None:
            i = bisect.bisect_right(self._split_starts, cp) - 1
            if i >= 0 and cp <= self._split_ranges[i][1]:
                c = SPLIT
            else:
                c = WORD
        self._class_cache[ch] = c
        return c

    def words(self, text):
        """Step 5 on normalised text: the list of words."""
        return [w for _, w in self.word_starts(text)]

    def word_starts(self, text):
        """Step 5 on normalised text: the words, each as (where it starts in text, word)."""
        words, cur = [], []
        n = len(text)
        for i, ch in enumerate(text):
            c = self.char_class(ch)
            # word_apostrophes: an apostrophe between two word characters (by their own class) is
            # a word character too
            if (c != WORD and self.word_apostrophes and ch in APOSTROPHES and 0 < i < n - 1
                    and self.char_class(text[i - 1]) == WORD and self.char_class(text[i + 1]) == WORD):
                c = WORD
            if c == WORD:
                cur.append(ch)
                continue
            if cur:
                words.append((i - len(cur), "".join(cur)))
                cur = []
            if c != SPACE:
                words.append((i, ch))
        if cur:
            words.append((n - len(cur), "".join(cur)))
        return words

    def in_link(self, text):
        """For each code point of normalised text, whether it lies in a run that is a link
        (`is_link`): a maximal sequence of code points that are neither spaces nor split-script
        characters (step 5's classes)."""
        out, start = [], 0
        for i in range(len(text) + 1):
            if i == len(text) or self.char_class(text[i]) in (SPACE, SPLIT):
                out.extend([is_link(text[start:i])] * (i - start))
                if i < len(text):
                    out.append(False)
                start = i + 1
        return out

    # step 6
    def wordpiece(self, word):
        """Step 6: greedy longest-match-first WordPiece of one word."""
        return [p for p, _, _ in self.wordpiece_spans(word)]

    def wordpiece_spans(self, word):
        """Step 6 with each token's span: a list of (token, s, e), the token covering the code
        points word[s:e] (an unk_token covers the whole word)."""
        n = len(word)
        if n > self.max_word_chars:
            return [(self.unk, 0, n)]
        vocab, prefix = self.token_to_id, self.prefix
        out, start = [], 0
        while start < n:
            end = min(n, start + self._max_piece)
            piece = None
            while end > start:
                cand = word[start:end]
                if start > 0:
                    cand = prefix + cand
                if cand in vocab:
                    piece = cand
                    break
                end -= 1
            if piece is None:
                return [(self.unk, 0, n)]  # the pieces found so far are dropped
            out.append((piece, start, end))
            start = end
        return out

    def token_spans(self, data):
        """Steps 1-7 with spans: a list of (token, word, s, e) after truncation, the token
        covering word[s:e] of its word (normalised text, step 5)."""
        text, nrep = decode_utf8(data)
        self.last_replacements = nrep
        out = []
        for w in self.words(self.normalize(text)):
            out.extend((p, w, s, e) for p, s, e in self.wordpiece_spans(w))
            if len(out) >= self.max_len:
                break
        return out[: self.max_len]

    def ngram_lists(self, data, buckets, nmin=1, nmax=4):
        """Each token's n-gram bucket list (docs/model-format.md, "Character n-grams"), for the
        tokens after truncation: a list of lists, one per token."""
        return [ngram_buckets(ngram_string(w, s, e), buckets, nmin, nmax)
                for _, w, s, e in self.token_spans(data)]

    def tokenize(self, data, truncate=True):
        """Steps 1-7. Returns (tokens, number of U+FFFD replacements made while decoding)."""
        text, nrep = decode_utf8(data)
        self.last_replacements = nrep
        toks = []
        for w in self.words(self.normalize(text)):
            toks.extend(self.wordpiece(w))
            if truncate and len(toks) >= self.max_len:
                break  # step 7: the rest of the document is ignored
        if truncate:
            toks = toks[: self.max_len]
        return toks, nrep

    def analyze(self, data):
        """Steps 1-7 and the abstain rule's counts: (tokens after truncation, replacements,
        letter_words, unknown_words). A letter word is a word (step 5) with a code point of
        general category L*, outside links; an unknown one, a letter word whose WordPiece result
        is the one token unk_token. Only words whose first token is among the max_len used are
        counted; whether a word's run is a link is a matter of the whole run, also where
        truncation cut it."""
        text, nrep = decode_utf8(data)
        text = self.normalize(text)
        link = self.in_link(text)
        toks, letters, unknown = [], 0, 0
        for start, w in self.word_starts(text):
            if len(toks) >= self.max_len:
                break  # this word's first token would be cut off
            pieces = self.wordpiece(w)
            if not link[start] and any(unicodedata.category(c).startswith("L") for c in w):
                letters += 1
                unknown += pieces == [self.unk]
            toks.extend(pieces)
        return toks[: self.max_len], nrep, letters, unknown

    def tokens(self, data):
        """Token strings after truncation (`data` is bytes or str)."""
        return self.tokenize(data)[0]

    def ids(self, data):
        """Token ids after truncation."""
        return [self.token_to_id[t] for t in self.tokenize(data)[0]]


# --- The network ---------------------------------------------------------------------------------

class CustomAttention(nn.Module):
    """Multi-head self-attention with head_dim independent of dim/heads (Keras' key_dim).

    Same parameter names and layouts as nn.MultiheadAttention: in_proj_weight [3H, d] (rows
    Wq | Wk | Wv), in_proj_bias [3H], out_proj = Linear(H, d), H = heads * head_dim.
    """

    def __init__(self, dim, heads, head_dim):
        super().__init__()
        self.dim, self.heads, self.head_dim = dim, heads, head_dim
        H = heads * head_dim
        self.in_proj_weight = nn.Parameter(torch.empty(3 * H, dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * H))
        self.out_proj = nn.Linear(H, dim)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, x, key_padding_mask=None):
        """x [B, T, d]; key_padding_mask [B, T], True where the key is padding. Returns [B, T, d]."""
        B, T, _ = x.shape
        h, hd = self.heads, self.head_dim
        H = h * hd
        qkv = F.linear(x, self.in_proj_weight, self.in_proj_bias)
        q, k, v = qkv.split(H, dim=-1)
        q = q.reshape(B, T, h, hd).transpose(1, 2)  # [B, h, T, hd]
        k = k.reshape(B, T, h, hd).transpose(1, 2)
        v = v.reshape(B, T, h, hd).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)  # [B, h, T, T]
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        a = torch.softmax(scores, dim=-1)
        o = (a @ v).transpose(1, 2).reshape(B, T, H)
        return self.out_proj(o)

    def weights(self, x, key_padding_mask=None):
        """Attention weights [B, h, T, T] (for tests that check attention is far from uniform)."""
        B, T, _ = x.shape
        h, hd = self.heads, self.head_dim
        H = h * hd
        qkv = F.linear(x, self.in_proj_weight, self.in_proj_bias)
        q, k, _ = qkv.split(H, dim=-1)
        q = q.reshape(B, T, h, hd).transpose(1, 2)
        k = k.reshape(B, T, h, hd).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return torch.softmax(scores, dim=-1)


def model_config(dim, heads, max_len, hidden, head_dim=None, activation="relu", residual=True,
                 ngram_buckets=0, ngram_min=None, ngram_max=None, position="learned",
                 output="softmax"):
    """A complete, validated `config` object. The n-gram keys are in it only when ngram_buckets >
    0 (a model without n-grams is written as before they existed), "position" only when it is not
    "learned" (likewise), "output" only when it is not "softmax" (likewise: "sigmoid" is a
    multi-label model); ngram_min/ngram_max without buckets is an error, as in the loader."""
    def posint(name, v, hi=65536):
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= hi:
            raise ValueError(f"config.{name}: {v!r} is not an integer in 1..{hi}")
        return v
    posint("dim", dim)
    posint("heads", heads, 1024)
    posint("max_len", max_len)
    posint("hidden", hidden)
    if head_dim is None:
        if dim % heads:
            raise ValueError(f"config: heads {heads} does not divide dim {dim}; give head_dim")
        head_dim = dim // heads
    posint("head_dim", head_dim)
    if heads * head_dim > 65536:
        raise ValueError("config: heads*head_dim exceeds 65536")
    if activation not in ACTIVATIONS:
        raise ValueError(f"config.activation: {activation!r} is not one of {', '.join(ACTIVATIONS)}")
    if not isinstance(residual, bool):
        raise ValueError("config.residual must be a boolean")
    config = {"dim": dim, "heads": heads, "head_dim": head_dim, "max_len": max_len, "hidden": hidden,
              "activation": activation, "residual": residual}
    if position not in POSITIONS:
        raise ValueError(f"config.position: {position!r} is not one of {', '.join(POSITIONS)}")
    if position == "sinusoidal-halves" and dim % 2:
        raise ValueError(f"config.position: \"sinusoidal-halves\" needs an even dim, dim is {dim}")
    if position in ("sinusoidal", "sinusoidal-halves") and max_len * dim > POSITION_MAX_TABLE:
        raise ValueError(f"config.position: a sinusoidal table of max_len x dim = {max_len} x {dim} "
                         f"values is more than {POSITION_MAX_TABLE} (64 MiB)")
    if position != "learned":
        config["position"] = position
    if output not in OUTPUTS:
        raise ValueError(f"config.output: {output!r} is not one of {', '.join(OUTPUTS)}")
    if output != "softmax":
        config["output"] = output
    if not isinstance(ngram_buckets, int) or isinstance(ngram_buckets, bool) \
            or not 0 <= ngram_buckets <= NGRAM_MAX_BUCKETS:
        raise ValueError(f"config.ngram_buckets: {ngram_buckets!r} is not an integer in "
                         f"0..{NGRAM_MAX_BUCKETS}")
    if ngram_buckets == 0:
        for name, v in (("ngram_min", ngram_min), ("ngram_max", ngram_max)):
            if v is not None:
                raise ValueError(f"config.{name}: given, but ngram_buckets is 0 (n-grams are off)")
        return config
    nmin = posint("ngram_min", 1 if ngram_min is None else ngram_min, NGRAM_MAX_LEN)
    nmax = posint("ngram_max", 4 if ngram_max is None else ngram_max, NGRAM_MAX_LEN)
    if nmax < nmin:
        raise ValueError(f"config.ngram_max: {nmax} is less than ngram_min {nmin}")
    config.update(ngram_buckets=ngram_buckets, ngram_min=nmin, ngram_max=nmax)
    return config


class TextClassifier(nn.Module):
    """The textclf network (docs/model-format.md, "The network").

    Submodules: embedding (V x d), position (max_len x d), attn, hidden (d -> hidden),
    classifier (hidden -> C). `attn` is nn.MultiheadAttention when heads*head_dim == dim, else
    CustomAttention with the same parameter layout. With ngram_buckets B > 0 also ngram, an
    nn.EmbeddingBag(B, d, mode="sum") whose sums are divided by the list lengths: forward's
    `ngrams` argument (batch_ngrams) gives each token's bucket list.
    """

    def __init__(self, vocab_size, num_labels, dim, heads, max_len, hidden, head_dim=None,
                 activation="relu", residual=True, ngram_buckets=0, ngram_min=None, ngram_max=None,
                 position="learned", output="softmax"):
        super().__init__()
        self.config = model_config(dim, heads, max_len, hidden, head_dim, activation, residual,
                                   ngram_buckets, ngram_min, ngram_max, position, output)
        head_dim = self.config["head_dim"]
        self.embedding = nn.Embedding(vocab_size, dim)
        if ngram_buckets > 0:
            self.ngram = nn.EmbeddingBag(ngram_buckets, dim, mode="sum")
        else:
            self.ngram = None
        # learned: a parameter (position.weight); sinusoidal: a fixed buffer that is not part
        # of the state dict (not in the file); none: nothing
        self.position = nn.Embedding(max_len, dim) if position == "learned" else None
        if position in ("sinusoidal", "sinusoidal-halves"):
            self.register_buffer("pe", torch.from_numpy(position_table(position, max_len, dim)),
                                 persistent=False)
        else:
            self.pe = None
        if heads * head_dim == dim:
            self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        else:
            self.attn = CustomAttention(dim, heads, head_dim)
        self.hidden = nn.Linear(dim, hidden)
        self.classifier = nn.Linear(hidden, num_labels)

    @classmethod
    def from_config(cls, vocab_size, num_labels, config):
        c = dict(config)
        return cls(vocab_size, num_labels, c.pop("dim"), c.pop("heads"), c.pop("max_len"),
                   c.pop("hidden"), **c)

    def ngram_mean(self, ngrams, B, T):
        """G [B, T, d]: each token's mean n-gram vector (0 for an empty list) from batch_ngrams'
        (flat, offsets, counts) for a [B, T] batch."""
        flat, offsets, counts = ngrams
        if counts.shape != (B, T):
            raise ValueError(f"n-gram lists for {tuple(counts.shape)} tokens, the batch is {(B, T)}")
        sums = self.ngram(flat, offsets).reshape(B, T, -1)
        return sums / counts.clamp(min=1).to(sums.dtype)[:, :, None]

    def _embed(self, ids, lengths, ngrams=None):
        B, T = ids.shape
        if (ngrams is None) != (self.ngram is None):
            raise ValueError("n-gram lists are needed exactly when the model has ngram_buckets")
        if T == 0:
            # Every document is empty; one dummy position keeps the shapes valid.
            ids = ids.new_zeros(B, 1)
            T = 1
            if ngrams is not None:   # one empty list for each dummy token
                ngrams = batch_ngrams([[[]] for _ in range(B)])
        if T > self.config["max_len"]:
            raise ValueError(f"{T} tokens but max_len is {self.config['max_len']}")
        pos = torch.arange(T, device=ids.device)
        x = self.embedding(ids)
        if ngrams is not None:
            x = x + self.ngram_mean(ngrams, B, T)
        if self.position is not None:
            x = x + self.position(pos)[None, :, :]
        elif self.pe is not None:
            x = x + self.pe[:T].to(x.dtype)[None, :, :]
        real = pos[None, :] < lengths[:, None]  # [B, T] True for real tokens
        # Softmax runs over real keys only. An empty document would have no key at all (NaN rows),
        # so it keeps key 0; its rows are discarded below, so this changes nothing but avoids NaN.
        keep = real | ((lengths == 0)[:, None] & (pos == 0)[None, :])
        return x, real, ~keep

    def forward(self, ids, lengths, ngrams=None):
        """ids LongTensor [B, T] (padded with any valid id), lengths LongTensor [B], ngrams the
        tokens' n-gram lists (batch_ngrams; only and always for a model with ngram_buckets).
        Returns logits [B, C]."""
        return self.classifier(self.vectors(ids, lengths, ngrams)[1])

    def vectors(self, ids, lengths, ngrams=None):
        """The document vectors `textclf embed` prints, for forward's arguments: (pooled [B, d],
        the mean over real tokens of the attention block's output, 0 for an empty document;
        hidden [B, hidden], the hidden layer after its activation)."""
        x, real, pad_mask = self._embed(ids, lengths, ngrams)
        if isinstance(self.attn, nn.MultiheadAttention):
            y, _ = self.attn(x, x, x, key_padding_mask=pad_mask, need_weights=False)
        else:
            y = self.attn(x, key_padding_mask=pad_mask)
        if self.config["residual"]:
            y = y + x
        # masked_fill (not multiply) so that nothing from padded rows can leak in, even a NaN.
        y = y.masked_fill(~real[:, :, None], 0.0)
        p = y.sum(dim=1) / lengths.clamp(min=1).to(y.dtype)[:, None]  # exactly 0 when empty
        h = self.hidden(p)
        act = self.config["activation"]
        if act == "relu":
            h = F.relu(h)
        elif act == "gelu":
            h = F.gelu(h)  # exact erf form
        else:
            h = torch.tanh(h)
        return p, h

    def probs(self, ids, lengths, ngrams=None):
        """The probabilities [B, C]: softmax of the logits, or with config.output "sigmoid" the
        sigmoid of each logit on its own (multi-label)."""
        z = self.forward(ids, lengths, ngrams)
        if self.config.get("output", "softmax") == "sigmoid":
            return torch.sigmoid(z)
        return torch.softmax(z, dim=-1)

    def loss(self, logits, targets):
        """The training loss of `textclf train` (batch mean; no class weights): softmax,
        cross-entropy with targets [B] class indices; sigmoid, binary cross-entropy with targets
        [B, C] of 0 and 1, averaged over the B x C entries (BCEWithLogitsLoss, reduction
        "mean": each document's mean over its labels, then the batch mean)."""
        if self.config.get("output", "softmax") == "sigmoid":
            return F.binary_cross_entropy_with_logits(logits, targets.to(logits.dtype))
        return F.cross_entropy(logits, targets)

    def attention_weights(self, ids, lengths, ngrams=None):
        """Per-head attention weights [B, heads, T, T] (padded keys get weight 0)."""
        x, _, pad_mask = self._embed(ids, lengths, ngrams)
        if isinstance(self.attn, nn.MultiheadAttention):
            _, w = self.attn(x, x, x, key_padding_mask=pad_mask, need_weights=True,
                             average_attn_weights=False)
            return w
        return self.attn.weights(x, key_padding_mask=pad_mask)


def batch_ids(id_lists, pad_id=0):
    """Pad lists of ids into (ids LongTensor [B, T], lengths LongTensor [B])."""
    T = max((len(x) for x in id_lists), default=0)
    ids = torch.full((len(id_lists), T), pad_id, dtype=torch.long)
    for i, x in enumerate(id_lists):
        if x:
            ids[i, : len(x)] = torch.tensor(x, dtype=torch.long)
    lengths = torch.tensor([len(x) for x in id_lists], dtype=torch.long)
    return ids, lengths


def batch_ngrams(ngram_lists):
    """The n-gram input of a batch: ngram_lists[b][t] is token t of document b's bucket list
    (Tokenizer.ngram_lists). Returns (flat, offsets, counts) for TextClassifier: flat the buckets of
    every bag, offsets [B*T] where each token's bag starts (padding tokens get empty bags), counts
    [B, T] the list lengths, T the longest document (as batch_ids)."""
    B = len(ngram_lists)
    T = max((len(x) for x in ngram_lists), default=0)
    flat, offsets = [], []
    counts = torch.zeros((B, T), dtype=torch.long)
    for b, doc in enumerate(ngram_lists):
        for t in range(T):
            offsets.append(len(flat))
            if t < len(doc):
                flat.extend(doc[t])
                counts[b, t] = len(doc[t])
    return (torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long), counts)


# --- safetensors, by hand ------------------------------------------------------------------------

_ST_DTYPES = {"F32": ("<f4", 4), "F16": ("<f2", 2), "BF16": ("<u2", 2), "F64": ("<f8", 8),
              "I8": ("i1", 1)}


def stored_dtype(dtype, rank):
    """The dtype a tensor of this rank is stored as in a weights file of `dtype`: an I8 file holds
    matrices as I8 (with their scales) and vectors as F32."""
    return "F32" if dtype == "I8" and rank == 1 else dtype


def quantize_rows(arr):
    """A float32 matrix -> (q int8 [rows, cols], scale float32 [rows]), as textclf's writer
    (src/quant.h): scale = max|w_r| / 127 in float32, q = w / scale rounded to nearest, ties to
    even (np.rint of the float32 quotient), clamped to [-127, 127]; 0 for a row of zeros."""
    arr = np.ascontiguousarray(np.asarray(arr, dtype=np.float32))
    scale = (np.abs(arr).max(axis=1, initial=np.float32(0)) / np.float32(127)).astype(np.float32)
    safe = np.where(scale > 0, scale, np.float32(1)).astype(np.float32)
    q = np.rint(arr / safe[:, None]).astype(np.float32)
    q = np.where(scale[:, None] > 0, np.clip(q, -127, 127), 0).astype(np.int8)
    return q, scale


def dequantize_rows(q, scale):
    """int8 [rows, cols] and float32 scales [rows] -> the float32 values q * scale (one rounding:
    the product in float32), as textclf computes them (src/quant.h)."""
    return (q.astype(np.float32) * np.asarray(scale, dtype=np.float32)[:, None]).astype(np.float32)


def to_storage_dtype(arr, dtype):
    """float32 array -> (little-endian array in safetensors dtype, its float32 value). Rounds to
    nearest even; raises ValueError if a value overflows the narrower type."""
    arr = np.ascontiguousarray(np.asarray(arr, dtype=np.float32))
    if dtype == "F32":
        out = arr.astype("<f4")
    elif dtype == "F64":
        out = arr.astype("<f8")
    elif dtype == "F16":
        with np.errstate(over="ignore"):
            out = arr.astype("<f2")
    elif dtype == "BF16":
        u = arr.view(np.uint32).astype(np.uint64)
        out = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype("<u2")  # round to nearest even
    else:
        raise ValueError(f"unsupported safetensors dtype {dtype}")
    back = ((out.astype(np.uint32) << 16).view(np.float32) if dtype == "BF16"
            else out.astype(np.float32))
    if not np.isfinite(back).all():
        raise ValueError(f"value out of range for {dtype}")
    return out, back


def write_safetensors(path, tensors, metadata=None, dtype="F32"):
    """Write float32 tensors (dict name -> tensor/array) as a safetensors file, stored as `dtype`
    (F32, F64, F16, BF16, or I8: matrices quantised by quantize_rows, vectors F32)."""
    header, blobs, offset = {}, [], 0
    parts = []   # (name, dtype, array) in file order
    for name, t in tensors.items():
        arr = np.asarray(t, dtype=np.float32)
        dt = stored_dtype(dtype, arr.ndim)
        if dt == "I8":   # I8 (docs/model-format.md): the int8 values and NAME.scale, F32 [rows]
            q, scale = quantize_rows(arr)
            parts += [(name, "I8", q), (name + ".scale", "F32", scale.astype("<f4"))]
            continue
        try:
            arr, _ = to_storage_dtype(arr, dt)
        except ValueError as e:
            raise ValueError(f"tensor {name}: {e}")
        parts.append((name, dt, arr))
    # float32 (and the rest) first, then I8, as textclf's writer: every F32 tensor 4-byte aligned
    for name, dt, arr in sorted(parts, key=lambda p: p[1] == "I8"):
        raw = arr.tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("safetensors __metadata__ must map strings to strings")
        header["__metadata__"] = metadata
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    # Pad with spaces so the data starts 8-byte aligned (lets a loader use F32 in place from mmap).
    hb += b" " * (-len(hb) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    """Read a safetensors file. Returns (dict name -> float32 numpy array, metadata or None)."""
    with open(path, "rb") as f:
        return parse_safetensors(f.read(), path)


def parse_safetensors(buf, path):
    """The bytes of a safetensors file (path names it in errors): as read_safetensors."""
    if len(buf) < 8:
        raise ValueError(f"{path}: too short for a safetensors header")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > 100 << 20:   # the format's limit; beyond it the 8 bytes are not a length (not printed)
        raise ValueError(f"{path}: not a safetensors file: its header length is beyond the "
                         f"format's limit ({100 << 20} bytes)")
    if n > len(buf) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file size")
    header = json.loads(buf[8:8 + n].decode("utf-8"), object_pairs_hook=_no_duplicates)
    data = memoryview(buf)[8 + n:]
    meta = header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        dtype, shape, (b, e_) = e["dtype"], e["shape"], e["data_offsets"]
        if dtype not in _ST_DTYPES:
            raise ValueError(f"{path}: $[{name!r}].dtype: unsupported {dtype}")
        npdt, size = _ST_DTYPES[dtype]
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if not 0 <= b <= e_ <= len(data):
            raise ValueError(f"{path}: $[{name!r}].data_offsets: [{b},{e_}] out of range "
                             f"(data is {len(data)} bytes)")
        if e_ - b != count * size:
            raise ValueError(f"{path}: $[{name!r}]: {e_ - b} bytes for {count} x {dtype}")
        arr = np.frombuffer(data[b:e_], dtype=npdt).reshape(shape)
        if dtype == "BF16":
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        out[name] = np.array(arr, dtype=np.int8 if dtype == "I8" else np.float32)
    for name, e in header.items():   # each I8 matrix takes its scales, NAME.scale
        if e["dtype"] != "I8":
            continue
        scale = header.get(name + ".scale")
        if len(e["shape"]) != 2:
            raise ValueError(f"{path}: $[{name!r}]: I8 is for matrices")
        if scale is None or scale["dtype"] != "F32" or scale["shape"] != e["shape"][:1]:
            raise ValueError(f"{path}: $[{name + '.scale'!r}]: an I8 matrix needs F32 [rows] scales")
        s = out.pop(name + ".scale")
        if not (np.isfinite(s) & (s >= 0)).all():
            raise ValueError(f"{path}: $[{name + '.scale'!r}]: scales must be finite and >= 0")
        out[name] = dequantize_rows(out[name], s)
    return out, meta


# --- The JSON model file -------------------------------------------------------------------------

def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f"duplicate key {k!r}")
        d[k] = v
    return d


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _check_token(what, tok):
    if not isinstance(tok, str) or not tok:
        raise ValueError(f"{what}: {tok!r} must be a non-empty string")
    if any(unicodedata.category(c) == "Cc" for c in tok):
        raise ValueError(f"{what}: {tok!r} contains a control character")
    if len(tok.encode("utf-8", "strict")) > 1024:
        raise ValueError(f"{what}: token longer than 1024 bytes")


# The label rule of src/label.h (docs/model-format.md): visible text on one line. Refused: control
# characters (Cc), format characters (Cf: invisible ones such as U+200B and U+FEFF, and the
# bidirectional controls), line and paragraph separators (Zl, Zp) anywhere, and a space separator
# (Zs) as the first or last character. Python's unicodedata has Unicode 14 and textclf's utf8proc
# 15: a character first assigned in 15 (such as the Cf U+13439-U+1343F) passes here and is refused
# by textclf.
def _label_problem(lab):
    """Why `lab` (a non-empty str) cannot be a label, or None."""
    for i, c in enumerate(lab):
        cat = unicodedata.category(c)
        if cat == "Zs" and i == 0:
            return f"starts with the space U+{ord(c):04X}"
        if cat == "Zs" and i == len(lab) - 1:
            return f"ends with the space U+{ord(c):04X}"
        if cat in ("Cc", "Cf", "Zl", "Zp"):
            return f"contains U+{ord(c):04X} (category {cat}): a label must be visible text on one line"
    return None


def _check_label(lab):
    _check_token("label", lab)
    why = _label_problem(lab)
    if why:
        raise ValueError(f"label {lab!r} {why}")


ABSTAIN_KEYS = ("label", "min_probability", "max_unknown", "letterless", "withheld")


def check_abstain(rule, labels, where="$.abstain"):
    """The model JSON's "abstain" value validated as textclf's loader does, with its defaults filled
    in: {"label", "min_probability" (0), "max_unknown" (1), "letterless" (True), "withheld" ([]:
    the labels never answered, in the order of `labels`)}. ValueError naming the JSON path
    otherwise."""
    if not isinstance(rule, dict):
        raise ValueError(f"{where}: expected an object")
    for k in rule:
        if k not in ABSTAIN_KEYS:
            raise ValueError(f"{where}.{k}: unknown key")
    if "label" not in rule:
        raise ValueError(f"{where}.label: missing (required)")
    lab = rule["label"]
    if not isinstance(lab, str) or not lab:
        raise ValueError(f"{where}.label: expected a non-empty string")
    _check_label(lab)
    if lab in labels:
        raise ValueError(f"{where}.label: {lab!r} is one of the model's labels")
    out = {"label": lab, "min_probability": 0.0, "max_unknown": 1.0, "letterless": True}
    for k in ("min_probability", "max_unknown"):
        if k in rule:
            v = rule[k]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
                raise ValueError(f"{where}.{k}: expected a number in 0..1, got {v!r}")
            out[k] = float(v)
    if "letterless" in rule:
        if not isinstance(rule["letterless"], bool):
            raise ValueError(f"{where}.letterless: expected true or false")
        out["letterless"] = rule["letterless"]
    out["withheld"] = _check_withheld(rule.get("withheld", []), labels, lab, where + ".withheld")
    return out


def _check_withheld(withheld, labels, abstain_label, where):
    """The abstain rule's "withheld" list checked as textclf's loader does (each one of the model's
    labels, once; at least one label left), in the order of labels."""
    if not isinstance(withheld, list):
        raise ValueError(f"{where}: expected an array of labels")
    seen = {}
    for i, lab in enumerate(withheld):
        if not isinstance(lab, str):
            raise ValueError(f"{where}[{i}]: expected a string")
        if lab == abstain_label:
            raise ValueError(f"{where}[{i}]: {lab!r} is the label for abstaining")
        if lab not in labels:
            raise ValueError(f"{where}[{i}]: {lab!r} is not one of the model's labels")
        if lab in seen:
            raise ValueError(f"{where}[{i}]: duplicate label {lab!r} (also {where}[{seen[lab]}])")
        seen[lab] = i
    if len(seen) == len(labels):
        raise ValueError(f"{where}: all {len(labels)} labels of the model are withheld")
    return [lab for lab in labels if lab in seen]


def rank_answers(rule, labels, probs, k=None, no_abstain=False):
    """The indices of the labels a model whose abstain rule is `rule` (check_abstain's dict, or None)
    may answer, most probable first (equal probabilities: lower index first), at most k of them:
    every label but the rule's withheld ones, or every label with no_abstain or no rule. probs: the
    label probabilities (float32 values), in the order of labels."""
    skip = set() if rule is None or no_abstain else set(rule.get("withheld", ()))
    probs = [float(p) for p in probs]
    kept = [i for i in range(len(probs)) if labels[i] not in skip]
    return sorted(kept, key=lambda i: (-probs[i], i))[:k]


def answer(rule, labels, letter_words, unknown_words, probs, no_abstain=False):
    """A model's answer to one document (textclf.h's tc_answer): the index of the label it answers,
    the most probable one it may answer (rank_answers), or None when its rule abstains
    (abstain_verdict)."""
    if not no_abstain and abstain_verdict(rule, letter_words, unknown_words, probs, labels):
        return None
    return rank_answers(rule, labels, probs, 1, no_abstain)[0]


def abstain_verdict(rule, letter_words, unknown_words, probs, labels=None):
    """The abstain rule (check_abstain's dict, or None) on one document: "" (none), "no-letters",
    "unknown-words" or "low-probability", checked in that order. probs: the label probabilities
    (float32 values); top is the label the model answers, the most probable one it may answer
    (rank_answers: not withheld), the lowest index among equals. labels: the model's labels, needed
    when the rule withholds some."""
    if rule is None:
        return ""
    if rule["letterless"] and letter_words == 0:
        return "no-letters"
    # int / int: the correctly rounded quotient, as C's (double)u / (double)l
    if letter_words > 0 and unknown_words / letter_words > rule["max_unknown"]:
        return "unknown-words"
    if rule.get("withheld") and labels is None:
        raise ValueError("abstain_verdict: a rule with withheld labels needs the model's labels")
    top = rank_answers(rule, labels or [None] * len(probs), probs, 1)[0]
    if float(probs[top]) < rule["min_probability"]:
        return "low-probability"
    return ""


def _float32_tensors(model, config):
    """The tensors of `model` (tensor_names(config)) as contiguous float32 CPU tensors, checked
    finite."""
    sd = model.state_dict() if isinstance(model, nn.Module) else model
    names = tensor_names(config)
    missing = [n for n in names if n not in sd]
    extra = [n for n in sd if n not in names]
    if missing or extra:
        raise ValueError(f"state dict: missing {missing}, unexpected {extra}")
    out = {}
    for name in names:
        t = sd[name].detach().cpu()
        if not torch.isfinite(t).all():
            raise ValueError(f"tensor {name} contains NaN or infinite values; refusing to write it")
        t32 = t.to(torch.float32).contiguous()
        if not torch.isfinite(t32).all():
            raise ValueError(f"tensor {name} has values too large for float32; refusing to write it")
        out[name] = t32
    return out


def save_model(path, model, vocab, labels, tokenizer_settings=None, weights="inline", vocab_file=None,
               metadata=None, ensure_ascii=False, weights_dtype="F32", abstain=None):
    """Write `model` as a textclf model file at `path`.

    weights: "inline" (numbers in the JSON) or "safetensors" (data in <stem>.safetensors next to the
    JSON, which then names it in `weights_file`). vocab_file: if given (e.g. "vocab.txt"), the
    vocabulary is written to that file next to the JSON and referenced as {"file": vocab_file}.
    tokenizer_settings is written as given ({} means all defaults). ensure_ascii=True writes every
    non-ASCII character as a \\u escape (surrogate pairs beyond the BMP). weights_dtype (safetensors
    only): F32, or F64/F16/BF16 to test a loader's conversions (F16/BF16 round the weights), or I8
    (matrices int8 with per-row scales: quantize_rows).
    abstain: the "abstain" rule to write (a dict, as given; checked by check_abstain), or None.
    """
    if weights not in ("inline", "safetensors"):
        raise ValueError(f"weights must be 'inline' or 'safetensors', not {weights!r}")
    if weights_dtype != "F32" and weights != "safetensors":
        raise ValueError("inline data is always F32")
    settings = dict(tokenizer_settings or {})
    full = complete_tokenizer_settings(settings)
    config = dict(model.config)
    vocab, labels = list(vocab), list(labels)
    tensors = _float32_tensors(model, config)

    if len(set(vocab)) != len(vocab):
        raise ValueError("vocab has duplicate tokens")
    for t in vocab:
        _check_token("vocab", t)
    if full["unk_token"] not in vocab:
        raise ValueError(f"vocab does not contain unk_token {full['unk_token']!r}")
    if not 2 <= len(labels) <= 100000 or len(set(labels)) != len(labels):
        raise ValueError("labels: need 2..100000 unique labels")
    for lab in labels:
        _check_label(lab)
    V, C = tensors["embedding.weight"].shape[0], tensors["classifier.weight"].shape[0]
    if V != len(vocab):
        raise ValueError(f"embedding has {V} rows but the vocabulary has {len(vocab)} tokens")
    if C != len(labels):
        raise ValueError(f"classifier has {C} rows but there are {len(labels)} labels")

    directory = os.path.dirname(os.path.abspath(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    doc = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "config": config, "labels": labels}
    if abstain is not None:
        check_abstain(abstain, labels)
        doc["abstain"] = abstain
    doc["tokenizer"] = settings
    if vocab_file:
        check_model_file_name(path, "$.vocab.file", vocab_file)   # a model textclf would load
        with open(os.path.join(directory, vocab_file), "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(t + "\n" for t in vocab))
        doc["vocab"] = {"file": vocab_file}
    else:
        doc["vocab"] = vocab
    entries = {}
    if weights == "safetensors":
        wname = stem + ".safetensors"
        write_safetensors(os.path.join(directory, wname), {n: t.numpy() for n, t in tensors.items()},
                          dtype=weights_dtype)
        doc["weights_file"] = wname
        for n, t in tensors.items():
            entries[n] = {"dtype": stored_dtype(weights_dtype, t.dim()), "shape": list(t.shape)}
    else:
        for n, t in tensors.items():
            # tolist() gives Python floats equal to the float32 values; json writes them with repr,
            # the shortest decimal that reads back as that double, hence as that float32.
            entries[n] = {"dtype": "F32", "shape": list(t.shape), "data": t.tolist()}
    doc["tensors"] = entries
    if metadata is not None:
        doc["metadata"] = metadata

    def dump(v):
        return json.dumps(v, ensure_ascii=ensure_ascii, allow_nan=False)

    # One top-level key per line and one tensor per line: readable, and cheap to diff.
    lines = []
    for k, v in doc.items():
        if k == "tensors":
            inner = ",\n".join(f"    {dump(n)}: {dump(e)}" for n, e in v.items())
            lines.append(f'  "tensors": {{\n{inner}\n  }}')
        else:
            lines.append(f"  {dump(k)}: {dump(v)}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def read_vocab_file(path):
    """A vocab.txt: UTF-8, one token per line, LF or CRLF, final newline optional."""
    with open(path, "rb") as f:
        return parse_vocab_file(f.read())


def parse_vocab_file(data):
    """The bytes of a vocab.txt: as read_vocab_file."""
    text = data.decode("utf-8")
    if text.endswith("\n"):
        text = text[:-1]
    lines = text.split("\n")
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def check_model_file_name(path, key, name):
    """Raises ValueError unless name, found at key of the model JSON path, is a name a model may
    use for a file of its own: relative, not empty, without ".." (the text only; read_model_file
    checks the file)."""
    rule = "a model may name only files in its own directory"
    if not isinstance(name, str) or not name:
        raise ValueError(f"{path}: {key}: empty file name")
    if name.startswith("/"):
        raise ValueError(f"{path}: {key}: {name!r} is an absolute path; {rule}")
    if ".." in name.split("/"):
        raise ValueError(f"{path}: {key}: {name!r} goes up a directory (\"..\"); {rule}")


def read_model_file(path, key, name):
    """The bytes of the file that the model JSON at path names at key ("$.vocab.file" or
    "$.weights_file"), under the format's rule ("Files a model names" in docs/model-format.md):
    name is a relative path without ".." (subdirectories allowed), and the file it leads to,
    links followed, is a regular file whose real location is inside the real directory of the
    JSON. Anything else raises ValueError before a byte of it is read; a FIFO is never opened."""
    check_model_file_name(path, key, name)
    rule = "a model may name only files in its own directory"
    directory = os.path.dirname(path) or "."
    full = os.path.join(directory, name)
    real_dir = os.path.realpath(directory)

    def inside(p):
        return p.startswith(real_dir.rstrip("/") + "/")

    def kind(mode):
        for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                           (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                           (stat.S_ISSOCK, "a socket")):
            if test(mode):
                return what
        return "not a regular file"

    real = os.path.realpath(full)
    if not inside(real):
        raise ValueError(f"{path}: {key}: {name!r} leads out of the model's directory (through a "
                         f"symbolic link); {rule}")
    mode = os.stat(real).st_mode
    if not stat.S_ISREG(mode):
        raise ValueError(f"{path}: {key}: {name!r} is {kind(mode)}, not a regular file")
    fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ValueError(f"{path}: {key}: {name!r} is {kind(mode)}, not a regular file")
        try:   # where the opened file really is (Linux), as the C loader checks
            opened = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            opened = real
        if not inside(opened):
            raise ValueError(f"{path}: {key}: {name!r} leads out of the model's directory "
                             f"(through a symbolic link); {rule}")
        return f.read()


def load_model(path):
    """Read a textclf model file (either form).

    Returns (model, vocab, labels, tokenizer_settings, config); the model is float32, in eval mode.
    tokenizer_settings is the object as written in the file (defaults not filled in). The model's
    `abstain` attribute is its abstain rule (check_abstain's dict), or None.
    """
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"), object_pairs_hook=_no_duplicates,
                         parse_constant=_reject_constant)
    allowed = {"format", "version", "config", "labels", "tokenizer", "vocab", "weights_file", "tensors",
               "metadata", "abstain"}
    for k in doc:
        if k not in allowed:
            raise ValueError(f"{path}: $.{k}: unknown key")
    for k in ("format", "version", "config", "labels", "tokenizer", "vocab", "tensors"):
        if k not in doc:
            raise ValueError(f"{path}: $.{k}: missing")
    if doc["format"] != FORMAT_NAME or doc["version"] != FORMAT_VERSION or isinstance(doc["version"], bool):
        raise ValueError(f"{path}: not a textclf-model version 1 file")
    cfg = doc["config"]
    for k in cfg:
        if k not in ("dim", "heads", "head_dim", "max_len", "hidden", "activation", "residual",
                     "ngram_buckets", "ngram_min", "ngram_max", "position", "output"):
            raise ValueError(f"{path}: $.config.{k}: unknown key")
    config = model_config(cfg.get("dim"), cfg.get("heads"), cfg.get("max_len"), cfg.get("hidden"),
                          cfg.get("head_dim"), cfg.get("activation", "relu"), cfg.get("residual", True),
                          cfg.get("ngram_buckets", 0), cfg.get("ngram_min"), cfg.get("ngram_max"),
                          cfg.get("position", "learned"), cfg.get("output", "softmax"))
    labels = doc["labels"]
    settings = doc["tokenizer"]
    full = complete_tokenizer_settings(settings)
    if isinstance(doc["vocab"], dict):
        if list(doc["vocab"]) != ["file"]:
            raise ValueError(f"{path}: $.vocab: expected a list or {{\"file\": ...}}")
        vocab = parse_vocab_file(read_model_file(path, "$.vocab.file", doc["vocab"]["file"]))
    else:
        vocab = doc["vocab"]
    if not 1 <= len(vocab) <= 16777216 or len(set(vocab)) != len(vocab):
        raise ValueError(f"{path}: $.vocab: size or uniqueness")
    for t in vocab:
        _check_token("vocab", t)
    if full["unk_token"] not in vocab:
        raise ValueError(f"{path}: $.vocab: unk_token {full['unk_token']!r} missing")
    if not isinstance(labels, list) or not 2 <= len(labels) <= 100000 or len(set(labels)) != len(labels):
        raise ValueError(f"{path}: $.labels: need 2..100000 unique labels")
    for lab in labels:
        _check_label(lab)
    if "abstain" in doc and config.get("output") == "sigmoid":
        raise ValueError(f"{path}: $.abstain: a multi-label model (config.output \"sigmoid\") "
                         "cannot have an abstain rule")
    try:
        abstain = check_abstain(doc["abstain"], labels) if "abstain" in doc else None
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None

    V, C = len(vocab), len(labels)
    shapes = tensor_shapes(config, V, C)
    names = tensor_names(config)
    entries = doc["tensors"]
    if sorted(entries) != sorted(names):
        raise ValueError(f"{path}: $.tensors: expected exactly {', '.join(names)}")
    file_tensors = None
    if any("data" not in e for e in entries.values()) or "weights_file" in doc:
        if "weights_file" not in doc:
            raise ValueError(f"{path}: $.weights_file: missing but a tensor has no data")
        wpath = os.path.join(os.path.dirname(path), doc["weights_file"])
        st_bytes = read_model_file(path, "$.weights_file", doc["weights_file"])
        file_tensors, _ = parse_safetensors(st_bytes, wpath)
        (n,) = struct.unpack("<Q", st_bytes[:8])
        st_header = json.loads(st_bytes[8:8 + n].decode("utf-8"))
        scales = {n + ".scale" for n, e in st_header.items() if n != "__metadata__" and e["dtype"] == "I8"}
        if sorted(k for k in st_header if k != "__metadata__" and k not in scales) != sorted(names):
            raise ValueError(f"{wpath}: must hold exactly the model's {len(names)} tensors")
    state = {}
    for name in names:
        e = entries[name]
        for k in e:
            if k not in ("dtype", "shape", "data"):
                raise ValueError(f"{path}: $.tensors[{name!r}].{k}: unknown key")
        if e["shape"] != shapes[name]:
            raise ValueError(f"{path}: $.tensors[{name!r}]: shape {e['shape']}, expected {shapes[name]}")
        if "data" in e:
            if e["dtype"] != "F32":
                raise ValueError(f"{path}: $.tensors[{name!r}].dtype: inline data must be F32")
            arr = np.array(e["data"], dtype=np.float64)
            count = int(np.prod(shapes[name]))
            if arr.ndim == 1 and arr.size == count:
                arr = arr.reshape(shapes[name])
            elif list(arr.shape) != shapes[name]:
                raise ValueError(f"{path}: $.tensors[{name!r}].data: nesting does not match the shape")
            with np.errstate(over="ignore"):
                arr = arr.astype(np.float32)
        else:
            if st_header[name]["dtype"] != e["dtype"] or st_header[name]["shape"] != e["shape"]:
                raise ValueError(f"{wpath}: $[{name!r}]: dtype/shape differ from the JSON")
            arr = file_tensors[name]
        if not np.isfinite(arr).all():
            raise ValueError(f"{path}: $.tensors[{name!r}]: non-finite value (as float32)")
        state[name] = torch.from_numpy(np.ascontiguousarray(arr))
    model = TextClassifier.from_config(V, C, config)
    model.load_state_dict(state, strict=True)
    model.eval()
    model.abstain = abstain
    return model, vocab, labels, settings, config
