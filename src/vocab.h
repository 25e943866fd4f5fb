/*
 * vocab.h - the token vocabulary: id <-> string, with a hash index (internal).
 */
#ifndef TC_VOCAB_H
#define TC_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "textclf.h"

/* One slot of the hash index: a token id and the top 32 bits of its hash, so that a probe
 * passes over other tokens' slots without reading their strings. */
typedef struct {
    int32_t id;          /* -1 = empty */
    uint32_t tag;
} tc_vocab_slot;

typedef struct {
    int32_t size;        /* number of tokens */
    char *strings;       /* owned: all tokens, each NUL-terminated, back to back */
    size_t strings_len;
    size_t strings_cap;
    uint32_t *offset;    /* owned [size]: start of token i in strings */
    uint32_t *length;    /* owned [size]: byte length of token i */
    tc_vocab_slot *table;   /* owned [mask+1]: open-addressing hash slots */
    uint64_t mask;
    uint32_t max_len;    /* longest token in bytes */
} tc_vocab;

#define TC_VOCAB_MAX_SIZE 16777216
#define TC_VOCAB_MAX_TOKEN 1024

/* Starts an empty vocabulary able to hold `expected` tokens without regrowth of arrays. */
tc_status tc_vocab_init(tc_vocab *v, int64_t expected, tc_error *err);

/* Appends token s[0..len) with the next id (at most `expected` tokens). 0, or -1 if out of
 * memory. Duplicates are found by tc_vocab_build_index. */
int tc_vocab_add(tc_vocab *v, const char *s, size_t len);

/*
 * Builds the hash index; call once after the last tc_vocab_add. Returns 0, -1 if out of memory,
 * or 1 if two tokens are equal: then *first and *second are their ids.
 */
int tc_vocab_build_index(tc_vocab *v, int32_t *first, int32_t *second);

/* The id of prefix+s (as one string), or -1. */
int32_t tc_vocab_find(const tc_vocab *v, const char *prefix, size_t prefix_len, const char *s,
                      size_t len);

static inline const char *tc_vocab_token(const tc_vocab *v, int32_t id)
{
    return v->strings + v->offset[id];
}

void tc_vocab_free(tc_vocab *v);

#endif
