#!/usr/bin/env bash
# SIGINT and SIGTERM (src/cli_stop.h). Classification stops cleanly: every record read is
# answered and complete, stderr says where it stopped, the exit status is 128 + the signal — also
# while waiting for input from a pipe (`tail -f log | textclf --line-buffered`) and with -j 2.
# Training keeps the previous model intact when stopped before its first epoch ends (or killed),
# also once batches of that epoch have run (seen on a terminal, where the progress bar shows
# them); stopped later, it writes a complete new one: the last complete epoch's, never the
# interrupted one. Ends with "N passed, N failed".
set -u
# Runs textclf with SIGINT and SIGTERM at their default action: a background job of a script
# starts with SIGINT ignored (and so does everything run from a shell started that way), and
# textclf rightly leaves an ignored signal ignored, which is checked at the end. (exec: run as
# `dfl ... &` (only in a subshell: & or coproc), the subshell becomes textclf: $! is its pid.)
dfl() { exec perl -e '$SIG{INT} = $SIG{TERM} = "DEFAULT"; exec @ARGV or die "exec $ARGV[0]: $!\n"' -- "$@"; }
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
HERE=$(cd "$(dirname "$0")" && pwd)
MODEL=$HERE/../models/tiny.json
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/    /'; }

# waiting for input: two lines in, two results out, then SIGTERM while the pipe is still open
coproc TC { dfl "$TEXTCLF" -m "$MODEL" -n --line-buffered 2> "$W/wait.err"; }
tc_pid=$TC_PID   # bash unsets TC_PID as soon as the coprocess ends
echo "hello world" >&"${TC[1]}"
echo "le chat" >&"${TC[1]}"
read -r -t 10 r1 <&"${TC[0]}"; read -r -t 10 r2 <&"${TC[0]}"
kill -TERM "$tc_pid"
wait "$tc_pid"; rc=$?
want="textclf: (standard input):2: stopped by SIGTERM (every record up to here was answered)"
if [ $rc -eq 143 ] && [ "${r1:-}" = "1	en	0.999578" ] && [ "${r2:-}" = "2	fr	0.994342" ] &&
    [ "$(cat wait.err)" = "$want" ]; then ok "SIGTERM while waiting for input: exit 143, where it stopped"
else bad "SIGTERM while waiting: exit $rc, results '${r1:-}' '${r2:-}'" "$(cat wait.err)"; fi

# a long input, stopped in the middle: the output is every record from 1 to N, N as reported
seq 3000000 | sed 's/$/ le chat dort hello world/' > big.txt
stop_midway() {   # SIGNAL STATUS ARGS...
    local sig=$1 want=$2; shift 2
    dfl "$TEXTCLF" -m "$MODEL" -n "$@" big.txt > out.txt 2> err.txt &
    local pid=$! i
    for i in $(seq 100); do [ -s out.txt ] && break; sleep 0.1; done
    sleep 0.3
    kill -"$sig" $pid
    wait $pid; local rc=$?
    local n; n=$(sed -n 's/^textclf: big.txt:\([0-9]*\): stopped by SIG'"$sig"' (every record up to here was answered)$/\1/p' err.txt)
    local lines; lines=$(wc -l < out.txt)
    local gaps; gaps=$(awk -F'\t' '$1 != NR || NF != 3 { print; exit }' out.txt)
    if [ $rc -eq "$want" ] && [ -n "$n" ] && [ "$n" = "$lines" ] && [ -z "$gaps" ] &&
        [ "$lines" -lt 3000000 ] && [ "$(tail -c 1 out.txt | od -An -c | tr -d ' ')" = '\n' ]; then
        ok "SIG$sig $* midway: exit $rc, records 1..$n complete, as reported"
    else bad "SIG$sig $*: exit $rc, reported '$n', $lines lines, first bad line '$gaps'" "$(cat err.txt)"; fi
}
stop_midway INT 130
stop_midway TERM 143
stop_midway INT 130 -j 2
stop_midway TERM 143 -j 2

# training: a previous model, in the default two-file form (JSON + weights file)
/usr/bin/python3 "$HERE/../train/gen.py" . > /dev/null
SMALL="--dim 32 --hidden 32 --max-len 32 --vocab-size 400 --threads 1"
"$TEXTCLF" train -i train.txt -o old.json $SMALL --epochs 1 -q
snapshot() { cat old.json old-*.safetensors | md5sum; }
before=$(snapshot)
for i in $(seq 400); do cat train.txt; done > big-train.txt
untouched() {   # NAME STATUS: the run just finished must have left old.json as it was
    if [ "$2" = "$3" ] && [ "$(snapshot)" = "$before" ] && [ -z "$(ls | grep '\.tmp')" ] &&
        [ "$(echo hello | "$TEXTCLF" -m old.json | cut -f1)" != "" ]; then
        ok "$1: exit $2, previous model untouched, no temp file"
    else bad "$1: exit $2 (want $3), previous model changed or temp file left" "$(cat err.txt; ls)"; fi
}
dfl "$TEXTCLF" train -i big-train.txt -o old.json $SMALL --epochs 5 2> err.txt &
pid=$!; sleep 0.3; kill -TERM $pid; wait $pid
untouched "SIGTERM 0.3 s in (loading the data, or early in epoch 1)" $? 143
dfl "$TEXTCLF" train -i big-train.txt -o old.json $SMALL --epochs 5 2> err.txt &
pid=$!; sleep 0.3; kill -KILL $pid; wait $pid 2> /dev/null
untouched "SIGKILL during training" $? 137

# Stopped in the middle of an epoch, seen from a terminal: script(1) (util-linux, in Debian's
# essential bsdutils) gives textclf a pty for stderr, so it draws its progress bar, which shows
# that batches have run. tty_stop EPOCH SIGNAL ARGS... runs `textclf train ARGS` (output in
# tty.txt) and sends SIGNAL as soon as the bar of epoch EPOCH is drawn. Whether the signal landed
# inside the epoch is then read from the bar, not guessed from timing: the bar is drawn at 100%
# exactly when the epoch's last batch has run, and a stop is seen before each batch, so a last
# bar below 100% means batches were left. A signal that came too late (all batches ran: a very
# loaded machine) is tried again, 3 times. Sets rc to the exit status, or "late".
printf '%s\n' 'echo $$ > pid' \
    'exec perl -e '"'"'$SIG{INT} = $SIG{TERM} = "DEFAULT"; exec @ARGV or die'"'"' -- "$@"' > tty.sh
last_bar() {   # EPOCH: the percentage of the last progress bar of that epoch in tty.txt
    tr '\r' '\n' < tty.txt | grep -a "epoch $1/[0-9]* \[" | tail -n 1 |
        sed -n 's/.*epoch [0-9]*\/[0-9]* \[[#-]*\] *\([0-9]*\)%.*/\1/p'
}
tty_stop() {
    local epoch=$1 sig=$2; shift 2
    local try i spid
    for try in 1 2 3; do
        rm -f pid tty.txt
        # (a pty of width 0: the bar takes COLUMNS, wide enough for the whole bar)
        COLUMNS=120 script -qfec "$(printf '%q ' bash "$W/tty.sh" "$TEXTCLF" train "$@")" \
            /dev/null < /dev/null > tty.txt 2>&1 &
        spid=$!
        for i in $(seq 1000); do
            grep -aq "epoch $epoch/[0-9]* \[" tty.txt 2> /dev/null && break; sleep 0.02
        done
        kill -"$sig" "$(cat pid)"
        wait "$spid"; rc=$?   # script -e: textclf's exit status
        [ "$(last_bar "$epoch")" = 100 ] || return
        echo "(the signal came after the last batch of epoch $epoch: trying again)"
    done
    rc=late
}
# epoch 1, after its first batches: the previous model must stay as it was
tty_stop 1 TERM -i big-train.txt -o old.json $SMALL --epochs 5
if [ "$rc" = 143 ] && grep -aq "interrupted before the first epoch ended; no model written" tty.txt; then
    cp tty.txt err.txt; untouched "SIGTERM in epoch 1, after the progress bar showed batches done" 143 143
else bad "SIGTERM in epoch 1 after batches ran: exit $rc (want 143 and no model written)" \
    "$(tr '\r' '\n' < tty.txt | grep -a 'epoch\|textclf' | tail -n 6)"; fi

# stopped after an epoch: the best model so far replaces the old one, complete
for i in $(seq 40); do cat train.txt; done > mid-train.txt
dfl "$TEXTCLF" train -i mid-train.txt -o old.json $SMALL --epochs 50 --patience 0 \
    --valid-fraction 0.05 2> err.txt &
pid=$!
for i in $(seq 300); do grep -q "^epoch 1/50" err.txt 2>/dev/null && break; sleep 0.1; done
kill -INT $pid
wait $pid; rc=$?
if [ $rc -eq 130 ] && grep -q "^textclf: interrupted" err.txt && [ "$(snapshot)" != "$before" ] &&
    [ "$(ls old-*.safetensors | wc -l)" = 1 ] && "$TEXTCLF" -m old.json test.txt > /dev/null; then
    ok "SIGINT after an epoch: exit 130, a complete new model replaces the old one"
else bad "SIGINT after an epoch: exit $rc" "$(cat err.txt; ls)"; fi

# stopped in the middle of epoch 2: the model written is epoch 1's (the last complete epoch); the
# partial epoch 2 is not validated, not logged, not reported, and cannot become the best
tty_stop 2 INT -i big-train.txt -o old.json $SMALL --epochs 5 --patience 0 --valid-fraction 0.05 \
    --log log.jsonl
out=$(tr '\r' '\n' < tty.txt)
best=$(/usr/bin/python3 -c 'import json; print(json.load(open("old.json"))["metadata"]["best_epoch"])' 2>&1)
if [ "$rc" = 130 ] && grep -aq "epoch 1/5: loss" <<< "$out" && ! grep -aq "epoch 2/5: " <<< "$out" &&
    grep -aq "wrote old.json (epoch 1, " <<< "$out" && [ "$best" = 1 ] &&
    [ "$(wc -l < log.jsonl)" = 1 ] && [ "$(snapshot)" != "$before" ] &&
    [ -z "$(ls | grep '\.tmp')" ]; then
    ok "SIGINT in epoch 2: exit 130, epoch 1 written (best_epoch 1), the partial epoch ignored"
else bad "SIGINT in epoch 2: exit $rc, best_epoch $best, $(wc -l < log.jsonl) log lines" \
    "$(grep -a 'epoch\|textclf' <<< "$out" | tail -n 6)"; fi

# SIGINT ignored when textclf starts (nohup, a script's background job): it stays ignored
(trap '' INT; exec "$TEXTCLF" -m "$MODEL" -n big.txt > ign.txt 2> ign.err) &
pid=$!
for i in $(seq 100); do [ -s ign.txt ] && break; sleep 0.1; done
kill -INT $pid
sleep 0.5
if kill -0 $pid 2> /dev/null; then alive=1; else alive=0; fi
kill -TERM $pid 2> /dev/null
wait $pid; rc=$?
if [ $alive = 1 ] && [ $rc -eq 143 ]; then ok "an ignored SIGINT stays ignored (SIGTERM still stops: exit 143)"
else bad "ignored SIGINT: still running after it: $alive, exit $rc" "$(cat ign.err)"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
