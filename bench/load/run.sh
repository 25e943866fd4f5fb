#!/usr/bin/env bash
# Model loading: start-up time and peak memory of `echo hi | textclf -m MODEL` (load the model,
# classify one line, exit) for the shipped models/lang.json (4.7 MB of weights in a safetensors
# file), a generated model with 104 MB of weights (V = 100,000, d = 256), the same model with F16
# weights (52 MB; `textclf convert --dtype F16`: its embedding stays F16 in memory), the same
# model quantised (27 MB; `textclf quantize`: its embedding stays int8 in memory) and the same
# kind of model written inline, a 48 MB JSON (V = 37,000, d = 96; `textclf convert --inline`).
#
#   bench/load/run.sh [TEXTCLF...]       (default ./textclf; several: measured in turn, run by run)
#   RUNS=N (default 20)
#
# Per model and program: the median, min and max over RUNS runs of the elapsed time (bash's
# EPOCHREALTIME around the whole pipeline), of the CPU time and of the peak resident memory
# (GNU time's %U + %S and %M; its CPU times have a 10 ms resolution, so the CPU column is only
# meaningful for the large models). Needs /usr/bin/python3 with numpy (gen_model.py) and GNU time.
# A timing run: nothing passes or fails; numbers move with the machine and its load
# (docs/reliability.md quotes one run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${RUNS:-20}
bins=()
for b in "${@:-$root/textclf}"; do bins+=("$(realpath "$b")"); done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 "$here/gen_model.py" "$work/st104.json" 100000 256
/usr/bin/python3 "$here/gen_model.py" "$work/m48.json" 37000 96
"${bins[0]}" convert -q --inline "$work/m48.json" "$work/inline48.json"
"${bins[0]}" convert -q --dtype F16 "$work/st104.json" "$work/f16-52.json"
"${bins[0]}" quantize -q "$work/st104.json" "$work/i8-27.json"

# median min max of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

printf '%-22s %-28s %-26s %-26s %s\n' model program "elapsed ms (min-max)" "cpu ms (min-max)" \
    "peak RSS MiB (min-max)"
for model in "$root/models/lang.json" "$work/st104.json" "$work/f16-52.json" "$work/i8-27.json" \
             "$work/inline48.json"; do
    # each program's numbers by its place on the command line (two programs may share a name)
    for n in "${!bins[@]}"; do : > "$work/w.$n"; : > "$work/t.$n"; done
    for ((i = 0; i < runs; i++)); do
        for n in "${!bins[@]}"; do
            b=${bins[$n]}
            t0=$EPOCHREALTIME
            echo hi | /usr/bin/time -f '%U %S %M' -o "$work/time" "$b" -m "$model" > /dev/null
            t1=$EPOCHREALTIME
            awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >> "$work/w.$n"
            awk '{ printf "%.0f %.1f\n", ($1 + $2) * 1000, $3 / 1024 }' "$work/time" >> "$work/t.$n"
        done
    done
    for n in "${!bins[@]}"; do
        b=${bins[$n]}
        read -r wm wl wh < <(stats < "$work/w.$n")
        read -r cm cl ch < <(cut -d' ' -f1 "$work/t.$n" | stats)
        read -r rm rl rh < <(cut -d' ' -f2 "$work/t.$n" | stats)
        printf '%-22s %-28s %-26s %-26s %s\n' "$(basename "$model")" "$b" "$wm ($wl-$wh)" \
            "$cm ($cl-$ch)" "$rm ($rl-$rh)"
    done
done
