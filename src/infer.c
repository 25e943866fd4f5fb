/*
 * infer.c - classification's forward pass: tc_forward's function with the identities of infer.h.
 */
#include "infer.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "forward.h"
#include "hugemem.h"
#include "kernels.h"
#include "vexp8.h"

/* The forward pass below is written once, as always-inline bodies, and compiled twice: for AVX2
 * with FMA and F16C and for baseline x86-64 (KERNEL_SET); tc_infer_cache_init picks a set with
 * __builtin_cpu_supports. The Makefile compiles this file with -ffp-contract=fast, so the AVX2
 * set fuses a·b + c into one rounding: the two sets differ in the last bits (test_forward checks
 * both against a double-precision evaluation). Not GCC's target_clones: its ifunc resolver runs
 * while the program is being relocated, before a sanitizer's runtime is set up, and crashes
 * ThreadSanitizer builds. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include "cpu.h"
#define TC_AVX2_PATH 1
#define TC_AVX2 __attribute__((target("avx2,fma,f16c")))
#endif

enum { ROW_EMPTY = 0, ROW_BUSY, ROW_READY };

/* rows[n, 2H]: row r = src[r]·Wqkᵀ (+ bias), src the embedding or the position table [n, d],
 * filled on first use (row_get, which is given src[r]). rows == NULL: no table (too big, or out
 * of memory), every row is computed when needed. The table's 2 MiB pieces start in small pages
 * and each becomes one huge page once COLLAPSE_AT of its rows are filled (hugemem.h): by then most
 * of its small pages are written anyway, and a run that reads that many rows reads at random
 * across more pages than the TLB holds (bench/perf's model: 0.93-0.94x the time, the same peak
 * memory; English text with the built-in model: 0.94x, +0.3 MiB; docs/performance.md). */
typedef struct {
    float *rows;
    _Atomic unsigned char *state;   /* [n] ROW_* */
    const float *bias;              /* [2H] or NULL */
    size_t bytes;                   /* of rows */
    size_t row_bytes;
    _Atomic unsigned *filled;       /* [bytes / TC_HUGE_PAGE + 1] rows filled in each piece */
    unsigned collapse_at;           /* rows filled in a piece when it is collapsed */
} lazy_rows;

/* The code of one CPU level (defined with their bodies below). */
typedef struct {
    void (*forward)(const tc_model *m, tc_infer_state *s, const int32_t *ids, const float *ng,
                    float *gq, const unsigned char *known, int T, float *probs);
    void (*vecmat)(float *y, const float *x, const float *wt, int ld, const float *b, int in,
                   int out);
} kernel_set;

static const kernel_set *kernels_for_this_cpu(void);

struct tc_infer_cache {
    const kernel_set *k;  /* the loops for this CPU */
    lazy_rows token;      /* E·Wqkᵀ        [V, 2H] */
    lazy_rows position;   /* P·Wqkᵀ + bqk  [max_len, 2H] (one row with position none) */
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

enum { COLLAPSE_AT = 8 };   /* a piece is collapsed when 1/COLLAPSE_AT of its rows are filled */

static void rows_init(lazy_rows *r, size_t n, size_t width, const float *bias, size_t max_table)
{
    memset(r, 0, sizeof *r);
    r->bias = bias;
    if (n == 0 || width * sizeof(float) > max_table / n) return;
    r->row_bytes = width * sizeof(float);
    r->bytes = n * r->row_bytes;
    size_t per_piece = TC_HUGE_PAGE / r->row_bytes;
    r->collapse_at = per_piece / COLLAPSE_AT > 0 ? (unsigned)(per_piece / COLLAPSE_AT) : 1;
    /* fresh zero pages (a large allocation is a new mapping): rows cost memory only once they
     * are written */
    r->rows = tc_table_alloc(r->bytes, TC_PAGES_SMALL);
    r->state = calloc(n, sizeof *r->state);
    r->filled = calloc(r->bytes / TC_HUGE_PAGE + 1, sizeof *r->filled);
    if (!r->rows || !r->state || !r->filled) {
        free(r->rows);
        free((void *)r->state);
        free((void *)r->filled);
        memset(r, 0, sizeof *r);
        r->bias = bias;
    }
}

static void rows_free(lazy_rows *r)
{
    free(r->rows);
    free((void *)r->state);
    free((void *)r->filled);
}

tc_status tc_infer_cache_init(tc_model *m, size_t max_table, tc_error *err)
{
    size_t H2 = 2 * (size_t)m->heads * (size_t)m->head_dim;
    tc_infer_cache *c = calloc(1, sizeof *c);
    if (!c) return tc_fail_nomem(err, NULL);
    size_t d = (size_t)m->dim, H = H2 / 2;
    const float *Win = m->w[TC_W_IN_PROJ];
    rows_init(&c->token, (size_t)m->vocab.size, H2, NULL, max_table);
    rows_init(&c->position, (size_t)tc_model_position_rows(m), H2, m->w[TC_W_IN_PROJ_B],
              max_table);
    c->wqk_t = transposed(Win, H2, d);
    c->wv_t = transposed(Win + H2 * d, H, d);
    c->out_t = transposed(m->w[TC_W_OUT_PROJ], d, H);
    c->hidden_t = transposed(m->w[TC_W_HIDDEN], (size_t)m->hidden, d);
    c->cls_t = transposed(m->w[TC_W_CLS], (size_t)m->num_labels, (size_t)m->hidden);
    if (!c->wqk_t || !c->wv_t || !c->out_t || !c->hidden_t || !c->cls_t) {
        tc_infer_cache_free(c);
        return tc_fail_nomem(err, NULL);
    }
    c->k = kernels_for_this_cpu();
    m->infer = c;
    return TC_OK;
}

void tc_infer_cache_free(tc_infer_cache *c)
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

/* out[2H] = src·Wqkᵀ (+ r's bias), src[d] a row of r's source: the first 2H rows of in_proj are
 * Wq | Wk */
static void project(const tc_model *m, const lazy_rows *r, const float *src, float *out)
{
    int d = m->dim, H2 = 2 * m->heads * m->head_dim;
    m->infer->k->vecmat(out, src, m->infer->wqk_t, H2, r->bias, d, H2);
}

/* Row i of r, src[d] being row i of its source (read only when the row is computed): from the
 * table (computing it the first time), or computed into tmp[2H] when there is no table or
 * another thread is filling that row right now. */
static const float *row_get(const tc_model *m, lazy_rows *r, int32_t i, const float *src,
                            float *tmp)
{
    if (r->rows) {
        float *row = r->rows + (size_t)i * 2 * m->heads * m->head_dim;
        unsigned char st = atomic_load_explicit(&r->state[i], memory_order_acquire);
        if (st == ROW_READY) return row;
        unsigned char empty = ROW_EMPTY;
        if (st == ROW_EMPTY &&
            atomic_compare_exchange_strong_explicit(&r->state[i], &empty, ROW_BUSY,
                                                    memory_order_acquire, memory_order_relaxed)) {
            project(m, r, src, row);
            atomic_store_explicit(&r->state[i], ROW_READY, memory_order_release);
            size_t piece = (size_t)i * r->row_bytes / TC_HUGE_PAGE;
            if (atomic_fetch_add_explicit(&r->filled[piece], 1, memory_order_relaxed) + 1 ==
                r->collapse_at)
                tc_table_collapse(r->rows, r->bytes, piece);
            return row;
        }
    }
    project(m, r, src, tmp);
    return tmp;
}

/* Allocates every buffer of s (zeroed on entry) for cap tokens. TC_OK, or TC_ERR_NOMEM with
 * *s zeroed. tc_infer_state's _init/_reserve/_free follow tc_forward_state's (forward.c) line for
 * line: each pass has scratch of its own shape, sized the same way (tc_token_capacity). */
static tc_status infer_state_alloc(tc_infer_state *s, const tc_model *m, int cap, tc_error *err)
{
    size_t T = (size_t)cap, d = (size_t)m->dim, H = (size_t)m->heads * m->head_dim;
    size_t Tp = (T + 7) & ~(size_t)7;
    size_t rows = T < TC_INFER_ROWS ? T : TC_INFER_ROWS;
    s->cap = cap;
    s->x = malloc(T * d * sizeof(float));   /* cap >= 1: no malloc(0) */
    s->q = malloc(T * H * sizeof(float));
    s->kt = malloc(H * Tp * sizeof(float));
    s->scores = malloc(rows * Tp * sizeof(float));
    s->col = malloc(Tp * sizeof(float));
    s->w = malloc(rows * sizeof(float));
    s->qk = malloc(6 * H * sizeof(float));
    s->e = malloc(d * sizeof(float));
    s->z = malloc((size_t)m->heads * d * sizeof(float));
    s->o = malloc(H * sizeof(float));
    s->pooled = malloc(d * sizeof(float));
    s->xsum = malloc(d * sizeof(float));
    s->h = malloc((size_t)m->hidden * sizeof(float));
    s->logits = malloc((size_t)m->num_labels * sizeof(float));
    if (!s->x || !s->q || !s->kt || !s->scores || !s->col || !s->w || !s->qk || !s->e || !s->z ||
        !s->o || !s->pooled || !s->xsum || !s->h || !s->logits) {
        tc_infer_state_free(s);
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

tc_status tc_infer_state_init(tc_infer_state *s, const tc_model *m, tc_error *err)
{
    memset(s, 0, sizeof *s);
    return infer_state_alloc(s, m, m->max_len, err);
}

tc_status tc_infer_state_reserve(tc_infer_state *s, const tc_model *m, int T, tc_error *err)
{
    if (s->pooled && T <= s->cap) return TC_OK;
    /* every buffer anew (the fixed-size ones too: they are small, and one path is simpler) */
    tc_infer_state_free(s);
    return infer_state_alloc(s, m, tc_token_capacity(T, m->max_len), err);
}

void tc_infer_state_free(tc_infer_state *s)
{
    free(s->x);
    free(s->q);
    free(s->kt);
    free(s->scores);
    free(s->col);
    free(s->w);
    free(s->qk);
    free(s->e);
    free(s->z);
    free(s->o);
    free(s->pooled);
    free(s->xsum);
    free(s->h);
    free(s->logits);
    memset(s, 0, sizeof *s);
}

/* row[Tp] = q[0..hd) · k_u for each of the Tp keys, from one head's keys in blocks of eight
 * (kt[Tp/8, hd, 8]: each block is hd vectors, read in order). Four blocks at a time, so that four
 * independent sums are in flight, not one chain of dependent multiply-adds; then the last blocks
 * (fewer than four) one at a time, each as two sums (even and odd i) for the same reason. */
V8_INLINE void scores(float *row, const float *q, const float *kt, int Tp, int hd)
{
    size_t bs = (size_t)8 * hd;   /* floats per block */
    int u = 0;
    for (; u + 32 <= Tp; u += 32) {
        const float *k = kt + (size_t)u * hd;
        v8f a0 = v8_set(0.0f), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < hd; i++) {
            v8f qi = v8_set(q[i]);
            a0 += qi * *(const v8f *)(k + 8 * i);
            a1 += qi * *(const v8f *)(k + bs + 8 * i);
            a2 += qi * *(const v8f *)(k + 2 * bs + 8 * i);
            a3 += qi * *(const v8f *)(k + 3 * bs + 8 * i);
        }
        *(v8f *)(row + u) = a0;
        *(v8f *)(row + u + 8) = a1;
        *(v8f *)(row + u + 16) = a2;
        *(v8f *)(row + u + 24) = a3;
    }
    for (; u < Tp; u += 8) {
        const float *k = kt + (size_t)u * hd;
        v8f a0 = v8_set(0.0f), a1 = a0;
        int i = 0;
        for (; i + 1 < hd; i += 2) {
            a0 += q[i] * *(const v8f *)(k + 8 * i);
            a1 += q[i + 1] * *(const v8f *)(k + 8 * i + 8);
        }
        if (i < hd) a0 += q[i] * *(const v8f *)(k + 8 * i);
        *(v8f *)(row + u) = a0 + a1;
    }
}

/* col[Tp] = column means of head j's attention matrix softmax(q_j k_jᵀ).
 * Keys are padded to Tp (a multiple of 8, zeros) so that the loops over keys have no remainder;
 * the padded scores are set to -inf, whose exp is exactly 0 (the max of a row is finite: T >= 1),
 * so col[T..Tp) ends 0. Query rows go in blocks of TC_INFER_ROWS (scores holds one block, so a
 * long document needs O(T) scratch, not O(T²)): all the block's rows of scores first, then their
 * softmaxes: rows are independent, and apart the processor can overlap one row's scores with
 * another's chain of max, exp, sum and divide (a few per cent). col adds the rows in order
 * t = 0, 1, ..., whatever the block size, so blocks do not change a bit of it. Compiled twice,
 * as every body here (KERNEL_SET below), and the score loop once more for each common head size,
 * where it unrolls (hd = 16: ~10% of the forward pass on the benchmark's model). */
V8_INLINE void attention_column_means(const tc_infer_state *s, int T, int Tp, int H, int hd, int j)
{
    const float *kt = s->kt + (size_t)j * hd * Tp;   /* [Tp/8, hd, 8]: see tc_infer_state */
    float *col = s->col;
    const v8i lanes = {0, 1, 2, 3, 4, 5, 6, 7};
    v8i keep = lanes < (T - (Tp - 8));   /* the real keys of the last block */
    memset(col, 0, (size_t)Tp * sizeof *col);
    for (int t0 = 0; t0 < T; t0 += TC_INFER_ROWS) {
        int rows = T - t0 < TC_INFER_ROWS ? T - t0 : TC_INFER_ROWS;
        for (int r = 0; r < rows; r++) {
            /* row r of S[rows, Tp] = q_t · k_uᵀ for every key u, t = t0 + r (q is already
             * scaled by log2 e/√hd) */
            const float *q = s->q + (size_t)(t0 + r) * H + (size_t)j * hd;
            float *row = s->scores + (size_t)r * Tp;
            switch (hd) {   /* common head sizes get a copy with the loop over i unrolled */
            case 8: scores(row, q, kt, Tp, 8); break;
            case 12: scores(row, q, kt, Tp, 12); break;
            case 16: scores(row, q, kt, Tp, 16); break;
            case 32: scores(row, q, kt, Tp, 32); break;
            default: scores(row, q, kt, Tp, hd);
            }
            /* -inf past the last key, in a vector: scalar stores into a block just stored whole
             * would stall the loads below (no store forwarding from several stores to one load) */
            v8f *last = (v8f *)(row + Tp - 8);
            *last = (v8f)(((v8i)*last & keep) | ((v8i)v8_set(-INFINITY) & ~keep));
        }
        /* row r becomes exp(row r - its max), w[r] = 1 / (its sum · T): softmax(row r) / T is
         * row r · w[r]. The rows are independent chains (max, exp, sum, divide), which the
         * processor overlaps now that no row waits for the previous row's additions to col. */
        for (int r = 0; r < rows; r++) {
            float *row = s->scores + (size_t)r * Tp;
            v8f vmax = *(const v8f *)row;
            for (int u = 8; u < Tp; u += 8) vmax = v8_max(vmax, *(const v8f *)(row + u));
            float max = vmax[0];
            for (int k = 1; k < 8; k++) max = vmax[k] > max ? vmax[k] : max;
            v8f vsum = v8_set(0.0f);
            for (int u = 0; u < Tp; u += 8) {
                v8f e = tc_exp2_8_nonpos(*(const v8f *)(row + u) - v8_set(max));
                *(v8f *)(row + u) = e;
                vsum += e;
            }
            float sum = ((vsum[0] + vsum[1]) + (vsum[2] + vsum[3])) +
                        ((vsum[4] + vsum[5]) + (vsum[6] + vsum[7]));
            s->w[r] = 1.0f / (sum * (float)T);
        }
        /* col += Σ_r row r · w[r], rows added in order (the bits of adding each row to col as
         * it came), four blocks of 8 columns at a time in registers */
        int u = 0;
        for (; u + 32 <= Tp; u += 32) {
            v8f c0 = *(const v8f *)(col + u), c1 = *(const v8f *)(col + u + 8);
            v8f c2 = *(const v8f *)(col + u + 16), c3 = *(const v8f *)(col + u + 24);
            for (int r = 0; r < rows; r++) {
                const float *row = s->scores + (size_t)r * Tp + u;
                v8f w = v8_set(s->w[r]);
                c0 += *(const v8f *)row * w;
                c1 += *(const v8f *)(row + 8) * w;
                c2 += *(const v8f *)(row + 16) * w;
                c3 += *(const v8f *)(row + 24) * w;
            }
            *(v8f *)(col + u) = c0;
            *(v8f *)(col + u + 8) = c1;
            *(v8f *)(col + u + 16) = c2;
            *(v8f *)(col + u + 24) = c3;
        }
        for (; u < Tp; u += 8) {
            v8f c0 = *(const v8f *)(col + u);
            for (int r = 0; r < rows; r++)
                c0 += *(const v8f *)(s->scores + (size_t)r * Tp + u) * v8_set(s->w[r]);
            *(v8f *)(col + u) = c0;
        }
    }
}

/* z[8·nv] = Σ_u c[u]·x[u, 0..8·nv) (row stride ld), the sums in registers over u: nv is a
 * constant where this is inlined. Each z[i] is the same chain of multiply-adds, in the same
 * order, as adding into memory row after row, which made every row wait for the previous row's
 * stores (~6% of the forward pass at d = 64). */
V8_INLINE void weighted_block(float *z, const float *c, const float *x, int ld, int T, int nv)
{
    v8f acc[8];
    for (int v = 0; v < nv; v++) acc[v] = v8_set(0.0f);
    for (int u = 0; u < T; u++) {
        const float *r = x + (size_t)u * ld;
        v8f cu = v8_set(c[u]);
        for (int v = 0; v < nv; v++) acc[v] += cu * *(const v8f *)(r + 8 * v);
    }
    for (int v = 0; v < nv; v++) *(v8f *)(z + 8 * v) = acc[v];
}

/* z[d] = Σ_u c[u]·x[u, 0..d): 64 columns at a time, then the rest of the multiples of 8 in one
 * block, then one column at a time */
V8_INLINE void weighted_rows(float *z, const float *c, const float *x, int T, int d)
{
    int i = 0;
    for (; i + 64 <= d; i += 64) weighted_block(z + i, c, x + i, d, T, 8);
    switch ((d - i) / 8) {   /* a constant nv in each call, for its registers */
    case 7: weighted_block(z + i, c, x + i, d, T, 7); break;
    case 6: weighted_block(z + i, c, x + i, d, T, 6); break;
    case 5: weighted_block(z + i, c, x + i, d, T, 5); break;
    case 4: weighted_block(z + i, c, x + i, d, T, 4); break;
    case 3: weighted_block(z + i, c, x + i, d, T, 3); break;
    case 2: weighted_block(z + i, c, x + i, d, T, 2); break;
    case 1: weighted_block(z + i, c, x + i, d, T, 1); break;
    default: break;
    }
    for (i += (d - i) / 8 * 8; i < d; i++) {
        float sum = 0.0f;
        for (int u = 0; u < T; u++) sum += c[u] * x[(size_t)u * d + i];
        z[i] = sum;
    }
}

/* y[8·nv] = b + Σ_c x[c]·Wt[c, 0..8·nv): nv vectors of outputs held in registers, each as two
 * sums (even and odd c) so that consecutive multiply-adds into one output do not wait on each
 * other. nv is a constant where this is inlined, so acc[] lives in registers. */
V8_INLINE void vecmat_block(float *y, const float *x, const float *wt, int ld, const float *b,
                            int in, int nv)
{
    v8f acc[2][4];
    for (int v = 0; v < nv; v++) {
        acc[0][v] = b ? *(const v8f *)(b + 8 * v) : v8_set(0.0f);
        acc[1][v] = v8_set(0.0f);
    }
    int c = 0;
    for (; c + 1 < in; c += 2) {
        const float *r0 = wt + (size_t)c * ld, *r1 = r0 + ld;
        for (int v = 0; v < nv; v++) {
            acc[0][v] += x[c] * *(const v8f *)(r0 + 8 * v);
            acc[1][v] += x[c + 1] * *(const v8f *)(r1 + 8 * v);
        }
    }
    if (c < in)
        for (int v = 0; v < nv; v++)
            acc[0][v] += x[c] * *(const v8f *)(wt + (size_t)c * ld + 8 * v);
    for (int v = 0; v < nv; v++) *(v8f *)(y + 8 * v) = acc[0][v] + acc[1][v];
}

/* y[out] = b + Σ_c x[c]·Wt[c, 0..out) (b may be NULL), Wt a weight matrix stored transposed
 * ([in, out], row stride ld): one vector through a small layer, vectorised along the outputs,
 * 32 at a time, then 8 at a time, then one at a time (no vector reads past a row's end). */
V8_INLINE void vecmat(float *y, const float *x, const float *wt, int ld, const float *b, int in,
                      int out)
{
    int o = 0;
    for (; o + 32 <= out; o += 32) vecmat_block(y + o, x, wt + o, ld, b ? b + o : NULL, in, 4);
    for (; o + 8 <= out; o += 8) vecmat_block(y + o, x, wt + o, ld, b ? b + o : NULL, in, 1);
    for (; o < out; o++) {
        float sum = b ? b[o] : 0.0f;
        for (int c = 0; c < in; c++) sum += x[c] * wt[(size_t)c * ld + o];
        y[o] = sum;
    }
}

/* tc_head's layers for tc_infer: this CPU's vecmat on the transposed copy of the weights (the
 * head has two layers, hidden and classifier) */
static void transposed_layer(const tc_model *m, tc_tensor_id w, tc_tensor_id b, const float *x,
                             int in, float *y, int out)
{
    const tc_infer_cache *c = m->infer;
    const float *wt = w == TC_W_HIDDEN ? c->hidden_t : w == TC_W_CLS ? c->cls_t : NULL;
    c->k->vecmat(y, x, wt, out, m->w[b], in, out);
}

/* Asks for the memory of a coming token (its embedding row, of row_bytes at emb + id·row_bytes,
 * and its projection-table row) while the present one is computed: in a large vocabulary they
 * are usually not in cache, and the loop below would otherwise wait for them token after token. */
V8_INLINE void prefetch_token(const tc_model *m, int32_t id, const char *emb, size_t row_bytes)
{
    const char *e = emb + (size_t)id * row_bytes;
    for (size_t b = 0; b < row_bytes; b += 64) __builtin_prefetch(e + b);
    const lazy_rows *r = &m->infer->token;
    if (r->rows) {
        size_t width = 2 * (size_t)m->heads * m->head_dim * sizeof(float);
        const char *row = (const char *)r->rows + (size_t)id * width;
        for (size_t b = 0; b < width; b += 64) __builtin_prefetch(row + b);
    }
}

/* out[0..n) = the float32 values of the halves h[0..n) (exact), one function per CPU level
 * (KERNEL_SET): the baseline's is tc_f16_to_f32_n, which the compiler vectorises with SSE2. */
typedef void (*halves_fn)(float *out, const uint16_t *h, int n);

static void halves_base(float *out, const uint16_t *h, int n)
{
    tc_f16_to_f32_n(out, h, (size_t)n);
}

#ifdef TC_AVX2_PATH
/* F16C's conversion, 8 halves per instruction; the last n % 8 as the baseline */
TC_AVX2 static void halves_f16c(float *out, const uint16_t *h, int n)
{
    int i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(h + i))));
    tc_f16_to_f32_n(out + i, h + i, (size_t)(n - i));
}
#endif

/* tc_infer's body (compiled per CPU level, as the loops it inlines; halves is that level's). */
V8_INLINE void forward(const tc_model *m, tc_infer_state *s, const int32_t *ids, const float *ng,
                       float *gq_rows, const unsigned char *known, int T, float *probs,
                       halves_fn halves)
{
    int d = m->dim, hd = m->head_dim, H = m->heads * hd;
    if (T <= 0) {   /* an empty document pools to zeros, as in tc_forward */
        memset(s->pooled, 0, (size_t)d * sizeof *s->pooled);
        tc_head(m, transposed_layer, s->pooled, s->h, s->logits, probs);
        return;
    }
    tc_infer_cache *c = m->infer;
    int Tp = (T + 7) & ~7;
    /* 1/√hd, and log2 e: the scores come out in base 2 for tc_exp2_8_nonpos (the softmax of
     * s·log2 e in base 2 is the softmax of s in base e) */
    float scale = 1.44269504088896341f / sqrtf((float)hd);

    /* x[T,d] = E[ids] + P;  q[T,H] = (EQ[id_t] + PQ[t])·log2 e/√hd;  kt = EK[id_t] + PK[t];
     * xsum[d] = Σ_t x_t. With n-grams x_t gets + G_t, and q_t and k_t + G_t·Wqkᵀ (gq). */
    if (T < Tp)   /* zero keys past the last: the tail of the last block of each head */
        for (int j = 0; j < m->heads; j++)
            memset(s->kt + (size_t)j * hd * Tp + (size_t)(Tp - 8) * hd, 0, 8 * hd * sizeof(float));
    /* the embedding E[V, d]: float32, or F16 halves (E16) or int8 values with per-row scales
     * (E8, S8: quant.h) whose row is converted into s->e */
    const float *E = m->w[TC_W_EMBEDDING];
    const uint16_t *E16 = m->w16[TC_W_EMBEDDING];
    const int8_t *E8 = m->w8[TC_W_EMBEDDING];
    const float *S8 = m->scale8[TC_W_EMBEDDING];
    const char *emb = E ? (const char *)E : E16 ? (const char *)E16 : (const char *)E8;
    size_t row_bytes = (size_t)d * (E ? sizeof *E : E16 ? sizeof *E16 : sizeof *E8);
    /* the position vectors (tc_model_position, read here without a call per token): P[t] =
     * P0 + t·pstride, and its cached projection is row t·prow of c->position (0 and 0 with
     * position none: one row of zeros) */
    const float *P0 = m->pos_base;
    size_t pstride = m->pos_stride;
    int prow = m->position != TC_POSITION_NONE;
    memset(s->xsum, 0, (size_t)d * sizeof *s->xsum);
    for (int t = 0; t < T; t++) {
        if (t + 4 < T) prefetch_token(m, ids[t + 4], emb, row_bytes);
        const float *e = s->e;
        if (E) e = E + (size_t)ids[t] * d;
        else if (E16) halves(s->e, E16 + (size_t)ids[t] * d, d);
        else tc_i8_to_f32_n(s->e, E8 + (size_t)ids[t] * d, S8[ids[t]], (size_t)d);
        const float *p = P0 + (size_t)t * pstride;
        float *x = s->x + (size_t)t * d;
        const float *tq = row_get(m, &c->token, ids[t], e, s->qk);
        const float *pq = row_get(m, &c->position, t * prow, p, s->qk + 2 * H);
        float *q = s->q + (size_t)t * H;
        float *k = s->kt + (size_t)(t & ~7) * hd + (t & 7);   /* head 0, block t/8, lane t%8 */
        if (ng) {
            const float *g = ng + (size_t)t * d;
            /* G·Wqkᵀ: given (gq_rows, known), or computed (into gq_rows when given) */
            float *gq = gq_rows ? gq_rows + (size_t)t * 2 * H : s->qk + 4 * H;
            for (int i = 0; i < d; i++) {
                x[i] = e[i] + g[i] + p[i];
                s->xsum[i] += x[i];
            }
            if (!(gq_rows && known[t])) vecmat(gq, g, c->wqk_t, 2 * H, NULL, d, 2 * H);
            for (int i = 0; i < H; i++) q[i] = (tq[i] + pq[i] + gq[i]) * scale;
            for (int j = 0; j < m->heads; j++, k += (size_t)hd * Tp)
                for (int i = 0; i < hd; i++)
                    k[8 * i] = tq[H + j * hd + i] + pq[H + j * hd + i] + gq[H + j * hd + i];
            continue;
        }
        for (int i = 0; i < d; i++) {
            x[i] = e[i] + p[i];
            s->xsum[i] += x[i];
        }
        for (int i = 0; i < H; i++) q[i] = (tq[i] + pq[i]) * scale;
        for (int j = 0; j < m->heads; j++, k += (size_t)hd * Tp)
            for (int i = 0; i < hd; i++) k[8 * i] = tq[H + j * hd + i] + pq[H + j * hd + i];
    }

    for (int j = 0; j < m->heads; j++) {
        attention_column_means(s, T, Tp, H, hd, j);
        /* z_j[d] = Σ_u col[u] x_u;  o_j[hd] = Wv_j · z_j + bv_j  (Σ_u col[u] = 1) */
        float *z = s->z + (size_t)j * d, *o = s->o + (size_t)j * hd;
        weighted_rows(z, s->col, s->x, T, d);
        vecmat(o, z, c->wv_t + (size_t)j * hd, H, m->w[TC_W_IN_PROJ_B] + 2 * H + j * hd, d, hd);
    }

    /* pooled[d] = out_proj · o + b (+ mean_t x_t) */
    vecmat(s->pooled, s->o, c->out_t, d, m->w[TC_W_OUT_PROJ_B], H, d);
    if (m->residual)
        for (int i = 0; i < d; i++) s->pooled[i] += s->xsum[i] / (float)T;
    tc_head(m, transposed_layer, s->pooled, s->h, s->logits, probs);
}

#define KERNEL_SET(NAME, ATTR, HALVES)                                                            \
    ATTR static void NAME##_forward(const tc_model *m, tc_infer_state *s, const int32_t *ids,     \
                                    const float *ng, float *gq, const unsigned char *known,       \
                                    int T, float *probs)                                          \
    {                                                                                             \
        forward(m, s, ids, ng, gq, known, T, probs, HALVES);                                      \
    }                                                                                             \
    ATTR static void NAME##_vecmat(float *y, const float *x, const float *wt, int ld,             \
                                   const float *b, int in, int out)                               \
    {                                                                                             \
        vecmat(y, x, wt, ld, b, in, out);                                                         \
    }                                                                                             \
    static const kernel_set NAME = {NAME##_forward, NAME##_vecmat};

KERNEL_SET(kernels_base, , halves_base)
#ifdef TC_AVX2_PATH
KERNEL_SET(kernels_avx2, TC_AVX2, halves_f16c)
#endif

static const kernel_set *kernels_for_this_cpu(void)
{
#ifdef TC_AVX2_PATH
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        tc_cpu_has_f16c())
        return &kernels_avx2;
#endif
    return &kernels_base;
}

void tc_infer_cache_use_baseline(tc_infer_cache *c)
{
    c->k = &kernels_base;
}

void tc_infer(const tc_model *m, tc_infer_state *s, const int32_t *ids, const float *ng, int T,
              float *probs)
{
    m->infer->k->forward(m, s, ids, ng, NULL, NULL, T, probs);
}

void tc_infer_gq(const tc_model *m, tc_infer_state *s, const int32_t *ids, const float *ng,
                 float *gq, const unsigned char *known, int T, float *probs)
{
    m->infer->k->forward(m, s, ids, ng, gq, known, T, probs);
}

const void *tc_infer_loops(const tc_model *m)
{
    return m->infer ? (const void *)m->infer->k : NULL;
}
