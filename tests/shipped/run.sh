#!/usr/bin/env bash
# The shipped models: each of models/{lang,spam,sentiment}.json loads and gives every
# unmistakable example of tests/shipped/NAME.txt (fastText format, written by hand, not taken
# from the training or test data) its label. The built-in default model must be models/lang.json:
# with no -m and no TEXTCLF_MODEL, from another working directory, textclf prints exactly what
# `-m models/lang.json` prints. Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
here=$(cd "$(dirname "$0")" && pwd)
models=$(cd "$here/../../models" && pwd)
unset TEXTCLF_MODEL
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

for name in lang spam sentiment; do
    model=$models/$name.json
    if ! "$TEXTCLF" info "$model" > /dev/null; then
        ko "$name: models/$name.json does not load"
        continue
    fi
    # one result per example, in order: label<TAB>probability
    got=$(sed 's/^__label__[^ ]* //' "$here/$name.txt" | "$TEXTCLF" -m "$model")
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        gold=${line%% *}; gold=${gold#__label__}; text=${line#* }
        res=$(sed -n "${n}p" <<< "$got")
        if [ "${res%%$'\t'*}" = "$gold" ]; then ok "$name: $gold: $text"
        else ko "$name: $gold: $text: got '$res'"; fi
    done < "$here/$name.txt"
done

# Known mistakes of models/lang.json (models/README.md, "Known mistakes"): everyday sentences
# the technical training text does not prepare it for. They are printed, not counted: when one
# of them becomes right, this says so, and it should move to lang.txt.
sed 's/^__label__[^ ]* //' "$here/lang-known-wrong.txt" | "$TEXTCLF" -m "$models/lang.json" |
    paste - "$here/lang-known-wrong.txt" | while IFS=$'\t' read -r label prob line; do
        gold=${line%% *}; gold=${gold#__label__}
        if [ "$label" = "$gold" ]; then echo "NOW RIGHT (move it to lang.txt): ${line#* }"
        else echo "KNOWN WRONG: ${line#* }: $label $prob (should be $gold)"; fi
    done

# the zero-flag default, from a directory without models/
texts=$(sed 's/^__label__[^ ]* //' "$here/lang.txt")
want=$("$TEXTCLF" -m "$models/lang.json" <<< "$texts")
got=$(cd / && "$TEXTCLF" <<< "$texts")
if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "built-in model = models/lang.json, from /"
else ko "built-in model differs from models/lang.json"; fi
got=$(cd / && TEXTCLF_MODEL= "$TEXTCLF" <<< "Le chat dort sur le canapé")
if [ "${got%%$'\t'*}" = fr ]; then ok "empty TEXTCLF_MODEL: built-in model says fr"
else ko "empty TEXTCLF_MODEL: got '$got'"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
