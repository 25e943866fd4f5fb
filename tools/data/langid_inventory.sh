#!/bin/sh
# tools/data/langid_inventory.sh OUTDIR [SOURCE...]
#
# Issue 20's inventory: how much language-ID training text each allowed
# source (shared/DATA.md) gives per language. Fetches the .debs pinned in
# langid_inventory.pins (GROUP PACKAGE VERSION SHA-256) with
# `apt-get download PKG=VERSION` into OUTDIR/raw/debs (reused when the SHA-256
# matches), the DDTP indexes of every language with langid_ddtp.sh
# (DDTP_FETCH_ONLY=1, into OUTDIR/raw/ddtp-lists), and runs
# `langid_inventory.py count SOURCE` for each source (default: all, in the
# order below) into OUTDIR/counts/SOURCE.tsv (+ SOURCE.keys: hashes of the
# distinct sentences, for the cross-source union), then
# `langid_inventory.py table` into OUTDIR/langid_inventory.md: the table
# committed as tools/data/langid_inventory.md (between its markers).
# INVENTORY_FETCH_ONLY=1 stops after the downloads (langid_world.sh).
# Nothing is written into the repository. Needs apt-get (current lists),
# dpkg, dpkg-deb, /usr/bin/python3; Tesseract's tools come from the pinned
# tesseract-ocr .deb (they need the installed libtesseract5 5.3.0).
set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"
PINS=$here/langid_inventory.pins
# aspell is left out: its .cwl (prezip) decoder in langid_inventory.py is wrong (to fix)
ALL="firefox ddtp lohelp man docs thunderbird cldr hunspell tesseract"
# the Translation-XX codes of bookworm main's InRelease (2026)
DDTP_CODES="en ca cs da de el eo es eu fi fr gl hr hu id it ja km ko ml nb nl pl pt pt_BR ro ru sk sr sv tr uk vi zh_CN zh_TW"

[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [SOURCE...]  (sources: $ALL)" >&2; exit 2; }
need_python
command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "apt-get and dpkg are needed"
setup_outdir "$1"
shift
sources=${*:-$ALL}
start=$(date +%s)
mkdir -p "$out/raw/debs" "$out/counts"

group_of() {  # SOURCE -> pin group(s) to fetch
    case $1 in
        ddtp) echo "" ;;
        tesseract) echo "tesseract tools" ;;
        *) echo "$1" ;;
    esac
}

fetched=0
for src in $sources; do
    for g in $(group_of "$src"); do
        grep "^$g " "$PINS" | while read -r _ pkg ver sum; do
            v=$(printf '%s' "$ver" | sed 's/:/%3a/')
            deb=$out/raw/debs/${pkg}_${v}_all.deb
            [ -f "$deb" ] || deb=$out/raw/debs/${pkg}_${v}_amd64.deb
            if ! sha256_ok "$deb" "$sum"; then
                (cd "$out/raw/debs" && apt-get download -q=2 -o APT::Sandbox::User=root \
                    "$pkg=$ver" >/dev/null) ||
                    die "apt-get download $pkg=$ver failed (apt-get update? superseded versions: snapshot.debian.org)"
                deb=$out/raw/debs/${pkg}_${v}_all.deb
                [ -f "$deb" ] || deb=$out/raw/debs/${pkg}_${v}_amd64.deb
                sha256_ok "$deb" "$sum" || die "$deb: SHA-256 differs from the pinned one"
            fi
        done
    done
    if [ "$src" = ddtp ]; then
        DDTP_LANGS=$DDTP_CODES DDTP_FETCH_ONLY=1 sh "$here/langid_ddtp.sh" "$out/raw" /dev/null \
            2>"$out/raw/ddtp-fetch.log" || die "langid_ddtp.sh failed (see $out/raw/ddtp-fetch.log)"
    fi
done
echo "downloads ready ($(( $(date +%s) - start )) s, $(du -sh "$out/raw" | cut -f1))" >&2
# INVENTORY_FETCH_ONLY=1: stop here (langid_world.sh reads the downloads itself)
[ "${INVENTORY_FETCH_ONLY:-}" != 1 ] || exit 0

tools=
case " $sources " in
    *" tesseract "*)
        tools=$(mktemp -d "${TMPDIR:-/tmp}/langid_inventory.XXXXXX")
        trap 'rm -rf "$tools"' EXIT
        trap 'exit 130' INT TERM
        v=$(grep '^tools tesseract-ocr ' "$PINS" | cut -d' ' -f3)
        dpkg -x "$out/raw/debs/tesseract-ocr_${v}_amd64.deb" "$tools"
        ;;
esac

for src in $sources; do
    t0=$(date +%s)
    TESSERACT_TOOLS=${tools:+$tools/usr/bin} /usr/bin/python3 "$here/langid_inventory.py" \
        count "$src" "$out/raw" "$PINS" "$out/counts/$src.tsv" || die "count $src failed"
    echo "$src counted ($(( $(date +%s) - t0 )) s)" >&2
done
/usr/bin/python3 "$here/langid_inventory.py" table "$out/counts" "$PINS" >"$out/langid_inventory.md"
echo "wrote $out/langid_inventory.md ($(( $(date +%s) - start )) s)" >&2
