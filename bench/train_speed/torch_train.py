#!/usr/bin/python3
"""PyTorch side of the training-throughput benchmark.

    torch_train.py --model MODEL.json --ids IDS.txt --labels LABELS.txt --threads N
                   [--batching padded|bucketed] [--epochs 2] [--batch 32] [--seed 1]

Trains tools/textclf_ref.TextClassifier with the configuration of MODEL.json (dim, heads,
max_len, hidden, activation, residual, vocabulary size and labels; its weights are NOT used) on
the token ids in IDS.txt (one document per line, the output of `textclf tokenize --ids -m
MODEL.json`, so PyTorch sees exactly the token sequences textclf trained on), with what
`textclf train` does in every step:

  dropout p (default 0.1, textclf's default) on the pooled vector and on the hidden layer;
  CrossEntropyLoss (batch mean); loss.backward(); clip_grad_norm_(1.0);
  AdamW(lr 2e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01 on matrices and embeddings, 0 on
  biases); linear warm-up over 5% of the steps then linear decay to 0 (LambdaLR);
  zero_grad(set_to_none=True); a new random order every epoch.

Batching:
  padded    shuffled documents, each batch padded to its longest document (what a careful user
            does; never to max_len)
  bucketed  PyTorch's best case: shuffle, cut into windows of 100 batches, sort each window by
            length, cut it into batches, shuffle the batches (little padding, same batch size)

torch.set_num_threads(N) (intra-op threads; interop 1). Timing covers the training loop only:
each epoch's batches (shuffling, padding, tensors) are built before the clock starts.
Prints one JSON object per epoch and a final summary object {"summary": true, ...} on stdout.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import textclf_ref as ref  # noqa: E402

BIASES = {"attn.in_proj_bias", "attn.out_proj.bias", "hidden.bias", "classifier.bias"}


def forward_train(model, ids, lengths, p):
    """TextClassifier.forward plus textclf train's dropout (pooled vector and hidden layer)."""
    x, real, pad_mask = model._embed(ids, lengths)
    y, _ = model.attn(x, x, x, key_padding_mask=pad_mask, need_weights=False)
    if model.config["residual"]:
        y = y + x
    y = y.masked_fill(~real[:, :, None], 0.0)
    pooled = y.sum(dim=1) / lengths.clamp(min=1).to(y.dtype)[:, None]
    pooled = F.dropout(pooled, p, training=True)
    h = model.hidden(pooled)
    act = model.config["activation"]
    h = F.relu(h) if act == "relu" else F.gelu(h) if act == "gelu" else torch.tanh(h)
    h = F.dropout(h, p, training=True)
    return model.classifier(h)


def make_batches(docs, labels, batch, mode, gen):
    """List of (ids [B,T], lengths [B], labels [B], real tokens) for one epoch."""
    n = len(docs)
    order = torch.randperm(n, generator=gen).tolist()
    if mode == "padded":
        groups = [order[i:i + batch] for i in range(0, n, batch)]
    else:
        window = 100 * batch
        groups = []
        for w in range(0, n, window):
            chunk = sorted(order[w:w + window], key=lambda i: len(docs[i]))
            groups += [chunk[i:i + batch] for i in range(0, len(chunk), batch)]
        perm = torch.randperm(len(groups), generator=gen).tolist()
        groups = [groups[i] for i in perm]
    out = []
    for g in groups:
        ids, lengths = ref.batch_ids([docs[i] for i in g])
        out.append((ids, lengths, torch.tensor([labels[i] for i in g], dtype=torch.long),
                    int(lengths.sum())))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--batching", choices=("padded", "bucketed"), default="padded")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=float, default=0.05)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=0,
                    help="stop when the training loop has run this many seconds (0: never); "
                         "tokens/s is then over the steps done and the summary says truncated")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)

    with open(a.model, encoding="utf-8") as f:
        m = json.load(f)
    cfg, names = m["config"], m["labels"]
    V = len(m["vocab"]) if isinstance(m["vocab"], list) else None
    if V is None:
        raise SystemExit("inline vocabulary expected")
    label_id = {x: i for i, x in enumerate(names)}
    with open(a.ids) as f:
        docs = [[int(t) for t in line.split()] for line in f]
    with open(a.labels) as f:
        labels = [label_id[line.strip()] for line in f]
    if len(docs) != len(labels):
        raise SystemExit(f"{len(docs)} documents but {len(labels)} labels")
    if any(len(d) > cfg["max_len"] for d in docs) or any(t >= V for d in docs for t in d):
        raise SystemExit("ids do not fit the model (length or id range)")

    model = ref.TextClassifier.from_config(V, len(names), cfg)
    model.train()
    params = dict(model.named_parameters())
    decay = [p for n, p in params.items() if n not in BIASES]
    nodecay = [p for n, p in params.items() if n in BIASES]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay},
                             {"params": nodecay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    steps_per_epoch = (len(docs) + a.batch - 1) // a.batch
    total = steps_per_epoch * a.epochs
    warm = round(a.warmup * total)

    def lr_factor(step):   # step = number of optimiser steps taken so far; as textclf train
        s = step + 1
        return s / warm if s <= warm else (total - s + 1) / (total - warm + 1)

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    all_params = list(params.values())

    tok_sum = sec_sum = 0.0
    truncated = False
    for epoch in range(1, a.epochs + 1):
        if truncated:
            break
        batches = make_batches(docs, labels, a.batch, a.batching, gen)   # data loading: not timed
        padded = sum(ids.numel() for ids, _, _, _ in batches)
        loss_sum = 0.0
        tokens = done = 0
        t0 = time.perf_counter()
        for ids, lengths, y, ntok in batches:
            logits = forward_train(model, ids, lengths, a.dropout)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if a.clip > 0:
                torch.nn.utils.clip_grad_norm_(all_params, a.clip)
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(y)
            tokens += ntok
            done += len(y)
            if a.time_limit and sec_sum + time.perf_counter() - t0 > a.time_limit:
                truncated = True
                break
        sec = time.perf_counter() - t0
        tok_sum += tokens
        sec_sum += sec
        print(json.dumps({"epoch": epoch, "loss": loss_sum / done, "tokens": tokens,
                          "padded_tokens": padded, "seconds": round(sec, 4),
                          "tokens_per_s": round(tokens / sec, 1), "truncated": truncated}),
              flush=True)
    print(json.dumps({"summary": True, "threads": a.threads, "batching": a.batching,
                      "truncated": truncated,
                      "torch": torch.__version__, "tokens": tok_sum, "seconds": round(sec_sum, 4),
                      "tokens_per_s": round(tok_sum / sec_sum, 1)}), flush=True)


if __name__ == "__main__":
    main()
