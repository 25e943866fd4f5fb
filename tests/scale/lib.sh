# Helpers shared by tests/scale/ssh.sh and tests/scale/slurm.sh (sourced, not run). ok and ko
# count a case and print it (their arguments joined by spaces).
# The sourcing script sets `pass=0 fail=0` and the work directory W before using `same`.

ok() { pass=$((pass + 1)); echo "PASS $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

# Prints "SKIP WHY" and the empty count, and exits 0: the environment cannot run this suite
# (tests/run.sh accepts "0 passed, 0 failed" only after a line starting "SKIP ").
skip() { echo "SKIP $1"; echo "0 passed, 0 failed"; exit 0; }

# Fails the case NAME unless the status RC is 0 and the file GOT equals the file WANT byte for
# byte; on failure shows the first lines of ERR (a stderr file). Usage: verdict NAME WANT GOT RC ERR
verdict() {
    local name=$1 want=$2 got=$3 rc=$4 err=$5
    if [ "$rc" -ne 0 ]; then
        ko "$name: exit status $rc"; sed -n '1,5s/^/    /p' "$err"
    elif cmp -s "$want" "$got"; then
        ok "$name"
    else
        ko "$name: output differs: $(cmp "$want" "$got" 2>&1 | head -n 1)"
        diff <(nl -ba "$want") <(nl -ba "$got") | head -n 6 | sed 's/^/    /'
    fi
}

# Runs CMD in the background (its standard input kept: 0<&0) and waits for it, returning its
# status. bash runs a trap only once the foreground command has ended; waiting this way, a TERM
# or INT sent to the script stops it at once, and the script's cleanup can end CMD ($child).
# Usage: bg_wait CMD...
child=
bg_wait() {
    "$@" 0<&0 &
    child=$!
    wait "$child"
    local rc=$?
    child=
    return "$rc"
}

# Ends the command bg_wait is waiting for, if any (for the scripts' cleanup): TERM twice (GNU
# parallel stops starting jobs at the first, kills its jobs at the second), KILL after 5 s.
end_child() {
    local t
    [ -n "$child" ] || return 0
    kill -TERM "$child" 2> /dev/null
    sleep 0.2
    kill -TERM "$child" 2> /dev/null
    for t in $(seq 1 50); do kill -0 "$child" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2> /dev/null
    wait "$child" 2> /dev/null
    child=
}

# Runs CMD with stdout in $W/got and stderr in $W/err, then `verdict NAME WANT $W/got`.
# Usage: same NAME WANT CMD... [< INPUT]
same() {
    local name=$1 want=$2; shift 2
    bg_wait "$@" > "$W/got" 2> "$W/err"
    verdict "$name" "$want" "$W/got" "$?" "$W/err"
}

# Prints the first of the programs named that is not on PATH (nothing when all are).
missing() {
    local p
    for p in "$@"; do
        command -v "$p" > /dev/null 2>&1 || { echo "$p"; return; }
    done
}

# Prints a TCP port on 127.0.0.1 that nothing listens on, from a range that depends on the
# process id (two runs at once draw different ports), trying 50 before giving up (status 1).
free_port() {
    local base=$(( 20000 + ($$ * 7 + ${1:-0} * 131) % 30000 )) i p
    for i in $(seq 0 49); do
        p=$((base + i))
        ss -Htln "sport = :$p" 2> /dev/null | grep -q . || { echo "$p"; return 0; }
    done
    return 1
}
