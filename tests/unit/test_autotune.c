/*
 * test_autotune.c - the trials of `train --autotune-validation` (train_autotune.h): trial 0 is
 * the options given, the others stay in the documented space, depend only on the seed and the
 * trial number, and keep what the search must not change.
 */
#include <string.h>

#include "test.h"
#include "train_autotune.h"

void test_autotune(void);

static int in(int v, const int *set, int n)
{
    for (int i = 0; i < n; i++)
        if (set[i] == v) return 1;
    return 0;
}

void test_autotune(void)
{
    test_current = "autotune";
    tc_train_options base, t, u;
    tc_train_defaults(&base);
    base.input = "train.txt";
    base.output = "m.json";
    base.threads = 3;
    base.buckets = 1000;
    tc_autotune_trial(&base, 0, &t);
    CHECK(memcmp(&t, &base, sizeof t) == 0);   /* trial 0: what was asked */

    static const int epochs[] = {5, 10, 15, 20, 30}, dims[] = {16, 32, 64, 128},
                     vocab[] = {2000, 4000, 8000, 16000, 32000}, lens[] = {32, 64, 128, 256};
    int ok = 1, lr_low = 0, lr_high = 0, crops[3] = {0}, differ = 0;
    for (int k = 1; k <= 400; k++) {
        tc_autotune_trial(&base, k, &t);
        ok &= t.lr >= 2e-4 && t.lr <= 2e-2 && in(t.epochs, epochs, 5) && in(t.dim, dims, 4) &&
              t.head_dim * t.heads == t.dim && t.hidden == t.dim &&
              in(t.vocab_size, vocab, 5) && in(t.max_len, lens, 4) && t.dropout >= 0 &&
              t.dropout <= 0.3 && (t.crop == 0 || t.crop == 0.25 || t.crop == 0.5);
        /* what the search leaves alone */
        ok &= t.heads == base.heads && t.seed == base.seed && t.threads == 3 &&
              t.buckets == 1000 && t.input == base.input && t.output == base.output &&
              t.batch == base.batch && t.weight_decay == base.weight_decay;
        lr_low += t.lr < 6e-4;
        lr_high += t.lr > 6e-3;
        crops[t.crop == 0 ? 0 : t.crop == 0.25 ? 1 : 2]++;
        tc_autotune_trial(&base, k, &u);   /* the same trial again: the same options */
        ok &= memcmp(&t, &u, sizeof t) == 0;
        base.seed = 2;                     /* another seed: other options (mostly) */
        tc_autotune_trial(&base, k, &u);
        differ += t.lr != u.lr;
        base.seed = 1;
    }
    CHECK(ok);
    CHECK(lr_low > 40 && lr_high > 40);   /* log-uniform: each end of the range is drawn */
    CHECK(crops[0] > 150 && crops[1] > 60 && crops[2] > 60);
    CHECK(differ == 400);

    /* heads that divide none of the widths, or pretrained vectors: the width is kept */
    base.heads = 3;
    base.head_dim = 20;
    base.dim = 60;
    int kept = 1;
    for (int k = 1; k <= 50; k++) {
        tc_autotune_trial(&base, k, &t);
        kept &= t.dim == 60 && t.head_dim == 20;
    }
    CHECK(kept);
    base.heads = 4;
    base.dim = 64;
    base.head_dim = 16;
    base.pretrained = "v.vec";
    kept = 1;
    for (int k = 1; k <= 50; k++) {
        tc_autotune_trial(&base, k, &t);
        kept &= t.dim == 64 && t.head_dim == 16 && t.hidden == base.hidden;
    }
    CHECK(kept);
}
