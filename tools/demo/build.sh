#!/usr/bin/env bash
# Rebuilds tests/models/demo-lang.json (+ .safetensors): fetches Debian's man page translations at
# pinned versions, extracts labelled paragraphs and trains the demo model in PyTorch.
# Needs: apt-get (Debian 12 package lists), dpkg, /usr/bin/python3 with python3-torch.
# Takes about a minute after the download (~22 MB).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pkgs="manpages=6.03-2 manpages-de=4.18.1-1 manpages-fr=4.18.1-1 manpages-es=4.18.1-1
      manpages-it=4.18.1-1 manpages-pl=1:4.18.1-1 manpages-ru=4.18.1-1 manpages-nl=4.18.1-1
      manpages-pt-br=4.18.1-1 manpages-uk=4.18.1-1 manpages-ja=0.5.0.0.20221215+dfsg-1
      manpages-zh=1.6.4.0-1"
apt-get download $pkgs
for deb in *.deb; do dpkg -x "$deb" root; done
/usr/bin/python3 "$top/tools/demo/manpage_text.py" root paragraphs.tsv
/usr/bin/python3 "$top/tools/demo/train_demo.py" paragraphs.tsv "$top/tests/models/demo-lang.json"
echo "wrote $top/tests/models/demo-lang.json"
