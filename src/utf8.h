/*
 * utf8.h - UTF-8 validation and repair (internal).
 */
#ifndef TC_UTF8_H
#define TC_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Length of the well-formed UTF-8 sequence at s[0..n), or 0 if s starts with an ill-formed one;
 * then *bad (if not NULL) receives the length of its maximal subpart (>= 1): the bytes that one
 * U+FFFD replaces under Unicode's "maximal subpart" practice (Python's errors="replace").
 * n must be >= 1.
 */
size_t tc_utf8_seq_len(const unsigned char *s, size_t n, size_t *bad);

/*
 * Decodes the code point at s[0..n) (n >= 1) into *c and returns the bytes it takes; an
 * ill-formed sequence decodes as U+FFFD and takes its maximal subpart, as tc_utf8_repair reads it.
 */
size_t tc_utf8_next(const unsigned char *s, size_t n, int32_t *c);

/*
 * Appends in[0..len) to out with each maximal ill-formed subsequence replaced by U+FFFD.
 * *replaced is incremented by the number of replacements; *first_bad (if not NULL and still -1)
 * receives base + offset of the first one. Returns 0, or -1 if out of memory.
 */
int tc_utf8_repair(const char *in, size_t len, tc_buf *out, int64_t *replaced,
                   int64_t *first_bad, int64_t base);

/* Counts the ill-formed sequences in s[0..len) the same way, without copying. */
int64_t tc_utf8_count_invalid(const char *s, size_t len, int64_t *first_bad, int64_t base);

/* 1 if s[0..len) is well-formed UTF-8. */
int tc_utf8_valid(const char *s, size_t len);

#endif
