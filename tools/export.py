#!/usr/bin/python3
"""Write a textclf model file from a trained PyTorch state dict, or a random model for tests.

Trained model (the state dict of a module laid out like textclf_ref.TextClassifier):

    export.py --state-dict sd.pt --config cfg.json --vocab vocab.txt --labels labels.txt \\
              -o model.json [--safetensors [--dtype F32|F64|F16|BF16]] [--tokenizer settings.json] \
              [--vocab-file vocab.txt]

Random model (PyTorch's default initialisation, seeded):

    export.py --random --dim 64 --heads 4 [--head-dim 16] --hidden 64 --max-len 128 \\
              --activation relu [--no-residual] --vocab vocab.txt --labels a,b,c --seed 1 \\
              -o model.json [--safetensors]

--labels is a file with one label per line if such a file exists, else a comma-separated list.
--config is a JSON object with dim, heads, max_len, hidden and optionally head_dim, activation,
residual (the `config` object of the format). --tokenizer is a JSON object of tokenizer settings
(default {} = all defaults). --safetensors puts the weights in <output stem>.safetensors instead of
inline. --vocab-file NAME writes the vocabulary to NAME next to the output and references it instead
of inlining it. Any error (including NaN or Inf weights) exits 1 with one line on stderr.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


class OneLineParser(argparse.ArgumentParser):
    """argparse with one-line usage errors, "PROG: error: ..." (also for the import tools; PROG
    is the parser's prog, the script's file name by default)."""
    def error(self, message):
        # argparse prints usage + message; the contract is a single line.
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def read_lines(path):
    """UTF-8 lines, LF or CRLF, final newline optional (the vocab.txt rules)."""
    import textclf_ref as ref
    return ref.read_vocab_file(path)


def read_labels(arg):
    if os.path.isfile(arg):
        return read_lines(arg)
    return arg.split(",")


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            v = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"{what} {path}: {e}")
    if not isinstance(v, dict):
        raise ValueError(f"{what} {path}: expected a JSON object")
    return v


def load_state_dict(path):
    import torch
    obj = torch.load(path, map_location="cpu")
    if hasattr(obj, "state_dict") and not isinstance(obj, dict):
        obj = obj.state_dict()  # a whole pickled module
    if not isinstance(obj, dict):
        raise ValueError(f"{path}: not a state dict")
    # A model trained under DataParallel saves every key with a "module." prefix.
    if obj and all(k.startswith("module.") for k in obj):
        obj = {k[len("module."):]: v for k, v in obj.items()}
    return obj


def model_from_state_dict(sd, cfg, vocab, labels, source):
    """A TextClassifier holding the ten tensors of state dict `sd` (names of the format), checked
    against config `cfg` (the format's `config` object), the vocabulary and the labels: exact key
    set, shapes, finite values. `source` names the state dict in messages. The state dict's own
    dtype is kept (float64 stays float64 until save_model rounds once). Also used by
    tools/import_torch.py and tools/import_keras.py."""
    import torch
    import textclf_ref as ref

    unknown = set(cfg) - {"dim", "heads", "head_dim", "max_len", "hidden", "activation", "residual",
                          "ngram_buckets", "ngram_min", "ngram_max", "position", "output"}
    if unknown:
        raise ValueError(f"config: unknown key(s) {', '.join(sorted(unknown))}")
    model = ref.TextClassifier.from_config(len(vocab), len(labels), cfg)
    # ngram.weight (an nn.EmbeddingBag named ngram) exactly when config has ngram_buckets > 0
    names = set(ref.tensor_names(model.config))
    if set(sd) != names:
        raise ValueError(f"{source}: missing {sorted(names - set(sd))}, "
                         f"unexpected {sorted(set(sd) - names)}")
    want = model.state_dict()
    for n in ref.tensor_names(model.config):
        if tuple(sd[n].shape) != tuple(want[n].shape):
            raise ValueError(f"{source}: {n} has shape {list(sd[n].shape)}, expected "
                             f"{list(want[n].shape)} (from config, vocab and labels)")
        if not torch.isfinite(sd[n]).all():
            raise ValueError(f"{source}: {n} contains NaN or infinite values")
    model = model.to(next(iter(sd.values())).dtype)
    model.load_state_dict(sd, strict=True)
    return model.eval()


def main(argv=None):
    p = OneLineParser(prog="export.py",
                      description="Write a textclf model file (see docs/model-format.md).")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--state-dict", help="PyTorch state dict (.pt) of a trained model")
    src.add_argument("--random", action="store_true", help="a randomly initialised model")
    p.add_argument("--config", help="config JSON (with --state-dict)")
    p.add_argument("--dim", type=int)
    p.add_argument("--heads", type=int)
    p.add_argument("--head-dim", type=int)
    p.add_argument("--hidden", type=int)
    p.add_argument("--max-len", type=int)
    p.add_argument("--activation", default="relu", choices=["relu", "gelu", "tanh"])
    p.add_argument("--no-residual", action="store_true")
    p.add_argument("--position", default="learned",
                   choices=["learned", "none", "sinusoidal", "sinusoidal-halves"])
    p.add_argument("--multi-label", action="store_true",
                   help="a multi-label model: config.output \"sigmoid\" (a sigmoid per label)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--vocab", required=True, help="vocab.txt, one token per line")
    p.add_argument("--labels", required=True, help="labels file (one per line) or a,b,c")
    p.add_argument("--tokenizer", help="tokenizer settings JSON (default: {})")
    p.add_argument("--vocab-file", help="reference the vocabulary as this file next to the output")
    p.add_argument("--safetensors", action="store_true", help="weights in <stem>.safetensors")
    p.add_argument("--dtype", default="F32", choices=["F32", "F64", "F16", "BF16"],
                   help="safetensors storage type (F16/BF16 round the weights; default F32)")
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args(argv)

    import torch
    import textclf_ref as ref

    vocab, labels, settings = read_model_inputs(a)

    if a.random:
        missing = [n for n in ("dim", "heads", "hidden", "max_len") if getattr(a, n) is None]
        if missing:
            raise ValueError("--random needs " + ", ".join("--" + m.replace("_", "-") for m in missing))
        torch.manual_seed(a.seed)
        model = ref.TextClassifier(len(vocab), len(labels), a.dim, a.heads, a.max_len, a.hidden,
                                   a.head_dim, a.activation, not a.no_residual,
                                   position=a.position,
                                   output="sigmoid" if a.multi_label else "softmax")
    else:
        if not a.config:
            raise ValueError("--state-dict needs --config")
        cfg = read_json(a.config, "config")
        if a.multi_label:
            cfg["output"] = "sigmoid"
        model = model_from_state_dict(load_state_dict(a.state_dict), cfg, vocab, labels,
                                      a.state_dict)

    if a.dtype != "F32" and not a.safetensors:
        raise ValueError("--dtype needs --safetensors (inline data is always F32)")
    ref.save_model(a.output, model, vocab, labels, settings,
                   weights="safetensors" if a.safetensors else "inline", vocab_file=a.vocab_file,
                   weights_dtype=a.dtype)
    return 0


def read_model_inputs(a):
    """The vocabulary, labels and tokenizer settings (completed with their defaults) named by
    the options --vocab, --labels and --tokenizer of a, as this exporter and the import tools
    take them."""
    import textclf_ref as ref

    vocab = read_lines(a.vocab)
    labels = read_labels(a.labels)
    settings = read_json(a.tokenizer, "tokenizer settings") if a.tokenizer else {}
    ref.complete_tokenizer_settings(settings)
    return vocab, labels, settings


def save_imported(a, model, vocab, labels, settings, prog, source):
    """Writes a model an import tool (prog) made from the file source to a.output: weights
    inline (--inline) or in a safetensors file, --vocab-file as given; the metadata records
    the tool and the source's file name."""
    import textclf_ref as ref

    ref.save_model(a.output, model, vocab, labels, settings,
                   weights="inline" if a.inline else "safetensors", vocab_file=a.vocab_file,
                   metadata={"imported_by": f"tools/{prog}", "source": os.path.basename(source)})


# The max_len of an imported model with no position table to take it from (--max-len changes it).
DEFAULT_MAX_LEN = 512


def check_max_len(max_len):
    """An import tool's --max-len: None (not given) or 1..65536, the loader's bound."""
    if max_len is not None and not 1 <= max_len <= 65536:
        raise ValueError(f"--max-len {max_len}: expected 1..65536")


def note(prog, msg):
    """Prints "PROG: note: MSG" on stderr: something the user may want to know, not an error."""
    sys.stderr.write(f"{prog}: note: {msg}\n")


def run_cli(main_fn, prog):
    """Runs main_fn() as a command-line tool (also for the import tools): exits with its status,
    or on an error with one line "PROG: error: ..." and status 1 — no traceback."""
    try:
        sys.exit(main_fn())
    except SystemExit:
        raise
    except Exception as e:
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        sys.stderr.write(f"{prog}: error: {msg}\n")
        sys.exit(1)


if __name__ == "__main__":
    run_cli(main, "export.py")
