/*
 * quant.c - int8 weights with per-row scales (quant.h).
 */
#include "quant.h"

#include <math.h>

void tc_i8_to_f32_range(float *out, const int8_t *q, const float *scale, size_t cols,
                        size_t first, size_t n)
{
    size_t i = first, end = first + n;
    while (i < end) {
        size_t row = i / cols, stop = (row + 1) * cols;
        if (stop > end) stop = end;
        tc_i8_to_f32_n(out + (i - first), q + i, scale[row], stop - i);
        i = stop;
    }
}

void tc_quantize_n(const float *w, size_t n, float scale, int8_t *q)
{
    for (size_t i = 0; i < n; i++) {
        /* rintf: the current rounding mode, to nearest with ties to even (never changed here) */
        float v = scale > 0 ? rintf(w[i] / scale) : 0.0f;
        q[i] = (int8_t)(v > 127.0f ? 127 : v < -127.0f ? -127 : v);
    }
}
