/*
 * train_autotune.c - the options of each autotune trial (train_autotune.h).
 */
#include <math.h>
#include <stdint.h>

#include "splitmix.h"
#include "train_autotune.h"

/* splitmix64's stream from state *s: its next output, the state moved on by GAMMA */
static uint64_t next(uint64_t *s)
{
    uint64_t x = tc_splitmix64(*s);
    *s += TC_SPLITMIX64_GAMMA;
    return x;
}

/* uniform in [0, 1) */
static double uniform(uint64_t *s)
{
    return tc_unit_double(next(s));
}

/* one of choices[0..n), uniformly */
static int pick(uint64_t *s, const int *choices, int n)
{
    return choices[(int)(uniform(s) * n)];
}

void tc_autotune_trial(const tc_train_options *base, int k, tc_train_options *out)
{
    *out = *base;
    if (k == 0) return;
    /* the trial's own stream: seed and trial number mixed, so that trial k is the same
     * whichever trials ran before it */
    uint64_t s = base->seed ^ ((uint64_t)k * 0xD1B54A32D192ED03ULL);
    next(&s);
    static const int epochs[] = {5, 10, 15, 20, 30};
    static const int dims[] = {16, 32, 64, 128};
    static const int vocab[] = {2000, 4000, 8000, 16000, 32000};
    static const int lens[] = {32, 64, 128, 256};
    out->lr = 2e-4 * pow(100.0, uniform(&s));   /* 2e-4 .. 2e-2, log-uniform */
    out->epochs = pick(&s, epochs, 5);
    int ok[4], n = 0;   /* the widths the heads divide (64 and 128 for up to 64 heads) */
    for (int i = 0; i < 4; i++)
        if (dims[i] % base->heads == 0) ok[n++] = dims[i];
    int dim = n ? pick(&s, ok, n) : base->dim;
    if (!n) (void)uniform(&s);   /* the same draws follow whatever the heads */
    if (n && !base->pretrained) {   /* pretrained vectors fix the width: --dim is theirs */
        out->dim = dim;
        out->head_dim = dim / base->heads;
        out->hidden = dim;
    }
    out->vocab_size = pick(&s, vocab, 5);
    out->max_len = pick(&s, lens, 4);
    out->dropout = 0.3 * uniform(&s);
    double c = uniform(&s);
    out->crop = c < 0.5 ? 0 : c < 0.75 ? 0.25 : 0.5;
}
