"""Importing models trained elsewhere: tools/import_torch.py and tools/import_keras.py end to end.

Usage:  /usr/bin/python3 tests/convert/check_import.py TEXTCLF OUTDIR

For each case a random model is built in the foreign layout (a PyTorch module and its state dict,
or Keras-layout arrays in a .npz), imported with the tool (run as a command), and
`TEXTCLF classify --all --format jsonl -z` on ~290 varied documents (tests/parity/gen.py's:
handcrafted, invalid UTF-8, around max_len, random) must give the foreign model's probabilities
within 1e-5 (as tests/parity). The references are computed independently of the tools:

  torch-mha-packed      textclf_ref.TextClassifier (nn.MultiheadAttention), its state dict as is
  torch-user-linear-qkv a user's module with its own names and three nn.Linear q/k/v projections
                        (head_dim 6 != dim/heads 4), bias=False classifier, DataParallel prefix,
                        an extra buffer: --map, --ignore
  torch-mha-separate    nn.MultiheadAttention with separate q/k/v_proj_weight
                        (_qkv_same_embed_dim False) and bias=False
  keras-named-kd12      Keras MultiHeadAttention arrays, d=32, 4 heads, key_dim=12 (!= d/h = 8),
                        Keras-3-style names (some with Keras 2's ":0") renamed with --map; the
                        reference is numpy float64 with Keras' own einsum equations
  keras-positional-kd5  the same from `np.savez(path, *layer.get_weights(), ...)` (arr_0..13),
                        d=16, 2 heads, key_dim=5, gelu, no residual
  keras-multilabel      a sigmoid Dense output (multi-label): --multi-label; control: the same
                        arrays imported as a softmax must differ by more than 0.05
  keras-wrong-layout    control: a deliberately wrong conversion (head and key_dim axes swapped)
                        must differ by more than 1e-3, so the comparison can see a layout error
  keras-textclassifier  the Keras tutorial's TextClassifier as written (docs/import.md): Embedding,
                        MultiHeadAttention(key_dim = embedding width), no residual, no positions,
                        mean, Dense relu, Dropout, Dense logits; `np.savez(path,
                        *model.get_weights())` (13 arrays); the reference is numpy arithmetic
  keras-sine-position   Keras-NLP's SinePositionEncoding (its own formula in numpy) added to the
                        embeddings: --position sinusoidal; control: the same weights imported
                        without positions must differ by more than 1e-3
  torch-tutorial-pe     the PyTorch tutorial's PositionalEncoding (a float32 `pe` buffer
                        [5000, 1, d], as the tutorial computes it) and its `* sqrt(d_model)`:
                        recognised as position "sinusoidal", --scale-embedding; the reference
                        is the module's own forward in float64
  torch-marian-halves   Hugging Face Marian's sinusoidal table (sines, then cosines; a frozen
                        nn.Embedding weight) mapped to position.pe: "sinusoidal-halves"
  torch-no-position     a module without positions: position "none", --max-len

Then the tools' errors: exit status and one line on stderr. Prints one line per check and ends
with `N passed, N failed`; exits 1 on any failure.
"""

import json
import math
import os
import random
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "parity"))
import textclf_ref as ref  # noqa: E402
import gen  # noqa: E402  (vocabulary and documents of the parity test)
import export  # noqa: E402
import import_keras  # noqa: E402

PY = sys.executable
TOL = 1e-5
SEPARATE_SEED = 10  # weights whose predictions vary (checked)
results = []


def record(name, ok, detail):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


class Data:
    """Vocabulary, labels, documents and their reference token ids for one max_len."""

    def __init__(self, outdir, name, max_len, labels, seed):
        rng = random.Random(seed)
        self.vocab = gen.model_vocab({}, rng)
        self.labels = labels
        self.tok = ref.Tokenizer({}, self.vocab, max_len)
        words = [t for t in self.vocab if t != self.tok.unk and not t.startswith("##")]
        self.docs = gen.all_docs(self.tok, rng, words, n_random=150)
        self.ids = [self.tok.ids(d) for d in self.docs]
        self.dir = os.path.join(outdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.vocab_path = os.path.join(self.dir, "vocab.txt")
        with open(self.vocab_path, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(t + "\n" for t in self.vocab))
        self.labels_path = os.path.join(self.dir, "labels.txt")
        with open(self.labels_path, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(lab + "\n" for lab in labels))
        self.texts = os.path.join(self.dir, "texts.bin")
        with open(self.texts, "wb") as f:
            f.write(b"".join(d + b"\x00" for d in self.docs))

    def textclf_probs(self, textclf, model):
        """textclf's probabilities [docs, labels] and token counts, or raises with its stderr."""
        r = subprocess.run([textclf, "classify", "-m", model, "--all", "--format", "jsonl", "-z",
                            self.texts], capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(f"textclf exited {r.returncode}: {r.stderr.decode()[:300]}")
        recs = [json.loads(line) for line in r.stdout.decode().splitlines()]
        probs = np.array([[rec["scores"][lab] for lab in self.labels] for rec in recs])
        return probs, [rec["tokens"] for rec in recs]


def compare(name, data, textclf, model, expected, min_diff=None):
    """Checks textclf's probabilities against expected [docs, labels] (float64 numpy)."""
    try:
        got, tokens = data.textclf_probs(textclf, model)
    except RuntimeError as e:
        record(name, False, str(e))
        return
    if got.shape != expected.shape:
        record(name, False, f"{got.shape[0]} records for {expected.shape[0]} documents")
        return
    diff = float(np.abs(got - expected).max())
    pred = np.bincount(expected.argmax(1), minlength=expected.shape[1])
    detail = f"max_diff={diff:.2e} docs={len(data.docs)} classes={pred.tolist()}"
    if min_diff is not None:   # a control: the wrong model must be visibly wrong
        record(name, diff > min_diff, detail + f" (must exceed {min_diff:g})")
        return
    problems = []
    if diff > TOL:
        problems.append(f"max abs difference {diff:.2e} > {TOL:g}")
    if tokens != [len(x) for x in data.ids]:
        problems.append("token counts differ from the reference tokenizer")
    if pred.max() > 0.85 * len(data.docs) or (pred > 0).sum() < 2:
        problems.append(f"predicted classes barely vary {pred.tolist()}: a weak test")
    record(name, not problems, detail + ("; " + "; ".join(problems) if problems else ""))
    return diff


def import_tool(name, tool, args):
    """Runs tools/TOOL with args; records a failure and returns False if it fails."""
    r = run([PY, os.path.join(ROOT, "tools", tool)] + args)
    if r.returncode != 0:
        record(name, False, f"{tool} exited {r.returncode}: {r.stderr.strip()[:300]}")
        return False
    # the model says where it came from
    source = args[args.index("--state-dict" if "--state-dict" in args else "--weights") + 1]
    with open(args[args.index("-o") + 1], encoding="utf-8") as f:
        meta = json.load(f).get("metadata")
    want = {"imported_by": "tools/" + tool, "source": os.path.basename(source)}
    if meta != want:
        record(name, False, f"metadata {meta!r}, expected {want!r}")
        return False
    return True


def normal(t, std, g):
    with torch.no_grad():
        t.copy_(torch.randn(t.shape, generator=g, dtype=t.dtype) * std)


# --- PyTorch -------------------------------------------------------------------------------------

def torch_probs(model, data):
    """float64 probabilities of a textclf_ref-style module, in padded batches."""
    m = model.double().eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(data.ids), 64):
            out.append(m.probs(*ref.batch_ids(data.ids[i:i + 64])))
    model.float()
    return torch.cat(out).numpy()


def case_torch_packed(outdir, textclf):
    data = Data(outdir, "torch-mha-packed", 24, ["neg", "neu", "pos"], 11)
    torch.manual_seed(1)
    model = ref.TextClassifier(len(data.vocab), 3, 32, 4, 24, 24, activation="gelu").eval()
    gen.init_weights(model, torch.Generator().manual_seed(5))
    sd = os.path.join(data.dir, "sd.pt")
    torch.save(model.state_dict(), sd)
    out = os.path.join(data.dir, "model.json")
    if import_tool("torch-mha-packed", "import_torch.py",
                   ["--state-dict", sd, "--vocab", data.vocab_path, "--labels", data.labels_path,
                    "--heads", "4", "--activation", "gelu", "-o", out]):
        compare("torch-mha-packed", data, textclf, out, torch_probs(model, data))


def case_torch_multilabel(outdir, textclf):
    """A multi-label module (a sigmoid per label): --multi-label gives its probabilities; the
    same weights imported without it (a softmax) must be visibly different."""
    data = Data(outdir, "torch-multilabel", 24, ["news", "sport", "tech", "travel"], 12)
    torch.manual_seed(2)
    model = ref.TextClassifier(len(data.vocab), 4, 32, 4, 24, 24, output="sigmoid").eval()
    gen.init_weights(model, torch.Generator().manual_seed(6))
    sd = os.path.join(data.dir, "sd.pt")
    torch.save(model.state_dict(), sd)
    args = ["--state-dict", sd, "--vocab", data.vocab_path, "--labels", data.labels_path,
            "--heads", "4", "--activation", "relu"]
    out, soft = os.path.join(data.dir, "model.json"), os.path.join(data.dir, "softmax.json")
    want = torch_probs(model, data)
    if import_tool("torch-multilabel", "import_torch.py", args + ["--multi-label", "-o", out]):
        compare("torch-multilabel", data, textclf, out, want)
    if import_tool("torch-multilabel-as-softmax", "import_torch.py", args + ["-o", soft]):
        compare("torch-multilabel imported without --multi-label differs", data, textclf, soft,
                want, min_diff=0.05)


class UserNet(nn.Module):
    """A user's own module: textclf's network under other names, three Linear projections,
    head_dim independent of dim/heads, no residual, tanh, a classifier without bias."""

    def __init__(self, V, C, d=24, heads=4, hd=6, max_len=20, hidden=16):
        super().__init__()
        self.h, self.hd = heads, hd
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(max_len, d)
        self.q, self.k, self.v = (nn.Linear(d, heads * hd) for _ in range(3))
        self.o = nn.Linear(heads * hd, d)
        self.fc1 = nn.Linear(d, hidden)
        self.fc2 = nn.Linear(hidden, C, bias=False)
        self.register_buffer("step", torch.zeros(()))   # not a weight: --ignore step

    def forward_one(self, ids):
        """probabilities [C] of one document (a list of ids), computed directly."""
        d = self.tok.weight.shape[1]
        if not ids:
            p = torch.zeros(d, dtype=self.tok.weight.dtype)
        else:
            t = torch.tensor(ids)
            x = self.tok(t) + self.pos(torch.arange(len(ids)))
            T = len(ids)
            q = self.q(x).view(T, self.h, self.hd).transpose(0, 1)
            k = self.k(x).view(T, self.h, self.hd).transpose(0, 1)
            v = self.v(x).view(T, self.h, self.hd).transpose(0, 1)
            a = torch.softmax(q @ k.transpose(1, 2) / self.hd ** 0.5, dim=-1)
            y = self.o((a @ v).transpose(0, 1).reshape(T, self.h * self.hd))
            p = y.mean(0)
        return torch.softmax(self.fc2(torch.tanh(self.fc1(p))), dim=-1)


def case_torch_user(outdir, textclf):
    data = Data(outdir, "torch-user-linear-qkv", 20, ["a", "b", "c", "d"], 12)
    torch.manual_seed(2)
    net = UserNet(len(data.vocab), 4).eval()
    g = torch.Generator().manual_seed(6)
    d, H = 24, 24
    normal(net.tok.weight, 1.0, g)
    normal(net.pos.weight, 0.5, g)
    for lin in (net.q, net.k):
        normal(lin.weight, (3.0 / (1.25 * d)) ** 0.5, g)
    normal(net.v.weight, 1 / d ** 0.5, g)
    normal(net.o.weight, 1 / H ** 0.5, g)
    for lin in (net.q, net.k, net.v, net.o, net.fc1):
        normal(lin.bias, 0.3, g)
    normal(net.fc1.weight, 1.5 / d ** 0.5, g)
    normal(net.fc2.weight, 2.0 / 16 ** 0.5, g)
    net.double()
    with torch.no_grad():
        expected = torch.stack([net.forward_one(x) for x in data.ids]).numpy()
    net.float()
    sd = os.path.join(data.dir, "sd.pt")
    torch.save({"module." + k: v for k, v in net.state_dict().items()}, sd)   # as DataParallel saves
    out = os.path.join(data.dir, "model.json")
    maps = ["tok.weight=embedding.weight", "pos.weight=position.weight", "q.=attn.q_proj.",
            "k.=attn.k_proj.", "v.=attn.v_proj.", "o.=attn.out_proj.", "fc1.=hidden.",
            "fc2.=classifier."]
    args = ["--state-dict", sd, "--vocab", data.vocab_path, "--labels", data.labels_path,
            "--heads", "4", "--activation", "tanh", "--no-residual", "--ignore", "step",
            "--inline", "-o", out]
    for m in maps:
        args += ["--map", m]
    r = run([PY, os.path.join(ROOT, "tools", "import_torch.py")] + args)
    if r.returncode != 0:
        record("torch-user-linear-qkv", False, f"import_torch.py exited {r.returncode}: {r.stderr.strip()}")
        return
    if "no classifier.bias: using zeros" not in r.stderr:
        record("torch-user-linear-qkv: note about the absent bias", False, repr(r.stderr))
    compare("torch-user-linear-qkv", data, textclf, out, expected)
    cfg = json.load(open(out))["config"]
    record("torch-user-linear-qkv: config from the tensors",
           cfg == {"dim": 24, "heads": 4, "head_dim": 6, "max_len": 20, "hidden": 16,
                   "activation": "tanh", "residual": False}, json.dumps(cfg))
    # errors: a key left over, a bad map, heads that do not divide, no --heads
    base = [a for a in args if a not in ("--ignore", "step")]
    checks = [
        ("leftover key", base, 1, "import_torch.py: error: unexpected key(s) step (rename them "
                                  "with --map, or drop them with --ignore)"),
        ("bad --map", args + ["--map", "q.=attn.q_proj"], 1,
         "import_torch.py: error: --map 'q.=attn.q_proj': a prefix rule needs a final '.' on both sides"),
        ("heads not dividing", [a if a != "4" else "5" for a in args], 1,
         "import_torch.py: error: the attention is 24 wide, which 5 heads do not divide"),
        ("no --heads", [a for a in args if a not in ("--heads", "4")], 2,
         "import_torch.py: error: --heads and --activation are required (or --config)"),
    ]
    for what, argv, status, msg in checks:
        r = run([PY, os.path.join(ROOT, "tools", "import_torch.py")] + argv)
        ok = r.returncode == status and r.stderr == msg + "\n"
        record(f"import_torch.py error: {what}", ok,
               "" if ok else f"exit {r.returncode}, stderr {r.stderr!r}")


def case_torch_separate(outdir, textclf):
    data = Data(outdir, "torch-mha-separate", 16, ["x", "y"], 13)
    torch.manual_seed(3)
    d, h = 16, 2
    model = ref.TextClassifier(len(data.vocab), 2, d, h, 16, 12, activation="relu").eval()
    # nn.MultiheadAttention keeps separate q/k/v_proj_weight only when kdim/vdim differ from
    # embed_dim; build it so, then give k and v projections for d-wide keys and values (what a
    # state dict saved from such a module with kdim = vdim = d-wide inputs holds)
    mha = nn.MultiheadAttention(d, h, batch_first=True, bias=False, kdim=2 * d, vdim=2 * d)
    mha.k_proj_weight = nn.Parameter(torch.empty(d, d))
    mha.v_proj_weight = nn.Parameter(torch.empty(d, d))
    mha.kdim = mha.vdim = d
    model.attn = mha.eval()
    g = torch.Generator().manual_seed(SEPARATE_SEED)
    normal(model.embedding.weight, 1.0, g)
    normal(model.position.weight, 0.5, g)
    normal(mha.q_proj_weight, (3.0 / (1.25 * d)) ** 0.5, g)
    normal(mha.k_proj_weight, (3.0 / (1.25 * d)) ** 0.5, g)
    normal(mha.v_proj_weight, 1 / d ** 0.5, g)
    normal(mha.out_proj.weight, 1 / d ** 0.5, g)
    normal(model.hidden.weight, 1.5 / d ** 0.5, g)
    normal(model.hidden.bias, 0.3, g)
    normal(model.classifier.weight, 2.0 / 12 ** 0.5, g)
    normal(model.classifier.bias, 0.3, g)
    keys = sorted(model.state_dict())
    if "attn.q_proj_weight" not in keys or "attn.in_proj_weight" in keys:
        record("torch-mha-separate", False, f"the module does not have separate projections: {keys}")
        return
    sd = os.path.join(data.dir, "sd.pt")
    torch.save(model.state_dict(), sd)
    out = os.path.join(data.dir, "model.json")
    if import_tool("torch-mha-separate", "import_torch.py",
                   ["--state-dict", sd, "--vocab", data.vocab_path, "--labels", data.labels_path,
                    "--heads", str(h), "--activation", "relu", "-o", out]):
        compare("torch-mha-separate", data, textclf, out, torch_probs(model, data))


# --- Keras ---------------------------------------------------------------------------------------

def keras_arrays(V, C, d, h, kd, max_len, hidden, seed):
    """Random Keras-layout weights (Embedding, position embedding, MultiHeadAttention, two Dense)."""
    r = np.random.default_rng(seed)
    s_qk = (3.0 / (1.25 * d)) ** 0.5
    return {
        "embedding/embeddings": r.normal(0, 1.0, (V, d)),
        "position/embeddings": r.normal(0, 0.5, (max_len, d)),
        "attention/query/kernel": r.normal(0, s_qk, (d, h, kd)),
        "attention/query/bias": r.normal(0, 0.3, (h, kd)),
        "attention/key/kernel": r.normal(0, s_qk, (d, h, kd)),
        "attention/key/bias": r.normal(0, 0.3, (h, kd)),
        "attention/value/kernel": r.normal(0, 1 / d ** 0.5, (d, h, kd)),
        "attention/value/bias": r.normal(0, 0.3, (h, kd)),
        "attention/attention_output/kernel": r.normal(0, 1 / (h * kd) ** 0.5, (h, kd, d)),
        "attention/attention_output/bias": r.normal(0, 0.3, (d,)),
        "hidden/kernel": r.normal(0, 1.5 / d ** 0.5, (d, hidden)),
        "hidden/bias": r.normal(0, 0.3, (hidden,)),
        "classifier/kernel": r.normal(0, 2.0 / hidden ** 0.5, (hidden, C)),
        "classifier/bias": r.normal(0, 0.3, (C,)),
    }


def keras_probs(w, id_lists, activation, residual, positions=None, output="softmax"):
    """The Keras model's probabilities, float64, with keras.layers.MultiHeadAttention's own
    equations (keras/layers/attention/multi_head_attention.py for rank-3 inputs): projections
    "abc,cde->abde", query scaled by 1/sqrt(key_dim), scores "aecd,abcd->acbe", softmax over
    keys, combination "acbe,aecd->abcd", output "abcd,cde->abe"; then masked mean pooling
    (GlobalAveragePooling1D with the padding mask; an empty document pools to 0, as in textclf),
    Dense(hidden, activation), Dense(C), softmax (or, output "sigmoid", Keras' sigmoid per label).
    One document at a time (batch a = 1).
    The position vectors are w's position/embeddings, else positions ([max_len, d]: a fixed
    encoding), else none."""
    from math import erf, sqrt
    kd = w["attention/query/kernel"].shape[2]
    d = w["embedding/embeddings"].shape[1]
    out = []
    for ids in id_lists:
        if ids:
            T = len(ids)
            x = w["embedding/embeddings"][ids]
            if "position/embeddings" in w:
                x = x + w["position/embeddings"][:T]
            elif positions is not None:
                x = x + positions[:T]
            x = x[None]                                                   # [1, T, d]
            proj = {}
            for part in ("query", "key", "value"):
                proj[part] = (np.einsum("abc,cde->abde", x, w[f"attention/{part}/kernel"])
                              + w[f"attention/{part}/bias"])
            q = proj["query"] * (1.0 / sqrt(kd))
            scores = np.einsum("aecd,abcd->acbe", proj["key"], q)        # [1, h, T, T]
            scores = scores - scores.max(-1, keepdims=True)
            a = np.exp(scores)
            a = a / a.sum(-1, keepdims=True)
            o = np.einsum("acbe,aecd->abcd", a, proj["value"])            # [1, T, h, kd]
            y = (np.einsum("abcd,cde->abe", o, w["attention/attention_output/kernel"])
                 + w["attention/attention_output/bias"])
            if residual:
                y = y + x
            p = y[0].mean(0)
        else:
            p = np.zeros(d)
        z = p @ w["hidden/kernel"] + w["hidden/bias"]
        if activation == "relu":
            z = np.maximum(z, 0)
        elif activation == "gelu":
            z = np.array([0.5 * v * (1 + erf(v / sqrt(2))) for v in z])
        else:
            z = np.tanh(z)
        logits = z @ w["classifier/kernel"] + w["classifier/bias"]
        if output == "sigmoid":
            out.append(1 / (1 + np.exp(-logits)))
            continue
        e = np.exp(logits - logits.max())
        out.append(e / e.sum())
    return np.array(out)


def case_keras_named(outdir, textclf):
    data = Data(outdir, "keras-named-kd12", 24, ["sports", "politics", "tech"], 14)
    d, h, kd = 32, 4, 12
    w = keras_arrays(len(data.vocab), 3, d, h, kd, 24, 20, 21)
    expected = keras_probs(w, data.ids, "relu", True)
    # saved as {w.path: w.numpy() for w in model.weights} would name them (Keras 3); Keras 2's
    # w.name adds ":0"
    theirs = {"embedding": "token_emb", "position": "pos_emb", "attention": "mha",
              "hidden": "dense", "classifier": "dense_1"}
    named = {}
    for i, (k, v) in enumerate(w.items()):
        layer, rest = k.split("/", 1)
        named[f"{theirs[layer]}/{rest}" + (":0" if i % 2 else "")] = v.astype(np.float32)
    npz = os.path.join(data.dir, "weights.npz")
    np.savez(npz, **named)
    out = os.path.join(data.dir, "model.json")
    args = ["--weights", npz, "--vocab", data.vocab_path, "--labels", data.labels_path,
            "--activation", "relu", "-o", out]
    for ours, t in theirs.items():
        args += ["--map", f"{t}={ours}"]
    if import_tool("keras-named-kd12", "import_keras.py", args):
        # float32 arrays: the reference uses the float32 values too
        w32 = {k: v.astype(np.float32).astype(np.float64) for k, v in w.items()}
        compare("keras-named-kd12", data, textclf, out, keras_probs(w32, data.ids, "relu", True))
        cfg = json.load(open(out))["config"]
        record("keras-named-kd12: head_dim is key_dim", cfg["head_dim"] == 12 and cfg["heads"] == 4
               and cfg["dim"] == 32, json.dumps(cfg))
    # control: heads and key_dim axes swapped (a plausible conversion mistake)
    sd, sizes = import_keras.state_dict(w)
    H = h * kd
    bad = dict(sd)
    for i in range(3):
        k = w[("attention/query/kernel", "attention/key/kernel", "attention/value/kernel")[i]]
        bad_rows = torch.from_numpy(np.ascontiguousarray(k.transpose(0, 2, 1).reshape(d, H).T))
        bad["attn.in_proj_weight"] = bad["attn.in_proj_weight"].clone()
        bad["attn.in_proj_weight"][i * H:(i + 1) * H] = bad_rows
    model = export.model_from_state_dict(bad, dict(sizes, activation="relu", residual=True),
                                         data.vocab, data.labels, "control")
    wrong = os.path.join(data.dir, "wrong.json")
    ref.save_model(wrong, model, data.vocab, data.labels, {}, weights="safetensors")
    compare("keras-wrong-layout (control)", data, textclf, wrong, expected, min_diff=1e-3)
    # errors: value_dim != key_dim, an array left over
    bad_v = dict(named)
    bad_v["mha/value/kernel"] = np.zeros((d, h, kd + 1), np.float32)
    bad_v.pop("mha/value/kernel:0", None)
    npz2 = os.path.join(data.dir, "bad-value.npz")
    np.savez(npz2, **bad_v)
    extra = dict(named, **{"dropout/seed": np.zeros(1)})
    npz3 = os.path.join(data.dir, "extra.npz")
    np.savez(npz3, **extra)
    checks = [
        ("value_dim != key_dim", npz2,
         "import_keras.py: error: attention/value/kernel has shape [32, 4, 13], expected [32, 4, 12] "
         "(value_dim must equal key_dim)"),
        ("array left over", npz3,
         f"import_keras.py: error: {npz3}: unexpected array(s) dropout/seed (rename them with --map "
         "THEIRS=OURS; expected names: " + ", ".join(import_keras.ORDER) + ")"),
    ]
    for what, path, msg in checks:
        argv = [a if a != npz else path for a in args]
        r = run([PY, os.path.join(ROOT, "tools", "import_keras.py")] + argv)
        ok = r.returncode == 1 and r.stderr == msg + "\n"
        record(f"import_keras.py error: {what}", ok,
               "" if ok else f"exit {r.returncode}, stderr {r.stderr!r}")


def case_keras_positional(outdir, textclf):
    data = Data(outdir, "keras-positional-kd5", 12, ["p", "q", "r"], 15)
    w = keras_arrays(len(data.vocab), 3, 16, 2, 5, 12, 10, 22)
    w = {k: v.astype(np.float32).astype(np.float64) for k, v in w.items()}
    npz = os.path.join(data.dir, "weights.npz")
    np.savez(npz, *[v.astype(np.float32) for v in w.values()])   # arr_0 .. arr_13, layer order
    out = os.path.join(data.dir, "model.json")
    if import_tool("keras-positional-kd5", "import_keras.py",
                   ["--weights", npz, "--vocab", data.vocab_path, "--labels", "p,q,r",
                    "--activation", "gelu", "--no-residual", "--inline", "-o", out]):
        compare("keras-positional-kd5", data, textclf, out, keras_probs(w, data.ids, "gelu", False))


def case_keras_multilabel(outdir, textclf):
    """A Keras multi-label model (Dense(C, activation="sigmoid") trained with
    binary_crossentropy): --multi-label gives its per-label sigmoids; the same arrays imported
    without it (a softmax) must differ."""
    data = Data(outdir, "keras-multilabel", 16, ["a", "b", "c", "d"], 18)
    w = keras_arrays(len(data.vocab), 4, 16, 2, 8, 16, 10, 26)
    w = {k: v.astype(np.float32).astype(np.float64) for k, v in w.items()}
    npz = os.path.join(data.dir, "weights.npz")
    np.savez(npz, *[v.astype(np.float32) for v in w.values()])
    out, soft = os.path.join(data.dir, "model.json"), os.path.join(data.dir, "softmax.json")
    args = ["--weights", npz, "--vocab", data.vocab_path, "--labels", "a,b,c,d",
            "--activation", "relu", "--inline"]
    want = keras_probs(w, data.ids, "relu", True, output="sigmoid")
    if import_tool("keras-multilabel", "import_keras.py", args + ["--multi-label", "-o", out]):
        compare("keras-multilabel", data, textclf, out, want)
        cfg = json.load(open(out))["config"]
        record("keras-multilabel: config.output", cfg.get("output") == "sigmoid", json.dumps(cfg))
    if import_tool("keras-multilabel-as-softmax", "import_keras.py", args + ["-o", soft]):
        compare("keras-multilabel imported without --multi-label differs", data, textclf, soft,
                want, min_diff=0.05)


def keras_nlp_sine(T, d, max_wavelength=10000):
    """Keras-NLP's SinePositionEncoding for T positions of width d, its own formula
    (keras_nlp/layers/modeling/sine_position_encoding.py), in float64: timescales
    (1/max_wavelength)^(2*(i//2)/d), sin on even columns, cos on odd ones."""
    position = np.arange(T, dtype=np.float64)
    timescales = np.power(1.0 / max_wavelength, 2 * (np.arange(d) // 2) / d)
    angles = position[:, None] * timescales[None, :]
    cos_mask = (np.arange(d) % 2).astype(np.float64)
    return np.sin(angles) * (1 - cos_mask) + np.cos(angles) * cos_mask


def case_keras_textclassifier(outdir, textclf):
    """The Keras tutorial's TextClassifier (issue text, docs/import.md), as written: no position
    layer, key_dim = embedding_dim, no residual, logits out."""
    data = Data(outdir, "keras-textclassifier", 32, ["neg", "pos"], 16)
    d, h, hidden = 16, 2, 12
    w = keras_arrays(len(data.vocab), 2, d, h, d, 32, hidden, 25)
    del w["position/embeddings"]
    w = {k: v.astype(np.float32).astype(np.float64) for k, v in w.items()}
    npz = os.path.join(data.dir, "weights.npz")
    # model.get_weights() of the subclassed model: embedding, attention (q, k, v, output; kernel
    # then bias), dense, classifier; dropout has none
    np.savez(npz, *[v.astype(np.float32) for v in w.values()])
    out = os.path.join(data.dir, "model.json")
    args = ["--weights", npz, "--vocab", data.vocab_path, "--labels", "neg,pos",
            "--activation", "relu", "--no-residual", "--max-len", "32", "-o", out]
    if import_tool("keras-textclassifier", "import_keras.py", args):
        compare("keras-textclassifier", data, textclf, out,
                keras_probs(w, data.ids, "relu", False))
        cfg = json.load(open(out))["config"]
        record("keras-textclassifier: config", cfg == {
            "dim": 16, "heads": 2, "head_dim": 16, "max_len": 32, "hidden": 12,
            "activation": "relu", "residual": False, "position": "none"}, json.dumps(cfg))
    # without --max-len: 512 and a note saying so
    r = run([PY, os.path.join(ROOT, "tools", "import_keras.py")]
            + [a for a in args if a not in ("--max-len", "32")])
    note = ('import_keras.py: note: no position/embeddings: position "none", max_len 512 '
            '(--max-len to change; tokens past it are not read)\n')
    record("keras-textclassifier: default max_len noted", r.returncode == 0 and r.stderr == note,
           f"exit {r.returncode}, stderr {r.stderr!r}")


def case_keras_sine(outdir, textclf):
    data = Data(outdir, "keras-sine-position", 40, ["a", "b", "c"], 17)
    d, h, kd, hidden = 16, 2, 8, 10
    w = keras_arrays(len(data.vocab), 3, d, h, kd, 40, hidden, 25)
    del w["position/embeddings"]
    w = {k: v.astype(np.float32).astype(np.float64) for k, v in w.items()}
    expected = keras_probs(w, data.ids, "tanh", True, positions=keras_nlp_sine(40, d))
    npz = os.path.join(data.dir, "weights.npz")
    np.savez(npz, *[v.astype(np.float32) for v in w.values()])
    out = os.path.join(data.dir, "model.json")
    base = ["--weights", npz, "--vocab", data.vocab_path, "--labels", "a,b,c",
            "--activation", "tanh", "--max-len", "40"]
    if import_tool("keras-sine-position", "import_keras.py",
                   base + ["--position", "sinusoidal", "-o", out]):
        compare("keras-sine-position", data, textclf, out, expected)
    none = os.path.join(data.dir, "none.json")
    if import_tool("keras-sine-position (control)", "import_keras.py", base + ["-o", none]):
        compare("keras-sine-position: without positions (control)", data, textclf, none,
                expected, min_diff=1e-3)


class TutorialPositionalEncoding(nn.Module):
    """The PyTorch tutorial's PositionalEncoding ("Language Modeling with nn.Transformer"), as
    written there: a float32 buffer pe [max_len, 1, d_model]."""

    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):   # x [T, B, d]
        return self.dropout(x + self.pe[:x.size(0)])


class TutorialClassifier(nn.Module):
    """A classifier written around the tutorial's pieces: embedding * sqrt(d_model), the
    positional encoding, nn.MultiheadAttention (sequence first), residual, mean, Linear, ReLU,
    Linear; positions: "tutorial" (the module above), "marian" (Hugging Face Marian's table as
    a frozen embedding: sines then cosines) or None."""

    def __init__(self, V, C, d, heads, hidden, positions, max_len=64):
        super().__init__()
        self.d = d
        self.encoder = nn.Embedding(V, d)
        if positions == "tutorial":
            self.pos_encoder = TutorialPositionalEncoding(d)
        elif positions == "marian":
            # transformers' MarianSinusoidalPositionalEmbedding._init_weight, in float32
            pos = np.array([[p / np.power(10000, 2 * (j // 2) / d) for j in range(d)]
                            for p in range(max_len)])
            table = torch.empty(max_len, d)
            table[:, : d // 2] = torch.FloatTensor(np.sin(pos[:, 0::2]))
            table[:, d // 2:] = torch.FloatTensor(np.cos(pos[:, 1::2]))
            self.embed_positions = nn.Embedding(max_len, d)
            self.embed_positions.weight = nn.Parameter(table, requires_grad=False)
        self.positions = positions
        self.attn = nn.MultiheadAttention(d, heads)
        self.fc1 = nn.Linear(d, hidden)
        self.fc2 = nn.Linear(hidden, C)

    def forward_one(self, ids):
        if not ids:
            p = torch.zeros(self.d, dtype=self.encoder.weight.dtype)
        else:
            x = self.encoder(torch.tensor(ids))[:, None, :]                # [T, 1, d]
            if self.positions == "tutorial":
                x = x * math.sqrt(self.d)
                x = self.pos_encoder(x)
            elif self.positions == "marian":
                x = x + self.embed_positions(torch.arange(len(ids)))[:, None, :]
            y, _ = self.attn(x, x, x, need_weights=False)
            p = (y + x)[:, 0, :].mean(0)
        return torch.softmax(self.fc2(torch.relu(self.fc1(p))), dim=-1)


def tutorial_case(outdir, textclf, name, positions, extra_args, seed):
    """Builds TutorialClassifier with those positions, imports it with extra_args and compares
    textclf's probabilities with the module's (recorded as `name`); returns (data, model path,
    expected, the tool's stderr, its arguments, the model's config), or None when the import
    failed (recorded)."""
    data = Data(outdir, name, 24, ["u", "v", "w"], seed)
    torch.manual_seed(seed)
    d, h = 16, 2
    net = TutorialClassifier(len(data.vocab), 3, d, h, 12, positions).eval()
    g = torch.Generator().manual_seed(seed + 100)
    normal(net.encoder.weight, 1.0 / math.sqrt(d) if positions == "tutorial" else 1.0, g)
    s_qk = (3.0 / (1.25 * d)) ** 0.5
    with torch.no_grad():
        net.attn.in_proj_weight[: 2 * d].copy_(torch.randn(2 * d, d, generator=g) * s_qk)
        net.attn.in_proj_weight[2 * d:].copy_(torch.randn(d, d, generator=g) / d ** 0.5)
    for t, std in ((net.attn.in_proj_bias, 0.3), (net.attn.out_proj.weight, 1 / d ** 0.5),
                   (net.attn.out_proj.bias, 0.3), (net.fc1.weight, 1.5 / d ** 0.5),
                   (net.fc1.bias, 0.3), (net.fc2.weight, 2.0 / 12 ** 0.5), (net.fc2.bias, 0.3)):
        normal(t, std, g)
    net.double()
    with torch.no_grad():
        expected = torch.stack([net.forward_one(x) for x in data.ids]).numpy()
    net.float()
    sd = os.path.join(data.dir, "sd.pt")
    torch.save(net.state_dict(), sd)
    out = os.path.join(data.dir, "model.json")
    args = ["--state-dict", sd, "--vocab", data.vocab_path, "--labels", "u,v,w", "--heads", "2",
            "--activation", "relu", "--map", "encoder.weight=embedding.weight", "--map",
            "fc1.=hidden.", "--map", "fc2.=classifier.", "-o", out] + extra_args
    r = run([PY, os.path.join(ROOT, "tools", "import_torch.py")] + args)
    if r.returncode != 0:
        record(name, False, f"import_torch.py exited {r.returncode}: {r.stderr.strip()[:300]}")
        return None
    compare(name, data, textclf, out, expected)
    with open(out, encoding="utf-8") as f:
        cfg = json.load(f)["config"]
    return data, out, expected, r.stderr, args, cfg


def case_torch_tutorial_pe(outdir, textclf):
    got = tutorial_case(outdir, textclf, "torch-tutorial-pe", "tutorial",
                        ["--scale-embedding", "--max-len", "24"], 18)
    if not got:
        return
    data, out, expected, stderr, args, cfg = got
    record("torch-tutorial-pe: recognised as sinusoidal",
           cfg.get("position") == "sinusoidal" and cfg["max_len"] == 24
           and "pos_encoder.pe: [5000, 16] buffer recognised as the sinusoidal encoding "
               "(interleaved sin/cos" in stderr
           and "position.weight" not in json.load(open(out))["tensors"], json.dumps(cfg) + " " + stderr)
    # without --scale-embedding the embeddings are sqrt(d) = 4 times too small: visibly wrong
    unscaled = os.path.join(data.dir, "unscaled.json")
    r = run([PY, os.path.join(ROOT, "tools", "import_torch.py")]
            + [a if a != out else unscaled for a in args if a != "--scale-embedding"])
    if r.returncode == 0:
        compare("torch-tutorial-pe: without --scale-embedding (control)", data, textclf, unscaled,
                expected, min_diff=1e-3)
    else:
        record("torch-tutorial-pe: control import", False, r.stderr)
    # errors: a buffer that is not a sinusoid; --position contradicting the buffer
    sd = torch.load(args[args.index("--state-dict") + 1])
    sd["pos_encoder.pe"] = torch.randn(sd["pos_encoder.pe"].shape, generator=torch.Generator().manual_seed(1))
    noise = os.path.join(data.dir, "noise.pt")
    torch.save(sd, noise)
    checks = [
        ("a buffer that is not a sinusoid", [a if a != args[1] else noise for a in args], 1,
         "import_torch.py: error: pos_encoder.pe: a [5000, 16] buffer that is not a sinusoidal "
         "encoding textclf computes (it differs by "),
        ("--position against the buffer", args + ["--position", "sinusoidal-halves"], 1,
         "import_torch.py: error: --position sinusoidal-halves, but the buffer pos_encoder.pe is "
         "the sinusoidal encoding\n"),
    ]
    for what, argv, status, msg in checks:
        r = run([PY, os.path.join(ROOT, "tools", "import_torch.py")] + argv)
        ok = r.returncode == status and r.stderr.startswith(msg)
        record(f"import_torch.py error: {what}", ok,
               "" if ok else f"exit {r.returncode}, stderr {r.stderr!r}")


def case_torch_marian_halves(outdir, textclf):
    got = tutorial_case(outdir, textclf, "torch-marian-halves", "marian",
                        ["--map", "embed_positions.weight=position.pe", "--max-len", "24"], 18)
    if not got:
        return
    _, _, _, stderr, _, cfg = got
    record("torch-marian-halves: recognised as sinusoidal-halves",
           cfg.get("position") == "sinusoidal-halves" and "all sines, then all cosines" in stderr,
           json.dumps(cfg) + " " + stderr)


def case_torch_no_position(outdir, textclf):
    got = tutorial_case(outdir, textclf, "torch-no-position", None, ["--max-len", "24"], 22)
    if not got:
        return
    _, _, _, stderr, _, cfg = got
    record("torch-no-position: position none, no note", cfg.get("position") == "none"
           and cfg["max_len"] == 24 and stderr == "", json.dumps(cfg) + " " + repr(stderr))


def main():
    textclf, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(1)
    for case in (case_torch_packed, case_torch_multilabel, case_torch_user, case_torch_separate, case_keras_named,
                 case_keras_positional, case_keras_multilabel, case_keras_textclassifier,
                 case_keras_sine,
                 case_torch_tutorial_pe, case_torch_marian_halves, case_torch_no_position):
        try:
            case(outdir, textclf)
        except Exception as e:  # a broken case is a failure, not a crash of the suite
            import traceback
            traceback.print_exc()
            record(case.__name__, False, f"{type(e).__name__}: {e}")
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
