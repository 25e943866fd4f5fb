#!/usr/bin/env bash
# Language identification: a textclf model side by side with peer identifiers
# (see README.md in this directory, "Peers").
#
#   bench/langid/peers.sh DATADIR MODEL.json --tools DIR [--out FILE] [--keep DIR]
#       [--valid] [--und FILE.txt]... [--fasttext NAME=MODEL.bin]...
#       [--peers eld,lingua,cld,lid176]
#
# DIR: where peers_install.sh installs (or has installed) the pinned peers;
# never inside the repository. Eval files scored, those of DATADIR that exist,
# in this order:
#   models/lang-world.md's: test.txt test-short.txt ood-test.txt
#                           ood-test-short.txt und-test.txt
#                           (--valid adds valid.txt valid-short.txt
#                           ood-valid.txt ood-valid-short.txt und-valid.txt)
#   the 24-label data's:    ood.txt ood-short.txt fresh.txt fresh-short.txt
#                           (test.txt and test-short.txt are in the first list)
# plus each --und FILE.txt (an und file made elsewhere, e.g. und_smoke.py). An
# und file has `__label__und` on every line and FILE.langs beside it.
#
# Contenders, each run once per file as one process (timed: wall time, start
# included):
#   textclf               textclf_predict.sh MODEL FILE (the model's abstain rule
#                         on, if it has one: `und` answers)
#   textclf-no-abstain    the same with --no-abstain; only when the model has an
#                         abstain rule
#   NAME                  each --fasttext NAME=MODEL.bin: a fastText model trained
#                         on the same data (run.sh --keep keeps them):
#                         predict_lid176.py --plain
#   lid176                lid.176 restricted to the model's labels, renormalised
#   lid176-all            lid.176 unrestricted (all 176 labels)
#   eld, lingua, cld2     restricted to the labels they share with the model
#                         (predict_peer.py)
# What counts as und on an und file: textclf: the answer und; fastText and lid176
# (restricted): p < 0.5; lid176-all: p < 0.5, and a second row,
# lid176-all+outside: p < 0.5 or a label outside the model's; eld, lingua, cld2: no answer, or the peer's own "unknown"
# or "unreliable" (predict_peer.py's NOTE).
#
# Prints a header (date, machine, versions, data and model hashes) and, per
# file, the Markdown tables of peers_report.py; --out also writes them to FILE.
# Working files (predictions, manifest, label lists) go to a temp directory,
# removed at the end unless --keep DIR keeps them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
TEXTCLF=${TEXTCLF:-$repo/textclf}
export TEXTCLF
die() { echo "peers.sh: $*" >&2; exit 1; }
usage() { sed -n '4,7p' "$0" | sed 's/^# \{0,1\}/usage: /;2,$s/^usage: /       /' >&2; exit 2; }

out='' keep='' tools='' valid=0 peers=eld,lingua,cld,lid176 pos=() unds=() fts=()
while [ $# -gt 0 ]; do
    case $1 in
        --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
        --keep) [ $# -ge 2 ] || usage; keep=$2; shift 2 ;;
        --tools) [ $# -ge 2 ] || usage; tools=$2; shift 2 ;;
        --und) [ $# -ge 2 ] || usage; unds+=("$(realpath -m "$2")"); shift 2 ;;
        --fasttext) [ $# -ge 2 ] || usage; fts+=("$2"); shift 2 ;;
        --peers) [ $# -ge 2 ] || usage; peers=$2; shift 2 ;;
        --valid) valid=1; shift ;;
        -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) usage ;;
        *) pos+=("$1"); shift ;;
    esac
done
[ ${#pos[@]} -eq 2 ] && [ -n "$tools" ] || usage
data=$(cd "${pos[0]}" && pwd -P) || die "no directory ${pos[0]}"
model=$(realpath -m "${pos[1]}")
[ -f "$model" ] || die "$model not found"
[ -x "$TEXTCLF" ] || die "$TEXTCLF not found: run make"
command -v fasttext >/dev/null || die "fasttext not found: apt-get install fasttext (Debian 0.9.2)"
for u in ${unds[@]+"${unds[@]}"}; do
    [ -s "$u" ] || die "$u missing or empty"
    [ -s "${u%.txt}.langs" ] || die "${u%.txt}.langs missing (the true language of each line)"
done
for f in ${fts[@]+"${fts[@]}"}; do
    [[ $f == *=* ]] && [ -f "${f#*=}" ] || die "--fasttext NAME=MODEL.bin: bad or missing: $f"
done

tools=$("$here/peers_install.sh" "$tools")

files=(test.txt test-short.txt ood-test.txt ood-test-short.txt und-test.txt)
[ $valid = 1 ] && files+=(valid.txt valid-short.txt ood-valid.txt ood-valid-short.txt und-valid.txt)
files+=(ood.txt ood-short.txt fresh.txt fresh-short.txt)
evals=()
for f in "${files[@]}"; do [ -s "$data/$f" ] && evals+=("$data/$f"); done
evals+=(${unds[@]+"${unds[@]}"})
[ ${#evals[@]} -gt 0 ] || die "no eval file in $data (and no --und)"

if [ -n "$keep" ]; then
    mkdir -p "$keep"
    work=$(cd "$keep" && pwd -P)
else
    work=$(mktemp -d /tmp/textclf-peers.XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi
report=$work/report.md
: >"$report"
say() { printf '%s\n' "$*" | tee -a "$report"; }
now() { date +%s.%N; }

"$TEXTCLF" info "$model" | awk '/^labels:/ { on = 1; next } on && /^  [0-9]+: / { print $2; next } on { exit }' >"$work/labels.txt"
labels=$(paste -sd, "$work/labels.txt")
[ -n "$labels" ] || die "no labels in $model"
abstain=$("$TEXTCLF" info "$model" | sed -n 's/^abstain: //p')
shared() { /usr/bin/python3 "$here/peer_map.py" shared "$1" "$labels"; }

cont=(textclf)
[ -n "$abstain" ] && [ "$abstain" != none ] && cont+=(textclf-no-abstain)
for f in ${fts[@]+"${fts[@]}"}; do cont+=("ft:$f"); done
IFS=, read -r -a plist <<<"$peers"
for p in "${plist[@]}"; do
    case $p in
        lid176) cont+=(lid176 lid176-all) ;;
        eld | lingua) cont+=("$p") ;;
        cld | cld2) cont+=(cld2) ;;
        *) die "unknown peer $p (eld, lingua, cld, lid176)" ;;
    esac
done

say "# Language identification: textclf and peer identifiers"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
say "- machine: $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/^MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo); $(sed -n "s/^PRETTY_NAME=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" /etc/os-release)"
say "- textclf: $("$TEXTCLF" --version | head -1) ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo ', uncommitted changes'))"
say "- model: $model ($(wc -l <"$work/labels.txt") labels; abstain: ${abstain:-none}; sha256 $(sha256sum "$model" | cut -c1-16)…)"
say "- peers: node $(node --version); $(awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$tools/PINS"); lid.176.ftz sha256 $(sha256sum "$tools/lid176/lid.176.ftz" | cut -c1-16)…; fasttext $(dpkg-query -W -f '${Version}' fasttext 2>/dev/null || echo '?')"
for f in ${fts[@]+"${fts[@]}"}; do say "- fastText ${f%%=*}: ${f#*=} (sha256 $(sha256sum "${f#*=}" | cut -c1-16)…)"; done
say "- data: $data"
for f in "${evals[@]}"; do
    say "  - ${f#"$data"/}: $(LC_ALL=C grep -ac '' "$f") lines, $(cut -d' ' -f1 "$f" | sort -u | wc -l) labels, sha256 $(sha256sum "$f" | cut -c1-16)…"
done
say ""
say "Command: \`bench/langid/peers.sh $data $model --tools $tools$([ $valid = 1 ] && echo ' --valid')$(for u in ${unds[@]+"${unds[@]}"}; do printf ' --und %s' "$u"; done)$(for f in ${fts[@]+"${fts[@]}"}; do printf ' --fasttext %s' "$f"; done) --peers $peers\`"
say ""
say "Labels shared with the model (the others are left out of that contender's n and macro accuracy):"
say ""
for c in "${cont[@]}"; do
    case $c in
        lid176 | lid176-all) sh=$(shared lid176) ;;
        eld | lingua) sh=$(shared "$c") ;;
        cld2) sh=$(shared cld2) ;;
        *) sh=$labels ;;
    esac
    echo "$sh" >"$work/shared.${c%%=*}"
    n=$(tr ',' '\n' <<<"$sh" | grep -c . || true)
    missing=$(comm -23 <(sort "$work/labels.txt") <(tr ',' '\n' <<<"$sh" | sort) | paste -sd' ')
    cn=${c%%=*}
    say "- ${cn#ft:}: $n${missing:+ (not: $missing)}"
done
say ""

manifest=$work/manifest.tsv
: >"$manifest"
for f in "${evals[@]}"; do
    name=$(basename "${f%.txt}")
    und=0
    [ "$(cut -d' ' -f1 "$f" | sort -u)" = __label__und ] && und=1
    for c in "${cont[@]}"; do
        key=${c%%=*}
        cname=${key#ft:}
        pred=$work/$name.$cname.pred
        echo "peers.sh: $name: $cname" >&2
        t0=$(now)
        case $c in
            textclf) "$here/textclf_predict.sh" "$model" "$f" >"$pred" ;;
            textclf-no-abstain) "$here/textclf_predict.sh" --no-abstain "$model" "$f" >"$pred" ;;
            ft:*) /usr/bin/python3 "$here/predict_lid176.py" --plain "${c#*=}" "$f" >"$pred" ;;
            lid176) /usr/bin/python3 "$here/predict_peer.py" lid176 "$f" --tools "$tools" --labels "$labels" >"$pred" ;;
            lid176-all) /usr/bin/python3 "$here/predict_peer.py" lid176 "$f" --tools "$tools" --labels "$labels" --unrestricted >"$pred" ;;
            eld | lingua) /usr/bin/python3 "$here/predict_peer.py" "$c" "$f" --tools "$tools" --labels "$labels" >"$pred" ;;
            cld2) /usr/bin/python3 "$here/predict_peer.py" cld "$f" --tools "$tools" --labels "$labels" >"$pred" ;;
        esac
        t1=$(now)
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
        sh=$(cat "$work/shared.$key")
        case $c in
            textclf*) rule=label ;;
            lid176-all)
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "lid176-all" "$pred" "$sh" "below:0.5" "$secs" >>"$manifest"
                [ $und = 1 ] || continue
                cname="lid176-all+outside"; rule="below:0.5,outside" ;;
            ft:* | lid176) rule=below:0.5 ;;
            *) rule=label,note ;;
        esac
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$cname" "$pred" "$sh" "$rule" "$secs" >>"$manifest"
    done
done

/usr/bin/python3 "$here/peers_report.py" "$manifest" --model-labels "$work/labels.txt" | sed "s|$data/||" | tee -a "$report"

if [ -n "$out" ]; then
    cp "$report" "$out"
    echo "peers.sh: wrote $out" >&2
fi
[ -n "$keep" ] && echo "peers.sh: working files in $work" >&2
exit 0
