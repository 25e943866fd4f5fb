# Shared by spam.sh and sentiment.sh (sourced, POSIX sh).

# die MESSAGE: print "PROG: MESSAGE" on stderr and exit 1.
die() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

# setup_outdir OUTDIR: create OUTDIR and OUTDIR/raw, set $out to its absolute
# path; warn when it is inside this git work tree (raw data is never committed).
setup_outdir() {
    mkdir -p "$1/raw" || die "cannot create $1/raw"
    out=$(cd "$1" && pwd -P)
    repo=$(cd "$here/../.." && pwd -P)
    case "$out/" in
        "$repo"/data/*) ;;   # make data's default place: ignored by git (.gitignore)
        "$repo"/*) printf '%s: warning: %s is inside the repository; do not commit it\n' \
            "${0##*/}" "$out" >&2 ;;
    esac
}

# sha256_ok FILE SHA256: true when FILE exists with that SHA-256.
sha256_ok() {
    [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

# need_python: the helpers use /usr/bin/python3 and its standard library only.
need_python() {
    [ -x /usr/bin/python3 ] || die "/usr/bin/python3 is needed (Debian package python3)"
}
