#!/usr/bin/env bash
# tests/fuzz/replay.sh DIR - replays each fuzz harness's seed corpus and regression inputs with
# DIR/replay_NAME (built by make test for every build: plain, ASan+UBSan, ...). One test per
# harness (one per directory of tests/fuzz/corpus), which fails if the harness fails or has no
# input to replay (an empty corpus would otherwise pass); prints "N passed, N failed".
set -u
dir=$1
pass=0 fail=0
for corpus in tests/fuzz/corpus/*/; do
    name=$(basename "$corpus")
    inputs=(tests/fuzz/corpus/"$name")
    [ -d tests/fuzz/regressions/"$name" ] && inputs+=(tests/fuzz/regressions/"$name")
    out=$("$dir"/replay_"$name" "${inputs[@]}" 2>&1)
    rc=$?
    count=$(printf '%s\n' "$out" | sed -n 's/^\([0-9][0-9]*\) inputs$/\1/p' | tail -n 1)
    if [ $rc -eq 0 ] && [ "${count:-0}" -gt 0 ]; then
        echo "PASS replay $name: $out"
        pass=$((pass + 1))
    else
        echo "FAIL replay $name:"
        echo "$out" | tail -n 20
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
