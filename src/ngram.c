/*
 * ngram.c - the mean n-gram vector of each token (ngram.h).
 */
#include "ngram.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include "cpu.h"
#define TC_F16C_PATH 1
#endif

/* r[0..n) += the float32 values of the halves h[0..n): each sum is the float addition of the
 * float32 table's row, so the rows are the same bits from either form of ngram.weight */
static void add_halves(float *r, const uint16_t *h, int n)
{
    for (int i = 0; i < n; i++) r[i] += tc_f16_to_f32(h[i]);
}

#ifdef TC_F16C_PATH
/* add_halves with F16C's conversion, 8 halves per instruction: summing n-gram rows is most of
 * the time a model with n-grams spends outside its forward pass */
__attribute__((target("avx,f16c"))) static void add_halves_f16c(float *r, const uint16_t *h,
                                                                 int n)
{
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 w = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(h + i)));
        _mm256_storeu_ps(r + i, _mm256_add_ps(_mm256_loadu_ps(r + i), w));
    }
    add_halves(r + i, h + i, n - i);
}
#endif

void tc_ngram_acc_begin(tc_ngram_acc *a, const tc_model *m)
{
    a->w = m->w[TC_W_NGRAM];
    a->w16 = m->w16[TC_W_NGRAM];
    a->add16 = add_halves;
#ifdef TC_F16C_PATH
    if (__builtin_cpu_supports("avx") && tc_cpu_has_f16c())
        a->add16 = add_halves_f16c;
#endif
    a->dim = m->dim;
    a->max_len = m->max_len;
    a->n = 0;
}

void tc_ngram_acc_free(tc_ngram_acc *a)
{
    free(a->rows);
    free(a->count);
    memset(a, 0, sizeof *a);
}

/* Makes a hold rows 0..T-1 (T <= max_len), keeping rows[0..n). 0, or -1 (a emptied). */
static int acc_reserve(tc_ngram_acc *a, int64_t T)
{
    if (T <= a->cap) return 0;
    size_t cap = (size_t)tc_token_capacity((int)T, a->max_len), d = (size_t)a->dim;
    float *rows = realloc(a->rows, cap * d * sizeof *rows);
    if (rows) a->rows = rows;
    int64_t *count = rows ? realloc(a->count, cap * sizeof *count) : NULL;
    if (!rows || !count) {
        tc_ngram_acc_free(a);
        return -1;
    }
    a->count = count;
    a->cap = (int)cap;
    return 0;
}

/* Starts rows n..T-1 (zero sums and counts). */
static void acc_start_rows(tc_ngram_acc *a, int64_t T)
{
    size_t d = (size_t)a->dim;
    memset(a->rows + (size_t)a->n * d, 0, (size_t)(T - a->n) * d * sizeof *a->rows);
    for (int64_t t = a->n; t < T; t++) a->count[t] = 0;
    a->n = T;
}

int tc_ngram_acc_add(void *ctx, int64_t token, uint32_t bucket)
{
    tc_ngram_acc *a = ctx;
    if (token >= a->n) {
        if (acc_reserve(a, token + 1) != 0) return -1;
        acc_start_rows(a, token + 1);
    }
    float *r = a->rows + (size_t)token * a->dim;
    if (a->w16) {
        a->add16(r, a->w16 + (size_t)bucket * a->dim, a->dim);
    } else {
        const float *w = a->w + (size_t)bucket * a->dim;
        for (int i = 0; i < a->dim; i++) r[i] += w[i];
    }
    a->count[token]++;
    return 0;
}

const float *tc_ngram_acc_finish(tc_ngram_acc *a, int T, tc_error *err)
{
    if (T > a->n || !a->rows) {
        /* at least one row: a document of no tokens still gets a pointer (not read) */
        if (acc_reserve(a, T > 1 ? T : 1) != 0) {
            tc_fail_nomem(err, NULL);
            return NULL;
        }
        acc_start_rows(a, T);
    }
    for (int t = 0; t < T; t++)
        if (a->count[t] > 1) {
            float inv = (float)a->count[t], *r = a->rows + (size_t)t * a->dim;
            for (int i = 0; i < a->dim; i++) r[i] /= inv;
        }
    return a->rows;
}

void tc_ngram_mean(const float *w, int d, const uint32_t *buckets, int64_t n, float *out)
{
    memset(out, 0, (size_t)d * sizeof *out);
    for (int64_t k = 0; k < n; k++) {
        const float *r = w + (size_t)buckets[k] * d;
        for (int i = 0; i < d; i++) out[i] += r[i];
    }
    if (n > 1)
        for (int i = 0; i < d; i++) out[i] /= (float)n;
}
