/*
 * Kernels: linear layer layout, numerically stable softmax, activations.
 */
#include <string.h>

#include "kernels.h"
#include "test.h"

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
    tc_activate(a, 3, 0);
    CHECK(a[0] == 0 && a[1] == 0 && a[2] == 2);
    float g[2] = {1, -1};
    tc_activate(g, 2, 1);
    CHECK_NEAR(g[0], 0.841344746, 1e-6);   /* 0.5·x·(1 + erf(x/√2)) */
    CHECK_NEAR(g[1], -0.158655254, 1e-6);
    float t[1] = {0.5f};
    tc_activate(t, 1, 2);
    CHECK_NEAR(t[0], tanh(0.5), 1e-7);
}
