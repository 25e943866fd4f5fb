/*
 * vexp.h - exp of four floats at once (SSE2), for softmax in training (internal).
 *
 * Cephes' expf method: n = round(x·log2 e), r = x - n·ln 2 (ln 2 split in two parts so r is
 * exact), e^r by a degree-7 polynomial, times 2^n built in the exponent bits. Error under
 * 2 ulp on [-87.3, 88] (test_vexp in tests/unit/test_kernels.c sweeps it against exp in
 * double); inputs below -87.3 give 0 (the true value is under FLT_MIN), above 88 give e^88
 * (2^n must stay a normal float); softmax only passes x <= 0. libm's expf is as accurate but
 * one call per element, and the attention softmax needs T² of them per head.
 */
#ifndef TC_VEXP_H
#define TC_VEXP_H

#ifdef __SSE2__
#include <emmintrin.h>

static inline __m128 tc_exp4(__m128 x)
{
    const __m128 lo = _mm_set1_ps(-87.3f), hi = _mm_set1_ps(88.0f);
    __m128 under = _mm_cmplt_ps(x, lo);
    x = _mm_min_ps(_mm_max_ps(x, lo), hi);
    /* n = floor(x·log2 e + 0.5) */
    __m128 fx = _mm_add_ps(_mm_mul_ps(x, _mm_set1_ps(1.44269504088896341f)), _mm_set1_ps(0.5f));
    __m128 t = _mm_cvtepi32_ps(_mm_cvttps_epi32(fx));
    fx = _mm_sub_ps(t, _mm_and_ps(_mm_cmpgt_ps(t, fx), _mm_set1_ps(1.0f)));
    x = _mm_sub_ps(x, _mm_mul_ps(fx, _mm_set1_ps(0.693359375f)));
    x = _mm_sub_ps(x, _mm_mul_ps(fx, _mm_set1_ps(-2.12194440e-4f)));
    __m128 z = _mm_mul_ps(x, x);
    __m128 y = _mm_set1_ps(1.9875691500e-4f);
    y = _mm_add_ps(_mm_mul_ps(y, x), _mm_set1_ps(1.3981999507e-3f));
    y = _mm_add_ps(_mm_mul_ps(y, x), _mm_set1_ps(8.3334519073e-3f));
    y = _mm_add_ps(_mm_mul_ps(y, x), _mm_set1_ps(4.1665795894e-2f));
    y = _mm_add_ps(_mm_mul_ps(y, x), _mm_set1_ps(1.6666665459e-1f));
    y = _mm_add_ps(_mm_mul_ps(y, x), _mm_set1_ps(5.0000001201e-1f));
    y = _mm_add_ps(_mm_add_ps(_mm_mul_ps(y, z), x), _mm_set1_ps(1.0f));
    /* 2^n: n + 127 into the exponent field */
    __m128i n = _mm_add_epi32(_mm_cvttps_epi32(fx), _mm_set1_epi32(127));
    y = _mm_mul_ps(y, _mm_castsi128_ps(_mm_slli_epi32(n, 23)));
    return _mm_andnot_ps(under, y);
}
#endif

#endif
