#!/usr/bin/env bash
# Runs every test suite against one build and prints the combined count as the last line:
#   N passed, N failed
# Usage: TEXTCLF=./textclf UNIT_TESTS=build/unit_tests TRAIN_STEP=build/train_step \
#        TOK_CHUNKS=build/tok_chunks PARITY_ABSTAIN=build/parity_abstain REPLAY_DIR=build [FAILALLOC=build/failalloc.so] bash tests/run.sh
# (FAILALLOC: the allocator of the out-of-memory test, by default REPLAY_DIR's; empty: skipped)
# Each suite ends with its own "N passed, N failed" line; a suite that ends without one, or
# exits non-zero with no failure counted, counts as one failure, and so does one that says
# "0 passed, 0 failed" without a line starting "SKIP " to say why it ran nothing (a suite
# that tested nothing must not pass).
set -u
cd "$(dirname "$0")/.."
TEXTCLF=$(realpath "${TEXTCLF:-./textclf}")
UNIT_TESTS=$(realpath "${UNIT_TESTS:-build/unit_tests}")
TRAIN_STEP=$(realpath "${TRAIN_STEP:-build/train_step}")
TOK_CHUNKS=$(realpath "${TOK_CHUNKS:-build/tok_chunks}")
PARITY_ABSTAIN=$(realpath "${PARITY_ABSTAIN:-build/parity_abstain}")
REPLAY_DIR=$(realpath "${REPLAY_DIR:-build}")
FAILALLOC=${FAILALLOC-$REPLAY_DIR/failalloc.so}
export LC_ALL=C OPENBLAS_NUM_THREADS=1
unset TEXTCLF_MODEL
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

total_pass=0 total_fail=0
run_suite() {
    local name=$1; shift
    echo "== $name"
    "$@" > "$work/$name.log" 2>&1
    local rc=$?
    cat "$work/$name.log"
    local last p f
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/$name.log" | tail -n 1)
    if [ -n "$last" ]; then
        p=${last%% passed*}
        f=${last#*passed, }; f=${f%% failed*}
    else
        p=0 f=1
        echo "suite $name printed no result line (exit status $rc)"
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "suite $name exited with status $rc"
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && ! grep -q '^SKIP ' "$work/$name.log"; then
        f=1
        echo "suite $name ran no test (and printed no SKIP line saying why)"
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

run_suite unit "$UNIT_TESTS"
run_suite golden bash tests/golden/run.sh "$TEXTCLF"
run_suite parity bash tests/parity/run.sh "$TEXTCLF" "$work/parity" "$PARITY_ABSTAIN"
run_suite tokenizer bash tests/tokenizer/run.sh "$TEXTCLF" "$work/tokenizer" "$TOK_CHUNKS"
run_suite bert bash tests/bert/run.sh "$TEXTCLF"
run_suite stream bash tests/stream/run.sh "$TEXTCLF"
run_suite stress bash tests/stress/run.sh "$TEXTCLF"
run_suite memory bash tests/memory/run.sh "$TEXTCLF"
run_suite signals bash tests/signals/run.sh "$TEXTCLF"
run_suite train_step bash tests/train_step/run.sh "$TRAIN_STEP"
run_suite train bash tests/train/run.sh "$TEXTCLF"
run_suite shipped bash tests/shipped/run.sh "$TEXTCLF"
run_suite install bash tests/install/run.sh "$TEXTCLF" "$REPLAY_DIR"
run_suite man bash tests/man/run.sh "$TEXTCLF"
run_suite convert bash tests/convert/run.sh "$TEXTCLF"
run_suite parallel bash tests/parallel/run.sh "$TEXTCLF"
run_suite fuzz_replay bash tests/fuzz/replay.sh "$REPLAY_DIR"
run_suite header bash tests/header/run.sh "$TEXTCLF" "$REPLAY_DIR/header_example"
run_suite oom bash tests/faults/oom.sh "$TEXTCLF" "$FAILALLOC"
run_suite data_scripts bash tests/data_scripts/run.sh
run_suite docs /usr/bin/python3 tools/bad_input_table.py --check
run_suite python bash tests/python/run.sh "$TEXTCLF" "$REPLAY_DIR"

echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
