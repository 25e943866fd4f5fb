#!/usr/bin/env bash
# Language identification: a textclf model against fastText peers on the same
# 24-label data (see README.md in this directory).
#
#   bench/langid/run.sh DATADIR TEXTCLF_MODEL.json [--out RESULTS.md] [--keep DIR] [--no-tune]
#
# DATADIR holds train.txt (and valid.txt for tuning) and the eval files, all
# in fastText format (`__label__LABEL text`, one document per line). fastText
# trains on train.txt plus train-short.txt when DATADIR has it (the shipped
# model trains on both: the same training split for every contender). Every eval
# file present among test.txt, test-short.txt, ood.txt, ood-short.txt,
# fresh.txt, fresh-short.txt is scored. Contenders:
#
#   textclf            TEXTCLF_MODEL.json (trained elsewhere), textclf_predict.sh
#   fasttext-default   fasttext_sup.sh DATADIR/train.txt (fastText 0.9.2
#                      defaults + -minn 1 -maxn 4, 2 threads), trained here
#   fasttext-tuned     the configuration with the best accuracy on valid.txt
#                      among fasttext-default and TUNE_GRID (skipped without
#                      valid.txt or with --no-tune)
#   lid176             fastText's published lid.176.ftz (lid176.sh), restricted
#                      to the 24 labels (predict_lid176.py); not trained on
#                      DATADIR/train.txt
#
# Prints the versions header, the commands, the tuning results and one
# Markdown table per eval file (eval.py); --out also writes all of it to
# RESULTS.md. Working files (models, predictions, logs) go to a new temp
# directory, removed at the end unless --keep DIR names where to keep them.
#
# Environment: THREADS (fastText training threads, default 2), TEXTCLF
# (default ./textclf of this checkout), LID176_DIR (where lid.176.ftz is kept
# or fetched; default WORKDIR/lid176), TUNE_GRID (";"-separated fastText
# option sets, default below; each is added to fasttext-default's options),
# FT_OPTS (extra fastText options for every training, e.g. "-bucket 100000"
# for a quick test; empty by default, and then not part of the results).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
THREADS=${THREADS:-2}
TEXTCLF=${TEXTCLF:-$repo/textclf}
TUNE_GRID=${TUNE_GRID:-"-epoch 10 -lr 0.5;-epoch 25 -lr 0.5;-epoch 25 -lr 0.5 -wordNgrams 2;-epoch 25 -lr 1.0"}
FT_OPTS=${FT_OPTS:-}
read -r -a ft_opts <<<"$FT_OPTS"
export THREADS TEXTCLF

die() { echo "run.sh: $*" >&2; exit 1; }
usage() { echo "usage: $0 DATADIR TEXTCLF_MODEL.json [--out RESULTS.md] [--keep DIR] [--no-tune]" >&2; exit 2; }

out='' keep='' tune=1 pos=()
while [ $# -gt 0 ]; do
    case $1 in
        --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
        --out=*) out=${1#--out=}; shift ;;
        --keep) [ $# -ge 2 ] || usage; keep=$2; shift 2 ;;
        --keep=*) keep=${1#--keep=}; shift ;;
        --no-tune) tune=0; shift ;;
        -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) usage ;;
        *) pos+=("$1"); shift ;;
    esac
done
[ ${#pos[@]} -eq 2 ] || usage
data=$(cd "${pos[0]}" && pwd -P) || die "no directory ${pos[0]}"
tcmodel=$(realpath -m "${pos[1]}")
[ -f "$tcmodel" ] || die "$tcmodel not found"
[ -s "$data/train.txt" ] || die "$data/train.txt missing or empty"
command -v fasttext >/dev/null || die "fasttext not found: apt-get install fasttext (Debian 0.9.2)"
[ -x "$TEXTCLF" ] || die "$TEXTCLF not found: run make"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed"

eval_files=(test.txt test-short.txt ood.txt ood-short.txt fresh.txt fresh-short.txt)
evals=()
for f in "${eval_files[@]}"; do
    [ -s "$data/$f" ] && evals+=("$f")
done
[ ${#evals[@]} -gt 0 ] || die "no eval file ($(IFS=,; echo "${eval_files[*]}" | sed 's/,/, /g')) in $data"

if [ -n "$keep" ]; then
    mkdir -p "$keep"
    work=$(cd "$keep" && pwd -P)
else
    work=$(mktemp -d /tmp/textclf-langid.XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi
LID176_DIR=${LID176_DIR:-$work/lid176}
report=$work/report.md
: >"$report"
say() { printf '%s\n' "$*" | tee -a "$report"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
acc_of() { /usr/bin/python3 "$here/eval.py" --json "$1" "$2" |
    /usr/bin/python3 -c 'import json,sys; print("%.6f" % json.load(sys.stdin)["accuracy"])'; }

lid=$("$here/lid176.sh" "$LID176_DIR")

say "# Language identification: textclf vs fastText"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
say "- machine: $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/^MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo); $(sed -n "s/^PRETTY_NAME=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" /etc/os-release)"
say "- fasttext: Debian package $(dpkg-query -W -f '${Version}' fasttext 2>/dev/null || echo unknown); python3 $(/usr/bin/python3 -c 'import platform; print(platform.python_version())')"
say "- textclf: $("$TEXTCLF" --version | head -1) ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo ', uncommitted changes'))"
say "- textclf model: $tcmodel ($("$TEXTCLF" info "$tcmodel" | awk -F': ' '/^labels:/ { l = $2 } /^parameters:/ { p = $2 } END { printf "%s labels, %s parameters", l, p }'); sha256 $(sha256sum "$tcmodel" | cut -c1-16)…)"
say "- lid.176.ftz: sha256 $(sha256sum "$lid" | cut -d' ' -f1) (npm fasttext.wasm.js@1.0.0)"
say "- data: $data"
for f in train.txt train-short.txt valid.txt "${evals[@]}"; do
    [ -f "$data/$f" ] || continue
    say "  - $f: $(LC_ALL=C grep -ac '' "$data/$f") lines, $(cut -d' ' -f1 "$data/$f" | sort -u | wc -l) labels, sha256 $(sha256sum "$data/$f" | cut -c1-16)…"
done
say ""

# ---- fastText supervised: default, then the tuning grid on valid.txt
train=$data/train.txt
if [ -s "$data/train-short.txt" ]; then
    train=$work/train-all.txt
    cat "$data/train.txt" "$data/train-short.txt" >"$train"
fi
t0=$(now)
"$here/fasttext_sup.sh" "$train" "$work/ft-default" "${ft_opts[@]}"
t1=$(now)
ft_default_s=$(elapsed "$t0" "$t1")
tuned_model=
tuned_opts=
declare -a tune_rows=()
if [ "$tune" = 1 ] && [ -s "$data/valid.txt" ]; then
    /usr/bin/python3 "$here/predict_lid176.py" --plain "$work/ft-default.bin" "$data/valid.txt" >"$work/valid.ft-default.pred"
    best_acc=$(acc_of "$data/valid.txt" "$work/valid.ft-default.pred")
    best_i=default
    tune_rows+=("| (defaults) | $(awk -v a="$best_acc" 'BEGIN { printf "%.2f", 100 * a }') | $ft_default_s |")
    IFS=';' read -r -a grid <<<"$TUNE_GRID"
    i=0
    for opts in "${grid[@]}"; do
        [ -n "${opts// /}" ] || continue
        i=$((i + 1))
        read -r -a optv <<<"$opts"
        echo "run.sh: tuning $i: $opts" >&2
        t0=$(now)
        "$here/fasttext_sup.sh" "$train" "$work/ft-tune$i" "${ft_opts[@]}" "${optv[@]}"
        t1=$(now)
        /usr/bin/python3 "$here/predict_lid176.py" --plain "$work/ft-tune$i.bin" "$data/valid.txt" >"$work/valid.ft-tune$i.pred"
        acc=$(acc_of "$data/valid.txt" "$work/valid.ft-tune$i.pred")
        tune_rows+=("| $opts | $(awk -v a="$acc" 'BEGIN { printf "%.2f", 100 * a }') | $(elapsed "$t0" "$t1") |")
        if awk -v a="$acc" -v b="$best_acc" 'BEGIN { exit !(a > b) }'; then
            [ "$best_i" = default ] || rm -f "$work/ft-tune$best_i.bin"
            best_acc=$acc best_i=$i tuned_opts=$opts
        else
            rm -f "$work/ft-tune$i.bin"
        fi
    done
    if [ "$best_i" = default ]; then
        tuned_model=$work/ft-default.bin
        tuned_opts="(defaults)"
    else
        tuned_model=$work/ft-tune$best_i.bin
    fi
fi

say "## Commands"
say ""
say '```sh'
say "bench/langid/run.sh $data $tcmodel${out:+ --out $out}$([ "$tune" = 1 ] || echo ' --no-tune')"
say "# textclf:           bench/langid/textclf_predict.sh $tcmodel FILE   (textclf -m MODEL -k 1)"
say "# fasttext-default:  $(head -1 "$work/ft-default.log" | sed "s|$work/||g")"
say "#                    (input: $([ "$train" = "$data/train.txt" ] && echo train.txt || echo 'train.txt + train-short.txt') shuffled with Python random.Random(1); predict-prob MODEL.bin - 1)"
[ -n "$tuned_model" ] && say "# fasttext-tuned:    the same + $tuned_opts  (best accuracy on valid.txt, table below)"
say "# lid176:            bench/langid/predict_lid176.py lid.176.ftz FILE   (fasttext predict-prob lid.176.ftz - 176 -1, restricted to the 24 labels, renormalised)"
say "# scores:            bench/langid/eval.py FILE PRED"
say '```'
say ""
say "fasttext-default training: ${ft_default_s} s ($THREADS threads)."
say ""
if [ ${#tune_rows[@]} -gt 0 ]; then
    say "## fastText tuning on valid.txt (added to the default options)"
    say ""
    say "| options | valid accuracy % | train s |"
    say "| --- | ---: | ---: |"
    for r in "${tune_rows[@]}"; do say "$r"; done
    say ""
    say "fasttext-tuned = $tuned_opts"
    say ""
fi

contenders=(textclf fasttext-default)
[ -n "$tuned_model" ] && contenders+=(fasttext-tuned)
contenders+=(lid176)
declare -a time_rows=()
for f in "${evals[@]}"; do
    name=${f%.txt}
    trow="| $name"
    for who in "${contenders[@]}"; do
        pred=$work/$name.$who.pred
        t0=$(now)
        case $who in
            textclf) "$here/textclf_predict.sh" "$tcmodel" "$data/$f" >"$pred" ;;
            fasttext-default) /usr/bin/python3 "$here/predict_lid176.py" --plain "$work/ft-default.bin" "$data/$f" >"$pred" ;;
            fasttext-tuned) /usr/bin/python3 "$here/predict_lid176.py" --plain "$tuned_model" "$data/$f" >"$pred" ;;
            lid176) /usr/bin/python3 "$here/predict_lid176.py" "$lid" "$data/$f" >"$pred" ;;
        esac
        t1=$(now)
        trow="$trow | $(elapsed "$t0" "$t1")"
        /usr/bin/python3 "$here/eval.py" --json --name "$who" "$data/$f" "$pred" >"$work/$name.$who.json"
    done
    time_rows+=("$trow |")
    say "## $f"
    say ""
    first=1
    for who in "${contenders[@]}"; do
        if [ $first = 1 ]; then
            /usr/bin/python3 "$here/eval.py" --header --name "$who" "$data/$f" "$work/$name.$who.pred" | tee -a "$report"
            first=0
        else
            /usr/bin/python3 "$here/eval.py" --name "$who" "$data/$f" "$work/$name.$who.pred" | tee -a "$report"
        fi
    done
    say ""
done

say "## Prediction wall time (s, whole file, including process start)"
say ""
hdr="| file" sep="| ---"
for who in "${contenders[@]}"; do hdr="$hdr | $who" sep="$sep | ---:"; done
say "$hdr |"
say "$sep |"
for r in "${time_rows[@]}"; do say "$r"; done

if [ -n "$out" ]; then
    cp "$report" "$out"
    echo "run.sh: wrote $out" >&2
fi
[ -n "$keep" ] && echo "run.sh: working files in $work" >&2
exit 0
