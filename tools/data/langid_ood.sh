#!/bin/sh
# tools/data/langid_ood.sh OUTDIR
#
# An OUT-OF-DOMAIN test set for the 24-label language identifier: software UI
# strings (gettext message catalogs, .mo) from 38 Debian 12 packages, a domain
# apart from the identifier's training data (man pages, Debian documentation,
# DDTP package descriptions; none of those packages is used here).
#
# Writes, in fastText format (`__label__LABEL text`, UTF-8, LF; the rules of
# tools/data/README.md):
#   OUTDIR/ood.txt         "sentences": strings of >= 20 characters (at most
#                          300), at most 500 per label
#   OUTDIR/ood-short.txt   short UI strings: <= 32 characters (<= 12 for
#                          zh-Hans, zh-Hant, ja, ko), >= 4 letters (>= 2 for
#                          those four), at most 500 per label
#   OUTDIR/SHA256SUMS-ood  sha256sum lines of the two files
# Labels: en zh-Hans zh-Hant ja ko ru uk de fr es it pt pl nl cs sv tr vi id
# el da fi hu ro. Locale directories map to labels by language code; zh_CN
# (and zh_SG) -> zh-Hans, zh_TW, zh_HK -> zh-Hant, pt, pt_BR, pt_PT -> pt,
# de_CH -> de, ...; other languages, en_GB/en@quot and re-encoded copies
# (vim's ja.euc-jp, texinfo's de.us-ascii, ...) are skipped. English ("en") is
# the catalogs' msgids (the original strings), every other label the msgstrs.
#
# The pinned .debs are fetched with `apt-get download PKG=VERSION` into
# OUTDIR/raw/ood/ (reused when their SHA-256 matches), unpacked with dpkg -x
# into a temporary directory, and read by langid_ood.py (cleaning rules there:
# no untranslated strings, no format directives, accelerators, options, paths,
# URLs, ALL-CAPS placeholders, --help/usage texts; script checks; duplicates
# and strings found under two labels dropped; a per-package round-robin sample
# in sha256 order). Output is deterministic: the same bytes on every run.
# Prints the per-label counts and fails when they differ from the expected.
#
# Licences (debian/copyright of each package; the catalogs are under their
# package's licence): GPL-3+: bash, bison, coreutils, cpio, diffutils,
# findutils, gawk, gettext, gnupg, grep, make, mc, nano, parted, sed, tar,
# texinfo, wget; GPL-2(+): apt, aptitude, dpkg, e2fsprogs, git, kbd, procps,
# psmisc, util-linux, cryptsetup; LGPL-2.1+/LGPL-2+: glibc (libc-l10n), glib,
# gtk2, gtk3, gdk-pixbuf, gnome-desktop, NetworkManager; BSD-2-clause:
# debconf; Linux-PAM: BSD-3-clause or GPL; Vim licence (GPL-compatible):
# vim-runtime.
#
# Caveat: versions from bookworm-security/-updates and point releases are
# replaced in the archive when a newer one ships; a pinned version that is no
# longer downloadable makes this script fail (pin the new version and its
# SHA-256, and update the expected counts in langid_ood.py).
#
# Output SHA-256 (Debian 12, the pins below): ood.txt
# cfa0117d277f8fd583b51119ed6c93af34bb451b426949f4e6b3bdb4949b3006,
# ood-short.txt 2618b7262f00c2bfd2630a55e5da2003b968e7c2871bb422c85ec3916d44efca
# (12000 lines each: 500 per label).
#
# Needs apt-get (with current package lists: apt-get update), dpkg,
# /usr/bin/python3 (standard library only). ~47 MB download; 1.5-3 min on
# 2 cores (unpacking ~10 s, the rest Python).
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"

# package version file sha256
PINS='apt 2.6.2 apt_2.6.2_amd64.deb 796fc7fe18866f5b1fb27a115d7339e549d71b7ddbc15b8d6fc4226c243e96d1
aptitude-common 0.8.13-5 aptitude-common_0.8.13-5_all.deb 3310ec70a514fbebd7082059d5cebf97e82485abfcb13c9ad21858e09abadc36
bash 5.2.15-2+b13 bash_5.2.15-2+b13_amd64.deb 82130bb6a560cd2a7234d8018baf73f188f5dd56413d5aa0accc987b2197a6a1
bison 2:3.8.2+dfsg-1+b1 bison_2%3a3.8.2+dfsg-1+b1_amd64.deb a414afd7519c53bfa33415ba5b951bc8b4906877004c49723ffda50a6033c3e8
coreutils 9.1-1 coreutils_9.1-1_amd64.deb 61038f857e346e8500adf53a2a0a20859f4d3a3b51570cc876b153a2d51a3091
cpio 2.13+dfsg-7.1 cpio_2.13+dfsg-7.1_amd64.deb 73d4a22bdd7eb6be1e480d6884b103eb500cfd539cc20ae0f3e44dd8b0614798
cryptsetup-bin 2:2.6.1-4~deb12u2 cryptsetup-bin_2%3a2.6.1-4~deb12u2_amd64.deb ac25a10b8c7a5fbd4ffe64a830edd24a7e04b3416914bbb096c21e92e15a65d2
debconf-i18n 1.5.82 debconf-i18n_1.5.82_all.deb 2f2c83f2d13ccc87d754526e40d156351f271e203fa54e1c822c60988b543dd0
diffutils 1:3.8-4 diffutils_1%3a3.8-4_amd64.deb 8bdfedc14c1035e3750e9f055ac9c1ecd9b5d05d9e6dc6466c4e9237eef407dd
dpkg 1.21.23 dpkg_1.21.23_amd64.deb f89e9f8d1a4a50ade44be3ed59a6ec55460fce205d2f8520c5c492137c5b609b
e2fsprogs-l10n 1.47.0-2 e2fsprogs-l10n_1.47.0-2_all.deb 30830c185a0d02d444ad7b900ee5353d13f442dc5479847ce700ba34136a2df8
findutils 4.9.0-4 findutils_4.9.0-4_amd64.deb 5dd86bd0af4aa73f067dfd6b8339dd868f2dd84056aa79db29d1206d4fbc5e04
gawk 1:5.2.1-2 gawk_1%3a5.2.1-2_amd64.deb 9cd63c1b35ff082092c221a23dcb167f72c4d1c3de3a42e11f16181f42ab3b55
gettext 0.21-12 gettext_0.21-12_amd64.deb 8c1f9d43575373ce311f51d00a13afbb4888d63aa559a93a3472f5d77513b60c
git 1:2.39.5-0+deb12u3 git_1%3a2.39.5-0+deb12u3_amd64.deb 637a85ddd6247fab13bdd0592f2f39aff04ce4dbf0655d3ab553ac359a38ce6f
gnome-desktop3-data 43.2-2 gnome-desktop3-data_43.2-2_all.deb 526929af724a04e43b9d26d128a72e2eaa400285ea8a924240d4ca211b9432ad
gnupg-l10n 2.2.40-1.1+deb12u2 gnupg-l10n_2.2.40-1.1+deb12u2_all.deb c985452d06cc7b3b1044cd1eb3f2acac773836d34cafb35b5a4bebae02c1caa0
grep 3.8-5 grep_3.8-5_amd64.deb 3264acea728df3c48a54f20e9291b965130e306b9d00adac76647049da7196df
kbd 2.5.1-1+b1 kbd_2.5.1-1+b1_amd64.deb 5397ddbc7a6cadae6535de5a6d550c8554d4d364997527a34576c76219f4a798
libc-l10n 2.36-9+deb12u14 libc-l10n_2.36-9+deb12u14_all.deb 95285badd0b02ca7e90e8f20d17c912170ffaeb48db10f113d1ece042b59248d
libgdk-pixbuf2.0-common 2.42.10+dfsg-1+deb12u4 libgdk-pixbuf2.0-common_2.42.10+dfsg-1+deb12u4_all.deb 0f3df073ca7eed5564ea3faceff819d94932d924c56474f1e42799a8017a2d30
libglib2.0-data 2.74.6-2+deb12u9 libglib2.0-data_2.74.6-2+deb12u9_all.deb d98434e097009dedd2f2382c48b7debab5b14261966c0e0506a991b2496bea5f
libgtk-3-common 3.24.38-2~deb12u3 libgtk-3-common_3.24.38-2~deb12u3_all.deb f2642d127d85440acbfc2ed404d3932d8b2fbe8a576ead7f93f35ac1fa999c92
libgtk2.0-common 2.24.33-2+deb12u1 libgtk2.0-common_2.24.33-2+deb12u1_all.deb f55a9800d3721b1de246e4bfaf94a63ca50efdfa49eb5fa2362ed4fa79258299
libpam-runtime 1.5.2-6+deb12u3 libpam-runtime_1.5.2-6+deb12u3_all.deb 7781327aaebee1fc215eeb280385385122a424b964169ca48763f26390aba509
libparted-i18n 3.5-3+deb12u1 libparted-i18n_3.5-3+deb12u1_all.deb 67cf70945deafadd52306caa5afdf4609f3df205ff2b4050a6da3fc7a0b23d1a
make 4.3-4.1 make_4.3-4.1_amd64.deb a1a83af8cbd854af887b72ad196b1f4af58387815e21ced1000253a116a46e2a
mc-data 3:4.8.29-2 mc-data_3%3a4.8.29-2_all.deb a273c2e833524f1d2e8579b737802b18ad4c77d9f45b3ef7d6fc6b2605e4fd3d
nano 7.2-1+deb12u1 nano_7.2-1+deb12u1_amd64.deb 45a9b3960aa5ac18552459225ec26800abb73fc2edd11626046daf6d968ac968
network-manager 1.42.4-1+deb12u1 network-manager_1.42.4-1+deb12u1_amd64.deb 9b203dadd4751fc3fce1211eb3122fb55426e295d07808f7420a360ba186f1ba
procps 2:4.0.2-3 procps_2%3a4.0.2-3_amd64.deb d9d0e75779cb79af869181f17b93c5c263a2b89cac6a0193c436160a4483ddc1
psmisc 23.6-1 psmisc_23.6-1_amd64.deb 9d02f654bdf280a6622a9b1371f7a1fa44546702d11991e438558bc259df7b69
sed 4.9-1+deb12u1 sed_4.9-1+deb12u1_amd64.deb fd557efeee8aae4619c2cb7f68aadccb804322ad4a99ab048aaae5901d253885
tar 1.34+dfsg-1.2+deb12u1 tar_1.34+dfsg-1.2+deb12u1_amd64.deb 24fb92e98c2969171f81a8b589263d705f6b1670f95d121cd74c810d4605acc3
texinfo 6.8-6+b1 texinfo_6.8-6+b1_amd64.deb e397ec5b52f54db5ad82b1f95e62f2ae85fe2c728f3cf94a8af77bdf57340389
util-linux-locales 2.38.1-5+deb12u3 util-linux-locales_2.38.1-5+deb12u3_all.deb 2cb091d6fdc2f38d3ce414102877dcc7434e4d42f18b58e73708219c2b9ec18e
vim-runtime 2:9.0.1378-2+deb12u2 vim-runtime_2%3a9.0.1378-2+deb12u2_all.deb 6a3dd2317a593742cb247f3494d986b3127887dbe1449253b8efa6112289854e
wget 1.21.3-1+deb12u1 wget_1.21.3-1+deb12u1_amd64.deb b389052d1d8a8cacec4f0380d9ee54e8082bfbebe374299be95b5286c9380f80'

# langid_world.sh: OOD_EXTRA_PINS adds lines of the same form to PINS, and
# OOD_UNPACK_TO=DIR fetches, checks and unpacks the packages into DIR/PKG and
# stops there (langid_world.py reads them).
if [ -n "${OOD_EXTRA_PINS:-}" ]; then
    PINS="$PINS
$OOD_EXTRA_PINS"
fi

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
need_python
command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "apt-get and dpkg are needed"
setup_outdir "$1"
raw="$out/raw/ood"
mkdir -p "$raw"

# Fetch what is missing or differs (one apt-get call for all of them).
echo "$PINS" | { while read -r pkg ver deb sha; do
    sha256_ok "$raw/$deb" "$sha" || echo "$pkg=$ver"
done; } >"$raw/.want"
want=$(cat "$raw/.want")
rm -f "$raw/.want"
if [ -n "$want" ]; then
    # shellcheck disable=SC2086
    (cd "$raw" && apt-get download -q $want) ||
        die "apt-get download failed (run apt-get update first; a pinned version may have left the archive)"
fi

if [ -n "${OOD_UNPACK_TO:-}" ]; then
    tmp=$OOD_UNPACK_TO
    mkdir -p "$tmp"
else
    tmp=$(mktemp -d "$out/raw/ood.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM
fi
echo "$PINS" | while read -r pkg ver deb sha; do
    sha256_ok "$raw/$deb" "$sha" || die "$deb: SHA-256 differs from the pinned one"
    mkdir "$tmp/$pkg"
    dpkg -x "$raw/$deb" "$tmp/$pkg"
done
[ -z "${OOD_UNPACK_TO:-}" ] || exit 0
/usr/bin/python3 "$here/langid_ood.py" "$tmp" "$out"
(cd "$out" && sha256sum ood.txt ood-short.txt >SHA256SUMS-ood && cat SHA256SUMS-ood)
echo "wrote $out/ood.txt $out/ood-short.txt $out/SHA256SUMS-ood"
