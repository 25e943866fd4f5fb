#!/usr/bin/python3
"""Driver of the inference-speed benchmark (run it through run.sh, which prepares WORK).

    bench.py --textclf BIN --latency BIN --work WORK --out OUT [--reps 3] [--first-launches 3]
             [--b1-docs 10000] [--real-model models/lang.json]

WORK holds data/ (gen_corpus.py), real.txt, models/ (model128.json/.safetensors/.onnx/.pt,
model256.json, ft.bin, lang.onnx). This script

  1. tokenises every input once with `textclf tokenize --ids` (the token ids PyTorch and ONNX
     Runtime get, so all contenders see the same token sequences), untimed;
  2. checks that textclf, PyTorch (batch 1 and 256) and ONNX Runtime (batch 1 and 256) give the
     same probabilities (max abs difference <= 1e-4) on a sample of every model's documents, and
     exits 1 before timing anything if they do not (parity.json);
  3. runs every measurement --reps times, interleaved (rep 1: all measurements, rep 2: all, ...;
     the order rotates between reps so a slow drift of a shared machine spreads over all of
     them), and writes OUT/json/<section>.<name>.json per measurement (every run, plus the median
     and min/max of each metric) and OUT/json/meta.json.

report.py turns OUT/json into OUT/RESULTS.md. Timings only: nothing here passes or fails on speed.

Whole-process runs are timed from spawn to exit (perf_counter); their peak RSS and CPU time come
from GNU time (/usr/bin/time -f "%U %S %M"). "docs/s" counts documents, "tokens/s" the real tokens
the model saw (from the ids files: after truncation to max_len, no padding).
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
TORCH_BENCH = os.path.join(HERE, "torch_bench.py")
ORT_BENCH = os.path.join(HERE, "ort_bench.js")
PARITY_TOL = 1e-4
GNU_TIME = "/usr/bin/time"
LENGTHS = (8, 16, 32, 64, 128, 256)

# PyTorch and ONNX Runtime settings: (name, batch, threads, extra environment).
# OMP_WAIT_POLICY=PASSIVE stops PyTorch's OpenMP threads from spin-waiting, which on 2 cores
# competes with the work (bench/train_speed found it PyTorch's best 2-thread setting).
TORCH_SETTINGS = [("b1 t1", 1, 1, {}), ("b1 t2", 1, 2, {}), ("b256 t1", 256, 1, {}),
                  ("b256 t2", 256, 2, {}), ("b1 t2 omp-passive", 1, 2, {"OMP_WAIT_POLICY": "PASSIVE"}),
                  ("b256 t2 omp-passive", 256, 2, {"OMP_WAIT_POLICY": "PASSIVE"})]
ORT_SETTINGS = [("b1 t1", 1, 1, {}), ("b1 t2", 1, 2, {}), ("b256 t1", 256, 1, {}),
                ("b256 t2", 256, 2, {})]


def die(msg):
    sys.stderr.write(f"bench.py: error: {msg}\n")
    sys.exit(1)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def base_env(extra=None):
    """The environment of every contender: ours, without variables that change their behaviour."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TEXTCLF_MODEL", "OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS",
                        "MKL_NUM_THREADS")}
    env["LC_ALL"] = "C"
    env.update(extra or {})
    return env


def spawn(cmd, env=None, stdin=subprocess.DEVNULL, capture=False, rss=True):
    """Runs cmd to completion. Returns {wall, cpu, maxrss_kib, load, out}; exits on failure.

    stdout goes to /dev/null unless capture (then its text is returned as out). Peak RSS comes from
    GNU time's %M (the child's own ru_maxrss): os.wait4 on a child of this process would report at
    least this Python process's RSS, since Linux carries the high-water mark of the forked copy
    across exec. The wrapper adds ~2 ms to the wall time (the spawn of `time`).
    """
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rssf:
        full = ([GNU_TIME, "-f", "%U %S %M", "-o", rssf.name] if rss else []) + list(cmd)
        load = loadavg()
        t0 = time.perf_counter()
        p = subprocess.Popen(full, env=env or base_env(), stdin=stdin,
                             stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=err)
        out = p.stdout.read() if capture else b""
        p.wait()
        wall = time.perf_counter() - t0
        if capture:
            p.stdout.close()
        if p.returncode != 0:
            err.seek(0)
            die(f"exit status {p.returncode}: {shlex.join(cmd)}\n{err.read().decode(errors='replace')}")
        usr, sys_, maxrss = rssf.read().split("\n")[-2].split() if rss else (0, 0, 0)
    return {"wall": wall, "cpu": float(usr) + float(sys_), "maxrss_kib": int(maxrss), "load": load,
            "out": out.decode()}


def first_result(cmd, line, env=None):
    """Spawns cmd, writes one document (bytes, with its newline) to its stdin and times until the
    first output line arrives. Returns {seconds, load, line}; exits on failure."""
    with tempfile.TemporaryFile() as err:
        load = loadavg()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env or base_env(), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=err)
        p.stdin.write(line)
        p.stdin.flush()
        first = p.stdout.readline()
        seconds = time.perf_counter() - t0
        try:
            p.stdin.close()
        except BrokenPipeError:   # a contender that answers one document and exits
            pass
        p.stdout.read()
        p.stdout.close()
        p.wait()
        if p.returncode != 0 or not first.strip():
            err.seek(0)
            die(f"first-result run failed (exit {p.returncode}, first line {first!r}): "
                f"{shlex.join(cmd)}\n{err.read().decode(errors='replace')}")
    return {"seconds": seconds, "load": load, "line": first.decode(errors="replace").rstrip("\n")}


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def id_stats(path):
    """(documents, real tokens) of an ids file."""
    docs = tokens = 0
    with open(path) as f:
        for line in f:
            docs += 1
            tokens += len(line.split())
    return docs, tokens


def head(src, dst, n):
    """First n lines of src into dst; returns dst."""
    with open(src, "rb") as f, open(dst, "wb") as g:
        for i, line in enumerate(f):
            if i >= n:
                break
            g.write(line)
    return dst


def model_labels(model):
    with open(model, encoding="utf-8") as f:
        return json.load(f)["labels"]


class Bench:
    def __init__(self, a):
        self.a = a
        self.work = a.work
        self.data = os.path.join(a.work, "data")
        self.models = os.path.join(a.work, "models")
        self.ids_dir = os.path.join(a.work, "ids")
        os.makedirs(self.ids_dir, exist_ok=True)
        self.has_threads = "--threads" in subprocess.run([a.textclf, "--help"], capture_output=True,
                                                         text=True).stdout
        self.info = {}      # measurement id -> description (section, contender, setting, command...)
        self.jobs = []      # (label, fn): what is run, repeated and interleaved
        self.results = {}   # measurement id -> list of run dicts

    # ---- inputs -------------------------------------------------------------------------------
    def tokenize(self, model, text, name):
        """`textclf tokenize --ids` of text with model into ids/<name>.ids (once)."""
        out = os.path.join(self.ids_dir, name + ".ids")
        with open(out, "w") as f:
            subprocess.run([self.a.textclf, "tokenize", "-m", model, "--ids", text], stdout=f,
                           check=True, env=base_env())
        if count_lines(out) != count_lines(text):
            die(f"{out}: {count_lines(out)} lines of ids for {count_lines(text)} documents")
        return out

    def prepare(self):
        d, m = self.data, self.models
        self.m128 = os.path.join(m, "model128.json")
        self.m256 = os.path.join(m, "model256.json")
        self.lang = self.a.real_model
        self.docs = os.path.join(d, "docs.txt")
        self.docs_ids = self.tokenize(self.m128, self.docs, "docs")
        # batch-1 and latency runs: the first --b1-docs documents (latency.c reads the prefix itself)
        self.b1_ids = head(self.docs_ids, os.path.join(self.ids_dir, "docs_b1.ids"), self.a.b1_docs)
        # the second corpus: shorter documents (mean ~20 tokens), the same model
        self.docs20 = os.path.join(d, "docs20.txt")
        self.docs20_ids = self.tokenize(self.m128, self.docs20, "docs20")
        self.b1_20_ids = head(self.docs20_ids, os.path.join(self.ids_dir, "docs20_b1.ids"), self.a.b1_docs)
        self.len_text, self.len_ids = {}, {}
        for L in LENGTHS:
            self.len_text[L] = os.path.join(d, f"len_{L}.txt")
            for ml, model in ((128, self.m128), (256, self.m256)):
                self.len_ids[L, ml] = self.tokenize(model, self.len_text[L], f"len_{L}_m{ml}")
        self.real = os.path.join(self.work, "real.txt")
        self.real_ids = self.tokenize(self.lang, self.real, "real")
        self.real_b1_ids = head(self.real_ids, os.path.join(self.ids_dir, "real_b1.ids"), self.a.b1_docs)

    # ---- parity -------------------------------------------------------------------------------
    def textclf_probs(self, model, text):
        labels = model_labels(model)
        r = subprocess.run([self.a.textclf, "-m", model, "-a", "-f", "jsonl", text], check=True,
                           capture_output=True, text=True, env=base_env())
        rows = [json.loads(x) for x in r.stdout.splitlines()]
        return [[row["scores"][lab] for lab in labels] for row in rows]

    def peer_probs(self, kind, model, ids, batch, n, C):
        import numpy as np
        out = os.path.join(self.work, "parity.probs")
        if kind == "torch":
            cmd = [PY, TORCH_BENCH, "run", "--model", model]
            env = base_env({"OPENBLAS_NUM_THREADS": "1"})
        else:
            cmd = [self.a.node, ORT_BENCH, "run", "--model", model]
            env = base_env()
        spawn(cmd + ["--ids", ids, "--batch", str(batch), "--threads", "1", "--probs-out", out],
              env=env, capture=True)
        p = np.fromfile(out, dtype="<f4")
        if p.size != n * C:
            die(f"{kind} wrote {p.size} probabilities, expected {n} x {C}")
        return p.reshape(n, C)

    def parity(self):
        """Same probabilities from every implementation of the same weights, or exit 1."""
        import numpy as np
        pd = os.path.join(self.work, "parity")
        os.makedirs(pd, exist_ok=True)

        def sample(name, parts):
            path = os.path.join(pd, name + ".txt")
            with open(path, "wb") as g:
                for src, n in parts:
                    with open(src, "rb") as f:
                        for i, line in enumerate(f):
                            if i >= n:
                                break
                            g.write(line)
            return path

        cases = [   # (name, textclf model, onnx model or None, sample text)
            ("model128", self.m128, os.path.join(self.models, "model128.onnx"),
             sample("model128", [(self.docs, 200)] + [(self.len_text[L], 10) for L in LENGTHS])),
            ("model256", self.m256, None, sample("model256", [(self.len_text[L], 10) for L in LENGTHS])),
            ("lang", self.lang, os.path.join(self.models, "lang.onnx"), sample("lang", [(self.real, 200)])),
        ]
        report = []
        for name, model, onnx, text in cases:
            ids = self.tokenize(model, text, f"parity_{name}")
            ref = np.array(self.textclf_probs(model, text), dtype=np.float64)
            n, C = ref.shape
            if n != count_lines(text):
                die(f"textclf gave {n} results for {count_lines(text)} documents of {text}")
            peers = [("torch", model, 1), ("torch", model, 256)]
            if onnx:
                peers += [("ort", onnx, 1), ("ort", onnx, 256)]
            for kind, pm, batch in peers:
                got = self.peer_probs(kind, pm, ids, batch, n, C)
                diff = np.abs(got - ref)
                i = int(diff.max(axis=1).argmax())
                row = {"model": name, "contender": kind, "batch": batch, "docs": n,
                       "max_abs_diff": float(diff.max()),
                       "same_top1": int((got.argmax(1) == ref.argmax(1)).sum()),
                       "worst_doc": i + 1}
                report.append(row)
                print(f"parity {name:9s} textclf vs {kind} batch {batch:3d}: max abs diff "
                      f"{row['max_abs_diff']:.2e} over {n} docs", file=sys.stderr)
        with open(os.path.join(self.a.out, "json", "parity.json"), "w") as f:
            json.dump({"tolerance": PARITY_TOL, "note": "textclf prints 6 decimals", "checks": report},
                      f, indent=1)
        bad = [r for r in report if not r["max_abs_diff"] <= PARITY_TOL]
        if bad:
            for r in bad:
                sys.stderr.write(f"PARITY FAILURE: {r['model']}: textclf vs {r['contender']} batch "
                                 f"{r['batch']}: max abs diff {r['max_abs_diff']:.3g} > {PARITY_TOL} "
                                 f"(document {r['worst_doc']} of {os.path.join(pd, r['model'] + '.txt')})\n")
            die("the contenders do not compute the same probabilities; nothing was timed")

    # ---- measurements -------------------------------------------------------------------------
    # A measurement has an id "<section>.<contender>.<setting>" and a description (self.info); a job
    # is one process (or a few launches) that yields runs for one or more measurement ids. Jobs are
    # what is repeated and interleaved.
    def describe(self, section, contender, setting, threads, command, **extra):
        mid = f"{section}.{contender}.{setting}".replace(" ", "_")
        self.info[mid] = {"id": mid, "section": section, "contender": contender, "setting": setting,
                          "threads": threads, "command": command, **extra}
        return mid

    def job(self, label, fn):
        """fn() -> list of (measurement id, run dict)."""
        self.jobs.append((label, fn))

    def textclf_settings(self):
        """(setting name, extra args, threads) of the textclf program."""
        s = [("default", [], None)]
        if self.has_threads:
            s += [("t1", ["--threads", "1"], 1), ("t2", ["--threads", "2"], 2)]
        return s

    def add_process(self, section, contender, setting, threads, cmd, docs, tokens, **extra):
        """A whole-process run: cmd > /dev/null, timed from spawn to exit."""
        mid = self.describe(section, contender, setting, threads, shlex.join(cmd) + " > /dev/null",
                            docs=docs, tokens=tokens, **extra)

        def fn():
            r = spawn(cmd)
            return [(mid, {"docs": docs, "tokens": tokens, "seconds": r["wall"],
                           "docs_per_s": docs / r["wall"], "tokens_per_s": tokens / r["wall"],
                           "cpu_s": r["cpu"], "maxrss_kib": r["maxrss_kib"], "load": r["load"]})]
        self.job(mid, fn)

    def add_script(self, mids, cmd, env):
        """A script that prints one JSON result line per measurement id in mids (in order)."""
        def fn():
            r = spawn(cmd, env=env, capture=True)
            lines = [json.loads(x) for x in r["out"].splitlines() if x.startswith("{")]
            if len(lines) != len(mids):
                die(f"{len(lines)} result lines for {len(mids)} measurements: {shlex.join(cmd)}")
            for res in lines:
                res.update({"wall": r["wall"], "cpu_s": r["cpu"], "maxrss_kib": r["maxrss_kib"],
                            "load": r["load"]})
            return list(zip(mids, lines))
        self.job(mids[0] if len(mids) == 1 else mids[0] + " (+%d)" % (len(mids) - 1), fn)

    def add_peers(self, section, model, onnx, ids, b1_ids):
        """PyTorch and ONNX Runtime settings on an ids file (batch 1 on the b1_ids prefix)."""
        for name, batch, threads, extra in TORCH_SETTINGS:
            envd = {"OPENBLAS_NUM_THREADS": "1", **extra}
            cmd = [PY, TORCH_BENCH, "run", "--model", model, "--ids", b1_ids if batch == 1 else ids,
                   "--batch", str(batch), "--threads", str(threads)]
            mid = self.describe(section, "torch", name, threads, shlex.join(cmd), batch=batch,
                                env_note=" ".join(f"{k}={v}" for k, v in envd.items()))
            self.add_script([mid], cmd, base_env(envd))
        if onnx is None:
            return
        for name, batch, threads, extra in ORT_SETTINGS:
            cmd = [self.a.node, ORT_BENCH, "run", "--model", onnx, "--ids",
                   b1_ids if batch == 1 else ids, "--batch", str(batch), "--threads", str(threads)]
            mid = self.describe(section, "ort", name, threads, shlex.join(cmd), batch=batch)
            self.add_script([mid], cmd, base_env(extra))

    def add_first(self, contender, setting, cmd, line, env, what):
        """Start to first result: --first-launches timed launches plus one launch under GNU time
        for the peak RSS (so the timed launches carry no wrapper)."""
        mid = self.describe("first", contender, setting, None, shlex.join(cmd) + "  (one document on stdin)",
                            input=what)

        def fn():
            runs = [first_result(cmd, line, env) for _ in range(self.a.first_launches)]
            runs[-1]["maxrss_kib"] = self.rss_of(cmd, line, env)
            return [(mid, x) for x in runs]
        self.job(mid, fn)

    def rss_of(self, cmd, line, env):
        """Peak RSS (KiB) of cmd classifying one document given on stdin, under GNU time."""
        with tempfile.TemporaryFile() as inp:
            inp.write(line)
            inp.seek(0)
            return spawn(cmd, env=env, stdin=inp)["maxrss_kib"]

    def plan(self):
        a, T = self.a, self.a.textclf
        docs, tokens = id_stats(self.docs_ids)
        ft = os.path.join(self.models, "ft.bin")
        m128_onnx = os.path.join(self.models, "model128.onnx")

        # Throughput (and latency from the batch-1 runs): synthetic corpus, model128.
        for setting, extra, th in self.textclf_settings():
            self.add_process("throughput", "textclf", setting, th,
                             [T, "-m", self.m128, *extra, self.docs], docs, tokens)
        n_b1, _ = id_stats(self.b1_ids)
        cmd = [a.latency, self.m128, self.docs, str(n_b1)]
        self.add_script([self.describe("throughput", "textclf-lib", "latency.c", 1, shlex.join(cmd),
                                       batch=1)], cmd, base_env())
        self.add_peers("throughput", self.m128, m128_onnx, self.docs_ids, self.b1_ids)
        self.add_process("throughput", "fasttext", "predict", 1, ["fasttext", "predict", ft, self.docs],
                         docs, tokens)

        # The same on the second corpus, documents of 5-35 tokens (mean ~20), where the costs per
        # document (reading, tokenising, the layers after pooling, writing) weigh most.
        docs20, tokens20 = id_stats(self.docs20_ids)
        for setting, extra, th in self.textclf_settings():
            self.add_process("short", "textclf", setting, th,
                             [T, "-m", self.m128, *extra, self.docs20], docs20, tokens20)
        self.add_peers("short", self.m128, m128_onnx, self.docs20_ids, self.b1_20_ids)
        self.add_process("short", "fasttext", "predict", 1, ["fasttext", "predict", ft, self.docs20],
                         docs20, tokens20)

        # Cost against document length: fixed-length documents, max_len 128 and 256. PyTorch runs
        # all lengths of one model in one process (one start-up, each length timed on its own).
        for ml, model in ((128, self.m128), (256, self.m256)):
            mids, ids_args = [], []
            for L in LENGTHS:
                ids = self.len_ids[L, ml]
                n, tok = id_stats(ids)
                for setting, extra, th in self.textclf_settings():
                    if setting == "t2":
                        continue
                    self.add_process("length", "textclf", f"{setting} L{L} m{ml}", th,
                                     [T, "-m", model, *extra, self.len_text[L]], n, tok,
                                     length=L, max_len=ml, base_setting=setting)
                ids_args += ["--ids", ids]
                mids.append((L, n, tok))
            cmd = [PY, TORCH_BENCH, "run", "--model", model, *ids_args, "--batch", "256", "--threads", "1"]
            self.add_script([self.describe("length", "torch", f"b256 t1 L{L} m{ml}", 1, shlex.join(cmd),
                                           length=L, max_len=ml, base_setting="b256 t1", batch=256,
                                           docs=n, tokens=tok, env_note="OPENBLAS_NUM_THREADS=1")
                             for L, n, tok in mids], cmd, base_env({"OPENBLAS_NUM_THREADS": "1"}))

        # Real text with the shipped language identifier.
        rdocs, rtokens = id_stats(self.real_ids)
        for setting, extra, th in self.textclf_settings():
            self.add_process("real", "textclf", setting, th, [T, "-m", self.lang, *extra, self.real],
                             rdocs, rtokens)
        n_rb1, _ = id_stats(self.real_b1_ids)
        cmd = [a.latency, self.lang, self.real, str(n_rb1)]
        self.add_script([self.describe("real", "textclf-lib", "latency.c", 1, shlex.join(cmd), batch=1)],
                        cmd, base_env())
        self.add_peers("real", self.lang, os.path.join(self.models, "lang.onnx"), self.real_ids,
                       self.real_b1_ids)

        # Start to first result: a fresh process, one document on stdin. `head -n 1` (prints the
        # line it reads) is the floor: what spawning a process and a pipe round trip cost here.
        with open(self.docs, "rb") as f:
            text_line = f.readline()
        with open(self.docs_ids, "rb") as f:
            ids_line = f.readline()
        pt = os.path.join(self.models, "model128.pt")
        labels_txt = os.path.join(self.data, "labels.txt")
        self.add_first("floor", "head -n 1", ["head", "-n", "1"], text_line, base_env(), "text")
        self.add_first("textclf", "-m model128.json", [T, "-m", self.m128, "--line-buffered"], text_line,
                       base_env(), "text")
        self.add_first("textclf", "built-in model", [T, "--line-buffered"], text_line, base_env(), "text")
        self.add_first("fasttext", "predict -", ["fasttext", "predict", ft, "-"], text_line, base_env(),
                       "text")
        self.add_first("torch", "first-result", [PY, TORCH_BENCH, "first-result", "--pt", pt], ids_line,
                       base_env({"OPENBLAS_NUM_THREADS": "1"}), "token ids")
        self.add_first("ort", "first-result", [a.node, ORT_BENCH, "first-result", "--model", m128_onnx,
                                               "--labels", labels_txt], ids_line, base_env(), "token ids")

    def run_all(self):
        jobs = self.jobs
        for rep in range(self.a.reps):
            k = (rep * len(jobs)) // self.a.reps
            order = jobs[k:] + jobs[:k]
            for i, (label, fn) in enumerate(order):
                pairs = fn()
                for mid, run in pairs:
                    self.results.setdefault(mid, []).append(run)
                x = pairs[-1][1]
                if label.startswith("first."):
                    what = f"{1e3 * statistics.median(r['seconds'] for _, r in pairs):8.1f} ms to first result"
                else:
                    what = f"{x['docs_per_s']:10.0f} docs/s {x['tokens_per_s']:11.0f} tokens/s"
                print(f"rep {rep + 1}/{self.a.reps} [{i + 1:3d}/{len(jobs)}] {label:44s} {what}  "
                      f"(load {x['load']:.2f})", file=sys.stderr, flush=True)
            self.write()

    def write(self):
        jd = os.path.join(self.a.out, "json")
        for mid, info in self.info.items():
            runs = self.results.get(mid)
            if not runs:
                continue
            summary = {}
            for key in ("docs_per_s", "tokens_per_s", "seconds", "maxrss_kib", "cpu_s", "wall"):
                v = [r[key] for r in runs if r.get(key) is not None]
                if v:
                    summary[key] = {"median": statistics.median(v), "min": min(v), "max": max(v)}
            for key in ("p50", "p99", "mean"):
                v = [r["latency_us"][key] for r in runs if "latency_us" in r]
                if v:
                    summary["latency_" + key + "_us"] = {"median": statistics.median(v), "min": min(v),
                                                         "max": max(v)}
            with open(os.path.join(jd, mid + ".json"), "w") as f:
                json.dump({**info, "runs": runs, "summary": summary}, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--textclf", required=True)
    ap.add_argument("--latency", required=True, help="the built latency.c program")
    ap.add_argument("--node", default="node")
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--first-launches", type=int, default=3,
                    help="start-to-first-result launches per contender per rep")
    ap.add_argument("--b1-docs", type=int, default=10000,
                    help="documents of the batch-1 (latency) runs: the first N of the input")
    ap.add_argument("--real-model", required=True)
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "json"), exist_ok=True)

    b = Bench(a)
    t0 = time.time()
    b.prepare()
    b.parity()
    b.plan()
    print(f"{len(b.info)} measurements in {len(b.jobs)} jobs x {a.reps} reps; textclf --threads: "
          f"{'yes' if b.has_threads else 'no'}", file=sys.stderr, flush=True)
    b.run_all()
    with open(os.path.join(a.out, "json", "meta-bench.json"), "w") as f:
        json.dump({"reps": a.reps, "first_launches": a.first_launches, "b1_docs": a.b1_docs,
                   "textclf_threads_option": b.has_threads, "bench_seconds": time.time() - t0,
                   "parity_tolerance": PARITY_TOL}, f, indent=1)


if __name__ == "__main__":
    main()
