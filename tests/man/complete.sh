#!/usr/bin/env bash
# Completion harness for tests/man/run.sh: runs completions/textclf.bash's function as bash
# would when TAB is pressed, without a terminal.
#   complete.sh bash-completion|plain SCRIPT < CASES
# Each line of CASES is a command line typed up to the cursor (words separated by single spaces;
# a trailing space means the cursor is on a new, empty word). For each, prints one line: the
# completions, sorted, separated by spaces, a directory followed by "/" as readline shows it.
# "bash-completion" first loads bash-completion's helpers (/usr/share/bash-completion), as an
# interactive shell would; "plain" does not, to check the script's fallback.
# The words are split as readline splits them for programmable completion: at spaces, and
# around "=" (which is in COMP_WORDBREAKS), so `--format=ts` is the three words `--format`,
# `=`, `ts`, and the word being completed ($2 of the function) is what follows the last "=".
set -u
mode=$1 script=$2
if [ "$mode" = bash-completion ]; then
    # shellcheck disable=SC1091
    source /usr/share/bash-completion/bash_completion || exit 1
fi
# shellcheck disable=SC1090
source "$script" || exit 1
[[ $COMP_WORDBREAKS == *=* ]] || { echo "COMP_WORDBREAKS has no '='" >&2; exit 1; }

while IFS= read -r line; do
    read -ra toks <<< "$line"
    [[ $line == *' ' || -z $line ]] && toks+=("")
    COMP_WORDS=()
    for t in "${toks[@]}"; do
        if [[ $t == *=* ]]; then
            COMP_WORDS+=("${t%%=*}" "=")
            [[ -n ${t#*=} ]] && COMP_WORDS+=("${t#*=}")
        else
            COMP_WORDS+=("$t")
        fi
    done
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMP_TYPE=9 COMP_KEY=9
    last=${toks[${#toks[@]} - 1]}
    cur=${last##*=}
    prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    _textclf textclf "$cur" "$prev" 2>&1
    out=()
    for r in "${COMPREPLY[@]}"; do
        [[ -d $r ]] && r+=/
        out+=("$r")
    done
    ((${#out[@]})) && printf '%s\n' "${out[@]}" | LC_ALL=C sort -u | paste -sd ' ' - || echo
done
