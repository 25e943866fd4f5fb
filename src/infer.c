/*
 * infer.c - classification's forward pass: tc_forward's function with the identities of infer.h.
 */
#include "infer.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kernels.h"

/* The hot loops below are written once, as always-inline bodies, and compiled twice: for AVX2
 * and for baseline x86-64 (two wrappers each); tc_qk_cache_init picks a set with
 * __builtin_cpu_supports. Both do every operation in the same order, so they give the same bits.
 * Not GCC's target_clones: its ifunc resolver runs while the program is being relocated, before
 * a sanitizer's runtime is set up, and crashes ThreadSanitizer builds. */
#if defined(__x86_64__) && defined(__GNUC__)
#define TC_AVX2_PATH 1
#define TC_AVX2 __attribute__((target("avx2")))
#endif

enum { ROW_EMPTY = 0, ROW_BUSY, ROW_READY };

/* rows[n, 2H]: row r = src[r]·Wqkᵀ (+ bias), filled on first use. rows == NULL: no table (too
 * big, or out of memory), every row is computed when needed. */
typedef struct {
    float *rows;
    _Atomic unsigned char *state;   /* [n] ROW_* */
    const float *src;               /* [n, d] embedding or position */
    const float *bias;              /* [2H] or NULL */
} lazy_rows;

/* The loops of one CPU level (defined with their bodies below). */
typedef struct {
    void (*attention_column_means)(const tc_infer_state *s, int T, int Tp, int H, int hd, int j);
    void (*weighted_rows)(float *z, const float *c, const float *x, int T, int d);
    void (*vecmat)(float *y, const float *x, const float *wt, int ld, const float *b, int in,
                   int out);
} kernel_set;

static const kernel_set *kernels_for_this_cpu(void);

struct tc_qk_cache {
    const kernel_set *k;  /* the loops for this CPU */
    lazy_rows token;      /* E·Wqkᵀ        [V, 2H] */
    lazy_rows position;   /* P·Wqkᵀ + bqk  [max_len, 2H] */
    /* the weight matrices used per vector, transposed for vecmat */
    float *wqk_t;         /* [d, 2H]   (Wq | Wk)ᵀ */
    float *wv_t;          /* [d, H]    Wvᵀ */
    float *out_t;         /* [H, d]    out_projᵀ */
    float *hidden_t;      /* [d, hidden] */
    float *cls_t;         /* [hidden, C] */
};

/* dst[cols, rows] = src[rows, cols]ᵀ, or NULL if out of memory */
static float *transposed(const float *src, size_t rows, size_t cols)
{
    float *dst = malloc(rows * cols * sizeof *dst);
    if (dst)
        for (size_t r = 0; r < rows; r++)
            for (size_t c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
    return dst;
}

static void rows_init(lazy_rows *r, size_t n, size_t width, const float *src, const float *bias,
                      size_t max_table)
{
    r->src = src;
    r->bias = bias;
    r->rows = NULL;
    r->state = NULL;
    if (n == 0 || width * sizeof(float) > max_table / n) return;
    /* a large malloc is fresh zero pages: rows cost memory only once they are written */
    r->rows = malloc(n * width * sizeof(float));
    r->state = calloc(n, sizeof *r->state);
    if (!r->rows || !r->state) {
        free(r->rows);
        free((void *)r->state);
        r->rows = NULL;
        r->state = NULL;
    }
}

static void rows_free(lazy_rows *r)
{
    free(r->rows);
    free((void *)r->state);
}

tc_status tc_qk_cache_init(tc_model *m, size_t max_table, tc_error *err)
{
    size_t H2 = 2 * (size_t)m->heads * (size_t)m->head_dim;
    tc_qk_cache *c = calloc(1, sizeof *c);
    if (!c) return tc_fail_nomem(err, NULL);
    size_t d = (size_t)m->dim, H = H2 / 2;
    rows_init(&c->token, (size_t)m->vocab.size, H2, m->embedding, NULL, max_table);
    rows_init(&c->position, (size_t)m->max_len, H2, m->position, m->in_proj_b, max_table);
    c->wqk_t = transposed(m->in_proj_w, H2, d);
    c->wv_t = transposed(m->in_proj_w + H2 * d, H, d);
    c->out_t = transposed(m->out_proj_w, d, H);
    c->hidden_t = transposed(m->hidden_w, (size_t)m->hidden, d);
    c->cls_t = transposed(m->cls_w, (size_t)m->num_labels, (size_t)m->hidden);
    if (!c->wqk_t || !c->wv_t || !c->out_t || !c->hidden_t || !c->cls_t) {
        tc_qk_cache_free(c);
        return tc_fail_nomem(err, NULL);
    }
    c->k = kernels_for_this_cpu();
    m->qk = c;
    return TC_OK;
}

void tc_qk_cache_free(tc_qk_cache *c)
{
    if (!c) return;
    rows_free(&c->token);
    rows_free(&c->position);
    free(c->wqk_t);
    free(c->wv_t);
    free(c->out_t);
    free(c->hidden_t);
    free(c->cls_t);
    free(c);
}

/* out[2H] = src[i]·Wqkᵀ (+ bias): the first 2H rows of in_proj are Wq | Wk */
static void project(const tc_model *m, const lazy_rows *r, int32_t i, float *out)
{
    int d = m->dim, H2 = 2 * m->heads * m->head_dim;
    m->qk->k->vecmat(out, r->src + (size_t)i * d, m->qk->wqk_t, H2, r->bias, d, H2);
}

/* Row i of r: from the table (computing it the first time), or computed into tmp[2H] when there
 * is no table or another thread is filling that row right now. */
static const float *row_get(const tc_model *m, lazy_rows *r, int32_t i, float *tmp)
{
    if (r->rows) {
        float *row = r->rows + (size_t)i * 2 * m->heads * m->head_dim;
        unsigned char st = atomic_load_explicit(&r->state[i], memory_order_acquire);
        if (st == ROW_READY) return row;
        unsigned char empty = ROW_EMPTY;
        if (st == ROW_EMPTY &&
            atomic_compare_exchange_strong_explicit(&r->state[i], &empty, ROW_BUSY,
                                                    memory_order_acquire, memory_order_relaxed)) {
            project(m, r, i, row);
            atomic_store_explicit(&r->state[i], ROW_READY, memory_order_release);
            return row;
        }
    }
    project(m, r, i, tmp);
    return tmp;
}

tc_status tc_infer_state_init(tc_infer_state *s, const tc_model *m, tc_error *err)
{
    size_t T = (size_t)m->max_len, d = (size_t)m->dim, H = (size_t)m->heads * m->head_dim;
    memset(s, 0, sizeof *s);
    s->x = malloc(T * d * sizeof(float));
    s->q = malloc(T * H * sizeof(float));
    size_t Tp = (T + 7) & ~(size_t)7;
    s->kt = malloc(H * Tp * sizeof(float));
    s->row = malloc(Tp * sizeof(float));
    s->col = malloc(T * sizeof(float));
    s->qk = malloc(4 * H * sizeof(float));
    s->z = malloc((size_t)m->heads * d * sizeof(float));
    s->o = malloc(H * sizeof(float));
    s->pooled = malloc(d * sizeof(float));
    s->h = malloc((size_t)m->hidden * sizeof(float));
    s->logits = malloc((size_t)m->num_labels * sizeof(float));
    if (!s->x || !s->q || !s->kt || !s->row || !s->col || !s->qk || !s->z || !s->o ||
        !s->pooled || !s->h || !s->logits) {
        tc_infer_state_free(s);
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

void tc_infer_state_free(tc_infer_state *s)
{
    free(s->x);
    free(s->q);
    free(s->kt);
    free(s->row);
    free(s->col);
    free(s->qk);
    free(s->z);
    free(s->o);
    free(s->pooled);
    free(s->h);
    free(s->logits);
    memset(s, 0, sizeof *s);
}

/* Eight floats, for loops the compiler maps onto AVX (or two SSE registers); aligned(4) lets
 * them be loaded from any float address. */
typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef int32_t v8i __attribute__((vector_size(32), aligned(4)));

/* The helpers below are always inlined (no call, so no vector-passing ABI to warn about). */
#pragma GCC diagnostic ignored "-Wpsabi"
#define V8_INLINE __attribute__((always_inline)) static inline

V8_INLINE v8f v8_set(float a) { return (v8f){a, a, a, a, a, a, a, a}; }
V8_INLINE v8f v8_max(v8f a, v8f b) { v8i m = a > b; return (v8f)(((v8i)a & m) | ((v8i)b & ~m)); }

/* exp of eight floats: vexp.h's method (and operations, in the same order: the same bits as
 * tc_exp4), written with vector types so that the AVX2 variant does eight at a time. */
V8_INLINE v8f exp8(v8f x)
{
    v8i under = x < v8_set(-87.3f);
    x = v8_max(x, v8_set(-87.3f));
    v8i big = x > v8_set(88.0f);
    x = (v8f)(((v8i)x & ~big) | ((v8i)v8_set(88.0f) & big));
    v8f fx = x * v8_set(1.44269504088896341f) + v8_set(0.5f);
    v8f t = __builtin_convertvector(__builtin_convertvector(fx, v8i), v8f);
    fx = t - (v8f)((t > fx) & (v8i)v8_set(1.0f));
    x = x - fx * v8_set(0.693359375f);
    x = x - fx * v8_set(-2.12194440e-4f);
    v8f z = x * x;
    v8f y = v8_set(1.9875691500e-4f);
    y = y * x + v8_set(1.3981999507e-3f);
    y = y * x + v8_set(8.3334519073e-3f);
    y = y * x + v8_set(4.1665795894e-2f);
    y = y * x + v8_set(1.6666665459e-1f);
    y = y * x + v8_set(5.0000001201e-1f);
    y = y * z + x + v8_set(1.0f);
    v8i n = __builtin_convertvector(fx, v8i) + 127;
    y = y * (v8f)(n << 23);
    return (v8f)((v8i)y & ~under);
}

/* col[T] = column means of head j's attention matrix softmax(q_j k_jᵀ), one query row at a time.
 * Keys are padded to Tp (a multiple of 8, zeros) so that the loops over keys have no remainder;
 * the padded scores are set to -inf, whose exp is exactly 0 (the max of a row is finite: T >= 1).
 * Compiled twice, as every body here (KERNEL_SET below). */
V8_INLINE void attention_column_means(const tc_infer_state *s, int T, int Tp, int H, int hd, int j)
{
    const float *kt = s->kt + (size_t)j * hd * Tp;   /* [hd, Tp] */
    float *row = s->row, *col = s->col;
    memset(col, 0, (size_t)T * sizeof *col);
    for (int t = 0; t < T; t++) {
        const float *q = s->q + (size_t)t * H + (size_t)j * hd;
        /* row[Tp] = q_t · k_uᵀ for every key u (q is already scaled by 1/√hd), 8 keys at a time */
        for (int u = 0; u < Tp; u += 8) {
            v8f acc = q[0] * *(const v8f *)(kt + u);
            const float *k = kt + u;
#pragma GCC unroll 4
            for (int i = 1; i < hd; i++) acc += q[i] * *(const v8f *)(k + (size_t)i * Tp);
            *(v8f *)(row + u) = acc;
        }
        for (int u = T; u < Tp; u++) row[u] = -INFINITY;
        /* col += softmax(row) / T */
        v8f vmax = *(const v8f *)row;
        for (int u = 8; u < Tp; u += 8) vmax = v8_max(vmax, *(const v8f *)(row + u));
        float max = vmax[0];
        for (int k = 1; k < 8; k++) max = vmax[k] > max ? vmax[k] : max;
        v8f vsum = v8_set(0.0f);
        for (int u = 0; u < Tp; u += 8) {
            v8f e = exp8(*(const v8f *)(row + u) - v8_set(max));
            *(v8f *)(row + u) = e;
            vsum += e;
        }
        float sum = ((vsum[0] + vsum[1]) + (vsum[2] + vsum[3])) +
                    ((vsum[4] + vsum[5]) + (vsum[6] + vsum[7]));
        float w = 1.0f / (sum * (float)T);
        for (int u = 0; u < T; u++) col[u] += row[u] * w;
    }
}

/* The layers after pooling, as tc_forward's, with the transposed weights:
 * probs = softmax(cls · act(hidden · pooled + b) + b) */
static void top(const tc_model *m, tc_infer_state *s, float *probs)
{
    const tc_qk_cache *c = m->qk;
    int C = m->num_labels;
    c->k->vecmat(s->h, s->pooled, c->hidden_t, m->hidden, m->hidden_b, m->dim, m->hidden);
    tc_activate(s->h, m->hidden, (int)m->activation);
    c->k->vecmat(s->logits, s->h, c->cls_t, C, m->cls_b, m->hidden, C);
    tc_softmax_probs(probs, s->logits, C);
}

/* z[d] = Σ_u c[u]·x[u, 0..d) */
V8_INLINE void weighted_rows(float *z, const float *c, const float *x, int T, int d)
{
    memset(z, 0, (size_t)d * sizeof *z);
    for (int u = 0; u < T; u++)
        for (int i = 0; i < d; i++) z[i] += c[u] * x[(size_t)u * d + i];
}

/* y[out] = b + Σ_c x[c]·Wt[c, 0..out) (b may be NULL), Wt a weight matrix stored transposed
 * ([in, out], row stride ld): one vector through a small layer, vectorised along the outputs. */
V8_INLINE void vecmat(float *y, const float *x, const float *wt, int ld, const float *b, int in,
                      int out)
{
    if (b) memcpy(y, b, (size_t)out * sizeof *y);
    else memset(y, 0, (size_t)out * sizeof *y);
    for (int c = 0; c < in; c++) {
        const float *row = wt + (size_t)c * ld;
        float xc = x[c];
        for (int o = 0; o < out; o++) y[o] += xc * row[o];
    }
}

#define KERNEL_SET(NAME, ATTR)                                                                    \
    ATTR static void NAME##_attention(const tc_infer_state *s, int T, int Tp, int H, int hd,      \
                                      int j)                                                      \
    {                                                                                             \
        attention_column_means(s, T, Tp, H, hd, j);                                               \
    }                                                                                             \
    ATTR static void NAME##_weighted_rows(float *z, const float *c, const float *x, int T, int d) \
    {                                                                                             \
        weighted_rows(z, c, x, T, d);                                                             \
    }                                                                                             \
    ATTR static void NAME##_vecmat(float *y, const float *x, const float *wt, int ld,             \
                                   const float *b, int in, int out)                               \
    {                                                                                             \
        vecmat(y, x, wt, ld, b, in, out);                                                         \
    }                                                                                             \
    static const kernel_set NAME = {NAME##_attention, NAME##_weighted_rows, NAME##_vecmat};

KERNEL_SET(kernels_base, )
#ifdef TC_AVX2_PATH
KERNEL_SET(kernels_avx2, TC_AVX2)
#endif

static const kernel_set *kernels_for_this_cpu(void)
{
#ifdef TC_AVX2_PATH
    if (__builtin_cpu_supports("avx2")) return &kernels_avx2;
#endif
    return &kernels_base;
}

void tc_infer(const tc_model *m, tc_infer_state *s, const int32_t *ids, int T, float *probs)
{
    int d = m->dim, hd = m->head_dim, H = m->heads * hd;
    if (T <= 0) {   /* an empty document pools to zeros, as in tc_forward */
        memset(s->pooled, 0, (size_t)d * sizeof *s->pooled);
        top(m, s, probs);
        return;
    }
    tc_qk_cache *c = m->qk;
    int Tp = (T + 7) & ~7;
    float scale = 1.0f / sqrtf((float)hd);

    /* x[T,d] = E[ids] + P;  q[T,H] = (EQ[id_t] + PQ[t]) / √hd;  kt[H,Tp] = (EK[id_t] + PK[t])ᵀ */
    for (int i = 0; i < H; i++)
        for (int t = T; t < Tp; t++) s->kt[(size_t)i * Tp + t] = 0;
    for (int t = 0; t < T; t++) {
        const float *e = m->embedding + (size_t)ids[t] * d, *p = m->position + (size_t)t * d;
        float *x = s->x + (size_t)t * d;
        for (int i = 0; i < d; i++) x[i] = e[i] + p[i];
        const float *tq = row_get(m, &c->token, ids[t], s->qk);
        const float *pq = row_get(m, &c->position, t, s->qk + 2 * H);
        float *q = s->q + (size_t)t * H;
        for (int i = 0; i < H; i++) q[i] = (tq[i] + pq[i]) * scale;
        for (int i = 0; i < H; i++) s->kt[(size_t)i * Tp + t] = tq[H + i] + pq[H + i];
    }

    for (int j = 0; j < m->heads; j++) {
        c->k->attention_column_means(s, T, Tp, H, hd, j);
        /* z_j[d] = Σ_u col[u] x_u;  o_j[hd] = Wv_j · z_j + bv_j  (Σ_u col[u] = 1) */
        float *z = s->z + (size_t)j * d, *o = s->o + (size_t)j * hd;
        c->k->weighted_rows(z, s->col, s->x, T, d);
        c->k->vecmat(o, z, c->wv_t + (size_t)j * hd, H, m->in_proj_b + 2 * H + j * hd, d, hd);
    }

    /* pooled[d] = out_proj · o + b (+ mean_t x_t) */
    c->k->vecmat(s->pooled, s->o, c->out_t, d, m->out_proj_b, H, d);
    if (m->residual)
        for (int i = 0; i < d; i++) {
            double sum = 0;
            for (int t = 0; t < T; t++) sum += s->x[(size_t)t * d + i];
            s->pooled[i] += (float)(sum / T);
        }
    top(m, s, probs);
}
