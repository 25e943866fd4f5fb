#!/usr/bin/env bash
# The shipped models: each of models/{lang,spam,sentiment}.json loads and gives every
# unmistakable example of tests/shipped/NAME.txt (fastText format, written by hand, not taken
# from the training or test data) its label; models/lang-world.json gives every hand-written line
# of lang.txt, lang-everyday.txt and lang-und.txt in a language it answers (or und) its label,
# but its known mistakes (below). The built-in default model must be models/lang.json:
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

# label_prob: textclf's TSV answers as LABEL<TAB>PROBABILITY. An abstention (`und<TAB><TAB>label
# <TAB>p`, docs/cli.md) becomes `und<TAB>-`: read with IFS=tab, its empty field would vanish.
label_prob() { awk -F '\t' -v OFS='\t' '{ print $1, ($2 == "" ? "-" : $2) }'; }

# known_wrong MODEL FILE: the known mistakes of MODEL (models/README.md, "Known mistakes"),
# everyday sentences its technical training text does not prepare it for. They are printed, not
# counted: when one of them becomes right, this says so, and it should leave FILE.
known_wrong() {
    sed 's/^__label__[^ ]* //' "$2" | "$TEXTCLF" -m "$1" |
        label_prob | paste - "$2" | while IFS=$'\t' read -r label prob line; do
            gold=${line%% *}; gold=${gold#__label__}
            if [ "$label" = "$gold" ]; then echo "NOW RIGHT (take it out of $(basename "$2")): ${line#* }"
            else echo "KNOWN WRONG: ${line#* }: $label $prob (should be $gold)"; fi
        done
}

# known_labels MODEL: sets $und (MODEL's abstain label, empty without an abstain rule) and
# $known: " und l1 l2 ... ", the labels MODEL answers (its labels but those its abstain rule
# withholds) and its abstain label
known_labels() {
    local info withheld l
    info=$("$TEXTCLF" info --format json "$1")
    und=$(sed -n 's/.*"abstain":{"label":"\([^"]*\)".*/\1/p' <<< "$info")
    withheld=" $(sed -n 's/.*"withheld":\[\([^]]*\)\].*/\1/p' <<< "$info" | tr -d '"' | tr ',' ' ') "
    known=" $und "
    for l in $(sed -n 's/.*"labels":\[\([^]]*\)\].*/\1/p' <<< "$info" | tr -d '"' | tr ',' ' '); do
        case $withheld in *" $l "*) ;; *) known="$known$l " ;; esac
    done
}

# everyday MODEL COUNT FILE...: the lines of the FILEs on MODEL. With COUNT=count, each line
# whose label MODEL answers (or und) must get it (PASS/FAIL), except the lines of SKIP (a file,
# or empty); with COUNT=report they are only reported (EVERYDAY WRONG, and a summary). Lines
# in languages MODEL does not answer are reported: how many, and how many of them it calls und.
everyday() {
    local model=$1 count=$2 skip=$3 name
    shift 3
    name=$(basename "$model")
    known_labels "$model"
    local rows
    rows=$(cat "$@" | { if [ -n "$skip" ]; then grep -vxF -f "$skip"; else cat; fi; })
    sed 's/^__label__[^ ]* //' <<< "$rows" | "$TEXTCLF" -m "$model" |
        label_prob | paste - <(cat <<< "$rows") | {
            right=0 known_n=0 other=0 other_und=0
            while IFS=$'\t' read -r label prob line; do
                gold=${line%% *}; gold=${gold#__label__}
                case $known in
                *" $gold "*)
                    known_n=$((known_n + 1))
                    if [ "$label" = "$gold" ]; then
                        right=$((right + 1))
                        [ "$count" = count ] && echo "PASS $name: $gold: ${line#* }"
                    elif [ "$count" = count ]; then
                        echo "FAIL $name: $gold: ${line#* }: got '$label $prob'"
                    else echo "EVERYDAY WRONG: ${line#* }: $label $prob (should be $gold)"; fi ;;
                *)
                    other=$((other + 1))
                    [ "$label" = "$und" ] && other_und=$((other_und + 1)) ;;
                esac
            done
            echo "EVERYDAY $name: $right of $known_n right on the labels the model answers;" \
                "$other in labels it does not answer${und:+, $other_und of them answered $und}"
        }
}

known_wrong "$models/lang.json" "$here/lang-known-wrong.txt"

# Everyday text for the 100-language identifier of issue 20, written by hand before that model:
# lang-everyday.txt (104 languages, greetings and everyday sentences, close pairs such as
# ru/uk/bg, hr/bs/sr-Latn, da/nb/nn/sv, and zh-Hans/zh-Hant told apart by script-only characters)
# and lang-und.txt (no language: digits, URLs, emoji, punctuation, scripts such a model would
# not know). On the 24-language default they are reported, not counted.
for list in lang-everyday lang-und; do
    everyday "$models/lang.json" report "" "$here/$list.txt"
done

# models/lang-world.json, the 78-language identifier with und (issue 20; opt-in, not the
# default: models/README.md): every hand-written line above whose label it answers, or und,
# must get it, except its known mistakes (lang-world-known-wrong.txt).
if "$TEXTCLF" info "$models/lang-world.json" > /dev/null; then
    known_wrong "$models/lang-world.json" "$here/lang-world-known-wrong.txt"
    out=$(everyday "$models/lang-world.json" count "$here/lang-world-known-wrong.txt" \
        "$here/lang.txt" "$here/lang-everyday.txt" "$here/lang-und.txt")
    printf '%s\n' "$out"
    pass=$((pass + $(grep -c '^PASS' <<< "$out")))
    fail=$((fail + $(grep -c '^FAIL' <<< "$out")))
else
    ko "lang-world: models/lang-world.json does not load"
fi

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
