/*
 * ngram.c - the mean n-gram vector of each token (ngram.h).
 */
#include "ngram.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "infer.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include "cpu.h"
#define TC_F16C_PATH 1
#endif

/* r[0..d) += the float32 values of rows b[0..n) of the halves h [B, d], in that order: each
 * sum is the float addition of the float32 table's row, so the rows are the same bits from
 * either form of ngram.weight */
static void add_halves(float *r, const uint16_t *h, const uint32_t *b, int n, int d)
{
    for (int k = 0; k < n; k++) {
        const uint16_t *row = h + (size_t)b[k] * d;
        for (int i = 0; i < d; i++) r[i] += tc_f16_to_f32(row[i]);
    }
}

/* r[0..d) += the float32 values of rows b[0..n) of the I8 table q [B, d] with per-row scales
 * (quant.h), in that order: each value converted (one rounding) before it is added, so the sums
 * are those of the float32 table of the same values (this file is compiled without
 * -ffp-contract: the product is not fused into the addition) */
static void add_i8(float *r, const int8_t *q, const float *scale, const uint32_t *b, int n, int d)
{
    float v[64];
    for (int k = 0; k < n; k++) {
        const int8_t *row = q + (size_t)b[k] * d;
        for (int i = 0; i < d; i += 64) {
            int w = d - i < 64 ? d - i : 64;
            tc_i8_to_f32_n(v, row + i, scale[b[k]], (size_t)w);
            for (int j = 0; j < w; j++) r[i + j] += v[j];
        }
    }
}

#ifdef TC_F16C_PATH
/* add_i8 with AVX2, 8 columns at a time, each 8 columns' sum kept in a register over the rows:
 * the product q * scale (rounded, not fused) then the addition, as add_i8, so the same bits */
__attribute__((target("avx2"))) static void add_i8_avx2(float *r, const int8_t *q,
                                                        const float *scale, const uint32_t *b,
                                                        int n, int d)
{
    int i = 0;
    for (; i + 8 <= d; i += 8) {
        __m256 acc = _mm256_loadu_ps(r + i);
        for (int k = 0; k < n; k++) {
            const int8_t *row = q + (size_t)b[k] * d + i;
            __m256 v = _mm256_cvtepi32_ps(
                _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)row)));
            acc = _mm256_add_ps(acc, _mm256_mul_ps(v, _mm256_set1_ps(scale[b[k]])));
        }
        _mm256_storeu_ps(r + i, acc);
    }
    for (int k = 0; k < n && i < d; k++) {
        const int8_t *row = q + (size_t)b[k] * d;
        float s = scale[b[k]];
        for (int j = i; j < d; j++) r[j] += (float)row[j] * s;
    }
}

/* add_halves with F16C's conversion, 8 halves per instruction, each 8 columns' sum kept in a
 * register over the rows (the same additions in the same order): summing n-gram rows is most
 * of the time a model with n-grams spends outside its forward pass */
__attribute__((target("avx,f16c"))) static void add_halves_f16c(float *r, const uint16_t *h,
                                                                 const uint32_t *b, int n, int d)
{
    int i = 0;
    for (; i + 8 <= d; i += 8) {
        __m256 acc = _mm256_loadu_ps(r + i);
        for (int k = 0; k < n; k++) {
            const uint16_t *row = h + (size_t)b[k] * d + i;
            acc = _mm256_add_ps(acc, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)row)));
        }
        _mm256_storeu_ps(r + i, acc);
    }
    for (int k = 0; k < n && i < d; k++) {
        const uint16_t *row = h + (size_t)b[k] * d;
        for (int j = i; j < d; j++) r[j] += tc_f16_to_f32(row[j]);
    }
}
#endif

void tc_ngram_acc_begin(tc_ngram_acc *a, const tc_model *m)
{
    if (a->cache_model != m) tc_ngram_acc_free(a);   /* buffers of another model's sizes */
    a->w = m->w[TC_W_NGRAM];
    a->w16 = m->w16[TC_W_NGRAM];
    a->w8 = m->w8[TC_W_NGRAM];
    a->scale8 = m->scale8[TC_W_NGRAM];
    a->add16 = add_halves;
    a->add8 = add_i8;
#ifdef TC_F16C_PATH
    if (__builtin_cpu_supports("avx") && tc_cpu_has_f16c())
        a->add16 = add_halves_f16c;
    if (__builtin_cpu_supports("avx2"))
        a->add8 = add_i8_avx2;
#endif
    a->dim = m->dim;
    a->max_len = m->max_len;
    a->n = 0;
    a->pend_n = 0;
    a->h2 = 2 * m->heads * m->head_dim;
    if (a->cache_model != m || a->cache_loops != tc_infer_loops(m)) {
        /* no cache yet, or one made with other loops: a new one */
        size_t n = (size_t)1 << TC_NGRAM_CACHE_BITS;
        free(a->cache_key);
        free(a->cache_row);
        a->cache_key = NULL;
        a->cache_row = NULL;
        /* none either without tc_infer (its rows are what the cache keeps) or without memory:
         * slower, the same results */
        if (m->infer) {
            a->cache_key = malloc(n * sizeof *a->cache_key);
            a->cache_row = malloc(n * (size_t)(m->dim + a->h2) * sizeof *a->cache_row);
            if (!a->cache_key || !a->cache_row) {
                free(a->cache_key);
                free(a->cache_row);
                a->cache_key = NULL;
                a->cache_row = NULL;
            } else {
                for (size_t i = 0; i < n; i++) a->cache_key[i] = -1;
            }
        }
        a->cache_model = m;
        a->cache_loops = tc_infer_loops(m);
    }
}

void tc_ngram_acc_free(tc_ngram_acc *a)
{
    free(a->rows);
    free(a->count);
    free(a->key);
    free(a->gq);
    free(a->known);
    free(a->cache_key);
    free(a->cache_row);
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
    if (count) a->count = count;
    int64_t *key = count ? realloc(a->key, cap * sizeof *key) : NULL;
    if (key) a->key = key;
    float *gq = key ? realloc(a->gq, cap * (size_t)a->h2 * sizeof *gq) : NULL;
    if (gq) a->gq = gq;
    unsigned char *known = gq ? realloc(a->known, cap * sizeof *known) : NULL;
    if (!rows || !count || !key || !gq || !known) {
        tc_ngram_acc_free(a);
        return -1;
    }
    a->known = known;
    a->cap = (int)cap;
    return 0;
}

/* Starts rows n..T-1 (zero sums and counts). */
static void acc_start_rows(tc_ngram_acc *a, int64_t T)
{
    size_t d = (size_t)a->dim;
    memset(a->rows + (size_t)a->n * d, 0, (size_t)(T - a->n) * d * sizeof *a->rows);
    for (int64_t t = a->n; t < T; t++) {
        a->count[t] = 0;
        a->key[t] = -1;
        a->known[t] = 0;
    }
    a->n = T;
}

/* rows[pend_token] += the rows of the pending buckets; none pending after */
static void acc_flush(tc_ngram_acc *a)
{
    if (!a->pend_n) return;
    float *r = a->rows + (size_t)a->pend_token * a->dim;
    if (a->w16) {
        a->add16(r, a->w16, a->pend, a->pend_n, a->dim);
    } else if (a->w8) {
        a->add8(r, a->w8, a->scale8, a->pend, a->pend_n, a->dim);
    } else {
        for (int k = 0; k < a->pend_n; k++) {
            const float *w = a->w + (size_t)a->pend[k] * a->dim;
            for (int i = 0; i < a->dim; i++) r[i] += w[i];
        }
    }
    a->pend_n = 0;
}

/* Asks for every cache line of row bucket (a hint: no fault, no effect on results). */
static void acc_prefetch_row(const tc_ngram_acc *a, uint32_t bucket)
{
    const char *p = a->w16 ? (const char *)(a->w16 + (size_t)bucket * a->dim)
                    : a->w8 ? (const char *)(a->w8 + (size_t)bucket * a->dim)
                    : (const char *)(a->w + (size_t)bucket * a->dim);
    size_t bytes = (size_t)a->dim * (a->w16 ? sizeof *a->w16 : a->w8 ? sizeof *a->w8
                                                                    : sizeof *a->w);
    for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(p + off);
    __builtin_prefetch(p + bytes - 1);
}

int tc_ngram_acc_add(void *ctx, int64_t token, uint32_t bucket)
{
    tc_ngram_acc *a = ctx;
    if (a->pend_n && (token != a->pend_token || a->pend_n == TC_NGRAM_PENDING)) acc_flush(a);
    if (token >= a->n) {
        if (acc_reserve(a, token + 1) != 0) return -1;
        acc_start_rows(a, token + 1);
    }
    acc_prefetch_row(a, bucket);
    a->pend_token = token;
    a->pend[a->pend_n++] = bucket;
    a->count[token]++;
    return 0;
}

/* The cache slot of key (Fibonacci hashing: the top bits of key times 2^64/φ) */
static size_t cache_slot(int64_t key)
{
    return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15u) >> (64 - TC_NGRAM_CACHE_BITS));
}

int tc_ngram_acc_known(void *ctx, int64_t token, int32_t id, int word_start, int word_end)
{
    tc_ngram_acc *a = ctx;
    if (!a->cache_key) return 0;
    if (token >= a->n) {
        if (acc_reserve(a, token + 1) != 0) return -1;
        acc_start_rows(a, token + 1);
    }
    int64_t key = (int64_t)id << 2 | (int64_t)(word_start != 0) << 1 | (word_end != 0);
    size_t slot = cache_slot(key), d = (size_t)a->dim, h2 = (size_t)a->h2;
    if (a->cache_key[slot] != key) {
        a->key[token] = key;
        return 0;
    }
    const float *row = a->cache_row + slot * (d + h2);
    memcpy(a->rows + (size_t)token * d, row, d * sizeof *a->rows);
    memcpy(a->gq + (size_t)token * h2, row + d, h2 * sizeof *a->gq);
    a->count[token] = 1;   /* a mean already: finish leaves it */
    a->known[token] = 1;
    return 1;
}

void tc_ngram_acc_store(tc_ngram_acc *a, int T)
{
    if (!a->cache_key) return;
    size_t d = (size_t)a->dim, h2 = (size_t)a->h2;
    for (int t = 0; t < T; t++)
        if (a->key[t] >= 0) {
            size_t slot = cache_slot(a->key[t]);
            float *row = a->cache_row + slot * (d + h2);
            a->cache_key[slot] = a->key[t];
            memcpy(row, a->rows + (size_t)t * d, d * sizeof *row);
            memcpy(row + d, a->gq + (size_t)t * h2, h2 * sizeof *row);
        }
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
    acc_flush(a);
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
