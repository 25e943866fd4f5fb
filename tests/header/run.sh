#!/usr/bin/env bash
# The "Typical use" example of src/textclf.h, compiled from the header's own lines
# (tests/header/main.c, built by make as BUILD/header_example), run: it must print the label
# and probability textclf prints for the same text, the token count of textclf's JSON output,
# and for a missing model the message textclf gives (without the "textclf: ").
# Usage: run.sh TEXTCLF HEADER_EXAMPLE     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF HEADER_EXAMPLE}")
EXAMPLE=${2:?usage: run.sh TEXTCLF HEADER_EXAMPLE}
MODELS=$(cd "$(dirname "$0")/../models" && pwd)
pass=0 fail=0
check() {   # NAME GOT WANT
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "PASS $1"
    else fail=$((fail + 1)); echo "FAIL $1"; echo "    got:  $2"; echo "    want: $3"; fi
}
if [ ! -x "$EXAMPLE" ]; then
    echo "FAIL no $EXAMPLE: make builds it from src/textclf.h's example (tests/header/main.c)"
    echo "0 passed, 1 failed"
    exit 1
fi

for text in 'the cat is good' 'le chat est bon' '猫 你好' '' 'hello world and the dog is running'; do
    label=$(printf '%s\n' "$text" | "$TEXTCLF" -m "$MODELS/tiny.json")
    tokens=$(printf '%s\n' "$text" | "$TEXTCLF" -m "$MODELS/tiny.json" -f jsonl |
             sed 's/.*"tokens":\([0-9]*\).*/\1/')
    got=$("$EXAMPLE" "$MODELS/tiny.json" "$text" 2>&1; echo "exit $?")
    check "example on '$text'" "$got" "$(printf '%s\t%s tokens\nexit 0' "$label" "$tokens")"
done
# a model that abstains and withholds fr: the most probable label it may answer, then
# "abstains" where textclf prints its abstention (und, an empty field, that label)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's|^  "labels":|  "abstain": {"label": "und", "min_probability": 0.9, "max_unknown": 0.5, "letterless": true, "withheld": ["fr"]},\n  "labels":|' \
    "$MODELS/tiny.json" > "$tmp/wh.json"
abstained=0
for text in 'hello world' '12345 !!' 'le chat'; do
    line=$(printf '%s\n' "$text" | "$TEXTCLF" -m "$tmp/wh.json")
    tokens=$(printf '%s\n' "$text" | "$TEXTCLF" -m "$tmp/wh.json" -f jsonl |
             sed 's/.*"tokens":\([0-9]*\).*/\1/')
    case $line in
    und$'\t\t'*) want=$(printf '%s\t%s tokens\tabstains\nexit 0' "${line#und$'\t\t'}" "$tokens")
                 abstained=$((abstained + 1)) ;;
    *) want=$(printf '%s\t%s tokens\nexit 0' "$line" "$tokens") ;;
    esac
    got=$("$EXAMPLE" "$tmp/wh.json" "$text" 2>&1; echo "exit $?")
    check "example (abstain rule, fr withheld) on '$text'" "$got" "$want"
done
check "textclf abstained on two of the three" "$abstained" 2

want=$("$TEXTCLF" -m "$MODELS/nosuch.json" < /dev/null 2>&1)
got=$("$EXAMPLE" "$MODELS/nosuch.json" hello 2>&1; echo "exit $?")
check "example with a missing model" "$got" "$(printf '%s\nexit 1' "${want#textclf: }")"
want=$("$TEXTCLF" -m "$MODELS/bad/dim-zero.json" < /dev/null 2>&1)
got=$("$EXAMPLE" "$MODELS/bad/dim-zero.json" hello 2>&1; echo "exit $?")
check "example with a bad model" "$got" "$(printf '%s\nexit 1' "${want#textclf: }")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
