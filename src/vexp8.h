/*
 * vexp8.h - eight floats as one value, and 2^x of eight non-positive floats (internal).
 *
 * For the attention softmax of classification (infer.c), where every argument is a score minus
 * its row's maximum, in base 2 (the queries carry the factor log2 e): x <= 0, or -inf for the
 * padding past the last key. Knowing that, it skips what vexp.h's tc_exp4 (training) needs for
 * any x: no clamp above, no ln 2 reduction, and n = round(x) by the 1.5·2²³ trick (one add, one
 * subtract). Method: r = x - n exactly, |r| <= 1/2, 2^r by a degree-6 polynomial fitted for
 * relative error (about 1e-7), times 2^n built in the exponent bits. Below -64 it returns 0
 * (-inf too): next to the row's maximum, whose term is 1, 2^-64 = 5e-20 is nothing, and a
 * product of such a term with a weight below 1 could be a subnormal float, whose arithmetic is
 * very slow. tests/unit/test_kernels.c (test_vexp8) sweeps it against exp2 in double.
 *
 * The functions are always inlined, so they take the instruction set of the function they are
 * written in: infer.c compiles its loops once for AVX2 and once for baseline x86-64.
 */
#ifndef TC_VEXP8_H
#define TC_VEXP8_H

#include <stdint.h>

/* Eight floats, for loops the compiler maps onto AVX (or two SSE registers); aligned(4) lets
 * them be loaded from any float address. */
typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef int32_t v8i __attribute__((vector_size(32), aligned(4)));

/* Always inlined: no call, so no vector-passing ABI (the Makefile silences GCC's note on it). */
#define V8_INLINE __attribute__((always_inline)) static inline

/* Macros, not functions: a function compiled for baseline x86-64 builds its vectors in pieces
 * before it is inlined (eight inserts instead of one vbroadcastss in AVX2 code). */
#define v8_set(a) __extension__({ float a_ = (a); (v8f){a_, a_, a_, a_, a_, a_, a_, a_}; })
#define v8_max(a, b)                                                                             \
    __extension__({                                                                              \
        v8f x_ = (a), y_ = (b);                                                                  \
        v8i m_ = x_ > y_;                                                                        \
        (v8f)(((v8i)x_ & m_) | ((v8i)y_ & ~m_));                                                 \
    })

/* 2^x for x <= 0 (or -inf), eight at a time. */
V8_INLINE v8f tc_exp2_8_nonpos(v8f x)
{
    v8i keep = x >= v8_set(-64.0f);
    /* n = round(x): adding 1.5·2²³ leaves n in the low mantissa bits, rounded to nearest */
    v8f big = x + v8_set(12582912.0f);
    v8f r = x - (big - v8_set(12582912.0f));   /* exact, in [-1/2, 1/2] */
    v8f y = v8_set(1.535336196e-4f);
    y = y * r + v8_set(1.339887385e-3f);
    y = y * r + v8_set(9.618436918e-3f);
    y = y * r + v8_set(5.550332367e-2f);
    y = y * r + v8_set(2.402264774e-1f);
    y = y * r + v8_set(6.931471825e-1f);
    y = y * r + v8_set(1.0f);
    /* 2^n: n + 127 into the exponent field (n >= -64: a normal float) */
    v8i e = ((v8i)big - (0x4B400000 - 127)) << 23;
    return (v8f)((v8i)(y * (v8f)e) & keep);
}

#endif
