#!/usr/bin/python3
"""Write the small committed test models of tests/models/ (standard library only, deterministic).

    /usr/bin/python3 tests/models/make_models.py [OUTDIR]      (default: the directory of this script)

Good models (the first five describe the same network, bit for bit):
  tiny.json                  dim 8, heads 2, head_dim 4, max_len 16, hidden 6, relu, residual;
                             labels en, fr, zh; 32-token inline vocab; weights inline (nested lists,
                             position.weight as one flat list)
  tiny-st.json               the same, weights in tiny-st.safetensors (F32, written by hand)
  tiny-vocabfile.json        the same, vocabulary in tiny-vocab.txt ({"file": ...})
  tiny-st-unaligned.json     the same, weights in tiny-st-unaligned.safetensors whose data starts at
                             an offset that is not a multiple of 4 (the loader copies instead of
                             using the memory map in place)
  tiny-st-f64.json           the same, weights stored as F64 in tiny-st-f64.safetensors (converted
                             to float32 at load, exactly)
  tiny-st-i8.json            not quite the same: its matrices quantised to I8 with per-row scales
                             in tiny-st-i8.safetensors (vectors F32)
Variants: tiny-ngram.json (with character n-grams), tiny-pos-none.json and tiny-sinusoidal.json
(config.position "none" and "sinusoidal": tiny's weights without position.weight).

The weights are random (fixed seed) on top of a planted signal: English words have a large
embedding component 0, French words component 1, CJK characters component 2, and the hidden and
classifier layers carry component i to label i. So English text is "en", French "fr", Chinese "zh".

Bad models (bad/): each file is tiny in JSON or safetensors form with one thing broken; the
tests/golden/cases/bad-NAME case expects exit status 3 and one precise stderr line for each (every
file here has its case).
Re-running the script rewrites identical files.
"""

import copy
import json
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

DIM, HEADS, HEAD_DIM, MAX_LEN, HIDDEN = 8, 2, 4, 16, 6
H = HEADS * HEAD_DIM
LABELS = ["en", "fr", "zh"]

# (token, language index or None). Tokens are in normalised (NFKC + case-folded) form.
VOCAB = [
    ("[UNK]", None),
    ("the", 0), ("cat", 0), ("dog", 0), ("is", 0), ("good", 0), ("hello", 0), ("world", 0),
    ("and", 0), ("run", 0), ("##ing", 0), ("##s", None),
    ("le", 1), ("la", 1), ("chat", 1), ("chien", 1), ("est", 1), ("bon", 1), ("bonjour", 1),
    ("monde", 1), ("et", 1), ("##ment", 1), ("##e", None),
    ("猫", 2), ("狗", 2), ("你", 2), ("好", 2), ("中", 2), ("文", 2),
    (".", None), (",", None), ("!", None),
]
TOKENS = [t for t, _ in VOCAB]

TENSOR_NAMES = [
    "embedding.weight", "position.weight", "attn.in_proj_weight", "attn.in_proj_bias",
    "attn.out_proj.weight", "attn.out_proj.bias", "hidden.weight", "hidden.bias",
    "classifier.weight", "classifier.bias",
]


def r4(x):
    """Rounds to 4 decimals so the JSON stays short; -0.0 becomes 0.0."""
    v = round(x, 4)
    return 0.0 if v == 0 else v


def make_weights():
    rnd = random.Random(20240611)

    def u(a):
        return rnd.uniform(-a, a)

    def mat(rows, cols, a):
        return [[r4(u(a)) for _ in range(cols)] for _ in range(rows)]

    emb = []
    for _, lang in VOCAB:
        row = [u(0.3) for _ in range(DIM)]
        if lang is not None:
            row[lang] += 2.0
        emb.append([r4(x) for x in row])
    hid = mat(HIDDEN, DIM, 0.3)
    for i in range(3):
        hid[i][i] = r4(1.5 + u(0.1))
    cls = mat(len(LABELS), HIDDEN, 0.3)
    for i in range(3):
        cls[i][i] = r4(3.0 + u(0.2))
    return {
        "embedding.weight": emb,
        "position.weight": mat(MAX_LEN, DIM, 0.1),
        "attn.in_proj_weight": mat(3 * H, DIM, 0.3),
        "attn.in_proj_bias": [r4(u(0.1)) for _ in range(3 * H)],
        "attn.out_proj.weight": mat(DIM, H, 0.2),
        "attn.out_proj.bias": [r4(u(0.1)) for _ in range(DIM)],
        "hidden.weight": hid,
        "hidden.bias": [r4(0.2 + u(0.1)) for _ in range(HIDDEN)],
        "classifier.weight": cls,
        "classifier.bias": [0.6, -0.2, -0.4],
    }


def shape_of(v):
    return [len(v), len(v[0])] if isinstance(v[0], list) else [len(v)]


def flat(v):
    return [x for row in v for x in row] if isinstance(v[0], list) else list(v)


def base_model(weights):
    tensors = {}
    for name in TENSOR_NAMES:
        w = weights[name]
        data = flat(w) if name == "position.weight" else w
        tensors[name] = {"dtype": "F32", "shape": shape_of(w), "data": data}
    return {
        "format": "textclf-model",
        "version": 1,
        "config": {"dim": DIM, "heads": HEADS, "head_dim": HEAD_DIM, "max_len": MAX_LEN,
                   "hidden": HIDDEN, "activation": "relu", "residual": True},
        "labels": list(LABELS),
        "tokenizer": {},
        "vocab": list(TOKENS),
        "tensors": tensors,
        "metadata": {"purpose": "textclf golden tests (tests/models/make_models.py)"},
    }


def jd(v):
    return json.dumps(v, ensure_ascii=False)


def dump(m):
    """A model as JSON text: one top-level key per line, one tensor per line."""
    lines = []
    keys = list(m)
    for i, k in enumerate(keys):
        comma = "," if i + 1 < len(keys) else ""
        v = m[k]
        if k == "tensors" and isinstance(v, dict) and v:
            lines.append('  %s: {' % jd(k))
            names = list(v)
            for j, n in enumerate(names):
                c2 = "," if j + 1 < len(names) else ""
                lines.append('    %s: %s%s' % (jd(n), jd(v[n]), c2))
            lines.append('  }' + comma)
        else:
            lines.append('  %s: %s%s' % (jd(k), jd(v), comma))
    return "{\n" + "\n".join(lines) + "\n}\n"


def safetensors(entries, metadata=None, pad=True):
    """entries: list of (name, dtype, shape, data bytes); returns the file bytes. Offsets follow
    the order of entries."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    blob = b""
    for name, dtype, shape, data in entries:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    h = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + blob


def f32(values):
    return struct.pack("<%df" % len(values), *values)


def st_entries(weights):
    return [(n, "F32", shape_of(weights[n]), f32(flat(weights[n]))) for n in TENSOR_NAMES]


def st_model(m, weights_file):
    m = copy.deepcopy(m)
    del m["metadata"]
    m["weights_file"] = weights_file
    for n in TENSOR_NAMES:
        del m["tensors"][n]["data"]
    m["metadata"] = {"purpose": "textclf golden tests (tests/models/make_models.py)"}
    return m


class Writer:
    def __init__(self, outdir):
        self.outdir = outdir
        self.names = []

    def write(self, rel, content):
        path = os.path.join(self.outdir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(path, "wb") as f:
            f.write(content)
        self.names.append(rel)


def ngram_model(tiny):
    """tiny with character n-grams: ngram_buckets 5, lengths 1..3, ngram.weight after
    embedding.weight."""
    m = copy.deepcopy(tiny)
    m["config"].update(ngram_buckets=5, ngram_min=1, ngram_max=3)
    rnd = random.Random(20250101)
    rows = [[r4(rnd.uniform(-0.5, 0.5)) for _ in range(DIM)] for _ in range(5)]
    for i in range(3):
        rows[i][i] += 1.0
    tensors = {}
    for k, v in m["tensors"].items():
        tensors[k] = v
        if k == "embedding.weight":
            tensors["ngram.weight"] = {"dtype": "F32", "shape": [5, DIM], "data": rows}
    m["tensors"] = tensors
    return m


def sigmoid_model(tiny):
    """tiny with config.output "sigmoid" and classifier.bias lowered by 1."""
    m = copy.deepcopy(tiny)
    m["config"]["output"] = "sigmoid"
    b = m["tensors"]["classifier.bias"]
    b["data"] = [r4(x - 1.0) for x in b["data"]]
    return m


def position_model(tiny, mode):
    """tiny with config.position `mode` (none, sinusoidal, ...): no position.weight."""
    m = copy.deepcopy(tiny)
    m["config"]["position"] = mode
    del m["tensors"]["position.weight"]
    return m


def bad_models(w, tiny, weights):
    """Writes bad/*.json (and the side files some of them name)."""
    text = dump(tiny)
    ngram = ngram_model(tiny)

    def mod_ngram(name, fn):
        m = copy.deepcopy(ngram)
        fn(m)
        w.write("bad/%s.json" % name, dump(m))

    def mod(name, fn):
        m = copy.deepcopy(tiny)
        fn(m)
        w.write("bad/%s.json" % name, dump(m))

    def raw(name, content):
        w.write("bad/%s.json" % name, content)

    def setp(path, value):
        def fn(m):
            d = m
            for k in path[:-1]:
                d = d[k]
            d[path[-1]] = value
        return fn

    def delp(path):
        def fn(m):
            d = m
            for k in path[:-1]:
                d = d[k]
            del d[path[-1]]
        return fn

    def rename_key(d, old, new):
        items = [(new if k == old else k, v) for k, v in d.items()]
        d.clear()
        d.update(items)

    # --- JSON syntax -----------------------------------------------------------------------
    cut = text.index('"data": [[') + len('"data": [[')
    raw("truncated", text[:cut + 12])                  # ends inside a number
    cut = text.index('"attn.out_proj.weight"')
    raw("truncated-in-string", text[:cut + 30])        # ends inside a string
    raw("syntax-error", text.replace('"labels": ["en", "fr", "zh"],',
                                     '"labels": ["en", "fr" "zh"],', 1))
    raw("trailing-garbage", text + "}\n")
    raw("not-object", '["textclf-model", 1]\n')
    raw("empty-file", "")
    # JSON allows only space, tab, LF and CR between tokens (no golden case: both load today)
    raw("nul-byte", text.replace('"tokenizer": {}', '"tokenizer": {\0}', 1))
    raw("control-char-whitespace", text.replace('"version": 1,', '"version":\x01 1,', 1))
    raw("duplicate-key", text.replace('"version": 1,', '"version": 1,\n  "version": 1,', 1))
    # 1001 levels of arrays and objects (the root object, then 1000 arrays in "metadata"): one
    # more than the JSON parser accepts (cJSON's CJSON_NESTING_LIMIT)
    meta = jd(tiny["metadata"])
    raw("nesting-too-deep", text.replace('"metadata": ' + meta, '"metadata": ' + "[" * 1000 + "]" * 1000, 1))

    # --- top level ---------------------------------------------------------------------------
    mod("format-wrong", setp(["format"], "textclf"))
    mod("format-missing", delp(["format"]))
    mod("version-2", setp(["version"], 2))
    mod("version-string", setp(["version"], "1"))
    for k in ["config", "labels", "tokenizer", "vocab", "tensors"]:
        mod("missing-" + k, delp([k]))
    mod("unknown-top-key", lambda m: rename_key(m, "metadata", "meta"))

    # --- config -------------------------------------------------------------------------------
    mod("config-not-object", setp(["config"], [8, 2, 4, 16, 6]))
    mod("config-unknown-key", setp(["config", "dropout"], 0.1))
    mod("dim-zero", setp(["config", "dim"], 0))
    mod("dim-negative", setp(["config", "dim"], -8))
    mod("dim-fraction", setp(["config", "dim"], 1.5))
    mod("dim-string", setp(["config", "dim"], "8"))
    raw("dim-huge", text.replace('"dim": 8,', '"dim": 1e30,', 1))
    mod("dim-missing", delp(["config", "dim"]))

    def heads3(m):
        m["config"]["heads"] = 3
        del m["config"]["head_dim"]
    mod("heads-not-dividing", heads3)
    mod("head-dim-too-large", setp(["config", "head_dim"], 40000))
    mod("max-len-zero", setp(["config", "max_len"], 0))

    def all_max(m):   # every size at its bound: tens of GB of weights if allocated before the check
        m["config"].update(dim=65536, heads=1, head_dim=65536, hidden=65536, max_len=65536)
    mod("config-all-max", all_max)
    mod("activation-swish", setp(["config", "activation"], "swish"))
    # multi-label (config.output): a name it does not know; an abstain rule on a sigmoid model
    mod("output-unknown", setp(["config", "output"], "softmax2"))
    mod("sigmoid-abstain", lambda m: (m["config"].update(output="sigmoid"),
                                      m.update(abstain={"label": "und"})))
    mod("residual-yes", setp(["config", "residual"], "yes"))

    # --- labels -------------------------------------------------------------------------------
    mod("labels-not-array", setp(["labels"], "en,fr,zh"))
    mod("labels-one", setp(["labels"], ["en"]))
    mod("labels-duplicate", setp(["labels"], ["en", "fr", "en"]))
    mod("labels-empty-label", setp(["labels"], ["en", "", "zh"]))
    mod("labels-tab", setp(["labels"], ["en", "f\tr", "zh"]))
    mod("labels-number", setp(["labels"], ["en", 2, "zh"]))
    raw("labels-bad-utf8", text.encode("utf-8").replace(b'"fr"', b'"f\xffr"', 1))
    # characters a label may not have (src/label.h), one file per kind; written as JSON \u
    # escapes so that the files read the same in any editor
    for name, label in [("labels-escape", r"f\u001b[31mr"),            # ESC: C0 control
                        ("labels-c1-control", r"fr\u0085"),            # NEL: C1 control
                        ("labels-zero-width-space", r"fr\u200b"),      # invisible (Cf)
                        ("labels-byte-order-mark", r"\ufefffr"),       # invisible (Cf)
                        ("labels-right-to-left-override", r"\u202efr"),  # bidi control (Cf)
                        ("labels-line-separator", r"f\u2028r"),        # Zl
                        ("labels-no-break-space", r"fr\u00a0"),        # a space at the end (Zs)
                        ("labels-leading-space", r" fr")]:             # a space at the start
        bad = text.replace('"labels": ["en", "fr", "zh"]', '"labels": ["en", "%s", "zh"]' % label, 1)
        assert bad != text
        raw(name, bad)

    # --- tokenizer ------------------------------------------------------------------------------
    mod("tokenizer-normalize-nfd", setp(["tokenizer"], {"normalize": "nfd"}))
    mod("tokenizer-unknown-key", setp(["tokenizer"], {"lowercase": True}))
    mod("tokenizer-split-script-unknown", setp(["tokenizer"], {"split_scripts": ["han", "latin"]}))
    mod("tokenizer-unk-missing", setp(["tokenizer"], {"unk_token": "<unk>"}))
    mod("tokenizer-word-apostrophes-string", setp(["tokenizer"], {"word_apostrophes": "yes"}))

    # --- vocab --------------------------------------------------------------------------------
    mod("vocab-empty", setp(["vocab"], []))
    mod("vocab-duplicate", setp(["vocab"], TOKENS[:-1] + ["cat"]))
    mod("vocab-empty-token", setp(["vocab"], TOKENS[:5] + [""] + TOKENS[6:]))
    mod("vocab-non-string", setp(["vocab"], TOKENS[:5] + [5] + TOKENS[6:]))
    mod("vocab-control-char", setp(["vocab"], TOKENS[:5] + ["go\x7fod"] + TOKENS[6:]))
    mod("vocab-not-array", setp(["vocab"], "tiny-vocab.txt"))
    mod("vocab-file-missing", setp(["vocab"], {"file": "no-such-vocab.txt"}))  # no case yet
    mod("vocab-file-duplicate", setp(["vocab"], {"file": "vocab-file-duplicate.txt"}))
    dup = TOKENS[:-1] + ["chat"]
    w.write("bad/vocab-file-duplicate.txt", "\n".join(dup) + "\n")
    mod("vocab-file-empty-line", setp(["vocab"], {"file": "vocab-file-empty-line.txt"}))
    w.write("bad/vocab-file-empty-line.txt",
            "\r\n".join(TOKENS[:7] + [""] + TOKENS[8:]) + "\r\n")
    mod("vocab-file-empty", setp(["vocab"], {"file": "vocab-file-empty.txt"}))
    w.write("bad/vocab-file-empty.txt", "")
    # files a model may not name (docs/model-format.md, "Files a model names"); the golden cases
    # ref-* add links, FIFOs, directories and devices made when they run
    mod("ref-absolute", setp(["vocab"], {"file": "/etc/passwd"}))
    mod("ref-dotdot", setp(["vocab"], {"file": "../tiny-vocab.txt"}))   # loaded before the rule
    mod("ref-empty-name", setp(["vocab"], {"file": ""}))

    # --- character n-grams (docs/model-format.md, "config" and "Character n-grams") ----------
    mod_ngram("ngram-buckets-negative", setp(["config", "ngram_buckets"], -1))
    mod_ngram("ngram-buckets-huge", setp(["config", "ngram_buckets"], 16777217))
    mod_ngram("ngram-buckets-fraction", setp(["config", "ngram_buckets"], 2.5))
    mod_ngram("ngram-min-zero", setp(["config", "ngram_min"], 0))
    mod_ngram("ngram-max-too-long", setp(["config", "ngram_max"], 17))
    mod_ngram("ngram-min-above-max", setp(["config", "ngram_min"], 4))
    mod("ngram-min-without-buckets", setp(["config", "ngram_min"], 2))
    mod("ngram-max-with-zero-buckets",
        lambda m: m["config"].update(ngram_buckets=0, ngram_max=3))
    mod_ngram("ngram-tensor-missing", delp(["tensors", "ngram.weight"]))
    mod("ngram-tensor-extra", setp(["tensors", "ngram.weight"], ngram["tensors"]["ngram.weight"]))
    mod_ngram("ngram-wrong-shape", setp(["config", "ngram_buckets"], 4))
    mod_ngram("ngram-weights-too-large",
              setp(["tensors", "ngram.weight", "data", 0, 0], 3e37))

    # --- tensors (inline) ---------------------------------------------------------------------
    mod("tensors-not-object", setp(["tensors"], []))
    mod("tensor-missing", delp(["tensors", "hidden.bias"]))
    # positions (config.position): an unknown mode, a table the mode does not have, a learned
    # table missing, the halves layout at an odd dim (checked before any tensor)
    mod("position-unknown", setp(["config", "position"], "rotary"))
    mod("position-not-string", setp(["config", "position"], 1))
    mod("position-table-not-learned", setp(["config", "position"], "sinusoidal"))
    mod("position-learned-table-missing", delp(["tensors", "position.weight"]))

    def halves_odd(m):
        m["config"].update(dim=7, position="sinusoidal-halves")
    mod("position-halves-odd-dim", halves_odd)

    def table_too_large(m):   # 65536 x 512 values: a 200-byte file must not ask for 128 MiB
        m["config"].update(dim=512, max_len=65536, position="sinusoidal")
    mod("position-table-too-large", table_too_large)
    mod("tensor-extra", setp(["tensors", "attn.bias_k"],
                             {"dtype": "F32", "shape": [1, 8], "data": [[0.0] * 8]}))
    mod("tensor-unknown-key", setp(["tensors", "hidden.bias", "requires_grad"], False))
    mod("tensor-dtype-missing", delp(["tensors", "hidden.bias", "dtype"]))

    def transposed(m):
        t = m["tensors"]["attn.in_proj_weight"]
        t["shape"] = [DIM, 3 * H]
        t["data"] = [list(col) for col in zip(*t["data"])]
    mod("shape-transposed", transposed)

    def emb_rows(m):
        t = m["tensors"]["embedding.weight"]
        t["shape"] = [len(TOKENS) - 1, DIM]
        t["data"] = t["data"][:-1]
    mod("embedding-rows", emb_rows)

    def cls_rows(m):
        t = m["tensors"]["classifier.weight"]
        t["shape"] = [2, HIDDEN]
        t["data"] = t["data"][:2]
    mod("classifier-rows", cls_rows)
    mod("shape-negative", setp(["tensors", "hidden.bias", "shape"], [-6]))
    mod("data-too-short", lambda m: m["tensors"]["position.weight"]["data"].pop())
    mod("data-nested-wrong-length", lambda m: m["tensors"]["embedding.weight"]["data"][3].pop())
    mod("data-not-array", setp(["tensors", "hidden.bias", "data"], "0.1 0.2"))

    def data_string(m):
        m["tensors"]["hidden.weight"]["data"][2][5] = "0.5"
    mod("data-string", data_string)

    def data_big(m):
        m["tensors"]["hidden.weight"]["data"][1][4] = 1e39
    mod("data-1e39", data_big)

    def data_overflow(m):   # finite, but q·k of some input would pass float's range
        m["tensors"]["attn.in_proj_weight"]["data"][0][0] = 1e20
    mod("weights-overflow", data_overflow)
    # 2^128 - 2^103: halfway between FLT_MAX and 2^128, rounds to +Inf in float32
    # (golden case bad-data-rounds-to-inf)
    raw("data-rounds-to-inf", text.replace(
        '"classifier.bias": {"dtype": "F32", "shape": [3], "data": [0.6,',
        '"classifier.bias": {"dtype": "F32", "shape": [3], "data": [340282356779733661637539395458142568448,', 1))
    mod("dtype-f16-inline", setp(["tensors", "hidden.bias", "dtype"], "F16"))
    mod("dtype-i8-inline", setp(["tensors", "hidden.weight", "dtype"], "I8"))
    mod("dtype-unknown", setp(["tensors", "hidden.bias", "dtype"], "F8"))
    mod("no-data-no-weights-file", delp(["tensors", "hidden.bias", "data"]))

    # --- safetensors ----------------------------------------------------------------------------
    stm = st_model(tiny, "X")

    def st_case(name, st_bytes, fn=None):
        m = copy.deepcopy(stm)
        m["weights_file"] = name + ".safetensors"
        if fn:
            fn(m)
        w.write("bad/%s.json" % name, dump(m))
        if st_bytes is not None:
            w.write("bad/%s.safetensors" % name, st_bytes)

    good = st_entries(weights)
    meta = {"format": "pt"}

    st_case("st-weights-file-missing", None)           # golden: bad-st-weights-file-missing
    st_case("st-too-short", b"\x10\0\0\0")
    # text, not safetensors: its first 8 bytes ("This is ") read as a header length of
    # 2338328219631577172, which the message must not print (it is the file's content)
    st_case("st-not-safetensors", b"This is not a safetensors file.\n")
    st_case("ref-weights-absolute", None, setp(["weights_file"], "/etc/passwd"))
    st_case("ref-weights-dotdot", None, setp(["weights_file"], "../tiny-st.safetensors"))
    st_case("st-header-too-long", struct.pack("<Q", 1 << 20) + b'{"a":1}')
    bad_hdr = safetensors(good, meta)
    n = struct.unpack("<Q", bad_hdr[:8])[0]
    hdr = bad_hdr[8:8 + n].replace(b'"shape":[6]', b'"shape":[6,]', 1)
    st_case("st-header-invalid-json", bad_hdr[:8] + hdr + bad_hdr[8 + n:])
    st_case("st-header-not-object", struct.pack("<Q", 8) + b"[1,2,3] ")

    def edit_header(entries, fn):
        raw_b = safetensors(entries, meta)
        n = struct.unpack("<Q", raw_b[:8])[0]
        h = json.loads(raw_b[8:8 + n])
        fn(h)
        hb = json.dumps(h, separators=(",", ":")).encode()
        hb += b" " * (-len(hb) % 8)
        return struct.pack("<Q", len(hb)) + hb + raw_b[8 + n:]

    total = sum(len(e[3]) for e in good)
    st_case("st-offsets-out-of-range", edit_header(
        good, lambda h: h["hidden.bias"].update(data_offsets=[total - 8, total + 16])))

    def shrink(h):
        b, e = h["hidden.bias"]["data_offsets"]
        h["hidden.bias"]["data_offsets"] = [b, e - 4]
    st_case("st-offsets-inconsistent", edit_header(good, shrink))
    st_case("st-offsets-not-numbers", edit_header(
        good, lambda h: h["hidden.bias"].update(data_offsets=["0", "24"])))

    f64 = [(n_, "F64", s, struct.pack("<%dd" % (len(d) // 4), *struct.unpack("<%df" % (len(d) // 4), d)))
           if n_ == "hidden.bias" else (n_, dt, s, d) for n_, dt, s, d in good]
    st_case("st-dtype-differs", safetensors(f64, meta))
    swapped = [(n_, dt, [s[1], s[0]] if n_ == "classifier.weight" else s, d) for n_, dt, s, d in good]
    st_case("st-shape-differs", safetensors(swapped, meta))
    st_case("st-dtype-unknown", edit_header(good, lambda h: h["hidden.bias"].update(dtype="I32")))
    st_case("st-extra-tensor", safetensors(good + [("attn.bias_k", "F32", [1, 8], f32([0.0] * 8))], meta))
    st_case("st-missing-tensor", safetensors([e for e in good if e[0] != "attn.out_proj.bias"], meta))
    st_case("st-metadata-not-string", edit_header(good, lambda h: h.update(__metadata__={"epochs": 3})))

    def with_value(name, index, value):
        out = []
        for n_, dt, s, d in good:
            if n_ == name:
                vals = list(struct.unpack("<%df" % (len(d) // 4), d))
                vals[index] = value
                d = f32(vals)
            out.append((n_, dt, s, d))
        return out
    # st-nan, st-inf: golden cases bad-st-nan, bad-st-inf
    st_case("st-nan", safetensors(with_value("hidden.weight", 1 * DIM + 2, float("nan")), meta))
    st_case("st-inf", safetensors(with_value("attn.out_proj.bias", 5, float("-inf")), meta))

    # the embedding stored as F16, which the loader keeps as F16 and checks as halves: a NaN, an
    # infinity (the table's last element), and its largest half (65504) with an in_proj weight
    # of 1e13 (float32), which bound the attention scores beyond float's range
    def f16_embedding(changes):
        out = []
        for n_, dt, s, d in good:
            vals = list(struct.unpack("<%df" % (len(d) // 4), d))
            for (name, index), value in changes.items():
                if name == n_:
                    vals[index] = value
            if n_ == "embedding.weight":
                dt, d = "F16", struct.pack("<%de" % len(vals), *vals)
            else:
                d = f32(vals)
            out.append((n_, dt, s, d))
        return out

    def f16_dtype(m):
        m["tensors"]["embedding.weight"]["dtype"] = "F16"
    emb = "embedding.weight"
    st_case("st-f16-nan", safetensors(f16_embedding({(emb, 3 * DIM + 5): float("nan")}), meta),
            f16_dtype)
    st_case("st-f16-inf", safetensors(f16_embedding({(emb, len(TOKENS) * DIM - 1): float("-inf")}),
                                      meta), f16_dtype)
    st_case("st-f16-too-large", safetensors(f16_embedding(
        {(emb, 2 * DIM + 1): 65504.0, ("attn.in_proj_weight", 0): 1e13}), meta), f16_dtype)

    # the embedding stored as I8 with its per-row scales (embedding.weight.scale, F32 [rows]:
    # docs/model-format.md, "Quantised weights"); scales(list) -> the scales entry, or None for
    # none; the loader refuses a missing, mistyped or misshapen scales tensor, a NaN or negative
    # scale, and a q * scale beyond float32
    rows = len(TOKENS)

    def i8_embedding(scales=lambda v: ("F32", [rows], f32(v)), q=1):
        out = []
        for e in good:
            if e[0] != "embedding.weight":
                out.append(e)
                continue
            out.append((e[0], "I8", e[2], bytes([q & 0xff]) * (rows * DIM)))
            sc = scales([0.01] * rows)
            if sc is not None:
                out.append(("embedding.weight.scale",) + sc)
        return out

    def i8_dtype(m):
        m["tensors"]["embedding.weight"]["dtype"] = "I8"

    def with_scale(index, value):
        def fn(v):
            v[index] = value
            return "F32", [rows], f32(v)
        return fn
    st_case("st-i8-scale-missing", safetensors(i8_embedding(lambda v: None), meta), i8_dtype)
    st_case("st-i8-scale-dtype", safetensors(i8_embedding(
        lambda v: ("F16", [rows], struct.pack("<%de" % rows, *v))), meta), i8_dtype)
    st_case("st-i8-scale-shape", safetensors(i8_embedding(
        lambda v: ("F32", [rows - 1], f32(v[1:]))), meta), i8_dtype)
    st_case("st-i8-scale-nan", safetensors(i8_embedding(with_scale(2, float("nan"))), meta),
            i8_dtype)
    st_case("st-i8-scale-negative", safetensors(i8_embedding(with_scale(rows - 1, -0.5)), meta),
            i8_dtype)
    # -128 (a value textclf never writes but reads) times 3e36 overflows float32
    st_case("st-i8-too-large", safetensors(i8_embedding(with_scale(4, 3e36), q=-128), meta),
            i8_dtype)
    # scales for a tensor that is not I8
    st_case("st-i8-scale-orphan", safetensors(
        good + [("hidden.weight.scale", "F32", [HIDDEN], f32([0.5] * HIDDEN))], meta))
    # a vector as I8: there is no row to give a scale
    st_case("st-i8-vector", safetensors(
        [("hidden.bias", "I8", [HIDDEN], bytes(HIDDEN)) if e[0] == "hidden.bias" else e
         for e in good] + [("hidden.bias.scale", "F32", [HIDDEN], f32([1.0] * HIDDEN))], meta),
        lambda m: m["tensors"]["hidden.bias"].update(dtype="I8"))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    w = Writer(outdir)
    weights = make_weights()
    tiny = base_model(weights)
    w.write("tiny.json", dump(tiny))

    st = st_model(tiny, "tiny-st.safetensors")
    w.write("tiny-st.json", dump(st))
    w.write("tiny-st.safetensors", safetensors(st_entries(weights), {"format": "pt"}))

    # the same weights read through the converting paths of the loader: float32 data at an
    # unaligned offset (header length 8k+3), and F64 data (float32 values, so converted exactly)
    st = st_model(tiny, "tiny-st-unaligned.safetensors")
    w.write("tiny-st-unaligned.json", dump(st))
    blob = safetensors(st_entries(weights), {"format": "pt"}, pad=False)
    n = struct.unpack("<Q", blob[:8])[0]
    extra = (3 - n) % 8
    w.write("tiny-st-unaligned.safetensors",
            struct.pack("<Q", n + extra) + blob[8:8 + n] + b" " * extra + blob[8 + n:])
    st = st_model(tiny, "tiny-st-f64.safetensors")
    for t in st["tensors"].values():
        t["dtype"] = "F64"
    w.write("tiny-st-f64.json", dump(st))
    w.write("tiny-st-f64.safetensors", safetensors(
        [(n_, "F64", shape_of(weights[n_]), struct.pack("<%dd" % len(flat(weights[n_])),
          *struct.unpack("<%df" % len(flat(weights[n_])), f32(flat(weights[n_])))))
         for n_ in TENSOR_NAMES], {"format": "pt"}))

    # I8 (docs/model-format.md, "Quantised weights"): every matrix int8 with its per-row scales,
    # vectors F32 (rounded as textclf quantize does, here in float64: the fuzz harness's seed of
    # a valid I8 file, not a reference for the rounding, which tests/parity checks)
    st = st_model(tiny, "tiny-st-i8.safetensors")
    entries = []
    for n_ in TENSOR_NAMES:
        shape = shape_of(weights[n_])
        vals = list(struct.unpack("<%df" % len(flat(weights[n_])), f32(flat(weights[n_]))))
        if len(shape) == 1:
            entries.append((n_, "F32", shape, f32(vals)))
            continue
        st["tensors"][n_]["dtype"] = "I8"
        q, scales = [], []
        for r in range(shape[0]):
            row = vals[r * shape[1]:(r + 1) * shape[1]]
            sc = struct.unpack("<f", f32([max(abs(v) for v in row) / 127]))[0]
            scales.append(sc)
            q += [max(-127, min(127, round(v / sc))) if sc > 0 else 0 for v in row]
        entries.append((n_, "I8", shape, struct.pack("<%db" % len(q), *q)))
        entries.append((n_ + ".scale", "F32", [shape[0]], f32(scales)))
    w.write("tiny-st-i8.json", dump(st))
    w.write("tiny-st-i8.safetensors", safetensors(entries, {"format": "pt"}))

    # character n-grams (docs/model-format.md): tiny with 5 buckets of n-grams of 1 to 3 code
    # points, whose rows lean towards the labels as the embeddings do
    w.write("tiny-ngram.json", dump(ngram_model(tiny)))
    # the position modes (docs/model-format.md, config.position): tiny's other weights with no
    # position vectors, and with the paper's sinusoidal table in place of position.weight
    w.write("tiny-pos-none.json", dump(position_model(tiny, "none")))
    w.write("tiny-sinusoidal.json", dump(position_model(tiny, "sinusoidal")))
    # multi-label (docs/model-format.md, config.output "sigmoid"): tiny's weights, each label's
    # probability σ(z) on its own; the classifier's biases lowered so that a document may have
    # no label at 0.5, one, or several
    w.write("tiny-sigmoid.json", dump(sigmoid_model(tiny)))

    vf = copy.deepcopy(tiny)
    vf["vocab"] = {"file": "tiny-vocab.txt"}
    w.write("tiny-vocabfile.json", dump(vf))
    w.write("tiny-vocab.txt", "\n".join(TOKENS) + "\n")

    bad_models(w, tiny, weights)

    # remove files of bad/ that this script no longer writes
    bad_dir = os.path.join(outdir, "bad")
    for f in sorted(os.listdir(bad_dir)):
        if "bad/" + f not in w.names:
            os.remove(os.path.join(bad_dir, f))


if __name__ == "__main__":
    main()
