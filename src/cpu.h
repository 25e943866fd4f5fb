/*
 * cpu.h - what this CPU can run, for the loops compiled for more than one instruction set
 * (internal; infer.c's kernel sets, ngram.c's n-gram sums).
 */
#ifndef TC_CPU_H
#define TC_CPU_H

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* 1 if the CPU has F16C (half <-> float conversion: CPUID leaf 1, ECX bit 29), else 0.
 * GCC's __builtin_cpu_supports knows "f16c" but clang 14's (Debian 12) does not, so the bit is
 * read here. F16C's instructions are VEX-encoded: callers also ask __builtin_cpu_supports("avx"),
 * which checks that the system saves the YMM registers too. */
static inline int tc_cpu_has_f16c(void)
{
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C) != 0;
}
#endif

#endif
