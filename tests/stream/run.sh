#!/usr/bin/env bash
# Streaming: with --line-buffered each result must come out as soon as its line goes in
# (`tail -f log | textclf --line-buffered`), while the input pipe is still open. Without the
# option, output into a pipe is block-buffered, and the same read must time out: that shows the
# test can fail. --threads must not change that. Ends with "N passed, N failed".
set -u
TEXTCLF=${1:?usage: run.sh TEXTCLF}
MODEL=$(cd "$(dirname "$0")/../models" && pwd)/tiny.json
pass=0 fail=0

# Writes one line into a coprocess's stdin (kept open) and tries to read one result line within
# $1 seconds. Prints the result, or nothing on time-out.
first_result() {
    local wait=$1; shift
    coproc TC { "$TEXTCLF" -m "$MODEL" "$@" 2>/dev/null; }
    echo "hello world" >&"${TC[1]}"
    local line=""
    read -r -t "$wait" line <&"${TC[0]}" || line=""
    echo "$line"
    exec {TC[1]}>&-
    kill "$TC_PID" 2>/dev/null
    wait "$TC_PID" 2>/dev/null
}

check() {
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "PASS $1"
    else fail=$((fail + 1)); echo "FAIL $1: got '$2', expected '$3'"; fi
}

expected=$(echo "hello world" | "$TEXTCLF" -m "$MODEL")
[ -n "$expected" ] || { echo "FAIL: no output at all"; echo "0 passed, 1 failed"; exit 1; }
check "line-buffered result arrives while input is open" "$(first_result 10 --line-buffered)" "$expected"
# --threads reads ahead in batches, which would wait for more lines: not with --line-buffered
check "--threads 2 --line-buffered answers each line at once" "$(first_result 10 --line-buffered --threads 2)" "$expected"
# the control: without the option the result stays in the buffer until input ends (read times out)
got=$(first_result 2)
check "block-buffered into a pipe (control)" "$got" ""

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
