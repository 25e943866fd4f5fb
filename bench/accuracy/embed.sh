#!/usr/bin/env bash
# Document vectors against fastText's (issue 22, item 3): `textclf embed` (pooled and hidden
# layers) and `fasttext print-sentence-vectors`, each from a model trained on the same
# train.txt, scored by what the vectors alone can do: k-nearest-neighbour classification of
# test.txt's documents among train.txt's, by cosine similarity (embed_knn.py). Results:
# RESULTS.md, "Document vectors".
#
#   bench/accuracy/embed.sh DATASET_DIR [WORKDIR]
#
# DATASET_DIR holds train.txt and test.txt in fastText's format (tools/data: spam, sentiment).
# Models: textclf train -i train.txt --threads 2 (defaults) and fasttext supervised -input
# train.txt -thread 2 (defaults; its vectors are the mean of word and n-gram rows, divided by
# their norms, which is what print-sentence-vectors prints for a supervised model).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
TEXTCLF=${TEXTCLF:-$repo/textclf}
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DATASET_DIR [WORKDIR]" >&2; exit 2; }
command -v fasttext >/dev/null || { echo "embed.sh: fasttext not found (apt-get install fasttext)" >&2; exit 1; }
[ -x "$TEXTCLF" ] || { echo "embed.sh: $TEXTCLF not found: run make" >&2; exit 1; }
data=$(cd "$1" && pwd -P)
work=${2:-$(mktemp -d /tmp/textclf-embed.XXXXXX)}
mkdir -p "$work" && cd "$work"
for s in train test; do
    sed 's/^__label__\([^ ]*\) .*/\1/' "$data/$s.txt" > "$s.labels"
    sed 's/^__label__[^ ]* //' "$data/$s.txt" > "$s.texts"
done
"$TEXTCLF" train -i "$data/train.txt" -o tc.json --threads 2 -q
fasttext supervised -input "$data/train.txt" -output ft -thread 2 > ft.log 2>&1
for s in train test; do
    "$TEXTCLF" embed -m tc.json -f npy "$s.texts" > "tc-pooled-$s.npy"
    "$TEXTCLF" embed -m tc.json --layer hidden -f npy "$s.texts" > "tc-hidden-$s.npy"
    fasttext print-sentence-vectors ft.bin < "$s.texts" > "ft-$s.txt"
done
/usr/bin/python3 "$here/embed_knn.py" .
