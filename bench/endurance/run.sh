#!/usr/bin/env bash
# Endurance: classify SIZE_MB (default 1024) of text in one stream and check that memory stays
# flat, the speed does not fall off over time, and the output is byte-identical to classifying
# the same text in pieces of 100,000 lines (one process per piece, `split --filter`).
#
#   bench/endurance/run.sh [TEXTCLF] [SIZE_MB]        (TEXTCLF default ./textclf, -j 2)
#
# The text is generated on the fly, never stored: the shipped models' test sentences, each line
# made unique by its number and a varying slice of the others (gen.awk). While the stream runs,
# the process's resident memory (VmRSS) and the bytes it has read (/proc/PID/io rchar) are
# sampled every 5 seconds; the report prints them with the speed of each interval, and a summary:
# RSS at 10% of the input and at the end, peak RSS, the speed of the first and last tenth.
# A timing run: results vary with the machine and its load (docs/reliability.md has one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/textclf}")
size_mb=${2:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bytes=$((size_mb * 1024 * 1024))

gen() {
    cat "$root"/tests/shipped/{lang,spam,sentiment}.txt | sed 's/^__label__[^ ]* //; s/^[^\t]*\t//' |
        LC_ALL=C awk -v bytes="$bytes" -f "$here/gen.awk"
}

mkfifo "$work/fifo"
gen > "$work/fifo" &
"$bin" -j 2 "$work/fifo" 2> "$work/stream.err" | md5sum > "$work/stream.md5" &
sleep 0.2
pid=$(pgrep -n -f "^$bin -j 2 $work/fifo") || { echo "textclf did not start" >&2; exit 1; }
start=$(date +%s.%N)
printf '%8s %10s %10s %10s %10s\n' seconds "MB read" "RSS MiB" "MB/s" "MB/CPU-s"
prev_t=$start prev_b=0 prev_c=0
hz=$(getconf CLK_TCK)
: > "$work/samples"
while kill -0 "$pid" 2> /dev/null; do
    sleep 5
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2> /dev/null) || break
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2> /dev/null) || break
    b=$(awk '/^rchar/ { print $2 }' "/proc/$pid/io" 2> /dev/null) || break
    c=$(awk -v hz="$hz" '{ print ($14 + $15) / hz }' "/proc/$pid/stat" 2> /dev/null) || break
    [ -n "$rss" ] && [ -n "$b" ] && [ -n "$c" ] || break
    t=$(date +%s.%N)
    awk -v t="$t" -v s="$start" -v b="$b" -v r="$rss" -v c="$c" -v pt="$prev_t" -v pb="$prev_b" \
        -v pc="$prev_c" 'BEGIN { printf "%8.0f %10.0f %10.1f %10.1f %10.1f\n", t - s, b / 1e6,
        r / 1024, (b - pb) / 1e6 / (t - pt), (c > pc ? (b - pb) / 1e6 / (c - pc) : 0) }'
    echo "$t $b $rss $hwm $c" >> "$work/samples"
    prev_t=$t prev_b=$b prev_c=$c
done
wait
end=$(date +%s.%N)
[ ! -s "$work/stream.err" ] || { echo "stderr of the stream run:"; cat "$work/stream.err"; }

gen | split -l 100000 --filter="\"$bin\" -j 2" | md5sum > "$work/pieces.md5"
awk -v s="$start" -v e="$end" -v total="$bytes" '
    { t[NR] = $1; b[NR] = $2; r[NR] = $3; c[NR] = $5; if ($4 > hwm) hwm = $4 }
    END {
        for (i = 1; i <= NR && b[i] < total / 10; i++) ;
        r10 = r[i]
        for (j = 2; j <= NR; j++) {
            speed[j] = (b[j] - b[j-1]) / 1e6 / (t[j] - t[j-1])
            cpu[j] = (b[j] - b[j-1]) / 1e6 / (c[j] - c[j-1])
        }
        n = int((NR - 1) / 10); if (n < 1) n = 1
        for (j = 2; j < 2 + n; j++) { first += speed[j]; cfirst += cpu[j] }
        for (j = NR - n; j < NR; j++) { last += speed[j]; clast += cpu[j] }   # the last is partial
        printf "\n%d MB in %.0f s (%.1f MB/s)\n", total / 1e6, e - s, total / 1e6 / (e - s)
        printf "RSS at 10%% of the input %.1f MiB, at the last sample %.1f MiB, peak %.1f MiB\n",
            r10 / 1024, r[NR] / 1024, hwm / 1024
        printf "speed of the first tenth of samples %.1f MB/s (%.1f MB/CPU-s), of the last tenth %.1f MB/s (%.1f MB/CPU-s)\n",
            first / n, cfirst / n, last / n, clast / n
    }' "$work/samples"
if cmp -s "$work/stream.md5" "$work/pieces.md5"; then
    echo "output: identical to classifying the text in pieces of 100,000 lines ($(cut -c1-12 "$work/stream.md5"))"
else
    echo "output: DIFFERS from classifying the text in pieces"; exit 1
fi
