#!/usr/bin/env bash
# tools/deb/build.sh OUTDIR - builds the Debian packages of this tree (`make deb`;
# docs/packaging.md) and puts the .deb files with their .buildinfo and .changes in OUTDIR.
#
# dpkg-buildpackage builds in the source tree (its clean step runs `make clean`, which would
# remove the developer's build/ and ./textclf) and writes its results into the tree's parent
# directory (shared with other checkouts, perhaps not writable). So it runs on a copy of the
# tree in OUTDIR-src/textclf-VERSION/, whose parent is OUTDIR-src: nothing is written outside
# OUTDIR and OUTDIR-src, and OUTDIR-src is removed after a successful build (kept after a
# failure, to look at). The copy holds what git sees in the work tree: the tracked files as they
# are now (edits included, deletions left out) and untracked files that .gitignore does not
# ignore; build/, data/ and the like stay out.
#
# Exit status: 0, or dpkg-buildpackage's, or 1 when git cannot list the tree's files or a step
# fails.
set -euo pipefail
out=${1:?usage: build.sh OUTDIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if ! gitmsg=$(git rev-parse --is-inside-work-tree 2>&1); then
    echo "build.sh: git cannot list the files of $root (${gitmsg%%$'\n'*}); in a tree" \
         "that is not a git work tree, run dpkg-buildpackage -us -uc -b in it instead" \
         "(docs/packaging.md)" >&2
    exit 1
fi
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$out-src
src=$work/textclf-$version
rm -rf "$work"
mkdir -p "$src"
# the results of an earlier build, which this one replaces
rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes

git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
        if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
    done |
    tar --null --no-recursion -T - -cf - | tar -xf - -C "$src"

echo "build.sh: dpkg-buildpackage -us -uc -b in $src"
(cd "$src" && dpkg-buildpackage -us -uc -b -Jauto) || {
    rc=$?
    echo "build.sh: dpkg-buildpackage failed (exit status $rc); the copy it ran in is kept:" \
         "$src" >&2
    exit "$rc"
}

# dpkg-buildpackage's results, in the copy's parent: the packages, .buildinfo, .changes
shopt -s nullglob
results=("$work"/*.deb "$work"/*.buildinfo "$work"/*.changes)
if [ "${#results[@]}" -eq 0 ]; then
    echo "build.sh: dpkg-buildpackage wrote no package into $work" >&2
    exit 1
fi
mv "${results[@]}" "$out"/
rm -rf "$work"
echo "build.sh: packages in $out:"
(cd "$out" && ls -1 ./*.deb ./*.buildinfo ./*.changes | sed 's|^\./|  |')
