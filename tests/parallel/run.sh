#!/usr/bin/env bash
# GNU parallel splitting the input over several textclf processes gives, byte for byte, what one
# textclf process gives (docs/scaling.md). The input is generated (gen.pl, deterministic): 200,000
# lines in 22 languages with empty and blank lines, CRLF ends, invalid UTF-8, NUL and lone CR
# inside lines, lines of 1-125 kB, and a last line without a newline; NUL-separated records with
# newlines inside; 300 files. Checked:
#   - `parallel --pipe --keep-order` with --block 1M, 300k, 100k, 1k (smaller than some lines)
#     and -N 1000, -j 2, TSV and JSON Lines (also --all -k 3), and --pipe-part on a file;
#   - `-n` with the numbers made global again by awk (each chunk counts from 1), and ids kept
#     with their text by keyed.sh;
#   - CRLF input, and an input's end in every form (no newline, a CR, only a newline, nothing);
#   - `-z` with `--recend '\0'` (and, as a control, that without it records are cut apart);
#   - `-W` over files with `parallel -X` and `-n`;
#   - `--strict-utf8`, which is not the same per chunk: parallel must at least fail.
# Needs GNU parallel (Debian package `parallel`); without it the suite fails.
# Usage: run.sh TEXTCLF     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
here=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C
unset TEXTCLF_MODEL PARALLEL
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

if ! parallel --version 2> /dev/null | grep -q '^GNU parallel'; then
    echo "FAIL GNU parallel is not installed: this suite needs it (Debian: apt-get install parallel)"
    echo "0 passed, 1 failed"
    exit 1
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# GNU parallel keeps state in ~/.parallel and asks for a citation once: a fresh HOME, --will-cite,
# and --plain so that no ~/.parallel/config or $PARALLEL of the user changes the options.
export HOME=$W/home TMPDIR=$W
mkdir "$HOME"
par() { parallel --will-cite --plain "$@"; }

# Runs CMD (GNU parallel, mostly) with stdout in $W/got; fails the case NAME unless it exits 0
# and $W/got equals the file WANT byte for byte. Usage: same NAME WANT CMD... [< INPUT]
same() {
    local name=$1 want=$2; shift 2
    "$@" > "$W/got" 2> "$W/err"
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        ko "$name: exit status $rc"; sed -n '1,5s/^/    /p' "$W/err"
    elif cmp -s "$want" "$W/got"; then
        ok "$name"
    else
        ko "$name: output differs: $(cmp "$want" "$W/got" 2>&1 | head -n 1)"
        diff <(nl -ba "$want") <(nl -ba "$W/got") | head -n 6 | sed 's/^/    /'
    fi
}
# The global record number again in column 1 (TSV) or in "record" (JSON Lines) of `-n` output.
renumber_tsv() { awk 'BEGIN { FS = OFS = "\t" } { $1 = NR; print }'; }
renumber_jsonl() { awk '{ sub(/"record":[0-9]+/, "\"record\":" NR); print }'; }
# Runs CMD... into FILTER; returns CMD's exit status. Usage: piped FILTER CMD...
# (CMD's own output is kept in $W/raw.)
piped() { local filter=$1; shift; "$@" | tee "$W/raw" | "$filter"; return "${PIPESTATUS[0]}"; }

# --- lines ---------------------------------------------------------------------------------
perl "$here/gen.pl" lines 200000 > "$W/big.txt"
sed -n '50001,60000p' "$W/big.txt" > "$W/mid.txt"   # holds four lines over 100 kB
head -n 1000 "$W/big.txt" > "$W/small.txt"          # three lines over 1 kB
for f in big mid small; do "$TEXTCLF" < "$W/$f.txt" > "$W/$f.tsv" 2> /dev/null; done
for f in big mid; do "$TEXTCLF" -f jsonl < "$W/$f.txt" > "$W/$f.jsonl" 2> /dev/null; done
if [ "$(wc -l < "$W/big.tsv")" -eq 200000 ] &&
   [ "$(tail -c 1 "$W/big.txt" | od -An -c)" != '  \n' ]
then ok "one process: 200,000 results for 200,000 lines, the last one without a newline"
else ko "one process: $(wc -l < "$W/big.tsv") results for 200,000 lines"; fi

same "TSV, --pipe --block 1M -j 2" "$W/big.tsv" \
    par --pipe --keep-order --block 1M -j 2 "$TEXTCLF" < "$W/big.txt"
same "JSON Lines, --pipe --block 1M -j 2" "$W/big.jsonl" \
    par --pipe --keep-order --block 1M -j 2 "$TEXTCLF" -f jsonl < "$W/big.txt"
same "TSV, --block 100k, records longer than the block" "$W/mid.tsv" \
    par --pipe --keep-order --block 100k -j 2 "$TEXTCLF" < "$W/mid.txt"
same "TSV, --pipe-part -a FILE --block 200k" "$W/mid.tsv" \
    par --pipe-part -a "$W/mid.txt" --keep-order --block 200k -j 2 "$TEXTCLF"
same "JSON Lines, -N 1000 (records per job)" "$W/mid.jsonl" \
    par --pipe --keep-order -N 1000 -j 2 "$TEXTCLF" -f jsonl < "$W/mid.txt"
same "TSV, --block 1k (blocks grow past 1 kB lines)" "$W/small.tsv" \
    par --pipe --keep-order --block 1k -j 2 "$TEXTCLF" < "$W/small.txt"
"$TEXTCLF" -a -k 3 -f jsonl < "$W/mid.txt" > "$W/want" 2> /dev/null
same "JSON Lines with --all -k 3, --block 300k" "$W/want" \
    par --pipe --keep-order --block 300k -j 2 "$TEXTCLF" -a -k 3 -f jsonl < "$W/mid.txt"

# -n: each job numbers its own chunk from 1; awk puts the global number back
"$TEXTCLF" -n < "$W/mid.txt" > "$W/want" 2> /dev/null
same "TSV -n, renumbered with awk" "$W/want" \
    piped renumber_tsv par --pipe --keep-order --block 100k -j 2 "$TEXTCLF" -n < "$W/mid.txt"
# (and without awk the numbers do restart: the renumbering above is needed)
awk -F'\t' '$1 != NR { n++ } END { exit !n }' "$W/raw" &&
    ok "-n alone counts from 1 in every chunk" || ko "-n alone: expected chunk-relative numbers"
"$TEXTCLF" -n -t 0.9 < "$W/mid.txt" > "$W/want" 2> /dev/null
same "TSV -n -t 0.9 (some lines only a number), renumbered" "$W/want" \
    piped renumber_tsv par --pipe --keep-order --block 100k -j 2 "$TEXTCLF" -n -t 0.9 \
    < "$W/mid.txt"
"$TEXTCLF" -n -f jsonl < "$W/mid.txt" > "$W/want" 2> /dev/null
same "JSON Lines -n, renumbered with awk" "$W/want" \
    piped renumber_jsonl par --pipe --keep-order --block 100k -j 2 "$TEXTCLF" -n -f jsonl \
    < "$W/mid.txt"

# "id<TAB>text" lines through keyed.sh (the id travels with the text; docs/scaling.md)
seq 10000 | sed 's/^/doc-/' | paste - "$W/mid.txt" > "$W/keyed.txt"
seq 10000 | sed 's/^/doc-/' | paste - "$W/mid.tsv" > "$W/want"
same "id<TAB>text through keyed.sh, --block 100k" "$W/want" \
    par --pipe --keep-order --block 100k -j 2 sh "$here/keyed.sh" "$TEXTCLF" < "$W/keyed.txt"

# CRLF: the same lines with CRLF ends answer as with LF ends, split or not
sed 's/\r$//' "$W/mid.txt" > "$W/lf.txt"
sed 's/$/\r/' "$W/lf.txt" > "$W/crlf.txt"
"$TEXTCLF" -f jsonl < "$W/lf.txt" > "$W/lf.jsonl" 2> /dev/null
same "CRLF input, one process, as LF" "$W/lf.jsonl" "$TEXTCLF" -q -f jsonl "$W/crlf.txt"
same "CRLF input, --block 100k, as LF" "$W/lf.jsonl" \
    par --pipe --keep-order --block 100k -j 2 "$TEXTCLF" -f jsonl < "$W/crlf.txt"

# The end of the input, every form: each line its own job (-N 1)
n=0
for input in 'un chat\nthe end' 'un chat\r\nthe end\r' 'un chat\n\r' 'un chat\r\n' '\n' '\n\n' \
             'der Hund\nel perro\n' ''; do
    n=$((n + 1))
    printf "$input" > "$W/end$n.txt"
    "$TEXTCLF" -f jsonl < "$W/end$n.txt" > "$W/want"
    same "input end $n ($input), -N 1" "$W/want" \
        par --pipe --keep-order -N 1 "$TEXTCLF" -f jsonl < "$W/end$n.txt"
done

# --- NUL-terminated records (-z) -------------------------------------------------------------
perl "$here/gen.pl" nul 20000 > "$W/recs.bin"
head -z -n 1000 "$W/recs.bin" > "$W/recs-small.bin"
"$TEXTCLF" -z < "$W/recs.bin" > "$W/recs.tsv" 2> /dev/null
"$TEXTCLF" -z -f jsonl < "$W/recs-small.bin" > "$W/recs-small.jsonl" 2> /dev/null
[ "$(wc -l < "$W/recs.tsv")" -eq 20000 ] &&
    ok "-z, one process: 20,000 results for 20,000 records" ||
    ko "-z, one process: $(wc -l < "$W/recs.tsv") results for 20,000 records"
same "-z, --recend '\\0' --block 1M -j 2" "$W/recs.tsv" \
    par --pipe --recend '\0' --keep-order --block 1M -j 2 "$TEXTCLF" -z < "$W/recs.bin"
same "-z JSON Lines, --recend '\\0' --block 10k -j 2" "$W/recs-small.jsonl" \
    par --pipe --recend '\0' --keep-order --block 10k -j 2 "$TEXTCLF" -z -f jsonl \
    < "$W/recs-small.bin"
par --pipe --keep-order --block 10k -j 2 "$TEXTCLF" -z -f jsonl < "$W/recs-small.bin" \
    > "$W/got2" 2> /dev/null
if cmp -s "$W/recs-small.jsonl" "$W/got2"
then ko "control: -z without --recend '\\0' should cut records apart"
else ok "control: -z without --recend '\\0' cuts records at newlines (output differs)"; fi
n=0
for input in 'un chat\0the end' 'un chat\0the end\0' 'un chat\n\0\0' '\0'; do
    n=$((n + 1))
    printf "$input" > "$W/zend$n.bin"
    "$TEXTCLF" -z -f jsonl < "$W/zend$n.bin" > "$W/want"
    same "-z input end $n ($input), -N 1" "$W/want" \
        par --pipe --recend '\0' --keep-order -N 1 "$TEXTCLF" -z -f jsonl < "$W/zend$n.bin"
done

# --- whole files (-W) --------------------------------------------------------------------------
mkdir "$W/files"
perl "$here/gen.pl" files "$W/files" 300
cd "$W/files" || exit 1
"$TEXTCLF" -W -- * > "$W/files.tsv" 2> /dev/null
"$TEXTCLF" -W -f jsonl -- * > "$W/files.jsonl" 2> /dev/null
same "-W, parallel -X -j 2 (all files in two jobs)" "$W/files.tsv" \
    par --keep-order -X -j 2 "$TEXTCLF" -W -- ::: *
same "-W JSON Lines, parallel -n 40 -j 2 (40 files a job)" "$W/files.jsonl" \
    par --keep-order -n 40 -j 2 "$TEXTCLF" -W -f jsonl -- ::: *
cd / || exit 1

# --- --strict-utf8 stops the rest of *its* input: of one chunk, not of the whole stream ---------
"$TEXTCLF" --strict-utf8 < "$W/small.txt" > "$W/want" 2> /dev/null
rc1=$?
par --pipe --keep-order --block 10k "$TEXTCLF" --strict-utf8 < "$W/small.txt" \
    > "$W/got2" 2> /dev/null
rc2=$?
n1=$(wc -l < "$W/want") n2=$(wc -l < "$W/got2")
if [ "$rc1" -eq 4 ] && [ "$rc2" -ne 0 ] && [ "$n2" -gt "$n1" ]; then
    ok "--strict-utf8 stops each chunk: $n1 results (status 4) alone, $n2 under parallel ($rc2)"
else
    ko "--strict-utf8: one process: $n1 results, status $rc1; parallel: $n2 results, status $rc2"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
