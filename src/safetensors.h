/*
 * safetensors.h - reading and validating .safetensors files (internal).
 *
 * Format: 8-byte little-endian header length N, N bytes of JSON
 * {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then data.
 */
#ifndef TC_SAFETENSORS_H
#define TC_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "textclf.h"

#define TC_MAX_RANK 8

/* I8: int8 weights of a matrix, with per-row float32 scales in a tensor of their own (quant.h) */
typedef enum { TC_DT_F32 = 0, TC_DT_F16, TC_DT_BF16, TC_DT_F64, TC_DT_I8 } tc_dtype;
#define TC_DTYPE_NAMES {"F32", "F16", "BF16", "F64", "I8", NULL}

/* Bytes per element of a dtype. */
size_t tc_dtype_size(tc_dtype t);

/* IEEE 754 binary16 (F16) bits -> the float32 of the same value (exact: every half is a float).
 * Inline, with no library call, so that the loader's loop over millions of F16 weights is
 * vectorised (a model's start-up time is mostly this loop when its weights are F16). */
static inline float tc_f16_to_f32(uint16_t h)
{
    /* Branch-free (masks, not jumps), so that the compiler vectorises the loop around it. The
     * exponent and mantissa moved into float32's places and rebiased (+112) are the value for a
     * normal half; an Inf/NaN half (exponent 31) needs 112 more to reach float32's 255; a
     * subnormal or zero half (exponent 0) is 2^-14 + man * 2^-24 as a normal float minus
     * 2^-14, which is exact (Fabian Giesen's half_to_float). */
    uint32_t em = (uint32_t)(h & 0x7fffu) << 13, e = em & 0x0f800000u;
    uint32_t normal = em + (112u << 23), inf_nan = normal + (112u << 23), sub_bits;
    float sub;
    uint32_t biased = normal + (1u << 23);            /* 2^-14 * (1 + man / 1024) */
    memcpy(&sub, &biased, 4);
    sub -= 0x1p-14f;
    memcpy(&sub_bits, &sub, 4);
    uint32_t is_inf = 0u - (uint32_t)(e == 0x0f800000u), is_sub = 0u - (uint32_t)(e == 0);
    uint32_t bits = (inf_nan & is_inf) | (sub_bits & is_sub) | (normal & ~(is_inf | is_sub));
    bits |= (uint32_t)(h & 0x8000u) << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

/* out[0..n) = the float32 values of the halves h[0..n) (exact; a loop the compiler vectorises) */
static inline void tc_f16_to_f32_n(float *out, const uint16_t *h, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = tc_f16_to_f32(h[i]);
}

/* float32 -> the nearest binary16, ties to even (IEEE's default rounding, what PyTorch's
 * .half() does). A finite value whose magnitude rounds to 65520 or more gives ±Inf, which the
 * caller must check for (tc_f16_is_inf) when it needs finite weights; NaN stays NaN (quiet). */
uint16_t tc_f32_to_f16(float f);

/* 1 if h is +Inf or -Inf, or NaN: a value a model may not hold. */
static inline int tc_f16_is_nonfinite(uint16_t h) { return (h & 0x7c00) == 0x7c00; }

typedef struct {
    char *name;                     /* owned */
    tc_dtype dtype;
    int rank;
    int64_t shape[TC_MAX_RANK];
    uint64_t begin, end;            /* byte range within the data section */
    int used;                       /* set by the model loader when a JSON entry claims it */
} tc_st_tensor;

typedef struct {
    void *bytes;                    /* the whole file: owned (malloc'd) unless borrowed */
    int borrowed;                   /* bytes are the caller's memory (tc_st_open_memory) */
    size_t len;
    const unsigned char *data;      /* start of the data section (inside bytes) */
    uint64_t data_len;
    tc_st_tensor *tensors;          /* owned [count] */
    int count;
} tc_safetensors;

/*
 * Reads the whole file open on fd into memory (owned by st) and validates it: header bounds,
 * JSON, dtypes, shapes, offsets within the data and consistent with shape x dtype. path names
 * the file in messages; the caller closes fd, which st does not keep. A header length beyond
 * the format's limit is refused before the rest is read. Errors: TC_ERR_MODEL, TC_ERR_IO (with
 * the errno text), TC_ERR_NOMEM. On failure st is left empty (nothing to close).
 */
tc_status tc_st_read(int fd, const char *path, tc_safetensors *st, tc_error *err);

/*
 * The same checks on a file already in memory, buf[0..len), which the caller keeps alive and
 * unchanged until tc_st_close (tensors point into it). name stands for the file in messages.
 */
tc_status tc_st_open_memory(const void *buf, size_t len, const char *name, tc_safetensors *st,
                            tc_error *err);

/* Frees the file's bytes once nothing points into them (no tensor is used in place, float32 or
 * F16: each was converted or copied into memory of its own); the tensor list stays. */
void tc_st_release_bytes(tc_safetensors *st);

/* The tensor called name, or NULL. */
tc_st_tensor *tc_st_find(tc_safetensors *st, const char *name);

/* Frees what st owns. Safe on an empty or already closed st. */
void tc_st_close(tc_safetensors *st);

#endif
