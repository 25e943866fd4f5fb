#!/usr/bin/python3
"""Machine description and RESULTS.md of the inference-speed benchmark (run.sh calls it).

    report.py meta OUT --phase start --textclf BIN --command "..." [--quick] [--real-source S]
    report.py meta OUT --phase end
    report.py render OUT

`meta` writes (start) or completes (end) OUT/json/meta.json: date, the exact command, lscpu's model
name, cores, `uname -r`, memory, load average, and the versions of textclf, cc, Python, torch,
onnxruntime-node, node, fastText and OpenBLAS (pkg-config). `render` reads OUT/json/*.json (bench.py)
and writes OUT/RESULTS.md: one table per section with medians and min..max spreads, and the
textclf / peer ratios at each peer's best setting with 1 thread and with up to 2 threads.
Timings only: no threshold, no verdict.
"""
import glob
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def sh(cmd):
    """Output of a shell command, stripped; '?' if it fails."""
    try:
        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120)
        return r.stdout.strip() or "?"
    except Exception:
        return "?"


def meta(out, a):
    path = os.path.join(out, "json", "meta.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    load = open("/proc/loadavg").read().split()[:3]
    if a.phase == "end":
        with open(path) as f:
            m = json.load(f)
        m["end"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        m["load_end"] = " ".join(load)
        m["duration_s"] = round(time.time() - m["start_epoch"])
    else:
        T = a.textclf
        src = os.path.dirname(os.path.abspath(T))
        rev = sh(f"git -C '{src}' rev-parse --short HEAD 2>/dev/null")
        dirty = sh(f"git -C '{src}' status --porcelain -- src Makefile 2>/dev/null | wc -l")
        ort_pkg = os.path.join(HERE, "node_modules", "onnxruntime-node", "package.json")
        m = {
            "start": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "start_epoch": time.time(),
            "command": a.command, "quick": a.quick, "real_source": a.real_source,
            "cpu_model": sh("lscpu | sed -n 's/^Model name: *//p' | head -1"),
            "cores": sh("nproc"), "kernel": sh("uname -r"),
            "memory": sh("awk '/MemTotal/ {printf \"%.0f GiB\", $2 / 1048576}' /proc/meminfo"),
            "load_start": " ".join(load),
            "textclf": os.path.abspath(T), "textclf_version": sh(f"'{T}' --version | head -1"),
            "textclf_source": f"{src}: commit {rev}" + (f" + uncommitted changes in {dirty} src/Makefile files"
                                                      if dirty not in ("0", "?") else ""),
            "textclf_threads_option": "--threads" in sh(f"'{T}' --help"),
            "cc": sh("cc --version | head -1"),
            "python": sh("/usr/bin/python3 --version"),
            "torch": sh("/usr/bin/python3 -c 'import torch; print(torch.__version__)'")
            + " (python3-torch " + sh("dpkg-query -W -f '${Version}' python3-torch") + ")",
            "numpy": sh("/usr/bin/python3 -c 'import numpy; print(numpy.__version__)'"),
            "onnxruntime_node": json.load(open(ort_pkg))["version"] if os.path.exists(ort_pkg) else "?",
            "node": sh("node --version"),
            "fasttext": sh("dpkg-query -W -f '${Version}' fasttext"),
            "openblas": sh("pkg-config --modversion openblas") + " (libopenblas0-pthread "
            + sh("dpkg-query -W -f '${Version}' libopenblas0-pthread") + ")",
        }
    with open(path, "w") as f:
        json.dump(m, f, indent=1)


# ---- rendering -----------------------------------------------------------------------------

def load(out):
    ms = {}
    for p in glob.glob(os.path.join(out, "json", "*.json")):
        name = os.path.basename(p)[:-5]
        with open(p) as f:
            ms[name] = json.load(f)
    return ms


def n0(x):
    return f"{x:,.0f}"


def med(m, key):
    s = m["summary"].get(key)
    return s["median"] if s else None


def spread(m, key, f=n0):
    s = m["summary"].get(key)
    if not s:
        return ""
    return f"{f(s['min'])}..{f(s['max'])}"


def mib(kib):
    return f"{kib / 1024:,.1f}" if kib is not None else ""


def ratio(x, y):
    """x / y as "1.23x" (three significant digits below 0.1)."""
    if not x or not y:
        return ""
    r = x / y
    return f"{r:.2f}x" if r >= 0.1 else f"{r:.3g}x"


INPUT = {"textclf": "text, whole process", "fasttext": "text, whole process", "floor": "text",
         "textclf-lib": "text, in process (latency.c)", "torch": "token ids in memory",
         "ort": "token ids in memory"}
ORDER = ["floor", "textclf", "textclf-lib", "torch", "ort", "fasttext"]
NAMES = {"textclf": "textclf", "textclf-lib": "textclf library", "torch": "PyTorch",
         "ort": "ONNX Runtime", "fasttext": "fastText", "floor": "(floor)"}


def section(ms, name):
    rows = [m for m in ms.values() if m.get("section") == name]
    return sorted(rows, key=lambda m: (ORDER.index(m["contender"]), m["id"]))


def throughput_table(rows, lines):
    lines.append("| contender | setting | input | docs | docs/s | tokens/s | tokens/s spread (min..max) "
                 "| peak RSS MiB |")
    lines.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for m in rows:
        docs = m["runs"][0]["docs"]
        lines.append(f"| {NAMES[m['contender']]} | {m['setting']} | {INPUT[m['contender']]} | {n0(docs)} "
                     f"| {n0(med(m, 'docs_per_s'))} | {n0(med(m, 'tokens_per_s'))} "
                     f"| {spread(m, 'tokens_per_s')} | {mib(med(m, 'maxrss_kib'))} |")


def textclf_refs(rows, has_threads):
    """(textclf's 1-thread measurement, textclf's best measurement) among whole-process rows."""
    tc = [m for m in rows if m["contender"] == "textclf"]
    one = next((m for m in tc if m["setting"] == ("t1" if has_threads else "default")), None)
    best = max(tc, key=lambda m: med(m, "tokens_per_s"), default=None)
    return one, best


def ratio_table(rows, lines, has_threads, key="tokens_per_s", peers=("torch", "ort", "fasttext")):
    one, best = textclf_refs(rows, has_threads)
    if not one:
        return
    lines.append(f"textclf / peer ({key.replace('_per_s', '/s')}, each side at its best setting; "
                 f"**> 1 means textclf is faster**). textclf 1 thread = `{one['setting']}`"
                 + ("" if has_threads else " (the program has no --threads option: it runs one thread)")
                 + f"; textclf best = `{best['setting']}`.")
    lines.append("")
    lines.append("| peer | best 1-thread setting | peer | textclf 1 thread | ratio | best setting, up to 2 threads "
                 "| peer | textclf best | ratio |")
    lines.append("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for p in peers:
        pr = [m for m in rows if m["contender"] == p]
        if not pr:
            continue
        p1 = max((m for m in pr if m["threads"] == 1), key=lambda m: med(m, key), default=None)
        p2 = max(pr, key=lambda m: med(m, key))
        c1 = (f"{p1['setting']} | {n0(med(p1, key))} | {n0(med(one, key))} | "
              f"{ratio(med(one, key), med(p1, key))}") if p1 else "| | |"
        lines.append(f"| {NAMES[p]} | {c1} | {p2['setting']} | {n0(med(p2, key))} | {n0(med(best, key))} "
                     f"| {ratio(med(best, key), med(p2, key))} |")


def latency_table(rows, lines):
    lat = [m for m in rows if "latency_p50_us" in m["summary"]]
    if not lat:
        return
    lines.append("| contender | setting | calls | p50 µs | p50 spread | p99 µs | p99 spread | mean µs |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    f1 = lambda x: f"{x:,.1f}"  # noqa: E731
    for m in lat:
        lines.append(f"| {NAMES[m['contender']]} | {m['setting']} | {n0(m['runs'][0]['latency_us']['calls'])} "
                     f"| {f1(med(m, 'latency_p50_us'))} | {spread(m, 'latency_p50_us', f1)} "
                     f"| {f1(med(m, 'latency_p99_us'))} | {spread(m, 'latency_p99_us', f1)} "
                     f"| {f1(med(m, 'latency_mean_us'))} |")
    tc = next((m for m in lat if m["contender"] == "textclf-lib"), None)
    if not tc:
        return
    lines.append("")
    lines.append("textclf library latency / peer latency, at the peer's lowest-p50 setting with 1 thread "
                 "and with up to 2 threads (**< 1 means textclf answers sooner**):")
    lines.append("")
    lines.append("| peer | best 1-thread setting | p50 textclf / peer | p99 textclf / peer "
                 "| best setting, up to 2 threads | p50 textclf / peer | p99 textclf / peer |")
    lines.append("| --- | --- | ---: | ---: | --- | ---: | ---: |")
    for p in ("torch", "ort"):
        pr = [m for m in lat if m["contender"] == p]
        if not pr:
            continue
        key = "latency_p50_us"
        p1 = min((m for m in pr if m["threads"] == 1), key=lambda m: med(m, key))
        p2 = min(pr, key=lambda m: med(m, key))
        cells = []
        for pm in (p1, p2):
            cells.append(f"{pm['setting']} | {ratio(med(tc, key), med(pm, key))} "
                         f"| {ratio(med(tc, 'latency_p99_us'), med(pm, 'latency_p99_us'))}")
        lines.append(f"| {NAMES[p]} | {cells[0]} | {cells[1]} |")


def first_table(rows, lines):
    if not rows:
        return
    ms = lambda x: f"{1e3 * x:,.1f}"  # noqa: E731
    lines.append("| contender | setting | input | launches | median ms | spread ms (min..max) "
                 "| peak RSS MiB |")
    lines.append("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for m in rows:
        lines.append(f"| {NAMES[m['contender']]} | {m['setting']} | {m['input']} | {len(m['runs'])} "
                     f"| {ms(med(m, 'seconds'))} | {spread(m, 'seconds', ms)} | {mib(med(m, 'maxrss_kib'))} |")
    tc = next((m for m in rows if m["contender"] == "textclf" and m["setting"].startswith("-m")), None)
    if tc:
        lines.append("")
        lines.append("| peer | textclf (-m model128.json) time / peer time (**< 1 means textclf is first**) |")
        lines.append("| --- | ---: |")
        for m in rows:
            if m["contender"] not in ("textclf", "floor"):
                lines.append(f"| {NAMES[m['contender']]} | {ratio(med(tc, 'seconds'), med(m, 'seconds'))} |")


def rss_table(ms, lines):
    first = {m["contender"]: m for m in section(ms, "first") if m["setting"] != "built-in model"}
    thr = section(ms, "throughput")
    lines.append("| contender | one document (start-to-first-result process) MiB | textclf / peer "
                 "| throughput run MiB (its fastest setting) | textclf / peer |")
    lines.append("| --- | ---: | ---: | --- | ---: |")
    tc1 = med(first["textclf"], "maxrss_kib") if "textclf" in first else None
    tcb = None
    for c in ("textclf", "torch", "ort", "fasttext"):
        runs = [m for m in thr if m["contender"] == c]
        big = max(runs, key=lambda m: med(m, "tokens_per_s")) if runs else None
        bigv = med(big, "maxrss_kib") if big else None
        if c == "textclf":
            tcb = bigv
        one = med(first[c], "maxrss_kib") if c in first else None
        lines.append(f"| {NAMES[c]} | {mib(one)} | {ratio(tc1, one) if c != 'textclf' else ''} | "
                     + (f"{mib(bigv)} ({big['setting']})" if big else "")
                     + f" | {ratio(tcb, bigv) if c != 'textclf' else ''} |")


def length_tables(ms, lines, has_threads):
    rows = section(ms, "length")
    if not rows:
        return
    tc_setting = "t1" if has_threads else "default"
    settings = sorted({m["base_setting"] for m in rows if m["contender"] == "textclf"})
    for ml in sorted({m["max_len"] for m in rows}):
        lines.append(f"**max_len {ml}** (documents of exactly L words = L tokens; the model sees "
                     f"min(L, {ml}) tokens)")
        lines.append("")
        head = "| L | tokens/doc | docs |"
        rule = "| ---: | ---: | ---: |"
        for s in settings:
            head += f" textclf {s} docs/s | textclf {s} tokens/s |"
            rule += " ---: | ---: |"
        head += " PyTorch b256 t1 docs/s | PyTorch tokens/s | textclf " + tc_setting + " / PyTorch |"
        rule += " ---: | ---: | ---: |"
        lines += [head, rule]
        for L in sorted({m["length"] for m in rows}):
            cell = {(m["contender"], m["base_setting"]): m for m in rows
                    if m["max_len"] == ml and m["length"] == L}
            tm = cell.get(("torch", "b256 t1"))
            any_m = next(iter(cell.values()))
            r0 = any_m["runs"][0]
            line = f"| {L} | {r0['tokens'] / r0['docs']:.0f} | {n0(r0['docs'])} |"
            for s in settings:
                m = cell.get(("textclf", s))
                line += (f" {n0(med(m, 'docs_per_s'))} | {n0(med(m, 'tokens_per_s'))} |" if m else " | |")
            tcm = cell.get(("textclf", tc_setting))
            line += (f" {n0(med(tm, 'docs_per_s'))} | {n0(med(tm, 'tokens_per_s'))} |" if tm else " | |")
            line += f" {ratio(med(tcm, 'docs_per_s'), med(tm, 'docs_per_s')) if tcm and tm else ''} |"
            lines.append(line)
        lines.append("")


def render(out):
    out = os.path.abspath(out)
    ms = load(out)
    meta = ms.pop("meta", {})
    bmeta = ms.pop("meta-bench", {})
    parity = ms.pop("parity", None)
    has_threads = bmeta.get("textclf_threads_option", False)
    corpus = {}
    cj = os.path.join(out, "work", "data", "corpus.json")
    if os.path.exists(cj):
        with open(cj) as f:
            corpus = json.load(f)
    L = []
    L.append("# Inference speed: textclf vs PyTorch, ONNX Runtime and fastText")
    L.append("")
    L.append(f"Generated by `bench/perf/report.py` from `{out}/json`. Timings only: no thresholds. "
             "Every number is the median over the repetitions, with the min..max spread where shown. "
             "See bench/perf/README.md for what is measured and the caveats.")
    L.append("")
    L.append("## Setup")
    L.append("")
    L.append(f"- **Command**: `{meta.get('command', '?')}`" + (" (**--quick**: small sizes, 1 repetition; "
             "a smoke test, not a measurement)" if meta.get("quick") else ""))
    L.append(f"- **When**: {meta.get('start', '?')} to {meta.get('end', '?')} "
             f"({meta.get('duration_s', '?')} s); load average {meta.get('load_start', '?')} at the start, "
             f"{meta.get('load_end', '?')} at the end")
    L.append(f"- **Machine**: {meta.get('cpu_model', '?')} (lscpu), {meta.get('cores', '?')} cores, "
             f"{meta.get('memory', '?')}, Linux {meta.get('kernel', '?')}")
    L.append(f"- **textclf**: `{meta.get('textclf', '?')}` ({meta.get('textclf_version', '?')}; "
             f"{meta.get('textclf_source', '?')}); `--threads` option: "
             f"{'yes' if has_threads else 'no'}; {meta.get('cc', '?')}; OpenBLAS {meta.get('openblas', '?')}")
    L.append(f"- **Peers**: torch {meta.get('torch', '?')} on {meta.get('python', '?')} (numpy "
             f"{meta.get('numpy', '?')}); onnxruntime-node {meta.get('onnxruntime_node', '?')} on node "
             f"{meta.get('node', '?')}; fastText {meta.get('fasttext', '?')} (Debian)")
    reps = bmeta.get("reps", "?")
    L.append(f"- **Repetitions**: {reps} per measurement, interleaved; start-to-first-result: "
             f"{bmeta.get('first_launches', '?')} launches per repetition")
    if corpus:
        f = corpus["files"]
        L.append(f"- **Synthetic corpus** (gen_corpus.py, seed {corpus['seed']}): Zipf (s = {corpus['zipf_s']}) "
                 f"over {corpus['corpus_words']:,} synthetic words, {corpus['doc_words'][0]}-"
                 f"{corpus['doc_words'][1]} words per document, {corpus['classes']} labels; "
                 f"docs.txt {f['docs.txt']['docs']:,} documents, {f['docs.txt']['tokens']:,} tokens; "
                 f"batch-1 and latency runs: the first {bmeta.get('b1_docs', '?'):,} documents")
    L.append("- **Model** (random weights, PyTorch initialisation, tools/export.py --random --seed 1): "
             f"vocabulary {corpus.get('vocab_entries', 20000):,} ([UNK] + "
             f"{corpus.get('corpus_words', 19999):,} words), dim 64, 4 heads, hidden 64, 10 labels, max_len 128 "
             "(and 256 for the length curve); the same weights in the textclf JSON + safetensors, in "
             "PyTorch (tools/textclf_ref.py) and in ONNX (export_onnx.py). fastText: `fasttext supervised "
             "-dim 64` on train.txt (same dimension, its own architecture)")
    L.append(f"- **Real text**: models/lang.json (the shipped 24-language identifier) on "
             f"{meta.get('real_source', '?')}")
    L.append("")

    if parity:
        L.append("## Parity (checked before timing)")
        L.append("")
        L.append(f"Probabilities of every label against textclf's (`textclf -a -f jsonl`, 6 decimals); "
                 f"the run stops if any difference exceeds {parity['tolerance']:g}.")
        L.append("")
        L.append("| model | peer | batch | docs | max abs diff | same top label |")
        L.append("| --- | --- | ---: | ---: | ---: | ---: |")
        for r in parity["checks"]:
            L.append(f"| {r['model']} | {NAMES[r['contender']]} | {r['batch']} | {r['docs']} "
                     f"| {r['max_abs_diff']:.1e} | {r['same_top1']}/{r['docs']} |")
        L.append("")

    thr = section(ms, "throughput")
    if thr:
        L.append("## Throughput (synthetic corpus, max_len 128)")
        L.append("")
        L.append("textclf and fastText: `BIN ... docs.txt > /dev/null`, the whole process (start, model "
                 "load, reading, tokenising, classifying, writing labels). PyTorch and ONNX Runtime: the "
                 "token ids already in memory, timed from the first batch to the last label (batch 1 runs: "
                 "the first documents only, see Setup). textclf library: latency.c's sum of tc_classify "
                 "calls (in process, one document per call).")
        L.append("")
        throughput_table(thr, L)
        L.append("")
        ratio_table([m for m in thr if m["contender"] != "textclf-lib"], L, has_threads)
        L.append("")

        L.append("## Single-document latency")
        L.append("")
        L.append("textclf: latency.c, each `tc_classify` call (text in: tokenising included) timed with "
                 "clock_gettime. PyTorch / ONNX Runtime: each batch-1 call (tensor creation, forward, "
                 "softmax) on token ids. Percentiles per repetition, then the median over repetitions.")
        L.append("")
        latency_table(thr, L)
        L.append("")

    short = section(ms, "short")
    if short:
        f20 = corpus.get("files", {}).get("docs20.txt")
        L.append("## Throughput, second corpus: short documents (max_len 128)")
        L.append("")
        L.append("docs20.txt" + (f": {f20['docs']:,} documents of {f20['doc_words'][0]}-"
                                 f"{f20['doc_words'][1]} words, {f20['tokens']:,} tokens (mean "
                                 f"{f20['tokens'] / f20['docs']:.1f})" if f20 else "")
                 + "; the same words, model and commands as above.")
        L.append("")
        throughput_table(short, L)
        L.append("")
        ratio_table(short, L, has_threads)
        L.append("")

    first = section(ms, "first")
    if first:
        L.append("## Start to first result")
        L.append("")
        L.append("A fresh process; one document written to its stdin; time from spawn until its first "
                 "output line arrives (textclf with `--line-buffered`; fastText `predict MODEL -` flushes "
                 "each line; the PyTorch and ONNX Runtime scripts import their runtime, load the model, "
                 "read one line of token ids and print one label). The floor, `head -n 1`, is what "
                 "spawning any process and one pipe round trip cost on this machine. Peak RSS comes from "
                 "one more launch under GNU time (the timed launches run without the wrapper).")
        L.append("")
        first_table(first, L)
        L.append("")
        L.append("## Peak memory (RSS)")
        L.append("")
        L.append("Peak resident memory (GNU time %M) of the whole process: one start-to-first-result launch "
                 "(start-up, model, one document), and the throughput run of each contender's fastest "
                 "setting (PyTorch and ONNX Runtime then also hold every document's token ids in memory). "
                 "**< 1 means textclf uses less.**")
        L.append("")
        rss_table(ms, L)
        L.append("")

    if section(ms, "length"):
        L.append("## Cost against document length")
        L.append("")
        L.append("Fixed-length documents (len_L.txt), whole-process textclf against PyTorch batch 256, "
                 "1 thread, on the same ids; attention is quadratic in the tokens kept.")
        L.append("")
        length_tables(ms, L, has_threads)

    real = section(ms, "real")
    if real:
        L.append("## Real text: the shipped language identifier (models/lang.json)")
        L.append("")
        throughput_table(real, L)
        L.append("")
        ratio_table([m for m in real if m["contender"] != "textclf-lib"], L, has_threads,
                    peers=("torch", "ort"))
        L.append("")
        latency_table(real, L)
        L.append("")

    L.append("## Exact commands")
    L.append("")
    L.append("```")
    seen = set()
    for m in sorted(ms.values(), key=lambda m: (m.get("section", ""), m["id"])):
        if "command" in m and m.get("section") != "length":
            c = m["command"].replace(out.rstrip("/") + "/", "$OUT/")
            env = m.get("env_note")
            c = (env + " " if env else "") + c
            if c not in seen:
                seen.add(c)
                L.append(c)
    L.append("# length curve: the same textclf and torch_bench.py commands on work/data/len_L.txt "
             "and work/ids/len_L_m{128,256}.ids")
    L.append("```")
    text = "\n".join(L) + "\n"
    with open(os.path.join(out, "RESULTS.md"), "w") as f:
        f.write(text)


def main():
    import argparse
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("meta")
    m.add_argument("out")
    m.add_argument("--phase", choices=("start", "end"), required=True)
    m.add_argument("--textclf")
    m.add_argument("--command", default="")
    m.add_argument("--quick", action="store_true")
    m.add_argument("--real-source", default="")
    r = sub.add_parser("render")
    r.add_argument("out")
    a = ap.parse_args()
    if a.cmd == "meta":
        meta(a.out, a)
    else:
        render(a.out)


if __name__ == "__main__":
    sys.exit(main())
