#!/usr/bin/env bash
# Autotune against autotune (issue 22, item 4): `textclf train --autotune-validation` and
# `fasttext supervised -autotune-validation`, the same validation file and the same time budget,
# each against its own defaults, scored on the test file once (results: RESULTS.md, "Autotune").
#
#   bench/accuracy/autotune.sh DATASET_DIR [WORKDIR]
#
# DATASET_DIR holds train.txt and test.txt in fastText's format (tools/data: spam, sentiment).
# train.txt is split: every tenth line is the validation file (valid.txt), the rest trains.
# Contenders (2 threads each, DURATION seconds of search, default 240):
#   textclf-default    textclf train -i train.txt --valid valid.txt
#   textclf-autotune   textclf train -i train.txt --autotune-validation valid.txt --autotune-duration D
#   fasttext-default   fasttext supervised -input train.txt
#   fasttext-autotune  fasttext supervised -input train.txt -autotune-validation valid.txt -autotune-duration D
# then accuracy on test.txt: `textclf test` and `fasttext test` (P@1, which is accuracy for
# one label per line). Prints a Markdown table; the logs stay in WORKDIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
TEXTCLF=${TEXTCLF:-$repo/textclf}
DURATION=${DURATION:-240}
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DATASET_DIR [WORKDIR]" >&2; exit 2; }
command -v fasttext >/dev/null || { echo "autotune.sh: fasttext not found (apt-get install fasttext)" >&2; exit 1; }
[ -x "$TEXTCLF" ] || { echo "autotune.sh: $TEXTCLF not found: run make" >&2; exit 1; }
data=$(cd "$1" && pwd -P)
work=${2:-$(mktemp -d /tmp/textclf-autotune.XXXXXX)}
mkdir -p "$work" && cd "$work"
awk 'NR % 10 == 0' "$data/train.txt" > valid.txt
awk 'NR % 10 != 0' "$data/train.txt" > train.txt
secs() { local t0=$1; echo "$(( $(date +%s) - t0 ))"; }

t0=$(date +%s)
"$TEXTCLF" train -i train.txt --valid valid.txt -o tc-default.json --threads 2 -q
tcd_s=$(secs "$t0"); t0=$(date +%s)
"$TEXTCLF" train -i train.txt --autotune-validation valid.txt --autotune-duration "$DURATION" \
    -o tc-autotune.json --threads 2 2> tc-autotune.log
tca_s=$(secs "$t0"); t0=$(date +%s)
fasttext supervised -input train.txt -output ft-default -thread 2 > ft-default.log 2>&1
ftd_s=$(secs "$t0"); t0=$(date +%s)
fasttext supervised -input train.txt -output ft-autotune -thread 2 \
    -autotune-validation valid.txt -autotune-duration "$DURATION" > ft-autotune.log 2>&1
fta_s=$(secs "$t0")

tc_acc() { "$TEXTCLF" test -m "$1" "$data/test.txt" 2>/dev/null | awk '$1 == "accuracy" {print $2}'; }
ft_acc() { fasttext test "$1" "$data/test.txt" | awk '$1 == "P@1" {print $2}'; }
tc_valid() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["valid_accuracy"])' "$1"; }
trials=$(grep -c 'autotune: trial ' tc-autotune.log)
echo "| contender | test accuracy | validation accuracy | seconds | note |"
echo "| --- | ---: | ---: | ---: | --- |"
echo "| textclf defaults | $(tc_acc tc-default.json) | $(tc_valid tc-default.json) | $tcd_s | |"
echo "| textclf autotune | $(tc_acc tc-autotune.json) | $(tc_valid tc-autotune.json) | $tca_s | $trials trials |"
echo "| fastText defaults | $(ft_acc ft-default.bin) | | $ftd_s | |"
echo "| fastText autotune | $(ft_acc ft-autotune.bin) | | $fta_s | $(grep -o 'Best selected args' ft-autotune.log | head -1) |"
