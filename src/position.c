/*
 * position.c - the fixed sinusoidal position encodings (position.h), and what a model's forward
 * passes read for each mode (tc_model_positions_init, model.h).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "error.h"
#include "model.h"
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

tc_status tc_model_positions_init(tc_model *m, tc_error *err)
{
    free(m->pos_table);
    m->pos_table = NULL;
    m->pos_stride = (size_t)m->dim;
    if (m->position == TC_POSITION_LEARNED) {
        m->pos_base = m->w[TC_W_POSITION];
        return TC_OK;
    }
    /* at most TC_POSITION_MAX_TABLE values (tc_position_check, by the loader and train) */
    size_t rows = m->position == TC_POSITION_NONE ? 1 : (size_t)m->max_len;
    m->pos_table = calloc(rows * (size_t)m->dim, sizeof *m->pos_table);
    if (!m->pos_table) return tc_fail_nomem(err, NULL);
    if (tc_position_fixed(m->position))
        tc_position_table(m->position, m->max_len, m->dim, m->pos_table);
    else
        m->pos_stride = 0;   /* every token reads the one row of zeros */
    m->pos_base = m->pos_table;
    return TC_OK;
}
