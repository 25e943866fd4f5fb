/*
 * train_backprop.h - training forward and backward pass for one document (internal).
 *
 * The forward half is training's own arrangement of tc_forward's function (forward.h lists the
 * three passes): mean pooling is applied before the value and output projections (as infer.h's
 * identity 2), so the attention block's T output rows are never formed; with dropout (0 gives
 * tc_forward's probabilities up to float rounding), keeping the activations the backward pass
 * needs. The backward pass accumulates the gradients of the loss (cross-entropy, or binary
 * cross-entropy per label for a sigmoid model) with respect to every weight into a tc_grads. Gradients are summed, not averaged: the trainer scales the batch
 * sum.
 */
#ifndef TC_TRAIN_BACKPROP_H
#define TC_TRAIN_BACKPROP_H

#include <stdint.h>

#include "model.h"
#include "ngram.h"
#include "train_grads.h"

/* Per-thread scratch for training, sized for the model's max_len. Every field is a buffer listed
 * in train_backprop.c's BP_BUFFERS, which allocates and frees them (a field left out of that list
 * fails the build). */
typedef struct {
    float *x;         /* [L, d]    embeddings (+ n-grams) + positions */
    float *qkv;       /* [L, 3H] */
    float *att;       /* [heads, L, L] attention weights */
    float *colsum;    /* [heads, L] column sums of each head's attention weights */
    float *pooled;    /* [d]       after dropout */
    float *mask1;     /* [d]       dropout multipliers of pooled (0 or 1/(1-p)) */
    float *hpre;      /* [hidden]  before the activation */
    float *h;         /* [hidden]  after activation and dropout */
    float *mask2;     /* [hidden] */
    float *probs;     /* [C] */
    float *dz;        /* [C] */
    float *dh;        /* [hidden] */
    float *dpooled;   /* [d] */
    float *r;         /* [H]      gradient of every row of O (rows are equal: mean pooling) */
    float *omean;     /* [H]      mean over rows of O, the concatenated head outputs */
    float *g;         /* [L]      per-key gradient of one head's attention weights */
    float *dqkv;      /* [L, 3H] */
    float *dx;        /* [L, d] */
} tc_bp_state;

/* Allocates every buffer of s for model m. TC_OK, or TC_ERR_NOMEM with s zeroed (nothing held). */
tc_status tc_bp_state_init(tc_bp_state *s, const tc_model *m, tc_error *err);
/* Frees the buffers of s and zeroes it (a zeroed s is fine). */
void tc_bp_state_free(tc_bp_state *s);

/*
 * Runs forward and backward for one document ids[0..T) with gold classes labels[0..n_labels)
 * (ng: its tokens' n-gram lists for a model with character n-grams, else NULL), adding
 * weight * dloss/dθ to g. The loss, by m->output: softmax, -log p_label of the one gold class
 * labels[0] (n_labels 1); sigmoid, the mean over the C labels of the binary cross-entropy with
 * targets 1 for the n_labels (distinct) gold classes and 0 for the others (PyTorch's
 * BCEWithLogitsLoss of the row). Dropout with probability `dropout` (0 = none) on the pooled
 * vector and on the hidden activations, with masks drawn from *rng (xorshift64 state). Returns
 * the unweighted loss; probs of the forward pass are left in s->probs.
 */
float tc_backprop_doc(const tc_model *m, tc_bp_state *s, const int32_t *ids,
                      const tc_ngram_lists *ng, int T, const int32_t *labels, int n_labels,
                      float weight, float dropout, uint64_t *rng, tc_grads *g);

#endif
