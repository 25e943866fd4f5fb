#!/usr/bin/env bash
# The Python binding (python/textclf/, docs/python.md) against the textclf program of the same
# build: tests/python/test_textclf.py, with Debian's /usr/bin/python3.
# Usage: tests/python/run.sh TEXTCLF BUILD    (BUILD: the build directory, with
# libtextclf.so.0 and textclf-builtin.so: `make python`). Ends with "N passed, N failed".
# A sanitizer build is skipped: its library is instrumented, and an uninstrumented python3
# cannot load it (ASan must come first in the process); make sanitize-test does not build it.
set -u
TEXTCLF=$(realpath "${1:?usage: run.sh TEXTCLF BUILD}")
BUILD=$(realpath "${2:?usage: run.sh TEXTCLF BUILD}")
here=$(cd "$(dirname "$0")" && pwd)
if bash "$here/../sanitized.sh" "$TEXTCLF"; then
    echo "SKIP the Python binding: $TEXTCLF is a sanitizer build, whose library python3 cannot load"
    echo "0 passed, 0 failed"
    exit 0
fi
unset TEXTCLF_MODEL TEXTCLF_LIBRARY PYTHONPATH
export LC_ALL=C OPENBLAS_NUM_THREADS=1
exec /usr/bin/python3 "$here/test_textclf.py" "$TEXTCLF" "$BUILD"
