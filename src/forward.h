/*
 * forward.h - the reference forward pass for one document (internal).
 *
 * The network (docs/model-format.md) is computed by three passes, each for its own use:
 *   - tc_forward (here): the maths as written, with BLAS. The reference that the others are
 *     tested against; training validates each epoch with it (train.c), tc_explain takes its
 *     attention weights from it (tc_forward_attention), and tc_session_run uses it for a model
 *     without classification's tables (none that tc_model_load makes).
 *   - tc_infer (infer.h): classification, tc_classify and tc_explain's probabilities; the same
 *     function rearranged with exact identities, on per-model tables, without BLAS.
 *   - tc_backprop_doc's forward half (train_backprop.h): training's gradients; the same function
 *     rearranged for mean pooling, with dropout, keeping what the backward pass needs.
 * They agree up to float rounding: tests/unit/test_forward.c compares tc_infer with tc_forward,
 * test_backprop.c training's probabilities with tc_forward's.
 */
#ifndef TC_FORWARD_H
#define TC_FORWARD_H

#include <stdint.h>

#include "model.h"

/* tc_forward's scratch activations for documents of up to cap tokens: for max_len
 * (tc_forward_state_init, as training's validation wants: its documents reach max_len), or grown
 * to the documents met (tc_forward_state_reserve, as sessions do). A zeroed tc_forward_state is
 * valid and holds nothing. */
typedef struct {
    int cap;         /* tokens the buffers below hold: tc_forward needs T <= cap */
    float *x;        /* [cap, d]   embeddings + positions */
    float *qkv;      /* [cap, 3H]  Q | K | V */
    float *scores;   /* [TC_ATT_ROWS, T] attention weights of a block of query rows (room for
                      * min(cap, TC_ATT_ROWS)·cap) */
    float *o;        /* [cap, H]   concatenated head outputs */
    float *y;        /* [cap, d]   attention block output (+ residual) */
    float *pooled;   /* [d] */
    float *h;        /* [hidden] */
    float *logits;   /* [C] */
} tc_forward_state;

#define TC_ATT_ROWS 64

/* A state for documents of up to max_len tokens. TC_OK, or TC_ERR_NOMEM with *s zeroed. */
tc_status tc_forward_state_init(tc_forward_state *s, const tc_model *m, tc_error *err);

/* Makes s hold documents of T tokens (0 <= T <= max_len): nothing when it already does, else
 * its buffers are replaced by ones for tc_token_capacity(T) tokens (model.h); their contents
 * are not kept. s may be zeroed. TC_OK, or TC_ERR_NOMEM with *s zeroed (still valid). */
tc_status tc_forward_state_reserve(tc_forward_state *s, const tc_model *m, int T, tc_error *err);

/* Frees the buffers of s and zeroes it. */
void tc_forward_state_free(tc_forward_state *s);

/* probs[C] = model(ids[0..T)), 0 <= T <= s->cap (s made by tc_forward_state_init or
 * tc_forward_state_reserve). ng[T, d] is G, each token's mean n-gram vector (ngram.h), for a
 * model with character n-grams; NULL for one without (nothing is added). The reference form (the math as written in docs/model-format.md):
 * training's validation uses it; classification uses tc_infer (infer.h), training's gradients
 * tc_backprop_doc (train_backprop.h). Uses BLAS: tc_blas_load (blas.h) must have succeeded. */
void tc_forward(const tc_model *m, tc_forward_state *s, const int32_t *ids, const float *ng, int T,
                float *probs);

/* tc_forward (same requirements), also writing received[T] (T floats; nothing when T = 0): the
 * attention each token receives, averaged over heads and query positions,
 *     received[s] = (1 / heads) Σ_j (1 / T) Σ_t A_j[t, s],
 * A_j the softmax weights of head j (rows t = queries, columns s = keys). It sums to 1, and is
 * the weight of token s's value vector in the pooled attention output (infer.h, identity 2),
 * averaged over heads. For `textclf explain` (explain.c). */
void tc_forward_attention(const tc_model *m, tc_forward_state *s, const int32_t *ids,
                          const float *ng, int T, float *probs, float *received);

/* y[out] = W·x[in] + b for one layer of the head (tc_head): W = m->w[w], b = m->w[b], computed
 * as the calling pass computes its layers. */
typedef void (*tc_layer_fn)(const tc_model *m, tc_tensor_id w, tc_tensor_id b, const float *x,
                            int in, float *y, int out);

/* The network after pooling, one function for tc_forward and tc_infer:
 *     h[hidden] = act(hidden · pooled + b),  logits[C] = classifier · h + b,
 *     probs[C] = softmax(logits), or σ(logits) each on its own (config.output "sigmoid"),
 * with each layer computed by layer (tc_forward: BLAS on the weights; tc_infer: its own loops on
 * transposed copies). tc_backprop_doc writes these steps out itself: it drops out h and keeps
 * the values before activation and dropout for its backward pass. */
void tc_head(const tc_model *m, tc_layer_fn layer, const float *pooled, float *h, float *logits,
             float *probs);

#endif
