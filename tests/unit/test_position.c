/*
 * test_position.c - the position modes (position.h): the sinusoidal tables against the formulas
 * written out by hand, and what a loaded model reads for each mode (tc_model_position).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "position.h"
#include "test.h"

void test_position(void);

/* The interleaved table (the paper's): pair i has frequency 10000^(-2i/d); sines in even
 * columns, cosines in odd ones; an odd d ends with a sine. */
static void test_interleaved(void)
{
    float p[3 * 5];
    tc_position_table(TC_POSITION_SINUSOIDAL, 3, 4, p);   /* d 4: frequencies 1 and 1/100 */
    float want4[3][4] = {
        {0, 1, 0, 1},
        {(float)sin(1.0), (float)cos(1.0), (float)sin(0.01), (float)cos(0.01)},
        {(float)sin(2.0), (float)cos(2.0), (float)sin(0.02), (float)cos(0.02)},
    };
    CHECK(memcmp(p, want4, sizeof want4) == 0);
    tc_position_table(TC_POSITION_SINUSOIDAL, 3, 5, p);   /* d 5: 1, 10000^-0.4, 10000^-0.8 */
    double f1 = pow(10000.0, -0.4), f2 = pow(10000.0, -0.8);
    CHECK(p[5 + 0] == (float)sin(1.0) && p[5 + 1] == (float)cos(1.0));
    CHECK(p[5 + 2] == (float)sin(f1) && p[5 + 3] == (float)cos(f1));
    CHECK(p[5 + 4] == (float)sin(f2));                     /* the odd last column: a sine */
    CHECK(p[10 + 4] == (float)sin(2 * f2));
}

/* The halves table: the same frequencies, all sines first, then all cosines. */
static void test_halves(void)
{
    float p[3 * 4];
    tc_position_table(TC_POSITION_SINUSOIDAL_HALVES, 3, 4, p);
    float want[3][4] = {
        {0, 0, 1, 1},
        {(float)sin(1.0), (float)sin(0.01), (float)cos(1.0), (float)cos(0.01)},
        {(float)sin(2.0), (float)sin(0.02), (float)cos(2.0), (float)cos(0.02)},
    };
    CHECK(memcmp(p, want, sizeof want) == 0);
}

/* What the forward passes read, per mode, from the committed test models (tests/models). */
static void test_models(void)
{
    static const struct {
        const char *path, *mode;
    } cases[] = {
        {"tests/models/tiny.json", "learned"},
        {"tests/models/tiny-pos-none.json", "none"},
        {"tests/models/tiny-sinusoidal.json", "sinusoidal"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tc_model *m = NULL;
        tc_error err;
        CHECK(tc_model_load(cases[k].path, &m, &err) == TC_OK);
        if (!m) continue;
        tc_model_info info;
        tc_model_get_info(m, &info);
        CHECK(strcmp(info.position, cases[k].mode) == 0);
        float *table = malloc((size_t)m->max_len * (size_t)m->dim * sizeof *table);
        if (m->position == TC_POSITION_SINUSOIDAL)
            tc_position_table(TC_POSITION_SINUSOIDAL, m->max_len, m->dim, table);
        int ok = 1;
        for (int t = 0; t < m->max_len; t++) {
            const float *p = tc_model_position(m, t);
            for (int i = 0; i < m->dim; i++) {
                float want = m->position == TC_POSITION_LEARNED
                                 ? m->w[TC_W_POSITION][(size_t)t * m->dim + i]
                             : m->position == TC_POSITION_NONE ? 0.0f
                                                               : table[(size_t)t * m->dim + i];
                ok &= p[i] == want;
            }
        }
        CHECK(ok);
        /* the tensor is there exactly with learned positions */
        CHECK(tc_model_has_tensor(m, TC_W_POSITION) == (m->position == TC_POSITION_LEARNED));
        CHECK((m->w[TC_W_POSITION] != NULL) == (m->position == TC_POSITION_LEARNED));
        free(table);
        tc_model_free(m);
    }
}

void test_position(void)
{
    test_current = "position: interleaved";
    test_interleaved();
    test_current = "position: halves";
    test_halves();
    test_current = "position: models";
    test_models();
}
