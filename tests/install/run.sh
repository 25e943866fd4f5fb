#!/usr/bin/env bash
# make install / make uninstall into temporary prefixes, from the build that the other suites
# test (BUILD: its object directory, REPLAY_DIR in tests/run.sh; TEXTCLF: its program, installed
# as bin/textclf). Checks the installed tree file by file, the shared library's soname and
# exported symbols (the functions of textclf.h, version TEXTCLF_0.1), textclf.pc through
# pkg-config, examples/classify.c compiled against the installed library exactly as
# docs/library.md says (dynamic, and static with pkg-config --static) and run on an installed
# model, the installed program's built-in model from another directory, a DESTDIR staged install,
# and that uninstall removes all of it and nothing else: of the directories, those install
# created and left empty, never one that was there before or holds other files. Writes only inside
# its temporary
# directory and BUILD, where make builds the shared library (its objects in BUILD/pic/, once)
# and textclf.pc. Ends with "N passed, N failed".
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF BUILD}")
BUILD=$(realpath "${2:?usage: run.sh TEXTCLF BUILD}")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset TEXTCLF_MODEL PKG_CONFIG_PATH PKG_CONFIG_LIBDIR LD_LIBRARY_PATH
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
# check NAME GOT EXPECTED
check() {
    if [ "$2" = "$3" ]; then ok "$1"
    else ko "$1"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | sed 's/^/    /'; fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

# make with this build: its program and static library as they are, never remade (-o: the
# files tested are the files installed, even if a source changed since), the shared library's
# objects (BUILD/pic/) built if missing. Not the caller's make variables (`make sanitize-test`
# runs this suite from a recipe whose MAKEFLAGS carry CFLAGS=-fsanitize=...): the shared
# library is built with the default flags whatever the build's other objects were.
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2 --no-print-directory -C "$root" \
        BUILD="$BUILD" BIN="$TEXTCLF" -o "$TEXTCLF" -o "$BUILD/libtextclf.a" "$@"
}

version=$(sed -n 's/^#define TC_VERSION "\(.*\)"/\1/p' src/textclf.h)
man_src=docs/man/textclf.1
comp_src=completions/textclf.bash
# the shipped models and the files their JSON name
model_files() {
    local m
    for m in models/*.json; do
        echo "${m##*/}"
        sed -n -e 's/.*"weights_file": *"\([^"]*\)".*/\1/p' \
               -e 's/.*"vocab": *{ *"file": *"\([^"]*\)".*/\1/p' "$m"
    done
}
# what install puts under a prefix, one relative path a line, sorted
expected_tree() {
    {
        printf '%s\n' bin/textclf include/textclf.h lib/libtextclf.a lib/libtextclf.so \
            lib/libtextclf.so.0 "lib/libtextclf.so.$version" lib/pkgconfig/textclf.pc
        [ -f "$man_src" ] && echo share/man/man1/textclf.1
        [ -f "$comp_src" ] && echo share/bash-completion/completions/textclf
        model_files | sed 's|^|share/textclf/models/|'
        echo share/textclf/installed-dirs
    } | LC_ALL=C sort
}
# the files and symbolic links under a directory, relative, sorted
tree() { (cd "$1" 2>/dev/null && find . \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort); }
# the directories under a directory (not itself), relative, sorted, on one line
dirs() { (cd "$1" 2>/dev/null && find . -mindepth 1 -type d -printf '%P\n' | LC_ALL=C sort | xargs); }

# the documents and their labels (lang.json; README's six lines)
printf '%s\n' 'Le chat dort sur le canapé' 'Я люблю читать книги по вечерам' \
    '猫はソファで寝ています' '貓在沙發上睡覺' 'Die Katze schläft auf dem Sofa' \
    'The cat is asleep on the sofa' > "$tmp/docs.txt"
labels=$'fr\nru\nja\nzh-Hant\nde\nen'

[ -f "$man_src" ] || echo "NOTE: no $man_src in the tree: not installed, not checked"
[ -f "$comp_src" ] || echo "NOTE: no $comp_src in the tree: not installed, not checked"

# ---- install into PREFIX (no DESTDIR) ----------------------------------------------------
# bin and share/man are there before, empty (as in /usr/local): uninstall must leave them
prefix=$tmp/usr
mkdir -p "$prefix/bin" "$prefix/share/man"
start=$SECONDS
if mk install PREFIX="$prefix" DESTDIR= > "$tmp/install.log" 2>&1; then
    ok "make install PREFIX=<tmp>/usr ($((SECONDS - start)) s)"
else
    ko "make install PREFIX=<tmp>/usr"; tail -n 30 "$tmp/install.log"; finish
fi
check "installed files" "$(tree "$prefix")" "$(expected_tree)"
created="include lib lib/pkgconfig share/textclf share/textclf/models"
[ -f "$man_src" ] && created="$created share/man/man1"
[ -f "$comp_src" ] && created="$created share/bash-completion share/bash-completion/completions"
check "share/textclf/installed-dirs lists the directories install created" \
    "$(cat "$prefix/share/textclf/installed-dirs" 2>&1)" \
    "$(printf "$prefix/%s\n" $created | LC_ALL=C sort)"
# again over the installed tree: nothing fails, nothing changes
if mk install PREFIX="$prefix" DESTDIR= > "$tmp/install2.log" 2>&1 &&
   [ "$(tree "$prefix")" = "$(expected_tree)" ]; then ok "make install twice"
else ko "make install twice"; tail -n 30 "$tmp/install2.log"; fi

lib=$prefix/lib
check "lib/libtextclf.so -> libtextclf.so.0 -> libtextclf.so.$version" \
    "$(readlink "$lib/libtextclf.so") $(readlink "$lib/libtextclf.so.0")" \
    "libtextclf.so.0 libtextclf.so.$version"
modes=$(cd "$prefix" && stat -c '%a %n' bin/textclf "lib/libtextclf.so.$version" \
    lib/libtextclf.a include/textclf.h lib/pkgconfig/textclf.pc share/textclf/models/*)
check "file modes (programs 755, data 644)" "$(grep -v '^644 share/textclf/models/' <<< "$modes")" \
    "755 bin/textclf
755 lib/libtextclf.so.$version
644 lib/libtextclf.a
644 include/textclf.h
644 lib/pkgconfig/textclf.pc"
check "every model file 644" "$(grep -c '^644 share/textclf/models/' <<< "$modes")" \
    "$(model_files | wc -l)"
same=1
for f in $(model_files); do cmp -s "models/$f" "$prefix/share/textclf/models/$f" || same=0; done
cmp -s src/textclf.h "$prefix/include/textclf.h" || same=0
cmp -s "$BUILD/libtextclf.a" "$lib/libtextclf.a" || same=0
cmp -s "$TEXTCLF" "$prefix/bin/textclf" || same=0
[ ! -f "$man_src" ] || cmp -s "$man_src" "$prefix/share/man/man1/textclf.1" || same=0
[ ! -f "$comp_src" ] || cmp -s "$comp_src" "$prefix/share/bash-completion/completions/textclf" || same=0
check "installed files are the built and shipped ones" "$same" 1

# ---- the shared library --------------------------------------------------------------------
check "soname" "$(readelf -d "$lib/libtextclf.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" \
    libtextclf.so.0
# the functions declared in textclf.h, and what the library exports
declared=$(sed -n 's/^[a-z][a-z_ ]*[ *]\(tc_[a-z0-9_]*\)(.*/\1/p' src/textclf.h | LC_ALL=C sort)
exported=$(nm -D --defined-only "$lib/libtextclf.so.$version" | awk '$2 != "A" { print $3 }' | LC_ALL=C sort)
check "exports exactly the functions of textclf.h, version TEXTCLF_0.1 ($(wc -l <<< "$exported") symbols)" \
    "$exported" "$(sed 's/$/@@TEXTCLF_0.1/' <<< "$declared")"
check "no other dynamic symbol defined (only the version node)" \
    "$(nm -D --defined-only "$lib/libtextclf.so.$version" | awk '$2 == "A" { print $3 }')" TEXTCLF_0.1

# ---- the header: only system headers, compiles alone as C99 and as C++ ---------------------
check "textclf.h includes only system headers" \
    "$(grep -E '^[[:space:]]*#[[:space:]]*include' "$prefix/include/textclf.h" | grep -vE '<(stddef|stdint)\.h>')" ""
echo '#include <textclf.h>
int main(void) { return TC_OK; }' > "$tmp/header.c"
if cc -std=c99 -pedantic -Wall -Wextra -Werror -I"$prefix/include" -c "$tmp/header.c" \
        -o "$tmp/header.o" 2> "$tmp/header.err"; then ok "textclf.h alone, -std=c99 -pedantic"
else ko "textclf.h alone, -std=c99 -pedantic"; cat "$tmp/header.err"; fi

printf '%s\n' 'extern "C" {' '#include <textclf.h>' '}' 'int main() { return TC_OK; }' > "$tmp/header.cpp"
if ! command -v c++ > /dev/null; then echo "NOTE: no c++: textclf.h not compiled as C++"
elif c++ -Wall -Wextra -Werror -pedantic -I"$prefix/include" -c "$tmp/header.cpp" \
        -o "$tmp/header-cpp.o" 2> "$tmp/header-cpp.err"; then ok "textclf.h in extern \"C\", C++"
else ko "textclf.h in extern \"C\", C++"; cat "$tmp/header-cpp.err"; fi

# ---- pkg-config ----------------------------------------------------------------------------
export PKG_CONFIG_PATH=$lib/pkgconfig
check "pkg-config --modversion textclf" "$(pkg-config --modversion textclf 2>&1)" "$version"
check "pkg-config --cflags --libs textclf" "$(pkg-config --cflags --libs textclf 2>&1 | sed 's/ *$//')" \
    "-I$prefix/include -L$lib -ltextclf"
static_libs=$(pkg-config --static --libs textclf 2>&1)
missing=""
for l in -ltextclf -lcjson -lutf8proc -ldl -lm -lpthread; do
    grep -qe "$l" <<< "$static_libs" || missing="$missing $l"
done
check "pkg-config --static --libs textclf has its dependencies ($static_libs)" "$missing" ""
check "textclf.pc: prefix" "$(pkg-config --variable=prefix textclf)" "$prefix"

# ---- examples/classify.c against the installed library -------------------------------------
# docs/library.md shows it whole: its last ```c block is the file
check "docs/library.md shows examples/classify.c as it is" \
    "$(awk '/^```c$/ { on = 1; n = 0; delete l; next } /^```$/ { on = 0 } on { l[++n] = $0 }
            END { for (i = 1; i <= n; i++) print l[i] }' docs/library.md)" \
    "$(cat examples/classify.c)"
# A sanitized library (ASan, UBSan, TSan objects) needs its sanitizer's runtime in the program:
# the same -fsanitize options when linking it. The shared library is built with the default
# flags by this suite, so only a library built otherwise (make lib CFLAGS=-fsanitize=...) or a
# sanitized build's libtextclf.a needs them.
san_flags() {
    local syms
    syms=$(nm "$@" 2> /dev/null | grep -o ' U __[a-z]*san_' | sort -u)
    grep -q asan <<< "$syms" && printf ' %s' -fsanitize=address
    grep -q ubsan <<< "$syms" && printf ' %s' -fsanitize=undefined
    grep -q tsan <<< "$syms" && printf ' %s' -fsanitize=thread
}
san=$(san_flags -D "$lib/libtextclf.so.$version")
[ -z "$san" ] || echo "NOTE: sanitized shared library: the dynamic link adds$san"
# the command of docs/library.md (with -o: this suite writes only in its temporary directory)
# shellcheck disable=SC2086,SC2046
if cc $san $(pkg-config --cflags textclf) examples/classify.c $(pkg-config --libs textclf) \
        -o "$tmp/classify" 2> "$tmp/cc.err"; then ok "examples/classify.c compiles and links (shared)"
else ko "examples/classify.c compiles and links (shared)"; cat "$tmp/cc.err"; fi
if [ -x "$tmp/classify" ]; then
    check "classify needs libtextclf.so.0" \
        "$(readelf -d "$tmp/classify" | grep -o 'libtextclf[^]]*')" libtextclf.so.0
    check "libtextclf.so.0 is the installed one" \
        "$(LD_LIBRARY_PATH=$lib ldd "$tmp/classify" | awk '$1 == "libtextclf.so.0" { print $3 }')" \
        "$lib/libtextclf.so.0"
    out=$(LD_LIBRARY_PATH=$lib "$tmp/classify" "$prefix/share/textclf/models/lang.json" \
          < "$tmp/docs.txt" 2>&1)
    check "classify (shared) labels" "$(cut -f1 <<< "$out")" "$labels"
    check "classify prints what textclf -m prints" "$out" \
        "$("$prefix/bin/textclf" -m "$prefix/share/textclf/models/lang.json" < "$tmp/docs.txt")"
    # a model that abstains and withholds a label: the abstention's form and the answer
    sed 's|^  "labels":|  "abstain": {"label": "und", "min_probability": 0.9, "max_unknown": 0.5, "letterless": true, "withheld": ["fr"]},\n  "labels":|' \
        tests/models/tiny.json > "$tmp/wh.json"
    printf 'hello world\n12345 !!\nle chat\n' > "$tmp/wh.txt"
    out=$(LD_LIBRARY_PATH=$lib "$tmp/classify" "$tmp/wh.json" < "$tmp/wh.txt" 2>&1)
    check "classify prints what textclf -m prints (abstain rule, withheld label)" "$out" \
        "$("$prefix/bin/textclf" -m "$tmp/wh.json" < "$tmp/wh.txt")"
    check "classify abstains as textclf does" "$(grep -c $'^und\t\t' <<< "$out")" 2
    err=$(LD_LIBRARY_PATH=$lib "$tmp/classify" "$tmp/none.json" < /dev/null 2>&1)
    check "classify: a missing model is an error (status 1, the library's message)" "$? $err" \
        "1 classify: $tmp/none.json: No such file or directory"
    echo '{"labels": ["a", "b"],' > "$tmp/bad.json"
    err=$(LD_LIBRARY_PATH=$lib "$tmp/classify" "$tmp/bad.json" < /dev/null 2>&1)
    check "classify: a bad model is an error with its position" "$? ${err%%: invalid*}" \
        "1 classify: $tmp/bad.json:2:1"
fi

# static: libtextclf.a by name, its dependencies from pkg-config --static
san=$(san_flags "$lib/libtextclf.a")
[ -z "$san" ] || echo "NOTE: sanitized libtextclf.a: the static link adds$san"
# shellcheck disable=SC2086,SC2046
if cc $san $(pkg-config --cflags textclf) examples/classify.c \
        $(pkg-config --static --libs textclf | sed 's/-ltextclf\b/-l:libtextclf.a/') \
        -o "$tmp/classify-static" 2> "$tmp/cc-static.err"; then
    ok "examples/classify.c links libtextclf.a (pkg-config --static --libs)"
    check "classify-static does not need libtextclf.so" \
        "$(readelf -d "$tmp/classify-static" | grep -c 'libtextclf')" 0
    check "classify-static labels" \
        "$("$tmp/classify-static" "$prefix/share/textclf/models/lang.json" < "$tmp/docs.txt" | cut -f1)" \
        "$labels"
else
    ko "examples/classify.c links libtextclf.a (pkg-config --static --libs)"; cat "$tmp/cc-static.err"
fi
unset PKG_CONFIG_PATH

# ---- the installed program -----------------------------------------------------------------
mkdir "$tmp/elsewhere"
check "installed textclf --version" "$("$prefix/bin/textclf" --version 2>&1)" "textclf $version"
check "installed textclf, no -m, from another directory: built-in model" \
    "$(cd "$tmp/elsewhere" && "$prefix/bin/textclf" < "$tmp/docs.txt" 2>&1 | cut -f1)" "$labels"
for m in models/*.json; do
    if "$prefix/bin/textclf" info "$prefix/share/textclf/models/${m##*/}" > /dev/null 2>&1; then
        ok "installed model ${m##*/} loads"
    else ko "installed model ${m##*/} loads"; fi
done
if [ -f "$comp_src" ]; then
    check "installed completion defines the completion of textclf" \
        "$(bash -c 'source "$1" && complete -p textclf > /dev/null && echo ok' _ \
           "$prefix/share/bash-completion/completions/textclf" 2>&1)" ok
fi
if [ -f "$man_src" ] && command -v man > /dev/null; then
    check "installed man page is found by man" \
        "$(MANPATH=$prefix/share/man man -w textclf 2>&1)" "$prefix/share/man/man1/textclf.1"
fi

# ---- uninstall: all of ours, nothing else ---------------------------------------------------
# files of others in a directory that was there (bin), in one install created (lib/pkgconfig)
# and in the models' directory
echo mine > "$prefix/bin/other"
echo mine > "$prefix/lib/pkgconfig/other.pc"
echo '{}' > "$prefix/share/textclf/models/mine.json"
if mk uninstall PREFIX="$prefix" DESTDIR= > "$tmp/uninstall.log" 2>&1; then ok "make uninstall"
else ko "make uninstall"; tail -n 30 "$tmp/uninstall.log"; fi
check "uninstall leaves only the files it did not install" "$(tree "$prefix")" \
    "bin/other
lib/pkgconfig/other.pc
share/textclf/models/mine.json"
check "uninstall removes the directories install created that it left empty, no other" \
    "$(dirs "$prefix")" "bin lib lib/pkgconfig share share/man share/textclf share/textclf/models"
rm "$prefix/bin/other" "$prefix/lib/pkgconfig/other.pc" "$prefix/share/textclf/models/mine.json"
mk uninstall PREFIX="$prefix" DESTDIR= > "$tmp/uninstall2.log" 2>&1
check "uninstall again: nothing left, share/textclf removed" \
    "$?:$(tree "$prefix"):$([ -e "$prefix/share/textclf" ] && echo share/textclf)" "0::"
# lib/pkgconfig held a file at the first uninstall, which then forgot the directories install
# made: kept, as the ones that were there before
check "uninstall again: the other directories kept" "$(dirs "$prefix")" \
    "bin lib lib/pkgconfig share share/man"

# ---- DESTDIR: a staged install for PREFIX --------------------------------------------------
stage=$tmp/stage
sprefix=$tmp/opt/textclf
if mk install PREFIX="$sprefix" DESTDIR="$stage" > "$tmp/stage.log" 2>&1; then
    ok "make install DESTDIR=<tmp>/stage PREFIX=<tmp>/opt/textclf"
else ko "make install DESTDIR=<tmp>/stage PREFIX=<tmp>/opt/textclf"; tail -n 30 "$tmp/stage.log"; fi
check "staged: everything under DESTDIR/PREFIX" "$(tree "$stage$sprefix")" "$(expected_tree)"
check "staged: nothing in PREFIX itself" "$([ -e "$tmp/opt" ] && echo "$tmp/opt exists")" ""
check "staged: textclf.pc says PREFIX" \
    "$(PKG_CONFIG_PATH=$stage$sprefix/lib/pkgconfig pkg-config --cflags --libs textclf 2>&1 | sed 's/ *$//')" \
    "-I$sprefix/include -L$sprefix/lib -ltextclf"
if mk uninstall PREFIX="$sprefix" DESTDIR="$stage" > "$tmp/unstage.log" 2>&1 &&
   [ -z "$(tree "$stage")" ]; then ok "staged: make uninstall DESTDIR=... leaves no file"
else ko "staged: make uninstall DESTDIR=... leaves no file"; tree "$stage"; fi
# install made DESTDIR and every directory under it: uninstall removes them all
check "staged: no directory left either, DESTDIR included (install made it)" \
    "$([ -e "$stage" ] && find "$stage" -type d)" ""

finish
