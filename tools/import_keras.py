#!/usr/bin/python3
"""Import a model trained in Keras from its weights saved as a .npz: write a textclf model file.

    import_keras.py --weights weights.npz --vocab vocab.txt --labels labels.txt \\
                    --activation relu|gelu|tanh [--no-residual] \\
                    [--position none|sinusoidal|sinusoidal-halves] [--max-len N] \\
                    [--multi-label] [--map THEIRS=OURS]... [--tokenizer settings.json] [--vocab-file NAME] \\
                    [--inline] -o model.json

The Keras model must compute textclf's network (docs/model-format.md): token Embedding (+ a
position Embedding, or Keras-NLP's SinePositionEncoding, or no positions at all),
MultiHeadAttention(num_heads=h, key_dim=kd) on the sum (query = key = value; value_dim = key_dim,
the default; kd may be the embedding width, as in the tutorials' TextClassifier), optionally + its
input, mean over the tokens, Dense(hidden, activation), Dropout (ignored: it does nothing at
inference), Dense(labels) giving logits (textclf's softmax turns them into probabilities; with
--multi-label a sigmoid per label, for a Dense(labels, activation="sigmoid") trained with
binary_crossentropy).
Keras isn't needed: save the arrays with numpy (docs/import.md).

The .npz holds either the arrays in this order, as `np.savez(path, *token.get_weights(),
*position.get_weights(), *mha.get_weights(), *hidden.get_weights(), *classifier.get_weights())`
writes them (arr_0 .. arr_13; 13 arrays, arr_0 .. arr_12, for a model without a position
Embedding: the same without position/embeddings), or arrays named (after the --map renames; a
":0" suffix is ignored; THEIRS=OURS replaces a whole key or its leading "/"-separated components):

    name                                  Keras shape   becomes (textclf / PyTorch layout)
    embedding/embeddings                  [V, d]        embedding.weight
    position/embeddings                   [max_len, d]  position.weight
    attention/query/kernel                [d, h, kd]    attn.in_proj_weight rows 0..H     (reshaped [d, H], transposed)
    attention/query/bias                  [h, kd]       attn.in_proj_bias 0..H            (flattened)
    attention/key/kernel, key/bias        likewise      rows / entries H..2H
    attention/value/kernel, value/bias    likewise      rows / entries 2H..3H
    attention/attention_output/kernel     [h, kd, d]    attn.out_proj.weight [d, H]       (reshaped [H, d], transposed)
    attention/attention_output/bias       [d]           attn.out_proj.bias
    hidden/kernel, hidden/bias            [d, hidden]   hidden.weight [hidden, d] (transposed), hidden.bias
    classifier/kernel, classifier/bias    [hidden, C]   classifier.weight [C, hidden] (transposed), classifier.bias

with H = h*kd; textclf's head_dim is Keras' key_dim and need not be d/h. Without
position/embeddings the model's positions are "none" (no position vector), or what --position
says (sinusoidal: Keras-NLP's SinePositionEncoding, the paper's interleaved sin/cos), and
max_len is --max-len (default 512, with a note). A bias that is absent
(use_bias=False) is taken as zeros, with a note on stderr; any array left over is an error. The
model is checked and written by the code of tools/export.py and tools/textclf_ref.py: JSON +
<stem>.safetensors (float32) by default, --inline for one JSON file. Any error exits 1 with one
line on stderr (2 for a usage error).
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import export  # noqa: E402  (the parser, model inputs and output, model_from_state_dict, errors)

PROG = "import_keras.py"
# The order of arr_0 .. arr_13 (each layer's get_weights(), layer after layer).
ORDER = ("embedding/embeddings", "position/embeddings",
         "attention/query/kernel", "attention/query/bias", "attention/key/kernel", "attention/key/bias",
         "attention/value/kernel", "attention/value/bias",
         "attention/attention_output/kernel", "attention/attention_output/bias",
         "hidden/kernel", "hidden/bias", "classifier/kernel", "classifier/bias")


# The same without a position Embedding (13 arrays).
ORDER_NO_POSITION = tuple(k for k in ORDER if k != "position/embeddings")


def load_arrays(path, rules):
    """The arrays of the .npz under the names of ORDER (positional arr_N or renamed; 13 unnamed
    arrays are those of ORDER_NO_POSITION)."""
    import numpy as np

    with np.load(path, allow_pickle=False) as z:
        raw = {k: z[k] for k in z.files}
    positional = [f"arr_{i}" for i in range(len(raw))]
    if raw and sorted(raw) == sorted(positional):
        order = {len(ORDER): ORDER, len(ORDER_NO_POSITION): ORDER_NO_POSITION}.get(len(raw))
        if order is None:
            raise ValueError(f"{path}: {len(raw)} unnamed arrays, expected {len(ORDER)} (or "
                             f"{len(ORDER_NO_POSITION)} without a position Embedding) in the "
                             f"order of docs/import.md (name them if a layer has no bias)")
        return {order[i]: raw[f"arr_{i}"] for i in range(len(order))}
    maps = []
    for r in rules:
        theirs, eq, ours = r.partition("=")
        if not eq or not theirs or not ours:
            raise ValueError(f"--map {r!r}: expected THEIRS=OURS")
        maps.append((theirs.strip("/"), ours.strip("/")))
    out = {}
    for key, arr in raw.items():
        name = key[:-2] if key.endswith(":0") else key
        for theirs, ours in maps:
            if name == theirs or name.startswith(theirs + "/"):
                name = ours + name[len(theirs):]
                break
        if name in out:
            raise ValueError(f"{path}: two arrays map to {name!r} (one is {key!r})")
        out[name] = arr
    left = sorted(k for k in out if k not in ORDER)
    if left:
        raise ValueError(f"{path}: unexpected array(s) {', '.join(left)} (rename them with --map "
                         f"THEIRS=OURS; expected names: {', '.join(ORDER)})")
    return out


def state_dict(w, position=None, max_len=None):
    """Keras-layout arrays (ORDER names) -> the tensors of the format (PyTorch layout) and the
    config's sizes. position/max_len: the --position/--max-len given (None: not given); without
    position/embeddings the positions are `position` or "none"."""
    import numpy as np
    import torch

    for k in ORDER_NO_POSITION:
        if k not in w and not k.endswith("/bias"):
            raise ValueError(f"missing array {k}")
    emb = w["embedding/embeddings"]
    if emb.ndim != 2:
        raise ValueError(f"embedding/embeddings has shape {list(emb.shape)}, expected [V, d]")
    d = emb.shape[1]
    q = w["attention/query/kernel"]
    if q.ndim != 3 or q.shape[0] != d:
        raise ValueError(f"attention/query/kernel has shape {list(q.shape)}, expected [{d}, heads, key_dim]")
    _, h, kd = q.shape
    H = h * kd
    dtype = np.result_type(*w.values())

    def get(name, shape):
        a = w.get(name)
        if a is None:  # only biases may be absent (checked above)
            export.note(PROG, f"no {name}: using zeros (a layer built with use_bias=False)")
            a = np.zeros(shape, dtype)
        if list(a.shape) != list(shape):
            why = " (value_dim must equal key_dim)" if name.startswith("attention/value") else ""
            raise ValueError(f"{name} has shape {list(a.shape)}, expected {list(shape)}{why}")
        return a

    kernels, biases = [], []
    for part in ("query", "key", "value"):
        # kernel [d, h, kd]: column j*kd + i of the [d, H] reshape is head j, unit i, which is
        # textclf's layout (head j uses rows j*head_dim .. of each third of in_proj_weight)
        kernels.append(get(f"attention/{part}/kernel", (d, h, kd)).reshape(d, H).T)
        biases.append(get(f"attention/{part}/bias", (h, kd)).reshape(H))
    out_k = get("attention/attention_output/kernel", (h, kd, d)).reshape(H, d).T
    hk = w["hidden/kernel"]
    if hk.ndim != 2 or hk.shape[0] != d:
        raise ValueError(f"hidden/kernel has shape {list(hk.shape)}, expected [{d}, hidden]")
    ck = w["classifier/kernel"]
    if ck.ndim != 2 or ck.shape[0] != hk.shape[1]:
        raise ValueError(f"classifier/kernel has shape {list(ck.shape)}, expected [{hk.shape[1]}, labels]")
    sd = {
        "embedding.weight": emb,
        "attn.in_proj_weight": np.concatenate(kernels, 0),
        "attn.in_proj_bias": np.concatenate(biases, 0),
        "attn.out_proj.weight": out_k,
        "attn.out_proj.bias": get("attention/attention_output/bias", (d,)),
        "hidden.weight": hk.T,
        "hidden.bias": get("hidden/bias", (hk.shape[1],)),
        "classifier.weight": ck.T,
        "classifier.bias": get("classifier/bias", (ck.shape[1],)),
    }
    sizes = {"dim": d, "heads": h, "head_dim": kd, "hidden": hk.shape[1]}
    if "position/embeddings" in w:
        pos = w["position/embeddings"]
        if pos.ndim != 2 or pos.shape[1] != d:
            raise ValueError(f"position/embeddings has shape {list(pos.shape)}, expected [max_len, {d}]")
        if position not in (None, "learned"):
            raise ValueError(f"--position {position}, but the arrays have a learned table "
                             f"position/embeddings")
        if max_len is not None and max_len != pos.shape[0]:
            raise ValueError(f"--max-len {max_len}: position/embeddings has {pos.shape[0]} rows")
        sd["position.weight"] = pos
        sizes["max_len"] = pos.shape[0]
    else:
        if position == "learned":
            raise ValueError("--position learned, but there is no position/embeddings array")
        mode = position or "none"
        sizes["position"] = mode
        sizes["max_len"] = max_len or export.DEFAULT_MAX_LEN
        if max_len is None:
            export.note(PROG, f"no position/embeddings: position \"{mode}\", max_len "
                              f"{sizes['max_len']} (--max-len to change; tokens past it are not "
                              f"read)")
    sd = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=dtype)) for k, v in sd.items()}
    return sd, sizes


def main(argv=None):
    p = export.OneLineParser(prog=PROG,
                             description="Import Keras weights (.npz) as a textclf model (docs/import.md).")
    p.add_argument("--weights", required=True, help=".npz of the Keras arrays")
    p.add_argument("--vocab", required=True, help="vocab.txt, one token per line, in embedding row order")
    p.add_argument("--labels", required=True, help="labels file (one per line, classifier column order) or a,b,c")
    p.add_argument("--activation", required=True, choices=["relu", "gelu", "tanh"],
                   help="the hidden Dense layer's activation (gelu: the exact erf form)")
    p.add_argument("--no-residual", action="store_true", help="no residual around the attention")
    p.add_argument("--position", choices=["learned", "none", "sinusoidal", "sinusoidal-halves"],
                   help="the positions of a model without a position Embedding (default none; "
                        "sinusoidal: Keras-NLP's SinePositionEncoding)")
    p.add_argument("--max-len", type=int, help="tokens read per document, without a position "
                   "Embedding (default 512)")
    p.add_argument("--multi-label", action="store_true",
                   help="the classifier Dense has a sigmoid per label (binary_crossentropy): "
                        "config.output \"sigmoid\"")
    p.add_argument("--map", action="append", default=[], metavar="THEIRS=OURS",
                   help="rename an array or its leading path components")
    p.add_argument("--tokenizer", help="tokenizer settings JSON (default: {})")
    p.add_argument("--vocab-file", help="reference the vocabulary as this file next to the output")
    p.add_argument("--inline", action="store_true", help="weights inline in the JSON")
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args(argv)

    vocab, labels, settings = export.read_model_inputs(a)
    export.check_max_len(a.max_len)
    sd, sizes = state_dict(load_arrays(a.weights, a.map), a.position, a.max_len)
    cfg = dict(sizes, activation=a.activation, residual=not a.no_residual)
    if a.multi_label:
        cfg["output"] = "sigmoid"
    model = export.model_from_state_dict(sd, cfg, vocab, labels, a.weights)
    export.save_imported(a, model, vocab, labels, settings, PROG, a.weights)
    return 0


if __name__ == "__main__":
    export.run_cli(main, PROG)
