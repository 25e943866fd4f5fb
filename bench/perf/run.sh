#!/usr/bin/env bash
# Inference speed of textclf against PyTorch, ONNX Runtime and fastText on the same documents,
# the same weights (fastText: the same dimension) and the same machine, in one run.
#
#   bench/perf/run.sh [--quick] [--out DIR] [--textclf BIN] [--lib LIBTEXTCLF.a] [--include DIR]
#
# --out DIR   results (default bench/perf/out, git-ignored): DIR/json/*.json (one file per
#             measurement, every run plus median and min/max), DIR/RESULTS.md (the tables), and
#             DIR/work/ (corpus, models, token ids, the latency program; kept for inspection).
# --quick     small sizes and one repetition: a smoke test for development and CI (< ~2 min);
#             the full run takes ~9-20 min.
# The textclf program, library and header default to the repository's ./textclf, build/libtextclf.a
# and src/ (build them with `make` first); override with the options or with the environment
# variables TEXTCLF, TEXTCLF_LIB, TEXTCLF_INCLUDE. Nothing here builds textclf itself.
#
# Steps: install onnxruntime-node (pinned, into bench/perf/node_modules; skipped when present),
# build latency.c against the library, write the synthetic corpus (gen_corpus.py) and the real
# text, make the models (tools/export.py --random, export_onnx.py, fasttext supervised), then
# bench.py checks that all contenders give the same probabilities and times everything, and
# report.py writes RESULTS.md. Needs /usr/bin/python3 with python3-torch and python3-numpy, node and
# npm (the npm registry, the first time), Debian's fasttext, GNU time, cc and pkg-config with libcjson-dev,
# libutf8proc-dev and libopenblas-dev.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ORT_VERSION=1.30.0          # onnxruntime-node, pinned
PY=/usr/bin/python3

quick=0
out=$here/out
textclf=${TEXTCLF:-$root/textclf}
lib=${TEXTCLF_LIB:-$root/build/libtextclf.a}
include=${TEXTCLF_INCLUDE:-$root/src}
command="bench/perf/run.sh $*"
usage="usage: $0 [--quick] [--out DIR] [--textclf BIN] [--lib LIBTEXTCLF.a] [--include DIR]"
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1; shift ;;
        --out) out=$2; shift 2 ;;
        --textclf) textclf=$2; shift 2 ;;
        --lib) lib=$2; shift 2 ;;
        --include) include=$2; shift 2 ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
done
out=$(realpath -m "$out")
textclf=$(realpath -m "$textclf")
lib=$(realpath -m "$lib")
include=$(realpath -m "$include")
export LC_ALL=C
unset TEXTCLF_MODEL OMP_NUM_THREADS OMP_WAIT_POLICY OPENBLAS_NUM_THREADS

if [ "$quick" = 1 ]; then
    docs=5000 train_docs=5000 length_tokens=20000 length_min_docs=100 b1_docs=1000 real_docs=2000
    reps=1 first_launches=3
else
    docs=100000 train_docs=20000 length_tokens=400000 length_min_docs=500 b1_docs=10000 real_docs=20000
    reps=3 first_launches=3
fi

fail() { echo "run.sh: error: $*" >&2; exit 1; }
[ -x "$textclf" ] || fail "$textclf is not an executable (run make, or pass --textclf BIN)"
[ -f "$lib" ] || fail "$lib not found (run make, or pass --lib FILE)"
[ -f "$include/textclf.h" ] || fail "$include/textclf.h not found (pass --include DIR)"
"$PY" -c 'import torch, numpy' 2>/dev/null || fail "$PY cannot import torch and numpy (apt-get install python3-torch)"
command -v fasttext >/dev/null || fail "fasttext not found (apt-get install fasttext)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    fail "node and npm are needed (apt-get install nodejs npm)"
fi
[ -x /usr/bin/time ] || fail "/usr/bin/time not found: GNU time measures peak RSS (apt-get install time)"

work=$out/work
mkdir -p "$out/json" "$work/data" "$work/models"
rm -f "$out"/json/*.json "$out/RESULTS.md"
step() { echo "== $* ($(date +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2; }

# ---- onnxruntime-node, pinned; its CPU runtime is inside the package ---------------------------
ort_pkg=$here/node_modules/onnxruntime-node/package.json
if [ ! -f "$ort_pkg" ] || [ "$(node -p "require('$ort_pkg').version")" != "$ORT_VERSION" ]; then
    step "installing onnxruntime-node@$ORT_VERSION into $here/node_modules"
    # ONNXRUNTIME_NODE_INSTALL=skip: no download of the optional CUDA binaries at install time
    (cd "$here" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save --no-package-lock \
        --no-audit --no-fund --prefix "$here" "onnxruntime-node@$ORT_VERSION" >&2)
fi
node -e "require('$here/node_modules/onnxruntime-node')" || fail "onnxruntime-node does not load"

# ---- the latency program, against the library (the Makefile's flags) ---------------------------
step "building latency.c against $lib"
# shellcheck disable=SC2046,SC2086  # pkg-config output and LATENCY_LDLIBS are word lists
cc -O3 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -I"$include" \
    $(pkg-config --cflags libcjson libutf8proc openblas) -o "$work/latency" "$here/latency.c" "$lib" \
    $(pkg-config --libs libcjson libutf8proc openblas) -lm -lpthread ${LATENCY_LDLIBS:-}

# ---- report header (machine, versions, command) ------------------------------------------------
real_src=${REAL_TEXT:-$root/data/langid/test.txt}
if [ -f "$real_src" ]; then
    real_desc="the first $real_docs lines of $real_src (the __label__ prefix removed)"
else
    real_desc="the non-blank lines of /usr/share/common-licenses/* ($real_src is missing), cycled to $real_docs lines"
fi
quick_flag=()
[ "$quick" = 1 ] && quick_flag=(--quick)
"$PY" "$here/report.py" meta "$out" --phase start --textclf "$textclf" --command "$command" \
    --real-source "$real_desc" "${quick_flag[@]}"

# ---- inputs --------------------------------------------------------------------------------------
step "corpus ($docs documents)"
"$PY" "$here/gen_corpus.py" "$work/data" --docs "$docs" --train-docs "$train_docs" \
    --length-tokens "$length_tokens" --length-min-docs "$length_min_docs"
if [ -f "$real_src" ]; then
    sed -E 's/^__label__[^ ]+ +//' "$real_src" | grep '[[:alnum:]]' | head -n "$real_docs" > "$work/real.txt"
else
    find /usr/share/common-licenses -maxdepth 1 -type f | sort | xargs cat | grep '[[:alnum:]]' |
        awk -v n="$real_docs" '{ l[NR] = $0 } END { for (i = 0; i < n; i++) print l[i % NR + 1] }' \
        > "$work/real.txt"
fi

# ---- models --------------------------------------------------------------------------------------
step "models"
m=$work/models
for L in 128 256; do
    "$PY" "$root/tools/export.py" --random --dim 64 --heads 4 --hidden 64 --max-len "$L" \
        --activation relu --vocab "$work/data/vocab.txt" --labels "$work/data/labels.txt" --seed 1 \
        -o "$m/model$L.json" --safetensors
done
"$PY" "$here/export_onnx.py" "$m/model128.json" "$m/model128.onnx" --pt "$m/model128.pt"
"$PY" "$here/export_onnx.py" "$root/models/lang.json" "$m/lang.onnx"
fasttext supervised -input "$work/data/train.txt" -output "$m/ft" -dim 64 -thread 1 -seed 1 -verbose 0
rm -f "$m/ft.vec"

# ---- parity, then the measurements -------------------------------------------------------------
step "bench.py (parity check, then $reps repetitions)"
"$PY" "$here/bench.py" --textclf "$textclf" --latency "$work/latency" --work "$work" --out "$out" \
    --reps "$reps" --first-launches "$first_launches" --b1-docs "$b1_docs" \
    --real-model "$root/models/lang.json"

"$PY" "$here/report.py" meta "$out" --phase end
"$PY" "$here/report.py" render "$out"
step "done: $out/RESULTS.md"
