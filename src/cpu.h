/*
 * cpu.h - what this CPU can run, for the loops compiled for more than one instruction set
 * (internal; infer.c's kernel sets, ngram.c's n-gram sums).
 */
#ifndef TC_CPU_H
#define TC_CPU_H

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <stdatomic.h>

/* 1 if the CPU has F16C (half <-> float conversion: CPUID leaf 1, ECX bit 29), else 0.
 * GCC's __builtin_cpu_supports knows "f16c" but clang 14's (Debian 12) does not, so the bit is
 * read here, once: CPUID is slow (serialising, and a trap to the hypervisor in a virtual machine)
 * and ngram.c asks per document. The answer is cached in a relaxed atomic (threads racing to fill
 * it store the same value). F16C's instructions are VEX-encoded: callers also ask
 * __builtin_cpu_supports("avx"), which checks that the system saves the YMM registers too. */
static inline int tc_cpu_has_f16c(void)
{
    static _Atomic int known = -1;   /* -1: not asked yet */
    int v = atomic_load_explicit(&known, memory_order_relaxed);
    if (v < 0) {
        unsigned a, b, c, d;
        v = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C) != 0;
        atomic_store_explicit(&known, v, memory_order_relaxed);
    }
    return v;
}
#endif

#endif
