#!/bin/sh
# Compare textclf's BERT-compatible tokenizer with an independent Python model of BERT's
# BasicTokenizer + WordPiece (bert_reference.py), on bert-base-uncased's vocab.txt.
#
#   tests/bert/run.sh path/to/textclf [--only SUBSTRING] [--skip SUBSTRING]... [--show N] [--keep]
#
# Runs `textclf tokenize -m MODEL [--ids] -z FILE` per group of documents, prints PASS/FAIL per group
# with the first mismatches, ends with one line "N passed, N failed"; exit status 1 on any failure.
# Needs Python 3 with the standard library only (Unicode 14 database, as in Python 3.11).
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 TEXTCLF [--only SUBSTRING] [--skip SUBSTRING]... [--show N] [--keep]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${PYTHON:-}" ]; then
    py=$PYTHON
elif [ -x /usr/bin/python3 ]; then
    py=/usr/bin/python3
else
    py=python3
fi
exec "$py" -B "$here/run_bert.py" "$@"
