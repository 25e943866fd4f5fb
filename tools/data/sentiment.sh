#!/bin/sh
# tools/data/sentiment.sh OUTDIR
#
# Fetches Debian's r-cran-modeldata 1.1.0-1 (apt-get download, checked against
# its SHA-256) into OUTDIR/raw/, unpacks it with dpkg -x and writes the
# official split of small_fine_foods as OUTDIR/train.txt (4000 reviews) and
# OUTDIR/test.txt (1000) in fastText format, labels great and other (see
# sentiment.py and README.md). The .deb is reused when OUTDIR/raw already has
# it. Prints the per-class counts and fails when they differ from
# shared/DATA.md. Needs apt-get (with current package lists: apt-get update),
# dpkg, /usr/bin/python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"

PKG=r-cran-modeldata
VER=1.1.0-1
DEB=r-cran-modeldata_1.1.0-1_all.deb
SHA256=66c2e08bb4bf695d972b1e72ea44d5af9ada3c42841793d3871017f7b896bf95

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
need_python
command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "apt-get and dpkg are needed"
setup_outdir "$1"

if ! sha256_ok "$out/raw/$DEB" "$SHA256"; then
    rm -f "$out/raw/$DEB"
    (cd "$out/raw" && apt-get download -q "$PKG=$VER") ||
        die "apt-get download $PKG=$VER failed (run apt-get update first?)"
    sha256_ok "$out/raw/$DEB" "$SHA256" || die "$DEB: SHA-256 differs from the pinned one"
fi

tmp=$(mktemp -d "$out/raw/sentiment.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
dpkg -x "$out/raw/$DEB" "$tmp"
/usr/bin/python3 "$here/sentiment.py" "$tmp/usr/lib/R/site-library/modeldata/data/Rdata" "$out"
echo "wrote $out/train.txt $out/test.txt"
