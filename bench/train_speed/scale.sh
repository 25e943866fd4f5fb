#!/usr/bin/env bash
# Training at scale (issue 22): `textclf train` against `fasttext supervised` on the same large
# synthetic corpora, whole processes: time per epoch, documents/s, peak RSS, and the accuracy
# each reaches, for 1M documents with 10 labels and with 500 labels; and textclf's peak RSS at
# a quarter, half and all of the documents, to show what its memory grows with, and all of
# them with --window (a tenth of them in memory at once).
#
#   bench/train_speed/scale.sh [--docs N] [--labels "10 500"] [--epochs E] [--threads T]
#                              [--keep DIR]
#
# Data: gen_data.py (the Zipf corpus of run.sh, --classes C, seed 12345), N + 20000 documents:
# the first N (default 1000000) to train on, the last 20000 to test on. Both tools train E epochs
# (default 1) on T threads (default: all cores) with their other defaults; textclf with
# --valid-fraction 0 (fastText has no validation either), so that both see the same examples.
# Needs /usr/bin/python3 with numpy, /usr/bin/fasttext (Debian package fasttext) and GNU time
# (/usr/bin/time). Takes about 30 minutes on 2 cores with the defaults.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
docs=1000000 labels="10 500" epochs=1 threads=$(nproc) keep=""
while [ $# -gt 0 ]; do
    case $1 in
        --docs) docs=$2; shift 2 ;;
        --labels) labels=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --keep) keep=$(realpath -m "$2"); shift 2 ;;
        *) echo "usage: $0 [--docs N] [--labels \"10 500\"] [--epochs E] [--threads T] [--keep DIR]" >&2
           exit 2 ;;
    esac
done
export LC_ALL=C
unset TEXTCLF_MODEL OMP_NUM_THREADS OPENBLAS_NUM_THREADS
for t in /usr/bin/fasttext /usr/bin/time /usr/bin/python3; do
    [ -x "$t" ] || { echo "scale.sh: $t is needed" >&2; exit 2; }
done
make -s -C "$root" textclf >&2
T=$root/textclf
if [ -n "$keep" ]; then work=$keep; mkdir -p "$work"
else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

# measure NAME CMD...: runs CMD with GNU time; sets $wall (s) and $rss (MiB)
measure() {
    local name=$1; shift
    /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err"
    read -r wall rss_kb < "$work/$name.time"
    rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "textclf $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(/usr/bin/fasttext 2>&1 | head -0; dpkg-query -W -f='fasttext ${Version}' fasttext 2>/dev/null)"
echo "corpus: gen_data.py, $docs training documents, 20000 test documents; $epochs epoch(s), $threads thread(s)"
echo
echo "| labels | tool | wall s | s per epoch | docs/s per epoch | tokens/s (its own count) | peak RSS MiB | test accuracy (P@1) |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for c in $labels; do
    d=$work/c$c
    if ! [ -s "$d/test.txt" ]; then
        /usr/bin/python3 "$here/gen_data.py" "$d" --docs $((docs + 20000)) --classes "$c" --seed 12345
        mv "$d/train.txt" "$d/all.txt"
        head -n "$docs" "$d/all.txt" > "$d/train.txt"
        tail -n 20000 "$d/all.txt" > "$d/test.txt"
        rm -f "$d/all.txt" "$d/texts.txt" "$d/labels.txt"
    fi

    measure "tc$c" "$T" train -i "$d/train.txt" -o "$work/tc$c.json" --epochs "$epochs" \
        --valid-fraction 0 --threads "$threads" --log "$work/tc$c.log"
    tc_wall=$wall tc_rss=$rss
    # the training loop's own seconds per epoch, from --log
    tc_epoch=$(awk -F'"seconds":' '{ split($2, a, ","); s += a[1]; n++ } END { printf "%.1f", s / n }' "$work/tc$c.log")
    tc_acc=$("$T" test -m "$work/tc$c.json" "$d/test.txt" 2> /dev/null | sed -n 's/^accuracy *\([0-9.]*\).*/\1/p' | head -1)
    # WordPiece tokens per second of the training loop, the mean over epochs, from --log
    tc_tps=$(awk -F'"tokens_per_s":' '{ split($2, a, ","); s += a[1]; n++ } END { printf "%.0f", s / n }' "$work/tc$c.log")
    echo "| $c | textclf | $tc_wall | $tc_epoch | $(awk -v n="$docs" -v s="$tc_epoch" 'BEGIN { printf "%.0f", n / s }') | $tc_tps | $tc_rss | $tc_acc |"

    measure "ft$c" /usr/bin/fasttext supervised -input "$d/train.txt" -output "$work/ft$c" \
        -epoch "$epochs" -thread "$threads" -verbose 2
    ft_wall=$wall ft_rss=$rss
    # fastText reads the file once to build its dictionary, then trains: its epochs are the
    # wall time less that read, which it does not report; the wall time per epoch is an upper bound
    ft_epoch=$(awk -v w="$ft_wall" -v e="$epochs" 'BEGIN { printf "%.1f", w / e }')
    ft_acc=$(/usr/bin/fasttext test "$work/ft$c.bin" "$d/test.txt" 2> /dev/null | sed -n 's/^P@1\t//p')
    # words (space-separated) per second: its last progress report's words/sec/thread x threads
    ft_wps=$(tr '\r' '\n' < "$work/ft$c.err" | sed -n 's/.*words\/sec\/thread: *\([0-9]*\).*/\1/p' | tail -1)
    ft_wps=$(awk -v w="${ft_wps:-0}" -v t="$threads" 'BEGIN { printf "%.0f", w * t }')
    echo "| $c | fastText | $ft_wall | ≤ $ft_epoch | ≥ $(awk -v n="$docs" -v s="$ft_epoch" 'BEGIN { printf "%.0f", n / s }') | $ft_wps words | $ft_rss | $ft_acc |"
done
echo
c=$(echo "$labels" | awk '{ print $1 }')
echo "textclf's peak RSS against the number of training documents ($c labels, 1 epoch):"
echo
echo "| documents | peak RSS MiB | wall s |"
echo "| ---: | ---: | ---: |"
for part in 4 2 1; do
    n=$((docs / part))
    head -n "$n" "$work/c$c/train.txt" > "$work/part.txt"
    measure "part$part" "$T" train -i "$work/part.txt" -o "$work/part.json" --epochs 1 \
        --valid-fraction 0 --threads "$threads"
    echo "| $n | $rss | $wall |"
done
# the same 1M documents read a tenth at a time (--window): memory bounded by the window
measure win "$T" train -i "$work/c$c/train.txt" -o "$work/win.json" --epochs 1 \
    --valid-fraction 0 --threads "$threads" --window $((docs / 10))
echo "| $docs with --window $((docs / 10)) | $rss | $wall |"
