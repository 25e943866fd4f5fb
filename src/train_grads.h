/*
 * train_grads.h - gradient buffers for training, with sparse embedding rows (internal).
 *
 * One gradient array per weight tensor, indexed by tc_tensor_id (model.h) and shaped like it.
 * The embedding [V, d] is most of the parameters, but a batch touches only the
 * rows of its tokens (a few hundred of V): the buffer remembers which rows it wrote, so zeroing,
 * summing shards, scaling and the norm visit only those rows and cost O(touched), not O(V·d).
 * Every row not in the list is exactly zero, so dense readers (AdamW, tests) see the same values.
 * The n-gram table [B, d] (character n-grams) is a table of the same kind, and is kept the same
 * way: the rows of the buckets the batch's n-grams fell in.
 */
#ifndef TC_TRAIN_GRADS_H
#define TC_TRAIN_GRADS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* The rows of one table (embedding or n-grams) written since the last zero. */
typedef struct {
    int32_t *rows;              /* owned: [size] rows written, in the order first written */
    uint8_t *touched;           /* owned: [size] 1 when the row is in rows */
    size_t nrows;               /* entries of rows in use */
    size_t size;                /* rows of the table */
} tc_grad_rows;

typedef struct {
    float *g[TC_NUM_TENSORS];   /* owned, by tc_tensor_id; zeroed by tc_grads_zero */
    size_t n[TC_NUM_TENSORS];   /* element counts */
    tc_grad_rows emb;           /* rows of TC_W_EMBEDDING */
    tc_grad_rows ngram;         /* rows of TC_W_NGRAM (size 0 without n-grams) */
    size_t dim;                 /* row width d of both tables */
} tc_grads;

/* Allocates zeroed gradients shaped like m's weights. On failure g is left freed. */
tc_status tc_grads_init(tc_grads *g, const tc_model *m, tc_error *err);
void tc_grads_zero(tc_grads *g);
void tc_grads_free(tc_grads *g);

/* Records row id of r as touched. */
static inline void tc_grad_rows_touch(tc_grad_rows *r, int32_t id)
{
    if (!r->touched[id]) {
        r->touched[id] = 1;
        r->rows[r->nrows++] = id;
    }
}

/* Returns the gradient row of embedding row `id`, recording it as touched. */
static inline float *tc_grads_embedding_row(tc_grads *g, int32_t id)
{
    tc_grad_rows_touch(&g->emb, id);
    return g->g[TC_W_EMBEDDING] + (size_t)id * g->dim;
}

/* Returns the gradient row of n-gram bucket `b`, recording it as touched. */
static inline float *tc_grads_ngram_row(tc_grads *g, uint32_t b)
{
    tc_grad_rows_touch(&g->ngram, (int32_t)b);
    return g->g[TC_W_NGRAM] + (size_t)b * g->dim;
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
