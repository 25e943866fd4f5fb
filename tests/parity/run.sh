#!/bin/bash
# Live PyTorch parity test: textclf's probabilities must equal PyTorch's within 1e-5.
#
# Usage: tests/parity/run.sh TEXTCLF OUTDIR [PARITY_ABSTAIN]
#
# Runs gen.py OUTDIR (random models in several configurations, both file forms, ~290 documents each,
# reference probabilities from PyTorch) and test_ref.py (self-tests of the reference, one result per
# check), then for every model file:
#   TEXTCLF classify -m MODEL --all --format jsonl -z texts.bin
# and compares with expected.jsonl (compare.py), as well as `TEXTCLF tokenize --ids` with the
# reference token ids. The inline, safetensors (and F64 safetensors) forms of a model must also give
# byte-identical output; F16/BF16/I8 forms are compared with the probabilities of the rounded
# weights, and `TEXTCLF quantize` of the inline form must give the I8 form's output exactly.
# Then `TEXTCLF explain` on each inline form (explain_check.py: attention received, occlusion
# effects), and `TEXTCLF embed` (embed_check.py: pooled and hidden vectors). With PARITY_ABSTAIN (tests/parity/abstain.c), tc_classify's letter and unknown word counts
# and abstain verdicts under several rules, and tc_answer's answers (withheld labels, exact ties),
# against the reference's (abstain_check.py). Prints one line
# per model/form and ends with `N passed, N failed`.
# Exits 1 on any failure, or when PyTorch is not installed (Debian: apt-get install python3-torch).
set -u

if [ $# -ne 2 ] && [ $# -ne 3 ]; then
    echo "usage: $0 TEXTCLF OUTDIR [PARITY_ABSTAIN]" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
TEXTCLF=$1
OUT=$2
ABSTAIN=${3:-}
PY=${PYTHON:-/usr/bin/python3}
case $TEXTCLF in /*) ;; *) TEXTCLF=$PWD/$TEXTCLF ;; esac

if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
    echo "parity: FAIL: PyTorch is not available to $PY (install python3-torch and python3-numpy); cannot run the parity test"
    echo "0 passed, 1 failed"
    exit 1
fi
if [ ! -x "$TEXTCLF" ]; then
    echo "parity: FAIL: $TEXTCLF is not an executable"
    echo "0 passed, 1 failed"
    exit 1
fi
if ! "$PY" "$HERE/gen.py" "$OUT"; then
    echo "parity: FAIL: gen.py failed"
    echo "0 passed, 1 failed"
    exit 1
fi

pass=0
fail=0
# Runs checker NAME.py with its arguments, its log in $OUT/LOG; shows the log with each line
# prefixed "NAME: " and adds its closing `N passed, N failed` to the counts (no such line: one
# failure).
run_checker() {
    local name=$1 log=$OUT/$2 line p f
    shift 2
    "$PY" "$HERE/$name.py" "$@" >"$log" 2>&1 </dev/null
    sed "s/^/$name: /" "$log"
    line=$(tail -n 1 "$log")
    case $line in
        *" passed, "*" failed") p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
                                pass=$((pass + p)); fail=$((fail + f)) ;;
        *) fail=$((fail + 1)); echo "FAIL $name.py printed no result line" ;;
    esac
}

# The reference's own self-tests (custom attention == nn.MultiheadAttention, exact save/load round
# trip, empty documents, tokenizer examples): the comparison below trusts them. Prefixed, so their
# summary line is not taken for this script's.
run_checker test_ref test_ref.log

while IFS=$'\t' read -r name form model texts expected same_as; do
    got=$OUT/$name/$form.out.jsonl
    err=$OUT/$name/$form.stderr
    "$TEXTCLF" classify -m "$OUT/$model" --all --format jsonl -z "$OUT/$texts" >"$got" 2>"$err" </dev/null
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL $name/$form: textclf exited with status $rc: $(head -c 300 "$err" | head -n 3 | tr '\n' ' ')"
        fail=$((fail + 1))
        continue
    fi
    # The token ids too: a tokenizer difference can hide in a small probability difference.
    "$TEXTCLF" tokenize --ids -m "$OUT/$model" -z "$OUT/$texts" >"$OUT/$name/$form.ids.txt" \
        2>>"$err" </dev/null
    extra=(--ids "$OUT/$name/$form.ids.txt")
    if [ "$same_as" != - ] && ! cmp -s "$OUT/$name/$same_as.out.jsonl" "$got"; then
        extra+=(--not-identical "$(cmp "$OUT/$name/$same_as.out.jsonl" "$got" 2>&1 | head -n 1)")
    fi
    ok=1
    "$PY" "$HERE/compare.py" "$name/$form" "$OUT/$expected" "$got" "$OUT/$texts" \
        --textclf "$TEXTCLF" --model "$OUT/$model" "${extra[@]}" </dev/null || ok=0
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done <"$OUT/manifest.tsv"

# textclf quantize on the inline form of each model with an I8 form: the reference's quantisation
# (textclf_ref.quantize_rows) and textclf's must be the same int8 values and scales, so the same
# output byte for byte as the reference-written I8 form (compared with the reference above).
while IFS=$'\t' read -r name form model texts expected same_as; do
    [ "$form" = safetensors_i8 ] || continue
    q=$OUT/$name/quantized
    mkdir -p "$q"
    if "$TEXTCLF" quantize -q "$OUT/$name/inline/model.json" "$q/model.json" 2>"$q.stderr" &&
        "$TEXTCLF" classify -m "$q/model.json" --all --format jsonl -z "$OUT/$texts" \
            >"$q.out.jsonl" 2>>"$q.stderr" </dev/null &&
        cmp -s "$q.out.jsonl" "$OUT/$name/$form.out.jsonl"; then
        echo "PASS $name/quantized: textclf quantize = the reference's I8 form, byte for byte"
        pass=$((pass + 1))
    else
        echo "FAIL $name/quantized: textclf quantize differs from the reference's I8 form: $(head -c 300 "$q.stderr")"
        fail=$((fail + 1))
    fi
done <"$OUT/manifest.tsv"

# textclf explain on the same models and documents (the inline forms): attention received and the
# effect of leaving each word out, against the reference (explain_check.py).
run_checker explain_check explain.log "$OUT" "$TEXTCLF"

# textclf embed on the same models and documents: the pooled and hidden vectors against the
# reference's (embed_check.py).
run_checker embed_check embed.log "$OUT" "$TEXTCLF"

# The abstain rule: word counts and verdicts against the reference (abstain_check.py).
[ -n "$ABSTAIN" ] && run_checker abstain_check abstain.log "$OUT" "$ABSTAIN"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
