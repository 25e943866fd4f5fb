#!/usr/bin/env bash
# Memory for the documents given, not for the model's max_len (docs/reliability.md, "Memory in
# proportion"): with a valid model whose max_len is 65536 and dim 2 (long_model.py, 1 MB), a
# word is classified (one thread and -j 4: four sessions), tokenised and explained under a 2 GiB
# address-space limit (ulimit -v), with the output of a run without the limit; and a document
# of 70,000 words (truncated to 65,536 tokens) is classified under the same limit, as a document
# of exactly 65,536 words is. Before, every session allocated max_len x max_len floats (16 GiB)
# when it was made, and the attention scores of a document took T x T floats. A sanitizer
# build runs the same without the limit (below).
# Usage: run.sh TEXTCLF     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C OPENBLAS_NUM_THREADS=1
unset TEXTCLF_MODEL

LIMIT=2097152   # KiB: 2 GiB
AT=", 2 GiB limit"
# ASan and TSan reserve terabytes of address space for their shadow memory: under ulimit -v
# they cannot start. Then the same runs without the limit: the growth of the sessions' scratch
# up to 65,536 tokens still runs under the sanitizer, and the outputs are still compared.
if bash "$HERE/../sanitized.sh" "$TEXTCLF"; then
    echo "NOTE: $(basename "$TEXTCLF") is built with a sanitizer, which cannot run under" \
         "ulimit -v: no limit"
    LIMIT=unlimited
    AT=" (sanitizer build: no limit)"
fi

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
check() {   # NAME GOT WANT
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "PASS $1"
    else fail=$((fail + 1)); echo "FAIL $1"; echo "    got:  $2"; echo "    want: $3"; fi
}

/usr/bin/python3 "$HERE/long_model.py" "$W/long.json"
M=$W/long.json
# run CMD...: its stdout and stderr, then "exit STATUS". Killed after 60 s: explain loads
# OpenBLAS, which keeps retrying rather than fail when it cannot map its buffers.
run() { timeout -s KILL 60 "$@" 2>&1; echo "exit $?"; }
# limited CMD...: the same under the address-space limit (when there is one)
limited() { ( ulimit -v $LIMIT && run "$@" ); }

printf 'hello\n' > "$W/hello.txt"
want=$(run "$TEXTCLF" -m "$M" "$W/hello.txt")
check "the model loads and classifies a word (no limit)" "$(tail -n 1 <<< "$want")" "exit 0"
check "classify a word$AT" "$(limited "$TEXTCLF" -m "$M" "$W/hello.txt")" "$want"
check "classify a word with -j 4 (four sessions)$AT" \
    "$(limited "$TEXTCLF" -m "$M" -j 4 "$W/hello.txt")" "$want"
check "tokenize$AT" "$(limited "$TEXTCLF" tokenize -m "$M" "$W/hello.txt")" \
    "$(printf 'hello\nexit 0')"
want=$(run "$TEXTCLF" explain -m "$M" "$W/hello.txt")
check "explain a word$AT" "$(limited "$TEXTCLF" explain -m "$M" "$W/hello.txt")" "$want"

# 70,000 and 65,536 words: the first 65,536 tokens are the same document
yes hello | head -n 70000 | tr '\n' ' ' > "$W/long.txt"
echo >> "$W/long.txt"
yes hello | head -n 65536 | tr '\n' ' ' > "$W/max.txt"
echo >> "$W/max.txt"
got=$(limited "$TEXTCLF" -m "$M" -f jsonl "$W/long.txt")
want=$(limited "$TEXTCLF" -m "$M" -f jsonl "$W/max.txt")
full=$(grep -c '"tokens":65536,"truncated":false' <<< "$want")
check "a document of 65,536 tokens$AT" "$full $(sed -n '$p' <<< "$want")" "1 exit 0"
check "70,000 words answer as their first 65,536, truncated$AT" "$got" \
    "${want/\"truncated\":false/\"truncated\":true}"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
