/*
 * train_adamw.h - the AdamW optimiser, step for step as PyTorch's torch.optim.AdamW (internal).
 */
#ifndef TC_TRAIN_ADAMW_H
#define TC_TRAIN_ADAMW_H

#include <stddef.h>
#include <stdint.h>

#include "train_backprop.h"

typedef struct {
    float beta1, beta2, eps;
    float *m[TC_NUM_TENSORS];   /* owned: first moments */
    float *v[TC_NUM_TENSORS];   /* owned: second moments */
    size_t n[TC_NUM_TENSORS];
    int64_t step;               /* steps taken */
    float lr, step_size, bc2_sqrt;   /* of the current step (tc_adamw_next) */
} tc_adamw;

tc_status tc_adamw_init(tc_adamw *a, const size_t n[TC_NUM_TENSORS], tc_error *err);
void tc_adamw_free(tc_adamw *a);

/*
 * One step on w[i][0..n[i]) with gradients g: w -= lr·wd[i]·w (decoupled weight decay), then
 * the bias-corrected Adam update, exactly in PyTorch's order of operations.
 */
void tc_adamw_step(tc_adamw *a, float *const w[TC_NUM_TENSORS], const tc_grads *g, float lr,
                   const float wd[TC_NUM_TENSORS]);

/*
 * The same step split for threads: tc_adamw_next (once) starts step number a->step + 1 at
 * learning rate lr; then tc_adamw_update(..., part, parts) for every part in [0, parts), in any
 * order or concurrently, updates the part-th slice of every tensor. Every element's update is
 * independent of the others, so the result is the same for any number of parts.
 */
void tc_adamw_next(tc_adamw *a, float lr);
void tc_adamw_update(tc_adamw *a, float *const w[TC_NUM_TENSORS], const tc_grads *g,
                     const float wd[TC_NUM_TENSORS], int part, int parts);

/*
 * Clips the gradients to global L2 norm max_norm as torch.nn.utils.clip_grad_norm_ does (scale by
 * max_norm / (norm + 1e-6) when that is < 1). Returns the norm before clipping.
 */
double tc_clip_grad_norm(tc_grads *g, double max_norm);

#endif
