#!/usr/bin/python3
"""PyTorch contender of the inference-speed benchmark (bench/perf/run.sh runs it).

    torch_bench.py run --model MODEL.json --ids IDS.txt [--ids IDS2.txt ...] --batch B --threads N
                       [--probs-out F]
    torch_bench.py first-result --pt MODEL.pt      (one line of token ids on stdin)

`run`: classifies every document of IDS.txt (one document per line, the output of
`textclf tokenize --ids -m MODEL.json`, so PyTorch sees exactly textclf's token ids) with
tools/textclf_ref.TextClassifier loaded from MODEL.json (the same float32 weights), under
torch.inference_mode() in eval mode, torch.set_num_threads(N), one inter-op thread. The ids are
read and converted to one int64 array before the clock starts (that is "token ids already in
memory"); one warm-up call of each shape class is made before timing, too. Timed: for --batch 1,
each document alone ([1, T] tensor, no padding), and the time of each call (tensor creation,
forward, softmax, copy out) is recorded for the latency percentiles; for --batch B > 1, the
documents are sorted by length (stable), cut into batches of B, each padded to its longest
document with lengths for the key-padding mask, and the probabilities are put back in input order.
Both end with the argmax label of every document. Prints one JSON line per ids file on stdout: docs,
tokens (real tokens, no padding), padded_tokens, seconds, docs_per_s, tokens_per_s, latency_us
(batch 1). Several --ids files are timed one after the other in one process (the length curve).
--probs-out writes the probabilities, float32 [docs, labels] in input order, as raw little-endian
bytes (for the parity check).

`first-result`: the whole-process start-up measurement. Imports torch, loads the state dict that
export_onnx.py --pt wrote, reads one line of token ids from stdin, classifies it and prints
"label<TAB>probability" (flushed); the driver times this from process start.

OPENBLAS_NUM_THREADS defaults to 1 (PyTorch parallelises with its own threads).
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))

import torch  # noqa: E402


def first_result(pt):
    import textclf_ref as ref
    saved = torch.load(pt)
    model = ref.TextClassifier.from_config(saved["vocab_size"], len(saved["labels"]), saved["config"])
    model.load_state_dict(saved["state_dict"])
    model.eval()
    ids = [int(x) for x in sys.stdin.readline().split()]
    with torch.inference_mode():
        x = torch.tensor([ids or [0]], dtype=torch.long)
        p = model.probs(x, torch.tensor([len(ids)], dtype=torch.long))[0]
    k = int(p.argmax())
    sys.stdout.write(f"{saved['labels'][k]}\t{float(p[k]):.6f}\n")
    sys.stdout.flush()


def read_ids(path):
    """(flat int64 array, offsets, lengths) of the documents in an ids file."""
    import numpy as np
    lens, flat = [], []
    with open(path) as f:
        for line in f:
            t = line.split()
            lens.append(len(t))
            flat.extend(t)
    flat = np.array(flat, dtype=np.int64)
    lens = np.array(lens, dtype=np.int64)
    offs = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
    return flat, offs, lens


def percentile(sorted_v, q):
    """Nearest-rank percentile of an ascending list."""
    import math
    return sorted_v[max(0, math.ceil(q / 100 * len(sorted_v)) - 1)]


def run(a):
    import json
    import textclf_ref as ref

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    model, vocab, labels, _, config = ref.load_model(a.model)
    model.eval()
    if a.probs_out and len(a.ids) != 1:
        sys.exit("torch_bench.py: --probs-out needs exactly one --ids file")
    for path in a.ids:
        res, probs = run_one(model, len(vocab), len(labels), config["max_len"], path, a.batch)
        res.update({"threads": a.threads, "ids": path, "torch": torch.__version__})
        if a.probs_out:
            probs.astype("<f4").tofile(a.probs_out)
        print(json.dumps(res), flush=True)


def run_one(model, V, C, max_len, path, B):
    """Times the classification of one ids file; returns (result dict, probabilities)."""
    import time
    import numpy as np
    flat, offs, lens = read_ids(path)
    n = len(lens)
    if n == 0:
        sys.exit(f"torch_bench.py: {path}: no documents")
    if lens.max() > max_len or (flat.size and flat.max() >= V):
        sys.exit(f"torch_bench.py: {path}: the ids do not fit the model (length or id range)")
    out = np.empty((n, C), dtype=np.float32)
    lat = []
    padded = 0

    def one(i):
        L = int(lens[i])
        x = torch.from_numpy(flat[offs[i]:offs[i] + L].reshape(1, L)) if L else \
            torch.zeros((1, 1), dtype=torch.long)
        return model.probs(x, torch.from_numpy(lens[i:i + 1]))[0]

    def batch(idx):
        T = max(1, int(lens[idx].max()))
        x = np.zeros((len(idx), T), dtype=np.int64)
        for r, i in enumerate(idx):
            x[r, :lens[i]] = flat[offs[i]:offs[i] + lens[i]]
        return model.probs(torch.from_numpy(x), torch.from_numpy(lens[idx])), x.size

    with torch.inference_mode():
        # warm-up (untimed): first calls allocate and pick kernels
        if B == 1:
            one(0)
        else:
            batch(np.arange(min(n, B)))
        t0 = time.perf_counter()
        if B == 1:
            clock = time.perf_counter
            for i in range(n):
                c0 = clock()
                out[i] = one(i).numpy()
                lat.append(clock() - c0)
            padded = int(lens.sum())
        else:
            order = np.argsort(lens, kind="stable")
            for s in range(0, n, B):
                idx = order[s:s + B]
                p, cells = batch(idx)
                out[idx] = p.numpy()
                padded += cells
        predicted = out.argmax(axis=1)
        seconds = time.perf_counter() - t0
    assert len(predicted) == n
    tokens = int(lens.sum())
    res = {"contender": "torch", "batch": B, "docs": n, "tokens": tokens, "padded_tokens": padded,
           "seconds": seconds, "docs_per_s": n / seconds, "tokens_per_s": tokens / seconds}
    if lat:
        lat.sort()
        res["latency_us"] = {"p50": 1e6 * percentile(lat, 50), "p99": 1e6 * percentile(lat, 99),
                             "mean": 1e6 * sum(lat) / len(lat), "calls": len(lat)}
    return res, out


def main():
    import argparse
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--model", required=True)
    r.add_argument("--ids", required=True, action="append",
                   help="ids file; repeat to time several files with one model load (one JSON line each)")
    r.add_argument("--batch", type=int, default=1)
    r.add_argument("--threads", type=int, default=1)
    r.add_argument("--probs-out")
    f = sub.add_parser("first-result")
    f.add_argument("--pt", required=True)
    a = ap.parse_args()
    if a.cmd == "run":
        run(a)
    else:
        first_result(a.pt)


if __name__ == "__main__":
    main()
