#!/usr/bin/python3
"""Training steps in PyTorch against the C ones (tests/train_step/step.c).

    torch_step.py gen OUTDIR            write OUTDIR/<case>/{model,batch,torch}.json and
                                        OUTDIR/cases.txt
    torch_step.py compare OUTDIR CASE.. compare OUTDIR/<case>/c.json (written by the C binary) with
                                        torch.json; one PASS/FAIL line per case, then the self-test
                                        of the comparison (perturbed C results must FAIL)

The same initial weights (an inline model file from tools/textclf_ref.py, loaded by both sides),
the same batch (token ids, labels, class weights) and the same optimiser settings go into
  PyTorch: TextClassifier.train(), CrossEntropyLoss(weight=w) (batch mean) or, for a sigmoid
           (multi-label) model, BCEWithLogitsLoss on multi-hot targets (mean over the batch and
           the labels: TextClassifier.loss), loss.backward(),
           clip_grad_norm_, torch.optim.AdamW with one param group per weight-decay value;
  C:       tc_backprop_doc per document, gradients / Σ w[label], tc_clip_grad_norm, tc_adamw_step.
No dropout on either side (the reference module has none; the C side is called with 0).

What is compared, and the tolerances (float32 on both sides; the f64 column of the output is the
distance of PyTorch's own float32 gradients from a float64 PyTorch run, i.e. the float noise):
  loss           |C - torch| <= 1e-6 * max(1, |loss|)
  gradients      per tensor, max|C - torch| <= 1e-5 * scale, scale = max|torch gradient| of that
                 tensor (floored at 1e-3 of the largest tensor scale), every step, before and
                 after clipping; the clipping norm to 1e-5 relative
  optimiser      PyTorch's AdamW (and clip_grad_norm_) applied to the C side's own gradients and
                 weights must reproduce the C weights (and clipped gradients) after every step
                 within 8 float32 ulps of the largest operand (|w| before or after, lr): checks
                 tc_adamw_step and tc_clip_grad_norm on every element, independently of the
                 gradients (betas only matter from step 2 on: step 1 of Adam is lr*g/(|g|+eps))
  weights        end to end (C steps vs PyTorch steps), per element
                   |C - torch| <= 1e-6 + S,
                 S = how far the gradient error this test accepts (1e-5 * scale per step) can move
                 that weight through Adam: computed with the exact elementwise Adam formula on
                 PyTorch's gradient history, each step's gradient moved by ±1e-5 * scale in turn
                 (capped at the largest possible difference of the updates, 2 * lr * Σ_k
                 max|m_hat/sqrt(v_hat)|). S is ~0 where |g| >> eps on the first step (the update is
                 then lr * sign(g)), so those weights must agree to 1e-6. S is large where a
                 gradient is at rounding-noise level: typically the key bias, whose true gradient
                 is 0 (softmax ignores a shift of all keys), so both sides hold noise of ~1e-10 and
                 Adam's g / (|g| + eps) turns it into an update of up to lr, different on each side.
                 At later steps S is moderate (m_hat/sqrt(v_hat) is no longer a sign). The output
                 counts the elements with S > 1e-7 ("sensitive") and prints the worst
                 |C - torch| / tolerance. Elements whose gradient is exactly 0 on both sides
                 (unused vocabulary rows and positions, dead ReLU units) get S = 0.
Observed with Debian's torch 1.13 / OpenBLAS (x86-64): gradients <= 3e-6 x scale (PyTorch's own
float32-vs-float64 error is of the same size), loss <= 2e-7, well-conditioned weights <= 1.2e-7
(1 ulp of the embeddings), AdamW on the C gradients <= 3 ulps, worst weight diff/tolerance 0.26.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402

# The tensors of the case at hand, in file order: ref.tensor_names of its config (a model whose
# positions are not learned has no position.weight). Set by make_case and compare, one case at a
# time, for the functions below.
NAMES = ref.TENSOR_NAMES
BIASES = {"attn.in_proj_bias", "attn.out_proj.bias", "hidden.bias", "classifier.bias"}

GRAD_RTOL = 1e-5
LOSS_RTOL = 1e-6
WEIGHT_ATOL = 1e-6
OPT_ULPS = 8

# name, model config, vocab size, labels, lengths of the documents, steps, clip (None: none,
# "active": half the first gradient norm, or a number), class weights?, lr, decay of matrices,
# betas, eps, Q/K scale-up
CASES = [
    dict(name="mha-relu-1step", dim=16, heads=4, head_dim=None, max_len=6, hidden=12,
         activation="relu", residual=True, vocab=30, labels=3, lengths=[0, 6, 3, 1, 5, 2, 4],
         steps=1, clip=None, class_weights=False, lr=1e-3, wd=0.01, betas=(0.9, 0.999), eps=1e-8,
         qk_scale=2.0),
    dict(name="mha-relu-3steps-weighted", dim=16, heads=4, head_dim=None, max_len=6, hidden=12,
         activation="relu", residual=True, vocab=30, labels=3, lengths=[0, 6, 3, 1, 5, 2, 4],
         steps=3, clip=None, class_weights=True, lr=1e-3, wd=0.01, betas=(0.9, 0.999), eps=1e-8,
         qk_scale=2.0),
    dict(name="custom-gelu-noresidual-3steps", dim=12, heads=3, head_dim=5, max_len=5, hidden=10,
         activation="gelu", residual=False, vocab=25, labels=4, lengths=[5, 0, 2, 5, 1, 3],
         steps=3, clip=None, class_weights=True, lr=1e-3, wd=0.05, betas=(0.9, 0.999), eps=1e-8,
         qk_scale=2.5),
    dict(name="mha-tanh-clip-3steps", dim=8, heads=2, head_dim=None, max_len=4, hidden=9,
         activation="tanh", residual=True, vocab=20, labels=2, lengths=[4, 0, 1, 3, 2, 4, 4],
         steps=3, clip="active", class_weights=True, lr=1e-3, wd=0.1, betas=(0.9, 0.999), eps=1e-8,
         qk_scale=2.0),
    dict(name="custom-relu-clip-1step", dim=10, heads=2, head_dim=8, max_len=7, hidden=14,
         activation="relu", residual=True, vocab=40, labels=5, lengths=[7, 0, 6, 2, 3, 7, 1, 5],
         steps=1, clip="active", class_weights=False, lr=1e-3, wd=0.01, betas=(0.9, 0.999),
         eps=1e-8, qk_scale=2.0),
    # no document of max_len (unused position rows), clip set but not reached, other betas/eps/lr
    dict(name="custom-tanh-short-betas", dim=9, heads=1, head_dim=6, max_len=8, hidden=7,
         activation="tanh", residual=False, vocab=15, labels=3, lengths=[0, 3, 5, 1, 2],
         steps=3, clip=1e3, class_weights=False, lr=3e-3, wd=0.02, betas=(0.8, 0.99), eps=1e-6,
         qk_scale=3.0),
    # position modes (config.position): no position vectors; the fixed sinusoidal tables (no
    # gradient of their own, but the embeddings' gradients go through them), odd dim interleaved
    dict(name="mha-relu-pos-none-2steps", dim=16, heads=4, head_dim=None, max_len=6, hidden=12,
         activation="relu", residual=True, vocab=30, labels=3, lengths=[0, 6, 3, 1, 5, 2, 4],
         steps=2, clip=None, class_weights=False, lr=1e-2, wd=0.01, betas=(0.9, 0.999), eps=1e-8,
         qk_scale=3.0, position="none"),
    dict(name="custom-gelu-sinusoidal-odd-2steps", dim=9, heads=3, head_dim=4, max_len=7, hidden=10,
         activation="gelu", residual=True, vocab=25, labels=4, lengths=[7, 0, 2, 5, 1, 3, 6],
         steps=2, clip="active", class_weights=True, lr=5e-3, wd=0.05, betas=(0.9, 0.999),
         eps=1e-8, qk_scale=3.0, position="sinusoidal"),
    dict(name="mha-tanh-sinusoidal-halves-noresid", dim=8, heads=2, head_dim=None, max_len=8,
         hidden=9, activation="tanh", residual=False, vocab=20, labels=2,
         lengths=[8, 0, 1, 3, 2, 7, 4], steps=2, clip=None, class_weights=False, lr=1e-2, wd=0.01,
         betas=(0.9, 0.999), eps=1e-8, qk_scale=3.0, position="sinusoidal-halves"),
    # multi-label (config.output "sigmoid"): label sets of one to all classes, binary
    # cross-entropy; with clipping over 3 steps, and without a residual in GELU
    dict(name="mha-relu-sigmoid-clip-3steps", dim=16, heads=4, head_dim=None, max_len=6,
         hidden=12, activation="relu", residual=True, vocab=30, labels=4,
         lengths=[0, 6, 3, 1, 5, 2, 4], steps=3, clip="active", class_weights=False, lr=1e-3,
         wd=0.01, betas=(0.9, 0.999), eps=1e-8, qk_scale=2.0, output="sigmoid"),
    dict(name="custom-gelu-sigmoid-noresidual-2steps", dim=12, heads=3, head_dim=5, max_len=5,
         hidden=10, activation="gelu", residual=False, vocab=25, labels=5,
         lengths=[5, 0, 2, 5, 1, 3], steps=2, clip=None, class_weights=False, lr=5e-3, wd=0.05,
         betas=(0.9, 0.999), eps=1e-8, qk_scale=2.5, output="sigmoid"),
]


# --- the PyTorch side ----------------------------------------------------------------------------

def decay_of(name, wd):
    return 0.0 if name in BIASES else wd


def torch_steps(model, batch, dtype=torch.float32, steps=None):
    """Runs the batch's steps on model (modified in place). Returns a list of per-step dicts."""
    model = model.to(dtype)
    model.train()
    ids, lengths = ref.batch_ids(batch["docs"])
    cw = batch.get("class_weights")
    if model.config.get("output") == "sigmoid":   # label sets -> multi-hot targets
        C = model.classifier.out_features
        labels = torch.zeros(len(batch["labels"]), C, dtype=dtype)
        for i, ls in enumerate(batch["labels"]):
            labels[i, ls if isinstance(ls, list) else [ls]] = 1
        assert cw is None, "no class weights with multi-label"
        lossf = model.loss
    else:
        labels = torch.tensor(batch["labels"], dtype=torch.long)
        lossf = nn.CrossEntropyLoss(weight=None if cw is None else torch.tensor(cw, dtype=dtype))
    params = dict(model.named_parameters())
    assert sorted(params) == sorted(NAMES), sorted(params)
    groups = {}
    for n in NAMES:
        groups.setdefault(batch["weight_decay"][n], []).append(params[n])
    opt = torch.optim.AdamW([{"params": ps, "weight_decay": wd} for wd, ps in groups.items()],
                            lr=batch["lr"], betas=tuple(batch["betas"]), eps=batch["eps"])
    out = []
    for _ in range(steps or batch["steps"]):
        opt.zero_grad(set_to_none=False)
        loss = lossf(model(ids, lengths), labels)
        loss.backward()
        rec = {"loss": loss.item(),
               "grads": {n: params[n].grad.detach().clone() for n in NAMES}}
        clip = batch.get("clip", 0)
        if clip > 0:
            norm = torch.nn.utils.clip_grad_norm_([params[n] for n in NAMES], clip)
            rec["clipped_grads"] = {n: params[n].grad.detach().clone() for n in NAMES}
        else:
            norms = [torch.norm(params[n].grad.detach(), 2) for n in NAMES]
            norm = torch.norm(torch.stack(norms), 2)
        rec["grad_norm"] = float(norm)
        opt.step()
        rec["weights"] = {n: params[n].detach().clone() for n in NAMES}
        out.append(rec)
    return out


def flat(t):
    return t.detach().reshape(-1).tolist()


def make_case(c, outdir):
    global NAMES
    torch.manual_seed(sum(map(ord, c["name"])) * 7919)
    rng = np.random.default_rng(sum(map(ord, c["name"])))
    model = ref.TextClassifier(c["vocab"], c["labels"], c["dim"], c["heads"], c["max_len"],
                               c["hidden"], head_dim=c["head_dim"], activation=c["activation"],
                               residual=c["residual"], position=c.get("position", "learned"),
                               output=c.get("output", "softmax"))
    NAMES = ref.tensor_names(model.config)
    H = c["heads"] * model.config["head_dim"]
    with torch.no_grad():
        model.attn.in_proj_weight[: 2 * H] *= c["qk_scale"]    # peaked attention, not uniform
        # non-zero biases everywhere (PyTorch initialises some to 0)
        model.attn.in_proj_bias.uniform_(-0.3, 0.3)
        model.attn.out_proj.bias.uniform_(-0.3, 0.3)
    vocab = ["[UNK]"] + [f"t{i}" for i in range(1, c["vocab"])]
    labels = [f"c{i}" for i in range(c["labels"])]
    d = os.path.join(outdir, c["name"])
    os.makedirs(d, exist_ok=True)
    ref.save_model(os.path.join(d, "model.json"), model, vocab, labels, {}, weights="inline")
    # what C will load: read it back, so both start from exactly the same float32 weights
    model, _, _, _, _ = ref.load_model(os.path.join(d, "model.json"))

    docs = []
    for n in c["lengths"]:
        doc = [int(x) for x in rng.integers(0, c["vocab"], size=n)]
        if n >= 3:
            doc[-1] = doc[0]    # a repeated token: its embedding row accumulates
            doc[1] = 0          # id 0 as a real token (PyTorch pads with id 0)
        docs.append(doc)
    labs = [int(x) for x in rng.integers(0, c["labels"], size=len(docs))]
    labs[0], labs[1] = 0, 1     # at least two classes present
    if c.get("output") == "sigmoid":   # sets: one class, all of them, random ones
        labs = [[0], list(range(c["labels"]))] + [
            sorted(set(int(x) for x in rng.integers(0, c["labels"], size=1 + k % 3)))
            for k in range(len(docs) - 2)]
        labs[-1] = labs[-1][::-1] if len(labs[-1]) > 1 else labs[-1]   # order does not matter
    batch = {"docs": docs, "labels": labs, "lr": c["lr"],
             "weight_decay": {n: decay_of(n, c["wd"]) for n in NAMES},
             "betas": list(c["betas"]), "eps": c["eps"], "steps": c["steps"]}
    if c["class_weights"]:
        batch["class_weights"] = [round(float(x), 3) for x in rng.uniform(0.3, 2.0, c["labels"])]
    if c["clip"] == "active":
        probe = torch_steps(ref.load_model(os.path.join(d, "model.json"))[0], dict(batch, clip=0),
                            steps=1)
        batch["clip"] = float(f"{probe[0]['grad_norm'] * 0.5:.6g}")
    elif c["clip"] is not None:
        batch["clip"] = c["clip"]

    # attention must be far from uniform for the backward pass through softmax to matter
    ids, lengths = ref.batch_ids(docs)
    with torch.no_grad():
        att = model.attention_weights(ids, lengths)
    full = [i for i, n in enumerate(c["lengths"]) if n == max(c["lengths"])][0]
    T = c["lengths"][full]
    peak = att[full, :, :T, :T].max(dim=-1).values.mean().item()
    if peak < 2.0 / T:
        raise SystemExit(f"{c['name']}: attention is too uniform "
                         f"(mean max weight {peak:.3f}, T={T})")

    steps = torch_steps(model, batch)
    m64, _, _, _, _ = ref.load_model(os.path.join(d, "model.json"))
    g64 = torch_steps(m64, dict(batch, clip=0), dtype=torch.float64, steps=1)[0]["grads"]
    res = {"steps": [], "grads64": {n: flat(g64[n]) for n in NAMES}, "attention_peak": peak}
    for s in steps:
        r = {"loss": s["loss"], "grad_norm": s["grad_norm"]}
        for k in ("grads", "clipped_grads", "weights"):
            if k in s:
                r[k] = {n: flat(s[k][n]) for n in NAMES}
        res["steps"].append(r)
    with open(os.path.join(d, "batch.json"), "w") as f:
        json.dump(batch, f)
    with open(os.path.join(d, "torch.json"), "w") as f:
        json.dump(res, f)


def gen(outdir):
    torch.set_num_threads(1)
    os.makedirs(outdir, exist_ok=True)
    for c in CASES:
        make_case(c, outdir)
    with open(os.path.join(outdir, "cases.txt"), "w") as f:
        f.write("".join(c["name"] + "\n" for c in CASES))


# --- comparison ----------------------------------------------------------------------------------

def arrays(d):
    """{name: list or None-containing list} -> {name: float64 array} (null -> NaN)."""
    return {n: np.array([np.nan if x is None else x for x in d[n]], dtype=np.float64)
            for n in NAMES}


def load_initial(casedir):
    with open(os.path.join(casedir, "model.json")) as f:
        doc = json.load(f)
    return {n: np.asarray(doc["tensors"][n]["data"], dtype=np.float32).reshape(-1) for n in NAMES}


def grad_check(tag, got, want, fails, stats):
    scales = {n: np.max(np.abs(want[n])) if want[n].size else 0.0 for n in NAMES}
    floor = 1e-3 * max(scales.values())
    worst = 0.0
    for n in NAMES:
        diff = np.abs(got[n] - want[n])
        if got[n].shape != want[n].shape:
            fails.append(f"{tag} {n}: {got[n].size} values, expected {want[n].size}")
            continue
        if not np.all(np.isfinite(got[n])):
            fails.append(f"{tag} {n}: non-finite values in the C result")
            continue
        if not diff.size:
            continue
        rel = diff.max() / max(scales[n], floor)
        worst = max(worst, rel)
        if rel > GRAD_RTOL:
            i = int(diff.argmax())
            fails.append(f"{tag} {n}[{i}]: C {got[n][i]:.9g}, torch {want[n][i]:.9g} "
                         f"(max diff {diff.max():.3g} = {rel:.3g} x gradient scale "
                         f"{scales[n]:.3g})")
    stats[tag] = max(stats.get(tag, 0.0), worst)
    return scales, floor


def ulp32(x):
    a = np.abs(x).astype(np.float32)
    return (np.nextafter(a, np.float32(np.inf)) - a).astype(np.float64)


def torch_opt_on_c(batch, init, csteps):
    """PyTorch's clip_grad_norm_ and AdamW applied to the C gradients, step by step starting from
    the C weights before each step. Returns a list of (clipped grads or None, weights)."""
    params = {n: torch.nn.Parameter(torch.from_numpy(init[n].copy())) for n in NAMES}
    groups = {}
    for n in NAMES:
        groups.setdefault(batch["weight_decay"][n], []).append(params[n])
    opt = torch.optim.AdamW([{"params": ps, "weight_decay": wd} for wd, ps in groups.items()],
                            lr=batch["lr"], betas=tuple(batch["betas"]), eps=batch["eps"])
    out = []
    for k, s in enumerate(csteps):
        if k > 0:   # continue from the C weights (the moments carry over inside opt)
            with torch.no_grad():
                for n in NAMES:
                    prev = csteps[k - 1]["weights"][n].astype(np.float32)
                    params[n].copy_(torch.from_numpy(prev))
        for n in NAMES:
            params[n].grad = torch.from_numpy(s["grads"][n].astype(np.float32))
        clipped = None
        if batch.get("clip", 0) > 0:
            torch.nn.utils.clip_grad_norm_([params[n] for n in NAMES], batch["clip"])
            clipped = {n: params[n].grad.numpy().astype(np.float64) for n in NAMES}
        opt.step()
        out.append((clipped, {n: params[n].detach().numpy().astype(np.float64) for n in NAMES}))
    return out


def adam_total_update(gs, lr, betas, eps):
    """Σ over the steps of Adam's update lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps), elementwise, in
    float64, for the gradient history gs (list of arrays)."""
    b1, b2 = betas
    m = v = total = 0.0
    for k, g in enumerate(gs, 1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        total = total + lr / (1 - b1 ** k) * m / (np.sqrt(v) / math.sqrt(1 - b2 ** k) + eps)
    return total


def adam_sensitivity(gs, deltas, lr, betas, eps):
    """Elementwise bound on how much the weights after len(gs) steps move when each step's
    gradient moves by up to deltas[j]: Σ_j max over ± of the change of the total update."""
    base = adam_total_update(gs, lr, betas, eps)
    sens = 0.0
    for j in range(len(gs)):
        worst = 0.0
        for sign in (1.0, -1.0):
            moved = list(gs)
            moved[j] = gs[j] + sign * deltas[j]
            worst = np.maximum(worst, np.abs(adam_total_update(moved, lr, betas, eps) - base))
        sens = sens + worst
    return sens


def adam_ratio_bound(k, betas):
    """The largest |m_hat| / sqrt(v_hat) possible at step k (Cauchy-Schwarz over the history):
    one Adam update is at most lr times this."""
    b1, b2 = betas
    a = [(1 - b1) * b1 ** (k - j) / (1 - b1 ** k) for j in range(1, k + 1)]
    c = [(1 - b2) * b2 ** (k - j) / (1 - b2 ** k) for j in range(1, k + 1)]
    return math.sqrt(sum(x * x / y for x, y in zip(a, c)))


def compare(casedir, cres=None):
    """Returns (failure messages, stats)."""
    global NAMES
    with open(os.path.join(casedir, "batch.json")) as f:
        batch = json.load(f)
    NAMES = tuple(batch["weight_decay"])   # the case's tensors (make_case wrote them in order)
    with open(os.path.join(casedir, "torch.json")) as f:
        tres = json.load(f)
    if cres is None:
        with open(os.path.join(casedir, "c.json")) as f:
            cres = json.load(f)
    fails, stats = [], {}
    batch.setdefault("betas", [0.9, 0.999])
    batch.setdefault("eps", 1e-8)
    steps = batch.get("steps", 1)
    clip = batch.get("clip", 0)
    if len(cres["steps"]) != steps:
        return [f"C wrote {len(cres['steps'])} steps, expected {steps}"], stats
    csteps = [{k: (arrays(v) if isinstance(v, dict) else v) for k, v in s.items()}
              for s in cres["steps"]]
    tsteps = [{k: (arrays(v) if isinstance(v, dict) else v) for k, v in s.items()}
              for s in tres["steps"]]
    init = load_initial(casedir)
    lr, eps = batch["lr"], batch["eps"]
    sens = {}
    hist_g = {n: [] for n in NAMES}
    hist_d = {n: [] for n in NAMES}
    for k, (c, t) in enumerate(zip(csteps, tsteps)):
        st = f"step {k + 1}"
        if c["loss"] is None or abs(c["loss"] - t["loss"]) > LOSS_RTOL * max(1.0, abs(t["loss"])):
            fails.append(f"{st} loss: C {c['loss']}, torch {t['loss']:.9g}")
        stats["loss"] = max(stats.get("loss", 0.0), abs((c["loss"] or 0) - t["loss"]))
        scales, floor = grad_check(f"{st} grads", c["grads"], t["grads"], fails, stats)
        stats["grad"] = max(stats.get("grad", 0.0), stats.pop(f"{st} grads"))
        used = t["grads"]
        if clip > 0:
            if "clipped_grads" not in c:
                fails.append(f"{st}: C wrote no clipped gradients")
            else:
                scales, floor = grad_check(f"{st} clipped", c["clipped_grads"], t["clipped_grads"],
                                           fails, stats)
                stats["clipped"] = max(stats.get("clipped", 0.0), stats.pop(f"{st} clipped"))
            used = t["clipped_grads"]
        if (c["grad_norm"] is None
                or abs(c["grad_norm"] - t["grad_norm"]) > GRAD_RTOL * t["grad_norm"]):
            fails.append(f"{st} grad_norm: C {c['grad_norm']}, torch {t['grad_norm']:.9g}")
        # how far the accepted gradient error could move each weight through Adam (the exact
        # elementwise Adam formula, each step's gradient moved by ±delta in turn). An element
        # whose gradient is exactly 0 on both sides (unused vocabulary rows and positions, dead
        # ReLU units) has no error: delta 0.
        cused = c.get("clipped_grads", c["grads"]) if clip > 0 else c["grads"]
        for n in NAMES:
            both_zero = (used[n] == 0) & (cused[n] == 0)
            hist_g[n].append(used[n])
            hist_d[n].append(np.where(both_zero, 0.0, GRAD_RTOL * max(scales[n], floor)))
            sens[n] = adam_sensitivity(hist_g[n], hist_d[n], lr, batch["betas"], eps)
        for n in NAMES:
            got, want = c["weights"][n], t["weights"][n]
            if got.shape != want.shape or not np.all(np.isfinite(got)):
                fails.append(f"{st} weights {n}: wrong size or non-finite values in the C result")
                continue
            diff = np.abs(got - want)
            cap = 2 * lr * sum(adam_ratio_bound(j, batch["betas"]) for j in range(1, k + 2))
            tol = WEIGHT_ATOL + np.minimum(sens[n], cap)
            loose = sens[n] > WEIGHT_ATOL / 10
            if k == steps - 1:
                stats["loose"] = stats.get("loose", 0) + int(loose.sum())
            if diff.size:
                stats["weight_tol_ratio"] = max(stats.get("weight_tol_ratio", 0.0),
                                                float((diff / tol).max()))
            if (~loose).any():
                stats["weight"] = max(stats.get("weight", 0.0), diff[~loose].max())
            if loose.any():
                stats["weight_loose"] = max(stats.get("weight_loose", 0.0), diff[loose].max())
            bad = diff > tol
            if bad.any():
                i = int(np.argmax(np.where(bad, diff - tol, -1)))
                fails.append(f"{st} weights {n}[{i}]: C {got[i]:.9g}, torch {want[i]:.9g} "
                             f"(diff {diff[i]:.3g} > tolerance {tol[i]:.3g}; gradient there "
                             f"{used[n][i]:.3g})")
    # the optimiser alone, on the C side's own gradients
    for k, (clipped, w) in enumerate(torch_opt_on_c(batch, init, csteps)):
        st = f"step {k + 1}"
        before = init if k == 0 else {n: csteps[k - 1]["weights"][n] for n in NAMES}
        if clipped is not None and "clipped_grads" in csteps[k]:
            for n in NAMES:
                d = np.abs(csteps[k]["clipped_grads"][n] - clipped[n])
                tol = OPT_ULPS * ulp32(clipped[n]) + 1e-12
                if (d > tol).any():
                    i = int(np.argmax(d - tol))
                    fails.append(f"{st} clipping of the C gradients {n}[{i}]: C "
                                 f"{csteps[k]['clipped_grads'][n][i]:.9g}, torch clip_grad_norm_ "
                                 f"{clipped[n][i]:.9g}")
        for n in NAMES:
            got = csteps[k]["weights"][n]
            d = np.abs(got - w[n])
            # ulps of the largest operand of w - decay - update (a weight that lands near 0
            # keeps the rounding error of the subtraction)
            unit = ulp32(np.maximum(np.maximum(np.abs(before[n]), np.abs(w[n])), lr))
            u = d / unit
            stats["opt_ulps"] = max(stats.get("opt_ulps", 0.0), float(u.max()) if u.size else 0.0)
            tol = OPT_ULPS * unit
            if (d > tol).any():
                i = int(np.argmax(d - tol))
                fails.append(f"{st} AdamW on the C gradients {n}[{i}]: C {got[i]:.9g}, torch "
                             f"{w[n][i]:.9g} (gradient {csteps[k]['grads'][n][i]:.9g})")
    # float noise level: PyTorch float32 vs float64 gradients
    g64 = arrays(tres["grads64"])
    noise = {}
    grad_check("f64", tsteps[0]["grads"], g64, [], noise)
    c64 = {}
    grad_check("f64", csteps[0]["grads"], g64, [], c64)
    stats["torch_vs_f64"] = noise["f64"]
    stats["c_vs_f64"] = c64["f64"]
    return fails, stats


def fmt_stats(s):
    parts = [f"grad {s.get('grad', 0):.2g}"]
    if "clipped" in s:
        parts.append(f"clipped {s['clipped']:.2g}")
    parts.append(f"(torch32-vs-f64 {s.get('torch_vs_f64', 0):.2g}, "
                 f"C-vs-f64 {s.get('c_vs_f64', 0):.2g}) x scale")
    parts.append(f"loss {s.get('loss', 0):.2g}")
    parts.append(f"weights {s.get('weight', 0):.2g}")
    if s.get("loose"):
        parts.append(f"sensitive {s['loose']} elem max {s.get('weight_loose', 0):.2g}")
    parts.append(f"worst weight diff/tolerance {s.get('weight_tol_ratio', 0):.2g}")
    parts.append(f"AdamW-on-C-grads {s.get('opt_ulps', 0):.2g} ulp")
    return ", ".join(parts)


SELF_TEST_CASE = "mha-tanh-clip-3steps"   # clipping, class weights, 3 steps


def self_test(casedir):
    """Deliberately wrong C results must fail. Returns (number of mutations, problems); no
    problems = every mutation was rejected, by the check meant to catch it."""
    with open(os.path.join(casedir, "c.json")) as f:
        good = json.load(f)
    with open(os.path.join(casedir, "batch.json")) as f:
        batch = json.load(f)
    fails, _ = compare(casedir, good)
    if fails:
        return 0, ["self-test needs a passing case: " + fails[0]]
    lr, clip = batch["lr"], batch.get("clip", 0)
    wd_matrix = batch["weight_decay"]["hidden.weight"]
    problems, count = [], 0

    def mutate(desc, fn, expect):
        nonlocal count
        count += 1
        bad = json.loads(json.dumps(good))
        fn(bad)
        f, _ = compare(casedir, bad)
        if not f:
            problems.append(f"{desc}: not detected")
        elif not any(expect in m for m in f):
            problems.append(f"{desc}: detected, but not by {expect!r}: {f[0]}")

    def grad_elem(b):   # one gradient element off by 1e-4 of the tensor's scale
        g = b["steps"][0]["grads"]["hidden.weight"]
        g[3] += 1e-4 * max(abs(x) for x in g)
    mutate("one gradient element +1e-4 x scale", grad_elem, "grads hidden.weight")

    def grad_scale(b):  # a wrong batch normaliser (gradients 0.01% too large)
        for n in NAMES:
            b["steps"][0]["grads"][n] = [x * 1.0001 for x in b["steps"][0]["grads"][n]]
    mutate("all gradients x 1.0001", grad_scale, "grads")

    if clip > 0:
        def clip_coef(b):   # clipping by max_norm / norm, without PyTorch's + 1e-6
            s0 = b["steps"][0]
            coef = clip / s0["grad_norm"]
            s0["clipped_grads"] = {n: [float(np.float32(x * coef)) for x in s0["grads"][n]]
                                   for n in NAMES}
        mutate("clip coefficient max_norm / norm (no + 1e-6)", clip_coef,
               "clipping of the C gradients")

    def weight_elem(b):  # one updated weight off by 5e-6 (where the gradient is largest)
        g = b["steps"][0]["grads"]["classifier.weight"]
        b["steps"][-1]["weights"]["classifier.weight"][int(np.argmax(np.abs(g)))] += 5e-6
    mutate("one updated weight +5e-6", weight_elem, "weights classifier.weight")

    def bias_decay(b):  # the matrices' weight decay applied to a bias as well
        w = b["steps"][0]["weights"]["hidden.bias"]
        b["steps"][0]["weights"]["hidden.bias"] = [float(np.float32(x * (1 - lr * wd_matrix)))
                                                   for x in w]
    mutate("weight decay on hidden.bias", bias_decay, "hidden.bias")

    def eps_placement(b):   # Adam's denominator (sqrt(v) + eps) / sqrt(bc2): eps 31x too large
        s0 = b["steps"][0]
        init = load_initial(casedir)
        g = s0["clipped_grads"] if clip > 0 else s0["grads"]
        b1, b2 = batch["betas"]
        for n in NAMES:
            gr = np.asarray(g[n], dtype=np.float64)
            m, v = (1 - b1) * gr, (1 - b2) * gr * gr
            w = init[n].astype(np.float64) * (1 - lr * batch["weight_decay"][n])
            w -= lr / (1 - b1) * m / ((np.sqrt(v) + batch["eps"]) / math.sqrt(1 - b2))
            s0["weights"][n] = [float(x) for x in w.astype(np.float32)]
    mutate("AdamW with eps added before the bias correction", eps_placement,
           "AdamW on the C gradients")

    def loss(b):
        b["steps"][0]["loss"] *= 1.0001
    mutate("loss x 1.0001", loss, "loss")
    return count, problems


def main(argv):
    if len(argv) >= 2 and argv[0] == "gen":
        gen(argv[1])
        return 0
    if len(argv) >= 2 and argv[0] == "compare":
        torch.set_num_threads(1)
        out, cases = argv[1], argv[2:]
        npass = nfail = 0
        for name in cases:
            try:
                fails, stats = compare(os.path.join(out, name))
            except Exception as e:  # a malformed C result is a failure of that case
                fails, stats = [f"cannot compare: {type(e).__name__}: {e}"], {}
            if fails:
                nfail += 1
                print(f"FAIL {name}: {len(fails)} problem(s)")
                for m in fails[:8]:
                    print(f"    {m}")
            else:
                npass += 1
                print(f"PASS {name}: {fmt_stats(stats)}")
        if cases:
            st = SELF_TEST_CASE if SELF_TEST_CASE in cases else cases[0]
            try:
                count, problems = self_test(os.path.join(out, st))
            except Exception as e:
                count, problems = 0, [f"self-test crashed: {type(e).__name__}: {e}"]
            if problems:
                nfail += 1
                print(f"FAIL self-test (deliberately wrong C results of {st} must fail)")
                for m in problems:
                    print(f"    {m}")
            else:
                npass += 1
                print(f"PASS self-test: {count} deliberately wrong C results of {st} were rejected")
        print(f"compare: {npass} passed, {nfail} failed")
        return 1 if nfail else 0
    print(__doc__.split("\n\n")[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
