#!/usr/bin/env bash
# The multi-threaded code under ThreadSanitizer (make tsan-test): the unit tests, the golden
# cases that use -j, the streaming test, and classify and embed with -j 4 against one thread on
# 20,000 generated lines.
# TSAN_OPTIONS=halt_on_error=1 makes a race end the program with status 66, which fails the step.
# Usage: tests/tsan.sh TEXTCLF UNIT_TESTS     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: tsan.sh TEXTCLF UNIT_TESTS}")
UNIT=$(realpath "${2:?usage: tsan.sh TEXTCLF UNIT_TESTS}")
cd "$(dirname "$0")/.."
pass=0 fail=0
step() {
    local name=$1; shift
    if out=$("$@" 2>&1); then pass=$((pass + 1)); echo "PASS $name"
    else fail=$((fail + 1)); echo "FAIL $name"; echo "$out" | tail -30 | sed 's/^/    /'; fi
}
step "unit tests" "$UNIT"
step "golden -j cases" bash tests/golden/run.sh "$TEXTCLF" cli-threads-same-output cli-threads-strict \
    embed-threads-same-output embed-threads-strict
step "stream" bash tests/stream/run.sh "$TEXTCLF"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
seq 20000 | awk '{ print "line " $1 " le chat dort sur le canapé, the cat sleeps, кошка спит" }' > "$W/in.txt"
step "-j 4 = -j 1 on 20,000 lines" bash -c '"$1" -a -j 4 "$2" > "$3/four" && "$1" -a "$2" > "$3/one" && cmp "$3/one" "$3/four"' \
    _ "$TEXTCLF" "$W/in.txt" "$W"
step "embed -j 4 = -j 1 on 20,000 lines" bash -c '"$1" embed -j 4 "$2" > "$3/four" && "$1" embed "$2" > "$3/one" && cmp "$3/one" "$3/four"' \
    _ "$TEXTCLF" "$W/in.txt" "$W"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
