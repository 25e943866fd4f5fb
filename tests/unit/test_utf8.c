/*
 * UTF-8 repair: U+FFFD per maximal subpart, as Python's bytes.decode("utf-8", "replace").
 */
#include <string.h>

#include "test.h"
#include "utf8.h"

void test_utf8(void);

/* Repairs in[0..n) and compares with the expected output and replacement count. */
static void check_repair(const char *in, size_t n, const char *want, int64_t want_bad,
                         int64_t want_first)
{
    tc_buf out = {0};
    int64_t bad = 0, first = -1;
    CHECK(tc_utf8_repair(in, n, &out, &bad, &first, 0) == 0);
    CHECK(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0);
    CHECK(bad == want_bad);
    CHECK(first == want_first);
    int64_t first2 = -1;
    CHECK(tc_utf8_count_invalid(in, n, &first2, 0) == want_bad);
    CHECK(first2 == want_first);
    tc_buf_free(&out);
}

#define R "\xEF\xBF\xBD"   /* U+FFFD */

void test_utf8(void)
{
    check_repair("abc", 3, "abc", 0, -1);
    check_repair("h\xC3\xA9llo", 6, "h\xC3\xA9llo", 0, -1);
    check_repair("\xF0\x9F\x98\x80", 4, "\xF0\x9F\x98\x80", 0, -1);      /* emoji */
    check_repair("a\x80" "b", 3, "a" R "b", 1, 1);                       /* stray continuation */
    check_repair("\xC0\xAF", 2, R R, 2, 0);                               /* overlong: 2 subparts */
    check_repair("\xE0\x80\xAF", 3, R R R, 3, 0);                         /* overlong 3-byte */
    check_repair("\xED\xA0\x80", 3, R R R, 3, 0);                         /* surrogate */
    check_repair("\xF4\x90\x80\x80", 4, R R R R, 4, 0);                   /* > U+10FFFF */
    check_repair("\xE2\x82" "x", 3, R "x", 1, 0);                         /* truncated: one */
    check_repair("\xF0\x9F\x98", 3, R, 1, 0);                             /* truncated at end */
    check_repair("\xFF\xFE", 2, R R, 2, 0);
    CHECK(tc_utf8_valid("a\0b", 3));                                        /* NUL is a char */
    CHECK(tc_utf8_valid("ok", 2));
    CHECK(!tc_utf8_valid("\xC3", 1));
}
