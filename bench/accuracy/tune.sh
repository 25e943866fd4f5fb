#!/usr/bin/env bash
# Hyperparameter check for textclf's defaults (results: RESULTS.md, second part).
#
#   bench/accuracy/tune.sh DATAROOT [WORKDIR]
#
# Trains textclf with the default options and with one option changed at a
# time (the grid below), seeds $SEEDS (default 1 2 3), through run.sh. Settings
# are to be CHOSEN BY THE VALIDATION COLUMN ONLY: the accuracy on textclf's
# default held-out 10% of train.txt (a different share per seed), read from
# each model's metadata. The test scores are printed too, but only to report
# what the chosen setting would give; never pick by them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DATAROOT [WORKDIR]" >&2; exit 2; }
work=${2:-$(mktemp -d /tmp/textclf-tune.XXXXXX)}
GRID=${GRID:-"tc-maxlen64=--max-len 64;tc-maxlen256=--max-len 256;tc-dropout0.3=--dropout 0.3;\
tc-lr0.001=--lr 0.001;tc-lr0.005=--lr 0.005;tc-vocab8k=--vocab-size 8000;\
tc-vocab32k=--vocab-size 32000;tc-mincount5=--min-count 5;tc-dim32=--dim 32 --hidden 32;\
tc-dim128=--dim 128 --hidden 128;tc-wd0.1=--weight-decay 0.1;tc-epochs5=--epochs 5"}
CONTENDERS=textclf-default EXTRA_CONFIGS=$GRID "$here/run.sh" "$1" "$work" >/dev/null
echo "chosen by the 'valid acc' column only (test columns: report, not selection)"
/usr/bin/python3 "$here/metrics.py" table --valid "$work/results.tsv" | tee "$work/tune.md"
echo "results: $work/results.tsv"
