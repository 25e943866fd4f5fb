#!/usr/bin/env bash
# The CLI golden tests (tests/golden/) with every run of the program under valgrind's memcheck
# (make valgrind-test): besides its expected output, a case must show no memory error and no
# definite, indirect or possible leak.
#
#   tests/valgrind/run.sh TEXTCLF [NAME...]      every golden case, or only the named ones
#
# The cases' $TEXTCLF is a wrapper, written into a temporary directory, that execs
#   valgrind --tool=memcheck --error-exitcode=99 --leak-check=full ... --log-file=LOG TEXTCLF ARGS
# with one log per process (LOG = logs/CASE.PID.log, CASE from the golden runner's GOLDEN_CASE),
# so that valgrind's report never mixes with the stderr a case compares, and the exit status is
# the program's own unless memcheck found something (99). A case passes if the golden runner
# passed it and every log of it ends with "ERROR SUMMARY: 0 errors" (leaks count as errors): this
# also catches a leak in a command whose exit status the case's command line ignores. A failing
# case is followed by the valgrind report of each process that failed it.
#
# Nothing is suppressed: a "possible" leak fails like the others. (OpenBLAS, which training
# opens, leaves none, even with several threads; if a version ever does, suppress exactly that,
# in a file passed with --suppressions, rather than the leak kind.) Memory still reachable at exit
# is not a leak: a process killed by SIGPIPE (cli-pipe-head) ends with its buffers still reachable.
#
# GOLDEN_TIMEOUT (seconds per case) is 600 unless set: memcheck runs the program 20-50 times slower.
# VALGRIND_KEEP=1 keeps the logs and says where. Ends with "N passed, N failed"; exits 1 if any
# case failed, 2 on bad usage.
set -u
bin=$(realpath "${1:?usage: tests/valgrind/run.sh TEXTCLF [NAME...]}") || exit 2
shift
cd "$(dirname "$0")/../.." || exit 2
command -v valgrind >/dev/null || { echo "$0: valgrind is not installed" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/textclf-valgrind.XXXXXX") || exit 2
trap 'if [ -n "${VALGRIND_KEEP:-}" ]; then echo "logs kept in $work/logs"; else rm -rf "$work"; fi' EXIT
mkdir "$work/logs" "$work/bin"
# a case may run the program as another user (text-unreadable-file, under root: user nobody)
chmod 755 "$work" "$work/bin" && chmod 1777 "$work/logs"

# The wrapper: every path in it absolute, so that it works from any directory a case changes to.
wrapper=$work/bin/textclf
cat >"$wrapper" <<EOF
#!/bin/sh
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \\
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \\
    --log-file="$work/logs/\${GOLDEN_CASE:-unknown}.%p.log" '$bin' "\$@"
EOF
chmod +x "$wrapper"

GOLDEN_TIMEOUT=${GOLDEN_TIMEOUT:-600} bash tests/golden/run.sh "$wrapper" "$@" >"$work/golden.out"
golden_rc=$?
[ "$golden_rc" -le 1 ] || { cat "$work/golden.out"; exit 2; }

# The logs of a case that report something (or end without a summary: valgrind itself was killed),
# each followed by its report minus valgrind's banner, at most 60 lines.
vg_report() {
    local log n
    for log in "$work/logs/$1".[0-9]*.log; do
        [ -e "$log" ] || continue
        n=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
        [ "$n" = 0 ] && continue
        if [ -n "$n" ]; then echo "  valgrind: $n errors in ${log##*/}:"
        else echo "  valgrind: no ERROR SUMMARY in ${log##*/} (valgrind was killed):"; fi
        sed -n '/^==[0-9]*== Command:/,$p' "$log" | head -n 60 | sed 's/^/    /'
    done
}

# The golden runner's report, with each case it passed that valgrind failed turned into a FAIL.
passed=0 failed=0 name="" report=""
while IFS= read -r line; do
    case $line in
        "PASS "*|"FAIL "*)
            name=${line#* }
            report=$(vg_report "$name")
            if [ "${line%% *}" = PASS ] && [ -z "$report" ]; then
                passed=$((passed + 1))
                echo "$line"
            else
                failed=$((failed + 1))
                echo "FAIL $name"
                [ -n "$report" ] && printf '%s\n' "$report"
            fi
            ;;
        [0-9]*" passed, "[0-9]*" failed") ;;
        *) echo "$line" ;;
    esac
done <"$work/golden.out"

# A log no case claims (GOLDEN_CASE unset: an older golden runner) is a failure of its own.
report=$(vg_report unknown)
[ -n "$report" ] && { failed=$((failed + 1)); echo "FAIL (a run outside any case)"; printf '%s\n' "$report"; }

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
