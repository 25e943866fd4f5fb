#!/usr/bin/env bash
# tools/models/fasttext_peer.sh DATADIR WORKDIR > PEERS.tsv
#
# fastText 0.9.2 (Debian) on the same split as a shipped model: trains on DATADIR/train.txt
# with its defaults and with its tutorial's setting (-epoch 25 -lr 1.0), one thread and seed 1
# (so that the result is reproducible), predicts DATADIR/test.txt with probabilities
# (bench/langid/predict_lid176.py --plain) and scores it with bench/langid/eval.py. Prints one
# TSV line per setting: name, accuracy, macro-F1, ECE.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$1 work=$2
mkdir -p "$work"
while IFS='|' read -r name opts; do
    # shellcheck disable=SC2086  # opts is a list of options
    fasttext supervised -input "$data/train.txt" -output "$work/ft" -thread 1 -seed 1 $opts \
        > "$work/ft-$name.log" 2>&1
    # top 1 with its probability, one line per test line (checked); a text with no known word
    # gets an empty label, which eval.py counts wrong
    /usr/bin/python3 "$root/bench/langid/predict_lid176.py" --plain "$work/ft.bin" "$data/test.txt" \
        > "$work/pred-$name.txt"
    /usr/bin/python3 "$root/bench/langid/eval.py" --json "$data/test.txt" "$work/pred-$name.txt" |
        /usr/bin/python3 -c 'import json, sys; r = json.load(sys.stdin)
print(sys.argv[1], r["accuracy"], r["macro_f1"], r["ece"], sep="\t")' "$name"
done <<'LIST'
fastText defaults|
fastText -epoch 25 -lr 1.0|-epoch 25 -lr 1.0
LIST
