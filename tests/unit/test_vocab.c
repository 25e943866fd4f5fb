/*
 * Vocabulary: ids, lookups with a prefix, duplicate detection.
 */
#include <string.h>

#include "test.h"
#include "vocab.h"

void test_vocab(void);

static void add_all(tc_vocab *v, const char *const *toks, int n)
{
    CHECK(tc_vocab_init(v, n, NULL) == TC_OK);
    for (int i = 0; i < n; i++) CHECK(tc_vocab_add(v, toks[i], strlen(toks[i])) == 0);
}

void test_vocab(void)
{
    static const char *const toks[] = {"[UNK]", "un", "##want", "##ed", "runn", "##ing", "中"};
    tc_vocab v;
    add_all(&v, toks, 7);
    int32_t a = -1, b = -1;
    CHECK(tc_vocab_build_index(&v, &a, &b) == 0);
    CHECK(tc_vocab_find(&v, "", 0, "un", 2) == 1);
    CHECK(tc_vocab_find(&v, "##", 2, "want", 4) == 2);
    CHECK(tc_vocab_find(&v, "", 0, "want", 4) == -1);
    CHECK(tc_vocab_find(&v, "", 0, "##ing", 5) == 5);
    CHECK(tc_vocab_find(&v, "", 0, "中", 3) == 6);
    CHECK(tc_vocab_find(&v, "", 0, "", 0) == -1);
    CHECK_STR(tc_vocab_token(&v, 4), "runn");
    CHECK(v.max_len == 6);
    tc_vocab_free(&v);

    static const char *const dup[] = {"a", "b", "c", "b"};
    add_all(&v, dup, 4);
    CHECK(tc_vocab_build_index(&v, &a, &b) == 1);
    CHECK(a == 1 && b == 3);
    tc_vocab_free(&v);
}
