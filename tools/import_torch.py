#!/usr/bin/python3
"""Import a model trained in PyTorch from its state dict: write a textclf model file.

    import_torch.py --state-dict sd.pt --vocab vocab.txt --labels labels.txt \\
                    (--config cfg.json | --heads N --activation relu|gelu|tanh [--no-residual]) \\
                    [--position none|sinusoidal|sinusoidal-halves] [--max-len N] [--multi-label] \\
                    [--scale-embedding] [--map THEIRS=OURS]... [--ignore GLOB]... \\
                    [--tokenizer settings.json] [--vocab-file NAME] [--inline] -o model.json

The module must compute textclf's network (docs/model-format.md, "The network"); its parameter
names may be its own. After the --map renames (THEIRS=OURS: an exact key, or a prefix when both
sides end with "."; the first matching rule wins) and dropping the keys matching an --ignore glob,
the keys must be those of the format:

    embedding.weight  position.weight  attn.out_proj.weight  hidden.weight  classifier.weight
    (and the biases attn.out_proj.bias  hidden.bias  classifier.bias)

and the attention's input projection in one of three layouts, packed into attn.in_proj_weight /
attn.in_proj_bias (rows Wq | Wk | Wv):

    attn.in_proj_weight [3H, d], attn.in_proj_bias [3H]     nn.MultiheadAttention (packed)
    attn.q_proj_weight, attn.k_proj_weight, attn.v_proj_weight [H, d], attn.in_proj_bias [3H]
                                                             nn.MultiheadAttention with separate
                                                             projections (_qkv_same_embed_dim False)
    attn.q_proj.weight [H, d], attn.q_proj.bias [H], likewise k_proj, v_proj
                                                             three nn.Linear layers

A bias that is absent (a layer built with bias=False) is taken as zeros, with a note on stderr.
Any key left over is an error, so a forgotten rename cannot pass silently.

Positions (docs/model-format.md, config.position; docs/import.md):

    position.weight [max_len, d]     a learned table (nn.Embedding): position "learned"
    a buffer named `pe` ([N, d], [N, 1, d] or [1, N, d]: the PyTorch tutorial's
    PositionalEncoding registers pe [max_len, 1, d]), or position.pe after --map
                                     recognised by its numbers: it must be one of the two
                                     sinusoidal encodings textclf computes (interleaved sin/cos,
                                     the paper's, or all sines then all cosines) within 1e-3 (a
                                     table computed in float32 is off by up to ~2e-4 at position
                                     5000); it becomes position "sinusoidal" or
                                     "sinusoidal-halves" and is not stored (the note on stderr
                                     says which and by how much it differs). max_len = its rows,
                                     or --max-len. Another buffer is an error; to keep a buffer's
                                     exact numbers as a learned table, --map it to position.weight.
    neither                          position "none" (no position vector), max_len from --max-len
                                     (default 512, with a note); or --position sinusoidal[-halves]
                                     for a module that computes the encoding in forward()

--scale-embedding multiplies the embedding table by sqrt(d) in float32, as the PyTorch
Transformer tutorial's forward() does (`self.embedding(src) * math.sqrt(self.d_model)`): the
products are the ones that forward computes.

The sizes come from the tensors (dim, max_len, hidden, heads*head_dim); the number of heads, the
activation and the residual switch are not in a state dict: give them (--heads, --activation,
--no-residual) or a --config file (the format's config object, checked against the tensors).
The model is checked and written by the code of tools/export.py and tools/textclf_ref.py:
JSON + <stem>.safetensors (float32) by default, --inline for one JSON file. Any error exits 1
with one line on stderr (2 for a usage error). See docs/import.md.
"""

import fnmatch
import math
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import export  # noqa: E402  (the parser, model inputs and output, load_state_dict, errors)

PROG = "import_torch.py"
# How far a buffer may be from textclf's sinusoidal table and still be taken for it: float32
# computations of the formula differ from it by ~2e-5 at position 512 and ~2e-4 at 5000; the
# other layout, or anything else, differs by about 1 or more.
PE_TOLERANCE = 1e-3
TARGETS = ("embedding.weight", "ngram.weight", "position.weight", "attn.in_proj_weight", "attn.in_proj_bias",
           "attn.q_proj_weight", "attn.k_proj_weight", "attn.v_proj_weight",
           "attn.q_proj.weight", "attn.q_proj.bias", "attn.k_proj.weight", "attn.k_proj.bias",
           "attn.v_proj.weight", "attn.v_proj.bias", "attn.out_proj.weight", "attn.out_proj.bias",
           "hidden.weight", "hidden.bias", "classifier.weight", "classifier.bias")


def parse_maps(rules):
    """--map THEIRS=OURS strings -> [(theirs, ours)], checked."""
    out = []
    for r in rules:
        theirs, eq, ours = r.partition("=")
        if not eq or not theirs or not ours:
            raise ValueError(f"--map {r!r}: expected THEIRS=OURS")
        if theirs.endswith(".") != ours.endswith("."):
            raise ValueError(f"--map {r!r}: a prefix rule needs a final '.' on both sides")
        out.append((theirs, ours))
    return out


def rename(sd, maps, ignores):
    """Applies the --map rules (first match wins) and drops the --ignore globs (their names)."""
    out = {}
    for key, value in sd.items():
        if any(fnmatch.fnmatchcase(key, g) for g in ignores):
            continue
        new = key
        for theirs, ours in maps:
            if theirs.endswith(".") and key.startswith(theirs):
                new = ours + key[len(theirs):]
                break
            if key == theirs:
                new = ours
                break
        if new in out:
            raise ValueError(f"two keys map to {new!r} (one is {key!r})")
        out[new] = value
    return out


def as_table(name, t, d):
    """t ([N, d], [N, 1, d] or [1, N, d]) as [N, d], or a ValueError naming it."""
    if t.dim() == 3 and (t.shape[1] == 1 or t.shape[0] == 1):
        t = t.reshape(-1, t.shape[2])
    if t.dim() != 2 or t.shape[1] != d:
        raise ValueError(f"{name} has shape {list(t.shape)}, expected [max_len, {d}] (or [max_len, "
                         f"1, {d}] or [1, max_len, {d}])")
    return t


def find_positions(sd, position, max_len):
    """Takes the position tensors out of sd (names after --map) and returns (position, max_len,
    message or None): position.weight (learned), a sinusoidal buffer (`pe`, or position.pe),
    or nothing (none, or the --position given for a module that computes it in forward)."""
    import torch
    import textclf_ref as ref

    d = sd["embedding.weight"].shape[1] if "embedding.weight" in sd else None
    pes = [k for k in sd if k == "position.pe" or k == "pe" or k.endswith(".pe")]
    if len(pes) > 1:
        raise ValueError(f"several position buffers: {', '.join(sorted(pes))} (drop all but one "
                         f"with --ignore)")
    if "position.weight" in sd:
        if pes:
            raise ValueError(f"both position.weight and the buffer {pes[0]}: which positions does "
                             f"the module add? (drop one with --ignore)")
        if position not in (None, "learned"):
            raise ValueError(f"--position {position}, but the state dict has a learned table "
                             f"position.weight")
        sd["position.weight"] = as_table("position.weight", sd["position.weight"], d)
        n = sd["position.weight"].shape[0]
        if max_len is not None and max_len != n:
            raise ValueError(f"--max-len {max_len}: position.weight has {n} rows")
        return "learned", n, None
    if pes:
        key = pes[0]
        pe = as_table(key, sd.pop(key).detach().to(torch.float64), d)
        n = pe.shape[0]
        if max_len is not None and max_len > n:
            raise ValueError(f"--max-len {max_len}: the buffer {key} has {n} rows")
        diffs = {mode: (pe - torch.from_numpy(ref.position_table(mode, n, d)).double()).abs().max().item()
                 for mode in ("sinusoidal", "sinusoidal-halves") if mode == "sinusoidal" or d % 2 == 0}
        mode = min(diffs, key=diffs.get)
        if diffs[mode] > PE_TOLERANCE:
            raise ValueError(f"{key}: a [{n}, {d}] buffer that is not a sinusoidal encoding textclf "
                             f"computes (it differs by {diffs[mode]:.2g} from the closest, {mode}); "
                             f"to import its numbers as a learned table, --map {key}=position.weight")
        if position not in (None, mode):
            raise ValueError(f"--position {position}, but the buffer {key} is the {mode} encoding")
        layout = "interleaved sin/cos" if mode == "sinusoidal" else "all sines, then all cosines"
        return mode, max_len or n, (f"{key}: [{n}, {d}] buffer recognised as the sinusoidal "
                                    f"encoding ({layout}; largest difference {diffs[mode]:.1e}): "
                                    f"position \"{mode}\", not stored; max_len {max_len or n}")
    if position == "learned":
        raise ValueError("--position learned, but there is no position.weight (rename the "
                         "module's table with --map THEIRS=position.weight)")
    mode = position or "none"
    if max_len is None:
        n = export.DEFAULT_MAX_LEN
        return mode, n, (f"no position table or buffer: position \"{mode}\", max_len {n} "
                         f"(--max-len to change; tokens past it are not read)")
    return mode, max_len, None


def pack_attention(sd, heads):
    """The state dict with the attention's input projection as attn.in_proj_weight/bias, biases
    that are absent as zeros, and nothing else but the ten tensors of the format."""
    import torch

    if "attn.bias_k" in sd or "attn.bias_v" in sd:
        raise ValueError("attn.bias_k/bias_v (nn.MultiheadAttention add_bias_kv=True) have no "
                         "place in textclf's network")
    left = sorted(k for k in sd if k not in TARGETS)
    if left:
        raise ValueError(f"unexpected key(s) {', '.join(left)} (rename them with --map, or drop "
                         f"them with --ignore)")
    for k in ("embedding.weight", "attn.out_proj.weight", "hidden.weight", "classifier.weight"):
        if k not in sd:
            raise ValueError(f"missing {k} (rename the module's key with --map THEIRS={k})")
    d = sd["embedding.weight"].shape[1]
    layouts = [("attn.in_proj_weight",),
               ("attn.q_proj_weight", "attn.k_proj_weight", "attn.v_proj_weight"),
               ("attn.q_proj.weight", "attn.k_proj.weight", "attn.v_proj.weight")]
    found = [lay for lay in layouts if any(k in sd for k in lay)]
    if len(found) != 1:
        raise ValueError("the attention's input projection must be attn.in_proj_weight, or "
                         "attn.{q,k,v}_proj_weight, or attn.{q,k,v}_proj.weight (exactly one "
                         f"layout; found {', '.join(k for lay in found for k in lay if k in sd) or 'none'})")
    lay = found[0]
    missing = [k for k in lay if k not in sd]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    dtype = sd["embedding.weight"].dtype
    if len(lay) == 3:
        ws = [sd.pop(k) for k in lay]
        for k, w in zip(lay, ws):
            if w.dim() != 2 or w.shape[1] != d:
                raise ValueError(f"{k} has shape {list(w.shape)}, expected [H, {d}]: textclf's "
                                 f"self-attention reads queries, keys and values from the same "
                                 f"{d}-wide input (kdim = vdim = dim)")
        if len({tuple(w.shape) for w in ws}) != 1:
            raise ValueError(f"q/k/v projections differ in shape: {[list(w.shape) for w in ws]}")
        sd["attn.in_proj_weight"] = torch.cat(ws, 0)
        if lay[0] == "attn.q_proj.weight":   # three nn.Linear layers: three biases
            bs = [k.replace(".weight", ".bias") for k in lay]
            present = [k for k in bs if k in sd]
            if present and len(present) != 3:
                raise ValueError(f"only some of {', '.join(bs)} are present")
            if present:
                sd["attn.in_proj_bias"] = torch.cat([sd.pop(k) for k in bs], 0)
    H3 = sd["attn.in_proj_weight"].shape[0]
    if sd["attn.in_proj_weight"].dim() != 2 or H3 % 3:
        raise ValueError(f"attn.in_proj_weight has shape {list(sd['attn.in_proj_weight'].shape)}, "
                         f"expected [3H, {d}]")
    H = H3 // 3
    if H % heads:
        raise ValueError(f"the attention is {H} wide, which {heads} heads do not divide")
    for k, n in (("attn.in_proj_bias", H3), ("attn.out_proj.bias", d),
                 ("hidden.bias", sd["hidden.weight"].shape[0]),
                 ("classifier.bias", sd["classifier.weight"].shape[0])):
        if k not in sd:
            export.note(PROG, f"no {k}: using zeros (a layer built with bias=False)")
            sd[k] = torch.zeros(n, dtype=dtype)
    return sd, {"dim": d, "heads": heads, "head_dim": H // heads,
                "hidden": sd["hidden.weight"].shape[0]}


def main(argv=None):
    p = export.OneLineParser(prog=PROG,
                             description="Import a PyTorch state dict as a textclf model (docs/import.md).")
    p.add_argument("--state-dict", required=True, help="torch.save'd state dict (or whole module)")
    p.add_argument("--vocab", required=True, help="vocab.txt, one token per line, in embedding row order")
    p.add_argument("--labels", required=True, help="labels file (one per line, classifier row order) or a,b,c")
    p.add_argument("--config", help="the format's config object (JSON), checked against the tensors")
    p.add_argument("--heads", type=int, help="number of attention heads")
    p.add_argument("--activation", choices=["relu", "gelu", "tanh"], help="hidden-layer activation")
    p.add_argument("--no-residual", action="store_true", help="no residual around the attention")
    p.add_argument("--position", choices=["learned", "none", "sinusoidal", "sinusoidal-halves"],
                   help="the positions a module without a table or buffer computes (default: "
                        "found from the state dict)")
    p.add_argument("--max-len", type=int, help="tokens read per document (default: the position "
                   "table's rows, else 512)")
    p.add_argument("--multi-label", action="store_true",
                   help="the module was trained multi-label (a sigmoid per label, e.g. "
                        "BCEWithLogitsLoss): config.output \"sigmoid\"")
    p.add_argument("--scale-embedding", action="store_true",
                   help="multiply the embeddings by sqrt(dim), as the module's forward() does")
    p.add_argument("--map", action="append", default=[], metavar="THEIRS=OURS",
                   help="rename a key (or a prefix, both sides ending with '.')")
    p.add_argument("--ignore", action="append", default=[], metavar="GLOB",
                   help="drop the keys matching GLOB (e.g. '*.num_batches_tracked')")
    p.add_argument("--tokenizer", help="tokenizer settings JSON (default: {})")
    p.add_argument("--vocab-file", help="reference the vocabulary as this file next to the output")
    p.add_argument("--inline", action="store_true", help="weights inline in the JSON")
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args(argv)
    if a.config and (a.heads or a.activation or a.no_residual or a.position or a.max_len):
        p.error("give either --config or --heads/--activation/--no-residual/--position/--max-len")
    if not a.config and (a.heads is None or a.activation is None):
        p.error("--heads and --activation are required (or --config)")

    vocab, labels, settings = export.read_model_inputs(a)
    if a.config:
        cfg = export.read_json(a.config, "config")
        heads = cfg.get("heads")
        if not isinstance(heads, int) or heads < 1:
            raise ValueError(f"config {a.config}: heads must be a positive integer")
    else:
        heads = a.heads
        if heads < 1:
            raise ValueError("--heads must be at least 1")
    export.check_max_len(a.max_len)
    sd = rename(export.load_state_dict(a.state_dict), parse_maps(a.map), a.ignore)
    if "embedding.weight" not in sd:
        raise ValueError("missing embedding.weight (rename the module's key with --map "
                         "THEIRS=embedding.weight)")
    if a.config:   # the config says which positions and how many: checked against the tensors
        position, max_len, msg = find_positions(sd, cfg.get("position", "learned"), cfg.get("max_len"))
    else:
        position, max_len, msg = find_positions(sd, a.position, a.max_len)
    if msg:
        export.note(PROG, msg)
    sd, sizes = pack_attention(sd, heads)
    if a.scale_embedding:
        import torch
        e = sd["embedding.weight"]
        sd["embedding.weight"] = e * torch.tensor(math.sqrt(e.shape[1]), dtype=e.dtype)
    if not a.config:
        cfg = dict(sizes, max_len=max_len, activation=a.activation, residual=not a.no_residual)
        if position != "learned":
            cfg["position"] = position
        if "ngram.weight" in sd:   # character n-grams: the lengths only --config can give
            cfg["ngram_buckets"] = int(sd["ngram.weight"].shape[0])
    if a.multi_label:
        cfg["output"] = "sigmoid"
    model = export.model_from_state_dict(sd, cfg, vocab, labels, a.state_dict)
    export.save_imported(a, model, vocab, labels, settings, PROG, a.state_dict)
    return 0


if __name__ == "__main__":
    export.run_cli(main, PROG)
