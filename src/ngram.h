/*
 * ngram.h - each token's mean character n-gram vector, G[t] of docs/model-format.md (internal).
 *
 * The tokenizer makes the n-gram buckets (tc_tokenize_ngrams, tokenizer.h); this sums their rows
 * of ngram.weight as they come, in list order, and divides by each list's length: the forward
 * passes (tc_forward, tc_infer) then add G[t] to the token's embedding. Nothing here holds a
 * token's list, so a word of a million letters (one unk_token) costs d floats, like any other.
 */
#ifndef TC_NGRAM_H
#define TC_NGRAM_H

#include <stdint.h>

#include "model.h"

/* buckets held back per token before they are added (tc_ngram_acc's pend) */
#define TC_NGRAM_PENDING 32
/* log2 of the entries of a session's cache of pieces' mean n-gram vectors (tc_ngram_acc) */
#define TC_NGRAM_CACHE_BITS 12

/* G[0..T) for one document, grown to the documents met (as the sessions' scratch, model.h's
 * tc_token_capacity). A zeroed tc_ngram_acc is valid and holds nothing. */
typedef struct {
    const float *w;     /* borrowed: ngram.weight [B, d] of the model being run, float32 */
    const uint16_t *w16; /* or its halves [B, d] when the model holds it as F16 (w NULL) */
    const int8_t *w8;   /* or its int8 values [B, d] when the model holds it as I8 (w, w16
                           NULL), with scale8 [B] (quant.h) */
    const float *scale8;
    /* r[0..d) += rows b[0..n) of the I8 table (q, scale), in that order: AVX2's loop when the
     * CPU has it */
    void (*add8)(float *r, const int8_t *q, const float *scale, const uint32_t *b, int n, int d);
    /* r[0..d) += rows b[0..n) of the halves table h [B, d], in that order: F16C's loop when
     * the CPU has it */
    void (*add16)(float *r, const uint16_t *h, const uint32_t *b, int n, int d);
    int dim;            /* d */
    int max_len;        /* the model's: rows never grow past it */
    int cap;            /* rows that rows and count hold */
    int64_t n;          /* rows started (tokens 0..n-1 have had an n-gram, or were skipped) */
    float *rows;        /* [cap, d] sums, then means (tc_ngram_acc_finish) */
    int64_t *count;     /* [cap]    list lengths */
    /* The buckets of token pend_token not yet added to its row. A token's rows are added
     * together, at its next token (or when TC_NGRAM_PENDING have come), in their order (the
     * same sums), so its sum stays in registers; each row is prefetched when its bucket comes
     * (the rows of a 40,000-bucket table are spread over megabytes). */
    int64_t pend_token;
    int pend_n;
    uint32_t pend[TC_NGRAM_PENDING];
    /* A WordPiece piece's list, so its mean G and G·Wqkᵀ, is decided by its id and whether it
     * starts and ends its word (tc_ngram_known_fn): those of the last pieces met are kept, by
     * that key, direct-mapped, so that a piece met again costs two copies, not hashing and
     * summing its n-grams and projecting their mean. The same bits as making them: they are what
     * making them gave (with the same forward loops: cache_loops). */
    const tc_model *cache_model;   /* the model whose rows the cache holds */
    const void *cache_loops;       /* tc_infer_loops(cache_model) when they were made */
    int h2;               /* 2H: the width of G·Wqkᵀ */
    int64_t *cache_key;   /* [2^TC_NGRAM_CACHE_BITS] key, -1 empty; NULL: no cache (no memory) */
    float *cache_row;     /* [2^TC_NGRAM_CACHE_BITS, d + 2H] G, then G·Wqkᵀ */
    int64_t *key;         /* [cap] the key token t's rows go into the cache under, or -1 */
    float *gq;            /* [cap, 2H] G·Wqkᵀ: the cache's, or the forward pass's */
    unsigned char *known; /* [cap] 1 when gq's row t came from the cache */
} tc_ngram_acc;

/* Starts a document of model m (which has n-grams): no rows yet; buffers kept. */
void tc_ngram_acc_begin(tc_ngram_acc *a, const tc_model *m);

/* tc_ngram_fn (tokenizer.h) for a tc_ngram_acc as ctx: rows[token] += ngram.weight[bucket]
 * (an F16 row added as its float32 values: the sums of the float32 table's), done at the
 * latest by tc_ngram_acc_finish (the row is prefetched now, added with its token's others).
 * Tokens come in ascending order; the rows of those skipped (empty lists) are zeroed. Grows the
 * buffers by doubling: 0, or -1 when out of memory (a then holds nothing, still valid). */
int tc_ngram_acc_add(void *ctx, int64_t token, uint32_t bucket);

/* tc_ngram_known_fn for a tc_ngram_acc as ctx: 1, and rows[token] and gq[token] are the cached
 * rows, when the cache has that piece's; else 0 (tc_ngram_acc_store keeps its rows), or -1 when
 * out of memory (as tc_ngram_acc_add). */
int tc_ngram_acc_known(void *ctx, int64_t token, int32_t id, int word_start, int word_end);

/* After tc_infer_gq(..., a->rows as ng, a->gq, a->known, T, ...) on the document a finished:
 * keeps the rows of its pieces that were not in the cache. */
void tc_ngram_acc_store(tc_ngram_acc *a, int T);

/* Ends the document of T tokens: rows[0..T) become the means (0 for an empty list). Returns
 * rows, or NULL when out of memory (T > cap and growing failed; err filled). */
const float *tc_ngram_acc_finish(tc_ngram_acc *a, int T, tc_error *err);

void tc_ngram_acc_free(tc_ngram_acc *a);

/* A document's n-gram lists, as training stores them: token t's list is
 * bucket[start[t] .. start[t+1]). */
typedef struct {
    const int64_t *start;     /* [T + 1] (offsets into bucket, not necessarily from 0) */
    const uint32_t *bucket;
} tc_ngram_lists;

/* out[d] = the mean of the rows buckets[0..n) of w (ngram.weight [B, d]), summed in list
 * order: G[t] of a token whose list is known (training's examples); 0 when n = 0. */
void tc_ngram_mean(const float *w, int d, const uint32_t *buckets, int64_t n, float *out);

#endif
