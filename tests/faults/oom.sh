#!/usr/bin/env bash
# Out of memory: walks every allocation site of model loading, classification, tokenisation,
# `textclf explain`, `textclf test` and `textclf train`, making that one allocation fail
# (tests/faults/failalloc.c, LD_PRELOAD), and checks that each failure is clean:
#   - the exit status is 1 (out of memory, also when opening or reading an input failed for
#     lack of it: `textclf: FILE: Cannot allocate memory`, docs/cli.md), never a signal
#   - stderr says so: every line starts with "textclf: ", and the lines that a normal run does
#     not print say "out of memory" or "Cannot allocate memory"
#   - stdout is a prefix of the normal run's: fewer results, never wrong ones
#   - no allocation made by textclf (or by libc, cJSON or utf8proc for it) is still live at exit
#   - train: the model it was to replace is byte-identical, and no temp or weights file is left
#     (also when the new model is the same as the old, weights file name included)
# A failure may also be absorbed (exit 0, every output byte-identical to the normal run's) but
# only at the sites listed in ABSORBED, where that is by design. Sites are numbered in the order
# a run first reaches them (one thread, so the order is fixed); the walk of a scenario ends at
# the first k past the last site, whose run must equal the normal one.
# Usage: oom.sh TEXTCLF FAILALLOC_SO     Ends with "N passed, N failed".
#        OOM_ONLY=STRING: only the scenarios whose name contains STRING.
set -u
TEXTCLF=$(realpath "${1:?usage: oom.sh TEXTCLF FAILALLOC_SO}")
SHIM=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C OPENBLAS_NUM_THREADS=1
unset TEXTCLF_MODEL

skip() { echo "SKIP out-of-memory walk: $1"; echo "0 passed, 0 failed"; exit 0; }
[ -n "$SHIM" ] || skip "no allocator shim given (FAILALLOC is empty, as in make sanitize-test)"
[ -f "$SHIM" ] || skip "no allocator shim $SHIM (make builds it as BUILD/failalloc.so)"
SHIM=$(realpath "$SHIM")
# a sanitizer's runtime replaces malloc itself: a second one cannot be preloaded
if ldd "$TEXTCLF" 2>/dev/null | grep -Eq 'lib(a|t|ub|l)san' ||
   nm "$TEXTCLF" 2>/dev/null | grep -Eq ' (__asan_init|__tsan_init|__msan_init)$'; then
    skip "$(basename "$TEXTCLF") is built with a sanitizer, whose allocator cannot be replaced"
fi

# Sites where a failed allocation is absorbed by design, identified by the function (of textclf,
# or of libc) that makes the allocation: the result is the same, only slower.
#   rows_init            infer.c: the optional table of precomputed projections; without it each
#                        row is computed when needed
#   tc_table_alloc       hugemem.c: the same table's memory when it is 2 MiB or more (the
#                        built-in model's), taken aligned for huge pages
#   tc_ngram_acc_begin   ngram.c: a session's cache of pieces' mean n-gram vectors and their
#                        projections; without it every piece's are made
#   _IO_file_doallocate  libc: a stdio buffer; without one the stream is unbuffered
ABSORBED=" rows_init tc_table_alloc tc_ngram_acc_begin _IO_file_doallocate "

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cp -r "$HERE/../models" "$W/models"   # a copy: the walk reads them hundreds of times
cd "$W"
MODELS=$W/models

# ---- inputs --------------------------------------------------------------------------------
{
    printf 'the cat is good\n'
    printf 'le chat est bon et le chien\n'
    printf '\xff\xfe not UTF-8 \xc3\n'                  # invalid UTF-8: a warning
    printf '\n'                                          # an empty document
    for i in $(seq 300); do printf 'hello world and the dog is running '; done   # a long line
    printf '\n猫 你好 中文\n'
} > in.txt
{
    printf '__label__en the cat is good\n'
    printf '__label__fr le chat est bon\n'
    printf '__label__zh 猫 你好\n'
    printf '__label__de der Hund\n'                      # a label the model does not know
    printf 'no label here\n'                             # skipped
    printf '__label__en hello world\n'
} > labelled.txt
# training data: three classes of made-up words, 20 lines each
awk 'BEGIN {
    split("tak mir volo seni dranu kepo", a); split("fjorn skel brak thorv gund hald", b)
    split("chi lo pai mun sha ren", c); x = 7
    for (i = 0; i < 20; i++) for (l = 1; l <= 3; l++) {
        line = "__label__" substr("abc", l, 1)
        for (j = 0; j < 4; j++) {
            x = (x * 69069 + 1) % 4294967296; r = 1 + int(x / 65536) % 6
            line = line " " (l == 1 ? a[r] : l == 2 ? b[r] : c[r])
        }
        print line
    }
}' > train.txt
head -n 9 train.txt > valid.txt
TRAIN_OPTS="--dim 8 --heads 2 --hidden 8 --max-len 16 --vocab-size 40 --epochs 2 --threads 1 -q"
mkdir old
"$TEXTCLF" train -i train.txt -o old/m.json $TRAIN_OPTS --seed 9 2> /dev/null ||
    { echo "FAIL cannot train the old model"; echo "0 passed, 1 failed"; exit 1; }
"$TEXTCLF" train -i train.txt -o old/inline.json $TRAIN_OPTS --seed 9 --inline 2> /dev/null
# the very model the walk trains (training is deterministic): its weights file has the same name
"$TEXTCLF" train -i train.txt -o old/same.json $TRAIN_OPTS 2> /dev/null

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/    /'; }

# ---- one run -------------------------------------------------------------------------------
# (bash builtins where they do: a walk is a few hundred runs)

# run K ARGS...: textclf with site K failing (0: none), stdin from $STDIN, writing into out/
# (a fresh copy of old/ when $check_files is set). Sets rc, got_out, got_err, and r_* from the
# shim's report (r_sites, r_injected, r_site: the site made to fail, r_live, r_live_sites).
run() {
    local k=$1; shift
    [ -z "$check_files" ] || { rm -rf out && cp -r old out; }
    rm -f report.txt
    FAILALLOC_SITE=$k FAILALLOC_REPORT=$W/report.txt LD_PRELOAD=$SHIM \
        "$TEXTCLF" "$@" < "$STDIN" > out.txt 2> err.txt
    rc=$?
    got_out= got_err=
    IFS= read -r -d '' got_out < out.txt
    IFS= read -r -d '' got_err < err.txt
    r_sites= r_injected= r_site= r_live= r_live_sites=
    [ -s report.txt ] || return 0
    local key rest
    while read -r key rest; do
        case $key in
            sites) r_sites=$rest ;;
            injected) r_injected=$rest ;;
            injected_site) r_site=$rest ;;
            live) r_live=$rest ;;
            live_site) r_live_sites+=$rest$'\n' ;;
            site) break ;;   # the list of every site follows
        esac
    done < report.txt
}

# "function at file:line" of the program address at hex offset $1 (a return address)
where() {
    addr2line -f -s -i -e "$TEXTCLF" "$(printf '0x%x' $(($1 - 1)))" 2>/dev/null |
        paste -sd ' ' | sed 's/ / at /'
}

# "site N: where it allocates [called from where in textclf]" from a report's site line:
# N module+0xOFFSET SYMBOL caller_offset 0xOFFSET calls COUNT
describe_site() {
    set -- $1
    if [ "${2%%+*}" = program ]; then echo "site $1: $(where "${2#program+}")"
    else echo "site $1: $3 in ${2%%+*}, called from $(where "$5")"; fi
}

# The function that makes the allocation of a report's site line (for ABSORBED).
site_function() {
    set -- $1
    if [ "${2%%+*}" = program ]; then
        addr2line -f -s -e "$TEXTCLF" "$(printf '0x%x' $((${2#program+} - 1)))" | head -n 1
    else echo "$3"; fi
}

# The files a train run leaves in out/, with their checksums.
snapshot() { [ -z "$check_files" ] || (cd out && cksum -- *); }

# Whether the run just made equals the normal run, byte for byte.
same_as_normal() {
    [ "$rc" = "$normal_rc" ] && [[ $got_out == "$normal_out" && $got_err == "$normal_err" ]] &&
        [ "$(snapshot)" = "$normal_files" ]
}

# Checks the run just made; returns 0 when it is clean, else 1 with the reasons in $problem.
# Counts clean failures in $failed and absorbed ones in $absorbed.
check_run() {
    problem=
    if [ -z "$r_sites" ]; then problem="no report: exit status $rc (crashed?)"; return 1; fi
    if [ "$rc" -ge 128 ]; then problem="killed by signal $((rc - 128))"; return 1; fi
    if [ "$r_live" != 0 ]; then
        problem="$r_live allocations still live at exit, among them"$'\n'
        problem+=$(echo -n "$r_live_sites" | sort | uniq -c | sort -rn | head -n 5 |
                   while read -r count line; do echo "$count from $(describe_site "$line")"; done)
        return 1
    fi
    if [ "$r_injected" != 1 ]; then
        same_as_normal && return 0
        problem="nothing failed, yet the run differs from the normal one"
        return 1
    fi
    if same_as_normal; then
        local fn; fn=$(site_function "$r_site")
        case "$ABSORBED" in *" $fn "*)
            absorbed=$((absorbed + 1))
            case " $absorbed_in " in *" $fn "*) ;; *) absorbed_in+=" $fn" ;; esac
            return 0 ;;
        esac
        problem="the failure went unnoticed: exit 0 and the normal output"
        return 1
    fi
    case $rc in
        1) ;;
        4) [ -n "$input_status" ] && [[ $got_err == *"Cannot allocate memory"* ]] ||
               problem+="exit status 4 (want 1; 4 only for an input of classify or tokenize); " ;;
        *) problem+="exit status $rc (want 1, or 4 for an input that could not be read); " ;;
    esac
    [ -n "$got_err" ] || problem+="nothing on stderr; "
    local line said=0
    [ -n "$got_err" ] && while IFS= read -r line; do
        [[ $line == "textclf: "* ]] || { problem+="a stderr line without 'textclf: '; "; break; }
        [[ $'\n'$normal_err == *$'\n'"$line"$'\n'* ]] && continue   # also in a normal run
        if [[ $line == *"out of memory"* || $line == *"Cannot allocate memory"* ]]; then said=1
        else problem+="stderr says something else than out of memory; "; break; fi
    done <<< "${got_err%$'\n'}"
    [ "$said" = 1 ] || problem+="stderr does not say out of memory; "
    if [ "$rc" = 1 ]; then
        [[ $normal_out == "$got_out"* ]] || problem+="stdout is not a prefix of the normal output; "
    elif diff normal.out out.txt | grep -q '^>'; then   # 4: the other inputs were still read
        problem+="stdout has lines that the normal output does not have; "
    fi
    if [ -n "$check_files" ] && ! diff -r old out > /dev/null; then
        problem+="the old model was changed or files were left: $(ls out | paste -sd ' '); "
    fi
    [ -z "$problem" ] && { failed=$((failed + 1)); return 0; }
    problem=${problem%; }
    return 1
}

# walk NAME ARGS...: the normal run, then every site in turn.
walk() {
    local name=$1; shift
    [[ $name == *${OOM_ONLY:-}* ]] || return 0   # OOM_ONLY=train: only the walks named so
    run 0 "$@"
    cp out.txt normal.out
    normal_rc=$rc normal_out=$got_out normal_err=$got_err normal_files=$(snapshot)
    local sites=$r_sites
    if [ -z "$sites" ] || [ "$r_live" != 0 ]; then
        bad "$name: the normal run (exit $rc) leaks or has no report" \
            "$(cat err.txt; grep '^live' report.txt 2>/dev/null | head -n 10)"
        return
    fi
    absorbed=0 absorbed_in="" failed=0
    local k=1
    while :; do
        run "$k" "$@"
        if ! check_run; then
            bad "$name: with site $k of $sites failing" \
                "$([ -n "$r_site" ] && describe_site "$r_site"; echo "$problem"
                   echo "exit status $rc; stderr:"; head -n 5 err.txt)"
            return
        fi
        [ "$r_injected" = 1 ] || break
        k=$((k + 1))
    done
    if [ $((k - 1)) -ne "$sites" ]; then
        bad "$name: the walk ended after $((k - 1)) sites, the normal run has $sites"
        return
    fi
    ok "$name: $sites allocation sites, $failed clean failures," \
       "$absorbed absorbed${absorbed_in:+ (in$absorbed_in)}"
}

# Scenarios. input_status: exit status 4 is accepted (an input that could not be read for lack
# of memory; no scenario accepts it now: out of memory ends every command with status 1);
# check_files: the run replaces a model in out/ (a fresh copy of old/ each time).
STDIN=/dev/null check_files="" input_status=""
# (a) classification, and (e) tokenisation
walk "classify" -m "$MODELS/tiny.json" in.txt
STDIN=in.txt walk "classify -f jsonl --all (stdin)" -m "$MODELS/tiny.json" -f jsonl --all -n -j 1
walk "classify -W, two files" -m "$MODELS/tiny.json" -W in.txt labelled.txt
# two threads: which worker first reaches a site may change the order of the last few sites
# (the workers' first documents), never their set, so the walk still covers each of them
walk "classify -j 2" -m "$MODELS/tiny.json" -j 2 in.txt
walk "tokenize" tokenize -m "$MODELS/tiny.json" in.txt
# (f) textclf explain (which also loads OpenBLAS, for the attention weights)
walk "explain" explain -m "$MODELS/tiny.json" in.txt
STDIN=in.txt walk "explain -f json (stdin)" explain -f json -m "$MODELS/tiny.json"
# (g) a model with character n-grams: their rows grow with the documents (ngram.c)
walk "classify, n-grams" -m "$MODELS/tiny-ngram.json" in.txt
walk "explain, n-grams" explain -m "$MODELS/tiny-ngram.json" in.txt
# (h) an abstain rule with withheld labels (loaded through a map of the labels, model_load.c)
sed 's|^  "labels":|  "abstain": {"label": "und", "min_probability": 0.3, "withheld": ["zh", "en"]},\n  "labels":|' \
    "$MODELS/tiny.json" > "$MODELS/tiny-withheld.json"
walk "classify, withheld labels" -m "$MODELS/tiny-withheld.json" -k 2 in.txt
STDIN=/dev/null
# (b) the other forms of model
walk "load: safetensors weights" -m "$MODELS/tiny-st.json" in.txt
walk "load: vocabulary file" -m "$MODELS/tiny-vocabfile.json" in.txt
walk "load: the built-in model" in.txt
walk "info" info "$MODELS/tiny-st.json"
# (c) textclf test
walk "test" test -m "$MODELS/tiny.json" labelled.txt
walk "test -f json -k 2" test -f json -k 2 "$MODELS/tiny.json" labelled.txt
# (d) training, over an existing model: an older one, and the very one the run trains
check_files=1
walk "train" train -i train.txt -o out/m.json $TRAIN_OPTS
walk "train --inline --valid --log" train -i train.txt -o out/inline.json $TRAIN_OPTS --inline \
    --valid valid.txt --log log.jsonl
walk "train over the same model" train -i train.txt -o out/same.json $TRAIN_OPTS

# Validate before allocating: no corrupted model (tests/models/bad, each a few KB; some declare
# sizes of tens of GB) gets textclf to ask for more than 1 MiB at once before it is refused.
biggest=0 worst="" refused=0
for model in "$MODELS"/bad/*.json; do
    LD_PRELOAD=$SHIM FAILALLOC_REPORT=$W/report "$TEXTCLF" -m "$model" < /dev/null > /dev/null 2>&1
    rc=$?
    [ $rc -eq 3 ] && refused=$((refused + 1))
    n=$(awk '$1 == "largest" { print $2 }' "$W/report")
    if [ "${n:-0}" -gt "$biggest" ]; then biggest=$n worst=$(basename "$model"); fi
done
total=$(ls "$MODELS"/bad/*.json | wc -l)
if [ "$refused" -eq "$total" ] && [ "$biggest" -le 1048576 ]; then
    ok "$total corrupted models refused; largest single allocation $biggest bytes ($worst)"
else
    bad "corrupted models: $refused of $total refused (exit 3); largest allocation $biggest bytes ($worst)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
