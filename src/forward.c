/*
 * forward.c - tokens -> probabilities, the network of docs/model-format.md.
 */
#include "forward.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "kernels.h"

/* Allocates every buffer of s (zeroed on entry) for cap >= 1 tokens. TC_OK, or TC_ERR_NOMEM
 * with *s zeroed. */
static tc_status forward_state_alloc(tc_forward_state *s, const tc_model *m, int cap, tc_error *err)
{
    size_t T = (size_t)cap, d = (size_t)m->dim, H = (size_t)m->heads * m->head_dim;
    size_t rows = T < TC_ATT_ROWS ? T : TC_ATT_ROWS;
    s->cap = cap;
    s->x = malloc(T * d * sizeof(float));
    s->qkv = malloc(T * 3 * H * sizeof(float));
    s->scores = malloc(rows * T * sizeof(float));
    s->o = malloc(T * H * sizeof(float));
    s->y = malloc(T * d * sizeof(float));
    s->pooled = malloc(d * sizeof(float));
    s->h = malloc((size_t)m->hidden * sizeof(float));
    s->logits = malloc((size_t)m->num_labels * sizeof(float));
    if (!s->x || !s->qkv || !s->scores || !s->o || !s->y || !s->pooled || !s->h || !s->logits) {
        tc_forward_state_free(s);
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

tc_status tc_forward_state_init(tc_forward_state *s, const tc_model *m, tc_error *err)
{
    memset(s, 0, sizeof *s);
    return forward_state_alloc(s, m, m->max_len, err);
}

tc_status tc_forward_state_reserve(tc_forward_state *s, const tc_model *m, int T, tc_error *err)
{
    if (s->pooled && T <= s->cap) return TC_OK;
    tc_forward_state_free(s);
    return forward_state_alloc(s, m, tc_token_capacity(T, m->max_len), err);
}

void tc_forward_state_free(tc_forward_state *s)
{
    free(s->x);
    free(s->qkv);
    free(s->scores);
    free(s->o);
    free(s->y);
    free(s->pooled);
    free(s->h);
    free(s->logits);
    memset(s, 0, sizeof *s);
}

/* pooled[d] = mean over T rows of the attention block; received[T] (if not NULL) = the
 * attention weights summed over heads and query rows (each key's column sums). */
static void attention_block(const tc_model *m, tc_forward_state *s, const int32_t *ids,
                            const float *ng, int T, float *received)
{
    int d = m->dim, hd = m->head_dim, H = m->heads * hd;
    float scale = 1.0f / sqrtf((float)hd);

    /* x[T,d] = embedding[ids] (+ G, the n-grams) + P[0..T), the position vectors */
    for (int t = 0; t < T; t++) {
        float *x = s->x + (size_t)t * d;
        /* an F16 embedding row is converted into x itself: each x[i] is read, then written */
        const float *e = tc_model_row(m, TC_W_EMBEDDING, ids[t], x);
        const float *p = tc_model_position(m, t);
        if (ng) {
            const float *g = ng + (size_t)t * d;
            for (int i = 0; i < d; i++) x[i] = e[i] + g[i] + p[i];
        } else {
            for (int i = 0; i < d; i++) x[i] = e[i] + p[i];
        }
    }
    /* qkv[T,3H] = x · in_projᵀ + b */
    tc_linear(s->qkv, s->x, m->w[TC_W_IN_PROJ], m->w[TC_W_IN_PROJ_B], T, d, 3 * H);

    /* per head j: o[:, j] = softmax(Q_j K_jᵀ / √hd) V_j, a block of query rows at a time */
    for (int j = 0; j < m->heads; j++) {
        const float *q = s->qkv + (size_t)j * hd;             /* [T,hd], row stride 3H */
        const float *k = s->qkv + (size_t)H + (size_t)j * hd;
        const float *v = s->qkv + 2 * (size_t)H + (size_t)j * hd;
        for (int r0 = 0; r0 < T; r0 += TC_ATT_ROWS) {
            int rows = T - r0 < TC_ATT_ROWS ? T - r0 : TC_ATT_ROWS;
            /* scores[rows,T] = q[r0..r0+rows) · kᵀ · scale */
            tc_blas.sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, T, hd, scale,
                        q + (size_t)r0 * 3 * H, 3 * H, k, 3 * H, 0.0f, s->scores, T);
            tc_softmax_rows(s->scores, rows, T);
            if (received)   /* received[c] += Σ_r scores[r, c] */
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < T; c++) received[c] += s->scores[(size_t)r * T + c];
            /* o[r0.., j·hd..][rows,hd] = scores · v */
            tc_blas.sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, hd, T, 1.0f, s->scores,
                        T, v, 3 * H, 0.0f, s->o + (size_t)r0 * H + (size_t)j * hd, H);
        }
    }
    /* y[T,d] = o · out_projᵀ + b (+ x) */
    tc_linear(s->y, s->o, m->w[TC_W_OUT_PROJ], m->w[TC_W_OUT_PROJ_B], T, H, d);
    if (m->residual)
        for (size_t i = 0; i < (size_t)T * d; i++) s->y[i] += s->x[i];

    /* pooled[d] = mean over the T real tokens */
    for (int i = 0; i < d; i++) {
        double sum = 0;
        for (int t = 0; t < T; t++) sum += s->y[(size_t)t * d + i];
        s->pooled[i] = (float)(sum / T);
    }
}

/* tc_head's layers for tc_forward: one vector through tc_linear (BLAS sgemv) */
static void blas_layer(const tc_model *m, tc_tensor_id w, tc_tensor_id b, const float *x, int in,
                       float *y, int out)
{
    tc_linear(y, x, m->w[w], m->w[b], 1, in, out);
}

void tc_forward(const tc_model *m, tc_forward_state *s, const int32_t *ids, const float *ng, int T,
                float *probs)
{
    tc_forward_attention(m, s, ids, ng, T, probs, NULL);
}

void tc_forward_attention(const tc_model *m, tc_forward_state *s, const int32_t *ids,
                          const float *ng, int T, float *probs, float *received)
{
    if (received)
        for (int t = 0; t < T; t++) received[t] = 0.0f;
    if (T > 0) attention_block(m, s, ids, ng, T, received);
    else memset(s->pooled, 0, (size_t)m->dim * sizeof *s->pooled);   /* empty document */
    if (received) {   /* column sums -> mean over heads and query positions */
        float scale = 1.0f / ((float)m->heads * (float)T);
        for (int t = 0; t < T; t++) received[t] *= scale;
    }

    tc_head(m, blas_layer, s->pooled, s->h, s->logits, probs);
}

void tc_head(const tc_model *m, tc_layer_fn layer, const float *pooled, float *h, float *logits,
             float *probs)
{
    /* h[hidden] = act(hidden · pooled + b) */
    layer(m, TC_W_HIDDEN, TC_W_HIDDEN_B, pooled, m->dim, h, m->hidden);
    tc_activate(h, m->hidden, m->activation);
    /* logits[C] = classifier · h + b */
    layer(m, TC_W_CLS, TC_W_CLS_B, h, m->hidden, logits, m->num_labels);
    /* probs[C] = softmax(logits), or σ(logits) label by label (config.output) */
    tc_output_probs(probs, logits, m->num_labels, m->output);
}
