#!/usr/bin/env bash
# textclf's predictions for every line of FILE, as LABEL<TAB>PROBABILITY.
#
#   bench/langid/textclf_predict.sh [--no-abstain] MODEL.json FILE > PRED
#
# A leading `__label__LABEL` token (fastText format) and the space or tab after
# it are removed; the rest of the line is the document, classified by
# `textclf -m MODEL.json -k 1` (line mode: a CR before the LF is dropped, an
# empty document is classified from the model's biases). Every line of FILE
# gives exactly one line of PRED; the script fails if the counts differ.
# A model with an abstain rule answers `und<TAB><TAB>LABEL<TAB>PROB` when it
# abstains (docs/cli.md): eval.py counts that as the answer und without a
# probability. --no-abstain passes textclf's --no-abstain (never und).
# TEXTCLF: the program (default ./textclf of this checkout).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
TEXTCLF=${TEXTCLF:-$here/../../textclf}
opts=()
if [ "${1:-}" = --no-abstain ]; then opts=(--no-abstain); shift; fi
[ $# -eq 2 ] || { echo "usage: $0 [--no-abstain] MODEL.json FILE > PRED" >&2; exit 2; }
model=$1
file=$2
[ -x "$TEXTCLF" ] || { echo "textclf_predict.sh: $TEXTCLF not found (run make)" >&2; exit 1; }
[ -f "$file" ] || { echo "textclf_predict.sh: $file not found" >&2; exit 1; }

tmp=$(mktemp /tmp/textclf-predict.XXXXXX)
trap 'rm -f "$tmp"' EXIT
# `sed` keeps every line (also empty and label-only ones) and adds a final
# newline when the last line lacks one, so line N of its output is line N of FILE.
LC_ALL=C sed -e 's/^__label__[^ \t]*[ \t]\{0,1\}//' "$file" | "$TEXTCLF" -m "$model" -k 1 -h ${opts[@]+"${opts[@]}"} >"$tmp"
n_in=$(LC_ALL=C grep -ac '' "$file" || true)
n_out=$(LC_ALL=C grep -ac '' "$tmp" || true)
if [ "$n_in" != "$n_out" ]; then
    echo "textclf_predict.sh: $file has $n_in lines but textclf printed $n_out" >&2
    exit 1
fi
cat "$tmp"
