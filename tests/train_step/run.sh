#!/usr/bin/env bash
# Training steps in C against PyTorch: same initial weights, same batch, same optimiser settings
# => same loss, gradients and updated weights (tolerances: tests/train_step/torch_step.py).
#
# Usage: bash tests/train_step/run.sh STEP_BINARY      (STEP_BINARY: build/train_step)
#
# torch_step.py gen writes the cases (random models in several configurations, their batches and
# PyTorch's results) into a temporary directory; STEP_BINARY runs each case in C; torch_step.py
# compare prints one PASS/FAIL line per case with the worst differences, plus a self-test (wrong
# C results must be rejected). Ends with `N passed, N failed`; exits 1 on any failure, including
# when PyTorch is not installed (Debian: apt-get install python3-torch python3-numpy).
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 STEP_BINARY" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
STEP=$1
case $STEP in /*) ;; *) STEP=$PWD/$STEP ;; esac
PY=${PYTHON:-/usr/bin/python3}
export OPENBLAS_NUM_THREADS=1

finish() {   # finish PASS FAIL
    echo "$1 passed, $2 failed"
    [ "$2" -eq 0 ]
    exit $?
}

if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
    echo "FAIL train_step: PyTorch is not available to $PY" \
        "(install python3-torch and python3-numpy); cannot compare training steps"
    finish 0 1
fi
if [ ! -x "$STEP" ]; then
    echo "FAIL train_step: $STEP is not an executable (make build/train_step)"
    finish 0 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "$PY" "$HERE/torch_step.py" gen "$work" >"$work/gen.log" 2>&1; then
    cat "$work/gen.log"
    echo "FAIL train_step: torch_step.py gen failed"
    finish 0 1
fi

pass=0 fail=0
ran=()
while read -r name; do
    d=$work/$name
    if "$STEP" "$d/model.json" "$d/batch.json" "$d/c.json" >"$d/step.log" 2>&1; then
        ran+=("$name")
    else
        echo "FAIL $name: $STEP exited with status $?"
        sed 's/^/    /' "$d/step.log"
        fail=$((fail + 1))
    fi
done <"$work/cases.txt"

if [ ${#ran[@]} -gt 0 ]; then
    "$PY" "$HERE/torch_step.py" compare "$work" "${ran[@]}" >"$work/compare.log" 2>&1
    rc=$?
    grep -v '^compare: ' "$work/compare.log"
    p=$(grep -c '^PASS ' "$work/compare.log")
    f=$(grep -c '^FAIL ' "$work/compare.log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL train_step: torch_step.py compare exited with status $rc"
        f=1
    fi
    pass=$((pass + p))
    fail=$((fail + f))
fi
finish "$pass" "$fail"
