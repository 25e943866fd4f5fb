/*
 * infer.h - the forward pass for classification, rearranged with exact identities (internal).
 *
 * It computes the same function as tc_forward (forward.c, which reads like the math and stays
 * the reference: training validates with it, tc_explain takes attention weights from it, the tests
 * compare with it), in fewer operations:
 *
 *  1. Projections are linear, and x_t = E[id_t] + P[t], so
 *         q_t = E[id_t]·Wqᵀ + (P[t]·Wqᵀ + bq)        (and k_t likewise)
 *     The first term is a row of a per-vocabulary table EQK[V, 2H], the second a row of a
 *     per-position table PQK[max_len, 2H]; each row is computed the first time it is needed and
 *     shared by every thread. A token's Q and K then cost 2H additions, not 2H·d multiply-adds.
 *  2. Mean-pooling is linear, so the pooled attention output of head j is
 *         mean_t Σ_s A_ts v_s = Σ_s c_s v_s,   c_s = mean_t A_ts (column means of A),
 *     and since Σ_s c_s = 1,  Σ_s c_s v_s = (Σ_s c_s x_s)·Wvᵀ + bv: V is never computed per
 *     token, and the output projection runs once per document instead of once per token.
 *  3. The residual's contribution to the pooled vector is mean_t x_t.
 *
 * With character n-grams x_t = E[id_t] + G_t + P[t]: G_t differs from token to token (it is a
 * mean over the token's own n-gram list), so its share of q_t and k_t, G_t·Wqkᵀ, is computed per
 * token (2H·d multiply-adds); (2) and (3) hold as they are.
 *
 * What is left per document is the T×T score matrices (T²·H multiply-adds and T²·heads exps).
 * Results equal tc_forward's up to float rounding (tests/unit/test_forward.c: both within 2e-6
 * of a double-precision evaluation).
 *
 * Memory: the EQK table is V·2H floats (the embedding is V·d), touched only for tokens seen; its
 * 2 MiB pieces become huge pages once an eighth of their rows are filled (hugemem.h).
 * A model whose table would exceed TC_INFER_TABLE_MAX bytes gets none: its rows are computed per
 * document instead (same results, slower). The per-vector weight matrices are also kept
 * transposed (a copy of the attention, hidden and classifier weights: small).
 * Training does not use tc_infer: its weights change at every step, and the tables and
 * transposed copies would not follow. It validates with tc_forward and computes its gradients
 * with tc_backprop_doc's own forward pass (train_backprop.h).
 */
#ifndef TC_INFER_H
#define TC_INFER_H

#include <stdint.h>

#include "model.h"

#define TC_INFER_TABLE_MAX ((size_t)256 << 20)

/* What tc_infer derives from a model's weights once, owned by the model (tc_model.infer): the
 * loops for this CPU (AVX2+FMA+F16C or baseline, infer.c), the projection tables of (1), filled
 * as rows are first needed, and the transposed weights. Thread-safe: a table row is filled at
 * most once, under an atomic per-row state; a thread that finds a row being filled by another
 * computes its own copy. */
typedef struct tc_infer_cache tc_infer_cache;

/* Builds m->infer for a loaded model: the transposed weights now, the EQK and PQK rows as they
 * are first needed, in tables of at most max_table bytes each (TC_INFER_TABLE_MAX; 0: no tables,
 * every row computed when needed). TC_ERR_NOMEM. */
tc_status tc_infer_cache_init(tc_model *m, size_t max_table, tc_error *err);
void tc_infer_cache_free(tc_infer_cache *c);

/* For tests: c runs the baseline x86-64 loops even on a CPU with AVX2, FMA and F16C, whose loops
 * it would otherwise use (they differ in rounding only: fused multiply-adds). */
void tc_infer_cache_use_baseline(tc_infer_cache *c);

/* Per-session scratch for tc_infer. The per-token buffers hold documents of up to cap tokens
 * (Cp = cap rounded up to 8): sessions grow them to the document (tc_infer_state_reserve), so
 * that a model with a long max_len costs memory only for the documents it is given. Attention
 * scores are computed TC_INFER_ROWS query rows at a time, so they take O(T), not O(T²). A zeroed
 * tc_infer_state is valid and holds nothing: reserve before use. */
typedef struct {
    int cap;        /* tokens the buffers below hold: tc_infer needs T <= cap */
    float *x;       /* [cap, d]   embeddings + positions */
    float *q;       /* [cap, H]   queries, already scaled by log2 e/√hd */
    float *kt;      /* [heads, Tp/8, hd, 8]  keys by head, in blocks of 8 keys, each stored
                     * transposed (Tp = the document's T rounded up to 8; room for Cp) */
    float *scores;  /* [TC_INFER_ROWS, Tp] one head's attention scores of a block of query
                     * rows, then weights (room for TC_INFER_ROWS·Cp) */
    float *col;     /* [Cp]       column means of one head's attention matrix */
    float *w;       /* [TC_INFER_ROWS] 1 / (sum · T) of each score row's exps */
    float *qk;      /* [6H]       a token's projections [2H], then its position's [2H], when not
                     * taken from the tables, then its n-grams' G·Wqkᵀ [2H] */
    float *e;       /* [d]        a token's embedding row converted from F16 or I8 (such a table) */
    float *z;       /* [heads, d] Σ_s c_s x_s per head */
    float *o;       /* [H]        pooled attention output */
    float *pooled;  /* [d] */
    float *xsum;    /* [d]        Σ_t x_t, for the residual */
    float *h;       /* [hidden] */
    float *logits;  /* [C] */
} tc_infer_state;

enum { TC_INFER_ROWS = 64 };

/* A state for documents of up to max_len tokens (cap = max_len). TC_OK, or TC_ERR_NOMEM with
 * *s zeroed. */
tc_status tc_infer_state_init(tc_infer_state *s, const tc_model *m, tc_error *err);

/* Makes s hold documents of T tokens (0 <= T <= max_len): nothing when it already does, else
 * its buffers are replaced by larger ones, for tc_token_capacity(T) tokens (model.h); their
 * contents are not kept. s may be zeroed. TC_OK, or TC_ERR_NOMEM with *s zeroed (still valid:
 * a later call may succeed). */
tc_status tc_infer_state_reserve(tc_infer_state *s, const tc_model *m, int T, tc_error *err);

/* Frees the buffers of s and zeroes it. */
void tc_infer_state_free(tc_infer_state *s);

/* probs[C] = model(ids[0..T)), 0 <= T <= max_len, s made by tc_infer_state_init or by a
 * tc_infer_state_reserve for at least T tokens; the same function as tc_forward. ng[T, d]: G,
 * each token's mean n-gram vector, for a model with character n-grams (NULL without). */
void tc_infer(const tc_model *m, tc_infer_state *s, const int32_t *ids, const float *ng, int T,
              float *probs);

/* tc_infer with the tokens' G·Wqkᵀ in gq[T, 2H] (a model with n-grams, ng not NULL): row t is
 * read when known[t] is not 0, else computed into it (so gq then holds every token's). The same
 * results: a row known is one this function computed for the same G with this model's loops
 * (tc_infer_loops). */
void tc_infer_gq(const tc_model *m, tc_infer_state *s, const int32_t *ids, const float *ng,
                 float *gq, const unsigned char *known, int T, float *probs);

/* Which loops tc_infer runs for m (they change only with tc_infer_cache_use_baseline): rows
 * tc_infer_gq computed under other loops may differ in their last bits. */
const void *tc_infer_loops(const tc_model *m);

#endif
