/*
 * train_adamw.c - AdamW and gradient clipping.
 */
#include "train_adamw.h"

#include <math.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif
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

/*
 * The update of one tensor, p[0..n) with moments m, v and gradient g, in PyTorch 1.13's order of
 * operations. This pass runs over all V·d embedding weights every step, even rows the batch did
 * not touch (their moments still decay, as in PyTorch): it is the trainer's largest cost outside
 * the gradients, so it runs 8 lanes at a time with AVX where the CPU has it (checked at run
 * time), else 4 with SSE2 (every x86-64), then scalar for the remainder. Each lane performs the
 * scalar expression's IEEE single-precision operations in the same order (no fused multiply-add:
 * -std=c11 keeps contraction off), so every path gives identical bits.
 */
typedef struct {
    float b1, b2, eps, step_size, bc2_sqrt, decay;
    int decayed;
} adamw_coefs;

static size_t adamw_scalar(float *p, float *m, float *v, const float *g, size_t i, size_t n,
                           const adamw_coefs *c)
{
    for (; i < n; i++) {
        if (c->decayed) p[i] *= c->decay;
        m[i] = m[i] * c->b1 + g[i] * (1.0f - c->b1);   /* torch 1.13: mul_(b1).add_(g, 1-b1) */
        v[i] = v[i] * c->b2 + (1.0f - c->b2) * g[i] * g[i];
        float denom = sqrtf(v[i]) / c->bc2_sqrt + c->eps;
        p[i] -= c->step_size * (m[i] / denom);
    }
    return i;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define TC_ADAMW_AVX 1
__attribute__((target("avx")))
static size_t adamw_avx(float *p, float *m, float *v, const float *g, size_t i, size_t n,
                        const adamw_coefs *c)
{
    const __m256 b1 = _mm256_set1_ps(c->b1), b1c = _mm256_set1_ps(1.0f - c->b1);
    const __m256 b2 = _mm256_set1_ps(c->b2), b2c = _mm256_set1_ps(1.0f - c->b2);
    const __m256 eps = _mm256_set1_ps(c->eps), step = _mm256_set1_ps(c->step_size);
    const __m256 bc2 = _mm256_set1_ps(c->bc2_sqrt), decay = _mm256_set1_ps(c->decay);
    for (; i + 8 <= n; i += 8) {
        __m256 pi = _mm256_loadu_ps(p + i), gi = _mm256_loadu_ps(g + i);
        if (c->decayed) pi = _mm256_mul_ps(pi, decay);
        __m256 mi =
            _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(m + i), b1), _mm256_mul_ps(gi, b1c));
        __m256 vi = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(v + i), b2),
                                  _mm256_mul_ps(_mm256_mul_ps(b2c, gi), gi));
        __m256 denom = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), bc2), eps);
        pi = _mm256_sub_ps(pi, _mm256_mul_ps(step, _mm256_div_ps(mi, denom)));
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        _mm256_storeu_ps(p + i, pi);
    }
    return i;
}
#endif

#ifdef __SSE2__
static size_t adamw_sse2(float *p, float *m, float *v, const float *g, size_t i, size_t n,
                         const adamw_coefs *c)
{
    const __m128 b1 = _mm_set1_ps(c->b1), b1c = _mm_set1_ps(1.0f - c->b1);
    const __m128 b2 = _mm_set1_ps(c->b2), b2c = _mm_set1_ps(1.0f - c->b2);
    const __m128 eps = _mm_set1_ps(c->eps), step = _mm_set1_ps(c->step_size);
    const __m128 bc2 = _mm_set1_ps(c->bc2_sqrt), decay = _mm_set1_ps(c->decay);
    for (; i + 4 <= n; i += 4) {
        __m128 pi = _mm_loadu_ps(p + i), gi = _mm_loadu_ps(g + i);
        if (c->decayed) pi = _mm_mul_ps(pi, decay);
        __m128 mi = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(m + i), b1), _mm_mul_ps(gi, b1c));
        __m128 vi =
            _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(v + i), b2), _mm_mul_ps(_mm_mul_ps(b2c, gi), gi));
        __m128 denom = _mm_add_ps(_mm_div_ps(_mm_sqrt_ps(vi), bc2), eps);
        pi = _mm_sub_ps(pi, _mm_mul_ps(step, _mm_div_ps(mi, denom)));
        _mm_storeu_ps(m + i, mi);
        _mm_storeu_ps(v + i, vi);
        _mm_storeu_ps(p + i, pi);
    }
    return i;
}
#endif

static void adamw_span(float *p, float *m, float *v, const float *g, size_t n, const adamw_coefs *c)
{
    size_t i = 0;
#ifdef TC_ADAMW_AVX
    if (__builtin_cpu_supports("avx")) i = adamw_avx(p, m, v, g, i, n, c);
#endif
#ifdef __SSE2__
    i = adamw_sse2(p, m, v, g, i, n, c);
#endif
    adamw_scalar(p, m, v, g, i, n, c);
}

void tc_adamw_next(tc_adamw *a, float lr)
{
    a->step++;
    /* PyTorch: step_size = lr / bc1; denom = sqrt(v) / sqrt(bc2) + eps */
    double bc1 = 1.0 - pow(a->beta1, (double)a->step);
    double bc2 = 1.0 - pow(a->beta2, (double)a->step);
    a->lr = lr;
    a->step_size = (float)(lr / bc1);
    a->bc2_sqrt = (float)sqrt(bc2);
}

void tc_adamw_update(tc_adamw *a, float *const w[TC_NUM_TENSORS], const tc_grads *g,
                     const float wd[TC_NUM_TENSORS], int part, int parts)
{
    for (int t = 0; t < TC_NUM_TENSORS; t++) {
        size_t lo = a->n[t] * (size_t)part / (size_t)parts;
        size_t hi = a->n[t] * (size_t)(part + 1) / (size_t)parts;
        adamw_coefs c = {a->beta1, a->beta2, a->eps, a->step_size, a->bc2_sqrt,
                         1.0f - a->lr * wd[t], wd[t] != 0};
        adamw_span(w[t] + lo, a->m[t] + lo, a->v[t] + lo, g->g[t] + lo, hi - lo, &c);
    }
}

void tc_adamw_step(tc_adamw *a, float *const w[TC_NUM_TENSORS], const tc_grads *g, float lr,
                   const float wd[TC_NUM_TENSORS])
{
    tc_adamw_next(a, lr);
    tc_adamw_update(a, w, g, wd, 0, 1);
}

double tc_clip_grad_norm(tc_grads *g, double max_norm)
{
    double norm = sqrt(tc_grads_sqnorm(g));
    double coef = max_norm / (norm + 1e-6);
    if (max_norm > 0 && coef < 1.0) tc_grads_mul(g, coef);
    return norm;
}
