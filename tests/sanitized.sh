#!/usr/bin/env bash
# Usage: tests/sanitized.sh BINARY    Exit status 0 when BINARY is built with a sanitizer (ASan,
# TSan, UBSan's runtime or MSan), 1 otherwise. The suites that run under `ulimit -v` ask it:
# ASan and TSan reserve terabytes of address space for their shadow memory and cannot start
# under an address-space limit.
ldd "$1" 2>/dev/null | grep -Eq 'lib(a|t|ub|l)san' ||
    nm "$1" 2>/dev/null | grep -Eq ' (__asan_init|__tsan_init|__msan_init)$'
