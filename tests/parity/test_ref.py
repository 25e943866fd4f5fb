"""Self-tests of tools/textclf_ref.py that need no C binary.

Run:  /usr/bin/python3 tests/parity/test_ref.py      (prints one line per check, then `N passed, N failed`)

Checks: CustomAttention equals nn.MultiheadAttention when heads*head_dim == dim; save_model ->
load_model round-trips both forms bit for bit; load_model reads only regular files inside the
model's directory; empty documents give p = 0 and no NaN; padded batches
equal one-document runs; the tokenizer on hand-checked examples; links and the abstain rule's word
counts; save_model refuses NaN; the abstain rule's withheld labels (validation, the answer).
"""

import json
import math
import os
import sys
import tempfile
import traceback

import numpy as np
import torch
import torch.nn as nn

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402

results = []


def check(name):
    def deco(fn):
        try:
            fn()
            results.append((name, True, ""))
        except Exception:
            results.append((name, False, traceback.format_exc()))
        return fn
    return deco


@check("custom attention == nn.MultiheadAttention (float64, with padding)")
def _():
    torch.manual_seed(0)
    for d, h in ((8, 1), (32, 2), (64, 4), (12, 3)):
        mha = nn.MultiheadAttention(d, h, batch_first=True).double().eval()
        with torch.no_grad():
            mha.in_proj_weight.normal_(0, 0.8)
            mha.in_proj_bias.normal_(0, 0.5)
            mha.out_proj.bias.normal_(0, 0.5)
        cus = ref.CustomAttention(d, h, d // h).double().eval()
        cus.load_state_dict(mha.state_dict())
        x = torch.randn(3, 7, d, dtype=torch.float64)
        mask = torch.tensor([[False] * 7, [False] * 4 + [True] * 3, [False] + [True] * 6])
        with torch.no_grad():
            a, _ = mha(x, x, x, key_padding_mask=mask, need_weights=False)
            b = cus(x, key_padding_mask=mask)
        real = ~mask
        diff = (a - b).abs()[real].max().item()
        assert diff < 1e-12, f"d={d} h={h}: max diff {diff}"
        # And the whole classifier, built both ways.
        m1 = ref.TextClassifier(50, 3, d, h, 9, 5).double().eval()
        with torch.no_grad():
            m1.attn.in_proj_weight.normal_(0, 0.8)
        m2 = ref.TextClassifier(50, 3, d, h, 9, 5).double().eval()
        m2.attn = ref.CustomAttention(d, h, d // h).double()
        m2.load_state_dict(m1.state_dict())
        ids, lengths = ref.batch_ids([[1, 2, 3], [], [4] * 9, [7, 8]])
        with torch.no_grad():
            diff = (m1(ids, lengths) - m2(ids, lengths)).abs().max().item()
        assert diff < 1e-12, f"model d={d} h={h}: max diff {diff}"


def random_model(dim, heads, head_dim, max_len, hidden, act, residual, V=40, C=3, seed=0):
    torch.manual_seed(seed)
    m = ref.TextClassifier(V, C, dim, heads, max_len, hidden, head_dim, act, residual).eval()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.7)
    return m


@check("save_model -> load_model round-trips both forms exactly")
def _():
    vocab = ["[UNK]", "a", "##b", "café", "日", "😀", "\u2028x", "\"q\\"] + [f"w{i}" for i in range(32)]
    labels = ["neg", "pos", "ünï"]
    for cfg in ((8, 2, None, 6, 5, "relu", True), (10, 3, 4, 5, 7, "gelu", False)):
        m = random_model(*cfg)
        with torch.no_grad():
            m.embedding.weight[0, 0] = 1e-45    # smallest subnormal float32
            m.embedding.weight[0, 1] = -0.0
            m.embedding.weight[0, 2] = 3.4028234663852886e38  # largest float32
        for form in ("inline", "safetensors"):
            for vf in (None, "v.txt"):
                for asc in (False, True):
                    with tempfile.TemporaryDirectory() as tmp:
                        path = os.path.join(tmp, "m.json")
                        ref.save_model(path, m, vocab, labels, {"case": "lower"}, weights=form,
                                       vocab_file=vf, metadata={"k": [1, 2]}, ensure_ascii=asc)
                        m2, v2, l2, s2, c2 = ref.load_model(path)
                        assert v2 == vocab and l2 == labels and s2 == {"case": "lower"}
                        assert c2 == m.config
                        sd1, sd2 = m.state_dict(), m2.state_dict()
                        for k in ref.TENSOR_NAMES:
                            assert sd1[k].dtype == sd2[k].dtype == torch.float32
                            # compare bit patterns, so -0.0 and subnormals count
                            assert torch.equal(sd1[k].view(torch.int32), sd2[k].view(torch.int32)), k
                        if form == "safetensors":
                            assert os.path.exists(os.path.join(tmp, "m.safetensors"))


@check("load_model reads only regular files inside the model's directory (the C loader's rule)")
def _():
    m = random_model(8, 2, None, 6, 5, "relu", True)
    vocab = ["[UNK]"] + [f"w{i}" for i in range(39)]
    with tempfile.TemporaryDirectory() as tmp:
        inner, outside = os.path.join(tmp, "model"), os.path.join(tmp, "elsewhere")
        os.makedirs(os.path.join(inner, "sub"))
        os.makedirs(outside)
        path = os.path.join(inner, "m.json")
        ref.save_model(path, m, vocab, ["a", "b", "c"], weights="safetensors", vocab_file="v.txt")
        with open(path, encoding="utf-8") as f:
            good = f.read()

        def load_with(name):
            with open(path, "w", encoding="utf-8") as f:
                f.write(good.replace('"v.txt"', json.dumps(name)))
            return ref.load_model(path)

        def refused(name, why):
            try:
                load_with(name)
            except ValueError as e:
                assert why in str(e) and "$.vocab.file" in str(e), str(e)
                return
            raise AssertionError(f"{name!r} was not refused")

        os.rename(os.path.join(inner, "v.txt"), os.path.join(inner, "sub", "v.txt"))
        assert load_with("sub/v.txt")[1] == vocab            # a subdirectory: allowed
        os.symlink(os.path.join("sub", "v.txt"), os.path.join(inner, "in.txt"))
        assert load_with("in.txt")[1] == vocab               # a link that stays inside: allowed
        with open(os.path.join(inner, "sub", "v.txt"), "rb") as f, \
                open(os.path.join(outside, "v.txt"), "wb") as g:
            g.write(f.read())                                # the same tokens, outside
        os.symlink(os.path.join(outside, "v.txt"), os.path.join(inner, "out.txt"))
        os.symlink(outside, os.path.join(inner, "outdir"))
        refused(os.path.join(inner, "sub", "v.txt"), "is an absolute path")
        refused("sub/../sub/v.txt", "goes up a directory")
        refused("", "empty file name")
        refused("out.txt", "leads out of the model's directory")
        refused("outdir/v.txt", "leads out of the model's directory")
        refused("sub", "is a directory, not a regular file")
        os.mkfifo(os.path.join(inner, "fifo"))
        refused("fifo", "is a FIFO (named pipe), not a regular file")   # and does not block
        try:   # and save_model does not write a model that names a file elsewhere
            ref.save_model(path, m, vocab, ["a", "b", "c"], vocab_file="../v.txt")
            raise AssertionError("save_model wrote a model naming ../v.txt")
        except ValueError as e:
            assert "goes up a directory" in str(e), str(e)


@check("safetensors F64/F16/BF16: written, read back, rounded to nearest even")
def _():
    vocab = ["[UNK]"] + [f"w{i}" for i in range(39)]
    m = random_model(8, 2, None, 6, 5, "relu", True)
    for dtype, tdtype in (("F64", torch.float64), ("F16", torch.float16), ("BF16", torch.bfloat16)):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "m.json")
            ref.save_model(path, m, vocab, ["a", "b", "c"], {}, weights="safetensors", weights_dtype=dtype)
            m2 = ref.load_model(path)[0]
            for k, v in m.state_dict().items():
                want = v.to(tdtype).to(torch.float32)  # torch's own rounding, as an independent check
                assert torch.equal(m2.state_dict()[k], want), (dtype, k)
    big = random_model(8, 2, None, 6, 5, "relu", True)
    with torch.no_grad():
        big.hidden.bias[0] = 70000.0  # beyond float16
    with tempfile.TemporaryDirectory() as tmp:
        try:
            ref.save_model(os.path.join(tmp, "m.json"), big, vocab, ["a", "b", "c"], {},
                           weights="safetensors", weights_dtype="F16")
        except ValueError as e:
            assert "hidden.bias" in str(e)
        else:
            raise AssertionError("70000 written as F16")


@check("empty documents: p = 0, finite output, equal to the model with no evidence")
def _():
    for cfg in ((8, 2, None, 6, 5, "relu", True), (10, 3, 4, 5, 7, "tanh", False)):
        m = random_model(*cfg).double()
        with torch.no_grad():
            out = m.probs(*ref.batch_ids([[], [1, 2], []]))
            only_empty = m.probs(*ref.batch_ids([[], []]))
            # p = 0: the answer is classifier(act(hidden.bias))
            h = m.hidden.bias
            h = {"relu": torch.relu, "tanh": torch.tanh}[m.config["activation"]](h)
            want = torch.softmax(m.classifier(h), -1)
        assert torch.isfinite(out).all() and torch.isfinite(only_empty).all()
        assert (out[0] - want).abs().max() < 1e-12 and (out[2] - want).abs().max() < 1e-12
        assert (only_empty[0] - want).abs().max() < 1e-12
        m32 = random_model(*cfg)
        with torch.no_grad():
            assert torch.isfinite(m32.probs(*ref.batch_ids([[]]))).all()


@check("padded batch == one document at a time (masking; float64 exact, float32 close)")
def _():
    for cfg in ((8, 1, None, 8, 5, "relu", True), (16, 4, 3, 12, 8, "gelu", False),
                (32, 2, None, 16, 9, "tanh", True)):
        g = torch.Generator().manual_seed(1)
        docs = [torch.randint(0, 40, (int(n),), generator=g).tolist()
                for n in torch.randint(0, cfg[3] + 1, (20,), generator=g)]
        for dtype, tol in ((torch.float64, 1e-12), (torch.float32, 1e-5)):
            m = random_model(*cfg).to(dtype)
            with torch.no_grad():
                batch = m.probs(*ref.batch_ids(docs))
                single = torch.cat([m.probs(*ref.batch_ids([d])) for d in docs])
            diff = (batch - single).abs().max().item()
            assert diff < tol, (dtype, diff)


@check("save_model refuses NaN and Inf")
def _():
    for bad in (float("nan"), float("inf"), 1e39):
        m = random_model(8, 2, None, 6, 5, "relu", True).double()
        with torch.no_grad():
            m.hidden.bias[1] = bad
        with tempfile.TemporaryDirectory() as tmp:
            try:
                ref.save_model(os.path.join(tmp, "m.json"), m, ["[UNK]"] + [f"w{i}" for i in range(39)],
                               ["a", "b", "c"], {})
            except ValueError as e:
                assert "hidden.bias" in str(e)
            else:
                raise AssertionError(f"{bad} was written")


@check("tokenizer: hand-checked examples")
def _():
    vocab = ["[UNK]", "hello", "world", "un", "##aff", "##able", "cafe", "café", "i", "##̇", "stanbul",
             "σ", "ς", "οδυσσευσ", "οδυσσευς", "ss", "fi", "##nance", "日", "本", "ア", "!", "$", "😀",
             "a", "##b", "abc", "e", "##́", "##stanbul", "ﬁ"]
    t = ref.Tokenizer({}, vocab, 100)
    eq = lambda a, b: None if a == b else (_ for _ in ()).throw(AssertionError(f"{a!r} != {b!r}"))
    eq(t.tokens("Hello, WORLD!"), ["hello", "[UNK]", "world", "!"])
    eq(t.tokens("unaffable"), ["un", "##aff", "##able"])
    eq(t.tokens("unaffablex"), ["[UNK]"])                     # no piece for x: whole word is UNK
    eq(t.tokens("CAFÉ cafe\u0301"), ["café", "café"])         # NFKC + fold, composed and decomposed
    eq(t.tokens("ﬁnance"), ["fi", "##nance"])                 # ligature -> fi under NFKC
    eq(t.tokens("ＡＢＣ"), ["abc"])                            # fullwidth
    eq(t.tokens("日本アメリカ"), ["日", "本", "ア", "[UNK]", "[UNK]", "[UNK]"])  # split scripts
    eq(t.tokens("$😀"), ["$", "😀"])                           # S* is punctuation
    eq(t.tokens("a\u00adb a\u200db \ufeffabc"), ["a", "##b", "a", "##b", "abc"])  # ignorables
    eq(t.tokens("a\x01b\tc"), ["a", "[UNK]", "[UNK]"])       # Cc is space in unicode mode
    eq(t.tokens("ΟΔΥΣΣΕΥΣ"), ["οδυσσευσ"])                    # casefold: final sigma folds to σ
    eq(t.tokens("Maße"), ["[UNK]"])
    eq(t.tokens(b"a\xffb\xe2\x82"), ["a", "[UNK]", "[UNK]", "[UNK]"])
    assert t.last_replacements == 2
    eq(t.tokens(b"\xef\xbf\xbd"), ["[UNK]"])
    assert t.last_replacements == 0                            # a real U+FFFD is not a replacement
    eq(t.tokens(b"\xed\xa0\x80"), ["[UNK]", "[UNK]", "[UNK]"])  # surrogate: 3 maximal subparts
    assert t.last_replacements == 3
    eq(ref.Tokenizer({}, vocab, 3).tokens("hello world hello world"), ["hello", "world", "hello"])
    eq(t.tokens("İstanbul"), ["i", "##̇", "##stanbul"])      # casefold İ -> i + U+0307

    lower = ref.Tokenizer({"normalize": "nfc", "case": "lower"}, vocab, 100)
    eq(lower.tokens("ΟΔΥΣΣΕΥΣ"), ["οδυσσευς"])                # str.lower: final sigma rule
    eq(lower.tokens("ﬁ"), ["ﬁ"])                               # NFC keeps the ligature

    bert = ref.Tokenizer(ref.BERT_UNCASED_TOKENIZER, vocab, 100)
    eq(bert.tokens("Café naïve"), ["cafe", "[UNK]"])           # accents stripped, stays decomposed
    eq(bert.tokens("a\u00adb"), ["a", "##b"])                  # Cf removed by _clean_text
    eq(bert.tokens("$"), ["$"])                                # ASCII symbol counts as punctuation
    eq(bert.tokens("😀"), ["😀"])                              # not punctuation in BERT: a word
    eq(bert.tokens("日本アメリカ"), ["日", "本", "[UNK]"])      # only han is split
    eq(bert.tokens(b"a\xffb"), ["a", "##b"])                    # U+FFFD removed: "ab" is one word
    eq(bert.tokens("a\x01b"), ["a", "##b"])                    # Cc removed, not a space
    eq(bert.tokens("a\u2028b"), ["a", "[UNK]"])               # str.split() splits at Zl, Zp

    keep = ref.Tokenizer({"normalize": "none", "case": "keep", "continuation_prefix": "",
                          "max_word_chars": 5}, ["[UNK]", "ab", "c", "abcdef"], 10)
    eq(keep.tokens("abc abcdef"), ["ab", "c", "[UNK]"])


@check("tokenizer: word_apostrophes keeps ' ’ ʼ between word characters inside the word")
def _():
    eq = lambda a, b: None if a == b else (_ for _ in ()).throw(AssertionError(f"{a!r} != {b!r}"))
    for settings in ({}, dict(ref.BERT_UNCASED_TOKENIZER), {"normalize": "nfc", "case": "keep"}):
        on = ref.Tokenizer(dict(settings, word_apostrophes=True), ["[UNK]"], 100)
        off = ref.Tokenizer(dict(settings, word_apostrophes=False), ["[UNK]"], 100)
        words = lambda t, s: t.words(t.normalize(s))
        eq(words(on, "пам'ять"), ["пам'ять"])
        eq(words(off, "пам'ять"), ["пам", "'", "ять"])
        eq(words(on, "don’t l'homme a'1"), ["don’t", "l'homme", "a'1"])
        eq(words(on, "'quoted' rock 'n' roll"), ["'", "quoted", "'", "rock", "'", "n", "'", "roll"])
        eq(words(on, "can''t"), ["can", "'", "'", "t"])          # neither has word chars on both sides
        eq(words(on, "x'中"), ["x", "'", "中"])           # a split-script neighbour is no word char
        eq(words(on, "a'​b"), ["a'b"])                        # in the normalised text
        for c in "'’ʼ":                                  # normalisation leaves them alone
            eq(on.normalize("A" + c + "B"), on.normalize("A") + c + on.normalize("B"))
    eq(ref.Tokenizer({}, ["[UNK]"], 1).words("aʼb"), ["aʼb"])   # U+02BC is Lm: a word char anyway
    try:
        ref.Tokenizer({"word_apostrophes": "yes"}, ["[UNK]"], 1)
    except ValueError:
        pass
    else:
        raise AssertionError("word_apostrophes: \"yes\" accepted")


@check("tokenizer: stream-safe segments (UAX #15) cut runs of more than 30 non-starters")
def _():
    eq = lambda a, b: None if a == b else (_ for _ in ()).throw(AssertionError(f"{a!r} != {b!r}"))
    seg = ref.stream_safe_segments
    eq(seg("a" + "\u0301" * 30), ["a" + "\u0301" * 30])                    # 30 fit
    eq(seg("a" + "\u0301" * 31), ["a" + "\u0301" * 30, "\u0301"])
    eq(seg("\u0301" * 65), ["\u0301" * 30, "\u0301" * 30, "\u0301" * 5])
    eq(seg("\u0f73" * 16), ["\u0f73" * 15, "\u0f73"])      # two non-starters each in NFKD
    eq(seg("é" + "\u0301" * 29 + "\u0301"), ["é" + "\u0301" * 29, "\u0301"])   # é ends with one
    eq(seg("\u0301" * 20 + "b" + "\u0301" * 20), ["\u0301" * 20 + "b" + "\u0301" * 20])
    eq(seg(""), [""])
    # each segment is normalised alone: marks do not reorder or compose across a cut
    tok = ref.Tokenizer({}, ["[UNK]"], 100)
    text = "a" + "\u0316" * 29 + "\u0300"                                 # 30 marks: one segment
    eq(tok.normalize(text), "à" + "\u0316" * 29)                          # U+0300 composes with a
    text = "a" + "\u0316" * 30 + "\u0300"                                 # 31: cut before U+0300
    eq(tok.normalize(text), text)                                         # which composes no more
    text = "a" + "\u0300" * 30 + "\u0316"                                 # 31: cut before U+0316
    eq(tok.normalize(text), "à" + "\u0300" * 29 + "\u0316")               # which sorts no more
    # lower maps the whole text first: a sigma before a long run of marks sees the letter after
    low = ref.Tokenizer({"case": "lower"}, ["[UNK]"], 100)
    eq(low.normalize("ΑΣ" + "\u0301" * 40 + "Β")[1], "σ")


@check("tokenizer: links (URLs, e-mail addresses) and the abstain counts, which leave their words out")
def _():
    eq = lambda a, b: None if a == b else (_ for _ in ()).throw(AssertionError(f"{a!r} != {b!r}"))
    for run in ("https://x", "a://", "file:///tmp", "(https://x.org).", "www.", "WWW.Example.COM",
                "mailto:", "MailTo:ann", "a@b.c", "(@x.y)", "x.y@z.w", "@a@b.c", "https://пример.рф"):
        eq((run, ref.is_link(run)), (run, True))
    for run in ("", "://x", "1://x", "é://x", "ab:/x", "www", "wwwx.org", "ww.w", "mailto", "@user",
                "@x.y", "a@b", "a@b.", "x.y@z", "x.y@z.", "a＠b.c"):   # ＠: is_link sees normalised text
        eq((run, ref.is_link(run)), (run, False))
    tok = ref.Tokenizer({}, ["[UNK]", "the", "cat", "a", "-"], 16)
    counts = lambda text: tok.analyze(text.encode())[2:]
    eq(counts("the https://zzz.org cat"), (2, 0))
    eq(counts("the zzz@zzz.zzz"), (1, 0))
    eq(counts("the zzz@zzz"), (3, 2))
    eq(counts("ｗｗｗ．zzz"), (0, 0))                    # after NFKC: www.zzz
    eq(counts("the\u00a0zzz@x.org"), (1, 0))           # U+00A0 is a space: two runs
    eq(counts("the\u200bzzz@x.org"), (0, 0))           # U+200B is removed: one
    eq(counts("中文https://x.org中文"), (4, 4))         # split-script characters end runs
    eq(ref.Tokenizer({"split_scripts": []}, ["[UNK]"], 16).analyze("中文https://x.org中文".encode())[2:],
       (0, 0))                                           # unless the model does not split them
    # cut after 16 tokens, the, cat and seven a: the whole run decides whether the a count
    eq(counts("the cat " + "a-" * 10 + "b@x.org"), (2, 0))
    eq(counts("the cat " + "a-" * 10 + "b@x"), (9, 0))


@check("abstain rule: withheld labels checked as the loader does; the answer skips them")
def _():
    eq = lambda a, b: None if a == b else (_ for _ in ()).throw(AssertionError(f"{a!r} != {b!r}"))
    labels = ["en", "fr", "zh"]
    eq(ref.check_abstain({"label": "und"}, labels)["withheld"], [])
    eq(ref.check_abstain({"label": "und", "withheld": ["zh", "en"]}, labels)["withheld"], ["en", "zh"])
    for bad, why in (("en", "expected an array"), (["en", 1], "[1]: expected a string"),
                     (["und"], "[0]: 'und' is the label for abstaining"),
                     (["de"], "[0]: 'de' is not one"), (["fr", "en", "fr"], "[2]: duplicate label 'fr'"),
                     (["fr", "en", "zh"], "all 3 labels")):
        try:
            ref.check_abstain({"label": "und", "withheld": bad}, labels)
        except ValueError as e:
            assert "$.abstain.withheld" in str(e) and why in str(e), (bad, str(e))
        else:
            raise AssertionError(f"withheld {bad!r} accepted")
    rule = ref.check_abstain({"label": "und", "min_probability": 0.4, "withheld": ["en"]}, labels)
    p = [0.5, 0.3, 0.2]
    eq(ref.rank_answers(rule, labels, p), [1, 2])
    eq(ref.rank_answers(rule, labels, p, no_abstain=True), [0, 1, 2])
    eq(ref.rank_answers(None, labels, p, 1), [0])
    eq(ref.abstain_verdict(rule, 2, 0, p, labels), "low-probability")   # fr's 0.3, not en's 0.5
    eq(ref.answer(rule, labels, 2, 0, p), None)
    eq(ref.answer(rule, labels, 2, 0, p, no_abstain=True), 0)
    eq(ref.answer(rule, labels, 2, 0, [0.4, 0.4, 0.2]), 1)           # a tie with a withheld label
    eq(ref.answer(rule, labels, 2, 0, [0.2, 0.4, 0.4]), 1)           # a tie: the lower index
    eq(ref.answer(rule, labels, 0, 0, [0.2, 0.4, 0.4]), None)        # no letters
    eq(ref.answer(None, labels, 0, 0, p), 0)
    try:
        ref.abstain_verdict(rule, 2, 0, p)
    except ValueError:
        pass
    else:
        raise AssertionError("a rule with withheld labels judged without the labels")


@check("position tables: the formulas of the paper, PyTorch's tutorial and Hugging Face")
def _():
    # interleaved (the paper; PyTorch's tutorial PositionalEncoding, in float64 here): its pairs
    rows, d = 50, 12
    pos = torch.arange(rows, dtype=torch.float64).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    pe = torch.zeros(rows, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    got = torch.from_numpy(ref.position_table("sinusoidal", rows, d)).double()
    assert (got - pe.float().double()).abs().max().item() <= 1e-7, "interleaved"
    # halves (Hugging Face's Marian: sin of the even-indexed angles, then cos of the odd ones)
    enc = np.array([[p / np.power(10000, 2 * (j // 2) / d) for j in range(d)] for p in range(rows)])
    hf = np.concatenate([np.sin(enc[:, 0::2]), np.cos(enc[:, 1::2])], 1).astype(np.float32)
    assert np.abs(ref.position_table("sinusoidal-halves", rows, d) - hf).max() <= 1e-7, "halves"
    # odd width, interleaved: the last column is a sine
    t5 = ref.position_table("sinusoidal", 3, 5)
    assert t5[2, 4] == np.float32(math.sin(2 * 10000 ** -0.8)), t5[2]
    # a model's pe buffer is the table, and not in its state dict (nor in the file)
    m = ref.TextClassifier(10, 2, 8, 2, 6, 4, position="sinusoidal")
    assert "pe" not in m.state_dict() and "position.weight" not in m.state_dict()
    assert torch.equal(m.pe, torch.from_numpy(ref.position_table("sinusoidal", 6, 8)))
    assert ref.tensor_names(m.config) == tuple(n for n in ref.TENSOR_NAMES if n != "position.weight")
    m = ref.TextClassifier(10, 2, 8, 2, 6, 4, position="none")
    assert m.position is None and m.pe is None and m.config["position"] == "none"
    for bad in (("sinusoidal-halves", 7), ("rotary", 8)):
        try:
            ref.model_config(bad[1], 1, 6, 4, position=bad[0])
        except ValueError:
            continue
        raise AssertionError(f"position {bad} accepted")


if __name__ == "__main__":
    for name, ok, tb in results:
        print(("PASS " if ok else "FAIL ") + name)
        if not ok:
            print(tb)
    npass = sum(ok for _, ok, _ in results)
    print(f"{npass} passed, {len(results) - npass} failed")
    sys.exit(0 if npass == len(results) else 1)
