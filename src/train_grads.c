/*
 * train_grads.c - gradient buffers with sparse embedding rows.
 *
 * The embedding's gradient is visited through the row list; the other tensors are small (their
 * sizes do not grow with the vocabulary) and are visited densely.
 */
#include "train_grads.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

tc_status tc_grads_init(tc_grads *g, const tc_model *m, tc_error *err)
{
    memset(g, 0, sizeof *g);
    tc_model_tensor_sizes(m, g->n);
    g->vocab = (size_t)m->vocab.size;
    g->dim = (size_t)m->dim;
    g->rows = malloc(g->vocab * sizeof *g->rows);
    g->touched = calloc(g->vocab, 1);
    int ok = g->rows && g->touched;
    for (int i = 0; i < TC_NUM_TENSORS && ok; i++)
        ok = (g->g[i] = calloc(g->n[i], sizeof(float))) != NULL;
    if (!ok) {
        tc_grads_free(g);
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

void tc_grads_zero(tc_grads *g)
{
    for (size_t r = 0; r < g->nrows; r++) {
        memset(g->g[TC_W_EMBEDDING] + (size_t)g->rows[r] * g->dim, 0, g->dim * sizeof(float));
        g->touched[g->rows[r]] = 0;
    }
    g->nrows = 0;
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        if (i != TC_W_EMBEDDING) memset(g->g[i], 0, g->n[i] * sizeof(float));
}

void tc_grads_free(tc_grads *g)
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) free(g->g[i]);
    free(g->rows);
    free(g->touched);
    memset(g, 0, sizeof *g);
}

void tc_grads_add(tc_grads *dst, const tc_grads *src)
{
    for (size_t r = 0; r < src->nrows; r++) {
        const float *s = src->g[TC_W_EMBEDDING] + (size_t)src->rows[r] * src->dim;
        float *d = tc_grads_embedding_row(dst, src->rows[r]);
        for (size_t e = 0; e < dst->dim; e++) d[e] += s[e];
    }
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        if (i != TC_W_EMBEDDING)
            for (size_t e = 0; e < dst->n[i]; e++) dst->g[i][e] += src->g[i][e];
}

/* Calls f(p, n, arg) on every span of g that may be nonzero. */
static void for_each_span(tc_grads *g, void (*f)(float *p, size_t n, void *arg), void *arg)
{
    for (size_t r = 0; r < g->nrows; r++)
        f(g->g[TC_W_EMBEDDING] + (size_t)g->rows[r] * g->dim, g->dim, arg);
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        if (i != TC_W_EMBEDDING) f(g->g[i], g->n[i], arg);
}

static void div_span(float *p, size_t n, void *arg)
{
    float div = *(const float *)arg;
    for (size_t i = 0; i < n; i++) p[i] /= div;
}

static void mul_span(float *p, size_t n, void *arg)
{
    double coef = *(const double *)arg;
    for (size_t i = 0; i < n; i++) p[i] = (float)(p[i] * coef);
}

void tc_grads_div(tc_grads *g, float div) { for_each_span(g, div_span, &div); }

void tc_grads_mul(tc_grads *g, double coef) { for_each_span(g, mul_span, &coef); }

static double sq_span(const float *p, size_t n)
{
    double sq = 0;
    for (size_t i = 0; i < n; i++) sq += (double)p[i] * p[i];
    return sq;
}

double tc_grads_sqnorm(const tc_grads *g)
{
    double sq = 0;
    for (size_t r = 0; r < g->nrows; r++)
        sq += sq_span(g->g[TC_W_EMBEDDING] + (size_t)g->rows[r] * g->dim, g->dim);
    for (int i = 0; i < TC_NUM_TENSORS; i++)
        if (i != TC_W_EMBEDDING) sq += sq_span(g->g[i], g->n[i]);
    return sq;
}
