#!/bin/sh
# Classifies "id<TAB>text" lines and prints "id<TAB>result" lines, in input order: the id travels
# with its text where line numbers mean nothing (a Hadoop Streaming mapper sees one split of the
# input; a `parallel --pipe` job one block). The arguments are the textclf command:
#   keyed.sh ./textclf -m lang.json -f jsonl < in.tsv > out.tsv
# The text is everything after the first tab (it may hold more tabs); a line without a tab is
# classified whole and is its own id. Exits with textclf's status. docs/scaling.md.
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/in"
cut -f 2- "$tmp/in" | "$@" > "$tmp/out"
cut -f 1 "$tmp/in" | paste - "$tmp/out"
