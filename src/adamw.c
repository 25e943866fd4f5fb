/*
 * adamw.c - AdamW and gradient clipping.
 */
#include "adamw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

tc_status tc_adamw_init(tc_adamw *a, const size_t n[TC_NUM_TENSORS], tc_error *err)
{
    memset(a, 0, sizeof *a);
    a->beta1 = 0.9f;
    a->beta2 = 0.999f;
    a->eps = 1e-8f;
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        a->n[i] = n[i];
        a->m[i] = calloc(n[i] ? n[i] : 1, sizeof(float));
        a->v[i] = calloc(n[i] ? n[i] : 1, sizeof(float));
        if (!a->m[i] || !a->v[i]) {
            tc_adamw_free(a);
            return tc_fail_nomem(err, NULL);
        }
    }
    return TC_OK;
}

void tc_adamw_free(tc_adamw *a)
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        free(a->m[i]);
        free(a->v[i]);
    }
    memset(a, 0, sizeof *a);
}

void tc_adamw_step(tc_adamw *a, float *const w[TC_NUM_TENSORS], const tc_grads *g, float lr,
                   const float wd[TC_NUM_TENSORS])
{
    a->step++;
    /* PyTorch: step_size = lr / bc1; denom = sqrt(v) / sqrt(bc2) + eps */
    double bc1 = 1.0 - pow(a->beta1, (double)a->step);
    double bc2 = 1.0 - pow(a->beta2, (double)a->step);
    float step_size = (float)(lr / bc1), bc2_sqrt = (float)sqrt(bc2);
    float b1 = a->beta1, b2 = a->beta2;
    for (int t = 0; t < TC_NUM_TENSORS; t++) {
        float *p = w[t], *m = a->m[t], *v = a->v[t];
        const float *gr = g->g[t];
        float decay = 1.0f - lr * wd[t];
        for (size_t i = 0; i < a->n[t]; i++) {
            if (wd[t] != 0) p[i] *= decay;
            m[i] = m[i] * b1 + gr[i] * (1.0f - b1);   /* torch 1.13: mul_(b1).add_(g, 1-b1) */
            v[i] = v[i] * b2 + (1.0f - b2) * gr[i] * gr[i];
            float denom = sqrtf(v[i]) / bc2_sqrt + a->eps;
            p[i] -= step_size * (m[i] / denom);
        }
    }
}

double tc_clip_grad_norm(tc_grads *g, double max_norm)
{
    double sq = 0;
    for (int t = 0; t < TC_NUM_TENSORS; t++)
        for (size_t i = 0; i < g->n[t]; i++) sq += (double)g->g[t][i] * g->g[t][i];
    double norm = sqrt(sq);
    double coef = max_norm / (norm + 1e-6);
    if (max_norm > 0 && coef < 1.0)
        for (int t = 0; t < TC_NUM_TENSORS; t++)
            for (size_t i = 0; i < g->n[t]; i++) g->g[t][i] = (float)(g->g[t][i] * coef);
    return norm;
}
