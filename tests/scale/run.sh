#!/usr/bin/env bash
# Scale-out on real engines (docs/scaling.md): GNU parallel over sshd hosts made as network
# namespaces (ssh.sh), and a Slurm job array on a one-machine cluster (slurm.sh). Too slow for
# `make test` (2-4 minutes on 2 shared cores); run by `make test-scale`. Each part prints its own
# count, or a line starting "SKIP " saying why it could not run here; this prints the sum last.
# Usage: run.sh TEXTCLF     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
here=$(cd "$(dirname "$0")" && pwd)
total_pass=0 total_fail=0
for part in ssh slurm; do
    echo "== $part"
    log=$(bash "$here/$part.sh" "$TEXTCLF" 2>&1)
    rc=$?
    printf '%s\n' "$log"
    last=$(printf '%s\n' "$log" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -n "$last" ]; then
        p=${last%% passed*} f=${last#*passed, }; f=${f%% failed*}
    else
        p=0 f=1; echo "$part printed no result line (exit status $rc)"
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$part exited with status $rc"; fi
    total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
