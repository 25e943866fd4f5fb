/*
 * train_grads.h - gradient buffers for training, with sparse embedding rows (internal).
 *
 * One gradient array per weight tensor, indexed by tc_tensor_id (model.h) and shaped like it.
 * The embedding [V, d] is most of the parameters, but a batch touches only the
 * rows of its tokens (a few hundred of V): the buffer remembers which rows it wrote, so zeroing,
 * summing shards, scaling and the norm visit only those rows and cost O(touched), not O(V·d).
 * Every row not in the list is exactly zero, so dense readers (AdamW, tests) see the same values.
 */
#ifndef TC_TRAIN_GRADS_H
#define TC_TRAIN_GRADS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef struct {
    float *g[TC_NUM_TENSORS];   /* owned, by tc_tensor_id; zeroed by tc_grads_zero */
    size_t n[TC_NUM_TENSORS];   /* element counts */
    int32_t *rows;              /* owned: [V] embedding rows written since the last zero */
    uint8_t *touched;           /* owned: [V] 1 when the row is in rows */
    size_t nrows;               /* entries of rows in use */
    size_t vocab, dim;          /* embedding shape [vocab, dim] */
} tc_grads;

/* Allocates zeroed gradients shaped like m's weights. On failure g is left freed. */
tc_status tc_grads_init(tc_grads *g, const tc_model *m, tc_error *err);
void tc_grads_zero(tc_grads *g);
void tc_grads_free(tc_grads *g);

/* Returns the gradient row of embedding row `id`, recording it as touched. */
static inline float *tc_grads_embedding_row(tc_grads *g, int32_t id)
{
    if (!g->touched[id]) {
        g->touched[id] = 1;
        g->rows[g->nrows++] = id;
    }
    return g->g[TC_W_EMBEDDING] + (size_t)id * g->dim;
}

/* dst += src, element by element (same shapes). Summing shards in a fixed order keeps training
 * deterministic for a given thread count. */
void tc_grads_add(tc_grads *dst, const tc_grads *src);

/* Divides every gradient by `div` (the batch's weight sum: PyTorch's mean loss). */
void tc_grads_div(tc_grads *g, float div);

/* Multiplies every gradient by `coef`, rounding through double as torch's clip_grad_norm_ does. */
void tc_grads_mul(tc_grads *g, double coef);

/* Sum of squares of every gradient, accumulated in double. */
double tc_grads_sqnorm(const tc_grads *g);

#endif
