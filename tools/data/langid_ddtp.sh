#!/bin/sh
# tools/data/langid_ddtp.sh RAWDIR OUT.tsv
#
# Language-ID lines from Debian's translated package descriptions (DDTP):
# the Translation-XX indexes of Debian 12 "bookworm" main, fetched by
# `apt-get update` with a private configuration (own sources list, lists dir
# RAWDIR/ddtp-lists/apt, no package cache, none of /etc/apt/apt.conf.d), so
# the system's apt state is untouched. The indexes change over time in the
# archive, so they cannot be pinned here: the fetched InRelease and the
# uncompressed Translation-XX files are kept in RAWDIR/ddtp-lists/ with
# SHA256SUMS and FETCHED (the fetch time), and a later run reuses them when
# they are all there and intact (the output is then the same bytes).
# Delete RAWDIR/ddtp-lists to fetch the current ones. langid_ddtp.py checks
# each file against the InRelease hashes and writes OUT.tsv:
# LABEL<TAB>DOC_ID<TAB>TEXT; it prints the hashes, the InRelease Date and
# per-label counts on stderr. Needs apt-get, /usr/bin/python3.
# Environment: DDTP_MIRROR (default http://deb.debian.org/debian).
set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"

MIRROR=${DDTP_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# Translation-XX codes (labels in langid_ddtp.py); DDTP_LANGS overrides them
# (langid_inventory.sh fetches every code). DDTP_FETCH_ONLY=1: fetch (or
# reuse) the files, write nothing else (OUT.tsv is not written).
LANGS=${DDTP_LANGS:-"en de fr es it pt pt_BR pl ru uk nl cs sv tr vi id el da fi hu ro ja ko zh_CN zh_TW"}

[ $# -eq 2 ] || { echo "usage: $0 RAWDIR OUT.tsv" >&2; exit 2; }
need_python
mkdir -p "$1/ddtp-lists" || die "cannot create $1/ddtp-lists"
raw=$(cd "$1" && pwd -P)
dir=$raw/ddtp-lists
outfile=$2
mkdir -p "$(dirname "$outfile")"

have_fetched() {
    [ -f "$dir/SHA256SUMS" ] && [ -f "$dir/FETCHED" ] && [ -f "$dir/InRelease" ] &&
        [ -f "$dir/Translation-en" ] &&
        (cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1)
}

if have_fetched; then
    echo "reusing the Translation files in $dir, fetched $(cat "$dir/FETCHED")" >&2
else
    command -v apt-get >/dev/null || die "apt-get is needed"
    [ -f "$KEYRING" ] || die "$KEYRING is needed (Debian package debian-archive-keyring)"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/langid_ddtp.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM
    rm -rf "$dir/apt" "$dir/InRelease" "$dir/SHA256SUMS" "$dir/FETCHED" "$dir"/Translation-*
    mkdir -p "$dir/apt/partial" "$tmp/empty" "$tmp/cache"
    echo "deb [signed-by=$KEYRING] $MIRROR $SUITE main" >"$tmp/sources.list"
    {
        echo "Dir::Etc::parts \"$tmp/empty\";"
        echo "Dir::Etc::main \"/dev/null\";"
        echo "Dir::Etc::sourcelist \"$tmp/sources.list\";"
        echo "Dir::Etc::sourceparts \"$tmp/empty\";"
        echo "Dir::State::Lists \"$dir/apt\";"
        echo "Dir::Cache \"$tmp/cache\";"
        echo "Dir::Cache::pkgcache \"\";"
        echo "Dir::Cache::srcpkgcache \"\";"
        echo "APT::Sandbox::User \"root\";"
        echo "Acquire::GzipIndexes \"false\";"
        echo "Acquire::PDiffs \"false\";"
        echo "Acquire::IndexTargets::deb::Packages::DefaultEnabled \"false\";"
        echo "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled \"false\";"
        echo "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled \"false\";"
        echo "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled \"false\";"
        echo "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled \"false\";"
        echo "Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled \"false\";"
        printf 'Acquire::Languages {'
        for l in $LANGS; do printf ' "%s";' "$l"; done
        echo ' };'
    } >"$tmp/apt.conf"
    APT_CONFIG="$tmp/apt.conf" apt-get -q update --error-on=any >&2 ||
        die "apt-get update failed"
    fetched=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    site=$(echo "$MIRROR" | sed 's|^[a-z]*://||; s|/*$||; s|/|_|g')
    mv "$dir/apt/${site}_dists_${SUITE}_InRelease" "$dir/InRelease" ||
        die "no InRelease in $dir/apt"
    for l in $LANGS; do
        f=$dir/apt/${site}_dists_${SUITE}_main_i18n_Translation-$(echo "$l" | sed 's/_/%5f/g')
        if [ -f "$f" ]; then
            mv "$f" "$dir/Translation-$l"
        else
            echo "note: no Translation-$l in $SUITE main" >&2
        fi
    done
    rm -rf "$dir/apt"
    (cd "$dir" && sha256sum InRelease Translation-* >SHA256SUMS)
    echo "$fetched from $MIRROR $SUITE main" >"$dir/FETCHED"
    echo "fetched the Translation files into $dir ($fetched)" >&2
fi

echo "SHA256SUMS of $dir (fetched $(cat "$dir/FETCHED")):" >&2
sed 's/^/  /' "$dir/SHA256SUMS" >&2
[ "${DDTP_FETCH_ONLY:-0}" = 1 ] && exit 0
/usr/bin/python3 "$here/langid_ddtp.py" "$dir" "$outfile"
echo "wrote $outfile" >&2
