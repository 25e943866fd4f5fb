#!/usr/bin/env bash
# Training throughput of `textclf train` against PyTorch (CPU, same architecture, batch and data).
#
#   bench/train_speed/run.sh [--reps N] [--docs N] [--epochs N] [--json FILE] [--keep DIR]
#
# Builds ./textclf (make), writes a synthetic Zipf corpus (gen_data.py: 20k-word vocabulary,
# 5-60 words per document, 10 classes, 20000 documents, seed 12345) to a temporary directory,
# then bench.py runs every configuration --reps times (default 3), interleaved, and prints the
# median tokens/s with the spread and the textclf / PyTorch ratios as Markdown tables.
# Needs /usr/bin/python3 with python3-torch and python3-numpy. Takes ~15 minutes.
# The architecture is fixed: dim 64, heads 4, hidden 64, max_len 64, batch 32, vocab-size 16000,
# default dropout (0.1), lr, warm-up, weight decay and clipping, no validation split.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
reps=3 docs=20000 epochs=2 json="" keep=""
while [ $# -gt 0 ]; do
    case $1 in
        --reps) reps=$2; shift 2 ;;
        --docs) docs=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --json) json=$(realpath -m "$2"); shift 2 ;;
        --keep) keep=$(realpath -m "$2"); shift 2 ;;
        *) echo "usage: $0 [--reps N] [--docs N] [--epochs N] [--json FILE] [--keep DIR]" >&2; exit 2 ;;
    esac
done
export LC_ALL=C
unset TEXTCLF_MODEL OMP_NUM_THREADS OMP_WAIT_POLICY OPENBLAS_NUM_THREADS

make -s -C "$root" textclf >&2
if [ -n "$keep" ]; then
    work=$keep
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

{
    echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
         "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r)"
    echo "$("$root/textclf" --version 2>/dev/null | head -1), $(cc --version | head -1)," \
         "OpenBLAS $(dpkg-query -W -f '${Version}' libopenblas0-pthread 2>/dev/null || echo '?')"
    echo "$(/usr/bin/python3 --version), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')" \
         "(python3-torch $(dpkg-query -W -f '${Version}' python3-torch 2>/dev/null || echo '?'))"
    rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
    dirty=$(git -C "$root" status --porcelain -- src Makefile 2>/dev/null | wc -l)
    echo "source: commit $rev$([ "$dirty" -gt 0 ] && echo " + uncommitted changes in $dirty src/Makefile files")"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >&2

/usr/bin/python3 "$here/gen_data.py" "$work/data" --docs "$docs" --seed 12345
/usr/bin/python3 "$here/bench.py" --textclf "$root/textclf" --data "$work/data" --work "$work" \
    --reps "$reps" --epochs "$epochs" ${json:+--json "$json"}
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
