#!/usr/bin/env bash
# tools/models/lang_world.sh WORLD_DATA WORKDIR
#
# Builds the 100-language identifier (issue 20) from the files tools/data/langid_world.sh wrote
# into WORLD_DATA, by the rules of models/lang-world.md, written before any of its numbers:
#
#   1. every candidate setting (CANDIDATES below) is trained on all candidate labels;
#   2. world_select.py picks one on the validation files (score and budgets);
#   3. admit.py keeps the labels >= 95% on valid and on ood-valid in the chosen model; the
#      others stay in it as withheld labels (never answered; no retraining);
#   4. abstain_tune.py chooses the abstain rule, each setting judged after admission with it
#      (valid, ood-valid; und-valid.txt and the valid lines of the withheld labels), keeping the
#      labels of lang_world_keep.txt (those the shipped model answers) answered where it can;
#   5. admit.py --with-rule checks the labels again with the rule on (und counted wrong);
#   6. the result is WORKDIR/final/lang.json (and its files), with every table in WORKDIR
#      (und-parts.md: und_parts.py's three parts on validation text).
# Test files are not read here: scoring once on them is a separate step.
#
# Reproducible: fixed seeds, --threads 2. Needs ./textclf (make), /usr/bin/python3.
# EPOCHS (default 15) and LABELS (a space-separated subset, for a smoke run) may be set;
# RESUME=1 reuses the models an earlier run of the same settings left in WORKDIR (a candidate's
# training is skipped when its lang16.json is there). RESUME=1 CHOSEN=NAME keeps an earlier
# build's choice: no candidate is trained or timed, WORKDIR/round-1/NAME/lang16.json is the
# network and WORKDIR/select.md that build's table (steps 3-6 made again, e.g. on new ood-valid).
# ONLY=NAME trains and times that candidate alone (seventh amendment: the setting an earlier
# build chose, on new candidates); world_select.py still checks its budgets.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 2 ] || { echo "usage: tools/models/lang_world.sh WORLD_DATA WORKDIR" >&2; exit 2; }
data=$(realpath -m "$1")
work=$(realpath -m "$2")
tc=$root/textclf
py=/usr/bin/python3
models_py=$root/tools/models
export LC_ALL=C.UTF-8 OPENBLAS_NUM_THREADS=1
unset TEXTCLF_MODEL
for f in train.txt train-words.txt valid.txt valid-short.txt ood-valid.txt ood-valid-short.txt \
         ood-udhr.labels und-valid.txt und-valid.langs; do
    [ -s "$data/$f" ] || { echo "lang_world.sh: $data/$f is missing: run tools/data/langid_world.sh" >&2; exit 1; }
done
mkdir -p "$work"
epochs=${EPOCHS:-15}

# The settings tried, fixed before training (models/lang-world.md, "Which model"): the shipped
# 24-language model's (max-len 64, dim 48, hidden 64, crop 0.7, apostrophes in words) with a
# vocabulary grown for 100 languages, against a smaller vocabulary plus hashed character n-grams.
COMMON="--dim 48 --hidden 64 --max-len 64 --crop 0.7 --epochs $epochs --patience 0 --word-apostrophes --seed 1 --threads 2"
CANDIDATES=(
    "wp32k|--vocab-size 32000 $COMMON"
    "wp24k-ng40k|--vocab-size 24000 --buckets 40000 --minn 1 --maxn 4 $COMMON"
)

# keep_labels LABELFILE IN OUT: the lines of IN whose label is listed in LABELFILE
keep_labels() {
    "$py" -c '
import sys
keep = set(open(sys.argv[1], encoding="utf-8").read().split())
with open(sys.argv[2], encoding="utf-8") as f, open(sys.argv[3], "w", encoding="utf-8") as o:
    for line in f:
        if line.split(" ", 1)[0][len("__label__"):] in keep:
            o.write(line)' "$@"
}

# as_und LABELFILE IN OUT: the lines of IN whose label is NOT listed, relabelled __label__und
as_und() {
    "$py" -c '
import sys
keep = set(open(sys.argv[1], encoding="utf-8").read().split())
with open(sys.argv[2], encoding="utf-8") as f, open(sys.argv[3], "w", encoding="utf-8") as o:
    for line in f:
        lab, _, text = line.partition(" ")
        if lab[len("__label__"):] not in keep:
            o.write("__label__und " + text)' "$@"
}

# the candidate labels: every label of train.txt and train-words.txt (or LABELS)
if [ -n "${LABELS:-}" ]; then
    tr ' ' '\n' <<< "$LABELS" | sed '/^$/d' | sort > "$work/labels-0.txt"
else
    cat "$data/train.txt" "$data/train-words.txt" | cut -d' ' -f1 | sed 's/^__label__//' |
        sort -u > "$work/labels-0.txt"
fi

# prepare LABELFILE: the training and validation text of the labels listed, in WORKDIR/round-1
# (one round since the second amendment: the name is kept, so RESUME=1 finds earlier runs)
prepare() {
    local labels=$1 d=$work/round-1
    mkdir -p "$d"
    keep_labels "$labels" "$data/train.txt" "$d/train-sentences.txt"
    keep_labels "$labels" "$data/train-words.txt" "$d/train-words.txt"
    # every sentence and one short fragment of it (as the 24-language model), and the word lines
    "$py" "$models_py/short_fragments.py" --share 1 "$d/train-sentences.txt" "$d/train-fragments.txt"
    cat "$d/train-fragments.txt" "$d/train-words.txt" > "$d/train.txt"
    for f in valid valid-short ood-valid ood-valid-short; do
        keep_labels "$labels" "$data/$f.txt" "$d/$f.txt"
    done
    cat "$d/valid.txt" "$d/valid-short.txt" > "$d/valid-all.txt"
}

# train_one NAME FLAGS...: WORKDIR/round-1/NAME/lang.json
train_one() {
    local name=$1 d=$work/round-1
    shift
    mkdir -p "$d/$name"
    if [ "${RESUME:-0}" = 1 ] && [ -s "$d/$name/lang16.json" ]; then
        echo "== $name already trained (RESUME=1)" >&2
        return 0
    fi
    local start=$SECONDS
    echo "== training $name on $(wc -l < "$d/train.txt") lines, $(wc -l < "$work/labels-0.txt") labels" >&2
    # shellcheck disable=SC2068
    "$tc" train -q -i "$d/train.txt" --valid "$d/valid-all.txt" -o "$d/$name/lang.json" \
        --log "$d/$name/train.jsonl" $@
    echo $((SECONDS - start)) > "$d/$name/train-seconds"
    # the form it would ship in: F16 weights, the vocabulary in a file (what the budgets measure)
    "$tc" convert -q --dtype F16 --vocab=file "$d/$name/lang.json" "$d/$name/lang16.json"
}

select_args() {
    local d=$1
    echo --valid "$d/valid.txt" --valid-short "$d/valid-short.txt" \
        --ood-valid "$d/ood-valid.txt" --ood-valid-short "$d/ood-valid-short.txt"
}

# round 1: every candidate on every candidate label; the choice
prepare "$work/labels-0.txt"
if [ -n "${CHOSEN:-}" ]; then
    # an earlier build's choice, kept (models/lang-world.md, fourth amendment): its network in
    # WORKDIR/round-1/CHOSEN/lang16.json and its table in WORKDIR/select.md, both from that build
    [ "${RESUME:-0}" = 1 ] && [ -s "$work/round-1/$CHOSEN/lang16.json" ] && [ -s "$work/select.md" ] || {
        echo "lang_world.sh: CHOSEN=$CHOSEN needs RESUME=1, $work/round-1/$CHOSEN/lang16.json and $work/select.md" >&2
        exit 1
    }
    echo "chosen: $CHOSEN" > "$work/select.out"
else
    picks=()
    for c in "${CANDIDATES[@]}"; do
        name=${c%%|*} flags=${c#*|}
        [ -z "${ONLY:-}" ] || [ "$name" = "$ONLY" ] || continue
        train_one "$name" $flags
        picks+=("$name=$work/round-1/$name/lang16.json")
    done
    [ ${#picks[@]} -gt 0 ] || { echo "lang_world.sh: ONLY=$ONLY is not a candidate" >&2; exit 2; }
    # shellcheck disable=SC2046
    "$py" "$models_py/world_select.py" $(select_args "$work/round-1") --build "$root" --table "$work/select.md" "${picks[@]}" |
        tee "$work/select.out" >&2
fi
chosen=$(sed -n 's/^chosen: //p' "$work/select.out")
[ "$chosen" != none ] || { echo "lang_world.sh: no candidate meets the budgets" >&2; exit 1; }

# admission on round 1's chosen model; the labels that do not enter stay in it, withheld
# (models/lang-world.md, second amendment: no retraining)
final=$work/round-1/$chosen
"$py" "$models_py/admit.py" "$final/lang16.json" --valid "$work/round-1/valid.txt" \
    --ood-valid "$work/round-1/ood-valid.txt" --udhr-labels "$data/ood-udhr.labels" \
    --table "$work/admit-1.md" --labels "$work/labels-1.txt" >&2

# the abstain rule (third amendment): every setting of the grid judged after admission with it;
# unknown text = und-valid.txt and the valid sentences of the withheld labels; the labels the
# shipped model answers (lang_world_keep.txt) stay answered where a setting within the cost allows
# (sixth amendment)
"$py" "$models_py/abstain_tune.py" "$final/lang16.json" --entered "$work/labels-1.txt" \
    --valid "$work/round-1/valid.txt" --ood-valid "$work/round-1/ood-valid.txt" \
    --und "$data/und-valid.txt" --udhr-labels "$data/ood-udhr.labels" \
    --keep "$models_py/lang_world_keep.txt" \
    --table "$work/abstain.md" --write "$final/lang-und.json" >&2

# admission again, as users see it (the rule on, und counted wrong): a check, which the grid's
# choice already passed
"$py" "$models_py/admit.py" "$final/lang-und.json" --with-rule --write "$final/lang-final.json" \
    --udhr-labels "$data/ood-udhr.labels" \
    --valid "$work/round-1/valid.txt" --ood-valid "$work/round-1/ood-valid.txt" \
    --table "$work/admit-2.md" --labels "$work/labels-final.txt" >&2
mkdir -p "$work/final"
"$tc" convert -q --dtype F16 --vocab=file "$final/lang-final.json" "$work/final/lang.json"
as_und "$work/labels-final.txt" "$data/valid.txt" "$work/withheld-valid-und-final.txt"
"$py" "$models_py/und_parts.py" "$work/final/lang.json" --und "$data/und-valid.txt" \
    --langs "$data/und-valid.langs" --withheld "$work/withheld-valid-und-final.txt" \
    --table "$work/und-parts.md" >&2
echo "lang_world.sh: chosen $chosen; $(wc -l < "$work/labels-final.txt") labels; model in $work/final/lang.json" >&2
