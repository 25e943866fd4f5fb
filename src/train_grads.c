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

/* The table of tensor id in g, or NULL for a dense tensor. */
static tc_grad_rows *table_of(tc_grads *g, int id)
{
    return id == TC_W_EMBEDDING ? &g->emb : id == TC_W_NGRAM ? &g->ngram : NULL;
}

static int rows_init(tc_grad_rows *r, size_t size)
{
    r->size = size;
    r->nrows = 0;
    r->rows = malloc((size ? size : 1) * sizeof *r->rows);
    r->touched = calloc(size ? size : 1, 1);
    return r->rows && r->touched;
}

static void rows_free(tc_grad_rows *r)
{
    free(r->rows);
    free(r->touched);
}

tc_status tc_grads_init(tc_grads *g, const tc_model *m, tc_error *err)
{
    memset(g, 0, sizeof *g);
    tc_model_tensor_sizes(m, g->n);
    g->dim = (size_t)m->dim;
    int ok = rows_init(&g->emb, (size_t)m->vocab.size) &&
             rows_init(&g->ngram, (size_t)m->tok.ngram_buckets);
    for (int i = 0; i < TC_NUM_TENSORS && ok; i++)
        ok = (g->g[i] = calloc(g->n[i] ? g->n[i] : 1, sizeof(float))) != NULL;
    if (!ok) {
        tc_grads_free(g);
        return tc_fail_nomem(err, NULL);
    }
    return TC_OK;
}

void tc_grads_zero(tc_grads *g)
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        tc_grad_rows *r = table_of(g, i);
        if (!r) {
            memset(g->g[i], 0, g->n[i] * sizeof(float));
            continue;
        }
        for (size_t k = 0; k < r->nrows; k++) {
            memset(g->g[i] + (size_t)r->rows[k] * g->dim, 0, g->dim * sizeof(float));
            r->touched[r->rows[k]] = 0;
        }
        r->nrows = 0;
    }
}

void tc_grads_free(tc_grads *g)
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) free(g->g[i]);
    rows_free(&g->emb);
    rows_free(&g->ngram);
    memset(g, 0, sizeof *g);
}

void tc_grads_add(tc_grads *dst, const tc_grads *src)
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        const tc_grad_rows *r = table_of((tc_grads *)src, i);
        if (!r) {
            for (size_t e = 0; e < dst->n[i]; e++) dst->g[i][e] += src->g[i][e];
            continue;
        }
        for (size_t k = 0; k < r->nrows; k++) {
            const float *s = src->g[i] + (size_t)r->rows[k] * src->dim;
            tc_grad_rows_touch(table_of(dst, i), r->rows[k]);
            float *d = dst->g[i] + (size_t)r->rows[k] * dst->dim;
            for (size_t e = 0; e < dst->dim; e++) d[e] += s[e];
        }
    }
}

/* Calls f(p, n, arg) on every span of g that may be nonzero. */
static void for_each_span(tc_grads *g, void (*f)(float *p, size_t n, void *arg), void *arg)
{
    for (int i = 0; i < TC_NUM_TENSORS; i++) {
        tc_grad_rows *r = table_of(g, i);
        if (!r) {
            f(g->g[i], g->n[i], arg);
            continue;
        }
        for (size_t k = 0; k < r->nrows; k++) f(g->g[i] + (size_t)r->rows[k] * g->dim, g->dim, arg);
    }
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

static void sq_span(float *p, size_t n, void *arg)
{
    double sq = 0;
    for (size_t i = 0; i < n; i++) sq += (double)p[i] * p[i];
    *(double *)arg += sq;
}

double tc_grads_sqnorm(const tc_grads *g)
{
    double sq = 0;
    for_each_span((tc_grads *)g, sq_span, &sq);
    return sq;
}
