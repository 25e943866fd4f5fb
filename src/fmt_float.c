/*
 * fmt_float.c - "%.9g" for a float32 without printf (see fmt_float.h).
 *
 * The nine digits are the float scaled into [1e8, 1e9) by a power of ten and rounded to an
 * integer. In double the scaling is one correctly rounded multiplication or division by an
 * exact power of ten (10^0 .. 10^22), so the scaled value x is within 2^-53 * 2^30 < 1.2e-7 of
 * the exact one: rounding x to the nearest integer gives the exact rounding unless x is that
 * close to a half, where printf's exact rounding (to even on a tie) might differ. Those values,
 * values too small or too large for an exact power of ten to scale (|v| < 1e-13 or > 1e21),
 * zero, subnormals, infinities and NaNs go to snprintf. A scaled value that rounds up to 1e9
 * is 1.00000000 at the next exponent, which is also what printf makes of it.
 */
#include "fmt_float.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 10^0 .. 10^22: exact in double */
static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static size_t by_printf(char *buf, float v)
{
    return (size_t)snprintf(buf, TC_FMT_FLOAT9_MAX, "%.9g", (double)v);
}

/* |v| * 10^s for -22 <= s <= 22: one correctly rounded operation */
static double scale(double a, int s)
{
    return s >= 0 ? a * pow10_exact[s] : a / pow10_exact[-s];
}

size_t tc_fmt_float9(char buf[TC_FMT_FLOAT9_MAX], float v)
{
    if (!isnormal(v)) return by_printf(buf, v);   /* 0, subnormal, inf, nan */
    double a = fabs((double)v);
    if (a < 1e-13 || a > 1e21) return by_printf(buf, v);   /* keeps 8 - e10 in -14 .. 22 */
    /* e10: the decimal exponent of the leading digit; floor(log10) may be one off either way */
    int e10 = (int)floor(log10(a));
    double x = scale(a, 8 - e10);
    if (x < 1e8) x = scale(a, 8 - --e10);
    else if (x >= 1e9) x = scale(a, 8 - ++e10);
    if (x < 1e8 - 1 || x >= 1e9 || 8 - e10 > 22 || 8 - e10 < -22) return by_printf(buf, v);
    double r = floor(x + 0.5);
    if (fabs(x - (r - 0.5)) < 1e-6) return by_printf(buf, v);   /* too close to a half */
    uint32_t d = (uint32_t)r;   /* 99999999 .. 1000000000 */
    if (d >= 1000000000u) {
        d = 100000000u;
        e10++;
    } else if (d < 100000000u) {   /* x just below 1e8 rounding down: cannot be exact */
        return by_printf(buf, v);
    }
    char dig[9];
    for (int i = 8; i >= 0; i--) {
        dig[i] = (char)('0' + d % 10);
        d /= 10;
    }
    int nd = 9;   /* digits kept: trailing zeros go (%g without '#') */
    while (nd > 1 && dig[nd - 1] == '0') nd--;

    char *p = buf;
    if (v < 0) *p++ = '-';
    if (e10 >= -4 && e10 < 9) {          /* fixed: %.{8 - e10}f */
        if (e10 < 0) {
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -e10 - 1; i++) *p++ = '0';
            memcpy(p, dig, (size_t)nd);
            p += nd;
        } else {
            int whole = e10 + 1;          /* digits before the point: 1 .. 9 */
            memcpy(p, dig, (size_t)whole);
            p += whole;
            if (nd > whole) {
                *p++ = '.';
                memcpy(p, dig + whole, (size_t)(nd - whole));
                p += nd - whole;
            }
        }
    } else {                              /* exponential: %.8e */
        *p++ = dig[0];
        if (nd > 1) {
            *p++ = '.';
            memcpy(p, dig + 1, (size_t)(nd - 1));
            p += nd - 1;
        }
        *p++ = 'e';
        *p++ = e10 < 0 ? '-' : '+';
        int ae = e10 < 0 ? -e10 : e10;   /* 5 .. 22 here: two digits */
        *p++ = (char)('0' + ae / 10);
        *p++ = (char)('0' + ae % 10);
    }
    *p = '\0';
    return (size_t)(p - buf);
}
