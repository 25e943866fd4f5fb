#!/usr/bin/env bash
# tools/data/langid_check.py on small hand-made splits: clean splits pass (status 0); a text
# shared by two files that must be disjoint fails (status 1) and is named, also when it differs
# only in case and punctuation; a text in both test.txt and test-short.txt (allowed by design)
# passes, and so does one in both valid.txt and valid-short.txt; a missing file is an error.
# Needs no downloaded data. Ends with "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
check=$here/../../tools/data/langid_check.py
work=$(mktemp -d /tmp/textclf-datascripts.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

# clean DIR: eight disjoint files
clean() {
    mkdir -p "$1"
    printf '__label__fr Le chat dort sur le canapé\n__label__de Die Katze schläft\n' > "$1/train.txt"
    printf '__label__fr Le chat\n' > "$1/train-short.txt"
    printf '__label__en The cat is asleep\n' > "$1/valid.txt"
    printf '__label__en The cat\n' > "$1/valid-short.txt"
    printf '__label__es El gato duerme en el sofá\n' > "$1/test.txt"
    printf '__label__es El gato duerme\n' > "$1/test-short.txt"
    printf '__label__it Il gatto dorme sul divano\n' > "$1/fresh.txt"
    printf '__label__it Il gatto dorme\n' > "$1/fresh-short.txt"
}

# expect NAME STATUS PATTERN DIR: runs the check on DIR
expect() {
    local name=$1 want=$2 pattern=$3 dir=$4 out rc
    out=$(/usr/bin/python3 "$check" "$dir" 2>&1)
    rc=$?
    if [ "$rc" -eq "$want" ] && grep -q -- "$pattern" <<< "$out"; then ok "$name"
    else ko "$name: status $rc (want $want), output: $out"; fi
}

clean "$work/a"
expect "clean splits pass" 0 "fresh-short 0 shared" "$work/a"

clean "$work/b"
printf '__label__fr LE CHAT dort, sur le canapé!\n' >> "$work/b/fresh.txt"
expect "a training text in fresh.txt (case and punctuation aside) fails" 1 \
    "train.txt and fresh.txt share a text" "$work/b"

clean "$work/c"
printf '__label__es El gato duerme en el sofá\n' >> "$work/c/fresh-short.txt"
expect "a test.txt text in fresh-short.txt fails" 1 "test.txt and fresh-short.txt share a text" "$work/c"

clean "$work/d"
printf '__label__es El gato duerme en el sofá\n' >> "$work/d/test-short.txt"
expect "a text in both test.txt and test-short.txt passes" 0 "fresh-short 0 shared" "$work/d"

clean "$work/e"
rm "$work/e/valid.txt"
expect "a missing file is an error" 1 "valid.txt is missing" "$work/e"

clean "$work/f"
printf '__label__fr le chat!\n' >> "$work/f/valid-short.txt"
expect "a train-short.txt text in valid-short.txt fails" 1 \
    "train-short.txt and valid-short.txt share a text" "$work/f"

clean "$work/g"
printf '__label__en The cat is asleep\n' >> "$work/g/valid-short.txt"
expect "a text in both valid.txt and valid-short.txt passes" 0 "valid-short fresh-short 0 shared" "$work/g"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
