/*
 * position.c - the fixed sinusoidal position encodings (position.h).
 */
#include <math.h>
#include <stddef.h>

#include "position.h"

void tc_position_table(tc_position mode, int rows, int d, float *table)
{
    /* column pairs share a frequency: 10000^(-2i/d) for pair i (the paper's 2i/d_model); one
     * pair at a time, so that pow runs once per pair */
    int pairs = (d + 1) / 2;
    for (int i = 0; i < pairs; i++) {
        double freq = pow(10000.0, -2.0 * i / d);
        /* the pair's two columns: [sin ... | cos ...] (d even), or interleaved, where an odd d
         * ends with a sine and no cosine */
        int halves = mode == TC_POSITION_SINUSOIDAL_HALVES;
        int cs = halves ? i : 2 * i, cc = halves ? d / 2 + i : 2 * i + 1;
        for (int t = 0; t < rows; t++) {
            float *row = table + (size_t)t * (size_t)d;
            double angle = (double)t * freq;
            row[cs] = (float)sin(angle);
            if (cc < d) row[cc] = (float)cos(angle);
        }
    }
}
