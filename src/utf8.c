/*
 * utf8.c - UTF-8 validation and repair following Unicode's Table 3-7 (well-formed byte sequences)
 * and its "maximal subpart" replacement practice, so that our U+FFFD count matches Python's
 * bytes.decode("utf-8", "replace") exactly.
 */
#include "utf8.h"

#include <string.h>

size_t tc_utf8_seq_len(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t need;               /* continuation bytes required */
    unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the first continuation byte */
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c == 0xE0) { need = 2; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) need = 2;
    else if (c == 0xED) { need = 2; hi = 0x9F; }   /* excludes surrogates */
    else if (c >= 0xEE && c <= 0xEF) need = 2;
    else if (c == 0xF0) { need = 3; lo = 0x90; }   /* excludes overlongs */
    else if (c >= 0xF1 && c <= 0xF3) need = 3;
    else if (c == 0xF4) { need = 3; hi = 0x8F; }   /* excludes > U+10FFFF */
    else {                      /* 80..C1, F5..FF can never start a sequence */
        if (bad) *bad = 1;
        return 0;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n) break;
        unsigned char b = s[i];
        unsigned char l = (i == 1) ? lo : 0x80, h = (i == 1) ? hi : 0xBF;
        if (b < l || b > h) break;
    }
    if (i == need + 1) return i;
    if (bad) *bad = i;          /* the lead byte plus the valid continuation bytes seen */
    return 0;
}

size_t tc_utf8_next(const unsigned char *s, size_t n, int32_t *c)
{
    size_t bad = 0, k = tc_utf8_seq_len(s, n, &bad);
    switch (k) {
    case 0: *c = 0xFFFD; return bad;
    case 1: *c = s[0]; break;
    case 2: *c = (s[0] & 0x1F) << 6 | (s[1] & 0x3F); break;
    case 3: *c = (s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F); break;
    default: *c = (s[0] & 0x07) << 18 | (s[1] & 0x3F) << 12 | (s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    }
    return k;
}

int tc_utf8_repair(const char *in, size_t len, tc_buf *out, int64_t *replaced,
                   int64_t *first_bad, int64_t base)
{
    static const char fffd[3] = {(char)0xEF, (char)0xBF, (char)0xBD};
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, run = 0;     /* run: start of the pending well-formed bytes */
    if (tc_buf_reserve(out, len) != 0) return -1;
    while (i < len) {
        if (s[i] < 0x80) { i++; continue; }
        size_t bad = 0, n = tc_utf8_seq_len(s + i, len - i, &bad);
        if (n) { i += n; continue; }
        if (tc_buf_append(out, s + run, i - run) != 0) return -1;
        if (tc_buf_append(out, fffd, 3) != 0) return -1;
        if (first_bad && *first_bad < 0) *first_bad = base + (int64_t)i;
        (*replaced)++;
        i += bad;
        run = i;
    }
    return tc_buf_append(out, s + run, i - run);
}

int64_t tc_utf8_count_invalid(const char *str, size_t len, int64_t *first_bad, int64_t base)
{
    const unsigned char *s = (const unsigned char *)str;
    int64_t count = 0;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) { i++; continue; }
        size_t bad = 0, n = tc_utf8_seq_len(s + i, len - i, &bad);
        if (n) { i += n; continue; }
        if (first_bad && *first_bad < 0) *first_bad = base + (int64_t)i;
        count++;
        i += bad;
    }
    return count;
}

int tc_utf8_valid(const char *s, size_t len)
{
    return tc_utf8_count_invalid(s, len, NULL, 0) == 0;
}
