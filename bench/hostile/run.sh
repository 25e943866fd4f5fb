#!/usr/bin/env bash
# Hostile lines: does the cost of one line stay in proportion to the line? For each kind of line
# (runs of combining marks in reverse canonical order, U+FDFA which NFKC turns into 18 characters,
# one letter repeated, CJK without spaces) at three sizes, each 10x the last: time, CPU, peak
# memory and, with valgrind, the instructions executed (exact and repeatable, unlike seconds).
# Linear cost means about 10x per step; the quadratic canonical ordering fixed in issue 18 gave
# 100x (a line of 80,000 marks took 22 s).
#
#   bench/hostile/run.sh [TEXTCLF] [MODEL]    (default ./textclf and its built-in model)
#
# Prints a table and, last, one line per kind: PASS when each step's instruction count (or, without
# valgrind, CPU time) grows less than 20x, else FAIL, and exits 1 if any kind failed. A measurement,
# not part of make test: docs/reliability.md ("Hostile lines") has a run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/textclf}")
model=${2:+-m $2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
have_valgrind=0
command -v valgrind > /dev/null && have_valgrind=1

# KIND -> a perl expression of N units
declare -A expr=(
    [marks]='"a", "\x{300}" x $n, "\x{316}" x $n'
    [fdfa]='"\x{fdfa}" x $n'
    [letter]='"a" x $n'
    [cjk]='"\x{65e5}\x{672c}\x{8a9e}" x $n'
)
declare -A sizes=([marks]="4000 40000 400000" [fdfa]="10000 100000 1000000"
                  [letter]="100000 1000000 10000000" [cjk]="10000 100000 1000000")
printf '%-7s %9s %10s %8s %8s %9s %15s\n' kind units bytes wall_s cpu_s peak_MB instructions
fails=0
for kind in marks fdfa letter cjk; do
    prev=; verdict=PASS
    for n in ${sizes[$kind]}; do
        perl -CO -e "\$n = $n; print ${expr[$kind]}, \"\\n\"" > "$work/line.txt"
        /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" $model "$work/line.txt" > /dev/null
        read -r wall user sys peak < "$work/time"
        cpu=$(echo "$user + $sys" | bc)
        ir=-
        if [ $have_valgrind = 1 ]; then
            valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$bin" $model "$work/line.txt" \
                > /dev/null 2> "$work/vg"
            ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/vg")
        fi
        printf '%-7s %9d %10d %8.2f %8.2f %9.1f %15s\n' "$kind" "$n" "$(wc -c < "$work/line.txt")" \
            "$wall" "$cpu" "$(echo "$peak / 1024" | bc -l)" "$ir"
        cur=$([ "$ir" = - ] && echo "$cpu" || echo "$ir")
        if [ -n "$prev" ] && [ "$(echo "$prev > 0 && $cur / $prev >= 20" | bc -l)" = 1 ]; then
            verdict=FAIL
        fi
        prev=$cur
    done
    summary+="$verdict $kind: each 10x longer line costs less than 20x more"$'\n'
    [ $verdict = PASS ] || fails=$((fails + 1))
done
printf '\n%s' "$summary"
[ $fails -eq 0 ]
