/*
 * F16 conversion (safetensors.c): every one of the 65536 halves converts to float32 and back to
 * itself (NaNs to a NaN); values between two halves round to the nearer, ties to the even one;
 * overflow gives Inf at exactly IEEE's boundary (65520), underflow gives zero below 2^-25; the
 * results agree with the compiler's own _Float16 conversion where the compiler has one.
 */
#include <math.h>
#include <string.h>

#include "safetensors.h"
#include "test.h"

void test_f16(void);

static float next_up(float f) { return nextafterf(f, INFINITY); }

void test_f16(void)
{
    int round_trip = 1, nan_ok = 1;
    for (uint32_t h = 0; h < 65536; h++) {
        float f = tc_f16_to_f32((uint16_t)h);
        uint16_t back = tc_f32_to_f16(f);
        if (tc_f16_is_nonfinite((uint16_t)h) && (h & 0x3ff)) nan_ok &= isnan(f) && (back & 0x3ff) && tc_f16_is_nonfinite(back);
        else round_trip &= back == h;
    }
    CHECK(round_trip);
    CHECK(nan_ok);

    /* halfway between two halves: ties to even; a hair above rounds up */
    int ties = 1;
    for (uint32_t h = 0; h < 0x7bff; h++) {                 /* finite, positive, not the largest */
        float lo = tc_f16_to_f32((uint16_t)h), hi = tc_f16_to_f32((uint16_t)(h + 1));
        float mid = lo + (hi - lo) / 2;                      /* exact in float32 */
        uint16_t even = (h & 1) ? (uint16_t)(h + 1) : (uint16_t)h;
        ties &= tc_f32_to_f16(mid) == even && tc_f32_to_f16(next_up(mid)) == h + 1 &&
                tc_f32_to_f16(-mid) == (0x8000 | even);
    }
    CHECK(ties);

    CHECK(tc_f32_to_f16(65504.0f) == 0x7bff);               /* the largest half */
    CHECK(tc_f32_to_f16(65519.99f) == 0x7bff);              /* below the midpoint to 65536 */
    CHECK(tc_f32_to_f16(65520.0f) == 0x7c00);               /* the midpoint: to even = Inf */
    CHECK(tc_f32_to_f16(-1e9f) == 0xfc00 && tc_f16_is_nonfinite(tc_f32_to_f16(-1e9f)));
    CHECK(tc_f32_to_f16(INFINITY) == 0x7c00);
    CHECK(tc_f32_to_f16(ldexpf(1, -25)) == 0);              /* half the least subnormal: to even 0 */
    CHECK(tc_f32_to_f16(next_up(ldexpf(1, -25))) == 1);
    CHECK(tc_f32_to_f16(ldexpf(1, -26)) == 0 && tc_f32_to_f16(-ldexpf(1, -30)) == 0x8000);
    CHECK(tc_f32_to_f16(ldexpf(1, -14)) == 0x400);          /* the least normal */
    CHECK(tc_f32_to_f16(1.0f) == 0x3c00 && tc_f32_to_f16(-2.0f) == 0xc000);
    CHECK(tc_f32_to_f16(0.1f) == 0x2e66);                   /* numpy.float16(0.1).view('u2') */

#ifdef __FLT16_MAX__
    /* the compiler's conversion (IEEE, round to nearest even) over a sweep of float32 values */
    int agree = 1;
    for (uint32_t x = 0; x < 0x80000000u; x += 4099) {
        float f;
        memcpy(&f, &x, 4);
        if (isnan(f)) continue;
        _Float16 g = (_Float16)f;
        uint16_t want;
        memcpy(&want, &g, 2);
        agree &= tc_f32_to_f16(f) == want && tc_f32_to_f16(-f) == (want | 0x8000);
    }
    CHECK(agree);
#endif
}
