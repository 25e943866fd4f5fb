#!/bin/bash
# Exhaustive tokenizer comparison: textclf's tokenizer against tools/textclf_ref.py's, one document per
# code point assigned in Unicode 14 (as "a<c>b" and alone) plus multi-character contexts, for the
# default settings, BERT-uncased settings and a few more (codepoints.py SETTINGS).
#
# Usage: tests/tokenizer/run.sh TEXTCLF OUTDIR
#
# For each setting: codepoints.py writes OUTDIR/<setting>/{model.json,docs.bin,expected.txt,...};
# `TEXTCLF tokenize -m model.json -z docs.bin` must print exactly expected.txt. Mismatches are listed
# grouped by form and general category. Ends with `N passed, N failed`, one check per setting (each covers every document of it).
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 TEXTCLF OUTDIR" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
TEXTCLF=$1
OUT=$2
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
for s in $settings; do
    got=$OUT/$s/got.txt
    "$TEXTCLF" tokenize -m "$OUT/$s/model.json" -z "$OUT/$s/docs.bin" >"$got" 2>"$OUT/$s/stderr.txt" </dev/null
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "$s: textclf tokenize exited with status $rc: $(head -n 3 "$OUT/$s/stderr.txt" | tr '\n' ' ')"
    fi
    "$PY" "$HERE/codepoints.py" compare "$OUT" "$s" "$got" | tee "$OUT/$s/report.txt"
    line=$(tail -n 1 "$OUT/$s/report.txt")
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    # one check per setting: every document of it must match and textclf must exit 0
    if [ $rc -eq 0 ] && [ -n "$p" ] && [ "${f:-1}" -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
