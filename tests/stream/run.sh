#!/usr/bin/env bash
# Streaming: with --line-buffered each result must come out as soon as its line goes in
# (`tail -f log | textclf --line-buffered`), while the input pipe is still open. Without the
# option, output into a pipe is block-buffered, and the same read must time out: that shows the
# test can fail (and that checking each result's write does not flush it). --threads must not
# change that. `textclf explain` flushes each explanation as soon as it is made, option or not
# (docs/cli.md).
# A weights file that changes while such a run goes on (a model retrained in place under a
# running `tail -f | textclf`): truncated, rewritten with 0xFF bytes, replaced with cp, or
# overwritten with 0xFF in place; every later line, each with tokens not seen before (so that
# their weights are read after the change), is answered as by the model that was loaded, and
# textclf exits 0. (When the weights were used from a memory map of the file, the truncated file
# killed textclf with SIGBUS at the next line, and 0xFF bytes made it print -nan.)
# Ends with "N passed, N failed".
set -u
TEXTCLF=${1:?usage: run.sh TEXTCLF}
MODELS=$(cd "$(dirname "$0")/../models" && pwd)
MODEL=$MODELS/tiny.json
pass=0 fail=0
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# Writes one line into a coprocess's stdin (kept open) and tries to read one result line within
# $1 seconds. Prints the result, or nothing on time-out.
first_result() {
    local wait=$1; shift
    coproc TC { "$TEXTCLF" "$@" -m "$MODEL" 2>/dev/null; }
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
# explain: the first line of the explanation (its labels) while the input is still open
expected=$(echo "hello world" | "$TEXTCLF" explain -m "$MODEL" | head -n 1)
check "explain: each explanation arrives while input is open" "$(first_result 10 explain)" "$expected"

# changing NAME ACTION...: classifies LINES[0] with a copy of tiny-st.json (weights in
# tiny-st.safetensors), its input a FIFO kept open; before each later line runs the next ACTION
# (bash, $st being the weights file, $size its size) and waits for that line's result. Checks
# the results against a run on the untouched model, the exit status (0) and stderr (empty).
LINES=("hello world" "le chat est bon" "猫 你好 中文" "the dog is running")
changing() {
    local name=$1; shift
    rm -rf "$W/m" "$W/in" "$W/out"
    mkdir "$W/m"
    cp "$MODELS/tiny-st.json" "$MODELS/tiny-st.safetensors" "$W/m/"
    local st=$W/m/tiny-st.safetensors size
    size=$(stat -c %s "$st")
    mkfifo "$W/in" "$W/out"
    "$TEXTCLF" -m "$W/m/tiny-st.json" --line-buffered < "$W/in" > "$W/out" 2> "$W/err" &
    local pid=$! to from
    exec {to}>"$W/in" {from}<"$W/out"
    local got="" line i
    for i in "${!LINES[@]}"; do
        [ "$i" -eq 0 ] || eval "${@:i:1}"
        echo "${LINES[i]}" 2>/dev/null >&"$to"   # (SIGPIPE ignored: textclf may have died)
        read -r -t 10 line <&"$from" || line="(no result)"
        got+=$line$'\n'
    done
    exec {to}>&-
    wait "$pid"
    local rc=$?
    exec {from}<&-
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && [ ! -s "$W/err" ]; then
        pass=$((pass + 1)); echo "PASS $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit status $rc; results:"
        printf '%s' "$got" | sed 's/^/    /'
        echo "  expected:"
        printf '%s' "$want" | sed 's/^/    /'
        sed 's/^/  stderr: /' "$W/err"
    fi
}
want=$(printf '%s\n' "${LINES[@]}" | "$TEXTCLF" -m "$MODELS/tiny-st.json")$'\n'
trap '' PIPE
changing "weights file truncated, rewritten with 0xFF, replaced by cp while textclf runs" \
    ': > "$st"' \
    'head -c "$size" /dev/zero | tr "\0" "\377" > "$st"' \
    'cp "$MODELS/tiny-st-unaligned.safetensors" "$st"'
changing "weights file overwritten in place with 0xFF while textclf runs" \
    'head -c "$size" /dev/zero | tr "\0" "\377" | dd of="$st" conv=notrunc status=none' \
    ': > "$st"' \
    'rm "$st"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
