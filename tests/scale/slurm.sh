#!/usr/bin/env bash
# A Slurm job array, one task per shard of the input (examples/classify-shards.sbatch), gives,
# once the shards' results are put together in shard order, byte for byte what one textclf
# process gives (docs/scaling.md, "Slurm").
#
# The cluster: one machine, started here and stopped at the end whatever happens: munged with
# its own key and socket, slurmctld and slurmd (Debian's slurm-wlm) with their own config,
# state, spool and TCP ports on 127.0.0.1, everything under a temporary directory. No systemd
# and no cgroups (proctrack/linuxproc, task/none, no accounting). The daemons run in their own
# PID namespace, so stopping it (killing its first process) ends every daemon, slurmstepd and
# job at once. The tasks read and write the files in place: the shared file system a Slurm
# cluster has anyway (here the machine's own).
#
# Checked: the cluster's one node comes up idle; `split -n l/8`, `sbatch --wait --array=0-7`
# and `cat out.*` as docs/scaling.md shows them, TSV and JSON Lines (--all -k 3, at most four
# tasks at once): identical output, eight array tasks completed; the concatenation as a job that
# depends on the array (afterok) instead of sbatch --wait; a shard whose input is missing, and
# one on which textclf fails after 499 results (--strict-utf8): its task fails, `sbatch --wait`
# exits non-zero, that shard has no result (not a partial one) while the others have theirs.
# Needs root, unshare, munge, slurm-wlm (slurmctld, slurmd and the client commands), coreutils'
# split; without them, or where the daemons do not start, prints "SKIP why".
# Usage: slurm.sh TEXTCLF     Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: slurm.sh TEXTCLF}")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
export LC_ALL=C
unset TEXTCLF_MODEL
pass=0 fail=0
JOB=$repo/examples/classify-shards.sbatch

[ "$(id -u)" -eq 0 ] || skip "slurm: needs root (slurmd starts jobs as their user)"
m=$(missing unshare munged mungekey munge slurmctld slurmd sbatch scontrol sinfo split ss timeout python3)
[ -z "$m" ] || skip "slurm: $m is not installed (Debian: munge slurm-wlm util-linux coreutils iproute2 python3)"

W=$(mktemp -d /tmp/textclf-scale.XXXXXX)
daemons=()
# Stops the cluster (each PID namespace's first process; the kernel ends the rest) and
# removes $W. Runs however the script ends.
cleanup() {
    local p t
    end_child
    for p in "${daemons[@]}"; do kill -KILL "$p" 2> /dev/null; done
    for p in "${daemons[@]}"; do
        for t in $(seq 1 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
    done
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
mkdir -p "$W/munge" "$W/slurm/state" "$W/slurm/spool" "$W/dist" "$W/job"

# --- the cluster --------------------------------------------------------------------------------
# In a PID namespace of its own: the process that stays ours to kill is unshare (--kill-child
# takes the namespace with it). Its first process is sh, waiting: it reaps what the daemon
# leaves (slurmd's slurmstepd, once detached), which the daemon as PID 1 would leave as zombies.
# Usage: in_pidns LOG CMD...
in_pidns() {
    local log=$1; shift
    unshare --pid --fork --kill-child --mount --propagation private --mount-proc \
        sh -c '"$@" & wait' sh "$@" > "$log" 2>&1 &
    daemons+=("$!")
    disown "$!"
}
mungekey --create --keyfile="$W/munge/key" 2> "$W/err" ||
    skip "slurm: mungekey could not make a key: $(head -n 1 "$W/err")"
# --force: the socket's directory is under /tmp, which others may write to (sticky)
in_pidns "$W/munge/log" munged --foreground --force --socket="$W/munge/sock" \
    --key-file="$W/munge/key" --pid-file="$W/munge/pid" --seed-file="$W/munge/seed"
for t in $(seq 1 50); do [ -S "$W/munge/sock" ] && break; sleep 0.1; done
munge -S "$W/munge/sock" -n > "$W/cred" 2> "$W/err" &&
    unmunge -S "$W/munge/sock" < "$W/cred" > /dev/null 2>> "$W/err" ||
    skip "slurm: munged did not start: $(tail -n 2 "$W/munge/log" "$W/err" | tr '\n' ' ')"

ctld_port=$(free_port 0) && slurmd_port=$(free_port 1) && [ "$ctld_port" != "$slurmd_port" ] ||
    skip "slurm: no free TCP ports for slurmctld and slurmd"
host=$(hostname -s)
export SLURM_CONF=$W/slurm/slurm.conf
cat > "$SLURM_CONF" << EOF
# a one-machine cluster for tests/scale/slurm.sh: no systemd, no cgroups, no accounting
ClusterName=textclf-scale
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$W/munge/sock
CredType=cred/munge
StateSaveLocation=$W/slurm/state
SlurmdSpoolDir=$W/slurm/spool
SlurmctldPidFile=$W/slurm/slurmctld.pid
SlurmdPidFile=$W/slurm/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
NodeName=tcnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=scale Nodes=tcnode Default=YES MaxTime=INFINITE State=UP
EOF
in_pidns "$W/slurm/slurmctld.log" slurmctld -D -i
in_pidns "$W/slurm/slurmd.log" slurmd -D -N tcnode
state=
for t in $(seq 1 60); do
    state=$(sinfo -h -n tcnode -o %T 2> /dev/null)
    [ "$state" = idle ] && break
    sleep 0.5
done
# (the daemons' errors, but those of every start: no PMIx library, no state saved yet)
why=$(grep -h -i -e fatal -e error "$W"/slurm/*.log |
      grep -v -e pmix -e 'MPI:' -e 'state file' -e 'NOTE:' | head -n 4 | tr '\n' ' ')
[ "$state" = idle ] || skip "slurm: the node did not come up (state '$state'): $why"
ok "a one-machine Slurm cluster is up: node tcnode idle, slurmctld on port $ctld_port"

# --- a job array over the shards -----------------------------------------------------------
cp "$repo"/models/spam.json "$repo"/models/spam-*.safetensors "$repo"/models/spam-*.vocab.txt "$W/dist/"
perl "$repo/tests/parallel/gen.pl" lines 100000 > "$W/big.txt"     # the last line without LF
"$TEXTCLF" -m "$W/dist/spam.json" < "$W/big.txt" > "$W/big.tsv" 2> /dev/null
"$TEXTCLF" -m "$W/dist/spam.json" -a -k 3 -f jsonl < "$W/big.txt" > "$W/big.jsonl" 2> /dev/null
[ "$(wc -l < "$W/big.tsv")" -eq 100000 ] && ok "one process: 100,000 results for 100,000 lines" ||
    ko "one process: $(wc -l < "$W/big.tsv") results for 100,000 lines"
cd "$W/job" || exit 1
cp "$TEXTCLF" "$W"/dist/* .        # as docs/scaling.md: ./textclf and the model where sbatch runs
mkdir shards
split -d -a 4 -n l/8 "$W/big.txt" shards/in.
# The array as docs/scaling.md runs it, the results put together in shard order in $W/job/all;
# the job id in $W/job/id (--parsable). Usage: run_array ARRAY TEXTCLF-OPTION...
run_array() {
    local array=$1; shift
    rm -f shards/out.* shards/tmp.*
    bg_wait timeout 300 sbatch --parsable --wait --array="$array" --output="$W/job/log-%A_%a" "$JOB" \
        shards ./textclf -q -m spam.json "$@" > "$W/job/id" &&
        cat shards/out.* > "$W/job/all"
}
# The count of the job's array tasks in state COMPLETED (scontrol keeps them for MinJobAge, 300 s)
completed() { scontrol -o show job "$1" | grep -c 'JobState=COMPLETED'; }

# TSV: the job as docs/scaling.md shows it
run_array 0-7 2> "$W/job/sbatch.err"; rc=$? id=$(cat "$W/job/id")
verdict "TSV: sbatch --wait --array=0-7 over 8 shards, then cat out.*" "$W/big.tsv" "$W/job/all" \
    "$rc" "$W/job/sbatch.err"
n=$(completed "$id" 2> /dev/null)
[ "$rc" -eq 0 ] && [ "$n" -eq 8 ] && ok "job $id: its 8 array tasks completed" ||
    ko "job '$id': $n array tasks completed, sbatch status $rc"
# JSON Lines, every label (--all -k 3), at most four tasks at once
run_array 0-7%4 -a -k 3 -f jsonl 2> "$W/job/sbatch.err"; rc=$?
verdict "JSON Lines --all -k 3: --array=0-7%4 (four tasks at once)" "$W/big.jsonl" "$W/job/all" \
    "$rc" "$W/job/sbatch.err"

# Without --wait: the concatenation as a job of its own that starts once every task of the array
# has succeeded (--dependency=afterok), as docs/scaling.md shows it for long jobs
rm -f shards/out.* "$W/job/all2"
jid=$(sbatch --parsable --array=0-7 --output="$W/job/log-%A_%a" "$JOB" \
          shards ./textclf -q -m spam.json 2> "$W/job/sbatch.err") &&
    bg_wait timeout 300 sbatch --parsable --wait --dependency=afterok:"$jid" --output="$W/job/log-cat" \
        --wrap "cat shards/out.* > '$W/job/all2'" > /dev/null 2>> "$W/job/sbatch.err"
verdict "without --wait: cat as a job with --dependency=afterok on the array" "$W/big.tsv" \
    "$W/job/all2" "$?" "$W/job/sbatch.err"
# A task that fails: shard 3's input is missing. Its task fails, sbatch --wait says so, and the
# shard has no result to be concatenated by mistake; the other seven have theirs.
mv shards/in.0003 "$W/in.0003"
run_array 0-7 2> "$W/job/sbatch.err"; rc=$? id=$(cat "$W/job/id")
outs=$(ls shards | grep -c '^out\.') tmps=$(ls shards | grep -c '^tmp\.')
if [ "$rc" -ne 0 ] && [ "$outs" -eq 7 ] && [ ! -e shards/out.0003 ] && [ "$tmps" -eq 0 ] &&
   grep -q 'in.0003' "$W/job/log-${id}_3"; then
    ok "a shard without input: sbatch --wait exits $rc, no out.0003, the 7 others written" \
       "($(grep -m 1 'in.0003' "$W/job/log-${id}_3"))"
else
    ko "a shard without input: sbatch status $rc, $outs out files, $tmps tmp files"
    sed 's/^/    /' "$W/job/sbatch.err" "$W/job/log-${id}_3" 2> /dev/null | head -n 5
fi
mv "$W/in.0003" shards/in.0003

# textclf failing mid-shard: --strict-utf8 with one invalid line in the middle of shard 3 (the
# lines that are not valid UTF-8 left out, by Python's strict decoder: glibc's iconv -c keeps
# F4 90 80 80, beyond U+10FFFF). Its task has written 499 results when textclf stops:
# they must not become out.0003, which cat would take for a whole shard.
mv shards shards.all && mkdir shards
python3 -c '
import sys
for line in sys.stdin.buffer:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        continue
    sys.stdout.buffer.write(line)' < "$W/big.txt" > "$W/valid.txt"
split -d -a 4 -n l/8 "$W/valid.txt" shards/in.
sed -i '500s/$/ \xff/' shards/in.0003
for f in shards/in.*; do
    "$TEXTCLF" -q --strict-utf8 -m spam.json < "$f" > "$W/want.${f##*.}" 2> /dev/null
    echo "$?"
done | sort | uniq -c | tr -s ' \n' '  ' > "$W/statuses"
run_array 0-7 --strict-utf8 2> "$W/job/sbatch.err"; rc=$? id=$(cat "$W/job/id")
n=0
for i in 0000 0001 0002 0004 0005 0006 0007; do cmp -s "$W/want.$i" "shards/out.$i" && n=$((n + 1)); done
if [ "$(cat "$W/statuses")" = " 7 0 1 4 " ] && [ "$rc" -eq 4 ] && [ ! -e shards/out.0003 ] &&
   [ ! -e shards/tmp.0003 ] && [ "$n" -eq 7 ] && grep -q 'invalid UTF-8' "$W/job/log-${id}_3"; then
    ok "textclf failing mid-shard (--strict-utf8): sbatch --wait exits 4, no out.0003 (its 499" \
       "results dropped with tmp.0003), the 7 others as textclf gives them"
else
    ko "textclf failing mid-shard: one process per shard: statuses (count status) $(cat "$W/statuses");" \
       "sbatch status $rc; out.0003: $(wc -l < shards/out.0003 2>&1); $n of 7 others as expected"
fi
rm -r shards && mv shards.all shards
cd / || exit 1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
