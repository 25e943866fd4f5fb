/*
 * splitmix.h - splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", 2014): the one mixing function training, autotune and the model writer draw
 * their random numbers from (internal).
 */
#ifndef TC_SPLITMIX_H
#define TC_SPLITMIX_H

#include <stdint.h>

/* splitmix64's increment (the golden ratio in 64 bits): state n is n·GAMMA from the seed */
#define TC_SPLITMIX64_GAMMA 0x9E3779B97F4A7C15ULL

/* The output of splitmix64 from state x: (x + GAMMA), finalised. Also a good 64-bit hash. */
static inline uint64_t tc_splitmix64(uint64_t x)
{
    x += TC_SPLITMIX64_GAMMA;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* x's top 53 bits as a double in [0, 1) */
static inline double tc_unit_double(uint64_t x)
{
    return (double)(x >> 11) / 9007199254740992.0;
}

#endif
