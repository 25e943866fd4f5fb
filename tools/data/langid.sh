#!/bin/sh
# tools/data/langid.sh OUTDIR
#
# The 24-label language-identification data set (labels en zh-Hans zh-Hant ja
# ko ru uk de fr es it pt pl nl cs sv tr vi id el da fi hu ro) from the sources
# of shared/DATA.md only:
#   1. translated man pages: the pinned Debian 12 manpages* packages below,
#      fetched with `apt-get download PKG=VERSION` into OUTDIR/raw/ (reused
#      when the SHA-256 matches), unpacked with dpkg -x into a temporary
#      directory; langid_man.py strips the roff and writes OUTDIR/raw/man.tsv;
#   2. Debian documentation translations: langid_docs.sh OUTDIR/raw
#      OUTDIR/raw/docs.tsv (skipped with a warning when it is missing);
#   3. DDTP package descriptions: langid_ddtp.sh OUTDIR/raw OUTDIR/raw/ddtp.tsv
#      (skipped with a warning when it is missing).
# langid_split.py then cleans, deduplicates, splits by document and writes
# OUTDIR/train.txt valid.txt test.txt test-short.txt fresh.txt fresh-short.txt
# train-short.txt valid-short.txt (fastText format, lines in sha256 order) and
# OUTDIR/SHA256SUMS, and prints the per-label counts.
# Deterministic: the same bytes on every run (see README.md).
# Needs apt-get (with current package lists: apt-get update), dpkg,
# /usr/bin/python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"

# package version SHA-256 (Debian 12 "bookworm" main)
PINS='
manpages 6.03-2 efa1ba4cd19ad7baeae959c9209a7eb74be2ebb858bcabb412597bfc9f588c91
manpages-dev 6.03-2 96f55cb5e26231d5567c89b692bced63825a14a2d5bd18fdf16ea2ed44eb9838
manpages-cs 4.18.1-1 2c3c32887089fe16b173073cbd72fd5f000911f1b9b8f384f3f46e01fce39791
manpages-cs-dev 4.18.1-1 ad1e0640a4591b5c88bc115d4fe438c800d18e2d481324aefd658bea57bdd273
manpages-da 4.18.1-1 977b0dee2ab0d0315cc8f0864dd1c89473ece240033e1651a1c23a62e66afff4
manpages-da-dev 4.18.1-1 a91bded03a37d0761cbca1dde37bbb289092b085af975f256d8d21d16e3da410
manpages-de 4.18.1-1 37d2e7ee51f22952aecec3af93647ff59194a3c74bb7a694560f49c7f7ab3978
manpages-de-dev 4.18.1-1 cb3d7c10977dd3c811065d89e0d912196ec5e6f2551308edb0ba72e02da838d7
manpages-el 4.18.1-1 79ae710057edfd437a6fcdbf27ed8a1a3e29ae785730282313ed31ff3f93a95d
manpages-es 4.18.1-1 d21e9f85e487f149ae45b5c525b2b1a70ae7fd38d4b05b47c8753042c66f4c2b
manpages-es-dev 4.18.1-1 1c2e676050bc87ecd5b4fafa00e7365504aaaf5d64645ef9989e907e5612a322
manpages-fi 4.18.1-1 a0491e7141cd540896388fd3d4f394fa96657838780bf7f213eb5e529b0880dd
manpages-fr 4.18.1-1 ec29759cc0e4a44dc7719c1e32869d0060667049e584f09556f0d982b969ea33
manpages-fr-dev 4.18.1-1 25f5a53208d92f0a69a89e349edfb3068e6e6e4e0673fe712dd0d3b0c5b1512d
manpages-hu 1:4.18.1-1 f4f4556a25194958d08fe9c87c946294a1ad4bd2b265bdc71d9ae1883e5ea2cf
manpages-id 4.18.1-1 b769b5398ecffe6db6e4170973a081bbd905e254ce768b34650ec1d1fb7ae9c2
manpages-it 4.18.1-1 4b18e87cc1b6a930d40949ddc86fb8e84b50da1a862cd17e2a504eeb8e3b4e48
manpages-it-dev 4.18.1-1 a14a1aa168ad1be85d5202d1ed69b9c995413420b0a62854e391796fa6692daa
manpages-ja 0.5.0.0.20221215+dfsg-1 4d270e9a1e83be4de0c072a110892a17dc9caa4b501257324006ac28d82c5743
manpages-ja-dev 0.5.0.0.20221215+dfsg-1 eab2ad5f14a87b3911c48c90cef92f85d0e77ca5356923f9f9fbc38a86601d1e
manpages-nl 4.18.1-1 c1ac0e9fb2ff88a8d7f796042ce7d876fa8918e5d3367521c7f09dd885eb3b2d
manpages-nl-dev 4.18.1-1 15a736e26346d76e2f63e562ebf860769e4996fd1715986042883df970108899
manpages-pl 1:4.18.1-1 31e518ea8331b5204d4fd0032037f96af1ba94a5afa4f0585dca1996b270cdf9
manpages-pl-dev 1:4.18.1-1 5a365751f2d6ee2a67d03a26e44a380d59790c42bd1ca9aeb0c35264f62e80c7
manpages-pt-br 4.18.1-1 da971a7bc0107f7b74b4ae592d1d7cc6424fa7e77cc1808f5c110a07edaf3890
manpages-pt-br-dev 4.18.1-1 b29bb07536eb0a754e75055a0ae9888e0d2a1ab76798826bcefc5c4db6f6917c
manpages-ro 4.18.1-1 1d1d32dbc090850c1e796fd51156ae3852e1cc46a22d712493800182817f6024
manpages-ru 4.18.1-1 5d5821dad5840652ba9c1c6b85bdc785c1fc52148a71c18fab6658c9659244c0
manpages-ru-dev 4.18.1-1 7182289b9a0af78422e48412f149907b6d84d16c78544db97e48b6ab2562bb55
manpages-sv 4.18.1-1 12b386ce4e11fadf3c05b55a813c81df129d244606ba3383da586d39a4a8cca4
manpages-tr 2.0.6-2 babf3ded00dd7c30db8fb333c1ff482fd5a52483d2bffec7557e3f78ed77eef1
manpages-uk 4.18.1-1 7ad64b12010584a6cc10a341ba561a6774e8493166524f386bcd9fd7cbebdd5b
manpages-uk-dev 4.18.1-1 70b304069853174d7f3cd92babac1b9cf68223d39f36356022e15f50410229de
manpages-vi 4.18.1-1 c3fb89f768663013c87babcad3fdd525588edb2c9a91a9d1c74dc33c1a6ee73b
manpages-zh 1.6.4.0-1 81bae29495f6445db290e3f329f1203eb19b651c2a7ea165b74ebdc853a32ac1
'

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
need_python
command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "apt-get and dpkg are needed"
setup_outdir "$1"
start=$(date +%s)

tmp=$(mktemp -d "$out/raw/langid.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/man"

# 1. man pages: fetch (or reuse) the pinned .debs, unpack them into one tree
echo "$PINS" | while read -r pkg ver sum; do
    [ -n "$pkg" ] || continue
    deb="${pkg}_$(printf '%s' "$ver" | sed 's/:/%3a/')_all.deb"
    if ! sha256_ok "$out/raw/$deb" "$sum"; then
        rm -f "$out/raw/$deb"
        (cd "$out/raw" && apt-get download -q "$pkg=$ver" >/dev/null) ||
            die "apt-get download $pkg=$ver failed (run apt-get update first?)"
        sha256_ok "$out/raw/$deb" "$sum" || die "$deb: SHA-256 differs from the pinned one"
    fi
    dpkg -x "$out/raw/$deb" "$tmp/man"
done
/usr/bin/python3 "$here/langid_man.py" "$tmp/man" "$out/raw/man.tsv.tmp"
mv "$out/raw/man.tsv.tmp" "$out/raw/man.tsv"
rm -rf "$tmp/man"
tsvs="$out/raw/man.tsv"
echo "man pages done ($(( $(date +%s) - start )) s)" >&2

# 2., 3. the other sources, when their scripts are there
for src in docs ddtp; do
    if [ -x "$here/langid_$src.sh" ] || [ -f "$here/langid_$src.sh" ]; then
        sh "$here/langid_$src.sh" "$out/raw" "$out/raw/$src.tsv.tmp" ||
            die "langid_$src.sh failed"
        mv "$out/raw/$src.tsv.tmp" "$out/raw/$src.tsv"
        tsvs="$tsvs $out/raw/$src.tsv"
        echo "$src done ($(( $(date +%s) - start )) s)" >&2
    else
        printf '%s: warning: %s missing: no %s text in the data set\n' \
            "${0##*/}" "langid_$src.sh" "$src" >&2
        rm -f "$out/raw/$src.tsv"
    fi
done

# 4. clean, split, cap, write
# shellcheck disable=SC2086
/usr/bin/python3 "$here/langid_split.py" "$out" $tsvs
/usr/bin/python3 "$here/langid_check.py" "$out" || die "the splits share texts (above)"
(cd "$out" && sha256sum train.txt valid.txt test.txt test-short.txt fresh.txt fresh-short.txt \
    train-short.txt valid-short.txt > SHA256SUMS)
cat "$out/SHA256SUMS"
echo "wrote $out/train.txt valid.txt test.txt test-short.txt fresh.txt fresh-short.txt train-short.txt valid-short.txt SHA256SUMS ($(( $(date +%s) - start )) s)"
