/*
 * tc_strmap (src/strmap.h): ids in insertion order, lookups, the limit, strings with a NUL and
 * the empty string, and many strings (the table grows and keeps every id).
 */
#include <stdio.h>
#include <string.h>

#include "strmap.h"
#include "test.h"

void test_strmap(void);

void test_strmap(void)
{
    tc_strmap m;
    tc_strmap_init(&m, 3);
    CHECK(tc_strmap_find(&m, "a", 1) == TC_STRMAP_ABSENT);   /* empty: no table yet */
    CHECK(tc_strmap_insert(&m, "en", 2) == 0);
    CHECK(tc_strmap_insert(&m, "fr", 2) == 1);
    CHECK(tc_strmap_insert(&m, "en", 2) == 0);   /* already there: its id, nothing added */
    CHECK(m.count == 2);
    CHECK(tc_strmap_insert(&m, "e", 1) == 2);    /* a prefix is another string */
    CHECK(tc_strmap_insert(&m, "de", 2) == TC_STRMAP_FULL);
    CHECK(tc_strmap_insert(&m, "fr", 2) == 1);   /* full, but a known string still has its id */
    CHECK(m.count == 3 && tc_strmap_find(&m, "de", 2) == TC_STRMAP_ABSENT);
    CHECK(tc_strmap_find(&m, "fr", 2) == 1 && tc_strmap_find(&m, "fr", 1) == TC_STRMAP_ABSENT);
    CHECK_STR(m.names[1], "fr");
    CHECK(m.lens[2] == 1);
    tc_strmap_free(&m);
    CHECK(m.count == 0 && m.names == NULL);
    tc_strmap_free(&m);   /* a zeroed map: nothing to free */

    /* a NUL inside, and the empty string: compared by length, not as C strings */
    tc_strmap_init(&m, 10);
    CHECK(tc_strmap_insert(&m, "a\0b", 3) == 0);
    CHECK(tc_strmap_insert(&m, "a", 1) == 1);
    CHECK(tc_strmap_insert(&m, "", 0) == 2);
    CHECK(tc_strmap_find(&m, "a\0b", 3) == 0 && tc_strmap_find(&m, "", 0) == 2);
    CHECK(m.lens[0] == 3 && memcmp(m.names[0], "a\0b", 4) == 0);
    tc_strmap_free(&m);

    /* many strings: the table grows many times, every id stays its string's */
    enum { N = 5000 };
    tc_strmap_init(&m, N);
    char s[32];
    int ids_ok = 1, found_ok = 1;
    for (int i = 0; i < N; i++) {
        int n = snprintf(s, sizeof s, "label-%d", i);
        ids_ok &= tc_strmap_insert(&m, s, (size_t)n) == i;
    }
    for (int i = 0; i < N; i++) {
        int n = snprintf(s, sizeof s, "label-%d", i);
        found_ok &= tc_strmap_find(&m, s, (size_t)n) == i && strcmp(m.names[i], s) == 0;
    }
    CHECK(ids_ok);
    CHECK(found_ok);
    CHECK(m.count == N && m.cap == N);   /* the arrays grow up to the limit, not past it */
    CHECK(tc_strmap_insert(&m, "one more", 8) == TC_STRMAP_FULL);
    CHECK(tc_strmap_find(&m, "label-5000", 10) == TC_STRMAP_ABSENT);
    tc_strmap_free(&m);

    tc_strmap_init(&m, -5);   /* a negative limit is 0: nothing fits */
    CHECK(tc_strmap_insert(&m, "x", 1) == TC_STRMAP_FULL);
    tc_strmap_free(&m);
}
