/*
 * test_fmt_float.c - tc_fmt_float9 (fmt_float.h) against snprintf's "%.9g", byte for byte:
 * random bit patterns, the everyday range of vectors, exact ties at the ninth digit, the
 * neighbours of every power of ten it scales by, the edges of its fast path, and the values it
 * hands to snprintf. (Every positive float was checked once by hand, see fmt_float.c.)
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fmt_float.h"
#include "splitmix.h"
#include "test.h"

void test_fmt_float(void);

static long mismatches;

/* Compares one value; prints the first few differences. */
static void same(float v)
{
    char want[64], got[TC_FMT_FLOAT9_MAX];
    int n = snprintf(want, sizeof want, "%.9g", (double)v);
    size_t len = tc_fmt_float9(got, v);
    if ((size_t)n != len || strcmp(want, got) != 0) {
        if (mismatches++ < 5) printf("    %a: want %s, got %s\n", (double)v, want, got);
    }
}

/* the next of a stream of random 64-bit numbers from *state */
static uint64_t next(uint64_t *state)
{
    return tc_splitmix64((*state)++ * TC_SPLITMIX64_GAMMA);
}

static float from_bits(uint32_t u)
{
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

void test_fmt_float(void)
{
    uint64_t rng = 20261207;
    mismatches = 0;
    for (int i = 0; i < 1000000; i++) same(from_bits((uint32_t)next(&rng)));
    CHECK(mismatches == 0);   /* random bit patterns, NaNs and infinities among them */

    mismatches = 0;
    for (int i = 0; i < 1000000; i++) {
        same((float)(16 * tc_unit_double(next(&rng)) - 8));
    }
    CHECK(mismatches == 0);   /* vectors' everyday range */

    /* m * 2^-k with 10 or more significant digits ending in 5: a tie at the ninth digit that
     * printf breaks to even, e.g. 2097151.875 -> 2097151.88 */
    mismatches = 0;
    for (int i = 0; i < 300000; i++) {
        uint32_t m = (uint32_t)(next(&rng) >> 40) | 1u;   /* odd, < 2^24 */
        int k = 1 + (int)(next(&rng) % 40);
        same(ldexpf((float)m, -k));
        same(-ldexpf((float)m, -k));
    }
    same(2097151.875f);
    same(4194303.75f);
    CHECK(mismatches == 0);

    /* around every power of ten from 1e-15 to 1e23, where the digit count changes, and the
     * fast path's edges 1e-13 and 1e21 */
    mismatches = 0;
    for (int e = -15; e <= 23; e++) {
        float p = (float)pow(10.0, e);
        float lo = p, hi = p;
        for (int i = 0; i < 200; i++) {
            same(lo);
            same(hi);
            same(-hi);
            lo = nextafterf(lo, 0);
            hi = nextafterf(hi, INFINITY);
        }
    }
    CHECK(mismatches == 0);

    /* what goes to snprintf, and the extremes */
    mismatches = 0;
    float special[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, FLT_MIN, -FLT_MIN, FLT_MAX,
                       -FLT_MAX, FLT_TRUE_MIN, 1e-40f, 1.0f, -1.0f, 0.5f, 0.0001f, 0.00001f,
                       123456789.0f, 999999999.0f, 1e9f, 0.1f, 1.0f / 3.0f};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++) same(special[i]);
    CHECK(mismatches == 0);
}
