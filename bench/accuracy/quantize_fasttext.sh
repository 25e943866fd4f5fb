#!/usr/bin/env bash
# fastText's own `quantize` on the data sets of run.sh, for the comparison with `textclf
# quantize` (bench/quantize/run.sh measures textclf's shipped models): the model trained with
# fastText's defaults (seed 1, 2 threads), its test accuracy and size, then the same after
# `fasttext quantize` in two ways: its defaults (-dsub 2, the input matrix only, no pruning)
# and the documentation's recipe (-qnorm -retrain -cutoff 100000, which prunes the vocabulary).
#
#   bench/accuracy/quantize_fasttext.sh DATAROOT [WORKDIR]
#
# DATAROOT/spam and DATAROOT/sentiment hold train.txt and test.txt, as for run.sh. Accuracy is
# metrics.py's on `fasttext predict`, as in run.sh. Prints a Markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DATAROOT [WORKDIR]" >&2; exit 2; }
command -v fasttext > /dev/null || { echo "$0: fasttext not found (Debian package fasttext)" >&2; exit 1; }
data=$(cd "$1" && pwd -P)
work=${2:-$(mktemp -d /tmp/textclf-ftq.XXXXXX)}
mkdir -p "$work"
export LC_ALL=C

# accuracy MODEL TEST: metrics.py's accuracy of fastText's predictions on TEST
accuracy() {
    sed 's/__label__[^ ]* *//g' "$2" > "$work/texts.txt"
    fasttext predict "$1" "$work/texts.txt" > "$work/pred.txt"
    sed -n 's/^\(__label__[^ ]*\).*/\1/p' "$2" > "$work/gold.txt"
    /usr/bin/python3 "$here/metrics.py" score "$work/gold.txt" "$work/pred.txt" | cut -f 1
}
size() { stat -c %s "$1"; }

echo "| data | fastText model | size bytes | test accuracy |"
echo "| --- | --- | ---: | ---: |"
for ds in spam sentiment; do
    d=$data/$ds
    m=$work/$ds
    fasttext supervised -input "$d/train.txt" -output "$m" -thread 2 -seed 1 -verbose 0
    echo "| $ds | supervised (defaults) | $(size "$m.bin") | $(accuracy "$m.bin" "$d/test.txt") |"
    cp "$m.bin" "$m-q.bin"
    fasttext quantize -input "$d/train.txt" -output "$m-q" -verbose 0 > /dev/null
    echo "| $ds | quantize (defaults) | $(size "$m-q.ftz") | $(accuracy "$m-q.ftz" "$d/test.txt") |"
    cp "$m.bin" "$m-qr.bin"
    fasttext quantize -input "$d/train.txt" -output "$m-qr" -qnorm -retrain -cutoff 100000 \
        -thread 2 -verbose 0 > /dev/null
    echo "| $ds | quantize -qnorm -retrain -cutoff 100000 | $(size "$m-qr.ftz") | $(accuracy "$m-qr.ftz" "$d/test.txt") |"
done
