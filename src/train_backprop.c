/*
 * train_backprop.c - gradients of the cross-entropy loss for one document.
 *
 * Mean pooling makes every row of the attention block's output receive the same gradient
 * dpooled/T; the backward pass uses that exactly (no approximation): the output projection's
 * gradient is an outer product with the mean of O, each head's dO rows are one vector r_j, and
 * so dV_j[u] = colsum(A_j)[u]·r_j and dA_j[t,u] = r_j·V_j[u] =: g_j[u] for every query t.
 */
#include "train_backprop.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "kernels.h"

/* Every buffer of tc_bp_state, by name, with its length in floats (L, d, H, heads, hid and C are
 * the model's sizes where this is expanded): tc_bp_state_init allocates and tc_bp_state_free
 * frees exactly these. */
#define BP_BUFFERS(X)                                                                            \
    X(x, L * d) X(qkv, L * 3 * H) X(att, heads * L * L) X(colsum, heads * L) X(pooled, d)       \
    X(mask1, d) X(hpre, hid) X(h, hid) X(mask2, hid) X(probs, C) X(dz, C) X(dh, hid)           \
    X(dpooled, d) X(r, H) X(omean, H) X(g, L) X(dqkv, L * 3 * H) X(dx, L * d)

/* A field added to tc_bp_state but not to BP_BUFFERS would be neither allocated nor freed:
 * the listed fields must make up the whole struct. */
#define BP_FIELD_SIZE(field, n) +sizeof(((tc_bp_state *)0)->field)
_Static_assert(0 BP_BUFFERS(BP_FIELD_SIZE) == sizeof(tc_bp_state),
               "every field of tc_bp_state is in BP_BUFFERS");

tc_status tc_bp_state_init(tc_bp_state *s, const tc_model *m, tc_error *err)
{
    size_t L = (size_t)m->max_len, d = (size_t)m->dim, H = (size_t)m->heads * m->head_dim;
    size_t heads = (size_t)m->heads, hid = (size_t)m->hidden, C = (size_t)m->num_labels;
    memset(s, 0, sizeof *s);
    int ok = 1;
#define BP_ALLOC(field, n) ok &= (s->field = malloc((n) * sizeof *s->field)) != NULL;
    BP_BUFFERS(BP_ALLOC)
#undef BP_ALLOC
    if (!ok) {
        tc_bp_state_free(s);
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

void tc_bp_state_free(tc_bp_state *s)
{
#define BP_FREE(field, n) free(s->field);
    BP_BUFFERS(BP_FREE)
#undef BP_FREE
    memset(s, 0, sizeof *s);
}

/* xorshift64*: a uniform float in [0, 1) */
static float uniform(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return (float)((x * 2685821657736338717ULL) >> 40) / (float)(1 << 24);
}

/* Inverted dropout: multipliers 0 or 1/(1-p), applied to v[n]. */
static void dropout(float *v, float *mask, int n, float p, uint64_t *rng)
{
    float keep = 1.0f / (1.0f - p);
    for (int i = 0; i < n; i++) {
        mask[i] = p > 0 && uniform(rng) < p ? 0.0f : (p > 0 ? keep : 1.0f);
        v[i] *= mask[i];
    }
}

/* d act(x)/dx at x = pre, act(pre) = post (tc_activate's functions) */
static float act_grad(tc_activation act, float pre, float post)
{
    switch (act) {   /* no default: -Wswitch names an activation added and missing here */
    case TC_ACT_RELU: return pre > 0 ? 1.0f : 0.0f;
    case TC_ACT_TANH: return 1.0f - post * post;
    case TC_ACT_GELU: {
        double x = pre;   /* Φ(x) + x φ(x) */
        return (float)(0.5 * (1.0 + erf(x * M_SQRT1_2)) +
                       x * exp(-0.5 * x * x) * 0.3989422804014327);
    }
    }
    return 0.0f;
}

/*
 * Forward through the attention block into s->x, qkv, att, colsum, omean and pooled.
 * Mean pooling is linear, so the block's T output rows are never formed: the mean of head j's
 * output rows O_j = A_j V_j is colsum(A_j)·V_j / T, and
 *   pooled = mean_t(O_t Woᵀ + bo + x_t) = omean Woᵀ + bo + mean_t(x_t)   (x term with residual).
 * That replaces the [T,T]·[T,hd] product per head and the [T,H]·[H,d] output projection with
 * vector products; the result is the same function as forward.c's, rounded differently.
 */
static void forward_attention(const tc_model *m, tc_bp_state *s, const int32_t *ids,
                              const tc_ngram_lists *ng, int T)
{
    int d = m->dim, hd = m->head_dim, H = m->heads * hd;
    const float *Wo = m->w[TC_W_OUT_PROJ], *bo = m->w[TC_W_OUT_PROJ_B];
    float scale = 1.0f / sqrtf((float)hd);
    for (int t = 0; t < T; t++) {   /* x = E[ids] (+ G, the n-grams' mean) + P */
        const float *e = m->w[TC_W_EMBEDDING] + (size_t)ids[t] * d;
        const float *p = tc_model_position(m, t);
        float *x = s->x + (size_t)t * d;
        if (ng) {   /* G into x's row first, then x = (E + G) + P as tc_forward adds them */
            tc_ngram_mean(m->w[TC_W_NGRAM], d, ng->bucket + ng->start[t],
                          ng->start[t + 1] - ng->start[t], x);
            for (int i = 0; i < d; i++) x[i] = e[i] + x[i] + p[i];
        } else {
            for (int i = 0; i < d; i++) x[i] = e[i] + p[i];
        }
    }
    tc_linear(s->qkv, s->x, m->w[TC_W_IN_PROJ], m->w[TC_W_IN_PROJ_B], T, d, 3 * H);
    for (int j = 0; j < m->heads; j++) {
        const float *q = s->qkv + (size_t)j * hd, *k = q + H, *v = q + 2 * H;
        float *a = s->att + (size_t)j * T * T;      /* [T,T], packed for this document */
        float *cs = s->colsum + (size_t)j * T;      /* [T] */
        tc_blas.sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hd, scale, q, 3 * H, k,
                    3 * H, 0.0f, a, T);
        tc_softmax_rows_fast(a, T, T);
        for (int u = 0; u < T; u++) cs[u] = 0;
        for (int t = 0; t < T; t++)
            for (int u = 0; u < T; u++) cs[u] += a[(size_t)t * T + u];
        /* omean_j[hd] = colsum · V_j / T */
        tc_blas.sgemv(CblasRowMajor, CblasTrans, T, hd, 1.0f / T, v, 3 * H, cs, 1, 0.0f,
                    s->omean + (size_t)j * hd, 1);
    }
    for (int i = 0; i < d; i++) s->pooled[i] = bo[i];
    tc_blas.sgemv(CblasRowMajor, CblasNoTrans, d, H, 1.0f, Wo, H, s->omean, 1, 1.0f, s->pooled, 1);
    if (m->residual)
        for (int i = 0; i < d; i++) {
            double sum = 0;
            for (int t = 0; t < T; t++) sum += s->x[(size_t)t * d + i];
            s->pooled[i] += (float)(sum / T);
        }
}

/* Backward through the attention block, given s->dpooled; adds into g. */
static void backward_attention(const tc_model *m, tc_bp_state *s, const int32_t *ids,
                               const tc_ngram_lists *ng, int T, tc_grads *g)
{
    int d = m->dim, hd = m->head_dim, H = m->heads * hd;
    float scale = 1.0f / sqrtf((float)hd);
    float *gWo = g->g[TC_W_OUT_PROJ], *gbo = g->g[TC_W_OUT_PROJ_B];
    float *gWin = g->g[TC_W_IN_PROJ], *gbin = g->g[TC_W_IN_PROJ_B];

    /* every row of dY is dpooled/T: out_proj gets dpooled ⊗ mean(O), dO rows are r */
    tc_blas.sger(CblasRowMajor, d, H, 1.0f, s->dpooled, 1, s->omean, 1, gWo, H);
    for (int i = 0; i < d; i++) gbo[i] += s->dpooled[i];
    /* r[H] = (dpooled/T) · Wo   (Wo is [d,H]) */
    tc_blas.sgemv(CblasRowMajor, CblasTrans, d, H, 1.0f / T, m->w[TC_W_OUT_PROJ], H, s->dpooled, 1,
                0.0f, s->r, 1);

    for (int j = 0; j < m->heads; j++) {
        const float *q = s->qkv + (size_t)j * hd, *k = q + H, *v = q + 2 * H;
        const float *r = s->r + (size_t)j * hd;
        float *a = s->att + (size_t)j * T * T;
        float *dq = s->dqkv + (size_t)j * hd, *dk = dq + H, *dv = dq + 2 * H;
        const float *cs = s->colsum + (size_t)j * T;
        /* dV[u] = colsum(A)[u] · r ;  g[u] = r · V[u] */
        for (int u = 0; u < T; u++) {
            double gu = 0;
            for (int e = 0; e < hd; e++) {
                dv[(size_t)u * 3 * H + e] = cs[u] * r[e];
                gu += (double)r[e] * v[(size_t)u * 3 * H + e];
            }
            s->g[u] = (float)gu;
        }
        /* dS[t,u] = A[t,u] (g[u] - Σ_u' A[t,u'] g[u']), computed in place of A */
        for (int t = 0; t < T; t++) {
            float *row = a + (size_t)t * T;
            double dot = 0;
            for (int u = 0; u < T; u++) dot += (double)row[u] * s->g[u];
            for (int u = 0; u < T; u++) row[u] = row[u] * (s->g[u] - (float)dot);
        }
        /* dQ = dS K · scale ;  dK = dSᵀ Q · scale */
        tc_blas.sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hd, T, scale, a, T, k, 3 * H,
                    0.0f, dq, 3 * H);
        tc_blas.sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, T, hd, T, scale, a, T, q, 3 * H,
                    0.0f, dk, 3 * H);
    }
    /* in_proj: gWin += dQKVᵀ X ; gbin += Σ_t dQKV[t] ; dX = dQKV Win (+ dY if residual) */
    tc_blas.sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, 3 * H, d, T, 1.0f, s->dqkv, 3 * H, s->x,
                d, 1.0f, gWin, d);
    for (int t = 0; t < T; t++)
        for (int e = 0; e < 3 * H; e++) gbin[e] += s->dqkv[(size_t)t * 3 * H + e];
    for (int t = 0; t < T; t++)
        for (int i = 0; i < d; i++) s->dx[(size_t)t * d + i] = m->residual ? s->dpooled[i] / T : 0;
    tc_blas.sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T, d, 3 * H, 1.0f, s->dqkv, 3 * H,
                m->w[TC_W_IN_PROJ], d, 1.0f, s->dx, d);
    /* embeddings and positions (learned ones: fixed or no positions have no gradient) */
    int learned = m->position == TC_POSITION_LEARNED;
    for (int t = 0; t < T; t++) {
        float *ge = tc_grads_embedding_row(g, ids[t]);
        const float *dx = s->dx + (size_t)t * d;
        for (int i = 0; i < d; i++) ge[i] += dx[i];
        if (learned) {
            float *gp = g->g[TC_W_POSITION] + (size_t)t * d;
            for (int i = 0; i < d; i++) gp[i] += dx[i];
        }
        /* n-grams: G = (Σ rows) / n, so each of the token's buckets gets dx / n (a bucket met
         * twice, twice) */
        int64_t n = ng ? ng->start[t + 1] - ng->start[t] : 0;
        for (int64_t k = 0; k < n; k++) {
            float *gn = tc_grads_ngram_row(g, ng->bucket[ng->start[t] + k]);
            for (int i = 0; i < d; i++) gn[i] += dx[i] / (float)n;
        }
    }
}

/* The loss of the logits in s->probs[C] for gold classes labels[0..n_labels), with s->probs
 * turned into probabilities and s->dz = weight · dloss/dlogits:
 *  - softmax (one gold class y = labels[0]): -log p_y; dz = w (p - onehot(y));
 *  - sigmoid (gold set Y): the mean over the C labels of the binary cross-entropy
 *    softplus(z_c) - [c ∈ Y] z_c (PyTorch's BCEWithLogitsLoss, reduction "mean", of one row),
 *    dz_c = w (σ(z_c) - [c ∈ Y]) / C. */
static float output_loss(const tc_model *m, tc_bp_state *s, const int32_t *labels, int n_labels,
                         float weight)
{
    int C = m->num_labels;
    float *z = s->probs, *dz = s->dz;
    if (m->output == TC_OUTPUT_SOFTMAX) {
        int label = labels[0];
        float zy = z[label];
        float loss = (float)(tc_softmax_probs(z, z, C) - zy);   /* -log softmax */
        for (int c = 0; c < C; c++) dz[c] = weight * (z[c] - (c == label ? 1.0f : 0.0f));
        return loss;
    }
    double sum = 0;
    for (int c = 0; c < C; c++) dz[c] = 0.0f;   /* targets first: dz[c] = [c ∈ Y] */
    for (int k = 0; k < n_labels; k++) dz[labels[k]] = 1.0f;
    for (int c = 0; c < C; c++) {
        double x = z[c];
        /* softplus(x) = log(1 + e^x), stable for large |x| */
        sum += (x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))) - dz[c] * x;
        z[c] = (float)(1.0 / (1.0 + exp(-x)));
        dz[c] = weight * (z[c] - dz[c]) / (float)C;
    }
    return (float)(sum / C);
}

float tc_backprop_doc(const tc_model *m, tc_bp_state *s, const int32_t *ids,
                      const tc_ngram_lists *ng, int T, const int32_t *labels, int n_labels,
                      float weight, float drop, uint64_t *rng, tc_grads *g)
{
    int d = m->dim, hid = m->hidden, C = m->num_labels;
    /* forward: tc_forward's function (forward.h), after pooling tc_head's steps written out, with
     * dropout on the pooled vector and on h, keeping hpre (before the activation) and post
     * (after it, before dropout) for the backward pass */
    if (T > 0) forward_attention(m, s, ids, ng, T);
    else memset(s->pooled, 0, (size_t)d * sizeof(float));
    dropout(s->pooled, s->mask1, d, drop, rng);
    tc_linear(s->hpre, s->pooled, m->w[TC_W_HIDDEN], m->w[TC_W_HIDDEN_B], 1, d, hid);
    memcpy(s->h, s->hpre, (size_t)hid * sizeof(float));
    tc_activate(s->h, hid, m->activation);
    float *post = s->dh;   /* keep act(hpre) before dropout for the activation's derivative */
    memcpy(post, s->h, (size_t)hid * sizeof(float));
    dropout(s->h, s->mask2, hid, drop, rng);
    tc_linear(s->probs, s->h, m->w[TC_W_CLS], m->w[TC_W_CLS_B], 1, hid, C);   /* logits */
    float loss = output_loss(m, s, labels, n_labels, weight);
    tc_blas.sger(CblasRowMajor, C, hid, 1.0f, s->dz, 1, s->h, 1, g->g[TC_W_CLS], hid);
    for (int c = 0; c < C; c++) g->g[TC_W_CLS_B][c] += s->dz[c];
    /* hidden layer: dhpre = (W2ᵀ dz) · mask2 · act'(hpre) */
    for (int r = 0; r < hid; r++) post[r] = act_grad(m->activation, s->hpre[r], post[r]);
    float *dh = s->hpre;   /* hpre is no longer needed */
    tc_blas.sgemv(CblasRowMajor, CblasTrans, C, hid, 1.0f, m->w[TC_W_CLS], hid, s->dz, 1, 0.0f, dh,
                1);
    for (int r = 0; r < hid; r++) dh[r] *= s->mask2[r] * post[r];
    tc_blas.sger(CblasRowMajor, hid, d, 1.0f, dh, 1, s->pooled, 1, g->g[TC_W_HIDDEN], d);
    for (int r = 0; r < hid; r++) g->g[TC_W_HIDDEN_B][r] += dh[r];
    /* pooled: dpooled = (W1ᵀ dhpre) · mask1 */
    tc_blas.sgemv(CblasRowMajor, CblasTrans, hid, d, 1.0f, m->w[TC_W_HIDDEN], d, dh, 1, 0.0f,
                s->dpooled, 1);
    for (int i = 0; i < d; i++) s->dpooled[i] *= s->mask1[i];
    if (T > 0) backward_attention(m, s, ids, ng, T, g);
    return loss;
}
