/*
 * position.h - how a model encodes token positions (docs/model-format.md, "config.position").
 *
 * The network adds a position vector P[t] to token t's embedding. Where P comes from is a
 * property of the model:
 *   learned            the tensor position.weight [max_len, d], trained like the embeddings
 *                      (every model before this key existed);
 *   none               no position vector at all (P[t] = 0): the attention sees a bag of tokens,
 *                      as in the Keras tutorial's TextClassifier;
 *   sinusoidal         the Transformer paper's fixed encoding, sin and cos interleaved:
 *                      P[t, 2i] = sin(t / 10000^(2i/d)),  P[t, 2i+1] = cos(t / 10000^(2i/d));
 *                      (PyTorch's tutorial PositionalEncoding, Keras-NLP's SinePositionEncoding,
 *                      Hugging Face's create_sinusoidal_embeddings);
 *   sinusoidal-halves  the same frequencies, all sines first, then all cosines (d even):
 *                      P[t, i] = sin(t / 10000^(2i/d)),  P[t, d/2 + i] = cos(...), i < d/2
 *                      (Hugging Face's Marian/Pegasus sinusoidal embeddings).
 * The two sinusoidal tables hold the same numbers in different columns, so a network trained
 * with one gives other answers with the other: both are needed. Neither is stored in the file;
 * the table is computed when the model is loaded (or trained).
 */
#ifndef TC_POSITION_H
#define TC_POSITION_H

#include <stdint.h>

#include "textclf.h"

typedef enum {
    TC_POSITION_LEARNED = 0,
    TC_POSITION_NONE,
    TC_POSITION_SINUSOIDAL,
    TC_POSITION_SINUSOIDAL_HALVES
} tc_position;
#define TC_POSITION_NAMES {"learned", "none", "sinusoidal", "sinusoidal-halves", NULL}

/* The most values (max_len x dim) a sinusoidal table may have: 64 MiB of float32, computed in
 * a fraction of a second. A learned table's size is bounded by the file that holds it; a fixed
 * one is not (a 200-byte JSON could ask for 65536 x 65536), so the loader and `train` refuse
 * more. max_len 8192 at dim 2048, or 65536 at 256, still fit. */
#define TC_POSITION_MAX_TABLE (1 << 24)

/* 1 for the modes whose vectors are a fixed table computed at load (the sinusoidal ones). */
static inline int tc_position_fixed(tc_position mode)
{
    return mode == TC_POSITION_SINUSOIDAL || mode == TC_POSITION_SINUSOIDAL_HALVES;
}

/* What keeps mode from being used with max_len and dim (each 1..65536), as the loader and
 * `train` check it, each in its own words: */
typedef enum {
    TC_POSITION_FITS,      /* nothing */
    TC_POSITION_ODD_DIM,   /* sinusoidal-halves with an odd dim: no halves */
    TC_POSITION_TOO_LARGE  /* a fixed table of more than TC_POSITION_MAX_TABLE values */
} tc_position_fit;
static inline tc_position_fit tc_position_check(tc_position mode, int64_t max_len, int64_t dim)
{
    if (mode == TC_POSITION_SINUSOIDAL_HALVES && dim % 2) return TC_POSITION_ODD_DIM;
    if (tc_position_fixed(mode) && max_len * dim > TC_POSITION_MAX_TABLE)
        return TC_POSITION_TOO_LARGE;
    return TC_POSITION_FITS;
}

/*
 * Fills table[rows, d] (the caller's) with position mode's fixed encoding: the sinusoidal
 * formulas above, each value computed in double and rounded once to float, so that any correct
 * implementation of the formula (tools/textclf_ref.py's) gets the same floats but for the rare
 * value within an ulp of a rounding boundary. mode is TC_POSITION_SINUSOIDAL or
 * TC_POSITION_SINUSOIDAL_HALVES (with d even); rows >= 1, d >= 1.
 */
void tc_position_table(tc_position mode, int rows, int d, float *table);

#endif
