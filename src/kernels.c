/*
 * kernels.c - linear layers through OpenBLAS sgemm, softmax and activations.
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

#include "blas.h"
#include "vexp.h"

void tc_linear(float *y, const float *x, const float *w, const float *b, int T, int in, int out)
{
    for (int t = 0; t < T; t++) memcpy(y + (size_t)t * out, b, (size_t)out * sizeof *y);
    if (T == 1)
        tc_blas.sgemv(CblasRowMajor, CblasNoTrans, out, in, 1.0f, w, in, x, 1, 1.0f, y, 1);
    else
        tc_blas.sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T, out, in, 1.0f, x, in, w, in,
                    1.0f, y, out);
}

void tc_softmax_rows(float *x, int rows, int n)
{
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * n;
        float max = row[0];
        for (int i = 1; i < n; i++) if (row[i] > max) max = row[i];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            row[i] = expf(row[i] - max);   /* <= 1, so the sum cannot overflow */
            sum += row[i];
        }
        float inv = (float)(1.0 / sum);
        for (int i = 0; i < n; i++) row[i] *= inv;
    }
}

float tc_exp_minus_max(float *x, int n)
{
    float max = x[0];
    int i = 0;
#ifdef __SSE2__
    if (n >= 4) {   /* the maximum is exact in any order */
        __m128 m4 = _mm_loadu_ps(x);
        for (i = 4; i + 4 <= n; i += 4) m4 = _mm_max_ps(m4, _mm_loadu_ps(x + i));
        float part[4];
        _mm_storeu_ps(part, m4);
        max = part[0];
        for (int k = 1; k < 4; k++) if (part[k] > max) max = part[k];
    }
#endif
    for (; i < n; i++) if (x[i] > max) max = x[i];
    float sum = 0;
    i = 0;
#ifdef __SSE2__
    __m128 vmax = _mm_set1_ps(max), vsum = _mm_setzero_ps();
    for (; i + 4 <= n; i += 4) {
        __m128 e = tc_exp4(_mm_sub_ps(_mm_loadu_ps(x + i), vmax));
        _mm_storeu_ps(x + i, e);
        vsum = _mm_add_ps(vsum, e);
    }
    float part[4];
    _mm_storeu_ps(part, vsum);
    sum = (part[0] + part[1]) + (part[2] + part[3]);
#endif
    for (; i < n; i++) {
        x[i] = expf(x[i] - max);
        sum += x[i];
    }
    return sum;
}

void tc_softmax_rows_fast(float *x, int rows, int n)
{
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * n;
        float inv = 1.0f / tc_exp_minus_max(row, n);
        for (int i = 0; i < n; i++) row[i] *= inv;
    }
}

double tc_softmax_probs(float *probs, const float *logits, int C)
{
    double max = logits[0], sum = 0;
    for (int c = 1; c < C; c++) if (logits[c] > max) max = logits[c];
    for (int c = 0; c < C; c++) sum += exp(logits[c] - max);
    for (int c = 0; c < C; c++) probs[c] = (float)(exp(logits[c] - max) / sum);
    return log(sum) + max;
}

void tc_sigmoid_probs(float *probs, const float *logits, int C)
{
    for (int c = 0; c < C; c++) probs[c] = (float)(1.0 / (1.0 + exp(-(double)logits[c])));
}

void tc_output_probs(float *probs, const float *logits, int C, tc_output out)
{
    switch (out) {   /* no default: -Wswitch names an output added and missing here */
    case TC_OUTPUT_SOFTMAX: tc_softmax_probs(probs, logits, C); break;
    case TC_OUTPUT_SIGMOID: tc_sigmoid_probs(probs, logits, C); break;
    }
}

void tc_activate(float *x, int n, tc_activation act)
{
    switch (act) {   /* no default: -Wswitch names an activation added and missing here */
    case TC_ACT_RELU:
        for (int i = 0; i < n; i++) x[i] = x[i] > 0 ? x[i] : 0;
        break;
    case TC_ACT_GELU:
        for (int i = 0; i < n; i++) x[i] = (float)(0.5 * x[i] * (1.0 + erf(x[i] * M_SQRT1_2)));
        break;
    case TC_ACT_TANH:
        for (int i = 0; i < n; i++) x[i] = tanhf(x[i]);
        break;
    }
}
