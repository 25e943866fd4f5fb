"""Generate the live PyTorch parity test data: random models, documents and reference probabilities.

Usage:  /usr/bin/python3 tests/parity/gen.py OUTDIR

For each configuration in CONFIGS it writes, under OUTDIR/<name>/:

    inline/model.json                         weights inline in the JSON
    safetensors/model.json, model.safetensors  the same weights in a safetensors file
    (vocab.txt in both directories for the models that use {"file": "vocab.txt"})
    texts.bin        the documents, each followed by a NUL byte (a document never contains NUL)
    expected.jsonl   one object per document: {"scores": {label: probability}, "ids": [token ids after
                     truncation], "truncated": bool, "replacements": U+FFFD count}, and for a model
                     with character n-grams "ngrams": [each token's bucket list]

(one model also has safetensors_f64/, safetensors_f16/, safetensors_bf16/ forms, the last two with
their own expected_f16.jsonl / expected_bf16.jsonl) and OUTDIR/manifest.tsv with one line per model
file: name, form, model, texts, expected (paths relative to OUTDIR), and the form whose output this
one's must equal byte for byte ("-" for none). tests/parity/run.sh runs the C binary over these and compares.

Models and documents are deterministic (fixed seeds); the float32 reference probabilities may differ
in the last bits with the BLAS build or thread count, far below the 1e-5 tolerance. The script checks
its own output before writing it: attention far from uniform, predicted classes varied, float32
reference within 2e-6 of a float64 one, and the padded batch equal to one-document-at-a-time runs,
so that a PASS means something.
"""

import json
import os
import random
import shutil
import sys
import unicodedata

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402

SEED = 20240601

# name, dim, heads, head_dim (None = dim/heads), hidden, activation, residual, max_len, tokenizer,
# labels, vocab as file, JSON with \u escapes only, and optionally extra safetensors dtypes to write
# (forms safetensors_f64 etc.: F64 must give output identical to inline; F16/BF16 round the weights
# and I8 quantises the matrices (textclf_ref.quantize_rows), and each has its own expected file).
CONFIGS = [
    dict(name="d8_h1_relu_nfkc", dim=8, heads=1, head_dim=None, hidden=16, activation="relu",
         residual=True, max_len=8, tokenizer={}, labels=["negative", "positive"],
         vocab_file=False, ascii=False),
    dict(name="d32_h2_hd8_gelu_nfc_keep", dim=32, heads=2, head_dim=8, hidden=24, activation="gelu",
         residual=False, max_len=16, tokenizer={"normalize": "nfc", "case": "keep"},
         labels=["a", "b", "c"], vocab_file=False, ascii=False,
         extra_dtypes=["F64", "F16", "BF16", "I8"]),
    dict(name="d64_h4_tanh_bert_uncased", dim=64, heads=4, head_dim=None, hidden=64, activation="tanh",
         residual=True, max_len=128, tokenizer=dict(ref.BERT_UNCASED_TOKENIZER),
         labels=["sports", "politics", "tech", "food"], vocab_file=True, ascii=False),
    dict(name="d32_h4_hd12_relu_vocabfile", dim=32, heads=4, head_dim=12, hidden=40, activation="relu",
         residual=True, max_len=32, tokenizer={"normalize": "nfkc", "case": "fold"},
         labels=['say "hi"', "back\\slash", "ünï", "日本語", "😀", "x/y"], vocab_file=True, ascii=True),
    dict(name="d64_h2_gelu_lower_noresid", dim=64, heads=2, head_dim=None, hidden=17, activation="gelu",
         residual=False, max_len=64,
         tokenizer={"normalize": "nfkc", "case": "lower", "split_scripts": [], "max_word_chars": 12},
         labels=["x", "y"], vocab_file=False, ascii=False),
    dict(name="d16_h4_hd3_tanh_nfc_fold_strip", dim=16, heads=4, head_dim=3, hidden=8, activation="tanh",
         residual=False, max_len=12,
         tokenizer={"normalize": "nfc", "case": "fold", "strip_accents": True,
                    "continuation_prefix": "@@", "unk_token": "<unk>"},
         labels=["one", "two", "three"], vocab_file=False, ascii=False),
    dict(name="d32_h1_relu_bert_cased", dim=32, heads=1, head_dim=None, hidden=32, activation="relu",
         residual=True, max_len=16, tokenizer=dict(ref.BERT_CASED_TOKENIZER),
         labels=["neg", "neutral", "pos"], vocab_file=True, ascii=False),
    dict(name="d8_h2_hd6_gelu_nfkc_noprefix", dim=8, heads=2, head_dim=6, hidden=5, activation="gelu",
         residual=True, max_len=10, tokenizer={"continuation_prefix": "", "pretokenize": "unicode"},
         labels=["p", "q"], vocab_file=False, ascii=False),
    # word_apostrophes: its own vocabulary and documents (EXTRA_INPUTS below), so that the
    # configurations above keep exactly their inputs.
    dict(name="d16_h2_relu_word_apostrophes", dim=16, heads=2, head_dim=None, hidden=16, activation="relu",
         residual=True, max_len=24, tokenizer={"word_apostrophes": True},
         labels=["uk", "ru", "en"], vocab_file=False, ascii=False,
         extra="apostrophes"),
    # Character n-grams (ngram=(buckets, min, max)): one bucket (every n-gram in it), a few (many
    # collisions), many; the default lengths, min = max, min 3 (short middle pieces get empty
    # lists), lengths up to 16; heads*head_dim != dim; words over max_word_chars; the BERT
    # tokenizer; the F16 form.
    dict(name="d16_h2_ngram_b7_1_4", dim=16, heads=2, head_dim=None, hidden=16, activation="relu",
         residual=True, max_len=16, tokenizer={}, labels=["a", "b", "c"], vocab_file=False,
         ascii=False, ngram=(7, 1, 4)),
    dict(name="d12_h3_hd5_gelu_ngram_b1000_3_3", dim=12, heads=3, head_dim=5, hidden=10,
         activation="gelu", residual=False, max_len=24, tokenizer={"max_word_chars": 12},
         labels=["p", "q"], vocab_file=True, ascii=False, ngram=(1000, 3, 3),
         extra_dtypes=["F16", "I8"]),
    dict(name="d8_h1_tanh_ngram_b1_2_5_bert", dim=8, heads=1, head_dim=None, hidden=8,
         activation="tanh", residual=True, max_len=12, tokenizer=dict(ref.BERT_UNCASED_TOKENIZER),
         labels=["x", "y"], vocab_file=False, ascii=True, ngram=(1, 2, 5)),
    dict(name="d16_h4_hd6_relu_ngram_b1000_1_16", dim=16, heads=4, head_dim=6, hidden=12,
         activation="relu", residual=True, max_len=32, tokenizer={"normalize": "nfc", "case": "keep"},
         labels=["u", "v", "w"], vocab_file=False, ascii=False, ngram=(1000, 1, 16)),
    # Exact ties (tie=(a, b): label b gets label a's classifier row and bias, so their
    # probabilities are the same float in every document): the lowest index wins a tie, also
    # between a withheld label and one that is not (abstain_check.py's withheld rules).
    dict(name="d16_h2_gelu_tied_0_2", dim=16, heads=2, head_dim=None, hidden=12, activation="gelu",
         residual=True, max_len=16, tokenizer={}, labels=["k", "l", "m", "n"], vocab_file=False,
         ascii=False, tie=(0, 2)),
    # Position modes (config.position; position=... below, learned when absent): none with a
    # residual; none without one and each head as wide as the embedding (the Keras tutorial's
    # TextClassifier: key_dim = dim); the paper's interleaved sinusoid at an odd dim (the last
    # column a sine) with n-grams; the halves layout over long documents (max_len 96) and in F16.
    dict(name="d16_h2_relu_pos_none", dim=16, heads=2, head_dim=None, hidden=16, activation="relu",
         residual=True, max_len=16, tokenizer={}, labels=["a", "b", "c"], vocab_file=False,
         ascii=False, position="none"),
    dict(name="d12_h2_hd12_relu_pos_none_noresid", dim=12, heads=2, head_dim=12, hidden=10,
         activation="relu", residual=False, max_len=24, tokenizer={}, labels=["neg", "pos"],
         vocab_file=True, ascii=False, position="none"),
    dict(name="d13_h1_gelu_sinusoidal_ngram", dim=13, heads=1, head_dim=None, hidden=11,
         activation="gelu", residual=True, max_len=32, tokenizer={}, labels=["x", "y", "z"],
         vocab_file=False, ascii=False, ngram=(100, 1, 4), position="sinusoidal"),
    dict(name="d16_h4_tanh_sinusoidal_halves", dim=16, heads=4, head_dim=None, hidden=12,
         activation="tanh", residual=True, max_len=96, tokenizer={"normalize": "nfc", "case": "keep"},
         labels=["u", "v", "w", "x"], vocab_file=False, ascii=False, position="sinusoidal-halves",
         extra_dtypes=["F16", "I8"]),
    dict(name="d16_h2_relu_sinusoidal_noresid", dim=16, heads=2, head_dim=None, hidden=16,
         activation="relu", residual=False, max_len=64, tokenizer={}, labels=["p", "q"],
         vocab_file=False, ascii=False, position="sinusoidal"),
    # Multi-label (config.output "sigmoid", output=... below, softmax when absent): each label's
    # probability on its own; with a vocabulary file and F16 weights, and with n-grams and no
    # positions
    dict(name="d16_h2_relu_sigmoid", dim=16, heads=2, head_dim=None, hidden=16, activation="relu",
         residual=True, max_len=16, tokenizer={}, labels=["news", "sport", "tech", "travel"],
         vocab_file=True, ascii=False, output="sigmoid", extra_dtypes=["F16"]),
    dict(name="d12_h3_hd5_gelu_sigmoid_ngram_pos_none", dim=12, heads=3, head_dim=5, hidden=10,
         activation="gelu", residual=False, max_len=24, tokenizer={}, labels=["x", "y", "z"],
         vocab_file=False, ascii=False, ngram=(50, 2, 4), position="none", output="sigmoid"),
]

# --- vocabulary ----------------------------------------------------------------------------------

ASCII_WORDS = """the a of and to in is it that for on with as was at by be this have from or one had not
but what all were when we there can an your which their said if do will each about how up out them
then she many some so these would other into has more her two like him see time could no make than
first been its who now people my made over did down only way find use may water long little very after
words called just where most know good great bad terrible excellent awful movie film love hate happy
sad text class model token hello world new york city play run walk test data fine finance office
stuff cafe resume naive uber strasse facade ss fi fl ffi st xii iv un aff able x y z ab abc""".split()
CASED_WORDS = ["The", "New", "York", "I", "Hello", "World", "USA", "NASA", "Paris", "İstanbul", "ΟΔΥΣΣΕΥΣ",
               "Straße", "MAẞE"]
PIECES = ["##" + p for p in "s ed ing ly er est able ness ment tion ation aff ful less ize ise".split()]
PIECES += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
PIECES += ["##é", "##è", "##ñ", "##ü", "##ß", "##ç", "##а", "##и", "##о", "##ς", "##σ", "##α", "##ο",
           "##\u0301", "##\u0308", "##\u0307", "##ー", "##😀"]
ACCENTED = ["café", "naïve", "résumé", "über", "straße", "façade", "élan", "são", "paulo", "ångström",
            "mañana", "crème", "brûlée", "istanbul", "ıstanbul", "i̇stanbul", "çok", "güzel", "ﬁnance",
            "ﬁ", "ﬂ", "ﬃ", "ﬆ", "½", "²", "①", "ⅻ", "℃", "™", "ǅ", "ŉ", "µ", "ſ"]
CJK = list("中文本分类日漢字人大学生国好我你是的一語")
KANA = list("ひらがなカタアイウエオのはにをーッ") + ["ｶ", "ﾀ"]
CYRILLIC = ["привет", "мир", "москва", "да", "нет", "я", "и", "в"]
GREEK = ["οδυσσευς", "οδυσσευσ", "σ", "ς", "αλφα", "βητα", "ελλαδα", "καλημερα", "άλφα"]
OTHER = ["한국어", "안녕", "مرحبا", "שלום", "ภ", "า", "ษ", "ไ", "ท", "ย", "नमस्ते", "ខ", "ម", "ລ", "ာ", "မ"]
EMOJI = ["😀", "👍", "❤", "🎉", "🇫", "🇷", "🏽", "✨", "🔥", "👨", "👩", "👧"]
PUNCT = list(".,!?;:'\"()-—…$%&*+/@#~^_`{}[]<>=|\\·「」、。！？") + ["�"]


# Words and pieces with apostrophes (U+0027, U+2019, U+02BC) for the word_apostrophes model.
APOSTROPHE_VOCAB = ["пам'ять", "пам’ять", "памʼять", "пам", "ять", "п'ять", "don't", "it's", "o'clock",
                    "l'homme", "dell'utente", "dell", "utente", "homme", "n", "rock", "roll", "l", "t",
                    "##'s", "##'t", "##'ять", "##’s", "##ʼs", "##'", "##’", "##ʼ", "'", "’", "ʼ", "1", "2"]
# Apostrophes at the start, the end, between letters, doubled, next to digits, spaces, CJK, emoji,
# marks, ignorables, fullwidth forms; straight, typographic and modifier-letter forms; near the
# 8192-byte chunk boundary of the C tokenizer.
APOSTROPHE_DOCS = [
    "пам'ять", "пам’ять", "памʼять", "ПАМ'ЯТЬ", "я пам'ятаю п'ять", "Я", "я", "don't", "DON'T", "don’t",
    "donʼt", "it's o'clock", "l'homme", "L’Homme", "dell'utente", "rock 'n' roll", "'quoted'",
    "‘quoted’", "’quoted’", "ʼquotedʼ", "'", "’", "ʼ", "''", "’’", "ʼʼ", "'" * 3, "'start", "end'",
    "start' end", "a 'b", "a' b", "can''t", "can’’t", "canʼʼt", "can'’t", "a'ʼb", "aʼ'b", "a'b'c",
    "a'1", "1'a", "1'2", "1990's", "x'中", "中'x", "中'文", "日本'", "カ'タ", "x'😀", "😀'x", "é'é",
    "e\u0301'e\u0301", "a\u0301'b", "a'\u0301b", "ﬁ'ﬁ", "a'\u200bb", "a\u200b'b", "a\u00ad'\u00adb",
    "Ｉ＇ｍ ｄｏｎ＇ｔ", "a'\nb", "a\t'b", "a'-b", "a-'b", "a.'b", "a'.b", "_'_", "a'_", "ภ'า",
    "ß'ß", "ǅ'ǅ", "İ'İ", "ΣΑ'Σ", "x" * 99 + "'y", "x" * 100 + "'y", "don't " * 30,
    ("word " * 1700) + "don't пам'ять", ("x " * 4095) + "don't", ("x " * 4096) + "'don't'",
]

# A configuration's extra="NAME": (vocabulary added to the base one, documents added to the others).
EXTRA_INPUTS = {"apostrophes": (APOSTROPHE_VOCAB, APOSTROPHE_DOCS)}


def base_vocab():
    return (ASCII_WORDS + CASED_WORDS + PIECES + ACCENTED + CJK + KANA + CYRILLIC + GREEK + OTHER + EMOJI
            + PUNCT)


def model_vocab(settings, rng, extra=()):
    """The raw vocabulary written in the model's normalised form, deduplicated, shuffled, with unk."""
    s = ref.complete_tokenizer_settings(settings)
    norm = ref.Tokenizer(settings, [s["unk_token"]], 1)
    out, seen = [], set()
    for raw in base_vocab() + list(extra):
        if raw.startswith("##"):
            body = norm.normalize(raw[2:])
            # A piece's body is matched inside a word; keep it only if it is word characters.
            if not body or norm.words("x" + body) != ["x" + body]:
                continue
            tok = s["continuation_prefix"] + body
        else:
            tok = norm.normalize(raw)
            if norm.words(tok) != [tok]:
                continue  # would never match a single word
        if tok and tok not in seen and not any(unicodedata.category(c) == "Cc" for c in tok):
            seen.add(tok)
            out.append(tok)
    if s["unk_token"] in seen:
        out.remove(s["unk_token"])
    rng.shuffle(out)
    # unk at a position other than 0, so an implementation that assumes id 0 is caught.
    out.insert(min(7, len(out)), s["unk_token"])
    return out


# --- documents -----------------------------------------------------------------------------------

INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc0\xaf", b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80",
                b"\xed\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xbf\xbf",
                b"\xe0\x80\x80", b"\xf0\x80\x80\x80", b"\xc1\xbf", b"\xe1\x80", b"\xfc\x80\x80\x80\x80\x80"]

HANDCRAFTED = [
    "", " ", "   \t\n  ", "\u3000\u00a0\u2003", "\r\n\r\n", "\u200b\u200d\ufeff\u00ad",  # empty-ish
    "hello", "the", "x", "!", "😀", "日", "zzzzqqq",                                        # one token
    "Hello, World!", "the movie was terrible... awful!!!", "I love this film :)",
    "中文本分类", "我是中国人。你好！", "日本語のテキスト", "ひらがな カタカナ ｶﾀｶﾅ", "アイウエオー",
    "café naïve résumé", "cafe\u0301 nai\u0308ve re\u0301sume\u0301", "CAFÉ CAFE\u0301", "Ångström Å Å",
    "ΟΔΥΣΣΕΥΣ", "Οδυσσεύς", "ΣΊΣΥΦΟΣ σ ς Σ", "ΌΣΟΣ.", "άλφα ΆΛΦΑ",
    "İstanbul", "İSTANBUL ıstanbul ISTANBUL", "i\u0307stanbul", "Iİıi",
    "😀😀😀", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷 🇩🇪", "❤️", "✨🔥🎉",
    "helloмирworld", "abc日本def", "Привет, мир! hello", "ελλάδα and москва", "한국어 텍스트 안녕",
    "مرحبا بالعالم", "שָׁלוֹם", "ภาษาไทย", "ລາວ", "ខ្មែរ", "မြန်မာ", "नमस्ते दुनिया",
    "!!!???...", "$100+$200=$300", "a--b--c", "(((nested)))", "“quoted” «guillemets» ‘single’",
    "e-mail: someone@example.com", "#hashtag @mention", "C++ & C#", "…—–",
    "xyzzy plugh qwertyuiop", "supercalifragilisticexpialidocious",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３", "ﬁnance ﬂow oﬃce ﬆ", "x² ½ ① Ⅻ ℃ ™ ㎏ ㌀", "\ufdfa",
    "co\u00adoperate", "zero\u200bwidth", "a\u200cb\u200dc", "\ufeffBOM at start", "var\ufe0fiation",
    "han\u3164gul \uffa0filler", "\u115fx\u1160y", "tag\U000e0041\U000e007f", "mongol\u180eian",
    "ctrl\x01\x02chars\x7f", "\x1b[31mred\x1b[0m", "bell\x07", "\x85next line\x9f",
    "tab\tseparated\tvalues", "line1\nline2\rline3\r\nline4", "\x0bvt\x0cff",
    "\u2028line sep\u2029para sep", "nbsp\u00a0here", "narrow\u202fnbsp",
    "\u0600\u0601 arabic number sign", "\u06dd", "rtl \u202eoverride\u202c", "\u200e\u200f marks",
    "\ue000 private \U000f0000", "\U00020000\U0002a6d6 \uf900 \u2f00 \u3400",
    "\u0345 \u1e9e \u0149 \u01c5 \u1f88 \u2126 \u212a \u00b5 \u017f",
    "o\u0302\u0323 o\u0323\u0302 \u1ed9", "a\u0301\u0301\u0301\u0301", "\u0301 leading mark",
    "Maße STRASSE straße", "ǅemal ǆ Ǆ", "ＡＢＣ", "ß",
    "The New York Times", "NASA and the USA", "THE END",
    # more than 30 marks in a row (stream-safe segments), lines longer than the tokenizer's 8 KB
    # chunks without a space (cut elsewhere: a word goes on in the next chunk)
    "a" + "\u0316" * 30 + "\u0300 end", "e" + "\u0301\u0316" * 20 + " x", "ΑΣ" + "\u0301" * 40 + "Β",
    "ab" * 6000 + " tail", "\ufdfa" * 3000, "日本語" * 3000, "café" * 3000, "x" * 8191 + "'y z",
]

INVALID_DOCS = [
    b"\xff", b"abc\xff", b"\xc3\x28", b"caf\xc3", b"\xe2\x82\xac \xe2\x82", b"\xf0\x9f\x98\x80\xf0\x9f\x98",
    b"\xed\xa0\x80\xed\xb0\x80", b"\xf4\x90\x80\x80 beyond", b"\xc0\xaf\xc0\xaf", b"\x80\x81\x82 lone",
    b"\xef\xbf\xbd real replacement char", b"good \xfe\xff bad", b"\xe0\x80\x80\xf0\x80\x80\x80",
    b"hello\xc1\xbfworld", b"\xe1\x80hello", b"mixed \xff\xc3\xa9 \xe2\x82\xac\xe2",
]

POOL = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        + list("éèêëàâäôöüùçñßøåæœÉÈÀÇÑÖÜİıŁłŒ") + ["e\u0301", "a\u0308", "o\u0302\u0323", "\u0301"]
        + list("αβγδεζηθικλμνξοπρστυφχψωςΑΒΓΔΣΩάέήίόύώϊΐ") + list("абвгдежзийклмнопрстуфхцчшщъыьэюяАБВЁё")
        + CJK + KANA + list("한국어안녕") + EMOJI + ["\u200d", "\ufe0f", "\U0001f3fb"]
        + PUNCT + list("ＡＢＣａｂｃ１２３") + list("ﬁﬂﬀﬃﬆ") + list("²³¹½ⅫⅣ①℃™")
        + ["\u00ad", "\u200b", "\u200c", "\u2060", "\ufeff", "\u034f", "\u180e", "\u3164", "\uffa0",
           "\u115f", "\U000e0041"]
        + ["\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\t", "\r", "\n", "\x0b", "\x0c"]
        + ["\u00a0", "\u2003", "\u3000", "\u2028", "\u2029", "\u202f"]
        + ["\u0600", "\u06dd", "\u200e", "\u202e"] + list("ภาษาไทยລາວខ្មែរမြန်မာمرحباשלוםनमस्ते")
        + ["\U00020000", "\uf900", "\u2f00", "\u3400", "\ue000", "\U000f0000"]
        + ["\u0345", "\u1e9e", "\u0149", "\u01c5", "\u1f88", "\u2126", "\u212a", "\u00b5", "\u017f"])
SEPARATORS = [" "] * 8 + ["  ", "\t", "\n", "\u3000", "\u00a0", "", "\r\n", " - "]


def random_doc(rng, words, max_len):
    """A random document: vocabulary words (sometimes re-cased or glued to pieces) mixed with odd
    characters, odd separators and sometimes invalid UTF-8."""
    n = rng.choice([rng.randint(0, 4), rng.randint(0, max_len + 3), rng.randint(max_len, 3 * max_len + 5)])
    parts = []
    for _ in range(n):
        r = rng.random()
        if r < 0.55:
            w = rng.choice(words)
            if rng.random() < 0.15:
                w = w.upper()
            elif rng.random() < 0.15:
                w = w.capitalize()
            if rng.random() < 0.2:
                w += rng.choice(["s", "ing", "ed", "ly", "ness", "é", "x"])
        elif r < 0.85:
            w = "".join(rng.choice(POOL) for _ in range(rng.randint(1, 4)))
        else:
            w = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(2, 9)))
        parts.append(w)
        parts.append(rng.choice(SEPARATORS))
    data = "".join(parts).encode("utf-8")
    if rng.random() < 0.1:
        # Only at a character boundary, so the bytes cannot complete a neighbouring sequence.
        pos = rng.choice([i for i in range(len(data) + 1) if i == len(data) or data[i] & 0xC0 != 0x80])
        data = data[:pos] + rng.choice(INVALID_UTF8) + data[pos:]
    return data.replace(b"\x00", b"")


def length_docs(tok, rng):
    """Documents with exactly max_len tokens and around it (truncation), and max_word_chars edges."""
    L = tok.max_len
    whole = sorted(t for t in tok.vocab if t != tok.unk and tok.tokens(t) == [t]
                   and not (tok.prefix and t.startswith(tok.prefix)))
    letters = [t for t in whole if len(t) == 1 and t.isalpha() and t.isascii()]
    docs = []
    for n in (L - 1, L, L + 1, 2 * L, 5 * L + 3):
        if n < 0:
            continue
        for _ in range(2):
            words = [rng.choice(whole) for _ in range(n)]
            doc = " ".join(words)
            got = tok.tokenize(doc, truncate=False)[0]
            assert len(got) == n, (doc, got)
            docs.append(doc.encode("utf-8"))
    # A multi-piece word cut by truncation: L-1 whole words, then a word of several pieces.
    multi = [w for w in ("walking", "unaffable", "helloworld", "playing", "abc") if len(tok.tokens(w)) > 1]
    if multi:
        docs.append((" ".join(rng.choice(whole) for _ in range(L - 1)) + " " + multi[0]).encode())
    # Junk after the truncation point is ignored (but still decoded: invalid bytes are counted).
    docs.append((" ".join(rng.choice(whole) for _ in range(L)) + " ").encode() + b"\xff\xfe tail \x01")
    # A very long document, and words around max_word_chars.
    docs.append(" ".join(rng.choice(whole) for _ in range(20000)).encode())
    m = tok.max_word_chars
    if letters:
        a = letters[0]
        docs += [(a * m).encode(), (a * (m + 1)).encode(), (a * (m - 1) + "é").encode(),
                 ("ﬃ" * (m // 3 + 1)).encode()]
    return docs


def all_docs(tok, rng, words, n_random):
    docs = [d.encode("utf-8") for d in HANDCRAFTED] + list(INVALID_DOCS) + length_docs(tok, rng)
    docs += [random_doc(rng, words, tok.max_len) for _ in range(n_random)]
    for d in docs:
        assert b"\x00" not in d
        for ch in d.decode("utf-8", "replace"):
            # Only characters assigned in Unicode 14 (the C side uses a newer Unicode).
            assert unicodedata.category(ch) != "Cn", hex(ord(ch))
    return docs


# --- weights -------------------------------------------------------------------------------------

def init_weights(model, gen):
    """Non-trivial weights: peaked attention, non-zero biases and positions, moderate logits."""
    c = model.config
    d, H, hid = c["dim"], c["heads"] * c["head_dim"], c["hidden"]

    def normal(t, std):
        with torch.no_grad():
            t.copy_(torch.randn(t.shape, generator=gen, dtype=t.dtype) * std)

    normal(model.embedding.weight, 1.0)
    if model.ngram is not None:
        normal(model.ngram.weight, 0.8)
    if model.position is not None:   # learned positions (else fixed or none: no weights)
        normal(model.position.weight, 0.5)
    W, b = model.attn.in_proj_weight, model.attn.in_proj_bias
    # Score std is about var(q) = d * s^2 * var(x) with var(x) ~ 1.25; aim for ~3 so that attention
    # is clearly peaked without being one-hot.
    s_qk = (3.0 / (1.25 * d)) ** 0.5
    with torch.no_grad():
        W[: 2 * H].copy_(torch.randn(2 * H, d, generator=gen) * s_qk)
        W[2 * H:].copy_(torch.randn(H, d, generator=gen) / d ** 0.5)
    normal(b, 0.3)
    normal(model.attn.out_proj.weight, 1.0 / H ** 0.5)
    normal(model.attn.out_proj.bias, 0.3)
    normal(model.hidden.weight, 1.5 / d ** 0.5)
    normal(model.hidden.bias, 0.3)
    normal(model.classifier.weight, 2.0 / hid ** 0.5)
    normal(model.classifier.bias, 0.3)


def ngrams_of(ng_lists, docs):
    """batch_ngrams of those documents' lists, or None for a model without n-grams."""
    return None if ng_lists is None else ref.batch_ngrams([ng_lists[i] for i in docs])


def run_batches(model, id_lists, ng_lists=None, batch=48):
    outs = []
    with torch.no_grad():
        for i in range(0, len(id_lists), batch):
            part = range(i, min(i + batch, len(id_lists)))
            outs.append(model.probs(*ref.batch_ids(id_lists[i:i + batch]), ngrams_of(ng_lists, part)))
    return torch.cat(outs)


def self_checks(model, id_lists, probs32, ng_lists=None):
    """Returns (problems, stats): what makes this model a poor test, if anything."""
    problems = []
    # float32 reference versus float64: the comparison tolerance is 1e-5, the reference must be far
    # better than that.
    m64 = ref.TextClassifier.from_config(model.embedding.num_embeddings, model.classifier.out_features,
                                         model.config).double().eval()
    m64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    if model.ngram is not None:
        # G is specified in float32 (the rows summed in list order: a word of 12,000 letters sums
        # 48,000 rows, far from float64's sum), as nn.EmbeddingBag and textclf both compute it:
        # the float64 check is of the rest of the network
        m64.ngram_mean = lambda ngrams, B, T: model.ngram_mean(ngrams, B, T).double()
    probs64 = run_batches(m64, id_lists, ng_lists)
    d64 = (probs32.double() - probs64).abs().max().item()
    if d64 > 2e-6:
        problems.append(f"float32 vs float64 reference differ by {d64:.2e}")
    # Batch (padded) versus one document at a time, in float64 (masking must be exact).
    picked = range(0, len(id_lists), max(1, len(id_lists) // 40))
    sample = [id_lists[i] for i in picked]
    sample_ng = None if ng_lists is None else [ng_lists[i] for i in picked]
    with torch.no_grad():
        single = torch.cat([m64.probs(*ref.batch_ids([x]), ngrams_of(sample_ng, [k]))
                            for k, x in enumerate(sample)])
    dpad = (single - run_batches(m64, sample, sample_ng)).abs().max().item()
    if dpad > 1e-12:
        problems.append(f"padded batch differs from single runs by {dpad:.2e}")
    # Attention far from uniform: mean over docs/heads/queries of max weight * T.
    ratios = []
    with torch.no_grad():
        for k, x in enumerate(id_lists):
            T = len(x)
            if T < 3:
                continue
            w = m64.attention_weights(*ref.batch_ids([x]), ngrams_of(ng_lists, [k]))[0]  # [h, T, T]
            ratios.append((w.max(dim=-1).values * T).mean().item())
    peak = float(np.mean(ratios))
    if peak < 2.0:
        problems.append(f"attention nearly uniform (mean max-weight*T = {peak:.2f})")
    pred = probs32.argmax(dim=1)
    counts = torch.bincount(pred, minlength=probs32.shape[1]).tolist()
    if max(counts) > 0.85 * len(id_lists) or sum(1 for c in counts if c) < 2:
        problems.append(f"predicted classes barely vary: {counts}")
    mid = ((probs32 > 1e-3) & (probs32 < 1 - 1e-3)).float().mean().item()
    if mid < 0.5:
        problems.append(f"probabilities mostly saturated ({mid:.0%} in (0.001, 0.999))")
    return problems, dict(f64_diff=d64, pad_diff=dpad, attn_peak=peak, classes=counts, unsaturated=mid)


def build(cfg, outdir, rng_seed):
    rng = random.Random(rng_seed)
    extra_vocab, extra_docs = EXTRA_INPUTS[cfg["extra"]] if "extra" in cfg else ((), ())
    vocab = model_vocab(cfg["tokenizer"], rng, extra_vocab)
    tok = ref.Tokenizer(cfg["tokenizer"], vocab, cfg["max_len"])
    words = [t for t in vocab if t != tok.unk and not (tok.prefix and t.startswith(tok.prefix))]
    docs = all_docs(tok, rng, words, n_random=150)
    docs += [d.encode("utf-8") for d in extra_docs]
    encoded = [tok.tokenize(d) for d in docs]
    truncated = [len(tok.tokenize(d, truncate=False)[0]) > tok.max_len for d in docs]
    id_lists = [[tok.token_to_id[t] for t in toks] for toks, _ in encoded]
    ngram = cfg.get("ngram")   # (buckets, min, max)
    ng_lists = None if ngram is None else [tok.ngram_lists(d, *ngram) for d in docs]
    if ngram:
        assert all(len(n) == len(i) for n, i in zip(ng_lists, id_lists))
        empty = any(not x for n in ng_lists for x in n)
        # min 1: every token has n-grams; min 3: some (one-letter middle pieces) have none
        assert empty if ngram[1] >= 3 else not empty or ngram[1] > 1, "empty n-gram lists"
    ngram_config = {} if ngram is None else dict(ngram_buckets=ngram[0], ngram_min=ngram[1],
                                                  ngram_max=ngram[2])

    for attempt in range(20):
        gen = torch.Generator().manual_seed(rng_seed * 100 + attempt)
        model = ref.TextClassifier(len(vocab), len(cfg["labels"]), cfg["dim"], cfg["heads"], cfg["max_len"],
                                   cfg["hidden"], cfg["head_dim"], cfg["activation"], cfg["residual"],
                                   **ngram_config, position=cfg.get("position", "learned"),
                                   output=cfg.get("output", "softmax"))
        model.eval()
        init_weights(model, gen)
        if "tie" in cfg:
            a, b = cfg["tie"]
            with torch.no_grad():
                model.classifier.weight[b].copy_(model.classifier.weight[a])
                model.classifier.bias[b].copy_(model.classifier.bias[a])
        probs = run_batches(model, id_lists, ng_lists)  # float32, padded batches: the reference
        if "tie" in cfg:
            assert torch.equal(probs[:, a], probs[:, b]), "tied labels with different probabilities"
        problems, stats = self_checks(model, id_lists, probs, ng_lists)
        if not problems:
            break
    else:
        raise SystemExit(f"gen.py: {cfg['name']}: no usable weights: {'; '.join(problems)}")

    mdir = os.path.join(outdir, cfg["name"])
    for form in ("inline", "safetensors"):
        fdir = os.path.join(mdir, form)
        os.makedirs(fdir)
        ref.save_model(os.path.join(fdir, "model.json"), model, vocab, cfg["labels"], cfg["tokenizer"],
                       weights=form, vocab_file="vocab.txt" if cfg["vocab_file"] else None,
                       metadata={"generator": "tests/parity/gen.py", "config_name": cfg["name"]},
                       ensure_ascii=cfg["ascii"])
        # The file must load back to the very same weights, or the comparison is meaningless.
        m2 = ref.load_model(os.path.join(fdir, "model.json"))[0]
        for k, v in model.state_dict().items():
            assert torch.equal(v, m2.state_dict()[k]), (form, k)

    forms = [("inline", "expected.jsonl", "-"), ("safetensors", "expected.jsonl", "inline")]
    for dt in cfg.get("extra_dtypes", []):
        form = "safetensors_" + dt.lower()
        fdir = os.path.join(mdir, form)
        os.makedirs(fdir)
        path = os.path.join(fdir, "model.json")
        ref.save_model(path, model, vocab, cfg["labels"], cfg["tokenizer"], weights="safetensors",
                       weights_dtype=dt, vocab_file="vocab.txt" if cfg["vocab_file"] else None)
        if dt == "F64":
            forms.append((form, "expected.jsonl", "inline"))  # exact: same output as inline
            continue
        # Rounded weights: the reference is the model as read back (float32 of the rounded values).
        rounded = run_batches(ref.load_model(path)[0], id_lists, ng_lists)
        change = (rounded - probs).abs().max().item()
        assert change > 1e-4, f"{dt} rounding changed nothing ({change:.1e}): the form tests nothing"
        exp = f"expected_{dt.lower()}.jsonl"
        write_expected(os.path.join(mdir, exp), cfg, rounded, id_lists, encoded, truncated, ng_lists)
        forms.append((form, exp, "-"))

    with open(os.path.join(mdir, "texts.bin"), "wb") as f:
        for d in docs:
            f.write(d + b"\x00")
    write_expected(os.path.join(mdir, "expected.jsonl"), cfg, probs, id_lists, encoded, truncated,
                   ng_lists)
    return len(docs), stats, attempt, forms


def write_expected(path, cfg, probs, id_lists, encoded, truncated, ng_lists):
    """expected.jsonl (the module docstring): one record per document."""
    with open(path, "w", encoding="utf-8") as f:
        for i, (p, ids, (_, nrep), trunc) in enumerate(zip(probs.tolist(), id_lists, encoded, truncated)):
            rec = {"scores": dict(zip(cfg["labels"], p)), "ids": ids, "truncated": trunc,
                   "replacements": nrep}
            if ng_lists is not None:
                rec["ngrams"] = ng_lists[i]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py OUTDIR")
    outdir = sys.argv[1]
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    torch.set_num_threads(1)  # same numbers whatever the machine
    manifest = []
    for i, cfg in enumerate(CONFIGS):
        n, st, attempt, forms = build(cfg, outdir, SEED + i)
        print(f"gen: {cfg['name']}: {n} docs, classes {st['classes']}, attention peak {st['attn_peak']:.2f}, "
              f"unsaturated {st['unsaturated']:.0%}, f32-f64 {st['f64_diff']:.1e}, weights try {attempt}")
        for form, exp, same_as in forms:
            manifest.append("\t".join([cfg["name"], form, f"{cfg['name']}/{form}/model.json",
                                       f"{cfg['name']}/texts.bin", f"{cfg['name']}/{exp}", same_as]))
    with open(os.path.join(outdir, "manifest.tsv"), "w") as f:
        f.write("\n".join(manifest) + "\n")


def inline_models(outdir):
    """The rows of OUTDIR/manifest.tsv (what main wrote) for the inline form of each model:
    [(name, model, texts, expected)], paths relative to outdir. What the checkers that need one
    form of each model (explain_check.py, abstain_check.py) read."""
    with open(os.path.join(outdir, "manifest.tsv"), encoding="utf-8") as f:
        rows = [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]
    return [(name, model, texts, exp) for name, form, model, texts, exp, _same in rows
            if form == "inline"]


def reference_float64(path):
    """The reference network of the model at path in float64 (eval mode), with G, the tokens'
    mean n-gram vectors, still computed in float32 as specified (a long word's list is long):
    what the checkers compare textclf with."""
    model = ref.load_model(path)[0]
    if model.ngram is not None:
        m32 = ref.load_model(path)[0]
        model.ngram_mean = lambda ngrams, B, T: m32.ngram_mean(ngrams, B, T).double()
    return model.double().eval()


if __name__ == "__main__":
    main()
