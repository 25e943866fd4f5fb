#!/usr/bin/env bash
# `textclf convert` and the import tools (docs/import.md). Ends with "N passed, N failed".
#
#   - round trips between the two weights forms (and the two vocabulary forms): every form gives
#     the same `classify -a -f jsonl` output, byte for byte, on varied text; a model converted
#     inline -> safetensors -> inline is the same file as one converted inline -> inline, and
#     back to safetensors writes the same weights file (name and bytes): no bit of a weight is
#     lost through the decimal form. Labels, tokenizer settings, vocabulary and metadata kept.
#   - the shipped models/spam.json and models/sentiment.json (safetensors, vocabulary file)
#     -> inline -> safetensors: same output; same weights file bytes, same vocabulary file
#     bytes, same JSON but for the companion file names
#   - the shipped spam and sentiment models quantised (textclf quantize): their output changes;
#     converted to F32 they give the quantised output byte for byte, and quantised again the same
#     int8 weights file; labels, tokenizer settings, metadata and the vocabulary kept
#   - converting a model onto itself, companion files of the replaced model removed (only the
#     ones named <stem>-<16 hex>), F64 weights written as F32, exit statuses 3 and 5
#   - tests/convert/check_import.py: PyTorch state dicts and Keras-layout arrays imported with
#     tools/import_torch.py and tools/import_keras.py give the foreign model's probabilities
#     within 1e-5 (the exact messages of convert's usage errors are golden cases convert-*)
# Usage: tests/convert/run.sh TEXTCLF
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export LC_ALL=C OPENBLAS_NUM_THREADS=1
unset TEXTCLF_MODEL
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else ko "$what"; fi; }

# varied text: the shipped models' hand-written examples, scripts, odd characters, invalid
# UTF-8, empty and blank lines, a line far past max_len
{
    sed 's/^__label__[^ ]* //' "$root"/tests/shipped/*.txt
    printf 'the cat is good\nle chat est bon et le chien\n猫 你好 中文\n\n   \n'
    printf 'Hello, World! 😀 ﬁnance café naïve ΟΔΥΣΣΕΥΣ İstanbul\n'
    printf '\xff\xfe not UTF-8 \xc3\n'
    printf 'tab\tseparated\x01control\n'
    for i in $(seq 400); do printf 'hello world and the dog is running %d ' "$i"; done
    printf '\nWIN A FREE PRIZE!!! Click http://example.com now $$$\n'
} > texts.txt
printf 'a\0b c\0\0日本語\0' > texts.bin

# out MODEL NAME: the classification output of MODEL on both inputs, into NAME.out
out() {
    { "$TEXTCLF" -m "$1" -a -f jsonl texts.txt && "$TEXTCLF" -m "$1" -a -n -z texts.bin; } \
        > "$2.out" 2> "$2.err"
}
# info_same A B: `textclf info --format json` of A and B equal but for file names
info_same() {
    cmp -s <("$TEXTCLF" info --format json "$1" | sed 's/"file":"[^"]*"//; s/"weights_file":[^,]*//; s/"vocab_file":[^,]*//') \
           <("$TEXTCLF" info --format json "$2" | sed 's/"file":"[^"]*"//; s/"weights_file":[^,]*//; s/"vocab_file":[^,]*//')
}
# metadata FILE: its "metadata" value, normalised
metadata() { /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get("metadata"), sort_keys=True))' "$1"; }
# weights_form FILE: "file" when the JSON names a weights file, else "inline"
weights_form() { if grep -q '^"weights_file"' "$1"; then echo file; else echo inline; fi; }

# ---- tiny.json: inline -> safetensors -> inline ------------------------------------------
M=$root/tests/models
mkdir st back direct st2
check "tiny: convert to the other form (safetensors) exits 0" \
    "$TEXTCLF" convert -q "$M/tiny.json" st/tiny.json
check "tiny: the safetensors form names a weights file tiny-HASH.safetensors" \
    test "$(weights_form st/tiny.json)" = file -a -f "$(ls st/tiny-*.safetensors 2>/dev/null | head -n 1)"
check "tiny: and back to inline (the default from a safetensors model)" \
    "$TEXTCLF" convert -q st/tiny.json back/tiny.json
check "tiny: back is inline" test "$(weights_form back/tiny.json)" = inline
"$TEXTCLF" convert -q --inline "$M/tiny.json" direct/tiny.json
check "tiny: inline -> safetensors -> inline is the same file as inline -> inline" \
    cmp -s back/tiny.json direct/tiny.json
"$TEXTCLF" convert -q back/tiny.json st2/tiny.json
check "tiny: back to safetensors: the same weights file, name and bytes" \
    cmp -s st/tiny-*.safetensors st2/"$(basename st/tiny-*.safetensors)"
out "$M/tiny.json" orig; out st/tiny.json st; out back/tiny.json back
check "tiny: classify output identical (original / safetensors)" cmp -s orig.out st.out
check "tiny: classify output identical (original / back to inline)" cmp -s orig.out back.out
check "tiny: the output is not trivial" test "$(wc -l < orig.out)" -gt 40
check "tiny: labels, sizes, tokenizer, vocabulary size kept (info)" info_same "$M/tiny.json" back/tiny.json
check "tiny: metadata kept" test "$(metadata "$M/tiny.json")" = "$(metadata back/tiny.json)" -a \
    "$(metadata st/tiny.json)" = "$(metadata back/tiny.json)"
check "tiny: vocabulary kept token for token" test \
    "$("$TEXTCLF" tokenize --ids -m "$M/tiny.json" texts.txt 2> /dev/null | md5sum)" = \
    "$("$TEXTCLF" tokenize --ids -m back/tiny.json texts.txt 2> /dev/null | md5sum)"

# ---- the other encodings of the tiny model ---------------------------------------------
mkdir vf vi f64 ua
"$TEXTCLF" convert -q "$M/tiny-vocabfile.json" vf/m.json
check "vocabulary file kept as a file (m-HASH.vocab.txt, same lines)" \
    cmp -s "$M/tiny-vocab.txt" vf/m-*.vocab.txt
check "vocabulary file: referenced on one line" grep -q '^"vocab": {"file": "m-[0-9a-f]*\.vocab\.txt"},$' vf/m.json
"$TEXTCLF" convert -q --vocab=inline vf/m.json vi/m.json
check "--vocab=inline: no vocabulary file" test -z "$(ls vi/*.vocab.txt 2>/dev/null)"
out "$M/tiny-vocabfile.json" vf0; out vf/m.json vf1; out vi/m.json vi1
check "vocabulary forms: identical output" cmp -s vf0.out vf1.out
check "vocabulary forms: identical output (inline)" cmp -s vf0.out vi1.out
check "vocabulary forms: the output is the tiny model's" cmp -s orig.out vf0.out
"$TEXTCLF" convert -q --safetensors "$M/tiny-st-f64.json" f64/m.json
check "F64 weights written as F32: the bytes of the F32 form's weights file" \
    cmp -s f64/m-*.safetensors st/tiny-*.safetensors
out f64/m.json f64
check "F64 -> F32: identical output (the loader rounds F64 to float32 the same way)" cmp -s orig.out f64.out
"$TEXTCLF" convert -q --inline "$M/tiny-st-unaligned.json" ua/m.json
out ua/m.json ua
check "unaligned safetensors -> inline: identical output" cmp -s orig.out ua.out

# ---- position modes: none and sinusoidal (no position.weight) through both forms ---------
for pm in pos-none sinusoidal; do
    mkdir -p "p-$pm" "pb-$pm"
    "$TEXTCLF" convert -q "$M/tiny-$pm.json" "p-$pm/m.json"
    "$TEXTCLF" convert -q "p-$pm/m.json" "pb-$pm/m.json"
    out "$M/tiny-$pm.json" "p0-$pm"; out "p-$pm/m.json" "p1-$pm"; out "pb-$pm/m.json" "p2-$pm"
    check "tiny-$pm: safetensors: identical output" cmp -s "p0-$pm.out" "p1-$pm.out"
    check "tiny-$pm: back to inline: identical output" cmp -s "p0-$pm.out" "p2-$pm.out"
    if ! cmp -s "p0-$pm.out" orig.out; then ok "tiny-$pm: its output is not tiny's (positions matter)"
    else ko "tiny-$pm: the same output as tiny's: the positions made no difference"; fi
    check "tiny-$pm: config.position kept, no position.weight written" \
        test "$(grep -c '"position": "'"${pm#pos-}"'"' "pb-$pm/m.json")" = 1 -a \
             "$(grep -c 'position.weight' "pb-$pm/m.json" "p-$pm"/*.safetensors | grep -vc ':0$')" = 0
    check "tiny-$pm: info the same" info_same "$M/tiny-$pm.json" "pb-$pm/m.json"
done

# ---- shipped models: safetensors + vocabulary file -> inline -> safetensors -------------
for name in spam sentiment; do
    mkdir -p "i-$name" "s-$name"
    src=$root/models/$name.json
    "$TEXTCLF" convert "$src" "i-$name/$name.json" 2> "i-$name.msg"
    check "$name: to inline" test $? -eq 0 -a "$(weights_form "i-$name/$name.json")" = inline
    check "$name: summary line" grep -qx "textclf: wrote i-$name/$name.json (weights inline, vocabulary in $name-[0-9a-f]*.vocab.txt)" "i-$name.msg"
    "$TEXTCLF" convert -q "i-$name/$name.json" "s-$name/$name.json"
    out "$src" "$name-0"; out "i-$name/$name.json" "$name-i"; out "s-$name/$name.json" "$name-s"
    check "$name: identical output (inline)" cmp -s "$name-0.out" "$name-i.out"
    check "$name: identical output (back to safetensors)" cmp -s "$name-0.out" "$name-s.out"
    wf=$(sed -n 's/^"weights_file": "\(.*\)",$/\1/p' "$src")
    check "$name: back to safetensors: the shipped weights file, name and bytes" \
        cmp -s "$root/models/$wf" "s-$name/$wf"
    vf=$(sed -n 's/^"vocab": {"file": "\(.*\)"},$/\1/p' "$src")
    check "$name: the shipped vocabulary file's bytes" cmp -s "$root/models/$vf" "s-$name"/*.vocab.txt
    check "$name: the same JSON but for the vocabulary file's name" cmp -s \
        <(sed 's/"vocab": {"file": "[^"]*"}/V/' "$src") <(sed 's/"vocab": {"file": "[^"]*"}/V/' "s-$name/$name.json")
    check "$name: metadata kept" test "$(metadata "$src")" = "$(metadata "i-$name/$name.json")"
done

# ---- shipped models quantised: I8 -> F32 (dequantised) -> I8 -------------------------------
for name in spam sentiment; do
    mkdir -p "q-$name"
    src=$root/models/$name.json
    "$TEXTCLF" quantize -q "$src" "q-$name/q.json"
    "$TEXTCLF" convert -q --dtype F32 --safetensors "q-$name/q.json" "q-$name/f.json"
    "$TEXTCLF" quantize -q "q-$name/f.json" "q-$name/r.json"
    out "q-$name/q.json" "$name-q"; out "q-$name/f.json" "$name-f"
    check "$name: quantised: the output changes (the weights are rounded)" \
        test "$(cmp -s "$name-0.out" "$name-q.out"; echo $?)" = 1
    check "$name: quantised -> F32: identical output (the values q * scale exactly)" \
        cmp -s "$name-q.out" "$name-f.out"
    check "$name: quantised -> F32 -> quantised: the same int8 weights file" \
        cmp -s "q-$name"/q-*.safetensors "q-$name"/r-*.safetensors
    check "$name: quantised: the same info (labels, sizes, tokenizer settings)" \
        info_same "$src" "q-$name/q.json"
    check "$name: quantised: metadata kept" test "$(metadata "$src")" = "$(metadata "q-$name/q.json")"
    check "$name: quantised: the vocabulary file's bytes" cmp -s "s-$name"/*.vocab.txt \
        "q-$name"/q-*.vocab.txt
done

# ---- a model converted onto itself; companion files -----------------------------------------
mkdir self
cp "$M/tiny-st.json" "$M/tiny-st.safetensors" self/
"$TEXTCLF" convert -q self/tiny-st.json self/tiny-st.json
check "onto itself: inline now" test "$(weights_form self/tiny-st.json)" = inline
check "onto itself: a weights file not named by the writer (tiny-st.safetensors) is left alone" \
    test -f self/tiny-st.safetensors
out self/tiny-st.json self1
check "onto itself: identical output" cmp -s orig.out self1.out
"$TEXTCLF" convert -q self/tiny-st.json self/tiny-st.json
w1=$(ls self/tiny-st-*.safetensors 2>/dev/null)
check "onto itself: back to safetensors (tiny-st-HASH.safetensors)" test -n "$w1" -a "$(weights_form self/tiny-st.json)" = file
"$TEXTCLF" convert -q --safetensors --vocab=file self/tiny-st.json self/tiny-st.json
check "onto itself: same weights, same weights file kept" test "$(ls self/tiny-st-*.safetensors)" = "$w1"
v1=$(ls self/tiny-st-*.vocab.txt 2>/dev/null)
"$TEXTCLF" convert -q --inline --vocab=inline self/tiny-st.json self/tiny-st.json
check "onto itself: the replaced model's own weights and vocabulary files removed" \
    test -n "$v1" -a ! -e "$w1" -a ! -e "$v1"
out self/tiny-st.json self2
check "onto itself: identical output at the end" cmp -s orig.out self2.out
check "onto itself: no temporary file left" test -z "$(ls self | grep tmp)"

# ---- errors ---------------------------------------------------------------------------------
for bad in st-nan shape-transposed truncated vocab-file-duplicate; do
    "$TEXTCLF" -m "$M/bad/$bad.json" < /dev/null > /dev/null 2> "classify-$bad.err"
    "$TEXTCLF" convert "$M/bad/$bad.json" "bad-$bad.json" > "convert-$bad.out" 2> "convert-$bad.err"
    st=$?
    check "bad model $bad: exit 3, the loader's message, nothing written" test $st -eq 3 -a \
        ! -s "convert-$bad.out" -a ! -e "bad-$bad.json" -a \
        "$(cat "convert-$bad.err")" = "$(cat "classify-$bad.err")"
done
mkdir -p outdir/d.json
"$TEXTCLF" convert --safetensors "$M/tiny.json" outdir/d.json 2> dir.err
st=$?
check "OUT is a directory: exit 5, one message" test $st -eq 5 -a "$(wc -l < dir.err)" -eq 1
check "OUT is a directory: no weights file left behind" test -z "$(ls outdir | grep -v '^d.json$')"
"$TEXTCLF" convert "$M/tiny.json" no/such/dir/m.json 2> nodir.err
check "OUT in a missing directory: exit 5" test $? -eq 5 -a -n "$(grep 'cannot write model' nodir.err)"
"$TEXTCLF" convert "$M/tiny.json" 2> usage.err
check "one operand: usage error, exit 2" test $? -eq 2

# symbolic links planted at the temporary names the writer used until issue 18
# (<file>.tmp.<pid>; the pid is known because textclf is started stopped) are never followed:
# their targets stay as they were (the weights file's name is the hash of the weights: known)
mkdir sym
printf 'victim one\n' > sym/v1.txt && printf 'victim two\n' > sym/v2.txt
cp sym/v1.txt v1.orig && cp sym/v2.txt v2.orig
bash -c 'kill -STOP $$; exec "$@"' sh "$TEXTCLF" convert -q --safetensors "$M/tiny.json" sym/c.json &
pid=$!
for i in $(seq 200); do [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2> /dev/null)" = T ] && break; sleep 0.02; done
ln -s v1.txt "sym/c.json.tmp.$pid" && ln -s v2.txt "sym/c-0225853af9fe797b.safetensors.tmp.$pid"
kill -CONT $pid; wait $pid
check "planted links at the temporary names: exit 0, their targets untouched" \
    test $? -eq 0 -a -f sym/c-0225853af9fe797b.safetensors -a -f sym/c.json -a -L "sym/c.json.tmp.$pid"
check "planted links: targets untouched" cmp -s sym/v1.txt v1.orig
check "planted links: targets untouched (weights)" cmp -s sym/v2.txt v2.orig
out sym/c.json sym
check "planted links: the model written is whole" cmp -s orig.out sym.out

# ---- importing PyTorch and Keras models -------------------------------------------------------
if ! /usr/bin/python3 -c 'import torch, numpy' 2> /dev/null; then
    ko "import tools: PyTorch is not available to /usr/bin/python3 (apt-get install python3-torch)"
else
    /usr/bin/python3 "$here/check_import.py" "$TEXTCLF" "$W/import" > import.log 2>&1
    st=$?
    sed 's/^/import: /' import.log
    line=$(tail -n 1 import.log)
    case $line in
        *" passed, "*" failed")
            p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
            pass=$((pass + p)); fail=$((fail + f))
            [ $st -ne 0 ] && [ "$f" -eq 0 ] && ko "check_import.py exited $st" ;;
        *) ko "check_import.py printed no result line (exit $st)" ;;
    esac
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
