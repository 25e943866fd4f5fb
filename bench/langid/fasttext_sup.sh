#!/usr/bin/env bash
# Train a fastText supervised classifier (Debian's fasttext 0.9.2) on TRAIN,
# writing MODELPREFIX.bin (and MODELPREFIX.log: fastText's output).
#
#   bench/langid/fasttext_sup.sh TRAIN MODELPREFIX [FASTTEXT OPTION]...
#
# fastText reads its input in file order and does not shuffle it, so TRAIN is
# first shuffled deterministically (Python's random.Random(1).shuffle of its
# lines) into MODELPREFIX.shuf.txt, which is removed afterwards. Command:
#
#   fasttext supervised -input SHUFFLED -output MODELPREFIX \
#       -minn 1 -maxn 4 -thread $THREADS -seed 1 [FASTTEXT OPTION]...
#
# Everything else is fastText 0.9.2's default for `supervised`: -lr 0.1
# -dim 100 -ws 5 -epoch 5 -minCount 1 -neg 5 -wordNgrams 1 -loss softmax
# -bucket 2000000 -lrUpdateRate 100 -t 0.0001. (With character n-grams the
# default 2,000,000 buckets x 100 dims make a ~800 MB model.) Later options
# override earlier ones, so e.g. `-epoch 25 -lr 0.5` gives run.sh's tuned
# configurations. THREADS defaults to 2; with more than one thread fastText's
# (Hogwild) training is not bit-for-bit reproducible.
#
# Predictions: bench/langid/predict_lid176.py --plain MODELPREFIX.bin FILE
# (`fasttext predict-prob MODELPREFIX.bin - 1`, as LABEL<TAB>PROBABILITY).
set -euo pipefail

THREADS=${THREADS:-2}
[ $# -ge 2 ] || { echo "usage: $0 TRAIN MODELPREFIX [FASTTEXT OPTION]..." >&2; exit 2; }
train=$1
prefix=$2
shift 2
command -v fasttext >/dev/null || { echo "fasttext_sup.sh: fasttext not found (apt-get install fasttext)" >&2; exit 1; }
[ -s "$train" ] || { echo "fasttext_sup.sh: $train missing or empty" >&2; exit 1; }
mkdir -p "$(dirname "$prefix")"

shuf_file=$prefix.shuf.txt
trap 'rm -f "$shuf_file"' EXIT
/usr/bin/python3 - "$train" "$shuf_file" <<'EOF'
import random, sys
with open(sys.argv[1], "rb") as f:
    lines = f.read().split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
random.Random(1).shuffle(lines)
with open(sys.argv[2], "wb") as f:
    f.write(b"".join(l + b"\n" for l in lines))
EOF

cmd=(fasttext supervised -input "$shuf_file" -output "$prefix" -minn 1 -maxn 4
     -thread "$THREADS" -seed 1 "$@")
echo "${cmd[*]}" >"$prefix.log"
"${cmd[@]}" >>"$prefix.log" 2>&1 || { tail -5 "$prefix.log" >&2; echo "fasttext_sup.sh: training failed (log: $prefix.log)" >&2; exit 1; }
rm -f "$prefix.vec"
