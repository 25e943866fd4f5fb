#!/usr/bin/env bash
# The Debian packages (docs/packaging.md), installed into a throw-away root, never into the
# system: each .deb is unpacked there with dpkg -x, the program runs from it, and
# examples/classify.c as the -dev package installs it is compiled against the root's header,
# pkg-config file and libraries (PKG_CONFIG_SYSROOT_DIR) and run with LD_LIBRARY_PATH.
#
#   tests/deb/run.sh [DEBDIR]
#
# DEBDIR: where `make deb` put the packages (build/deb); without it, they are built here first
# with tools/deb/build.sh into a temporary directory, and the build is checked to leave the
# source tree as it was and nothing in the tree's parent directory. Checks: the package names,
# versions and architectures; the dependencies (libtextclf0's from its shared library's NEEDED
# entries through ${shlibs:Depends}, textclf's: linked with the static library, not libtextclf0)
# and that apt-get install -s resolves them; the symbols file against src/libtextclf.map, each
# package's files; the program's hardening; the program classifying with its built-in model and
# with installed shipped models; the man page and completion; the example program against the
# installed shared and static library; lintian: no tag that debian/*.lintian-overrides does not
# accept (errors, warnings, info, pedantic). Needs dpkg-dev, lintian, binutils, pkg-config, cc,
# man, and git to build. Writes only in its temporary directory (and, building, tools/deb/build.sh
# writes only there too). Ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset TEXTCLF_MODEL PKG_CONFIG_PATH PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR LD_LIBRARY_PATH
export LC_ALL=C OPENBLAS_NUM_THREADS=1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
# check NAME GOT EXPECTED
check() {
    if [ "$2" = "$3" ]; then ok "$1"
    else ko "$1"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | sed 's/^/    /'; fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

for tool in dpkg-deb dpkg-architecture lintian pkg-config cc man readelf nm; do
    command -v "$tool" > /dev/null || { ko "$tool is not installed (docs/packaging.md)"; finish; }
done

version=$(sed -n 's/^#define TC_VERSION "\(.*\)"/\1/p' src/textclf.h)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
check "debian/changelog's version is TC_VERSION ($version)" \
    "$(dpkg-parsechangelog -l debian/changelog -S Version)" "$version"

# ---- the packages: given, or built here ----------------------------------------------------
if [ $# -ge 1 ]; then
    debs=$(realpath "$1")
    [ -d "$debs" ] || { ko "no directory $1 (make deb writes build/deb)"; finish; }
else
    debs=$tmp/deb
    # the packages of this version in the parent directory, and the tree's state, before
    parent_before=$(ls -d ../*_"$version"_* 2> /dev/null)
    status_before=$(git status --porcelain --ignored -- . ':!build' ':!build/**')
    start=$SECONDS
    if bash tools/deb/build.sh "$debs" > "$tmp/build.log" 2>&1; then
        ok "tools/deb/build.sh ($((SECONDS - start)) s)"
    else
        ko "tools/deb/build.sh"; tail -n 40 "$tmp/build.log"; finish
    fi
    check "the build leaves no package in the tree's parent directory" \
        "$(ls -d ../*_"$version"_* 2> /dev/null)" "$parent_before"
    check "the build leaves the source tree as it was (build/ aside)" \
        "$(git status --porcelain --ignored -- . ':!build' ':!build/**')" "$status_before"
    check "the build removes its copy of the tree" "$(ls -d "$debs-src" 2> /dev/null)" ""
fi
deb() { echo "$debs/${1}_${version}_${2:-$arch}.deb"; }

# (with the default DEB_BUILD_OPTIONS: noautodbgsym would leave out the -dbgsym packages)
check "the packages built" \
    "$(cd "$debs" && ls -1 ./*.deb 2> /dev/null | sed 's|^\./||')" \
    "$(printf '%s\n' "libtextclf-dev_${version}_$arch.deb" "libtextclf0-dbgsym_${version}_$arch.deb" \
        "libtextclf0_${version}_$arch.deb" "textclf-dbgsym_${version}_$arch.deb" \
        "textclf-models_${version}_all.deb" "textclf_${version}_$arch.deb" | LC_ALL=C sort)"
for p in textclf textclf-models:all libtextclf0 libtextclf-dev; do
    a=${p#*:}; [ "$a" = "$p" ] && a=$arch; p=${p%:*}
    check "$p: Package, Version, Architecture" \
        "$(dpkg-deb -f "$(deb "$p" "$a")" Package Version Architecture 2>&1)" \
        "Package: $p
Version: $version
Architecture: $a"
done

# ---- dependencies --------------------------------------------------------------------------
# field PACKAGE[:ARCH] FIELD: the field's entries, one a line, in order
field() {
    local a=${1#*:} p=${1%:*}
    [ "$a" = "$1" ] && a=$arch
    dpkg-deb -f "$(deb "$p" "$a")" "$2" | tr ',' '\n' | sed 's/^ *//; /^$/d'
}
# the packages that hold a file's NEEDED libraries (as ${shlibs:Depends} found them): each
# NEEDED name, its path from ldd, its file (not the soname link) as dpkg knows it, under /usr or
# not (merged /usr: dpkg may have it either way)
needed_packages() {
    local lib path f
    for lib in $(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        path=$(ldd "$1" | awk -v l="$lib" '$1 == l && $2 == "=>" { print $3 }')
        f=$(dirname "$path")/$(basename "$(readlink -f "$path")")
        { dpkg -S "$f" || dpkg -S "/usr${f#/usr}" || dpkg -S "${f#/usr}"; } 2> /dev/null |
            head -n 1 | cut -d: -f1
    done | LC_ALL=C sort -u
}
mkdir -p "$tmp/root"
for p in textclf textclf-models:all libtextclf0 libtextclf-dev; do
    a=${p#*:}; [ "$a" = "$p" ] && a=$arch; p=${p%:*}
    dpkg-deb -x "$(deb "$p" "$a")" "$tmp/root" || ko "dpkg-deb -x $p"
done
R=$tmp/root
lib=$R/usr/lib/$triplet
shlib=$lib/libtextclf.so.$version

# libtextclf0: what its library needs, through ${shlibs:Depends} (versioned)
need=$(needed_packages "$shlib")
check "libtextclf.so needs libc6, libcjson1, libutf8proc2 (from their NEEDED entries)" \
    "$need" "$(printf '%s\n' libc6 libcjson1 libutf8proc2)"
check "libtextclf0: Depends on each of them, versioned (\${shlibs:Depends})" \
    "$(field libtextclf0 Depends | sed 's/ (>= [^)]*)$//' | LC_ALL=C sort)" "$need"
check "libtextclf0: Recommends libopenblas0 (tc_explain opens it)" \
    "$(field libtextclf0 Recommends)" libopenblas0
# textclf: linked with libtextclf.a, so not with libtextclf0; the models; OpenBLAS for train
check "textclf is linked with the static library: no libtextclf.so.0 among its NEEDED" \
    "$(readelf -d "$R/usr/bin/textclf" | grep -c 'NEEDED.*libtextclf')" 0
prog_need=$(needed_packages "$R/usr/bin/textclf")
check "textclf: Depends on the packages of its NEEDED libraries, the models (same version) and libopenblas0" \
    "$(field textclf Depends | sed 's/ (>= [^)]*)$//' | LC_ALL=C sort)" \
    "$(printf '%s\n' "$prog_need" libopenblas0 "textclf-models (= $version)" | LC_ALL=C sort)"
check "libtextclf-dev: Depends on libtextclf0 (same version) and, for static linking, libcjson-dev, libutf8proc-dev" \
    "$(field libtextclf-dev Depends)" \
    "$(printf '%s\n' "libtextclf0 (= $version)" libcjson-dev libutf8proc-dev)"
check "textclf-models: Depends on nothing" "$(field textclf-models:all Depends)" ""

# apt can install the four packages with what the system's package lists hold (simulated:
# apt-get -s changes nothing); a dependency no package satisfies fails here
if command -v apt-get > /dev/null; then
    if apt-get install -s --no-install-recommends "$(deb textclf)" "$(deb textclf-models all)" \
            "$(deb libtextclf0)" "$(deb libtextclf-dev)" > "$tmp/apt.log" 2>&1; then
        ok "apt-get install -s of the four packages resolves their dependencies"
    else
        ko "apt-get install -s of the four packages resolves their dependencies"
        tail -n 15 "$tmp/apt.log" | sed 's/^/    /'
    fi
else
    echo "NOTE: no apt-get: the dependencies' resolution is not checked"
fi

# the symbols file: every function of src/libtextclf.map under TEXTCLF_0.1, nothing else
dpkg-deb --ctrl-tarfile "$(deb libtextclf0)" | tar -xf - -C "$tmp" ./symbols ./shlibs ./triggers 2> /dev/null
check "libtextclf0's symbols file: the functions of src/libtextclf.map, from $version" \
    "$(sed -n 's/^ \([^ ]*\)@TEXTCLF_0\.1 \(.*\)$/\1 \2/p' "$tmp/symbols" 2>&1)" \
    "$({ echo TEXTCLF_0.1; sed -n 's/^ *\(tc_[a-z0-9_]*\);$/\1/p' src/libtextclf.map; } |
       LC_ALL=C sort | sed "s/\$/ $version/")"
check "libtextclf0's symbols file: soname, package, Build-Depends-Package" \
    "$(grep -v '^ ' "$tmp/symbols" 2>&1)" \
    "libtextclf.so.0 libtextclf0 #MINVER#
* Build-Depends-Package: libtextclf-dev"
check "libtextclf0 triggers ldconfig" "$(grep -v '^#' "$tmp/triggers" 2>&1)" "activate-noawait ldconfig"

# ---- files ---------------------------------------------------------------------------------
# the files and links of a package (not directories, not /usr/share/doc), one a line, sorted
files() {
    dpkg-deb -c "$1" | awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print $6 }' |
        grep -v '^usr/share/doc/' | LC_ALL=C sort
}
check "textclf: files" "$(files "$(deb textclf)")" \
    "usr/bin/textclf
usr/share/bash-completion/completions/textclf
usr/share/lintian/overrides/textclf
usr/share/man/man1/textclf.1.gz"
check "libtextclf0: files" "$(files "$(deb libtextclf0)")" \
    "usr/lib/$triplet/libtextclf.so.0
usr/lib/$triplet/libtextclf.so.$version
usr/share/lintian/overrides/libtextclf0"
check "libtextclf-dev: files" "$(files "$(deb libtextclf-dev)")" \
    "usr/include/textclf.h
usr/lib/$triplet/libtextclf.a
usr/lib/$triplet/libtextclf.so
usr/lib/$triplet/pkgconfig/textclf.pc"
model_files() {
    local m
    for m in models/*.json; do
        echo "${m##*/}"
        sed -n -e 's/.*"weights_file": *"\([^"]*\)".*/\1/p' \
               -e 's/.*"vocab": *{ *"file": *"\([^"]*\)".*/\1/p' "$m"
    done
}
check "textclf-models: files (models/*.json and the files each names)" \
    "$(files "$(deb textclf-models all)")" \
    "$({ model_files | sed 's|^|usr/share/textclf/models/|'
         echo usr/share/lintian/overrides/textclf-models; } | LC_ALL=C sort)"
same=1
for f in $(model_files); do cmp -s "models/$f" "$R/usr/share/textclf/models/$f" || same=0; done
check "the installed models are the tree's" "$same" 1
check "each package has its copyright file and changelog" \
    "$(for p in textclf textclf-models libtextclf0 libtextclf-dev; do
           for f in copyright changelog.gz; do
               [ -s "$R/usr/share/doc/$p/$f" ] || echo "no usr/share/doc/$p/$f"
           done
       done)" ""
check "the copyright file is debian/copyright" \
    "$(cmp "$R/usr/share/doc/textclf/copyright" debian/copyright 2>&1)" ""
check "every file and directory belongs to root:root" \
    "$(for d in "$debs"/*.deb; do dpkg-deb -c "$d"; done | awk '$2 != "root/root"')" ""
check "no file of make uninstall's bookkeeping (share/textclf/installed-dirs)" \
    "$(ls "$R/usr/share/textclf/installed-dirs" 2> /dev/null)" ""
check "lib links: libtextclf.so -> libtextclf.so.0 -> libtextclf.so.$version" \
    "$(readlink "$lib/libtextclf.so") $(readlink "$lib/libtextclf.so.0")" \
    "libtextclf.so.0 libtextclf.so.$version"
check "soname libtextclf.so.0" \
    "$(readelf -d "$shlib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" libtextclf.so.0
check "textclf.h is src/textclf.h" "$(cmp "$R/usr/include/textclf.h" src/textclf.h 2>&1)" ""

# Debian's hardening flags reached the program (debian/rules): PIE, full RELRO, fortified
# calls (the Makefile compiles with CFLAGS only: CPPFLAGS' -D_FORTIFY_SOURCE goes with them)
elf=$(readelf -hldW "$R/usr/bin/textclf")
check "textclf is PIE, with RELRO and BIND_NOW" \
    "$(grep -c 'Type: *DYN' <<< "$elf") $(grep -c GNU_RELRO <<< "$elf") $(grep -c 'FLAGS.*BIND_NOW' <<< "$elf")" \
    "1 1 1"
check "textclf calls fortified functions (_FORTIFY_SOURCE)" \
    "$(nm -D "$R/usr/bin/textclf" | grep ' U __[a-z0-9_]*_chk' | grep -vc __stack_chk_fail |
       awk '{ print ($1 > 0) }')" 1
check "libtextclf.so has RELRO and BIND_NOW" \
    "$(readelf -ldW "$shlib" | grep -c 'GNU_RELRO\|FLAGS.*BIND_NOW')" 2

# ---- the program ---------------------------------------------------------------------------
TEXTCLF=$R/usr/bin/textclf
models=$R/usr/share/textclf/models
printf '%s\n' 'Le chat dort sur le canapé' 'Я люблю читать книги по вечерам' \
    '猫はソファで寝ています' '貓在沙發上睡覺' 'Die Katze schläft auf dem Sofa' \
    'The cat is asleep on the sofa' > "$tmp/docs.txt"
labels=$'fr\nru\nja\nzh-Hant\nde\nen'
check "textclf --version" "$("$TEXTCLF" --version 2>&1 | head -n 1)" "textclf $version"
builtin=$(cd "$tmp" && "$TEXTCLF" < docs.txt 2>&1)
check "textclf (built-in model, from another directory) labels" "$(cut -f1 <<< "$builtin")" "$labels"
check "the installed lang.json answers as the built-in model" \
    "$("$TEXTCLF" -m "$models/lang.json" < "$tmp/docs.txt" 2>&1)" "$builtin"
# gold FILE: the labels of a fastText file; texts FILE: its texts
gold() { sed 's/^__label__\([^ ]*\) .*/\1/' "$1"; }
texts() { sed 's/^__label__[^ ]* //' "$1"; }
for name in spam sentiment; do
    check "textclf -m <root>/usr/share/textclf/models/$name.json labels tests/shipped/$name.txt" \
        "$(texts "tests/shipped/$name.txt" | "$TEXTCLF" -m "$models/$name.json" 2>&1 | cut -f1)" \
        "$(gold "tests/shipped/$name.txt")"
done
check "textclf info <root>/usr/share/textclf/models/lang-world.json" \
    "$("$TEXTCLF" info "$models/lang-world.json" > /dev/null 2>&1; echo $?)" 0
# explain opens OpenBLAS (libopenblas0, which textclf depends on) with dlopen
check "textclf explain (OpenBLAS opened)" \
    "$(head -n 1 "$tmp/docs.txt" | "$TEXTCLF" explain > /dev/null 2> "$tmp/explain.err"; echo $?)" 0
[ -s "$tmp/explain.err" ] && sed 's/^/    /' "$tmp/explain.err"

# the man page: the tree's, compressed, rendering without a warning
check "man page is docs/man/textclf.1" \
    "$(zcat "$R/usr/share/man/man1/textclf.1.gz" | cmp - docs/man/textclf.1 2>&1)" ""
man_err=$(MANWIDTH=80 man --warnings -l "$R/usr/share/man/man1/textclf.1.gz" 2>&1 > "$tmp/man.txt")
check "man -l renders the installed page without warnings" "$man_err" ""
check "the rendered page is textclf's" "$(grep -c '^NAME' "$tmp/man.txt") $(grep -cE '^ +textclf +- ' "$tmp/man.txt")" "1 1"
check "bash completion is completions/textclf.bash" \
    "$(cmp "$R/usr/share/bash-completion/completions/textclf" completions/textclf.bash 2>&1)" ""

# ---- the -dev package: examples/classify.c against the root's library ----------------------
example=$R/usr/share/doc/libtextclf-dev/examples/classify.c
check "the example is examples/classify.c" "$(cmp "$example" examples/classify.c 2>&1)" ""
export PKG_CONFIG_SYSROOT_DIR=$R PKG_CONFIG_LIBDIR=$lib/pkgconfig
check "pkg-config --modversion textclf" "$(pkg-config --modversion textclf 2>&1)" "$version"
check "pkg-config --cflags --libs textclf (in the root)" \
    "$(pkg-config --cflags --libs textclf 2>&1 | sed 's/ *$//')" "-I$R/usr/include -L$lib -ltextclf"
# shellcheck disable=SC2046
if cc $(pkg-config --cflags textclf) "$example" $(pkg-config --libs textclf) -o "$tmp/classify" \
        2> "$tmp/cc.err"; then ok "classify.c compiles and links against libtextclf.so"
else ko "classify.c compiles and links against libtextclf.so"; head -n 20 "$tmp/cc.err"; fi
if [ -x "$tmp/classify" ]; then
    check "classify loads the root's libtextclf.so.0" \
        "$(LD_LIBRARY_PATH=$lib ldd "$tmp/classify" | awk '$1 == "libtextclf.so.0" { print $3 }')" \
        "$lib/libtextclf.so.0"
    check "classify (shared) prints what textclf -m prints" \
        "$(LD_LIBRARY_PATH=$lib "$tmp/classify" "$models/lang.json" < "$tmp/docs.txt" 2>&1)" "$builtin"
fi
# the static library, as docs/library.md links it
# shellcheck disable=SC2046
if cc $(pkg-config --cflags textclf) "$example" \
        $(pkg-config --static --libs textclf | sed 's/-ltextclf\b/-l:libtextclf.a/') \
        -o "$tmp/classify-static" 2> "$tmp/cc-static.err"; then
    ok "classify.c links against libtextclf.a (pkg-config --static)"
    check "classify (static) needs no libtextclf.so" \
        "$(readelf -d "$tmp/classify-static" | grep -c 'NEEDED.*libtextclf')" 0
    check "classify (static) prints what textclf -m prints" \
        "$("$tmp/classify-static" "$models/lang.json" < "$tmp/docs.txt" 2>&1)" "$builtin"
else
    ko "classify.c links against libtextclf.a (pkg-config --static)"; head -n 20 "$tmp/cc-static.err"
fi
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR

# ---- lintian -------------------------------------------------------------------------------
# every tag, pedantic and informational ones too, but those debian/*.lintian-overrides accept
# (each explained in docs/packaging.md): none may remain; an error never may
changes=$(ls "$debs"/*.changes 2> /dev/null | head -n 1)
if [ -z "$changes" ]; then
    ko "no .changes file in $debs for lintian"
else
    lintian --display-info --pedantic --show-overrides "$changes" > "$tmp/lintian.txt" 2>&1
    lrc=$?
    check "lintian: no error" "$(grep '^E: ' "$tmp/lintian.txt")" ""
    check "lintian: no tag that debian/*.lintian-overrides does not accept" \
        "$(grep -Ev '^(O|N): |^running with root privileges is not recommended!$' "$tmp/lintian.txt")" ""
    check "lintian's exit status" "$lrc" 0
    # The spelling overrides accept the built-in model's vocabulary and machine code: a word
    # of them found in src/ could be a message's, which must not be hidden
    words=$(sed -n 's/^O: [^ ]*: spelling-error-in-binary \([^ ]*\) .*/\1/p' "$tmp/lintian.txt" | sort -u)
    check "lintian: the accepted spelling 'errors' ($(wc -w <<< "$words") words) are no word of src/" \
        "$(for w in $words; do grep -lw -- "$w" src/*.c src/*.h | sed "s/^/$w: /"; done)" ""
fi
finish
