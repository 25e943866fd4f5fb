/*
 * fnv.h - the FNV-1a hash, written once (internal). Its users: the vocabulary index (vocab.c),
 * WordPiece training's word and token tables (train_wordpiece.c), the label maps (strmap.c),
 * and the names of the files a saved model is split into (model_save.c: "stem-HASH.safetensors",
 * "stem-HASH.vocab.txt", the hash of the bytes written). tc_fnv1a32, the standard 32-bit
 * FNV-1a, is the character n-grams' bucket hash (tokenizer.c): part of the model format.
 *
 * TC_FNV_OFFSET is not FNV's published 64-bit offset basis, 14695981039346656037: it is that
 * number without its last digit, as every copy of this loop had it before they were made one.
 * It hashes as well, and it must stay as it is: another start would rename the weights and
 * vocabulary files of every model saved from then on (the golden tests and the shipped
 * models' names hold these hashes), and would buy nothing.
 */
#ifndef TC_FNV_H
#define TC_FNV_H

#include <stddef.h>
#include <stdint.h>

#define TC_FNV_OFFSET 1469598103934665603ULL
#define TC_FNV_PRIME 1099511628211ULL

/*
 * h carried on over the n bytes at p. Start with h = TC_FNV_OFFSET; the hash of several pieces
 * fed one after the other is the hash of their concatenation, so a string that is never built
 * ("##" + a piece of a word) can be hashed as it stands.
 */
static inline uint64_t tc_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * TC_FNV_PRIME;
    return h;
}

/* The 32-bit FNV-1a of docs/model-format.md's character n-grams, exactly as published: offset
 * basis 2166136261, prime 16777619, arithmetic modulo 2^32. Carried on like tc_fnv1a: start
 * with h = TC_FNV32_OFFSET. Unlike TC_FNV_OFFSET this is part of the model format: another
 * start would put every n-gram in another bucket of every model. */
#define TC_FNV32_OFFSET 2166136261u
#define TC_FNV32_PRIME 16777619u

static inline uint32_t tc_fnv1a32(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * TC_FNV32_PRIME;
    return h;
}

#endif
