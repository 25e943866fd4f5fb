#!/bin/bash
# Exhaustive tokenizer comparison: textclf's tokenizer against tools/textclf_ref.py's, one document per
# code point assigned in Unicode 14 (as "a<c>b" and alone) plus multi-character contexts, for the
# default settings, BERT-uncased settings and a few more (codepoints.py SETTINGS).
#
# Usage: tests/tokenizer/run.sh TEXTCLF OUTDIR [TOK_CHUNKS]
#
# For each setting: codepoints.py writes OUTDIR/<setting>/{model.json,docs.bin,expected.txt,...};
# `TEXTCLF tokenize -m model.json -z docs.bin` must print exactly expected.txt. Mismatches are listed
# grouped by form and general category. With TOK_CHUNKS (tests/tokenizer/chunks.c), the same
# documents cut into chunks of 1 and of 64 bytes (the tokenizer's 8192, made small: a cut at every
# place it thinks safe) must give expected.txt too. Ends with `N passed, N failed`, one check per
# setting and way (each covers every document of it).
set -u

if [ $# -ne 2 ] && [ $# -ne 3 ]; then
    echo "usage: $0 TEXTCLF OUTDIR [TOK_CHUNKS]" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
TEXTCLF=$1
OUT=$2
CHUNKS=${3:-}
PY=${PYTHON:-/usr/bin/python3}
case $TEXTCLF in /*) ;; *) TEXTCLF=$PWD/$TEXTCLF ;; esac

if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
    echo "tokenizer: FAIL: PyTorch is not available to $PY (install python3-torch and python3-numpy)"
    echo "0 passed, 1 failed"
    exit 1
fi
if [ ! -x "$TEXTCLF" ]; then
    echo "tokenizer: FAIL: $TEXTCLF is not an executable"
    echo "0 passed, 1 failed"
    exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"
if ! settings=$("$PY" "$HERE/codepoints.py" gen "$OUT"); then
    echo "tokenizer: FAIL: codepoints.py gen failed"
    echo "0 passed, 1 failed"
    exit 1
fi

pass=0
fail=0
# check SETTING NAME COMMAND...: COMMAND's output must be expected.txt, and its exit status 0
check() {
    local s=$1 name=$2 got=$OUT/$1/got-$2.txt
    shift 2
    "$@" >"$got" 2>"$OUT/$s/stderr-$name.txt" </dev/null
    local rc=$?
    if [ $rc -ne 0 ]; then
        echo "$s ($name): exited with status $rc: $(head -n 3 "$OUT/$s/stderr-$name.txt" | tr '\n' ' ')"
    fi
    "$PY" "$HERE/codepoints.py" compare "$OUT" "$s" "$got" | sed "s/^$s:/$s ($name):/" | tee "$OUT/$s/report-$name.txt"
    local line p f
    line=$(tail -n 1 "$OUT/$s/report-$name.txt")
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    # one check per setting and way: every document must match (and there must be some) and the
    # program must exit 0
    if [ $rc -eq 0 ] && [ "${p:-0}" -gt 0 ] && [ "${f:-1}" -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
}
for s in $settings; do
    check "$s" tokenize "$TEXTCLF" tokenize -m "$OUT/$s/model.json" -z "$OUT/$s/docs.bin"
    if [ -n "$CHUNKS" ]; then
        check "$s" chunks-1 "$CHUNKS" "$OUT/$s/model.json" "$OUT/$s/docs.bin" 1
        check "$s" chunks-64 "$CHUNKS" "$OUT/$s/model.json" "$OUT/$s/docs.bin" 64
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
