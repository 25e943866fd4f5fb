#!/usr/bin/env bash
# `textclf train` end to end on a small synthetic data set (gen.py): the trained model must
# classify unseen sentences; label-sorted input must train as well as shuffled input; the same
# seed and thread count must give a byte-identical model; unusable lines are counted exactly;
# bad input and bad options fail with the documented exit status; a failed run leaves an existing
# model untouched (signals: tests/signals/run.sh); a log that cannot be written (full file
# system, broken pipe) does not stop training; the model is never written over its data, also
# under the weights file's name; temporary files never follow planted links and keep the umask;
# the progress bar on a terminal fits its width (it never wraps) and shows an ETA.
# Usage: run.sh TEXTCLF     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
/usr/bin/python3 "$HERE/gen.py" . || { echo "gen.py failed"; echo "0 passed, 1 failed"; exit 1; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/    /'; }
SMALL="--dim 32 --hidden 32 --max-len 32 --vocab-size 400 --epochs 8 --threads 2 -q"

# accuracy of MODEL on test.txt (fastText lines)
accuracy() {
    sed 's/__label__[a-z]* //' test.txt | "$TEXTCLF" -m "$1" | cut -f1 |
        paste - <(grep -o '__label__[a-z]*' test.txt | sed 's/__label__//') |
        awk '$1 == $2 { c++ } END { printf "%.4f", c / NR }'
}
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

"$TEXTCLF" train -i train.txt -o m.json $SMALL 2> err.txt; rc=$?
acc=$(accuracy m.json)
if [ $rc -eq 0 ] && at_least "$acc" 0.95; then ok "fastText data: test accuracy $acc"
else bad "fastText data: exit $rc, test accuracy $acc (want >= 0.95)" "$(cat err.txt)"; fi

"$TEXTCLF" train -i train-sorted.txt -o sorted.json $SMALL 2> err.txt; rc=$?
acc=$(accuracy sorted.json)
if [ $rc -eq 0 ] && at_least "$acc" 0.95; then ok "label-sorted data trains as well: $acc"
else bad "label-sorted data: exit $rc, accuracy $acc" "$(cat err.txt)"; fi

"$TEXTCLF" train -i train.tsv -o tsv.json $SMALL 2> err.txt; rc=$?
acc=$(accuracy tsv.json)
if [ $rc -eq 0 ] && at_least "$acc" 0.95; then ok "TSV data: $acc"
else bad "TSV data: exit $rc, accuracy $acc" "$(cat err.txt)"; fi

"$TEXTCLF" train -i train.txt -o inline1.json $SMALL --inline 2>/dev/null
"$TEXTCLF" train -i train.txt -o inline2.json $SMALL --inline 2>/dev/null
if cmp -s inline1.json inline2.json; then ok "same seed and threads: identical model file"
else bad "same seed and threads gave different files"; fi
# the default form: weights in <stem>-<hash>.safetensors, the same weights as inline
w=$(ls m-*.safetensors 2>/dev/null)
if [ "$(echo "$w" | wc -w)" -eq 1 ] && grep -q "\"weights_file\": \"$w\"" m.json &&
   [ "$(echo hello tak | "$TEXTCLF" -m m.json -a)" = "$(echo hello tak | "$TEXTCLF" -m inline1.json -a)" ]; then
    ok "default form: JSON + $w, same results as --inline"
else bad "default safetensors form" "$(ls; head -c 300 m.json)"; fi
# training again over it replaces the weights file instead of piling them up
"$TEXTCLF" train -i train.txt -o m.json $SMALL --seed 3 2>/dev/null
if [ "$(ls m-*.safetensors | wc -l)" -eq 1 ] && [ "$(ls m-*.safetensors)" != "$w" ]; then
    ok "retraining replaces the old weights file"
else bad "weights files after retraining" "$(ls)"; fi
"$TEXTCLF" train -i train.txt -o m.json $SMALL 2>/dev/null

"$TEXTCLF" train -i train.txt -o other.json $SMALL --seed 7 2>/dev/null
if ! cmp -s m.json other.json; then ok "another seed: another model"
else bad "--seed has no effect"; fi

"$TEXTCLF" train -i train.txt -o fmt.json $SMALL --epochs 1 2> err.txt

# --crop: trains on random runs of words; still learns the task, and changes the model
"$TEXTCLF" train -i train.txt -o crop.json $SMALL --crop 0.5 --inline 2> err.txt; rc=$?
acc=$(accuracy crop.json)
if [ $rc -eq 0 ] && at_least "$acc" 0.95 && grep -Eq '"crop":[[:space:]]*0.5' crop.json &&
   ! cmp -s <(sed 's/__label__[a-z]* //' test.txt | "$TEXTCLF" -m crop.json -a) \
            <(sed 's/__label__[a-z]* //' test.txt | "$TEXTCLF" -m inline1.json -a)
then ok "--crop 0.5: test accuracy $acc, other probabilities, recorded in the model"
else bad "--crop: exit $rc, accuracy $acc" "$(cat err.txt)"; fi
# --window N: with N at least the training examples, the very same weights as without it
# (the set is read once and shuffled whole); with a smaller N each epoch reads the file again,
# N examples at a time: still learns the task, is reproducible, holds out the same validation
# lines, and is another model (the windows really were used)
same_tensors() { /usr/bin/python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(a["tensors"] != b["tensors"])' "$1" "$2"; }
"$TEXTCLF" train -i train.txt -o win-all.json $SMALL --inline --window 900 2> err.txt; rc=$?
if [ $rc -eq 0 ] && same_tensors win-all.json inline1.json &&
   grep -Eq '"window":[[:space:]]*900' win-all.json
then ok "--window 900 (= the examples): the same weights as without it, recorded"
else bad "--window 900: exit $rc" "$(cat err.txt)"; fi
"$TEXTCLF" train -i train.txt -o win.json $SMALL --inline --window 100 2> err.txt; rc=$?
"$TEXTCLF" train -i train.txt -o win2.json $SMALL --inline --window 100 2> /dev/null
"$TEXTCLF" train -i train.txt -o nowin.json --dim 32 --hidden 32 --max-len 32 --vocab-size 400 \
    --epochs 8 --threads 2 --inline 2> err-nowin.txt
"$TEXTCLF" train -i train.txt -o win3.json --dim 32 --hidden 32 --max-len 32 --vocab-size 400 \
    --epochs 8 --threads 2 --inline --window 100 2> err-win.txt
acc=$(accuracy win.json)
if [ $rc -eq 0 ] && at_least "$acc" 0.95 && cmp -s win.json win2.json &&
   ! same_tensors win.json inline1.json &&
   cmp -s <(grep 'validation examples' err-nowin.txt) <(grep 'validation examples' err-win.txt)
then ok "--window 100: test accuracy $acc, reproducible, another model, the same split"
else bad "--window 100: exit $rc, accuracy $acc" "$(cat err.txt err-win.txt)"; fi
# with n-grams and a --valid file, a window holding every example changes nothing either
"$TEXTCLF" train -i train.txt --valid test.txt -o ng-nowin.json $SMALL --inline --buckets 500 \
    2> /dev/null
"$TEXTCLF" train -i train.txt --valid test.txt -o ng-win.json $SMALL --inline --buckets 500 \
    --window 5000 2> err.txt; rc=$?
"$TEXTCLF" train -i train.txt --valid test.txt -o ng-win100.json $SMALL --inline --buckets 500 \
    --window 128 2> err.txt; rc2=$?
acc=$(accuracy ng-win100.json)
if [ $rc -eq 0 ] && [ $rc2 -eq 0 ] && same_tensors ng-win.json ng-nowin.json &&
   ! same_tensors ng-win100.json ng-nowin.json && at_least "$acc" 0.95
then ok "--window with n-grams and --valid: the same weights when it holds all; 128: $acc"
else bad "--window with n-grams: exit $rc $rc2, accuracy $acc" "$(cat err.txt)"; fi

# without -q the data summary names the detected format
"$TEXTCLF" train -i train.tsv -o fmt.json --dim 8 --heads 2 --hidden 8 --epochs 1 2> err.txt
if grep -q "train.tsv: TSV format (detected), 900 lines" err.txt; then ok "format detection is reported"
else bad "format detection report" "$(cat err.txt)"; fi

"$TEXTCLF" train -i bad.txt -o b.json $SMALL --epochs 1 2> err.txt; rc=$?
want="textclf: bad.txt: 10 lines skipped: 3 no label, 2 several labels (train them with --multi-label), 4 no text, 1 invalid UTF-8"
if [ $rc -eq 0 ] && grep -qxF "$want" err.txt; then ok "unusable lines counted by reason (even with -q)"
else bad "skipped-line report (exit $rc)" "$(cat err.txt)"; fi

"$TEXTCLF" train -i train.txt -o log.json $SMALL --epochs 2 --log log.jsonl 2>/dev/null
if [ "$(wc -l < log.jsonl)" -eq 2 ] && /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in open("log.jsonl")]
assert [r["epoch"] for r in rows] == [1, 2] and all("valid_accuracy" in r for r in rows)
'; then ok "--log writes one JSON object per epoch"
else bad "--log" "$(cat log.jsonl)"; fi

# the trained model gives PyTorch's probabilities (tools/textclf_ref.py on the same file)
sed 's/__label__[a-z]* //' test.txt > texts.txt
printf '\n中文 unknownwords ünïcödé\n' >> texts.txt
"$TEXTCLF" -m m.json --all -f jsonl texts.txt > got.jsonl
if out=$(/usr/bin/python3 "$HERE/torch_check.py" m.json texts.txt got.jsonl 2>&1); then
    ok "trained model matches PyTorch: $out"
else bad "trained model vs PyTorch" "$out"; fi

# --position: each mode learns the task, writes its config (and a position table only when
# learned), and the trained model gives PyTorch's probabilities; the modes give other models
for pos in none sinusoidal sinusoidal-halves; do
    "$TEXTCLF" train -i train.txt -o "pos-$pos.json" $SMALL --position "$pos" --inline 2> err.txt
    rc=$?
    acc=$(accuracy "pos-$pos.json")
    "$TEXTCLF" -m "pos-$pos.json" --all -f jsonl texts.txt > got-pos.jsonl
    if [ $rc -eq 0 ] && at_least "$acc" 0.95 &&
       "$TEXTCLF" info "pos-$pos.json" | grep -qx "position: $pos" &&
       ! grep -q '"position.weight"' "pos-$pos.json" &&
       ! cmp -s got-pos.jsonl got.jsonl &&
       out=$(/usr/bin/python3 "$HERE/torch_check.py" "pos-$pos.json" texts.txt got-pos.jsonl 2>&1)
    then ok "--position $pos: test accuracy $acc, no position.weight, PyTorch's probabilities: $out"
    else bad "--position $pos: exit $rc, accuracy $acc" "$(cat err.txt) $out"; fi
done

# errors: exit status and one clear line
expect_fail() {   # NAME STATUS PATTERN ARGS...
    local name=$1 want=$2 pat=$3; shift 3
    "$TEXTCLF" train "$@" 2> err.txt >/dev/null; local rc=$?
    if [ $rc -eq "$want" ] && grep -q -- "$pat" err.txt; then ok "$name (exit $rc)"
    else bad "$name: exit $rc, want $want and /$pat/" "$(cat err.txt)"; fi
}
# unusable training data: golden cases tests/golden/cases/train-* (exact messages)
printf '__label__a one\n__label__a two\n' > one.txt
expect_fail "a pipe is refused" 4 "not a regular file" -i /dev/stdin -o x.json
expect_fail "no -o" 2 "no output model" -i train.txt
expect_fail "bad option value" 2 "invalid --activation 'swish'" -i train.txt -o x.json --activation swish
expect_fail "crop out of range" 2 "invalid --crop '1.5': expected a number in 0..1" -i train.txt -o x.json --crop 1.5
expect_fail "window below 0" 2 "invalid --window '-1'" -i train.txt -o x.json --window -1
expect_fail "unknown option" 2 "unrecognized option '--bogus'" -i train.txt -o x.json --bogus
expect_fail "dim not divisible" 2 "not divisible" -i train.txt -o x.json --dim 30 --heads 4
mkdir ro && chmod 555 ro
if [ "$(id -u)" != 0 ]; then
    expect_fail "unwritable output" 5 "cannot write model" -i train.txt -o ro/x.json $SMALL --epochs 1
fi
expect_fail "output directory missing" 5 "cannot write model" -i train.txt -o nodir/x.json $SMALL --epochs 1

# a gigantic line (20 MB, one word repeated) among ordinary ones is one more example
{ head -n 100 train.txt; printf '__label__a '; yes 'word another thing' | head -c 20000000 | tr -d '\n'
  echo; tail -n 100 train.txt; } > giant.txt
"$TEXTCLF" train -i giant.txt -o giant.json --dim 32 --hidden 32 --max-len 32 --vocab-size 400 \
    --epochs 1 --threads 2 --valid-fraction 0 2> err.txt; rc=$?
if [ $rc -eq 0 ] && grep -q "201 lines, 201 examples" err.txt; then ok "a 20 MB line is one example"
else bad "20 MB line: exit $rc" "$(cat err.txt)"; fi

# --word-apostrophes: recorded in the model; the vocabulary is learned from words that keep their
# apostrophes, so a frequent one becomes a single token; without it the word is split there
for i in $(seq 30); do echo "__label__uk я пам'ятаю п'ять"; echo "__label__ru я помню пять"; done > apos.txt
"$TEXTCLF" train -i apos.txt -o apos.json --word-apostrophes --dim 8 --heads 2 --hidden 8 --epochs 1 \
    --valid-fraction 0 -q 2> err.txt; rc=$?
"$TEXTCLF" train -i apos.txt -o apos0.json --dim 8 --heads 2 --hidden 8 --epochs 1 --valid-fraction 0 -q \
    2>> err.txt
got=$(echo "Я пам'ятаю" | "$TEXTCLF" tokenize -m apos.json) got0=$(echo "Я пам'ятаю" | "$TEXTCLF" tokenize -m apos0.json)
if [ $rc -eq 0 ] && grep -q '"word_apostrophes": true' apos.json && ! grep -q word_apostrophes apos0.json &&
   [ "$got" = "я пам'ятаю" ] && [ "$got0" = "я пам ' ятаю" ]
then ok "--word-apostrophes: in the model, \"$got\" (without: \"$got0\")"
else bad "--word-apostrophes: exit $rc, tokens \"$got\" / \"$got0\"" "$(cat err.txt)"; fi

# a failed run leaves an existing model as it was
cp m.json keep.json
"$TEXTCLF" train -i one.txt -o keep.json -q 2>/dev/null
if cmp -s m.json keep.json && [ -z "$(ls | grep 'keep.json.tmp')" ]; then ok "failed run: old model untouched, no temp file"
else bad "failed run changed the old model or left a temp file"; fi

# A log that cannot be written stops the log, not the training: the model is written, the
# error is reported once, and the exit status is 5 (golden case train-log-full: /dev/full).
# (a) The log's file system is full (a 16 KB tmpfs, filled; needs root to mount, else skipped).
lf=$(mktemp -d)
if mount -t tmpfs -o size=16k tmpfs "$lf" 2> /dev/null; then
    dd if=/dev/zero of="$lf/fill" bs=4k 2> /dev/null
    "$TEXTCLF" train -i train.txt -o logfull.json $SMALL --epochs 2 --log "$lf/log.jsonl" 2> err.txt; rc=$?
    umount "$lf"
    if [ $rc -eq 5 ] && grep -qxF "textclf: $lf/log.jsonl: write error: No space left on device (the log stops here; training goes on, exit status 5)" err.txt &&
       [ "$(wc -l < err.txt)" -eq 1 ] && echo hello | "$TEXTCLF" -m logfull.json > /dev/null; then
        ok "log on a full file system: exit 5, one message, the model written"
    else bad "log on a full file system: exit $rc" "$(cat err.txt)"; fi
else echo "SKIP log on a full file system: cannot mount a tmpfs (not root?)"; fi
rmdir "$lf"
# (b) The log is a pipe whose reader has gone: a write error (EPIPE), not a SIGPIPE that kills
# the run before the model is saved. textclf's open of the FIFO waits for a reader; ours opens
# and closes at once, long before the first log line (after the data is read and an epoch run).
for i in 1 2 3 4 5 6 7 8 9 10; do cat train.txt; done > train10.txt
mkfifo logpipe
"$TEXTCLF" train -i train10.txt -o logpipe.json $SMALL --epochs 2 --log logpipe 2> err.txt &
pid=$!
timeout 20 bash -c 'exec 7< logpipe'
wait $pid; rc=$?
if [ $rc -eq 5 ] && grep -qxF "textclf: logpipe: write error: Broken pipe (the log stops here; training goes on, exit status 5)" err.txt &&
   echo hello | "$TEXTCLF" -m logpipe.json > /dev/null; then
    ok "log on a pipe with no reader left: exit 5, one message, the model written"
else bad "log on a broken pipe: exit $rc" "$(cat err.txt)"; fi

# The model is never written over its own training data, also through the files whose names are
# only known when saving (golden cases train-out-* and train-log-*: the JSON and the log, refused
# before any work). (a) The data is named like the weights file the run will write,
# <stem>-<hash of the weights>.safetensors (the name comes from a first run: the same data, seed
# and threads give the same weights): refused when saving, exit 2, the data intact. (b) The
# model being replaced names the data as its own weights file, which a successful save removes
# as a leftover of the old model: the data must stay.
mkdir side && cd side
"$TEXTCLF" train -i ../train.txt -o m.json $SMALL --epochs 1 2> /dev/null
wname=$(ls m-*.safetensors) && rm m.json "$wname" && cp ../train.txt "$wname"
"$TEXTCLF" train -i "$wname" -o m.json $SMALL --epochs 1 2> err.txt; rc=$?
if [ $rc -eq 2 ] && cmp -s "$wname" ../train.txt && [ ! -e m.json ] && [ -z "$(ls | grep tmp)" ] &&
   grep -qF "textclf: $wname: is the training data $wname (the same file): writing the model there would destroy it" err.txt
then ok "data named like the weights file being written: refused when saving (exit 2), data intact"
else bad "data named like the weights file: exit $rc" "$(cat err.txt; ls -l)"; fi
rm -f ./*
cp ../train.txt m-0123456789abcdef.safetensors
printf '{"weights_file": "m-0123456789abcdef.safetensors"}\n' > m.json
"$TEXTCLF" train -i m-0123456789abcdef.safetensors -o m.json $SMALL --epochs 1 2> err.txt; rc=$?
if [ $rc -eq 0 ] && cmp -s m-0123456789abcdef.safetensors ../train.txt &&
   echo hello | "$TEXTCLF" -m m.json > /dev/null; then
    ok "data that the replaced model names as its weights file: kept after the save"
else bad "data named as the old model's weights: exit $rc, $(ls | paste -sd ' ')" "$(cat err.txt)"; fi
cd ..

# The temporary files never follow a symbolic link planted under their names (the model and its
# weights file are each written to a temporary name, then renamed). Until issue 18 those names
# were <file>.tmp.<pid>: textclf is started stopped, so its pid is known, links with those
# names are planted towards two victim files, and it goes on; the victims must be untouched.
# (The weights file's name comes from a first run: the same seed and threads, the same weights.)
started_stopped() {   # ARGS...: runs textclf ARGS in the background, stopped; sets pid
    bash -c 'kill -STOP $$; exec "$@"' sh "$TEXTCLF" "$@" &
    pid=$!
    local i
    for i in $(seq 200); do
        [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2> /dev/null)" = T ] && break; sleep 0.02
    done
}
mkdir sym && cd sym
"$TEXTCLF" train -i ../train.txt -o s.json $SMALL --epochs 1 2> /dev/null
wname=$(ls s-*.safetensors) && rm s.json "$wname"
printf 'victim one\n' > v1.txt && printf 'victim two\n' > v2.txt && cp v1.txt v1.orig && cp v2.txt v2.orig
started_stopped train -i ../train.txt -o s.json $SMALL --epochs 1
ln -s v1.txt "s.json.tmp.$pid" && ln -s v2.txt "$wname.tmp.$pid"
kill -CONT $pid; wait $pid; rc=$?
if [ $rc -eq 0 ] && cmp -s v1.txt v1.orig && cmp -s v2.txt v2.orig && [ -L "s.json.tmp.$pid" ] &&
   [ -f "$wname" ] && [ ! -L "$wname" ] && echo hello | "$TEXTCLF" -m s.json > /dev/null; then
    ok "planted links at the temporary names: their targets untouched, the model written"
else bad "planted temporary links: exit $rc, victims: $(cat v1.txt v2.txt | head -c 200 | tr '\n' ' ')" "$(ls -l)"; fi
rm -f s.json.tmp.* "$wname.tmp."*
cd ..
# ... and the model files are created as any file is: mode 0666 less the umask (as fopen does;
# mkstemp would give 0600, hiding a model from users who could read the one it replaces)
for mask in 022 077 002; do
    (umask $mask; rm -rf perm && mkdir perm && touch perm/ref &&
     "$TEXTCLF" train -i train.txt -o perm/m.json $SMALL --epochs 1 2> /dev/null)
    modes=$(cd perm && stat -c %a ref m.json m-*.safetensors | sort -u)
    if [ "$modes" = "$(stat -c %a perm/ref)" ]; then ok "umask $mask: model files have mode $modes, as a new file"
    else bad "umask $mask: modes $(cd perm && stat -c '%n %a' *)"; fi
done

# The progress bar on a terminal: script(1) (util-linux) gives textclf a pty for stderr. Every
# redraw must fit in the terminal's width less one column (a line that wraps cannot be redrawn
# in place: each redraw would leave a line behind), whether the width comes from the terminal
# (stty cols), from COLUMNS (a pty of width 0, as script makes without a terminal), or is the
# default 80; and the line shows an ETA. bar_fits NAME WIDTH SETUP: SETUP runs in the pty first.
bar_fits() {
    local name=$1 width=$2 setup=$3 widest etas
    script -qfec "$setup $(printf '%q ' "$TEXTCLF" train -i train.txt -o bar.json \
        --dim 32 --hidden 32 --max-len 32 --vocab-size 400 --epochs 2 --batch 8 --threads 1)" \
        /dev/null < /dev/null > bar.txt 2>&1
    # the redraws: what follows each \r (and its erase-line sequence), with a percentage
    tr '\r' '\n' < bar.txt | sed 's/\x1b\[K//g' | grep -a '^epoch [0-9]*/[0-9]* .*%' > bars.txt
    widest=$(awk '{ if (length > m) m = length } END { print m + 0 }' bars.txt)
    etas=$(grep -c ' ETA [0-9]*:[0-9][0-9]$' bars.txt)
    if [ "$(wc -l < bars.txt)" -gt 2 ] && [ "$widest" -lt "$width" ] && [ "$etas" -gt 0 ]; then
        ok "progress bar, $name: $(wc -l < bars.txt) redraws, at most $widest columns, with an ETA"
    else bad "progress bar, $name: widest redraw $widest columns (want < $width), $etas with an ETA" \
        "$(head -n 3 bars.txt)"; fi
}
bar_fits "a 100-column terminal" 100 "stty cols 100 rows 24;"
bar_fits "a 50-column terminal" 50 "stty cols 50 rows 24;"
bar_fits "a 30-column terminal (no bar, no loss)" 30 "stty cols 30 rows 24;"
bar_fits "COLUMNS=45 (the terminal does not say)" 45 "export COLUMNS=45;"
bar_fits "80 columns by default" 80 "unset COLUMNS;"
bar_fits "the terminal's width over COLUMNS" 40 "stty cols 40 rows 24; export COLUMNS=200;"

# Character n-grams (--buckets): the label is a word suffix ("ka" or "zo"); the test words have
# stems with letters never seen in training, so WordPiece makes each one [UNK]: without n-grams
# the documents all look alike (about half right), with them the suffix's n-grams ("ka>", "a>")
# still tell. A margin, not a timing: with must beat without by 0.3 and reach 0.8.
/usr/bin/python3 - <<'PY'
import random
r = random.Random(5)
def doc(stems, label):
    suf = "ka" if label == "a" else "zo"
    return "__label__%s %s" % (label, " ".join("".join(r.choice(stems) for _ in range(r.randint(3, 6))) + suf
                                          for _ in range(3)))
with open("ng-train.txt", "w") as f:
    for _ in range(1500):
        f.write(doc("abcdefghij", r.choice("ab")) + "\n")
with open("ng-test.txt", "w") as f:
    for _ in range(300):
        f.write(doc("qwxyv", r.choice("ab")) + "\n")
PY
ng_accuracy() {
    sed 's/__label__[a-z]* //' ng-test.txt | "$TEXTCLF" -m "$1" | cut -f1 |
        paste - <(grep -o '__label__[a-z]*' ng-test.txt | sed 's/__label__//') |
        awk '$1 == $2 { c++ } END { printf "%.4f", c / NR }'
}
NG="--dim 16 --heads 2 --hidden 16 --max-len 8 --vocab-size 200 --epochs 4 --threads 2 -q"
"$TEXTCLF" train -i ng-train.txt -o ng0.json $NG 2> err.txt; rc0=$?
"$TEXTCLF" train -i ng-train.txt -o ng1.json $NG --buckets 2000 --minn 2 --maxn 3 2>> err.txt; rc1=$?
a0=$(ng_accuracy ng0.json) a1=$(ng_accuracy ng1.json)
if [ $rc0 -eq 0 ] && [ $rc1 -eq 0 ] && at_least "$a1" 0.8 && at_least "$a1" "$(awk -v a="$a0" 'BEGIN { print a + 0.3 }')"; then
    ok "n-grams learn suffixes of unseen words: $a1 with --buckets, $a0 without"
else bad "n-grams: exit $rc0/$rc1, accuracy $a1 with --buckets, $a0 without" "$(cat err.txt)"; fi
"$TEXTCLF" train -i ng-train.txt -o ng2.json $NG --buckets 2000 --minn 2 --maxn 3 --inline 2>/dev/null
"$TEXTCLF" train -i ng-train.txt -o ng3.json $NG --buckets 2000 --minn 2 --maxn 3 --inline 2>/dev/null
if cmp -s ng2.json ng3.json && grep -q '"ngram_buckets": 2000, "ngram_min": 2, "ngram_max": 3' ng2.json &&
   "$TEXTCLF" info ng2.json | grep -q '^    buckets: 2000$'; then
    ok "n-grams: same seed, identical model; config and metadata record them"
else bad "n-grams: determinism or recorded options" "$(head -c 300 ng2.json)"; fi
"$TEXTCLF" train -i ng-train.txt -o ng4.json --minn 2 2> err.txt; rc=$?
if [ $rc -eq 2 ] && grep -q -- '--minn and --maxn need --buckets' err.txt; then ok "--minn without --buckets: usage error"
else bad "--minn without --buckets: exit $rc" "$(cat err.txt)"; fi

# --pretrained-vectors: a .vec made here starts the embedding rows of the entries its words
# tokenise to (the first of "Ren" and "ren" gives ren's row; an unknown word and a two-piece word
# give none). With a learning rate of 1e-30 training leaves every weight where it started, so
# the saved rows are the file's values, bit for bit; without the option they are not.
cat > pv.vec <<'VEC'
4 8
Ren 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5 
ren 0.25 0.25 0.25 0.25 0.25 0.25 0.25 0.25 
seni 0.125 -0.25 0.375 -0.5 0.625 -0.75 0.875 -1 
zzqqxxyy 9 9 9 9 9 9 9 9 
VEC
PV="--dim 8 --heads 2 --hidden 8 --max-len 16 --vocab-size 400 --epochs 1 --lr 1e-30 --inline --seed 3"
# the embedding rows of WORDS in MODEL (tools/textclf_ref.py), one line each
rows() {
    /usr/bin/python3 - "$@" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import textclf_ref as ref
m, vocab = ref.load_model(sys.argv[2])[:2]
E = m.embedding.weight.detach().numpy()
for w in sys.argv[3:]:
    print(w, " ".join(repr(float(x)) for x in E[vocab.index(w)]) if w in vocab else "absent")
PY
}
"$TEXTCLF" train -i train.txt -o pv.json $PV --pretrained-vectors pv.vec 2>pv.err
rc=$?
got=$(rows "$HERE/../../tools" pv.json ren seni)
want="ren 0.5 0.5 0.5 0.5 0.5 0.5 0.5 0.5
seni 0.125 -0.25 0.375 -0.5 0.625 -0.75 0.875 -1.0"
if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then ok "--pretrained-vectors: the rows of ren (first word) and seni"
else bad "--pretrained-vectors: exit $rc" "$got$(cat pv.err)"; fi
if grep -q '^textclf: pv.vec: 4 vectors read; 2 of the [0-9]* vocabulary entries start from them$' pv.err
then ok "--pretrained-vectors: says how many rows it gave"
else bad "--pretrained-vectors: message" "$(cat pv.err)"; fi
"$TEXTCLF" train -i train.txt -o pv0.json $PV -q
got=$(rows "$HERE/../../tools" pv0.json ren seni)
if [ "$got" != "$want" ] && [ "$(rows "$HERE/../../tools" pv0.json ren | wc -w)" -eq 9 ]; then
    ok "without --pretrained-vectors: random rows"
else bad "without --pretrained-vectors: $got"; fi
# a bad file fails: its header before any training data is read, a row at the line it is wrong on
printf '1 4\nren 1 2 3 4\n' > pv-dim.vec
printf '2 8\nren 1 2 3 4 5 6 7 8\n' > pv-count.vec
printf '1 8\nren 1 2 3 x 5 6 7 8\n' > pv-value.vec
for case in "pv-dim.vec|pv-dim.vec:1:1: the vectors have 4 values, the model's --dim is 8: give --dim 4" \
            "pv-count.vec|pv-count.vec: the first line announces 2 vectors, the file has 1" \
            "pv-value.vec|pv-value.vec:2:11: value 4 of 8 is not a number" \
            "pv-none.vec|pv-none.vec: cannot open: No such file or directory"; do
    f=${case%%|*} msg=${case#*|}
    "$TEXTCLF" train -i train.txt -o pvbad.json $PV --pretrained-vectors "$f" 2>err.txt
    rc=$?
    if [ $rc -eq 4 ] && [ "$(tail -n 1 err.txt)" = "textclf: $msg" ] && [ ! -e pvbad.json ]; then
        ok "--pretrained-vectors $f: exit 4, no model"
    else bad "--pretrained-vectors $f: exit $rc" "$(cat err.txt)"; fi
    # a header that cannot be used (or no file) fails before the training data is read
    case $f in pv-dim.vec | pv-none.vec)
        if [ "$(wc -l < err.txt)" -eq 1 ]; then ok "--pretrained-vectors $f: before the data"
        else bad "--pretrained-vectors $f: not first" "$(cat err.txt)"; fi ;;
    esac
done

# the vectors' file is an input: neither the model nor the log may be written over it
cp pv.vec pv-keep.vec
"$TEXTCLF" train -i train.txt -o pv.vec $PV --pretrained-vectors pv.vec 2>err.txt
rc=$?
if [ $rc -eq 2 ] && cmp -s pv.vec pv-keep.vec &&
    grep -qF 'pv.vec: is the pretrained vectors pv.vec (the same file)' err.txt; then
    ok "-o is the --pretrained-vectors file: exit 2, the vectors untouched"
else bad "-o is the --pretrained-vectors file: exit $rc" "$(cat err.txt)"; fi
"$TEXTCLF" train -i train.txt -o pvlog.json --log pv.vec $PV --pretrained-vectors pv.vec 2>err.txt
rc=$?
if [ $rc -eq 2 ] && cmp -s pv.vec pv-keep.vec &&
    grep -qF 'pv.vec: is the pretrained vectors pv.vec (the same file)' err.txt; then
    ok "--log is the --pretrained-vectors file: exit 2, the vectors untouched"
else bad "--log is the --pretrained-vectors file: exit $rc" "$(cat err.txt)"; fi

# the share of training examples --max-len cuts: with --valid given, the training examples are
# the lines of train.tsv (label TAB text), and the reference tokenizer (untruncated) counts
# those whose text is longer than 8 tokens
"$TEXTCLF" train -i train.tsv --valid test.txt -o cut.json --dim 8 --heads 2 --hidden 8 \
    --max-len 8 --vocab-size 400 --epochs 1 --inline 2>cut.err
want=$(/usr/bin/python3 - "$HERE/../../tools" cut.json train.tsv <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import textclf_ref as ref
_, vocab, _, settings, config = ref.load_model(sys.argv[2])
tok = ref.Tokenizer(settings, vocab, config["max_len"])
lines = [l.split("\t", 1)[1] for l in open(sys.argv[3], encoding="utf-8").read().splitlines()]
cut = sum(len(tok.tokenize(t.encode("utf-8"), truncate=False)[0]) > 8 for t in lines)
print("--max-len 8 cuts %.1f%% of the training examples (%d)" % (100 * cut / len(lines), cut))
PY
)
if grep -qF -- "; $want" cut.err && [ "${want##*(}" != "0)" ]; then ok "train says the share --max-len cuts: $want"
else bad "train: the share --max-len cuts (want '$want')" "$(cat cut.err)"; fi

# --autotune-validation: trial 0 is the options given, each trial a line, the best written with
# the search in its metadata; the same seed gives the same trials and the same model; another
# seed other trials; the time budget cuts the running trial and still writes the best
AT="-i train.txt --autotune-validation test.txt --threads 2 --max-len 32 --vocab-size 400"
"$TEXTCLF" train $AT -o at.json --autotune-trials 4 2> at.err; rc=$?
"$TEXTCLF" train $AT -o at2.json --autotune-trials 4 2> at2.err
"$TEXTCLF" train $AT -o at3.json --autotune-trials 4 --seed 7 2> at3.err
trials() { sed -n 's/.*autotune: \(trial [0-9]*: [^:]*\):.*/\1/p' "$1"; }
best=$(grep "best so far" at.err | tail -n 1 | sed 's/.*trial \([0-9]*\):.*/\1/')
if [ $rc -eq 0 ] && [ "$(grep -c 'autotune: trial [0-3]: ' at.err)" -eq 4 ] &&
   grep -q "autotune: trial 0: lr 0.002, epochs 10, dim 64, vocab-size 400, max-len 32, dropout 0.100, crop 0:" at.err &&
   grep -q "autotune: 4 trials in .* (all trials done); best: trial $best," at.err &&
   /usr/bin/python3 - at.json "$best" <<'PY'
import json, sys
md = json.load(open(sys.argv[1]))["metadata"]
at = md["autotune"]
assert at["trials"] == 4 and at["best_trial"] == int(sys.argv[2]), at
assert at["validation"] == "test.txt" and at["metric"] == "accuracy", at
assert at["valid_accuracy"] == md["valid_accuracy"], (at, md["valid_accuracy"])
PY
then ok "--autotune-validation: 4 trials, trial 0 the options given, the best ($best) written with the search in its metadata"
else bad "--autotune-validation (exit $rc)" "$(cat at.err)"; fi
if cmp -s <(trials at.err) <(trials at2.err) && [ "$(trials at.err | wc -l)" -eq 4 ] &&
   cmp -s <(grep -v '^"weights_file"' at.json) <(grep -v '^"weights_file"' at2.json) &&
   cmp -s at-*.safetensors at2-*.safetensors; then
    ok "autotune: the same seed, the same trials and model (JSON and weights, bytes)"
else bad "autotune is not reproducible" "$(diff <(trials at.err) <(trials at2.err))"; fi
if ! cmp -s <(trials at.err | tail -n 3) <(trials at3.err | tail -n 3) &&
   cmp -s <(trials at.err | head -n 1) <(trials at3.err | head -n 1); then
    ok "autotune: another seed, other trials (trial 0 the same)"
else bad "autotune: --seed 7 drew the same trials" "$(cat at3.err)"; fi
if [ -z "$(ls -A | grep '^\.textclf-autotune')" ]; then ok "autotune leaves no temporary directory"
else bad "autotune left a temporary directory" "$(ls -A)"; fi
# the budget: trial 0 asks for 60000 epochs; 2 s cut it, the best epoch so far is written
"$TEXTCLF" train $AT -o atb.json --epochs 60000 --patience 0 --autotune-duration 2 2> atb.err; rc=$?
if [ $rc -eq 0 ] && grep -q "autotune: trial 0: .*(cut short: time budget or interrupt)" atb.err &&
   grep -q "(the time budget ran out); best: trial 0" atb.err &&
   "$TEXTCLF" info atb.json | grep -q "stopped: duration"; then
    ok "autotune: the time budget cuts the running trial, its best epoch is written"
else bad "autotune --autotune-duration 2 (exit $rc)" "$(cat atb.err)"; fi
"$TEXTCLF" train $AT -o atn.json --autotune-duration 0.000001 2> atn.err; rc=$?
if [ $rc -eq 4 ] && grep -q "autotune: no trial finished an epoch in 1e-06 s" atn.err &&
   [ ! -e atn.json ]; then ok "autotune: no trial within the budget: exit 4, no model"
else bad "autotune with no time (exit $rc)" "$(cat atn.err)"; fi
expect_fail "autotune options without --autotune-validation" 2 "need --autotune-validation" \
    -i train.txt -o x.json --autotune-trials 3
expect_fail "--autotune-validation with --valid" 2 "leave out --valid" \
    -i train.txt -o x.json --autotune-validation test.txt --valid test.txt
expect_fail "--autotune-validation with --log" 2 "not available with --autotune-validation" \
    -i train.txt -o x.json --autotune-validation test.txt --log l.jsonl
expect_fail "--autotune-metric recall" 2 "invalid --autotune-metric 'recall': expected accuracy or f1" \
    -i train.txt -o x.json --autotune-validation test.txt --autotune-metric recall
expect_fail "--autotune-metric f1: without a label" 2 "invalid --autotune-metric 'f1:': no label after f1:" \
    -i train.txt -o x.json --autotune-validation test.txt --autotune-metric f1:
expect_fail "--autotune-metric f1:LABEL of no label" 2 "the validation metric's label 'delta' is not a label of the training data" \
    -i train.txt -o x.json --autotune-validation test.txt --autotune-metric f1:delta
# f1:LABEL (fastText's f1:__label__x, the prefix optional): trials and the best epoch are scored
# by that label's F1, which must be what `textclf test` reports for it on the same file (one
# short trial, so that the model makes mistakes); f1 is accuracy's other name
"$TEXTCLF" train $AT -o atf.json --autotune-trials 1 --epochs 1 --lr 0.0005 \
    --autotune-metric f1:__label__gamma 2> atf.err; rc=$?
want=$("$TEXTCLF" test -m atf.json test.txt -f json 2> /dev/null | /usr/bin/python3 -c '
import json, sys
print(next("%.6f" % l["f1"] for l in json.load(sys.stdin)["labels"] if l["label"] == "gamma"))')
got=$(/usr/bin/python3 -c '
import json, sys
md = json.load(open(sys.argv[1]))["metadata"]
at = md["autotune"]
assert at["metric"] == "f1:gamma" and at["valid_f1"] == md["valid_f1"], at
assert md["options"]["metric_label"] == "gamma", md["options"]
print("%.6f" % at["valid_f1"])' atf.json 2>&1)
"$TEXTCLF" train $AT -o atf1.json --autotune-trials 1 --epochs 1 --lr 0.0005 \
    --autotune-metric f1 2> atf1.err; rc1=$?
if [ $rc -eq 0 ] && [ -n "$want" ] && [ "$got" = "$want" ] &&
   grep -q "autotune: trial 0: .*: valid F1 $(printf %.4f "$want") at epoch 1" atf.err &&
   [ $rc1 -eq 0 ] && grep -q "valid accuracy" atf1.err
then ok "--autotune-metric f1:__label__gamma: scored by gamma's F1 ($got, as textclf test says); f1 is accuracy"
else bad "--autotune-metric f1:LABEL (exit $rc $rc1): F1 $got, textclf test's $want" "$(cat atf.err atf1.err)"; fi
# the same with --multi-label: the label's F1 at 0.5
"$TEXTCLF" train -i multi-train.txt --multi-label --autotune-validation multi-test.txt \
    -o atfm.json --threads 2 --max-len 32 --vocab-size 400 --autotune-trials 1 --epochs 1 \
    --lr 0.001 --autotune-metric f1:alpha 2> atfm.err; rc=$?
want=$("$TEXTCLF" test -m atfm.json multi-test.txt -f json 2> /dev/null | /usr/bin/python3 -c '
import json, sys
print(next("%.6f" % l["f1"] for l in json.load(sys.stdin)["labels"] if l["label"] == "alpha"))')
got=$(/usr/bin/python3 -c '
import json, sys
print("%.6f" % json.load(open(sys.argv[1]))["metadata"]["valid_f1"])' atfm.json 2>&1)
if [ $rc -eq 0 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
    ok "--autotune-metric f1:alpha with --multi-label: alpha's F1 at 0.5 ($got, as textclf test says)"
else bad "--autotune-metric f1:alpha --multi-label (exit $rc): $got, textclf test's $want" "$(cat atfm.err)"; fi
expect_fail "the model over the autotune file" 2 "the validation data" \
    -i train.txt -o test.txt --autotune-validation test.txt

# multi-label (--multi-label): lines of one to three labels; the model must find every label of
# unseen lines (micro-F1 at 0.5 from textclf test, checked against the predictions themselves),
# from fastText lines and from the same data as TSV; without the option those lines are skipped
"$TEXTCLF" train -i multi-train.txt -o ml.json --multi-label $SMALL 2> err.txt; rc=$?
f1=$("$TEXTCLF" test -f json ml.json multi-test.txt 2>/dev/null |
     /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["micro"]["f1"])')
# the same micro-F1 from what classification prints (every label >= 0.5)
f1_out=$(sed 's/__label__[a-z]* //g' multi-test.txt | "$TEXTCLF" -m ml.json |
    paste - <(grep -o '^\(__label__[a-z]* \)*' multi-test.txt) | /usr/bin/python3 -c '
import sys
tp = fp = fn = 0
for line in sys.stdin:
    pred, gold = line.rstrip("\n").split("\t")[:-1], line.rstrip("\n").split("\t")[-1]
    p = set(pred[0::2]); g = {t[9:] for t in gold.split()}
    tp += len(p & g); fp += len(p - g); fn += len(g - p)
print("%.6f" % (2 * tp / (2 * tp + fp + fn)))')
if [ $rc -eq 0 ] && at_least "$f1" 0.95 && [ "$f1" = "$f1_out" ] &&
   "$TEXTCLF" info ml.json | grep -q "^output: sigmoid"; then
    ok "multi-label: test micro-F1 $f1 (classification's own: $f1_out)"
else bad "multi-label: exit $rc, micro-F1 $f1, from the output $f1_out (want >= 0.95, equal)" \
    "$(cat err.txt)"; fi
"$TEXTCLF" train -i multi-train.tsv -o mlt.json --multi-label $SMALL 2> err.txt; rc=$?
f1=$("$TEXTCLF" test -f json mlt.json multi-test.txt 2>/dev/null |
     /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["micro"]["f1"])')
if [ $rc -eq 0 ] && at_least "$f1" 0.95; then ok "multi-label from TSV (a,b<TAB>text): micro-F1 $f1"
else bad "multi-label TSV: exit $rc, micro-F1 $f1" "$(cat err.txt)"; fi
"$TEXTCLF" train -i multi-train.txt -o mls.json $SMALL 2> err.txt; rc=$?
n=$(grep -c "__label__[a-z]* __label__" multi-train.txt)
if grep -q "lines skipped: $n several labels (train them with --multi-label)" err.txt; then
    ok "without --multi-label the $n lines with several labels are skipped, with the hint"
else bad "multi-label lines without --multi-label (exit $rc)" "$(cat err.txt)"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
