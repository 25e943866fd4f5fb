#!/usr/bin/env bash
# Inputs too large to commit as golden cases, generated here: a 200 MB line (truncated to the
# model's max_len tokens, so it must answer exactly as its first kilobyte does), 40 MB lines
# without a space (a ligature that normalises to 18 characters, one letter, combining marks, CJK)
# that must fit in 200 MB of address space (memory for the line, not for its normalised form),
# ten million empty lines (ten million results, in order, none dropped), and the same lines
# through -j 2.
# Usage: run.sh TEXTCLF     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
MODEL=$(cd "$(dirname "$0")/../models" && pwd)/tiny.json
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
check() {   # NAME GOT WANT
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "PASS $1"
    else fail=$((fail + 1)); echo "FAIL $1"; echo "    got:  $2"; echo "    want: $3"; fi
}

# one line of 200,000,000 bytes without a newline inside it
yes 'le chat dort hello world' | head -c 200000000 | tr -d '\n' > "$W/long.txt"
echo >> "$W/long.txt"
head -c 1000 "$W/long.txt" > "$W/head.txt"
echo >> "$W/head.txt"
got=$("$TEXTCLF" -m "$MODEL" -f jsonl "$W/long.txt" 2>&1; echo "exit $?")
want=$("$TEXTCLF" -m "$MODEL" -f jsonl "$W/head.txt" 2>&1; echo "exit $?")
check "a 200 MB line answers as its first kilobyte (both truncated)" "$got" "$want"
check "the 200 MB line is reported truncated" "$(grep -c '"truncated":true' <<< "$got")" 1

# 40 MB lines without a space, each under a 200 MB address-space limit: the tokenizer normalises
# a line in pieces of about 8 KB (src/tokenizer.c), so memory is the line's own, not 4 to 72 times
# it (its normalised form: 2.3 GB for 90 MB of U+FDFA before). Each answers as a short line of
# the same kind does (the same first tokens, or one [UNK] for one very long word). AddressSanitizer
# reserves terabytes of address space, so a sanitizer build skips the limit.
limit=200000
if nm "$TEXTCLF" 2>/dev/null | grep -q __asan_init; then limit=unlimited; fi
nospace() {   # NAME PERL-EXPRESSION-FOR-40-MB PERL-EXPRESSION-FOR-A-SHORT-LINE
    perl -CO -e "print $2, \"\n\"" > "$W/nospace.txt"
    perl -CO -e "print $3, \"\n\"" > "$W/short.txt"
    local got want
    got=$( (ulimit -v $limit; "$TEXTCLF" -m "$MODEL" -f jsonl "$W/nospace.txt" 2>&1); echo "exit $?")
    want=$("$TEXTCLF" -m "$MODEL" -f jsonl "$W/short.txt" 2>&1; echo "exit $?")
    check "$1: 40 MB in 200 MB of address space" "$got" "$want"
}
nospace "U+FDFA x 13.3 million" '"\x{fdfa}" x 13333333' '"\x{fdfa}" x 500'
nospace "a x 40 million (one word)" '"a" x 40000000' '"a" x 500'
nospace "a + 20 million combining marks (one word)" '"a", "\x{300}" x 20000000' '"a", "\x{300}" x 500'
nospace "CJK x 13.3 million" '"\x{65e5}\x{672c}\x{8a9e}" x 4444444' '"\x{65e5}\x{672c}\x{8a9e}" x 500'

# ten million empty lines: every one answered, numbered in order
summary() { "$TEXTCLF" -m "$MODEL" -n "$@" 2> "$W/err" | awk -F'\t' '
    $1 != NR { bad++ } { n = NR; c[$2 "\t" $3]++ }
    END { for (k in c) print c[k], k; print "records", n, "out of order", bad + 0 }'
    echo "exit ${PIPESTATUS[0]} stderr $(wc -c < "$W/err")"; }
want=$(printf '10000000 en\t0.629930\nrecords 10000000 out of order 0\nexit 0 stderr 0')
check "ten million empty lines: ten million results" "$(yes '' | head -n 10000000 | summary)" "$want"
check "ten million empty lines with -j 2" "$(yes '' | head -n 10000000 | summary -j 2)" "$want"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
