/*
 * Kernels: linear layer layout, numerically stable softmax, activations.
 */
#include <string.h>

#include "kernels.h"
#include "test.h"
#include "vexp.h"
#include "vexp8.h"

void test_kernels(void);

void test_kernels(void)
{
    /* y = x Wᵀ + b with W in PyTorch's (out, in) layout */
    float x[2 * 3] = {1, 2, 3, 4, 5, 6};
    float w[2 * 3] = {1, 0, -1, 0.5f, 0.5f, 0.5f};
    float b[2] = {10, 20};
    float y[4];
    tc_linear(y, x, w, b, 2, 3, 2);
    CHECK_NEAR(y[0], 10 + 1 - 3, 1e-6);
    CHECK_NEAR(y[1], 20 + 3, 1e-6);
    CHECK_NEAR(y[2], 10 + 4 - 6, 1e-6);
    CHECK_NEAR(y[3], 20 + 7.5, 1e-6);
    tc_linear(y, x, w, b, 1, 3, 2);   /* the T == 1 path (gemv) */
    CHECK_NEAR(y[0], 8, 1e-6);
    CHECK_NEAR(y[1], 23, 1e-6);

    /* softmax of huge logits: no overflow, sums to 1, never above 1 */
    float s[2 * 3] = {1000, 1001, 1002, -1e30f, 0, 0};
    tc_softmax_rows(s, 2, 3);
    double e1 = exp(-1.0), e2 = exp(-2.0), z = 1 + e1 + e2;
    CHECK_NEAR(s[0], e2 / z, 1e-7);
    CHECK_NEAR(s[1], e1 / z, 1e-7);
    CHECK_NEAR(s[2], 1 / z, 1e-7);
    CHECK_NEAR(s[3], 0, 0);
    CHECK_NEAR(s[4], 0.5, 1e-7);
    CHECK(s[2] <= 1.0f);

    float a[3] = {-1, 0, 2};
    tc_activate(a, 3, TC_ACT_RELU);
    CHECK(a[0] == 0 && a[1] == 0 && a[2] == 2);
    float g[2] = {1, -1};
    tc_activate(g, 2, TC_ACT_GELU);
    CHECK_NEAR(g[0], 0.841344746, 1e-6);   /* 0.5·x·(1 + erf(x/√2)) */
    CHECK_NEAR(g[1], -0.158655254, 1e-6);
    float t[1] = {0.5f};
    tc_activate(t, 1, TC_ACT_TANH);
    CHECK_NEAR(t[0], tanh(0.5), 1e-7);
}

/* The vectorised exp against exp in double: a dense sweep of [-90, 89] (checked on [-87.3, 88]),
 * reported as the worst error in units of the float spacing at the true value. */
void test_vexp(void);

/* |got - want| in units of the float spacing at want */
static double ulps(float got, double want)
{
    double ulp = nextafterf((float)want, INFINITY) - (float)want;
    return fabs(got - want) / ulp;
}

void test_vexp(void)
{
#ifdef __SSE2__
    double worst = 0, worst_x = 0;
    int zero_below = 1, nonfinite = 0;
    for (int k = -900000; k <= 890000; k += 4) {
        float xs[4], ys[4];
        for (int j = 0; j < 4; j++) xs[j] = (float)((k + j) * 1e-4);
        _mm_storeu_ps(ys, tc_exp4(_mm_loadu_ps(xs)));
        for (int j = 0; j < 4; j++) {
            double want = exp((double)xs[j]);
            if (!isfinite(ys[j])) nonfinite++;
            if (xs[j] < -87.3f) { zero_below &= ys[j] == 0; continue; }
            if (xs[j] > 88.0f) continue;
            double e = ulps(ys[j], want);
            if (e > worst) { worst = e; worst_x = xs[j]; }
        }
    }
    if (worst >= 2) printf("  vexp: %.2f ulp at x = %.6g\n", worst, worst_x);
    CHECK(worst < 2);
    CHECK(zero_below);
    CHECK(nonfinite == 0);
#endif
    /* the fast softmax agrees with the exact one, on row lengths with and without a tail */
    float a[2 * 7], b[2 * 7];
    for (int i = 0; i < 14; i++) a[i] = b[i] = (float)((i * 37) % 11) - 5.0f + (i == 3 ? 90 : 0);
    tc_softmax_rows(a, 2, 7);
    tc_softmax_rows_fast(b, 2, 7);
    double diff = 0, sum = 0;
    for (int i = 0; i < 14; i++) {
        diff = fmax(diff, fabs(a[i] - b[i]));
        sum += b[i];
    }
    CHECK(diff < 1e-6);
    CHECK_NEAR(sum, 2.0, 1e-6);
}

/* Classification's 2^x for x <= 0 (vexp8.h) against exp2 in double: a dense sweep of [-70, 0]
 * in float spacing units at the true value where x >= -64, exactly 0 below -64 and for -inf. */
void test_vexp8(void);

void test_vexp8(void)
{
    double worst = 0, worst_x = 0;
    int zero_below = 1, bad = 0;
    for (int k = -700000; k <= 0; k += 8) {
        float xs[8], ys[8];
        for (int j = 0; j < 8; j++) xs[j] = k + j > 0 ? 0.0f : (float)((k + j) * 1e-4);
        if (k == -8) xs[0] = -INFINITY;
        v8f y = tc_exp2_8_nonpos(*(const v8f *)xs);
        memcpy(ys, &y, sizeof ys);
        for (int j = 0; j < 8; j++) {
            if (!isfinite(ys[j]) || ys[j] < 0) bad++;
            if (xs[j] < -64.0f) { zero_below &= ys[j] == 0; continue; }
            double e = ulps(ys[j], exp2((double)xs[j]));
            if (e > worst) { worst = e; worst_x = xs[j]; }
        }
    }
    if (worst >= 2) printf("  vexp8: %.2f ulp at x = %.6g\n", worst, worst_x);
    CHECK(worst < 2);
    CHECK(zero_below);
    CHECK(bad == 0);
    float one[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    v8f y1 = tc_exp2_8_nonpos(*(const v8f *)one);
    CHECK(y1[0] == 1.0f);
}
