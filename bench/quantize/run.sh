#!/usr/bin/env bash
# textclf quantize on the shipped models (issue 22, item 2): size, accuracy and speed of each
# model before and after, as the table of docs/quantize.md.
#
#   bench/quantize/run.sh [DATA [WORKDIR]]
#
# DATA is the directory `make data` writes (default: data): the held-out test files of
# models/README.md (langid/test.txt and test-short.txt for lang.json, spam/test.txt,
# sentiment/test.txt, world/test.txt and test-short.txt for lang-world.json). For each model:
#   - OUT = `textclf quantize models/NAME.json WORKDIR/NAME.json`
#   - size on disk: JSON + weights file + vocabulary file, before and after
#   - accuracy: `textclf test -f json` on each test file, before and after (one run each: the
#     results are deterministic)
#   - speed: `textclf -j 1 -m MODEL TEXT` over the text of the first test file (labels cut,
#     at most 20,000 lines), RUNS runs of each (default 11) in turn A B A B ...; the CPU time
#     (user + sys) of each whole process, and the median of the ratios quantised/original pair by
#     pair, with an A/A pair (the original against itself) for the noise of the machine
# Prints a Markdown table; the quantised models stay in WORKDIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
TEXTCLF=${TEXTCLF:-$repo/textclf}
RUNS=${RUNS:-11}
PY=${PYTHON:-/usr/bin/python3}
[ $# -le 2 ] || { echo "usage: $0 [DATA [WORKDIR]]" >&2; exit 2; }
data=$(cd "${1:-$repo/data}" && pwd -P)
work=${2:-$(mktemp -d /tmp/textclf-quantize.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd -P)
[ -x "$TEXTCLF" ] || { echo "run.sh: $TEXTCLF not found: run make" >&2; exit 1; }

# bytes of a model on disk: its JSON and the weights and vocabulary files it names
model_bytes() {
    local j=$1 d w v
    d=$(dirname "$j")
    w=$(sed -n 's/.*"weights_file": *"\([^"]*\)".*/\1/p' "$j")
    v=$(sed -n 's/.*"vocab": *{ *"file": *"\([^"]*\)".*/\1/p' "$j")
    local n
    n=$(stat -c %s "$j")
    [ -z "$w" ] || n=$((n + $(stat -c %s "$d/$w")))
    [ -z "$v" ] || n=$((n + $(stat -c %s "$d/$v")))
    echo "$n"
}

# accuracy in % of `textclf test` (python reads its JSON)
accuracy() {
    "$TEXTCLF" test -q -f json -m "$1" "$2" |
        "$PY" -c 'import json, sys; print("%.2f" % (100 * json.load(sys.stdin)["accuracy"]))'
}

# cpu_ratio A B TEXT: the median CPU seconds of A and of B and the median of the ratios A/B
# over RUNS pairs run in turn (python's os.wait4 gives each process's own user + sys time)
cpu_ratio() {
    "$PY" - "$TEXTCLF" "$1" "$2" "$3" "$RUNS" <<'PYEOF'
import os, statistics, subprocess, sys
textclf, a, b, text, runs = sys.argv[1:5] + [int(sys.argv[5])]
def cpu(model):
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen([textclf, "-j", "1", "-m", model, text], stdout=null)
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"{textclf} -m {model} failed")
        return ru.ru_utime + ru.ru_stime
cpu(a), cpu(b)   # warm-up: the files in the page cache
ta, tb = [], []
for _ in range(runs):
    ta.append(cpu(a))
    tb.append(cpu(b))
print("%.3f %.3f %.3f" % (statistics.median(ta), statistics.median(tb),
                          statistics.median(x / y for x, y in zip(ta, tb))))
PYEOF
}

echo "| model | size before → after (bytes) | smaller | test file | accuracy % before → after | CPU s before → after | after / before (A/A) |"
echo "| --- | --- | ---: | --- | --- | --- | --- |"
for spec in "lang langid/test.txt langid/test-short.txt" "spam spam/test.txt" \
            "sentiment sentiment/test.txt" "lang-world world/test.txt world/test-short.txt"; do
    set -- $spec
    name=$1
    shift
    orig=$repo/models/$name.json
    out=$work/$name.json
    "$TEXTCLF" quantize -q "$orig" "$out"
    b0=$(model_bytes "$orig")
    b1=$(model_bytes "$out")
    awk 'NR > 20000 { exit } { sub(/^__label__[^ ]* /, ""); print }' "$data/$1" > "$work/$name.txt"
    read -r t1 t0 ratio < <(cpu_ratio "$out" "$orig" "$work/$name.txt")
    read -r _ _ aa < <(cpu_ratio "$orig" "$orig" "$work/$name.txt")
    first=1
    for f in "$@"; do
        a0=$(accuracy "$orig" "$data/$f")
        a1=$(accuracy "$out" "$data/$f")
        if ((first)); then
            echo "| $name | $b0 → $b1 | $(awk -v a="$b0" -v b="$b1" 'BEGIN{printf "%.2fx", a / b}') | $f | $a0 → $a1 | $t0 → $t1 | $ratio ($aa) |"
        else
            echo "| | | | $f | $a0 → $a1 | | |"
        fi
        first=0
    done
done
