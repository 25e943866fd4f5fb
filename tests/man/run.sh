#!/usr/bin/env bash
# The man page (docs/man/textclf.1) and the bash completion (completions/textclf.bash) against
# the program itself. Usage: run.sh TEXTCLF. Ends with "N passed, N failed".
#
# - The man page renders without a warning (groff -ww, man --warnings) and fits 80 columns.
# - Every subcommand of the man page has a --help of its own ("Usage: textclf SUB" on its first
#   line; classify: the general `textclf --help`), and the options it lists are exactly the
#   options of its man section (the .TP tags of its .SS under SUBCOMMANDS) and exactly what the
#   completion offers after "-".
# - Option values: for every option with an argument, the program is run with a bad value; when
#   its error lists the valid words ("expected auto, fasttext or tsv"), the completion must
#   offer exactly those words and the man page must name each of them.
# - Subcommands, exit statuses (docs/cli.md, docs/train.md and every --help), environment
#   variables named in a --help, and the version (.TH) agree with the man page.
# - The completion script loads without a message, with bash-completion's helpers, without
#   them, and through bash-completion's on-demand loader; and completes a table of command
#   lines as expected, in both modes (tests/man/complete.sh).
# Needs the Debian packages groff-base, man-db and bash-completion.
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF}")
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
MAN=$ROOT/docs/man/textclf.1
COMP=$ROOT/completions/textclf.bash
HARNESS=$ROOT/tests/man/complete.sh
BASH_COMPLETION=/usr/share/bash-completion/bash_completion
export LC_ALL=C MAN_DISABLE_SECCOMP=1
unset TEXTCLF_MODEL NO_COLOR BASH_COMPLETION_USER_DIR XDG_DATA_HOME
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
# check NAME GOT EXPECTED
check() {
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', expected '$3'"; fi
}
# The options (-x, --long) named in stdin, one per line, sorted.
options_in() {
    perl -ne 'print "$1\n" while /(?<![\w-])(--[a-z0-9][a-z0-9-]*|-[A-Za-z0-9])(?![\w-])/g' |
        sort -u
}
# Words of stdin, one per line, sorted.
words() { tr ' ' '\n' | sed '/^$/d' | sort -u; }
# Space-separated, sorted.
joined() { sort -u | paste -sd ' ' -; }
# diff_sets A B DESCR_A: for two sorted lists (files), "missing: ..." (in A, not in B) and
# "not in DESCR_A: ..." (in B, not in A); nothing when they are equal.
diff_sets() {
    local missing extra
    missing=$(comm -23 "$1" "$2" | paste -sd ' ' -)
    extra=$(comm -13 "$1" "$2" | paste -sd ' ' -)
    [ -n "$missing" ] && printf 'missing: %s; ' "$missing"
    [ -n "$extra" ] && printf 'not in %s: %s; ' "$3" "$extra"
    return 0
}
# subset_check NAME FILE_A FILE_B DESCR_B: every line of A is in B; DESCR_B names B.
subset_check() {
    local missing
    missing=$(comm -23 "$2" "$3" | paste -sd ' ' -)
    if [ -z "$missing" ]; then ok "$1"; else bad "$1: not in $4: $missing"; fi
}

# ---- the man page renders cleanly ---------------------------------------------------------

if ! command -v groff > /dev/null; then
    bad "groff is not installed (apt-get install groff-base)"
else
    msgs=$(groff -man -ww -z "$MAN" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && [ -z "$msgs" ]; then ok "groff -man -ww: no warning"
    else bad "groff -man -ww (status $rc): $msgs"; fi
fi
if ! command -v man > /dev/null; then
    bad "man is not installed (apt-get install man-db)"
else
    MANWIDTH=80 man --warnings -l "$MAN" > "$work/man.txt" 2> "$work/man.err"
    rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$work/man.err" ] && [ -s "$work/man.txt" ]; then
        ok "man --warnings -l: renders, no warning"
    else
        bad "man --warnings -l (status $rc): $(cat "$work/man.err")"
    fi
    wide=$(col -bx < "$work/man.txt" | perl -CS -ne 'chomp; print "$_\n" if length > 80')
    if [ -z "$wide" ]; then ok "rendered at MANWIDTH=80, every line fits"
    else bad "lines wider than 80 columns: $wide"; fi
fi

# The man page with font escapes removed and \- as -: what the checks below read.
sed -E 's/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g' "$MAN" > "$work/man.roff"

# man_section_tags SUB: the tag lines of the .TP entries of SUB's .SS under SUBCOMMANDS.
man_section_tags() {
    awk -v s="$1" '
        /^\.SH/ { insh = ($2 == "SUBCOMMANDS"); inss = 0; next }
        /^\.SS/ { t = $2; gsub(/"/, "", t); inss = insh && t == s; next }
        inss && /^\.TP/ { tag = 1; next }
        inss && tag { print; tag = 0 }' "$work/man.roff"
}
# man_option_text SUB OPT: the tag and text of the .TP entry of SUB's section naming OPT.
man_option_text() {
    awk -v s="$1" -v o="$2" '
        function flush() { if (found) print text; found = 0; text = "" }
        /^\.SH/ { flush(); insh = ($2 == "SUBCOMMANDS"); inss = 0; next }
        /^\.SS/ { flush(); t = $2; gsub(/"/, "", t); inss = insh && t == s; next }
        !inss { next }
        /^\.TP/ { flush(); tag = 1; next }
        tag { tag = 0; line = " " $0 " "; gsub(/[^A-Za-z0-9-]/, " ", line)
              found = index(line, " " o " ") > 0 }
        found { text = text " " $0 }
        END { flush() }' "$work/man.roff"
}
# man_tags_of SECTION: the tag lines of the .TP entries of a .SH section.
man_tags_of() {
    awk -v s="$1" '
        /^\.SH/ { t = substr($0, 5); gsub(/"/, "", t); in_s = (t == s); next }
        in_s && /^\.TP/ { tag = 1; next }
        in_s && tag { print; tag = 0 }' "$work/man.roff"
}
man_subcommands() {
    awk '/^\.SH/ { insh = ($2 == "SUBCOMMANDS"); next }
         insh && /^\.SS/ { t = $2; gsub(/"/, "", t); print t }' "$work/man.roff"
}

# ---- the program's help ---------------------------------------------------------------------

"$TEXTCLF" --help > "$work/help.general" 2>&1 || bad "textclf --help failed"
# the usage lines of the general help: "Usage: textclf ..." and the "       textclf ..." after it
awk 'NR == 1 || /^       textclf / { print; next } { exit }' "$work/help.general" |
    sed -E 's/^Usage: +//; s/^ +//; s/ +\(see [^)]*\)//' > "$work/usage.general"

# has_own_help SUB: whether SUB has a --help of its own (then in $work/help.SUB).
has_own_help() {
    local sub=$1 pattern
    if [ "$sub" = classify ]; then
        cp "$work/help.general" "$work/help.classify"
        pattern='^Usage: textclf \[classify\]'
    else
        timeout 10 "$TEXTCLF" "$sub" --help > "$work/help.$sub" 2>&1 < /dev/null
        pattern="^Usage: textclf $sub( |\$)"
    fi
    head -n 1 "$work/help.$sub" | grep -Eiq "$pattern"
}

# The option lines of a help: "-x, --long=ARG  text" -> "-x --long ARG" where ARG is "=" (takes
# one), "[=" (optional, attached) or "-" (none); -x is "-" when there is no short form.
option_specs() {
    grep -E '^ {1,8}-' "$1" | sed -E 's/^ +//; s/ {2,}.*//' |
        perl -ne 'if (/^(?:(-\w), )?(--[\w-]+)(\[=|=)?/) { print(($1 // "-"), " $2 ", ($3 // "-"), "\n") }'
}

# ---- per subcommand: options of --help, man section, completion --------------------------------

man_subcommands | sort > "$work/man.subs"
mapfile -t man_subs < "$work/man.subs"
tmpdir_complete=$work/complete
mkdir -p "$tmpdir_complete/sub"
touch "$tmpdir_complete/a.json" "$tmpdir_complete/b.txt" "$tmpdir_complete/sub/c.json" \
      "$tmpdir_complete/sub/d.txt" "$tmpdir_complete/-x.txt"
mkdir -p "$work/empty"

# completion cases: "name<TAB>command line<TAB>expected" lines, run in both modes at the end
cases=$work/cases
: > "$cases"
add_case() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$cases"; }

# values_check SUB OPT_LONG OPT_SHORT ARGKIND VALUES...: completion and man page for an option
# that takes one of VALUES
values_check() {
    local sub=$1 long=$2 short=$3 arg=$4; shift 4
    local vals prefix="textclf $sub "
    vals=$(printf '%s\n' "$@" | joined)
    [ "$sub" = classify ] && prefix="textclf "
    add_case "$sub $long= values" "$prefix$long=" "$vals"
    if [ "$arg" = "=" ]; then
        add_case "$sub $long VALUE values" "$prefix$long " "$vals"
        [ "$short" != - ] && add_case "$sub $short VALUE values" "$prefix$short " "$vals"
    fi
    local text missing=
    text=$(man_option_text "$sub" "$long")
    for v in "$@"; do
        grep -Eq "(^|[^A-Za-z0-9-])$v([^A-Za-z0-9-]|\$)" <<< "$text" || missing+=" $v"
    done
    if [ -z "$text" ]; then bad "man $sub $long: no entry to check its values in"
    elif [ -z "$missing" ]; then ok "man $sub $long names its values ($vals)"
    else bad "man $sub $long does not name:$missing"; fi
}

for sub in "${man_subs[@]}"; do
    man_section_tags "$sub" | options_in > "$work/man.$sub"
    if ! has_own_help "$sub"; then
        bad "'textclf $sub --help' does not print its own usage: $(head -n 1 "$work/help.$sub")"
        continue
    fi
    # the options a completion offers after "-", in the empty directory (no file names)
    if [ "$sub" = classify ]; then line="textclf -"; else line="textclf $sub -"; fi
    option_specs "$work/help.$sub" > "$work/specs.$sub"
    awk '{ if ($1 != "-") print $1; print $2 }' "$work/specs.$sub" | sort -u > "$work/help.opts.$sub"
    d=$(diff_sets "$work/help.opts.$sub" "$work/man.$sub" "--help")
    if [ -z "$d" ] && [ -s "$work/man.$sub" ]; then
        ok "man section $sub: the options of 'textclf $sub --help'"
    else bad "man section $sub against its --help: $d"; fi
    add_case "completion: options of $sub" "$line" "$(joined < "$work/help.opts.$sub")"
    # options with an argument: which words does the program accept?
    while read -r short long arg; do
        [ "$arg" = - ] && continue
        if [ "$sub" = classify ]; then cmd=("$TEXTCLF"); else cmd=("$TEXTCLF" "$sub"); fi
        err=$(cd "$work/empty" &&
              timeout 10 "${cmd[@]}" "$long=@@bad@@" 2>&1 < /dev/null > /dev/null)
        list=$(sed -nE 's/.*expected ([a-z0-9-]+((, [a-z0-9-]+)* or [a-z0-9-]+))$/\1/p' \
               <<< "$err" | head -n 1)
        [ -z "$list" ] && continue
        # shellcheck disable=SC2046
        values_check "$sub" "$long" "$short" "$arg" $(sed 's/,//g; s/ or / /' <<< "$list")
    done < "$work/specs.$sub"
done

# ---- subcommands, exit statuses, environment, version --------------------------------------

{ echo classify; sed -nE 's/^textclf ([a-z]+).*/\1/p' "$work/usage.general"; } | sort -u > "$work/help.subs"
subset_check "man SUBCOMMANDS: every subcommand of 'textclf --help'" "$work/help.subs" \
    "$work/man.subs" "the man page"
# the other way round is the program's business, not the man page's: only a note
unlisted=$(comm -23 "$work/man.subs" "$work/help.subs" | paste -sd ' ' -)
[ -n "$unlisted" ] && echo "NOTE subcommands missing from the usage lines of 'textclf --help': $unlisted"
synopsis=$(awk '/^\.SH/ { in_s = ($2 == "SYNOPSIS"); next } in_s' "$work/man.roff")
missing=
for sub in "${man_subs[@]}"; do
    [ "$sub" = classify ] && continue
    grep -q "textclf $sub" <<< "$synopsis" || missing+=" $sub"
done
if [ -z "$missing" ]; then ok "man SYNOPSIS: a line for each subcommand"
else bad "man SYNOPSIS lacks:$missing"; fi
add_case "completion: subcommands (first word, no files)" "textclf " "$(joined < "$work/man.subs")"

{
    for f in docs/cli.md docs/train.md; do
        awk '/^## Exit status/ { in_s = 1; next } /^## / { in_s = 0 } in_s && /^\| *[0-9]/' "$f" |
            cut -d'|' -f2
    done
    for sub in "${man_subs[@]}"; do   # each --help (the general one for some)
        sed -n '/Exit status:/,/^$/p' "$work/help.$sub" | sed 's/.*Exit status://'
    done
} | grep -oE '\b[0-9]{1,3}\b' | sort -u > "$work/codes.docs"
man_tags_of "EXIT STATUS" | grep -oE '\b[0-9]{1,3}\b' | sort -u > "$work/codes.man"
d=$(diff_sets "$work/codes.docs" "$work/codes.man" "docs/--help")
if [ -z "$d" ]; then
    ok "man EXIT STATUS: the statuses of docs/cli.md, docs/train.md and --help ($(joined < "$work/codes.man"))"
else bad "man EXIT STATUS: $d"; fi

for sub in "${man_subs[@]}"; do cat "$work/help.$sub"; done |
    grep -oE '\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b' | sort -u > "$work/env.help"
man_tags_of ENVIRONMENT | grep -oE '\b[A-Z][A-Z0-9_]+\b' | sort -u > "$work/env.man"
subset_check "man ENVIRONMENT: every variable a --help names ($(joined < "$work/env.help"))" \
    "$work/env.help" "$work/env.man" "ENVIRONMENT"
stale=
while read -r v; do
    grep -qw "$v" docs/cli.md docs/train.md "$work/env.help" || stale+=" $v"
done < "$work/env.man"
if [ -z "$stale" ]; then ok "man ENVIRONMENT: only variables the docs know"
else bad "man ENVIRONMENT names variables neither docs nor --help know:$stale"; fi

version=$("$TEXTCLF" --version)
th=$(sed -nE 's/^\.TH .*"(textclf [^"]*)".*/\1/p' "$MAN")
check "man .TH version is 'textclf --version'" "$th" "$version"

# ---- the completion script loads ---------------------------------------------------------------

if bash -n "$COMP" 2> "$work/err"; then ok "completion: bash -n"
else bad "completion: bash -n: $(cat "$work/err")"; fi
out=$(bash --norc --noprofile -c 'source "$1" && complete -p textclf' _ "$COMP" 2> "$work/err")
check "completion: loads without bash-completion, registers _textclf" "$out$(cat "$work/err")" \
    "complete -F _textclf textclf"
have_bc=0
if [ ! -f "$BASH_COMPLETION" ]; then
    bad "bash-completion is not installed ($BASH_COMPLETION; apt-get install bash-completion)"
else
    have_bc=1
    out=$(bash --norc --noprofile -c 'source "$1" && source "$2" && complete -p textclf' _ \
          "$BASH_COMPLETION" "$COMP" 2> "$work/err")
    check "completion: loads with bash-completion" "$out$(cat "$work/err")" \
        "complete -F _textclf textclf"
    # installed as share/bash-completion/completions/textclf, loaded on the first TAB
    mkdir -p "$work/xdg/bash-completion/completions"
    cp "$COMP" "$work/xdg/bash-completion/completions/textclf"
    out=$(cd "$work/empty" && XDG_DATA_HOME=$work/xdg bash --norc --noprofile -c '
        source "$1" || exit 1
        __load_completion textclf || echo "not loaded"
        COMP_WORDS=(textclf tr); COMP_CWORD=1; COMP_LINE="textclf tr"; COMP_POINT=10
        _textclf textclf tr textclf
        echo "${COMPREPLY[*]}"' _ "$BASH_COMPLETION" 2>&1)
    check "completion: loaded on demand by bash-completion, then completes" "$out" "train"
fi

# ---- completion cases ----------------------------------------------------------------------------

add_case "subcommand" "textclf tr" "train"
add_case "subcommands" "textclf t" "test tokenize train"
add_case "first word: subcommands and files" "textclf " \
    "-x.txt a.json b.txt classify convert embed explain info quantize sub/ test tokenize train"
add_case "train option" "textclf train --ep" "--epochs"
add_case "-m: model paths" "textclf -m " "a.json sub/"
add_case "--model=: model paths" "textclf --model=" "a.json sub/"
add_case "--model= in a directory" "textclf --model=sub/" "sub/c.json"
add_case "files after options" "textclf -m a.json -q " "-x.txt a.json b.txt sub/"
add_case "options after a file" "textclf b.txt --line" "--line-buffered"
add_case "options after files and options" "textclf -m a.json -q -n b.txt --w" \
    "--whole-file --with-filename"
add_case "files after a file, no subcommands" "textclf b.txt " "-x.txt a.json b.txt sub/"
add_case "after --: files only" "textclf -- -" "-x.txt"
add_case "-k takes a number" "textclf -k " ""
add_case "classify named" "textclf classify --th" "--threads --threshold"
add_case "info MODEL" "textclf info " "a.json sub/"
add_case "tokenize option" "textclf tokenize --i" "--ids"
add_case "test: first operand is the model" "textclf test " "a.json sub/"
add_case "test: then data files" "textclf test a.json " "-x.txt a.json b.txt sub/"
add_case "test -m: every operand is a file" "textclf test -m a.json " "-x.txt a.json b.txt sub/"
add_case "test: an option's argument is no operand" "textclf test -k 2 " "a.json sub/"
add_case "test --color takes no separate value" "textclf test --color " "a.json sub/"
add_case "train: options only, also with no dash" "textclf train " "@options train"
add_case "train -o: model paths" "textclf train -o " "a.json sub/"
add_case "train -i: any file" "textclf train -i " "-x.txt a.json b.txt sub/"
add_case "train --activation=g" "textclf train --activation=g" "gelu"
add_case "train --epochs takes a number" "textclf train --epochs " ""
add_case "convert: model paths" "textclf convert --inline " "a.json sub/"
add_case "convert: OUT.json too" "textclf convert a.json " "a.json sub/"
add_case "convert --vocab=" "textclf convert --vocab=" "file inline"
add_case "quantize: model paths" "textclf quantize " "a.json sub/"
add_case "quantize --vocab=" "textclf quantize --vocab=" "file inline"
add_case "explain: files" "textclf explain -k 2 " "-x.txt a.json b.txt sub/"
add_case "explain --color=" "textclf explain --color=" "always auto never"
add_case "explain -f" "textclf explain -f " "json text"
add_case "embed option" "textclf embed --la" "--layer"
add_case "embed --layer" "textclf embed --layer " "hidden pooled"
add_case "embed -f" "textclf embed -f " "f32 jsonl npy tsv"
add_case "embed: files" "textclf embed -m a.json " "-x.txt a.json b.txt sub/"

# expected "@options SUB": the options of SUB's --help
resolve() {
    case $1 in
    "@options "*) joined < "$work/help.opts.${1#@options }" ;;
    *) echo "$1" ;;
    esac
}
modes=plain
[ $have_bc = 1 ] && modes="bash-completion plain"
for mode in $modes; do
    # cases whose expected list has no file names run in an empty directory
    cut -f2 "$cases" > "$work/lines"
    (cd "$tmpdir_complete" && bash --norc --noprofile "$HARNESS" "$mode" "$COMP" < "$work/lines") \
        > "$work/got.$mode" 2>&1
    (cd "$work/empty" && bash --norc --noprofile "$HARNESS" "$mode" "$COMP" < "$work/lines") \
        > "$work/got.empty.$mode" 2>&1
    i=0
    while IFS=$'\t' read -r name line expected; do
        i=$((i + 1))
        got=$(sed -n "${i}p" "$work/got.$mode")
        case $name in
        "completion: options of "* | "completion: subcommands"*)
            got=$(sed -n "${i}p" "$work/got.empty.$mode") ;;
        esac
        expected=$(resolve "$expected")
        if [ "$got" = "$expected" ]; then
            ok "[$mode] $name: '$line'"
        else
            words <<< "$expected" > "$work/want"
            words <<< "$got" > "$work/have"
            bad "[$mode] $name: '$line': $(diff_sets "$work/want" "$work/have" "the expected") (got '$got')"
        fi
    done < "$cases"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
