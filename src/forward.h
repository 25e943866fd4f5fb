/*
 * forward.h - the network's forward pass for one document (internal).
 */
#ifndef TC_FORWARD_H
#define TC_FORWARD_H

#include <stdint.h>

#include "model.h"

/* Scratch activations, allocated once per session for the model's max_len. */
typedef struct {
    float *x;        /* [max_len, d]   embeddings + positions */
    float *qkv;      /* [max_len, 3H]  Q | K | V */
    float *scores;   /* [TC_ATT_ROWS, max_len] attention weights of a block of query rows */
    float *o;        /* [max_len, H]   concatenated head outputs */
    float *y;        /* [max_len, d]   attention block output (+ residual) */
    float *pooled;   /* [d] */
    float *h;        /* [hidden] */
    float *logits;   /* [C] */
} tc_run_state;

#define TC_ATT_ROWS 64

tc_status tc_run_state_init(tc_run_state *s, const tc_model *m, tc_error *err);
void tc_run_state_free(tc_run_state *s);

/* probs[C] = model(ids[0..T)), 0 <= T <= max_len. The reference form (the math as written in
 * docs/model-format.md), used by training; classification uses tc_infer (infer.h). Uses BLAS:
 * tc_blas_load (blas.h) must have succeeded. */
void tc_forward(const tc_model *m, tc_run_state *s, const int32_t *ids, int T, float *probs);

/* tc_forward, also writing received[T] (T floats; nothing when T = 0): the attention each token
 * receives, averaged over heads and query positions,
 *     received[s] = (1 / heads) Σ_j (1 / T) Σ_t A_j[t, s],
 * A_j the softmax weights of head j (rows t = queries, columns s = keys). It sums to 1, and is
 * the weight of token s's value vector in the pooled attention output (infer.h, identity 2),
 * averaged over heads. For `textclf explain` (explain.c). */
void tc_forward_attention(const tc_model *m, tc_run_state *s, const int32_t *ids, int T,
                          float *probs, float *received);

#endif
