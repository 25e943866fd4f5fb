#!/bin/sh
# tools/data/langid_docs.sh RAWDIR OUT.tsv
#
# Language-ID paragraphs from Debian 12's translated manuals: debian-reference,
# debian-faq, maint-guide, developers-reference (English original and
# translations, one package per language) and installation-guide-amd64 (all
# languages in one package). The pinned .deb files are fetched with
# `apt-get download PKG=VERSION` into RAWDIR (reused when RAWDIR already has
# them with the pinned SHA-256), unpacked with `dpkg -x` into a temporary
# directory, and langid_docs.py writes OUT.tsv: LABEL<TAB>DOC_ID<TAB>TEXT, one
# paragraph a line (see there for the cleaning). Prints per-label counts on
# stderr. Needs apt-get (with current package lists), dpkg, /usr/bin/python3.
set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/fetch.sh"

# package version SHA-256 (Debian 12 "bookworm" main). Not used:
# debian-reference-pt-br 2.100 (a copy of -pt, European Portuguese, that
# differs only in generated "Seção"/"Secção" labels: near-duplicates across
# documents), maint-guide-ca and the installation guide's ca (no label).
PINS='
debian-reference-en 2.100 9f31d3a17df505de09689ca255512ea58c1fc47c59bb1b0c7bf1c23362e9743f
debian-reference-de 2.100 3b0ce65fd63e75ddf8eb07ca36293425135080e690a07e06a6ac8bc8040ef0aa
debian-reference-es 2.100 a59b68c96f83d3cf29a476c847aee38364764603ea62eee592791e0a843a269e
debian-reference-fr 2.100 01424cba9bfa2e13166da22d3d692d33a22ec7d8ef935ec81fd8802746087f65
debian-reference-id 2.100 3848a0593476c4f8429698c93eb0e367320d8bd78147304666eff3a82a5df3e2
debian-reference-it 2.100 7894062a5e9203a57ec6cb8d6a47d5ffb58c41dc004766522f1b4d78b2a8e0c6
debian-reference-ja 2.100 f67140e0b994409413bd5fcc8dfcce832445c99d724401f0275fa238daf30325
debian-reference-pt 2.100 c9c5d30a8608485bad60f7bd7ce6c755af4a129c2b30511ee733b90ac17e7dfa
debian-reference-zh-cn 2.100 6d2d8d9a646397e28b04cdff23d2e4374101ebf9be348e35961af62c8a2d0977
debian-reference-zh-tw 2.100 d2785bbfcb9c3eb6343a37520df595a720bb30fa634d4cf0750d1c04a0226057
debian-faq 11.1 427426e0cfa6888622fc1d72631071cb4b5a1f86ccde722e7820bcef284de5d0
debian-faq-de 11.1 e9a8d8234f4b182660d521f80f50cea87f797b4541005a3d64fab7777766f6de
debian-faq-fr 11.1 e83cbcc28106fc35f6665a6b0c54c2bd66db481de409764ce35b715baca510df
debian-faq-it 11.1 6c3c79c386f3b393e5b87e7be6cc8230ff88975f176aa20d07d5bf68d5d95bf0
debian-faq-ja 11.1 7e2a2f200a963e41dead4dd8645e0dd6550e2eda4cd88041b8e880046ca924a2
debian-faq-ko 11.1 1e010227c0e7497b836e195beedcda60f3e9b8856f19f211cbbdc5e91b4a5d7a
debian-faq-nl 11.1 133abcbedaafd65baa8c258551c2c536e8b391426bc16b85b1af4bbe7403e624
debian-faq-pt 11.1 ec3c25671b78da0359611fb904976d5a62f4054953a97a3db0f42883b21d45ea
debian-faq-ru 11.1 aaaae7a409c5cf5f5b8c26991f6ef484297e0cd2dee74c8d675cfa6613bce541
debian-faq-zh-cn 11.1 3545356b1aa04d87e91dd15e8406210cf5b4f476662e597897bcb42234591758
maint-guide 1.2.53 762c8a400a36668d2eb814a3ba356b06488fd889dfce478eb11d5cfb189a47b5
maint-guide-de 1.2.53 821afc6b85ffe9cbc9b7acbcdd5876ccbb855c3876ee5524d21602fd41d979c1
maint-guide-es 1.2.53 5a76b5e43285173ce4cce9284fb47b9a1851a68a9c0c0b8300c338d8890a42b6
maint-guide-fr 1.2.53 02e6c94eac2c471b898a160717d50f44a3696dfbffda7a9ee74017a6dcd00da8
maint-guide-it 1.2.53 6a0e71272d5e097432a09228230fa4766ff3a702a667edb8b403c338abf804fb
maint-guide-ja 1.2.53 67e9020818b7664b465239d96316a13af5f8cbd9a8bed5e8773c74e31ca24c97
maint-guide-ru 1.2.53 41b69743c45f0a931edca9ab19232e226cebce393cbafdd582f0d000499a0d19
maint-guide-vi 1.2.53 9a28b5e7b48edf861a6efdbaa24b81a94a11fec87fd9870f02dbeb1b419c42e3
maint-guide-zh-cn 1.2.53 d605b60a034f63857bc44205aed5ad7ba6e17d0d2b1ba5e79179b4e7ec4ee4bc
maint-guide-zh-tw 1.2.53 5f70f36f239c6378ef01215e7ba530d236ce0987a6d235e2b70ef089ae9823c8
developers-reference 12.18 0dba82f6fa16e373f2a84ad07e7971aa9264ad2e7d2ae46b37edbc9c5fd57e2e
developers-reference-de 12.18 281f0c2b24139e0ac83117c3e95b60458a6644fe14c82cf9ea78e87ea8c175d7
developers-reference-fr 12.18 182d9b2596320600b72ae8bdaa5880c7bb56acc8564aeae3bbc21ba4eda14002
developers-reference-it 12.18 44ff621966997572442579a704d60e520196bf6f7c0c66e808043b54ef274393
developers-reference-ja 12.18 fdcd6ac4ade8b3a68449c7ba881195e37f429c64b8067ee7269404d1b86fa229
developers-reference-ru 12.18 a618bfa826e2436fa73d5bf4eaac7170ff9d25a5d1bdd86b1c25a196a2b886c6
installation-guide-amd64 20230508+deb12u1 812c43e1dc906daf671e3efe953dc023205c238e5bd5a3021ce4ca142793573a
'

[ $# -eq 2 ] || { echo "usage: $0 RAWDIR OUT.tsv" >&2; exit 2; }
need_python
command -v apt-get >/dev/null || die "apt-get is needed"
command -v dpkg >/dev/null || die "dpkg is needed"
mkdir -p "$1" || die "cannot create $1"
raw=$(cd "$1" && pwd -P)
outfile=$2
mkdir -p "$(dirname "$outfile")"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/langid_docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "$PINS" | while read -r pkg ver sha; do
    [ -n "$pkg" ] || continue
    deb="${pkg}_${ver}_all.deb"
    if ! sha256_ok "$raw/$deb" "$sha"; then
        rm -f "$raw/$deb"
        (cd "$raw" && apt-get download -q=2 -o APT::Sandbox::User=root "$pkg=$ver") ||
            die "apt-get download $pkg=$ver failed (run apt-get update; a superseded version is on snapshot.debian.org)"
        sha256_ok "$raw/$deb" "$sha" || die "$deb: SHA-256 differs from the pinned one"
    fi
    mkdir "$tmp/$pkg"
    dpkg -x "$raw/$deb" "$tmp/$pkg"
done

/usr/bin/python3 "$here/langid_docs.py" "$tmp" "$outfile"
echo "wrote $outfile" >&2
