#!/bin/bash
# Golden tests for the textclf command line (data-driven; see tests/golden/README.md).
#
#   tests/golden/run.sh TEXTCLF [NAME...]            run every case (or only the named ones)
#   tests/golden/run.sh TEXTCLF --update NAME...     (re)record the expected files of the named cases
#
# A case is a directory tests/golden/cases/NAME/ with
#   cmd      one bash command line, run from inside the case directory with
#            $TEXTCLF = absolute path of the binary, $MODELS = absolute path of tests/models,
#            $SCRATCH = an empty directory of its own (removed afterwards)
#   stdin    optional; fed to the command (otherwise stdin is /dev/null)
#   stdout, stderr   expected output, compared byte for byte
#   status   expected exit status of the command line
# Every case runs under LC_ALL=C and OPENBLAS_NUM_THREADS=1, without TEXTCLF_MODEL (unless the
# command sets it), with GOLDEN_CASE set to its name, with a 20-second limit (GOLDEN_TIMEOUT=SECONDS
# replaces it for a slow binary: make valgrind-test). Before comparing, occurrences of the absolute
# paths of tests/models and of the scratch directory in stdout and stderr are replaced by the
# literal strings $MODELS and $SCRATCH, so the expected files do not depend on where the tree is
# checked out.
#
# Prints "PASS name" or "FAIL name" (with a unified diff of what differed) per case, then one
# final line "N passed, N failed". Exits 1 if any case failed, 2 on bad usage.

set -u

usage() {
    echo "usage: $0 TEXTCLF [NAME...] | $0 TEXTCLF --update NAME..." >&2
    exit 2
}

[ $# -ge 1 ] || usage
bin=$1
shift
case $bin in
    /*) ;;
    *) bin=$PWD/$bin ;;
esac
[ -x "$bin" ] && [ -f "$bin" ] || { echo "$0: $bin: not an executable file" >&2; exit 2; }
limit=${GOLDEN_TIMEOUT:-20}
[[ $limit =~ ^[1-9][0-9]*$ ]] || { echo "$0: GOLDEN_TIMEOUT=$limit: not a number of seconds" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cases_dir=$here/cases
models=$(cd "$here/../models" && pwd)

update=0
if [ $# -ge 1 ] && [ "$1" = "--update" ]; then
    update=1
    shift
    [ $# -ge 1 ] || usage
fi

if [ $# -ge 1 ]; then
    names=("$@")
else
    names=()
    for d in "$cases_dir"/*/; do
        d=${d%/}
        names+=("${d##*/}")
    done
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/textclf-golden.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# sed pattern matching a string literally
sed_literal() {
    printf '%s' "$1" | sed 's/[][\\.*^$/]/\\&/g'
}
models_re=$(sed_literal "$models")
tmp_re=$(sed_literal "$tmp")

# run_case NAME OUTDIR: runs the case, leaving stdout, stderr and status in OUTDIR, then (unless
# --update) compares them with the expected files, leaving the differences in OUTDIR/report.
run_case() {
    local name=$1 out=$2 dir=$cases_dir/$1 input=/dev/null cmdline="" got want report=""
    local scratch=$out/scratch
    [ -f "$dir/stdin" ] && input=$dir/stdin
    IFS= read -r -d '' cmdline <"$dir/cmd"
    (
        cd "$dir" || exit 99
        unset TEXTCLF_MODEL
        export LC_ALL=C OPENBLAS_NUM_THREADS=1 TEXTCLF="$bin" MODELS="$models" SCRATCH="$scratch"
        export GOLDEN_CASE="$name"
        exec timeout -k 5 "$limit" bash -c "$cmdline"
    ) <"$input" >"$out/stdout" 2>"$out/stderr"
    got=$?
    echo "$got" >"$out/status"
    sed -i -e "s/$models_re/\$MODELS/g" -e "s/$tmp_re\/[0-9]*\/scratch/\$SCRATCH/g" \
        "$out/stdout" "$out/stderr"
    [ $update = 1 ] && return

    for f in stdout stderr; do
        if [ ! -f "$dir/$f" ]; then
            report+="  missing expected file $f (record it with --update)"$'\n'
        elif ! cmp -s "$dir/$f" "$out/$f"; then
            report+=$(diff -a -u --label "expected $f" --label "actual $f" "$dir/$f" "$out/$f")$'\n'
        fi
    done
    if [ ! -f "$dir/status" ]; then
        report+="  missing expected file status (record it with --update)"$'\n'
    else
        want=""
        read -r want <"$dir/status"
        [ "$want" = "$got" ] || report+="  exit status: expected $want, got $got"$'\n'
    fi
    printf '%s' "$report" >"$out/report"
}

# Phase 1: run the cases, a few at a time, each with its own output directory tmp/N.
n=${#names[@]}
dirs=()
for ((i = 1; i <= n; i++)); do dirs+=("$tmp/$i/scratch"); done
[ $n -gt 0 ] && mkdir -p "${dirs[@]}"
jobs_max=$(( $(nproc 2>/dev/null || echo 2) * 2 ))
running=0
i=0
for name in "${names[@]}"; do
    i=$((i + 1))
    [ -f "$cases_dir/$name/cmd" ] || continue
    run_case "$name" "$tmp/$i" &
    running=$((running + 1))
    if [ $running -ge $jobs_max ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

# Phase 2: report (or record), in order.
passed=0
failed=0
i=0
for name in "${names[@]}"; do
    i=$((i + 1))
    dir=$cases_dir/$name
    out=$tmp/$i
    if [ ! -f "$dir/cmd" ]; then
        echo "FAIL $name"
        echo "  no such case: $dir/cmd is missing"
        failed=$((failed + 1))
        continue
    fi
    if [ $update = 1 ]; then
        cp "$out/stdout" "$out/stderr" "$out/status" "$dir/"
        read -r got <"$out/status"
        echo "UPDATED $name (status $got)"
        continue
    fi
    if [ ! -s "$out/report" ]; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        cat "$out/report"
        failed=$((failed + 1))
    fi
done

if [ $update = 1 ]; then
    [ $failed = 0 ]
    exit
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
