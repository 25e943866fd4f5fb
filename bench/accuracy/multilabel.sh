#!/usr/bin/env bash
# Multi-label: `textclf train --multi-label` against `fasttext supervised -loss ova` on Debian
# package descriptions tagged with debtags (results: RESULTS.md, "Multi-label").
#
#   bench/accuracy/multilabel.sh [WORKDIR]
#
# Fetches bookworm's Packages and Translation-en indexes with apt-get update into a private
# lists directory (WORKDIR/lists: the system's are not touched), builds WORKDIR/data/{train,test}.txt
# with debtags_data.py, then, one run each with seed 1 and $THREADS threads (default 2):
#   fasttext-ova       fasttext supervised -input train.txt -output M -loss ova -thread T -seed 1
#   fasttext-ova-tutorial  the same with fastText's multi-label tutorial's settings:
#                      -lr 0.5 -epoch 25 -wordNgrams 2 -bucket 200000 -dim 50
#   textclf-multilabel textclf train -i train.txt -o M.json --multi-label --threads T --seed 1
# Both predict every label with its probability (fasttext predict-prob M.bin - -1 0.0;
# textclf -m M.json --all) on the test texts (label tokens removed), scored by
# multilabel_metrics.py at the threshold 0.5. Prints a Markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
THREADS=${THREADS:-2}
TEXTCLF=${TEXTCLF:-$repo/textclf}
W=${1:-$(mktemp -d /tmp/multilabel.XXXXXX)}
mkdir -p "$W/lists/partial" "$W/data"
command -v fasttext >/dev/null || { echo "multilabel.sh: fasttext not found" >&2; exit 1; }
if [ ! -s "$W/data/train.txt" ]; then
    apt-get update -qq -o Dir::State::Lists="$W/lists" -o Acquire::Languages=en \
        -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0 >&2
    /usr/bin/python3 "$here/debtags_data.py" "$W/lists" "$W/data"
fi
D=$W/data
sed 's/__label__[^ ]* //g' "$D/test.txt" > "$D/test.text"
row() {   # row NAME SECONDS PREDICTIONS
    printf '| %s | %s | %s |\n' "$1" \
        "$(/usr/bin/python3 "$here/multilabel_metrics.py" "$D/test.txt" "$3" 0.5 | sed 's/\t/ | /g')" "$2"
}
secs() {   # secs LOG COMMAND...: runs it (stdout and stderr to LOG), prints its wall-clock seconds
    local log=$1 t0 t1
    shift
    t0=$(date +%s.%N)
    "$@" > "$log" 2>&1
    t1=$(date +%s.%N)
    printf '%.1f' "$(echo "$t1 - $t0" | bc)"
}
ft=$(secs "$W/ft.log" fasttext supervised -input "$D/train.txt" -output "$W/ft" -loss ova \
    -thread "$THREADS" -seed 1)
ftt=$(secs "$W/ftt.log" fasttext supervised -input "$D/train.txt" -output "$W/ftt" -loss ova \
    -thread "$THREADS" -seed 1 -lr 0.5 -epoch 25 -wordNgrams 2 -bucket 200000 -dim 50)
tc=$(secs "$W/tc.log" "$TEXTCLF" train -i "$D/train.txt" -o "$W/tc.json" --multi-label \
    --threads "$THREADS" --seed 1)
fasttext predict-prob "$W/ft.bin" - -1 0.0 < "$D/test.text" > "$W/ft.pred"
fasttext predict-prob "$W/ftt.bin" - -1 0.0 < "$D/test.text" > "$W/ftt.pred"
"$TEXTCLF" -m "$W/tc.json" --all < "$D/test.text" > "$W/tc.pred"
echo "| contender | micro-P | micro-R | micro-F1 | macro-F1 | exact match | P@1 | train s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
row fasttext-ova "$ft" "$W/ft.pred"
row fasttext-ova-tutorial "$ftt" "$W/ftt.pred"
row textclf-multilabel "$tc" "$W/tc.pred"
# the same numbers from textclf test (micro-F1, exact match, P@1), kept beside the predictions
"$TEXTCLF" test "$W/tc.json" "$D/test.txt" -k 1 > "$W/tc.test" 2>&1 || true
