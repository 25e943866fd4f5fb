#!/usr/bin/env bash
# Install the peer language identifiers, pinned, into TOOLSDIR (never into the
# repository), and print TOOLSDIR.
#
#   bench/langid/peers_install.sh TOOLSDIR
#
# Every npm tarball is fetched with `npm pack NAME@VERSION` (the npm registry is
# the only source) and checked against its SHA-256 below, then unpacked by hand
# into TOOLSDIR/node_modules/NAME: no `npm install`, so no version is resolved
# and no install script runs. What it installs:
#
#   eld 2.1.0               Apache-2.0   pure JavaScript
#   @bluzzi/lingua 1.5.0    Apache-2.0   Lingua Rust as WebAssembly (74 MB), models inside
#   cld 2.10.1              Apache-2.0   CLD2 (C++) + Node bindings: built here, below
#   node-addon-api 8.9.2    MIT          cld's build dependency (its package.json says "*")
#   underscore 1.13.8       MIT          cld's run-time dependency (^1.12.1)
#   lid.176.ftz             CC BY-SA 3.0 fastText's model, by lid176.sh (npm fasttext.wasm.js@1.0.0)
#
# cld: npm would run node-gyp itself; here it is run by hand:
#   node-gyp rebuild --nodedir=/usr
# with the node-gyp that ships inside npm (/usr/lib/node_modules/npm/node_modules/
# node-gyp, or a `node-gyp` on PATH) and Node's headers in /usr/include/node
# (shipped by the nodejs package installed here; with Debian's own nodejs 18 they
# are in libnode-dev). It needs make, g++ and python3. cld's postinstall
# (which deletes build files, using glob) is not run and glob is not installed.
#
# A TOOLSDIR that has a complete install of these pins (TOOLSDIR/PINS equal to
# the pins below) is reused as it is.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
die() { echo "peers_install.sh: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 TOOLSDIR" >&2; exit 2; }

# name version tarball sha256
PINS='eld 2.1.0 eld-2.1.0.tgz fe66b63efcd1b7315a7ae79964dbee17f27294d831833c72ef5e58a7ac9e3e57
@bluzzi/lingua 1.5.0 bluzzi-lingua-1.5.0.tgz 2a9043b70a72a5afb69d16e6659a8e066b27101afc71c09db5141d2c1ddeba52
cld 2.10.1 cld-2.10.1.tgz 2bfbf3f45fa99af727c75036d79996f1385d10eb813b922ebe9b7c817146f86e
node-addon-api 8.9.2 node-addon-api-8.9.2.tgz 4cd65698541b19a33f798f1dc25c02c6ed1c9d7749b8824b1a1ccecdd197c8ea
underscore 1.13.8 underscore-1.13.8.tgz 6547214df2878ae60cc552422ef14af38b8d4e3aa613be5bfe9c52b775d96f7a'

mkdir -p "$1"
tools=$(cd "$1" && pwd -P)
case $tools/ in "$(cd "$here/../.." && pwd -P)"/*) die "TOOLSDIR $tools is inside the repository" ;; esac
if [ -f "$tools/PINS" ] && [ "$(cat "$tools/PINS")" = "$PINS" ] \
    && [ -f "$tools/node_modules/cld/build/Release/cld.node" ] && [ -f "$tools/lid176/lid.176.ftz" ]; then
    echo "$tools"
    exit 0
fi
command -v node >/dev/null || die "node not found (apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm not found (apt-get install npm)"
gyp=$(command -v node-gyp || true)
if [ -z "$gyp" ]; then
    for g in "$(npm root -g 2>/dev/null)/npm/node_modules/node-gyp/bin/node-gyp.js" \
             /usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js \
             /usr/share/nodejs/node-gyp/bin/node-gyp.js; do
        [ -f "$g" ] && { gyp=$g; break; }
    done
fi
[ -n "$gyp" ] || die "node-gyp not found (npm ships one; or apt-get install node-gyp)"
[ -f /usr/include/node/node_api.h ] || die "/usr/include/node/node_api.h missing: Node's headers (Debian: apt-get install libnode-dev)"
for c in make g++ python3; do command -v $c >/dev/null || die "$c not found (needed to build cld)"; done

rm -f "$tools/PINS"
tmp=$(mktemp -d /tmp/peers-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
while read -r name ver tgz sha; do
    (cd "$tmp" && npm pack --silent "$name@$ver" >/dev/null) || die "npm pack $name@$ver failed"
    [ -f "$tmp/$tgz" ] || die "npm pack $name@$ver did not write $tgz"
    got=$(sha256sum "$tmp/$tgz" | cut -d' ' -f1)
    [ "$got" = "$sha" ] || die "$tgz: SHA-256 $got, expected $sha"
    rm -rf "$tools/node_modules/$name"
    mkdir -p "$tools/node_modules/$name"
    tar -xzf "$tmp/$tgz" -C "$tools/node_modules/$name" --strip-components=1 --no-same-owner
    rm -f "$tmp/$tgz"
    echo "peers_install.sh: $name@$ver ($sha)" >&2
done <<<"$PINS"

echo "peers_install.sh: building cld (node-gyp rebuild --nodedir=/usr; log in $tools/cld-build.log)" >&2
(cd "$tools/node_modules/cld" && node "$gyp" rebuild --nodedir=/usr -j 2) >"$tools/cld-build.log" 2>&1 ||
    die "building cld failed: see $tools/cld-build.log"
[ -f "$tools/node_modules/cld/build/Release/cld.node" ] || die "cld.node not built (see $tools/cld-build.log)"

"$here/lid176.sh" "$tools/lid176" >/dev/null

# smoke test: every peer answers one sentence
echo 'This is a short English sentence about the weather.' >"$tmp/smoke.txt"
for p in eld lingua cld lid176; do
    got=$(/usr/bin/python3 "$here/predict_peer.py" "$p" "$tmp/smoke.txt" --tools "$tools" | cut -f1)
    [ "$got" = en ] || die "$p answered '$got' for an English sentence"
done
printf '%s\n' "$PINS" >"$tools/PINS"
echo "$tools"
