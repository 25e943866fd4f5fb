/*
 * quant.h - int8 weights with per-row scales (safetensors dtype I8; docs/model-format.md,
 * "Quantised weights") (internal).
 *
 * A matrix W [rows, cols] is stored as q [rows, cols] int8 and s [rows] float32: row r holds
 * the values q[r,c] * s[r], each the float32 product (one rounding), which is what every reader
 * (the loader, tc_model_floats, the n-gram sums, tools/textclf_ref.py) computes: an I8 model is
 * the float32 model of those values exactly, and `textclf convert --dtype F32` writes them.
 * The writer (tc_quantize_row) is symmetric: s = max|w_r| / 127, q = w / s rounded to nearest,
 * ties to even, so |q| <= 127; a reader also takes -128.
 */
#ifndef TC_QUANT_H
#define TC_QUANT_H

#include <stddef.h>
#include <stdint.h>

/* out[0..n) = q[0..n) * scale in float32: one row of an I8 matrix (a loop the compiler
 * vectorises; a product, nothing to fuse, so every build gives the same bits). restrict: int8_t
 * is a character type, which may alias anything, and without it the loop is not vectorised
 * without a run-time overlap test. */
static inline void tc_i8_to_f32_n(float *restrict out, const int8_t *restrict q, float scale,
                                  size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = (float)q[i] * scale;
}

/* out[0..n) = elements [first, first + n) of the I8 matrix (q, scale) with cols columns, as
 * float32: the range may start and end inside rows */
void tc_i8_to_f32_range(float *out, const int8_t *q, const float *scale, size_t cols,
                        size_t first, size_t n);

/* The scale of a row whose largest |w| is max_abs (finite): max_abs / 127 in float32 (0 for a
 * row of zeros). */
static inline float tc_quant_scale(float max_abs)
{
    return max_abs / 127.0f;
}

/* q[0..n) = w[0..n) / scale rounded to nearest, ties to even, clamped to [-127, 127]; all 0
 * when scale is 0. The writer's rounding (tools/textclf_ref.py's quantize_rows: numpy's rint of
 * the float32 quotient). Given the scale a row was loaded with, its values q * scale give back
 * those very q: an I8 matrix saves as the bytes it came from. */
void tc_quantize_n(const float *w, size_t n, float scale, int8_t *q);

#endif
